/*
 * report_people.c — the sections about the registered households and their
 * people (task 1, task 2): households by status at the start and end of the
 * period, the status changes within it, the members, the steps of the
 * identification and exit procedures, and the four lists.
 *
 * A household's status on a day comes from its status history
 * (REPORT_STATUS_ON): households.status is only the latest, and a report for
 * last quarter must say what was true then. A household not registered yet on a
 * day has no status on it and is not counted.
 *
 * Members are counted as they are now (present, by their current record): the
 * ledger keeps their departures as member_changes but not a history of their
 * other fields. The members of households registered at the end of the period
 * are counted; the period's changes (births, deaths, marriages, moves) are
 * listed by kind. A town's report counts every village's members in one pass
 * over the table (report_members_read_town), the households mapped to their
 * villages in C: village by village, each read its members' rows scattered
 * over the whole table, and at a county's store most of it again each time.
 *
 * The four lists are due for every household being helped or watched at the
 * end of the period (status other than exited: identified, helped, monitored,
 * fell back), as the village keeps them; an item counts from the day it was
 * entered (:cutoff, report_internal.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/strmap.h"

/* ---- counting in C ---- */

/* A tally of one column's values: each distinct text with how many (NULL
 * apart), and how many were NULL or empty (未填写). */
struct tally {
	char **codes;
	long long *n;
	size_t count;
	long long unset; /* NULL or '' */
	int any_unset;
};

static void tally_add(struct tally *t, const char *code)
{
	if (code == NULL || code[0] == '\0') {
		t->unset++;
		t->any_unset = 1;
		if (code == NULL)
			return;
	}
	for (size_t i = 0; i < t->count; i++) {
		if (strcmp(t->codes[i], code) == 0) {
			t->n[i]++;
			return;
		}
	}
	t->codes = xreallocarray(t->codes, t->count + 1, sizeof *t->codes);
	t->n = xreallocarray(t->n, t->count + 1, sizeof *t->n);
	t->codes[t->count] = xstrdup(code);
	t->n[t->count++] = 1;
}

static long long tally_of(const struct tally *t, const char *code)
{
	for (size_t i = 0; code != NULL && i < t->count; i++)
		if (strcmp(t->codes[i], code) == 0)
			return t->n[i];
	return 0;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->codes[i]);
	free(t->codes);
	free(t->n);
}

/* ---- households by status ---- */

static const struct report_column_def household_columns[] = {
	{ "户状态", REPORT_TEXT },
	{ "期初户数", REPORT_INT },
	{ "期末户数", REPORT_INT },
	{ "增减", REPORT_INT },
};

/* Each status of the code list, with the village's households in it at the
 * start and at the end of the period: one pass over temp.report_hh (where
 * SQLite counted each status twice, each count an automatic index of it). */
static int build_households(const struct report_section_def *d, struct report_ctx *c,
			    struct report_section *sec, struct tz_error *err)
{
	(void)d;
	struct tally st = { 0 }, st0 = { 0 };
	sqlite3_stmt *q;
	int src = SQLITE_DONE;
	int rc = report_prepare(c,
				"SELECT st, st0 FROM " REPORT_HH_TABLE " WHERE village_code = :village",
				&q, err);
	while (rc == TZ_OK && (src = sqlite3_step(q)) == SQLITE_ROW) {
		const char *end = (const char *)sqlite3_column_text(q, 0);
		const char *start = (const char *)sqlite3_column_text(q, 1);
		if (end != NULL)
			tally_add(&st, end);
		if (start != NULL)
			tally_add(&st0, start);
	}
	report_release(c, q);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	if (rc == TZ_OK)
		rc = report_prepare(c,
				    "SELECT code, label FROM code_list WHERE list = 'household_status'"
				    " ORDER BY sort",
				    &q, err);
	while (rc == TZ_OK && (src = sqlite3_step(q)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(q, 0);
		long long n0 = tally_of(&st0, code), n1 = tally_of(&st, code);
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], (const char *)sqlite3_column_text(q, 1));
		report_set_int(&row[1], n0);
		report_set_int(&row[2], n1);
		report_set_int(&row[3], n1 - n0);
	}
	report_release(c, q);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	tally_free(&st);
	tally_free(&st0);
	if (rc != TZ_OK)
		return rc;
	report_add_total(sec);
	int32_t day;
	char before[DATE_NCHARS + 1];
	date_parse(c->from, &day);
	date_format(day - 1, before);
	report_set_note(sec, "期初为 %s 的户状态，期末为 %s 的户状态，均按户状态记录推算；"
			     "期初尚未建档的户不计入期初。",
			before, c->to);
	return TZ_OK;
}

const struct report_section_def report_households = {
	.key = "households",
	.title = "户数与变化",
	REPORT_COLUMNS(household_columns),
	.nkeys = 1,
	.build = build_households,
	.town_heavy = 1,
};

/* ---- status changes in the period ---- */

static const struct report_column_def change_columns[] = {
	{ "原状态", REPORT_TEXT },
	{ "新状态", REPORT_TEXT },
	{ "户次", REPORT_INT },
};

/* The changes as the section counts them, from ev (status, prev): each with
 * the status before it, NULL for a household's first record. */
#define CHANGES_SQL(ev)                                                                 \
	"WITH ev AS (" ev ")"                                                           \
	" SELECT CASE WHEN prev IS NULL THEN '" REPORT_L_NEW "' ELSE "                  \
	REPORT_LABEL("household_status", "prev") " END,"                               \
	" " REPORT_LABEL("household_status", "status") ", count(*)"                    \
	" FROM ev WHERE prev IS NULL OR prev <> status"                                 \
	" GROUP BY prev, status"                                                        \
	" ORDER BY COALESCE((SELECT sort FROM code_list WHERE list = 'household_status'" \
	"  AND code = prev), 0),"                                                       \
	" (SELECT sort FROM code_list WHERE list = 'household_status' AND code = status)"

/* In a town whose status records were read in one pass (report_hh.c), the
 * village's records of the period and the one before each come as rowids
 * (:changes), the same ones the statement of the definition finds. */
static const char changes_from_pass_sql[] = CHANGES_SQL(
	"SELECT x.status, y.status AS prev FROM json_each(:changes) j"
	" JOIN household_status_history x ON x.rowid = j.value ->> 0"
	" LEFT JOIN household_status_history y ON y.rowid = j.value ->> 1");

static int build_changes(const struct report_section_def *d, struct report_ctx *c,
			 struct report_section *sec, struct tz_error *err)
{
	int rc = report_sql_rows(c, sec, c->changes != NULL ? changes_from_pass_sql : d->sql, err);
	if (rc == TZ_OK)
		report_add_total(sec);
	return rc;
}

const struct report_section_def report_changes = {
	.key = "changes",
	.title = "本期户状态变化",
	REPORT_COLUMNS(change_columns),
	.nkeys = 2,
	.note = "按户状态记录中日期在本期内的变化计；“" REPORT_L_NEW "”为本期新建档立卡的户。"
		"一户在本期变化两次计两户次。",
	.build = build_changes,
	.town_keys_sql = "SELECT a, b FROM (SELECT '" REPORT_L_NEW "' AS a, n.label AS b,"
			 " 0 AS o1, n.sort AS o2 FROM code_list n WHERE n.list = 'household_status'"
			 " UNION ALL SELECT o.label, n.label, o.sort, n.sort FROM code_list o, code_list n"
			 " WHERE o.list = 'household_status' AND n.list = 'household_status')"
			 " ORDER BY o1, o2",
	/* The period's changes of the village's households, each with the status
	 * before it: the household's record just before it in the order (on_date,
	 * created_at, id), found in household_status_history_dates (007). (A
	 * window function over every record of the town took a quarter of a
	 * second; these are the few of the period.) */
	.sql = CHANGES_SQL(
		"SELECT x.status,"
		"  (SELECT y.status FROM household_status_history y"
		"   WHERE y.household_id = x.household_id"
		"   AND (y.on_date, y.created_at, y.id) < (x.on_date, x.created_at, x.id)"
		"   ORDER BY y.on_date DESC, y.created_at DESC, y.id DESC LIMIT 1) AS prev"
		"  FROM " REPORT_HH_TABLE " h CROSS JOIN household_status_history x"
		"  ON x.household_id = h.id"
		"  WHERE h.village_code = :village AND x.on_date BETWEEN :from AND :to"),
	.town_heavy = 1,
};

/* ---- members ---- */

static const struct report_column_def member_columns[] = {
	{ "分类", REPORT_TEXT },
	{ "项目", REPORT_TEXT },
	{ "人数", REPORT_INT },
};

/* A row of the members' section before it is placed: its group (o1) and its
 * place in the group (o2), as the rows are ordered. */
struct member_row {
	const char *group;
	char *item;
	long long n;
	int o1;
	long long o2;
};

static int member_row_cmp(const void *a, const void *b)
{
	const struct member_row *x = a, *y = b;
	if (x->o1 != y->o1)
		return x->o1 < y->o1 ? -1 : 1;
	return (x->o2 > y->o2) - (x->o2 < y->o2);
}

/* The village's members present in the households registered at the end of
 * the period, as the members section counts them and, for the school-age
 * children among them, their latest schooling as the sector figures count it
 * (report_school): read once for both (struct report_ctx's members). */
struct report_members {
	struct tally by[3]; /* sex, health, work_ability */
	long long total;
	long long school[4]; /* school age; of them in school, dropped out, other */
};

static const char *const member_lists[] = { "sex", "health", "work_ability" };

void report_members_free(struct report_ctx *c)
{
	if (c->members == NULL)
		return;
	for (int k = 0; k < 3; k++)
		tally_free(&c->members->by[k]);
	free(c->members);
	c->members = NULL;
}

/* What is counted of a member present: sex, health and work ability, whether
 * of school age on `to`, and then a child's schooling, the latest record
 * dated on or before `to` (as rules_guarantee.c reads it). */
#define MEMBER_COLUMNS \
	"m.sex, m.health, m.work_ability, kid," \
	" CASE WHEN kid THEN (SELECT x.state FROM schooling x" \
	"  WHERE x.member_id = m.id AND x.as_of <= :to" \
	"  ORDER BY x.as_of DESC, x.created_at DESC, x.id DESC LIMIT 1) END"
#define MEMBER_KID \
	REPORT_AGE_ON_TO("m.birth_date") " BETWEEN :policy_school_age_min AND :policy_school_age_max" \
	" AS kid"

/* Count the member of st's row, whose MEMBER_COLUMNS start at column col. */
static void member_add(struct report_members *m, sqlite3_stmt *st, int col)
{
	m->total++;
	for (int k = 0; k < 3; k++)
		tally_add(&m->by[k], (const char *)sqlite3_column_text(st, col + k));
	if (sqlite3_column_int64(st, col + 3) == 0)
		return; /* not of school age (or no birth date to tell) */
	const char *state = (const char *)sqlite3_column_text(st, col + 4);
	m->school[0]++;
	if (state != NULL && strcmp(state, "in_school") == 0)
		m->school[1]++;
	else if (state != NULL && strcmp(state, "dropped_out") == 0)
		m->school[2]++;
	else
		m->school[3]++;
}

static int members_read(struct report_ctx *c, struct tz_error *err)
{
	if (c->members != NULL)
		return TZ_OK;
	struct report_members *m = xcalloc(1, sizeof *m);
	sqlite3_stmt *st;
	int src = SQLITE_DONE;
	int rc = report_prepare(c,
				"SELECT " MEMBER_COLUMNS
				" FROM (SELECT m.*, " MEMBER_KID
				"  FROM " REPORT_HH_TABLE " hh"
				"  CROSS JOIN members m ON m.household_id = hh.id"
				"  WHERE hh.village_code = :village AND hh.st IS NOT NULL"
				"  AND m.status = 'present') m",
				&st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
		member_add(m, st, 0);
	report_release(c, st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	c->members = m;
	if (rc != TZ_OK)
		report_members_free(c);
	return rc;
}

int report_members_read_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			      struct tz_error *err)
{
	int rc = TZ_OK;
	for (size_t v = 0; v < ncs; v++) {
		report_members_free(&cs[v]);
		cs[v].members = xcalloc(1, sizeof *cs[v].members);
	}
	sqlite3_stmt *st = NULL;
	int src = SQLITE_DONE;
	if (rc == TZ_OK)
		rc = report_prepare(&cs[0],
				    "SELECT m.household_id, " MEMBER_COLUMNS
				    " FROM (SELECT m.*, " MEMBER_KID
				    "  FROM members m WHERE m.status = 'present') m",
				    &st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const size_t *v = report_village_of(households, st, 0);
		if (v != NULL && REPORT_HH_REGISTERED(*v))
			member_add(cs[REPORT_HH_VILLAGE(*v)].members, st, 1);
	}
	if (st != NULL)
		report_release(&cs[0], st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(cs[0].s, src, "生成报表", err);
	if (rc != TZ_OK)
		for (size_t v = 0; v < ncs; v++)
			report_members_free(&cs[v]);
	return rc;
}

int report_school(struct report_ctx *c, long long out[4], struct tz_error *err)
{
	int rc = members_read(c, err);
	if (rc == TZ_OK)
		memcpy(out, c->members->school, sizeof c->members->school);
	return rc;
}

/* The members: the village's members present in the households registered at
 * the end of the period, counted by sex, health and work ability (each code of
 * its code list, then 未填写 — NULL or empty — when some have none), those of
 * school age on `to`; then the period's member changes by kind. Counted in C
 * in one pass of each table: SQLite grouped them by sorting every member three
 * times. */
static int build_members(const struct report_section_def *d, struct report_ctx *c,
			 struct report_section *sec, struct tz_error *err)
{
	(void)d;
	static const char *const groups[] = { "性别", "健康状况", "劳动能力" };
	struct tally changes = { 0 };
	long long age_min = 0, age_max = 0;
	struct member_row *rows = NULL;
	size_t nrows = 0;
	sqlite3_stmt *st = NULL;
	int src = SQLITE_DONE;
	int rc = report_policy(c, "school_age_min", &age_min, err);
	if (rc == TZ_OK)
		rc = report_policy(c, "school_age_max", &age_max, err);
	if (rc == TZ_OK)
		rc = members_read(c, err);
	if (rc == TZ_OK)
		rc = report_prepare(c,
				    "SELECT mc.kind FROM " REPORT_HH_TABLE " hh"
				    " CROSS JOIN member_changes mc ON mc.household_id = hh.id"
				    " WHERE hh.village_code = :village AND mc.on_date BETWEEN :from AND :to",
				    &st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		if (kind != NULL)
			tally_add(&changes, kind);
	}
	report_release(c, st);
	st = NULL;
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	/* The rows, in the order of the code lists. */
	if (rc == TZ_OK)
		rc = report_prepare(c,
				    "SELECT list, code, label, sort FROM code_list"
				    " WHERE list IN ('sex', 'health', 'work_ability', 'member_change')"
				    " ORDER BY sort",
				    &st, err);
	size_t cap = 0;
#define MEMBER_ROW(g, it, count, a, b) \
	do { \
		*VEC_PUSH(rows, nrows, cap) = (struct member_row){ (g), xstrdup(it), (count), (a), (b) }; \
	} while (0)
	if (rc == TZ_OK)
		MEMBER_ROW("在户人口", REPORT_L_TOTAL, c->members->total, 0, 0);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *list = (const char *)sqlite3_column_text(st, 0);
		const char *code = (const char *)sqlite3_column_text(st, 1);
		const char *label = (const char *)sqlite3_column_text(st, 2);
		long long sort = sqlite3_column_int64(st, 3);
		if (strcmp(list, "member_change") == 0) {
			MEMBER_ROW("本期人口变动", label, tally_of(&changes, code), 5, sort);
			continue;
		}
		for (int k = 0; k < 3; k++)
			if (strcmp(list, member_lists[k]) == 0)
				MEMBER_ROW(groups[k], label, tally_of(&c->members->by[k], code), 1 + k,
					   sort);
	}
	report_release(c, st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	if (rc == TZ_OK) {
		for (int k = 0; k < 3; k++)
			if (c->members->by[k].any_unset)
				MEMBER_ROW(groups[k], "未填写", c->members->by[k].unset, 1 + k, 1000);
		char label[128];
		snprintf(label, sizeof label, "义务教育年龄段（%lld至%lld周岁）", age_min, age_max);
		MEMBER_ROW("年龄", label, c->members->school[0], 4, 0);
	}
#undef MEMBER_ROW
	/* By group, then place; a stable sort keeps the code lists' order. */
	for (size_t i = 1; i < nrows; i++) {
		struct member_row x = rows[i];
		size_t j = i;
		while (j > 0 && member_row_cmp(&rows[j - 1], &x) > 0) {
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = x;
	}
	for (size_t i = 0; i < nrows; i++) {
		if (rc == TZ_OK) {
			struct report_cell *row = report_add_row(sec);
			report_set_text(&row[0], rows[i].group);
			report_set_text(&row[1], rows[i].item);
			report_set_int(&row[2], rows[i].n);
		}
		free(rows[i].item);
	}
	free(rows);
	tally_free(&changes);
	return rc;
}

const struct report_section_def report_members = {
	.key = "members",
	.title = "家庭成员",
	REPORT_COLUMNS(member_columns),
	.nkeys = 2,
	.note = "在户人口为期末已建档立卡户中状态为“在户”的成员，按成员现有信息统计；"
		"义务教育年龄段按政策参数“义务教育起始年龄”“义务教育结束年龄”计算到期末的周岁；"
		"本期人口变动按成员变动记录中日期在本期内的计。",
	.build = build_members,
};

/* ---- identification and exit procedures ---- */

static const struct report_column_def procedure_columns[] = {
	{ "程序", REPORT_TEXT },
	{ "环节", REPORT_TEXT },
	{ "本期办理（户次）", REPORT_INT },
	{ "其中通过", REPORT_INT },
	{ "其中未通过", REPORT_INT },
	{ "累计办理（至期末）", REPORT_INT },
};

/* A row of the procedures' figures while they are counted. */
struct procedure_row {
	char *procedure, *step; /* codes */
	long long n[4];         /* in the period, passed, failed, up to `to` */
};

/* Every procedure and step of the code lists, in their order (with their
 * labels, when sec is not NULL, as the section's rows). */
static int procedure_rows(struct report_ctx *c, struct report_section *sec,
			  struct procedure_row **out, size_t *nout, struct tz_error *err)
{
	struct procedure_row *rows = NULL;
	size_t nrows = 0;
	sqlite3_stmt *st;
	int rc = report_prepare(c,
				"SELECT pr.code, sp.code, pr.label, sp.label"
				" FROM code_list pr CROSS JOIN code_list sp"
				" WHERE pr.list = 'procedure' AND sp.list = 'procedure_step'"
				" ORDER BY pr.sort, sp.sort",
				&st, err);
	int src = SQLITE_DONE;
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		rows = xreallocarray(rows, nrows + 1, sizeof *rows);
		rows[nrows++] = (struct procedure_row){
			xstrdup((const char *)sqlite3_column_text(st, 0)),
			xstrdup((const char *)sqlite3_column_text(st, 1)),
			{ 0, 0, 0, 0 },
		};
		if (sec == NULL)
			continue;
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], (const char *)sqlite3_column_text(st, 2));
		report_set_text(&row[1], (const char *)sqlite3_column_text(st, 3));
	}
	report_release(c, st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	*out = rows;
	*nout = nrows;
	return rc;
}

static void procedure_rows_free(struct procedure_row *rows, size_t nrows)
{
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].procedure);
		free(rows[i].step);
	}
	free(rows);
}

/* What a step counts for, as bits: 1 in the period, 2 passed in it, 4 failed
 * in it, 8 up to `to` (a comparison that is NULL counts for nothing, as in
 * sum()); after its procedure and step. */
#define STEP_COUNTS \
	"p.procedure, p.step," \
	" CASE WHEN p.on_date BETWEEN :from AND :to THEN 1" \
	"  + 2 * COALESCE(p.outcome = 'passed', 0)" \
	"  + 4 * COALESCE(p.outcome = 'failed', 0) ELSE 0 END" \
	" + 8 * COALESCE(p.on_date <= :to, 0)"

/* Count the step of st's row (STEP_COUNTS from column col) into its row. */
static void step_add(struct procedure_row *rows, size_t nrows, sqlite3_stmt *st, int col)
{
	const char *procedure = (const char *)sqlite3_column_text(st, col);
	const char *step = (const char *)sqlite3_column_text(st, col + 1);
	if (procedure == NULL || step == NULL)
		return;
	for (size_t i = 0; i < nrows; i++) {
		if (strcmp(rows[i].procedure, procedure) == 0 && strcmp(rows[i].step, step) == 0) {
			sqlite3_int64 bits = sqlite3_column_int64(st, col + 2);
			for (int k = 0; k < 4; k++)
				rows[i].n[k] += (bits >> k) & 1;
			return;
		}
	}
}

void report_procedures_free(struct report_ctx *c)
{
	free(c->procedure_counts);
	c->procedure_counts = NULL;
	c->nprocedure_counts = 0;
}

int report_procedures_read_town(struct report_ctx *cs, size_t ncs,
				const struct strmap *households, struct tz_error *err)
{
	struct procedure_row *rows = NULL, *all = NULL;
	size_t nrows = 0;
	int rc = procedure_rows(&cs[0], NULL, &rows, &nrows, err);
	if (rc == TZ_OK) /* every village's rows, one village after another */
		all = xcalloc(ncs * nrows + 1, sizeof *all);
	for (size_t v = 0; rc == TZ_OK && v < ncs; v++)
		for (size_t i = 0; i < nrows; i++)
			all[v * nrows + i] = (struct procedure_row){ rows[i].procedure, rows[i].step,
								     { 0, 0, 0, 0 } };
	sqlite3_stmt *st = NULL;
	int src = SQLITE_DONE;
	if (rc == TZ_OK)
		rc = report_prepare(&cs[0], "SELECT p.household_id, " STEP_COUNTS " FROM procedure_steps p",
				    &st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const size_t *v = report_village_of(households, st, 0);
		if (v != NULL)
			step_add(&all[REPORT_HH_VILLAGE(*v) * nrows], nrows, st, 1);
	}
	if (st != NULL)
		report_release(&cs[0], st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(cs[0].s, src, "生成报表", err);
	for (size_t v = 0; rc == TZ_OK && v < ncs; v++) {
		report_procedures_free(&cs[v]);
		cs[v].procedure_counts = xcalloc(nrows + 1, sizeof *cs[v].procedure_counts);
		cs[v].nprocedure_counts = nrows;
		for (size_t i = 0; i < nrows; i++)
			memcpy(cs[v].procedure_counts[i], all[v * nrows + i].n, sizeof all->n);
	}
	free(all);
	procedure_rows_free(rows, nrows);
	return rc;
}

/* Every procedure and step of the code lists is a row, in their order; the
 * village's steps are then counted into them in one pass (procedure_steps_dates,
 * db/007, has every column the count reads), or a town's were for every
 * village at once (report_procedures_read_town). SQLite's GROUP BY would sort
 * every step first: a third of a second for a town of 30 villages. */
static int build_procedures(const struct report_section_def *d, struct report_ctx *c,
			    struct report_section *sec, struct tz_error *err)
{
	(void)d;
	struct procedure_row *rows = NULL;
	size_t nrows = 0;
	int rc = procedure_rows(c, sec, &rows, &nrows, err);
	if (rc == TZ_OK && c->procedure_counts != NULL && c->nprocedure_counts == nrows) {
		for (size_t i = 0; i < nrows; i++)
			memcpy(rows[i].n, c->procedure_counts[i], sizeof rows[i].n);
	} else if (rc == TZ_OK) {
		sqlite3_stmt *st;
		int src = SQLITE_DONE;
		rc = report_prepare(c,
				    "SELECT " STEP_COUNTS " FROM " REPORT_HH_TABLE " hh"
				    " CROSS JOIN procedure_steps p ON p.household_id = hh.id"
				    " WHERE hh.village_code = :village",
				    &st, err);
		while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
			step_add(rows, nrows, st, 0);
		if (rc == TZ_OK) {
			report_release(c, st);
			if (src != SQLITE_DONE)
				rc = store_sqlite_error(c->s, src, "生成报表", err);
		}
	}
	for (size_t i = 0; i < nrows; i++)
		for (int k = 0; k < 4; k++)
			report_set_int(&sec->cells[i * sec->ncolumns + 2 + (size_t)k], rows[i].n[k]);
	procedure_rows_free(rows, nrows);
	return rc;
}

const struct report_section_def report_procedures = {
	.key = "procedures",
	.title = "识别退出程序",
	REPORT_COLUMNS(procedure_columns),
	.nkeys = 2,
	.note = "“两评议两公示一比对一公告”各环节，按环节日期计；一户一次程序的一个环节为一户次。",
	.build = build_procedures,
};

/* ---- the four lists ---- */

static const struct report_column_def four_list_columns[] = {
	{ "清单", REPORT_TEXT },
	{ "应建户数", REPORT_INT },
	{ "已建户数", REPORT_INT },
	{ "覆盖率", REPORT_PERCENT },
	{ "条目数", REPORT_INT },
	{ "已完成条目", REPORT_INT },
	{ "逾期未完成条目", REPORT_INT },
};

/* A list value of the items, while counted: its items, those done, those
 * late. */
struct four_list {
	char *code;
	long long items, done, late;
};

static void four_lists_all_row(struct report_section *sec, long long nbase, long long complete)
{
	struct report_cell *row = report_add_row(sec);
	report_set_text(&row[0], REPORT_L_FOUR_ALL);
	report_set_int(&row[1], nbase);
	report_set_int(&row[2], complete);
	report_set_percent(&row[3], complete, nbase);
}

/* What the four lists section counts of a village's items (but the base):
 * per list value met, its items, those done by `to` and those late on it;
 * per list value, the households that have it; and the households that have
 * as many distinct lists as the code list has. */
struct report_four_lists {
	struct four_list *lists;
	size_t nfound;
	struct tally seen;
	long long complete;
};

static void four_counts_free(struct report_four_lists *f)
{
	for (size_t i = 0; i < f->nfound; i++)
		free(f->lists[i].code);
	free(f->lists);
	tally_free(&f->seen);
	*f = (struct report_four_lists){ 0 };
}

void report_four_lists_free(struct report_ctx *c)
{
	if (c->four_lists == NULL)
		return;
	four_counts_free(c->four_lists);
	free(c->four_lists);
	c->four_lists = NULL;
}

/* An item of list value list, done by `to` or not, late or not, into f. */
static void four_item_add(struct report_four_lists *f, const char *list, int done, int late)
{
	size_t i = 0;
	while (i < f->nfound && strcmp(f->lists[i].code, list) != 0)
		i++;
	if (i == f->nfound) {
		f->lists = xreallocarray(f->lists, f->nfound + 1, sizeof *f->lists);
		f->lists[f->nfound++] = (struct four_list){ xstrdup(list), 0, 0, 0 };
	}
	f->lists[i].items++;
	f->lists[i].done += done;
	f->lists[i].late += late;
}

/* An item of a household's into f, its list value into house (the distinct
 * values of the household's items). */
static void four_item_of(struct report_four_lists *f, struct tally *house, const char *list,
			 int done, int late)
{
	four_item_add(f, list, done, late);
	if (tally_of(house, list) == 0)
		tally_add(house, list);
}

/* The household whose distinct list values are house is done: complete when
 * it has as many as the code list, each value seen once more; house emptied. */
static void four_household_done(struct report_four_lists *f, struct tally *house,
				long long nlists)
{
	if ((long long)house->count == nlists)
		f->complete++;
	for (size_t i = 0; i < house->count; i++)
		tally_add(&f->seen, house->codes[i]);
	tally_free(house);
	*house = (struct tally){ 0 };
}

/* The done and late of an item, as columns after its household and list. */
#define FOUR_ITEM_COLUMNS                                                         \
	"f.list, f.done_date <= :to,"                                              \
	" f.due_date < :to AND (f.done_date IS NULL OR f.done_date > :to)"
#define FOUR_ITEM_ENTERED \
	"(:cutoff IS NULL OR " REPORT_LOCAL_DATE("f.created_at") " <= :cutoff)"

/* A village's counts, in one pass over its items in household order. */
static int four_counts_read(struct report_ctx *c, long long nlists, struct report_four_lists *f,
			    struct tz_error *err)
{
	struct tally house = { 0 }; /* the list values of the household being read */
	sqlite3_stmt *st;
	int src = SQLITE_DONE;
	int rc = report_prepare(c,
				"SELECT hh.id, " FOUR_ITEM_COLUMNS
				" FROM " REPORT_HH_TABLE " hh CROSS JOIN four_lists f"
				" ON f.household_id = hh.id"
				" WHERE hh.village_code = :village AND hh.st IS NOT NULL"
				" AND hh.st <> 'exited' AND " FOUR_ITEM_ENTERED
				" ORDER BY hh.id",
				&st, err);
	char *last = NULL;
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *hid = (const char *)sqlite3_column_text(st, 0);
		const char *list = (const char *)sqlite3_column_text(st, 1);
		if (last == NULL || strcmp(last, hid) != 0) {
			if (last != NULL) /* the household before is done */
				four_household_done(f, &house, nlists);
			free(last);
			last = xstrdup(hid);
		}
		if (list != NULL) /* else counted in no list's row, nor as distinct */
			four_item_of(f, &house, list, sqlite3_column_int64(st, 2) != 0,
				     sqlite3_column_int64(st, 3) != 0);
	}
	report_release(c, st);
	if (last != NULL)
		four_household_done(f, &house, nlists);
	free(last);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	return rc;
}

/* ---- the four lists of a town's every village, in one pass ---- */

/* An item of the pass: its household (the address of its value in the map
 * of households: one per household), its list value (an index into the
 * values met, NO_LIST for NULL), and its row. */
#define NO_LIST UINT32_MAX
struct four_item {
	const size_t *household;
	uint32_t list;
	uint32_t row; /* in the pass's order: the order of a household's items */
};

static int four_item_cmp(const void *a, const void *b)
{
	const struct four_item *x = a, *y = b;
	uintptr_t hx = (uintptr_t)x->household, hy = (uintptr_t)y->household;
	if (hx != hy)
		return hx < hy ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* The items of one village (sorted by household) into f, as four_counts_read
 * counts them; done and late per item from done_late. */
static void four_counts_of_items(struct report_four_lists *f, struct four_item *items, size_t n,
				 char *const *values, const unsigned char *done_late, long long nlists)
{
	if (n > 1)
		qsort(items, n, sizeof *items, four_item_cmp);
	for (size_t i = 0; i < n;) {
		size_t end = i;
		struct tally house = { 0 };
		for (; end < n && items[end].household == items[i].household; end++) {
			unsigned char dl = done_late[items[end].row];
			if (items[end].list != NO_LIST)
				four_item_of(f, &house, values[items[end].list], dl & 1, dl >> 1);
		}
		four_household_done(f, &house, nlists);
		i = end;
	}
}

int report_four_lists_read_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
				struct tz_error *err)
{
	long long nlists = 0;
	sqlite3_stmt *st;
	int rc = report_prepare(&cs[0], "SELECT count(*) FROM code_list WHERE list = 'four_list'",
				&st, err);
	if (rc == TZ_OK) {
		int src = sqlite3_step(st);
		nlists = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		report_release(&cs[0], st);
		if (src != SQLITE_ROW)
			return store_sqlite_error(cs[0].s, src, "生成报表", err);
	}
	if (rc != TZ_OK)
		return rc;
	struct four_item **items = xcalloc(ncs, sizeof *items);
	size_t *nitems = xcalloc(ncs, sizeof *nitems), *caps = xcalloc(ncs, sizeof *caps);
	struct strmap values; /* list value → index in texts */
	strmap_init(&values);
	char **texts = NULL;
	size_t ntexts = 0, cap_texts = 0;
	unsigned char *done_late = NULL; /* per item of the pass: done | late << 1 */
	size_t nrows = 0, cap_rows = 0;
	int src = SQLITE_DONE;
	rc = report_prepare(&cs[0],
			    "SELECT f.household_id, " FOUR_ITEM_COLUMNS " FROM four_lists f"
			    " WHERE " FOUR_ITEM_ENTERED,
			    &st, err);
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const size_t *v = report_village_of(households, st, 0);
		if (v == NULL || !REPORT_HH_LISTS_DUE(*v))
			continue;
		if (nrows == UINT32_MAX)
			abort(); /* four thousand million items */
		const char *list = (const char *)sqlite3_column_text(st, 1);
		uint32_t l = NO_LIST;
		if (list != NULL) {
			int added;
			size_t *at = strmap_put(&values, list, strlen(list), &added);
			if (added) {
				*at = ntexts;
				*VEC_PUSH(texts, ntexts, cap_texts) = xstrdup(list);
			}
			l = (uint32_t)*at;
		}
		*VEC_PUSH(done_late, nrows, cap_rows) =
			(unsigned char)((sqlite3_column_int64(st, 2) != 0) |
					(sqlite3_column_int64(st, 3) != 0) << 1);
		size_t vi = REPORT_HH_VILLAGE(*v);
		*VEC_PUSH(items[vi], nitems[vi], caps[vi]) =
			(struct four_item){ v, l, (uint32_t)(nrows - 1) };
	}
	if (rc == TZ_OK) {
		report_release(&cs[0], st);
		if (src != SQLITE_DONE)
			rc = store_sqlite_error(cs[0].s, src, "生成报表", err);
	}
	for (size_t v = 0; v < ncs; v++) {
		if (rc == TZ_OK) {
			report_four_lists_free(&cs[v]);
			cs[v].four_lists = xcalloc(1, sizeof *cs[v].four_lists);
			four_counts_of_items(cs[v].four_lists, items[v], nitems[v], texts, done_late,
					     nlists);
		}
		free(items[v]);
	}
	for (size_t i = 0; i < ntexts; i++)
		free(texts[i]);
	free(texts);
	strmap_free(&values);
	free(done_late);
	free(items);
	free(nitems);
	free(caps);
	return rc;
}

/* The four lists are due for every household registered at the end of the
 * period and not exited (base). Counted in C in one pass over their items in
 * household order (SQLite grouped them twice, each group with a distinct
 * count), or taken from the town's pass (report_four_lists_read_town). */
static int build_four_lists(const struct report_section_def *d, struct report_ctx *c,
			    struct report_section *sec, struct tz_error *err)
{
	(void)d;
	long long nbase = 0, nlists = 0;
	sqlite3_stmt *st;
	int src = SQLITE_DONE;
	int rc = report_prepare(c,
				"SELECT count(*), (SELECT count(*) FROM code_list WHERE list = 'four_list')"
				" FROM " REPORT_HH_TABLE " WHERE village_code = :village"
				" AND st IS NOT NULL AND st <> 'exited'",
				&st, err);
	if (rc == TZ_OK) {
		src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			nbase = sqlite3_column_int64(st, 0);
			nlists = sqlite3_column_int64(st, 1);
			src = SQLITE_DONE;
		}
		report_release(c, st);
		if (src != SQLITE_DONE)
			rc = store_sqlite_error(c->s, src, "生成报表", err);
	}
	struct report_four_lists own = { 0 };
	const struct report_four_lists *f = c->four_lists != NULL ? c->four_lists : &own;
	if (rc == TZ_OK && c->four_lists == NULL)
		rc = four_counts_read(c, nlists, &own, err);
	const struct four_list *lists = f->lists;
	size_t nfound = f->nfound;
	const struct tally *seen = &f->seen;
	long long complete = f->complete;
	if (rc == TZ_OK)
		rc = report_prepare(c,
				    "SELECT code, label, sort FROM code_list WHERE list = 'four_list'"
				    " ORDER BY sort",
				    &st, err);
	int all_done = 0; /* the row of households with every list, placed at sort 1000 */
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		if (!all_done && sqlite3_column_int64(st, 2) > 1000) {
			four_lists_all_row(sec, nbase, complete);
			all_done = 1;
		}
		const char *code = (const char *)sqlite3_column_text(st, 0);
		struct four_list x = { NULL, 0, 0, 0 };
		for (size_t i = 0; code != NULL && i < nfound; i++)
			if (strcmp(lists[i].code, code) == 0)
				x = lists[i];
		long long k = tally_of(seen, code);
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], (const char *)sqlite3_column_text(st, 1));
		report_set_int(&row[1], nbase);
		report_set_int(&row[2], k);
		report_set_percent(&row[3], k, nbase);
		report_set_int(&row[4], x.items);
		report_set_int(&row[5], x.done);
		report_set_int(&row[6], x.late);
	}
	report_release(c, st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(c->s, src, "生成报表", err);
	if (rc == TZ_OK && !all_done)
		four_lists_all_row(sec, nbase, complete);
	four_counts_free(&own);
	return rc;
}

const struct report_section_def report_four_lists = {
	.key = "four-lists",
	.title = "四个清单",
	REPORT_COLUMNS(four_list_columns),
	.nkeys = 1,
	.note = "应建户为期末状态为新识别、帮扶中、脱贫监测或返贫的户（已脱贫户不计）；"
		"条目按录入日期计到期末；已完成为完成日期不晚于期末，逾期未完成为期限早于期末而到期末仍未完成。",
	.build = build_four_lists,
	.town_heavy = 1,
};
