-- 004_ledgers: every ledger the campaign keeps (../shared/DOMAIN.md, "What the
-- ledgers hold"), beyond the households and members of 002_people.sql.
--
-- Conventions, as in 002: id TEXT PRIMARY KEY (32 hex digits, random); owner =
-- the division code of the store that writes the row (a village's code, or the
-- town's for town rows such as dispatched problems); created_at / updated_at in
-- UTC ISO 8601; dates YYYY-MM-DD; money in 分; coded columns hold a code_list
-- code; booleans are 0/1. History is kept in its own rows, never overwritten.
-- Validation lives in src/model/ (one rule set for the TUI, the CLI and import);
-- the CHECKs here are only a last line of defence.

-- The villages a store knows: a village store has its own row; the town has all.
CREATE TABLE villages (
    code       TEXT PRIMARY KEY,        -- 12-digit division code
    owner      TEXT NOT NULL,
    name       TEXT NOT NULL,
    town_code  TEXT,
    kind       TEXT NOT NULL DEFAULT 'poor',   -- code_list village_kind
    population INTEGER CHECK (population IS NULL OR population >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Status over time: newly identified -> being helped -> exited -> monitored; or
-- fell back. households.status is the latest of these.
CREATE TABLE household_status_history (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    status       TEXT NOT NULL,         -- code_list household_status
    on_date      TEXT NOT NULL,
    reason       TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX household_status_history_household ON household_status_history(household_id);

-- Births, deaths, marriages, moves: kept as history, members are not overwritten.
CREATE TABLE member_changes (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    member_id    TEXT REFERENCES members(id),
    kind         TEXT NOT NULL,         -- code_list member_change
    on_date      TEXT NOT NULL,
    note         TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX member_changes_household ON member_changes(household_id);

-- 边缘户: not registered, but in real difficulty; helped through 低保 and relief,
-- watched for risk.
CREATE TABLE marginal_households (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    village_code TEXT NOT NULL,
    group_id     TEXT REFERENCES villager_groups(id),
    head_name    TEXT NOT NULL,
    head_idcard  TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 1),
    address      TEXT,
    phone        TEXT,
    income_cents INTEGER CHECK (income_cents IS NULL OR income_cents >= 0),
    difficulty   TEXT,                  -- what the difficulty is
    risk_flags   TEXT,                  -- comma-separated code_list risk_flag codes
    state        TEXT NOT NULL DEFAULT 'watching',   -- code_list marginal_state
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX marginal_households_idcard ON marginal_households(head_idcard);

CREATE TABLE marginal_measures (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    marginal_id TEXT NOT NULL REFERENCES marginal_households(id),
    measure     TEXT NOT NULL,          -- e.g. 纳入低保, 临时救助
    on_date     TEXT NOT NULL,
    amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX marginal_measures_marginal ON marginal_measures(marginal_id);

-- 两评议两公示一比对一公告, as steps in order (code_list procedure_step sort).
CREATE TABLE procedure_steps (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    procedure    TEXT NOT NULL,         -- code_list procedure: identify | exit
    round        INTEGER NOT NULL DEFAULT 1,  -- a household may go through exit twice
    step         TEXT NOT NULL,         -- code_list procedure_step
    on_date      TEXT NOT NULL,         -- the step's date (a notice's first day)
    end_date     TEXT,                  -- a notice's last day
    outcome      TEXT NOT NULL,         -- code_list step_outcome
    signer       TEXT NOT NULL,         -- who signed (逐级签字确认)
    evidence     TEXT,                  -- where the evidence is: minutes, photos ...
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (household_id, procedure, round, step)
);

-- 对象/需求/措施/责任 清单 of a household.
CREATE TABLE four_lists (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    list         TEXT NOT NULL,         -- code_list four_list
    item         TEXT NOT NULL,
    responsible  TEXT,
    due_date     TEXT,
    done_date    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX four_lists_household ON four_lists(household_id);

-- Health (task 5).
CREATE TABLE family_doctor (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    signed_on    TEXT NOT NULL,
    valid_until  TEXT,
    doctor       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX family_doctor_household ON family_doctor(household_id);

CREATE TABLE chronic_illness (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    member_id  TEXT NOT NULL REFERENCES members(id),
    disease    TEXT NOT NULL,
    card_no    TEXT,                    -- 慢病卡号
    since      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX chronic_illness_member ON chronic_illness(member_id);

CREATE TABLE medical_reimbursements (
    id               TEXT PRIMARY KEY,
    owner            TEXT NOT NULL,
    member_id        TEXT NOT NULL REFERENCES members(id),
    on_date          TEXT NOT NULL,
    policy           TEXT,              -- 351, 180, 大病保险 ...
    total_cents      INTEGER NOT NULL CHECK (total_cents >= 0),
    reimbursed_cents INTEGER NOT NULL CHECK (reimbursed_cents >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX medical_reimbursements_member ON medical_reimbursements(member_id);

-- Education (task 6): each school-age child's schooling; 雨露计划.
CREATE TABLE schooling (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    member_id      TEXT NOT NULL REFERENCES members(id),
    stage          TEXT NOT NULL,       -- code_list school_stage
    state          TEXT NOT NULL,       -- code_list school_state
    school         TEXT,
    dropout_reason TEXT,                -- required when state = dropped_out
    as_of          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX schooling_member ON schooling(member_id);

CREATE TABLE yulu_subsidies (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    member_id    TEXT NOT NULL REFERENCES members(id),
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    paid_on      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- Housing (task 7).
CREATE TABLE housing (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    household_id   TEXT NOT NULL REFERENCES households(id),
    rating         TEXT NOT NULL,       -- code_list house_rating
    assessed_on    TEXT NOT NULL,
    renovation     TEXT NOT NULL DEFAULT 'none',   -- code_list renovation
    renovated_on   TEXT,
    subsidy_cents  INTEGER CHECK (subsidy_cents IS NULL OR subsidy_cents >= 0),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX housing_household ON housing(household_id);

-- Industry (task 8), jobs (task 9).
CREATE TABLE industry (
    id            TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    household_id  TEXT NOT NULL REFERENCES households(id),
    kind          TEXT NOT NULL,        -- code_list industry_kind
    description   TEXT NOT NULL,
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    subsidy_cents INTEGER CHECK (subsidy_cents IS NULL OR subsidy_cents >= 0),
    income_cents  INTEGER CHECK (income_cents IS NULL OR income_cents >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX industry_household ON industry(household_id);

CREATE TABLE employment (
    id                   TEXT PRIMARY KEY,
    owner                TEXT NOT NULL,
    member_id            TEXT NOT NULL REFERENCES members(id),
    kind                 TEXT NOT NULL,   -- code_list job_kind
    employer             TEXT,
    start_on             TEXT NOT NULL,
    end_on               TEXT,
    monthly_income_cents INTEGER CHECK (monthly_income_cents IS NULL OR monthly_income_cents >= 0),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX employment_member ON employment(member_id);

-- Finance (task 10): 扶贫小额信贷 (户贷户用户还) and insurance.
CREATE TABLE loans (
    id                     TEXT PRIMARY KEY,
    owner                  TEXT NOT NULL,
    household_id           TEXT NOT NULL REFERENCES households(id),
    bank                   TEXT NOT NULL,
    amount_cents           INTEGER NOT NULL CHECK (amount_cents > 0),
    issued_on              TEXT NOT NULL,
    term_months            INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 120),
    due_on                 TEXT NOT NULL,
    interest_subsidy_cents INTEGER CHECK (interest_subsidy_cents IS NULL OR interest_subsidy_cents >= 0),
    repaid_cents           INTEGER NOT NULL DEFAULT 0 CHECK (repaid_cents >= 0),
    repaid_on              TEXT,
    state                  TEXT NOT NULL DEFAULT 'active',   -- code_list loan_state
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX loans_household ON loans(household_id);

CREATE TABLE insurance (
    id            TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    household_id  TEXT NOT NULL REFERENCES households(id),
    kind          TEXT NOT NULL,        -- code_list insurance_kind
    insurer       TEXT,
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    premium_cents INTEGER CHECK (premium_cents IS NULL OR premium_cents >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Social security (task 11): 低保, 特困, pensions, relief.
CREATE TABLE social_security (
    id                  TEXT PRIMARY KEY,
    owner               TEXT NOT NULL,
    household_id        TEXT NOT NULL REFERENCES households(id),
    member_id           TEXT REFERENCES members(id),
    kind                TEXT NOT NULL,  -- code_list security_kind
    start_on            TEXT NOT NULL,
    end_on              TEXT,
    monthly_cents       INTEGER CHECK (monthly_cents IS NULL OR monthly_cents >= 0),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX social_security_household ON social_security(household_id);

-- Cadres and 双包 (task 14).
CREATE TABLE cadres (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    village_code TEXT NOT NULL,
    name         TEXT NOT NULL,
    unit         TEXT NOT NULL,         -- the cadre's unit (free text: 县林业局 ...)
    role         TEXT NOT NULL,         -- code_list cadre_role
    phone        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE unit_assignments (      -- 单位包村
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    unit         TEXT NOT NULL,
    village_code TEXT NOT NULL,
    since        TEXT NOT NULL,
    until        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE cadre_assignments (     -- 干部包户
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    cadre_id     TEXT NOT NULL REFERENCES cadres(id),
    household_id TEXT NOT NULL REFERENCES households(id),
    since        TEXT NOT NULL,
    until        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX cadre_assignments_cadre ON cadre_assignments(cadre_id);
CREATE INDEX cadre_assignments_household ON cadre_assignments(household_id);

-- Visits with the 六个认真 checklist.
CREATE TABLE visits (
    id                 TEXT PRIMARY KEY,
    owner              TEXT NOT NULL,
    cadre_id           TEXT NOT NULL REFERENCES cadres(id),
    household_id       TEXT NOT NULL REFERENCES households(id),
    visited_on         TEXT NOT NULL,
    collect_info       INTEGER NOT NULL DEFAULT 0 CHECK (collect_info IN (0, 1)),
    check_documents    INTEGER NOT NULL DEFAULT 0 CHECK (check_documents IN (0, 1)),
    explain_policy     INTEGER NOT NULL DEFAULT 0 CHECK (explain_policy IN (0, 1)),
    carry_out_measures INTEGER NOT NULL DEFAULT 0 CHECK (carry_out_measures IN (0, 1)),
    hear_opinions      INTEGER NOT NULL DEFAULT 0 CHECK (hear_opinions IN (0, 1)),
    solve_difficulties INTEGER NOT NULL DEFAULT 0 CHECK (solve_difficulties IN (0, 1)),
    notes              TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX visits_household ON visits(household_id, visited_on);
CREATE INDEX visits_cadre ON visits(cadre_id, visited_on);

-- Staffing of the 扶贫工作室 (task 13).
CREATE TABLE staff (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    village_code TEXT NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,         -- code_list staff_role
    full_time    INTEGER NOT NULL DEFAULT 1 CHECK (full_time IN (0, 1)),
    phone        TEXT,
    since        TEXT NOT NULL,
    until        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- Business leaders and training bases (task 9).
CREATE TABLE business_leaders (
    id               TEXT PRIMARY KEY,
    owner            TEXT NOT NULL,
    village_code     TEXT NOT NULL,
    name             TEXT NOT NULL,
    idcard           TEXT NOT NULL,
    phone            TEXT,
    industry         TEXT NOT NULL,
    trained          INTEGER NOT NULL DEFAULT 0 CHECK (trained IN (0, 1)),
    in_national_system INTEGER NOT NULL DEFAULT 0 CHECK (in_national_system IN (0, 1)),
    poor_employed    INTEGER NOT NULL DEFAULT 0 CHECK (poor_employed >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE training_bases (
    id             TEXT PRIMARY KEY,
    owner          TEXT NOT NULL,
    village_code   TEXT NOT NULL,
    name           TEXT NOT NULL,
    industry       TEXT NOT NULL,
    address        TEXT,
    established_on TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Training events (task 12), typical cases (task 19).
CREATE TABLE trainings (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,         -- code_list training_kind
    organiser    TEXT,
    participants INTEGER NOT NULL CHECK (participants >= 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE typical_cases (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    kind        TEXT NOT NULL,          -- code_list case_kind
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    recorded_on TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Complaints (信访) and leads (问题线索), task 18: 有报必查.
CREATE TABLE complaints (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    kind        TEXT NOT NULL,          -- code_list complaint_kind
    received_on TEXT NOT NULL,
    source      TEXT,
    summary     TEXT NOT NULL,
    handler     TEXT,
    state       TEXT NOT NULL DEFAULT 'received',   -- code_list complaint_state
    result      TEXT,
    closed_on   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Project library (task 8, funds task 3): 村申请 -> 镇初审 -> 部门审核 -> 领导组审定.
CREATE TABLE projects (
    id                 TEXT PRIMARY KEY,
    owner              TEXT NOT NULL,
    village_code       TEXT NOT NULL,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,   -- code_list project_kind
    year               INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    funds_cents        INTEGER NOT NULL CHECK (funds_cents >= 0),
    funds_source       TEXT,
    performance_target TEXT NOT NULL,
    stage              TEXT NOT NULL DEFAULT 'applied',  -- code_list project_stage
    stage_on           TEXT,            -- when it entered its current stage
    evaluation         TEXT,            -- 事后绩效评价
    evaluated_on       TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE TABLE project_stages (        -- every stage move, by whom
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    stage      TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX project_stages_project ON project_stages(project_id);

CREATE TABLE project_monitoring (    -- 绩效执行监控
    id                TEXT PRIMARY KEY,
    owner             TEXT NOT NULL,
    project_id        TEXT NOT NULL REFERENCES projects(id),
    on_date           TEXT NOT NULL,
    progress_percent  INTEGER NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
    spent_cents       INTEGER NOT NULL CHECK (spent_cents >= 0),
    note              TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX project_monitoring_project ON project_monitoring(project_id);

-- The problem ledger (四、工作要求): open -> rectifying -> rectified -> closed (销号),
-- or reopened. problem_events keeps every move; problems.state is the latest.
CREATE TABLE problems (
    id                 TEXT PRIMARY KEY,
    owner              TEXT NOT NULL,   -- the village, or the town for 派单
    village_code       TEXT NOT NULL,
    area               INTEGER NOT NULL REFERENCES problem_areas(area),
    task               INTEGER NOT NULL REFERENCES tasks(task),
    title              TEXT NOT NULL,
    description        TEXT,
    source             TEXT NOT NULL,   -- code_list problem_source
    finding_rule       TEXT,            -- the precision check that found it
    finding_ref        TEXT,            -- the record it points at
    household_id       TEXT REFERENCES households(id),
    responsible_unit   TEXT NOT NULL,
    responsible_person TEXT NOT NULL,
    deadline           TEXT NOT NULL,
    measures           TEXT,
    evidence           TEXT,
    state              TEXT NOT NULL DEFAULT 'open',   -- code_list problem_state
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX problems_state ON problems(state, deadline);
CREATE UNIQUE INDEX problems_finding ON problems(finding_rule, finding_ref)
    WHERE finding_rule IS NOT NULL AND state <> 'closed';

CREATE TABLE problem_events (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,           -- the side that made the move
    problem_id TEXT NOT NULL REFERENCES problems(id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    at         TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX problem_events_problem ON problem_events(problem_id);

-- Rosters from other departments (task 11): the civil-affairs 低保 roster.
CREATE TABLE roster_imports (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('dibao')),
    file_name   TEXT NOT NULL,
    encoding    TEXT NOT NULL,          -- UTF-8, UTF-8 (BOM), GB18030
    rows        INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE dibao_roster (
    id            TEXT PRIMARY KEY,
    owner         TEXT NOT NULL,
    import_id     TEXT NOT NULL REFERENCES roster_imports(id),
    line          INTEGER NOT NULL,     -- line in the imported file
    village       TEXT,
    head_name     TEXT NOT NULL,
    head_idcard   TEXT NOT NULL,
    name          TEXT NOT NULL,        -- the person on this row
    idcard        TEXT NOT NULL,
    relation      TEXT,
    size          INTEGER,
    monthly_cents INTEGER CHECK (monthly_cents IS NULL OR monthly_cents >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX dibao_roster_idcard ON dibao_roster(idcard);
CREATE INDEX dibao_roster_head ON dibao_roster(head_idcard);
