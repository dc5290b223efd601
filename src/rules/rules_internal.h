/*
 * rules_internal.h — what the files of src/rules/ share and nobody else sees:
 * the run context, the rule objects the table in rules.c lists, and SQL
 * fragments the rules' statements are built from.
 *
 * Every rule statement returns six columns, in this order:
 *   village, table, row_id, ref, household_id (or NULL), detail
 * and may use the parameters :village, :as_of and :policy_KEY
 * (see rules_find_sql in rules.h), :json (struct rules_ctx) and :members
 * (RULES_HEAD).
 */
#ifndef TAIZHANG_RULES_INTERNAL_H
#define TAIZHANG_RULES_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "taizhang/bytes.h"
#include "taizhang/date.h"
#include "taizhang/rules.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

struct rules_ctx {
	struct store *s;
	const char *village;           /* the store's code; NULL for a town store */
	char as_of[DATE_NCHARS + 1];   /* YYYY-MM-DD */
	/* Bound as :json (NULL: SQL NULL): what a rule's own find worked out in C
	 * for its statement to describe (rules_procedure.c). */
	const char *json;
	/* The procedure steps as two rules read them, read once by the first
	 * (rules_procedure.c); rules_check frees them. */
	struct rules_steps *steps;
	/* The members as the rules read them, read once (rules_members.c);
	 * rules_check frees them. */
	struct rules_members *members;
	/* cadre-missed-visit's pass over the visits, made once by the rule or
	 * beforehand (rules_visits_missed.c); rules_check frees it. */
	struct rules_visits_missed *visits_missed;
};

void rules_steps_free(struct rules_ctx *ctx);

/* Make cadre-missed-visit's pass over the visits unless it is made
 * (ctx->visits_missed), and free it (rules_visits_missed.c). */
int rules_visits_missed_read(struct rules_ctx *ctx, struct tz_error *err);
void rules_visits_missed_free(struct rules_ctx *ctx);

/* Read the procedure steps unless they are read (ctx->steps); whether rule r
 * reads them (rules_procedure.c). */
int rules_steps_read(struct rules_ctx *ctx, struct tz_error *err);
int rules_reads_steps(const struct rule *r);

/* Run rule r on ctx, its findings appended to out with their area, task and
 * unit (rules.c); an error is prefixed with the rule's title. */
int rules_run_one(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
		  struct tz_error *err);

/* Run rules[0..n) on ctx's store and on a second connection to it at once,
 * each rule's findings handed on in order as rules_check hands them
 * (rules_threads.c). *ran 0 (and TZ_OK) when it did not run them: one core,
 * changes of ctx's own pending, or no second connection to be had; the
 * caller then runs them itself. */
int rules_check_threads(struct rules_ctx *ctx, const struct rule *const *rules, size_t n,
			const struct rules_options *o, struct findings *out, int *ran,
			struct tz_error *err);

/* ---- rules_members.c: one pass over the members ---- */

/* The type of the pointer bound as :members (sqlite3_bind_pointer). */
#define RULES_MEMBERS_POINTER "taizhang_rules_members"

/* Register tz_rules_head and tz_rules_head_name on db, unless they are (an
 * SQLite status). */
int rules_members_functions(sqlite3 *db);

/* Make the pass over the members unless it is made (ctx->members). */
int rules_members_read(struct rules_ctx *ctx, struct tz_error *err);
void rules_members_free(struct rules_ctx *ctx);

/* member-born-after-record's candidates, as a JSON array of members' rowids. */
const char *rules_members_born_late(const struct rules_ctx *ctx);

/* member-too-old's candidates (MAY_BE_TOO_OLD, rules_people.c), as a JSON
 * array of members' rowids; NULL when the pass found no policy
 * max_plausible_age. */
const char *rules_members_too_old(const struct rules_ctx *ctx);

/* The value of policy key into *value. TZ_EFAIL (saying so) when the policy
 * table lacks it: never a default. */
int rules_policy(struct store *s, const char *key, sqlite3_int64 *value, struct tz_error *err);

/* Run sql as rules_find_sql runs r->sql (the same parameters, and :json), and
 * turn its rows into findings of r. */
int rules_run_sql(const struct rule *r, const char *sql, struct rules_ctx *ctx,
		  struct findings *out, struct tz_error *err);

/* Run r->sql as rules_find_sql does, with :json bound to json (what r's own
 * find worked out in C for it to describe); ctx->json is NULL again after. */
int rules_run_json(const struct rule *r, const char *json, struct rules_ctx *ctx,
		   struct findings *out, struct tz_error *err);


/* ---- SQL fragments ---- */

/* Whether a row's village column is in the store's scope. */
#define RULES_IN_SCOPE(col) "(:village IS NULL OR " col " = :village)"

/* The Chinese label of a code (the code itself if the list lacks it). */
#define RULES_LABEL(list, code) \
	"COALESCE((SELECT cl.label FROM code_list cl WHERE cl.list = '" list "'" \
	" AND cl.code = " code "), " code ")"

/* "户主 张三（341522...）" for household id expression hid, worked out by a
 * lookup: the head present first, then the first recorded. */
#define RULES_HEAD_LOOKUP(hid) \
	"COALESCE((SELECT '户主 ' || hm.name || '（' || hm.idcard || '）' FROM members hm" \
	" WHERE hm.household_id = " hid " AND hm.relation = 'head'" \
	" ORDER BY hm.status <> 'present', hm.created_at, hm.id LIMIT 1)," \
	" '户编号 ' || " hid " || ' 的住户（未登记户主）')"

/* The same in a rule's statement: from the pass over the members when it
 * knows (rules_members.c), else by the lookup. */
#define RULES_HEAD(hid) "COALESCE(tz_rules_head(" hid ", :members), " RULES_HEAD_LOOKUP(hid) ")"

/* Just the head's name ("张三"), for lists (in a rule's statement). */
#define RULES_HEAD_NAME(hid) \
	"COALESCE(tz_rules_head_name(" hid ", :members)," \
	" (SELECT hm.name FROM members hm WHERE hm.household_id = " hid \
	" AND hm.relation = 'head' ORDER BY hm.status <> 'present', hm.created_at, hm.id" \
	" LIMIT 1), '（未登记户主）')"

/* A member m of household h: "户主 张三（…）" or "户主 张三（…）家的子女 张小明（…）". */
#define RULES_PERSON(m, h) \
	"CASE WHEN " m ".relation = 'head' THEN '户主 ' || " m ".name || '（' || " m ".idcard" \
	" || '）' ELSE " RULES_HEAD(h ".id") " || '家的' || " \
	RULES_LABEL("relation", m ".relation") " || ' ' || " m ".name || '（' || " m ".idcard" \
	" || '）' END"

/* Whole years from birth (a date expression) to as-of. */
#define RULES_AGE_ON_AS_OF(birth) \
	"(CAST(strftime('%Y', :as_of) AS INTEGER) - CAST(strftime('%Y', " birth ") AS INTEGER)" \
	" - (strftime('%m-%d', :as_of) < strftime('%m-%d', " birth ")))"

/* An amount of 分 as 元: 3700, 3070.87, -0.50 (tz_yuan_short, src/store/store.c). */
#define RULES_YUAN(x) "tz_yuan_short(" x ")"

/* "已脱贫" / "已脱贫（脱贫监测户）" for household alias h. */
#define RULES_EXITED(h) \
	"CASE " h ".status WHEN 'monitored' THEN '已脱贫（脱贫监测户）' ELSE '已脱贫' END"

/* "已脱贫户 户主 张三（…）", "贫困户（帮扶中）户主 张三（…）" for household alias
 * h: every registered household by its status. */
#define RULES_WHO(h) \
	"CASE " h ".status WHEN 'exited' THEN '已脱贫户 ' WHEN 'monitored' THEN '脱贫监测户 '" \
	" WHEN 'fell_back' THEN '返贫户 ' ELSE '贫困户（' || " \
	RULES_LABEL("household_status", h ".status") " || '）' END || " RULES_HEAD(h ".id")

/* Whether household alias h has exited (exited, or monitored after exit), or
 * is still poor (every other status: identified, helped, fell_back). */
#define RULES_EXITED_STATUS(h) h ".status IN ('exited', 'monitored')"
#define RULES_POOR_STATUS(h) h ".status IN ('identified', 'helped', 'fell_back')"

/* Visits (task 14): after a CTE months(.., start, next, last) of calendar
 * months (first day, first day of the next, last day), the CTE due of every
 * cadre assignment of a household in scope and every month it covers whole,
 * with the visits n the cadre made to the household in that month. Shared by
 * cadre-missed-visit (rules_visits_missed.c) and rules_visit_compliance
 * (rules_visits.c). */
#define RULES_VISITS_DUE_CTE \
	"due AS (" \
	" SELECT a.id AS aid, a.cadre_id, h.id AS hid, h.village_code AS village, sp.start," \
	"  (SELECT count(*) FROM visits v WHERE v.cadre_id = a.cadre_id" \
	"   AND v.household_id = a.household_id AND v.visited_on >= sp.start" \
	"   AND v.visited_on < sp.next) AS n" \
	" FROM cadre_assignments a" \
	" JOIN households h ON h.id = a.household_id AND " RULES_IN_SCOPE("h.village_code") \
	" JOIN months sp ON a.since <= sp.start AND (a.until IS NULL OR a.until >= sp.last))"

/* The villages in scope, as a CTE named scope(code, name, kind): a town store's
 * villages table; a village store's own row there, or, when it has none, its
 * code and name from store_meta with an unknown kind. */
#define RULES_SCOPE_CTE \
	"scope(code, name, kind) AS (" \
	" SELECT v.code, v.name, v.kind FROM villages v" \
	" WHERE :village IS NULL OR v.code = :village" \
	" UNION ALL SELECT :village, COALESCE((SELECT value FROM store_meta" \
	" WHERE key = 'name'), :village), NULL" \
	" WHERE :village IS NOT NULL AND NOT EXISTS (SELECT 1 FROM villages" \
	" WHERE code = :village))"

/* ---- the rules, by file ----
 * Each is a rule's logic: its id, flags, and its statement (sql) or function
 * (find). Its title, description, area, task, unit and guarantee are its
 * section of data/rules.ini, which rules.c joins to it by id: only the joined
 * rules (rules_all, rules_find) leave rules.c, and these are never read
 * elsewhere. */

/* rules_guarantee.c: 两不愁三保障 and the income line, of exited households
 * (the exit standard) and of those still poor, and the two guarantees checked
 * for every registered household. */
extern const struct rule rule_exited_dropout_child, rule_exited_unsafe_house,
	rule_exited_no_family_doctor, rule_exited_low_income, rule_poor_no_family_doctor, rule_poor_child_out_of_school,
	rule_poor_unsafe_house, rule_household_unsafe_water, rule_household_no_medical_insurance;
/* rules_procedure.c: 两评议两公示一比对一公告. */
extern const struct rule rule_procedure_step_missing, rule_procedure_step_order,
	rule_procedure_notice_short;
/* rules_people.c: the members' records themselves. */
extern const struct rule rule_duplicate_idcard, rule_member_too_old,
	rule_member_born_after_record;
/* rules_village.c: what every village must have. */
extern const struct rule rule_poor_village_few_leaders, rule_village_few_bases,
	rule_staff_out_of_range;
/* rules_followup.c: work that must keep moving; and rules_visits_missed.c,
 * the visits. */
extern const struct rule rule_cadre_missed_visit, rule_marginal_no_measure,
	rule_project_stuck, rule_problem_overdue;

#endif
