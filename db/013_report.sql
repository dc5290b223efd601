-- 013_report: what the township report needs beyond 004's ledgers (issue 14):
-- the inspections ledger of task 17 (规范考核检查: 专项督查、巡查、随机暗访、
-- 考核, and a village's own 自查), and the policy numbers the report's task
-- sections hold trainings (task 12), inspections (task 17) and typical cases
-- (task 19) against. The seed asks for these "定期", "逐月", "充分挖掘" without a
-- number; the defaults below are the least that reads as done in a month's
-- campaign, and the town changes them like every policy number.
--
-- Conventions as in 004: id 32 hex digits, owner the division code of the store
-- that writes the row, dates YYYY-MM-DD, UTC ISO 8601 times.

-- 督查检查 (task 17). village_code: the village inspected — a village store's own
-- code for what it records (src/model/tables.c fills it), at the town the
-- village named, or NULL for an inspection of the town's units as a whole.
CREATE TABLE inspections (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    inspected_on   TEXT NOT NULL,
    kind           TEXT NOT NULL,          -- code_list inspection_kind
    inspector      TEXT NOT NULL,          -- 检查单位: 镇纪委, 县扶贫办 ...
    village_code   TEXT,                   -- the village inspected, or NULL
    scope          TEXT NOT NULL,          -- what was checked
    problems_found INTEGER NOT NULL DEFAULT 0 CHECK (problems_found >= 0),
    result         TEXT,                   -- what was found and done
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX inspections_village ON inspections(village_code, inspected_on);

INSERT INTO code_list(list, code, label, sort) VALUES
    ('inspection_kind', 'special', '专项督查', 1),
    ('inspection_kind', 'patrol', '巡查', 2),
    ('inspection_kind', 'unannounced', '随机暗访', 3),
    ('inspection_kind', 'assessment', '考核', 4),
    ('inspection_kind', 'self_check', '自查', 5);

INSERT INTO policy(key, value, label, unit) VALUES
    ('trainings_min', 1, '每村（居）统计期间至少举办业务培训次数', '次'),
    ('inspections_min', 1, '每村（居）统计期间至少接受督查检查次数', '次'),
    ('cases_min', 1, '每村（居）统计期间至少总结典型经验条数', '条');
