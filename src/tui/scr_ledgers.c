/*
 * scr_ledgers.c — the ledgers that do not belong to one household (staff,
 * business leaders and bases, trainings, complaints, typical cases, the project
 * library, cadres and 双包, marginal households ...): a catalogue, and a list
 * screen for any of them built from its form — the form's list columns are the
 * columns shown. F3 adds, Enter edits; projects also move through their
 * approval stages here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/project.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_internal.h"

static const char *const catalogue[] = {
	"projects", "project_monitoring", "staff", "business_leaders", "training_bases",
	"trainings", "complaints", "typical_cases", "inspections", "cadres", "unit_assignments",
	"cadre_assignments", "visits", "marginal_households", "marginal_measures",
	"villager_groups",
};
#define NCATALOGUE (sizeof catalogue / sizeof catalogue[0])

/* ---- one ledger ---- */

struct ledger {
	const struct form *f;
	struct browse_row *rows;
	size_t n, pick, top;
};

static size_t list_columns(const struct form *f, const char **columns)
{
	size_t n = 0;
	if (strcmp(f->table->table, "projects") == 0)
		columns[n++] = "stage:project_stage"; /* moved with F6 / F7, not entered */
	for (size_t i = 0; i < f->nlist && n < BROWSE_MAX_COLUMNS; i++)
		if (f->fields[f->list[i]].column != NULL)
			columns[n++] = f->fields[f->list[i]].column;
	if (n == 0)
		for (size_t i = 0; i < f->nfields && n < 4; i++)
			if (f->fields[i].column != NULL)
				columns[n++] = f->fields[i].column;
	return n;
}

static void load(struct tui *t, void *st)
{
	struct ledger *l = st;
	struct tz_error err;
	const char *columns[BROWSE_MAX_COLUMNS];
	size_t nc = list_columns(l->f, columns);
	browse_rows_free(l->rows, l->n);
	l->rows = NULL;
	l->n = 0;
	if (browse_children(t->s, l->f->table, NULL, columns, nc, &l->rows, &l->n, &err) != TZ_OK)
		tui_say(t, 1, "%s", err.msg);
	if (l->pick >= l->n)
		l->pick = l->n ? l->n - 1 : 0;
}

static void draw(struct tui *t, void *p)
{
	struct ledger *l = p;
	const char *columns[BROWSE_MAX_COLUMNS];
	size_t nc = list_columns(l->f, columns);
	int widths[BROWSE_MAX_COLUMNS], fixed = 0, nflex = 0;
	for (size_t c = 0; c < nc; c++) {
		const struct field_def *fd = model_field(l->f->table, columns[c]);
		enum field_type ty = fd ? fd->type : FIELD_ENUM;
		widths[c] = ty == FIELD_INT || ty == FIELD_BOOL ? 8
			    : ty == FIELD_DATE || ty == FIELD_MONEY || ty == FIELD_ENUM ? 13
			    : ty == FIELD_PHONE ? 13 : ty == FIELD_IDCARD ? 20 : 0;
		fixed += widths[c];
		nflex += widths[c] == 0;
	}
	for (size_t c = 0; c < nc; c++)
		if (widths[c] == 0)
			widths[c] = nflex ? (t->cols - 4 - fixed) / nflex : 10;
	const char *headers[BROWSE_MAX_COLUMNS];
	for (size_t c = 0; c < nc; c++) {
		const struct field_def *fd = model_field(l->f->table, columns[c]);
		headers[c] = fd ? fd->label : "审批环节";
	}
	tui_put(TUI_TOP, 2, l->f->help ? l->f->help : "", t->cols - 4);
	int y = tui_draw_table(t, TUI_TOP + 2, headers, widths, nc, l->rows, l->n, l->pick, &l->top);
	if (l->n == 0)
		tui_put(y, 2, "（还没有记录，按 F3 新增）", t->cols - 4);
	move(l->n ? y + (int)(l->pick - l->top) : y, 2);
}

static void move_project(struct tui *t, struct ledger *l, int reject)
{
	static const char *const next[][2] = {
		{ "村申请", "town_review" }, { "镇初审", "dept_review" }, { "部门审核", "approved" },
	};
	struct record r;
	struct tz_error err;
	if (l->n == 0 || record_load(t->s, l->f->table, l->rows[l->pick].id, &r, &err) != TZ_OK)
		return;
	record_free(&r);
	/* The stage is not an entered field: ask the model to move it. */
	char note[400] = "";
	if (!tui_prompt(t, reject ? "未通过的原因：" : "审批意见（可不填）：", note, sizeof note))
		return;
	int rc = TZ_EFAIL;
	if (reject) {
		rc = project_move(t->s, l->rows[l->pick].id, "rejected", NULL, note, &err);
	} else {
		for (size_t i = 0; i < sizeof next / sizeof next[0] && rc != TZ_OK; i++)
			rc = project_move(t->s, l->rows[l->pick].id, next[i][1], NULL, note[0] ? note : NULL, &err);
	}
	if (rc != TZ_OK)
		tui_say(t, 1, "%s", err.msg);
	else
		tui_say(t, 0, "已登记审批。");
	load(t, l);
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct ledger *l = p;
	int is_projects = strcmp(l->f->table->table, "projects") == 0;
	if (tui_list_key(k, &l->pick, l->n, t->rows - 3 - (TUI_TOP + 3)))
		return TUI_STAY;
	if (k.is_code && k.ch == KEY_F(3))
		screen_form_push(t, l->f->table->table, NULL, NULL, NULL);
	else if (k.is_code && k.ch == KEY_F(6) && is_projects)
		move_project(t, l, 0);
	else if (k.is_code && k.ch == KEY_F(7) && is_projects)
		move_project(t, l, 1);
	else if (tui_is_enter(k) &&
		 l->n > 0)
		screen_form_push(t, l->f->table->table, l->rows[l->pick].id, NULL, NULL);
	return TUI_STAY;
}

static void destroy(void *p)
{
	struct ledger *l = p;
	browse_rows_free(l->rows, l->n);
	free(l);
}

static const char *title_of(void *p)
{
	return ((struct ledger *)p)->f->title;
}

static const struct screen_ops ledger_ops = {
	.title = "台账",
	.keys = " F1 帮助  上下键 选择  Enter 修改  F3 新增  F6 报下一环节(项目)  Esc 返回",
	.help = "列出这本台账的全部记录，最新的在前。\n"
		"按 Enter 修改选中的记录，按 F3 新增一条。\n"
		"项目库中，F6 把项目报到下一审批环节（村申请、镇初审、部门审核、\n"
		"领导组审定），F7 登记未通过。",
	.title_of = title_of, .draw = draw, .key = key, .resume = load, .destroy = destroy,
};

static int ledger_push(struct tui *t, const char *table)
{
	const struct form *f = form_set_for_table(&t->forms, table);
	if (f == NULL) {
		tui_say(t, 1, "没有“%s”的表单", table);
		return -1;
	}
	struct ledger *l = xcalloc(1, sizeof *l);
	l->f = f;
	return tui_push_loaded(t, &ledger_ops, l, load);
}

/* ---- the catalogue ---- */

struct catalogue_screen {
	size_t pick;
};

static void draw_catalogue(struct tui *t, void *p)
{
	struct catalogue_screen *c = p;
	tui_put(TUI_TOP, 2, "选择要查看或登记的台账：", t->cols - 4);
	int y = TUI_TOP + 2;
	for (size_t i = 0; i < NCATALOGUE && y + (int)i < t->rows - 3; i++) {
		const struct form *f = form_set_for_table(&t->forms, catalogue[i]);
		char line[160];
		snprintf(line, sizeof line, "%-3zu %s", i + 1, f ? f->title : catalogue[i]);
		if (i == c->pick)
			attron(tui_attr_select(t));
		tui_put_padded(y + (int)i, 2, line, 40);
		if (i == c->pick)
			attroff(tui_attr_select(t));
	}
	move(y + (int)c->pick, 2);
}

static int key_catalogue(struct tui *t, void *p, struct tui_key k)
{
	struct catalogue_screen *c = p;
	if (k.is_code && k.ch == KEY_UP && c->pick > 0)
		c->pick--;
	else if (k.is_code && k.ch == KEY_DOWN && c->pick + 1 < NCATALOGUE)
		c->pick++;
	else if (tui_is_enter(k))
		ledger_push(t, catalogue[c->pick]);
	return TUI_STAY;
}

static const struct screen_ops catalogue_ops = {
	.title = "其他台账",
	.keys = " F1 帮助  上下键 选择  Enter 打开  Esc 返回",
	.help = "项目库、工作室人员、致富带头人和培训基地、业务培训、信访和问题线索、\n"
		"典型经验、帮扶责任人和双包、走访记录、边缘户等台账都在这里。\n"
		"用上下键选择，按 Enter 打开。",
	.draw = draw_catalogue, .key = key_catalogue, .destroy = free,
};

int screen_ledgers_push(struct tui *t)
{
	return tui_push(t, &catalogue_ops, xcalloc(1, sizeof(struct catalogue_screen)));
}
