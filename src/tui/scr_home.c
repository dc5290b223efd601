/*
 * scr_home.c — the village at a glance: households by status, this month's
 * visits done and owed, open and overdue problems, the nearest deadlines with
 * days left (all of them on 时间节点), and the menu, in the order of the
 * officer's day: households and their sector ledgers, problems, deadlines,
 * the campaign's other work, the village's own ledgers, 低保, hand-in, report.
 */
#include <stdio.h>
#include <stdlib.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/date.h"
#include "taizhang/rules.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

struct home {
	struct home_summary sum;
	char findings[256]; /* the precision checks, by rule, in one line */
	int loaded;
	int pick;
};

static const struct tui_menu_item menu[] = {
	{ "1  住户台账（每户的成员、产业、就业、保险、医疗、雨露计划等）", screen_households_push },
	{ "2  问题台账（整改、销号）", screen_problems_push },
	{ "3  时间节点（全部期限和剩余天数）", screen_deadlines_push },
	{ "4  攻坚任务（精准核查、信访线索、典型经验、督查、交付材料）", screen_campaign_push },
	{ "5  村级台账（小组、工作室、干部包户、走访、项目、培训、边缘户）", screen_ledgers_push },
	{ "6  低保比对（建档立卡户与民政低保名册）", screen_dibao_push },
	{ "7  数据包（用U盘交给镇扶贫办、导入镇里的回执和派单）", screen_bundles_push },
	{ "8  整改报表（各项指标，问题销号率、走访达标率图表）", screen_report_push },
	{ "9  返贫致贫监测（脱贫监测户、返贫户、边缘户）", screen_monitor_push },
	{ "0  用户和口令", screen_users_push },
};
#define NMENU (int)(sizeof menu / sizeof menu[0])

static void load(struct tui *t, void *st)
{
	struct home *h = st;
	struct tz_error err;
	h->loaded = tui_say_failure(t, browse_home(t->s, &h->sum, &err), &err) == TZ_OK;
	struct findings f = { 0 };
	h->findings[0] = '\0';
	if (rules_check(t->s, NULL, &f, &err) == TZ_OK) {
		size_t used = (size_t)snprintf(h->findings, sizeof h->findings, "精准核查发现 %zu 条", f.n);
		/* Findings come rule by rule: count each run. */
		for (size_t i = 0; i < f.n && used < sizeof h->findings;) {
			size_t j = i;
			while (j < f.n && f.items[j].rule == f.items[i].rule)
				j++;
			used += (size_t)snprintf(h->findings + used, sizeof h->findings - used, "%s%s %zu",
						 i == 0 ? "：" : "，", f.items[i].rule->title, j - i);
			i = j;
		}
	}
	findings_free(&f);
}

static void draw(struct tui *t, void *p)
{
	struct home *h = p;
	char line[256];
	int y = TUI_TOP;
	if (h->loaded) {
		const struct home_summary *m = &h->sum;
		snprintf(line, sizeof line, "%s（%s）  建档立卡户 %d 户，在户人口 %d 人", m->village, m->code,
			 m->households, m->members);
		tui_put(y++, 2, line, t->cols - 4);
		int x = 2;
		for (int i = 0; i < m->nstatuses; i++) {
			snprintf(line, sizeof line, "%s %d", m->statuses[i].label, m->statuses[i].count);
			x += tui_put(y, x, line, t->cols - x) + 3;
		}
		y++;
		snprintf(line, sizeof line, "本月走访 %d 次，尚未走访的包保户 %d 户", m->visits_this_month,
			 m->visits_owed);
		tui_put(y++, 2, line, t->cols - 4);
		tui_draw_problem_counts(t, y++, t->cols - 4, m);
		tui_put(y++, 2, h->findings, t->cols - 4);
		y = tui_draw_deadlines(t, y, t->rows - 3 - NMENU - 1, t->cols - 4, m);
	}
	tui_menu_draw(t, t->rows - 3 - NMENU, t->cols - 4, menu, NMENU, h->pick);
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct home *h = p;
	return tui_home_key(t, menu, NMENU, &h->pick, k);
}

TUI_SCREEN(ops, "首页",
	   " F1 帮助  上下键 选择  Enter 打开  数字键 直接打开  Esc 退出", home,
	   .draw = draw, .key = key, .can_leave = tui_home_can_leave, .resume = load);

int screen_home_push(struct tui *t)
{
	if (tui_is_town(t)) /* the town office has a home of its own (scr_town.c) */
		return screen_town_home_push(t);
	return tui_replace_loaded(t, &ops, xcalloc(1, sizeof(struct home)), load);
}
