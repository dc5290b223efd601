-- 019_social_security_lookups: whether a household is on 低保 on a day,
-- answered from an index alone (issue 16: the township report at 400,000
-- households).
--
-- The 低保 comparison (src/roster/roster_counts.c, LEDGER_DIBAO_SQL) and the
-- report's 低保 figure ask, for every registered household, whether it has a
-- social-security entry of kind dibao running on a day. With the household
-- alone in the index each question read the entries' rows, which lie in the
-- order they were written: at a county's store (5 GB) a page read and
-- decrypted for nearly every household. With the kind and the dates in the
-- index the rows are never read. The index keeps its name and its first
-- column: every query that looked entries up by household is served as before.
DROP INDEX social_security_household;
CREATE INDEX social_security_household
    ON social_security(household_id, kind, start_on, end_on);
