-- 018_rules_lookups: the family-doctor rules answered from an index alone
-- (issue 16: the precision checks at 400,000 households).
--
-- exited-no-family-doctor and poor-no-family-doctor ask, for each household,
-- whether a contract is in force on the as-of date. The rules now look the
-- households up in the order of their ids (src/rules/rules_guarantee.c), so
-- that the lookups walk the index from one end to the other; with the dates in
-- the index they never read the contracts' rows, which lie in the order they
-- were written. The index keeps its name and its first column: every query
-- that looked contracts up by household is served as before.
DROP INDEX family_doctor_household;
CREATE INDEX family_doctor_household ON family_doctor(household_id, signed_on, valid_until);
