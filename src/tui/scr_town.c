/*
 * scr_town.c — the town office (镇扶贫办) at a glance, and its menu: import
 * and export bundles, each village's hand-ins, the conflict ledger, dispatch a
 * problem to a village (派单), look at a village's ledgers read-only, the whole
 * town's problem ledger (where the town closes problems off), users, and the
 * villages' proposals (待审事项, scr_proposals.c).
 *
 * Also here: the villages screen (per village: last hand-in, what is still
 * unsent / unacknowledged / held, open conflicts and alarms), the list a
 * village is chosen from (for dispatch or for looking), and one village's
 * read-only menu. A town store holds every village's rows; these screens read
 * them through browse.h, problem.h and sync.h only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/division.h"
#include "taizhang/sync.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

/* ---- the town's home ---- */

struct town_home {
	struct tui_home home; /* the summary (over every village's rows) and the menu */
	size_t nvillages, reported;
	long long unsent, unacked, held, conflicts, alarms;
};

static int open_problems(struct tui *t)
{
	return screen_problems_push(t);
}

TUI_MENU(menu,
	{ "1  导入数据包（U盘上各村交来的数据包）", screen_bundle_import_push },
	{ "2  导出数据包（回执和派单，带回各村）", screen_bundle_export_push },
	{ "3  各村上报情况", screen_villages_push },
	{ "4  冲突台账", screen_conflicts_push },
	{ "5  派单（给村登记要整改的问题）", screen_dispatch_push },
	{ "6  查看各村台账（只读）", screen_village_view_push },
	{ "7  问题台账（全镇：核实、销号）", open_problems },
	{ "8  整改报表（全镇各村并列，销号率、走访达标率图表）", screen_report_push },
	{ "9  用户和口令", screen_users_push },
	{ "0  待审事项（村里申请的销号、审批，由镇里同意或不同意）", screen_proposals_push },
	{ "   审核（派单问题、项目：镇初审、部门审核、领导组审定、销号）", screen_review_push },
	{ "   密钥和设备（本机指纹、登记和吊销村的设备）", screen_keys_push },
	{ "   交付事项和责任单位（各村、各单位的提交和确认）", screen_town_campaign_push });

static void load(struct tui *t, void *st)
{
	struct town_home *h = st;
	tui_home_load(t, &h->home);
	struct tz_error err;
	struct sync_village_state *v;
	size_t n;
	h->nvillages = h->reported = 0;
	h->unsent = h->unacked = h->held = h->conflicts = h->alarms = 0;
	if (sync_village_states(t->s, &v, &n, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return;
	}
	h->nvillages = n;
	/* A village whose ledger the town holds has reported, receipt or not (a
	 * demo town's villages, a village restored from a snapshot). */
	struct browse_row *held = NULL;
	size_t nheld = 0;
	if (browse_villages(t->s, &held, &nheld, &err) != TZ_OK)
		nheld = 0;
	for (size_t i = 0; i < n; i++) {
		int has_ledger = 0;
		for (size_t k = 0; k < nheld; k++)
			has_ledger |= strcmp(held[k].id, v[i].code) == 0 && strcmp(held[k].cells[1], "0") != 0;
		h->reported += v[i].last_in[0] != '\0' || has_ledger;
		h->unsent += v[i].unsent;
		h->unacked += v[i].unacked;
		h->held += v[i].held;
		h->conflicts += v[i].conflicts;
		h->alarms += v[i].alarms;
	}
	sync_village_states_free(v, n);
	browse_rows_free(held, nheld);
}

static void draw(struct tui *t, void *p)
{
	struct town_home *h = p;
	char line[256];
	int y = TUI_TOP, w = t->cols - 4;
	if (h->home.loaded) {
		const struct home_summary *m = &h->home.sum;
		snprintf(line, sizeof line, "%s（%s）镇扶贫办", m->village, m->code);
		tui_put(y++, 2, line, w);
		snprintf(line, sizeof line, "已上报的村 %zu 个（共 %zu 个）  各村建档立卡户合计 %d 户，在户人口 %d 人",
			 h->reported, h->nvillages, m->households, m->members);
		tui_put(y++, 2, line, w);
		tui_draw_problem_counts(t, y++, w, m);
		snprintf(line, sizeof line, "未处理的冲突 %lld 条  警报 %lld 条  暂存的数据包 %lld 个  待发给各村的修改 %lld 项",
			 h->conflicts, h->alarms, h->held, h->unsent);
		tui_put_attr(y++, 2, line, w, h->conflicts + h->alarms > 0 ? tui_attr_error(t) : 0);
	}
	tui_home_draw_menu(t, &h->home, y);
}

TUI_SCREEN(home_ops, "首页（镇扶贫办）",
	   " F1 帮助  上下键 选择  Enter 打开  数字键 直接打开  Esc 退出", town_home,
	   .draw = draw, .key = tui_home_key, .can_leave = tui_home_can_leave, .resume = load);

int screen_town_home_push(struct tui *t)
{
	return tui_home_open(t, &home_ops, sizeof(struct town_home), &menu, load);
}

/* ---- each village's hand-ins ---- */

void tui_villages_load(struct tui *t, struct tui_villages *vs)
{
	struct tz_error err;
	sync_village_states_free(vs->v, vs->n);
	tui_say_failure(t, sync_village_states(t->s, &vs->v, &vs->n, &err), &err);
	tui_list_clamp(&vs->pick, vs->n);
}

void tui_villages_resume(struct tui *t, void *st)
{
	tui_villages_load(t, st);
}

void tui_villages_destroy(void *st)
{
	struct tui_villages *vs = st;
	sync_village_states_free(vs->v, vs->n);
}

static int village_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	const struct sync_village_state *v = &((const struct tui_villages *)st)->v[i];
	char a[40], b[80], c[40], when[40];
	tui_local_time(v->last_in, when, sizeof when);
	snprintf(line, nbytes, "%s%s%s%6lld %6lld %4lld %4lld %4lld", utf8_pad(a, sizeof a, v->code, 14),
		 utf8_pad(b, sizeof b, v->name ? v->name : "", 12),
		 utf8_pad(c, sizeof c, when[0] ? when : "从未上报", 18), v->unsent, v->unacked, v->held,
		 v->conflicts, v->alarms);
	return v->conflicts + v->alarms > 0 ? tui_attr_error(t) : v->held > 0 ? (int)A_BOLD : 0;
}

static const struct tui_list_look villages_look = {
	"村代码        村名        最近上报          未发送 未确认 暂存 冲突 警报", 6, village_row
};

static void draw_villages(struct tui *t, void *p)
{
	struct tui_villages *vs = p;
	int w = t->cols - 4;
	char line[512];
	snprintf(line, sizeof line, "共 %zu 个村。有冲突或警报的村标成红色。", vs->n);
	int y = tui_draw_list(t, &villages_look, vs, vs->n, vs->pick, &vs->top, line,
			      "还没有登记任何村：先在命令行用 taizhang enroll 登记各村的设备。");
	if (vs->n == 0)
		return;
	/* The selected village in words (the cursor then back on its row). */
	const struct sync_village_state *v = &vs->v[vs->pick];
	char when[40];
	tui_local_time(v->last_in, when, sizeof when);
	int by = t->rows - 5;
	if (when[0])
		snprintf(line, sizeof line, "%s：最近一次上报 %s，已导入到第 %llu 号数据包。", v->name ? v->name : v->code,
			 when, (unsigned long long)v->last_seq);
	else
		snprintf(line, sizeof line, "%s：还没有上报过台账。", v->name ? v->name : v->code);
	tui_put(by++, 2, line, w);
	snprintf(line, sizeof line, "给它的修改还没写进数据包 %lld 项，写了还没收到回执 %lld 个%s%s", v->unsent,
		 v->unacked, v->held ? "；缺前面的包而暂存的数据包 " : "", v->held ? "" : "。");
	if (v->held) {
		size_t used = strlen(line);
		snprintf(line + used, sizeof line - used, "%lld 个。", v->held);
	}
	tui_put(by++, 2, line, w);
	if (v->alarms > 0) {
		attron(tui_attr_error(t));
		tui_put(by, 2, "警报：收到过与已导入的同号数据包不同的数据包（可能是复制或恢复的电脑），请核实。", w);
		attroff(tui_attr_error(t));
	}
	move(y + (int)(vs->pick - vs->top), 2);
}

static int key_villages(struct tui *t, void *p, struct tui_key k)
{
	struct tui_villages *vs = p;
	if (tui_list_key(k, &vs->pick, vs->n, tui_list_visible(t, &villages_look)))
		return TUI_STAY;
	if (tui_is_enter(k) && vs->n > 0) {
		if (vs->v[vs->pick].last_in[0] == '\0')
			tui_say(t, 0, "这个村还没有上报过台账，没有可看的记录。");
		else
			screen_village_ledgers_push(t, vs->v[vs->pick].code);
	} else if (k.is_code && k.ch == KEY_F(5)) {
		tui_villages_load(t, vs);
		tui_say(t, 0, "已刷新。");
	}
	return TUI_STAY;
}

TUI_VILLAGES_SCREEN_OPEN(screen_villages_push, "各村上报情况",
			 " F1 帮助  上下键 选择  Enter 查看该村台账（只读）  F5 刷新  Esc 返回",
			 town_villages, .draw = draw_villages, .key = key_villages)

/* ---- choosing a village ---- */

enum choose_for { CHOOSE_DISPATCH, CHOOSE_VIEW };

struct chooser {
	enum choose_for purpose;
	struct browse_row *rows; /* browse_villages */
	size_t n, pick, top;
};

static void load_chooser(struct tui *t, void *st)
{
	struct chooser *c = st;
	struct tz_error err;
	browse_rows_free(c->rows, c->n);
	tui_say_failure(t, browse_villages(t->s, &c->rows, &c->n, &err), &err);
	tui_list_clamp(&c->pick, c->n);
}

static int chooser_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct browse_row *r = &((const struct chooser *)st)->rows[i];
	char a[40], b[80], hh[40], pr[40];
	snprintf(hh, sizeof hh, "%s 户", r->cells[1]);
	snprintf(pr, sizeof pr, "%s 个", r->cells[2]);
	snprintf(line, nbytes, "%s%s%s%s", utf8_pad(a, sizeof a, r->id, 14),
		 utf8_pad(b, sizeof b, r->cells[0], 16), utf8_pad(hh, sizeof hh, hh, 14), pr);
	return 0;
}

static const struct tui_list_look chooser_look = {
	"村代码        村名            建档立卡户    未销号问题", 3, chooser_row
};

static void draw_chooser(struct tui *t, void *p)
{
	struct chooser *c = p;
	tui_draw_list(t, &chooser_look, c, c->n, c->pick, &c->top,
		      c->purpose == CHOOSE_DISPATCH ? "派单给哪个村？用上下键选择，按 Enter 填写问题。"
						    : "查看哪个村的台账？用上下键选择，按 Enter 打开（只读）。",
		      "还没有村上报过台账：请先导入各村交来的数据包。");
}

static int key_chooser(struct tui *t, void *p, struct tui_key k)
{
	struct chooser *c = p;
	if (tui_list_key(k, &c->pick, c->n, tui_list_visible(t, &chooser_look)))
		return TUI_STAY;
	if (tui_is_enter(k) && c->n > 0) {
		if (c->purpose == CHOOSE_DISPATCH)
			screen_form_dispatch_push(t, c->rows[c->pick].id);
		else
			screen_village_ledgers_push(t, c->rows[c->pick].id);
	}
	return TUI_STAY;
}

TUI_DESTROY_LIST(destroy_chooser, chooser, browse_rows_free, rows, n)

/* The chooser's two faces, one for each purpose, share its functions. */
#define CHOOSER_FUNCTIONS                                                                       \
	.draw = draw_chooser, .key = key_chooser, .resume = load_chooser, .destroy = destroy_chooser
TUI_SCREEN(dispatch_ops, "派单：选村", " F1 帮助  上下键 选村  Enter 填写问题  Esc 返回",
	   town_dispatch, CHOOSER_FUNCTIONS);
TUI_SCREEN(view_ops, "查看各村台账：选村", " F1 帮助  上下键 选村  Enter 打开（只读）  Esc 返回",
	   town_view, CHOOSER_FUNCTIONS);

static int chooser_push(struct tui *t, enum choose_for purpose)
{
	struct chooser *c = xcalloc(1, sizeof *c);
	c->purpose = purpose;
	return tui_push_loaded(t, purpose == CHOOSE_DISPATCH ? &dispatch_ops : &view_ops, c,
			       load_chooser);
}

int screen_dispatch_push(struct tui *t)
{
	return chooser_push(t, CHOOSE_DISPATCH);
}

int screen_village_view_push(struct tui *t)
{
	return chooser_push(t, CHOOSE_VIEW);
}

/* ---- one village, read-only ---- */

struct village_menu {
	char code[DIVISION_CODE_NCHARS + 1];
	char title[128];
	char households[16], problems[16];
	int pick;
};

static const struct {
	const char *label;
	int (*open)(struct tui *t, const char *village_code);
} village_menu[] = {
	{ "1  住户台账（住户、家庭成员和各项记录）", screen_households_view_push },
	{ "2  问题台账（问题和整改经过）", screen_problems_view_push },
	{ "3  低保比对（建档立卡户与民政低保名册）", screen_dibao_village_push },
};
#define NVMENU (int)(sizeof village_menu / sizeof village_menu[0])

static void load_village_menu(struct tui *t, void *st)
{
	struct village_menu *m = st;
	struct browse_row *rows;
	size_t n;
	struct tz_error err;
	snprintf(m->households, sizeof m->households, "0");
	snprintf(m->problems, sizeof m->problems, "0");
	snprintf(m->title, sizeof m->title, "%s（只读）", m->code);
	if (browse_villages(t->s, &rows, &n, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].id, m->code) != 0)
			continue;
		snprintf(m->title, sizeof m->title, "%s（只读）", rows[i].cells[0]);
		snprintf(m->households, sizeof m->households, "%s", rows[i].cells[1]);
		snprintf(m->problems, sizeof m->problems, "%s", rows[i].cells[2]);
	}
	browse_rows_free(rows, n);
}

static void draw_village_menu(struct tui *t, void *p)
{
	struct village_menu *m = p;
	char line[256];
	int y = TUI_TOP, w = t->cols - 4;
	snprintf(line, sizeof line, "%s  村代码 %s", m->title, m->code);
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "建档立卡户 %s 户，未销号问题 %s 个", m->households, m->problems);
	tui_put(y++, 2, line, w);
	tui_put(y++, 2, "只读：这里看到的是这个村上报的台账，镇扶贫办只能查看，不能修改。", w);
	y++;
	for (int i = 0; i < NVMENU; i++) {
		if (i == m->pick)
			attron(tui_attr_select(t));
		tui_put_padded(y + i, 2, village_menu[i].label, w);
		if (i == m->pick)
			attroff(tui_attr_select(t));
	}
	move(y + m->pick, 2);
}

static int key_village_menu(struct tui *t, void *p, struct tui_key k)
{
	struct village_menu *m = p;
	if (k.is_code && k.ch == KEY_UP && m->pick > 0)
		m->pick--;
	else if (k.is_code && k.ch == KEY_DOWN && m->pick + 1 < NVMENU)
		m->pick++;
	else if (!k.is_code && k.ch >= '1' && k.ch < '1' + NVMENU)
		village_menu[k.ch - '1'].open(t, m->code);
	else if (tui_is_enter(k))
		village_menu[m->pick].open(t, m->code);
	return TUI_STAY;
}

static const char *title_village_menu(void *p)
{
	struct village_menu *m = p;
	return m->title;
}

TUI_SCREEN(village_menu_ops, "村台账（只读）",
	   " F1 帮助  只读  上下键 选择  Enter 打开  数字键 直接打开  Esc 返回", town_village_menu,
	   .title_of = title_village_menu, .draw = draw_village_menu, .key = key_village_menu);

int screen_village_ledgers_push(struct tui *t, const char *village_code)
{
	if (!division_code_valid(village_code))
		return -1; /* the villages table holds none such */
	struct village_menu *m = xcalloc(1, sizeof *m);
	memcpy(m->code, village_code, sizeof m->code);
	return tui_push_loaded(t, &village_menu_ops, m, load_village_menu);
}
