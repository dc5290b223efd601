/*
 * scr_conflicts.c — the conflict ledger (冲突台账): every change of a peer's
 * bundle that did not apply cleanly, with what the sync did about it, until a
 * person marks it handled with a note saying what was done. The list shows the
 * open ones (F5: all); Enter shows one in full; F6 marks it handled, the note
 * typed through the line editor. For a conflict on the problem ledger, F4
 * opens that problem's page.
 *
 * The rule that decided each conflict lives in src/sync/apply.c; this screen
 * only shows and records (sync.h). Also here, for the 待审事项 screen too:
 * what a row of a table is, as an officer reads it (tui_describe_row), and F4
 * from an entry to the problem it is about (tui_open_problem_row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/model.h"
#include "taizhang/problem.h"
#include "taizhang/sync.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

void tui_describe_row(struct tui *t, const char *table, const char *key, char *out,
		      size_t out_nbytes)
{
	snprintf(out, out_nbytes, "%s %s", model_table_label(table), key);
	struct problem p;
	struct tz_error err;
	if (strcmp(table, "problems") == 0 && problem_get(t->s, key, &p, &err) == TZ_OK) {
		snprintf(out, out_nbytes, "问题“%s”（现在：%s）", p.title ? p.title : "",
			 p.state_label ? p.state_label : "");
		problem_free(&p);
	}
}

void tui_open_problem_row(struct tui *t, const char *table, const char *key, const char *what)
{
	if (strcmp(table, "problems") == 0)
		screen_problem_open(t, key, TUI_PAGE_EDIT);
	else
		tui_say(t, 0, "只有问题台账的%s可以从这里打开记录。", what);
}

int tui_draw_entry_head(struct tui *t, const struct tui_entry_head *h)
{
	char line[1200], when[40];
	int y = TUI_TOP, w = t->cols - 4;
	tui_local_time(h->stamp, when, sizeof when);
	snprintf(line, sizeof line, "%s #%lld    %s：%s    %s", h->what, h->id, h->stamp_word, when,
		 h->state);
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "村：%s    第 %llu 号数据包", h->village, h->seq);
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "记录：%s", h->record);
	tui_put(y++, 2, line, w);
	return y;
}

/* Ask what was done and mark conflict id handled; 1 when it was. */
static int mark_handled(struct tui *t, long long id)
{
	char note[800];
	char question[128];
	snprintf(question, sizeof question, "冲突 #%lld 是怎么处理的（必填，如：已与村里核实，以镇里为准）：", id);
	if (!tui_prompt(t, question, note, sizeof note))
		return 0;
	if (note[0] == '\0') {
		tui_say(t, 1, "请写明这条冲突是怎么处理的，再标为已处理。");
		return 0;
	}
	struct tz_error err;
	if (sync_conflict_handle(t->s, id, note, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return 0;
	}
	tui_say(t, 0, "冲突 #%lld 已标为处理过。", id);
	return 1;
}

/* ---- the list ---- */

struct conflicts {
	int all; /* handled ones too */
	struct sync_conflict *c;
	size_t n, pick, top;
};

static void load(struct tui *t, void *st)
{
	struct conflicts *l = st;
	struct tz_error err;
	sync_conflicts_free(l->c, l->n);
	tui_say_failure(t, sync_conflicts_list(t->s, l->all, &l->c, &l->n, &err), &err);
	tui_say_failure(t, tui_village_names_load(t, &err), &err);
	tui_list_clamp(&l->pick, l->n);
}

static int conflict_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct conflicts *l = st;
	const struct sync_conflict *c = &l->c[i];
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

static const struct tui_ledger_look ledger_look = {
	{ "编号  时间              村          记录      状态    情况", 3, conflict_row },
	"未处理", "冲突台账是空的。", "没有未处理的冲突。",
};

static void draw(struct tui *t, void *st)
{
	struct conflicts *l = st;
	tui_draw_ledger(t, &ledger_look, l, l->n, l->all, l->pick, &l->top);
}

static int screen_conflict_push(struct tui *t, long long id);

static void open_selected(struct tui *t, void *st)
{
	const struct conflicts *l = st;
	screen_conflict_push(t, l->c[l->pick].id);
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct conflicts *l = st;
	int what = tui_ledger_key(t, k, l, load, open_selected, &l->all, &l->pick, &l->top, l->n);
	if (what != TUI_LEDGER_OTHER || !k.is_code || k.ch != KEY_F(6))
		return TUI_STAY;
	if (l->c[l->pick].handled_at != NULL)
		tui_say(t, 0, "这条冲突已经处理过了。");
	else if (mark_handled(t, l->c[l->pick].id))
		load(t, l);
	return TUI_STAY;
}

TUI_LIST_SCREEN_OPEN(screen_conflicts_push, destroy, conflicts, sync_conflicts_free, c, n, "冲突台账",
		     " F1 帮助  Enter 详情  F6 标为已处理  F5 未处理/全部  Esc 返回", conflicts_list,
		     .draw = draw, .key = key, .resume = load)

/* ---- one conflict ---- */

struct one {
	long long id;
	struct sync_conflict *all; /* the whole ledger; c points into it */
	size_t nall;
	const struct sync_conflict *c;
	char village[128];
	char record[400]; /* what the row is, as an officer reads it */
};

static void load_one(struct tui *t, void *st)
{
	struct one *o = st;
	struct tz_error err;
	sync_conflicts_free(o->all, o->nall);
	o->c = NULL;
	if (tui_say_failure(t, sync_conflicts_list(t->s, 1, &o->all, &o->nall, &err), &err) != TZ_OK)
		return;
	for (size_t i = 0; i < o->nall; i++)
		if (o->all[i].id == o->id)
			o->c = &o->all[i];
	if (o->c == NULL) {
		tui_say(t, 1, "冲突台账里没有 #%lld 这一条", o->id);
		return;
	}
	char name[64] = "";
	browse_ref_label(t->s, "villages", o->c->village, name, sizeof name, &err);
	snprintf(o->village, sizeof o->village, "%s（%s）", name[0] ? name : o->c->village, o->c->village);
	tui_describe_row(t, o->c->table_name, o->c->row_key, o->record, sizeof o->record);
}

static void draw_one(struct tui *t, void *st)
{
	struct one *o = st;
	move(TUI_TOP, 2);
	if (o->c == NULL)
		return;
	const struct sync_conflict *c = o->c;
	const struct tui_entry_head head = {
		"冲突", c->id, "记录时间", c->at, c->handled_at ? "已处理" : "未处理",
		o->village, (unsigned long long)c->seq, o->record,
	};
	int y = tui_draw_entry_head(t, &head), w = t->cols - 4;
	char line[1200];
	snprintf(line, sizeof line, "编号：%s", c->row_key);
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "情况：%s", sync_conflict_kind_label(c->kind));
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "已按规则处理：%s", sync_conflict_resolution_label(c->resolution));
	tui_put(y++, 2, line, w);
	snprintf(line, sizeof line, "详情：%s", c->detail ? c->detail : "");
	y += tui_put_wrapped(y, 2, line, w, 4);
	y++;
	if (c->handled_at != NULL) {
		char handled[40];
		tui_local_time(c->handled_at, handled, sizeof handled);
		snprintf(line, sizeof line, "已由 %s 于 %s 标为已处理：%s", c->handled_by ? c->handled_by : "",
			 handled, c->handled_note ? c->handled_note : "");
		tui_put_wrapped(y, 2, line, w, 4);
	} else {
		tui_put_wrapped(y, 2,
				"核实后按 F6 写明怎么处理的（例如：已与村里核实，以镇里的销号为准），"
				"标为已处理。",
				w, 3);
	}
}

static int key_one(struct tui *t, void *st, struct tui_key k)
{
	struct one *o = st;
	if (o->c == NULL || !k.is_code)
		return TUI_STAY;
	if (k.ch == KEY_F(6)) {
		if (o->c->handled_at != NULL)
			tui_say(t, 0, "这条冲突已经处理过了。");
		else if (mark_handled(t, o->id))
			load_one(t, o);
	} else if (k.ch == KEY_F(4)) {
		tui_open_problem_row(t, o->c->table_name, o->c->row_key, "冲突");
	}
	return TUI_STAY;
}

TUI_DESTROY_LIST(destroy_one, one, sync_conflicts_free, all, nall)

TUI_SCREEN(one_ops, "冲突",
	   " F1 帮助  F6 标为已处理  F4 打开这个问题  Esc 返回", conflicts_one,
	   .draw = draw_one, .key = key_one, .resume = load_one, .destroy = destroy_one);

static int screen_conflict_push(struct tui *t, long long id)
{
	struct one *o = xcalloc(1, sizeof *o);
	o->id = id;
	return tui_push_loaded(t, &one_ops, o, load_one);
}
