/*
 * report_town.c — the township report (report_build_town in report.h): what the
 * 镇扶贫办 hands to the leadership group, built in a town store from every
 * village's rows.
 *
 * How. Each village of the villages table gets its own report, built exactly as
 * report_build_village builds it (the same section definitions, the village's
 * code bound as :village; only the precision checks are run once for the
 * whole town, as `taizhang check` runs them there), plus one more section,
 * the task figures (below). The town report is then put together from those
 * reports and never from the store, so its figures cannot disagree with a
 * village's own report:
 *   - most sections are joined on their key columns: one row per key that any
 *     village has (in the order of the section's town_keys_sql when it has one —
 *     problems by area and task, status changes by status — else in the
 *     villages' own order, a key new to the union placed after the key that
 *     precedes it in its village), and after the keys one group of figure
 *     columns for the town (合计) then one per village. 合计 adds whole numbers
 *     and money, adds the numerators and the denominators of a rate (so it is
 *     the town's rate, not an average of rates), and tallies a text column
 *     ("达标 2、不足 1"; the text itself when every village has the same);
 *   - the visits (per cadre: each village has its own) and the overdue problems
 *     (a list) are stacked, the village's name in a first column, a total at
 *     the end where the village sections have one;
 *   - the deadlines are reference data, the same for every village: once.
 *
 * Task figures (per village, not shown in a village report): for each of the
 * 19 tasks, its indicators taken from the village's other sections — a figure,
 * its base and rate, and where the campaign sets a target (目标: a number from
 * the policy table, "全部", "无"), whether the village meets it (达标 / 未达标,
 * empty where the target does not apply, e.g. business leaders in a village
 * that is not poor) — then the findings of the precision rules of the task and
 * the task's problems (on `to`: all, closed, open, overdue; no overdue problem
 * being a target of every task). Joined like the other sections, they make
 * one section per lead unit (the tasks task_units says it leads, with every
 * village's figures), and the tasks section: one line per task, with its lead
 * and participating units, its problems in the town, and how many of its
 * indicators are met in the town (met: no village falls short of it).
 *
 * Deliberately not here: the sections' queries (the other files), writing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* Key strings: each key cell as a mark and its text, cells separated. */
#define KEY_EMPTY '\x02'
#define KEY_TEXT '\x03'
#define KEY_SEP '\x1f'
#define NOT_FOUND ((size_t)-1)

#define MET REPORT_MET
#define NOT_MET REPORT_NOT_MET

/* ---- key strings ---- */

/* Append one key cell (NULL: an empty one). */
static void key_add(struct vec_text *b, const char *text)
{
	char mark[2] = { text == NULL ? KEY_EMPTY : KEY_TEXT, KEY_SEP };
	vec_text_add(b, mark, 1);
	if (text != NULL)
		vec_text_puts(b, text);
	vec_text_add(b, mark + 1, 1);
}

/* The key string of row of sec (malloc'd). */
static char *row_key(const struct report_section *sec, size_t row)
{
	struct vec_text b = { 0 };
	char buf[REPORT_NUMBER_NBYTES];
	for (size_t c = 0; c < sec->nkeys; c++) {
		const struct report_cell *x = report_at(sec, row, c);
		key_add(&b, x->empty ? NULL
				     : report_cell_text(sec->columns[c].type, x, REPORT_STYLE_PLAIN, buf));
	}
	if (b.text == NULL)
		vec_text_add(&b, "", 0);
	return b.text;
}

/* Rows of sec other than its total row. */
static size_t data_rows(const struct report_section *sec)
{
	return sec->nrows - (sec->nrows > 0 && (sec->flags & REPORT_SECTION_TOTAL));
}

/* ---- the union of keys ---- */

struct key_entry {
	char *key;
	size_t village, row; /* where its key cells are taken from */
	int used;            /* some village has it (a skeleton entry may not) */
};

struct keys {
	struct key_entry *items;
	size_t n, cap;
};

static size_t keys_find(const struct keys *ks, const char *key)
{
	for (size_t i = 0; i < ks->n; i++)
		if (strcmp(ks->items[i].key, key) == 0)
			return i;
	return NOT_FOUND;
}

/* Insert an entry at position at; takes key. */
static void keys_insert(struct keys *ks, size_t at, char *key, size_t village, size_t row,
			int used)
{
	if (ks->n == ks->cap) {
		VEC_RESERVE(ks->items, ks->cap, ks->n + 1);
	}
	memmove(&ks->items[at + 1], &ks->items[at], (ks->n - at) * sizeof *ks->items);
	ks->items[at] = (struct key_entry){ key, village, row, used };
	ks->n++;
}

static void keys_free(struct keys *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->items[i].key);
	free(ks->items);
	memset(ks, 0, sizeof *ks);
}

/* ---- the town being built ---- */

/* A lead unit and the tasks it leads. */
struct lead_unit {
	char *code, *name;
	unsigned long tasks; /* bit t: leads task t */
	char *task_list;     /* "2、8、9、10" */
};

struct town {
	struct report_ctx c; /* the town's period (village: the town's code) */
	struct report *out;
	struct report *vr;   /* the villages' reports, as out->villages */
	const struct report_section_def **defs; /* of each vr: village sections + task figures */
	size_t ndefs;
	struct findings findings;
	struct report_stmts stmts; /* kept from one village's sections to the next's */
	struct lead_unit *units;
	size_t nunits;
};

static size_t def_index(const struct town *t, const char *key)
{
	for (size_t i = 0; i < t->ndefs; i++)
		if (strcmp(t->defs[i]->key, key) == 0)
			return i;
	abort(); /* a broken invariant: every key asked for is defined */
}

/* The next section of the town report (zeroed, counted). */
static struct report_section *next_section(struct town *t)
{
	return &t->out->sections[t->out->nsections++];
}

/* ---- copying and adding up cells ---- */

static void copy_cell(struct report_cell *dst, const struct report_cell *src, enum report_type type)
{
	if (src == NULL || src->empty)
		return;
	switch (type) {
	case REPORT_TEXT:
	case REPORT_DATE:
		report_set_text(dst, src->text);
		break;
	case REPORT_INT:
	case REPORT_MONEY:
		report_set_int(dst, src->num);
		break;
	case REPORT_PERCENT:
		report_set_percent(dst, src->num, src->den);
		break;
	}
}

/* Texts in the order first seen, with how often. */
static void tally(struct report_cell *dst, const struct report_cell *const *cells, size_t n)
{
	const char **texts = xcalloc(n, sizeof *texts);
	size_t *counts = xcalloc(n, sizeof *counts), ndistinct = 0;
	for (size_t i = 0; i < n; i++) {
		if (cells[i] == NULL || cells[i]->empty || cells[i]->text == NULL)
			continue;
		size_t k = 0;
		while (k < ndistinct && strcmp(texts[k], cells[i]->text) != 0)
			k++;
		if (k == ndistinct)
			texts[ndistinct++] = cells[i]->text;
		counts[k]++;
	}
	if (ndistinct == 1) {
		report_set_text(dst, texts[0]);
	} else if (ndistinct > 1) {
		struct vec_text b = { 0 };
		for (size_t k = 0; k < ndistinct; k++) {
			char count[32];
			snprintf(count, sizeof count, " %zu", counts[k]);
			if (k > 0)
				vec_text_puts(&b, "、");
			vec_text_puts(&b, texts[k]);
			vec_text_puts(&b, count);
		}
		report_set_text(dst, b.text);
		free(b.text);
	}
	free(texts);
	free(counts);
}

/* The town's cell (合计) of column type from the villages' cells (NULL: the
 * village has no such row). */
static void add_up(struct report_cell *dst, const struct report_cell *const *cells, size_t n,
		   enum report_type type)
{
	long long num = 0, den = 0;
	int any = 0;
	switch (type) {
	case REPORT_TEXT:
	case REPORT_DATE:
		tally(dst, cells, n);
		return;
	case REPORT_INT:
	case REPORT_MONEY:
	case REPORT_PERCENT:
		for (size_t i = 0; i < n; i++) {
			if (cells[i] == NULL || cells[i]->empty)
				continue;
			any = 1;
			num += cells[i]->num;
			den += cells[i]->den;
		}
		if (any && type == REPORT_PERCENT)
			report_set_percent(dst, num, den);
		else if (any)
			report_set_int(dst, num);
		return;
	}
}

/* ---- joining the villages' sections ---- */

/* The skeleton of keys from d->town_keys_sql into ks (entries not yet used). */
static int skeleton_keys(struct town *t, const struct report_section_def *d, struct keys *ks,
			 struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(t->c.s, d->town_keys_sql, &st, "生成镇级报表", err);
	if (rc != TZ_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vec_text b = { 0 };
		for (int i = 0; i < sqlite3_column_count(st); i++)
			key_add(&b, (const char *)sqlite3_column_text(st, i));
		keys_insert(ks, ks->n, b.text, 0, 0, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(t->c.s, rc, "生成镇级报表", err);
	return TZ_OK;
}

/* Join section k of every village's report into out (see the header). */
static int join_section(struct town *t, size_t k, struct report_section *out, struct tz_error *err)
{
	const struct report_section_def *d = t->defs[k];
	size_t nv = t->out->nvillages;
	const struct report_section *first = &t->vr[0].sections[k];
	struct keys ks = { 0 };
	if (d->town_keys_sql != NULL) {
		int rc = skeleton_keys(t, d, &ks, err);
		if (rc != TZ_OK) {
			keys_free(&ks);
			return rc;
		}
	}
	for (size_t v = 0; v < nv; v++) {
		const struct report_section *sec = &t->vr[v].sections[k];
		size_t prev = NOT_FOUND;
		for (size_t row = 0; row < data_rows(sec); row++) {
			char *key = row_key(sec, row);
			size_t at = keys_find(&ks, key);
			if (at == NOT_FOUND) {
				at = prev == NOT_FOUND ? 0 : prev + 1;
				keys_insert(&ks, at, key, v, row, 1);
			} else {
				free(key);
				if (!ks.items[at].used)
					ks.items[at] = (struct key_entry){ ks.items[at].key, v, row, 1 };
			}
			prev = at;
		}
	}
	/* Drop the skeleton's keys no village has. */
	size_t n = 0;
	for (size_t i = 0; i < ks.n; i++) {
		if (ks.items[i].used)
			ks.items[n++] = ks.items[i];
		else
			free(ks.items[i].key);
	}
	ks.n = n;

	size_t nkeys = first->nkeys, nfig = first->ncolumns - nkeys;
	report_section_new(out, first->key, first->title, nkeys + (nv + 1) * nfig, nkeys,
			   d->town_note != NULL ? d->town_note : first->note);
	out->group_ncolumns = nfig;
	for (size_t c = 0; c < nkeys; c++)
		report_set_column(out, c, first->columns[c].title, first->columns[c].type);
	for (size_t g = 0; g <= nv; g++) {
		for (size_t c = nkeys; c < first->ncolumns; c++) {
			char *title = xasprintf("%s %s",
						g == 0 ? REPORT_L_TOTAL : t->out->villages[g - 1].name,
						first->columns[c].title);
			report_set_column(out, nkeys + g * nfig + (c - nkeys), title,
					  first->columns[c].type);
			free(title);
		}
	}

	/* Where each key is in each village: rows[v * ks.n + i]. */
	size_t *rows = xcalloc(nv * (ks.n ? ks.n : 1), sizeof *rows);
	for (size_t v = 0; v < nv; v++) {
		const struct report_section *sec = &t->vr[v].sections[k];
		for (size_t i = 0; i < ks.n; i++)
			rows[v * ks.n + i] = NOT_FOUND;
		for (size_t row = 0; row < data_rows(sec); row++) {
			char *key = row_key(sec, row);
			size_t at = keys_find(&ks, key);
			free(key);
			if (at != NOT_FOUND && rows[v * ks.n + at] == NOT_FOUND)
				rows[v * ks.n + at] = row;
		}
	}
	int total = (first->flags & REPORT_SECTION_TOTAL) != 0;
	const struct report_cell **cells = xcalloc(nv, sizeof *cells);
	for (size_t i = 0; i < ks.n + (size_t)total; i++) {
		int is_total = i == ks.n;
		const struct report_section *src =
			is_total ? first : &t->vr[ks.items[i].village].sections[k];
		size_t src_row = is_total ? first->nrows - 1 : ks.items[i].row;
		struct report_cell *row = report_add_row(out);
		for (size_t c = 0; c < nkeys; c++)
			copy_cell(&row[c], report_at(src, src_row, c), first->columns[c].type);
		for (size_t c = nkeys; c < first->ncolumns; c++) {
			enum report_type type = first->columns[c].type;
			for (size_t v = 0; v < nv; v++) {
				const struct report_section *sec = &t->vr[v].sections[k];
				size_t r = is_total ? (sec->nrows > 0 ? sec->nrows - 1 : NOT_FOUND)
						    : rows[v * ks.n + i];
				cells[v] = r == NOT_FOUND ? NULL : report_at(sec, r, c);
				copy_cell(&row[nkeys + (v + 1) * nfig + (c - nkeys)], cells[v], type);
			}
			add_up(&row[c], cells, nv, type);
		}
	}
	if (total)
		out->flags |= REPORT_SECTION_TOTAL;
	free(cells);
	free(rows);
	keys_free(&ks);
	return TZ_OK;
}

/* Stack section k of every village's report into out: the village first. */
static void stack_section(struct town *t, size_t k, struct report_section *out)
{
	const struct report_section *first = &t->vr[0].sections[k];
	size_t nv = t->out->nvillages;
	report_section_new(out, first->key, first->title, first->ncolumns + 1,
			   first->nkeys ? first->nkeys + 1 : 0, first->note);
	report_set_column(out, 0, "村（居）", REPORT_TEXT);
	for (size_t c = 0; c < first->ncolumns; c++)
		report_set_column(out, c + 1, first->columns[c].title, first->columns[c].type);
	for (size_t v = 0; v < nv; v++) {
		const struct report_section *sec = &t->vr[v].sections[k];
		for (size_t r = 0; r < data_rows(sec); r++) {
			struct report_cell *row = report_add_row(out);
			report_set_text(&row[0], t->out->villages[v].name);
			for (size_t c = 0; c < sec->ncolumns; c++)
				copy_cell(&row[c + 1], report_at(sec, r, c), sec->columns[c].type);
		}
	}
	if (first->flags & REPORT_SECTION_TOTAL)
		report_add_total(out);
}

/* Section k of the first village's report, as it is (reference data). */
static void copy_section(struct town *t, size_t k, struct report_section *out)
{
	const struct report_section *first = &t->vr[0].sections[k];
	report_section_new(out, first->key, first->title, first->ncolumns, first->nkeys, first->note);
	out->flags = first->flags;
	for (size_t c = 0; c < first->ncolumns; c++)
		report_set_column(out, c, first->columns[c].title, first->columns[c].type);
	for (size_t r = 0; r < first->nrows; r++) {
		struct report_cell *row = report_add_row(out);
		for (size_t c = 0; c < first->ncolumns; c++)
			copy_cell(&row[c], report_at(first, r, c), first->columns[c].type);
	}
}

/* ---- task figures (per village) ---- */

static const struct report_column_def task_figure_columns[] = {
	{ "任务", REPORT_TEXT },
	{ "指标", REPORT_TEXT },
	{ "目标", REPORT_TEXT },
	{ "数值", REPORT_INT },
	{ "基数", REPORT_INT },
	{ "比例", REPORT_PERCENT },
	{ "是否达标", REPORT_TEXT },
};
enum {
	TF_TASK = REPORT_TF_TASK, TF_LABEL = REPORT_TF_LABEL, TF_TARGET = REPORT_TF_TARGET,
	TF_VALUE = REPORT_TF_VALUE, TF_BASE = REPORT_TF_BASE, TF_RATE = REPORT_TF_RATE,
	TF_MET = REPORT_TF_MET
};

#define L_PROBLEMS "问题（期末，个）"
#define L_CLOSED "其中已销号"
#define L_OPEN "其中未销号"
#define L_OVERDUE REPORT_L_TASK_OVERDUE
#define L_FINDINGS "精准核查发现（条）"
#define TARGET_ALL "全部"
#define TARGET_NONE "无"

enum goal {
	GOAL_NONE, /* a figure without a target */
	GOAL_ALL,  /* value = base (a village with no base: does not apply) */
	GOAL_ZERO, /* value = 0 */
	GOAL_TEXT, /* the source section's own verdict (staffing's 是否达标) */
	GOAL_MIN,  /* value >= the policy number policy1 */
};

/* An indicator taken from a village's section: the row of section whose
 * column key_col is row_label; its value, base (-1: none) and, for GOAL_TEXT,
 * the column with the verdict ("达标" met, "不足"/"超出" not; anything else: the
 * target does not apply). The target shown is target, or target_fmt with
 * the policy numbers policy1 and policy2. */
struct indicator {
	int task;
	const char *label;
	const char *section;
	size_t key_col;
	const char *row_label;
	int value_col, base_col;
	enum goal goal;
	int verdict_col;
	const char *target;
	const char *policy1, *policy2;
};

#define L_APPROVED "领导组审定"
#define L_MONITORED "已审定项目开展绩效监控（个）"
#define L_EVALUATED "已审定项目完成绩效评价（个）"

static const struct indicator indicators[] = {
	{ 1, REPORT_L_REGISTERED, "households", 0, REPORT_L_TOTAL, 2, -1, GOAL_NONE, -1, NULL,
	  NULL, NULL },
	{ 2, REPORT_L_FOUR_ALL "（户）", "four-lists", 0, REPORT_L_FOUR_ALL, 2, 1, GOAL_ALL, -1,
	  TARGET_ALL, NULL, NULL },
	{ 5, REPORT_L_DOCTOR, "sectors", 1, REPORT_L_DOCTOR, 2, 3, GOAL_ALL, -1, TARGET_ALL, NULL,
	  NULL },
	{ 6, REPORT_L_DROPOUT "（人）", "sectors", 1, REPORT_L_DROPOUT, 2, 3, GOAL_ZERO, -1,
	  TARGET_NONE, NULL, NULL },
	{ 7, REPORT_L_UNDONE "（户）", "sectors", 1, REPORT_L_UNDONE, 2, 3, GOAL_ZERO, -1,
	  TARGET_NONE, NULL, NULL },
	{ 9, REPORT_L_LEADERS "（人）", "staffing", 0, REPORT_L_LEADERS, 1, -1, GOAL_TEXT, 4,
	  "贫困村不少于 %s 人", "leaders_per_poor_village", NULL },
	{ 9, REPORT_L_BASES "（个）", "staffing", 0, REPORT_L_BASES, 1, -1, GOAL_TEXT, 4,
	  "不少于 %s 个", "bases_per_village", NULL },
	{ 10, "到期未还清小额信贷（笔）", "sectors", 1, REPORT_L_LOANS_LATE, 2, -1, GOAL_ZERO, -1,
	  TARGET_NONE, NULL, NULL },
	{ 11, REPORT_L_DIBAO, "sectors", 1, REPORT_L_DIBAO, 2, 3, GOAL_NONE, -1, NULL, NULL, NULL },
	{ 11, REPORT_L_DIBAO_ONLY, "sectors", 1, REPORT_L_DIBAO_ONLY, 2, 3, GOAL_NONE, -1, NULL,
	  NULL, NULL },
	{ 13, REPORT_L_STAFF, "staffing", 0, REPORT_L_STAFF, 1, -1, GOAL_TEXT, 4, "%s至%s人",
	  "staff_min", "staff_max" },
	{ 14, REPORT_L_VISITS_MET, "visits", 0, REPORT_L_TOTAL, 7, 7, GOAL_ALL, -1, TARGET_ALL, NULL,
	  NULL },
	{ 1, REPORT_L_MARGINAL_HELPED, "marginal", 0, REPORT_L_MARGINAL_HELPED, 1, 2, GOAL_ALL, -1,
	  TARGET_ALL, NULL, NULL },
	{ 3, L_MONITORED, "projects", 0, L_APPROVED, 5, 1, GOAL_ALL, -1, TARGET_ALL, NULL, NULL },
	{ 3, L_EVALUATED, "projects", 0, L_APPROVED, 6, 1, GOAL_NONE, -1, NULL, NULL, NULL },
	{ 4, REPORT_L_EXITED, "marginal", 0, REPORT_L_EXITED, 1, 2, GOAL_NONE, -1, NULL, NULL, NULL },
	{ 4, REPORT_L_FELL_BACK, "marginal", 0, REPORT_L_FELL_BACK, 1, -1, GOAL_ZERO, -1, TARGET_NONE,
	  NULL, NULL },
	{ 8, "项目库项目（个）", "projects", 0, REPORT_L_TOTAL, 1, -1, GOAL_NONE, -1, NULL, NULL, NULL },
	{ 8, "其中领导组审定（个）", "projects", 0, L_APPROVED, 1, -1, GOAL_NONE, -1, NULL, NULL,
	  NULL },
	{ 12, "本期业务培训（次）", "trainings", 0, REPORT_L_TOTAL, 1, -1, GOAL_MIN, -1,
	  "不少于 %s 次", "trainings_min", NULL },
	{ 15, "本期劳动技能培训（次）", "trainings", 0, "劳动技能培训", 1, -1, GOAL_NONE, -1, NULL,
	  NULL, NULL },
	{ 17, "本期督查检查（次）", "inspections", 0, REPORT_L_TOTAL, 1, -1, GOAL_MIN, -1,
	  "不少于 %s 次", "inspections_min", NULL },
	{ 18, "信访和问题线索已查办（件）", "complaints", 0, REPORT_L_TOTAL, 3, 2, GOAL_ALL, -1,
	  TARGET_ALL, NULL, NULL },
	{ 19, "本期总结典型经验（条）", "cases", 0, REPORT_L_TOTAL, 1, -1, GOAL_MIN, -1,
	  "不少于 %s 条", "cases_min", NULL },
};
#define NINDICATORS (sizeof indicators / sizeof indicators[0])

/* The cell of the row of section key whose column key_col is label; NULL when
 * there is none or it is empty. */
static const struct report_cell *cell_of(const struct report *r, const char *key, size_t key_col,
					 const char *label, int col)
{
	const struct report_section *sec = report_find(r, key);
	if (sec == NULL || col < 0 || (size_t)col >= sec->ncolumns)
		return NULL;
	long row = report_row_of(sec, key_col, label);
	if (row < 0)
		return NULL;
	const struct report_cell *x = report_at(sec, (size_t)row, (size_t)col);
	return x->empty ? NULL : x;
}

/* Whether column col of section key is a rate. */
static int percent_column(const struct report *r, const char *key, int col)
{
	const struct report_section *sec = report_find(r, key);
	return sec != NULL && col >= 0 && (size_t)col < sec->ncolumns &&
	       sec->columns[col].type == REPORT_PERCENT;
}

/* One row of task figures. value/base NULL: empty; met: NULL, MET or NOT_MET. */
static void figure_row(struct report_section *sec, const char *task, const char *label,
		       const char *target, const struct report_cell *value,
		       const struct report_cell *base, const char *met)
{
	struct report_cell *row = report_add_row(sec);
	report_set_text(&row[TF_TASK], task);
	report_set_text(&row[TF_LABEL], label);
	report_set_text(&row[TF_TARGET], target);
	if (value != NULL)
		report_set_int(&row[TF_VALUE], value->num);
	if (base != NULL) {
		report_set_int(&row[TF_BASE], base->num);
		if (value != NULL)
			report_set_percent(&row[TF_RATE], value->num, base->num);
	}
	report_set_text(&row[TF_MET], met);
}

/* Whether an indicator is met (MET, NOT_MET, or NULL when it does not apply). */
static const char *verdict(const struct indicator *ind, const struct report_cell *value,
			   const struct report_cell *base, const struct report_cell *text,
			   long long min)
{
	switch (ind->goal) {
	case GOAL_MIN:
		if (value == NULL)
			return NULL;
		return value->num >= min ? MET : NOT_MET;
	case GOAL_NONE:
		return NULL;
	case GOAL_ALL:
		if (value == NULL || base == NULL || base->num == 0)
			return NULL;
		return value->num >= base->num ? MET : NOT_MET;
	case GOAL_ZERO:
		if (value == NULL)
			return NULL;
		return value->num == 0 ? MET : NOT_MET;
	case GOAL_TEXT:
		if (text == NULL || text->text == NULL)
			return NULL;
		if (strcmp(text->text, "达标") == 0)
			return MET;
		if (strcmp(text->text, "不足") == 0 || strcmp(text->text, "超出") == 0)
			return NOT_MET;
		return NULL;
	}
	return NULL;
}

/* The target text of ind into out, and its first policy number into *min. */
static int target_text(struct report_ctx *c, const struct indicator *ind, char *out, size_t cap,
		       long long *min, struct tz_error *err)
{
	out[0] = '\0';
	*min = 0;
	if (ind->target == NULL)
		return TZ_OK;
	if (ind->policy1 == NULL) {
		snprintf(out, cap, "%s", ind->target);
		return TZ_OK;
	}
	long long a = 0, b = 0;
	int rc = report_policy(c, ind->policy1, &a, err);
	if (rc == TZ_OK && ind->policy2 != NULL)
		rc = report_policy(c, ind->policy2, &b, err);
	if (rc != TZ_OK)
		return rc;
	*min = a;
	char sa[24], sb[24];
	snprintf(sa, sizeof sa, "%lld", a);
	snprintf(sb, sizeof sb, "%lld", b);
	snprintf(out, cap, ind->target, sa, sb);
	return TZ_OK;
}

static int build_task_figures(const struct report_section_def *d, struct report_ctx *c,
			      struct report_section *sec, struct tz_error *err)
{
	(void)d;
	const struct report_section *problems = report_find(c->r, "problems");
	const struct report_section *findings = report_find(c->r, "findings");
	if (problems == NULL || findings == NULL)
		return tz_error_set(err, TZ_EFAIL, "内部错误：任务指标需要先生成问题整改和精准核查两表");
	sqlite3_stmt *st;
	int rc = store_prepare(c->s, "SELECT task, task || '. ' || name FROM tasks ORDER BY task",
			       &st, "读取整改任务", err);
	if (rc != TZ_OK)
		return rc;
	int status = TZ_OK;
	while (status == TZ_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int task = sqlite3_column_int(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		for (size_t i = 0; i < NINDICATORS && status == TZ_OK; i++) {
			const struct indicator *ind = &indicators[i];
			if (ind->task != task)
				continue;
			char target[64];
			long long min;
			status = target_text(c, ind, target, sizeof target, &min, err);
			const struct report_cell *value = cell_of(c->r, ind->section, ind->key_col,
								  ind->row_label, ind->value_col);
			const struct report_cell *base = cell_of(c->r, ind->section, ind->key_col,
								 ind->row_label, ind->base_col);
			const struct report_cell *text = cell_of(c->r, ind->section, ind->key_col,
								 ind->row_label, ind->verdict_col);
			/* A rate's numerator and denominator as value and base (the
			 * visits of ended months only). */
			struct report_cell num, den;
			if (value != NULL && percent_column(c->r, ind->section, ind->value_col)) {
				num = (struct report_cell){ .num = value->num };
				value = &num;
			}
			if (base != NULL && percent_column(c->r, ind->section, ind->base_col)) {
				den = (struct report_cell){ .num = base->den };
				base = &den;
			}
			figure_row(sec, name, ind->label, ind->target ? target : NULL, value, base,
				   verdict(ind, value, base, text, min));
		}
		/* The precision checks of the task. */
		long long found = 0;
		int has_rules = 0;
		for (size_t r = 0; r < data_rows(findings); r++) {
			const struct report_cell *x = report_at(findings, r, FINDINGS_TASK);
			if (!x->empty && x->num == task) {
				has_rules = 1;
				found += report_at(findings, r, FINDINGS_COUNT)->num;
			}
		}
		if (has_rules) {
			struct report_cell n = { .num = found };
			figure_row(sec, name, L_FINDINGS, TARGET_NONE, &n, NULL,
				   found == 0 ? MET : NOT_MET);
		}
		/* Its problems, in their state on `to`. */
		long long all = 0, closed = 0, overdue = 0;
		for (size_t r = 0; r < data_rows(problems); r++) {
			if (report_task_number(report_at(problems, r, 1)) != task)
				continue;
			all += report_at(problems, r, 7)->num;
			closed += report_at(problems, r, 5)->num;
			overdue += report_at(problems, r, 8)->num;
		}
		struct report_cell n_all = { .num = all }, n_closed = { .num = closed },
				   n_open = { .num = all - closed }, n_overdue = { .num = overdue };
		figure_row(sec, name, L_PROBLEMS, NULL, &n_all, NULL, NULL);
		figure_row(sec, name, L_CLOSED, NULL, &n_closed, &n_all, NULL);
		figure_row(sec, name, L_OPEN, NULL, &n_open, &n_all, NULL);
		figure_row(sec, name, L_OVERDUE, TARGET_NONE, &n_overdue, NULL,
			   overdue == 0 ? MET : NOT_MET);
	}
	sqlite3_finalize(st);
	if (status != TZ_OK)
		return status;
	if (rc != SQLITE_DONE)
		return store_sqlite_error(c->s, rc, "读取整改任务", err);
	return TZ_OK;
}

const struct report_section_def report_task_figures = {
	.key = "task-figures",
	.title = "任务指标",
	REPORT_COLUMNS(task_figure_columns),
	.nkeys = 3,
	.note = "有“目标”的为考核指标：“达标”“未达标”为是否达到目标，空白为该村不适用"
		"（如非贫困村的致富带头人）；问题按期末状态计，逾期为期末未销号且过了整改期限。",
	.build = build_task_figures,
	.build_last = 1,
};

/* ---- the town's own sections ---- */

static void build_town_cover(struct town *t, struct report_section *sec)
{
	const struct report *r = t->out;
	report_section_new(sec, "cover", "封面", 2, 1, NULL);
	sec->flags = REPORT_SECTION_FORM;
	for (size_t c = 0; c < 2; c++)
		report_set_column(sec, c, report_cover.columns[c].title, report_cover.columns[c].type);
	struct vec_text names = { 0 };
	char count[32];
	snprintf(count, sizeof count, "%zu 个：", r->nvillages);
	vec_text_puts(&names, count);
	for (size_t v = 0; v < r->nvillages; v++) {
		if (v > 0)
			vec_text_puts(&names, "、");
		vec_text_puts(&names, r->villages[v].name);
	}
	report_cover_row(sec, "乡镇", r->village_name);
	report_cover_row(sec, "行政区划代码", r->village_code);
	report_cover_row(sec, "村（居）", names.text);
	report_cover_end(sec, r->from, r->to, r->generated_at, store_user(t->c.s),
			 "各表先列全镇合计，再每村一组，与各村自己的报表相同；合计为各村之和，"
			 "比例为各村分子之和除以分母之和，文字列为各种情况的村数；"
			 "干部走访、逾期问题按村依次列出。");
	free(names.text);
}

static const struct report_column_def task_columns[] = {
	{ "任务", REPORT_TEXT },
	{ "牵头单位", REPORT_TEXT },
	{ "参加单位", REPORT_TEXT },
	{ "问题（个）", REPORT_INT },
	{ "已销号", REPORT_INT },
	{ "未销号", REPORT_INT },
	{ "其中逾期", REPORT_INT },
	{ "考核指标（项）", REPORT_INT },
	{ "全镇达标（项）", REPORT_INT },
};

/* The 合计 value of the row of tf (joined task figures) for task and label. */
static long long town_value(const struct report_section *tf, const char *task, const char *label)
{
	for (size_t r = 0; r < tf->nrows; r++) {
		const struct report_cell *a = report_at(tf, r, TF_TASK), *b = report_at(tf, r, TF_LABEL);
		if (!a->empty && !b->empty && strcmp(a->text, task) == 0 && strcmp(b->text, label) == 0) {
			const struct report_cell *x = report_at(tf, r, tf->nkeys);
			return x->empty ? 0 : x->num;
		}
	}
	return 0;
}

/* Whether row r of tf (joined task figures) is an indicator that applies in
 * some village (*applies), and met by every village it applies to (*met). */
static void indicator_state(const struct report_section *tf, size_t r, size_t nv, int *applies,
			    int *met)
{
	size_t met_col = TF_MET - tf->nkeys; /* within a group */
	*applies = 0;
	*met = 1;
	for (size_t v = 1; v <= nv; v++) {
		const struct report_cell *x = report_at(tf, r, tf->nkeys + v * tf->group_ncolumns + met_col);
		if (x->empty || x->text == NULL)
			continue;
		*applies = 1;
		if (strcmp(x->text, MET) != 0)
			*met = 0;
	}
}

/* What build_tasks hands each task. */
struct tasks_row {
	struct town *t;
	const struct report_section *tf;
	struct report_section *sec;
};

/* The row of one task: its units, its problems and how its indicators stand. */
static int task_row(void *ctx, const struct report_task *k, struct tz_error *err)
{
	(void)err;
	const struct tasks_row *x = ctx;
	const struct report_section *tf = x->tf;
	char *task = xasprintf("%d. %s", k->task, k->name);
	struct report_cell *row = report_add_row(x->sec);
	report_set_text(&row[0], task);
	report_set_text(&row[1], k->leads);
	report_set_text(&row[2], k->participants);
	report_set_int(&row[3], town_value(tf, task, L_PROBLEMS));
	report_set_int(&row[4], town_value(tf, task, L_CLOSED));
	report_set_int(&row[5], town_value(tf, task, L_OPEN));
	report_set_int(&row[6], town_value(tf, task, L_OVERDUE));
	long long n = 0, met = 0;
	for (size_t r = 0; r < tf->nrows; r++) {
		const struct report_cell *a = report_at(tf, r, TF_TASK);
		const struct report_cell *target = report_at(tf, r, TF_TARGET);
		if (a->empty || strcmp(a->text, task) != 0 || target->empty)
			continue;
		int applies, ok;
		indicator_state(tf, r, x->t->out->nvillages, &applies, &ok);
		n += applies;
		met += applies && ok;
	}
	report_set_int(&row[7], n);
	report_set_int(&row[8], met);
	free(task);
	return TZ_OK;
}

static int build_tasks(struct town *t, const struct report_section *tf, struct report_section *sec,
		       struct tz_error *err)
{
	report_section_new(sec, "tasks", "整改任务", sizeof task_columns / sizeof task_columns[0], 1,
			   "每项任务一行：牵头、参加单位见实施方案；问题按期末状态计（镇派单和各村自查的都算）；"
			   "考核指标为各牵头单位表中有“目标”的指标，全镇达标为没有一个村未达到的指标。");
	for (size_t c = 0; c < sec->ncolumns; c++)
		report_set_column(sec, c, task_columns[c].title, task_columns[c].type);
	struct tasks_row x = { t, tf, sec };
	int rc = report_each_task(t->c.s, task_row, &x, err);
	if (rc != TZ_OK)
		return rc;
	report_add_total(sec);
	return TZ_OK;
}

/* The lead units (task_units role lead), in the order of the first task each
 * leads, then of its place among that task's leads. */
static int load_units(struct town *t, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(
		t->c.s,
		"SELECT u.code, u.name, tu.task FROM units u JOIN task_units tu ON tu.unit = u.code"
		" AND tu.role = 'lead'"
		" ORDER BY (SELECT min(x.task) FROM task_units x WHERE x.unit = u.code AND x.role = 'lead'),"
		" (SELECT x.sort FROM task_units x WHERE x.unit = u.code AND x.role = 'lead'"
		"  ORDER BY x.task LIMIT 1), u.code, tu.task",
		&st, "读取牵头单位", err);
	if (rc != TZ_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		int task = sqlite3_column_int(st, 2);
		if (t->nunits == 0 || strcmp(t->units[t->nunits - 1].code, code) != 0) {
			t->units = xreallocarray(t->units, t->nunits + 1, sizeof *t->units);
			t->units[t->nunits++] = (struct lead_unit){
				.code = xstrdup(code),
				.name = xstrdup((const char *)sqlite3_column_text(st, 1)),
			};
		}
		struct lead_unit *u = &t->units[t->nunits - 1];
		if (task >= 1 && task < 32)
			u->tasks |= 1UL << task;
		char *list = xasprintf("%s%s%d", u->task_list ? u->task_list : "",
				       u->task_list ? "、" : "", task);
		free(u->task_list);
		u->task_list = list;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(t->c.s, rc, "读取牵头单位", err);
	return TZ_OK;
}

/* The section of lead unit u: the rows of tf (joined task figures) of its tasks. */
static void build_unit(const struct lead_unit *u, const struct report_section *tf,
		       struct report_section *sec)
{
	char *title = xasprintf("%s牵头任务", u->name);
	char *note = xasprintf("%s牵头的任务：%s。有“目标”的为考核指标（“达标”“未达标”，空白为该村不适用），"
			       "合计列的是否达标为各种情况的村数；问题按期末状态计。",
			       u->name, u->task_list ? u->task_list : "");
	char *key = xasprintf("unit-%s", u->code);
	report_section_new(sec, key, title, tf->ncolumns, tf->nkeys, note);
	sec->key_owned = key;
	sec->group_ncolumns = tf->group_ncolumns;
	for (size_t c = 0; c < tf->ncolumns; c++)
		report_set_column(sec, c, tf->columns[c].title, tf->columns[c].type);
	for (size_t r = 0; r < tf->nrows; r++) {
		int task = report_task_number(report_at(tf, r, TF_TASK));
		if (task <= 0 || task >= 32 || !(u->tasks & (1UL << task)))
			continue;
		struct report_cell *row = report_add_row(sec);
		for (size_t c = 0; c < tf->ncolumns; c++)
			copy_cell(&row[c], report_at(tf, r, c), tf->columns[c].type);
	}
	free(title);
	free(note);
}

/* ---- the build ---- */

static int load_villages(struct town *t, struct tz_error *err)
{
	struct report *out = t->out;
	sqlite3_stmt *st;
	int rc = store_prepare(t->c.s,
			       "SELECT (SELECT value FROM store_meta WHERE key = 'name'),"
			       " code, name FROM villages WHERE code <> ?1 ORDER BY code",
			       &st, "读取各村", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, out->village_code, -1, SQLITE_STATIC);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->village_name == NULL)
			out->village_name = xstrdup((const char *)sqlite3_column_text(st, 0));
		struct report_village *v = VEC_PUSH(out->villages, out->nvillages, cap);
		snprintf(v->code, sizeof v->code, "%s", (const char *)sqlite3_column_text(st, 1));
		v->name = xstrdup((const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(t->c.s, rc, "读取各村", err);
	if (out->nvillages == 0)
		return tz_error_set(err, TZ_EFAIL,
				    "镇台账里还没有任何村的数据：各村的数据同步进来以后才能生成镇级汇总报表");
	return TZ_OK;
}

/* Every village's report, as report_build_village builds it, and its task
 * figures: a section at a time for all villages (report_build_sections_each
 * says why). */
static int build_villages(struct town *t, struct tz_error *err)
{
	const struct report *out = t->out;
	struct report_ctx *cs = xcalloc(out->nvillages ? out->nvillages : 1, sizeof *cs);
	for (size_t v = 0; v < out->nvillages; v++) {
		struct report *vr = &t->vr[v];
		snprintf(vr->village_code, sizeof vr->village_code, "%s", out->villages[v].code);
		vr->village_name = xstrdup(out->villages[v].name);
		memcpy(vr->from, out->from, sizeof vr->from);
		memcpy(vr->to, out->to, sizeof vr->to);
		memcpy(vr->generated_at, out->generated_at, sizeof vr->generated_at);
		struct report_ctx *c = &cs[v];
		*c = (struct report_ctx){ .s = t->c.s, .stmts = &t->stmts, .village = vr->village_code,
					  .r = vr, .findings = &t->findings,
					  .one_thread = t->c.one_thread, .reader = t->c.reader,
					  .changes = report_changes_of(t->c.town_changes,
								       vr->village_code) };
		memcpy(c->from, t->c.from, sizeof c->from);
		memcpy(c->to, t->c.to, sizeof c->to);
		c->cutoff = t->c.cutoff != NULL ? c->to : NULL;
	}
	int rc = report_build_sections_each(cs, out->nvillages, t->defs, t->ndefs, err);
	free(cs);
	return rc;
}

/* Section d built over the whole store (the town's context), into sec. */
static int build_whole(struct town *t, const struct report_section_def *d,
		       struct report_section *sec, struct tz_error *err)
{
	struct report whole = { 0 };
	struct report_ctx c = t->c;
	c.r = &whole;
	int rc = report_build_sections(&c, &d, 1, err);
	if (rc == TZ_OK) {
		*sec = whole.sections[0];
		whole.nsections = 0;
	}
	report_free(&whole);
	return rc;
}

/* The town report from the villages' reports. */
static int assemble(struct town *t, struct tz_error *err)
{
	static const char *const middle[] = {
		"households", "changes", "members", "procedures", "four-lists", "sectors",
		"visits", "staffing", "projects", "marginal", "complaints", "trainings",
		"inspections", "cases", "problems", "overdue", "findings",
	};
	size_t nmiddle = sizeof middle / sizeof middle[0];
	struct report *out = t->out;
	out->sections = xcalloc((7 + nmiddle + t->nunits), sizeof *out->sections);
	build_town_cover(t, next_section(t));
	int rc = join_section(t, def_index(t, "summary"), next_section(t), err);
	/* The task figures are joined apart: the tasks and units are made of them. */
	struct report_section tf = { 0 };
	if (rc == TZ_OK)
		rc = join_section(t, def_index(t, "task-figures"), &tf, err);
	size_t tasks_at = out->nsections;
	if (rc == TZ_OK)
		rc = build_tasks(t, &tf, next_section(t), err);
	for (size_t i = 0; rc == TZ_OK && i < nmiddle; i++) {
		size_t k = def_index(t, middle[i]);
		switch (t->defs[k]->town) {
		case REPORT_TOWN_JOIN:
			rc = join_section(t, k, next_section(t), err);
			break;
		case REPORT_TOWN_STACK:
			stack_section(t, k, next_section(t));
			break;
		case REPORT_TOWN_ONCE:
			copy_section(t, k, next_section(t));
			break;
		case REPORT_TOWN_NONE:
			break;
		}
	}
	for (size_t u = 0; rc == TZ_OK && u < t->nunits; u++)
		build_unit(&t->units[u], &tf, next_section(t));
	if (rc == TZ_OK)
		copy_section(t, def_index(t, "deadlines"), next_section(t));
	if (rc == TZ_OK) /* report_units.c: the villages' deliverables, the units' sheets */
		stack_section(t, def_index(t, "deliverables"), next_section(t));
	if (rc == TZ_OK)
		rc = build_whole(t, &report_unit_sheets, next_section(t), err);
	/* The page to sign ends it; each task's own section goes after the tasks'
	 * overview, made of the sections above, so built last and moved into place. */
	if (rc == TZ_OK)
		report_signoff(out, next_section(t));
	if (rc == TZ_OK)
		rc = report_insert_tasks(t->c.s, out, &tf, tasks_at + 1, err);
	report_section_free(&tf);
	return rc;
}

static void town_free(struct town *t)
{
	for (size_t v = 0; t->vr != NULL && v < t->out->nvillages; v++)
		report_free(&t->vr[v]);
	free(t->vr);
	free(t->defs);
	findings_free(&t->findings);
	for (size_t u = 0; u < t->nunits; u++) {
		free(t->units[u].code);
		free(t->units[u].name);
		free(t->units[u].task_list);
	}
	free(t->units);
}

int report_build_town(struct store *s, const struct report_options *o, struct report *out,
		      struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	const struct keyring *kr = store_keyring(s);
	if (kr->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EFAIL,
				    "这是村级台账：镇级汇总报表在镇扶贫办的镇台账中生成，村级台账只能生成本村报表");
	struct town t = { .c = { .s = s, .village = kr->division_code, .r = out }, .out = out };
	out->town = 1;
	snprintf(out->village_code, sizeof out->village_code, "%s", kr->division_code);
	int rc = report_resolve_period(o, &t.c, out, err);
	if (rc != TZ_OK)
		return rc;
	/* The villages' sections, but the units' sheets: the town's are of the
	 * whole store (assemble), and no village's is shown or read (40 of them
	 * took 0.7 s at a county). */
	t.defs = xcalloc(report_village_nsections + 1, sizeof *t.defs);
	for (size_t i = 0; i < report_village_nsections; i++)
		if (report_village_sections[i] != &report_unit_sheets)
			t.defs[t.ndefs++] = report_village_sections[i];
	t.defs[t.ndefs++] = &report_task_figures;

	sqlite3 *db = store_db(s);
	int own_tx = sqlite3_get_autocommit(db);
	if (own_tx && (rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
		free(t.defs);
		return store_sqlite_error(s, rc, "开始读取", err);
	}
	/* Every village's pages are read by several sections and the checks. */
	long long cache = store_cache_raise(s, STORE_BULK_CACHE_KIB);
	rc = load_villages(&t, err);
	if (rc == TZ_OK && out->village_name == NULL)
		out->village_name = xstrdup(out->village_code);
	if (rc == TZ_OK)
		rc = load_units(&t, err);
	if (rc == TZ_OK) {
		struct rules_options ro = { .as_of = t.c.to, .one_thread = t.c.one_thread };
		rc = rules_check(s, &ro, &t.findings, err);
	}
	if (rc == TZ_OK)
		rc = report_town_reader(&t.c, err);
	if (rc == TZ_OK)
		t.vr = xcalloc(out->nvillages, sizeof *t.vr);
	if (rc == TZ_OK)
		rc = build_villages(&t, err);
	report_stmts_free(&t.stmts);
	if (rc == TZ_OK)
		rc = assemble(&t, err);
	report_town_reader_close(&t.c);
	report_households_drop(&t.c);
	if (own_tx)
		sqlite3_exec(db, rc == TZ_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	store_cache_restore(s, cache);
	town_free(&t);
	return rc;
}
