/*
 * tui_ledger.c — a ledger screen of the town (冲突台账, 待审事项): entries that
 * came with the villages' bundles and wait for a person. The list shows the
 * open ones (F5: all); Enter opens one on its own page; F4 there opens the
 * problem the entry is about; the ledger's own keys (F6, F7) act on the entry
 * picked or shown, and the ledger is read again when they changed it.
 *
 * The entries are the sync layer's (sync.h: sync_conflicts_list,
 * sync_proposals_list), read here by the ledger's kind. What else differs —
 * the words, how a row and a page read, what the ledger's own keys do — is a
 * struct tui_ledger that the ledger's screen file declares with
 * TUI_LEDGER_SCREEN (scr_conflicts.c, scr_proposals.c). The state, the
 * reading, the two screens' drawing and keys are here, once. So are the
 * pieces of an entry's page: what a row of a table is as an officer reads it
 * (tui_describe_row), its first lines (tui_draw_entry_head) and its last
 * (tui_draw_entry_end).
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "taizhang/model.h"
#include "taizhang/problem.h"
#include "taizhang/sync.h"
#include "taizhang/xalloc.h"
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

void tui_draw_entry_end(struct tui *t, int y, const struct tui_entry_end *e)
{
	int w = t->cols - 4;
	if (e->at == NULL) {
		tui_put_wrapped(y, 2, e->hint, w, 3);
		return;
	}
	char line[1200], when[40];
	tui_local_time(e->at, when, sizeof when);
	snprintf(line, sizeof line, "%s%s 于 %s %s：%s", e->by_word, e->by ? e->by : "", when, e->done,
		 e->note ? e->note : "");
	tui_put_wrapped(y, 2, line, w, 4);
}

/* ---- the entries, by the ledger's kind ---- */

/* Read the entries into l->rows (all: the closed ones too, else the open
 * ones), a failure said on the message line; the list function's status. */
static int read_rows(struct tui *t, struct tui_ledger_list *l, int all)
{
	struct tz_error err;
	if (l->ledger->kind == TUI_LEDGER_PROPOSALS)
		return tui_say_failure(t, sync_proposals_list(t->s, all, &l->rows.p, &l->n, &err), &err);
	int rc = tui_say_failure(t, sync_conflicts_list(t->s, all, &l->rows.c, &l->n, &err), &err);
	tui_say_failure(t, tui_village_names_load(t, &err), &err); /* a conflict's row names it */
	return rc;
}

static void free_rows(struct tui_ledger_list *l)
{
	if (l->ledger->kind == TUI_LEDGER_PROPOSALS)
		sync_proposals_free(l->rows.p, l->n);
	else
		sync_conflicts_free(l->rows.c, l->n);
}

/* What the screens need of entry i: its number, and the row it is about. */
struct entry {
	long long id;
	const char *table, *row_key;
};

static struct entry entry(const struct tui_ledger_list *l, size_t i)
{
	if (l->ledger->kind == TUI_LEDGER_PROPOSALS) {
		const struct sync_proposal *p = &l->rows.p[i];
		return (struct entry){ p->id, p->table_name, p->row_key };
	}
	const struct sync_conflict *c = &l->rows.c[i];
	return (struct entry){ c->id, c->table_name, c->row_key };
}

/* The index of the entry a page shows (l->id), l->n when it is not among them. */
static size_t shown(const struct tui_ledger_list *l)
{
	size_t i = 0;
	while (i < l->n && entry(l, i).id != l->id)
		i++;
	return i;
}

/* ---- the two screens ---- */

void tui_ledger_load(struct tui *t, void *st)
{
	struct tui_ledger_list *l = st;
	free_rows(l);
	int rc = read_rows(t, l, l->all || l->id != 0);
	tui_list_clamp(&l->pick, l->n);
	if (rc == TZ_OK && l->id != 0 && shown(l) == l->n)
		tui_say(t, 1, "没有编号为 %lld 的%s", l->id, l->ledger->what);
}

void tui_ledger_destroy(void *st)
{
	free_rows(st);
}

/* Push ops with a new state of ledger: the list (id 0) or entry id's page. */
static int open_ledger(struct tui *t, const struct tui_ledger *ledger, const struct screen_ops *ops,
		       long long id)
{
	struct tui_ledger_list *l = xcalloc(1, sizeof *l);
	l->ledger = ledger;
	l->id = id;
	return tui_push_loaded(t, ops, l, tui_ledger_load);
}

int tui_ledger_open(struct tui *t, const struct tui_ledger *ledger)
{
	return open_ledger(t, ledger, &ledger->list, 0);
}

/* ---- the list ---- */

void tui_ledger_draw_list(struct tui *t, void *st)
{
	struct tui_ledger_list *l = st;
	const struct tui_ledger *d = l->ledger;
	char status[128];
	snprintf(status, sizeof status, "显示：%s（F5）  共 %zu 条", l->all ? "全部" : d->open_word,
		 l->n);
	tui_draw_list(t, &d->look, l, l->n, l->pick, &l->top, status,
		      l->all ? d->empty_all : d->empty_open);
}

int tui_ledger_key_list(struct tui *t, void *st, struct tui_key k)
{
	struct tui_ledger_list *l = st;
	switch (tui_ledger_list_key(t, &l->ledger->look, k, &l->all, &l->pick, &l->top, l->n)) {
	case TUI_LEDGER_RELOAD:
		tui_ledger_load(t, l);
		break;
	case TUI_LEDGER_OPEN:
		open_ledger(t, l->ledger, &l->ledger->page, entry(l, l->pick).id);
		break;
	case TUI_LEDGER_OTHER:
		if (k.is_code && l->ledger->act(t, l, l->pick, k))
			tui_ledger_load(t, l);
		break;
	}
	return TUI_STAY;
}

/* ---- an entry's page ---- */

void tui_ledger_draw_page(struct tui *t, void *st)
{
	struct tui_ledger_list *l = st;
	size_t i = shown(l);
	move(TUI_TOP, 2);
	if (i < l->n)
		l->ledger->draw_page(t, l, i);
}

int tui_ledger_key_page(struct tui *t, void *st, struct tui_key k)
{
	struct tui_ledger_list *l = st;
	size_t i = shown(l);
	if (i == l->n || !k.is_code)
		return TUI_STAY;
	struct entry e = entry(l, i);
	if (k.ch != KEY_F(4)) {
		if (l->ledger->act(t, l, i, k))
			tui_ledger_load(t, l);
	} else if (strcmp(e.table, "problems") == 0) {
		screen_problem_open(t, e.row_key, TUI_PAGE_EDIT);
	} else {
		tui_say(t, 0, "只有问题台账的%s可以从这里打开记录。", l->ledger->what);
	}
	return TUI_STAY;
}
