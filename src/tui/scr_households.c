/*
 * scr_households.c — the household list with search as you type: by name of any
 * member, a fragment of an ID number, or the villager group. Enter opens a
 * household; F3 adds one. The same list shows one village's households
 * read-only at the town (no adding, no import: the key bar says 只读).
 */
#include <stdio.h>
#include <stdlib.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

#define LIST_LIMIT 1000

static const char *const status_filters[][2] = {
	{ NULL, "全部" }, { "identified", "新识别" }, { "helped", "帮扶中" }, { "exited", "已脱贫" },
	{ "monitored", "脱贫监测" }, { "fell_back", "返贫" },
};
#define NFILTERS (sizeof status_filters / sizeof status_filters[0])

struct households {
	size_t filter; /* index into status_filters */
	struct editor search;
	struct household_row *rows;
	size_t n, total;
	size_t pick, top;
	char village[13]; /* read-only view of this village; "" the store's own, editable */
	char title[128];
};

static void load(struct tui *t, void *st)
{
	struct households *h = st;
	struct tz_error err;
	free(h->rows);
	tui_say_failure(t,
			browse_village_households(t->s, h->village[0] ? h->village : NULL,
						  editor_text(&h->search), status_filters[h->filter][0],
						  LIST_LIMIT, &h->rows, &h->n, &h->total, &err),
			&err);
	tui_list_clamp(&h->pick, h->n);
}

static int household_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct household_row *r = &((const struct households *)st)->rows[i];
	char a[64], b[64], c[64], d[64];
	snprintf(line, nbytes, "%s%s%s%s%d", utf8_pad(a, sizeof a, r->head, 12),
		 utf8_pad(b, sizeof b, r->idcard, 20), utf8_pad(c, sizeof c, r->group, 12),
		 utf8_pad(d, sizeof d, r->status, 12), r->nmembers);
	return 0;
}

static const struct tui_list_look list_look = {
	"户主        身份证号            村民小组    状态        人数", 3, household_row
};

static void draw(struct tui *t, void *p)
{
	struct households *h = p;
	tui_put(TUI_TOP, 2, "查找：", 6);
	char count[96];
	if (browse_total_is_more(h->total, LIST_LIMIT, editor_text(&h->search)))
		snprintf(count, sizeof count, "状态：%s（F5）  超过 %zu 户", status_filters[h->filter][1],
			 (size_t)BROWSE_COUNT_SHARE * LIST_LIMIT);
	else
		snprintf(count, sizeof count, "状态：%s（F5）  共 %zu 户", status_filters[h->filter][1],
			 h->total);
	tui_put(TUI_TOP, t->cols - 2 - (int)utf8_ncols(count), count, 40);
	tui_draw_list(t, &list_look, h, h->n, h->pick, &h->top, NULL,
		      editor_text(&h->search)[0] ? "没有找到符合的住户。"
		      : h->village[0]           ? "这个村还没有上报住户。"
						: "还没有登记住户，按 F3 新增。");
	if (h->n < h->total) { /* more found than listed: say so below the list */
		char more[128];
		snprintf(more, sizeof more, "只列出了前 %zu 户；多输入几个字可以缩小范围。", h->n);
		tui_put(t->rows - 3, 2, more, t->cols - 4);
	}
	tui_draw_editor(&h->search, TUI_TOP, 8, 30, 1, 0);
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct households *h = p;
	if (k.is_code) {
		switch (k.ch) {
		case KEY_UP:
		case KEY_DOWN:
		case KEY_PPAGE:
		case KEY_NPAGE:
			tui_list_key(k, &h->pick, h->n, tui_list_visible(t, &list_look));
			return TUI_STAY;
		case KEY_ENTER:
			break;
		case KEY_F(3):
		case KEY_F(7):
			if (h->village[0])
				tui_say(t, 0, "只读：这里只能查看，不能新增或导入");
			else if (k.ch == KEY_F(3))
				screen_form_push(t, "households", NULL, NULL, NULL);
			else {
				tui_import_file(t, "households");
				load(t, h);
			}
			return TUI_STAY;
		case KEY_F(5):
			h->filter = (h->filter + 1) % NFILTERS;
			h->pick = h->top = 0;
			load(t, h);
			return TUI_STAY;
		default:
			break;
		}
	}
	if (tui_is_enter(k)) {
		if (h->n > 0)
			screen_household_open(t, h->rows[h->pick].id,
					      h->village[0] ? TUI_PAGE_VIEW : TUI_PAGE_EDIT);
		return TUI_STAY;
	}
	if (tui_edit_key(t, &h->search, k)) {
		h->pick = 0;
		load(t, h);
	}
	return TUI_STAY;
}

static void destroy(void *p)
{
	struct households *h = p;
	editor_free(&h->search);
	free(h->rows);
}

TUI_SCREEN(ops, "住户台账",
	   " F1 帮助  打字即查找  Enter 打开  F3 新增住户  F5 按状态筛选  Esc 返回", households,
	   .draw = draw, .key = key, .resume = load, .destroy = destroy);

static const char *title_of(void *p)
{
	struct households *h = p;
	return h->title;
}

TUI_SCREEN(view_ops, "住户台账",
	   " F1 帮助  只读  打字即查找  Enter 查看  F5 按状态筛选  Esc 返回", households_view,
	   .title_of = title_of, .draw = draw, .key = key, .resume = load, .destroy = destroy);

static struct households *households_new(struct tui *t, const char *village_code)
{
	struct households *h = xcalloc(1, sizeof *h);
	if (editor_init(&h->search, 40) != EDIT_OK) {
		free(h);
		return NULL;
	}
	if (village_code != NULL) {
		char name[64] = "";
		struct tz_error err;
		snprintf(h->village, sizeof h->village, "%s", village_code);
		browse_ref_label(t->s, "villages", village_code, name, sizeof name, &err);
		snprintf(h->title, sizeof h->title, "住户台账（%s，只读）", name[0] ? name : village_code);
	}
	load(t, h);
	return h;
}

int screen_households_push(struct tui *t)
{
	struct households *h = households_new(t, NULL);
	return h ? tui_push(t, &ops, h) : -1;
}

int screen_households_view_push(struct tui *t, const char *village_code)
{
	struct households *h = households_new(t, village_code);
	return h ? tui_push(t, &view_ops, h) : -1;
}
