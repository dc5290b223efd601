/*
 * scr_ledgers.c — the ledgers that do not belong to one household, on two
 * shelves (menus): 村级台账 (groups, staff, cadres and 双包, visits, the project
 * library, business leaders and bases, trainings, marginal households) and
 * 攻坚任务 (the problem ledger, the deadlines, the precision checks,
 * complaints, typical cases, inspections — and the deliverables screen's
 * slot); and a list
 * screen for any ledger built from its form — the form's list columns are the
 * columns shown. F3 adds, Enter edits; projects also move through their
 * approval stages here (F6, F7: offered on the project library only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/project.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

/* ---- one ledger ---- */

struct ledger {
	const struct form *f;
	struct browse_row *rows;
	size_t n, pick, top;
	int visible; /* the rows of the table shown when last drawn: its page */
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
	tui_say_failure(t, browse_children(t->s, l->f->table, NULL, columns, nc, &l->rows, &l->n, &err),
			&err);
	tui_select_saved(t, l->rows, l->n, &l->pick);
	tui_list_clamp(&l->pick, l->n);
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
	l->visible = tui_draw_table(t, TUI_TOP + 2, headers, widths, nc, l->rows, l->n, l->pick,
				    &l->top, "（还没有记录，按 F3 新增）");
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
	if (tui_list_key(k, &l->pick, l->n, l->visible))
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

TUI_DESTROY_LIST(destroy, ledger, browse_rows_free, rows, n)

static const char *title_of(void *p)
{
	return ((struct ledger *)p)->f->title;
}

/* A ledger's faces: any ledger, and the projects' with their review steps;
 * one set of functions. */
enum { LEDGER_ANY, LEDGER_PROJECTS };
#define LEDGER_FUNCTIONS .title_of = title_of, .draw = draw, .key = key, .resume = load, .destroy = destroy
static const struct screen_ops ledger_faces[] = {
	[LEDGER_ANY] = TUI_SCREEN_OPS("台账", " F1 帮助  上下键 选择  Enter 修改  F3 新增  Esc 返回",
		ledgers_ledger, LEDGER_FUNCTIONS),
	[LEDGER_PROJECTS] = TUI_SCREEN_OPS("台账",
		" F1 帮助  上下键 选择  Enter 修改  F3 新增  F6 报下一环节  F7 未通过  Esc 返回", ledgers_project,
		LEDGER_FUNCTIONS),
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
	return tui_push_loaded(t, &ledger_faces[strcmp(table, "projects") == 0 ? LEDGER_PROJECTS : LEDGER_ANY], l, load);
}

/* ---- shelves: menus of ledgers and screens ---- */

/* One entry of a shelf: a ledger (its form's title is the label) or a screen. */
struct shelf_item {
	const char *table;         /* a ledger listed by its form; NULL: open */
	int (*open)(struct tui *t);
	const char *label;         /* for a screen */
};

struct shelf {
	const char *intro;
	const struct shelf_item *items;
	size_t n;
};

/* 村级台账: what the village keeps apart from its households (the seed's
 * 三、13 工作室, 14 干部包户, 8 项目库, 9 带头人, 12 培训, 6 边缘户). */
static const struct shelf_item village_items[] = {
	{ "villager_groups", NULL, NULL },    { "staff", NULL, NULL },
	{ "cadres", NULL, NULL },             { "unit_assignments", NULL, NULL },
	{ "cadre_assignments", NULL, NULL },  { "visits", NULL, NULL },
	{ "projects", NULL, NULL },           { "project_monitoring", NULL, NULL },
	{ "business_leaders", NULL, NULL },   { "training_bases", NULL, NULL },
	{ "trainings", NULL, NULL },          { "marginal_households", NULL, NULL },
	{ "marginal_measures", NULL, NULL },
};
static const struct shelf village_shelf = {
	"本村的台账（每户的台账在“住户台账”里）：", village_items,
	sizeof village_items / sizeof village_items[0],
};

/* 攻坚任务: the campaign itself — its problems, deadlines, checks and what it
 * hands in. */
static const struct shelf_item campaign_items[] = {
	{ NULL, screen_problems_push, "问题台账（整改、销号）" },
	{ NULL, screen_deadlines_push, "时间节点（全部期限和剩余天数）" },
	{ NULL, screen_findings_push, "精准核查（发现问题、一键转入问题台账）" },
	{ "complaints", NULL, NULL },
	{ "typical_cases", NULL, NULL },
	{ "inspections", NULL, NULL },
	{ NULL, screen_deliverables_push, "交付材料（实施方案、总结等的提交登记）" },
	{ NULL, screen_units_push, "责任单位台账（每个单位的任务、问题、交付事项）" },
};
static const struct shelf campaign_shelf = {
	"脱贫攻坚问题整改：问题、期限、核查和交付材料：", campaign_items,
	sizeof campaign_items / sizeof campaign_items[0],
};

struct shelf_screen {
	const struct shelf *sh;
	size_t pick;
};

static const char *item_label(struct tui *t, const struct shelf_item *it)
{
	const struct form *f = it->table ? form_set_for_table(&t->forms, it->table) : NULL;
	return it->label ? it->label : f ? f->title : model_table_label(it->table);
}

/* The items a shelf shows, from TUI_TOP + 2 down to the message line: also
 * its page, what PgUp and PgDn move by. */
static int shelf_visible(const struct tui *t)
{
	return t->rows - 3 - (TUI_TOP + 2);
}

static void draw_shelf(struct tui *t, void *p)
{
	struct shelf_screen *c = p;
	tui_put(TUI_TOP, 2, c->sh->intro, t->cols - 4);
	int y = TUI_TOP + 2;
	for (size_t i = 0; i < c->sh->n && (int)i < shelf_visible(t); i++) {
		char line[200];
		if (i < 9)
			snprintf(line, sizeof line, "%zu  %s", i + 1, item_label(t, &c->sh->items[i]));
		else
			snprintf(line, sizeof line, "   %s", item_label(t, &c->sh->items[i]));
		tui_put_row(t, y + (int)i, line, t->cols - 4, i == c->pick);
	}
	move(y + (int)c->pick, 2);
}

static void open_item(struct tui *t, const struct shelf_item *it)
{
	if (it->table)
		ledger_push(t, it->table);
	else
		it->open(t);
}

static int key_shelf(struct tui *t, void *p, struct tui_key k)
{
	struct shelf_screen *c = p;
	if (tui_list_key(k, &c->pick, c->sh->n, shelf_visible(t)))
		return TUI_STAY;
	if (!k.is_code && k.ch >= '1' && k.ch <= '9' && (size_t)(k.ch - '1') < c->sh->n) {
		c->pick = (size_t)(k.ch - '1');
		open_item(t, &c->sh->items[c->pick]);
	} else if (tui_is_enter(k)) {
		open_item(t, &c->sh->items[c->pick]);
	}
	return TUI_STAY;
}

TUI_SCREEN(village_ops, "村级台账",
	   " F1 帮助  上下键 选择  Enter 打开  数字键 直接打开  Esc 返回", ledgers_village,
	   .draw = draw_shelf, .key = key_shelf);

TUI_SCREEN(campaign_ops, "攻坚任务",
	   " F1 帮助  上下键 选择  Enter 打开  数字键 直接打开  Esc 返回", ledgers_campaign,
	   .draw = draw_shelf, .key = key_shelf);

static int shelf_push(struct tui *t, const struct screen_ops *ops, const struct shelf *sh)
{
	struct shelf_screen *c = xcalloc(1, sizeof *c);
	c->sh = sh;
	return tui_push(t, ops, c);
}

int screen_ledgers_push(struct tui *t)
{
	return shelf_push(t, &village_ops, &village_shelf);
}

int screen_campaign_push(struct tui *t)
{
	return shelf_push(t, &campaign_ops, &campaign_shelf);
}
