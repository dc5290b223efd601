-- 015_county_index: what a town store of a county's size (issue 16: 400,000
-- households) needs to answer the officer's search as they type.
--
-- The households screen finds a household by any part of a member's name, of
-- a member's ID number or of its villager group's name (browse.h). Before, each
-- keystroke read every household, three subqueries each for its head, head's
-- ID number and members present, and every member's name and number: about 2
-- seconds a keystroke at 400,000 households. Now:
--
-- search_households: one row per household, kept in step by the triggers
-- below, holding what the list shows (village, status, group, head, head's ID
-- number, members present: the same subqueries browse.c used to run per
-- keystroke) and what the search matches:
--   names  char(31) || group name || char(31) || every member's name, each
--          followed by char(31)  (members of any status, as before)
--   ids    char(31) || every member's ID number, each followed by char(31)
-- so that "some member's name, or the group's, contains q" is exactly
-- instr(names, q) > 0 and "some member's ID number contains upper(q)" is
-- instr(ids, upper(q)) > 0, for any q without char(31) (browse.c falls back to
-- the old query for such a q; no name or number holds one).
--
-- search_fts: an FTS5 trigram index of names and ids, by search_households'
-- rid. A query of three characters or more takes its candidates from here
-- (trigram matching is case-insensitive: a superset) and browse.c keeps only
-- those the instr test above accepts, so the answer is the same. Shorter
-- queries, which the trigram index cannot answer, test instr over the rows of
-- search_households (of one village, through its index, when a village is
-- looked at): one row per household instead of subqueries. When the households
-- found are many, the list's first rows are read in its order (the two indexes
-- below) instead of sorting them all.
--
-- The rows live in the store like every other, so they are encrypted like every
-- other page: nothing in clear on disk (FTS5's own tables, search_fts_data and
-- the rest, are ordinary tables of the store too). They have no owner column: change
-- capture (src/sync/capture.c) and the exports leave them out; every store
-- derives its own, at the town as each village's bundle is applied.

CREATE TABLE search_households (
    rid          INTEGER PRIMARY KEY,   -- stable: search_fts's rowid
    household_id TEXT NOT NULL UNIQUE,
    village_code TEXT,
    status       TEXT,
    grp          TEXT,                  -- villager group's name
    head         TEXT,                  -- a head present's name
    idcard       TEXT,                  -- that head's ID number
    nm           INTEGER,               -- members present
    names        TEXT,
    ids          TEXT
);
-- The list's order (group, head, household), in a village and in the store.
CREATE INDEX search_households_village ON search_households(village_code, grp, head, household_id);
CREATE INDEX search_households_order ON search_households(grp, head, household_id);

CREATE VIRTUAL TABLE search_fts USING fts5(names, ids, content='search_households',
    content_rowid='rid', tokenize='trigram', detail='none');

-- search_fts follows search_households' names and ids (FTS5 external content).
CREATE TRIGGER search_fts_insert AFTER INSERT ON search_households BEGIN
    INSERT INTO search_fts(rowid, names, ids) VALUES (NEW.rid, NEW.names, NEW.ids);
END;
CREATE TRIGGER search_fts_delete AFTER DELETE ON search_households BEGIN
    INSERT INTO search_fts(search_fts, rowid, names, ids)
        VALUES ('delete', OLD.rid, OLD.names, OLD.ids);
END;
CREATE TRIGGER search_fts_update AFTER UPDATE OF names, ids ON search_households
    WHEN OLD.names IS NOT NEW.names OR OLD.ids IS NOT NEW.ids BEGIN
    INSERT INTO search_fts(search_fts, rowid, names, ids)
        VALUES ('delete', OLD.rid, OLD.names, OLD.ids);
    INSERT INTO search_fts(rowid, names, ids) VALUES (NEW.rid, NEW.names, NEW.ids);
END;

-- A household's row, computed from the household, its group and its members:
-- the first fill and every trigger below take it from this view (the
-- subqueries for head and idcard are browse.c's old ones, so the same head is
-- shown). Each trigger refreshes the rows of the households it touched.
CREATE VIEW search_households_source AS
SELECT h.id AS household_id, h.village_code, h.status, g.name AS grp,
    (SELECT m.name FROM members m WHERE m.household_id = h.id AND m.relation = 'head'
        AND m.status = 'present' LIMIT 1) AS head,
    (SELECT m.idcard FROM members m WHERE m.household_id = h.id AND m.relation = 'head'
        AND m.status = 'present' LIMIT 1) AS idcard,
    (SELECT count(*) FROM members m WHERE m.household_id = h.id
        AND m.status = 'present') AS nm,
    char(31) || coalesce(g.name, '') || char(31)
        || coalesce((SELECT group_concat(m.name || char(31), '') FROM members m
                     WHERE m.household_id = h.id), '') AS names,
    char(31) || coalesce((SELECT group_concat(m.idcard || char(31), '') FROM members m
                          WHERE m.household_id = h.id), '') AS ids
FROM households h LEFT JOIN villager_groups g ON g.id = h.group_id;

INSERT INTO search_households(household_id, village_code, status, grp, head, idcard, nm,
                              names, ids)
    SELECT household_id, village_code, status, grp, head, idcard, nm, names, ids
    FROM search_households_source;

-- Refreshing a household's row: INSERT INTO search_refresh VALUES (its id).
-- The row is set from the view, made when the household has none, removed when
-- the household is gone. While search_state.deferred is 1 (a bundle being
-- applied: sync's apply.c, which writes a household and then each of its
-- members) the household is only noted in search_dirty, and refreshed once
-- when the bundle is in (INSERT INTO search_refresh SELECT household_id FROM
-- search_dirty): one refresh a household instead of one per row.
CREATE TABLE search_state (
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    deferred INTEGER NOT NULL DEFAULT 0
);
INSERT INTO search_state(one, deferred) VALUES (1, 0);
CREATE TABLE search_dirty (household_id TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE VIEW search_refresh AS SELECT household_id FROM search_households WHERE 0;
CREATE TRIGGER search_refresh_later INSTEAD OF INSERT ON search_refresh
    WHEN (SELECT deferred FROM search_state) = 1 BEGIN
    INSERT OR IGNORE INTO search_dirty(household_id) VALUES (NEW.household_id);
END;
CREATE TRIGGER search_refresh_now INSTEAD OF INSERT ON search_refresh
    WHEN (SELECT deferred FROM search_state) = 0 BEGIN
    DELETE FROM search_households WHERE household_id = NEW.household_id
        AND NOT EXISTS (SELECT 1 FROM households WHERE id = NEW.household_id);
    UPDATE search_households SET (village_code, status, grp, head, idcard, nm, names, ids)
        = (SELECT village_code, status, grp, head, idcard, nm, names, ids
           FROM search_households_source v WHERE v.household_id = NEW.household_id)
        WHERE household_id = NEW.household_id;
    INSERT INTO search_households(household_id, village_code, status, grp, head, idcard, nm,
                                  names, ids)
        SELECT household_id, village_code, status, grp, head, idcard, nm, names, ids
        FROM search_households_source v WHERE v.household_id = NEW.household_id
        AND NOT EXISTS (SELECT 1 FROM search_households x
                        WHERE x.household_id = NEW.household_id);
END;

CREATE TRIGGER search_household_insert AFTER INSERT ON households BEGIN
    INSERT INTO search_refresh VALUES (NEW.id);
END;
CREATE TRIGGER search_household_delete AFTER DELETE ON households BEGIN
    INSERT INTO search_refresh VALUES (OLD.id);
END;
CREATE TRIGGER search_household_update AFTER UPDATE OF id, village_code, status, group_id
    ON households BEGIN
    INSERT INTO search_refresh SELECT OLD.id WHERE OLD.id IS NOT NEW.id;
    INSERT INTO search_refresh VALUES (NEW.id);
END;

CREATE TRIGGER search_member_insert AFTER INSERT ON members BEGIN
    INSERT INTO search_refresh VALUES (NEW.household_id);
END;
CREATE TRIGGER search_member_delete AFTER DELETE ON members BEGIN
    INSERT INTO search_refresh VALUES (OLD.household_id);
END;
CREATE TRIGGER search_member_update AFTER UPDATE OF household_id, name, idcard, relation, status
    ON members BEGIN
    INSERT INTO search_refresh SELECT OLD.household_id WHERE OLD.household_id IS NOT NEW.household_id;
    INSERT INTO search_refresh VALUES (NEW.household_id);
END;

-- A group's name shows in its households' rows (and a group may arrive after
-- its households in a bundle, or leave before them).
CREATE TRIGGER search_group_insert AFTER INSERT ON villager_groups BEGIN
    INSERT INTO search_refresh SELECT id FROM households WHERE group_id = NEW.id;
END;
CREATE TRIGGER search_group_delete AFTER DELETE ON villager_groups BEGIN
    INSERT INTO search_refresh SELECT id FROM households WHERE group_id = OLD.id;
END;
CREATE TRIGGER search_group_update AFTER UPDATE OF id, name ON villager_groups BEGIN
    INSERT INTO search_refresh SELECT id FROM households WHERE group_id IN (OLD.id, NEW.id);
END;
