-- 001_core: the store's own tables — its identity and the audit log.
-- Not synced: every store keeps its own.

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,   -- kind | code | name | created_at | ...
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Append-only, hash-chained: hash = BLAKE2b(prev_hash ‖ seq ‖ at ‖ user ‖ action
-- ‖ subject ‖ detail), each field length-prefixed (src/store/tx.c).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,      -- UTC, ISO 8601
    user      TEXT NOT NULL,
    action    TEXT NOT NULL,      -- e.g. store.create, user.add, household.insert
    subject   TEXT,               -- the row or user acted on
    detail    TEXT,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
