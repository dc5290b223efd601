-- 016_county_speed: the "latest record" lookups of the precision checks and
-- the township report read from an index in the order they pick by (issue
-- 16: check and report at 400,000 households).
--
-- A child's latest schooling record on or before a day, and a house's latest
-- assessment, are picked ORDER BY date DESC, created_at DESC, id DESC LIMIT 1
-- (src/rules/rules_guarantee.c RULES_IS_LATEST, src/report/report_people.c
-- members_read). With only the owner's index, every such lookup sorted the
-- owner's rows in a temporary b-tree (opened, filled and cleared again for
-- each member or house). These indexes hold the rows in that order, so the
-- lookup reads the first entry. They replace the owner's index, of which
-- they are an extension.
DROP INDEX IF EXISTS schooling_member;
CREATE INDEX schooling_latest ON schooling(member_id, as_of, created_at, id);

DROP INDEX IF EXISTS housing_household;
CREATE INDEX housing_latest ON housing(household_id, assessed_on, created_at, id);
