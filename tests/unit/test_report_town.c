/*
 * test_report_town.c — the township report (report_build_town, report.h) as a
 * specification, on a fixed town store: three demo villages written into it as
 * sync would leave them (demo_options.village_code; seeds 11, 12 and 13, 25
 * households each, "today" 2019-04-20), and beside it the first village's own
 * village store made with the same seed.
 *
 * What must hold:
 *   - a village's report built in the town is, cell by cell, the report the
 *     village builds of itself (for a period up to today and for an earlier one);
 *   - every section of the town report puts each village's own figures side by
 *     side (or stacks its rows), and the town's 合计 is their sum — rates as the
 *     sum of numerators over the sum of denominators;
 *   - one line per task names its lead and participating units from the
 *     reference data and counts the town's problems as the ledger has them;
 *     each lead unit's section has its tasks and no other;
 *   - the bars are one per village (town) or per person (village), their
 *     numbers those of the report;
 *   - the writers cope with a town's width: the text in parts whose columns
 *     line up, CSV a file per section, the workbook a zip.
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

#include "taizhang/demo.h"
#include "taizhang/report.h"
#include "taizhang/store.h"
#include "taizhang/utf8.h"

#include "fixture.h"

#define TOWN FIXTURE_TOWN
#define V1 FIXTURE_VILLAGE
#define V2 "341522104202"
#define V3 "341522104203"
#define USER FIXTURE_USER
#define TODAY "2019-04-20"
#define FROM "2019-01-01"
#define STAMP "2019-04-21 09:00:00"
#define NHOUSEHOLDS 25

/* The group's directory (fixture.h) and its two stores. */
static struct {
	struct fixture fx;
	struct store *town;    /* three villages */
	struct store *village; /* V1 alone, the same seed */
} fx;

static const struct {
	const char *code, *name;
	uint64_t seed;
} villages[] = {
	{ V1, "示范村", 11 },
	{ V2, "李庄村", 12 },
	{ V3, "王岗村", 13 },
};
#define NVILLAGES (sizeof villages / sizeof villages[0])

/* ---- the stores ---- */

/* A store of the identity given, as file in the group's directory. */
static struct store *make_store(const char *file, enum store_kind kind, const char *code,
				const char *name)
{
	char path[FIXTURE_PATH_NBYTES];
	return fixture_create(fixture_file(&fx.fx, file, path), &(struct store_identity){ kind, code, name });
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	setenv("TAIZHANG_TODAY", TODAY, 1);
	if (fixture_init(&fx.fx) != 0)
		return -1;
	fx.town = make_store("town.tzs", STORE_KIND_TOWN, TOWN, "示范镇");
	fx.village = make_store("village.tzs", STORE_KIND_VILLAGE, V1, "示范村");
	if (fx.town == NULL || fx.village == NULL)
		return -1;
	struct tz_error err;
	for (size_t i = 0; i < NVILLAGES; i++) {
		struct demo_options o = { .households = NHOUSEHOLDS, .seed = villages[i].seed,
					  .village_code = villages[i].code,
					  .village_name = villages[i].name };
		if (demo_populate(fx.town, &o, &err) != TZ_OK) {
			fprintf(stderr, "demo_populate: %s\n", err.msg);
			return -1;
		}
	}
	struct demo_options o = { .households = NHOUSEHOLDS, .seed = villages[0].seed };
	if (demo_populate(fx.village, &o, &err) != TZ_OK) {
		fprintf(stderr, "demo_populate: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	store_close(fx.town);
	store_close(fx.village);
	fixture_fini(&fx.fx);
	unsetenv("TAIZHANG_TODAY");
	return 0;
}

/* ---- building and reading reports ---- */

static void build_town(struct report *r, const char *from, const char *to)
{
	struct tz_error err;
	struct report_options o = { .from = from, .to = to, .generated_at = STAMP };
	if (report_build_town(fx.town, &o, r, &err) != TZ_OK)
		fail_msg("report_build_town: %s", err.msg);
}

static void build_village(struct store *s, const char *village, struct report *r,
			  const char *from, const char *to)
{
	struct tz_error err;
	struct report_options o = { .from = from, .to = to, .generated_at = STAMP,
				    .village = village };
	if (report_build_village(s, &o, r, &err) != TZ_OK)
		fail_msg("report_build_village %s: %s", village ? village : "(own)", err.msg);
}

static const struct report_section *section(const struct report *r, const char *key)
{
	const struct report_section *sec = report_find(r, key);
	if (sec == NULL)
		fail_msg("no section %s", key);
	return sec;
}

/* Whether two cells of a column of type say the same. */
static int same_cell(enum report_type type, const struct report_cell *a, const struct report_cell *b)
{
	if (a->empty || b->empty)
		return a->empty == b->empty;
	switch (type) {
	case REPORT_TEXT:
	case REPORT_DATE:
		return strcmp(a->text, b->text) == 0;
	case REPORT_INT:
	case REPORT_MONEY:
		return a->num == b->num;
	case REPORT_PERCENT:
		return a->num == b->num && a->den == b->den;
	}
	return 0;
}

/* The row of sec whose key cells are those of row krow of ksec (same nkeys),
 * from its first column on at offset (0, or 1 past a stacked village column);
 * -1 when none. */
static long row_with_keys(const struct report_section *sec, size_t offset,
			  const struct report_section *ksec, size_t krow)
{
	for (size_t r = 0; r < sec->nrows; r++) {
		int same = 1;
		for (size_t c = 0; c < ksec->nkeys && same; c++)
			same = same_cell(ksec->columns[c].type, report_at(sec, r, offset + c),
					 report_at(ksec, krow, c));
		if (same)
			return (long)r;
	}
	return -1;
}

static void assert_same_section(const struct report_section *a, const struct report_section *b)
{
	assert_string_equal(a->key, b->key);
	assert_string_equal(a->title, b->title);
	assert_int_equal(a->ncolumns, b->ncolumns);
	assert_int_equal(a->nrows, b->nrows);
	for (size_t c = 0; c < a->ncolumns; c++) {
		assert_string_equal(a->columns[c].title, b->columns[c].title);
		for (size_t r = 0; r < a->nrows; r++)
			if (!same_cell(a->columns[c].type, report_at(a, r, c), report_at(b, r, c)))
				fail_msg("%s: row %zu, column %s differs", a->key, r, a->columns[c].title);
	}
}

/* ---- a village of the town is the village ---- */

static void test_a_village_of_the_town_reports_exactly_as_its_own_store(void **state)
{
	(void)state;
	static const char *const periods[][2] = {
		{ FROM, TODAY },             /* up to today: what the ledger holds now */
		{ "2019-03-01", "2019-03-31" }, /* an earlier month */
	};
	for (size_t p = 0; p < 2; p++) {
		struct report own, in_town;
		build_village(fx.village, NULL, &own, periods[p][0], periods[p][1]);
		build_village(fx.town, V1, &in_town, periods[p][0], periods[p][1]);
		assert_string_equal(own.village_name, in_town.village_name);
		assert_string_equal(own.village_code, in_town.village_code);
		assert_int_equal(own.nsections, in_town.nsections);
		size_t cells = 0;
		for (size_t i = 0; i < own.nsections; i++) {
			assert_same_section(&own.sections[i], &in_town.sections[i]);
			cells += own.sections[i].nrows * own.sections[i].ncolumns;
		}
		assert_true(cells > 400);
		/* Not a report of nothing: the village has households and findings. */
		assert_int_equal(report_at(section(&own, "households"),
					   section(&own, "households")->nrows - 1, 2)->num,
				 NHOUSEHOLDS);
		report_free(&own);
		report_free(&in_town);
	}
}

static void test_a_village_report_is_for_a_village_the_store_knows(void **state)
{
	(void)state;
	struct report r;
	struct tz_error err;
	/* A town store: which village must be said, and known. */
	assert_int_equal(report_build_village(fx.town, NULL, &r, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "--village"));
	report_free(&r);
	assert_int_equal(report_build_village(fx.town, &(struct report_options){ .village =
										   "341522104299" },
					      &r, &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, "341522104299"));
	report_free(&r);
	/* A village store: its own code only. */
	assert_int_equal(report_build_village(fx.village, &(struct report_options){ .village = V2 },
					      &r, &err),
			 TZ_EFAIL);
	assert_non_null(strstr(err.msg, V1));
	report_free(&r);
	assert_int_equal(report_build_village(fx.village, &(struct report_options){ .village = V1 },
					      &r, &err),
			 TZ_OK);
	report_free(&r);
	/* The town report is the town's. */
	assert_int_equal(report_build_town(fx.village, NULL, &r, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "镇台账"));
	report_free(&r);
	/* report_build picks: town report in a town store, else the village's. */
	assert_int_equal(report_build(fx.town, NULL, &r, &err), TZ_OK);
	assert_true(r.town);
	report_free(&r);
	assert_int_equal(report_build(fx.town, &(struct report_options){ .village = V2 }, &r, &err),
			 TZ_OK);
	assert_false(r.town);
	assert_string_equal(r.village_name, "李庄村");
	report_free(&r);
}

static void test_a_town_without_villages_says_it_needs_their_data(void **state)
{
	(void)state;
	struct store *empty = make_store("empty.tzs", STORE_KIND_TOWN, TOWN, "空镇");
	assert_non_null(empty);
	struct report r;
	struct tz_error err;
	assert_int_equal(report_build_town(empty, NULL, &r, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "镇级汇总报表"));
	report_free(&r);
	store_close(empty);
}

/* ---- the town report ---- */

static void test_the_town_report_has_its_sections_in_order(void **state)
{
	(void)state;
	struct report r;
	build_town(&r, FROM, TODAY);
	assert_true(r.town);
	assert_string_equal(r.village_code, TOWN);
	assert_string_equal(r.village_name, "示范镇");
	assert_int_equal(r.nvillages, NVILLAGES);
	for (size_t v = 0; v < NVILLAGES; v++) {
		assert_string_equal(r.villages[v].code, villages[v].code);
		assert_string_equal(r.villages[v].name, villages[v].name);
	}
	static const char *const first[] = { "cover", "summary", "tasks", "households", "changes",
					      "members", "procedures", "four-lists", "sectors",
					      "visits", "staffing", "problems", "overdue", "findings" };
	size_t nfirst = sizeof first / sizeof first[0];
	for (size_t i = 0; i < nfirst; i++)
		assert_string_equal(r.sections[i].key, first[i]);
	/* One section per lead unit of task_units (15 town units and 各村(居) lead a
	 * task), then the deadlines, the villages' deliverables and the units'
	 * sheets. */
	size_t nunits = (size_t)fixture_int(fx.town, "SELECT count(DISTINCT unit) FROM task_units"
						     " WHERE role = 'lead'");
	assert_int_equal(nunits, 16);
	assert_int_equal(r.nsections, nfirst + nunits + 3);
	for (size_t i = nfirst; i < nfirst + nunits; i++)
		assert_true(strncmp(r.sections[i].key, "unit-", 5) == 0);
	assert_string_equal(r.sections[nfirst].key, "unit-villages"); /* leads task 1 */
	assert_string_equal(r.sections[r.nsections - 3].key, "deadlines");
	assert_string_equal(r.sections[r.nsections - 2].key, "deliverables");
	assert_string_equal(r.sections[r.nsections - 1].key, "units");
	/* Titles are sheet names: short, and no two alike. */
	for (size_t i = 0; i < r.nsections; i++) {
		assert_true(utf8_nchars(r.sections[i].title) <= 31);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(r.sections[i].title, r.sections[j].title);
	}
	/* The cover names the town and its villages. */
	const struct report_section *cover = section(&r, "cover");
	assert_true(cover->flags & REPORT_SECTION_FORM);
	assert_string_equal(report_at(cover, 0, 1)->text, "示范镇");
	assert_string_equal(report_at(cover, 1, 1)->text, TOWN);
	assert_string_equal(report_at(cover, 2, 1)->text, "3 个：示范村、李庄村、王岗村");
	report_free(&r);
}

/* Every JOIN section's village groups are the villages' own figures, and the
 * town's group their sum; stacked sections hold the villages' rows. */
static void test_each_village_group_is_the_villages_own_report(void **state)
{
	(void)state;
	struct report town, own[NVILLAGES];
	build_town(&town, FROM, TODAY);
	for (size_t v = 0; v < NVILLAGES; v++)
		build_village(fx.town, villages[v].code, &own[v], FROM, TODAY);
	size_t joined = 0, stacked = 0, checked = 0;
	for (size_t i = 0; i < town.nsections; i++) {
		const struct report_section *ts = &town.sections[i];
		const struct report_section *vs0 = report_find(&own[0], ts->key);
		if (vs0 == NULL || strcmp(ts->key, "cover") == 0)
			continue;
		if (strcmp(ts->key, "deadlines") == 0) {
			assert_same_section(ts, vs0);
			continue;
		}
		if (strcmp(ts->key, "units") == 0) { /* the whole town's: the villages' sum */
			for (size_t c = 2; c <= 4; c++) { /* problems, closed, late */
				long long sum = 0;
				for (size_t v = 0; v < NVILLAGES; v++) {
					const struct report_section *vs = report_find(&own[v], "units");
					sum += report_at(vs, vs->nrows - 1, c)->num;
				}
				assert_int_equal(report_at(ts, ts->nrows - 1, c)->num, sum);
			}
			assert_true(report_at(ts, ts->nrows - 1, 2)->num > 0);
			continue;
		}
		if (ts->group_ncolumns == 0) { /* stacked: the village in front */
			stacked++;
			assert_string_equal(ts->columns[0].title, "村（居）");
			size_t nvrows = 0;
			for (size_t v = 0; v < NVILLAGES; v++) {
				const struct report_section *vs = report_find(&own[v], ts->key);
				size_t n = vs->nrows - ((vs->flags & REPORT_SECTION_TOTAL) ? 1 : 0);
				for (size_t r = 0; r < n; r++, nvrows++, checked++) {
					assert_string_equal(report_at(ts, nvrows, 0)->text, villages[v].name);
					for (size_t c = 0; c < vs->ncolumns; c++)
						assert_true(same_cell(vs->columns[c].type,
								      report_at(ts, nvrows, c + 1),
								      report_at(vs, r, c)));
				}
			}
			assert_int_equal(ts->nrows, nvrows + ((ts->flags & REPORT_SECTION_TOTAL) ? 1 : 0));
			continue;
		}
		joined++;
		size_t nfig = ts->group_ncolumns;
		assert_int_equal(nfig, vs0->ncolumns - vs0->nkeys);
		assert_int_equal(ts->ncolumns, ts->nkeys + (NVILLAGES + 1) * nfig);
		for (size_t c = 0; c < nfig; c++) {
			char want[128];
			snprintf(want, sizeof want, "合计 %s", vs0->columns[vs0->nkeys + c].title);
			assert_string_equal(ts->columns[ts->nkeys + c].title, want);
			snprintf(want, sizeof want, "李庄村 %s", vs0->columns[vs0->nkeys + c].title);
			assert_string_equal(ts->columns[ts->nkeys + 2 * nfig + c].title, want);
		}
		for (size_t v = 0; v < NVILLAGES; v++) {
			const struct report_section *vs = report_find(&own[v], ts->key);
			for (size_t r = 0; r < vs->nrows; r++) {
				long tr = r + 1 == vs->nrows && (vs->flags & REPORT_SECTION_TOTAL)
						  ? (long)ts->nrows - 1
						  : row_with_keys(ts, 0, vs, r);
				if (tr < 0)
					fail_msg("%s: %s's row %zu is not in the town's", ts->key,
						 villages[v].name, r);
				for (size_t c = vs->nkeys; c < vs->ncolumns; c++, checked++)
					if (!same_cell(vs->columns[c].type,
						       report_at(ts, (size_t)tr, ts->nkeys + (v + 1) * nfig +
										 c - vs->nkeys),
						       report_at(vs, r, c)))
						fail_msg("%s: %s's row %zu column %s differs", ts->key,
							 villages[v].name, r, vs->columns[c].title);
			}
		}
		/* 合计 = the sum (rates: of numerators over denominators). */
		for (size_t r = 0; r < ts->nrows; r++) {
			for (size_t c = 0; c < nfig; c++) {
				enum report_type type = ts->columns[ts->nkeys + c].type;
				if (type != REPORT_INT && type != REPORT_MONEY && type != REPORT_PERCENT)
					continue;
				long long num = 0, den = 0;
				int any = 0;
				for (size_t v = 0; v < NVILLAGES; v++) {
					const struct report_cell *x =
						report_at(ts, r, ts->nkeys + (v + 1) * nfig + c);
					any |= !x->empty;
					num += x->empty ? 0 : x->num;
					den += x->empty ? 0 : x->den;
				}
				const struct report_cell *t = report_at(ts, r, ts->nkeys + c);
				assert_int_equal(t->empty, !any || (type == REPORT_PERCENT && den == 0));
				if (!t->empty) {
					assert_int_equal(t->num, num);
					if (type == REPORT_PERCENT)
						assert_int_equal(t->den, den);
				}
			}
		}
	}
	assert_int_equal(joined, 10); /* summary, households ... findings but 2 stacked */
	assert_int_equal(stacked, 3); /* visits, overdue, deliverables */
	assert_true(checked > 1000);
	report_free(&town);
	for (size_t v = 0; v < NVILLAGES; v++)
		report_free(&own[v]);
}

/* The cell of the row of sec whose first column is k0 (and second k1), in
 * group g (0: 合计), column col of the group. */
static const struct report_cell *group_cell(const struct report_section *sec, const char *k0,
					    const char *k1, size_t g, size_t col)
{
	for (size_t r = 0; r < sec->nrows; r++) {
		const struct report_cell *a = report_at(sec, r, 0), *b = report_at(sec, r, 1);
		if (!a->empty && strcmp(a->text, k0) == 0 &&
		    (k1 == NULL || (!b->empty && strcmp(b->text, k1) == 0)))
			return report_at(sec, r, sec->nkeys + g * sec->group_ncolumns + col);
	}
	fail_msg("%s has no row %s / %s", sec->key, k0, k1 ? k1 : "");
	return NULL;
}

static void test_the_towns_figures_are_the_ledgers(void **state)
{
	(void)state;
	struct report r;
	build_town(&r, FROM, TODAY);
	const struct report_section *hh = section(&r, "households");
	assert_int_equal(group_cell(hh, "合计", NULL, 0, 1)->num, NVILLAGES * NHOUSEHOLDS);
	for (size_t v = 1; v <= NVILLAGES; v++)
		assert_int_equal(group_cell(hh, "合计", NULL, v, 1)->num, NHOUSEHOLDS);
	/* Members present in registered households, town-wide. */
	assert_int_equal(group_cell(section(&r, "members"), "在户人口", "合计", 0, 0)->num,
			 fixture_int(fx.town, "SELECT count(*) FROM members WHERE status = 'present'"));
	/* Problems: every one of the town's, in its state today. */
	const struct report_section *sum = section(&r, "summary");
	assert_int_equal(group_cell(sum, "问题未销号（期末，个）", NULL, 0, 1)->num,
			 fixture_int(fx.town, "SELECT count(*) FROM problems"));
	assert_int_equal(group_cell(sum, "问题未销号（期末，个）", NULL, 0, 0)->num,
			 fixture_int(fx.town, "SELECT count(*) FROM problems WHERE state <> 'closed'"));
	/* The town's rate is of the summed numbers, not an average of rates. */
	const struct report_cell *doctor = group_cell(section(&r, "sectors"), "健康扶贫",
						      "家庭医生签约户（期末有效）", 0, 2);
	assert_int_equal(doctor->den, NVILLAGES * NHOUSEHOLDS);
	assert_int_equal(doctor->num, fixture_int(fx.town,
						"SELECT count(DISTINCT f.household_id) FROM family_doctor f"
						" WHERE f.signed_on <= '" TODAY "' AND (f.valid_until IS NULL"
						" OR f.valid_until >= '" TODAY "')"));
	/* A text column's total says how many villages said what. */
	const struct report_cell *leaders = group_cell(section(&r, "staffing"), "创业致富带头人",
						       NULL, 0, 3);
	assert_string_equal(leaders->text, "不足");
	report_free(&r);
}

/* The row of sec whose first column is text. */
static long text_row(const struct report_section *sec, const char *text)
{
	for (size_t r = 0; r < sec->nrows; r++)
		if (!report_at(sec, r, 0)->empty && strcmp(report_at(sec, r, 0)->text, text) == 0)
			return (long)r;
	fail_msg("%s has no row %s", sec->key, text);
	return -1;
}

static void test_one_line_per_task_with_units_problems_and_indicators(void **state)
{
	(void)state;
	struct report r;
	build_town(&r, FROM, TODAY);
	const struct report_section *tasks = section(&r, "tasks");
	assert_int_equal(tasks->nrows, 19 + 1); /* and the total */
	assert_true(tasks->flags & REPORT_SECTION_TOTAL);
	long row = text_row(tasks, "5. 狠抓健康脱贫政策落实");
	assert_string_equal(report_at(tasks, (size_t)row, 1)->text, "镇卫生院");
	assert_string_equal(report_at(tasks, (size_t)row, 2)->text, "镇民政办、各村(居)");
	row = text_row(tasks, "2. 确保分类施策靶向精准");
	assert_string_equal(report_at(tasks, (size_t)row, 1)->text,
			    "镇农综站、镇社保所、镇危改办、镇林业站、镇中心校、镇民政办、镇卫生院、"
			    "镇水利站、镇残联、镇文广站、镇财政所");
	/* Problems per task: the ledger's. */
	char sql[256];
	for (int task = 1; task <= 19; task++) {
		const struct report_cell *all = report_at(tasks, (size_t)task - 1, 3);
		const struct report_cell *closed = report_at(tasks, (size_t)task - 1, 4);
		const struct report_cell *open = report_at(tasks, (size_t)task - 1, 5);
		const struct report_cell *late = report_at(tasks, (size_t)task - 1, 6);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM problems WHERE task = %d", task);
		assert_int_equal(all->num, fixture_int(fx.town, sql));
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM problems WHERE task = %d AND state = 'closed'", task);
		assert_int_equal(closed->num, fixture_int(fx.town, sql));
		assert_int_equal(open->num, all->num - closed->num);
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM problems WHERE task = %d AND state <> 'closed'"
			 " AND deadline < '" TODAY "'",
			 task);
		assert_int_equal(late->num, fixture_int(fx.town, sql));
		/* Every task has indicators; met ones are a part of them. */
		assert_true(report_at(tasks, (size_t)task - 1, 7)->num >= 1);
		assert_true(report_at(tasks, (size_t)task - 1, 8)->num <=
			    report_at(tasks, (size_t)task - 1, 7)->num);
	}
	assert_int_equal(report_at(tasks, 19, 3)->num, fixture_int(fx.town, "SELECT count(*) FROM problems"));
	report_free(&r);
}

/* The task number of a unit section's row ("5. 狠抓..."). */
static int task_number(const struct report_section *sec, size_t row)
{
	return atoi(report_at(sec, row, 0)->text);
}

static void test_each_lead_unit_sees_its_tasks_and_only_them(void **state)
{
	(void)state;
	struct report r;
	build_town(&r, FROM, TODAY);
	static const struct {
		const char *key, *title;
		unsigned tasks; /* bit t */
	} units[] = {
		{ "unit-weishengyuan", "镇卫生院牵头任务", 1u << 2 | 1u << 5 | 1u << 8 },
		{ "unit-villages", "各村(居)牵头任务", 1u << 1 | 1u << 4 | 1u << 12 | 1u << 16 },
		{ "unit-zuzhi", "镇组织办牵头任务", 1u << 13 | 1u << 14 },
		{ "unit-fupin", "镇扶贫办牵头任务", 1u << 8 },
	};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		const struct report_section *sec = section(&r, units[u].key);
		assert_string_equal(sec->title, units[u].title);
		assert_int_equal(sec->group_ncolumns, 4); /* 数值 基数 比例 是否达标 */
		unsigned seen = 0;
		for (size_t row = 0; row < sec->nrows; row++) {
			int t = task_number(sec, row);
			assert_true(units[u].tasks & (1u << t));
			seen |= 1u << t;
		}
		assert_int_equal(seen, units[u].tasks);
	}
	/* Every task is some unit's. */
	unsigned all = 0;
	for (size_t i = 0; i < r.nsections; i++)
		if (strncmp(r.sections[i].key, "unit-", 5) == 0)
			for (size_t row = 0; row < r.sections[i].nrows; row++)
				all |= 1u << task_number(&r.sections[i], row);
	assert_int_equal(all, 0xFFFFEu); /* tasks 1..19 */

	/* The family-doctor indicator: the villages' own figures and verdicts. */
	const struct report_section *health = section(&r, "unit-weishengyuan");
	const struct report_section *sectors = section(&r, "sectors");
	for (size_t v = 1; v <= NVILLAGES; v++) {
		const struct report_cell *n = group_cell(health, "5. 狠抓健康脱贫政策落实",
							 "家庭医生签约户（期末有效）", v, 0);
		const struct report_cell *base = group_cell(health, "5. 狠抓健康脱贫政策落实",
							    "家庭医生签约户（期末有效）", v, 1);
		const struct report_cell *met = group_cell(health, "5. 狠抓健康脱贫政策落实",
							   "家庭医生签约户（期末有效）", v, 3);
		const struct report_cell *s = group_cell(sectors, "健康扶贫", "家庭医生签约户（期末有效）", v, 0);
		assert_int_equal(n->num, s->num);
		assert_int_equal(base->num, NHOUSEHOLDS);
		assert_string_equal(met->text, n->num == base->num ? "达标" : "未达标");
	}
	const struct report_cell *target = NULL;
	for (size_t row = 0; row < health->nrows; row++)
		if (strcmp(report_at(health, row, 1)->text, "家庭医生签约户（期末有效）") == 0)
			target = report_at(health, row, 2);
	assert_non_null(target);
	assert_string_equal(target->text, "全部");
	report_free(&r);
}

/* ---- bars ---- */

static void test_bars_are_per_village_in_a_town_and_per_person_in_a_village(void **state)
{
	(void)state;
	struct report r;
	struct report_charts ch;
	struct tz_error err;
	build_town(&r, FROM, TODAY);
	assert_int_equal(report_charts(fx.town, &r, &ch, &err), TZ_OK);
	assert_int_equal(ch.closed.nbars, NVILLAGES);
	assert_int_equal(ch.visits.nbars, NVILLAGES);
	const struct report_section *sum = section(&r, "summary");
	for (size_t v = 0; v < NVILLAGES; v++) {
		assert_string_equal(ch.closed.bars[v].label, villages[v].name);
		const struct report_cell *open = group_cell(sum, "问题未销号（期末，个）", NULL, v + 1, 0);
		const struct report_cell *all = group_cell(sum, "问题未销号（期末，个）", NULL, v + 1, 1);
		assert_int_equal(ch.closed.bars[v].den, all->num);
		assert_int_equal(ch.closed.bars[v].num, all->num - open->num);
		assert_int_equal(ch.visits.bars[v].num,
				 group_cell(sum, "走访达到每月要求（户·月）", NULL, v + 1, 0)->num);
		assert_int_equal(ch.visits.bars[v].den,
				 group_cell(sum, "走访达到每月要求（户·月）", NULL, v + 1, 1)->num);
	}
	report_charts_free(&ch);
	report_free(&r);

	build_village(fx.village, NULL, &r, FROM, TODAY);
	assert_int_equal(report_charts(fx.village, &r, &ch, &err), TZ_OK);
	long long num = 0, den = 0;
	for (size_t i = 0; i < ch.closed.nbars; i++) {
		num += ch.closed.bars[i].num;
		den += ch.closed.bars[i].den;
		if (i > 0) /* by person, in order */
			assert_true(strcmp(ch.closed.bars[i - 1].label, ch.closed.bars[i].label) < 0);
	}
	const struct report_section *problems = section(&r, "problems");
	assert_true(ch.closed.nbars >= 2);
	assert_int_equal(den, report_at(problems, problems->nrows - 1, 7)->num);
	assert_int_equal(num, report_at(problems, problems->nrows - 1, 5)->num);
	num = den = 0;
	for (size_t i = 0; i < ch.visits.nbars; i++) {
		num += ch.visits.bars[i].num;
		den += ch.visits.bars[i].den;
	}
	const struct report_section *visits = section(&r, "visits");
	assert_true(ch.visits.nbars >= 2);
	assert_int_equal(num, report_at(visits, visits->nrows - 1, 5)->num);
	assert_int_equal(den, report_at(visits, visits->nrows - 1, 3)->num);
	report_charts_free(&ch);
	report_free(&r);
}

/* ---- writers ---- */

static void test_wide_town_tables_print_in_parts_that_line_up(void **state)
{
	(void)state;
	struct report r;
	build_town(&r, FROM, TODAY);
	char *text = fixture_report_text(&r);
	assert_true(strncmp(text, "示范镇“重精准、补短板、促攻坚”专项整改报表\n", 10) == 0);
	/* Split into lines; a table is 【title】, headers, a rule of dashes, rows. */
	size_t nparts = 0, ncontinued = 0, nlines = 0;
	char *save = NULL;
	char **lines = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines = realloc(lines, (nlines + 1) * sizeof *lines);
		lines[nlines++] = line;
	}
	for (size_t i = 0; i + 2 < nlines; i++) {
		if (strncmp(lines[i], "【", strlen("【")) != 0 || strstr(lines[i + 2], "--") == NULL)
			continue;
		nparts++;
		ncontinued += strstr(lines[i], "（续）】") != NULL;
		size_t width = utf8_ncols(lines[i + 2]);
		/* A part of a table of narrow keys holds whole groups within the page. */
		if (strncmp(lines[i], "【户数与变化", strlen("【户数与变化")) == 0 ||
		    strncmp(lines[i], "【家庭成员", strlen("【家庭成员")) == 0)
			assert_true(width <= REPORT_TEXT_PAGE_NCOLS);
		for (size_t j = i + 1; j < nlines && strncmp(lines[j], "【", strlen("【")) != 0 &&
				       strncmp(lines[j], "  注：", strlen("  注：")) != 0;
		     j++)
			if (utf8_ncols(lines[j]) != width)
				fail_msg("%s: a line of %zu columns in a table of %zu: %s", lines[i],
					 utf8_ncols(lines[j]), width, lines[j]);
	}
	assert_true(ncontinued > 0);
	assert_true(nparts > r.nsections);
	/* Each part of the households table repeats the key column. */
	size_t heads = 0;
	for (size_t i = 0; i + 1 < nlines; i++)
		if (strncmp(lines[i], "【户数与变化", strlen("【户数与变化")) == 0)
			heads += strncmp(lines[i + 1], "  户状态", strlen("  户状态")) == 0;
	assert_true(heads >= 2);
	free(lines);
	free(text);
	report_free(&r);
}

static void test_town_csv_has_a_file_per_section_and_xlsx_is_a_zip(void **state)
{
	(void)state;
	struct report r;
	build_town(&r, FROM, TODAY);
	char dir[128], path[192], other[256];
	snprintf(dir, sizeof dir, "%s/out", fx.fx.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/镇.csv", dir);
	struct tz_error err;
	assert_int_equal(report_write(&r, path, &err), TZ_OK);
	for (size_t i = 0; i < r.nsections; i++) {
		if (strcmp(r.sections[i].key, "summary") == 0)
			continue;
		assert_int_equal(report_csv_path(path, r.sections[i].key, other, sizeof other, &err),
				 TZ_OK);
		assert_int_equal(access(other, R_OK), 0);
	}
	assert_int_equal(report_csv_path(path, "households", other, sizeof other, &err), TZ_OK);
	FILE *f = fopen(other, "rb");
	char line[1024];
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_true(strncmp(line, "\xEF\xBB\xBF户状态,合计 期初户数,合计 期末户数,合计 增减,示范村 期初户数,",
			    strlen("\xEF\xBB\xBF户状态,合计 期初户数,合计 期末户数,合计 增减,示范村 期初户数,")) == 0);
	snprintf(path, sizeof path, "%s/镇.xlsx", dir);
	assert_int_equal(report_write(&r, path, &err), TZ_OK);
	f = fopen(path, "rb");
	char magic[4];
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(magic, "PK\x03\x04", 4);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_village_of_the_town_reports_exactly_as_its_own_store),
		cmocka_unit_test(test_a_village_report_is_for_a_village_the_store_knows),
		cmocka_unit_test(test_a_town_without_villages_says_it_needs_their_data),
		cmocka_unit_test(test_the_town_report_has_its_sections_in_order),
		cmocka_unit_test(test_each_village_group_is_the_villages_own_report),
		cmocka_unit_test(test_the_towns_figures_are_the_ledgers),
		cmocka_unit_test(test_one_line_per_task_with_units_problems_and_indicators),
		cmocka_unit_test(test_each_lead_unit_sees_its_tasks_and_only_them),
		cmocka_unit_test(test_bars_are_per_village_in_a_town_and_per_person_in_a_village),
		cmocka_unit_test(test_wide_town_tables_print_in_parts_that_line_up),
		cmocka_unit_test(test_town_csv_has_a_file_per_section_and_xlsx_is_a_zip),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
