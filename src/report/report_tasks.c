/*
 * report_tasks.c — the part of the township report the leadership group reads
 * task by task and signs: one section per task of the seed's 19 (二、目标任务
 * and 三、主要内容), headed "任务N" and the task's wording from the tasks table,
 * and the sign-off page at the end. A village report has the same sections
 * for the village alone (its own figures, itself when it misses a target),
 * after its summary; it has no sign-off page.
 *
 * A task's section is made of what the rest of the town report already holds,
 * never of the store's ledgers again, so that its figures are the other
 * sections' own:
 *   - every row the task figures have for the task (report_town.c: its
 *     indicators, the findings of its precision rules, its problems), with the
 *     target, the town's figure (合计: the villages' sums, a rate of summed
 *     numerators and denominators), and the villages that miss the target
 *     (their own verdict 未达标). For the task's overdue problems the units
 *     responsible are named instead, with the village and how many, from the
 *     overdue problems section;
 *   - for tasks 3 and 8 (funds, the project library) the money: the projects'
 *     funds and what monitoring says was spent, from the projects section's
 *     合计 row.
 * The note says which units lead the task and which take part (task_units).
 * What the town itself keeps, which no village's section counts (its own
 * trainings, complaints and cases, inspections of its units), is read from the
 * store for tasks 12, 17, 18 and 19 as rows "镇本级…" of the township report.
 *
 * The sign-off page is a form: who drew the report up (镇扶贫办), who reviewed
 * it (审核人) and who approved it for the leadership group (审定人), each with a
 * line to sign and a date to write by hand; a page of its own when printed.
 *
 * Deliberately not here: the figures themselves (the other files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const struct report_column_def task_columns[] = {
	{ "指标", REPORT_TEXT },
	{ "目标", REPORT_TEXT },
	{ "实际（全镇）", REPORT_INT },
	{ "基数", REPORT_INT },
	{ "比例", REPORT_PERCENT },
	{ "金额（元）", REPORT_MONEY },
	{ "未达到目标的村（居）或责任单位", REPORT_TEXT },
};
enum { C_LABEL, C_TARGET, C_VALUE, C_BASE, C_RATE, C_MONEY, C_MISSING };

#define ALL_MET "无（全部达到）"

int report_task_number(const struct report_cell *x)
{
	if (x->empty || x->text == NULL)
		return 0;
	char *end;
	long t = strtol(x->text, &end, 10);
	return end != x->text && *end == '.' && t >= 1 && t <= REPORT_NTASKS ? (int)t : 0;
}

/* The villages of r whose verdict in row of tf is 未达标, joined with "、" (a
 * village report: the village itself, its own verdict); ALL_MET when the target
 * applies somewhere and nobody misses it; NULL when it applies nowhere. Caller
 * frees. */
static char *missing_villages(const struct report *r, const struct report_section *tf, size_t row)
{
	struct vec_text b = { 0 };
	int applies = 0;
	size_t met_col = REPORT_TF_MET - tf->nkeys;
	size_t n = r->town ? r->nvillages : 1;
	for (size_t v = 0; v < n; v++) {
		const struct report_cell *x =
			r->town ? report_at(tf, row, tf->nkeys + (v + 1) * tf->group_ncolumns + met_col)
				: report_at(tf, row, REPORT_TF_MET);
		if (x->empty || x->text == NULL)
			continue;
		applies = 1;
		if (strcmp(x->text, REPORT_NOT_MET) != 0)
			continue;
		if (b.text != NULL)
			vec_text_puts(&b, "、");
		vec_text_puts(&b, r->town ? r->villages[v].name : r->village_name);
	}
	if (b.text == NULL && applies)
		return xstrdup(ALL_MET);
	return b.text;
}

/* The village of row i of the overdue section (the town's stacks the villages'
 * with the village first; a village's is its own). */
static const char *overdue_village(const struct report *r, const struct report_section *od,
				   size_t i)
{
	if (!r->town)
		return r->village_name;
	const struct report_cell *x = report_at(od, i, 0);
	return x->empty ? "" : x->text;
}

/* The units responsible for task's overdue problems, from the overdue section
 * ([村（居）,] 问题, 方面, 任务, 责任单位, ...): "镇卫生院（示范村）2 个、…";
 * ALL_MET when there are none. Caller frees. */
static char *overdue_units(const struct report *r, int task)
{
	const struct report_section *od = report_find(r, "overdue");
	size_t off = r->town ? 1 : 0, task_col = 2 + off, unit_col = 3 + off;
	if (od == NULL || od->ncolumns <= unit_col)
		return xstrdup(ALL_MET);
	size_t n = od->nrows - (od->nrows > 0 && (od->flags & REPORT_SECTION_TOTAL));
	struct vec_text b = { 0 };
	char *done = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *t = report_at(od, i, task_col);
		if (done[i] || t->empty || t->num != task)
			continue;
		const struct report_cell *unit = report_at(od, i, unit_col);
		const char *vname = overdue_village(r, od, i);
		const char *uname = unit->empty ? "" : unit->text;
		size_t count = 0;
		for (size_t j = i; j < n; j++) {
			const struct report_cell *tj = report_at(od, j, task_col),
						 *uj = report_at(od, j, unit_col);
			if (!done[j] && !tj->empty && tj->num == task &&
			    strcmp(overdue_village(r, od, j), vname) == 0 &&
			    strcmp(uj->empty ? "" : uj->text, uname) == 0) {
				done[j] = 1;
				count++;
			}
		}
		/* A village's own problem names the village once. */
		char *item = strcmp(uname, vname) == 0
				     ? xasprintf("%s%s %zu 个", b.text ? "、" : "", uname, count)
				     : xasprintf("%s%s（%s）%zu 个", b.text ? "、" : "", uname, vname,
						 count);
		vec_text_puts(&b, item);
		free(item);
	}
	free(done);
	return b.text != NULL ? b.text : xstrdup(ALL_MET);
}

/* The 合计 money of column col (within a group) of the projects section's
 * total row; *found 0 when there is none. */
static long long project_money(const struct report *r, size_t col, int *found)
{
	const struct report_section *pj = report_find(r, "projects");
	*found = 0;
	if (pj == NULL || pj->nrows == 0 || !(pj->flags & REPORT_SECTION_TOTAL))
		return 0;
	const struct report_cell *x = report_at(pj, pj->nrows - 1, pj->nkeys + col);
	if (x->empty)
		return 0;
	*found = 1;
	return x->num;
}

/* The money rows of tasks 3 and 8. */
static void money_rows(const struct report *r, int task, struct report_section *sec)
{
	int have_funds, have_spent;
	long long funds = project_money(r, 1, &have_funds); /* 资金规模 */
	long long spent = project_money(r, 2, &have_spent); /* 已支出 */
	if (!have_funds)
		return;
	struct report_cell *row = report_add_row(sec);
	report_set_text(&row[C_LABEL], task == 3 ? "项目资金规模（元）" : "项目库资金规模（元）");
	report_set_int(&row[C_MONEY], funds);
	if (task != 3 || !have_spent)
		return;
	row = report_add_row(sec);
	report_set_text(&row[C_LABEL], "已支出资金（元，绩效执行监控）");
	report_set_int(&row[C_MONEY], spent);
	report_set_percent(&row[C_RATE], spent, funds);
}

/* The town's own rows (owner: the town), which no village's section counts:
 * trainings it held, inspections of its units (no village named), complaints
 * and leads it received, typical cases it wrote up. ?1 the town's code, ?2
 * and ?3 the period; a value and a base (NULL: none). */
static const struct {
	int task;
	const char *label;
	const char *sql;
} town_own[] = {
	{ 12, "镇本级举办业务培训（次）",
	  "SELECT count(*), NULL FROM trainings WHERE owner = ?1 AND held_on BETWEEN ?2 AND ?3" },
	{ 17, "镇直单位接受督查检查（次）",
	  "SELECT count(*), NULL FROM inspections WHERE village_code IS NULL"
	  " AND inspected_on BETWEEN ?2 AND ?3" },
	{ 18, "镇本级受理的信访和问题线索已查办（件）",
	  "SELECT count(CASE WHEN state <> 'received' OR (state = 'concluded' AND closed_on <= ?3)"
	  " THEN 1 END), count(*) FROM complaints WHERE owner = ?1 AND received_on <= ?3" },
	{ 19, "镇本级总结典型经验（条）",
	  "SELECT count(*), NULL FROM typical_cases WHERE owner = ?1"
	  " AND recorded_on BETWEEN ?2 AND ?3" },
};

/* The rows of town_own for task into sec (a town report only). */
static int town_own_rows(struct store *s, const struct report *r, int task,
			 struct report_section *sec, struct tz_error *err)
{
	for (size_t i = 0; r->town && i < sizeof town_own / sizeof town_own[0]; i++) {
		if (town_own[i].task != task)
			continue;
		sqlite3_stmt *st;
		int rc = store_prepare(s, town_own[i].sql, &st, "读取镇本级台账", err);
		if (rc != TZ_OK)
			return rc;
		sqlite3_bind_text(st, 1, r->village_code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->to, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			struct report_cell *row = report_add_row(sec);
			report_set_text(&row[C_LABEL], town_own[i].label);
			long long value = sqlite3_column_int64(st, 0);
			report_set_int(&row[C_VALUE], value);
			if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
				long long base = sqlite3_column_int64(st, 1);
				report_set_int(&row[C_BASE], base);
				report_set_percent(&row[C_RATE], value, base);
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return store_sqlite_error(s, rc, "读取镇本级台账", err);
	}
	return TZ_OK;
}

/* One task's section. */
static int build_task(struct store *s, const struct report *r, const struct report_section *tf,
		      int task, const char *name, const char *leads, const char *participants,
		      struct report_section *sec, struct tz_error *err)
{
	char *key = xasprintf("task-%d", task);
	char *title = xasprintf("任务%d %s", task, name);
	char *note = xasprintf("牵头责任单位：%s；主要参加单位：%s。%s；有目标的指标列出未达到的村"
			       "（居），逾期问题列出责任单位（村）和个数；问题按期末状态计。",
			       leads ? leads : "", participants ? participants : "",
			       r->town ? "实际为全镇合计（各村之和，比例为各村分子之和除以分母之和）"
				       : "实际为本村的数");
	report_section_new(sec, key, title, sizeof task_columns / sizeof task_columns[0], 1, note);
	sec->key_owned = key;
	free(title);
	free(note);
	for (size_t c = 0; c < sec->ncolumns; c++)
		report_set_column(sec, c, c == C_VALUE && !r->town ? "实际" : task_columns[c].title,
				  task_columns[c].type);
	size_t g0 = tf->nkeys; /* the 合计 group (a village's: its own figures) */
	for (size_t row = 0; row < tf->nrows; row++) {
		if (report_task_number(report_at(tf, row, REPORT_TF_TASK)) != task)
			continue;
		const struct report_cell *label = report_at(tf, row, REPORT_TF_LABEL);
		const struct report_cell *target = report_at(tf, row, REPORT_TF_TARGET);
		const struct report_cell *value = report_at(tf, row, g0);
		const struct report_cell *base = report_at(tf, row, g0 + 1);
		const struct report_cell *rate = report_at(tf, row, g0 + 2);
		struct report_cell *out = report_add_row(sec);
		report_set_text(&out[C_LABEL], label->empty ? NULL : label->text);
		report_set_text(&out[C_TARGET], target->empty ? NULL : target->text);
		if (!value->empty)
			report_set_int(&out[C_VALUE], value->num);
		if (!base->empty)
			report_set_int(&out[C_BASE], base->num);
		if (!rate->empty)
			report_set_percent(&out[C_RATE], rate->num, rate->den);
		char *missing = NULL;
		if (!label->empty && strcmp(label->text, REPORT_L_TASK_OVERDUE) == 0)
			missing = overdue_units(r, task);
		else if (!target->empty)
			missing = missing_villages(r, tf, row);
		report_set_text(&out[C_MISSING], missing);
		free(missing);
	}
	if (task == 3 || task == 8)
		money_rows(r, task, sec);
	return town_own_rows(s, r, task, sec, err);
}

/* The names of the units of task t (alias of tasks) in role ('lead',
 * 'participant'), in the implementation plan's order, joined with "、". */
#define TASK_UNITS(role) \
	"(SELECT group_concat(name, '、') FROM (SELECT u.name FROM task_units tu" \
	"  JOIN units u ON u.code = tu.unit WHERE tu.task = t.task AND tu.role = '" role "'" \
	"  ORDER BY tu.sort))"

int report_each_task(struct store *s, int (*each)(void *ctx, const struct report_task *t,
						  struct tz_error *err),
		     void *ctx, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s,
			       "SELECT t.task, t.name, " TASK_UNITS("lead") ", "
			       TASK_UNITS("participant") " FROM tasks t ORDER BY t.task",
			       &st, "读取整改任务", err);
	if (rc != TZ_OK)
		return rc;
	int status = TZ_OK;
	while (status == TZ_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct report_task t = {
			.task = sqlite3_column_int(st, 0),
			.name = (const char *)sqlite3_column_text(st, 1),
			.leads = (const char *)sqlite3_column_text(st, 2),
			.participants = (const char *)sqlite3_column_text(st, 3),
		};
		status = each(ctx, &t, err);
	}
	sqlite3_finalize(st);
	if (status != TZ_OK)
		return status;
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取整改任务", err);
	return TZ_OK;
}

/* What report_task_sections hands each task. */
struct task_sections {
	struct store *s;
	const struct report *r;
	const struct report_section *tf;
	struct report_section *secs;
	size_t cap, *n;
};

static int task_section(void *ctx, const struct report_task *t, struct tz_error *err)
{
	struct task_sections *k = ctx;
	if (*k->n == k->cap)
		return TZ_OK;
	return build_task(k->s, k->r, k->tf, t->task, t->name, t->leads, t->participants,
			  &k->secs[(*k->n)++], err);
}

int report_task_sections(struct store *s, const struct report *r, const struct report_section *tf,
			 struct report_section *secs, size_t cap, size_t *n, struct tz_error *err)
{
	*n = 0;
	struct task_sections k = { s, r, tf, secs, cap, n };
	return report_each_task(s, task_section, &k, err);
}

int report_insert_tasks(struct store *s, struct report *r, struct report_section *tf,
			size_t at, struct tz_error *err)
{
	struct report_section tasks[REPORT_NTASKS];
	memset(tasks, 0, sizeof tasks);
	size_t n = 0;
	int rc = report_task_sections(s, r, tf, tasks, REPORT_NTASKS, &n, err);
	if (rc != TZ_OK) {
		for (size_t i = 0; i < n; i++)
			report_section_free(&tasks[i]);
		return rc;
	}
	r->sections = xreallocarray(r->sections, r->nsections + n, sizeof *r->sections);
	memmove(&r->sections[at + n], &r->sections[at], (r->nsections - at) * sizeof *r->sections);
	memcpy(&r->sections[at], tasks, n * sizeof *tasks);
	r->nsections += n;
	return TZ_OK;
}

int report_village_tasks(struct store *s, struct report *r, struct tz_error *err)
{
	size_t k = 0;
	while (k < r->nsections && strcmp(r->sections[k].key, report_task_figures.key) != 0)
		k++;
	if (k == r->nsections)
		return tz_error_set(err, TZ_EFAIL, "内部错误：村级报表没有任务指标");
	struct report_section tf = r->sections[k];
	memmove(&r->sections[k], &r->sections[k + 1], (r->nsections - k - 1) * sizeof *r->sections);
	r->nsections--;
	size_t at = 0;
	while (at < r->nsections && strcmp(r->sections[at].key, "summary") != 0)
		at++;
	int rc = report_insert_tasks(s, r, &tf, at < r->nsections ? at + 1 : r->nsections, err);
	report_section_free(&tf);
	return rc;
}

/* ---- the sign-off page ---- */

#define SIGN_LINE "__________________  日期：____年__月__日"

void report_signoff(const struct report *r, struct report_section *sec)
{
	report_section_new(sec, "signoff", "审核签字", 2, 1,
			   "本页随报表打印，签字后与报表一并由镇扶贫办存档，汇总上报镇扶贫开发领导小组"
			   "（实施方案四、工作要求）。");
	sec->flags = REPORT_SECTION_FORM | REPORT_SECTION_PAGE;
	report_set_column(sec, 0, "项目", REPORT_TEXT);
	report_set_column(sec, 1, "内容", REPORT_TEXT);
	char *title = report_title(r);
	char *what = xasprintf("%s（%s 至 %s，%zu 个村（居））", title, r->from, r->to, r->nvillages);
	report_cover_row(sec, "报表", what);
	free(what);
	free(title);
	report_cover_row(sec, "生成时间", r->generated_at);
	report_cover_row(sec, "编制单位", "镇扶贫办");
	report_cover_row(sec, "编制人", SIGN_LINE);
	report_cover_row(sec, "审核意见", "");
	report_cover_row(sec, "审核人（镇扶贫办负责人）", SIGN_LINE);
	report_cover_row(sec, "审定意见", "");
	report_cover_row(sec, "审定人（镇扶贫开发领导小组组长）", SIGN_LINE);
}
