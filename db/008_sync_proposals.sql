-- 008_sync_proposals: bundles refused for what they carry, and a peer's changes to what only this side may write
-- (src/sync/apply.c, src/sync/proposal.c). At the town: a village closing
-- (销号) or reopening a dispatched problem, changing what the town set on it,
-- recording the town's review steps of a project (镇初审, 部门审核, 领导组审定,
-- 未通过), or changing reference data and policy numbers. Such a change is not
-- applied: it is kept here, as asked, until a town officer accepts it (then the
-- town writes it, as its own change) or refuses it with a note.
--
-- Not synced (no owner column): every store keeps its own. Times UTC ISO 8601.

CREATE TABLE sync_proposals (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    peer        TEXT NOT NULL,           -- the sending device
    village     TEXT NOT NULL,
    seq         INTEGER NOT NULL,        -- the bundle that carried it
    table_name  TEXT NOT NULL,
    row_key     TEXT NOT NULL,           -- the primary key, as text
    op          TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    summary     TEXT NOT NULL,           -- what is asked, in Chinese
    state       TEXT NOT NULL DEFAULT 'open'
                CHECK (state IN ('open', 'accepted', 'refused')),
    decided_at  TEXT,
    decided_by  TEXT,
    decided_note TEXT,
    CHECK ((state = 'open') = (decided_at IS NULL))
);
CREATE INDEX sync_proposals_open ON sync_proposals(state, village);

-- The values a proposal would write: per column, the value the sender had
-- (old; NULL for an insert) and the one it asks for (new; NULL for a delete).
-- Columns without a declared type keep SQLite's own types.
CREATE TABLE sync_proposal_values (
    proposal_id INTEGER NOT NULL REFERENCES sync_proposals(id),
    col         INTEGER NOT NULL,        -- the column's position in the table
    name        TEXT NOT NULL,
    is_pk       INTEGER NOT NULL CHECK (is_pk IN (0, 1)),
    old_value,
    new_value,
    changed     INTEGER NOT NULL CHECK (changed IN (0, 1)),
    PRIMARY KEY (proposal_id, col)
) WITHOUT ROWID;

-- Bundles refused for what they carry (src/sync/README.md, rules A1-A6: a row
-- not the sender's, a value no form accepts, a row left pointing at nothing, a
-- changeset that cannot be read ...). The bundle itself was rolled back; this
-- row keeps why, once per sender, seq and reason, for a person to follow up.
CREATE TABLE sync_refusals (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    peer      TEXT NOT NULL,
    village   TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    reason    TEXT NOT NULL,             -- the message the import gave, sanitized
    UNIQUE (peer, seq, reason)
);
