/*
 * test_browse.c — what the town's screens list (src/model/browse.c) as a
 * specification: at a town store holding two villages' rows, the villages with
 * their names and counts, one village's households (and the search within it),
 * the households and members a dispatch may point at, a village's label, and
 * money shown as 元 with its sign.
 *
 * Each test gets a fresh town store from the fixture (fixture.h), with rows
 * written directly, as an import would have left them.
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

#include "taizhang/browse.h"
#include "taizhang/model.h"
#include "taizhang/store.h"

#include "fixture.h"
#include "unit.h"

#define TOWN FIXTURE_TOWN
#define VA FIXTURE_VILLAGE
#define VB "341522104202"
#define T0 "'2019-04-20T01:00:00Z'"

/* Two villages: 示范村 (two households, one open and one closed problem) and
 * 前进村 (one household, one open problem). */
static const char rows[] =
	"INSERT INTO villages(code, owner, name, created_at, updated_at) VALUES"
	" ('" VB "', '" VB "', '前进村', " T0 ", " T0 "),"
	" ('" VA "', '" VA "', '示范村', " T0 ", " T0 ");"
	"INSERT INTO households(id, owner, village_code, status, created_at, updated_at) VALUES"
	" ('a1000000000000000000000000000001', '" VA "', '" VA "', 'helped', " T0 ", " T0 "),"
	" ('a2000000000000000000000000000002', '" VA "', '" VA "', 'exited', " T0 ", " T0 "),"
	" ('b1000000000000000000000000000001', '" VB "', '" VB "', 'helped', " T0 ", " T0 ");"
	"INSERT INTO members(id, owner, household_id, name, idcard, relation, sex, birth_date,"
	" created_at, updated_at) VALUES"
	" ('ma100000000000000000000000000001', '" VA "', 'a1000000000000000000000000000001',"
	"  '张大山', '34152219800101001X', 'head', 'male', '1980-01-01', " T0 ", " T0 "),"
	" ('ma200000000000000000000000000002', '" VA "', 'a2000000000000000000000000000002',"
	"  '李小花', '341522198202020028', 'head', 'female', '1982-02-02', " T0 ", " T0 "),"
	" ('mb100000000000000000000000000001', '" VB "', 'b1000000000000000000000000000001',"
	"  '张前进', '341522197503030035', 'head', 'male', '1975-03-03', " T0 ", " T0 ");"
	"INSERT INTO problems(id, owner, village_code, area, task, title, source, responsible_unit,"
	" responsible_person, deadline, state, created_at, updated_at) VALUES"
	" ('pa100000000000000000000000000001', '" VA "', '" VA "', 1, 1, '甲', 'self_check', '村', '王',"
	"  '2019-05-31', 'open', " T0 ", " T0 "),"
	" ('pa200000000000000000000000000002', '" VA "', '" VA "', 1, 1, '乙', 'self_check', '村', '王',"
	"  '2019-05-31', 'closed', " T0 ", " T0 "),"
	" ('pb100000000000000000000000000001', '" TOWN "', '" VB "', 1, 1, '丙', 'dispatch', '村', '王',"
	"  '2019-05-31', 'open', " T0 ", " T0 ");";

/* A town store (fixture.h) holding the rows above. */
static int setup(void **state)
{
	if (fixture_setup_town(state) != 0)
		return -1;
	fixture_sql(fixture_store(state), rows);
	return 0;
}

UNIT_TEST(villages_are_listed_by_code_with_names_and_counts, setup, fixture_teardown)
{
	struct browse_row *r;
	size_t n;
	struct tz_error err;
	assert_int_equal(browse_villages(fixture_store(state), &r, &n, &err), TZ_OK);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].id, VA);
	assert_string_equal(r[0].cells[0], "示范村");
	assert_string_equal(r[0].cells[1], "2"); /* households */
	assert_string_equal(r[0].cells[2], "1"); /* problems not closed */
	assert_string_equal(r[1].id, VB);
	assert_string_equal(r[1].cells[0], "前进村");
	assert_string_equal(r[1].cells[1], "1");
	assert_string_equal(r[1].cells[2], "1"); /* the town's dispatch counts for the village */
	browse_rows_free(r, n);
}

/* The households browse_village_households lists (at most 100) in village
 * (NULL: every village) matching search and status (NULL: any); *n of them,
 * of *total. Caller frees. Fails the test when it does not succeed. */
static struct household_row *households_of(void **state, const char *village, const char *search,
					   const char *status, size_t *n, size_t *total)
{
	struct household_row *r;
	struct tz_error err;
	if (browse_village_households(fixture_store(state), village, search, status, 100, &r, n, total,
				      &err) != TZ_OK)
		fail_msg("browse_village_households: %s", err.msg);
	return r;
}

/* households_of finds exactly one household, headed by head. */
static void assert_finds_only(void **state, const char *village, const char *search, const char *status,
			      const char *head)
{
	size_t n, total;
	struct household_row *r = households_of(state, village, search, status, &n, &total);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].head, head);
	free(r);
}

UNIT_TEST(one_villages_households_only, setup, fixture_teardown)
{
	size_t n, total;
	struct household_row *r = households_of(state, VA, NULL, NULL, &n, &total);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	for (size_t i = 0; i < n; i++)
		assert_true(r[i].id[0] == 'a');
	free(r);
	assert_finds_only(state, VB, NULL, NULL, "张前进");
}

UNIT_TEST(search_and_status_stay_within_the_village, setup, fixture_teardown)
{
	/* 张 is a head in both villages: only 示范村's is found there */
	assert_finds_only(state, VA, "张", NULL, "张大山");
	assert_finds_only(state, VA, NULL, "exited", "李小花");
}

UNIT_TEST(no_village_means_every_village, setup, fixture_teardown)
{
	size_t n, total;
	struct household_row *r = households_of(state, NULL, "张", NULL, &n, &total);
	assert_int_equal(n, 2);
	free(r);
	struct tz_error err;
	assert_int_equal(browse_households(fixture_store(state), NULL, NULL, 100, &r, &n, &total, &err), TZ_OK);
	assert_int_equal(total, 3);
	free(r);
}

UNIT_TEST(a_dispatch_picks_among_the_villages_own_rows, setup, fixture_teardown)
{
	struct browse_row *r;
	size_t n;
	struct tz_error err;
	assert_int_equal(browse_village_ref_choices(fixture_store(state), "households", VB, &r, &n, &err), TZ_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].id, "b1000000000000000000000000000001");
	assert_non_null(strstr(r[0].cells[0], "张前进"));
	browse_rows_free(r, n);
	assert_int_equal(browse_village_ref_choices(fixture_store(state), "members", VA, &r, &n, &err), TZ_OK);
	assert_int_equal(n, 2);
	browse_rows_free(r, n);
	/* any other table: every row, as browse_ref_choices */
	assert_int_equal(browse_village_ref_choices(fixture_store(state), "villages", VA, &r, &n, &err), TZ_OK);
	assert_int_equal(n, 2);
	browse_rows_free(r, n);
}

UNIT_TEST(a_village_is_labelled_by_its_name, setup, fixture_teardown)
{
	char label[64];
	struct tz_error err;
	assert_int_equal(browse_ref_label(fixture_store(state), "villages", VB, label, sizeof label, &err), TZ_OK);
	assert_string_equal(label, "前进村");
	assert_int_equal(browse_ref_label(fixture_store(state), "villages", "341522104299", label, sizeof label,
					  &err),
			 TZ_OK);
	assert_string_equal(label, "");
}

/* The text SQL gives for one value (one row, one column), into out. */
static void sql_text(struct store *s, const char *query, char *out, size_t cap)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), query, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *t = (const char *)sqlite3_column_text(st, 0);
	snprintf(out, cap, "%s", t ? t : "(null)");
	sqlite3_finalize(st);
}

UNIT_TEST(money_is_listed_in_yuan_with_its_sign_in_front, setup, fixture_teardown)
{
	struct store *s = fixture_store(state);
	fixture_sql(s, "UPDATE households SET income_cents = 123456 WHERE id = 'a1000000000000000000000000000001';"
	       "UPDATE households SET income_cents = 0 WHERE id = 'a2000000000000000000000000000002';");
	static const char *const columns[] = { "income_cents" };
	struct browse_row *r;
	size_t n;
	struct tz_error err;
	assert_int_equal(browse_children(s, model_table("households"), NULL, columns, 1, &r, &n, &err), TZ_OK);
	assert_int_equal(n, 3);
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].id, "a1000000000000000000000000000001") == 0)
			seen += strcmp(r[i].cells[0], "1234.56") == 0;
		else if (strcmp(r[i].id, "a2000000000000000000000000000002") == 0)
			seen += strcmp(r[i].cells[0], "0.00") == 0;
		else
			seen += strcmp(r[i].cells[0], "") == 0; /* not filled in */
	}
	assert_int_equal(seen, 3);
	browse_rows_free(r, n);
	/* The schema keeps amounts >= 0; the SQL function behind the listing
	 * keeps the sign of an amount under one 元 in front ("0.-50" before). */
	char text[64];
	sql_text(s, "SELECT tz_yuan(-50)", text, sizeof text);
	assert_string_equal(text, "-0.50");
	sql_text(s, "SELECT tz_yuan_short(-370000) || ' ' || tz_yuan_short(307050)", text, sizeof text);
	assert_string_equal(text, "-3700 3070.50");
	sql_text(s, "SELECT tz_yuan(NULL)", text, sizeof text);
	assert_string_equal(text, "(null)");
}

int main(void)
{
	return unit_run("browse", NULL, NULL);
}
