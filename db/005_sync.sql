-- 005_sync: this device's keys for signed, encrypted bundles, and the devices it
-- trusts (src/sync/keys.c, include/taizhang/sync_keys.h).
--
-- None of these tables is synced: every store keeps its own, and the outbox's
-- change capture must never attach them. sync_device_keys deliberately has no
-- PRIMARY KEY: SQLite's session extension records only tables with one, so the
-- secret keys cannot end up in a changeset even if every table were attached.
--
-- The secret keys are plain BLOBs *inside SQLite*: the store file is encrypted
-- page by page (and the rollback journal's page copies too) under the store's
-- master key, so they are encrypted at rest like everything else, and
-- secure_delete overwrites freed cells. Loaded keys go into secret memory.
--
-- Device ids are 16 lowercase hex digits (8 bytes of a hash of the Ed25519
-- public key); times are UTC ISO 8601; "by" columns name the store user.

-- This device: one row, created by sync_keys_ensure on first use, never changed.
CREATE TABLE sync_device_keys (
    one        INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (one = 1),
    device_id  TEXT NOT NULL CHECK (length(device_id) = 16),
    sign_pk    BLOB NOT NULL CHECK (length(sign_pk) = 32),   -- Ed25519
    sign_seed  BLOB NOT NULL CHECK (length(sign_seed) = 32), -- Ed25519 secret seed
    box_pk     BLOB NOT NULL CHECK (length(box_pk) = 32),    -- X25519
    box_sk     BLOB NOT NULL CHECK (length(box_sk) = 32),    -- X25519 secret key
    created_at TEXT NOT NULL
);
CREATE TRIGGER sync_device_keys_no_update BEFORE UPDATE ON sync_device_keys
BEGIN SELECT RAISE(ABORT, 'device keys never change'); END;
CREATE TRIGGER sync_device_keys_no_delete BEFORE DELETE ON sync_device_keys
BEGIN SELECT RAISE(ABORT, 'device keys are never deleted'); END;

-- At a village: the town office's public keys (`taizhang trust FILE`). One row;
-- replaced only on purpose (`trust --replace`), which the audit log records.
CREATE TABLE sync_town_key (
    one           INTEGER PRIMARY KEY CHECK (one = 1),
    device_id     TEXT NOT NULL CHECK (length(device_id) = 16),
    division_code TEXT NOT NULL CHECK (length(division_code) = 12),
    sign_pk       BLOB NOT NULL CHECK (length(sign_pk) = 32),
    box_pk        BLOB NOT NULL CHECK (length(box_pk) = 32),
    trusted_at    TEXT NOT NULL,
    trusted_by    TEXT NOT NULL
);

-- At the town: every village device enrolled (`taizhang enroll FILE`), revoked
-- (`taizhang revoke DEVICE`) when its laptop is lost or replaced. A row is never
-- deleted, its keys never change, and a revoked device stays revoked.
CREATE TABLE sync_village_devices (
    device_id     TEXT PRIMARY KEY CHECK (length(device_id) = 16),
    division_code TEXT NOT NULL CHECK (length(division_code) = 12),
    sign_pk       BLOB NOT NULL UNIQUE CHECK (length(sign_pk) = 32),
    box_pk        BLOB NOT NULL CHECK (length(box_pk) = 32),
    enrolled_at   TEXT NOT NULL,
    enrolled_by   TEXT NOT NULL,
    revoked       INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    revoked_at    TEXT,
    revoked_by    TEXT,
    CHECK ((revoked = 0) = (revoked_at IS NULL AND revoked_by IS NULL))
) WITHOUT ROWID;
CREATE INDEX sync_village_devices_code ON sync_village_devices(division_code);
CREATE TRIGGER sync_village_devices_keys_fixed
BEFORE UPDATE OF device_id, division_code, sign_pk, box_pk, enrolled_at, enrolled_by
ON sync_village_devices
BEGIN SELECT RAISE(ABORT, 'an enrolled device keeps its keys'); END;
CREATE TRIGGER sync_village_devices_stay_revoked
BEFORE UPDATE OF revoked, revoked_at, revoked_by ON sync_village_devices
WHEN OLD.revoked = 1
BEGIN SELECT RAISE(ABORT, 'a revoked device stays revoked'); END;
CREATE TRIGGER sync_village_devices_no_delete BEFORE DELETE ON sync_village_devices
BEGIN SELECT RAISE(ABORT, 'enrolled devices are never deleted'); END;
