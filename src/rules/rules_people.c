/*
 * rules_people.c — the members' records themselves: the same ID number
 * registered twice, and ages that cannot be.
 *
 * Duplicates are counted among members present in their household (status
 * present): a person who moved from one registered household to another keeps
 * an old row with status moved_out, and that is history, not a duplicate. In a
 * town store the comparison spans every village, which is where duplicates
 * between villages show up; the finding belongs to the village of the member
 * recorded first, and names every holder of the number.
 *
 * An age is implausible above policy max_plausible_age (whole years on as-of,
 * members present only: a deceased member's age stopped counting), or when the
 * birth date is after the day the record was created. created_at is UTC and the
 * campaign's laptops are in China (UTC+8), so the day of creation is
 * date(created_at, '+8 hours').
 */
#include "rules_internal.h"

const struct rule rule_duplicate_idcard = {
	.id = "duplicate-idcard",
	/* cand: every number held twice by anyone, present or not, from the
	 * members_idcard index alone (in its order: no sort, no table row); only
	 * those are counted among the members present. */
	.sql = "WITH cand AS (SELECT idcard FROM members GROUP BY idcard HAVING count(*) > 1),"
	       " counted AS ("
	       " SELECT c.idcard,"
	       "  (SELECT count(*) FROM members m WHERE m.idcard = c.idcard"
	       "   AND m.status = 'present') AS n,"
	       "  (SELECT count(DISTINCT m.household_id) FROM members m WHERE m.idcard = c.idcard"
	       "   AND m.status = 'present') AS nh"
	       " FROM cand c),"
	       " dup AS (SELECT * FROM counted WHERE n > 1),"
	       " firsts AS ("
	       " SELECT d.*, (SELECT m.id FROM members m WHERE m.idcard = d.idcard"
	       "  AND m.status = 'present' ORDER BY m.created_at, m.id LIMIT 1) AS mid"
	       " FROM dup d)"
	       " SELECT h.village_code, 'members', m.id, m.id, h.id,"
	       " '身份证号 ' || f.idcard || ' 登记在 ' || f.n || ' 个在户成员名下'"
	       " || CASE WHEN f.nh > 1 THEN '（' || f.nh || ' 户）' ELSE '（同一户内）' END || '：'"
	       " || (SELECT group_concat(who, '；') FROM (SELECT CASE WHEN o.relation = 'head'"
	       "   THEN '户主 ' || o.name ELSE '户主 ' || " RULES_HEAD_NAME("o.household_id")
	       "   || ' 家的' || " RULES_LABEL("relation", "o.relation") " || ' ' || o.name END AS who"
	       "  FROM members o WHERE o.idcard = f.idcard AND o.status = 'present'"
	       "  ORDER BY o.created_at, o.id))"
	       " FROM firsts f JOIN members m ON m.id = f.mid"
	       " JOIN households h ON h.id = m.household_id"
	       " WHERE " RULES_IN_SCOPE("h.village_code")
	       " ORDER BY 1, 6, 3",
};

/* The statement of a rule about one member's record: the members m (from,
 * the FROM of m), each in household h, whose household is in scope and that
 * cond (SQL text starting " AND") picks; the message is the person
 * (RULES_PERSON) followed by what (SQL text starting " ||"). */
#define MEMBER_RULE_SQL(from, what, cond)                                                \
	"SELECT h.village_code, 'members', m.id, m.id, h.id, " RULES_PERSON("m", "h") what \
	" FROM " from " JOIN households h ON h.id = m.household_id"                        \
	" WHERE " RULES_IN_SCOPE("h.village_code") cond                                  \
	" ORDER BY 1, 6, 3"

/* Whether a birth date b may make its member older than the limit on as-of:
 * every one that does, and few others, so that the exact age (three
 * strftime) is worked out for those only. A date of the form YYYY-MM-DD is
 * older than max_plausible_age whole years exactly when it is on or before
 * the same month and day (max_plausible_age + 1) years before as-of (a day
 * SQLite rolls over, 02-30, only moves later); any other text, or a year out
 * of 1000..9999, is left to the exact test. */
#define CUT_YEAR "(CAST(substr(:as_of, 1, 4) AS INTEGER) - :policy_max_plausible_age - 1)"
#define MAY_BE_TOO_OLD(b)                                                                   \
	"(" b " NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"                        \
	" OR " CUT_YEAR " NOT BETWEEN 1000 AND 9999"                                            \
	" OR " b " <= printf('%04d', " CUT_YEAR ") || substr(:as_of, 5, 6))"

/* member-too-old. The pass over the members (rules_members.c) hands over the
 * members present whose birth date MAY_BE_TOO_OLD, as JSON [rowid, ...]; the
 * statement decides each exactly, as it did over every member. */
static int find_too_old(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
			struct tz_error *err)
{
	sqlite3_int64 max_age;
	int rc = rules_policy(ctx->s, "max_plausible_age", &max_age, err);
	if (rc == TZ_OK)
		rc = rules_members_read(ctx, err);
	if (rc != TZ_OK)
		return rc;
	const char *json = rules_members_too_old(ctx);
	if (json == NULL) /* the pass could not read the policy this rule just read */
		return tz_error_set(err, TZ_EFAIL, "内部错误：核查规则“%s”读政策参数前后不一致",
				    r->title);
	return rules_run_json(r, json, ctx, out, err);
}

const struct rule rule_member_too_old = {
	.id = "member-too-old",
	.find = find_too_old,
	.sql = MEMBER_RULE_SQL("(SELECT x.*, " RULES_AGE_ON_AS_OF("x.birth_date")
			       " AS age FROM json_each(:json) j CROSS JOIN members x"
			       " ON x.rowid = j.value WHERE x.status = 'present'"
			       " AND " MAY_BE_TOO_OLD("x.birth_date") ") m",
			       " || '出生于 ' || m.birth_date || '，到 ' || :as_of || ' 已 ' || m.age"
			       " || ' 岁，超过可信年龄上限 ' || :policy_max_plausible_age"
			       " || ' 岁：请核对出生日期，或是否已去世'",
			       " AND m.age > :policy_max_plausible_age"),
};

/* member-born-after-record. The pass over the members hands over those whose
 * birth date may be after their record's day (rules_members.c), as JSON
 * [rowid, ...]; the statement decides each exactly. */
static int find_born_late(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
			  struct tz_error *err)
{
	int rc = rules_members_read(ctx, err);
	if (rc != TZ_OK)
		return rc;
	return rules_run_json(r, rules_members_born_late(ctx), ctx, out, err);
}

const struct rule rule_member_born_after_record = {
	.id = "member-born-after-record",
	.find = find_born_late,
	.sql = MEMBER_RULE_SQL("json_each(:json) j CROSS JOIN members m ON m.rowid = j.value",
			       " || '的出生日期 ' || m.birth_date || ' 晚于这条记录建立的日期 '"
			       " || date(m.created_at, '+8 hours') || '：请核对身份证号和出生日期'",
			       " AND m.birth_date > date(m.created_at, '+8 hours')"),
};
