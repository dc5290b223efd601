/*
 * scr_dibao.c — the comparison of the registered households with the 低保 roster
 * (task 11), one list at a time: registered households not on 低保, 低保
 * households not registered, households whose ledger records 低保 but who are
 * not on the roster, and those on it whose ledger does not; at a town, which
 * roster each village was compared with, or one village from its read-only
 * menu (screen_dibao_village_push). F3 imports a roster (tui_import.c: column
 * mappings and the difference asked about there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/division.h"
#include "taizhang/roster.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

/* The lists the screen shows, one at a time (side). */
#define NSIDES 4
static const char *const side_names[NSIDES] = { "建档立卡户未纳入低保", "低保户未建档立卡",
						"台账低保不在名册", "在名册台账未登记低保" };

struct dibao {
	struct roster_comparison c;
	int loaded;
	int side; /* index of side_names */
	size_t top;
	char village[DIVISION_CODE_NCHARS + 1]; /* one village of a town ("": the store's) */
	char title[128];                        /* for one village ("": 低保比对) */
};

static const struct roster_household_list *side_list(const struct roster_comparison *c, int side)
{
	switch (side) {
	case 0: return &c->registered_only;
	case 1: return &c->dibao_only;
	case 2: return &c->ledger_not_on_roster;
	default: return &c->roster_not_in_ledger;
	}
}

/* The screen, top down: the roster (TUI_TOP), its figures, the four lists
 * two to a row (they do not fit one row of 80 columns), which roster each
 * village was compared with (a town), the list's heading, the list, and below
 * it which of its rows are shown. LIST_Y is the list's first row; rows_shown
 * how many it has: one count for drawing and for the keys that scroll it. */
#define LIST_Y (TUI_TOP + 6)
static size_t rows_shown(const struct tui *t)
{
	int n = t->rows - 3 - LIST_Y;
	return n > 1 ? (size_t)n : 1;
}

/* The top that shows the list's last row on the last line, or 0. */
static size_t max_top(const struct tui *t, size_t n)
{
	return n > rows_shown(t) ? n - rows_shown(t) : 0;
}

static void draw(struct tui *t, void *p)
{
	struct dibao *d = p;
	if (!d->loaded) {
		tui_put(TUI_TOP, 2,
			d->village[0] ? "这个村还没有可比对的低保名册：村里没有交来，镇里导入的县名册中也没有这个村。"
				      : "还没有导入低保名册。按 F3 导入民政部门导出的低保名册（CSV 文件）。",
			t->cols - 4);
		if (d->village[0])
			tui_put(TUI_TOP + 1, 2, "按 F3 导入县民政部门导出的低保名册（CSV 文件，带“所在村”一列）。",
				t->cols - 4);
		return;
	}
	char line[512], a[64], b[64], c[64];
	snprintf(line, sizeof line, "低保名册：%s（%.10s 导入）", d->c.file_name, d->c.imported_at);
	tui_put(TUI_TOP, 2, line, t->cols - 4);
	snprintf(line, sizeof line, "建档立卡 %zu 户，名册上低保 %zu 户 %zu 人，台账登记低保 %zu 户",
		 d->c.registered, d->c.dibao, d->c.dibao_persons, d->c.ledger_dibao);
	tui_put(TUI_TOP + 1, 2, line, t->cols - 4);
	for (int row = 0; row < 2; row++) {
		char tab[2][96];
		for (int k = 0; k < 2; k++) {
			int i = 2 * row + k;
			snprintf(tab[k], sizeof tab[k], "%s%d %s %zu 户%s", d->side == i ? "[" : " ", i + 1,
				 side_names[i], side_list(&d->c, i)->n, d->side == i ? "]" : " ");
		}
		snprintf(line, sizeof line, "%s%s", utf8_pad(a, sizeof a, tab[0], 36), tab[1]);
		tui_put(TUI_TOP + 2 + row, 2, line, t->cols - 4);
	}
	if (d->c.nvillages > 0) {
		size_t used;
		used = (size_t)snprintf(line, sizeof line, "各村名册：");
		for (size_t i = 0; i < d->c.nvillages && used < sizeof line - 64; i++) {
			const struct roster_village_comparison *v = &d->c.villages[i];
			used += (size_t)snprintf(line + used, sizeof line - used, "%s %s  ", v->name,
						 v->file_name == NULL ? "无" : v->county ? "县名册" : "本村名册");
		}
		tui_put(TUI_TOP + 4, 2, line, t->cols - 4);
	}
	const struct roster_household_list *l = side_list(&d->c, d->side);
	int registered = d->side != 1;
	int y = LIST_Y;
	attron(A_BOLD);
	tui_put(y - 1, 2, registered ? "户主        身份证号            村民小组    状态        人数"
				     : "户主        身份证号            所在村      保障人数", t->cols - 4);
	attroff(A_BOLD);
	if (d->top > max_top(t, l->n)) /* the screen grew, or another list */
		d->top = max_top(t, l->n);
	if (l->n > rows_shown(t)) {
		snprintf(line, sizeof line, "%s：第 %zu–%zu 户，共 %zu 户（%s）", side_names[d->side],
			 d->top + 1, d->top + rows_shown(t) < l->n ? d->top + rows_shown(t) : l->n, l->n,
			 d->top < max_top(t, l->n) ? "PgDn 下一屏" : "已到末尾，PgUp 上一屏");
		tui_put(t->rows - 3, 2, line, t->cols - 4);
	}
	for (size_t i = 0; i < rows_shown(t) && d->top + i < l->n; i++) {
		const struct roster_household *h = &l->items[d->top + i];
		snprintf(line, sizeof line, "%s%s%s%s%zu", utf8_pad(a, sizeof a, h->head_name ? h->head_name : "", 12),
			 utf8_pad(b, sizeof b, h->head_idcard ? h->head_idcard : "", 20),
			 utf8_pad(c, sizeof c, h->place ? h->place : "", 12),
			 registered ? utf8_pad((char[64]){ 0 }, 64, h->status ? h->status : "", 12) : "",
			 h->nmembers);
		tui_put(y + (int)i, 2, line, t->cols - 4);
	}
	if (l->n == 0)
		tui_put(y, 2, "（没有）", t->cols - 4);
	move(TUI_TOP + 1, 2);
}

static void reload(struct tui *t, void *st)
{
	struct dibao *d = st;
	if (d->loaded)
		roster_comparison_free(&d->c);
	memset(&d->c, 0, sizeof d->c);
	struct tz_error err;
	/* no village: the store's own households (at a town, every village's) */
	d->loaded = roster_compare_dibao_village(t->s, d->village[0] ? d->village : NULL, &d->c,
						 &err) == TZ_OK;
	d->top = 0;
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct dibao *d = p;
	if (k.is_code && k.ch == KEY_F(3)) {
		tui_import_file(t, "dibao");
		reload(t, d);
		return TUI_STAY;
	}
	if (!d->loaded)
		return TUI_STAY;
	const struct roster_household_list *l = side_list(&d->c, d->side);
	if (k.is_code && (k.ch == KEY_LEFT || k.ch == KEY_RIGHT)) {
		d->side = (d->side + (k.ch == KEY_RIGHT ? 1 : NSIDES - 1)) % NSIDES;
		d->top = 0;
	} else if (!k.is_code && k.ch == '\t') {
		d->side = (d->side + 1) % NSIDES;
		d->top = 0;
	} else {
		tui_scroll_key(k, &d->top, max_top(t, l->n), rows_shown(t)); /* a screenful a page */
	}
	return TUI_STAY;
}

static void destroy(void *p)
{
	struct dibao *d = p;
	if (d->loaded)
		roster_comparison_free(&d->c);
}

static const char *title_of(void *st)
{
	const struct dibao *d = st;
	return d->title[0] ? d->title : "低保比对";
}

TUI_SCREEN(dibao_ops, "低保比对",
	   " F1 帮助  左右键/Tab 换表  上下键/PgUp/PgDn 翻动  F3 导入低保名册  Esc 返回", dibao,
	   .title_of = title_of, .draw = draw, .key = key, .destroy = destroy);

int screen_dibao_push(struct tui *t)
{
	return tui_push_loaded(t, &dibao_ops, xcalloc(1, sizeof(struct dibao)), reload);
}

/* One village of a town (its read-only menu): its households against its
 * roster; F3 imports the town's (county) roster, as on the store's own. */
int screen_dibao_village_push(struct tui *t, const char *village_code)
{
	struct dibao *d = xcalloc(1, sizeof *d);
	char name[64] = "";
	struct tz_error err;
	snprintf(d->village, sizeof d->village, "%s", village_code);
	browse_ref_label(t->s, "villages", village_code, name, sizeof name, &err);
	snprintf(d->title, sizeof d->title, "低保比对（%s）", name[0] ? name : village_code);
	return tui_push_loaded(t, &dibao_ops, d, reload);
}
