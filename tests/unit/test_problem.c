/*
 * test_problem.c — the problem ledger (src/model/problem.c) as a specification:
 * what a problem must say to be created, the state machine (every allowed move,
 * a sample of refused ones), closing only with evidence, the history of moves,
 * transactions, lists and abbreviated ids.
 *
 * Each test gets a fresh village store from the fixture (fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/problem.h"
#include "taizhang/store.h"

#include "fixture.h"
#include "unit.h"

#define VILLAGE FIXTURE_VILLAGE
#define USER FIXTURE_USER
#define HOUSEHOLD "11111111111111111111111111111111"
#define T0 "'2019-04-20T01:00:00Z'"

/* A valid spec; tests change one field. */
static struct problem_spec valid_spec(void)
{
	return (struct problem_spec){
		.area = 1,
		.task = 6,
		.title = "张小明辍学未劝返",
		.responsible_unit = "镇中心校",
		.responsible_person = "李老师",
		.deadline = "2019-05-31",
	};
}

static void create(struct store *s, char id[IDS_NCHARS + 1])
{
	struct problem_spec spec = valid_spec();
	struct tz_error err;
	if (problem_create(s, &spec, id, &err) != TZ_OK)
		fail_msg("problem_create: %s", err.msg);
}

/* The running test's store (fixture_store) with a problem made by create, its
 * id in id. */
static struct store *with_problem(void **state, char id[IDS_NCHARS + 1])
{
	struct store *s = fixture_store(state);
	create(s, id);
	return s;
}

/* problem_move of problem id to state `to` with note, evidence and measures,
 * which must return want (the test fails otherwise); the message it left, in
 * a buffer of this file good until the next call. */
static const char *move(struct store *s, const char *id, const char *to, const char *note,
			const char *evidence, const char *measures, int want)
{
	static struct tz_error err;
	tz_error_clear(&err);
	int rc = problem_move(s, id, to, note, evidence, measures, &err);
	if (rc != want)
		fail_msg("move to %s returned %d, not %d: %s", to, rc, want, err.msg);
	return err.msg;
}

static void move_ok(struct store *s, const char *id, const char *to, const char *evidence)
{
	move(s, id, to, NULL, evidence, NULL, TZ_OK);
}

/* Problem id of s as problem_get reads it (the test fails when it cannot);
 * the caller frees it with problem_free. */
static struct problem got(struct store *s, const char *id)
{
	struct problem p;
	struct tz_error err;
	if (problem_get(s, id, &p, &err) != TZ_OK)
		fail_msg("problem_get %s: %s", id, err.msg);
	return p;
}

static char *state_of(struct store *s, const char *id)
{
	struct problem p = got(s, id);
	char *state = strdup(p.state);
	problem_free(&p);
	return state;
}

static void assert_state(struct store *s, const char *id, const char *want)
{
	char *got = state_of(s, id);
	assert_string_equal(got, want);
	free(got);
}

static sqlite3_int64 count_events(struct store *s, const char *id)
{
	char q[160];
	snprintf(q, sizeof q, "SELECT count(*) FROM problem_events WHERE problem_id = '%s'", id);
	return fixture_int(s, q);
}

/* ---- creation ---- */

UNIT_TEST(test_create_stores_every_field_and_opens_the_problem, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	fixture_sql(s, "INSERT INTO households(id, owner, village_code, status, created_at, updated_at)"
	       " VALUES ('" HOUSEHOLD "', '" VILLAGE "', '" VILLAGE "', 'exited', " T0 ", " T0 ")");
	struct problem_spec spec = valid_spec();
	spec.description = "  辍学两个月  ";
	spec.measures = "上门劝返";
	spec.household_id = HOUSEHOLD;
	spec.source = "inspection";
	spec.deadline = "2019年5月31日";
	char id[IDS_NCHARS + 1];
	struct tz_error err;
	assert_int_equal(problem_create(s, &spec, id, &err), TZ_OK);
	assert_true(ids_valid(id));
	struct problem p = got(s, id);
	assert_string_equal(p.state, "open");
	assert_string_equal(p.state_label, "待整改");
	assert_string_equal(p.owner, VILLAGE);
	assert_string_equal(p.village_code, VILLAGE);
	assert_int_equal(p.area, 1);
	assert_int_equal(p.task, 6);
	assert_string_equal(p.task_name, "实现教育扶贫政策全覆盖");
	assert_non_null(strstr(p.area_label, "（一）"));
	assert_string_equal(p.title, "张小明辍学未劝返");
	assert_string_equal(p.description, "辍学两个月");
	assert_string_equal(p.measures, "上门劝返");
	assert_string_equal(p.source, "inspection");
	assert_string_equal(p.household_id, HOUSEHOLD);
	assert_string_equal(p.responsible_unit, "zhongxinxiao"); /* given by its name */
	assert_string_equal(p.responsible_unit_name, "镇中心校");
	assert_string_equal(p.responsible_person, "李老师");
	assert_string_equal(p.deadline, "2019-05-31");
	assert_null(p.evidence);
	assert_null(p.finding_rule);
	problem_free(&p);
}

UNIT_TEST(test_create_defaults_source_to_self_check_and_village_to_the_store, fixture_setup_village, fixture_teardown)
{
	char id[IDS_NCHARS + 1];
	struct store *s = with_problem(state, id);
	struct problem p = got(s, id);
	assert_string_equal(p.source, "self_check");
	assert_string_equal(p.village_code, VILLAGE);
	problem_free(&p);
}

UNIT_TEST(test_create_records_the_opening_as_the_first_event, fixture_setup_village, fixture_teardown)
{
	char id[IDS_NCHARS + 1];
	struct store *s = with_problem(state, id);
	struct problem_event *ev;
	size_t n;
	struct tz_error err;
	assert_int_equal(problem_events(s, id, &ev, &n, &err), TZ_OK);
	assert_int_equal(n, 1);
	assert_null(ev[0].from_state);
	assert_string_equal(ev[0].to_state, "open");
	assert_string_equal(ev[0].by_user, USER);
	assert_string_equal(ev[0].owner, VILLAGE);
	problem_events_free(ev, n);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM audit_log WHERE action = 'problem.create'"),
			 1);
}

/* Each refused spec: what is changed, and a word the message must contain. */
static void expect_refused(struct store *s, struct problem_spec spec, const char *word)
{
	char id[IDS_NCHARS + 1];
	struct tz_error err;
	tz_error_clear(&err);
	assert_int_equal(problem_create(s, &spec, id, &err), TZ_EFAIL);
	if (strstr(err.msg, word) == NULL)
		fail_msg("message “%s” does not mention “%s”", err.msg, word);
}

UNIT_TEST(test_create_refuses_missing_or_invalid_fields_naming_them, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	/* valid_spec() with one text member set to value: refused, the message
	 * containing word. */
	static const struct {
		size_t member; /* offsetof a const char * of struct problem_spec */
		const char *value, *word;
	} texts[] = {
		{ offsetof(struct problem_spec, title), NULL, "问题标题" },
		{ offsetof(struct problem_spec, title), " 　 ", "问题标题" },
		{ offsetof(struct problem_spec, title), "两行\n标题", "问题标题" },
		{ offsetof(struct problem_spec, responsible_unit), "", "责任单位" },
		/* no unit of the town */
		{ offsetof(struct problem_spec, responsible_unit), "住建所",
		  "责任单位“住建所”不是本镇的单位" },
		{ offsetof(struct problem_spec, responsible_person), NULL, "责任人" },
		{ offsetof(struct problem_spec, deadline), NULL, "整改期限" },
		{ offsetof(struct problem_spec, deadline), "2019-02-30", "整改期限" },
		{ offsetof(struct problem_spec, source), "rumour", "问题来源" },
		{ offsetof(struct problem_spec, household_id), HOUSEHOLD, "建档立卡户" },
		{ offsetof(struct problem_spec, village_code), "34152210", "村代码" },
		{ offsetof(struct problem_spec, finding_rule), "exited-low-income", "核查规则" },
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct problem_spec spec = valid_spec();
		*(const char **)((char *)&spec + texts[i].member) = texts[i].value;
		expect_refused(s, spec, texts[i].word);
	}
	/* and the numbers out of their range */
	struct problem_spec spec;
	spec = valid_spec(), spec.area = 11;
	expect_refused(s, spec, "问题方面");
	spec = valid_spec(), spec.area = 0;
	expect_refused(s, spec, "问题方面");
	spec = valid_spec(), spec.task = 20;
	expect_refused(s, spec, "整改任务");
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM problems"), 0);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM problem_events"), 0);
}

UNIT_TEST(test_create_refuses_a_title_too_long_instead_of_cutting_it, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	char title[PROBLEM_TITLE_MAX_NCHARS * 3 + 4] = "";
	for (int i = 0; i < PROBLEM_TITLE_MAX_NCHARS; i++)
		strcat(title, "问");
	struct problem_spec spec = valid_spec();
	spec.title = title;
	char id[IDS_NCHARS + 1];
	struct tz_error err;
	assert_int_equal(problem_create(s, &spec, id, &err), TZ_OK);
	strcat(title, "题");
	expect_refused(s, spec, "太长");
}

UNIT_TEST(test_create_refuses_a_second_open_problem_for_the_same_finding, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	struct problem_spec spec = valid_spec();
	spec.source = "finding";
	spec.finding_rule = "exited-low-income";
	spec.finding_ref = HOUSEHOLD;
	char id[IDS_NCHARS + 1];
	struct tz_error err;
	assert_int_equal(problem_create(s, &spec, id, &err), TZ_OK);
	expect_refused(s, spec, "未销号");
	/* Once the first is closed, the finding may open a new problem. */
	move_ok(s, id, "rectified", NULL);
	move_ok(s, id, "closed", "照片");
	char id2[IDS_NCHARS + 1];
	assert_int_equal(problem_create(s, &spec, id2, &err), TZ_OK);
	/* ... and the closed one can no longer be reopened beside it. */
	assert_int_equal(problem_move(s, id, "reopened", NULL, NULL, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "另一个未销号的问题"));
	assert_state(s, id, "closed");
}

UNIT_TEST(test_create_inside_a_caller_transaction_is_undone_by_its_rollback, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	struct tz_error err;
	assert_int_equal(store_tx_begin(s, &err), TZ_OK);
	char id[IDS_NCHARS + 1];
	create(s, id);
	assert_true(store_tx_active(s));
	store_tx_rollback(s);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM problems"), 0);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM problem_events"), 0);
}

/* ---- the state machine ---- */

UNIT_TEST(test_move_allowed_is_exactly_the_documented_table, NULL, NULL)
{
	static const char *const states[] = { "open", "rectifying", "rectified", "closed",
					      "reopened" };
	static const char *const allowed[] = {
		"open>rectifying",     "open>rectified",     "rectifying>rectified",
		"rectified>closed",    "rectified>reopened", "reopened>rectifying",
		"reopened>rectified",  "closed>reopened",
	};
	int nallowed = 0;
	for (size_t i = 0; i < 5; i++) {
		for (size_t j = 0; j < 5; j++) {
			char pair[32];
			snprintf(pair, sizeof pair, "%s>%s", states[i], states[j]);
			int want = 0;
			for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++)
				want |= strcmp(allowed[k], pair) == 0;
			if (problem_move_allowed(states[i], states[j]) != want)
				fail_msg("%s should be %s", pair, want ? "allowed" : "refused");
			nallowed += want;
		}
	}
	assert_int_equal(nallowed, 8);
	assert_false(problem_move_allowed("open", "bogus"));
	assert_false(problem_move_allowed(NULL, "open"));
}

/* Bring a new problem to state by allowed moves. */
static void reach(struct store *s, char id[IDS_NCHARS + 1], const char *target)
{
	create(s, id);
	if (strcmp(target, "open") == 0)
		return;
	if (strcmp(target, "rectifying") == 0) {
		move_ok(s, id, "rectifying", NULL);
		return;
	}
	move_ok(s, id, "rectified", NULL);
	if (strcmp(target, "rectified") == 0)
		return;
	if (strcmp(target, "reopened") == 0) {
		move_ok(s, id, "reopened", NULL);
		return;
	}
	move_ok(s, id, "closed", "整改前后照片，存村部档案柜");
}

UNIT_TEST(test_every_allowed_move_succeeds_and_is_recorded, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	static const char *const pairs[][2] = {
		{ "open", "rectifying" },      { "open", "rectified" },
		{ "rectifying", "rectified" }, { "rectified", "closed" },
		{ "rectified", "reopened" },   { "reopened", "rectifying" },
		{ "reopened", "rectified" },   { "closed", "reopened" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char id[IDS_NCHARS + 1];
		reach(s, id, pairs[i][0]);
		assert_state(s, id, pairs[i][0]);
		sqlite3_int64 before = count_events(s, id);
		struct tz_error err;
		int rc = problem_move(s, id, pairs[i][1], "第 1 次复核", "照片", NULL, &err);
		if (rc != TZ_OK)
			fail_msg("%s -> %s refused: %s", pairs[i][0], pairs[i][1], err.msg);
		assert_state(s, id, pairs[i][1]);
		assert_int_equal(count_events(s, id), before + 1);
		struct problem_event *ev;
		size_t n;
		assert_int_equal(problem_events(s, id, &ev, &n, &err), TZ_OK);
		assert_string_equal(ev[n - 1].from_state, pairs[i][0]);
		assert_string_equal(ev[n - 1].to_state, pairs[i][1]);
		assert_string_equal(ev[n - 1].by_user, USER);
		assert_string_equal(ev[n - 1].note, "第 1 次复核");
		problem_events_free(ev, n);
	}
}

UNIT_TEST(test_refused_moves_change_nothing_and_name_the_allowed_ones, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	static const struct {
		const char *from, *to, *allowed_label;
	} refused[] = {
		{ "open", "closed", "整改中" },        { "open", "open", "已整改" },
		{ "open", "reopened", "整改中" },      { "rectifying", "open", "已整改" },
		{ "rectifying", "closed", "已整改" },  { "rectified", "rectifying", "已销号" },
		{ "rectified", "open", "重新整改" },   { "closed", "rectified", "重新整改" },
		{ "closed", "open", "重新整改" },      { "reopened", "closed", "整改中" },
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		char id[IDS_NCHARS + 1];
		reach(s, id, refused[i].from);
		sqlite3_int64 before = count_events(s, id);
		struct tz_error err;
		tz_error_clear(&err);
		int rc = problem_move(s, id, refused[i].to, NULL, "照片", NULL, &err);
		if (rc != TZ_EFAIL)
			fail_msg("%s -> %s was not refused", refused[i].from, refused[i].to);
		assert_non_null(strstr(err.msg, "张小明辍学未劝返"));
		if (strstr(err.msg, refused[i].allowed_label) == NULL)
			fail_msg("message “%s” lacks “%s”", err.msg, refused[i].allowed_label);
		assert_state(s, id, refused[i].from);
		assert_int_equal(count_events(s, id), before);
		assert_false(store_tx_active(s));
	}
}

UNIT_TEST(test_closing_without_evidence_is_refused_in_chinese, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	char id[IDS_NCHARS + 1];
	reach(s, id, "rectified");
	const char *msg = move(s, id, "closed", NULL, NULL, NULL, TZ_EFAIL);
	assert_non_null(strstr(msg, "佐证材料"));
	assert_non_null(strstr(msg, "不能销号"));
	move(s, id, "closed", NULL, "  ", NULL, TZ_EFAIL);
	assert_state(s, id, "rectified");
	move_ok(s, id, "closed", "验收表");
	struct problem p = got(s, id);
	assert_string_equal(p.evidence, "验收表");
	problem_free(&p);
}

UNIT_TEST(test_closing_accepts_evidence_recorded_by_an_earlier_move, fixture_setup_village, fixture_teardown)
{
	char id[IDS_NCHARS + 1];
	struct store *s = with_problem(state, id);
	move(s, id, "rectified", "已劝返", "复学证明", "上门劝返", TZ_OK);
	move(s, id, "closed", NULL, NULL, NULL, TZ_OK);
	struct problem p = got(s, id);
	assert_string_equal(p.state, "closed");
	assert_string_equal(p.evidence, "复学证明");
	assert_string_equal(p.measures, "上门劝返");
	problem_free(&p);
}

UNIT_TEST(test_move_accepts_the_chinese_label_and_rejects_unknown_states, fixture_setup_village, fixture_teardown)
{
	char id[IDS_NCHARS + 1];
	struct store *s = with_problem(state, id);
	move(s, id, "整改中", NULL, NULL, NULL, TZ_OK);
	assert_state(s, id, "rectifying");
	assert_non_null(strstr(move(s, id, "done", NULL, NULL, NULL, TZ_EUSAGE), "done"));
	assert_state(s, id, "rectifying");
	assert_non_null(strstr(move(s, "00000000000000000000000000000000", "rectified", NULL, NULL,
				    NULL, TZ_EFAIL),
			       "没有编号"));
}

UNIT_TEST(test_every_move_is_audited_and_stamps_updated_at, fixture_setup_village, fixture_teardown)
{
	char id[IDS_NCHARS + 1];
	struct store *s = with_problem(state, id);
	fixture_sql(s, "UPDATE problems SET updated_at = '2000-01-01T00:00:00Z'");
	move_ok(s, id, "rectifying", NULL);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM audit_log WHERE action = 'problem.move'"
				      " AND detail = 'open -> rectifying'"),
			 1);
	assert_int_equal(fixture_int(s, "SELECT updated_at > '2019' FROM problems"), 1);
}

UNIT_TEST(test_move_inside_a_caller_transaction_leaves_commit_to_the_caller, fixture_setup_village, fixture_teardown)
{
	char id[IDS_NCHARS + 1];
	struct store *s = with_problem(state, id);
	struct tz_error err;
	assert_int_equal(store_tx_begin(s, &err), TZ_OK);
	move_ok(s, id, "rectifying", NULL);
	assert_true(store_tx_active(s));
	store_tx_rollback(s);
	assert_state(s, id, "open");
	assert_int_equal(count_events(s, id), 1);
}

/* ---- reading ---- */

UNIT_TEST(test_list_filters_by_state_overdue_area_and_task, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	char a[IDS_NCHARS + 1], b[IDS_NCHARS + 1], c[IDS_NCHARS + 1];
	struct problem_spec spec = valid_spec();
	struct tz_error err;
	spec.deadline = "2019-05-10";
	assert_int_equal(problem_create(s, &spec, a, &err), TZ_OK); /* open, overdue on 5-15 */
	spec.deadline = "2019-05-15";
	spec.area = 9;
	spec.task = 13;
	assert_int_equal(problem_create(s, &spec, b, &err), TZ_OK); /* due on the day itself */
	spec.deadline = "2019-05-01";
	assert_int_equal(problem_create(s, &spec, c, &err), TZ_OK);
	move_ok(s, c, "rectified", NULL);
	move_ok(s, c, "closed", "照片"); /* closed: never overdue */

	struct problem_list l;
	assert_int_equal(problem_list(s, &(struct problem_filter){ 0 }, &l, &err), TZ_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].id, c); /* by deadline */
	problem_list_free(&l);

	assert_int_equal(problem_list(s, &(struct problem_filter){ .overdue_as_of = "2019-05-15" },
				      &l, &err),
			 TZ_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].id, a);
	problem_list_free(&l);

	assert_int_equal(problem_list(s, &(struct problem_filter){ .state = "已销号" }, &l, &err),
			 TZ_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].id, c);
	problem_list_free(&l);

	assert_int_equal(problem_list(s, &(struct problem_filter){ .unclosed = 1, .area = 9 }, &l,
				      &err),
			 TZ_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].id, b);
	problem_list_free(&l);

	assert_int_equal(problem_list(s, &(struct problem_filter){ .task = 6 }, &l, &err), TZ_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].id, a);
	problem_list_free(&l);

	assert_int_equal(problem_list(s, &(struct problem_filter){ .state = "finished" }, &l, &err),
			 TZ_EUSAGE);
}

UNIT_TEST(test_resolve_finds_a_problem_by_a_unique_prefix, fixture_setup_village, fixture_teardown)
{
	struct store *s = fixture_store(state);
	fixture_sql(s, "INSERT INTO problems(id, owner, village_code, area, task, title, source,"
	       " responsible_unit, responsible_person, deadline, created_at, updated_at) VALUES"
	       " ('abcd0000000000000000000000000001', '" VILLAGE "', '" VILLAGE "', 1, 1, 'a',"
	       "  'self_check', 'u', 'p', '2019-05-31', " T0 ", " T0 "),"
	       " ('abcd0000000000000000000000000002', '" VILLAGE "', '" VILLAGE "', 1, 1, 'b',"
	       "  'self_check', 'u', 'p', '2019-05-31', " T0 ", " T0 "),"
	       " ('ef010000000000000000000000000003', '" VILLAGE "', '" VILLAGE "', 1, 1, 'c',"
	       "  'self_check', 'u', 'p', '2019-05-31', " T0 ", " T0 ")");
	char id[IDS_NCHARS + 1];
	struct tz_error err;
	assert_int_equal(problem_resolve(s, "ef01", id, &err), TZ_OK);
	assert_string_equal(id, "ef010000000000000000000000000003");
	assert_int_equal(problem_resolve(s, "abcd0000000000000000000000000002", id, &err), TZ_OK);
	assert_string_equal(id, "abcd0000000000000000000000000002");
	assert_int_equal(problem_resolve(s, "abcd", id, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "不止一个"));
	assert_int_equal(problem_resolve(s, "9999", id, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "没有编号"));
	assert_int_equal(problem_resolve(s, "ef0", id, &err), TZ_EFAIL);
	assert_int_equal(problem_resolve(s, "EF01", id, &err), TZ_EFAIL);
	assert_int_equal(problem_resolve(s, "ef01%", id, &err), TZ_EFAIL);
}

int main(void)
{
	return unit_run("problem", NULL, NULL);
}
