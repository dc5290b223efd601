/*
 * scr_review.c — 审核: at the town, what waits for which of the town's steps
 * (a dispatched problem the village reported rectified, a project applied
 * for: 镇初审 → 部门审核 → 领导组审定); F6 passes the step (an opinion may be
 * typed; 领导组审定 passed is 销号), F7 sends it back with the reason
 * (required: a problem is reopened for 重新整改, a project is 未通过), Enter
 * opens a problem's page. F5 switches to the record of every step and answer.
 * At a village the screen shows that record only: what the town said, as the
 * town's bundles brought it (the outcome of each step, the reasons).
 *
 * What a step writes lives in model/review.c (review.h); this screen only
 * shows and asks. Texts are drawn through tui_put (the second wall).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/review.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

struct review_screen {
	int log; /* the record of steps and answers, not what waits */
	struct review_item *items;
	struct review_record *records;
	size_t n, pick, top;
};

static void clear_rows(struct review_screen *r)
{
	review_items_free(r->items, r->log ? 0 : r->n);
	review_records_free(r->records, r->log ? r->n : 0);
	r->items = NULL;
	r->records = NULL;
	r->n = 0;
}

static void load(struct tui *t, void *st)
{
	struct review_screen *r = st;
	clear_rows(r);
	if (!tui_is_town(t))
		r->log = 1;
	struct tz_error err;
	int rc = r->log ? review_outcomes(t->s, &r->records, &r->n, &err)
			: review_pending(t->s, &r->items, &r->n, &err);
	tui_say_failure(t, rc, &err);
	tui_list_clamp(&r->pick, r->n);
}

static const char *subject_name(enum review_subject s)
{
	return s == REVIEW_PROBLEM ? "问题" : "项目";
}

/* One row of the list into line. */
static int row_text(struct tui *t, const void *st, size_t i, char *line, size_t cap)
{
	(void)t;
	const struct review_screen *r = st;
	char a[32], b[40], c[40], d[64];
	if (r->log) {
		const struct review_record *x = &r->records[i];
		snprintf(line, cap, "%s%s%s%s%s%s%s", utf8_pad(a, sizeof a, x->on_date, 12),
			 utf8_pad(b, sizeof b, x->what, 24),
			 x->subject_id[0] ? subject_name(x->subject) : "", x->subject_id[0] ? "“" : "",
			 x->title ? x->title : "", x->subject_id[0] ? "”" : "",
			 x->opinion ? "：" : "");
		size_t used = strlen(line);
		snprintf(line + used, cap - used, "%s", x->opinion ? x->opinion : "");
		return 0;
	}
	const struct review_item *x = &r->items[i];
	snprintf(line, cap, "%s%s%s%s%s", utf8_pad(a, sizeof a, subject_name(x->subject), 6),
		 utf8_pad(b, sizeof b, x->step_label ? x->step_label : "", 12),
		 utf8_pad(c, sizeof c, x->since, 12), utf8_pad(d, sizeof d, x->village_name, 16), x->title);
	return 0;
}

static const struct tui_list_look log_look = {
	"日期        结果                    内容", 5, row_text
};
static const struct tui_list_look pending_look = {
	"类别  待办环节    等待自      村              名称", 5, row_text
};

static void draw(struct tui *t, void *st)
{
	struct review_screen *r = st;
	char line[160];
	if (tui_is_town(t))
		snprintf(line, sizeof line, "显示：%s（F5）  共 %zu 条", r->log ? "审核记录" : "待审核",
			 r->n);
	else
		snprintf(line, sizeof line, "镇里的审核结果和答复（随镇里的数据包带回）  共 %zu 条", r->n);
	if (r->n > 0 && !r->log && r->items[r->pick].detail)
		tui_put_wrapped(t->rows - 4, 2, r->items[r->pick].detail, t->cols - 4, 1);
	tui_draw_list(t, r->log ? &log_look : &pending_look, r, r->n, r->pick, &r->top, line,
		      r->log ? "还没有审核记录。" : "没有待审核的问题和项目。");
}

/* Pass (F6) or send back (F7) the picked item. */
static void decide(struct tui *t, struct review_screen *r, int pass)
{
	const struct review_item *x = &r->items[r->pick];
	char opinion[800], question[400];
	snprintf(question, sizeof question,
		 pass ? "%s“%.60s”%s通过，审核意见（可不填）："
		      : "%s“%.60s”%s退回的理由（必填，会发回村里）：",
		 subject_name(x->subject), x->title, x->step_label ? x->step_label : "");
	if (!tui_prompt(t, question, opinion, sizeof opinion))
		return;
	struct tz_error err;
	int rc = pass ? review_pass(t->s, x->subject, x->id, opinion, &err)
		      : review_return(t->s, x->subject, x->id, opinion, &err);
	if (rc != TZ_OK)
		tui_say(t, 1, "%s", err.msg);
	else
		tui_say(t, 0, "已记录%s%s，导出数据包时发回村里。", x->step_label ? x->step_label : "",
			!pass ? "退回" : strcmp(x->step, "approved") == 0 && x->subject == REVIEW_PROBLEM
					 ? "通过，已销号"
					 : "通过");
	load(t, r);
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct review_screen *r = st;
	int log = r->log;
	int what = tui_ledger_list_key(t, r->log ? &log_look : &pending_look, k, &log, &r->pick,
				       &r->top, r->n);
	if (what == TUI_LEDGER_RELOAD && tui_is_town(t)) {
		clear_rows(r);
		r->log = log;
		load(t, r);
	} else if (r->log) {
		return TUI_STAY;
	} else if (what == TUI_LEDGER_OPEN && r->items[r->pick].subject == REVIEW_PROBLEM) {
		screen_problem_open(t, r->items[r->pick].id, TUI_PAGE_EDIT);
	} else if (what == TUI_LEDGER_OTHER && k.is_code && (k.ch == KEY_F(6) || k.ch == KEY_F(7))) {
		decide(t, r, k.ch == KEY_F(6));
	}
	return TUI_STAY;
}

static void destroy(void *st)
{
	struct review_screen *r = st;
	clear_rows(r);
}

/* The screen's two faces share its functions. */
#define REVIEW_FUNCTIONS .draw = draw, .key = key, .resume = load, .destroy = destroy
TUI_SCREEN(ops, "审核",
	   " F1 帮助  F6 通过  F7 退回  Enter 打开问题  F5 待审核/审核记录  Esc 返回", review,
	   REVIEW_FUNCTIONS);
/* At a village: the record only, nothing to decide. */
TUI_SCREEN(village_ops, "镇里的审核结果", " F1 帮助  上下键 翻动  Esc 返回", review_village,
	   REVIEW_FUNCTIONS);

int screen_review_push(struct tui *t)
{
	return tui_open(t, tui_is_town(t) ? &ops : &village_ops, sizeof(struct review_screen));
}
