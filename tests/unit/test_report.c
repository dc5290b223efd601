/*
 * test_report.c — the village report (src/report/, report.h) as a
 * specification: on a store holding a small, fixed village whose every figure
 * is worked out by hand below, each section says exactly those figures for the
 * period 2019-04-01 .. 2019-04-30; the summary agrees with the sections and the
 * findings with rules_check; and each writer puts them down as documented —
 * the CSV byte for byte (BOM, CRLF, figures), the text with every column at
 * the same terminal column on every line of a table (CJK counted double), the
 * workbook as a zip, and none of them leaving a half-written file.
 *
 * The village (ids are literal hex strings; times of creation T0 unless said):
 *   H1 helped since 2018 (history: identified 2018-03-01, helped 2018-04-01)
 *   H2 helped since 2017, exited 2019-04-10             (in the period)
 *   H3 exited 2018-12-01, fell back 2019-04-15          (in the period)
 *   H4 identified 2019-04-05                             (new in the period)
 *   H5 identified 2019-05-10                             (after it: not counted)
 * so at the start (2019-03-31) 2 helped + 1 exited, at the end 1 each of
 * identified, helped, exited, fell back. The rest is set out where it is
 * inserted (populate) and checked (one test per section).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/campaign.h"
#include "taizhang/report.h"
#include "taizhang/rules.h"
#include "taizhang/store.h"
#include "taizhang/utf8.h"

#include "fixture.h"

#define V FIXTURE_VILLAGE
#define TOWN FIXTURE_TOWN
#define USER FIXTURE_USER
#define T0 "2019-01-05T02:00:00Z"
#define FROM "2019-04-01"
#define TO "2019-04-30"
#define STAMP "2019-05-01 09:00:00"

#define G1 "90000000000000000000000000000001"
#define H1 "a0000000000000000000000000000001"
#define H2 "a0000000000000000000000000000002"
#define H3 "a0000000000000000000000000000003"
#define H4 "a0000000000000000000000000000004"
#define H5 "a0000000000000000000000000000005"
#define M(n) "b00000000000000000000000000000" #n
#define C1 "e0000000000000000000000000000001"
#define C2 "e0000000000000000000000000000002"
#define P(n) "f000000000000000000000000000000" #n
#define IMPORT "c0000000000000000000000000000001"

/* A new random id, as SQL. */
#define NEWID "lower(hex(randomblob(16)))"
/* The tail every synced row has. */
#define STAMPS "'" T0 "', '" T0 "'"
/* What every row of the village carries, said once per table: the rows are
 * selected from VALUES and these columns added. SYNCED_*: a new id, the
 * village as owner, made at T0; OWNED_*: the same for rows with their own id
 * (the first column). */
#define SYNCED_COLUMNS "id, owner, created_at, updated_at"
#define SYNCED_VALUES NEWID ", '" V "', " STAMPS
#define OWNED_COLUMNS "owner, created_at, updated_at"
#define OWNED_VALUES "'" V "', " STAMPS
/* The head of an INSERT of rows of table: each row is the columns (a
 * comma-separated list) from the VALUES that follow, with added_columns
 * taking added_values; the rows and their "));" follow. SYNCED_ROWS and
 * OWNED_ROWS add the columns above. */
#define INSERT_ROWS(table, columns, added_columns, added_values)                              \
	"INSERT INTO " table "(" columns ", " added_columns ")"                                \
	" SELECT *, " added_values " FROM (VALUES"
#define SYNCED_ROWS(table, columns) INSERT_ROWS(table, columns, SYNCED_COLUMNS, SYNCED_VALUES)
#define OWNED_ROWS(table, columns) INSERT_ROWS(table, columns, OWNED_COLUMNS, OWNED_VALUES)

/* The village store the group shares (fixture.h), and its report of FROM ..
 * TO, built once for the tests that only read it. */
static struct fixture fx_main;
static struct report april_report;
static const struct report_options april_options = { .from = FROM, .to = TO,
						     .generated_at = STAMP };

static const char village_sql[] =
	"INSERT INTO villages(code, owner, name, town_code, kind, population, created_at,"
	" updated_at) VALUES ('" V "', '" V "', '示范村', '" TOWN "', 'poor', 400, " STAMPS ");"
	"INSERT INTO villager_groups VALUES ('" G1 "', '" V "', '" V "', '张庄组', " STAMPS ");"
	/* Households and their status history. */
	OWNED_ROWS("households", "id, village_code, group_id, status, identified_on")
	" ('" H1 "', '" V "', '" G1 "', 'helped', '2018-03-01'),"
	" ('" H2 "', '" V "', '" G1 "', 'exited', '2017-03-01'),"
	" ('" H3 "', '" V "', '" G1 "', 'fell_back', '2016-01-01'),"
	" ('" H4 "', '" V "', '" G1 "', 'identified', '2019-04-05'),"
	" ('" H5 "', '" V "', '" G1 "', 'identified', '2019-05-10'));"
	SYNCED_ROWS("household_status_history", "household_id, status, on_date")
	" ('" H1 "', 'identified', '2018-03-01'),"
	" ('" H1 "', 'helped', '2018-04-01'),"
	" ('" H2 "', 'identified', '2017-03-01'),"
	" ('" H2 "', 'helped', '2017-04-01'),"
	" ('" H2 "', 'exited', '2019-04-10'),"
	" ('" H3 "', 'identified', '2016-01-01'),"
	" ('" H3 "', 'helped', '2016-02-01'),"
	" ('" H3 "', 'exited', '2018-12-01'),"
	" ('" H3 "', 'fell_back', '2019-04-15'),"
	" ('" H4 "', 'identified', '2019-04-05'),"
	" ('" H5 "', 'identified', '2019-05-10'));"
	/* Members: 8 present in the four registered households (5 men, 3 women),
	 * three of them of school age on 2019-04-30: M2 (8), M4 (13, birthday the
	 * day after), M6 (15 that very day); M7 died; M10 is in H5. */
	OWNED_ROWS("members", "id, household_id, name, idcard, relation, sex, birth_date,"
	                      " health, work_ability, status")
	" ('" M(01) "', '" H1 "', '张三', '341522197001011234', 'head', 'M', '1970-01-01',"
	"  'healthy', 'ordinary', 'present'),"
	" ('" M(02) "', '" H1 "', '张小明', '341522201006011235', 'child', 'M',"
	"  '2010-06-01', 'healthy', 'none', 'present'),"
	" ('" M(03) "', '" H2 "', '李四', '34152219650303224X', 'head', 'F', '1965-03-03',"
	"  'chronic', 'weak', 'present'),"
	" ('" M(04) "', '" H2 "', '李小红', '341522200505012246', 'child', 'F',"
	"  '2005-05-01', 'healthy', 'none', 'present'),"
	" ('" M(05) "', '" H3 "', '王五', '341522196001013457', 'head', 'M', '1960-01-01',"
	"  'serious', 'lost', 'present'),"
	" ('" M(06) "', '" H3 "', '王小虎', '341522200404303458', 'grandchild', 'M',"
	"  '2004-04-30', 'healthy', 'none', 'present'),"
	" ('" M(07) "', '" H3 "', '王老汉', '341522193001013459', 'parent', 'M',"
	"  '1930-01-01', 'serious', 'none', 'deceased'),"
	" ('" M(08) "', '" H4 "', '赵六', '341522198002023450', 'head', 'M', '1980-02-02',"
	"  'disabled', 'ordinary', 'present'),"
	" ('" M(09) "', '" H4 "', '赵小丽', '341522201601012461', 'child', 'F',"
	"  '2016-01-01', 'healthy', 'none', 'present'),"
	" ('" M(10) "', '" H5 "', '钱七', '341522199001013452', 'head', 'M', '1990-01-01',"
	"  'healthy', 'ordinary', 'present'));"
	SYNCED_ROWS("member_changes", "household_id, member_id, kind, on_date")
	" ('" H4 "', '" M(09) "', 'move_in', '2019-04-20'),"
	" ('" H3 "', '" M(07) "', 'death', '2019-03-01'));"
	/* Procedures: H4's identification began in the period; H2's exit had its
	 * group review before it, and its village review (passed) and comparison
	 * (failed) in it. */
	SYNCED_ROWS("procedure_steps", "household_id, procedure, round, step, on_date,"
	                               " outcome, signer")
	" ('" H4 "', 'identify', 1, 'group_review', '2019-04-06', 'passed',"
	"  '组长'),"
	" ('" H4 "', 'identify', 1, 'village_review', '2019-04-08', 'passed',"
	"  '村支书'),"
	" ('" H2 "', 'exit', 1, 'group_review', '2019-03-20', 'passed', '组长'),"
	" ('" H2 "', 'exit', 1, 'village_review', '2019-04-02', 'passed',"
	"  '村支书'),"
	" ('" H2 "', 'exit', 1, 'comparison', '2019-04-05', 'failed',"
	"  '信息员'));"
	/* Four lists, due for H1, H3, H4 (H2 exited): H1 has all four, its measure
	 * done; H3 three, its measure overdue; H4's one was entered after the
	 * period; H2's measure does not count. */
	SYNCED_ROWS("four_lists", "household_id, list, item, due_date, done_date")
	" ('" H1 "', 'object', '户主张三', NULL, NULL),"
	" ('" H1 "', 'need', '产业', NULL, NULL),"
	" ('" H1 "', 'measure', '养牛', '2019-04-15', '2019-04-10'),"
	" ('" H1 "', 'responsibility', '刘国勇', NULL, NULL),"
	" ('" H3 "', 'object', '户主王五', NULL, NULL),"
	" ('" H3 "', 'need', '医疗', NULL, NULL),"
	" ('" H3 "', 'measure', '大病救助', '2019-04-20', NULL),"
	" ('" H2 "', 'measure', '务工', '2019-04-01', NULL));"
	"INSERT INTO four_lists(id, owner, household_id, list, item, due_date, done_date,"
	" created_at, updated_at) VALUES (" NEWID ", '" V "', '" H4 "', 'object', '户主赵六', NULL,"
	" NULL, '2019-05-02T02:00:00Z', '2019-05-02T02:00:00Z');"
	/* Family doctors: H1 valid, H2 expired, H3 signed in the period, H4 none. */
	SYNCED_ROWS("family_doctor", "household_id, signed_on, valid_until, doctor")
	" ('" H1 "', '2019-01-01', '2019-12-31', '刘医生'),"
	" ('" H2 "', '2018-01-01', '2018-12-31', '刘医生'),"
	" ('" H3 "', '2019-04-10', NULL, '刘医生'));"
	/* Schooling: M2 in school, M4 dropped out, M6 in school on the 30th (he
	 * drops out after the period). */
	SYNCED_ROWS("schooling", "member_id, stage, state, dropout_reason, as_of")
	" ('" M(02) "', 'primary', 'in_school', NULL, '2018-09-01'),"
	" ('" M(04) "', 'junior', 'dropped_out', '厌学', '2019-03-01'),"
	" ('" M(06) "', 'junior', 'in_school', NULL, '2018-09-01'),"
	" ('" M(06) "', 'junior', 'dropped_out', '外出', '2019-05-05'));"
	/* Housing: H1 C renovated in the period, H2 D in progress, H3 A, H4 B, H5 D
	 * (not registered yet). */
	SYNCED_ROWS("housing", "household_id, rating, assessed_on, renovation, renovated_on")
	" ('" H1 "', 'C', '2018-05-01', 'done', '2019-04-12'),"
	" ('" H2 "', 'D', '2018-06-01', 'in_progress', NULL),"
	" ('" H3 "', 'A', '2018-06-01', 'none', NULL),"
	" ('" H4 "', 'B', '2019-04-06', 'none', NULL),"
	" ('" H5 "', 'D', '2019-05-11', 'none', NULL));"
	/* Loans: 50000 issued to H1 in the period; H2's 30000 repaid in it; H3's
	 * 12345.67 overdue since January. */
	SYNCED_ROWS("loans", "household_id, bank, amount_cents, issued_on, term_months,"
	                     " due_on, repaid_cents, repaid_on, state")
	" ('" H1 "', '农商行', 5000000, '2019-04-03', 36, '2022-04-03', 0, NULL,"
	"  'active'),"
	" ('" H2 "', '农商行', 3000000, '2016-05-01', 36, '2019-05-01', 3000000,"
	"  '2019-04-20', 'repaid'),"
	" ('" H3 "', '邮储银行', 1234567, '2017-01-01', 24, '2019-01-01', 0,"
	"  NULL, 'overdue'));"
	/* 低保: H3 on it; H2's ended in March. The roster: 王五 (H3's head) and
	 * 孙八, who is not registered. */
	SYNCED_ROWS("social_security", "household_id, kind, start_on, end_on, monthly_cents")
	" ('" H3 "', 'dibao', '2018-01-01', NULL, 30000),"
	" ('" H2 "', 'dibao', '2017-01-01', '2019-03-31', 30000));"
	"INSERT INTO roster_imports(id, owner, kind, file_name, encoding, rows, imported_at,"
	" imported_by, created_at, updated_at) VALUES ('" IMPORT "', '" V "', 'dibao',"
	" '低保名册.csv', 'UTF-8', 2, '2019-04-17T02:00:00Z', '" USER "', " STAMPS ");"
	SYNCED_ROWS("dibao_roster", "import_id, line, village, head_name, head_idcard, name,"
	                            " idcard, size, monthly_cents")
	" ('" IMPORT "', 2, '示范村', '王五', '341522196001013457', '王五',"
	"  '341522196001013457', 2, 30000),"
	" ('" IMPORT "', 3, '示范村', '孙八', '341522197707076789', '孙八',"
	"  '341522197707076789', 1, 30000));"
	/* Cadres: 刘国勇 has H1 and H2 all April and H3 from the 10th (not a whole
	 * April); he visits H1 twice and H3 once. 高刚 has H3 and visits it once. */
	"INSERT INTO cadres(id, owner, village_code, name, unit, role, created_at, updated_at)"
	" VALUES ('" C1 "', '" V "', '" V "', '刘国勇', '县卫健委', 'unit_cadre', " STAMPS "),"
	" ('" C2 "', '" V "', '" V "', '高刚', 'Shifan村两委', 'village_committee', " STAMPS ");"
	SYNCED_ROWS("cadre_assignments", "cadre_id, household_id, since, until")
	" ('" C1 "', '" H1 "', '2019-01-01', NULL),"
	" ('" C1 "', '" H2 "', '2019-01-01', NULL),"
	" ('" C1 "', '" H3 "', '2019-04-10', NULL),"
	" ('" C2 "', '" H3 "', '2018-01-01', NULL));"
	SYNCED_ROWS("visits", "cadre_id, household_id, visited_on")
	" ('" C1 "', '" H1 "', '2019-04-03'),"
	" ('" C1 "', '" H1 "', '2019-04-20'),"
	" ('" C1 "', '" H2 "', '2019-03-15'),"
	" ('" C1 "', '" H3 "', '2019-04-12'),"
	" ('" C2 "', '" H3 "', '2019-04-25'));"
	/* Staff: one full-time officer in post (the director does not count, the
	 * second officer starts in May); two business leaders; one base. */
	SYNCED_ROWS("staff", "village_code, name, role, full_time, since, until")
	" ('" V "', '吴主任', 'director', 0, '2018-01-01', NULL),"
	" ('" V "', '周专干', 'poverty_officer', 1, '2018-01-01', NULL),"
	" ('" V "', '郑信息员', 'info_officer', 1, '2019-05-10', NULL));"
	SYNCED_ROWS("business_leaders", "village_code, name, idcard, industry, trained,"
	                                " in_national_system")
	" ('" V "', '冯大', '341522198101011111', '养殖', 1, 0),"
	" ('" V "', '陈二', '341522198202022222', '种植', 0, 1));"
	SYNCED_ROWS("training_bases", "village_code, name, industry, established_on")
	" ('" V "', '虾稻共养基地', '养殖', '2019-04-01'));"
	/* Problems: P1 (area 7, task 5) rectifying on the 30th though closed in May,
	 * overdue; P2 (area 7, task 5) open since March, not due; P3 (area 10, task
	 * 18) closed on the 14th; P4 created in May. */
	OWNED_ROWS("problems", "id, village_code, area, task, title, source, responsible_unit,"
	                       " responsible_person, deadline, evidence, state")
	" ('" P(1) "', '" V "', 7, 5, 'Zhan三户家庭医生签约服务未履约，随访记录缺失',"
	"  'self_check', 'weishengyuan', '何德勇,刘芳', '2019-04-20', '随访记录', 'closed'),"
	" ('" P(2) "', '" V "', 7, 5, '慢病卡未办理', 'self_check', 'weishengyuan', '何德勇',"
	"  '2019-05-31', NULL, 'open'),"
	" ('" P(3) "', '" V "', 10, 18, '群众反映低保评定不公开', 'complaint',"
	"  'minzheng', '韩桂英', '2019-04-15', '公示照片', 'closed'));"
	"INSERT INTO problems(id, owner, village_code, area, task, title, source,"
	" responsible_unit, responsible_person, deadline, evidence, state, created_at,"
	" updated_at) VALUES"
	" ('" P(4) "', '" V "', '" V "', 1, 1, '五月的问题', 'self_check', 'villages', '高刚',"
	"  '2019-04-25', NULL, 'open', '2019-05-03T02:00:00Z', '2019-05-03T02:00:00Z');"
	"INSERT INTO problem_events(problem_id, from_state, to_state, at, by_user, " SYNCED_COLUMNS ")"
	" SELECT *, '" USER "', " SYNCED_VALUES " FROM (VALUES"
	" ('" P(1) "', NULL, 'open', '2019-04-02T02:00:00Z'),"
	" ('" P(1) "', 'open', 'rectifying', '2019-04-10T02:00:00Z'),"
	" ('" P(1) "', 'rectifying', 'closed', '2019-05-05T02:00:00Z'),"
	" ('" P(2) "', NULL, 'open', '2019-03-01T02:00:00Z'),"
	" ('" P(3) "', NULL, 'open', '2019-04-01T02:00:00Z'),"
	" ('" P(3) "', 'open', 'rectified', '2019-04-05T02:00:00Z'),"
	" ('" P(3) "', 'rectified', 'closed', '2019-04-14T02:00:00Z'),"
	" ('" P(4) "', NULL, 'open', '2019-05-03T02:00:00Z'));";

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1); /* event times are read as local dates */
	if (fixture_init_store(&fx_main, &fixture_village_id, NULL) != 0)
		return -1;
	struct tz_error err;
	if (store_tx_begin(fx_main.s, &err) != TZ_OK ||
	    store_exec(fx_main.s, village_sql, &err) != TZ_OK ||
	    store_tx_commit(fx_main.s, &err) != TZ_OK) {
		fprintf(stderr, "populate: %s\n", err.msg);
		return -1;
	}
	/* the village's six deliverables; its plans handed in on 4月28日 */
	char plans[IDS_NCHARS + 1];
	deliverable_id("plans", V, plans);
	struct deliverable_handin h = { .on = "2019-04-28", .by = "高刚", .signed_by = "张书记",
					.kept_where = "村部档案柜 3 号盒" };
	if (deliverable_generate(fx_main.s, NULL, &err) != TZ_OK ||
	    deliverable_record(fx_main.s, plans, &h, &err) != TZ_OK) {
		fprintf(stderr, "deliverables: %s\n", err.msg);
		return -1;
	}
	if (report_build_village(fx_main.s, &april_options, &april_report, &err) != TZ_OK) {
		fprintf(stderr, "report_build_village: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	report_free(&april_report);
	fixture_fini(&fx_main);
	return 0;
}

/* ---- reading a report ---- */

static void build(struct report *r)
{
	struct tz_error err;
	if (report_build_village(fx_main.s, &april_options, r, &err) != TZ_OK)
		fail_msg("report_build_village: %s", err.msg);
}

static const struct report_section *section(const struct report *r, const char *key)
{
	const struct report_section *sec = report_find(r, key);
	if (sec == NULL)
		fail_msg("no section %s", key);
	return sec;
}

static size_t column(const struct report_section *sec, const char *title)
{
	for (size_t c = 0; c < sec->ncolumns; c++)
		if (strcmp(sec->columns[c].title, title) == 0)
			return c;
	fail_msg("section %s has no column %s", sec->key, title);
	return 0;
}

/* The row of sec whose first column is k0 and (unless NULL) second is k1. */
static size_t row_of(const struct report_section *sec, const char *k0, const char *k1)
{
	for (size_t r = 0; r < sec->nrows; r++) {
		const struct report_cell *a = report_at(sec, r, 0);
		const struct report_cell *b = sec->ncolumns > 1 ? report_at(sec, r, 1) : NULL;
		if (!a->empty && strcmp(a->text, k0) == 0 &&
		    (k1 == NULL || (b && !b->empty && b->text && strcmp(b->text, k1) == 0)))
			return r;
	}
	fail_msg("section %s has no row %s / %s", sec->key, k0, k1 ? k1 : "");
	return 0;
}

/* The PLAIN text of a cell (as the CSV has it): "" when empty. */
static const char *fig(const struct report *r, const char *key, const char *k0, const char *k1,
		       const char *col)
{
	static char buf[8][REPORT_NUMBER_NBYTES];
	static int next;
	const struct report_section *sec = section(r, key);
	size_t c = column(sec, col);
	char *b = buf[next++ % 8];
	return report_cell_text(sec->columns[c].type, report_at(sec, row_of(sec, k0, k1), c),
				REPORT_STYLE_PLAIN, b);
}

#define assert_fig(r, key, k0, k1, col, want) assert_string_equal(fig(r, key, k0, k1, col), want)

/* A figure of the report: section key, the row whose first column is k0 and
 * second k1 ("": the first alone names it), the column col, its PLAIN text. */
struct figure {
	const char *key, *k0, *k1, *col, *want;
};

/* The figures of April (FROM .. TO), worked out by hand from the village
 * above, section by section; a test per section checks its own. */
static const struct figure april_figures[] = {
	{ "cover", "村（居）", "", "内容", "示范村" },
	{ "cover", "行政区划代码", "", "内容", V },
	{ "cover", "村类别", "", "内容", "贫困村" },
	{ "cover", "统计期间", "", "内容", "2019-04-01 至 2019-04-30" },
	{ "cover", "生成时间", "", "内容", STAMP },
	{ "cover", "生成人", "", "内容", USER },

	{ "changes", "（建档）", "新识别", "户次", "1" },
	{ "changes", "帮扶中", "已脱贫", "户次", "1" },
	{ "changes", "已脱贫", "返贫", "户次", "1" },
	{ "changes", "合计", "", "户次", "3" },

	{ "members", "在户人口", "合计", "人数", "8" },
	{ "members", "性别", "男", "人数", "5" },
	{ "members", "性别", "女", "人数", "3" },
	{ "members", "健康状况", "健康", "人数", "5" },
	{ "members", "健康状况", "长期慢性病", "人数", "1" },
	{ "members", "健康状况", "患有大病", "人数", "1" }, /* not the deceased */
	{ "members", "健康状况", "残疾", "人数", "1" },
	{ "members", "劳动能力", "无劳动力", "人数", "4" },
	{ "members", "年龄", "义务教育年龄段（6至15周岁）", "人数", "3" },
	{ "members", "本期人口变动", "迁入", "人数", "1" },
	{ "members", "本期人口变动", "死亡", "人数", "0" }, /* in March */

	{ "procedures", "识别（纳入）", "村民小组评议", "本期办理（户次）", "1" },
	{ "procedures", "识别（纳入）", "村民小组评议", "其中通过", "1" },
	{ "procedures", "识别（纳入）", "公告", "累计办理（至期末）", "0" },
	{ "procedures", "退出（脱贫）", "村民小组评议", "本期办理（户次）", "0" },
	{ "procedures", "退出（脱贫）", "村民小组评议", "累计办理（至期末）", "1" },
	{ "procedures", "退出（脱贫）", "村两委和驻村工作队评议", "其中通过", "1" },
	{ "procedures", "退出（脱贫）", "部门数据比对", "本期办理（户次）", "1" },
	{ "procedures", "退出（脱贫）", "部门数据比对", "其中未通过", "1" },
	{ "procedures", "退出（脱贫）", "部门数据比对", "其中通过", "0" },

	{ "four-lists", "四个清单齐全", "", "已建户数", "1" },
	{ "four-lists", "四个清单齐全", "", "覆盖率", "33.3%" },
	{ "four-lists", "四个清单齐全", "", "条目数", "" },

	{ "visits", "刘国勇", "县卫健委", "月份", "2019-04" },
	{ "visits", "刘国勇", "县卫健委", "包保户数", "2" },
	{ "visits", "刘国勇", "县卫健委", "走访次数", "2" },
	{ "visits", "刘国勇", "县卫健委", "达到要求户数", "1" },
	{ "visits", "刘国勇", "县卫健委", "未达要求户数", "1" },
	{ "visits", "刘国勇", "县卫健委", "达标率", "50.0%" },
	{ "visits", "高刚", "Shifan村两委", "达标率", "100.0%" },
	{ "visits", "合计", "", "包保户数", "3" },
	{ "visits", "合计", "", "达到要求户数", "2" },
	{ "visits", "合计", "", "达标率", "66.7%" },

	{ "staffing", "扶贫工作室专职人员（不含主任）", "", "实有", "1" },
	{ "staffing", "扶贫工作室专职人员（不含主任）", "", "要求下限", "2" },
	{ "staffing", "扶贫工作室专职人员（不含主任）", "", "要求上限", "5" },
	{ "staffing", "扶贫工作室专职人员（不含主任）", "", "是否达标", "不足" },
	{ "staffing", "扶贫工作室主任", "", "实有", "1" },
	{ "staffing", "创业致富带头人", "", "实有", "2" },
	{ "staffing", "创业致富带头人", "", "要求下限", "5" },
	{ "staffing", "创业致富带头人", "", "是否达标", "不足" },
	{ "staffing", "其中已参加培训", "", "实有", "1" },
	{ "staffing", "其中已录入全国扶贫开发信息系统", "", "实有", "1" },
	{ "staffing", "致富带头人培训基地", "", "实有", "1" },
	{ "staffing", "致富带头人培训基地", "", "是否达标", "达标" },

	{ "problems", "（七）精准施策转化效应不够", "5. 狠抓健康脱贫政策落实", "待整改", "1" },
	{ "problems", "（七）精准施策转化效应不够", "5. 狠抓健康脱贫政策落实", "整改中", "1" }, /* closed in May */
	{ "problems", "（七）精准施策转化效应不够", "5. 狠抓健康脱贫政策落实", "已销号", "0" },
	{ "problems", "（七）精准施策转化效应不够", "5. 狠抓健康脱贫政策落实", "其中逾期", "1" },
	{ "problems", "（七）精准施策转化效应不够", "5. 狠抓健康脱贫政策落实", "本期新增", "1" },
	{ "problems", "（十）扶贫领域工作作风不实、精神状态不佳", "18. 强化推进作风建设", "已销号", "1" },
	{ "problems", "（十）扶贫领域工作作风不实、精神状态不佳", "18. 强化推进作风建设", "其中逾期", "0" },
	{ "problems", "合计", "", "合计", "3" },
	{ "problems", "合计", "", "其中逾期", "1" },
	{ "problems", "合计", "", "本期新增", "2" },

	{ "overdue", "Zhan三户家庭医生签约服务未履约，随访记录缺失", "", "方面", "（七）" },
	{ "overdue", "Zhan三户家庭医生签约服务未履约，随访记录缺失", "", "任务", "5" },
	{ "overdue", "Zhan三户家庭医生签约服务未履约，随访记录缺失", "", "责任单位", "镇卫生院" },
	{ "overdue", "Zhan三户家庭医生签约服务未履约，随访记录缺失", "", "整改期限", "2019-04-20" },
	{ "overdue", "Zhan三户家庭医生签约服务未履约，随访记录缺失", "", "逾期天数", "10" },
	{ "overdue", "Zhan三户家庭医生签约服务未履约，随访记录缺失", "", "期末状态", "整改中" },

	{ "deadlines", "各村（居）、牵头单位专项整改实施方案报镇扶贫办", "", "截止日期", "2019-05-01" },
	{ "deadlines", "各村（居）、牵头单位专项整改实施方案报镇扶贫办", "", "距期末剩余天数", "1" },
	{ "deadlines", "各村（居）、牵头单位专项整改实施方案报镇扶贫办", "", "期末状态", "未到" },

	{ "deliverables", "专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）", "", "截止日期", "2019-05-01" },
	{ "deliverables", "专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）", "", "期末状态", "已完成" },
	{ "deliverables", "专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）", "", "提交日期", "2019-04-28" },
	{ "deliverables", "专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）", "", "审签人", "张书记" },
	{ "deliverables", "专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）", "", "存放位置", "村部档案柜 3 号盒" },
	{ "deliverables", "专项整改行动具体实施方案（经单位主要负责同志审签后报镇扶贫办）", "", "镇确认收到", "" },
	{ "deliverables", "整改行动总结（报镇扶贫办）", "", "截止日期", "2019-05-30" },
	{ "deliverables", "整改行动总结（报镇扶贫办）", "", "期末状态", "未到期" },

	{ "units", "镇卫生院", "", "牵头任务", "2、5、8" },
	{ "units", "镇卫生院", "", "问题", "2" },
	{ "units", "镇卫生院", "", "已销号", "1" },
	{ "units", "镇卫生院", "", "逾期未整改", "0" },
	{ "units", "镇民政办", "", "问题", "1" },
	{ "units", "镇民政办", "", "已销号", "1" },
	{ "units", "各村(居)", "", "牵头任务", "1、4、12、16" },
	{ "units", "各村(居)", "", "问题", "1" },
	{ "units", "各村(居)", "", "逾期未整改", "1" }, /* due 4月25日 */
	{ "units", "合计", "", "问题", "4" },
	/* a unit's own deliverables are the town's: none in a village's report */
	{ "units", "镇卫生院", "", "交付事项", "0" },
};

/* Check every figure of section key in april_figures against r (there is at
 * least one). */
static void assert_figs_of(const struct report *r, const char *key)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof april_figures / sizeof april_figures[0]; i++) {
		const struct figure *f = &april_figures[i];
		if (strcmp(f->key, key) != 0)
			continue;
		assert_fig(r, f->key, f->k0, f->k1[0] != '\0' ? f->k1 : NULL, f->col, f->want);
		n++;
	}
	assert_true(n > 0);
}

/* ---- the sections ---- */

static void test_sections_come_in_the_documented_order(void **state)
{
	(void)state;
	static const char *const keys[] = { "cover",	   "summary",	  "households", "changes",
					    "members",	   "procedures",  "four-lists", "sectors",
					    "visits",	   "staffing",	  "projects",	"marginal",
					    "complaints",  "trainings",	  "inspections", "cases",
					    "problems",	   "overdue",	  "findings",	"deadlines",
					    "deliverables", "units" };
	/* After the summary, the village's own section for each task of the 19. */
	size_t nkeys = sizeof keys / sizeof keys[0];
	assert_int_equal(april_report.nsections, nkeys + 19);
	for (size_t i = 0, k = 0; i < april_report.nsections; i++) {
		if (i >= 2 && i < 2 + 19) {
			char key[24];
			snprintf(key, sizeof key, "task-%zu", i - 1);
			assert_string_equal(april_report.sections[i].key, key);
			char title[24];
			snprintf(title, sizeof title, "任务%zu ", i - 1);
			assert_true(strncmp(april_report.sections[i].title, title, strlen(title)) == 0);
		} else {
			assert_string_equal(april_report.sections[i].key, keys[k++]);
		}
		assert_true(utf8_nchars(april_report.sections[i].title) <= 31); /* a sheet name */
	}
	assert_string_equal(april_report.village_code, V);
	assert_string_equal(april_report.village_name, "示范村");
	assert_string_equal(april_report.from, FROM);
	assert_string_equal(april_report.to, TO);
}

/* A village's task section reads its own figures, and names the village
 * where it misses the target. */
static void test_a_village_report_has_its_own_section_per_task(void **state)
{
	(void)state;
	const struct report_section *t5 = section(&april_report, "task-5");
	assert_string_equal(t5->title, "任务5 狠抓健康脱贫政策落实");
	size_t row = row_of(t5, "家庭医生签约户（期末有效）", NULL);
	assert_string_equal(report_at(t5, row, column(t5, "目标"))->text, "全部");
	assert_int_equal(report_at(t5, row, column(t5, "实际"))->num, 2);
	assert_int_equal(report_at(t5, row, column(t5, "基数"))->num, 4);
	assert_string_equal(report_at(t5, row, column(t5, "未达到目标的村（居）或责任单位"))->text,
			    "示范村");
	/* Its overdue problem names the unit responsible. */
	row = row_of(t5, "其中逾期", NULL);
	assert_int_equal(report_at(t5, row, column(t5, "实际"))->num, 1);
	assert_string_equal(report_at(t5, row, column(t5, "未达到目标的村（居）或责任单位"))->text,
			    "镇卫生院（示范村）1 个");
	/* No sign-off page: that is the township report's. */
	assert_null(report_find(&april_report, "signoff"));
}

static void test_cover_names_village_period_time_and_user(void **state)
{
	(void)state;
	assert_true(section(&april_report, "cover")->flags & REPORT_SECTION_FORM);
	assert_figs_of(&april_report, "cover");
}

static void test_households_by_status_at_the_start_and_the_end(void **state)
{
	(void)state;
	static const struct {
		const char *status, *start, *end, *change;
	} want[] = {
		{ "新识别", "0", "1", "1" },   { "帮扶中", "2", "1", "-1" }, { "已脱贫", "1", "1", "0" },
		{ "脱贫监测", "0", "0", "0" }, { "返贫", "0", "1", "1" },   { "合计", "3", "4", "1" },
	};
	const struct report_section *sec = section(&april_report, "households");
	assert_int_equal(sec->nrows, 6);
	assert_true(sec->flags & REPORT_SECTION_TOTAL);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_fig(&april_report, "households", want[i].status, NULL, "期初户数", want[i].start);
		assert_fig(&april_report, "households", want[i].status, NULL, "期末户数", want[i].end);
		assert_fig(&april_report, "households", want[i].status, NULL, "增减", want[i].change);
	}
	assert_non_null(strstr(sec->note, "2019-03-31"));
}

static void test_status_changes_within_the_period_only(void **state)
{
	(void)state;
	const struct report_section *sec = section(&april_report, "changes");
	assert_int_equal(sec->nrows, 4);
	assert_figs_of(&april_report, "changes");
}

static void test_members_present_by_sex_health_age_and_changes(void **state)
{
	(void)state;
	assert_figs_of(&april_report, "members");
}

static void test_procedure_steps_done_in_the_period_and_in_all(void **state)
{
	(void)state;
	const struct report_section *sec = section(&april_report, "procedures");
	assert_int_equal(sec->nrows, 12); /* 2 procedures x 6 steps, zeros included */
	assert_figs_of(&april_report, "procedures");
}

static void test_four_lists_cover_households_not_exited(void **state)
{
	(void)state;
	static const struct {
		const char *list, *built, *rate, *items, *done, *late;
	} want[] = {
		{ "对象清单", "2", "66.7%", "2", "0", "0" }, /* H4's came in May */
		{ "需求清单", "2", "66.7%", "2", "0", "0" },
		{ "措施清单", "2", "66.7%", "2", "1", "1" }, /* H2's (exited) not counted */
		{ "责任清单", "1", "33.3%", "1", "0", "0" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_fig(&april_report, "four-lists", want[i].list, NULL, "应建户数", "3");
		assert_fig(&april_report, "four-lists", want[i].list, NULL, "已建户数", want[i].built);
		assert_fig(&april_report, "four-lists", want[i].list, NULL, "覆盖率", want[i].rate);
		assert_fig(&april_report, "four-lists", want[i].list, NULL, "条目数", want[i].items);
		assert_fig(&april_report, "four-lists", want[i].list, NULL, "已完成条目", want[i].done);
		assert_fig(&april_report, "four-lists", want[i].list, NULL, "逾期未完成条目", want[i].late);
	}
	assert_figs_of(&april_report, "four-lists");
}

static void test_sector_figures_as_of_the_end(void **state)
{
	(void)state;
	static const struct {
		const char *label, *n, *base, *rate, *money;
	} want[] = {
		{ "家庭医生签约户（期末有效）", "2", "4", "50.0%", "" },
		{ "本期新签家庭医生（份）", "1", "", "", "" },
		{ "义务教育阶段儿童在校", "2", "3", "66.7%", "" },
		{ "义务教育阶段儿童辍学", "1", "3", "33.3%", "" },
		{ "义务教育阶段儿童其他情况", "0", "3", "0.0%", "" },
		{ "C、D 级危房已改造", "1", "2", "50.0%", "" },
		{ "C、D 级危房未改造", "1", "2", "50.0%", "" },
		{ "本期完成危房改造（户）", "1", "", "", "" },
		{ "本期发放小额信贷（笔）", "1", "", "", "50000.00" },
		{ "本期还清小额信贷（笔）", "1", "", "", "30000.00" },
		{ "期末未还清小额信贷（笔）", "2", "", "", "62345.67" },
		{ "其中已到期（笔）", "1", "", "", "12345.67" },
		{ "享受低保的建档立卡户（期末）", "1", "4", "25.0%", "" },
		/* The roster comparison: all 5 households in the store, 2 on the roster. */
		{ "低保名册户数（最近导入）", "2", "", "", "" },
		{ "建档立卡户未享受低保（比对）", "4", "5", "80.0%", "" },
		{ "低保户未建档立卡（比对）", "1", "2", "50.0%", "" },
	};
	const struct report_section *sec = section(&april_report, "sectors");
	assert_int_equal(sec->nrows, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(row_of(sec, report_at(sec, i, 0)->text, want[i].label), i);
		assert_fig(&april_report, "sectors", report_at(sec, i, 0)->text, want[i].label, "数量", want[i].n);
		assert_fig(&april_report, "sectors", report_at(sec, i, 0)->text, want[i].label, "基数",
			   want[i].base);
		assert_fig(&april_report, "sectors", report_at(sec, i, 0)->text, want[i].label, "比例",
			   want[i].rate);
		assert_fig(&april_report, "sectors", report_at(sec, i, 0)->text, want[i].label, "金额（元）",
			   want[i].money);
	}
	assert_non_null(strstr(sec->note, "低保名册.csv"));
}

static void test_visits_per_cadre_and_month_against_the_monthly_rule(void **state)
{
	(void)state;
	struct report r;
	const struct report_section *sec = section(&april_report, "visits");
	assert_int_equal(sec->nrows, 3);
	/* 刘国勇: H1 twice, H2 not at all; H3 (from the 10th) is not his for April. */
	assert_figs_of(&april_report, "visits");

	/* A period cut inside a month says which days it counts. */
	struct tz_error err;
	struct report_options o = { .from = "2019-03-10", .to = "2019-04-20", .generated_at = STAMP };
	assert_int_equal(report_build_village(fx_main.s, &o, &r, &err), TZ_OK);
	sec = section(&r, "visits");
	assert_int_equal(row_of(sec, "刘国勇", "县卫健委"), 0);
	assert_string_equal(report_at(sec, 0, 2)->text, "2019-03（10至31日）");
	assert_string_equal(report_at(sec, 1, 2)->text, "2019-04（1至20日）");
	assert_int_equal(report_at(sec, 0, 4)->num, 1); /* H2 on 03-15 */
	report_free(&r);
}

/* A month that has not ended yet is not judged: a cadre who has not visited
 * yet still has the rest of it. It says how many days are left, its households
 * not yet visited are not counted as failing, and the rates (the section's, the
 * summary's) are those of the months that have ended. */
static void test_visits_of_the_month_in_progress_are_not_judged(void **state)
{
	(void)state;
	setenv("TAIZHANG_TODAY", "2019-04-25", 1);
	struct report r;
	struct tz_error err;
	struct report_options o = { .from = "2019-03-01", .to = TO, .generated_at = STAMP };
	assert_int_equal(report_build_village(fx_main.s, &o, &r, &err), TZ_OK);
	const struct report_section *sec = section(&r, "visits");
	size_t april = row_of(sec, "刘国勇", "县卫健委") + 1; /* after his March */
	assert_string_equal(report_at(sec, april - 1, 2)->text, "2019-03");
	assert_string_equal(report_at(sec, april, 2)->text, "2019-04（本月尚余 5 天）");
	/* H1 visited twice: met; H2 not yet: not a failure while April lasts. */
	assert_int_equal(report_at(sec, april, column(sec, "包保户数"))->num, 2);
	assert_int_equal(report_at(sec, april, column(sec, "达到要求户数"))->num, 1);
	assert_true(report_at(sec, april, column(sec, "未达要求户数"))->empty);
	assert_true(report_at(sec, april, column(sec, "达标率"))->empty);
	/* March has ended and is judged as before. */
	assert_false(report_at(sec, april - 1, column(sec, "达标率"))->empty);
	/* The total rate and the summary are of March only. */
	const struct report_cell *total = report_at(sec, sec->nrows - 1, column(sec, "达标率"));
	long long due_march = 0, met_march = 0;
	for (size_t i = 0; i + 1 < sec->nrows; i++) {
		const struct report_cell *m = report_at(sec, i, 2);
		if (strcmp(m->text, "2019-03") == 0) {
			due_march += report_at(sec, i, column(sec, "包保户数"))->num;
			met_march += report_at(sec, i, column(sec, "达到要求户数"))->num;
		}
	}
	assert_true(due_march > 0);
	assert_int_equal(total->num, met_march);
	assert_int_equal(total->den, due_march);
	char want[32];
	snprintf(want, sizeof want, "%lld", due_march);
	assert_fig(&r, "summary", "走访达到每月要求（户·月）", NULL, "基数", want);
	snprintf(want, sizeof want, "%lld", met_march);
	assert_fig(&r, "summary", "走访达到每月要求（户·月）", NULL, "数值", want);
	report_free(&r);
	unsetenv("TAIZHANG_TODAY");
}

static void test_staffing_leaders_and_bases_against_the_policy(void **state)
{
	(void)state;
	struct report r;
	assert_figs_of(&april_report, "staffing");

	/* The targets come from the policy table. */
	fixture_sql(fx_main.s, "UPDATE policy SET value = 1 WHERE key = 'staff_min'");
	build(&r);
	assert_fig(&r, "staffing", "扶贫工作室专职人员（不含主任）", NULL, "是否达标", "达标");
	report_free(&r);
	fixture_sql(fx_main.s, "UPDATE policy SET value = 2 WHERE key = 'staff_min'");
}

static void test_problems_in_their_state_at_the_end_of_the_period(void **state)
{
	(void)state;
	const struct report_section *sec = section(&april_report, "problems");
	assert_int_equal(sec->nrows, 3); /* P4 came after the period */
	assert_figs_of(&april_report, "problems");

	sec = section(&april_report, "overdue");
	assert_int_equal(sec->nrows, 1);
	assert_int_equal(sec->nkeys, 0);
	assert_figs_of(&april_report, "overdue");
}

static void test_a_period_up_to_today_counts_everything_entered_so_far(void **state)
{
	(void)state;
	/* "Today" is the end of April: P1's move to closed (made in May by the
	 * clock) and P4 (entered in May) are what the ledger holds now. */
	setenv("TAIZHANG_TODAY", TO, 1);
	struct report r;
	build(&r);
	unsetenv("TAIZHANG_TODAY");
	const char *health = "（七）精准施策转化效应不够";
	assert_fig(&r, "problems", health, "5. 狠抓健康脱贫政策落实", "已销号", "1");
	assert_fig(&r, "problems", health, "5. 狠抓健康脱贫政策落实", "整改中", "0");
	assert_fig(&r, "problems", "合计", NULL, "合计", "4");
	assert_fig(&r, "overdue", "五月的问题", NULL, "逾期天数", "5");
	assert_fig(&r, "four-lists", "对象清单", NULL, "已建户数", "3"); /* H4's, entered in May */
	report_free(&r);
}

static void test_findings_agree_with_rules_check(void **state)
{
	(void)state;
	struct findings f = { 0 };
	struct tz_error err;
	assert_int_equal(rules_check(fx_main.s, &(struct rules_options){ .as_of = TO }, &f, &err),
			 TZ_OK);
	assert_true(f.n > 0);
	size_t nrules;
	const struct rule *const *rules = rules_all(&nrules);
	const struct report_section *sec = section(&april_report, "findings");
	assert_int_equal(sec->nrows, nrules + 1);
	for (size_t i = 0; i < nrules; i++) {
		long long n = 0;
		for (size_t k = 0; k < f.n; k++)
			n += f.items[k].rule == rules[i];
		/* Named by the rule's Chinese title; its ASCII id is nowhere in the report. */
		assert_string_equal(report_at(sec, i, column(sec, "核查规则"))->text, rules[i]->title);
		for (size_t c = 0; c < sec->ncolumns; c++)
			assert_true(report_at(sec, i, c)->empty || report_at(sec, i, c)->text == NULL ||
				    strstr(report_at(sec, i, c)->text, rules[i]->id) == NULL);
		assert_int_equal(report_at(sec, i, column(sec, "发现数"))->num, n);
		assert_int_equal(report_at(sec, i, column(sec, "任务"))->num, rules[i]->task);
	}
	/* The total counts findings, not task numbers. */
	assert_int_equal(report_at(sec, nrules, column(sec, "发现数"))->num, (long long)f.n);
	assert_true(report_at(sec, nrules, column(sec, "任务"))->empty);
	findings_free(&f);
}

static void test_deadlines_count_days_from_the_end(void **state)
{
	(void)state;
	struct report r;
	const char *plans = "各村（居）、牵头单位专项整改实施方案报镇扶贫办";
	assert_figs_of(&april_report, "deadlines");
	struct tz_error err;
	struct report_options o = { .from = FROM, .to = "2019-05-03", .generated_at = STAMP };
	assert_int_equal(report_build_village(fx_main.s, &o, &r, &err), TZ_OK);
	assert_fig(&r, "deadlines", plans, NULL, "距期末剩余天数", "-2");
	assert_fig(&r, "deadlines", plans, NULL, "期末状态", "已过");
	report_free(&r);
}

static void test_deliverables_are_done_open_or_late_at_the_end(void **state)
{
	(void)state;
	struct report r;
	const char *summary = "整改行动总结（报镇扶贫办）";
	assert_figs_of(&april_report, "deliverables");
	assert_int_equal(section(&april_report, "deliverables")->nrows, 6);
	/* at the end of June every other one is late */
	struct tz_error err;
	struct report_options o = { .from = FROM, .to = "2019-07-01", .generated_at = STAMP };
	assert_int_equal(report_build_village(fx_main.s, &o, &r, &err), TZ_OK);
	assert_fig(&r, "deliverables", summary, NULL, "期末状态", "逾期");
	assert_fig(&r, "units", "各村(居)", NULL, "交付事项", "6");
	assert_fig(&r, "units", "各村(居)", NULL, "已完成", "1");
	assert_fig(&r, "units", "各村(居)", NULL, "逾期", "5");
	report_free(&r);
}

static void test_each_unit_sheet_counts_the_problems_that_name_it(void **state)
{
	(void)state;
	assert_figs_of(&april_report, "units");
}

static void test_summary_figures_are_the_sections_figures(void **state)
{
	(void)state;
	static const struct {
		const char *label, *n, *base, *rate;
	} want[] = {
		{ "建档立卡户（期末，户）", "4", "", "" },
		{ "其中已脱贫（含脱贫监测，户）", "1", "4", "25.0%" },
		{ "本期新建档立卡（户）", "1", "", "" },
		{ "本期脱贫（户次）", "1", "", "" },
		{ "本期返贫（户次）", "1", "", "" },
		{ "在户人口（期末，人）", "8", "", "" },
		{ "四个清单齐全（户）", "1", "3", "33.3%" },
		{ "家庭医生签约户（期末有效）", "2", "4", "50.0%" },
		{ "义务教育阶段儿童在校", "2", "3", "66.7%" },
		{ "义务教育阶段儿童辍学", "1", "3", "33.3%" },
		{ "C、D 级危房已改造", "1", "2", "50.0%" },
		{ "享受低保的建档立卡户（期末）", "1", "4", "25.0%" },
		{ "低保户未建档立卡（比对）", "1", "2", "50.0%" },
		{ "走访达到每月要求（户·月）", "2", "3", "66.7%" },
		{ "问题未销号（期末，个）", "2", "3", "66.7%" },
		{ "其中逾期（个）", "1", "", "" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_fig(&april_report, "summary", want[i].label, NULL, "数值", want[i].n);
		assert_fig(&april_report, "summary", want[i].label, NULL, "基数", want[i].base);
		assert_fig(&april_report, "summary", want[i].label, NULL, "比例", want[i].rate);
	}
	const struct report_section *findings = section(&april_report, "findings");
	assert_int_equal(
		atoll(fig(&april_report, "summary", "精准核查发现（条）", NULL, "数值")),
		report_at(findings, findings->nrows - 1, column(findings, "发现数"))->num);
}

/* ---- the period and the store ---- */

static void test_period_defaults_and_refusals(void **state)
{
	(void)state;
	struct report r;
	struct tz_error err;
	setenv("TAIZHANG_TODAY", "2019-04-20", 1);
	assert_int_equal(report_build_village(fx_main.s, NULL, &r, &err), TZ_OK);
	assert_string_equal(r.from, "2019-01-01");
	assert_string_equal(r.to, "2019-04-20");
	assert_int_equal(strlen(r.generated_at), REPORT_STAMP_NCHARS);
	report_free(&r);
	assert_int_equal(report_build_village(fx_main.s,
					      &(struct report_options){ .from = "2019年4月1日",
									.to = "2019/4/30" },
					      &r, &err),
			 TZ_OK);
	assert_string_equal(r.from, FROM);
	assert_string_equal(r.to, TO);
	report_free(&r);
	unsetenv("TAIZHANG_TODAY");

	assert_int_equal(report_build_village(fx_main.s,
					      &(struct report_options){ .from = TO, .to = FROM },
					      &r, &err),
			 TZ_EUSAGE);
	assert_non_null(strstr(err.msg, "晚于"));
	report_free(&r);
	assert_int_equal(report_build_village(fx_main.s,
					      &(struct report_options){ .to = "2019-02-30" }, &r,
					      &err),
			 TZ_EUSAGE);
	report_free(&r);
}

static void test_a_town_store_needs_a_village_for_a_village_report(void **state)
{
	(void)state;
	struct fixture town = { 0 };
	assert_int_equal(fixture_init_store(&town, &fixture_town_id, NULL), 0);
	struct report r;
	struct tz_error err;
	assert_int_equal(report_build_village(town.s, NULL, &r, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "镇台账"));
	report_free(&r);
	/* A village the town has no row of is not one it can report on. */
	assert_int_equal(report_build_village(town.s, &(struct report_options){ .village = V }, &r,
					      &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, V));
	report_free(&r);
	fixture_fini(&town);
}

static void test_an_empty_village_reports_zeros_and_no_roster(void **state)
{
	(void)state;
	struct fixture empty = { 0 };
	assert_int_equal(fixture_init_store(&empty, &(struct store_identity){ STORE_KIND_VILLAGE, V, "空村" }, NULL), 0);
	struct report r;
	struct tz_error err;
	assert_int_equal(report_build_village(empty.s, &(struct report_options){ .to = TO }, &r,
					      &err),
			 TZ_OK);
	assert_string_equal(r.village_name, "空村");
	assert_fig(&r, "cover", "村类别", NULL, "内容", "（未登记）");
	assert_fig(&r, "households", "合计", NULL, "期末户数", "0");
	assert_fig(&r, "sectors", "健康扶贫", "家庭医生签约户（期末有效）", "比例", "");
	row_of(section(&r, "sectors"), "保障性扶贫", "低保名册比对（尚未导入低保名册）");
	assert_fig(&r, "problems", "合计", NULL, "合计", "0");
	assert_int_equal(section(&r, "overdue")->nrows, 0);
	assert_fig(&r, "staffing", "创业致富带头人", NULL, "是否达标", "村类别未登记");
	report_free(&r);
	fixture_fini(&empty);
}

/* ---- formatting ---- */

static void test_figures_are_formatted_for_people_and_for_programs(void **state)
{
	(void)state;
	char buf[REPORT_NUMBER_NBYTES];
	struct report_cell money = { .num = 123456789 }, cents = { .num = -5 };
	assert_string_equal(report_cell_text(REPORT_MONEY, &money, REPORT_STYLE_DISPLAY, buf),
			    "1,234,567.89");
	assert_string_equal(report_cell_text(REPORT_MONEY, &money, REPORT_STYLE_PLAIN, buf),
			    "1234567.89");
	assert_string_equal(report_cell_text(REPORT_MONEY, &cents, REPORT_STYLE_DISPLAY, buf),
			    "-0.05");
	static const struct {
		long long num, den;
		const char *want;
	} pct[] = {
		{ 1, 3, "33.3%" }, { 2, 3, "66.7%" }, { 1, 8, "12.5%" },
		{ 1, 2000, "0.1%" }, { 0, 7, "0.0%" }, { 7, 7, "100.0%" },
	};
	for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++) {
		struct report_cell c = { .num = pct[i].num, .den = pct[i].den };
		assert_string_equal(report_cell_text(REPORT_PERCENT, &c, REPORT_STYLE_PLAIN, buf),
				    pct[i].want);
	}
	struct report_cell empty = { .empty = 1 };
	assert_string_equal(report_cell_text(REPORT_INT, &empty, REPORT_STYLE_PLAIN, buf), "");
}

static void test_output_format_follows_the_file_name(void **state)
{
	(void)state;
	assert_int_equal(report_format_of("-"), REPORT_FORMAT_TEXT);
	assert_int_equal(report_format_of("r.txt"), REPORT_FORMAT_TEXT);
	assert_int_equal(report_format_of("报表.CSV"), REPORT_FORMAT_CSV);
	assert_int_equal(report_format_of("dir.x/r.Xlsx"), REPORT_FORMAT_XLSX);
	assert_int_equal(report_format_of("r.xls"), REPORT_FORMAT_NONE);
	assert_int_equal(report_format_of(".csv"), REPORT_FORMAT_NONE);
	char name[64];
	struct tz_error err;
	assert_int_equal(report_csv_path("d/r.csv", "four-lists", name, sizeof name, &err), TZ_OK);
	assert_string_equal(name, "d/r-four-lists.csv");
	assert_int_equal(report_csv_path("R.CSV", "cover", name, sizeof name, &err), TZ_OK);
	assert_string_equal(name, "R-cover.CSV");
	assert_int_equal(report_csv_path("r.txt", "cover", name, sizeof name, &err), TZ_EFAIL);
	assert_int_equal(report_csv_path("r.csv", "cover", name, 8, &err), TZ_EFAIL);
}

/* ---- writers ---- */

/* The whole of file path into a malloc'd string; *n its length. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	text[len] = '\0';
	fclose(f);
	if (n)
		*n = (size_t)len;
	return text;
}

/* How many names in dir end in suffix. */
static int count_suffix(const char *dir, const char *suffix)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		size_t a = strlen(e->d_name), b = strlen(suffix);
		n += a >= b && strcmp(e->d_name + a - b, suffix) == 0;
	}
	if (d)
		closedir(d);
	return n;
}

static void test_csv_files_are_exact_with_bom_and_crlf(void **state)
{
	(void)state;
	char dir[128], path[192], other[256];
	snprintf(dir, sizeof dir, "%s/csv", fx_main.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/报表.csv", dir);
	struct tz_error err;
	assert_int_equal(report_write(&april_report, path, &err), TZ_OK);
	assert_int_equal(count_suffix(dir, ".csv"), 22 + 19);
	assert_int_equal(count_suffix(dir, ".part"), 0);

	char *text = slurp(path, NULL);
	assert_memory_equal(text, "\xEF\xBB\xBF" "指标,数值,基数,比例\r\n"
				  "建档立卡户（期末，户）,4,,\r\n"
				  "其中已脱贫（含脱贫监测，户）,1,4,25.0%\r\n",
			    strlen("\xEF\xBB\xBF" "指标,数值,基数,比例\r\n"
				   "建档立卡户（期末，户）,4,,\r\n"
				   "其中已脱贫（含脱贫监测，户）,1,4,25.0%\r\n"));
	free(text);

	assert_int_equal(report_csv_path(path, "households", other, sizeof other, &err), TZ_OK);
	text = slurp(other, NULL);
	assert_string_equal(text, "\xEF\xBB\xBF" "户状态,期初户数,期末户数,增减\r\n"
				  "新识别,0,1,1\r\n"
				  "帮扶中,2,1,-1\r\n"
				  "已脱贫,1,1,0\r\n"
				  "脱贫监测,0,0,0\r\n"
				  "返贫,0,1,1\r\n"
				  "合计,3,4,1\r\n");
	free(text);

	assert_int_equal(report_csv_path(path, "cover", other, sizeof other, &err), TZ_OK);
	text = slurp(other, NULL);
	assert_non_null(strstr(text, "\xEF\xBB\xBF" "项目,内容\r\n村（居）,示范村\r\n行政区划代码," V
				     "\r\n村类别,贫困村\r\n统计期间,2019-04-01 至 2019-04-30\r\n"
				     "生成时间," STAMP "\r\n生成人," USER "\r\n"));
	free(text);

	assert_int_equal(report_csv_path(path, "sectors", other, sizeof other, &err), TZ_OK);
	text = slurp(other, NULL);
	assert_non_null(strstr(text, "\r\n金融扶贫,期末未还清小额信贷（笔）,2,,,62345.67\r\n"));
	assert_non_null(strstr(text, "\r\n健康扶贫,家庭医生签约户（期末有效）,2,4,50.0%,\r\n"));
	free(text);

	/* A field with a comma is quoted (RFC 4180). */
	assert_int_equal(report_csv_path(path, "overdue", other, sizeof other, &err), TZ_OK);
	text = slurp(other, NULL);
	assert_non_null(strstr(text, "\r\nZhan三户家庭医生签约服务未履约，随访记录缺失,（七）,5,"
				     "镇卫生院,\"何德勇,刘芳\",2019-04-20,10,整改中\r\n"));
	free(text);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* The display columns [start, end) of each run of '-' in a rule line. */
struct span {
	size_t start, end;
};

static size_t spans_of(const char *rule, struct span *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; rule[i];) {
		if (rule[i] != '-') {
			i++;
			continue;
		}
		size_t j = i;
		while (rule[j] == '-')
			j++;
		assert_true(n < cap);
		out[n++] = (struct span){ i, j };
		i = j;
	}
	return n;
}

/* Check that line puts a character boundary at the start and end of every
 * span, has only spaces outside the spans, and is as wide as the rule; copy
 * the text of span k (spaces trimmed) into cell. */
static void check_line(const char *line, const struct span *sp, size_t n, size_t width,
		       size_t k, char *cell, size_t cap)
{
	size_t col = 0, nbytes = strlen(line), s = 0, cell_n = 0;
	int inside = 0;
	for (size_t i = 0; i < nbytes;) {
		uint32_t cp;
		size_t len = utf8_decode(line + i, nbytes - i, &cp);
		assert_true(len > 0);
		size_t w = (size_t)utf8_cp_ncols(cp);
		while (s < n && col >= sp[s].end)
			s++;
		inside = s < n && col >= sp[s].start;
		if (inside) {
			if (col + w > sp[s].end)
				fail_msg("a character straddles the end of column %zu: %s", s, line);
			if (s == k && cp != ' ' && cell_n + len < cap) {
				memcpy(cell + cell_n, line + i, len);
				cell_n += len;
			} else if (s == k && cp == ' ' && cell_n > 0 && cell_n + 1 < cap) {
				cell[cell_n++] = ' ';
			}
		} else {
			if (cp != ' ')
				fail_msg("text outside the columns at column %zu: %s", col, line);
			if (s < n && col + w > sp[s].start)
				fail_msg("a character straddles the start of column %zu: %s", s, line);
		}
		col += w;
		i += len;
	}
	while (cell_n > 0 && cell[cell_n - 1] == ' ')
		cell_n--;
	cell[cell_n] = '\0';
	assert_int_equal(col, width);
	assert_int_equal(utf8_ncols(line), width);
}

/* The text report's lines, split in place. */
static char **split_lines(char *text, size_t *n)
{
	size_t cap = 64;
	char **lines = malloc(cap * sizeof *lines);
	*n = 0;
	for (char *p = text; *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*n == cap)
			lines = realloc(lines, (cap *= 2) * sizeof *lines);
		lines[(*n)++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	return lines;
}

static void test_text_tables_align_every_column_with_cjk_counted_double(void **state)
{
	(void)state;
	char *text = fixture_report_text(&april_report);
	assert_true(strncmp(text, "示范村“重精准、补短板、促攻坚”专项整改报表\n", 10) == 0);
	assert_non_null(strstr(text, "\n统计期间：2019-04-01 至 2019-04-30\n"));
	/* A long mixed title wraps inside its 30-column column; the full-width
	 * comma that would begin the second line takes the character before it
	 * along. */
	char *at = strstr(text, "\n  Zhan三户家庭医生签约服务未履  ");
	assert_non_null(at);
	char *next = strchr(at + 1, '\n') + 1;
	assert_true(strncmp(next, "  约，随访记录缺失  ", strlen("  约，随访记录缺失  ")) == 0);
	size_t nlines;
	char **lines = split_lines(text, &nlines);
	size_t ntables = 0, nrows = 0;
	for (size_t i = 0; i + 2 < nlines; i++) {
		if (strncmp(lines[i], "【", strlen("【")) != 0 || lines[i + 1][0] == '\0' ||
		    strstr(lines[i + 2], "--") == NULL)
			continue;
		/* 【title】, headers, rule, rows ... until a note, a blank line or the end. */
		struct span sp[16];
		size_t n = spans_of(lines[i + 2], sp, 16), width = utf8_ncols(lines[i + 2]);
		char cell[256];
		for (size_t j = i + 1; j < nlines && lines[j][0] != '\0' &&
				       strncmp(lines[j], "  注：", strlen("  注：")) != 0 &&
				       strncmp(lines[j], "【", strlen("【")) != 0;
		     j++, nrows++)
			check_line(lines[j], sp, n, width, 0, cell, sizeof cell);
		ntables++;
	}
	assert_int_equal(ntables, april_report.nsections - 1); /* every section but the cover */
	assert_true(nrows > 80);

	/* Figures are right-aligned under their header, text left-aligned. */
	for (size_t i = 0; i < nlines; i++) {
		if (strcmp(lines[i], "【户数与变化】") != 0)
			continue;
		struct span sp[8];
		size_t n = spans_of(lines[i + 2], sp, 8), width = utf8_ncols(lines[i + 2]);
		char cell[64];
		check_line(lines[i + 1], sp, n, width, 0, cell, sizeof cell);
		assert_string_equal(cell, "户状态");
		check_line(lines[i + 5], sp, n, width, 0, cell, sizeof cell);
		assert_string_equal(cell, "已脱贫");
		check_line(lines[i + 4], sp, n, width, 3, cell, sizeof cell);
		assert_string_equal(cell, "-1");
		assert_string_equal(lines[i + 4] + strlen(lines[i + 4]) - 2, "-1");
		/* The total is set apart by a second rule. */
		assert_string_equal(lines[i + 8], lines[i + 2]);
		check_line(lines[i + 9], sp, n, width, 2, cell, sizeof cell);
		assert_string_equal(cell, "4");
	}
	free(lines);
	free(text);
}

static void test_xlsx_is_a_zip_written_in_place_of_the_old_file(void **state)
{
	(void)state;
	char dir[128], path[192];
	snprintf(dir, sizeof dir, "%s/xlsx", fx_main.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/r.xlsx", dir);
	FILE *f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	struct tz_error err;
	assert_int_equal(report_write(&april_report, path, &err), TZ_OK);
	size_t n;
	char *data = slurp(path, &n);
	assert_true(n > 5000);
	assert_memory_equal(data, "PK\x03\x04", 4);
	free(data);
	/* Nothing left beside it: no part, no temporary files. */
	assert_int_equal(count_suffix(dir, ".part"), 0);
	assert_int_equal(count_suffix(dir, ""), 3); /* ., .., r.xlsx */
}

static void test_a_failed_write_leaves_the_old_file_and_no_part(void **state)
{
	(void)state;
	char dir[128], path[192], part[256];
	snprintf(dir, sizeof dir, "%s/fail", fx_main.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/r.txt", dir);
	FILE *f = fopen(path, "w");
	fputs("the old report\n", f);
	fclose(f);
	/* A directory where the part would go makes the write fail. */
	snprintf(part, sizeof part, "%s.part", path);
	assert_int_equal(mkdir(part, 0700), 0);
	struct tz_error err;
	assert_int_equal(report_write(&april_report, path, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "r.txt.part"));
	char *text = slurp(path, NULL);
	assert_string_equal(text, "the old report\n");
	free(text);
	rmdir(part);

	/* CSV: a sibling that cannot be written stops them all; no part remains. */
	snprintf(path, sizeof path, "%s/r.csv", dir);
	snprintf(part, sizeof part, "%s/r-visits.csv.part", dir);
	assert_int_equal(mkdir(part, 0700), 0);
	assert_int_equal(report_write(&april_report, path, &err), TZ_EFAIL);
	rmdir(part);
	assert_int_equal(count_suffix(dir, ".part"), 0);
	assert_int_equal(count_suffix(dir, ".csv"), 0);

	assert_int_equal(report_write(&april_report, "r.xls", &err), TZ_EUSAGE);
	snprintf(path, sizeof path, "%s/no/such/dir/r.xlsx", dir);
	assert_int_equal(report_write(&april_report, path, &err), TZ_EFAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_come_in_the_documented_order),
		cmocka_unit_test(test_cover_names_village_period_time_and_user),
		cmocka_unit_test(test_households_by_status_at_the_start_and_the_end),
		cmocka_unit_test(test_status_changes_within_the_period_only),
		cmocka_unit_test(test_members_present_by_sex_health_age_and_changes),
		cmocka_unit_test(test_procedure_steps_done_in_the_period_and_in_all),
		cmocka_unit_test(test_four_lists_cover_households_not_exited),
		cmocka_unit_test(test_sector_figures_as_of_the_end),
		cmocka_unit_test(test_visits_per_cadre_and_month_against_the_monthly_rule),
		cmocka_unit_test(test_visits_of_the_month_in_progress_are_not_judged),
		cmocka_unit_test(test_a_village_report_has_its_own_section_per_task),
		cmocka_unit_test(test_staffing_leaders_and_bases_against_the_policy),
		cmocka_unit_test(test_problems_in_their_state_at_the_end_of_the_period),
		cmocka_unit_test(test_a_period_up_to_today_counts_everything_entered_so_far),
		cmocka_unit_test(test_findings_agree_with_rules_check),
		cmocka_unit_test(test_deadlines_count_days_from_the_end),
		cmocka_unit_test(test_deliverables_are_done_open_or_late_at_the_end),
		cmocka_unit_test(test_each_unit_sheet_counts_the_problems_that_name_it),
		cmocka_unit_test(test_summary_figures_are_the_sections_figures),
		cmocka_unit_test(test_period_defaults_and_refusals),
		cmocka_unit_test(test_a_town_store_needs_a_village_for_a_village_report),
		cmocka_unit_test(test_an_empty_village_reports_zeros_and_no_roster),
		cmocka_unit_test(test_figures_are_formatted_for_people_and_for_programs),
		cmocka_unit_test(test_output_format_follows_the_file_name),
		cmocka_unit_test(test_csv_files_are_exact_with_bom_and_crlf),
		cmocka_unit_test(test_text_tables_align_every_column_with_cjk_counted_double),
		cmocka_unit_test(test_xlsx_is_a_zip_written_in_place_of_the_old_file),
		cmocka_unit_test(test_a_failed_write_leaves_the_old_file_and_no_part),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
