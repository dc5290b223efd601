/*
 * test_notice.c — the public notices of the identification and exit procedure
 * (两公示一公告, notice.h) as a specification: which households a notice lists
 * (the latest round past the step before, not noticed yet or noticed from the
 * same day), its dates from policy notice_days, its wording, one notice per
 * village at the town, and the files it writes (text and an Excel workbook
 * holding the same households).
 *
 * Each test gets a fresh village (or town) store from the fixture and inserts
 * the rows it needs with plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "taizhang/notice.h"
#include "taizhang/store.h"

#include "fixture.h"

#define V FIXTURE_VILLAGE
#define OTHER_V "341522104202"
#define T0 "2019-04-20T01:00:00Z"

#define setup fixture_setup_village
#define setup_town fixture_setup_town
#define teardown fixture_teardown

/* Run the SQL printf makes of the arguments in the running test's store. */
#define sql(...) fixture_sqlf(fixture_running()->s, __VA_ARGS__)

/* A household of village code numbered k (ids derived from it), its head
 * name with ID number idcard, and size - 1 more members; cause a poverty_cause
 * code. */
static void household(const char *code, int k, const char *name, const char *idcard, int size,
		      const char *cause)
{
	sql("INSERT INTO villager_groups(id, owner, village_code, name, created_at, updated_at)"
	    " VALUES ('g%s%019d', '%s', '%s', '%s', '" T0 "', '" T0 "') ON CONFLICT DO NOTHING",
	    code, k % 2, code, code, k % 2 ? "东庄组" : "西庄组");
	sql("INSERT INTO households(id, owner, village_code, group_id, status, poverty_cause,"
	    " income_cents, created_at, updated_at) VALUES ('a%031d', '%s', '%s', 'g%s%019d',"
	    " 'identified', '%s', 250000, '" T0 "', '" T0 "')",
	    k, code, code, code, k % 2, cause);
	for (int i = 0; i < size; i++)
		sql("INSERT INTO members(id, owner, household_id, name, idcard, relation, sex,"
		    " birth_date, created_at, updated_at) VALUES ('b%029d%02d', '%s', 'a%031d', '%s',"
		    " '%s', '%s', 'M', '1970-01-01', '" T0 "', '" T0 "')",
		    k, i, code, k, i ? "家人" : name, i ? "341522200001010000" : idcard,
		    i ? "child" : "head");
}

static void step(int k, const char *procedure, int round, const char *code, const char *on,
		 const char *end /* SQL literal */, const char *outcome)
{
	sql("INSERT INTO procedure_steps(id, owner, household_id, procedure, round, step, on_date,"
	    " end_date, outcome, signer, created_at, updated_at) VALUES ('d%031u', '" V "',"
	    " 'a%031d', '%s', %d, '%s', '%s', %s, '%s', '村支书', '" T0 "', '" T0 "')",
	    fixture_serial(), k, procedure, round, code, on, end, outcome);
}

static void reviewed(int k, const char *procedure, const char *on)
{
	step(k, procedure, 1, "group_review", on, "NULL", "passed");
	step(k, procedure, 1, "village_review", on, "NULL", "passed");
}

/* Household k reviewed on reviewed_on, then through its village notice from
 * notice_on to end (an SQL literal). */
static void noticed(int k, const char *procedure, const char *reviewed_on, const char *notice_on,
		    const char *end)
{
	reviewed(k, procedure, reviewed_on);
	step(k, procedure, 1, "village_notice", notice_on, end, "passed");
}

static struct notice_set build(const char *procedure, enum notice_stage stage, const char *from)
{
	struct notice_set set;
	struct tz_error err;
	struct notice_options o = { .procedure = procedure, .stage = stage, .from = from };
	if (notice_build(fixture_running()->s, &o, &set, &err) != TZ_OK)
		fail_msg("notice_build: %s", err.msg);
	return set;
}

static char *text_of(const struct notice *n)
{
	char *text = NULL;
	size_t nbytes = 0;
	FILE *f = open_memstream(&text, &nbytes);
	assert_non_null(f);
	notice_write_text(f, n);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void expect_text(const char *text, const char *word)
{
	if (strstr(text, word) == NULL)
		fail_msg("notice lacks “%s”:\n%s", word, text);
}

static void test_a_village_notice_lists_the_households_reviewed_with_the_period(void **state)
{
	(void)state;
	household(V, 1, "张三", "341522197001011234", 3, "illness");
	reviewed(1, "identify", "2019-05-10");
	household(V, 2, "李四", "341522197202022345", 2, "schooling");
	reviewed(2, "identify", "2019-05-12");
	household(V, 3, "王五", "341522196503033456", 1, "disability"); /* reviewed: not passed */
	step(3, "identify", 1, "village_review", "2019-05-12", "NULL", "failed");
	household(V, 4, "赵六", "341522196504044567", 1, "disability"); /* noticed already */
	noticed(4, "identify", "2019-04-01", "2019-04-02", "'2019-04-08'");
	household(V, 5, "钱七", "341522196505055678", 1, "illness"); /* reviewed after the day */
	reviewed(5, "identify", "2019-05-17");
	struct notice_set set = build("identify", NOTICE_VILLAGE, "2019年5月16日");
	assert_int_equal(set.n, 1);
	const struct notice *n = &set.items[0];
	assert_string_equal(n->village_name, "示范村");
	assert_int_equal(n->n, 2);
	assert_int_equal(n->persons, 5);
	assert_string_equal(n->from, "2019-05-16");
	assert_string_equal(n->to, "2019-05-22"); /* notice_days 7, both ends counted */
	assert_int_equal(n->days, 7);
	assert_string_equal(n->rows[0].head_name, "张三");
	assert_string_equal(n->rows[0].idcard, "341522********1234");
	assert_string_equal(n->rows[0].basis, "因病");
	assert_string_equal(n->rows[0].prior_on, "2019-05-10");
	assert_string_equal(n->rows[1].group_name, "西庄组");
	char *text = text_of(n);
	expect_text(text, "示范村贫困户识别（纳入）村内公示");
	expect_text(text, "拟将以下 2 户 5 人识别（纳入）为建档立卡贫困户");
	expect_text(text, "公示期 7 天：2019年5月16日至2019年5月22日");
	expect_text(text, "如有异议");
	expect_text(text, "李四");
	expect_text(text, "示范村村民委员会（盖章）\n2019年5月16日");
	assert_null(strstr(text, "341522197001011234")); /* never the whole number */
	assert_null(strstr(text, "王五"));
	assert_null(strstr(text, "赵六"));
	assert_null(strstr(text, "钱七"));
	free(text);
	notice_set_free(&set);
}

static void test_a_recorded_notice_prints_again_from_its_day_and_the_policy_sets_the_days(void **state)
{
	(void)state;
	household(V, 1, "赵六", "341522196504044567", 2, "disability");
	noticed(1, "identify", "2019-04-01", "2019-04-02", "'2019-04-10'");
	struct notice_set set = build("identify", NOTICE_VILLAGE, "2019-04-02");
	assert_int_equal(set.n, 1);
	assert_string_equal(set.items[0].to, "2019-04-10"); /* its recorded end */
	assert_int_equal(set.items[0].days, 9);
	notice_set_free(&set);
	sql("UPDATE policy SET value = 10 WHERE key = 'notice_days'");
	set = build("identify", NOTICE_VILLAGE, "2019-04-02");
	assert_string_equal(set.items[0].to, "2019-04-11");
	notice_set_free(&set);
}

static void test_an_exit_notice_and_an_announcement_follow_their_steps(void **state)
{
	(void)state;
	household(V, 1, "张三", "341522197001011234", 3, "illness");
	noticed(1, "exit", "2019-05-01", "2019-05-02", "'2019-05-08'");
	step(1, "exit", 1, "comparison", "2019-05-09", "NULL", "passed");
	step(1, "exit", 1, "town_notice", "2019-05-10", "'2019-05-16'", "passed");
	reviewed(1, "identify", "2015-01-01"); /* the other procedure */
	struct notice_set set = build("exit", NOTICE_VILLAGE, "2019-05-20");
	assert_int_equal(set.n, 0); /* its village notice was on another day */
	notice_set_free(&set);
	set = build("exit", NOTICE_ANNOUNCE, "2019-05-17");
	assert_int_equal(set.n, 1);
	const struct notice *n = &set.items[0];
	assert_string_equal(n->rows[0].basis, "2500 元");
	assert_string_equal(n->rows[0].prior_on, "2019-05-10");
	assert_int_equal(n->days, 0);
	char *text = text_of(n);
	expect_text(text, "示范村贫困户退出（脱贫）公告");
	expect_text(text, "以下 1 户 3 人已达到脱贫标准，退出建档立卡贫困户。特此公告。");
	expect_text(text, "人均纯收入");
	assert_null(strstr(text, "异议"));
	free(text);
	notice_set_free(&set);
}

static void test_a_town_store_makes_one_notice_per_village_signed_by_the_town(void **state)
{
	(void)state;
	sql("INSERT INTO villages(code, owner, name, kind, created_at, updated_at) VALUES"
	    " ('" V "', 'town', '东湖村', 'poor', '" T0 "', '" T0 "'),"
	    " ('" OTHER_V "', 'town', '西山村', 'non_poor', '" T0 "', '" T0 "')");
	household(V, 1, "张三", "341522197001011234", 1, "illness");
	household(OTHER_V, 2, "李四", "341522197202022345", 1, "illness");
	for (int k = 1; k <= 2; k++) {
		noticed(k, "identify", "2019-05-01", "2019-05-02", "'2019-05-08'");
		step(k, "identify", 1, "comparison", "2019-05-09", "NULL", "passed");
	}
	struct notice_set set = build("identify", NOTICE_TOWN, "2019-05-10");
	assert_int_equal(set.n, 2);
	assert_string_equal(set.items[0].village_name, "东湖村");
	assert_string_equal(set.items[1].village_name, "西山村");
	assert_string_equal(set.items[1].rows[0].head_name, "李四");
	assert_string_equal(set.items[0].issuer, "城关镇扶贫开发领导小组");
	char *text = text_of(&set.items[0]);
	expect_text(text, "东湖村贫困户识别（纳入）乡镇公示");
	expect_text(text, "比对日期");
	free(text);
	notice_set_free(&set);
}

static void test_the_files_hold_the_households_and_the_dates(void **state)
{
	(void)state;
	household(V, 1, "张三", "341522197001011234", 3, "illness");
	reviewed(1, "identify", "2019-05-10");
	struct notice_set set = build("identify", NOTICE_VILLAGE, "2019-05-16");
	char *txt, *xlsx;
	struct tz_error err;
	assert_int_equal(notice_write_files(&set.items[0], fixture_running()->dir, &txt, &xlsx, &err), TZ_OK);
	char want[2 * FIXTURE_PATH_NBYTES];
	snprintf(want, sizeof want, "%s/公示_示范村贫困户识别（纳入）村内公示_2019-05-16.txt",
		 fixture_running()->dir);
	assert_string_equal(txt, want);
	struct stat st;
	assert_int_equal(stat(txt, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(xlsx, &st), 0);
	assert_true(st.st_size > 1000);
	FILE *f = fopen(txt, "r");
	char buf[4096] = { 0 };
	assert_true(fread(buf, 1, sizeof buf - 1, f) > 0);
	fclose(f);
	expect_text(buf, "张三");
	expect_text(buf, "2019年5月16日至2019年5月22日");
	/* The workbook's shared strings hold the same (unzip: scripts/deps.txt). */
	char cmd[2 * FIXTURE_PATH_NBYTES];
	snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/sharedStrings.xml | grep -q 张三", xlsx);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/sharedStrings.xml | grep -q 2019年5月22日", xlsx);
	assert_int_equal(system(cmd), 0);
	free(txt);
	free(xlsx);
	notice_set_free(&set);
}

static void test_a_bad_procedure_or_date_is_a_usage_error(void **state)
{
	(void)state;
	struct notice_set set;
	struct tz_error err;
	struct notice_options o = { .procedure = "move", .stage = NOTICE_VILLAGE };
	assert_int_equal(notice_build(fixture_running()->s, &o, &set, &err), TZ_EUSAGE);
	o = (struct notice_options){ .procedure = "exit", .from = "2019-02-30" };
	assert_int_equal(notice_build(fixture_running()->s, &o, &set, &err), TZ_EUSAGE);
	notice_set_free(&set);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_village_notice_lists_the_households_reviewed_with_the_period),
		T(test_a_recorded_notice_prints_again_from_its_day_and_the_policy_sets_the_days),
		T(test_an_exit_notice_and_an_announcement_follow_their_steps),
		cmocka_unit_test_setup_teardown(
			test_a_town_store_makes_one_notice_per_village_signed_by_the_town, setup_town,
			teardown),
		T(test_the_files_hold_the_households_and_the_dates),
		T(test_a_bad_procedure_or_date_is_a_usage_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
