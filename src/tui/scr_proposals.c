/*
 * scr_proposals.c — 待审事项, at the town: a village's change to what only the
 * town writes (销号 of a dispatched problem, the town's review steps of a
 * project, reference data, policy numbers) is not applied on import but kept
 * as a proposal (src/sync/README.md, rule A4). The list shows the open ones
 * (F5: all); Enter shows one in full; F6 accepts it (the town writes it as its
 * own change, so the next bundle takes it back to the village; a note may be
 * typed), F7 refuses it with a note saying why (required). For a proposal on
 * the problem ledger, F4 opens that problem's page.
 *
 * What a proposal is and what accepting it writes live in src/sync/
 * (proposal.c); this screen only shows and asks (sync.h). The texts come
 * sanitized from sync_proposals_list and are drawn through tui_put.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/model.h"
#include "taizhang/sync.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

static const char *decision_label(const char *state)
{
	return strcmp(state, "accepted") == 0 ? "已同意" : strcmp(state, "refused") == 0 ? "不同意" : "待决定";
}

/* Ask and decide proposal p: accept (note optional) or refuse (note
 * required). 1 when it was decided. */
static int decide(struct tui *t, const struct sync_proposal *p, int accept)
{
	if (strcmp(p->state, "open") != 0) {
		tui_say(t, 0, "这条申请已经决定过了（%s）。", decision_label(p->state));
		return 0;
	}
	char note[800], question[160];
	snprintf(question, sizeof question,
		 accept ? "同意申请 #%lld，说明（可不填，如：已实地验收）："
			: "不同意申请 #%lld 的理由（必填，会记入台账）：",
		 p->id);
	if (!tui_prompt(t, question, note, sizeof note))
		return 0;
	struct tz_error err;
	int rc = accept ? sync_proposal_accept(t->s, p->id, note[0] ? note : NULL, &err)
			: sync_proposal_refuse(t->s, p->id, note, &err);
	if (rc != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return 0;
	}
	tui_say(t, 0, accept ? "申请 #%lld 已同意，已作为镇里的修改写入，导出数据包时发回村里。"
			     : "申请 #%lld 已记为不同意，本机数据不变。",
		p->id);
	return 1;
}

/* The proposals, and which is picked: the list's and the detail's state. */
struct proposals {
	int all;     /* decided ones too */
	long long id; /* the detail: the proposal shown */
	struct sync_proposal *p;
	size_t n, pick, top;
};

static void load(struct tui *t, void *st)
{
	struct proposals *l = st;
	struct tz_error err;
	sync_proposals_free(l->p, l->n);
	tui_say_failure(t, sync_proposals_list(t->s, l->all || l->id != 0, &l->p, &l->n, &err), &err);
	tui_list_clamp(&l->pick, l->n);
}

static const struct sync_proposal *shown(const struct proposals *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->p[i].id == o->id)
			return &o->p[i];
	return NULL;
}

/* ---- the list ---- */

static int proposal_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct sync_proposal *p = &((const struct proposals *)st)->p[i];
	char a[32], b[40], c[32], id[32];
	snprintf(id, sizeof id, "#%lld", p->id);
	snprintf(line, nbytes, "%s%s%s%s", utf8_pad(a, sizeof a, id, 6),
		 utf8_pad(b, sizeof b, p->village, 14), utf8_pad(c, sizeof c, decision_label(p->state), 8),
		 p->summary);
	return 0;
}

static const struct tui_ledger_look ledger_look = {
	{ "编号  村            状态    申请", 3, proposal_row },
	"待决定", "没有村里的申请。", "没有待决定的申请。",
};

static void draw(struct tui *t, void *st)
{
	struct proposals *l = st;
	tui_draw_ledger(t, &ledger_look, l, l->n, l->all, l->pick, &l->top);
}

static int screen_proposal_push(struct tui *t, long long id);

static void open_selected(struct tui *t, void *st)
{
	const struct proposals *l = st;
	screen_proposal_push(t, l->p[l->pick].id);
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct proposals *l = st;
	int what = tui_ledger_key(t, k, l, load, open_selected, &l->all, &l->pick, &l->top, l->n);
	if (what == TUI_LEDGER_OTHER && k.is_code && (k.ch == KEY_F(6) || k.ch == KEY_F(7)) &&
	    decide(t, &l->p[l->pick], k.ch == KEY_F(6)))
		load(t, l);
	return TUI_STAY;
}

TUI_LIST_SCREEN_OPEN(screen_proposals_push, destroy, proposals, sync_proposals_free, p, n, "待审事项",
		     " F1 帮助  Enter 详情  F6 同意  F7 不同意  F5 待决定/全部  Esc 返回", proposals_list,
		     .draw = draw, .key = key, .resume = load)

/* ---- one proposal ---- */

static void draw_one(struct tui *t, void *st)
{
	struct proposals *o = st;
	const struct sync_proposal *p = shown(o);
	move(TUI_TOP, 2);
	if (p == NULL)
		return;
	char line[1200], record[400];
	tui_describe_row(t, p->table_name, p->row_key, record, sizeof record);
	const struct tui_entry_head head = {
		"申请", p->id, "导入时间", p->at, decision_label(p->state),
		p->village, (unsigned long long)p->seq, record,
	};
	int y = tui_draw_entry_head(t, &head), w = t->cols - 4;
	snprintf(line, sizeof line, "编号：%s（%s，%s）", p->row_key, model_table_label(p->table_name),
		 strcmp(p->op, "insert") == 0 ? "新增" : strcmp(p->op, "update") == 0 ? "修改" : "删除");
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "申请：%s", p->summary);
	y += tui_put_wrapped(y, 2, line, w, 4);
	y++;
	if (p->decided_at != NULL) {
		char decided[40];
		tui_local_time(p->decided_at, decided, sizeof decided);
		snprintf(line, sizeof line, "%s 于 %s %s：%s", p->decided_by ? p->decided_by : "", decided,
			 decision_label(p->state), p->decided_note ? p->decided_note : "");
		tui_put_wrapped(y, 2, line, w, 4);
	} else {
		tui_put_wrapped(y, 2,
				"核实后按 F6 同意（由镇里写入，导出数据包时发回村里），"
				"或按 F7 不同意并写明理由。",
				w, 3);
	}
}

static int key_one(struct tui *t, void *st, struct tui_key k)
{
	struct proposals *o = st;
	const struct sync_proposal *p = shown(o);
	if (p == NULL || !k.is_code)
		return TUI_STAY;
	if (k.ch == KEY_F(6) || k.ch == KEY_F(7)) {
		if (decide(t, p, k.ch == KEY_F(6)))
			load(t, o);
	} else if (k.ch == KEY_F(4)) {
		tui_open_problem_row(t, p->table_name, p->row_key, "申请");
	}
	return TUI_STAY;
}

TUI_SCREEN(one_ops, "待审事项",
	   " F1 帮助  F6 同意  F7 不同意  F4 打开这个问题  Esc 返回", proposals_one,
	   .draw = draw_one, .key = key_one, .resume = load, .destroy = destroy);

static int screen_proposal_push(struct tui *t, long long id)
{
	struct proposals *o = xcalloc(1, sizeof *o);
	o->id = id;
	load(t, o);
	if (shown(o) == NULL)
		tui_say(t, 1, "没有编号为 %lld 的申请", id);
	return tui_push(t, &one_ops, o);
}
