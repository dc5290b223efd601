-- 006_sync_state: the outbox of captured changes, the chains of bundles sent and
-- received, bundles held back for a gap, forks, and the conflict ledger
-- (src/sync/, include/taizhang/sync.h).
--
-- None of these tables has an owner column, so change capture never attaches
-- them (src/sync/capture.c attaches only tables that have one, and the
-- reference tables at the town). Peers are device ids (16 hex digits); times
-- UTC ISO 8601; seq counts one sending device's bundles to one recipient from 1.

-- Changes made here, one row per write transaction (a session changeset),
-- waiting for the peer's receipt. dest: at a village always the town ('town');
-- at the town the village code the change is for, or '*' (reference data, for
-- every village). AUTOINCREMENT: an id is never reused, so "everything after
-- id N" is well defined for ever.
CREATE TABLE sync_outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    dest       TEXT NOT NULL,
    changeset  BLOB NOT NULL,
    created_at TEXT NOT NULL,
    by_user    TEXT NOT NULL
);
CREATE INDEX sync_outbox_dest ON sync_outbox(dest, id);

-- Bundles this device wrote, per recipient device. bytes is the file as written
-- (ciphertext to the peer), kept until the peer's receipt says it was applied so
-- that every export can write the unacknowledged ones again (a lost stick costs
-- nothing); outbox_upto is the last outbox id the bundle carries; ack_seq the
-- receipt it carried for the peer's own bundles.
CREATE TABLE sync_sent (
    peer        TEXT NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    hash        BLOB NOT NULL CHECK (length(hash) = 32),
    village     TEXT NOT NULL,           -- the village the bundle concerns
    outbox_from INTEGER NOT NULL,        -- first outbox id carried (upto + 1 if none)
    outbox_upto INTEGER NOT NULL,
    ack_seq     INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    bytes       BLOB,                    -- NULL once acknowledged
    created_at  TEXT NOT NULL,
    acked_at    TEXT,
    PRIMARY KEY (peer, seq)
) WITHOUT ROWID;

-- Per sending device: how far its chain has been applied here.
CREATE TABLE sync_peer_in (
    peer         TEXT PRIMARY KEY,
    village      TEXT NOT NULL,          -- the village the device belongs to / writes to
    last_seq     INTEGER NOT NULL,
    last_hash    BLOB NOT NULL CHECK (length(last_hash) = 32),
    applied_upto INTEGER NOT NULL,       -- the sender's last outbox id applied
    acked_by_peer INTEGER NOT NULL DEFAULT 0, -- the highest of our seqs it acknowledged
    last_at      TEXT NOT NULL
) WITHOUT ROWID;

-- Every bundle applied here (or found a duplicate of one): what a replay is
-- compared with, and what the villages screen counts.
CREATE TABLE sync_received (
    peer       TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    hash       BLOB NOT NULL CHECK (length(hash) = 32),
    village    TEXT NOT NULL,
    entries    INTEGER NOT NULL,         -- changesets applied
    changes    INTEGER NOT NULL,         -- rows changed
    conflicts  INTEGER NOT NULL,
    file_name  TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    applied_by TEXT NOT NULL,
    PRIMARY KEY (peer, seq)
) WITHOUT ROWID;

-- Bundles that arrived after a gap in their sender's chain: verified, kept (as
-- received: ciphertext) and applied as soon as the missing ones arrive.
CREATE TABLE sync_held (
    peer      TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    village   TEXT NOT NULL,
    file_name TEXT NOT NULL,
    bytes     BLOB NOT NULL,
    held_at   TEXT NOT NULL,
    PRIMARY KEY (peer, seq)
) WITHOUT ROWID;

-- Alarms: a fork (the same seq with other content: a cloned or restored laptop)
-- and other refusals a person must look at.
CREATE TABLE sync_alarms (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    peer      TEXT NOT NULL,
    village   TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('fork')),
    file_name TEXT NOT NULL,
    detail    TEXT NOT NULL
);

-- The conflict ledger: every change of a peer's bundle that did not apply
-- cleanly, with what was done about it (the rule is deterministic, see
-- src/sync/apply.c), until a person marks it handled.
CREATE TABLE sync_conflicts (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    peer        TEXT NOT NULL,
    village     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    table_name  TEXT NOT NULL,
    row_key     TEXT NOT NULL,           -- the primary key, as text
    kind        TEXT NOT NULL CHECK (kind IN ('data', 'notfound', 'conflict',
                                              'constraint', 'foreign_key')),
    resolution  TEXT NOT NULL CHECK (resolution IN ('theirs', 'ours')),
    detail      TEXT NOT NULL,
    handled_at  TEXT,
    handled_by  TEXT,
    handled_note TEXT
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(handled_at, village);
