-- 017_report_scope: the township report's 责任单位台账 and 边缘户 sections
-- read one village's rows from an index (issue 16: the report at 400,000
-- households).
--
-- Built village by village, the units' sheet counted each unit's problems,
-- projects and marginal households' measures over the whole store for every
-- village (its scope, "the whole store at the town's own report, else this
-- village", was an OR no index could serve), and the 边缘户 section read every
-- marginal household of the town for each village: work that grew with the
-- number of villages times the size of the town. With these indexes (and the
-- scope written as a range, src/report/report_units.c) each village's report
-- reads that village's rows only.
CREATE INDEX problems_village_unit ON problems(village_code, responsible_unit);
CREATE INDEX projects_village_unit ON projects(village_code, unit);
CREATE INDEX marginal_households_village ON marginal_households(village_code);
