/*
 * scr_findings.c — the precision checks on screen: every finding grouped by
 * rule, and one key to turn them into problem-ledger entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/date.h"
#include "taizhang/rules.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

struct findings_screen {
	struct findings f;
	size_t pick, top;
};

static void load(struct tui *t, void *st)
{
	struct findings_screen *fs = st;
	findings_free(&fs->f);
	memset(&fs->f, 0, sizeof fs->f);
	struct tz_error err;
	tui_say_failure(t, rules_check(t->s, NULL, &fs->f, &err), &err);
	tui_list_clamp(&fs->pick, fs->f.n);
}

static int finding_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct finding *x = &((const struct findings_screen *)st)->f.items[i];
	snprintf(line, nbytes, "[%s] %s", x->rule->title, x->detail);
	return 0;
}

/* The rows the list shows, from TUI_TOP + 2 down to a blank row above the
 * selected finding's line: also its page, what PgUp and PgDn move by. */
static int visible_rows(const struct tui *t)
{
	return t->rows - 4 - (TUI_TOP + 2);
}

static void draw(struct tui *t, void *st)
{
	struct findings_screen *fs = st;
	char line[1024];
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	snprintf(line, sizeof line, "共发现 %zu 个问题线索（本月尚余 %d 天，走访只核查已结束的月份）。",
		 fs->f.n, rules_month_days_left(today));
	tui_put(TUI_TOP, 2, line, t->cols - 4);
	if (fs->f.n > 0) {
		const struct finding *x = &fs->f.items[fs->pick];
		snprintf(line, sizeof line, "%s（责任单位：%s）", x->detail, x->unit_name);
		tui_put_padded(t->rows - 3, 2, line, t->cols - 4);
	}
	tui_draw_rows(t, TUI_TOP + 2, visible_rows(t), fs->f.n, fs->pick, &fs->top, finding_row, fs);
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct findings_screen *fs = st;
	if (tui_list_key(k, &fs->pick, fs->f.n, visible_rows(t)))
		return TUI_STAY;
	if (k.is_code && k.ch == KEY_F(3)) {
		if (!tui_confirm(t, "把全部发现转入问题台账？已有未销号问题的不会重复登记。"))
			return TUI_STAY;
		struct rules_problems_result r;
		struct tz_error err;
		struct rules_problems_options po = { 0 };
		if (rules_to_problems(t->s, NULL, &po, &r, &err) != TZ_OK)
			tui_say(t, 1, "%s", err.msg);
		else
			tui_say(t, 0, "已转入问题台账 %zu 个，%zu 个已在台账中。", r.created, r.skipped);
	} else if (tui_is_enter(k) &&
		   fs->f.n > 0 && fs->f.items[fs->pick].household_id != NULL) {
		screen_household_open(t, fs->f.items[fs->pick].household_id, TUI_PAGE_EDIT);
	}
	return TUI_STAY;
}

TUI_DESTROY_MEMBER(destroy, findings_screen, findings_free, f)

TUI_SCREEN_OPEN(screen_findings_push, struct findings_screen, "精准核查",
		" F1 帮助  上下键 选择  Enter 打开这一户  F3 全部转入问题台账  Esc 返回", findings,
		.draw = draw, .key = key, .resume = load, .destroy = destroy)
