/*
 * report_work.c — the sections about the work itself, and the two that frame
 * the report: the cover (who, where, when) and the summary.
 *
 * Visits (task 14, "百名干部走基层"): for every assigned cadre and every
 * calendar month the period touches, the households the cadre was assigned
 * for the whole of that month's part of the period, the visits made to them
 * within it, and how many were visited at least policy visits_per_month times.
 * A month the period cuts (it starts after the 1st or ends before the last
 * day) is shown with its days, so that an April counted to the 20th is not read
 * as a whole April.
 *
 * Staffing, business leaders, training bases (tasks 9, 13) against the policy
 * table's numbers, counted as the precision checks count them
 * (src/rules/rules_village.c): full-time staff other than the director in post
 * on `to`; business leaders as registered (the ledger has no date for them);
 * training bases established on or before `to`.
 *
 * Problems (四、工作要求) by area and task, each in its state on `to` — the
 * latest problem_events move on or before that day (local date), so that a
 * report for an earlier period shows what was open then; its current state
 * when the period reaches today — with those overdue on `to` (deadline before
 * it, not closed) listed one by one.
 *
 * Findings: rules_check as of `to`, counted per rule (every rule, zero too)
 * for the village; the findings themselves are `taizhang check`'s to show. In
 * a town store the checks see every village (run once for a township report),
 * so a village's count there also has what only shows between villages: one
 * ID number registered in two villages.
 *
 * The summary reads the sections built before it, never the store, so its
 * figures are theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/date.h"

/* ---- cover ---- */

static const struct report_column_def cover_columns[] = {
	{ "项目", REPORT_TEXT },
	{ "内容", REPORT_TEXT },
};

void report_cover_row(struct report_section *sec, const char *label, const char *value)
{
	struct report_cell *row = report_add_row(sec);
	report_set_text(&row[0], label);
	report_set_text(&row[1], value);
}

void report_cover_end(struct report_section *sec, const char *from, const char *to,
		      const char *generated_at, const char *user, const char *more)
{
	char period[64];
	snprintf(period, sizeof period, "%s 至 %s", from, to);
	report_cover_row(sec, "统计期间", period);
	report_cover_row(sec, "生成时间", generated_at);
	report_cover_row(sec, "生成人", user);
	struct vec_text basis = { 0 };
	vec_text_puts(&basis, "“本期”为统计期间内发生的，“期末”为截止日当天的状态，"
			      "“期初”为起始日前一天的状态；金额单位为元。");
	if (more != NULL)
		vec_text_puts(&basis, more);
	report_cover_row(sec, "口径", basis.text);
	free(basis.text);
}

static int build_cover(const struct report_section_def *d, struct report_ctx *c,
		       struct report_section *sec, struct tz_error *err)
{
	(void)d;
	sqlite3_stmt *st;
	int rc = store_prepare(c->s, "SELECT "
				     REPORT_LABEL("village_kind", "v.kind")
				     " FROM villages v WHERE v.code = ?1", &st, "读取村信息", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->village, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	char *kind = xstrdup(rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
						    : "（未登记）");
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(kind);
		return store_sqlite_error(c->s, rc, "读取村信息", err);
	}
	report_cover_row(sec, "村（居）", c->r->village_name);
	report_cover_row(sec, "行政区划代码", c->r->village_code);
	report_cover_row(sec, "村类别", kind);
	report_cover_end(sec, c->from, c->to, c->r->generated_at, store_user(c->s), NULL);
	free(kind);
	return TZ_OK;
}

const struct report_section_def report_cover = {
	.key = "cover",
	.title = "封面",
	REPORT_COLUMNS(cover_columns),
	.nkeys = 1,
	.flags = REPORT_SECTION_FORM,
	.build = build_cover,
	.town = REPORT_TOWN_NONE,
};

/* ---- visits ---- */

static const struct report_column_def visit_columns[] = {
	{ "帮扶责任人", REPORT_TEXT },
	{ "工作单位", REPORT_TEXT },
	{ "月份", REPORT_TEXT },
	{ "包保户数", REPORT_INT },
	{ "走访次数", REPORT_INT },
	{ "达到要求户数", REPORT_INT },
	{ "未达要求户数", REPORT_INT },
	{ "达标率", REPORT_PERCENT },
};

/* The calendar months the period touches (i from 0), each with the part of it
 * in the period (s0..s1) and its last day. */
#define VISIT_SPANS \
	"WITH RECURSIVE months(i, start) AS (" \
	" SELECT 0, date(:from, 'start of month')" \
	" UNION ALL SELECT i + 1, date(start, '+1 month') FROM months" \
	" WHERE date(start, '+1 month') <= :to)," \
	" spans AS MATERIALIZED (SELECT i, start, max(start, :from) AS s0," \
	"  min(date(start, '+1 month', '-1 day'), :to) AS s1," \
	"  date(start, '+1 month', '-1 day') AS last FROM months)"

/* A month: its part of the period, and its label (a month the period cuts
 * shows its days: "2019-04（1至20日）"; the month in progress, the days it has
 * left: "2019-05（1至20日，本月尚余 11 天）"). A month in progress (its last day
 * after today) is not judged: a cadre still has until its end. */
struct visit_month {
	char *s0, *s1, *label;
	int open; /* in progress: not yet judged */
};

/* An assignment and a month it covers whole (its part of the period): the
 * cadre, and the visits the cadre made to the household in it. */
struct visit_due {
	sqlite3_int64 assignment; /* cadre_assignments rowid */
	size_t month;
	char *cadre, *name, *unit;
	long long n;
};

static int due_by_assignment(const void *a, const void *b)
{
	const struct visit_due *x = a, *y = b;
	if (x->assignment != y->assignment)
		return x->assignment < y->assignment ? -1 : 1;
	return (x->month > y->month) - (x->month < y->month);
}

static int due_by_cadre(const void *a, const void *b)
{
	const struct visit_due *x = a, *y = b;
	int c = strcmp(x->cadre, y->cadre);
	return c != 0 ? c : (x->month > y->month) - (x->month < y->month);
}

/* A cadre's month: its assignments due (k), their visits (n), those that met
 * the rule. */
struct visit_group {
	const struct visit_due *first; /* its cadre, name, unit, month */
	long long k, n, met, unmet;
};

static int group_order(const void *a, const void *b)
{
	const struct visit_due *x = ((const struct visit_group *)a)->first;
	const struct visit_due *y = ((const struct visit_group *)b)->first;
	int c = strcmp(x->name, y->name);
	if (c == 0)
		c = strcmp(x->cadre, y->cadre);
	return c != 0 ? c : (x->month > y->month) - (x->month < y->month);
}

/* An assignment's visits in the period: the visits to its household by its
 * cadre dated in it (v, joined to the assignment a). */
#define VISITS_OF_ASSIGNMENT                                                     \
	"visits v ON v.household_id = a.household_id"                            \
	" AND v.cadre_id = a.cadre_id AND v.visited_on BETWEEN :from AND :to"

/* A visit on day `on` (text) to assignment's household counted in the due
 * month it falls in. */
static void visit_count(const struct visit_month *months, size_t nmonths, struct visit_due *due,
			size_t ndue, sqlite3_int64 assignment, const char *on)
{
	for (size_t m = 0; m < nmonths; m++) {
		if (months[m].s0 == NULL || months[m].s1 == NULL || strcmp(on, months[m].s0) < 0 ||
		    strcmp(on, months[m].s1) > 0)
			continue;
		struct visit_due key = { .assignment = assignment, .month = m };
		struct visit_due *x =
			ndue > 0 ? bsearch(&key, due, ndue, sizeof *due, due_by_assignment) : NULL;
		if (x != NULL)
			x->n++;
	}
}

/* ---- a town's every village's visits, in one pass ---- */

struct visit_on {
	sqlite3_int64 assignment; /* cadre_assignments rowid */
	size_t on;                /* its date's offset in dates */
};

struct report_visits_town {
	struct visit_on *items;
	size_t n, cap;
	struct vec_text dates; /* each visit's date, NUL after it */
};

void report_visits_free(struct report_ctx *c)
{
	if (c->visits == NULL)
		return;
	free(c->visits->items);
	vec_text_free(&c->visits->dates);
	free(c->visits);
	c->visits = NULL;
}

int report_visits_read_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			    struct tz_error *err)
{
	for (size_t v = 0; v < ncs; v++) {
		report_visits_free(&cs[v]);
		cs[v].visits = xcalloc(1, sizeof *cs[v].visits);
	}
	/* Every assignment in its stored order, its visits through their index:
	 * the visits each village's statement finds, put to the village of the
	 * assignment's household. */
	sqlite3_stmt *st;
	int src = SQLITE_DONE;
	int rc = report_prepare(&cs[0],
				"SELECT a.household_id, a.rowid, v.visited_on FROM cadre_assignments a"
				" CROSS JOIN " VISITS_OF_ASSIGNMENT,
				&st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const size_t *v = report_village_of(households, st, 0);
		if (v == NULL || sqlite3_column_type(st, 2) != SQLITE_TEXT)
			continue; /* BETWEEN of text dates only ever matched text */
		struct report_visits_town *t = cs[REPORT_HH_VILLAGE(*v)].visits;
		const char *on = (const char *)sqlite3_column_text(st, 2);
		*VEC_PUSH(t->items, t->n, t->cap) =
			(struct visit_on){ sqlite3_column_int64(st, 1), t->dates.n };
		vec_text_add(&t->dates, on, strlen(on) + 1);
	}
	report_release(&cs[0], st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(cs[0].s, src, "生成报表", err);
	if (rc != TZ_OK)
		for (size_t v = 0; v < ncs; v++)
			report_visits_free(&cs[v]);
	return rc;
}

/* Visits (see the header): for every cadre with a household of the village
 * assigned, every month of the period the assignment covers (since on or
 * before the month's first day in the period, until not before its last),
 * the visits to that household in that part of the month. Counted in C: each
 * assignment's visits of the period are read once and put in their months (a
 * count per assignment and month was four lookups where one does), then the
 * assignments grouped by cadre and month, in the order of the cadres' names. */
static int build_visits(const struct report_section_def *d, struct report_ctx *c,
			struct report_section *sec, struct tz_error *err)
{
	(void)d;
	long long per_month;
	struct visit_month *months = NULL;
	size_t nmonths = 0, ndue = 0, cap = 0;
	struct visit_due *due = NULL;
	struct visit_group *groups = NULL;
	size_t ngroups = 0;
	sqlite3_stmt *st = NULL;
	int src = SQLITE_DONE;
	int rc = report_policy(c, "visits_per_month", &per_month, err);
	if (rc == TZ_OK)
		rc = report_prepare(c,
				    VISIT_SPANS " SELECT s0, s1, substr(start, 1, 7),"
				    " CASE WHEN s0 > start OR s1 < last THEN"
				    " CAST(substr(s0, 9) AS INTEGER) || '至'"
				    " || CAST(substr(s1, 9) AS INTEGER) || '日' END, last"
				    " FROM spans ORDER BY i",
				    &st, err);
	int32_t today = date_today();
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *days = (const char *)sqlite3_column_text(st, 3);
		int32_t last = 0;
		date_parse((const char *)sqlite3_column_text(st, 4), &last);
		int open = last > today;
		char left[64] = "";
		if (open)
			snprintf(left, sizeof left, "%s本月尚余 %d 天", days ? "，" : "",
				 (int)(last - today));
		months = xreallocarray(months, nmonths + 1, sizeof *months);
		months[nmonths++] = (struct visit_month){
			xstrdup((const char *)sqlite3_column_text(st, 0)),
			xstrdup((const char *)sqlite3_column_text(st, 1)),
			xasprintf("%s%s%s%s%s", (const char *)sqlite3_column_text(st, 2),
				  days || open ? "（" : "", days ? days : "", left,
				  days || open ? "）" : ""),
			open,
		};
	}
	report_release(c, st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	/* The village's assignments and the months each covers (a cadre that is
	 * not in the cadres table is not shown). */
	if (rc == TZ_OK)
		rc = report_prepare(c,
				    VISIT_SPANS " SELECT a.rowid, sp.i, a.cadre_id, k.name, k.unit"
				    " FROM " REPORT_HH_TABLE " h"
				    " CROSS JOIN cadre_assignments a ON a.household_id = h.id"
				    " JOIN cadres k ON k.id = a.cadre_id"
				    " CROSS JOIN spans sp"
				    " WHERE h.village_code = :village"
				    " AND a.since <= sp.s0 AND (a.until IS NULL OR a.until >= sp.s1)",
				    &st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		*VEC_PUSH(due, ndue, cap) = (struct visit_due){
			sqlite3_column_int64(st, 0),
			(size_t)sqlite3_column_int64(st, 1),
			xstrdup((const char *)sqlite3_column_text(st, 2)),
			xstrdup((const char *)sqlite3_column_text(st, 3)),
			xstrdup((const char *)sqlite3_column_text(st, 4)),
			0,
		};
		if (due[ndue - 1].month >= nmonths)
			abort(); /* a broken invariant: the same months */
	}
	report_release(c, st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	if (ndue > 0)
		qsort(due, ndue, sizeof *due, due_by_assignment);
	/* Each assignment's visits in the period, counted in their month (text
	 * comparisons as BETWEEN s0 AND s1 makes them), where that month is due:
	 * from the town's pass when there was one, else read here. */
	const struct report_visits_town *vt = c->visits;
	if (rc == TZ_OK && vt != NULL) {
		for (size_t i = 0; i < vt->n; i++)
			visit_count(months, nmonths, due, ndue, vt->items[i].assignment,
				    vt->dates.text + vt->items[i].on);
	} else if (rc == TZ_OK) {
		rc = report_prepare(c,
				    "SELECT a.rowid, v.visited_on FROM " REPORT_HH_TABLE " h"
				    " CROSS JOIN cadre_assignments a ON a.household_id = h.id"
				    " CROSS JOIN " VISITS_OF_ASSIGNMENT
				    " WHERE h.village_code = :village",
				    &st, err);
		while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
			if (sqlite3_column_type(st, 1) != SQLITE_TEXT)
				continue; /* BETWEEN of text dates only ever matched text */
			visit_count(months, nmonths, due, ndue, sqlite3_column_int64(st, 0),
				    (const char *)sqlite3_column_text(st, 1));
		}
		report_release(c, st);
		if (rc == TZ_OK && src != SQLITE_DONE)
			rc = store_sqlite_error(c->s, src, "生成报表", err);
	}
	/* By cadre and month. */
	if (ndue > 0)
		qsort(due, ndue, sizeof *due, due_by_cadre);
	groups = xcalloc((ndue ? ndue : 1), sizeof *groups);
	for (size_t i = 0; i < ndue; i++) {
		if (i == 0 || due_by_cadre(&due[i - 1], &due[i]) != 0)
			groups[ngroups++] = (struct visit_group){ &due[i], 0, 0, 0, 0 };
		struct visit_group *g = &groups[ngroups - 1];
		g->k++;
		g->n += due[i].n;
		g->met += due[i].n >= per_month;
		g->unmet += due[i].n < per_month;
	}
	if (ngroups > 0)
		qsort(groups, ngroups, sizeof *groups, group_order);
	for (size_t i = 0; rc == TZ_OK && i < ngroups; i++) {
		const struct visit_group *g = &groups[i];
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], g->first->name);
		report_set_text(&row[1], g->first->unit);
		report_set_text(&row[2], months[g->first->month].label);
		report_set_int(&row[3], g->k);
		report_set_int(&row[4], g->n);
		report_set_int(&row[5], g->met);
		/* The month in progress: who has visited already is counted, nobody
		 * fails yet, and it is left out of the rate. */
		if (!months[g->first->month].open) {
			report_set_int(&row[6], g->unmet);
			report_set_percent(&row[7], g->met, g->k);
		}
	}
	free(groups);
	for (size_t i = 0; i < ndue; i++) {
		free(due[i].cadre);
		free(due[i].name);
		free(due[i].unit);
	}
	free(due);
	for (size_t i = 0; i < nmonths; i++) {
		free(months[i].s0);
		free(months[i].s1);
		free(months[i].label);
	}
	free(months);
	if (rc != TZ_OK)
		return rc;
	report_add_total(sec);
	report_set_note(sec,
			"每名帮扶责任人每月走访每户所包户至少 %lld 次（政策参数“帮扶责任人每月至少走访次数”）。"
			"只计包户关系覆盖该月统计日子的户；走访次数为走访所包户的次数；"
			"月份后括号内为该月计入统计期间的日子。尚未结束的月份（注明本月尚余天数）"
			"不计未达要求户数和达标率，合计的达标率只算已结束的月份。",
			per_month);
	return TZ_OK;
}

const struct report_section_def report_visits = {
	.key = "visits",
	.title = "干部走访",
	REPORT_COLUMNS(visit_columns),
	.nkeys = 3,
	.build = build_visits,
	.town = REPORT_TOWN_STACK, /* a village's own cadres */
	.town_heavy = 1,
};

/* ---- staffing, business leaders, training bases ---- */

static const struct report_column_def staffing_columns[] = {
	{ "项目", REPORT_TEXT },
	{ "实有", REPORT_INT },
	{ "要求下限", REPORT_INT },
	{ "要求上限", REPORT_INT },
	{ "是否达标", REPORT_TEXT },
};

const struct report_section_def report_staffing = {
	.key = "staffing",
	.title = "队伍与基地",
	REPORT_COLUMNS(staffing_columns),
	.nkeys = 1,
	.note = "要求来自政策参数“扶贫工作室专职人员下限”“扶贫工作室专职人员上限”（不含主任）、"
		"“每个贫困村致富带头人下限”和“每村致富带头人培训基地下限”。"
		"人员按期末在岗计，培训基地按建成日期计到期末，致富带头人按已登记的计。",
	.build = report_build_sql,
	.sql = "WITH v AS (SELECT (SELECT kind FROM villages WHERE code = :village) AS kind),"
	       " n AS (SELECT"
	       "  (SELECT count(*) FROM staff s WHERE s.village_code = :village AND s.full_time = 1"
	       "   AND s.role <> 'director' AND s.since <= :to"
	       "   AND (s.until IS NULL OR s.until > :to)) AS staff,"
	       "  (SELECT count(*) FROM staff s WHERE s.village_code = :village"
	       "   AND s.role = 'director' AND s.since <= :to"
	       "   AND (s.until IS NULL OR s.until > :to)) AS directors,"
	       "  (SELECT count(*) FROM business_leaders b WHERE b.village_code = :village) AS leaders,"
	       "  (SELECT count(*) FROM business_leaders b WHERE b.village_code = :village"
	       "   AND b.trained = 1) AS trained,"
	       "  (SELECT count(*) FROM business_leaders b WHERE b.village_code = :village"
	       "   AND b.in_national_system = 1) AS entered,"
	       "  (SELECT count(*) FROM training_bases t WHERE t.village_code = :village"
	       "   AND t.established_on <= :to) AS bases)"
	       " SELECT '" REPORT_L_STAFF "', n.staff, :policy_staff_min,"
	       "  :policy_staff_max, CASE WHEN n.staff < :policy_staff_min THEN '不足'"
	       "  WHEN n.staff > :policy_staff_max THEN '超出' ELSE '达标' END FROM n"
	       " UNION ALL SELECT '扶贫工作室主任', n.directors, NULL, NULL, NULL FROM n"
	       " UNION ALL SELECT '" REPORT_L_LEADERS "', n.leaders,"
	       "  CASE WHEN v.kind = 'poor' THEN :policy_leaders_per_poor_village END, NULL,"
	       "  CASE WHEN v.kind = 'poor' THEN CASE WHEN n.leaders"
	       "   >= :policy_leaders_per_poor_village THEN '达标' ELSE '不足' END"
	       "  WHEN v.kind IS NULL THEN '村类别未登记' ELSE '非贫困村不作要求' END FROM n, v"
	       " UNION ALL SELECT '其中已参加培训', n.trained, NULL, NULL, NULL FROM n"
	       " UNION ALL SELECT '其中已录入全国扶贫开发信息系统', n.entered, NULL, NULL, NULL FROM n"
	       " UNION ALL SELECT '" REPORT_L_BASES "', n.bases, :policy_bases_per_village, NULL,"
	       "  CASE WHEN n.bases >= :policy_bases_per_village THEN '达标' ELSE '不足' END FROM n",
};

/* ---- problems ---- */

static const struct report_column_def problem_columns[] = {
	{ "问题方面", REPORT_TEXT },
	{ "整改任务", REPORT_TEXT },
	{ "待整改", REPORT_INT },
	{ "整改中", REPORT_INT },
	{ "已整改", REPORT_INT },
	{ "已销号", REPORT_INT },
	{ "重新整改", REPORT_INT },
	{ "合计", REPORT_INT },
	{ "其中逾期", REPORT_INT },
	{ "本期新增", REPORT_INT },
};

const struct report_section_def report_problems = {
	.key = "problems",
	.title = "问题整改",
	REPORT_COLUMNS(problem_columns),
	.nkeys = 2,
	.note = "问题按期末（截止日）的状态计：由问题的每一次状态变动推算，截止日为今天时即现在的状态；"
		"逾期为期末未销号且整改期限早于期末；本期新增为登记日期在本期内的问题。",
	.build = report_build_sql_total,
	.town_keys_sql = "SELECT a.label || a.name, t.task || '. ' || t.name"
			 " FROM problem_areas a, tasks t ORDER BY a.area, t.task",
	.sql = "WITH " REPORT_PROBLEMS_CTE
	       " SELECT a.label || a.name, t.task || '. ' || t.name,"
	       " sum(p.st = 'open'), sum(p.st = 'rectifying'), sum(p.st = 'rectified'),"
	       " sum(p.st = 'closed'), sum(p.st = 'reopened'), count(*),"
	       " sum(p.st <> 'closed' AND p.deadline < :to),"
	       " sum(p.opened BETWEEN :from AND :to)"
	       " FROM p JOIN problem_areas a ON a.area = p.area JOIN tasks t ON t.task = p.task"
	       " WHERE p.st IS NOT NULL GROUP BY p.area, p.task ORDER BY p.area, p.task",
};

static const struct report_column_def overdue_columns[] = {
	{ "问题", REPORT_TEXT },
	{ "方面", REPORT_TEXT },
	{ "任务", REPORT_INT },
	{ "责任单位", REPORT_TEXT },
	{ "责任人", REPORT_TEXT },
	{ "整改期限", REPORT_DATE },
	{ "逾期天数", REPORT_INT },
	{ "期末状态", REPORT_TEXT },
};

const struct report_section_def report_overdue = {
	.key = "overdue",
	.title = "逾期问题",
	REPORT_COLUMNS(overdue_columns),
	.nkeys = 0,
	.note = "期末未销号且整改期限早于期末的问题（状态算法同“问题整改”）；逾期天数算到期末。",
	.build = report_build_sql,
	.town = REPORT_TOWN_STACK,
	.sql = "WITH " REPORT_PROBLEMS_CTE
	       " SELECT p.title, a.label, p.task, " REPORT_LABEL("unit", "p.responsible_unit") ", p.responsible_person,"
	       " p.deadline, CAST(julianday(:to) - julianday(p.deadline) AS INTEGER), "
	       REPORT_LABEL("problem_state", "p.st")
	       " FROM p JOIN problem_areas a ON a.area = p.area"
	       " WHERE p.st IS NOT NULL AND p.st <> 'closed' AND p.deadline < :to"
	       " ORDER BY p.deadline, p.title, p.id",
};

/* ---- findings of the precision checks ---- */

/* Rules are named by their Chinese title only: the ASCII id is for the
 * command line (check --rule), not for the leadership group. */
static const struct report_column_def finding_columns[] = {
	{ "核查规则", REPORT_TEXT },
	{ "方面", REPORT_TEXT },
	{ "任务", REPORT_INT },
	{ "发现数", REPORT_INT },
};

static int build_findings(const struct report_section_def *d, struct report_ctx *c,
			  struct report_section *sec, struct tz_error *err)
{
	(void)d;
	if (c->findings == NULL) {
		struct rules_options o = { .as_of = c->to };
		int rc = rules_check(c->s, &o, &c->own_findings, err);
		if (rc != TZ_OK)
			return rc;
		c->findings = &c->own_findings;
	}
	sqlite3_stmt *st;
	int rc = store_prepare(c->s, "SELECT label FROM problem_areas WHERE area = ?1",
				     &st, "读取问题方面", err);
	if (rc != TZ_OK)
		return rc;
	size_t nrules;
	const struct rule *const *rules = rules_all(&nrules);
	for (size_t i = 0; i < nrules; i++) {
		const struct rule *r = rules[i];
		long long n = 0;
		for (size_t k = 0; k < c->findings->n; k++)
			n += c->findings->items[k].rule == r &&
			     strcmp(c->findings->items[k].village_code, c->village) == 0;
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, r->area);
		rc = sqlite3_step(st);
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], r->title); /* Chinese (rules.h) */
		report_set_text(&row[1], rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
							  : NULL);
		report_set_int(&row[FINDINGS_TASK], r->task);
		report_set_int(&row[FINDINGS_COUNT], n);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return store_sqlite_error(c->s, rc, "读取问题方面", err);
		}
	}
	sqlite3_finalize(st);
	report_add_total(sec);
	report_set_note(sec, "精准核查规则按 %s 核查的结果（与 taizhang check --as-of %s 相同），"
			     "每条发现的内容用该命令查看。",
			c->to, c->to);
	return TZ_OK;
}

const struct report_section_def report_findings = {
	.key = "findings",
	.title = "精准核查发现",
	REPORT_COLUMNS(finding_columns),
	.nkeys = 3,
	.build = build_findings,
};

/* ---- deadlines ---- */

static const struct report_column_def deadline_columns[] = {
	{ "事项", REPORT_TEXT },
	{ "截止日期", REPORT_DATE },
	{ "距期末剩余天数", REPORT_INT },
	{ "期末状态", REPORT_TEXT },
};

const struct report_section_def report_deadlines = {
	.key = "deadlines",
	.title = "时间节点",
	REPORT_COLUMNS(deadline_columns),
	.nkeys = 1,
	.note = "剩余天数从期末（截止日）算起，负数为已过的天数。",
	.build = report_build_sql,
	.town = REPORT_TOWN_ONCE,
	.sql = "SELECT label, due, CAST(julianday(due) - julianday(:to) AS INTEGER),"
	       " CASE WHEN due < :to THEN '已过' WHEN due = :to THEN '当日截止' ELSE '未到' END"
	       " FROM deadlines ORDER BY due, key",
};

/* ---- summary ---- */

static const struct report_column_def summary_columns[] = {
	{ "指标", REPORT_TEXT },
	{ "数值", REPORT_INT },
	{ "基数", REPORT_INT },
	{ "比例", REPORT_PERCENT },
};

/* The cell at column col of the row of section key whose column key_col is
 * label, or NULL when there is none (or it is empty). */
static const struct report_cell *lookup(struct report_ctx *c, const char *key, size_t key_col,
					const char *label, size_t col)
{
	const struct report_section *sec = report_find(c->r, key);
	long row = sec && label ? report_row_of(sec, key_col, label) : -1;
	if (row < 0 || col >= sec->ncolumns)
		return NULL;
	const struct report_cell *x = report_at(sec, (size_t)row, col);
	return x->empty ? NULL : x;
}

/* The sum of column col over the rows of section key whose column key_col is
 * label; *any set when there was one. */
static long long sum_where(struct report_ctx *c, const char *key, size_t key_col,
			   const char *label, size_t col, int *any)
{
	const struct report_section *sec = report_find(c->r, key);
	long long n = 0;
	for (size_t r = 0; sec && label && r < sec->nrows; r++) {
		const struct report_cell *k = report_at(sec, r, key_col);
		const struct report_cell *x = report_at(sec, r, col);
		if (!k->empty && strcmp(k->text, label) == 0 && !x->empty) {
			n += x->num;
			*any = 1;
		}
	}
	return n;
}

/* A summary row: value from num (NULL: empty), base from den (NULL: none). */
static void summary_row(struct report_section *sec, const char *label,
			const struct report_cell *num, const struct report_cell *den)
{
	struct report_cell *row = report_add_row(sec);
	report_set_text(&row[0], label);
	if (num != NULL)
		report_set_int(&row[1], num->num);
	if (den != NULL) {
		report_set_int(&row[2], den->num);
		if (num != NULL)
			report_set_percent(&row[3], num->num, den->num);
	}
}

static void summary_value(struct report_section *sec, const char *label, long long n,
			  int present)
{
	struct report_cell x = { .num = n };
	summary_row(sec, label, present ? &x : NULL, NULL);
}

/* The label of code in list, or NULL. Returned text is the caller's to free. */
static int code_label(struct report_ctx *c, const char *list, const char *code, char **out,
		      struct tz_error *err)
{
	*out = NULL;
	const char *params[] = { list, code };
	sqlite3_stmt *row;
	int rc = store_query_one(c->s, "SELECT label FROM code_list WHERE list = ?1 AND code = ?2",
				 params, 2, &row, "读取代码表", err);
	if (row != NULL) {
		*out = store_column_dup(row, 0);
		sqlite3_finalize(row);
	}
	return rc;
}

static int build_summary(const struct report_section_def *d, struct report_ctx *c,
			 struct report_section *sec, struct tz_error *err)
{
	(void)d;
	char *exited = NULL, *monitored = NULL, *fell_back = NULL;
	int rc = code_label(c, "household_status", "exited", &exited, err);
	if (rc == TZ_OK)
		rc = code_label(c, "household_status", "monitored", &monitored, err);
	if (rc == TZ_OK)
		rc = code_label(c, "household_status", "fell_back", &fell_back, err);
	if (rc != TZ_OK)
		goto done;

	const struct report_cell *total = lookup(c, "households", 0, REPORT_L_TOTAL, 2);
	summary_row(sec, REPORT_L_REGISTERED, total, NULL);
	int any = 0;
	long long n = sum_where(c, "households", 0, exited, 2, &any) +
		      sum_where(c, "households", 0, monitored, 2, &any);
	struct report_cell out_cell = { .num = n };
	summary_row(sec, "其中已脱贫（含脱贫监测，户）", any ? &out_cell : NULL, total);
	any = 1;
	summary_value(sec, "本期新建档立卡（户）",
		      sum_where(c, "changes", 0, REPORT_L_NEW, 2, &any), 1);
	summary_value(sec, "本期脱贫（户次）", sum_where(c, "changes", 1, exited, 2, &any), 1);
	summary_value(sec, "本期返贫（户次）", sum_where(c, "changes", 1, fell_back, 2, &any), 1);
	summary_row(sec, "在户人口（期末，人）", lookup(c, "members", 0, "在户人口", 2), NULL);

	summary_row(sec, REPORT_L_FOUR_ALL "（户）", lookup(c, "four-lists", 0, REPORT_L_FOUR_ALL, 2),
		    lookup(c, "four-lists", 0, REPORT_L_FOUR_ALL, 1));
	static const char *const sector_rows[] = {
		REPORT_L_DOCTOR, REPORT_L_IN_SCHOOL, REPORT_L_DROPOUT,
		REPORT_L_RENOVATED, REPORT_L_DIBAO, REPORT_L_DIBAO_ONLY,
	};
	for (size_t i = 0; i < sizeof sector_rows / sizeof sector_rows[0]; i++)
		if (lookup(c, "sectors", 1, sector_rows[i], 2) != NULL)
			summary_row(sec, sector_rows[i], lookup(c, "sectors", 1, sector_rows[i], 2),
				    lookup(c, "sectors", 1, sector_rows[i], 3));

	/* Of ended months only: the total rate's numerator and denominator. */
	const struct report_cell *rate = lookup(c, "visits", 0, REPORT_L_TOTAL, 7);
	struct report_cell met = { .num = rate ? rate->num : 0 }, due = { .num = rate ? rate->den : 0 };
	summary_row(sec, REPORT_L_VISITS_MET, &met, &due);
	const struct report_cell *problems = lookup(c, "problems", 0, REPORT_L_TOTAL, 7);
	const struct report_cell *closed = lookup(c, "problems", 0, REPORT_L_TOTAL, 5);
	struct report_cell open_cell = {
		.num = (problems ? problems->num : 0) - (closed ? closed->num : 0)
	};
	summary_row(sec, REPORT_L_PROBLEMS_OPEN, problems ? &open_cell : NULL, problems);
	summary_row(sec, "其中逾期（个）", lookup(c, "problems", 0, REPORT_L_TOTAL, 8), NULL);
	summary_row(sec, "精准核查发现（条）", lookup(c, "findings", 0, REPORT_L_TOTAL, FINDINGS_COUNT), NULL);
done:
	free(exited);
	free(monitored);
	free(fell_back);
	return rc;
}

const struct report_section_def report_summary = {
	.key = "summary",
	.title = "概况",
	REPORT_COLUMNS(summary_columns),
	.nkeys = 1,
	.note = "各项取自本报表其他各表；比例为数值除以基数。",
	.build = build_summary,
	.build_last = 1,
};
