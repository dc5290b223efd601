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
#include "taizhang/rules.h"
#include "taizhang/store.h"
#include "taizhang/store_vfs.h"
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
	struct report town_report; /* town_report's, once built */
	int town_report_built;
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
	if (fx.town_report_built)
		report_free(&fx.town_report);
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

/* The town report of the group's town store from FROM to TODAY, built on first
 * use and kept until the group ends: the tests that only read it share it. */
static const struct report *town_report(void)
{
	if (!fx.town_report_built) {
		build_town(&fx.town_report, FROM, TODAY);
		fx.town_report_built = 1;
	}
	return &fx.town_report;
}

/* Make the directory name in the group's (into dir) and write r there as CSV
 * (path: dir/镇.csv, a file per section beside it). */
static void write_town_csv(const struct report *r, const char *name, char dir[128],
			   char path[192])
{
	snprintf(dir, 128, "%s/%s", fx.fx.dir, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, 192, "%s/镇.csv", dir);
	struct tz_error err;
	if (report_write(r, path, &err) != TZ_OK)
		fail_msg("report_write %s: %s", path, err.msg);
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

/* The 19 tasks as the seed words them (三、主要内容 1. to 19.). */
static const char *const seed_tasks[19] = {
	"确保扶贫对象管理精准", "确保分类施策靶向精准", "确保资金安排使用精准",
	"确保稳定脱贫成效精准", "狠抓健康脱贫政策落实", "实现教育扶贫政策全覆盖",
	"增强住房安全保障", "加大产业扶贫力度，健全项目库建设",
	"着力推进就业扶贫，培育贫困村创业致富带头人", "加快金融扶贫进度",
	"完善保障性扶贫方式", "夯实基础工作，加强业务培训", "配齐配强扶贫队伍",
	"强化精准帮扶，开展“百名干部走基层”", "激发贫困户脱贫内生动力", "压紧压实攻坚责任",
	"严格规范考核检查", "强化推进作风建设", "总结推广典型经验",
};

static void test_the_town_report_has_its_sections_in_order(void **state)
{
	(void)state;
	const struct report *r = town_report();
	assert_true(r->town);
	assert_string_equal(r->village_code, TOWN);
	assert_string_equal(r->village_name, "示范镇");
	assert_int_equal(r->nvillages, NVILLAGES);
	for (size_t v = 0; v < NVILLAGES; v++) {
		assert_string_equal(r->villages[v].code, villages[v].code);
		assert_string_equal(r->villages[v].name, villages[v].name);
	}
	/* The overview of the tasks, then one section per task of the 19 ("任务N"
	 * and the task's name), then the villages' sections. */
	assert_string_equal(r->sections[0].key, "cover");
	assert_string_equal(r->sections[1].key, "summary");
	assert_string_equal(r->sections[2].key, "tasks");
	for (int task = 1; task <= 19; task++) {
		char key[24], title[128];
		snprintf(key, sizeof key, "task-%d", task);
		snprintf(title, sizeof title, "任务%d %s", task, seed_tasks[task - 1]);
		assert_string_equal(r->sections[2 + task].key, key);
		assert_string_equal(r->sections[2 + task].title, title);
	}
	static const char *const first[] = { "households", "changes", "members", "procedures",
					      "four-lists", "sectors", "visits", "staffing",
					      "projects", "marginal", "complaints", "trainings",
					      "inspections", "cases", "problems", "overdue",
					      "findings" };
	size_t nfirst = 3 + 19 + sizeof first / sizeof first[0];
	for (size_t i = 22; i < nfirst; i++)
		assert_string_equal(r->sections[i].key, first[i - 22]);
	/* One section per lead unit of task_units (15 town units and 各村(居) lead a
	 * task), then the deadlines, the villages' deliverables and the units'
	 * sheets. */
	size_t nunits = (size_t)fixture_int(fx.town, "SELECT count(DISTINCT unit) FROM task_units"
						     " WHERE role = 'lead'");
	assert_int_equal(nunits, 16);
	assert_int_equal(r->nsections, nfirst + nunits + 4);
	for (size_t i = nfirst; i < nfirst + nunits; i++)
		assert_true(strncmp(r->sections[i].key, "unit-", 5) == 0);
	assert_string_equal(r->sections[nfirst].key, "unit-villages"); /* leads task 1 */
	assert_string_equal(r->sections[r->nsections - 4].key, "deadlines");
	assert_string_equal(r->sections[r->nsections - 3].key, "deliverables");
	assert_string_equal(r->sections[r->nsections - 2].key, "units");
	/* Last, the page the leadership group signs. */
	assert_string_equal(r->sections[r->nsections - 1].key, "signoff");
	/* Titles are sheet names: short, and no two alike. */
	for (size_t i = 0; i < r->nsections; i++) {
		assert_true(utf8_nchars(r->sections[i].title) <= 31);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(r->sections[i].title, r->sections[j].title);
	}
	/* The cover names the town and its villages. */
	const struct report_section *cover = section(r, "cover");
	assert_true(cover->flags & REPORT_SECTION_FORM);
	assert_string_equal(report_at(cover, 0, 1)->text, "示范镇");
	assert_string_equal(report_at(cover, 1, 1)->text, TOWN);
	assert_string_equal(report_at(cover, 2, 1)->text, "3 个：示范村、李庄村、王岗村");
}

/* Every JOIN section's village groups are the villages' own figures, and the
 * town's group their sum; stacked sections hold the villages' rows. */
/* Each village's group of the town report from `from` to `to` is, cell by
 * cell, the report of that village alone (report_build_village in the same
 * store): the town's sections count every village at once (the members in one
 * pass, report_members_read_town), a village's its own. */
static void each_village_group_is_the_villages_own_report(const char *from, const char *to)
{
	struct report town, own[NVILLAGES];
	build_town(&town, from, to);
	for (size_t v = 0; v < NVILLAGES; v++)
		build_village(fx.town, villages[v].code, &own[v], from, to);
	size_t joined = 0, stacked = 0, checked = 0;
	for (size_t i = 0; i < town.nsections; i++) {
		const struct report_section *ts = &town.sections[i];
		const struct report_section *vs0 = report_find(&own[0], ts->key);
		/* The task sections are each report's own reading of its task figures
		 * (test_the_text_report_has_every_task_with_the_ledgers_figures). */
		if (vs0 == NULL || strcmp(ts->key, "cover") == 0 || strncmp(ts->key, "task-", 5) == 0)
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
	assert_int_equal(joined, 16); /* summary, households ... findings but 3 stacked */
	assert_int_equal(stacked, 3); /* visits, overdue, deliverables */
	assert_true(checked > 1000);
	report_free(&town);
	for (size_t v = 0; v < NVILLAGES; v++)
		report_free(&own[v]);
}

static void test_each_village_group_is_the_villages_own_report(void **state)
{
	(void)state;
	each_village_group_is_the_villages_own_report(FROM, TODAY);
}

/* In 2015 a quarter of the demo's households were not registered yet (they
 * were identified in 2016 to 2018): their members are in the store but not in
 * the report, neither a village's nor the town's. */
static void test_each_village_group_is_its_own_before_every_household_was_registered(void **state)
{
	(void)state;
	struct report early;
	build_village(fx.town, V2, &early, "2015-01-01", "2015-12-31");
	const struct report_section *now = section(town_report(), "members"),
				    *then = section(&early, "members");
	/* 在户人口 of 李庄村 (the group after 合计 and 示范村): fewer then. */
	assert_true(report_at(then, 0, 2)->num < report_at(now, 0, now->nkeys + 2 * now->group_ncolumns)->num);
	report_free(&early);
	each_village_group_is_the_villages_own_report("2015-01-01", "2015-12-31");
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
	const struct report *r = town_report();
	const struct report_section *hh = section(r, "households");
	assert_int_equal(group_cell(hh, "合计", NULL, 0, 1)->num, NVILLAGES * NHOUSEHOLDS);
	for (size_t v = 1; v <= NVILLAGES; v++)
		assert_int_equal(group_cell(hh, "合计", NULL, v, 1)->num, NHOUSEHOLDS);
	/* Members present in registered households, town-wide. */
	assert_int_equal(group_cell(section(r, "members"), "在户人口", "合计", 0, 0)->num,
			 fixture_int(fx.town, "SELECT count(*) FROM members WHERE status = 'present'"));
	/* Problems: every one of the town's, in its state today. */
	const struct report_section *sum = section(r, "summary");
	assert_int_equal(group_cell(sum, "问题未销号（期末，个）", NULL, 0, 1)->num,
			 fixture_int(fx.town, "SELECT count(*) FROM problems"));
	assert_int_equal(group_cell(sum, "问题未销号（期末，个）", NULL, 0, 0)->num,
			 fixture_int(fx.town, "SELECT count(*) FROM problems WHERE state <> 'closed'"));
	/* The town's rate is of the summed numbers, not an average of rates. */
	const struct report_cell *doctor = group_cell(section(r, "sectors"), "健康扶贫",
						      "家庭医生签约户（期末有效）", 0, 2);
	assert_int_equal(doctor->den, NVILLAGES * NHOUSEHOLDS);
	assert_int_equal(doctor->num, fixture_int(fx.town,
						"SELECT count(DISTINCT f.household_id) FROM family_doctor f"
						" WHERE f.signed_on <= '" TODAY "' AND (f.valid_until IS NULL"
						" OR f.valid_until >= '" TODAY "')"));
	/* A text column's total says how many villages said what. */
	const struct report_cell *leaders = group_cell(section(r, "staffing"), "创业致富带头人",
						       NULL, 0, 3);
	assert_string_equal(leaders->text, "不足");
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
	const struct report *r = town_report();
	const struct report_section *tasks = section(r, "tasks");
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
}

/* The task number of a unit section's row ("5. 狠抓..."). */
static int task_number(const struct report_section *sec, size_t row)
{
	return atoi(report_at(sec, row, 0)->text);
}

static void test_each_lead_unit_sees_its_tasks_and_only_them(void **state)
{
	(void)state;
	const struct report *r = town_report();
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
		const struct report_section *sec = section(r, units[u].key);
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
	for (size_t i = 0; i < r->nsections; i++)
		if (strncmp(r->sections[i].key, "unit-", 5) == 0)
			for (size_t row = 0; row < r->sections[i].nrows; row++)
				all |= 1u << task_number(&r->sections[i], row);
	assert_int_equal(all, 0xFFFFEu); /* tasks 1..19 */

	/* The family-doctor indicator: the villages' own figures and verdicts. */
	const struct report_section *health = section(r, "unit-weishengyuan");
	const struct report_section *sectors = section(r, "sectors");
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
}

/* ---- the sections per task, and the page to sign ---- */

/* The section of text headed "【任务N name】": from its heading to the next
 * heading (or the end), copied. NULL when there is none. */
static char *task_text(const char *text, int task)
{
	char heading[256];
	snprintf(heading, sizeof heading, "\n【任务%d %s】\n", task, seed_tasks[task - 1]);
	const char *at = strstr(text, heading);
	if (at == NULL)
		return NULL;
	at += 1;
	const char *end = strstr(at + strlen(heading) - 1, "\n【");
	size_t n = end ? (size_t)(end - at) : strlen(at);
	char *out = malloc(n + 1);
	memcpy(out, at, n);
	out[n] = '\0';
	return out;
}

/* The figure after a row's label in a task section's text: the line that
 * begins "  label" and then, after the target (when not NULL), the first
 * number. -1 when the row is not there. */
static long long text_figure(const char *sec, const char *label, const char *target)
{
	char start[256];
	snprintf(start, sizeof start, "\n  %s ", label);
	const char *at = strstr(sec, start);
	if (at == NULL)
		return -1;
	at += strlen(start);
	while (*at == ' ')
		at++;
	if (target != NULL) {
		if (strncmp(at, target, strlen(target)) != 0)
			return -1;
		at += strlen(target);
	}
	char *end;
	long long n = strtoll(at, &end, 10);
	return end == at ? -1 : n;
}

/* The 合计 cell of column title of the row labelled label of a task section. */
static const struct report_cell *task_cell(const struct report *r, int task, const char *label,
					   const char *title)
{
	char key[24];
	snprintf(key, sizeof key, "task-%d", task);
	const struct report_section *sec = section(r, key);
	long row = text_row(sec, label);
	for (size_t c = 0; c < sec->ncolumns; c++)
		if (strcmp(sec->columns[c].title, title) == 0)
			return report_at(sec, (size_t)row, c);
	fail_msg("%s has no column %s", key, title);
	return NULL;
}

static void test_the_text_report_has_every_task_with_the_ledgers_figures(void **state)
{
	(void)state;
	const struct report *r = town_report();
	char *text = fixture_report_text(r);
	char sql[512];
	for (int task = 1; task <= 19; task++) {
		char *sec = task_text(text, task);
		if (sec == NULL)
			fail_msg("no section 【任务%d %s】", task, seed_tasks[task - 1]);
		/* Its problems as the ledger has them (the whole period reaches today). */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM problems WHERE task = %d", task);
		assert_int_equal(text_figure(sec, "问题（期末，个）", NULL), fixture_int(fx.town, sql));
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM problems WHERE task = %d AND state = 'closed'", task);
		assert_int_equal(text_figure(sec, "其中已销号", NULL), fixture_int(fx.town, sql));
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM problems WHERE task = %d AND state <> 'closed'"
			 " AND deadline < '" TODAY "'", task);
		assert_int_equal(text_figure(sec, "其中逾期", "无"), fixture_int(fx.town, sql));
		/* Who leads it, from the seed's list. */
		assert_non_null(strstr(sec, "注：牵头责任单位："));
		free(sec);
	}

	/* Task 1 (area 六): marginal households at risk that have a measure. */
	char *sec = task_text(text, 1);
	assert_int_equal(text_figure(sec, "风险边缘户已落实帮扶（户）", "全部"),
			 fixture_int(fx.town, "SELECT count(*) FROM marginal_households m"
					      " WHERE m.state = 'watching' AND COALESCE(m.risk_flags, '') <> ''"
					      " AND EXISTS (SELECT 1 FROM marginal_measures x"
					      " WHERE x.marginal_id = m.id AND x.on_date <= '" TODAY "')"));
	free(sec);

	/* Tasks 3 and 8: the projects' funds, what monitoring says was spent,
	 * approved projects monitored. */
	long long funds = fixture_int(fx.town, "SELECT sum(funds_cents) FROM projects");
	long long spent = fixture_int(fx.town,
				      "SELECT sum((SELECT m.spent_cents FROM project_monitoring m"
				      " WHERE m.project_id = p.id AND m.on_date <= '" TODAY "'"
				      " ORDER BY m.on_date DESC LIMIT 1)) FROM projects p");
	assert_true(funds > 0 && spent > 0);
	assert_int_equal(task_cell(r, 3, "项目资金规模（元）", "金额（元）")->num, funds);
	assert_int_equal(task_cell(r, 8, "项目库资金规模（元）", "金额（元）")->num, funds);
	const struct report_cell *paid = task_cell(r, 3, "已支出资金（元，绩效执行监控）", "金额（元）");
	assert_int_equal(paid->num, spent);
	const struct report_cell *progress = task_cell(r, 3, "已支出资金（元，绩效执行监控）", "比例");
	assert_int_equal(progress->num, spent);
	assert_int_equal(progress->den, funds);
	char money[REPORT_NUMBER_NBYTES];
	sec = task_text(text, 3);
	assert_non_null(strstr(sec, report_cell_text(REPORT_MONEY, paid, REPORT_STYLE_DISPLAY, money)));
	assert_int_equal(text_figure(sec, "已审定项目开展绩效监控（个）", "全部"),
			 fixture_int(fx.town, "SELECT count(*) FROM projects p WHERE p.stage = 'approved'"
					      " AND EXISTS (SELECT 1 FROM project_monitoring m"
					      " WHERE m.project_id = p.id AND m.on_date <= '" TODAY "')"));
	free(sec);
	sec = task_text(text, 8);
	assert_int_equal(text_figure(sec, "项目库项目（个）", NULL),
			 fixture_int(fx.town, "SELECT count(*) FROM projects"));
	free(sec);

	/* Task 5: family doctors, and the villages short of every household. */
	sec = task_text(text, 5);
	assert_int_equal(text_figure(sec, "家庭医生签约户（期末有效）", "全部"),
			 fixture_int(fx.town, "SELECT count(DISTINCT f.household_id) FROM family_doctor f"
					      " WHERE f.signed_on <= '" TODAY "' AND (f.valid_until IS NULL"
					      " OR f.valid_until >= '" TODAY "')"));
	const struct report_cell *missing = task_cell(r, 5, "家庭医生签约户（期末有效）",
						      "未达到目标的村（居）或责任单位");
	for (size_t v = 0; v < NVILLAGES; v++) {
		snprintf(sql, sizeof sql,
			 "SELECT count(DISTINCT f.household_id) < %d FROM family_doctor f"
			 " JOIN households h ON h.id = f.household_id WHERE h.village_code = '%s'"
			 " AND f.signed_on <= '" TODAY "' AND (f.valid_until IS NULL"
			 " OR f.valid_until >= '" TODAY "')",
			 NHOUSEHOLDS, villages[v].code);
		int short_of = (int)fixture_int(fx.town, sql);
		assert_int_equal(strstr(missing->text, villages[v].name) != NULL, short_of);
	}
	free(sec);

	/* Task 12: trainings held in the period, against the policy's least. */
	sec = task_text(text, 12);
	assert_int_equal(text_figure(sec, "本期业务培训（次）", "不少于 1 次"),
			 fixture_int(fx.town, "SELECT count(*) FROM trainings WHERE held_on"
					      " BETWEEN '" FROM "' AND '" TODAY "' AND owner <> '" TOWN "'"));
	free(sec);
	/* Task 17: inspections of the villages in the period. */
	sec = task_text(text, 17);
	long long inspections = fixture_int(fx.town, "SELECT count(*) FROM inspections WHERE inspected_on"
						     " BETWEEN '" FROM "' AND '" TODAY "'");
	assert_true(inspections > 0);
	assert_int_equal(text_figure(sec, "本期督查检查（次）", "不少于 1 次"), inspections);
	free(sec);
	/* Task 18: 有报必查 — complaints and leads investigated of those received. */
	assert_int_equal(task_cell(r, 18, "信访和问题线索已查办（件）", "实际（全镇）")->num,
			 fixture_int(fx.town, "SELECT count(*) FROM complaints WHERE received_on <= '" TODAY "'"
					      " AND (state <> 'received' OR closed_on <= '" TODAY "')"));
	assert_int_equal(task_cell(r, 18, "信访和问题线索已查办（件）", "基数")->num,
			 fixture_int(fx.town, "SELECT count(*) FROM complaints WHERE received_on <= '" TODAY "'"));
	/* Task 19: typical cases of the period. */
	sec = task_text(text, 19);
	assert_int_equal(text_figure(sec, "本期总结典型经验（条）", "不少于 1 条"),
			 fixture_int(fx.town, "SELECT count(*) FROM typical_cases WHERE recorded_on"
					      " BETWEEN '" FROM "' AND '" TODAY "'"));
	free(sec);
	free(text);
}

/* What the town keeps itself (its trainings, complaints, cases; inspections of
 * its units) is in the task sections as "镇本级" rows, apart from the villages'. */
static void test_the_towns_own_ledgers_have_rows_of_their_own(void **state)
{
	(void)state;
	fixture_sql(fx.town,
		    "INSERT INTO trainings(id, owner, held_on, title, kind, participants, created_at,"
		    " updated_at) VALUES ('t0000000000000000000000000000001', '" TOWN "', '2019-03-02',"
		    " '全镇扶贫干部业务培训', 'policy', 80, '2019-03-02T01:00:00Z', '2019-03-02T01:00:00Z');"
		    "INSERT INTO complaints(id, owner, kind, received_on, summary, state, created_at,"
		    " updated_at) VALUES ('t0000000000000000000000000000002', '" TOWN "', 'lead',"
		    " '2019-04-01', '反映某村危改补助优亲厚友', 'investigating', '2019-04-01T01:00:00Z',"
		    " '2019-04-01T01:00:00Z'), ('t0000000000000000000000000000003', '" TOWN "', 'letter',"
		    " '2019-04-10', '反映低保评定不公', 'received', '2019-04-10T01:00:00Z',"
		    " '2019-04-10T01:00:00Z');"
		    "INSERT INTO inspections(id, owner, inspected_on, kind, inspector, village_code, scope,"
		    " problems_found, created_at, updated_at) VALUES ('t0000000000000000000000000000004',"
		    " '" TOWN "', '2019-04-15', 'special', '镇纪委', NULL, '镇直单位扶贫资金专项督查', 1,"
		    " '2019-04-15T01:00:00Z', '2019-04-15T01:00:00Z');");
	struct report r;
	build_town(&r, FROM, TODAY);
	assert_int_equal(task_cell(&r, 12, "镇本级举办业务培训（次）", "实际（全镇）")->num, 1);
	assert_int_equal(task_cell(&r, 17, "镇直单位接受督查检查（次）", "实际（全镇）")->num, 1);
	assert_int_equal(task_cell(&r, 18, "镇本级受理的信访和问题线索已查办（件）", "实际（全镇）")->num, 1);
	assert_int_equal(task_cell(&r, 18, "镇本级受理的信访和问题线索已查办（件）", "基数")->num, 2);
	assert_int_equal(task_cell(&r, 19, "镇本级总结典型经验（条）", "实际（全镇）")->num, 0);
	/* The villages' figures are the villages' alone. */
	assert_int_equal(task_cell(&r, 12, "本期业务培训（次）", "实际（全镇）")->num,
			 fixture_int(fx.town, "SELECT count(*) FROM trainings WHERE held_on"
					      " BETWEEN '" FROM "' AND '" TODAY "' AND owner <> '" TOWN "'"));
	report_free(&r);
	fixture_sql(fx.town, "DELETE FROM trainings WHERE id LIKE 't000%';"
			     "DELETE FROM complaints WHERE id LIKE 't000%';"
			     "DELETE FROM inspections WHERE id LIKE 't000%';");
}

/* Does text hold an ASCII letter? */
static int has_ascii_letter(const char *text)
{
	for (const char *p = text; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			return 1;
	return 0;
}

static void test_csv_and_xlsx_headers_are_chinese_and_rules_are_named_in_chinese(void **state)
{
	(void)state;
	const struct report *r = town_report();
	char dir[128], path[192], other[256], line[8192];
	write_town_csv(r, "headers", dir, path);
	struct tz_error err;
	/* Every CSV file's header row: Chinese, no English word. */
	for (size_t i = 0; i < r->nsections; i++) {
		if (strcmp(r->sections[i].key, "summary") == 0)
			snprintf(other, sizeof other, "%s", path);
		else
			assert_int_equal(report_csv_path(path, r->sections[i].key, other, sizeof other, &err),
					 TZ_OK);
		FILE *f = fopen(other, "rb");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof line, f));
		fclose(f);
		if (has_ascii_letter(line))
			fail_msg("%s: an English header: %s", other, line);
	}
	/* No rule id anywhere in the report's text: rules go by their Chinese title. */
	char *text = fixture_report_text(r);
	size_t nrules;
	const struct rule *const *rules = rules_all(&nrules);
	for (size_t i = 0; i < nrules; i++) {
		if (strstr(text, rules[i]->id) != NULL)
			fail_msg("the report names rule %s by its id", rules[i]->id);
		assert_non_null(strstr(text, rules[i]->title));
	}
	free(text);

	/* The workbook: every header is among its shared strings, and none of them
	 * is English. */
	snprintf(path, sizeof path, "%s/镇.xlsx", dir);
	assert_int_equal(report_write(r, path, &err), TZ_OK);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/sharedStrings.xml", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 20, n = 0;
	char *shared = malloc(cap);
	size_t got;
	while ((got = fread(shared + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (n + 1 == cap)
			shared = realloc(shared, cap *= 2);
	}
	shared[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_true(n > 0);
	size_t nheaders = 0;
	for (size_t i = 0; i < r->nsections; i++) {
		const struct report_section *sec = &r->sections[i];
		if (sec->flags & REPORT_SECTION_FORM)
			continue;
		for (size_t c = 0; c < sec->ncolumns; c++, nheaders++) {
			char want[256];
			snprintf(want, sizeof want, "<t>%s</t>", sec->columns[c].title);
			if (strstr(shared, want) == NULL)
				fail_msg("%s: header %s is not in sharedStrings", sec->key,
					 sec->columns[c].title);
			if (has_ascii_letter(sec->columns[c].title))
				fail_msg("%s: an English header %s", sec->key, sec->columns[c].title);
		}
	}
	assert_true(nheaders > 100);
	for (size_t i = 0; i < nrules; i++)
		assert_null(strstr(shared, rules[i]->id));
	free(shared);
}

static void test_the_township_report_ends_with_a_page_to_sign(void **state)
{
	(void)state;
	const struct report *r = town_report();
	const struct report_section *sign = &r->sections[r->nsections - 1];
	assert_string_equal(sign->key, "signoff");
	assert_true(sign->flags & REPORT_SECTION_FORM);
	assert_true(sign->flags & REPORT_SECTION_PAGE);
	char *text = fixture_report_text(r);
	/* A page of its own, after every other section. */
	const char *page = strstr(text, "\f【审核签字】\n");
	assert_non_null(page);
	assert_null(strstr(page + 1, "\n【"));
	assert_string_equal(report_at(sign, 0, 1)->text,
			    "示范镇“重精准、补短板、促攻坚”专项整改报表（" FROM " 至 " TODAY
			    "，3 个村（居））");
	assert_non_null(strstr(page, "\n报表：示范镇“重精准、补短板、促攻坚”专项整改报表"));
	static const char *const who[] = { "\n编制单位：镇扶贫办\n", "\n编制人：__", "\n审核意见：",
					   "\n审核人（镇扶贫办负责人）：__", "\n审定意见：",
					   "\n审定人（镇扶贫开发领导小组组长）：__" };
	const char *at = page;
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		at = strstr(at, who[i]);
		if (at == NULL)
			fail_msg("the sign-off page has no %s (in this order)", who[i] + 1);
	}
	/* A date to write by each signature, on its line. */
	const char *signers[] = { "\n编制人：", "\n审核人（镇扶贫办负责人）：",
				  "\n审定人（镇扶贫开发领导小组组长）：" };
	for (size_t i = 0; i < 3; i++) {
		const char *l = strstr(page, signers[i]);
		const char *eol = strchr(l + 1, '\n');
		const char *date = strstr(l, "日期：____年__月__日");
		assert_true(date != NULL && date < eol);
	}
	/* The table of contents lists it last. */
	char toc[64];
	snprintf(toc, sizeof toc, "\n  %zu. 审核签字\n", r->nsections - 1);
	assert_non_null(strstr(text, toc));
	free(text);
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
	/* Visits: the rate of the months that have ended (the total's 达标率). */
	const struct report_section *visits = section(&r, "visits");
	assert_true(ch.visits.nbars >= 2);
	assert_int_equal(num, report_at(visits, visits->nrows - 1, 7)->num);
	assert_int_equal(den, report_at(visits, visits->nrows - 1, 7)->den);
	report_charts_free(&ch);
	report_free(&r);
}

/* ---- writers ---- */

static void test_wide_town_tables_print_in_parts_that_line_up(void **state)
{
	(void)state;
	const struct report *r = town_report();
	char *text = fixture_report_text(r);
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
	assert_true(nparts > r->nsections);
	/* Each part of the households table repeats the key column. */
	size_t heads = 0;
	for (size_t i = 0; i + 1 < nlines; i++)
		if (strncmp(lines[i], "【户数与变化", strlen("【户数与变化")) == 0)
			heads += strncmp(lines[i + 1], "  户状态", strlen("  户状态")) == 0;
	assert_true(heads >= 2);
	free(lines);
	free(text);
}

static void test_town_csv_has_a_file_per_section_and_xlsx_is_a_zip(void **state)
{
	(void)state;
	const struct report *r = town_report();
	char dir[128], path[192], other[256];
	write_town_csv(r, "out", dir, path);
	struct tz_error err;
	for (size_t i = 0; i < r->nsections; i++) {
		if (strcmp(r->sections[i].key, "summary") == 0)
			continue;
		assert_int_equal(report_csv_path(path, r->sections[i].key, other, sizeof other, &err),
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
	assert_int_equal(report_write(r, path, &err), TZ_OK);
	f = fopen(path, "rb");
	char magic[4];
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(magic, "PK\x03\x04", 4);
}

/* ---- on two connections ---- */

static void assert_same_report(const struct report *a, const struct report *b)
{
	assert_int_equal(a->nsections, b->nsections);
	for (size_t i = 0; i < a->nsections; i++) {
		assert_same_section(&a->sections[i], &b->sections[i]);
		assert_string_equal(a->sections[i].note ? a->sections[i].note : "",
				    b->sections[i].note ? b->sections[i].note : "");
	}
}

/* The town report is built on a second connection as well where the machine
 * has two cores (its passes and sections two at once, report_sections.c): the
 * same report, section by section and cell by cell, as on one. */
static void test_the_town_report_is_the_same_on_one_thread_as_on_two(void **state)
{
	(void)state;
	struct report one = { 0 };
	struct tz_error err;
	struct report_options o = { .from = FROM, .to = TODAY, .generated_at = STAMP,
				    .one_thread = 1 };
	if (report_build_town(fx.town, &o, &one, &err) != TZ_OK)
		fail_msg("report_build_town, one thread: %s", err.msg);
	assert_same_report(&one, town_report());
	/* Again, from another period: each built anew on both ways. */
	struct report two = { 0 };
	o.from = "2015-01-01";
	o.to = "2015-12-31";
	report_free(&one);
	memset(&one, 0, sizeof one);
	if (report_build_town(fx.town, &o, &one, &err) != TZ_OK)
		fail_msg("report_build_town, one thread: %s", err.msg);
	o.one_thread = 0;
	if (report_build_town(fx.town, &o, &two, &err) != TZ_OK)
		fail_msg("report_build_town, two: %s", err.msg);
	assert_same_report(&one, &two);
	report_free(&one);
	report_free(&two);
}

/* A read that fails halfway, on either connection, fails the whole report
 * with a message, and leaves nothing behind: the next report is whole. */
static void test_a_town_report_that_cannot_read_fails_whole(void **state)
{
	(void)state;
	int failed = 0, built = 0;
	for (unsigned every = 7; every <= 400; every += 29) {
		struct report r = { 0 };
		struct tz_error err = { 0 };
		struct report_options o = { .from = FROM, .to = TODAY, .generated_at = STAMP };
		store_vfs_inject_faults(every, 0);
		int rc = report_build_town(fx.town, &o, &r, &err);
		store_vfs_inject_faults(0, 0);
		if (rc == TZ_OK) {
			built++;
		} else {
			failed++;
			assert_true(err.msg[0] != '\0');
		}
		report_free(&r);
	}
	assert_true(failed > 0);
	(void)built;
	struct report again = { 0 };
	build_town(&again, FROM, TODAY);
	assert_same_report(&again, town_report());
	report_free(&again);
}

/* Near the end, since they add rows to the group's town store: a town reads
 * every household's status at both ends of the period in one pass over the
 * status records (report_hh.c), and must find what a village's statement
 * finds: the last record on or before the day in the order (date, creation
 * time, id), and for a household without records its own status from the day
 * it was identified, else from the first ten characters of its creation; and
 * the changes section the same records of the period, each with the one
 * before it in its household (a record dated '' is before every day). */
static void test_each_village_group_has_the_statuses_its_own_report_finds(void **state)
{
	(void)state;
#define HH(n) "e50000000000000000000000000000" n
#define HIST(n) "e60000000000000000000000000000" n
#define HH_ROW(id, status, identified, created)                                          \
	"('" HH(id) "', '" V2 "', '" V2 "', '" status "', " identified ", '" created "', '" \
	created "')"
#define HIST_ROW(id, hh, status, on, created)                                         \
	"('" HIST(id) "', '" V2 "', '" HH(hh) "', '" status "', '" on "', '" created "', '" \
	created "')"
	fixture_sql(fx.town,
		    "INSERT INTO households(id, owner, village_code, status, identified_on, created_at,"
		    " updated_at) VALUES "
		    HH_ROW("01", "helped", "'2017-01-01'", "2017-01-01T01:00:00Z") ","
		    HH_ROW("02", "identified", "NULL", "2019-02-01T09:00:00Z") ","
		    HH_ROW("03", "identified", "'2019-05-01'", "2019-01-01T01:00:00Z") ","
		    HH_ROW("04", "helped", "NULL", "2018-12-31") ";"
		    "INSERT INTO household_status_history(id, owner, household_id, status, on_date,"
		    " created_at, updated_at) VALUES "
		    HIST_ROW("01", "01", "identified", "2018-06-01", "2018-06-01T01:00:00Z") ","
		    HIST_ROW("02", "01", "helped", "2018-12-31", "2019-01-02T00:00:00Z") ","
		    HIST_ROW("03", "01", "exited", "2018-12-31", "2019-01-01T00:00:00Z") ","
		    HIST_ROW("04", "01", "exited", "2019-03-01", "2019-03-01T00:00:00Z") ","
		    HIST_ROW("05", "01", "monitored", "2019-03-01", "2019-03-01T00:00:00Z") ","
		    HIST_ROW("06", "01", "helped", "2019-05-01", "2019-05-01T00:00:00Z") ","
		    HIST_ROW("08", "03", "helped", "", "2019-01-05T00:00:00Z") ","
		    HIST_ROW("09", "04", "exited", "2019-02-01", "2019-02-01T00:00:00Z") ","
		    HIST_ROW("10", "04", "exited", "2019-02-02", "2019-02-02T00:00:00Z") ","
		    HIST_ROW("11", "04", "fell_back", "2019-03-15", "2019-03-15T00:00:00Z") ","
		    HIST_ROW("12", "04", "fell_back", "2019-03-16", "2019-03-16T00:00:00Z") ";");
	/* The four lists, read in one pass for the town: items of one household
	 * that are not stored together, a list held twice, items done, late and
	 * entered after the period, and an exited household's, which are not due. */
#define FOUR_ROW(id, hh, list, due, done, created)                                   \
	"('e70000000000000000000000000000" id "', '" V2 "', '" HH(hh) "', '" list "', '事项', " \
	due ", " done ", '" created "', '" created "')"
	fixture_sql(fx.town,
		    "INSERT INTO households(id, owner, village_code, status, identified_on, created_at,"
		    " updated_at) VALUES "
		    HH_ROW("07", "exited", "'2017-01-01'", "2017-01-01T01:00:00Z") ";"
		    "INSERT INTO four_lists(id, owner, household_id, list, item, due_date, done_date,"
		    " created_at, updated_at) VALUES "
		    FOUR_ROW("01", "01", "need", "'2019-02-01'", "NULL", "2019-01-02T01:00:00Z") ","
		    FOUR_ROW("02", "04", "need", "'2019-05-01'", "'2019-03-01'", "2019-01-02T01:00:00Z") ","
		    FOUR_ROW("03", "01", "object", "NULL", "'2019-03-01'", "2019-01-02T01:00:00Z") ","
		    FOUR_ROW("04", "01", "need", "'2019-02-01'", "'2019-05-01'", "2019-01-03T01:00:00Z") ","
		    FOUR_ROW("05", "04", "measure", "NULL", "NULL", "2019-06-01T01:00:00Z") ","
		    FOUR_ROW("06", "07", "need", "'2019-02-01'", "NULL", "2019-01-02T01:00:00Z") ","
		    FOUR_ROW("07", "07", "object", "NULL", "'2019-03-01'", "2019-01-02T01:00:00Z") ";");
#undef FOUR_ROW
	/* 低保, counted for the town in one pass: two entries running for one
	 * household, one for a household not registered on `to`, one ended. */
#define DIBAO_ROW(id, hh, start, end)                                                  \
	"('e80000000000000000000000000000" id "', '" V2 "', '" HH(hh) "', 'dibao', '" start "', " \
	end ", '2019-01-02T01:00:00Z', '2019-01-02T01:00:00Z')"
	fixture_sql(fx.town,
		    "INSERT INTO social_security(id, owner, household_id, kind, start_on, end_on,"
		    " created_at, updated_at) VALUES "
		    DIBAO_ROW("01", "01", "2018-01-01", "NULL") ","
		    DIBAO_ROW("02", "01", "2019-01-01", "'2019-12-31'") ","
		    DIBAO_ROW("03", "03", "2018-01-01", "NULL") ","
		    DIBAO_ROW("04", "04", "2018-01-01", "'2019-01-01'") ";");
#undef DIBAO_ROW
	/* Visits, read for the town in one pass: a household not registered on
	 * `to` is visited all the same (the section counts every household's
	 * assignments), one assigned twice to the same cadre, one visited after
	 * the period. */
#define CADRE "(SELECT min(c.id) FROM cadres c WHERE c.village_code = '" V2 "')"
#define ASSIGN_ROW(id, hh, since, until)                                                \
	"('e90000000000000000000000000000" id "', '" V2 "', " CADRE ", '" HH(hh) "', '" since "', " \
	until ", '2019-01-02T01:00:00Z', '2019-01-02T01:00:00Z')"
#define VISIT_ROW(id, hh, on)                                                          \
	"('ea0000000000000000000000000000" id "', '" V2 "', " CADRE ", '" HH(hh) "', '" on "'," \
	" '2019-01-02T01:00:00Z', '2019-01-02T01:00:00Z')"
	fixture_sql(fx.town,
		    "INSERT INTO households(id, owner, village_code, status, identified_on, created_at,"
		    " updated_at) VALUES "
		    HH_ROW("08", "identified", "'2019-05-01'", "2019-05-01T01:00:00Z") ";"
		    "INSERT INTO cadre_assignments(id, owner, cadre_id, household_id, since, until,"
		    " created_at, updated_at) VALUES "
		    ASSIGN_ROW("01", "08", "2018-01-01", "NULL") ","
		    ASSIGN_ROW("02", "01", "2018-01-01", "'2019-02-28'") ","
		    ASSIGN_ROW("03", "01", "2019-03-01", "NULL") ";"
		    "INSERT INTO visits(id, owner, cadre_id, household_id, visited_on, created_at,"
		    " updated_at) VALUES "
		    VISIT_ROW("01", "08", "2019-01-10") "," VISIT_ROW("02", "08", "2019-02-10") ","
		    VISIT_ROW("03", "01", "2019-02-10") "," VISIT_ROW("04", "01", "2019-03-10") ","
		    VISIT_ROW("05", "01", "2019-05-10") ";");
#undef CADRE
#undef ASSIGN_ROW
#undef VISIT_ROW
	each_village_group_is_the_villages_own_report(FROM, TODAY);
	each_village_group_is_the_villages_own_report("2019-03-01", "2019-03-01");
	each_village_group_is_the_villages_own_report("2019-01-01", "2019-02-28");
	/* Values the program never writes but a village can: a record dated
	 * with a BLOB, a creation time in Chinese. The town then fills the
	 * table with the village's statement, and still finds the same. */
	fixture_sql(fx.town,
		    "INSERT INTO household_status_history(id, owner, household_id, status, on_date,"
		    " created_at, updated_at) VALUES ('" HIST("07") "', '" V2 "', '" HH("02") "',"
		    " 'helped', CAST('2019-03-01' AS BLOB), '2019-03-01', '2019-03-01')");
	each_village_group_is_the_villages_own_report(FROM, TODAY);
	fixture_sql(fx.town, "DELETE FROM household_status_history WHERE id = '" HIST("07") "';"
			     "INSERT INTO households(id, owner, village_code, status, identified_on,"
			     " created_at, updated_at) VALUES "
			     HH_ROW("05", "helped", "NULL", "２０１９年１月１日") ","
			     HH_ROW("06", "helped", "NULL", "2019-01-01") ";"
			     "UPDATE households SET created_at = '2019-05-01' || char(0) || 'x'"
			     " WHERE id = '" HH("06") "'");
	each_village_group_is_the_villages_own_report(FROM, TODAY);
#undef HH
#undef HIST
#undef HH_ROW
#undef HIST_ROW
}

/* Last, since it adds rows to the group's town store: the town's passes over
 * the contracts, houses and loans (report_sectors_town) must count as each
 * village counts itself: a household's latest assessment only (an older
 * D-rated house renovated into safety is not unsafe), no contract of a
 * household not yet registered, the loans of every household, and sums of
 * amounts that are not whole numbers as SQL sums them. */
static void test_each_village_group_is_its_own_with_houses_contracts_and_loans_of_every_kind(
	void **state)
{
	(void)state;
#define HX "e1000000000000000000000000000001"
#define HY "e1000000000000000000000000000002"
#define ROW_STAMPS "'2019-04-01T01:00:00Z', '2019-04-01T01:00:00Z'"
	fixture_sql(fx.town,
		    "INSERT INTO households(id, owner, village_code, status, identified_on, created_at,"
		    " updated_at) VALUES ('" HX "', '" V2 "', '" V2 "', 'helped', '2018-01-01', " ROW_STAMPS "),"
		    " ('" HY "', '" V2 "', '" V2 "', 'identified', '2030-01-01', " ROW_STAMPS ");"
		    "INSERT INTO housing(id, owner, household_id, rating, assessed_on, renovation,"
		    " created_at, updated_at) VALUES"
		    " ('e2000000000000000000000000000001', '" V2 "', '" HX "', 'D', '2018-03-01', 'none', " ROW_STAMPS "),"
		    " ('e2000000000000000000000000000002', '" V2 "', '" HX "', 'A', '2019-02-01', 'none', " ROW_STAMPS ");"
		    "INSERT INTO family_doctor(id, owner, household_id, signed_on, valid_until, doctor,"
		    " created_at, updated_at) VALUES ('e3000000000000000000000000000001', '" V2 "', '" HY "',"
		    " '2019-02-01', NULL, '刘医生', " ROW_STAMPS ");"
		    "INSERT INTO loans(id, owner, household_id, bank, amount_cents, issued_on, term_months,"
		    " due_on, created_at, updated_at) VALUES"
		    " ('e4000000000000000000000000000001', '" V2 "', '" HY "', '农商行', 5000000, '2019-02-01', 12,"
		    " '2020-02-01', " ROW_STAMPS "),"
		    " ('e4000000000000000000000000000002', '" V2 "', '" HX "', '农商行', 0.5, '2019-02-01', 12,"
		    " '2020-02-01', " ROW_STAMPS "),"
		    " ('e4000000000000000000000000000003', '" V2 "', '" HX "', '农商行', 0.5, '2019-02-01', 12,"
		    " '2020-02-01', " ROW_STAMPS ");");
#undef HX
#undef HY
#undef ROW_STAMPS
	each_village_group_is_the_villages_own_report(FROM, TODAY);
}

int main(void)
{
	/* Two cores counted even on a machine with one, so that every town
	 * report here runs on two connections (report_sections.c) wherever the
	 * tests run; the test that compares asks for one with one_thread. */
	setenv("TAIZHANG_CORES", "2", 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_village_of_the_town_reports_exactly_as_its_own_store),
		cmocka_unit_test(test_a_village_report_is_for_a_village_the_store_knows),
		cmocka_unit_test(test_a_town_without_villages_says_it_needs_their_data),
		cmocka_unit_test(test_the_town_report_has_its_sections_in_order),
		cmocka_unit_test(test_each_village_group_is_the_villages_own_report),
		cmocka_unit_test(test_each_village_group_is_its_own_before_every_household_was_registered),
		cmocka_unit_test(test_the_towns_figures_are_the_ledgers),
		cmocka_unit_test(test_one_line_per_task_with_units_problems_and_indicators),
		cmocka_unit_test(test_each_lead_unit_sees_its_tasks_and_only_them),
		cmocka_unit_test(test_the_text_report_has_every_task_with_the_ledgers_figures),
		cmocka_unit_test(test_the_towns_own_ledgers_have_rows_of_their_own),
		cmocka_unit_test(test_csv_and_xlsx_headers_are_chinese_and_rules_are_named_in_chinese),
		cmocka_unit_test(test_the_township_report_ends_with_a_page_to_sign),
		cmocka_unit_test(test_bars_are_per_village_in_a_town_and_per_person_in_a_village),
		cmocka_unit_test(test_wide_town_tables_print_in_parts_that_line_up),
		cmocka_unit_test(test_town_csv_has_a_file_per_section_and_xlsx_is_a_zip),
		cmocka_unit_test(test_the_town_report_is_the_same_on_one_thread_as_on_two),
		cmocka_unit_test(test_a_town_report_that_cannot_read_fails_whole),
		/* last: they add rows to the town store */
		cmocka_unit_test(test_each_village_group_has_the_statuses_its_own_report_finds),
		cmocka_unit_test(test_each_village_group_is_its_own_with_houses_contracts_and_loans_of_every_kind),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
