/*
 * test_import.c — bulk loading of households, the 低保 roster and their
 * comparison (src/roster/), against a real store.
 *
 * Fixtures are CSV texts built here with ID numbers from idcard_make (so check
 * characters are right unless a test spoils one), turned into GB18030 with
 * iconv(3) or UTF-16 by hand where a test needs it. Every refusal is shown to
 * name the right line and to leave every table as it was: rows are counted
 * before and after.
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

#include "taizhang/idcard.h"
#include "taizhang/model.h"
#include "taizhang/roster.h"
#include "taizhang/secret.h"
#include "taizhang/store.h"

#include "fixture.h"
#include "unit.h"

#define TODAY "2019-04-20"
#define VILLAGE "341522104201"

struct import_fixture {
	struct fixture fx;
	/* People: household 0001 (张大山, 李秀英, 张小军), 0002 (李老四), and two
	 * on 低保 only (王五, 赵六). */
	char h1[IDCARD_NCHARS + 1], s1[IDCARD_NCHARS + 1], c1[IDCARD_NCHARS + 1];
	char h2[IDCARD_NCHARS + 1], d1[IDCARD_NCHARS + 1], d2[IDCARD_NCHARS + 1];
	char x1[IDCARD_NCHARS + 1]; /* one ending in X */
};

static int setup(void **state)
{
	struct import_fixture *f = fixture_new_village(sizeof *f, TODAY);
	if (f == NULL)
		return -1;
	idcard_make(f->h1, "341522", 1960, 1, 1, 1);
	idcard_make(f->s1, "341522", 1962, 2, 2, 2);
	idcard_make(f->c1, "341522", 1990, 3, 3, 3);
	idcard_make(f->h2, "341522", 1955, 5, 5, 5);
	idcard_make(f->d1, "341522", 1970, 7, 7, 7);
	idcard_make(f->d2, "341522", 1972, 8, 8, 8);
	for (int seq = 11; seq < 999; seq += 2) {
		idcard_make(f->x1, "341522", 1985, 6, 15, seq);
		if (f->x1[17] == 'X')
			break;
	}
	assert_int_equal(f->x1[17], 'X');
	*state = f;
	return 0;
}

/* ---- helpers ---- */

/* The one text value a query returns (static buffer). */
static const char *text_of(struct import_fixture *f, const char *sql)
{
	static char buf[512];
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->fx.s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *t = (const char *)sqlite3_column_text(st, 0);
	snprintf(buf, sizeof buf, "%s", t ? t : "(null)");
	sqlite3_finalize(st);
	return buf;
}

/* Rows of every table an import writes, to show a refusal wrote nothing. */
struct counts {
	long long groups, households, members, history, imports, dibao, audit;
};

static struct counts counts_of(struct import_fixture *f)
{
	return (struct counts){
		fixture_int(f->fx.s, "SELECT count(*) FROM villager_groups"),
		fixture_int(f->fx.s, "SELECT count(*) FROM households"),
		fixture_int(f->fx.s, "SELECT count(*) FROM members"),
		fixture_int(f->fx.s, "SELECT count(*) FROM household_status_history"),
		fixture_int(f->fx.s, "SELECT count(*) FROM roster_imports"),
		fixture_int(f->fx.s, "SELECT count(*) FROM dibao_roster"),
		fixture_int(f->fx.s, "SELECT count(*) FROM audit_log"),
	};
}

static void assert_unchanged(struct import_fixture *f, struct counts before)
{
	struct counts after = counts_of(f);
	assert_memory_equal(&before, &after, sizeof before);
}

static int import_households(struct import_fixture *f, const char *data, size_t nbytes,
			     struct roster_report *rep, struct tz_error *err)
{
	*rep = (struct roster_report){ 0 };
	return roster_import_households(f->fx.s, "hh.csv", data, nbytes, rep, err);
}

/* An import that was refused: what the roster said, and the counts before. */
struct refusal {
	struct roster_report rep;
	struct tz_error err;
	struct counts before;
};

/* Import the nbytes of data, which must be refused (TZ_EFAIL). */
static struct refusal refused(struct import_fixture *f, const char *data, size_t nbytes)
{
	struct refusal r = { .before = counts_of(f) };
	assert_int_equal(import_households(f, data, nbytes, &r.rep, &r.err), TZ_EFAIL);
	return r;
}

/* Nothing of the refused import r was written; frees its report. */
static void assert_nothing_written(struct import_fixture *f, struct refusal *r)
{
	roster_report_free(&r->rep);
	assert_unchanged(f, r->before);
}

/* data is imported; the counts are as given. */
static void assert_imports(struct import_fixture *f, const char *data, size_t nbytes,
			   size_t households, size_t members, size_t groups)
{
	struct roster_report rep;
	struct tz_error err = { 0 };
	if (import_households(f, data, nbytes, &rep, &err) != TZ_OK) {
		for (size_t i = 0; i < rep.nproblems; i++)
			fprintf(stderr, "%s\n", rep.problems[i]);
		fail_msg("refused: %s", err.msg);
	}
	assert_int_equal(rep.households, households);
	assert_int_equal(rep.members, members);
	assert_int_equal(rep.groups_created, groups);
	assert_int_equal(rep.nproblems, 0);
	roster_report_free(&rep);
}

static void assert_problem(const struct roster_report *rep, size_t line, const char *fragment)
{
	if (fixture_has_problem(rep, line, fragment))
		return;
	for (size_t i = 0; i < rep->nproblems; i++)
		fprintf(stderr, "  %s\n", rep->problems[i]);
	fail_msg("no problem at line %zu containing \"%s\"", line, fragment);
}

/* A problem an import must report: at line, holding fragment. */
struct row_problem {
	size_t line;
	const char *fragment;
};

/* rep reports each of the n problems at want, and no other. */
static void assert_problems(const struct roster_report *rep, const struct row_problem *want,
			    size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_problem(rep, want[i].line, want[i].fragment);
	assert_int_equal(rep->nproblems, n);
}

/* ASSERT_PROBLEMS(rep, { line, fragment }, ...): assert_problems of the list. */
#define ASSERT_PROBLEMS(rep, ...)                                                          \
	assert_problems(rep, (const struct row_problem[]){ __VA_ARGS__ },                   \
			sizeof((const struct row_problem[]){ __VA_ARGS__ }) /                \
				sizeof(struct row_problem))

/* REFUSED_FOR(f, csv, { line, fragment }, ...): the text csv is refused with
 * exactly those problems, and nothing is written. */
#define REFUSED_FOR(f, csv, ...)                                                           \
	do {                                                                               \
		struct refusal r_ = refused(f, csv, strlen(csv));                          \
		ASSERT_PROBLEMS(&r_.rep, __VA_ARGS__);                                      \
		assert_nothing_written(f, &r_);                                            \
	} while (0)

/* ascii (digits and X) as full-width characters into out. */
static void fullwidth(const char *ascii, char *out)
{
	for (; *ascii; ascii++) {
		unsigned cp = 0xFF00u + (unsigned)(*ascii - 0x20);
		*out++ = (char)(0xE0 | (cp >> 12));
		*out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*out++ = (char)(0x80 | (cp & 0x3F));
	}
	*out = '\0';
}

#define HEADER "户编号,村民小组,姓名,身份证号,与户主关系,户状态,性别,人均纯收入（元）,识别年月,脱贫日期,地址\n"

/* The text of fmt with its arguments, as printf: a roster for a test. In a
 * buffer of this file, good until the next call; fails the test when the
 * text does not fit. */
static const char *csv_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *csv_of(const char *fmt, ...)
{
	static char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof buf);
	return buf;
}

/* The two households as a UTF-8 roster (csv_of's buffer). */
static const char *good_roster(const struct import_fixture *f)
{
	return csv_of(HEADER
		      "0001,张庄组,张大山,%s,户主,已脱贫,男,4500.5,2014-10,2018-12-01,\"霍邱县,张庄\"\n"
		      "0001,,李秀英,%s,配偶,,女,,,,\n"
		      "0001,,张小军,%s,之子,,,,,,\n"
		      "0002,李洼组,李老四,%s,户主,帮扶中,,,2014年10月,,\n",
		      f->h1, f->s1, f->c1, f->h2);
}

/* ---- import households: what is accepted ---- */

UNIT_TEST(a_utf8_roster_loads_households_members_and_new_groups, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = good_roster(f);
	long long audit = fixture_int(f->fx.s, "SELECT count(*) FROM audit_log");
	assert_imports(f, csv, strlen(csv), 2, 4, 2);

	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM households"), 2);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM members"), 4);
	assert_string_equal(text_of(f, "SELECT group_concat(name, '|') FROM"
				       " (SELECT name FROM villager_groups ORDER BY name)"),
			    "张庄组|李洼组");
	/* Household values are normalised by the model: code, 分, dates. */
	assert_string_equal(text_of(f, "SELECT status || '|' || income_cents || '|' || identified_on"
				       " || '|' || exited_on || '|' || address FROM households"
				       " WHERE household_no = '0001'"),
			    "exited|450050|2014-10-01|2018-12-01|霍邱县,张庄");
	assert_string_equal(text_of(f, "SELECT identified_on FROM households WHERE household_no = '0002'"),
			    "2014-10-01");
	/* Relations by label and by common wording; sex and birth date from the ID. */
	assert_string_equal(text_of(f, "SELECT group_concat(relation || sex || birth_date, '|') FROM"
				       " (SELECT * FROM members ORDER BY birth_date)"),
			    "headM1955-05-05|headM1960-01-01|spouseF1962-02-02|childM1990-03-03");
	/* Members belong to their household, households to their group. */
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM members m JOIN households h ON h.id ="
				  " m.household_id JOIN villager_groups g ON g.id = h.group_id"
				  " WHERE h.household_no = '0001' AND g.name = '张庄组'"),
			 3);
	/* Audited: a row per record written and one for the import. */
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM audit_log WHERE action = 'import.households'"),
			 1);
	assert_true(fixture_int(f->fx.s, "SELECT count(*) FROM audit_log") >= audit + 2 + 2 + 4 + 1);
}

UNIT_TEST(bom_crlf_quoted_fields_and_full_width_ids_load, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	char wide[IDCARD_NCHARS * 3 + 1];
	fullwidth(f->x1, wide);
	const char *csv = csv_of("\xEF\xBB\xBF"
				 "身份证号,姓名,与户主关系,户编号,组别,户状态,地址\r\n"
				 "\xE3\x80\x80%s ,\"王,二\",户主,A-7,\"前进组\",新识别,\"东街\"\"3号\"\"\"\r\n",
				 wide);
	struct roster_report rep;
	struct tz_error err = { 0 };
	assert_int_equal(import_households(f, csv, strlen(csv), &rep, &err), TZ_OK);
	assert_string_equal(rep.encoding, "UTF-8（带 BOM）");
	roster_report_free(&rep);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT name || '|' || idcard FROM members");
	char expected[64];
	snprintf(expected, sizeof expected, "王,二|%s", f->x1);
	assert_string_equal(text_of(f, sql), expected);
	assert_string_equal(text_of(f, "SELECT address FROM households"), "东街\"3号\"");
}

UNIT_TEST(a_gb18030_roster_loads_the_same_text, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = good_roster(f);
	size_t n;
	char *gb = fixture_gb18030(csv, &n);
	struct roster_report rep;
	struct tz_error err = { 0 };
	assert_int_equal(import_households(f, gb, n, &rep, &err), TZ_OK);
	assert_string_equal(rep.encoding, "GB18030");
	assert_int_equal(rep.members, 4);
	roster_report_free(&rep);
	free(gb);
	assert_string_equal(text_of(f, "SELECT group_concat(name, '') FROM (SELECT name FROM members"
				       " ORDER BY birth_date)"),
			    "李老四张大山李秀英张小军");
}

UNIT_TEST(a_tab_separated_roster_with_a_title_row_loads, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = csv_of("示范村建档立卡户花名册\n"
				 "\n"
				 "序号\t户编号\t村民小组\t姓名\t身份证号\t与户主关系\t户状态\t备注\n"
				 "1\t0009\t红星组\t李老四\t%s\t户主\t帮扶中\t无\n",
				 f->h2);
	struct roster_report rep;
	struct tz_error err = { 0 };
	assert_int_equal(import_households(f, csv, strlen(csv), &rep, &err), TZ_OK);
	assert_int_equal(rep.members, 1);
	assert_string_equal(rep.ignored_columns, "序号、备注");
	roster_report_free(&rep);
}

UNIT_TEST(an_existing_group_is_reused_not_created_again, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = csv_of(HEADER "0001,张庄组,张大山,%s,户主,帮扶中,,,,,\n", f->h1);
	assert_imports(f, csv, strlen(csv), 1, 1, 1);
	csv = csv_of(HEADER "0002,张庄组,李老四,%s,户主,帮扶中,,,,,\n", f->h2);
	assert_imports(f, csv, strlen(csv), 1, 1, 0);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM villager_groups"), 1);
}

/* ---- import households: what is refused ---- */

UNIT_TEST(every_bad_row_is_reported_by_line_and_nothing_is_written, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	char bad_check[IDCARD_NCHARS + 1];
	memcpy(bad_check, f->s1, sizeof bad_check);
	bad_check[17] = bad_check[17] == '0' ? '1' : '0';
	char a[IDCARD_NCHARS + 1], b[IDCARD_NCHARS + 1], c[IDCARD_NCHARS + 1];
	char d[IDCARD_NCHARS + 1];
	idcard_make(a, "341522", 1980, 1, 1, 21);
	idcard_make(b, "341522", 1981, 1, 1, 22);
	idcard_make(c, "341522", 1982, 1, 1, 23);
	idcard_make(d, "341522", 1983, 1, 1, 24);
	const char *csv = csv_of(HEADER
				 /* 2 */ "0001,张庄组,张大山,%s,户主,帮扶中,,,,,\n"
				 /* 3 */ "0001,,李秀英,%s,配偶,,,,,,\n"
				 /* 4 */ "0001,,张小军,%s,邻居,,,,,,\n"
				 /* 5 */ "0001,,张小红,%s,子女,,女,,,,\n"
				 /* 6 */ "0002,李洼组,李老四,%s,户主,帮扶中,,12.345,,,\n"
				 /* 7 */ "0002,,李老五,%s,兄弟姐妹,,,,,,\n"
				 /* 8 */ "0003,李洼组,王一,%s,户主,帮扶中,,,,,\n"
				 /* 9 */ "0003,,王二,%s,户主,,,,,,\n"
				 /* 10 */ "0004,李洼组,赵一,%s,配偶,帮扶中,,,,,\n",
				 f->h1, bad_check, f->c1, a, f->h2, f->h1, b, c, d);
	struct refusal r = refused(f, csv, strlen(csv));
	assert_non_null(strstr(r.err.msg, "没有导入任何数据"));
	ASSERT_PROBLEMS(&r.rep,
			{ 3, "身份证号最后一位校验码不对" },
			{ 4, "与户主关系不能是“邻居”" },
			{ 5, "性别与身份证号不符" },
			{ 6, "年人均纯收入最多两位小数" },
			{ 7, "与第 2 行重复" },
			{ 9, "已有户主（第 8 行）" },
			{ 10, "没有户主" });
	/* In line order. */
	assert_non_null(strstr(r.rep.problems[0], "第 3 行"));
	assert_non_null(strstr(r.rep.problems[6], "第 10 行"));
	assert_int_equal(r.rep.households, 0);
	assert_int_equal(r.rep.members, 0);
	assert_nothing_written(f, &r);
}

UNIT_TEST(a_quoted_line_end_moves_the_line_numbers_of_later_rows, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	char bad_check[IDCARD_NCHARS + 1];
	memcpy(bad_check, f->h2, sizeof bad_check);
	bad_check[17] = bad_check[17] == '0' ? '1' : '0';
	const char *csv = csv_of(HEADER
				 "0001,张庄组,张大山,%s,户主,帮扶中,,,,,\"东街\n3号\"\n"
				 "0002,李洼组,李老四,%s,户主,帮扶中,,,,,\n",
				 f->h1, bad_check);
	REFUSED_FOR(f, csv,
		    { 2, "住址只能写一行" },
		    { 4, "校验码不对" });
}

UNIT_TEST(ids_and_household_numbers_already_in_the_store_are_bad_rows, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = csv_of(HEADER "0001,张庄组,张大山,%s,户主,帮扶中,,,,,\n", f->h1);
	assert_imports(f, csv, strlen(csv), 1, 1, 1);
	csv = csv_of(HEADER
		     "0002,张庄组,李老四,%s,户主,帮扶中,,,,,\n"
		     "0002,张庄组,张大山,%s,父母,,,,,,\n"
		     "0001,张庄组,李秀英,%s,户主,帮扶中,,,,,\n",
		     f->h2, f->h1, f->s1);
	REFUSED_FOR(f, csv,
		    { 3, "已登记在另一位成员名下" },
		    { 4, "户编号 0001 在台账里已经有了" });
}

UNIT_TEST(household_values_that_differ_between_rows_are_bad_rows, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = csv_of(HEADER
				 "0001,张庄组,张大山,%s,户主,帮扶中,,,,,\n"
				 "0001,李洼组,李秀英,%s,配偶,帮扶中,,,,,\n",
				 f->h1, f->s1);
	REFUSED_FOR(f, csv,
		    { 3, "村民小组“李洼组”与同一户（户编号 0001）第 2 行的“张庄组”不一致" });
}

UNIT_TEST(a_missing_required_column_refuses_the_file_naming_it, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = csv_of("户编号,姓名,证件号码,户状态\n0001,张大山,%s,帮扶中\n", f->h1);
	struct refusal r = refused(f, csv, strlen(csv));
	assert_non_null(strstr(r.err.msg, "缺少必需的列 村民小组、与户主关系"));
	assert_int_equal(r.rep.nproblems, 0);
	assert_nothing_written(f, &r);
}

UNIT_TEST(a_column_named_twice_refuses_the_file, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char csv[] = "户编号,村民小组,姓名,身份证号,与户主关系,户状态,证件号码\n";
	struct refusal r = refused(f, csv, strlen(csv));
	assert_non_null(strstr(r.err.msg, "第 1 行：表头第 4 列“身份证号”和第 7 列“证件号码”都是身份证号"));
	assert_nothing_written(f, &r);
}

UNIT_TEST(utf16_and_an_unterminated_quote_refuse_the_file, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	static const char utf16[] = "\xFF\xFE\x37\x62\x16\x7F\xF7\x53"; /* 户编号 */
	struct refusal r = refused(f, utf16, sizeof utf16 - 1);
	assert_non_null(strstr(r.err.msg, "UTF-16"));
	assert_non_null(strstr(r.err.msg, "CSV UTF-8"));
	assert_nothing_written(f, &r);

	const char *csv = csv_of(HEADER
				 "0001,张庄组,张大山,%s,户主,帮扶中,,,,,\n"
				 "0002,李洼组,李老四,%s,户主,帮扶中,,,,,\"东街\n",
				 f->h1, f->h2);
	r = refused(f, csv, strlen(csv));
	assert_non_null(strstr(r.err.msg, "第 3 行："));
	assert_non_null(strstr(r.err.msg, "结束引号"));
	assert_nothing_written(f, &r);
}

UNIT_TEST(a_town_store_refuses_households, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	char path[160];
	snprintf(path, sizeof path, "%s/t.tzs", f->fx.dir);
	struct store_identity id = { STORE_KIND_TOWN, "341522104000", "城关镇" };
	struct store *t;
	struct tz_error err = { 0 };
	assert_int_equal(store_create(path, &id, FIXTURE_USER, "passphrase", 10, KDF_COST_MIN, &t, &err),
			 TZ_OK);
	const char *csv = good_roster(f);
	struct roster_report rep = { 0 };
	assert_int_equal(roster_import_households(t, "hh.csv", csv, strlen(csv), &rep, &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, "村级台账"));
	roster_report_free(&rep);
	store_close(t);
	unlink(path);
}

/* ---- the 低保 roster ---- */

#define DIBAO_HEADER "户主姓名,户主身份证号,成员姓名,身份证号,与户主关系,家庭人口,月保障金（元）,村（居）\n"

static int import_dibao(struct import_fixture *f, const char *csv, struct roster_report *rep,
			struct tz_error *err)
{
	*rep = (struct roster_report){ 0 };
	return roster_import_dibao(f->fx.s, "dibao.csv", csv, strlen(csv), rep, err);
}

/* The 低保 roster csv is imported. */
static void assert_dibao_imports(struct import_fixture *f, const char *csv)
{
	struct roster_report rep;
	struct tz_error err = { 0 };
	if (import_dibao(f, csv, &rep, &err) != TZ_OK)
		fail_msg("refused: %s", err.msg);
	roster_report_free(&rep);
}

UNIT_TEST(a_dibao_roster_replaces_the_previous_one_and_keeps_history, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = csv_of(DIBAO_HEADER
				 "王五,%s,王五,%s,本人,2,300,示范村\n"
				 "王五,%s,赵六,%s,妻,2,300,示范村\n",
				 f->d1, f->d1, f->d1, f->d2);
	struct roster_report rep;
	struct tz_error err = { 0 };
	assert_int_equal(import_dibao(f, csv, &rep, &err), TZ_OK);
	assert_int_equal(rep.households, 1);
	assert_int_equal(rep.members, 2);
	assert_int_equal(rep.replaced, 0);
	roster_report_free(&rep);
	assert_string_equal(text_of(f, "SELECT group_concat(line || name || monthly_cents || size, '|')"
				       " FROM (SELECT * FROM dibao_roster ORDER BY line)"),
			    "2王五300002|3赵六300002");

	char wide[IDCARD_NCHARS * 3 + 1];
	fullwidth(f->c1, wide);
	csv = csv_of(DIBAO_HEADER "张小军,%s,张小军,%s,本人,1,250.5,示范村\n", wide,
		     f->c1);
	assert_int_equal(import_dibao(f, csv, &rep, &err), TZ_OK);
	assert_int_equal(rep.replaced, 2);
	roster_report_free(&rep);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM dibao_roster"), 1);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM roster_imports WHERE kind = 'dibao'"), 2);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM dibao_roster WHERE head_idcard = '%s'", f->c1);
	assert_int_equal(fixture_int(f->fx.s, sql), 1);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM audit_log WHERE action = 'roster.import.dibao'"),
			 2);
}

UNIT_TEST(bad_dibao_rows_are_all_reported_and_the_old_roster_kept, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = csv_of(DIBAO_HEADER "王五,%s,王五,%s,本人,2,300,示范村\n", f->d1, f->d1);
	assert_dibao_imports(f, csv);
	struct counts before = counts_of(f);

	char bad_check[IDCARD_NCHARS + 1];
	memcpy(bad_check, f->d2, sizeof bad_check);
	bad_check[17] = bad_check[17] == '0' ? '1' : '0';
	csv = csv_of(DIBAO_HEADER
		     /* 2 */ "王五,%s,王五,%s,本人,2,300,示范村\n"
		     /* 3 */ "王五,%s,赵六,%s,妻,2,300,示范村\n"
		     /* 4 */ "王五五,%s,王小五,%s,子,2,300,示范村\n"
		     /* 5 */ "李四,%s,李四,%s,本人,1,12.345,示范村\n"
		     /* 6 */ "张三,%s,张三丰,%s,本人,1,,示范村\n",
		     f->d1, f->d1, f->d1, bad_check, f->d1, f->c1, f->h2, f->c1, f->s1, f->s1);
	struct roster_report rep;
	struct tz_error err = { 0 };
	assert_int_equal(import_dibao(f, csv, &rep, &err), TZ_EFAIL);
	assert_problem(&rep, 3, "校验码不对");
	assert_problem(&rep, 4, "在第 2 行的户主姓名是“王五”，这里是“王五五”");
	assert_problem(&rep, 5, "月保障金最多两位小数");
	assert_problem(&rep, 5, "与第 4 行重复");
	assert_problem(&rep, 6, "姓名“张三丰”与户主姓名“张三”不同");
	assert_int_equal(rep.nproblems, 5);
	roster_report_free(&rep);
	assert_unchanged(f, before);
}

/* ---- compare ---- */

static const struct roster_household *find(const struct roster_household_list *l,
					   const char *head_name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].head_name, head_name) == 0)
			return &l->items[i];
	return NULL;
}

/* roster_compare_dibao_counts (what a report shows) agrees with the lists of
 * roster_compare_dibao, which has dibao households. */
static void assert_counts_agree(struct import_fixture *f, size_t dibao)
{
	struct roster_comparison c;
	struct roster_comparison_counts k;
	struct tz_error err = { 0 };
	assert_int_equal(roster_compare_dibao(f->fx.s, &c, &err), TZ_OK);
	assert_int_equal(roster_compare_dibao_counts(f->fx.s, NULL, &k, &err), TZ_OK);
	assert_int_equal(c.dibao, dibao);
	assert_int_equal(k.registered, c.registered);
	assert_int_equal(k.dibao, c.dibao);
	assert_int_equal(k.registered_only, c.registered_only.n);
	assert_int_equal(k.dibao_only, c.dibao_only.n);
	assert_string_equal(k.imported_at, c.imported_at);
	assert_string_equal(k.file_name, c.file_name);
	roster_comparison_free(&c);
	roster_comparison_counts_free(&k);
}

UNIT_TEST(compare_matches_by_any_member_and_lists_both_differences, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv = good_roster(f);
	assert_imports(f, csv, strlen(csv), 2, 4, 2);
	/* 张小军 (a child in 0001) heads his own 低保 household; 王五 and 赵六
	 * are on 低保 only; 李老四 (0002) is registered only. */
	csv = csv_of(DIBAO_HEADER
		     "张小军,%s,张小军,%s,本人,1,250,示范村\n"
		     "王五,%s,王五,%s,本人,2,300,示范村\n"
		     "王五,%s,赵六,%s,妻,2,300,示范村\n",
		     f->c1, f->c1, f->d1, f->d1, f->d1, f->d2);
	assert_dibao_imports(f, csv);

	struct roster_comparison c;
	struct tz_error err = { 0 };
	assert_int_equal(roster_compare_dibao(f->fx.s, &c, &err), TZ_OK);
	assert_int_equal(c.registered, 2);
	assert_int_equal(c.dibao, 2);
	assert_string_equal(c.file_name, "dibao.csv");

	assert_int_equal(c.registered_matched.n, 1);
	const struct roster_household *h = find(&c.registered_matched, "张大山");
	assert_non_null(h);
	assert_string_equal(h->head_idcard, f->h1);
	assert_string_equal(h->matched_name, "张小军");
	assert_int_equal(h->nmembers, 3);
	assert_string_equal(h->place, "张庄组");
	assert_string_equal(h->status, "已脱贫");

	assert_int_equal(c.registered_only.n, 1);
	h = find(&c.registered_only, "李老四");
	assert_non_null(h);
	assert_string_equal(h->head_idcard, f->h2);
	assert_int_equal(h->nmembers, 1);

	assert_int_equal(c.dibao_matched.n, 1);
	assert_non_null(find(&c.dibao_matched, "张小军"));
	assert_int_equal(c.dibao_only.n, 1);
	h = find(&c.dibao_only, "王五");
	assert_non_null(h);
	assert_string_equal(h->head_idcard, f->d1);
	assert_int_equal(h->nmembers, 2);
	assert_string_equal(h->place, "示范村");
	roster_comparison_free(&c);
	assert_counts_agree(f, 2);
}

/* One registered household: 0005 of 红星组, headed by 钱七 (f->x1, ending in X). */
static void register_qian_qi(struct import_fixture *f)
{
	const char *csv = csv_of(HEADER "0005,红星组,钱七,%s,户主,帮扶中,,,,,\n", f->x1);
	assert_imports(f, csv, strlen(csv), 1, 1, 1);
}

/* Two 户主身份证号 that differ only in the case of the x are one household when
 * the roster's order puts them next to each other, two when it does not: the
 * counts group them as the lists do. */
UNIT_TEST(compare_counts_group_heads_as_the_lists_do, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv;
	register_qian_qi(f);
	csv = csv_of(DIBAO_HEADER "钱七,%s,钱七,%s,本人,1,,A\n"
		     "王五,%s,王五,%s,本人,1,,B\n"
		     "赵六,%s,赵六,%s,本人,1,,C\n",
		     f->x1, f->x1, f->d1, f->d1, f->d2, f->d2);
	assert_dibao_imports(f, csv);
	assert_counts_agree(f, 3);
	/* 赵六's head becomes 钱七's, with a lower-case x: villages A, B, C keep
	 * 王五 between them. */
	char sql[512];
	snprintf(sql, sizeof sql, "UPDATE dibao_roster SET head_idcard = lower('%s')"
				  " WHERE head_idcard = '%s'", f->x1, f->d2);
	fixture_sql(f->fx.s, sql);
	assert_counts_agree(f, 3);
	/* 王五 to village D: the two are next to each other, one household. */
	snprintf(sql, sizeof sql, "UPDATE dibao_roster SET village = 'D' WHERE head_idcard = '%s'",
		 f->d1);
	fixture_sql(f->fx.s, sql);
	assert_counts_agree(f, 2);
}

UNIT_TEST(compare_folds_lower_case_x_and_full_width_digits, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	const char *csv;
	register_qian_qi(f);
	csv = csv_of(DIBAO_HEADER "钱七,%s,钱七,%s,本人,1,,\n", f->x1, f->x1);
	assert_dibao_imports(f, csv);
	/* Rows that reached the store some other way (an older version, sync)
	 * may hold a lower-case x: matching must not depend on it. */
	fixture_sql(f->fx.s, "UPDATE dibao_roster SET idcard = lower(idcard), head_idcard = lower(head_idcard)");
	struct roster_comparison c;
	struct tz_error err = { 0 };
	assert_int_equal(roster_compare_dibao(f->fx.s, &c, &err), TZ_OK);
	assert_int_equal(c.registered_matched.n, 1);
	assert_int_equal(c.dibao_only.n, 0);
	roster_comparison_free(&c);
	assert_counts_agree(f, 1);

	char key[40], wide[IDCARD_NCHARS * 3 + 8];
	fullwidth("11010519491231002", wide);
	strcat(wide, "ｘ ");
	roster_idcard_key(wide, key, sizeof key);
	assert_string_equal(key, "11010519491231002X");
}

UNIT_TEST(compare_without_a_roster_says_to_import_one, setup, fixture_teardown)
{
	struct import_fixture *f = *state;
	struct roster_comparison c;
	struct tz_error err = { 0 };
	assert_int_equal(roster_compare_dibao(f->fx.s, &c, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "roster import dibao"));
}

int main(void)
{
	return unit_run("import", NULL, NULL);
}
