/*
 * scr_campaign.c — the campaign's deliverables and the accountable units on
 * screen (include/taizhang/campaign.h):
 *
 *   交付事项   every deliverable this store holds (a village: its own; the
 *              town: every village's and every unit's), its due date and state
 *              (已完成 / 未到期 / 逾期); F5 shows only the late ones; F2 records
 *              the hand-in through the deliverables form (its own rows: a
 *              village's at the village, a unit's at the town); at the town F6
 *              confirms receipt.
 *   责任单位   the units; Enter shows a unit's sheet: the tasks it leads or
 *              joins, its problems, measures, projects and deliverables, what is
 *              done and what is late.
 *
 * A village reaches both from 攻坚任务 (scr_ledgers.c's campaign shelf), the
 * town through a menu of its own (screen_town_campaign_push). Also here: the one line of done / open / late the
 * home screens show (tui_draw_deliverable_counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/campaign.h"
#include "taizhang/money.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

int tui_draw_deliverable_counts(struct tui *t, int y, int x, int ncols)
{
	struct deliverable_count *c, total;
	size_t n;
	struct tz_error err;
	if (ncols <= 0 || deliverable_counts(t->s, &c, &n, &total, &err) != TZ_OK)
		return 0;
	deliverable_counts_free(c, n);
	char line[160];
	snprintf(line, sizeof line, "交付事项 完成 %d，未到期 %d，逾期 %d", total.done, total.open,
		 total.late);
	return tui_put_attr(y, x, line, ncols, total.late > 0 ? tui_attr_error(t) : 0);
}

/* ---- the deliverables ---- */

struct deliverables {
	int late_only;
	struct deliverable *d;
	size_t n, pick, top;
};

static void load(struct tui *t, void *st)
{
	struct deliverables *l = st;
	deliverable_list_free(l->d, l->n);
	struct deliverable_filter f = { .state = l->late_only ? DELIVERABLE_LATE : -1 };
	struct tz_error err;
	tui_say_failure(t, deliverable_list(t->s, &f, &l->d, &l->n, &err), &err);
	tui_list_clamp(&l->pick, l->n);
}

static int deliverable_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	const struct deliverable *d = &((const struct deliverables *)st)->d[i];
	char a[64], b[32], c[32], e[32];
	snprintf(line, nbytes, "%s  %s%s%s%s%s", d->due, utf8_pad(a, sizeof a, d->party_name, 16),
		 utf8_pad(b, sizeof b, deliverable_state_label(d->state), 8),
		 utf8_pad(c, sizeof c, d->handed_in_on ? d->handed_in_on : "-", 12),
		 utf8_pad(e, sizeof e, d->confirmed_on ? d->confirmed_on : "-", 12), d->what);
	return d->state == DELIVERABLE_LATE ? tui_attr_error(t) : 0;
}

static const struct tui_list_look list_look = {
	"截止日期    村（居）或单位  状态    提交日期    镇确认      事项", 5, deliverable_row
};

static void draw(struct tui *t, void *st)
{
	struct deliverables *l = st;
	char line[1024];
	if (l->n > 0) { /* the selected one in full */
		const struct deliverable *d = &l->d[l->pick];
		snprintf(line, sizeof line, "提交人 %s  审签人 %s  存放位置 %s%s%s",
			 d->handed_in_by ? d->handed_in_by : "-", d->signed_by ? d->signed_by : "-",
			 d->kept_where ? d->kept_where : "-", d->confirmed_by ? "  确认人 " : "",
			 d->confirmed_by ? d->confirmed_by : "");
		tui_put(t->rows - 4, 2, line, t->cols - 4);
	}
	snprintf(line, sizeof line, "显示：%s（F5）  共 %zu 项", l->late_only ? "逾期的" : "全部", l->n);
	tui_draw_list(t, &list_look, l, l->n, l->pick, &l->top, line, NULL);
}

/* Whether this store records the hand-in of d: a village its own, the town a unit's. */
static int ours(struct tui *t, const struct deliverable *d)
{
	return !tui_is_town(t) || d->unit != NULL;
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct deliverables *l = st;
	if (tui_list_key(k, &l->pick, l->n, tui_list_visible(t, &list_look)))
		return TUI_STAY;
	if (k.is_code && k.ch == KEY_F(5)) {
		l->late_only = !l->late_only;
		l->pick = l->top = 0;
		load(t, l);
		return TUI_STAY;
	}
	if (l->n == 0 || (!k.is_code && !tui_is_enter(k)))
		return TUI_STAY;
	const struct deliverable *d = &l->d[l->pick];
	if ((k.is_code && k.ch == KEY_F(2)) || tui_is_enter(k)) {
		if (!ours(t, d))
			tui_say(t, 1, "这是%s的交付事项，由村里登记提交；镇里收到后按 F6 确认收到。",
				d->party_name);
		else
			screen_form_push(t, "deliverables", d->id, NULL, NULL);
	} else if (k.is_code && k.ch == KEY_F(6)) {
		struct tz_error err;
		char question[256];
		snprintf(question, sizeof question, "确认已收到%s的“%s”？", d->party_name, d->what);
		if (!tui_is_town(t))
			tui_say(t, 1, "确认收到由镇扶贫办办理：村里只登记提交情况。");
		else if (tui_confirm(t, question)) {
			if (deliverable_confirm(t->s, d->id, NULL, &err) != TZ_OK)
				tui_say(t, 1, "%s", err.msg);
			else
				tui_say(t, 0, "已确认收到。");
			load(t, l);
		}
	}
	return TUI_STAY;
}

TUI_LIST_SCREEN_OPEN(screen_deliverables_push, deliverables_destroy, deliverables, deliverable_list_free, d, n,
		     "交付事项", " F1 帮助  F2/Enter 登记提交  F5 只看逾期/全部  F6 确认收到（镇）  Esc 返回",
		     campaign_deliverables, .draw = draw, .key = key, .resume = load)

/* ---- a unit's sheet ---- */

struct sheet {
	struct unit_sheet sh;
	char code[32];
	size_t top; /* the first deliverable shown */
	int shown;  /* how many rows the last draw had for them */
};

/* The largest top that still fills the rows shown. */
static size_t sheet_max_top(const struct sheet *s)
{
	size_t n = s->sh.ndeliverables, shown = s->shown > 0 ? (size_t)s->shown : 1;
	return n > shown ? n - shown : 0;
}

static void sheet_load(struct tui *t, void *st)
{
	struct sheet *s = st;
	unit_sheet_free(&s->sh);
	struct tz_error err;
	tui_say_failure(t, unit_sheet_load(t->s, s->code, &s->sh, &err), &err);
}

static void sheet_draw(struct tui *t, void *st)
{
	struct sheet *s = st;
	const struct unit_sheet *sh = &s->sh;
	int y = TUI_TOP, w = t->cols - 4;
	char line[512], money[MONEY_TEXT_NBYTES];
	if (sh->unit.code == NULL)
		return;
	snprintf(line, sizeof line, "%s（%s）", sh->unit.name, sh->unit.code);
	tui_put(y++, 2, line, w);
	size_t used = (size_t)snprintf(line, sizeof line, "任务：");
	for (size_t i = 0; i < sh->ntasks && used < sizeof line; i++)
		used += (size_t)snprintf(line + used, sizeof line - used, "%s%s%d", i ? "，" : "",
					 sh->tasks[i].lead ? "牵头" : "参加", sh->tasks[i].task);
	y += tui_put_wrapped(y, 2, line, w, 2);
	snprintf(line, sizeof line, "问题 %d 个：已销号 %d，逾期未整改 %d", sh->problems,
		 sh->problems_closed, sh->problems_late);
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "边缘户帮扶措施 %d 项；项目 %d 个，资金 %s 元", sh->measures,
		 sh->projects, money_format(sh->project_funds_cents, 0, money));
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "交付事项 %zu 项：已完成 %d，未到期 %d，逾期 %d", sh->ndeliverables,
		 sh->done, sh->open, sh->late);
	tui_put(y++, 2, line, w);
	y++;
	s->shown = t->rows - 3 - y > 1 ? t->rows - 3 - y : 1;
	if (s->top > sheet_max_top(s))
		s->top = sheet_max_top(s);
	for (size_t i = s->top; i < sh->ndeliverables && y < t->rows - 3; i++, y++) {
		const struct deliverable *d = &sh->deliverables[i];
		char b[32];
		snprintf(line, sizeof line, "%s  %s%s%s%s", d->due,
			 utf8_pad(b, sizeof b, deliverable_state_label(d->state), 8),
			 d->village_code && d->party_name ? d->party_name : "",
			 d->village_code && d->party_name ? "：" : "", d->what);
		tui_put_attr(y, 4, line, w - 2, d->state == DELIVERABLE_LATE ? tui_attr_error(t) : 0);
	}
}

/* The deliverables scroll: a row with the arrows, a page with PgUp/PgDn. */
static int sheet_key(struct tui *t, void *st, struct tui_key k)
{
	(void)t;
	struct sheet *s = st;
	tui_scroll_key(k, &s->top, sheet_max_top(s), s->shown > 1 ? (size_t)s->shown - 1 : 1);
	return TUI_STAY;
}

TUI_DESTROY_MEMBER(sheet_destroy, sheet, unit_sheet_free, sh)

TUI_SCREEN(sheet_ops, "责任单位台账",
	   " F1 帮助  上下键 PgUp/PgDn 滚动交付事项  Esc 返回", campaign_sheet,
	   .draw = sheet_draw, .key = sheet_key, .resume = sheet_load, .destroy = sheet_destroy);

/* ---- the units ---- */

struct units {
	struct unit *u;
	size_t n, pick, top;
};

static void units_load(struct tui *t, void *st)
{
	struct units *l = st;
	unit_list_free(l->u, l->n);
	struct tz_error err;
	tui_say_failure(t, unit_list(t->s, &l->u, &l->n, &err), &err);
}

static int unit_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct unit *u = &((const struct units *)st)->u[i];
	char a[64];
	snprintf(line, nbytes, "%s牵头任务 %d 项", utf8_pad(a, sizeof a, u->name, 30), u->leads);
	return 0;
}

/* The units the list shows, from TUI_TOP + 2 down to the message line: also
 * its page, what PgUp and PgDn move by. */
static int units_visible(const struct tui *t)
{
	return t->rows - 3 - (TUI_TOP + 2);
}

static void units_draw(struct tui *t, void *st)
{
	struct units *l = st;
	tui_put(TUI_TOP, 2, "责任单位：按 Enter 看单位的台账", t->cols - 4);
	tui_draw_rows(t, TUI_TOP + 2, units_visible(t), l->n, l->pick, &l->top, unit_row, l);
}

static int units_key(struct tui *t, void *st, struct tui_key k)
{
	struct units *l = st;
	if (tui_list_key(k, &l->pick, l->n, units_visible(t)))
		return TUI_STAY;
	if (tui_is_enter(k) && l->n > 0) {
		struct sheet *s = xcalloc(1, sizeof *s);
		snprintf(s->code, sizeof s->code, "%s", l->u[l->pick].code);
		tui_push_loaded(t, &sheet_ops, s, sheet_load);
	}
	return TUI_STAY;
}

TUI_LIST_SCREEN_OPEN(screen_units_push, units_destroy, units, unit_list_free, u, n, "责任单位",
		     " F1 帮助  上下键 选择  Enter 单位台账  Esc 返回", campaign_units,
		     .draw = units_draw, .key = units_key, .resume = units_load)

/* ---- the town's menu of the two ---- */

TUI_MENU(campaign_menu,
	{ "1  交付事项（各村、各单位的提交登记，确认收到）", screen_deliverables_push },
	{ "2  责任单位台账（每个单位牵头的任务、问题、交付事项）", screen_units_push });

static void campaign_draw(struct tui *t, void *st)
{
	int *pick = st;
	tui_draw_deliverable_counts(t, TUI_TOP, 2, t->cols - 4);
	tui_menu_draw(t, TUI_TOP + 2, t->cols - 4, &campaign_menu, *pick);
}

static int campaign_key(struct tui *t, void *st, struct tui_key k)
{
	tui_menu_key(t, &campaign_menu, st, k);
	return TUI_STAY;
}

TUI_SCREEN(campaign_ops, "交付事项和责任单位",
	   " F1 帮助  上下键 选择  Enter 打开  Esc 返回", campaign_town,
	   .draw = campaign_draw, .key = campaign_key);

int screen_town_campaign_push(struct tui *t)
{
	return tui_push(t, &campaign_ops, xcalloc(1, sizeof(int)));
}
