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
 * sanitized from sync_proposals_list and are drawn through tui_put. It is a
 * ledger screen (tui_ledger.c): this file says what a proposal's row and page
 * show and what F6 and F7 do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/model.h"
#include "taizhang/sync.h"
#include "taizhang/utf8.h"
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

/* F6 accepts, F7 refuses. */
static int act(struct tui *t, struct tui_ledger_list *l, size_t i, struct tui_key k)
{
	return (k.ch == KEY_F(6) || k.ch == KEY_F(7)) && decide(t, &l->rows.p[i], k.ch == KEY_F(6));
}

static int proposal_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct sync_proposal *p = &((const struct tui_ledger_list *)st)->rows.p[i];
	char a[32], b[40], c[32], id[32];
	snprintf(id, sizeof id, "#%lld", p->id);
	snprintf(line, nbytes, "%s%s%s%s", utf8_pad(a, sizeof a, id, 6),
		 utf8_pad(b, sizeof b, p->village, 14), utf8_pad(c, sizeof c, decision_label(p->state), 8),
		 p->summary);
	return 0;
}

static void draw_page(struct tui *t, const struct tui_ledger_list *l, size_t i)
{
	const struct sync_proposal *p = &l->rows.p[i];
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
	const struct tui_entry_end end = {
		p->decided_at, "", p->decided_by, decision_label(p->state), p->decided_note,
		"核实后按 F6 同意（由镇里写入，导出数据包时发回村里），"
		"或按 F7 不同意并写明理由。",
	};
	tui_draw_entry_end(t, y + 1, &end);
}

TUI_LEDGER_SCREEN(screen_proposals_push, TUI_LEDGER_PROPOSALS, "待审事项", "待审事项", proposals,
		  "申请", "待决定", "F6 同意  F7 不同意",
		  .look = { "编号  村            状态    申请", 3, proposal_row },
		  .empty_all = "没有村里的申请。", .act = act, .draw_page = draw_page)
