-- 002_people: code lists, villager groups, registered households and members.
--
-- Identity and ownership (../shared/DESIGN.md): every synced table has a primary
-- key unique across all villages and devices (id: 32 lowercase hex digits, 128
-- random bits) and an owner (the 12-digit division code of the store that writes
-- the row). Money is kept in 分 (integer cents). Dates are YYYY-MM-DD.

CREATE TABLE code_list (
    list  TEXT NOT NULL,
    code  TEXT NOT NULL,
    label TEXT NOT NULL,          -- Chinese, as shown to the officer
    sort  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (list, code)
) WITHOUT ROWID;

INSERT INTO code_list(list, code, label, sort) VALUES
    ('household_status', 'identified', '新识别', 1),
    ('household_status', 'helped', '帮扶中', 2),
    ('household_status', 'exited', '已脱贫', 3),
    ('household_status', 'monitored', '脱贫监测', 4),
    ('household_status', 'fell_back', '返贫', 5),
    ('relation', 'head', '户主', 1),
    ('relation', 'spouse', '配偶', 2),
    ('relation', 'child', '子女', 3),
    ('relation', 'child_in_law', '儿媳或女婿', 4),
    ('relation', 'grandchild', '孙子女', 5),
    ('relation', 'parent', '父母', 6),
    ('relation', 'grandparent', '祖父母', 7),
    ('relation', 'sibling', '兄弟姐妹', 8),
    ('relation', 'other', '其他', 9),
    ('sex', 'M', '男', 1),
    ('sex', 'F', '女', 2),
    ('health', 'healthy', '健康', 1),
    ('health', 'chronic', '长期慢性病', 2),
    ('health', 'serious', '患有大病', 3),
    ('health', 'disabled', '残疾', 4),
    ('poverty_cause', 'illness', '因病', 1),
    ('poverty_cause', 'disability', '因残', 2),
    ('poverty_cause', 'schooling', '因学', 3),
    ('poverty_cause', 'disaster', '因灾', 4),
    ('poverty_cause', 'no_land', '缺土地', 5),
    ('poverty_cause', 'no_water', '缺水', 6),
    ('poverty_cause', 'no_skill', '缺技术', 7),
    ('poverty_cause', 'no_labour', '缺劳力', 8),
    ('poverty_cause', 'no_capital', '缺资金', 9),
    ('poverty_cause', 'transport', '交通条件落后', 10),
    ('poverty_cause', 'no_drive', '自身发展动力不足', 11),
    ('work_ability', 'ordinary', '普通劳动力', 1),
    ('work_ability', 'skilled', '技能劳动力', 2),
    ('work_ability', 'weak', '弱劳动力或半劳动力', 3),
    ('work_ability', 'lost', '丧失劳动力', 4),
    ('work_ability', 'none', '无劳动力', 5),
    ('schooling', 'illiterate', '文盲或半文盲', 1),
    ('schooling', 'preschool', '学龄前儿童', 2),
    ('schooling', 'primary', '小学', 3),
    ('schooling', 'junior', '初中', 4),
    ('schooling', 'senior', '高中或中专', 5),
    ('schooling', 'college', '大专及以上', 6),
    ('member_status', 'present', '在户', 1),
    ('member_status', 'deceased', '死亡', 2),
    ('member_status', 'moved_out', '迁出', 3),
    ('member_status', 'married_out', '嫁出', 4);

CREATE TABLE villager_groups (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    village_code TEXT NOT NULL,
    name         TEXT NOT NULL,     -- e.g. 张庄组
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (village_code, name)
);

CREATE TABLE households (
    id            TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    village_code  TEXT NOT NULL,
    group_id      TEXT REFERENCES villager_groups(id),
    household_no  TEXT,             -- the national system's household number, if known
    address       TEXT,
    phone         TEXT,
    status        TEXT NOT NULL DEFAULT 'identified',   -- code_list household_status
    poverty_cause TEXT,                                 -- code_list poverty_cause
    income_cents  INTEGER CHECK (income_cents IS NULL OR income_cents >= 0),
                                    -- per-capita net income, 分 per year
    identified_on TEXT,
    exited_on     TEXT,
    note          TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX households_group ON households(group_id);
CREATE INDEX households_status ON households(status);

CREATE TABLE members (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    name         TEXT NOT NULL,
    idcard       TEXT NOT NULL,     -- 18 characters, GB 11643
    relation     TEXT NOT NULL,     -- code_list relation
    sex          TEXT NOT NULL,     -- code_list sex; agrees with idcard
    birth_date   TEXT NOT NULL,     -- agrees with idcard
    health       TEXT,              -- code_list health
    disability   TEXT,              -- kind and grade, free text (e.g. 肢体三级)
    schooling    TEXT,              -- code_list schooling
    work_ability TEXT,              -- code_list work_ability
    phone        TEXT,
    status       TEXT NOT NULL DEFAULT 'present',       -- code_list member_status
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- Covering: the household list's search reads name and ID number of every
-- member from the index alone (bench/search).
CREATE INDEX members_household ON members(household_id, status, relation, name, idcard);
CREATE INDEX members_idcard ON members(idcard);
CREATE INDEX members_name ON members(name);
