/*
 * editor.c — the one-line field editor model (see include/taizhang/editor.h).
 *
 * The text is kept as UTF-8 in one buffer allocated at editor_init() for the
 * field's maximum (4 bytes a character), so that no edit allocates and no edit
 * can fail half-way. The cursor and the scroll are kept as character indices;
 * a byte offset is found by walking the text from its start when needed. A
 * field holds at most EDITOR_MAX_NCHARS characters, so the walk is a few
 * kilobytes at worst, and keeping indices only means there is no second
 * representation to fall out of step with the first.
 *
 * "Stops" are the places the cursor may rest: the start, the end, and every
 * character that takes columns. A zero-width character (combining mark,
 * variation selector, zero-width space) is never a stop, so it travels with the
 * character before it; the text never starts with one, so every group of
 * characters between two stops begins with a character one or two columns
 * wide, and the columns of a group are the columns of its first character.
 *
 * editor_view() lays the text out for a field of a given width. Its scroll
 * (ed->first) is a stop; the view moves it right just far enough for the
 * cursor to show, left to the cursor when the cursor went before it, and left
 * again while the whole rest of the text — plus the empty cell after it —
 * would still fit, so that deleting at the end never leaves the field half
 * blank with text hidden on the left. Characters are laid out whole: one that
 * would cross the right edge is left out and its column stays blank.
 *
 * Deliberately not here: anything that draws, and anything that knows keys.
 */
#include <stdlib.h>
#include <string.h>

#include "taizhang/editor.h"
#include "taizhang/secret.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"

/* A place in the text: a character index and the byte offset of the same
 * character. */
struct pos {
	size_t ci;
	size_t b;
};

/* Whether cp may be stored in a one-line field: not NUL, not a C0 or C1
 * control, not DEL, not a line or paragraph separator. (Surrogates and values
 * beyond U+10FFFF never get here: utf8_decode and utf8_encode refuse them.) */
static int cp_allowed(uint32_t cp)
{
	return !(cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029);
}

static int is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0x3000;
}

/* The character at byte offset b (< ed->nbytes); the text is valid UTF-8. */
static uint32_t cp_at(const struct editor *ed, size_t b)
{
	uint32_t cp = 0;
	if (utf8_decode(ed->text + b, ed->nbytes - b, &cp) == 0)
		return 0;
	return cp;
}

static size_t ncols_at(const struct editor *ed, struct pos p)
{
	return (size_t)utf8_cp_ncols(cp_at(ed, p.b));
}

/* The next place; p must not be the end. */
static struct pos pos_next(const struct editor *ed, struct pos p)
{
	uint32_t cp;
	size_t len = utf8_decode(ed->text + p.b, ed->nbytes - p.b, &cp);
	p.b += len ? len : 1;
	p.ci++;
	return p;
}

/* The previous place; p must not be the start. */
static struct pos pos_prev(const struct editor *ed, struct pos p)
{
	do
		p.b--;
	while (p.b > 0 && ((unsigned char)ed->text[p.b] & 0xC0) == 0x80);
	p.ci--;
	return p;
}

/* The place of character index ci (clamped to the end). */
static struct pos pos_of(const struct editor *ed, size_t ci)
{
	struct pos p = { 0, 0 };
	while (p.ci < ci && p.b < ed->nbytes)
		p = pos_next(ed, p);
	return p;
}

static struct pos pos_end(const struct editor *ed)
{
	struct pos p = { ed->nchars, ed->nbytes };
	return p;
}

static int is_stop(const struct editor *ed, struct pos p)
{
	return p.b == 0 || p.b == ed->nbytes || ncols_at(ed, p) > 0;
}

/* The next stop after p; p must not be the end. */
static struct pos stop_next(const struct editor *ed, struct pos p)
{
	do
		p = pos_next(ed, p);
	while (!is_stop(ed, p));
	return p;
}

/* The stop before p; p must not be the start. */
static struct pos stop_prev(const struct editor *ed, struct pos p)
{
	do
		p = pos_prev(ed, p);
	while (!is_stop(ed, p));
	return p;
}

/*
 * Check s (nbytes bytes) for insertion: well-formed UTF-8, every character
 * allowed, and no zero-width character first when it would start the text
 * (at_start). Returns 1 and sets *nchars, or 0.
 */
static int check_insertion(const char *s, size_t nbytes, int at_start, size_t *nchars)
{
	size_t i = 0, n = 0;
	while (i < nbytes) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, nbytes - i, &cp);
		if (len == 0 || !cp_allowed(cp))
			return 0;
		if (at_start && i == 0 && utf8_cp_ncols(cp) == 0)
			return 0;
		i += len;
		n++;
	}
	*nchars = n;
	return 1;
}

/* Remove the characters between from and to (from before to); the caller
 * moves the cursor. */
static void remove_range(struct editor *ed, struct pos from, struct pos to)
{
	memmove(ed->text + from.b, ed->text + to.b, ed->nbytes - to.b + 1);
	ed->nbytes -= to.b - from.b;
	ed->nchars -= to.ci - from.ci;
}

static int init(struct editor *ed, size_t max_nchars, int secret)
{
	memset(ed, 0, sizeof *ed);
	if (max_nchars > EDITOR_MAX_NCHARS)
		return EDIT_REFUSED_INVALID;
	if (max_nchars == 0)
		max_nchars = EDITOR_MAX_NCHARS;
	size_t cap = max_nchars * 4 + 1;
	char *text = secret ? secret_alloc(cap) : xmalloc(cap);
	ed->secret = secret;
	text[0] = '\0';
	ed->text = text;
	ed->cap_nbytes = cap;
	ed->max_nchars = max_nchars;
	return EDIT_OK;
}

int editor_init(struct editor *ed, size_t max_nchars)
{
	return init(ed, max_nchars, 0);
}

int editor_init_secret(struct editor *ed, size_t max_nchars)
{
	if (secret_init(NULL) != TZ_OK)
		return EDIT_NOMEM;
	return init(ed, max_nchars, 1);
}

void editor_free(struct editor *ed)
{
	if (ed->secret)
		secret_free(ed->text);
	else
		free(ed->text);
	memset(ed, 0, sizeof *ed);
}

const char *editor_text(const struct editor *ed)
{
	return ed->text;
}

int editor_set_text(struct editor *ed, const char *s, size_t nbytes)
{
	size_t nchars;
	if (!check_insertion(s, nbytes, 1, &nchars))
		return EDIT_REFUSED_INVALID;
	if (nchars > ed->max_nchars)
		return EDIT_REFUSED_FULL;
	if (nbytes > 0)
		memcpy(ed->text, s, nbytes);
	ed->text[nbytes] = '\0';
	ed->nbytes = nbytes;
	ed->nchars = nchars;
	ed->cursor = nchars;
	ed->first = 0;
	return EDIT_OK;
}

int editor_insert_utf8(struct editor *ed, const char *s, size_t nbytes)
{
	if (nbytes == 0)
		return EDIT_NOTHING;
	size_t nchars;
	if (!check_insertion(s, nbytes, ed->cursor == 0, &nchars))
		return EDIT_REFUSED_INVALID;
	if (nchars > ed->max_nchars - ed->nchars)
		return EDIT_REFUSED_FULL;
	struct pos c = pos_of(ed, ed->cursor);
	memmove(ed->text + c.b + nbytes, ed->text + c.b, ed->nbytes - c.b + 1);
	memcpy(ed->text + c.b, s, nbytes);
	ed->nbytes += nbytes;
	ed->nchars += nchars;
	ed->cursor += nchars;
	return EDIT_OK;
}

int editor_insert(struct editor *ed, uint32_t cp)
{
	char buf[4];
	size_t len = utf8_encode(cp, buf);
	if (len == 0)
		return EDIT_REFUSED_INVALID;
	return editor_insert_utf8(ed, buf, len);
}

int editor_delete(struct editor *ed)
{
	struct pos c = pos_of(ed, ed->cursor);
	if (c.b == ed->nbytes)
		return EDIT_NOTHING;
	remove_range(ed, c, stop_next(ed, c));
	return EDIT_OK;
}

int editor_backspace(struct editor *ed)
{
	struct pos c = pos_of(ed, ed->cursor);
	if (c.b == 0)
		return EDIT_NOTHING;
	struct pos p = stop_prev(ed, c);
	remove_range(ed, p, c);
	ed->cursor = p.ci;
	return EDIT_OK;
}

int editor_left(struct editor *ed)
{
	struct pos c = pos_of(ed, ed->cursor);
	if (c.b == 0)
		return EDIT_NOTHING;
	ed->cursor = stop_prev(ed, c).ci;
	return EDIT_OK;
}

int editor_right(struct editor *ed)
{
	struct pos c = pos_of(ed, ed->cursor);
	if (c.b == ed->nbytes)
		return EDIT_NOTHING;
	ed->cursor = stop_next(ed, c).ci;
	return EDIT_OK;
}

int editor_home(struct editor *ed)
{
	if (ed->cursor == 0)
		return EDIT_NOTHING;
	ed->cursor = 0;
	return EDIT_OK;
}

int editor_end(struct editor *ed)
{
	if (ed->cursor == ed->nchars)
		return EDIT_NOTHING;
	ed->cursor = ed->nchars;
	return EDIT_OK;
}

int editor_kill_to_end(struct editor *ed)
{
	struct pos c = pos_of(ed, ed->cursor);
	if (c.b == ed->nbytes)
		return EDIT_NOTHING;
	remove_range(ed, c, pos_end(ed));
	return EDIT_OK;
}

/* The kinds of character editor_kill_word() tells apart. */
enum word_kind { KIND_SPACE, KIND_WIDE, KIND_NARROW };

static enum word_kind kind_at(const struct editor *ed, struct pos p)
{
	uint32_t cp = cp_at(ed, p.b);
	if (is_space(cp))
		return KIND_SPACE;
	return utf8_cp_ncols(cp) == 2 ? KIND_WIDE : KIND_NARROW;
}

int editor_kill_word(struct editor *ed)
{
	struct pos c = pos_of(ed, ed->cursor);
	if (c.b == 0)
		return EDIT_NOTHING;
	struct pos from = c;
	while (from.b > 0 && kind_at(ed, stop_prev(ed, from)) == KIND_SPACE)
		from = stop_prev(ed, from);
	if (from.b > 0) {
		enum word_kind kind = kind_at(ed, stop_prev(ed, from));
		while (from.b > 0 && kind_at(ed, stop_prev(ed, from)) == kind)
			from = stop_prev(ed, from);
	}
	remove_range(ed, from, c);
	ed->cursor = from.ci;
	return EDIT_OK;
}

int editor_clear(struct editor *ed)
{
	if (ed->nbytes == 0)
		return EDIT_NOTHING;
	ed->text[0] = '\0';
	ed->nbytes = 0;
	ed->nchars = 0;
	ed->cursor = 0;
	ed->first = 0;
	return EDIT_OK;
}

size_t editor_ncols(const struct editor *ed)
{
	return utf8_ncols(ed->text);
}

size_t editor_cursor_ncols(const struct editor *ed)
{
	struct pos c = pos_of(ed, ed->cursor);
	size_t ncols = 0;
	for (struct pos p = { 0, 0 }; p.b < c.b; p = pos_next(ed, p))
		ncols += ncols_at(ed, p);
	return ncols;
}

/* Columns from p to the end of the text, counting no further than limit + 1
 * (the caller only asks whether they fit in limit). */
static size_t ncols_to_end(const struct editor *ed, struct pos p, size_t limit)
{
	size_t ncols = 0;
	for (; p.b < ed->nbytes && ncols <= limit; p = pos_next(ed, p))
		ncols += ncols_at(ed, p);
	return ncols;
}

/* Whether, scrolled to first, the rest of the text and the empty cell after it
 * all fit in a field ncols wide. */
static int tail_fits(const struct editor *ed, struct pos first, size_t ncols, int markers)
{
	size_t avail = ncols - (markers && first.b > 0);
	return ncols_to_end(ed, first, avail) + 1 <= avail;
}

/*
 * Lay the text out from first (a stop, not after cur) in a field ncols wide,
 * with marker cells when markers is set. Returns whether the cursor is shown;
 * fills *view when view is not NULL.
 */
static int layout(const struct editor *ed, struct pos first, struct pos cur, size_t ncols,
		  int markers, struct editor_view *view)
{
	size_t lm = markers && first.b > 0;
	size_t avail = ncols - lm;
	int at_end = cur.b == ed->nbytes;
	int all = ncols_to_end(ed, first, avail) + (size_t)at_end <= avail;
	size_t room = all || !markers ? avail : avail - 1;
	struct pos last = first;
	size_t used = 0, cursor_col = lm;
	while (last.b < ed->nbytes) {
		if (last.b == cur.b)
			cursor_col = lm + used;
		size_t w = ncols_at(ed, last);
		if (used + w > room)
			break;
		used += w;
		last = stop_next(ed, last);
	}
	if (at_end && last.b == cur.b)
		cursor_col = lm + used;
	int shown = at_end ? all : cur.b < last.b;
	if (view != NULL) {
		view->ncols = ncols;
		view->first = first.ci;
		view->last = last.ci;
		view->slice_byte = first.b;
		view->slice_nbytes = last.b - first.b;
		view->text_col = lm;
		view->text_ncols = used;
		view->cursor_col = cursor_col < ncols ? cursor_col : ncols - 1;
		view->render_nbytes = view->slice_nbytes + ncols + 1;
		view->flags = 0;
		if (first.b > 0)
			view->flags |= EDITOR_VIEW_HIDDEN_LEFT;
		if (last.b < ed->nbytes)
			view->flags |= EDITOR_VIEW_HIDDEN_RIGHT;
		if (lm)
			view->flags |= EDITOR_VIEW_MARK_LEFT;
		if (markers && last.b < ed->nbytes)
			view->flags |= EDITOR_VIEW_MARK_RIGHT;
	}
	return shown;
}

int editor_view(struct editor *ed, size_t ncols, struct editor_view *view)
{
	memset(view, 0, sizeof *view);
	if (ncols == 0)
		return EDIT_REFUSED_INVALID;
	int markers = ncols >= EDITOR_VIEW_MARKERS_MIN_NCOLS;
	struct pos cur = pos_of(ed, ed->cursor);
	struct pos first = pos_of(ed, ed->first < ed->cursor ? ed->first : ed->cursor);
	while (!is_stop(ed, first))
		first = pos_prev(ed, first);

	/* Scroll right until the cursor shows, starting no further left than the
	 * last stop from which the cursor is at most ncols columns away. */
	struct pos nearest = cur;
	size_t ncols_before = 0;
	while (nearest.b > 0) {
		struct pos p = stop_prev(ed, nearest);
		ncols_before += ncols_at(ed, p);
		if (ncols_before > ncols)
			break;
		nearest = p;
	}
	if (nearest.b > first.b)
		first = nearest;
	while (first.b < cur.b && !layout(ed, first, cur, ncols, markers, NULL))
		first = stop_next(ed, first);

	/* Scroll left while everything from there on still fits. */
	while (first.b > 0) {
		struct pos p = stop_prev(ed, first);
		if (!tail_fits(ed, p, ncols, markers))
			break;
		first = p;
	}

	layout(ed, first, cur, ncols, markers, view);
	ed->first = first.ci;
	return EDIT_OK;
}

int editor_render(const struct editor *ed, const struct editor_view *view, char *buf,
		  size_t cap)
{
	if (view->ncols == 0 || view->slice_byte > ed->nbytes ||
	    view->slice_nbytes > ed->nbytes - view->slice_byte ||
	    view->text_col + view->text_ncols > view->ncols)
		return EDIT_REFUSED_INVALID;
	if (cap < view->render_nbytes)
		return EDIT_REFUSED_FULL;
	size_t used = 0, col = 0;
	size_t end_col = view->ncols - ((view->flags & EDITOR_VIEW_MARK_RIGHT) != 0);
	if (view->flags & EDITOR_VIEW_MARK_LEFT) {
		buf[used++] = '<';
		col++;
	}
	memcpy(buf + used, ed->text + view->slice_byte, view->slice_nbytes);
	used += view->slice_nbytes;
	col += view->text_ncols;
	while (col < end_col) {
		buf[used++] = ' ';
		col++;
	}
	if (view->flags & EDITOR_VIEW_MARK_RIGHT)
		buf[used++] = '>';
	buf[used] = '\0';
	return EDIT_OK;
}

const char *editor_status_message(int status)
{
	switch (status) {
	case EDIT_REFUSED_FULL:
		return "本栏已达到字数上限，输入未被接受";
	case EDIT_REFUSED_INVALID:
		return "含有本栏不能输入的字符（如换行、制表符或无效编码），输入未被接受";
	case EDIT_NOMEM:
		return "内存不足";
	default:
		return "";
	}
}
