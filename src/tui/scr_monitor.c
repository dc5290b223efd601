/*
 * scr_monitor.c — the monitoring view on screen (防止返贫致贫监测): the
 * 脱贫监测户, 返贫户 and 边缘户 of the store, one row each with what of
 * 两不愁三保障 fails and its income against the line; the selected one's
 * measures, risks and cadre below. The figures are rules_watch's (rules.h),
 * the same as `taizhang check --monitor`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/rules.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

struct monitor_screen {
	struct rules_watch_list w;
	size_t pick, top;
};

static void load(struct tui *t, void *st)
{
	struct monitor_screen *ms = st;
	rules_watch_free(&ms->w);
	struct tz_error err;
	tui_say_failure(t, rules_watch(t->s, NULL, &ms->w, &err), &err);
	tui_list_clamp(&ms->pick, ms->w.n);
}

/* The rows below the list: the selected household's details. */
#define DETAIL_ROWS 3

static int watched_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct monitor_screen *ms = st;
	const struct rules_watched *x = &ms->w.items[i];
	char income[160];
	snprintf(line, nbytes, "%s  %s %s  未保障：%s  收入：%s", x->village_name, x->kind, x->head,
		 x->fails[0] ? x->fails : "无",
		 rules_watch_income(x, ms->w.income_line_cents, income, sizeof income));
	return 0;
}

/* The rows the list shows, from TUI_TOP + 2 down to a blank row above the
 * selected household's details: also its page, what PgUp and PgDn move by. */
static int visible_rows(const struct tui *t)
{
	return t->rows - 4 - (TUI_TOP + 2) - DETAIL_ROWS;
}

static void draw(struct tui *t, void *st)
{
	struct monitor_screen *ms = st;
	char line[2048];
	size_t nfail = 0;
	for (size_t i = 0; i < ms->w.n; i++)
		nfail += ms->w.items[i].fails[0] != '\0';
	snprintf(line, sizeof line, "%s 监测 %zu 户，其中有未保障项目的 %zu 户（本月尚余 %d 天）。",
		 ms->w.as_of, ms->w.n, nfail, rules_month_days_left(ms->w.as_of));
	tui_put(TUI_TOP, 2, line, t->cols - 4);
	if (ms->w.n > 0) {
		const struct rules_watched *x = &ms->w.items[ms->pick];
		int yd = t->rows - 3 - DETAIL_ROWS;
		snprintf(line, sizeof line, "帮扶措施：%s", x->measures[0] ? x->measures : "无");
		tui_put_padded(yd, 2, line, t->cols - 4);
		if (x->marginal)
			snprintf(line, sizeof line, "致贫风险：%s", x->risks[0] ? x->risks : "未登记");
		else
			snprintf(line, sizeof line, "帮扶责任人：%s", x->cadre[0] ? x->cadre : "未指定");
		tui_put_padded(yd + 1, 2, line, t->cols - 4);
	}
	tui_draw_rows(t, TUI_TOP + 2, visible_rows(t), ms->w.n, ms->pick, &ms->top, watched_row, ms);
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct monitor_screen *ms = st;
	if (tui_list_key(k, &ms->pick, ms->w.n, visible_rows(t)))
		return TUI_STAY;
	if (tui_is_enter(k) && ms->w.n > 0) {
		const struct rules_watched *x = &ms->w.items[ms->pick];
		if (x->marginal)
			screen_form_push(t, "marginal_households", x->id, NULL, NULL);
		else
			screen_household_open(t, x->id, TUI_PAGE_EDIT);
	}
	return TUI_STAY;
}

TUI_DESTROY_MEMBER(destroy, monitor_screen, rules_watch_free, w)

TUI_SCREEN_OPEN(screen_monitor_push, struct monitor_screen, "返贫致贫监测",
		" F1 帮助  上下键 选择  Enter 打开这一户  Esc 返回", monitor,
		.draw = draw, .key = key, .resume = load, .destroy = destroy)
