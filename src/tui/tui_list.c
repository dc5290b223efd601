/*
 * tui_list.c — the lists of the officer's screen: a list of rows with one
 * selected, scrolled so that it shows, moved by the arrow and page keys. A
 * screen with a list keeps its n, pick and top and hands its rows to
 * tui_draw_list (a line and a colour per row, written by the screen); the
 * helpers below are the one place where a list is scrolled, highlighted and
 * moved, so that every list behaves the same.
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/utf8.h"
#include "tui_internal.h"

void tui_list_clamp(size_t *pick, size_t n)
{
	if (*pick >= n)
		*pick = n ? n - 1 : 0;
}

void tui_list_scroll(size_t pick, size_t *top, int visible)
{
	if (pick < *top)
		*top = pick;
	if (visible > 0 && pick >= *top + (size_t)visible)
		*top = pick - (size_t)visible + 1;
}

void tui_put_row(struct tui *t, int y, const char *line, int ncols, int selected)
{
	if (selected)
		attron(tui_attr_select(t));
	tui_put_padded(y, 2, line, ncols);
	if (selected)
		attroff(tui_attr_select(t));
}

void tui_select_saved(struct tui *t, const struct browse_row *rows, size_t n, size_t *pick)
{
	for (size_t i = 0; t->saved_id[0] && i < n; i++)
		if (strcmp(rows[i].id, t->saved_id) == 0) {
			*pick = i;
			t->saved_id[0] = '\0';
		}
}

int tui_ledger_list_key(struct tui *t, const struct tui_list_look *look, struct tui_key k, int *all,
			size_t *pick, size_t *top, size_t n)
{
	if (tui_list_key(k, pick, n, tui_list_visible(t, look)))
		return TUI_LEDGER_DONE;
	if (k.is_code && k.ch == KEY_F(5)) {
		*all = !*all;
		*pick = *top = 0;
		return TUI_LEDGER_RELOAD;
	}
	if (n == 0)
		return TUI_LEDGER_DONE;
	return tui_is_enter(k) ? TUI_LEDGER_OPEN : TUI_LEDGER_OTHER;
}

int tui_list_key(struct tui_key k, size_t *pick, size_t n, int visible)
{
	size_t page = visible > 1 ? (size_t)visible - 1 : 1;
	if (!k.is_code || n == 0)
		return 0;
	switch (k.ch) {
	case KEY_UP:
		if (*pick > 0)
			(*pick)--;
		return 1;
	case KEY_DOWN:
		if (*pick + 1 < n)
			(*pick)++;
		return 1;
	case KEY_PPAGE:
		*pick = *pick > page ? *pick - page : 0;
		return 1;
	case KEY_NPAGE:
		*pick = *pick + page < n ? *pick + page : n - 1;
		return 1;
	case KEY_HOME:
		*pick = 0;
		return 1;
	case KEY_END:
		*pick = n - 1;
		return 1;
	default:
		return 0;
	}
}

int tui_scroll_key(struct tui_key k, size_t *top, size_t max_top, size_t page)
{
	if (!k.is_code)
		return 0;
	switch (k.ch) {
	case KEY_UP:
		*top = *top > 0 ? *top - 1 : 0;
		break;
	case KEY_DOWN:
		*top = *top + 1 < max_top ? *top + 1 : max_top;
		break;
	case KEY_PPAGE:
		*top = *top > page ? *top - page : 0;
		break;
	case KEY_NPAGE:
		*top = *top + page < max_top ? *top + page : max_top;
		break;
	case KEY_HOME:
		*top = 0;
		break;
	case KEY_END:
		*top = max_top;
		break;
	default:
		return 0;
	}
	return 1;
}

/* The cells as one line, each padded to widths[c] - 1 columns and a space. */
static void table_line(char *line, size_t nbytes, const char *const *cells, const int *widths,
		       size_t nc)
{
	size_t used = 0;
	line[0] = '\0';
	for (size_t c = 0; c < nc && used < nbytes; c++) {
		char cell[256];
		used += (size_t)snprintf(line + used, nbytes - used, "%s ",
					 utf8_pad(cell, sizeof cell, cells[c] ? cells[c] : "",
						  (size_t)widths[c] - 1));
	}
}

/* The cells of a table's rows, for tui_draw_rows. */
struct table {
	const struct browse_row *rows;
	const int *widths;
	size_t nc;
};

static int table_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct table *tb = st;
	table_line(line, nbytes, (const char *const *)tb->rows[i].cells, tb->widths, tb->nc);
	return 0;
}

int tui_draw_table(struct tui *t, int y, const char *const *headers, const int *widths, size_t nc,
		   const struct browse_row *rows, size_t n, size_t pick, size_t *top, const char *empty)
{
	char line[1024];
	table_line(line, sizeof line, headers, widths, nc);
	attron(A_BOLD);
	tui_put(y++, 2, line, t->cols - 4);
	attroff(A_BOLD);
	if (n == 0)
		tui_put(y, 2, empty, t->cols - 4);
	struct table tb = { rows, widths, nc };
	int visible = t->rows - 3 - y;
	tui_draw_rows(t, y, visible, n, pick, top, table_row, &tb);
	return visible;
}

int tui_list_header(struct tui *t, int y, const char *header, int bottom, size_t pick,
		    size_t *top)
{
	attron(A_BOLD);
	tui_put(y, 2, header, t->cols - 4);
	attroff(A_BOLD);
	int visible = t->rows - bottom - (y + 1);
	if (visible < 1)
		visible = 1;
	tui_list_scroll(pick, top, visible);
	return visible;
}

void tui_draw_rows(struct tui *t, int y, int visible, size_t n, size_t pick, size_t *top,
		   tui_row_fn row, const void *st)
{
	char line[2048];
	if (pick < n)
		tui_list_scroll(pick, top, visible);
	for (int i = 0; i < visible && *top + (size_t)i < n; i++) {
		size_t r = *top + (size_t)i;
		int attr = row(t, st, r, line, sizeof line);
		if (r == pick)
			attr = tui_attr_select(t);
		if (attr)
			attron(attr);
		tui_put_padded(y + i, 2, line, t->cols - 4);
		if (attr)
			attroff(attr);
	}
	move(pick < n ? y + (int)(pick - *top) : y, 2);
}

int tui_list_visible(const struct tui *t, const struct tui_list_look *look)
{
	int visible = t->rows - look->bottom - (TUI_TOP + 3);
	return visible < 1 ? 1 : visible;
}

int tui_draw_list(struct tui *t, const struct tui_list_look *look, const void *st, size_t n,
		  size_t pick, size_t *top, const char *status, const char *empty)
{
	int y = TUI_TOP;
	if (status != NULL)
		tui_put(y, 2, status, t->cols - 4);
	y += 2;
	int visible = tui_list_header(t, y++, look->header, look->bottom, pick, top);
	if (n == 0 && empty != NULL)
		tui_put(y, 2, empty, t->cols - 4);
	tui_draw_rows(t, y, visible, n, pick, top, look->row, st);
	return y;
}
