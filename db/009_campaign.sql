-- 009_campaign: accountable units as data, and the ledger of the campaign's
-- deliverables (issue 14; the seed's 三、and 四、工作要求).
--
-- Units. The units of 003 (code, name, kind) become the one way a problem, a
-- marginal household's measure, a project and a deliverable name who is
-- responsible: a unit code. They are also a code list ('unit' in code_list), so
-- every form, listing and check that knows code lists knows units: a form picks
-- one (F4), a listing shows its Chinese name, a value that is no unit's code is
-- refused naming the field (model/field.c), at entry and in a peer's bundle.
-- 'other' (其他单位) is for what names no unit of the town: the free text that
-- was there before this migration, when it matched no unit, is kept readable in
-- the row's note column (responsible_unit_note for problems) and the code
-- becomes 'other'. A unit added later is added to units and to code_list
-- 'unit' in the same transaction (both are reference data: written at the
-- town, sent to every village; a village's change to them is only a proposal).
--
-- Deliverables. deliverable_kinds says, per deadline of the seed's schedule,
-- what is handed in and who owes it: every village, the lead units (every
-- town unit that leads a task of task_units, or only those of one task), or one
-- unit. It is reference data: the town edits it (and the deadlines) for the
-- next campaign. deliverables holds one row per kind and owing party, made by
-- model/deliverable.c (deliverable_generate: idempotent, a row's id is derived
-- from its kind and party, so the town's row for a village and the village's
-- own are the same row). A village's row is the village's (owner = its code):
-- it records the hand-in; the town alone confirms receipt (confirmed_on/_by;
-- a village's write to them is set aside as a proposal, sync/apply.c). A unit's
-- row is the town's and stays at the town.

INSERT INTO units(code, name, kind) VALUES ('other', '其他单位', 'group');

INSERT INTO code_list(list, code, label, sort)
    SELECT 'unit', code, name, rowid FROM units;

-- Problems: responsible_unit becomes a unit code; text that names no unit is
-- kept in responsible_unit_note. Matched: a unit's name, the name without its
-- leading 镇 (民政办), or the problem's own village (各村(居) leads task 1, 4,
-- 12, 16: the rules wrote the village's name).
ALTER TABLE problems ADD COLUMN responsible_unit_note TEXT;

CREATE TEMP TABLE unit_match AS
    SELECT p.id AS id, COALESCE(
        (SELECT u.code FROM units u WHERE u.code = p.responsible_unit),
        (SELECT u.code FROM units u WHERE u.name = p.responsible_unit),
        (SELECT u.code FROM units u WHERE u.name = '镇' || p.responsible_unit),
        (SELECT 'villages' FROM villages v
          WHERE v.code = p.village_code AND v.name = p.responsible_unit),
        (SELECT 'villages' FROM store_meta m, store_meta c
          WHERE m.key = 'name' AND m.value = p.responsible_unit
            AND c.key = 'code' AND c.value = p.village_code)) AS code
      FROM problems p;

UPDATE problems SET responsible_unit_note = responsible_unit, responsible_unit = 'other'
 WHERE id IN (SELECT id FROM unit_match WHERE code IS NULL);

UPDATE problems SET responsible_unit = (SELECT code FROM unit_match m WHERE m.id = problems.id)
 WHERE id IN (SELECT id FROM unit_match WHERE code IS NOT NULL);

DROP TABLE unit_match;

-- Measures for marginal households and projects name the unit that carries
-- them out (optional: a village's own measure names none).
ALTER TABLE marginal_measures ADD COLUMN unit TEXT REFERENCES units(code);
ALTER TABLE projects ADD COLUMN unit TEXT REFERENCES units(code);

CREATE TABLE deliverable_kinds (
    key          TEXT PRIMARY KEY,
    deadline_key TEXT NOT NULL REFERENCES deadlines(key),   -- its due date
    what         TEXT NOT NULL,        -- Chinese: what is handed in, to whom
    for_villages INTEGER NOT NULL CHECK (for_villages IN (0, 1)),
    for_units    TEXT NOT NULL CHECK (for_units IN ('none', 'leads', 'task', 'unit')),
    task         INTEGER REFERENCES tasks(task),   -- for_units = 'task': its lead units
    unit         TEXT REFERENCES units(code),      -- for_units = 'unit'
    signed       INTEGER NOT NULL DEFAULT 0 CHECK (signed IN (0, 1)),  -- 主要负责同志审签
    sort         INTEGER NOT NULL,
    CHECK ((for_units = 'task') = (task IS NOT NULL)),
    CHECK ((for_units = 'unit') = (unit IS NOT NULL))
) WITHOUT ROWID;

INSERT INTO deliverable_kinds(key, deadline_key, what, for_villages, for_units, task, unit, signed, sort) VALUES
    ('plans', 'plans', '专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）', 1, 'leads', NULL, NULL, 1, 1),
    ('staff', 'staff', '扶贫工作室专职工作人员名单（汇总后报镇扶贫办）', 1, 'none', NULL, NULL, 0, 2),
    ('summary', 'summary', '整改行动总结（报镇扶贫办）', 1, 'leads', NULL, NULL, 0, 3),
    ('summary_town', 'summary', '整改行动总结汇总（镇扶贫办报镇扶贫开发领导小组）', 0, 'unit', NULL, 'fupin', 0, 4),
    ('rectification', 'rectification', '问题清单全面整改到位（整改台账对账销号）', 1, 'leads', NULL, NULL, 0, 5),
    ('projects', 'projects', '“十三五”期间所有扶贫项目录入项目库', 1, 'task', 8, NULL, 0, 6),
    ('leaders', 'leaders', '致富带头人信息录入全国扶贫开发信息系统', 1, 'task', 9, NULL, 0, 7);

CREATE TABLE deliverables (
    id           TEXT PRIMARY KEY,     -- derived from kind and party (deliverable.c)
    owner        TEXT NOT NULL,        -- who writes it: the village, or the town for a unit's
    village_code TEXT,                 -- the village that owes it, or NULL
    unit         TEXT REFERENCES units(code),   -- the unit that owes it, or NULL
    kind         TEXT NOT NULL REFERENCES deliverable_kinds(key),
    what         TEXT NOT NULL,
    due          TEXT NOT NULL,        -- YYYY-MM-DD, from the kind's deadline
    handed_in_on TEXT,                 -- YYYY-MM-DD
    handed_in_by TEXT,
    signed_by    TEXT,
    kept_where   TEXT,                 -- a file name, or the paper archive's place
    note         TEXT,
    confirmed_on TEXT,                 -- the town's confirmation of receipt
    confirmed_by TEXT,
    updated_at   TEXT,                 -- NULL until the first hand-in is recorded
    CHECK ((village_code IS NULL) <> (unit IS NULL)),
    CHECK (confirmed_on IS NULL OR handed_in_on IS NOT NULL)
);
CREATE INDEX deliverables_village ON deliverables(village_code, due);
CREATE INDEX deliverables_unit ON deliverables(unit, due);
