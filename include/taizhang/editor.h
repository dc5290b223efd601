/*
 * editor.h — the model of a one-line text field: UTF-8 text, a cursor, a
 * horizontal scroll, and pure operations on them.
 *
 * Every form field an officer types into (names, addresses, ID numbers, notes
 * of one line) is edited through this model instead of libformw, which on
 * ncurses 6.4 lets double-width characters overflow the field, truncates
 * silently and lets what is shown disagree with what is stored. Here the text
 * is the truth; what the field shows is computed from it by editor_view().
 *
 * Units, never mixed: the text is measured in bytes (nbytes), characters
 * (nchars, Unicode code points — what a column limit in the database counts)
 * and terminal columns (ncols, from utf8_cp_ncols(): 2 for CJK, 1 for ASCII,
 * 0 for combining marks). The cursor is a character index, 0..nchars.
 *
 * What the text may hold: well-formed UTF-8 of printable characters. NUL,
 * C0 controls (newline, tab, ...), DEL, C1 controls and the line/paragraph
 * separators U+2028/U+2029 are refused — a one-line field has no use for them
 * and a painter could not show them. A zero-width character (a combining mark,
 * U+200B, the emoji variation selector U+FE0F) belongs to the character before
 * it: the cursor never rests between them, left/right/backspace/delete move
 * over or remove the whole group, and the text never starts with one. (Which
 * characters are zero-width comes from wcwidth, i.e. from the locale.)
 *
 * Every operation returns an enum editor_status and never aborts. A refused
 * operation leaves the state exactly as it was: nothing is ever truncated.
 *
 * Deliberately not here: painting (a painter reads struct editor_view and
 * draws; this module includes no curses), key bindings (a screen maps keys to
 * these functions), several lines (a note editor would be its own module),
 * undo and a kill ring, and the field's own rules (digits only, ID-card check
 * digit…), which the form engine checks on the finished text.
 */
#ifndef TAIZHANG_EDITOR_H
#define TAIZHANG_EDITOR_H

#include <stddef.h>
#include <stdint.h>

/* The hard cap on a field's length in characters, also the limit of a field
 * created with max_nchars 0. */
#define EDITOR_MAX_NCHARS 4096

/* Field widths from which editor_view() reserves a column at each edge for a
 * '<' / '>' marker; narrower fields (2 or 3 columns) show no markers, so that
 * a double-width character under the cursor still fits. */
#define EDITOR_VIEW_MARKERS_MIN_NCOLS 4

enum editor_status {
	EDIT_OK = 0,          /* done: text, cursor or both changed */
	EDIT_NOTHING,         /* nothing to do (left at the start, backspace on empty…) */
	EDIT_REFUSED_FULL,    /* would exceed the field's maximum length; nothing changed */
	EDIT_REFUSED_INVALID, /* malformed UTF-8, a control character, a bad argument;
				 nothing changed */
	EDIT_NOMEM,           /* editor_init_secret: libsodium could not start */
};

/*
 * The state. Callers read the fields and change them only through the
 * functions below. Between editor_init() and editor_free(): text is never
 * NULL, always NUL-terminated, always satisfies the rules above, and
 * cursor is never inside a group of zero-width characters.
 */
struct editor {
	char *text;         /* owned; UTF-8, NUL-terminated */
	size_t nbytes;      /* length of text in bytes, without the NUL */
	size_t nchars;      /* length of text in characters */
	size_t max_nchars;  /* the limit in characters, 1..EDITOR_MAX_NCHARS */
	size_t cursor;      /* character index of the cursor, 0..nchars */
	size_t first;       /* scroll: character index of the first character
			       shown; kept by editor_view() */
	size_t cap_nbytes;  /* bytes allocated for text */
	int secret;         /* text is in guarded memory (editor_init_secret) */
};

/* What a field of some width shows; see editor_view(). */
struct editor_view {
	size_t ncols;        /* the field width this view is for */
	size_t first;        /* character index of the first character shown */
	size_t last;         /* character index one past the last one shown */
	size_t slice_byte;   /* the characters shown are text[slice_byte .. */
	size_t slice_nbytes; /*   slice_byte + slice_nbytes) */
	size_t text_col;     /* field column where they start: 1 after a left
				marker, else 0 */
	size_t text_ncols;   /* columns they take */
	size_t cursor_col;   /* field column of the cursor, 0..ncols-1 */
	size_t render_nbytes; /* buffer size editor_render() needs, NUL included */
	unsigned flags;      /* EDITOR_VIEW_* below */
};

/* Text before view.first is not shown. */
#define EDITOR_VIEW_HIDDEN_LEFT 0x1u
/* Text from view.last on is not shown. */
#define EDITOR_VIEW_HIDDEN_RIGHT 0x2u
/* Column 0 is a marker cell (text hidden on the left): paint '<' there. */
#define EDITOR_VIEW_MARK_LEFT 0x4u
/* Column ncols-1 is a marker cell (text hidden on the right): paint '>'. */
#define EDITOR_VIEW_MARK_RIGHT 0x8u

/* Make ed an empty field holding at most max_nchars characters (0: up to
 * EDITOR_MAX_NCHARS). Allocates the whole buffer now, so no later operation
 * allocates (aborting when out of memory, xalloc.h). Returns EDIT_OK;
 * EDIT_REFUSED_INVALID when max_nchars exceeds EDITOR_MAX_NCHARS; EDIT_NOMEM
 * when editor_init_secret cannot start libsodium. On failure ed is left empty and
 * editor_free() is still safe. */
int editor_init(struct editor *ed, size_t max_nchars);

/* Release ed's text; ed becomes all zero. Safe on a zeroed or freed editor. */
void editor_free(struct editor *ed);

/* editor_init for a passphrase: the text lives in libsodium's guarded memory
 * (secret.h) and is wiped by editor_free. */
int editor_init_secret(struct editor *ed, size_t max_nchars);

/* The text: UTF-8, NUL-terminated; valid until the next operation on ed. */
const char *editor_text(const struct editor *ed);

/* Replace the text with s (nbytes bytes, NUL not required — an embedded NUL is
 * refused) and put the cursor at its end and the scroll at the start.
 * Returns EDIT_OK; EDIT_REFUSED_INVALID for malformed UTF-8, a control
 * character or a leading zero-width character; EDIT_REFUSED_FULL when s has
 * more than max_nchars characters. On refusal the old text stays. s must not
 * point into ed->text. */
int editor_set_text(struct editor *ed, const char *s, size_t nbytes);

/* Insert the character cp at the cursor and move the cursor after it.
 * Returns EDIT_OK; EDIT_REFUSED_INVALID for a surrogate, a value above
 * U+10FFFF, a control character, or a zero-width character at the start of
 * the text; EDIT_REFUSED_FULL when the field is full. */
int editor_insert(struct editor *ed, uint32_t cp);

/* Insert the UTF-8 string s (nbytes bytes) at the cursor as one edit — what an
 * input method commits, e.g. "脱贫攻坚" — and move the cursor after it.
 * All or nothing: returns EDIT_OK; EDIT_NOTHING when nbytes is 0;
 * EDIT_REFUSED_INVALID when any byte is malformed UTF-8 or any character is
 * refused as by editor_insert() (checked first); EDIT_REFUSED_FULL when the
 * whole string does not fit. s must not point into ed->text. */
int editor_insert_utf8(struct editor *ed, const char *s, size_t nbytes);

/* Delete the character under the cursor (with its zero-width companions).
 * EDIT_NOTHING at the end of the text. */
int editor_delete(struct editor *ed);

/* Delete the character before the cursor — a double-width character goes as
 * one, and so does a character with its combining marks. EDIT_NOTHING at the
 * start of the text. */
int editor_backspace(struct editor *ed);

/* Move the cursor one character left / right. EDIT_NOTHING at the start /
 * the end. */
int editor_left(struct editor *ed);
int editor_right(struct editor *ed);

/* Move the cursor to the start / the end. EDIT_NOTHING when already there. */
int editor_home(struct editor *ed);
int editor_end(struct editor *ed);

/* Ctrl-K: delete from the cursor to the end. EDIT_NOTHING at the end. */
int editor_kill_to_end(struct editor *ed);

/* Ctrl-W: delete the word before the cursor. The spaces (' ' and the
 * ideographic space U+3000) right before the cursor go first, then the run of
 * characters of one kind before them, the kinds being "double-width" (汉字 and
 * full-width punctuation) and "other non-space". So for ASCII it is readline's
 * unix-word-rubout ("ab cd|" -> "ab |"), and Chinese, which has no spaces,
 * loses one run of 汉字 at a time ("张三abc|" -> "张三|" -> "|"), not the whole
 * field. EDIT_NOTHING at the start of the text. */
int editor_kill_word(struct editor *ed);

/* Delete the whole text. EDIT_NOTHING when it is already empty. */
int editor_clear(struct editor *ed);

/* Columns the whole text takes. */
size_t editor_ncols(const struct editor *ed);

/* Columns the text before the cursor takes (the cursor's column when nothing
 * is scrolled). */
size_t editor_cursor_ncols(const struct editor *ed);

/*
 * Compute what a field ncols columns wide shows, into *view, and remember the
 * scroll in ed->first. Guarantees:
 *   - the cursor is shown: the character under it is shown whole (or, at the
 *     end of the text, the empty cell after it is inside the field), at
 *     view->cursor_col — except when ncols is 1 and that character is double-
 *     width, where the cursor is at column 0 over a blank;
 *   - characters are shown whole or not at all: a double-width character that
 *     would be cut by an edge is left out and its column left blank;
 *   - in fields of EDITOR_VIEW_MARKERS_MIN_NCOLS columns or more, column 0 is
 *     kept free for a '<' when text is hidden on the left and the last column
 *     for a '>' when text is hidden on the right (the MARK flags say so);
 *   - the scroll moves only when it must: to bring the cursor into the field
 *     (by as little as possible), or, after text was deleted, to fill blank
 *     columns on the right with hidden text from the left. Moving the cursor
 *     within the field never scrolls.
 * Returns EDIT_OK, or EDIT_REFUSED_INVALID when ncols is 0. The view is valid
 * until the next operation on ed.
 */
int editor_view(struct editor *ed, size_t ncols, struct editor_view *view);

/* Write what view shows into buf (cap bytes) as UTF-8 exactly view->ncols
 * columns wide: the '<' / '>' markers in their cells, the characters shown,
 * spaces elsewhere; NUL-terminated. Returns EDIT_OK; EDIT_REFUSED_FULL when cap
 * is below view->render_nbytes (buf untouched); EDIT_REFUSED_INVALID when view
 * does not fit ed's text (stale). */
int editor_render(const struct editor *ed, const struct editor_view *view, char *buf,
		  size_t cap);

/* A short message in Chinese for a refusal status, "" for EDIT_OK and
 * EDIT_NOTHING; a static string. */
const char *editor_status_message(int status);

#endif
