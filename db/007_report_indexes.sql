-- 007_report_indexes: indexes for the reports and the precision checks
-- (src/report/, src/rules/), which a town store runs over 30 villages' rows.
-- Indexes only: the tables, and so what sync captures, are those of 002..006.

-- A village's households in a town store, which holds every village's.
CREATE INDEX households_village ON households(village_code);

-- A 低保 import's rows, with what the comparison's counts read of them (the
-- last import of a village), from the index alone.
CREATE INDEX dibao_roster_import
    ON dibao_roster(import_id, head_idcard, head_name, village, idcard);

-- Every step of a household's procedures with its dates and outcome, in their
-- order, from the index alone: the rules procedure-step-missing and -order
-- (one pass over every step), procedure-notice-short (the table is read for the
-- notices too short only), and the report's procedure figures.
CREATE INDEX procedure_steps_dates
    ON procedure_steps(household_id, procedure, round, step, on_date, outcome, end_date);

-- The visits of one household by one cadre in a month, counted from the index
-- alone: the report's visits per cadre and month, rule cadre-missed-visit.
CREATE INDEX visits_assignment ON visits(household_id, cadre_id, visited_on);

-- A household's status records in their order, with the status: its status on
-- a day (the report's households by status) and the record before a change
-- (its status changes), from the index alone.
CREATE INDEX household_status_history_dates
    ON household_status_history(household_id, on_date, created_at, id, status);
