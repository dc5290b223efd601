/*
 * scr_deadlines.c — 时间节点: every deadline the town set for the campaign
 * (reference.h), nearest first, each with its due date, the days left or past,
 * and its text wrapped to the screen; the list scrolls. The home screen shows
 * the nearest ones only and points here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/date.h"
#include "taizhang/reference.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

struct deadlines {
	struct reference_list l;
	char **paragraphs; /* one per deadline, as drawn */
	size_t n;
	int top;
};

static int by_due(const void *a, const void *b)
{
	const struct reference_item *x = a, *y = b;
	int c = strcmp(x->value, y->value);
	return c ? c : strcmp(x->key, y->key);
}

static void clear_paragraphs(struct deadlines *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->paragraphs[i]);
	free(d->paragraphs);
	d->paragraphs = NULL;
	d->n = 0;
}

static void load(struct tui *t, void *st)
{
	struct deadlines *d = st;
	struct tz_error err;
	clear_paragraphs(d);
	reference_list_free(&d->l);
	memset(&d->l, 0, sizeof d->l);
	if (reference_list(t->s, &d->l, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return;
	}
	qsort(d->l.deadlines, d->l.ndeadlines, sizeof *d->l.deadlines, by_due);
	d->paragraphs = xcalloc(d->l.ndeadlines ? d->l.ndeadlines : 1, sizeof *d->paragraphs);
	int32_t today = date_today();
	for (size_t i = 0; i < d->l.ndeadlines; i++) {
		const struct reference_item *it = &d->l.deadlines[i];
		int32_t due = 0;
		int known = date_parse(it->value, &due);
		char text[1024];
		tui_deadline_line(text, sizeof text, it->value, known, (int)(due - today), it->label);
		d->paragraphs[d->n++] = xstrdup(text);
	}
}

static void draw(struct tui *t, void *st)
{
	struct deadlines *d = st;
	char line[160];
	snprintf(line, sizeof line, "脱贫攻坚问题整改的时间节点，共 %zu 个，按到期日排列：", d->n);
	tui_put(TUI_TOP, 2, line, t->cols - 4);
	if (d->n == 0)
		tui_put(TUI_TOP + 2, 2, "（镇扶贫办还没有设定时间节点）", t->cols - 4);
	tui_draw_detail(TUI_TOP + 2, t->rows - 3, t->cols - 6, (const char *const *)d->paragraphs,
			d->n, &d->top);
	move(TUI_TOP, 2);
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct deadlines *d = st;
	int page = t->rows - 3 - (TUI_TOP + 2);
	if (k.is_code && k.ch == KEY_UP)
		d->top--;
	else if (k.is_code && k.ch == KEY_DOWN)
		d->top++;
	else if (k.is_code && k.ch == KEY_PPAGE)
		d->top -= page;
	else if (k.is_code && k.ch == KEY_NPAGE)
		d->top += page;
	if (d->top < 0)
		d->top = 0; /* the top end; the bottom end is kept by tui_draw_detail */
	return TUI_STAY;
}

static void destroy(void *st)
{
	struct deadlines *d = st;
	clear_paragraphs(d);
	reference_list_free(&d->l);
}

static const struct screen_ops ops = {
	.title = "时间节点",
	.keys = " F1 帮助  上下键/翻页键 滚动  Esc 返回",
	.help = TUI_HELP_deadlines,
	.draw = draw, .key = key, .resume = load, .destroy = destroy,
};

int screen_deadlines_push(struct tui *t)
{
	return tui_open(t, &ops, sizeof(struct deadlines));
}
