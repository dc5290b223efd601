/*
 * test_rules.c — the precision checks (src/rules/) as a specification: for every
 * rule, a case where it fires (and points at the right row and household, in a
 * sentence naming the person) and a close case where it must not; the policy
 * numbers come from the policy table; the scope of a village and a town store;
 * and turning findings into problems, once.
 *
 * Each test gets a fresh village (or town) store from the fixture (fixture.h)
 * and inserts the few rows it needs with plain SQL. Ids are literal hex strings.
 * Everything runs as of AS_OF.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/demo.h"
#include "taizhang/problem.h"
#include "taizhang/rules.h"
#include "taizhang/store.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#include "fixture.h"
#include "unit.h"

#define V FIXTURE_VILLAGE
#define OTHER_V "341522104202"
#define TOWN FIXTURE_TOWN
#define USER FIXTURE_USER
#define T0 "2019-04-20T01:00:00Z"
#define AS_OF "2019-05-15"

#define HH1 "a0000000000000000000000000000001"
#define HH2 "a0000000000000000000000000000002"
#define HH3 "a0000000000000000000000000000003"
#define MM1 "b0000000000000000000000000000001"
#define MM2 "b0000000000000000000000000000002"
#define MM3 "b0000000000000000000000000000003"
#define MM4 "b0000000000000000000000000000004"
#define MM5 "b0000000000000000000000000000005"
#define MM6 "b0000000000000000000000000000006"
#define RR1 "c0000000000000000000000000000001"
#define RR2 "c0000000000000000000000000000002"
#define RR3 "c0000000000000000000000000000003"
#define RR4 "c0000000000000000000000000000004"
#define RR5 "c0000000000000000000000000000005"
#define RR6 "c0000000000000000000000000000006"
#define RR7 "c0000000000000000000000000000007"
#define RR8 "c0000000000000000000000000000008"
#define RR9 "c0000000000000000000000000000009"

#define ID1 "341522197001011234"
#define ID2 "341522197202022345"
#define ID3 "341522196503033456"

#define setup fixture_setup_village
#define setup_town fixture_setup_town
#define teardown fixture_teardown

/* ---- writing rows ---- */

/* Run the SQL printf makes of the arguments in the running test's store. */
#define sql(...) fixture_sqlf(fixture_running()->s, __VA_ARGS__)

static sqlite3_int64 query_int(const char *text)
{
	return fixture_int(fixture_running()->s, text);
}

/* A household of village code, with status and income (SQL literal: 370000 or
 * NULL). */
static void household_in(const char *code, const char *id, const char *status,
			  const char *income)
{
	sql("INSERT INTO households(id, owner, village_code, status, income_cents, created_at,"
	    " updated_at) VALUES ('%s', '%s', '%s', '%s', %s, '" T0 "', '" T0 "')",
	    id, code, code, status, income);
}

static void household(const char *id, const char *status, const char *income)
{
	household_in(V, id, status, income);
}

static void member_full(const char *id, const char *hid, const char *name, const char *idcard,
			const char *relation, const char *birth, const char *status,
			const char *created_at)
{
	sql("INSERT INTO members(id, owner, household_id, name, idcard, relation, sex, birth_date,"
	    " status, created_at, updated_at) VALUES ('%s', '" V "', '%s', '%s', '%s', '%s', 'M',"
	    " '%s', '%s', '%s', '%s')",
	    id, hid, name, idcard, relation, birth, status, created_at, created_at);
}

static void member(const char *id, const char *hid, const char *name, const char *idcard,
		   const char *relation, const char *birth)
{
	member_full(id, hid, name, idcard, relation, birth, "present", T0);
}

/* A household with its head. */
static void household_with_head(const char *hid, const char *status, const char *income,
				const char *head_id, const char *head_name, const char *idcard)
{
	household(hid, status, income);
	member(head_id, hid, head_name, idcard, "head", "1970-01-01");
}

static void schooling(const char *id, const char *member_id, const char *state,
		      const char *reason, const char *as_of)
{
	sql("INSERT INTO schooling(id, owner, member_id, stage, state, dropout_reason, as_of,"
	    " created_at, updated_at) VALUES ('%s', '" V "', '%s', 'junior', '%s', %s%s%s, '%s',"
	    " '" T0 "', '" T0 "')",
	    id, member_id, state, reason ? "'" : "", reason ? reason : "NULL", reason ? "'" : "",
	    as_of);
}

static void housing(const char *id, const char *hid, const char *rating, const char *renovation,
		    const char *assessed_on)
{
	sql("INSERT INTO housing(id, owner, household_id, rating, assessed_on, renovation,"
	    " created_at, updated_at) VALUES ('%s', '" V "', '%s', '%s', '%s', '%s', '" T0 "',"
	    " '" T0 "')",
	    id, hid, rating, assessed_on, renovation);
}

static void family_doctor(const char *id, const char *hid, const char *signed_on,
			  const char *valid_until /* SQL literal */)
{
	sql("INSERT INTO family_doctor(id, owner, household_id, signed_on, valid_until, doctor,"
	    " created_at, updated_at) VALUES ('%s', '" V "', '%s', '%s', %s, '刘医生', '" T0 "',"
	    " '" T0 "')",
	    id, hid, signed_on, valid_until);
}

/* One procedure step; its id is returned in id (fresh each call). end is a SQL
 * literal ('2018-01-11' or NULL). */
static void step(char id[33], const char *hid, const char *procedure, int round,
		 const char *code, const char *on, const char *end)
{
	snprintf(id, 33, "d%031u", fixture_serial());
	sql("INSERT INTO procedure_steps(id, owner, household_id, procedure, round, step, on_date,"
	    " end_date, outcome, signer, created_at, updated_at) VALUES ('%s', '" V "', '%s', '%s',"
	    " %d, '%s', '%s', %s, 'passed', '村支书', '" T0 "', '" T0 "')",
	    id, hid, procedure, round, code, on, end);
}

/* All six steps, in order, with notices of seven days; skip names one step to
 * leave out (or NULL). */
static void full_procedure(const char *hid, const char *procedure, int round, const char *skip)
{
	static const struct {
		const char *code, *on, *end;
	} steps[] = {
		{ "group_review", "2018-01-01", "NULL" },
		{ "village_review", "2018-01-03", "NULL" },
		{ "village_notice", "2018-01-05", "'2018-01-11'" },
		{ "comparison", "2018-01-12", "NULL" },
		{ "town_notice", "2018-01-13", "'2018-01-19'" },
		{ "announcement", "2018-01-20", "NULL" },
	};
	char id[33];
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (skip == NULL || strcmp(skip, steps[i].code) != 0)
			step(id, hid, procedure, round, steps[i].code, steps[i].on, steps[i].end);
}

static void set_policy(const char *key, long long value)
{
	sql("UPDATE policy SET value = %lld WHERE key = '%s'", value, key);
}

/* ---- running rules ---- */

static struct findings run_as_of(const char *rule_id, const char *as_of)
{
	const struct rule *r = rules_find(rule_id);
	if (r == NULL)
		fail_msg("no rule %s", rule_id);
	struct findings f = { 0 };
	struct tz_error err;
	if (rules_check(fixture_running()->s, &(struct rules_options){ .as_of = as_of, .only = r }, &f,
			&err) != TZ_OK)
		fail_msg("rules_check %s: %s", rule_id, err.msg);
	for (size_t i = 0; i < f.n; i++)
		assert_ptr_equal(f.items[i].rule, r);
	return f;
}

static struct findings run(const char *rule_id)
{
	return run_as_of(rule_id, AS_OF);
}

static void print_findings(const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		fprintf(stderr, "  finding: %s %s/%s ref %s: %s\n", f->items[i].rule->id,
			f->items[i].table, f->items[i].row_id, f->items[i].ref, f->items[i].detail);
}

static void expect_count(struct findings *f, size_t n)
{
	if (f->n != n) {
		print_findings(f);
		fail_msg("expected %zu findings, got %zu", n, f->n);
	}
}

static void expect_none(struct findings *f)
{
	expect_count(f, 0);
	findings_free(f);
}

/* rule_id finds nothing as of AS_OF. */
static void expect_silent(const char *rule_id)
{
	struct findings f = run(rule_id);
	expect_none(&f);
}

/* rule_id finds exactly n things as of AS_OF: the findings, returned (the
 * caller checks and frees them). */
static struct findings found(const char *rule_id, size_t n)
{
	struct findings f = run(rule_id);
	expect_count(&f, n);
	return f;
}

static struct findings found_once(const char *rule_id)
{
	return found(rule_id, 1);
}

/* rule_id finds nothing with the policy as it is; with the policy key set to
 * value it finds exactly one, which is returned (the caller checks and frees it). */
static struct findings found_once_under_policy(const char *rule_id, const char *key,
					       long long value)
{
	expect_silent(rule_id);
	set_policy(key, value);
	return found_once(rule_id);
}

/* rules_check with options o, which must return want (the test fails
 * otherwise); its message, in a buffer of this file good until the next call. */
static const char *check_refused(const struct rules_options *o, int want)
{
	static struct tz_error err;
	struct findings f = { 0 };
	int rc = rules_check(fixture_running()->s, o, &f, &err);
	findings_free(&f);
	if (rc != want)
		fail_msg("rules_check returned %d, not %d", rc, want);
	return err.msg;
}

/* The finding whose ref is ref; fails if none. */
static const struct finding *by_ref(const struct findings *f, const char *ref)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->items[i].ref, ref) == 0)
			return &f->items[i];
	print_findings(f);
	fail_msg("no finding with ref %s", ref);
	return NULL;
}

/* Check a finding's table, row, household (NULL: none) and that its detail holds
 * every word of ap (NULL-terminated). */
static void expect_finding_va(const struct finding *x, const char *table, const char *row_id,
			      const char *household_id, va_list ap)
{
	assert_string_equal(x->village_code, V);
	assert_string_equal(x->table, table);
	assert_string_equal(x->row_id, row_id);
	if (household_id == NULL)
		assert_null(x->household_id);
	else
		assert_string_equal(x->household_id, household_id);
	const char *word;
	while ((word = va_arg(ap, const char *)) != NULL)
		if (strstr(x->detail, word) == NULL)
			fail_msg("detail “%s” lacks “%s”", x->detail, word);
}

/* expect_finding_va of the words that follow household_id. */
static void expect_finding(const struct finding *x, const char *table, const char *row_id,
			   const char *household_id, ...)
{
	va_list ap;
	va_start(ap, household_id);
	expect_finding_va(x, table, row_id, household_id, ap);
	va_end(ap);
}

/* rule_id finds exactly one thing as of AS_OF, and it is as expect_finding
 * says of table, row_id, household_id and the words that follow. */
static void expect_one(const char *rule_id, const char *table, const char *row_id,
		       const char *household_id, ...)
{
	struct findings f = found_once(rule_id);
	va_list ap;
	va_start(ap, household_id);
	expect_finding_va(&f.items[0], table, row_id, household_id, ap);
	va_end(ap);
	findings_free(&f);
}

/* ---- the table ---- */

UNIT_TEST(test_every_rule_is_complete_unique_and_runs_on_an_empty_store, setup, teardown)
{
	size_t n;
	const struct rule *const *rules = rules_all(&n);
	assert_true(n >= 17);
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rules[i];
		assert_non_null(r->id);
		for (const char *p = r->id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
		assert_true(strlen(r->title) > 0 && strlen(r->description) > 0);
		assert_in_range(r->area, 1, 10);
		assert_in_range(r->task, 1, 19);
		assert_true(r->find != NULL || r->sql != NULL); /* something to run */
		assert_ptr_equal(rules_find(r->id), r);
		assert_ptr_equal(rules_find(r->title), r); /* what the officer reads */
		/* Its unit is one of its task's lead units. */
		char q[256];
		snprintf(q, sizeof q, "SELECT count(*) FROM task_units WHERE task = %d AND role = 'lead'"
			 " AND ('%s' = '' OR unit = '%s')", r->task, r->unit ? r->unit : "",
			 r->unit ? r->unit : "");
		assert_true(query_int(q) >= 1);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(rules[j]->id, r->id);
		struct findings f = run(r->id);
		/* An empty village still lacks a training base and staff. */
		if (strcmp(r->id, "village-few-bases") != 0 && strcmp(r->id, "staff-out-of-range") != 0)
			expect_count(&f, 0);
		findings_free(&f);
	}
	assert_null(rules_find("no-such-rule"));
}

UNIT_TEST(test_a_bad_as_of_date_is_a_usage_error, setup, teardown)
{
	const char *msg = check_refused(&(struct rules_options){ .as_of = "2019-13-01" }, TZ_EUSAGE);
	assert_non_null(strstr(msg, "2019-13-01"));
}

UNIT_TEST(test_a_missing_policy_number_is_an_error_not_a_default, setup, teardown)
{
	household_with_head(HH1, "exited", "100", MM1, "张三", ID1);
	sql("DELETE FROM policy WHERE key = 'income_line_cents'");
	const char *msg = check_refused(&(struct rules_options){ .as_of = AS_OF,
								  .only = rules_find("exited-low-income") },
					TZ_EFAIL);
	assert_non_null(strstr(msg, "income_line_cents"));
}

/* ---- exited households ---- */

UNIT_TEST(test_exited_dropout_child_fires_on_the_latest_schooling_row, setup, teardown)
{
	household_with_head(HH1, "exited", "500000", MM1, "张三", ID1);
	member(MM2, HH1, "张小明", ID2, "child", "2006-03-01");
	schooling(RR1, MM2, "in_school", NULL, "2018-09-01");
	schooling(RR2, MM2, "dropped_out", "厌学", "2019-03-01");
	struct findings f = found_once("exited-dropout-child");
	expect_finding(&f.items[0], "members", MM2, HH1, "户主 张三（" ID1 "）已脱贫",
		       "子女 张小明 辍学", "（原因：厌学）", NULL);
	assert_string_equal(f.items[0].ref, MM2);
	findings_free(&f);
}

/* A household's status and income (cents, as SQL). */
struct status_income {
	const char *status, *income;
};

/* Three households with a child each, for the schooling rules: HH1's 张小明
 * (MM2) dropped out (厌学) in March and was back in school in April; HH2's
 * 李小红 (MM4) dropped out in March; HH3's 王小五 (MM6) drops out in June,
 * after the as-of date, having been recorded in school in March when
 * in_school_first. */
static void schooling_households(struct status_income h1, struct status_income h2,
				 struct status_income h3, int in_school_first)
{
	household_with_head(HH1, h1.status, h1.income, MM1, "张三", ID1);
	member(MM2, HH1, "张小明", ID2, "child", "2006-03-01");
	schooling(RR1, MM2, "dropped_out", "厌学", "2019-03-01");
	schooling(RR2, MM2, "in_school", NULL, "2019-04-01");
	household_with_head(HH2, h2.status, h2.income, MM3, "李四", ID3);
	member(MM4, HH2, "李小红", "341522200701014444", "child", "2007-01-01");
	schooling(RR3, MM4, "dropped_out", NULL, "2019-03-01");
	household_with_head(HH3, h3.status, h3.income, MM5, "王五", "341522196001015555");
	member(MM6, HH3, "王小五", "341522200801016666", "grandchild", "2008-01-01");
	if (in_school_first)
		schooling(RR4, MM6, "in_school", NULL, "2019-03-01");
	schooling(in_school_first ? RR5 : RR4, MM6, "dropped_out", NULL, "2019-06-01");
}

UNIT_TEST(test_exited_dropout_child_is_silent_when_back_in_school_or_not_exited, setup, teardown)
{
	/* HH1 exited, its child back in school; HH2's dropout is not exited: other
	 * rules'; HH3's is after the as-of date. */
	schooling_households((struct status_income){ "exited", "500000" },
			     (struct status_income){ "helped", "100000" },
			     (struct status_income){ "monitored", "500000" }, 1);
	expect_silent("exited-dropout-child");
}

UNIT_TEST(test_exited_unsafe_house_fires_on_a_latest_c_rating_not_renovated, setup, teardown)
{
	household_with_head(HH1, "monitored", "500000", MM1, "张三", ID1);
	housing(RR1, HH1, "D", "none", "2018-01-01");
	housing(RR2, HH1, "C", "in_progress", "2019-03-01");
	struct findings f = found_once("exited-unsafe-house");
	expect_finding(&f.items[0], "housing", RR2, HH1, "户主 张三", "脱贫监测户", "C 级危房",
		       "2019-03-01", "改造中", NULL);
	assert_string_equal(f.items[0].ref, HH1);
	findings_free(&f);
}

UNIT_TEST(test_exited_unsafe_house_is_silent_once_renovated_or_safe, setup, teardown)
{
	household_with_head(HH1, "exited", "500000", MM1, "张三", ID1);
	housing(RR1, HH1, "D", "none", "2018-01-01");
	housing(RR2, HH1, "C", "done", "2019-03-01");
	household_with_head(HH2, "exited", "500000", MM2, "李四", ID2);
	housing(RR3, HH2, "D", "planned", "2018-01-01");
	housing(RR4, HH2, "B", "none", "2019-02-01");
	household_with_head(HH3, "helped", "100000", MM3, "王五", ID3);
	housing(RR5, HH3, "D", "none", "2019-01-01");
	expect_silent("exited-unsafe-house");
}

UNIT_TEST(test_exited_no_family_doctor_fires_without_a_valid_contract, setup, teardown)
{
	household_with_head(HH1, "exited", "500000", MM1, "张三", ID1);
	family_doctor(RR1, HH1, "2018-05-01", "'2019-04-30'"); /* expired */
	household_with_head(HH2, "monitored", "500000", MM2, "李四", ID2); /* none at all */
	household_with_head(HH3, "exited", "500000", MM3, "王五", ID3);
	family_doctor(RR2, HH3, "2019-06-01", "NULL"); /* signed after as-of */
	struct findings f = found("exited-no-family-doctor", 3);
	expect_finding(by_ref(&f, HH1), "households", HH1, HH1, "户主 张三", "家庭医生",
		       "2019-04-30 到期", NULL);
	expect_finding(by_ref(&f, HH2), "households", HH2, HH2, "户主 李四", "没有有效的家庭医生签约",
		       NULL);
	expect_finding(by_ref(&f, HH3), "households", HH3, HH3, "户主 王五", NULL);
	findings_free(&f);
}

UNIT_TEST(test_exited_no_family_doctor_is_silent_for_a_contract_valid_on_the_day, setup, teardown)
{
	household_with_head(HH1, "exited", "500000", MM1, "张三", ID1);
	family_doctor(RR1, HH1, "2018-05-15", "'" AS_OF "'"); /* last valid day */
	household_with_head(HH2, "monitored", "500000", MM2, "李四", ID2);
	family_doctor(RR2, HH2, "2019-01-01", "NULL"); /* open-ended */
	household_with_head(HH3, "identified", "100000", MM3, "王五", ID3); /* not exited */
	expect_silent("exited-no-family-doctor");
}

UNIT_TEST(test_exited_low_income_fires_one_fen_under_the_line, setup, teardown)
{
	household_with_head(HH1, "exited", "369999", MM1, "张三", ID1);
	expect_one("exited-low-income", "households", HH1, HH1, "户主 张三（" ID1 "）已脱贫",
		   "人均纯收入 3699.99 元", "低于脱贫标准 3700 元", NULL);
}

UNIT_TEST(test_exited_low_income_is_silent_at_the_line_and_follows_the_policy, setup, teardown)
{
	household_with_head(HH1, "exited", "370000", MM1, "张三", ID1); /* exactly the line */
	household_with_head(HH2, "helped", "100", MM2, "李四", ID2);    /* not exited */
	household_with_head(HH3, "exited", "NULL", MM3, "王五", ID3);   /* not recorded */
	struct findings f = found_once_under_policy("exited-low-income", "income_line_cents", 400050);
	expect_finding(&f.items[0], "households", HH1, HH1, "3700 元", "4000.50 元", NULL);
	findings_free(&f);
}

/* ---- the procedure ---- */

UNIT_TEST(test_procedure_step_missing_names_the_missing_steps_in_order, setup, teardown)
{
	household_with_head(HH1, "identified", "100000", MM1, "张三", ID1);
	full_procedure(HH1, "identify", 1, "village_notice");
	household_with_head(HH2, "exited", "500000", MM2, "李四", ID2);
	full_procedure(HH2, "identify", 1, NULL); /* but no exit procedure */
	household_with_head(HH3, "monitored", "500000", MM3, "王五", ID3);
	full_procedure(HH3, "identify", 1, NULL);
	full_procedure(HH3, "exit", 1, NULL);
	char id[33];
	step(id, HH3, "exit", 2, "group_review", "2019-02-01", "NULL"); /* second exit */
	struct findings f = found("procedure-step-missing", 3);
	expect_finding(by_ref(&f, HH1 "/identify"), "households", HH1, HH1,
		       "户主 张三（" ID1 "）的识别（纳入）程序缺少：村内公示", NULL);
	expect_finding(by_ref(&f, HH2 "/exit"), "households", HH2, HH2,
		       "户主 李四", "退出（脱贫）程序没有任何步骤的记录", NULL);
	expect_finding(by_ref(&f, HH3 "/exit"), "households", HH3, HH3, "（第 2 轮）",
		       "缺少：村两委和驻村工作队评议、村内公示、部门数据比对、乡镇公示、公告", NULL);
	findings_free(&f);
}

/* A step whose code only starts like one of the order's (a NUL and more
 * after it, as a village can write in its own store) is not that step: the
 * household still misses it. */
UNIT_TEST(test_procedure_step_missing_is_not_fooled_by_a_code_with_a_nul_inside, setup, teardown)
{
	household_with_head(HH1, "identified", "100000", MM1, "张三", ID1);
	full_procedure(HH1, "identify", 1, "village_notice");
	sql("INSERT INTO procedure_steps(id, owner, household_id, procedure, round, step, on_date,"
	    " end_date, outcome, signer, created_at, updated_at) VALUES ('d%031u', '" V "', '" HH1
	    "', 'identify', 1, 'village_notice' || char(0) || 'x', '2018-01-05', '2018-01-11',"
	    " 'passed', '村支书', '" T0 "', '" T0 "')",
	    fixture_serial());
	expect_one("procedure-step-missing", "households", HH1, HH1,
		   "户主 张三（" ID1 "）的识别（纳入）程序缺少：村内公示", NULL);
	/* Nor is a status that only starts like exited one that needs an exit. */
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	full_procedure(HH2, "identify", 1, NULL);
	sql("UPDATE households SET status = 'exited' || char(0) || 'x' WHERE id = '" HH2 "'");
	expect_one("procedure-step-missing", "households", HH1, HH1, "村内公示", NULL);
}

UNIT_TEST(test_procedure_step_missing_is_silent_for_complete_procedures, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1); /* no exit needed */
	full_procedure(HH1, "identify", 1, NULL);
	household_with_head(HH2, "monitored", "500000", MM2, "李四", ID2);
	full_procedure(HH2, "identify", 1, NULL);
	full_procedure(HH2, "exit", 1, NULL);
	expect_silent("procedure-step-missing");
}

UNIT_TEST(test_procedure_step_order_fires_on_a_step_before_its_predecessor, setup, teardown)
{
	household_with_head(HH1, "identified", "100000", MM1, "张三", ID1);
	char group[33], review[33], id[33];
	step(group, HH1, "identify", 1, "group_review", "2018-01-05", "NULL");
	step(review, HH1, "identify", 1, "village_review", "2018-01-03", "NULL");
	step(id, HH1, "identify", 1, "village_notice", "2018-01-05", "'2018-01-11'");
	step(id, HH1, "identify", 1, "comparison", "2018-01-12", "NULL");
	expect_one("procedure-step-order", "procedure_steps", review, HH1,
		   "户主 张三（" ID1 "）的识别（纳入）程序中",
		   "“村两委和驻村工作队评议”（2018-01-03）早于排在它前面的“村民小组评议”（2018-01-05）",
		   NULL);
}

/* Dates are compared as SQL compares them: one that goes on after a NUL
 * comes after the same day without it, and is not the same day. */
UNIT_TEST(test_procedure_step_order_compares_dates_by_their_bytes, setup, teardown)
{
	household_with_head(HH1, "identified", "100000", MM1, "张三", ID1);
	char review[33], id[33];
	sql("INSERT INTO procedure_steps(id, owner, household_id, procedure, round, step, on_date,"
	    " end_date, outcome, signer, created_at, updated_at) VALUES ('d%031u', '" V "', '" HH1
	    "', 'identify', 1, 'group_review', '2018-01-05' || char(0) || 'x', NULL, 'passed',"
	    " '村支书', '" T0 "', '" T0 "')",
	    fixture_serial());
	step(review, HH1, "identify", 1, "village_review", "2018-01-05", "NULL");
	step(id, HH1, "identify", 1, "village_notice", "2018-01-06", "'2018-01-12'");
	struct findings f = found_once("procedure-step-order");
	assert_string_equal(f.items[0].row_id, review);
	findings_free(&f);
}

UNIT_TEST(test_procedure_step_order_allows_same_day_steps_and_separate_procedures, setup, teardown)
{
	household_with_head(HH1, "exited", "500000", MM1, "张三", ID1);
	char id[33];
	step(id, HH1, "identify", 1, "group_review", "2018-01-05", "NULL");
	step(id, HH1, "identify", 1, "village_review", "2018-01-05", "NULL");
	step(id, HH1, "identify", 1, "village_notice", "2018-01-05", "'2018-01-11'");
	/* The exit procedure's dates are compared only among themselves. */
	step(id, HH1, "exit", 1, "group_review", "2017-01-01", "NULL");
	step(id, HH1, "exit", 1, "village_review", "2017-01-02", "NULL");
	/* Nor are rounds compared with each other. */
	step(id, HH1, "exit", 2, "group_review", "2016-01-01", "NULL");
	step(id, HH1, "exit", 2, "village_review", "2016-01-02", "NULL");
	expect_silent("procedure-step-order");
}

UNIT_TEST(test_procedure_notice_short_fires_for_six_days_or_no_end, setup, teardown)
{
	household_with_head(HH1, "identified", "100000", MM1, "张三", ID1);
	char six[33], open[33];
	step(six, HH1, "identify", 1, "village_notice", "2018-01-05", "'2018-01-10'");
	step(open, HH1, "identify", 1, "town_notice", "2018-01-13", "NULL");
	struct findings f = found("procedure-notice-short", 2);
	expect_finding(by_ref(&f, six), "procedure_steps", six, HH1, "户主 张三", "村内公示",
		       "从 2018-01-05 到 2018-01-10 只有 6 天，少于规定的 7 天", NULL);
	expect_finding(by_ref(&f, open), "procedure_steps", open, HH1, "乡镇公示",
		       "没有登记有效的结束日期", NULL);
	findings_free(&f);
}

UNIT_TEST(test_procedure_notice_short_is_silent_at_exactly_notice_days, setup, teardown)
{
	household_with_head(HH1, "identified", "100000", MM1, "张三", ID1);
	char seven[33], id[33];
	step(seven, HH1, "identify", 1, "village_notice", "2018-01-05", "'2018-01-11'");
	step(id, HH1, "identify", 1, "town_notice", "2018-01-13", "'2018-01-25'");
	step(id, HH1, "identify", 1, "comparison", "2018-01-12", "NULL"); /* no end: not a notice */
	struct findings f = found_once_under_policy("procedure-notice-short", "notice_days", 8);
	expect_finding(&f.items[0], "procedure_steps", seven, HH1, "只有 7 天，少于规定的 8 天",
		       NULL);
	findings_free(&f);
}

/* The notices are worked out in C only where both dates are of the form
 * YYYY-MM-DD; any other text is left to SQLite's julianday, as before. */
UNIT_TEST(test_procedure_notice_short_reads_other_date_texts_as_sqlite_does, setup, teardown)
{
	static const struct {
		const char *code;
		int round;
		const char *on, *end;
	} notices[] = {
		{ "village_notice", 1, "2018-01-05", "'2018-01-11 18:00'" }, /* 6.75 days: 7, enough */
		{ "town_notice", 1, "2018-02-25", "'2018-02-30'" }, /* read as 03-02: 6 days */
		{ "village_notice", 2, "2018-03-01", "'2018-3-9'" }, /* no date SQLite reads */
	};
	char ids[3][33];
	household_with_head(HH1, "identified", "100000", MM1, "张三", ID1);
	for (size_t i = 0; i < 3; i++)
		step(ids[i], HH1, "identify", notices[i].round, notices[i].code, notices[i].on,
		     notices[i].end);
	struct findings f = run("procedure-notice-short");
	expect_count(&f, 2);
	expect_finding(by_ref(&f, ids[1]), "procedure_steps", ids[1], HH1,
		       "从 2018-02-25 到 2018-02-30 只有 6 天", NULL);
	expect_finding(by_ref(&f, ids[2]), "procedure_steps", ids[2], HH1, "（第 2 轮）",
		       "没有登记有效的结束日期", NULL);
	findings_free(&f);
}

/* ---- members ---- */

UNIT_TEST(test_duplicate_idcard_fires_across_and_within_households, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	member_full(MM3, HH2, "李明", ID1, "child", "1970-01-01", "present", "2019-04-21T01:00:00Z");
	household_with_head(HH3, "helped", "100000", MM4, "王五", ID3);
	member_full(MM5, HH3, "王六", ID3, "sibling", "1965-03-03", "present",
		    "2019-04-22T01:00:00Z");
	struct findings f = found("duplicate-idcard", 2);
	/* The finding points at the member recorded first and names every holder. */
	expect_finding(by_ref(&f, MM1), "members", MM1, HH1,
		       "身份证号 " ID1 " 登记在 2 个在户成员名下（2 户）",
		       "户主 张三；户主 李四 家的子女 李明", NULL);
	expect_finding(by_ref(&f, MM4), "members", MM4, HH3, "（同一户内）",
		       "户主 王五；户主 王五 家的兄弟姐妹 王六", NULL);
	findings_free(&f);
}

UNIT_TEST(test_duplicate_idcard_ignores_members_who_moved_out, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	member_full(MM2, HH1, "张明", ID2, "child", "1972-02-02", "moved_out", T0);
	household_with_head(HH2, "helped", "100000", MM3, "李四", ID3);
	member_full(MM4, HH2, "张明", ID2, "child_in_law", "1972-02-02", "present",
		    "2019-04-21T01:00:00Z");
	expect_silent("duplicate-idcard");
}

UNIT_TEST(test_member_too_old_fires_above_the_plausible_age, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	member(MM2, HH1, "张老太", "341522190805150000", "parent", "1908-05-15"); /* 111 today */
	expect_one("member-too-old", "members", MM2, HH1, "户主 张三（" ID1 "）家的父母 张老太",
		   "出生于 1908-05-15", "已 111 岁", "可信年龄上限 110 岁", NULL);
}

UNIT_TEST(test_member_too_old_is_silent_at_the_limit_and_for_the_deceased, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	member(MM2, HH1, "张老太", "341522190805160000", "parent", "1908-05-16"); /* 110 */
	member_full(MM3, HH1, "张太公", "341522190001010000", "grandparent", "1900-01-01",
		    "deceased", T0);
	struct findings f = found_once_under_policy("member-too-old", "max_plausible_age", 109);
	expect_finding(&f.items[0], "members", MM2, HH1, "已 110 岁", "上限 109 岁", NULL);
	findings_free(&f);
}

/* Only birth dates of the form YYYY-MM-DD are passed over without working
 * out the age; any other text is aged as SQLite's strftime reads it. */
UNIT_TEST(test_member_too_old_reads_other_date_texts_as_sqlite_does, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	member(MM2, HH1, "张老太", "341522190805150000", "parent", "1908-05-15 08:00"); /* 111 */
	member(MM3, HH1, "张老爷", "341522190802300000", "parent", "1908-02-30"); /* 03-01: 111 */
	member(MM4, HH1, "张太婆", "341522190805160000", "grandparent", "1908-05-16 00:00"); /* 110 */
	member(MM5, HH1, "张太公", "341522190805010000", "grandparent", "1908-5-1"); /* no age */
	struct findings f = run("member-too-old");
	expect_count(&f, 2);
	expect_finding(by_ref(&f, MM2), "members", MM2, HH1, "张老太", "已 111 岁", NULL);
	expect_finding(by_ref(&f, MM3), "members", MM3, HH1, "张老爷", "出生于 1908-02-30",
		       "已 111 岁", NULL);
	findings_free(&f);
}

UNIT_TEST(test_member_born_after_record_fires_for_a_birth_after_creation, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	member_full(MM2, HH1, "张宝宝", "341522201904220000", "child", "2019-04-22", "present", T0);
	expect_one("member-born-after-record", "members", MM2, HH1, "张宝宝", "出生日期 2019-04-22",
		   "晚于这条记录建立的日期 2019-04-20", NULL);
}

UNIT_TEST(test_member_born_after_record_uses_the_china_date_of_creation, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	/* 23:00 UTC on the 19th is 07:00 on the 20th in China: born that day. */
	member_full(MM2, HH1, "张宝宝", "341522201904200000", "child", "2019-04-20", "present",
		    "2019-04-19T23:00:00Z");
	expect_silent("member-born-after-record");
}

/* The pass over the members (rules_members.c) must not lose a birth after a
 * record's day when created_at is a text it cannot read as plainly as it
 * looks: a time zone of +14:00 moves the day back (03:00 on the 21st there is
 * 21:00 on the 20th in China), and a Julian day number has no date in its
 * first ten characters. */
UNIT_TEST(test_member_born_after_record_reads_other_creation_times_as_sqlite_does, setup,
	  teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	member_full(MM2, HH1, "张宝宝", "341522201904210000", "child", "2019-04-21", "present",
		    "2019-04-21T03:00:00+14:00");
	member_full(MM3, HH1, "张贝贝", "341522201904210001", "child", "2019-04-21", "present",
		    "2458593.5"); /* Julian day: 2019-04-20 00:00 UTC */
	member_full(MM4, HH1, "张丫丫", "341522201904210002", "child", "2019-04-21", "present",
		    "2019-04-21T03:00:00Z"); /* 11:00 on the 21st in China: born that day */
	struct findings f = run("member-born-after-record");
	expect_count(&f, 2);
	expect_finding(by_ref(&f, MM2), "members", MM2, HH1, "张宝宝",
		       "晚于这条记录建立的日期 2019-04-20", NULL);
	expect_finding(by_ref(&f, MM3), "members", MM3, HH1, "张贝贝",
		       "晚于这条记录建立的日期 2019-04-20", NULL);
	findings_free(&f);
}

/* ---- the head a finding names ---- */

/* Findings name a household by its head, worked out once for every household
 * in one pass over the members, or, when that pass cannot tell, by the
 * lookup (RULES_HEAD): a household with two heads names the one present
 * (here recorded after the one who moved out), one with none says so. */
UNIT_TEST(test_findings_name_the_head_the_lookup_names, setup, teardown)
{
	household_with_head(HH1, "exited", "100", MM1, "张三", ID1);
	household(HH2, "exited", "100");
	member_full(MM2, HH2, "李老四", ID2, "head", "1972-02-02", "moved_out",
		    "2019-01-01T01:00:00Z");
	member_full(MM3, HH2, "李四", ID3, "head", "1965-03-03", "present", T0);
	household(HH3, "exited", "100");
	member(MM4, HH3, "王小五", "341522200001010011", "child", "2000-01-01");
	struct findings f = found("exited-low-income", 3);
	expect_finding(by_ref(&f, HH1), "households", HH1, HH1, "户主 张三（" ID1 "）已脱贫",
		       NULL);
	expect_finding(by_ref(&f, HH2), "households", HH2, HH2, "户主 李四（" ID3 "）已脱贫",
		       NULL);
	expect_finding(by_ref(&f, HH3), "households", HH3, HH3,
		       "户编号 " HH3 " 的住户（未登记户主）已脱贫", NULL);
	findings_free(&f);
}

/* ---- visits ---- */

static void cadre(const char *id, const char *name, const char *unit)
{
	sql("INSERT INTO cadres(id, owner, village_code, name, unit, role, created_at, updated_at)"
	    " VALUES ('%s', '" V "', '" V "', '%s', '%s', 'unit_cadre', '" T0 "', '" T0 "')",
	    id, name, unit);
}

static void assignment(const char *id, const char *cadre_id, const char *hid, const char *since,
		       const char *until /* SQL literal */)
{
	sql("INSERT INTO cadre_assignments(id, owner, cadre_id, household_id, since, until,"
	    " created_at, updated_at) VALUES ('%s', '" V "', '%s', '%s', '%s', %s, '" T0 "',"
	    " '" T0 "')",
	    id, cadre_id, hid, since, until);
}

static void visit(const char *cadre_id, const char *hid, const char *on)
{
	static unsigned n;
	sql("INSERT INTO visits(id, owner, cadre_id, household_id, visited_on, created_at,"
	    " updated_at) VALUES ('e%031u', '" V "', '%s', '%s', '%s', '" T0 "', '" T0 "')",
	    ++n, cadre_id, hid, on);
}

UNIT_TEST(test_cadre_missed_visit_fires_once_for_the_month_without_a_visit, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	cadre(RR1, "赵六", "县林业局");
	cadre(RR2, "钱七", "镇财政所");
	assignment(RR3, RR1, HH1, "2019-01-01", "NULL");
	visit(RR1, HH1, "2019-02-10");
	visit(RR1, HH1, "2019-04-30");
	visit(RR2, HH1, "2019-03-10"); /* another cadre's visit does not count */
	visit(RR1, HH2, "2019-03-10"); /* nor a visit to another household */
	visit(RR1, HH1, "2019-05-02"); /* the as-of month is not over: not checked */
	/* January is more than three months back: not checked. */
	struct findings f = found_once("cadre-missed-visit");
	expect_finding(&f.items[0], "cadre_assignments", RR3, HH1,
		       "帮扶责任人 赵六（县林业局）2019年3月没有走访所包的户主 张三（" ID1 "）家",
		       NULL);
	assert_string_equal(f.items[0].ref, RR3 "/2019-03");
	findings_free(&f);
}

UNIT_TEST(test_cadre_missed_visit_counts_the_last_day_and_only_whole_months, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	household_with_head(HH3, "exited", "500000", MM3, "王五", ID3);
	cadre(RR1, "赵六", "县林业局");
	assignment(RR2, RR1, HH1, "2019-01-01", "NULL");
	visit(RR1, HH1, "2019-02-01");
	visit(RR1, HH1, "2019-03-31"); /* the last day of March */
	visit(RR1, HH1, "2019-04-01");
	assignment(RR3, RR1, HH2, "2019-03-02", "NULL"); /* March not whole: not checked */
	visit(RR1, HH2, "2019-04-15");
	assignment(RR4, RR1, HH3, "2018-06-01", "'2019-04-20'"); /* April not whole */
	visit(RR1, HH3, "2019-02-28");
	visit(RR1, HH3, "2019-03-01");
	expect_silent("cadre-missed-visit");
	/* The same records against two visits a month. */
	set_policy("visits_per_month", 2);
	struct findings f = found("cadre-missed-visit", 6);
	expect_finding(by_ref(&f, RR3 "/2019-04"), "cadre_assignments", RR3, HH2,
		       "2019年4月只走访 1 次（每月应至少 2 次）", NULL);
	findings_free(&f);
}

/* cadre-missed-visit counts the visits in one pass (rules_visits_missed.c)
 * and the statement decides what the pass hands over: the same findings as
 * the statement alone gave, whatever the values' types. */
UNIT_TEST(test_cadre_missed_visit_counts_as_the_statement_would, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	cadre(RR1, "赵六", "县林业局");
	cadre(RR4, "钱七", "镇财政所");
	/* The same cadre and household twice: each assignment its own findings. */
	assignment(RR2, RR1, HH1, "2018-01-01", "NULL");
	assignment(RR3, RR1, HH1, "2018-01-01", "NULL");
	visit(RR1, HH1, "2019-04-15");
	visit(RR1, HH1, "2019-03-31 23:59"); /* a text after March's last day: March */
	/* A date that is not a text never falls between two texts: not counted. */
	sql("INSERT INTO visits(id, owner, cadre_id, household_id, visited_on, created_at,"
	    " updated_at) VALUES ('e%031u', '" V "', '" RR1 "', '" HH1 "',"
	    " CAST('2019-02-10' AS BLOB), '" T0 "', '" T0 "')",
	    900u);
	/* A start that is not a text is never on or before a month's first day;
	 * an end that is not a text is always on or after its last. */
	sql("INSERT INTO cadre_assignments(id, owner, cadre_id, household_id, since, until,"
	    " created_at, updated_at) VALUES ('" RR5 "', '" V "', '" RR4 "', '" HH1 "',"
	    " CAST('2018-01-01' AS BLOB), NULL, '" T0 "', '" T0 "')");
	sql("INSERT INTO cadre_assignments(id, owner, cadre_id, household_id, since, until,"
	    " created_at, updated_at) VALUES ('" RR6 "', '" V "', '" RR4 "', '" HH2 "',"
	    " '2018-01-01', CAST('2018-02-01' AS BLOB), '" T0 "', '" T0 "')");
	visit(RR4, HH2, "2019-04-05");
	visit(RR4, HH2, "2019-02-05"); /* and none in March */
	visit(RR4, HH1, "2019-02-05"); /* of an assignment never due */
	struct findings f = found("cadre-missed-visit", 3);
	expect_finding(by_ref(&f, RR2 "/2019-02"), "cadre_assignments", RR2, HH1,
		       "帮扶责任人 赵六（县林业局）2019年2月没有走访所包的户主 张三（" ID1 "）家",
		       NULL);
	expect_finding(by_ref(&f, RR3 "/2019-02"), "cadre_assignments", RR3, HH1,
		       "帮扶责任人 赵六（县林业局）2019年2月没有走访所包的户主 张三（" ID1 "）家",
		       NULL);
	expect_finding(by_ref(&f, RR6 "/2019-03"), "cadre_assignments", RR6, HH2,
		       "帮扶责任人 钱七（镇财政所）2019年3月没有走访所包的户主 李四（" ID2 "）家",
		       NULL);
	findings_free(&f);
}

/* ---- what every village must have ---- */

static void village_row(const char *kind)
{
	sql("INSERT INTO villages(code, owner, name, kind, created_at, updated_at)"
	    " VALUES ('" V "', '" V "', '示范村', '%s', '" T0 "', '" T0 "')",
	    kind);
}

static void leaders(int n)
{
	for (int i = 0; i < n; i++)
		sql("INSERT INTO business_leaders(id, owner, village_code, name, idcard, industry,"
		    " created_at, updated_at) VALUES ('f%031d', '" V "', '" V "', '能人%d',"
		    " '3415221980010100%02d', '养殖', '" T0 "', '" T0 "')",
		    i, i, i);
}

UNIT_TEST(test_poor_village_few_leaders_fires_below_the_minimum, setup, teardown)
{
	village_row("poor");
	leaders(4);
	expect_one("poor-village-few-leaders", "villages", V, NULL, "贫困村 示范村", "只有 4 名",
		   "应不少于 5 名", NULL);
}

UNIT_TEST(test_poor_village_few_leaders_is_silent_at_the_minimum_or_non_poor, setup, teardown)
{
	struct findings f = run("poor-village-few-leaders"); /* kind unknown: no row */
	expect_none(&f);
	village_row("poor");
	leaders(5);
	f = run("poor-village-few-leaders");
	expect_none(&f);
	sql("DELETE FROM business_leaders");
	sql("UPDATE villages SET kind = 'non_poor'");
	f = run("poor-village-few-leaders");
	expect_none(&f);
}

static void base(const char *id, const char *established_on)
{
	sql("INSERT INTO training_bases(id, owner, village_code, name, industry, established_on,"
	    " created_at, updated_at) VALUES ('%s', '" V "', '" V "', '养牛基地', '养殖', '%s',"
	    " '" T0 "', '" T0 "')",
	    id, established_on);
}

UNIT_TEST(test_village_few_bases_fires_without_a_base_built_by_as_of, setup, teardown)
{
	base(RR1, "2019-05-16"); /* built after as-of */
	expect_one("village-few-bases", "villages", V, NULL, "示范村 还没有致富带头人培训基地",
		   "每村应至少 1 个", NULL);
}

UNIT_TEST(test_village_few_bases_is_silent_with_a_base_built_on_the_day, setup, teardown)
{
	base(RR1, AS_OF);
	expect_silent("village-few-bases");
}

static void staff(const char *id, const char *role, int full_time, const char *since,
		  const char *until /* SQL literal */)
{
	sql("INSERT INTO staff(id, owner, village_code, name, role, full_time, since, until,"
	    " created_at, updated_at) VALUES ('%s', '" V "', '" V "', '工作人员', '%s', %d, '%s',"
	    " %s, '" T0 "', '" T0 "')",
	    id, role, full_time, since, until);
}

UNIT_TEST(test_staff_out_of_range_fires_for_too_few_and_too_many, setup, teardown)
{
	staff(RR1, "poverty_officer", 1, "2019-01-01", "NULL");
	staff(RR2, "director", 1, "2019-01-01", "NULL");            /* not counted */
	staff(RR8, "info_officer", 1, "2019-01-01", "'" AS_OF "'"); /* left today */
	expect_one("staff-out-of-range", "villages", V, NULL, "示范村 扶贫工作室在岗专职工作人员",
		   "只有 1 名，少于规定的 2 名", NULL);
	staff(RR3, "info_officer", 1, "2019-01-01", "NULL");
	staff(RR4, "info_officer", 1, "2019-01-01", "NULL");
	staff(RR5, "info_officer", 1, "2019-01-01", "NULL");
	staff(RR6, "info_officer", 1, "2019-01-01", "NULL");
	staff(RR7, "info_officer", 1, AS_OF, "NULL"); /* starts today */
	expect_one("staff-out-of-range", "villages", V, NULL, "有 6 名，多于规定的 5 名", NULL);
}

UNIT_TEST(test_staff_out_of_range_counts_only_full_time_staff_in_post, setup, teardown)
{
	/* Five in post, the most allowed ... */
	staff(RR1, "poverty_officer", 1, "2019-01-01", "NULL");
	staff(RR2, "info_officer", 1, "2019-01-01", "'2019-05-16'"); /* leaves tomorrow */
	staff(RR3, "info_officer", 1, "2019-01-01", "NULL");
	staff(RR4, "info_officer", 1, "2019-01-01", "NULL");
	staff(RR5, "info_officer", 1, AS_OF, "NULL");                /* starts today */
	/* ... and four who do not count. */
	staff(RR6, "director", 1, "2019-01-01", "NULL");
	staff(RR7, "info_officer", 0, "2019-01-01", "NULL");           /* part time */
	staff(RR8, "info_officer", 1, "2019-01-01", "'" AS_OF "'");    /* left today */
	staff(RR9, "info_officer", 1, "2019-05-16", "NULL");           /* not yet */
	expect_silent("staff-out-of-range");
}

/* ---- follow-up ---- */

static void problem_row(const char *id, const char *state, const char *deadline)
{
	sql("INSERT INTO problems(id, owner, village_code, area, task, title, source,"
	    " responsible_unit, responsible_person, deadline, state, created_at, updated_at)"
	    " VALUES ('%s', '" V "', '" V "', 1, 6, '张小明辍学', 'self_check', '镇中心校',"
	    " '李老师', '%s', '%s', '" T0 "', '" T0 "')",
	    id, deadline, state);
}

UNIT_TEST(test_problem_overdue_fires_the_day_after_the_deadline, setup, teardown)
{
	problem_row(RR1, "rectifying", "2019-05-14");
	expect_one("problem-overdue", "problems", RR1, NULL, "问题“张小明辍学”",
		   "（责任单位 镇中心校，责任人 李老师）", "整改期限 2019-05-14 已过",
		   "仍为“整改中”", NULL);
}

UNIT_TEST(test_problem_overdue_names_a_unit_code_by_the_units_name, setup, teardown)
{
	problem_row(RR1, "open", "2019-05-01");
	sql("UPDATE problems SET responsible_unit = 'weishengyuan'");
	problem_row(RR2, "open", "2019-05-01");
	sql("UPDATE problems SET responsible_unit = 'villages' WHERE id = '" RR2 "'");
	village_row("poor");
	struct findings f = found("problem-overdue", 2);
	expect_finding(by_ref(&f, RR1), "problems", RR1, NULL, "（责任单位 镇卫生院，", NULL);
	expect_finding(by_ref(&f, RR2), "problems", RR2, NULL, "（责任单位 示范村，", NULL);
	findings_free(&f);
}

UNIT_TEST(test_problem_overdue_is_silent_on_the_deadline_and_once_closed, setup, teardown)
{
	problem_row(RR1, "open", AS_OF);
	problem_row(RR2, "closed", "2019-05-01");
	expect_silent("problem-overdue");
}

static void project(const char *id, const char *stage, const char *stage_on)
{
	sql("INSERT INTO projects(id, owner, village_code, name, kind, year, funds_cents,"
	    " performance_target, stage, stage_on, created_at, updated_at) VALUES ('%s', '" V "',"
	    " '" V "', '村道硬化', 'infrastructure', 2019, 50000000, '通车', '%s', '%s', '" T0 "',"
	    " '" T0 "')",
	    id, stage, stage_on);
}

UNIT_TEST(test_project_stuck_fires_after_more_than_the_stage_days, setup, teardown)
{
	project(RR1, "town_review", "2019-04-14");
	struct findings f = found_once("project-stuck");
	expect_finding(&f.items[0], "projects", RR1, NULL, "项目“村道硬化”自 2019-04-14 起",
		       "停留在“镇初审”环节 31 天，超过 30 天", NULL);
	assert_string_equal(f.items[0].ref, RR1 "/town_review");
	findings_free(&f);
}

UNIT_TEST(test_project_stuck_is_silent_at_exactly_the_stage_days_or_approved, setup, teardown)
{
	project(RR1, "dept_review", "2019-04-15");
	project(RR2, "approved", "2018-01-01");
	project(RR3, "rejected", "2018-01-01");
	expect_silent("project-stuck");
}

static void marginal(const char *id, const char *state_code, const char *flags /* literal */)
{
	sql("INSERT INTO marginal_households(id, owner, village_code, head_name, head_idcard, size,"
	    " risk_flags, state, created_at, updated_at) VALUES ('%s', '" V "', '" V "', '孙八',"
	    " '" ID3 "', 3, %s, '%s', '" T0 "', '" T0 "')",
	    id, flags, state_code);
}

static void measure(const char *id, const char *marginal_id, const char *on)
{
	sql("INSERT INTO marginal_measures(id, owner, marginal_id, measure, on_date, created_at,"
	    " updated_at) VALUES ('%s', '" V "', '%s', '临时救助', '%s', '" T0 "', '" T0 "')",
	    id, marginal_id, on);
}

UNIT_TEST(test_marginal_no_measure_fires_for_a_household_at_risk_without_help, setup, teardown)
{
	marginal(RR1, "watching", "'disaster,illness'");
	marginal(RR2, "watching", "'income_drop'");
	measure(RR3, RR2, "2019-06-01"); /* after as-of */
	struct findings f = found("marginal-no-measure", 2);
	expect_finding(by_ref(&f, RR1), "marginal_households", RR1, NULL,
		       "边缘户 户主 孙八（" ID3 "）有致贫风险（重病、灾害）", "没有任何帮扶措施",
		       NULL);
	expect_finding(by_ref(&f, RR2), "marginal_households", RR2, NULL, "收入骤减", NULL);
	findings_free(&f);
}

UNIT_TEST(test_marginal_no_measure_is_silent_with_a_measure_or_no_risk, setup, teardown)
{
	marginal(RR1, "watching", "'illness'");
	measure(RR2, RR1, AS_OF);
	marginal(RR3, "risk_removed", "'illness'");
	marginal(RR4, "watching", "NULL");
	marginal(RR5, "watching", "' , '");
	expect_silent("marginal-no-measure");
}

/* ---- scope ---- */

UNIT_TEST(test_a_village_store_checks_only_its_own_village, setup, teardown)
{
	household_in(OTHER_V, HH1, "exited", "100");
	household_in(V, HH2, "exited", "100");
	struct findings f = found_once("exited-low-income");
	assert_string_equal(f.items[0].row_id, HH2);
	findings_free(&f);
}

UNIT_TEST(test_a_town_store_checks_every_village_it_holds, setup_town, teardown)
{
	household_in(OTHER_V, HH1, "exited", "100");
	household_in(V, HH2, "exited", "100");
	sql("INSERT INTO villages(code, owner, name, kind, created_at, updated_at) VALUES"
	    " ('" V "', '" TOWN "', '示范村', 'poor', '" T0 "', '" T0 "'),"
	    " ('" OTHER_V "', '" TOWN "', '东湖村', 'non_poor', '" T0 "', '" T0 "')");
	struct findings f = found("exited-low-income", 2);
	assert_string_equal(f.items[0].village_code, V);
	assert_string_equal(f.items[1].village_code, OTHER_V);
	findings_free(&f);
	f = run("village-few-bases");
	expect_count(&f, 2);
	assert_non_null(strstr(f.items[1].detail, "东湖村"));
	findings_free(&f);
}

/* ---- 两不愁三保障 of every registered household (rules_guarantee.c) ---- */

/* A house assessment that looked at the water: water is a SQL literal
 * ('unsafe', 'safe' or NULL). */
static void house_water(const char *id, const char *hid, const char *water,
			const char *assessed_on)
{
	sql("INSERT INTO housing(id, owner, household_id, rating, assessed_on, renovation,"
	    " drinking_water, created_at, updated_at) VALUES ('%s', '" V "', '%s', 'B', '%s',"
	    " 'none', %s, '" T0 "', '" T0 "')",
	    id, hid, assessed_on, water);
}

static void insurance(const char *id, const char *hid, const char *kind, int year)
{
	sql("INSERT INTO insurance(id, owner, household_id, kind, year, created_at, updated_at)"
	    " VALUES ('%s', '" V "', '%s', '%s', %d, '" T0 "', '" T0 "')",
	    id, hid, kind, year);
}

UNIT_TEST(test_poor_no_family_doctor_fires_for_every_status_not_exited, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	family_doctor(RR1, HH1, "2018-05-01", "'2019-04-30'"); /* expired */
	household_with_head(HH2, "identified", "100000", MM2, "李四", ID2);
	household_with_head(HH3, "fell_back", "100000", MM3, "王五", ID3);
	struct findings f = found("poor-no-family-doctor", 3);
	expect_finding(by_ref(&f, HH1), "households", HH1, HH1,
		       "贫困户（帮扶中）户主 张三（" ID1 "）没有有效的家庭医生签约", "2019-04-30 到期",
		       NULL);
	expect_finding(by_ref(&f, HH2), "households", HH2, HH2, "贫困户（新识别）户主 李四", NULL);
	expect_finding(by_ref(&f, HH3), "households", HH3, HH3, "返贫户 户主 王五", NULL);
	assert_int_equal(f.items[0].area, 7);
	assert_int_equal(f.items[0].task, 5);
	assert_string_equal(f.items[0].unit, "weishengyuan");
	assert_string_equal(f.items[0].unit_name, "镇卫生院");
	findings_free(&f);
}

UNIT_TEST(test_poor_no_family_doctor_is_silent_with_a_contract_or_once_exited, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	family_doctor(RR1, HH1, "2019-01-01", "NULL");
	household_with_head(HH2, "exited", "500000", MM2, "李四", ID2); /* the exit rule's */
	expect_silent("poor-no-family-doctor");
}

UNIT_TEST(test_poor_child_out_of_school_fires_for_school_age_children_only, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	member(MM2, HH1, "张小明", ID2, "child", "2006-03-01");	 /* 13 */
	schooling(RR1, MM2, "in_school", NULL, "2018-09-01");
	schooling(RR2, MM2, "dropped_out", "厌学", "2019-03-01");
	member(MM3, HH1, "张小红", ID3, "child", "2012-02-01");	 /* 7 */
	schooling(RR3, MM3, "not_enrolled", NULL, "2018-09-01");
	member(MM4, HH1, "张大明", "341522200301014444", "child", "2003-01-01"); /* 16 */
	schooling(RR4, MM4, "dropped_out", NULL, "2019-03-01");
	member(MM5, HH1, "张幼", "341522201401015555", "child", "2014-01-01"); /* 5 */
	schooling(RR5, MM5, "not_enrolled", NULL, "2019-03-01");
	struct findings f = found("poor-child-out-of-school", 2);
	expect_finding(by_ref(&f, MM2), "members", MM2, HH1, "贫困户（帮扶中）户主 张三",
		       "子女 张小明（13 岁）辍学（原因：厌学）", NULL);
	expect_finding(by_ref(&f, MM3), "members", MM3, HH1, "张小红（7 岁）未入学", NULL);
	assert_string_equal(f.items[0].unit, "zhongxinxiao");
	findings_free(&f);
	/* The ages come from the policy table. */
	set_policy("school_age_max", 16);
	f = run("poor-child-out-of-school");
	expect_count(&f, 3);
	by_ref(&f, MM4);
	findings_free(&f);
}

UNIT_TEST(test_poor_child_out_of_school_is_silent_back_in_school_or_exited, setup, teardown)
{
	/* HH1's child is back in school; HH2's dropout is exited: the exit rule's;
	 * HH3's is after the as-of date. */
	schooling_households((struct status_income){ "helped", "100000" },
			     (struct status_income){ "exited", "500000" },
			     (struct status_income){ "identified", "100000" }, 0);
	expect_silent("poor-child-out-of-school");
}

UNIT_TEST(test_poor_unsafe_house_fires_until_renovated_and_not_once_exited, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	housing(RR1, HH1, "D", "planned", "2019-03-01");
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	housing(RR2, HH2, "D", "none", "2018-01-01");
	housing(RR3, HH2, "C", "done", "2019-03-01"); /* renovated */
	household_with_head(HH3, "exited", "500000", MM3, "王五", ID3);
	housing(RR4, HH3, "D", "none", "2019-01-01"); /* the exit rule's */
	struct findings f = found_once("poor-unsafe-house");
	expect_finding(&f.items[0], "housing", RR1, HH1, "贫困户（帮扶中）户主 张三", "D 级危房",
		       "已列入计划", NULL);
	assert_string_equal(f.items[0].unit_name, "镇危改办");
	findings_free(&f);
}

UNIT_TEST(test_household_unsafe_water_reads_the_latest_assessment_of_the_water, setup, teardown)
{
	household_with_head(HH1, "exited", "500000", MM1, "张三", ID1);
	house_water(RR1, HH1, "'unsafe'", "2019-02-01");
	house_water(RR2, HH1, "NULL", "2019-04-01"); /* did not look at the water */
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	house_water(RR3, HH2, "'unsafe'", "2019-01-01");
	house_water(RR4, HH2, "'safe'", "2019-03-01"); /* fixed */
	household_with_head(HH3, "identified", "100000", MM3, "王五", ID3);
	house_water(RR5, HH3, "'safe'", "2019-01-01");
	house_water(RR6, HH3, "'unsafe'", "2019-06-01"); /* after as-of */
	struct findings f = found_once("household-unsafe-water");
	expect_finding(&f.items[0], "housing", RR1, HH1, "已脱贫户 户主 张三",
		       "饮水不安全（2019-02-01 鉴定）", NULL);
	assert_string_equal(f.items[0].unit, "shuili");
	findings_free(&f);
	f = run_as_of("household-unsafe-water", "2019-06-01");
	expect_count(&f, 2);
	findings_free(&f);
}

UNIT_TEST(test_household_no_medical_insurance_wants_the_basic_insurance_of_the_year, setup, teardown)
{
	household_with_head(HH1, "monitored", "500000", MM1, "张三", ID1);
	insurance(RR1, HH1, "basic_medical", 2018); /* last year's */
	insurance(RR2, HH1, "medical", 2019);       /* supplementary only */
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	insurance(RR3, HH2, "basic_medical", 2019);
	struct findings f = found_once("household-no-medical-insurance");
	expect_finding(&f.items[0], "households", HH1, HH1, "脱贫监测户 户主 张三",
		       "没有参加 2019 年度城乡居民基本医疗保险", NULL);
	assert_string_equal(f.items[0].ref, HH1 "/2019"); /* each year its own problem */
	findings_free(&f);
	f = run_as_of("household-no-medical-insurance", "2018-12-31");
	expect_count(&f, 1);
	assert_string_equal(f.items[0].household_id, HH2);
	findings_free(&f);
}

/* ---- the monitoring view (rules_watch.c) ---- */

UNIT_TEST(test_watch_lists_monitored_fell_back_and_marginal_households, setup, teardown)
{
	household_with_head(HH1, "monitored", "380000", MM1, "张三", ID1);
	family_doctor(RR1, HH1, "2019-01-01", "NULL");
	housing(RR2, HH1, "D", "none", "2019-01-01");  /* 住房安全 fails */
	insurance(RR3, HH1, "basic_medical", 2019);
	cadre(RR4, "赵六", "县林业局");
	assignment(RR5, RR4, HH1, "2019-01-01", "NULL");
	sql("INSERT INTO social_security(id, owner, household_id, kind, start_on, created_at,"
	    " updated_at) VALUES ('" RR6 "', '" V "', '" HH1 "', 'dibao', '2019-02-01', '" T0 "',"
	    " '" T0 "')");
	household_with_head(HH2, "fell_back", "200000", MM2, "李四", ID2); /* no doctor, insurance */
	household_with_head(HH3, "helped", "100000", MM3, "王五", ID3);  /* not watched */
	sql("INSERT INTO marginal_households(id, owner, village_code, head_name, head_idcard, size,"
	    " income_cents, risk_flags, state, created_at, updated_at) VALUES"
	    " ('" RR7 "', '" V "', '" V "', '赵大', '341522197501011111', 3, 300000,"
	    " 'illness,disaster', 'watching', '" T0 "', '" T0 "'),"
	    " ('" RR8 "', '" V "', '" V "', '钱二', '341522197601012222', 2, 500000, NULL,"
	    " 'risk_removed', '" T0 "', '" T0 "')");
	sql("INSERT INTO marginal_measures(id, owner, marginal_id, measure, on_date, created_at,"
	    " updated_at) VALUES ('" RR9 "', '" V "', '" RR7 "', '临时救助', '2019-04-02', '" T0 "',"
	    " '" T0 "')");
	struct rules_watch_list w;
	struct tz_error err;
	assert_int_equal(rules_watch(fixture_running()->s, &(struct rules_options){ .as_of = AS_OF }, &w, &err),
			 TZ_OK);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.income_line_cents, 370000);
	char income[160];
	const struct rules_watched *x = &w.items[0];
	assert_string_equal(x->kind, "脱贫监测户");
	assert_string_equal(x->id, HH1);
	assert_string_equal(x->fails, "住房安全");
	assert_string_equal(x->cadre, "赵六");
	assert_non_null(strstr(x->measures, "低保（2019-02-01 起）"));
	assert_string_equal(rules_watch_income(x, w.income_line_cents, income, sizeof income),
			    "3800 元，高于标准 100 元");
	x = &w.items[1];
	assert_string_equal(x->kind, "返贫户");
	assert_string_equal(x->fails, "家庭医生签约、基本医疗保险");
	assert_string_equal(x->cadre, "");
	x = &w.items[2];
	assert_true(x->marginal);
	assert_string_equal(x->kind, "边缘户");
	assert_string_equal(x->head, "户主 赵大（341522197501011111）");
	assert_string_equal(x->risks, "重病、灾害");
	assert_string_equal(x->measures, "临时救助（2019-04-02）");
	assert_string_equal(x->fails, "收入达标");
	assert_string_equal(rules_watch_income(x, w.income_line_cents, income, sizeof income),
			    "3000 元，低于标准 700 元");
	rules_watch_free(&w);
}

/* ---- visits: the month in progress ---- */

UNIT_TEST(test_a_month_in_progress_is_never_failing, setup, teardown)
{
	assert_int_equal(rules_month_days_left("2019-05-15"), 17);
	assert_int_equal(rules_month_days_left("2019-05-31"), 1);
	assert_int_equal(rules_month_days_left("2019-02-28"), 1);
	assert_int_equal(rules_month_days_left("不是日期"), 0);
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	cadre(RR1, "赵六", "县林业局");
	assignment(RR2, RR1, HH1, "2019-05-01", "NULL"); /* not visited in May */
	struct findings f = run_as_of("cadre-missed-visit", "2019-05-31"); /* May's last day */
	expect_none(&f);
	struct rules_visit_compliance vc;
	struct tz_error err;
	assert_int_equal(rules_visit_compliance(fixture_running()->s, V, "2019-05-01", "2019-05-31", &vc, &err),
			 TZ_OK);
	assert_int_equal(vc.due, 0);
	assert_int_equal(vc.days_left, 1);
	/* Once May is over, it counts. */
	f = run_as_of("cadre-missed-visit", "2019-06-01");
	expect_count(&f, 1);
	findings_free(&f);
	assert_int_equal(rules_visit_compliance(fixture_running()->s, V, "2019-05-01", "2019-06-01", &vc, &err),
			 TZ_OK);
	assert_int_equal(vc.due, 1);
	assert_int_equal(vc.met, 0);
}

UNIT_TEST(test_visit_compliance_agrees_with_the_findings_of_the_months_ended, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	household_with_head(HH2, "helped", "100000", MM2, "李四", ID2);
	cadre(RR1, "赵六", "县林业局");
	assignment(RR2, RR1, HH1, "2019-01-01", "NULL");
	assignment(RR3, RR1, HH2, "2019-03-15", "NULL"); /* March not whole */
	visit(RR1, HH1, "2019-02-10");
	visit(RR1, HH1, "2019-04-30");
	visit(RR1, HH2, "2019-04-15");
	visit(RR1, HH1, "2019-05-02"); /* May is running */
	struct rules_visit_compliance vc;
	struct tz_error err;
	assert_int_equal(rules_visit_compliance(fixture_running()->s, NULL, "2019-02-01", AS_OF, &vc, &err),
			 TZ_OK);
	/* Feb, Mar, Apr of HH1; Apr of HH2: met in Feb and Apr (HH1) and Apr (HH2). */
	assert_int_equal(vc.due, 4);
	assert_int_equal(vc.met, 3);
	assert_int_equal(vc.days_left, 17);
	struct findings f = run("cadre-missed-visit");
	expect_count(&f, (size_t)(vc.due - vc.met));
	findings_free(&f);
}

/* ---- findings -> problems ---- */

static struct rules_problems_result to_problems(const char *rule_id, const char *as_of,
						const char *person, const char *deadline)
{
	struct rules_problems_result res;
	struct tz_error err;
	struct rules_options o = { .as_of = as_of, .only = rule_id ? rules_find(rule_id) : NULL };
	struct rules_problems_options po = { .person = person, .deadline = deadline };
	if (rules_to_problems(fixture_running()->s, &o, &po, &res, &err) != TZ_OK)
		fail_msg("rules_to_problems: %s", err.msg);
	assert_false(store_tx_active(fixture_running()->s));
	return res;
}

static void load_only_problem(struct problem *p)
{
	struct problem_list l;
	struct tz_error err;
	assert_int_equal(problem_list(fixture_running()->s, &(struct problem_filter){ 0 }, &l, &err), TZ_OK);
	assert_int_equal(l.n, 1);
	*p = l.items[0];
	free(l.items); /* p now owns the strings */
}

static void exited_with_dropout_and_low_income(void)
{
	household_with_head(HH1, "exited", "369999", MM1, "张三", ID1);
	member(MM2, HH1, "张小明", ID2, "child", "2006-03-01");
	schooling(RR1, MM2, "dropped_out", "厌学", "2019-03-01");
}

UNIT_TEST(test_to_problems_fills_area_task_unit_person_and_campaign_deadline, setup, teardown)
{
	exited_with_dropout_and_low_income();
	/* The household's cadre now, and one whose assignment has ended. */
	cadre(RR5, "赵六", "县林业局");
	assignment(RR6, RR5, HH1, "2019-01-01", "NULL");
	cadre(RR7, "钱七", "镇财政所");
	assignment(RR8, RR7, HH1, "2018-01-01", "'2018-12-31'");
	struct rules_problems_result res = to_problems("exited-low-income", AS_OF, NULL, NULL);
	assert_int_equal(res.findings, 1);
	assert_int_equal(res.created, 1);
	assert_int_equal(res.skipped, 0);
	struct problem p;
	load_only_problem(&p);
	assert_int_equal(p.area, 1);
	assert_int_equal(p.task, 4);
	assert_string_equal(p.source, "finding");
	assert_string_equal(p.finding_rule, "exited-low-income");
	assert_string_equal(p.finding_ref, HH1);
	assert_string_equal(p.household_id, HH1);
	assert_string_equal(p.village_code, V);
	assert_string_equal(p.responsible_unit, "villages"); /* task 4 is led by 各村(居) */
	assert_string_equal(p.responsible_unit_name, "各村(居)");
	assert_string_equal(p.responsible_person, "赵六"); /* the cadre, not the login name */
	assert_string_equal(p.deadline, "2019-05-31"); /* the campaign's rectification deadline */
	assert_string_equal(p.state, "open");
	assert_non_null(strstr(p.title, "人均纯收入 3699.99 元"));
	assert_string_equal(p.title, p.description);
	problem_free(&p);
}

UNIT_TEST(test_to_problems_names_the_first_lead_unit_of_a_town_task, setup, teardown)
{
	exited_with_dropout_and_low_income();
	to_problems("exited-dropout-child", AS_OF, NULL, NULL);
	struct problem p;
	load_only_problem(&p);
	assert_int_equal(p.task, 6);
	assert_string_equal(p.responsible_unit, "zhongxinxiao"); /* the unit's code */
	assert_string_equal(p.responsible_unit_name, "镇中心校");
	assert_string_equal(p.finding_ref, MM2);
	/* No cadre and no 工作室主任: nobody yet, never the login name. */
	assert_string_equal(p.responsible_person, "待指定");
	problem_free(&p);
}

UNIT_TEST(test_to_problems_falls_back_to_the_office_director_without_a_cadre, setup, teardown)
{
	exited_with_dropout_and_low_income();
	staff(RR5, "director", 0, "2019-01-01", "NULL");
	staff(RR6, "poverty_officer", 1, "2019-01-01", "NULL");
	to_problems("exited-dropout-child", AS_OF, NULL, NULL);
	struct problem p;
	load_only_problem(&p);
	assert_string_equal(p.responsible_person, "工作人员"); /* the director's name */
	problem_free(&p);
}

UNIT_TEST(test_to_problems_names_the_rules_own_lead_unit_among_several, setup, teardown)
{
	household_with_head(HH1, "helped", "100000", MM1, "张三", ID1);
	house_water(RR1, HH1, "'unsafe'", "2019-03-01");
	cadre(RR2, "赵六", "县林业局");
	assignment(RR3, RR2, HH1, "2019-01-01", "NULL");
	to_problems("household-unsafe-water", AS_OF, NULL, NULL);
	struct problem p;
	load_only_problem(&p);
	assert_int_equal(p.task, 2);
	assert_int_equal(p.area, 7);
	assert_string_equal(p.responsible_unit, "shuili"); /* 镇水利站, not task 2's first (农综站) */
	assert_string_equal(p.responsible_person, "赵六");
	problem_free(&p);
}

UNIT_TEST(test_to_problems_uses_the_given_person_and_deadline_or_30_days_late, setup, teardown)
{
	exited_with_dropout_and_low_income();
	/* After the campaign's deadline: as-of plus 30 days. */
	to_problems("exited-low-income", "2019-06-10", NULL, NULL);
	struct problem p;
	load_only_problem(&p);
	assert_string_equal(p.deadline, "2019-07-10");
	problem_free(&p);
	sql("DELETE FROM problem_events");
	sql("DELETE FROM problems");
	to_problems("exited-low-income", AS_OF, "李四", "2019年6月30日");
	load_only_problem(&p);
	assert_string_equal(p.deadline, "2019-06-30");
	assert_string_equal(p.responsible_person, "李四");
	problem_free(&p);
}

UNIT_TEST(test_to_problems_twice_creates_nothing_the_second_time, setup, teardown)
{
	exited_with_dropout_and_low_income();
	household_with_head(HH2, "exited", "100", MM3, "李四", ID3);
	struct rules_problems_result first = to_problems(NULL, AS_OF, NULL, NULL);
	assert_true(first.created >= 5); /* income x2, doctor x2, dropout, procedure ... */
	assert_int_equal(first.skipped, 0);
	assert_int_equal(first.created, first.findings);
	sqlite3_int64 n = query_int("SELECT count(*) FROM problems");
	assert_int_equal(n, (sqlite3_int64)first.created);
	struct rules_problems_result second = to_problems(NULL, AS_OF, NULL, NULL);
	assert_int_equal(second.created, 0);
	assert_int_equal(second.skipped, first.created);
	assert_int_equal(query_int("SELECT count(*) FROM problems"), n);
	assert_int_equal(query_int("SELECT count(*) FROM audit_log WHERE action = 'rules.to_problems'"),
			 2);
}

UNIT_TEST(test_to_problems_opens_a_new_problem_once_the_old_one_is_closed, setup, teardown)
{
	exited_with_dropout_and_low_income();
	to_problems("exited-low-income", AS_OF, NULL, NULL);
	struct problem p;
	load_only_problem(&p);
	struct tz_error err;
	assert_int_equal(problem_move(fixture_running()->s, p.id, "rectified", NULL, "收入核算表", NULL, &err),
			 TZ_OK);
	/* Not closed yet: still skipped. */
	struct rules_problems_result res = to_problems("exited-low-income", AS_OF, NULL, NULL);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.skipped, 1);
	assert_int_equal(problem_move(fixture_running()->s, p.id, "closed", NULL, NULL, NULL, &err), TZ_OK);
	problem_free(&p);
	/* The household's income was never fixed: the finding comes back. */
	res = to_problems("exited-low-income", AS_OF, NULL, NULL);
	assert_int_equal(res.created, 1);
	assert_int_equal(query_int("SELECT count(*) FROM problems WHERE state <> 'closed'"), 1);
}

UNIT_TEST(test_overdue_problems_are_shown_but_never_become_problems, setup, teardown)
{
	problem_row(RR1, "open", "2019-05-01");
	struct rules_problems_result res = to_problems("problem-overdue", AS_OF, NULL, NULL);
	assert_int_equal(res.findings, 0);
	assert_int_equal(res.created, 0);
	assert_int_equal(query_int("SELECT count(*) FROM problems"), 1);
}

UNIT_TEST(test_to_problems_writes_nothing_when_one_problem_fails, setup, teardown)
{
	exited_with_dropout_and_low_income();
	/* The low-income problem is made first; the dropout one then fails. */
	sql("DELETE FROM task_units WHERE task = 6");
	struct rules_problems_result res;
	struct tz_error err;
	int rc = rules_to_problems(fixture_running()->s, &(struct rules_options){ .as_of = AS_OF }, NULL, &res,
				   &err);
	assert_int_equal(rc, TZ_EFAIL);
	assert_non_null(strstr(err.msg, "牵头责任单位"));
	assert_false(store_tx_active(fixture_running()->s));
	assert_int_equal(res.created, 0);
	assert_int_equal(query_int("SELECT count(*) FROM problems"), 0);
	assert_int_equal(query_int("SELECT count(*) FROM problem_events"), 0);
}

/* ---- findings handed out a rule at a time (rules_options.each) ---- */

/* What each saw: the rules in the order it was called, and every finding as
 * "rule ref unit detail" lines; it fails with stop_at calls made (0: never). */
struct seen {
	const struct rule *rules[64];
	size_t nrules, stop_at;
	struct findings copied;
	int off_thread; /* calls made on another thread than the test's */
};

/* The test's own thread (each must be called on the caller's: it may use the
 * caller's connection, as `taizhang check` does). */
static pthread_t test_thread;

static int see_rule(void *arg, const struct rule *r, const struct findings *found,
		    struct tz_error *err)
{
	struct seen *w = arg;
	assert_true(w->nrules < sizeof w->rules / sizeof w->rules[0]);
	w->off_thread += !pthread_equal(pthread_self(), test_thread);
	w->rules[w->nrules++] = r;
	for (size_t i = 0; i < found->n; i++) {
		const struct finding *x = &found->items[i];
		assert_ptr_equal(x->rule, r);
		struct finding *c = VEC_PUSH(w->copied.items, w->copied.n, w->copied.cap);
		*c = (struct finding){ .rule = x->rule, .ref = xstrdup(x->ref),
				       .detail = xstrdup(x->detail), .unit_name = xstrdup(x->unit_name),
				       .area = x->area, .task = x->task };
	}
	if (w->stop_at != 0 && w->nrules == w->stop_at)
		return tz_error_set(err, TZ_EFAIL, "stopped by the test");
	return TZ_OK;
}

UNIT_TEST(test_findings_handed_out_a_rule_at_a_time_are_the_same_findings, setup, teardown)
{
	struct store *s = fixture_running()->s;
	struct tz_error err;
	struct demo_options d = { .households = 40, .seed = 5, .today = "2019-04-20" };
	assert_int_equal(demo_populate(s, &d, &err), TZ_OK);
	struct findings all = { 0 };
	assert_int_equal(rules_check(s, &(struct rules_options){ .as_of = AS_OF }, &all, &err), TZ_OK);
	assert_true(all.n > 20);
	struct seen w = { 0 };
	struct findings scratch = { 0 };
	struct rules_options o = { .as_of = AS_OF, .each = see_rule, .each_arg = &w };
	test_thread = pthread_self();
	assert_int_equal(rules_check(s, &o, &scratch, &err), TZ_OK);
	assert_int_equal(scratch.n, 0);
	assert_int_equal(w.off_thread, 0);
	size_t nrules;
	const struct rule *const *rules = rules_all(&nrules);
	assert_int_equal(w.nrules, nrules); /* every rule, in order, also those with none */
	for (size_t i = 0; i < nrules; i++)
		assert_ptr_equal(w.rules[i], rules[i]);
	assert_int_equal(w.copied.n, all.n);
	for (size_t i = 0; i < all.n; i++) {
		assert_ptr_equal(w.copied.items[i].rule, all.items[i].rule);
		assert_string_equal(w.copied.items[i].ref, all.items[i].ref);
		assert_string_equal(w.copied.items[i].detail, all.items[i].detail);
		assert_string_equal(w.copied.items[i].unit_name, all.items[i].unit_name);
		assert_int_equal(w.copied.items[i].task, all.items[i].task);
	}
	findings_free(&w.copied);
	/* a failure from each stops the check there and is returned */
	struct seen stopped = { .stop_at = 3 };
	o.each_arg = &stopped;
	assert_int_equal(rules_check(s, &o, &scratch, &err), TZ_EFAIL);
	assert_string_equal(err.msg, "stopped by the test");
	assert_int_equal(stopped.nrules, 3);
	assert_int_equal(scratch.n, 0);
	findings_free(&stopped.copied);
	findings_free(&all);
}

/* A whole check runs on two connections at once (rules_threads.c): the same
 * findings, in the same order, as on one; and a rule that fails halfway
 * fails the check the same way, the rules before it handed on. */
UNIT_TEST(test_a_check_on_two_connections_finds_what_one_finds, setup, teardown)
{
	struct store *s = fixture_running()->s;
	struct tz_error err;
	struct demo_options d = { .households = 60, .seed = 7, .today = "2019-04-20" };
	assert_int_equal(demo_populate(s, &d, &err), TZ_OK);
	struct findings one = { 0 }, two = { 0 };
	assert_int_equal(rules_check(s, &(struct rules_options){ .as_of = AS_OF, .one_thread = 1 },
				     &one, &err),
			 TZ_OK);
	assert_int_equal(rules_check(s, &(struct rules_options){ .as_of = AS_OF }, &two, &err), TZ_OK);
	assert_true(one.n > 20);
	assert_int_equal(two.n, one.n);
	for (size_t i = 0; i < one.n; i++) {
		assert_ptr_equal(two.items[i].rule, one.items[i].rule);
		assert_string_equal(two.items[i].row_id, one.items[i].row_id);
		assert_string_equal(two.items[i].ref, one.items[i].ref);
		assert_string_equal(two.items[i].detail, one.items[i].detail);
		assert_string_equal(two.items[i].unit, one.items[i].unit);
		assert_string_equal(two.items[i].unit_name, one.items[i].unit_name);
	}
	findings_free(&one);
	findings_free(&two);
	/* exited-low-income, the seventh rule, cannot run without its policy. */
	sql("DELETE FROM policy WHERE key = 'income_line_cents'");
	for (int threads = 1; threads <= 2; threads++) {
		struct seen w = { 0 };
		struct findings scratch = { 0 };
		struct rules_options o = { .as_of = AS_OF, .each = see_rule, .each_arg = &w,
					   .one_thread = threads == 1 };
		assert_int_equal(rules_check(s, &o, &scratch, &err), TZ_EFAIL);
		assert_non_null(strstr(err.msg, "income_line_cents"));
		assert_non_null(strstr(err.msg, rules_find("exited-low-income")->title));
		assert_int_equal(w.nrules, 6);
		findings_free(&w.copied);
		findings_free(&scratch);
	}
}

int main(void)
{
	/* Two cores counted even on a machine with one, so that every check
	 * here runs on two connections (rules_threads.c) wherever the tests run;
	 * the tests that compare ask for one with one_thread. */
	setenv("TAIZHANG_CORES", "2", 0);
	return unit_run("rules", NULL, NULL);
}
