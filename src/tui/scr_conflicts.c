/*
 * scr_conflicts.c — the conflict ledger (冲突台账): every change of a peer's
 * bundle that did not apply cleanly, with what the sync did about it, until a
 * person marks it handled with a note saying what was done. The list shows the
 * open ones (F5: all); Enter shows one in full; F6 marks it handled, the note
 * typed through the line editor. For a conflict on the problem ledger, F4
 * opens that problem's page.
 *
 * The rule that decided each conflict lives in src/sync/apply.c; this screen
 * only shows and records (sync.h). It is a ledger screen (tui_ledger.c): this
 * file says what a conflict's row and page show and what F6 does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/model.h"
#include "taizhang/sync.h"
#include "taizhang/utf8.h"
#include "tui_help.h"
#include "tui_internal.h"

/* F6: ask what was done and mark conflict c handled; 1 when it was. */
static int mark_handled(struct tui *t, const struct sync_conflict *c)
{
	if (c->handled_at != NULL) {
		tui_say(t, 0, "这条冲突已经处理过了。");
		return 0;
	}
	char note[800];
	char question[128];
	snprintf(question, sizeof question, "冲突 #%lld 是怎么处理的（必填，如：已与村里核实，以镇里为准）：",
		 c->id);
	if (!tui_prompt(t, question, note, sizeof note))
		return 0;
	if (note[0] == '\0') {
		tui_say(t, 1, "请写明这条冲突是怎么处理的，再标为已处理。");
		return 0;
	}
	struct tz_error err;
	if (sync_conflict_handle(t->s, c->id, note, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return 0;
	}
	tui_say(t, 0, "冲突 #%lld 已标为处理过。", c->id);
	return 1;
}

static int act(struct tui *t, struct tui_ledger_list *l, size_t i, struct tui_key k)
{
	return k.ch == KEY_F(6) && mark_handled(t, &l->rows.c[i]);
}

static int conflict_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	const struct sync_conflict *c = &((const struct tui_ledger_list *)st)->rows.c[i];
	char a[32], b[40], d[64], e[64], f[32], when[40], id[32];
	tui_local_time(c->at, when, sizeof when);
	snprintf(id, sizeof id, "#%lld", c->id);
	snprintf(line, nbytes, "%s%s%s%s%s%s，%s", utf8_pad(a, sizeof a, id, 6),
		 utf8_pad(b, sizeof b, when, 18),
		 utf8_pad(d, sizeof d, tui_village_name(t, c->village, c->village), 12),
		 utf8_pad(e, sizeof e, model_table_label(c->table_name), 10),
		 utf8_pad(f, sizeof f, c->handled_at ? "已处理" : "未处理", 8),
		 sync_conflict_kind_label(c->kind), sync_conflict_resolution_label(c->resolution));
	return 0;
}

static void draw_page(struct tui *t, const struct tui_ledger_list *l, size_t i)
{
	const struct sync_conflict *c = &l->rows.c[i];
	char name[64] = "", village[128], record[400], line[1200];
	struct tz_error err;
	browse_ref_label(t->s, "villages", c->village, name, sizeof name, &err);
	snprintf(village, sizeof village, "%s（%s）", name[0] ? name : c->village, c->village);
	tui_describe_row(t, c->table_name, c->row_key, record, sizeof record);
	const struct tui_entry_head head = {
		"冲突", c->id, "记录时间", c->at, c->handled_at ? "已处理" : "未处理",
		village, (unsigned long long)c->seq, record,
	};
	int y = tui_draw_entry_head(t, &head), w = t->cols - 4;
	snprintf(line, sizeof line, "编号：%s", c->row_key);
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "情况：%s", sync_conflict_kind_label(c->kind));
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "已按规则处理：%s", sync_conflict_resolution_label(c->resolution));
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "详情：%s", c->detail ? c->detail : "");
	y += tui_put_wrapped(y, 2, line, w, 4);
	const struct tui_entry_end end = {
		c->handled_at, "已由 ", c->handled_by, "标为已处理", c->handled_note,
		"核实后按 F6 写明怎么处理的（例如：已与村里核实，以镇里的销号为准），"
		"标为已处理。",
	};
	tui_draw_entry_end(t, y + 1, &end);
}

TUI_LEDGER_SCREEN(screen_conflicts_push, TUI_LEDGER_CONFLICTS, "冲突台账", "冲突", conflicts, "冲突",
		  "未处理", "F6 标为已处理",
		  .look = { "编号  时间              村          记录      状态    情况", 3, conflict_row },
		  .empty_all = "冲突台账是空的。", .act = act, .draw_page = draw_page)
