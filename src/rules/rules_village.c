/*
 * rules_village.c — what every village must have (tasks 9 and 13): business
 * leaders in a poor village, a training base in every village, and a 扶贫工作室
 * with the right number of full-time staff.
 *
 * The villages checked are those in scope (RULES_SCOPE_CTE): a town store's
 * villages table, or a village store's own village. Whether a village is poor
 * is villages.kind; a village store that has no row of its own in villages does
 * not know, and the business-leader rule says nothing about it.
 *
 * Staff counted: full time, role other than director (the director is a village
 * committee member heading the office, not one of the 2-5 staff), in post on
 * as-of (since on or before it, until empty or after it).
 */
#include "rules_internal.h"

/* The start of a rule about counts per village: the villages in scope (those
 * that match where, an SQL clause or ""), each with n, the count of the rows
 * that from_where (the FROM and WHERE of a count(*), sc being the village)
 * finds, as "counted"; then the finding's columns up to its message, which
 * the rule goes on with, with FROM counted and its condition on n. */
#define PER_VILLAGE(from_where, where)                                                  \
	"WITH " RULES_SCOPE_CTE ","                                                     \
	" counted AS (SELECT sc.*, (SELECT count(*) " from_where ") AS n"                \
	" FROM scope sc" where ")"                                                      \
	" SELECT code, 'villages', code, code, NULL,"

const struct rule rule_poor_village_few_leaders = {
	.id = "poor-village-few-leaders",
	.sql = PER_VILLAGE("FROM business_leaders b WHERE b.village_code = sc.code",
			   " WHERE sc.kind = 'poor'")
	       " '贫困村 ' || name || ' 登记的创业致富带头人' || CASE WHEN n = 0 THEN '一名也没有'"
	       "  ELSE '只有 ' || n || ' 名' END || '，应不少于 ' || :policy_leaders_per_poor_village"
	       " || ' 名'"
	       " FROM counted WHERE n < :policy_leaders_per_poor_village"
	       " ORDER BY 1",
};

const struct rule rule_village_few_bases = {
	.id = "village-few-bases",
	.sql = PER_VILLAGE("FROM training_bases b"
			   " WHERE b.village_code = sc.code AND b.established_on <= :as_of", "")
	       " name || CASE WHEN n = 0 THEN ' 还没有致富带头人培训基地'"
	       "  ELSE ' 的致富带头人培训基地只有 ' || n || ' 个' END"
	       " || '，每村应至少 ' || :policy_bases_per_village || ' 个'"
	       " FROM counted WHERE n < :policy_bases_per_village"
	       " ORDER BY 1",
};

const struct rule rule_staff_out_of_range = {
	.id = "staff-out-of-range",
	.sql = PER_VILLAGE("FROM staff st"
			   " WHERE st.village_code = sc.code AND st.full_time = 1 AND st.role <> 'director'"
			   " AND st.since <= :as_of AND (st.until IS NULL OR st.until > :as_of)", "")
	       " name || ' 扶贫工作室在岗专职工作人员（不含主任）' || CASE"
	       "  WHEN n = 0 THEN '一名也没有，应有 ' || :policy_staff_min || ' 到 '"
	       "   || :policy_staff_max || ' 名'"
	       "  WHEN n < :policy_staff_min THEN '只有 ' || n || ' 名，少于规定的 '"
	       "   || :policy_staff_min || ' 名'"
	       "  ELSE '有 ' || n || ' 名，多于规定的 ' || :policy_staff_max || ' 名' END"
	       " FROM counted WHERE n < :policy_staff_min OR n > :policy_staff_max"
	       " ORDER BY 1",
};
