/*
 * rules_guarantee.c — "两不愁三保障" and the income line: of exited households,
 * whether they still meet the exit standard, and of every registered household
 * still poor, whether the policies reach it.
 *
 * A household that has exited (status exited, or monitored after exit) must
 * still meet "两不愁三保障" and the income line: no child out of school, a safe
 * house, the family-doctor contract every registered household should have, and
 * a per-capita income at or above policy income_line_cents. Households still
 * poor (status identified, helped, fell_back) are checked for the same
 * guarantees (family doctor, children in school, house), with the same
 * statements: a poor household's failing guarantee is a policy not delivered
 * (area 七), an exited household's an exit that was not accurate (area 一), and
 * each is its own problem. Each failure is one finding, since each goes to a
 * different lead unit (中心校, 危改办, 卫生院, the village). Drinking water and
 * medical insurance had no exit rule; they are checked for every registered
 * household whatever its status.
 *
 * "Latest" means the latest record dated on or before as-of (schooling.as_of,
 * housing.assessed_on), ties broken by creation: a child's history of schooling
 * rows is kept, and only the newest says whether they are in school now.
 *
 * Children in school: an exited household's member present whose latest
 * schooling record says dropped out; a poor household's member present whose
 * age on as-of (whole years) is between policy school_age_min and
 * school_age_max, and whose latest record says dropped out or not enrolled. A
 * child with no schooling record at all is not reported (the education office
 * keeps that list); one record saying so is.
 *
 * Drinking water: the latest house assessment on or before as-of that looked at
 * the water (housing.drinking_water not NULL, db/011_rules.sql) says unsafe.
 *
 * Medical insurance: no insurance row of kind basic_medical (城乡居民基本医疗
 * 保险) for the year of as-of.
 *
 * Each rule names the guarantee it checks (rule->guarantee, in
 * data/rules.ini): the monitoring view (rules_watch.c) lists them per
 * household.
 */
#include "rules_internal.h"

#define EXITED_IN_SCOPE RULES_EXITED_STATUS("h") " AND " RULES_IN_SCOPE("h.village_code")
#define POOR_IN_SCOPE RULES_POOR_STATUS("h") " AND " RULES_IN_SCOPE("h.village_code")
#define ANY_IN_SCOPE RULES_IN_SCOPE("h.village_code")

/* Whether the row alias (of table, owned by its column owner, dated by its
 * column date) is the owner's latest row dated on or before as-of, ties broken
 * by creation; cond (SQL text starting " AND", or "") narrows the rows that
 * count. A child's schooling rows and a house's assessments are kept as
 * history, and only the newest says how things stand now. */
#define RULES_IS_LATEST(alias, table, owner, date, cond) \
	alias ".id = (SELECT x.id FROM " table " x" \
	"  WHERE x." owner " = " alias "." owner " AND x." date " <= :as_of" cond \
	"  ORDER BY x." date " DESC, x.created_at DESC, x.id DESC LIMIT 1)"

/* ---- the statements the rules of exited households and of poor ones
 * share. Each takes the condition on households h that picks its households
 * (with the scope), and who: the SQL text expression that starts its
 * message. ---- */

/* The households h, each looked at in the order of their ids (hx, the
 * primary key's index alone), for a rule whose test is a lookup by household
 * id in a child table's index (NOT EXISTS ... hx.id): the lookups then walk
 * that index from one end to the other instead of jumping about it, and the
 * household's row is read only for those the test keeps. At a county (5 GB)
 * the random lookups, each a page or more to find and decrypt, were most of
 * such a rule. */
#define HOUSEHOLDS_BY_ID " FROM households hx CROSS JOIN households h ON h.rowid = hx.rowid"

/* No family-doctor contract in force on as-of (db/018's index answers the
 * test from the index alone). */
#define RULES_NO_FAMILY_DOCTOR_SQL(where, who) \
	"SELECT h.village_code, 'households', h.id, h.id, h.id, " who \
	" || '没有有效的家庭医生签约'" \
	" || COALESCE('（最近一次签约已于 ' || (SELECT max(f.valid_until) FROM family_doctor f" \
	"  WHERE f.household_id = h.id AND f.signed_on <= :as_of) || ' 到期）', '')" \
	HOUSEHOLDS_BY_ID \
	" WHERE NOT EXISTS (SELECT 1 FROM family_doctor f WHERE f.household_id = hx.id" \
	"  AND f.signed_on <= :as_of AND (f.valid_until IS NULL OR f.valid_until >= :as_of))" \
	" AND " where \
	" ORDER BY 1, 6, 3"

/* A member present whose latest schooling record on or before as-of has one
 * of states (SQL list: "'dropped_out'"), in a household picked by where (m
 * the member, with m.age in whole years on as-of; h the household). The
 * message is what (m, h and the record sc), the dropout reason when one was
 * given, then after (SQL text starting " ||", or ""). From the few records out
 * of school (cand) to their members and households, each kept when it is its
 * member's latest: the same pairs as from every member of every household to
 * their latest record, without looking up the records of every member. */
#define RULES_OUT_OF_SCHOOL_SQL(states, where, what, after) \
	"WITH cand AS MATERIALIZED (SELECT id, member_id, state, dropout_reason FROM schooling" \
	"  WHERE state IN (" states ") AND as_of <= :as_of)" \
	" SELECT h.village_code, 'members', m.id, m.id, h.id, " what \
	" || COALESCE('（原因：' || NULLIF(trim(sc.dropout_reason), '') || '）', '')" after \
	" FROM cand sc" \
	" CROSS JOIN (SELECT x.*, " RULES_AGE_ON_AS_OF("x.birth_date") " AS age FROM members x" \
	"  WHERE x.status = 'present') m ON m.id = sc.member_id" \
	" CROSS JOIN households h ON h.id = m.household_id" \
	" WHERE " where \
	" AND " RULES_IS_LATEST("sc", "schooling", "member_id", "as_of", "") \
	" ORDER BY 1, 6, 3"

/* The latest house assessment on or before as-of is C or D, not renovated.
 * From the unsafe, unrenovated assessments (cand) to their households, each
 * kept when it is the household's latest. */
#define RULES_UNSAFE_HOUSE_SQL(where, who) \
	"WITH cand AS MATERIALIZED (SELECT id, household_id, rating, assessed_on, renovation" \
	"  FROM housing WHERE rating IN ('C', 'D') AND renovation <> 'done'" \
	"  AND assessed_on <= :as_of)" \
	" SELECT h.village_code, 'housing', hs.id, h.id, h.id, " who \
	" || '住房鉴定为 ' || " RULES_LABEL("house_rating", "hs.rating") \
	" || '（' || hs.assessed_on || ' 鉴定），危房改造未完成（现为“' || " \
	RULES_LABEL("renovation", "hs.renovation") " || '”）'" \
	" FROM cand hs CROSS JOIN households h ON h.id = hs.household_id" \
	" WHERE " where \
	" AND " RULES_IS_LATEST("hs", "housing", "household_id", "assessed_on", "") \
	" ORDER BY 1, 6, 3"

const struct rule rule_exited_dropout_child = {
	.id = "exited-dropout-child",
	.sql = RULES_OUT_OF_SCHOOL_SQL("'dropped_out'", EXITED_IN_SCOPE,
				       RULES_HEAD("h.id") " || " RULES_EXITED("h") " || '，但家中' || "
				       RULES_LABEL("relation", "m.relation") " || ' ' || m.name || ' 辍学'",
				       ""),
};

const struct rule rule_poor_child_out_of_school = {
	.id = "poor-child-out-of-school",
	.sql = RULES_OUT_OF_SCHOOL_SQL(
		"'dropped_out', 'not_enrolled'",
		POOR_IN_SCOPE " AND m.age BETWEEN :policy_school_age_min AND :policy_school_age_max",
		RULES_WHO("h") " || '家的' || " RULES_LABEL("relation", "m.relation")
		" || ' ' || m.name || '（' || m.age || ' 岁）' || "
		RULES_LABEL("school_state", "sc.state"),
		" || '，义务教育阶段应在校'"),
};

/* The start of an exited household's message: "户主 张三（…）已脱贫，但". */
#define EXITED_WHO RULES_HEAD("h.id") " || " RULES_EXITED("h") " || '，但'"

/* The twin rules of one guarantee, checked with one statement(where, who)
 * (RULES_NO_FAMILY_DOCTOR_SQL, RULES_UNSAFE_HOUSE_SQL): rule_exited_NAME
 * ("exited-SLUG"), of the exited households, and rule_poor_NAME ("poor-SLUG"),
 * of those still poor (their titles, areas and the guarantee: data/rules.ini). */
#define GUARANTEE_TWINS(name, slug, statement)                                  \
	const struct rule rule_exited_##name = {                                \
		.id = "exited-" slug,                                           \
		.sql = statement(EXITED_IN_SCOPE, EXITED_WHO),                  \
	};                                                                      \
	const struct rule rule_poor_##name = {                                  \
		.id = "poor-" slug,                                             \
		.sql = statement(POOR_IN_SCOPE, RULES_WHO("h")),                \
	}

GUARANTEE_TWINS(unsafe_house, "unsafe-house", RULES_UNSAFE_HOUSE_SQL);

GUARANTEE_TWINS(no_family_doctor, "no-family-doctor", RULES_NO_FAMILY_DOCTOR_SQL);

const struct rule rule_exited_low_income = {
	.id = "exited-low-income",
	.sql = "SELECT h.village_code, 'households', h.id, h.id, h.id, " RULES_HEAD("h.id")
	       " || " RULES_EXITED("h") " || '，但人均纯收入 ' || " RULES_YUAN("h.income_cents")
	       " || ' 元，低于脱贫标准 ' || " RULES_YUAN(":policy_income_line_cents") " || ' 元'"
	       " FROM households h"
	       " WHERE " EXITED_IN_SCOPE " AND h.income_cents < :policy_income_line_cents"
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_household_unsafe_water = {
	.id = "household-unsafe-water",
	.sql = "WITH cand AS MATERIALIZED (SELECT id, household_id, assessed_on FROM housing"
	       "  WHERE drinking_water = 'unsafe' AND assessed_on <= :as_of)"
	       " SELECT h.village_code, 'housing', hs.id, h.id, h.id, " RULES_WHO("h")
	       " || '饮水不安全（' || hs.assessed_on || ' 鉴定）'"
	       " FROM cand hs CROSS JOIN households h ON h.id = hs.household_id"
	       " WHERE " ANY_IN_SCOPE
	       " AND " RULES_IS_LATEST("hs", "housing", "household_id", "assessed_on",
				       " AND x.drinking_water IS NOT NULL")
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_household_no_medical_insurance = {
	.id = "household-no-medical-insurance",
	.sql = "SELECT h.village_code, 'households', h.id, h.id || '/' || substr(:as_of, 1, 4), h.id, "
	       RULES_WHO("h") " || '没有参加 ' || substr(:as_of, 1, 4)"
	       " || ' 年度城乡居民基本医疗保险（保险台账中没有这一年的登记）'"
	       HOUSEHOLDS_BY_ID
	       " WHERE NOT EXISTS (SELECT 1 FROM insurance i WHERE i.household_id = hx.id"
	       "  AND i.kind = 'basic_medical' AND i.year = CAST(substr(:as_of, 1, 4) AS INTEGER))"
	       " AND " ANY_IN_SCOPE
	       " ORDER BY 1, 6, 3",
};
