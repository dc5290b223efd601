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
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

/* The most rules the home line counts findings of (there are 22). */
#define HOME_MAX_RULES 64

struct home {
	struct tui_home home; /* the summary and the menu */
	int checked;          /* the precision checks ran: the line below */
	size_t nfindings;     /* what they found, */
	size_t nrules;        /* rule by rule (titles are the rules' own, static) */
	struct {
		const char *title;
		size_t n;
	} rules[HOME_MAX_RULES];
};

TUI_MENU(menu,
	{ "1  住户台账（每户的成员、产业、就业、保险、医疗、雨露计划等）", screen_households_push },
	{ "2  问题台账（整改、销号）", screen_problems_push },
	{ "3  时间节点（全部期限和剩余天数）", screen_deadlines_push },
	{ "4  攻坚任务（精准核查、信访线索、典型经验、督查、交付材料）", screen_campaign_push },
	{ "5  村级台账（小组、工作室、干部包户、走访、项目、培训、边缘户）", screen_ledgers_push },
	{ "6  低保比对（建档立卡户与民政低保名册）", screen_dibao_push },
	{ "7  数据包（用U盘交给镇扶贫办、导入镇里的回执和派单）", screen_bundles_push },
	{ "8  整改报表（各项指标，问题销号率、走访达标率图表）", screen_report_push },
	{ "9  返贫致贫监测（脱贫监测户、返贫户、边缘户）", screen_monitor_push },
	{ "0  用户和口令", screen_users_push });

static void load(struct tui *t, void *st)
{
	struct home *h = st;
	tui_home_load(t, &h->home);
	struct tz_error err;
	struct findings f = { 0 };
	h->checked = rules_check(t->s, NULL, &f, &err) == TZ_OK;
	h->nfindings = f.n;
	h->nrules = 0;
	/* Findings come rule by rule: count each run. */
	for (size_t i = 0; h->checked && i < f.n && h->nrules < HOME_MAX_RULES;) {
		size_t j = i;
		while (j < f.n && f.items[j].rule == f.items[i].rule)
			j++;
		h->rules[h->nrules].title = f.items[i].rule->title;
		h->rules[h->nrules++].n = j - i;
		i = j;
	}
	findings_free(&f);
}

/* What stands after rule i of the line (":" after the total, "," after a
 * rule) when the rules from i on do not fit: how many kinds and where. */
static void rest_of(const struct home *h, size_t i, char *out, size_t nbytes)
{
	snprintf(out, nbytes, "%s另 %zu 类见 4 攻坚任务", i == 0 ? "：" : "，", h->nrules - i);
}

/* The findings in one line of ncols: as many rules as fit whole, then how many
 * more kinds there are and where to see them. */
static void findings_line(const struct home *h, char *line, size_t nbytes, int ncols)
{
	size_t used = (size_t)snprintf(line, nbytes, "精准核查发现 %zu 条", h->nfindings);
	for (size_t i = 0; i < h->nrules && used < nbytes; i++) {
		char item[160], rest[96] = "";
		snprintf(item, sizeof item, "%s%s %zu", i == 0 ? "：" : "，", h->rules[i].title,
			 h->rules[i].n);
		if (i + 1 < h->nrules) /* room kept for saying what does not fit */
			rest_of(h, i + 1, rest, sizeof rest);
		if ((int)(utf8_ncols(line) + utf8_ncols(item) + utf8_ncols(rest)) > ncols) {
			rest_of(h, i, line + used, nbytes - used);
			return;
		}
		used += (size_t)snprintf(line + used, nbytes - used, "%s", item);
	}
}

static void draw(struct tui *t, void *p)
{
	struct home *h = p;
	char line[256];
	int y = TUI_TOP;
	if (h->home.loaded) {
		const struct home_summary *m = &h->home.sum;
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
		if (h->checked) {
			char findings[1024];
			findings_line(h, findings, sizeof findings, t->cols - 4);
			tui_put(y, 2, findings, t->cols - 4);
		}
		y++;
	}
	tui_home_draw_menu(t, &h->home, y);
}

TUI_SCREEN(ops, "首页",
	   " F1 帮助  上下键 选择  Enter 打开  数字键 直接打开  Esc 退出", home,
	   .draw = draw, .key = tui_home_key, .can_leave = tui_home_can_leave, .resume = load);

int screen_home_push(struct tui *t)
{
	if (tui_is_town(t)) /* the town office has a home of its own (scr_town.c) */
		return screen_town_home_push(t);
	return tui_home_open(t, &ops, sizeof(struct home), &menu, load);
}
