-- 010_review: the town's review of what villages report (src/model/review.c),
-- and the town's answers that travel back to a village (src/sync/).
--
-- A dispatched problem reported rectified, and a project applied for (村申请),
-- go through the town's steps 镇初审 (town_review) -> 部门审核 (dept_review) ->
-- 领导组审定 (approved), each passed or sent back with an opinion. Passing
-- 领导组审定 closes (销号) the problem; sending back reopens it (重新整改) or,
-- for a project, marks it 未通过 (rejected). The step codes are those of
-- code_list project_stage.
--
-- Synced: written only at the town (owner = the town's code), captured there
-- and routed to the village named by village_code; a village applies them from
-- the town's bundle (src/sync/README.md, rule A7) and never writes them (A4: a
-- village's row here reaches the town as a proposal, never as a step).

CREATE TABLE reviews (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,           -- the town
    village_code TEXT NOT NULL,
    subject      TEXT NOT NULL CHECK (subject IN ('problem', 'project')),
    subject_id   TEXT NOT NULL,           -- problems.id or projects.id
    step         TEXT NOT NULL CHECK (step IN ('town_review', 'dept_review', 'approved')),
    outcome      TEXT NOT NULL CHECK (outcome IN ('pass', 'return')),
    opinion      TEXT,                    -- required when sent back
    by_user      TEXT NOT NULL,
    on_date      TEXT NOT NULL,           -- YYYY-MM-DD (the program's clock)
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX reviews_subject ON reviews(subject, subject_id);

-- A project's stage follows the town's steps, wherever the step lands: at the
-- town when it is recorded, at the village when the town's bundle brings it.
-- (A row a village wrote itself, owner = its own code, moves nothing.)
CREATE TRIGGER reviews_move_project AFTER INSERT ON reviews
WHEN NEW.subject = 'project' AND NEW.owner <> NEW.village_code
BEGIN
    UPDATE projects
       SET stage = CASE NEW.outcome WHEN 'pass' THEN NEW.step ELSE 'rejected' END,
           stage_on = NEW.on_date, updated_at = NEW.created_at
     WHERE id = NEW.subject_id AND village_code = NEW.village_code;
    INSERT INTO project_stages(id, owner, project_id, stage, on_date, by_user, note,
                               created_at, updated_at)
    SELECT lower(hex(randomblob(16))), NEW.owner, NEW.subject_id,
           CASE NEW.outcome WHEN 'pass' THEN NEW.step ELSE 'rejected' END,
           NEW.on_date, NEW.by_user, NEW.opinion, NEW.created_at, NEW.created_at
     WHERE EXISTS (SELECT 1 FROM projects
                    WHERE id = NEW.subject_id AND village_code = NEW.village_code);
END;

-- The town's answers to a village: a proposal accepted or refused (with the
-- town's note), and a bundle of the village's refused for what it carried
-- (with the reason, and the refused file's hash: the village's export then
-- writes that bundle anew from its corrected data; the town knows the old
-- file when it meets it again: src/sync/refused.c).
CREATE TABLE town_answers (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,           -- the town
    village_code TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('proposal', 'bundle')),
    seq          INTEGER NOT NULL,        -- the village's bundle it answers
    bundle_hash  TEXT,                    -- kind bundle: hex hash of the refused file
    subject      TEXT NOT NULL,           -- what was asked, or the bundle's file name
    decision     TEXT NOT NULL CHECK (decision IN ('accepted', 'refused')),
    note         TEXT,                    -- the town's note or the refusal's reason
    by_user      TEXT NOT NULL,
    at           TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX town_answers_village ON town_answers(village_code, kind);
