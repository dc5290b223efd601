/*
 * tui.c — the officer's screen: start and stop curses, the loop that reads keys
 * and hands them to the screen on top of the stack, the title bar, message line
 * and key bar every screen has, F1 help, the too-small notice, and the drawing
 * helpers that measure text in columns (a Chinese character is two).
 *
 * Layout, on 80x24 and larger:
 *   row 0        title bar: 台账 · 示范村（341522104201）· 住户台账
 *   row 1        blank
 *   rows 2..n-3  the screen's content
 *   row n-2      message line (errors in red / bold)
 *   row n-1      key bar of the screen
 * Only ASCII and ACS characters are used for borders and markers.
 */
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "taizhang/text_hygiene.h"
#include "taizhang/tui.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "taizhang/browse.h"
#include "tui_internal.h"

enum { PAIR_TITLE = 1, PAIR_KEYBAR, PAIR_ERROR, PAIR_SELECT, PAIR_FIELD };

int tui_attr_title(const struct tui *t)
{
	return t->color ? COLOR_PAIR(PAIR_TITLE) | A_BOLD : A_REVERSE | A_BOLD;
}

int tui_attr_keybar(const struct tui *t)
{
	return t->color ? COLOR_PAIR(PAIR_KEYBAR) : A_REVERSE;
}

int tui_attr_error(const struct tui *t)
{
	return t->color ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD;
}

int tui_attr_select(const struct tui *t)
{
	return t->color ? COLOR_PAIR(PAIR_SELECT) : A_REVERSE;
}

int tui_attr_field(const struct tui *t)
{
	return t->color ? COLOR_PAIR(PAIR_FIELD) : A_UNDERLINE;
}

int tui_is_town(const struct tui *t)
{
	return t->s != NULL && store_keyring(t->s)->kind == STORE_KIND_TOWN;
}

int tui_content_rows(const struct tui *t)
{
	return t->rows - TUI_TOP - 2;
}

/* How many of the n bytes of text (sanitized) fit in ncols columns, never
 * splitting a character; *used the columns they take. A control character
 * left by text_sanitize (a carriage return) takes none. The one measure of
 * tui_put and of each line wrap draws. */
static size_t fit(const char *text, size_t n, int ncols, int *used)
{
	size_t i = 0;
	*used = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(text + i, n - i, &cp);
		if (len == 0)
			len = 1, cp = '?';
		int w = cp < 0x20 ? 0 : utf8_cp_ncols(cp);
		if (*used + w > ncols)
			break;
		i += len;
		*used += w;
	}
	return i;
}

/* Every text any screen shows is drawn by tui_put or tui_put_wrapped, and
 * both draw it through text_sanitize first: the second wall (issue 13, rule
 * A5) for stored text that came in around the text rule — no ESC or other
 * control, bidi override or zero-width character reaches the terminal. Line
 * breaks are kept so that a text still stops at its first (as before). */
int tui_put(int y, int x, const char *raw, int ncols)
{
	if (ncols <= 0 || raw == NULL)
		return 0;
	char *text = text_sanitize(raw, TEXT_ALLOW_NEWLINE);
	int used;
	size_t i = fit(text, strcspn(text, "\r\n"), ncols, &used); /* up to the first line break */
	mvaddnstr(y, x, text, (int)i);
	free(text);
	return used;
}

int tui_put_attr(int y, int x, const char *text, int ncols, int attr)
{
	attron(attr);
	int used = tui_put(y, x, text, ncols);
	attroff(attr);
	return used;
}

void tui_put_padded(int y, int x, const char *text, int ncols)
{
	int used = tui_put(y, x, text, ncols);
	for (; used < ncols; used++)
		mvaddch(y, x + used, ' ');
}

/* Whether c is part of a word of Latin letters, digits or the signs inside
 * numbers, paths and codes (0564-1234567, 2019-05-01, a.csv), which a wrap
 * keeps whole. */
static int in_latin_word(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c != '\0' && strchr("-_./:@%+#", c) != NULL);
}

/* Wrap text (sanitized) to ncols columns, breaking between characters (a
 * double-width one never split, nor a Latin word or number that fits a line)
 * and at each newline; draw wrapped lines skip .. skip + max_lines - 1 from
 * row y. Returns the number of wrapped lines in all. */
static int wrap(int y, int x, const char *raw, int ncols, int skip, int max_lines)
{
	if (ncols <= 1 || raw == NULL)
		return 0;
	char *text = text_sanitize(raw, TEXT_ALLOW_NEWLINE);
	size_t n = strlen(text), i = 0;
	int line = 0;
	while (i < n) {
		size_t start = i;
		int used;
		i += fit(text + i, strcspn(text + i, "\n"), ncols, &used);
		if (i < n && i > start && in_latin_word(text[i]) && in_latin_word(text[i - 1])) {
			size_t word = i; /* the break would split a word: break before it */
			while (word > start && in_latin_word(text[word - 1]))
				word--;
			if (word > start)
				i = word;
		}
		if (line >= skip && line < skip + max_lines)
			mvaddnstr(y + line - skip, x, text + start, (int)(i - start));
		line++;
		if (i < n && text[i] == '\n')
			i++;
	}
	free(text);
	return line;
}

int tui_put_wrapped(int y, int x, const char *raw, int ncols, int max_lines)
{
	int n = wrap(y, x, raw, ncols, 0, max_lines);
	return n < max_lines ? n : max_lines;
}

int tui_put_wrapped_from(int y, int x, const char *text, int ncols, int skip, int max_lines)
{
	return wrap(y, x, text, ncols, skip, max_lines);
}

int tui_draw_detail(int y, int y_end, int ncols, const char *const *paragraphs, size_t n,
		    int *top)
{
	int total = 0;
	for (size_t i = 0; i < n; i++) /* measured first, drawn nowhere */
		total += wrap(0, 0, paragraphs[i], ncols, 0, 0);
	int rows = y_end - y;
	if (*top > total - rows)
		*top = total - rows;
	if (*top < 0)
		*top = 0;
	int line = 0;
	for (size_t i = 0; i < n; i++) {
		int skip = *top > line ? *top - line : 0;
		int at = y + (line + skip - *top);
		int room = y_end - at;
		line += wrap(at, 2, paragraphs[i], ncols, skip, room > 0 ? room : 0);
	}
	if (*top > 0)
		mvaddstr(y, ncols + 2 < COLS ? ncols + 2 : COLS - 1, "^");
	if (*top + rows < total)
		mvaddstr(y_end - 1, ncols + 2 < COLS ? ncols + 2 : COLS - 1, "v");
	return total;
}

void tui_local_time(const char *utc_stamp, char *out, size_t out_nbytes)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (utc_stamp == NULL || utc_stamp[0] == '\0') {
		snprintf(out, out_nbytes, "%s", "");
		return;
	}
	if (sscanf(utc_stamp, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		snprintf(out, out_nbytes, "%s", utc_stamp);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t when = timegm(&tm);
	struct tm local;
	if (when == (time_t)-1 || localtime_r(&when, &local) == NULL ||
	    strftime(out, out_nbytes, "%Y-%m-%d %H:%M", &local) == 0)
		snprintf(out, out_nbytes, "%s", utc_stamp);
}

void tui_say(struct tui *t, int is_error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->message, sizeof t->message, fmt, ap);
	va_end(ap);
	t->message_is_error = is_error;
}

int tui_say_failure(struct tui *t, int rc, const struct tz_error *err)
{
	if (rc != TZ_OK)
		tui_say(t, 1, "%s", err->msg);
	return rc;
}

void tui_draw_editor(struct editor *ed, int y, int x, int ncols, int focused, int masked)
{
	if (ncols < 1)
		return;
	struct editor_view v;
	char buf[4 * EDITOR_MAX_NCHARS + 64];
	attron(A_UNDERLINE);
	if (masked) {
		int stars = (int)ed->nchars < ncols - 1 ? (int)ed->nchars : ncols - 1;
		for (int i = 0; i < ncols; i++)
			mvaddch(y, x + i, i < stars ? '*' : ' ');
		attroff(A_UNDERLINE);
		if (focused)
			move(y, x + stars);
		return;
	}
	if (editor_view(ed, (size_t)ncols, &v) != EDIT_OK ||
	    editor_render(ed, &v, buf, sizeof buf) != EDIT_OK) {
		attroff(A_UNDERLINE);
		return;
	}
	tui_put(y, x, buf, ncols); /* a value loaded from the store: through the wall */
	attroff(A_UNDERLINE);
	if (v.flags & EDITOR_VIEW_MARK_LEFT)
		mvaddch(y, x, '<');
	if (v.flags & EDITOR_VIEW_MARK_RIGHT)
		mvaddch(y, x + ncols - 1, '>');
	if (focused)
		move(y, x + (int)v.cursor_col);
}

int tui_edit_key(struct tui *t, struct editor *ed, struct tui_key k)
{
	int rc;
	if (k.is_code) {
		switch (k.ch) {
		case KEY_LEFT: rc = editor_left(ed); break;
		case KEY_RIGHT: rc = editor_right(ed); break;
		case KEY_HOME: rc = editor_home(ed); break;
		case KEY_END: rc = editor_end(ed); break;
		case KEY_BACKSPACE: rc = editor_backspace(ed); break;
		case KEY_DC: rc = editor_delete(ed); break;
		default: return 0;
		}
	} else {
		switch (k.ch) {
		case 1: rc = editor_home(ed); break;           /* Ctrl-A */
		case 5: rc = editor_end(ed); break;            /* Ctrl-E */
		case 11: rc = editor_kill_to_end(ed); break;   /* Ctrl-K */
		case 21: rc = editor_clear(ed); break;         /* Ctrl-U */
		case 23: rc = editor_kill_word(ed); break;     /* Ctrl-W */
		case 8:
		case 127: rc = editor_backspace(ed); break;
		default:
			if (k.ch < 0x20)
				return 0;
			rc = editor_insert(ed, (uint32_t)k.ch);
			break;
		}
	}
	if (rc == EDIT_REFUSED_FULL || rc == EDIT_REFUSED_INVALID)
		tui_say(t, 1, "%s", editor_status_message(rc));
	return 1;
}

int tui_is_enter(struct tui_key k)
{
	return (!k.is_code && (k.ch == '\r' || k.ch == '\n')) || (k.is_code && k.ch == KEY_ENTER);
}

/* A screen's state gone: what it holds (its destroy), then the state. */
static void drop(const struct screen_ops *ops, void *st)
{
	if (ops->destroy)
		ops->destroy(st);
	free(st);
}

int tui_push(struct tui *t, const struct screen_ops *ops, void *st)
{
	if (t->depth >= TUI_MAX_DEPTH) {
		drop(ops, st);
		tui_say(t, 1, "打开的画面太多了，请先按 Esc 返回");
		return -1;
	}
	t->stack[t->depth].ops = ops;
	t->stack[t->depth].st = st;
	t->depth++;
	return 0;
}

int tui_open(struct tui *t, const struct screen_ops *ops, size_t size)
{
	return tui_push_loaded(t, ops, xcalloc(1, size), ops->resume);
}

int tui_push_loaded(struct tui *t, const struct screen_ops *ops, void *st,
		    void (*load)(struct tui *t, void *st))
{
	load(t, st);
	return tui_push(t, ops, st);
}

int tui_page_open(struct tui *t, const struct screen_ops *faces, size_t size,
		  void (*load)(struct tui *t, void *st), const char *id, enum tui_page_mode how)
{
	struct tui_page *pg = xcalloc(1, size);
	snprintf(pg->id, sizeof pg->id, "%s", id);
	pg->view = how == TUI_PAGE_VIEW;
	if (how == TUI_PAGE_REPLACE)
		return tui_replace_loaded(t, &faces[TUI_PAGE_EDIT], pg, load);
	return tui_push_loaded(t, &faces[pg->view ? TUI_PAGE_VIEW : TUI_PAGE_EDIT], pg, load);
}

void tui_draw_box(int y, int x, int height, int width)
{
	for (int row = 0; row < height; row++)
		mvhline(y + row, x, ' ', width);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + width - 1, ACS_URCORNER);
	mvaddch(y + height - 1, x, ACS_LLCORNER);
	mvaddch(y + height - 1, x + width - 1, ACS_LRCORNER);
	mvhline(y, x + 1, ACS_HLINE, width - 2);
	mvhline(y + height - 1, x + 1, ACS_HLINE, width - 2);
	mvvline(y + 1, x, ACS_VLINE, height - 2);
	mvvline(y + 1, x + width - 1, ACS_VLINE, height - 2);
}

static void pop(struct tui *t)
{
	if (t->depth == 0)
		return;
	t->depth--;
	drop(t->stack[t->depth].ops, t->stack[t->depth].st);
	if (t->depth > 0 && t->stack[t->depth - 1].ops->resume)
		t->stack[t->depth - 1].ops->resume(t, t->stack[t->depth - 1].st);
}

void tui_replace(struct tui *t, const struct screen_ops *ops, void *st)
{
	if (t->depth > 0) {
		t->depth--;
		drop(t->stack[t->depth].ops, t->stack[t->depth].st);
	}
	tui_push(t, ops, st);
}

int tui_replace_loaded(struct tui *t, const struct screen_ops *ops, void *st,
		       void (*load)(struct tui *t, void *st))
{
	load(t, st);
	tui_replace(t, ops, st);
	return 0;
}

/* A centred box with lines of text; returns its top row. */
static int draw_box(struct tui *t, const char *const *lines, int nlines, int min_width)
{
	int width = min_width;
	for (int i = 0; i < nlines; i++) {
		int w = (int)utf8_ncols(lines[i]) + 4;
		if (w > width)
			width = w;
	}
	if (width > t->cols - 2)
		width = t->cols - 2;
	int height = nlines + 2;
	int top = (t->rows - height) / 2, left = (t->cols - width) / 2;
	tui_draw_box(top, left, height, width);
	for (int i = 0; i < nlines; i++)
		tui_put(top + 1 + i, left + 2, lines[i], width - 4);
	return top;
}

void tui_deadline_line(char *out, size_t nbytes, const char *due, int known, int days_left,
		       const char *label)
{
	char left[40] = "", padded[64];
	if (known && days_left > 0)
		snprintf(left, sizeof left, "还有 %d 天", days_left);
	else if (known && days_left == 0)
		snprintf(left, sizeof left, "今天到期");
	else if (known)
		snprintf(left, sizeof left, "已过 %d 天", -days_left);
	snprintf(out, nbytes, "%s  %s  %s", due, utf8_pad(padded, sizeof padded, left, 12), label);
}

int tui_draw_deadlines(struct tui *t, int y, int y_end, int ncols, const struct home_summary *m)
{
	(void)t;
	if (y >= y_end)
		return y;
	if (y + 1 == y_end && m->ndeadlines > 0) { /* one row: the earliest */
		char due[512], line[640];
		tui_deadline_line(due, sizeof due, m->deadlines[0].due, 1, m->deadlines[0].days_left,
				  m->deadlines[0].label);
		snprintf(line, sizeof line, "时间节点共 %d 个，最早：%s", m->ndeadlines, due);
		tui_put(y++, 2, line, ncols);
		return y;
	}
	if (m->ndeadlines > y_end - y - 1) { /* not all fit: say where they are */
		char heading[160];
		snprintf(heading, sizeof heading, "时间节点（共 %d 个，这里是最早到期的 %d 个）：",
			 m->ndeadlines, y_end - y - 1 > 0 ? y_end - y - 1 : 0);
		tui_put(y++, 2, heading, ncols);
	} else {
		tui_put(y++, 2, "时间节点：", ncols);
	}
	for (int i = 0; i < m->ndeadlines && y < y_end; i++) {
		char line[512];
		tui_deadline_line(line, sizeof line, m->deadlines[i].due, 1, m->deadlines[i].days_left,
				  m->deadlines[i].label);
		tui_put(y++, 4, line, ncols - 2);
	}
	return y;
}

void tui_draw_problem_counts(struct tui *t, int y, int ncols, const struct home_summary *m)
{
	char line[160];
	snprintf(line, sizeof line, "问题台账：未销号 %d 个，其中逾期 %d 个", m->problems_open,
		 m->problems_overdue);
	int used = tui_put_attr(y, 2, line, ncols, m->problems_overdue > 0 ? tui_attr_error(t) : 0) + 2;
	tui_draw_deliverable_counts(t, y, 2 + used, ncols - used);
}

int tui_confirm(struct tui *t, const char *question)
{
	const char *lines[] = { question, "", "按 Y 确定，按 N 或 Esc 取消" };
	return tui_confirm_lines(t, lines, 3);
}

int tui_confirm_lines(struct tui *t, const char *const *lines, int nlines)
{
	for (;;) {
		draw_box(t, lines, nlines, 40);
		curs_set(0);
		refresh();
		struct tui_key k;
		int got = tui_next_key(t, &k);
		if (got == TUI_RESIZED)
			clear();
		if (got != TUI_KEY)
			continue;
		curs_set(1);
		if (!k.is_code && (k.ch == 'y' || k.ch == 'Y' || k.ch == L'是'))
			return 1;
		if (!k.is_code && (k.ch == 'n' || k.ch == 'N' || k.ch == 27 || k.ch == L'否'))
			return 0;
	}
}

/* The box of tui_prompt / tui_prompt_secret / tui_prompt_with. */
static int prompt(struct tui *t, const char *question, int secret, const char *initial, char *out,
		  size_t out_nbytes)
{
	struct editor ed;
	if ((secret ? editor_init_secret(&ed, 256) : editor_init(&ed, 200)) != EDIT_OK)
		return 0;
	if (initial != NULL && initial[0] != '\0') {
		editor_set_text(&ed, initial, strlen(initial));
		editor_end(&ed);
	}
	int done = -1;
	while (done < 0) {
		/* One row for the answer, between the question and the keys: the
		 * cursor is on the only empty row (two empty rows read as the
		 * cursor sitting one row off). */
		const char *lines[] = { question, "", "Enter 确定  Esc 取消" };
		int top = draw_box(t, lines, 3, 64);
		int width = (int)utf8_ncols(question) + 4 > 64 ? (int)utf8_ncols(question) + 4 : 64;
		if (width > t->cols - 2) /* as draw_box measures the box */
			width = t->cols - 2;
		int left = (t->cols - width) / 2;
		tui_draw_editor(&ed, top + 2, left + 2, width - 4, 1, secret);
		refresh();
		struct tui_key k;
		if (tui_next_key(t, &k) != TUI_KEY)
			continue;
		if (tui_is_enter(k))
			done = 1;
		else if (!k.is_code && k.ch == 27)
			done = 0;
		else
			tui_edit_key(t, &ed, k);
	}
	if (done)
		snprintf(out, out_nbytes, "%s", editor_text(&ed));
	editor_free(&ed);
	return done;
}

int tui_prompt(struct tui *t, const char *question, char *out, size_t out_nbytes)
{
	return prompt(t, question, 0, NULL, out, out_nbytes);
}

int tui_prompt_with(struct tui *t, const char *question, const char *initial, char *out,
		    size_t out_nbytes)
{
	return prompt(t, question, 0, initial, out, out_nbytes);
}

int tui_prompt_secret(struct tui *t, const char *question, char *out, size_t out_nbytes)
{
	return prompt(t, question, 1, NULL, out, out_nbytes);
}

static void draw_too_small(struct tui *t);

static void draw_chrome(struct tui *t)
{
	const struct screen_ops *ops = t->stack[t->depth - 1].ops;
	const char *name = ops->title_of ? ops->title_of(t->stack[t->depth - 1].st) : ops->title;
	char title[256];
	if (t->s != NULL) {
		const struct keyring *kr = store_keyring(t->s);
		snprintf(title, sizeof title, " 台账 | %s | %s | 用户：%s", kr->division_code, name,
			 store_user(t->s));
	} else {
		snprintf(title, sizeof title, " 台账 | %s", name);
	}
	attron(tui_attr_title(t));
	tui_put_padded(0, 0, title, t->cols);
	attroff(tui_attr_title(t));
	if (t->message[0]) {
		/* A message wider than the screen (a field's error with how to fix
		 * it, a path) takes the line above too rather than lose its end. */
		int two = (int)utf8_ncols(t->message) > t->cols - 1;
		if (t->message_is_error)
			attron(tui_attr_error(t));
		if (two) {
			tui_put_padded(t->rows - 3, 0, "", t->cols);
			tui_put_padded(t->rows - 2, 0, "", t->cols);
			wrap(t->rows - 3, 0, t->message, t->cols - 1, 0, 2);
		} else {
			tui_put_padded(t->rows - 2, 0, t->message, t->cols);
		}
		if (t->message_is_error)
			attroff(tui_attr_error(t));
	}
	attron(tui_attr_keybar(t));
	tui_put_padded(t->rows - 1, 0, ops->keys_of ? ops->keys_of(t->stack[t->depth - 1].st) : ops->keys,
		       t->cols);
	attroff(tui_attr_keybar(t));
}

void tui_redraw(struct tui *t)
{
	if (t->depth == 0)
		return;
	if (t->rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS) {
		draw_too_small(t);
		return;
	}
	erase();
	curs_set(1);
	t->stack[t->depth - 1].ops->draw(t, t->stack[t->depth - 1].st);
	int cy, cx;
	getyx(stdscr, cy, cx);
	draw_chrome(t);
	move(cy, cx);
	refresh();
}

static void draw_too_small(struct tui *t)
{
	erase();
	char line[160];
	snprintf(line, sizeof line, "终端窗口太小：至少要 %d 列 x %d 行，现在是 %d x %d。", TUI_MIN_COLS,
		 TUI_MIN_ROWS, t->cols, t->rows);
	tui_put(0, 0, line, t->cols);
	tui_put(1, 0, "请把窗口拉大；已输入的内容都还在。", t->cols);
	refresh();
}

/* The screen's help (F1) in a box as wide as its widest line allows, each line
 * wrapped to the box (a line wider than the terminal is never cut off), then
 * "按任意键返回"; shown until a key. */
static void show_help(struct tui *t)
{
	const struct screen_ops *ops = t->stack[t->depth - 1].ops;
	const char *help = ops->help ? ops->help : "";
	int width = 50;
	for (const char *line = help; *line != '\0';) {
		size_t nbytes = strcspn(line, "\n");
		int ncols;
		fit(line, nbytes, INT_MAX, &ncols);
		if (ncols + 4 > width)
			width = ncols + 4;
		line += nbytes + (line[nbytes] == '\n');
	}
	if (width > t->cols - 2)
		width = t->cols - 2;
	int inner = width - 4;
	int body = wrap(0, 0, help, inner, 0, 0); /* measured, drawn nowhere */
	int room = t->rows - 6;                   /* borders, the blank line, the prompt */
	if (body > room)
		body = room;
	int height = body + 4;
	int top = (t->rows - height) / 2, left = (t->cols - width) / 2;
	tui_draw_box(top, left, height, width);
	wrap(top + 1, left + 2, help, inner, 0, body);
	tui_put(top + height - 2, left + 2, "按任意键返回", inner);
	curs_set(0);
	refresh();
	struct tui_key k;
	while (tui_next_key(t, &k) != TUI_KEY)
		;
	curs_set(1);
}

static void start_curses(struct tui *t)
{
	initscr();
	raw();
	noecho();
	nonl();
	tui_keys_init();
	set_escdelay(25);
	t->color = has_colors() && getenv("NO_COLOR") == NULL;
	if (t->color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_KEYBAR, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_SELECT, COLOR_BLACK, COLOR_YELLOW);
		init_pair(PAIR_FIELD, COLOR_BLACK, COLOR_WHITE);
	}
	getmaxyx(stdscr, t->rows, t->cols);
}

int tui_main(const char *path, const char *user, struct tz_error *err)
{
	const char *codeset = nl_langinfo(CODESET);
	if (codeset == NULL || strcmp(codeset, "UTF-8") != 0)
		return tz_error_set(err, TZ_EFAIL,
				    "终端的语言环境不是 UTF-8（现在是 %s），无法正确显示中文。"
				    "请设置 LANG=zh_CN.UTF-8 或 LANG=C.UTF-8 后再运行。",
				    codeset ? codeset : "未知");
	struct tui t;
	memset(&t, 0, sizeof t);
	t.path = path;
	t.user = user;
	int rc = store_peek(path, &t.kr, err);
	if (rc != TZ_OK)
		return rc;
	if (user != NULL && keyring_find_user(&t.kr, user) < 0)
		return tz_error_set(err, TZ_EAUTH, "台账中没有名为“%s”的用户", user);
	rc = form_load_default(&t.forms, err);
	if (rc != TZ_OK)
		return rc;
	start_curses(&t);
	if (screen_unlock_push(&t) != 0) {
		endwin();
		form_set_free(&t.forms);
		return tz_error_set(err, TZ_EFAIL, "无法打开解锁画面");
	}
	while (!t.quit && t.depth > 0) {
		tui_redraw(&t);
		struct tui_key k;
		if (tui_next_key(&t, &k) != TUI_KEY)
			continue;
		wint_t ch = k.ch;
		if (t.rows < TUI_MIN_ROWS || t.cols < TUI_MIN_COLS)
			continue; /* keys wait until the window is big enough */
		t.message[0] = '\0';
		if (k.is_code && ch == KEY_F(1)) {
			show_help(&t);
			continue;
		}
		const struct screen_ops *ops = t.stack[t.depth - 1].ops;
		void *st = t.stack[t.depth - 1].st;
		int action;
		if (!k.is_code && ch == 27)
			action = (ops->can_leave == NULL || ops->can_leave(&t, st)) ? TUI_POP : TUI_STAY;
		else
			action = ops->key(&t, st, k);
		if (action == TUI_POP)
			pop(&t);
		else if (action == TUI_QUIT)
			t.quit = 1;
	}
	while (t.depth > 0)
		pop(&t);
	endwin();
	tui_village_names_free(&t);
	store_close(t.s);
	form_set_free(&t.forms);
	return TZ_OK;
}
