/*
 * test_roster.c — the 低保 rosters as counties send them (src/roster/,
 * issue 14): a household-level roster in GB18030 with a title row, CRLF, blank
 * lines and a 合计 row; a person-level one with no 户主 columns; headers mapped
 * by the user; a county roster split by village at a demo town; the ledger's
 * 低保 against the roster both ways with counts that agree with the roster;
 * a newer roster's difference before it replaces the old one; hostile cells.
 *
 * Rosters are UTF-8 text here, turned into GB18030 with iconv(3)
 * (fixture_gb18030) where the test says so; ID numbers come from idcard_make,
 * so their check characters are right unless a test spoils one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/demo.h"
#include "taizhang/idcard.h"
#include "taizhang/roster.h"
#include "taizhang/secret.h"
#include "taizhang/store.h"
#include "taizhang/xalloc.h"

#include "fixture.h"

#define TODAY "2019-04-20"

/* Registered: 0001 张大山 (head) with 张小军 (son), 0002 李老四. */
static const char households_csv[] =
	"户编号,村民小组,姓名,身份证号,与户主关系,户状态\n"
	"0001,张庄组,张大山,%s,户主,帮扶中\n"
	"0001,张庄组,张小军,%s,之子,\n"
	"0002,李洼组,李老四,%s,户主,帮扶中\n";

struct people {
	char h1[IDCARD_NCHARS + 1], c1[IDCARD_NCHARS + 1], h2[IDCARD_NCHARS + 1];
	char d1[IDCARD_NCHARS + 1], d2[IDCARD_NCHARS + 1], d3[IDCARD_NCHARS + 1];
};

static void people_make(struct people *p)
{
	char *const id[] = { p->h1, p->c1, p->h2, p->d1, p->d2, p->d3 };
	/* Each one's birth date, which is also the sequence number's digit. */
	static const int born[][3] = { { 1960, 1, 1 }, { 1990, 3, 3 }, { 1955, 5, 5 },
				       { 1970, 7, 7 }, { 1972, 8, 8 }, { 1980, 9, 9 } };
	for (size_t i = 0; i < sizeof born / sizeof born[0]; i++)
		idcard_make(id[i], "341522", born[i][0], born[i][1], born[i][2], born[i][2]);
}

/* The test's store, and its people's ID numbers in p. */
static struct store *given_people(void **state, struct people *p)
{
	people_make(p);
	return fixture_store(state);
}

static int setup(void **state)
{
	setenv("TAIZHANG_TODAY", TODAY, 1);
	return fixture_setup_village(state);
}

static int setup_town(void **state)
{
	setenv("TAIZHANG_TODAY", TODAY, 1);
	return fixture_setup_town(state);
}

/* printf into a malloc'd string. */
static char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *text(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = NULL;
	assert_true(vasprintf(&out, fmt, ap) >= 0);
	va_end(ap);
	return out;
}

static void load_households(struct store *s, const struct people *p)
{
	char *csv = text(households_csv, p->h1, p->c1, p->h2);
	struct roster_report rep = { 0 };
	struct tz_error err = { 0 };
	if (roster_import_households(s, "hh.csv", csv, strlen(csv), &rep, &err) != TZ_OK)
		fail_msg("households refused: %s", err.msg);
	roster_report_free(&rep);
	free(csv);
}

/* Import data as a 低保 roster with options o; fail the test on refusal. */
static void import_ok(struct store *s, const char *data, size_t n,
		      const struct roster_dibao_options *o, struct roster_report *rep)
{
	struct tz_error err = { 0 };
	*rep = (struct roster_report){ 0 };
	if (roster_import_dibao_with(s, "dibao.csv", data, n, o, rep, &err) != TZ_OK) {
		for (size_t i = 0; i < rep->nproblems; i++)
			fprintf(stderr, "%s\n", rep->problems[i]);
		fail_msg("refused: %s", err.msg);
	}
}

/* import_ok of the text csv, its report not looked at. */
static void import_csv(struct store *s, const char *csv, const struct roster_dibao_options *o)
{
	struct roster_report rep;
	import_ok(s, csv, strlen(csv), o, &rep);
	roster_report_free(&rep);
}

/* Import the text csv, named name, as a 低保 roster with options o, which must
 * return want (the test fails otherwise). Its report in *rep (the caller frees
 * it); returns the message, in a buffer of this file good until the next call. */
static const char *import_refused(struct store *s, const char *name, const char *csv,
				  const struct roster_dibao_options *o, int want,
				  struct roster_report *rep)
{
	static struct tz_error err;
	err = (struct tz_error){ 0 };
	*rep = (struct roster_report){ 0 };
	int rc = roster_import_dibao_with(s, name, csv, strlen(csv), o, rep, &err);
	if (rc != want)
		fail_msg("%s: import returned %d, not %d: %s", name, rc, want, err.msg);
	return err.msg;
}

static const struct roster_dibao_options replace = { NULL, 0, 1 };
static const struct roster_dibao_options ask = { NULL, 0, 0 };

static const struct roster_household *find(const struct roster_household_list *l, const char *head)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].head_name, head) == 0)
			return &l->items[i];
	return NULL;
}

/* The county's household-level roster: a merged title, a blank row, the
 * header, two households, a blank row, a 合计 row and a note; CRLF. 张大山's
 * household is on it through his son's household? No: through 张大山 himself,
 * 保障人数 2 of 家庭人口 3; 王五 is not registered. */
static char *household_roster(const struct people *p)
{
	return text("XX县2019年4月农村低保花名册,,,,,,\r\n"
		    ",,,,,,\r\n"
		    "序号,户主姓名,户主身份证号,家庭人口,保障人数,月保障金额,村（居）\r\n"
		    "1,张大山,%s,3,2,\"1,000.00\",示范村\r\n"
		    "2,王五,%s,4,4,1200,示范村\r\n"
		    ",,,,,,\r\n"
		    "合计,,,7,6,2200,\r\n"
		    "制表人：李会计    审核人：王主任,,,,,,\r\n",
		    p->h1, p->d1);
}

static void a_household_level_gb18030_roster_with_a_title_row_imports_and_compares(void **state)
{
	struct people p;
	struct store *s = given_people(state, &p);
	load_households(s, &p);
	char *utf8 = household_roster(&p);
	size_t n;
	char *gb = fixture_gb18030(utf8, &n);
	struct roster_report rep;
	import_ok(s, gb, n, &ask, &rep);
	assert_string_equal(rep.encoding, "GB18030");
	assert_string_equal(rep.layout, "每户一行");
	assert_string_equal(rep.month, "2019-04");
	assert_int_equal(rep.households, 2);
	assert_int_equal(rep.persons, 6); /* 保障人数 2 + 4, not the 2 rows */
	assert_int_equal(rep.skipped, 2); /* 合计 and the signatures */
	assert_null(rep.ignored_columns == NULL ? NULL : strstr(rep.ignored_columns, "户主"));
	assert_null(rep.diff);            /* the first roster replaces nothing */
	roster_report_free(&rep);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM roster_imports WHERE layout = 'household'"
				      " AND month = '2019-04'"), 1);
	assert_int_equal(fixture_int(s, "SELECT sum(covered) FROM dibao_roster"), 6);
	assert_int_equal(fixture_int(s, "SELECT sum(monthly_cents) FROM dibao_roster"), 220000);

	struct roster_comparison c;
	struct tz_error err = { 0 };
	assert_int_equal(roster_compare_dibao(s, &c, &err), TZ_OK);
	assert_int_equal(c.registered, 2);
	assert_int_equal(c.dibao, 2);
	assert_int_equal(c.dibao_persons, 6);
	assert_int_equal(c.registered_matched.n, 1);
	assert_non_null(find(&c.registered_matched, "张大山"));
	assert_non_null(find(&c.registered_only, "李老四"));
	const struct roster_household *w = find(&c.dibao_only, "王五");
	assert_non_null(w);
	assert_int_equal(w->nmembers, 4);
	const struct roster_household *z = find(&c.dibao_matched, "张大山");
	assert_non_null(z);
	assert_int_equal(z->nmembers, 2); /* its 保障人数 */
	roster_comparison_free(&c);
	free(gb);
	free(utf8);
}

static void a_person_level_roster_without_head_columns_groups_under_each_head(void **state)
{
	struct people p;
	struct store *s = given_people(state, &p);
	char *csv = text("\xEF\xBB\xBF"
			 "姓名,公民身份号码,与户主关系,保障金额(元)\n"
			 "王五,%s,户主,300\n"
			 "赵六,%s,妻,300\n"
			 "孙七,%s,本人,250\n",
			 p.d1, p.d2, p.d3);
	struct roster_report rep;
	import_ok(s, csv, strlen(csv), &ask, &rep);
	assert_string_equal(rep.layout, "每人一行");
	assert_int_equal(rep.households, 2);
	assert_int_equal(rep.persons, 3);
	roster_report_free(&rep);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM dibao_roster WHERE head_idcard = '%s'"
		 " AND head_name = '王五'", p.d1);
	assert_int_equal(fixture_int(s, sql), 2);
	free(csv);
}

static void a_head_named_by_number_only_takes_the_name_of_its_own_row(void **state)
{
	struct people p;
	struct store *s = given_people(state, &p);
	/* The spouse's row comes first; the 户主 row is found by its number. */
	char *csv = text("户主身份证号,姓名,身份证号\n"
			 "%s,赵六,%s\n"
			 "%s,王五,%s\n"
			 "%s,孙七,%s\n",
			 p.d1, p.d2, p.d1, p.d1, p.h2, p.d3);
	struct roster_report rep;
	import_refused(s, "x.csv", csv, &ask, TZ_EFAIL, &rep);
	/* 孙七's 户主 has no row of their own: no name to give. */
	assert_int_equal(rep.nproblems, 1);
	assert_true(fixture_has_problem(&rep, 4, "缺少户主姓名"));
	roster_report_free(&rep);
	free(csv);
	csv = text("户主身份证号,姓名,身份证号\n%s,赵六,%s\n%s,王五,%s\n", p.d1, p.d2, p.d1, p.d1);
	import_csv(s, csv, &ask);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM dibao_roster WHERE head_name = '王五'"), 2);
	free(csv);
}

static void headers_that_differ_are_refused_with_what_was_found_then_mapped(void **state)
{
	struct people p;
	struct store *s = given_people(state, &p);
	char *csv = text("低保对象名单\n"
			 "编号,户主名字,户主证件,家庭人口\n"
			 "1,王五,%s,2\n",
			 p.d1);
	struct roster_report rep;
	const char *msg = import_refused(s, "x.csv", csv, &ask, TZ_EFAIL, &rep);
	assert_true(rep.header_missing);
	assert_non_null(strstr(msg, "找不到表头"));
	assert_non_null(strstr(msg, "“户主名字”、“户主证件”")); /* the headers found */
	assert_non_null(strstr(msg, "--column")); /* and how to map them */
	roster_report_free(&rep);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM dibao_roster"), 0);

	struct tz_error err = { 0 };
	struct roster_column_map map[2];
	assert_int_equal(roster_column_map_parse("户主姓名=户主名字", &map[0], &err), TZ_OK);
	assert_int_equal(roster_column_map_parse(" 户主身份证号 ＝ 户主证件 ", &map[1], &err), TZ_OK);
	assert_string_equal(map[1].column, "户主身份证号");
	assert_string_equal(map[1].header, "户主证件");
	assert_int_equal(roster_column_map_parse("户主证件", &map[1], &err), TZ_EUSAGE);
	const struct roster_dibao_options mapped = { map, 2, 0 };
	import_ok(s, csv, strlen(csv), &mapped, &rep);
	assert_int_equal(rep.households, 1);
	assert_int_equal(rep.persons, 2); /* no 保障人数: its 家庭人口 */
	roster_report_free(&rep);

	struct roster_column_map bad;
	assert_int_equal(roster_column_map_parse("身份证=户主证件", &bad, &err), TZ_OK);
	const struct roster_dibao_options unknown = { &bad, 1, 1 };
	assert_non_null(strstr(import_refused(s, "x.csv", csv, &unknown, TZ_EUSAGE, &rep),
			       "没有“身份证”这一列"));
	roster_report_free(&rep);
	free(csv);
}

static void the_ledgers_dibao_is_compared_both_ways_with_counts_that_agree(void **state)
{
	struct people p;
	struct store *s = given_people(state, &p);
	load_households(s, &p);
	/* The ledger records 低保 for 李老四's household (not on the roster) and
	 * for 张大山's (on it); one that ended does not count. */
	char *sql = text("INSERT INTO social_security(id, owner, household_id, kind, start_on, end_on,"
			 " monthly_cents, created_at, updated_at)"
			 " SELECT lower(hex(randomblob(16))), owner, household_id, 'dibao', '2018-01-01', NULL,"
			 " 30000, 'x', 'x' FROM members WHERE idcard IN ('%s', '%s');"
			 "INSERT INTO social_security(id, owner, household_id, kind, start_on, end_on,"
			 " monthly_cents, created_at, updated_at)"
			 " SELECT lower(hex(randomblob(16))), owner, household_id, 'dibao', '2017-01-01',"
			 " '2018-12-31', 30000, 'x', 'x' FROM members WHERE idcard = '%s'",
			 p.h2, p.h1, p.c1);
	fixture_exec(s, sql);
	free(sql);
	char *csv = household_roster(&p);
	import_csv(s, csv, &ask);

	struct roster_comparison c;
	struct roster_comparison_counts k;
	struct tz_error err = { 0 };
	assert_int_equal(roster_compare_dibao(s, &c, &err), TZ_OK);
	assert_int_equal(roster_compare_dibao_counts(s, NULL, &k, &err), TZ_OK);
	assert_int_equal(c.ledger_dibao, 2);
	assert_int_equal(c.ledger_not_on_roster.n, 1);
	assert_non_null(find(&c.ledger_not_on_roster, "李老四"));
	assert_int_equal(c.roster_not_in_ledger.n, 0);
	assert_int_equal(c.dibao_only.n, 1); /* on the roster, not registered: 王五 */
	assert_non_null(find(&c.dibao_only, "王五"));
	assert_int_equal(k.ledger_dibao, c.ledger_dibao);
	assert_int_equal(k.ledger_not_on_roster, c.ledger_not_on_roster.n);
	assert_int_equal(k.roster_not_in_ledger, c.roster_not_in_ledger.n);
	assert_int_equal(k.dibao_persons, c.dibao_persons);
	assert_int_equal(k.dibao_persons, 6);
	assert_int_equal(k.dibao_only, c.dibao_only.n);
	assert_int_equal(k.registered_only, c.registered_only.n);
	roster_comparison_free(&c);
	roster_comparison_counts_free(&k);
	free(csv);
}

static void a_newer_roster_shows_its_difference_before_it_replaces_the_old(void **state)
{
	struct people p;
	struct store *s = given_people(state, &p);
	char *old = household_roster(&p);
	struct roster_report rep;
	import_csv(s, old, &ask);
	/* 张大山: 保障人数 2 → 3, amount 1000 → 1500; 王五 removed; 孙七 added. */
	char *newer = text("户主姓名,户主身份证号,家庭人口,保障人数,月保障金额\r\n"
			   "张大山,%s,3,3,1500\r\n"
			   "孙七,%s,1,1,400\r\n",
			   p.h1, p.d3);
	assert_non_null(strstr(import_refused(s, "new.csv", newer, &ask, TZ_EFAIL, &rep),
			       "--replace"));
	assert_true(rep.needs_replace);
	const struct roster_diff *d = rep.diff;
	assert_non_null(d);
	assert_string_equal(d->old_file_name, "dibao.csv");
	assert_string_equal(d->old_month, "2019-04");
	assert_int_equal(d->old_households, 2);
	assert_int_equal(d->old_persons, 6);
	assert_int_equal(d->new_households, 2);
	assert_int_equal(d->new_persons, 4);
	assert_int_equal(d->added_households, 1);
	assert_int_equal(d->removed_households, 1);
	assert_int_equal(d->changed_households, 1);
	assert_int_equal(d->old_amount_cents, 220000);
	assert_int_equal(d->new_amount_cents, 190000);
	assert_int_equal(d->nlines, 3);
	int added = 0, removed = 0, changed = 0;
	for (size_t i = 0; i < d->nlines; i++) {
		added += strstr(d->lines[i], "新增：孙七") != NULL;
		removed += strstr(d->lines[i], "减少：王五") != NULL;
		changed += strstr(d->lines[i], "变化：张大山") != NULL &&
			   strstr(d->lines[i], "保障人数 2→3") != NULL &&
			   strstr(d->lines[i], "月保障金 1000.00→1500.00 元") != NULL;
	}
	assert_true(added == 1 && removed == 1 && changed == 1);
	size_t nlines;
	char **lines = roster_diff_text(d, "2019-03", &nlines);
	assert_int_equal(nlines, 3 + 1 + d->nlines);
	assert_non_null(strstr(lines[0], "dibao.csv（2019-04） 相比（新名册：2019-03）"));
	assert_non_null(strstr(lines[1], "户数 2 → 2，保障人数 6 → 4，月保障金合计 2200.00 → 1900.00 元"));
	assert_non_null(strstr(lines[3], "新名册的月份 2019-03 早于原来名册的 2019-04"));
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	roster_report_free(&rep);
	/* Nothing replaced yet. */
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM roster_imports"), 1);
	assert_int_equal(fixture_int(s, "SELECT sum(covered) FROM dibao_roster"), 6);
	/* Confirmed: replaced, the same difference reported. */
	import_ok(s, newer, strlen(newer), &replace, &rep);
	assert_non_null(rep.diff);
	assert_int_equal(rep.diff->changed_households, 1);
	assert_int_equal(rep.replaced, 2);
	roster_report_free(&rep);
	assert_int_equal(fixture_int(s, "SELECT sum(covered) FROM dibao_roster"), 4);
	free(old);
	free(newer);
}

static void hostile_cells_are_bad_rows_named_by_line_and_column(void **state)
{
	struct people p;
	struct store *s = given_people(state, &p);
	char spoiled[IDCARD_NCHARS + 1];
	memcpy(spoiled, p.d2, sizeof spoiled);
	spoiled[17] = spoiled[17] == '1' ? '2' : '1';
	char *csv = text("户主姓名,户主身份证号,保障人数,村代码\n"
			 "王\x1b[2J五,%s,2,\n"
			 "赵六,%s,2,\n"
			 "孙七,%s,200,34152210420\n",
			 p.d1, spoiled, p.d3);
	struct roster_report rep;
	import_refused(s, "x.csv", csv, &replace, TZ_EFAIL, &rep);
	assert_true(fixture_has_problem(&rep, 2, "户主姓名"));
	assert_true(fixture_has_problem(&rep, 3, "户主身份证号"));
	assert_true(fixture_has_problem(&rep, 3, "校验码"));
	assert_true(fixture_has_problem(&rep, 4, "保障人数"));
	roster_report_free(&rep);
	assert_int_equal(fixture_int(s, "SELECT count(*) FROM dibao_roster"), 0);
	free(csv);
}

/* ---- a town ---- */

/* Three demo villages in the town store s (seed: the first's demo seed). */
static void demo_villages(struct store *s, unsigned seed, char codes[3][13], const char *names[3])
{
	struct tz_error err = { 0 };
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(demo_town_village(FIXTURE_TOWN, i, codes[i], &names[i], &err), TZ_OK);
		struct demo_options o = { .households = 12, .seed = seed + i, .village_code = codes[i],
					  .village_name = names[i] };
		if (demo_populate(s, &o, &err) != TZ_OK)
			fail_msg("demo: %s", err.msg);
	}
}

static void a_county_roster_is_split_by_village_at_a_demo_town(void **state)
{
	struct store *s = fixture_store(state);
	char codes[3][13];
	const char *names[3];
	struct tz_error err = { 0 };
	demo_villages(s, 5, codes, names);
	/* Before: each village against its own roster, not one village's. */
	struct roster_comparison before;
	assert_int_equal(roster_compare_dibao(s, &before, &err), TZ_OK);
	assert_int_equal(before.nvillages, 3);
	assert_int_equal(before.registered, 36);
	size_t own_dibao = 0;
	for (size_t i = 0; i < 3; i++) {
		assert_non_null(before.villages[i].file_name);
		assert_false(before.villages[i].county);
		assert_int_equal(before.villages[i].registered, 12);
		own_dibao += before.villages[i].dibao;
	}
	assert_int_equal(before.dibao, own_dibao);
	assert_int_equal(before.dibao,
			 (size_t)fixture_int(s, "SELECT count(DISTINCT upper(head_idcard)) FROM dibao_roster"));

	/* The county's roster: one household of village 2 by its code, one of
	 * village 3 by its name, one of another town. */
	char *sql = text("SELECT m.name || ',' || m.idcard FROM members m JOIN households h"
			 " ON h.id = m.household_id WHERE h.village_code = '%s' AND m.relation = 'head'"
			 " ORDER BY m.idcard LIMIT 1", codes[1]);
	char v2[128], v3[128];
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(v2, sizeof v2, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	free(sql);
	sql = text("SELECT m.name || ',' || m.idcard FROM members m JOIN households h"
		   " ON h.id = m.household_id WHERE h.village_code = '%s' AND m.relation = 'head'"
		   " ORDER BY m.idcard LIMIT 1", codes[2]);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(v3, sizeof v3, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	free(sql);
	char other[IDCARD_NCHARS + 1];
	idcard_make(other, "341522", 1966, 6, 6, 61);
	char *csv = text("户主姓名,户主身份证号,保障人数,村代码,所在村\n"
			 "%s,2,%s,\n"
			 "%s,3,,%s\n"
			 "外镇人,%s,1,341522105201,外村\n",
			 v2, codes[1], v3, names[2], other);
	struct roster_report rep;
	import_ok(s, csv, strlen(csv), &ask, &rep);
	assert_int_equal(rep.households, 3);
	assert_int_equal(rep.outside, 1);
	roster_report_free(&rep);

	struct roster_comparison c;
	assert_int_equal(roster_compare_dibao(s, &c, &err), TZ_OK);
	assert_int_equal(c.unassigned, 1);
	assert_false(c.villages[0].county); /* no rows of the county's: its own */
	assert_true(c.villages[1].county);
	assert_true(c.villages[2].county);
	assert_int_equal(c.villages[1].dibao, 1);
	assert_int_equal(c.villages[1].dibao_persons, 2);
	assert_int_equal(c.villages[1].dibao_only, 0);
	assert_int_equal(c.villages[2].dibao, 1);
	assert_int_equal(c.villages[2].dibao_persons, 3);
	assert_int_equal(c.villages[1].registered_only, 11);
	assert_int_equal(c.dibao, c.villages[0].dibao + 2);
	/* One village alone, as its report asks. */
	struct roster_comparison_counts k;
	assert_int_equal(roster_compare_dibao_counts(s, codes[1], &k, &err), TZ_OK);
	assert_int_equal(k.dibao, 1);
	assert_int_equal(k.dibao_persons, 2);
	roster_comparison_counts_free(&k);
	assert_int_equal(roster_compare_dibao_counts(s, NULL, &k, &err), TZ_OK);
	assert_int_equal(k.dibao, c.dibao);
	assert_int_equal(k.registered, c.registered);
	assert_int_equal(k.registered_only, c.registered_only.n);
	assert_int_equal(k.dibao_only, c.dibao_only.n);
	assert_int_equal(k.ledger_not_on_roster, c.ledger_not_on_roster.n);
	roster_comparison_counts_free(&k);
	roster_comparison_free(&c);
	roster_comparison_free(&before);
	free(csv);
}

/* The counts of village from the registered side read once for the whole
 * town (roster_registered_read: passes over the households, social_security
 * and members) are those the village's own statement gives. */
static void assert_town_side_counts_as_each_village(struct store *s, char codes[3][13])
{
	struct tz_error err = { 0 };
	struct roster_registered *reg = NULL;
	assert_int_equal(roster_registered_read(s, &reg, &err), TZ_OK);
	for (unsigned i = 0; i < 3; i++) {
		struct roster_comparison_counts own, town;
		assert_int_equal(roster_compare_dibao_counts(s, codes[i], &own, &err), TZ_OK);
		assert_int_equal(roster_compare_dibao_counts_with(s, codes[i], reg, &town, &err), TZ_OK);
		assert_int_equal(town.registered, own.registered);
		assert_int_equal(town.dibao, own.dibao);
		assert_int_equal(town.registered_only, own.registered_only);
		assert_int_equal(town.dibao_only, own.dibao_only);
		assert_int_equal(town.ledger_dibao, own.ledger_dibao);
		assert_int_equal(town.ledger_not_on_roster, own.ledger_not_on_roster);
		assert_int_equal(town.roster_not_in_ledger, own.roster_not_in_ledger);
		roster_comparison_counts_free(&own);
		roster_comparison_counts_free(&town);
	}
	roster_registered_free(reg);
}

static void a_towns_registered_side_read_once_counts_as_each_village(void **state)
{
	struct store *s = fixture_store(state);
	char codes[3][13];
	const char *names[3];
	demo_villages(s, 9, codes, names);
	assert_town_side_counts_as_each_village(s, codes);
	/* What the ledger may hold besides: 低保 records ended or not begun, a
	 * second one, of another kind; members moved out, without a number, or
	 * whose household is named by a BLOB; a household of its own members'
	 * numbers only on the ledger's 低保. */
	fixture_exec(s, "PRAGMA foreign_keys = OFF");
	fixture_sql(s, "UPDATE social_security SET end_on = '2000-01-01'"
		       " WHERE rowid IN (SELECT rowid FROM social_security WHERE kind = 'dibao' LIMIT 2);"
		       "UPDATE social_security SET start_on = '2999-01-01'"
		       " WHERE rowid IN (SELECT rowid FROM social_security WHERE kind = 'dibao'"
		       " AND end_on IS NULL LIMIT 1);"
		       "INSERT INTO social_security SELECT lower(hex(randomblob(16))), owner,"
		       " household_id, member_id, kind, start_on, end_on, monthly_cents, created_at, updated_at"
		       " FROM social_security WHERE kind = 'dibao' LIMIT 2;"
		       "UPDATE members SET status = 'moved_out'"
		       " WHERE rowid IN (SELECT rowid FROM members WHERE relation <> 'head' LIMIT 3);"
		       "UPDATE members SET idcard = ''"
		       " WHERE rowid IN (SELECT rowid FROM members WHERE relation <> 'head'"
		       " AND status = 'present' LIMIT 2);"
		       "UPDATE members SET household_id = CAST(household_id AS BLOB)"
		       " WHERE rowid IN (SELECT rowid FROM members WHERE relation = 'head' LIMIT 2)");
	assert_town_side_counts_as_each_village(s, codes);
	/* A household whose id is a BLOB: the town reads it with the statement. */
	fixture_sql(s, "UPDATE households SET id = CAST(id AS BLOB)"
		       " WHERE rowid = (SELECT max(rowid) FROM households);"
		       "UPDATE members SET household_id = CAST(household_id AS BLOB)"
		       " WHERE household_id = (SELECT CAST(id AS TEXT) FROM households"
		       "  WHERE rowid = (SELECT max(rowid) FROM households))");
	fixture_exec(s, "PRAGMA foreign_keys = ON");
	assert_town_side_counts_as_each_village(s, codes);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(a_household_level_gb18030_roster_with_a_title_row_imports_and_compares),
		T(a_person_level_roster_without_head_columns_groups_under_each_head),
		T(a_head_named_by_number_only_takes_the_name_of_its_own_row),
		T(headers_that_differ_are_refused_with_what_was_found_then_mapped),
		T(the_ledgers_dibao_is_compared_both_ways_with_counts_that_agree),
		T(a_newer_roster_shows_its_difference_before_it_replaces_the_old),
		T(hostile_cells_are_bad_rows_named_by_line_and_column),
		cmocka_unit_test_setup_teardown(a_county_roster_is_split_by_village_at_a_demo_town,
						setup_town, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_towns_registered_side_read_once_counts_as_each_village,
						setup_town, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
