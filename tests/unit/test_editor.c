/*
 * test_editor.c — the one-line field editor model (src/tui/editor.c).
 *
 * Widths come from wcwidth, so the tests run under C.UTF-8 (set in main): 汉字
 * and emoji are 2 columns, combining marks 0. Every view a test looks at goes
 * through show(), which checks what must hold of any view — exactly ncols
 * columns, valid UTF-8 (no half character), the cursor's character shown whole
 * at the cursor column, markers only where text is hidden — before the test
 * compares the picture with the one it expects.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/editor.h"
#include "taizhang/utf8.h"

#include "unit.h"

static int have_utf8_locale;

static void new_editor(struct editor *ed, size_t max_nchars)
{
	assert_int_equal(editor_init(ed, max_nchars), EDIT_OK);
}

/* cmocka setup and teardown: *state an editor with no limit of its own. */
static int editor_setup(void **state)
{
	struct editor *ed = malloc(sizeof *ed);
	if (ed == NULL || editor_init(ed, 0) != EDIT_OK) {
		free(ed);
		return -1;
	}
	*state = ed;
	return 0;
}

static int editor_teardown(void **state)
{
	editor_free(*state);
	free(*state);
	return 0;
}

static void set(struct editor *ed, const char *s)
{
	assert_int_equal(editor_set_text(ed, s, strlen(s)), EDIT_OK);
}

/* A field of at most max_nchars characters (0: the hard cap) holding text,
 * the cursor at its end; the caller frees it with editor_free. */
static struct editor field_holding(size_t max_nchars, const char *text)
{
	struct editor ed;
	new_editor(&ed, max_nchars);
	set(&ed, text);
	return ed;
}

static int insert(struct editor *ed, const char *s)
{
	return editor_insert_utf8(ed, s, strlen(s));
}

/* Byte offset of character index ci in s. */
static size_t byte_of(const char *s, size_t ci)
{
	size_t b = 0;
	for (size_t i = 0; i < ci; i++) {
		uint32_t cp;
		size_t len = utf8_decode(s + b, strlen(s + b), &cp);
		assert_true(len > 0);
		b += len;
	}
	return b;
}

/* Where column col starts in the rendered line s; fails if col falls inside a
 * double-width character. */
static const char *at_col(const char *s, size_t col)
{
	size_t c = 0, b = 0, n = strlen(s);
	while (c < col) {
		uint32_t cp;
		size_t len = utf8_decode(s + b, n - b, &cp);
		assert_true(len > 0);
		c += (size_t)utf8_cp_ncols(cp);
		b += len;
	}
	if (c != col)
		fail_msg("column %zu is inside a character of \"%s\"", col, s);
	return s + b;
}

/*
 * Lay ed out in a field ncols wide, render it, check the invariants of every
 * view and return the picture (a static buffer, valid until the next call).
 */
static const char *show(struct editor *ed, size_t ncols, struct editor_view *v)
{
	static char buf[EDITOR_MAX_NCHARS * 4 + 256];
	assert_int_equal(editor_view(ed, ncols, v), EDIT_OK);
	assert_true(v->render_nbytes <= sizeof buf);
	assert_int_equal(editor_render(ed, v, buf, v->render_nbytes), EDIT_OK);

	if (!utf8_valid(buf, strlen(buf)))
		fail_msg("picture is not valid UTF-8 (half a character?)");
	if (utf8_ncols(buf) != ncols)
		fail_msg("\"%s\" is %zu columns, not %zu", buf, utf8_ncols(buf), ncols);
	assert_true(v->cursor_col < ncols);
	assert_true(v->first <= ed->cursor);
	assert_int_equal(ed->first, v->first);

	/* What is shown is the text from first to last, after a left marker. */
	size_t lm = (v->flags & EDITOR_VIEW_MARK_LEFT) != 0;
	assert_int_equal(v->text_col, lm);
	assert_int_equal(v->slice_byte, byte_of(ed->text, v->first));
	assert_int_equal(v->slice_byte + v->slice_nbytes, byte_of(ed->text, v->last));
	assert_memory_equal(buf + lm, ed->text + v->slice_byte, v->slice_nbytes);

	/* The cursor's character is shown whole at the cursor column; at the end
	 * of the text the cursor sits on a blank cell after it. */
	if (ncols >= 2) {
		const char *cell = at_col(buf, v->cursor_col);
		if (ed->cursor < ed->nchars) {
			size_t b = byte_of(ed->text, ed->cursor);
			size_t len = byte_of(ed->text, ed->cursor + 1) - b;
			assert_memory_equal(cell, ed->text + b, len);
			assert_true(ed->cursor < v->last);
		} else {
			assert_int_equal(*cell, ' ');
			assert_int_equal(v->last, ed->nchars);
		}
	}

	/* Markers: only where text is hidden, and always there in wide fields. */
	assert_int_equal((v->flags & EDITOR_VIEW_HIDDEN_LEFT) != 0, v->first > 0);
	assert_int_equal((v->flags & EDITOR_VIEW_HIDDEN_RIGHT) != 0, v->last < ed->nchars);
	if (v->flags & EDITOR_VIEW_MARK_LEFT) {
		assert_true(v->flags & EDITOR_VIEW_HIDDEN_LEFT);
		assert_int_equal(buf[0], '<');
	}
	if (v->flags & EDITOR_VIEW_MARK_RIGHT) {
		assert_true(v->flags & EDITOR_VIEW_HIDDEN_RIGHT);
		assert_int_equal(buf[strlen(buf) - 1], '>');
	}
	if (ncols >= EDITOR_VIEW_MARKERS_MIN_NCOLS) {
		assert_int_equal((v->flags & EDITOR_VIEW_MARK_LEFT) != 0,
				 (v->flags & EDITOR_VIEW_HIDDEN_LEFT) != 0);
		assert_int_equal((v->flags & EDITOR_VIEW_MARK_RIGHT) != 0,
				 (v->flags & EDITOR_VIEW_HIDDEN_RIGHT) != 0);
	} else {
		assert_int_equal(v->flags & (EDITOR_VIEW_MARK_LEFT | EDITOR_VIEW_MARK_RIGHT), 0);
	}
	return buf;
}

/* ed shown in ncols columns is exactly picture, with the cursor at col. */
static void assert_shows(struct editor *ed, size_t ncols, const char *picture, size_t col)
{
	struct editor_view v;
	const char *got = show(ed, ncols, &v);
	if (strcmp(got, picture) != 0)
		fail_msg("shows \"%s\", expected \"%s\"", got, picture);
	if (v.cursor_col != col)
		fail_msg("\"%s\": cursor at column %zu, expected %zu", got, v.cursor_col, col);
}

static void assert_text(const struct editor *ed, const char *text, size_t cursor)
{
	assert_string_equal(editor_text(ed), text);
	assert_int_equal(ed->nbytes, strlen(text));
	assert_int_equal(ed->nchars, utf8_nchars(text));
	assert_int_equal(ed->cursor, cursor);
}

/* One look at a scripted field: a key first (NULL: none) and what it must
 * return, then the field shown in ncols columns must be exactly picture with
 * the cursor at column col. */
struct view_step {
	int (*key)(struct editor *ed);
	int want;
	size_t ncols;
	const char *picture;
	size_t col;
};

/* Set ed's text to start (the cursor at its end; NULL: leave ed as it is),
 * then take each of the n looks in turn. */
static void look(struct editor *ed, const char *start, const struct view_step *looks, size_t n)
{
	if (start != NULL)
		set(ed, start);
	for (size_t i = 0; i < n; i++) {
		if (looks[i].key != NULL) {
			int rc = looks[i].key(ed);
			if (rc != looks[i].want)
				fail_msg("key %zu returned %d, not %d", i + 1, rc, looks[i].want);
		}
		assert_shows(ed, looks[i].ncols, looks[i].picture, looks[i].col);
	}
}

/* LOOK(ed, start, { key, want, ncols, picture, col }, ...): look of the list. */
#define LOOK(ed, start, ...)                                                               \
	look(ed, start, (const struct view_step[]){ __VA_ARGS__ },                          \
	     sizeof((const struct view_step[]){ __VA_ARGS__ }) / sizeof(struct view_step))

/* ---- text, characters and columns ---------------------------------------- */

UNIT_TEST(a_new_field_is_empty_with_the_cursor_at_zero, NULL, NULL)
{
	struct editor ed;
	new_editor(&ed, 10);
	assert_text(&ed, "", 0);
	assert_int_equal(ed.max_nchars, 10);
	assert_int_equal(editor_ncols(&ed), 0);
	assert_int_equal(editor_cursor_ncols(&ed), 0);
	editor_free(&ed);
	editor_free(&ed); /* twice is harmless */
}

UNIT_TEST(set_text_counts_bytes_characters_and_columns_and_puts_the_cursor_at_the_end, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	set(ed, "脱贫攻坚");
	assert_text(ed, "脱贫攻坚", 4);
	assert_int_equal(ed->nbytes, 12);
	assert_int_equal(editor_ncols(ed), 8);
	assert_int_equal(editor_cursor_ncols(ed), 8);

	set(ed, "村1组 张三");
	assert_text(ed, "村1组 张三", 6);
	assert_int_equal(editor_ncols(ed), 10);
	assert_int_equal(editor_cursor_ncols(ed), 10);
	assert_int_equal(ed->first, 0);
}

UNIT_TEST(a_limit_of_zero_means_the_hard_cap_and_a_larger_limit_is_refused, NULL, NULL)
{
	struct editor ed;
	assert_int_equal(editor_init(&ed, EDITOR_MAX_NCHARS + 1), EDIT_REFUSED_INVALID);
	assert_null(ed.text);
	editor_free(&ed);

	new_editor(&ed, 0);
	assert_int_equal(ed.max_nchars, EDITOR_MAX_NCHARS);
	char *big = malloc(EDITOR_MAX_NCHARS * 3 + 4);
	assert_non_null(big);
	for (size_t i = 0; i < EDITOR_MAX_NCHARS; i++)
		memcpy(big + i * 3, "坚", 3);
	assert_int_equal(editor_set_text(&ed, big, EDITOR_MAX_NCHARS * 3), EDIT_OK);
	assert_int_equal(ed.nchars, EDITOR_MAX_NCHARS);
	assert_int_equal(editor_insert(&ed, 'a'), EDIT_REFUSED_FULL);
	memcpy(big + EDITOR_MAX_NCHARS * 3, "坚", 3);
	assert_int_equal(editor_clear(&ed), EDIT_OK);
	assert_int_equal(editor_set_text(&ed, big, EDITOR_MAX_NCHARS * 3 + 3), EDIT_REFUSED_FULL);
	assert_text(&ed, "", 0);
	free(big);
	editor_free(&ed);
}

UNIT_TEST(set_text_over_the_maximum_is_refused_and_the_old_text_kept, NULL, NULL)
{
	struct editor ed = field_holding(4, "张三");
	assert_int_equal(editor_set_text(&ed, "脱贫攻坚战", strlen("脱贫攻坚战")),
			 EDIT_REFUSED_FULL);
	assert_text(&ed, "张三", 2);
	set(&ed, "脱贫攻坚"); /* exactly the maximum fits */
	assert_text(&ed, "脱贫攻坚", 4);
	editor_free(&ed);
}

/* Malformed UTF-8, each refused by set_text and by insert, alone and inside
 * valid text. */
static const char *const malformed[] = {
	"\xC0\xAF",         /* overlong '/' in two bytes */
	"\xE0\x80\xAF",     /* overlong '/' in three bytes */
	"\xF0\x80\x80\xAF", /* overlong '/' in four bytes */
	"\x80",             /* lone continuation byte */
	"a\xBF-z",          /* continuation byte between characters */
	"\xED\xA0\x80",     /* surrogate U+D800 */
	"\xED\xBF\xBF",     /* surrogate U+DFFF */
	"\xE4\xB8",         /* 中 cut after two of its three bytes */
	"\xF0\x9F\x98",     /* 😀 cut after three of its four bytes */
	"\xF4\x90\x80\x80", /* U+110000, beyond Unicode */
	"\xF5\x80\x80\x80", /* a lead byte that never occurs */
	"\xFF",
};

UNIT_TEST(malformed_utf8_is_refused_and_never_stored, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		char wrapped[64];
		snprintf(wrapped, sizeof wrapped, "脱贫%s攻坚", malformed[i]);
		const char *cases[] = { malformed[i], wrapped };
		for (size_t k = 0; k < 2; k++) {
			set(ed, "张三");
			assert_int_equal(editor_left(ed), EDIT_OK);
			assert_int_equal(editor_set_text(ed, cases[k], strlen(cases[k])),
					 EDIT_REFUSED_INVALID);
			assert_text(ed, "张三", 1);
			assert_int_equal(insert(ed, cases[k]), EDIT_REFUSED_INVALID);
			assert_text(ed, "张三", 1);
		}
	}
}

UNIT_TEST(control_characters_are_refused_in_a_one_line_field, NULL, NULL)
{
	static const char *const controls[] = {
		"a\nb", "a\tb", "\r", "\x1b[2J", "\x7f", "\xC2\x85" /* NEL */,
		"\xE2\x80\xA8" /* U+2028 */, "\xE2\x80\xA9" /* U+2029 */,
	};
	struct editor ed = field_holding(0, "张三");
	for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
		assert_int_equal(editor_set_text(&ed, controls[i], strlen(controls[i])),
				 EDIT_REFUSED_INVALID);
		assert_int_equal(insert(&ed, controls[i]), EDIT_REFUSED_INVALID);
		assert_text(&ed, "张三", 2);
	}
	/* A NUL inside the bytes is refused, not taken as the end. */
	assert_int_equal(editor_set_text(&ed, "a\0b", 3), EDIT_REFUSED_INVALID);
	assert_int_equal(editor_insert_utf8(&ed, "a\0b", 3), EDIT_REFUSED_INVALID);
	assert_text(&ed, "张三", 2);

	static const uint32_t bad_cps[] = { 0, '\n', '\t', 0x1B, 0x7F, 0x85, 0x9F,
					    0x2028, 0xD800, 0xDFFF, 0x110000, 0xFFFFFFFF };
	for (size_t i = 0; i < sizeof bad_cps / sizeof bad_cps[0]; i++)
		assert_int_equal(editor_insert(&ed, bad_cps[i]), EDIT_REFUSED_INVALID);
	assert_text(&ed, "张三", 2);
	editor_free(&ed);
}

/* ---- inserting ------------------------------------------------------------ */

UNIT_TEST(insert_at_the_start_middle_and_end_moves_the_cursor_after_it, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	set(ed, "贫攻");
	assert_int_equal(editor_insert(ed, 0x575A /* 坚 */), EDIT_OK);
	assert_text(ed, "贫攻坚", 3);
	assert_int_equal(editor_cursor_ncols(ed), 6);

	assert_int_equal(editor_home(ed), EDIT_OK);
	assert_int_equal(editor_insert(ed, 0x8131 /* 脱 */), EDIT_OK);
	assert_text(ed, "脱贫攻坚", 1);
	assert_int_equal(editor_cursor_ncols(ed), 2);

	assert_int_equal(editor_right(ed), EDIT_OK);
	assert_int_equal(editor_insert(ed, 'A'), EDIT_OK);
	assert_text(ed, "脱贫A攻坚", 3);
	assert_int_equal(editor_cursor_ncols(ed), 5);
}

UNIT_TEST(an_input_method_commit_goes_in_at_once, NULL, NULL)
{
	struct editor ed = field_holding(10, "打赢战");
	assert_int_equal(editor_left(&ed), EDIT_OK);
	assert_int_equal(insert(&ed, "脱贫攻坚"), EDIT_OK);
	assert_text(&ed, "打赢脱贫攻坚战", 6);
	assert_int_equal(ed.nbytes, 21);
	assert_int_equal(editor_cursor_ncols(&ed), 12);
	assert_int_equal(editor_ncols(&ed), 14);
	assert_int_equal(insert(&ed, ""), EDIT_NOTHING);
	assert_text(&ed, "打赢脱贫攻坚战", 6);
	editor_free(&ed);
}

UNIT_TEST(insertion_past_the_maximum_is_refused_whole_and_the_text_unchanged, NULL, NULL)
{
	struct editor ed = field_holding(5, "脱贫攻坚");
	assert_int_equal(editor_left(&ed), EDIT_OK);
	assert_int_equal(insert(&ed, "战役"), EDIT_REFUSED_FULL);
	assert_text(&ed, "脱贫攻坚", 3);
	assert_int_equal(editor_insert(&ed, 'x'), EDIT_OK);
	assert_text(&ed, "脱贫攻x坚", 4);
	assert_int_equal(editor_insert(&ed, 'y'), EDIT_REFUSED_FULL);
	assert_int_equal(insert(&ed, "战"), EDIT_REFUSED_FULL);
	assert_text(&ed, "脱贫攻x坚", 4);
	/* A commit that is both malformed and too long is refused as malformed. */
	assert_int_equal(insert(&ed, "战\xFF"), EDIT_REFUSED_INVALID);
	editor_free(&ed);
}

UNIT_TEST(a_field_of_four_byte_characters_fills_its_whole_buffer, NULL, NULL)
{
	struct editor ed;
	new_editor(&ed, 3);
	assert_int_equal(insert(&ed, "😀😁"), EDIT_OK);
	assert_int_equal(editor_home(&ed), EDIT_OK);
	assert_int_equal(editor_insert(&ed, 0x1F923 /* 🤣 */), EDIT_OK);
	assert_text(&ed, "🤣😀😁", 1);
	assert_int_equal(ed.nbytes, 12);
	assert_int_equal(editor_insert(&ed, 0x1F602), EDIT_REFUSED_FULL);
	editor_free(&ed);
}

/* ---- deleting ------------------------------------------------------------- */

/* One key of a scripted edit: the operation, what it must return, and the
 * field after it: its text (NULL: not looked at) with the cursor at character
 * cursor, the cursor at column cursor_ncols (ANY: not looked at). */
struct key_step {
	int (*key)(struct editor *ed);
	int want;
	const char *text;
	size_t cursor;
	int cursor_ncols;
};
#define ANY (-1)

/* A behaviour of the keys, said as its test would be named, shown by
 * pressing keys on a field holding start (the cursor at its end). */
struct key_case {
	const char *behaviour;
	const char *start;
	struct key_step keys[6]; /* up to the first with no key */
};

/* Set ed's text to the case's start, then press each of its keys in turn,
 * checking each as it says; a failure names the case. */
static void press(struct editor *ed, const struct key_case *c)
{
	set(ed, c->start);
	for (const struct key_step *k = c->keys; k->key != NULL; k++) {
		size_t nth = (size_t)(k - c->keys) + 1;
		int rc = k->key(ed);
		if (rc != k->want)
			fail_msg("%s (\"%s\"): key %zu returned %d, not %d", c->behaviour, c->start,
				 nth, rc, k->want);
		if (k->text != NULL && (strcmp(editor_text(ed), k->text) != 0 || ed->cursor != k->cursor))
			fail_msg("%s (\"%s\"): key %zu left \"%s\" with the cursor at %zu, not \"%s\" at %zu",
				 c->behaviour, c->start, nth, editor_text(ed), ed->cursor, k->text,
				 k->cursor);
		if (k->text != NULL)
			assert_text(ed, k->text, k->cursor); /* and its counts */
		if (k->cursor_ncols != ANY)
			assert_int_equal(editor_cursor_ncols(ed), k->cursor_ncols);
	}
}

/* The deleting keys, case by case. */
static const struct key_case deleting[] = {
	{ "backspace removes a double-width character as one", "张a三",
	  { { editor_backspace, EDIT_OK, "张a", 2, 3 },
	    { editor_backspace, EDIT_OK, "张", 1, ANY },
	    { editor_backspace, EDIT_OK, "", 0, ANY },
	    { editor_backspace, EDIT_NOTHING, NULL, 0, ANY } } },
	{ "backspace removes a double-width character as one", "脱贫攻坚",
	  { { editor_left, EDIT_OK, NULL, 0, ANY },
	    { editor_backspace, EDIT_OK, "脱贫坚", 2, 4 } } },
	{ "delete removes the character under the cursor", "脱贫攻坚",
	  { { editor_delete, EDIT_NOTHING, NULL, 0, ANY },
	    { editor_home, EDIT_OK, NULL, 0, ANY },
	    { editor_delete, EDIT_OK, "贫攻坚", 0, ANY },
	    { editor_right, EDIT_OK, NULL, 0, ANY },
	    { editor_delete, EDIT_OK, "贫坚", 1, 2 } } },
	{ "kill to end removes the rest of the line", "村1组张三",
	  { { editor_kill_to_end, EDIT_NOTHING, NULL, 0, ANY },
	    { editor_home, EDIT_OK, NULL, 0, ANY },
	    { editor_right, EDIT_OK, NULL, 0, ANY },
	    { editor_right, EDIT_OK, NULL, 0, ANY },
	    { editor_kill_to_end, EDIT_OK, "村1", 2, 3 } } },
	/* the trailing spaces and the word before them */
	{ "kill word deletes back to the previous space in ascii", "hello big-world  ",
	  { { editor_kill_word, EDIT_OK, "hello ", 6, ANY },
	    { editor_kill_word, EDIT_OK, "", 0, ANY },
	    { editor_kill_word, EDIT_NOTHING, NULL, 0, ANY } } },
	{ "kill word deletes back to the previous space in ascii", "ab cd ef",
	  { { editor_left, EDIT_OK, NULL, 0, ANY },
	    { editor_left, EDIT_OK, NULL, 0, ANY },
	    { editor_left, EDIT_OK, NULL, 0, ANY }, /* "ab cd| ef" */
	    { editor_kill_word, EDIT_OK, "ab  ef", 3, ANY } } },
	{ "kill word takes one run of chinese at a time", "张三abc",
	  { { editor_kill_word, EDIT_OK, "张三", 2, ANY },
	    { editor_kill_word, EDIT_OK, "", 0, ANY } } },
	{ "kill word takes one run of chinese at a time", "霍邱县城关镇东街3号",
	  { { editor_kill_word, EDIT_OK, "霍邱县城关镇东街3", 9, ANY },
	    { editor_kill_word, EDIT_OK, "霍邱县城关镇东街", 8, ANY },
	    { editor_kill_word, EDIT_OK, "", 0, ANY } } },
	/* The ideographic space separates words like a space. */
	{ "kill word takes one run of chinese at a time", "户主\xE3\x80\x80张三\xE3\x80\x80",
	  { { editor_kill_word, EDIT_OK, "户主\xE3\x80\x80", 3, ANY },
	    { editor_kill_word, EDIT_OK, "", 0, ANY } } },
};

UNIT_TEST(each_deleting_key_removes_what_its_case_says, editor_setup, editor_teardown)
{
	for (size_t i = 0; i < sizeof deleting / sizeof deleting[0]; i++)
		press(*state, &deleting[i]);
}

UNIT_TEST(clear_empties_the_field, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	set(ed, "脱贫攻坚");
	assert_int_equal(editor_clear(ed), EDIT_OK);
	assert_text(ed, "", 0);
	assert_int_equal(editor_ncols(ed), 0);
	assert_int_equal(editor_clear(ed), EDIT_NOTHING);
}

/* ---- moving --------------------------------------------------------------- */

UNIT_TEST(moves_at_the_boundaries_do_nothing, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	assert_int_equal(editor_left(ed), EDIT_NOTHING);
	assert_int_equal(editor_right(ed), EDIT_NOTHING);
	assert_int_equal(editor_home(ed), EDIT_NOTHING);
	assert_int_equal(editor_end(ed), EDIT_NOTHING);

	set(ed, "张三");
	assert_int_equal(editor_right(ed), EDIT_NOTHING);
	assert_int_equal(editor_end(ed), EDIT_NOTHING);
	assert_int_equal(ed->cursor, 2);
	assert_int_equal(editor_home(ed), EDIT_OK);
	assert_int_equal(editor_home(ed), EDIT_NOTHING);
	assert_int_equal(editor_left(ed), EDIT_NOTHING);
	assert_int_equal(ed->cursor, 0);
	assert_int_equal(editor_end(ed), EDIT_OK);
	assert_int_equal(ed->cursor, 2);
}

UNIT_TEST(left_and_right_move_by_character_and_the_column_follows_the_widths, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	set(ed, "村1组ab张");
	static const size_t cols[] = { 0, 2, 3, 5, 6, 7, 9 };
	assert_int_equal(editor_home(ed), EDIT_OK);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(editor_cursor_ncols(ed), cols[i]);
		assert_int_equal(editor_right(ed), EDIT_OK);
	}
	assert_int_equal(editor_cursor_ncols(ed), 9);
	for (size_t i = 6; i > 0; i--) {
		assert_int_equal(ed->cursor, i);
		assert_int_equal(editor_cursor_ncols(ed), cols[i]);
		assert_int_equal(editor_left(ed), EDIT_OK);
	}
	assert_int_equal(ed->cursor, 0);
}

UNIT_TEST(a_combining_mark_travels_with_its_letter, NULL, NULL)
{
	if (utf8_cp_ncols(0x301) != 0)
		skip(); /* needs a locale where U+0301 is zero-width */
	/* a, e, COMBINING ACUTE, b: 4 characters, 3 columns */
	struct editor ed = field_holding(0, "ae\xCC\x81" "b");
	assert_int_equal(ed.nchars, 4);
	assert_int_equal(editor_ncols(&ed), 3);
	assert_int_equal(editor_left(&ed), EDIT_OK);
	assert_int_equal(ed.cursor, 3);
	assert_int_equal(editor_left(&ed), EDIT_OK);
	assert_int_equal(ed.cursor, 1); /* over é as one */
	assert_int_equal(editor_right(&ed), EDIT_OK);
	assert_int_equal(ed.cursor, 3);
	assert_int_equal(editor_backspace(&ed), EDIT_OK);
	assert_text(&ed, "ab", 1);
	/* Nothing to combine with at the start. */
	assert_int_equal(editor_home(&ed), EDIT_OK);
	assert_int_equal(editor_insert(&ed, 0x301), EDIT_REFUSED_INVALID);
	assert_int_equal(editor_set_text(&ed, "\xCC\x81" "a", 3), EDIT_REFUSED_INVALID);
	assert_text(&ed, "ab", 0);
	/* Deleting a letter takes its marks along. */
	set(&ed, "e\xCC\x81" "b");
	assert_int_equal(editor_home(&ed), EDIT_OK);
	assert_int_equal(editor_delete(&ed), EDIT_OK);
	assert_text(&ed, "b", 0);
	editor_free(&ed);
}

UNIT_TEST(a_string_of_four_emoji_edits_and_shows_like_any_other, NULL, NULL)
{
	size_t w = (size_t)utf8_cp_ncols(0x1F600);
	struct editor ed;
	new_editor(&ed, 0);
	assert_int_equal(insert(&ed, "😀😁😂🤣"), EDIT_OK);
	assert_text(&ed, "😀😁😂🤣", 4);
	assert_int_equal(ed.nbytes, 16);
	assert_int_equal(editor_ncols(&ed), 4 * w);
	assert_int_equal(editor_left(&ed), EDIT_OK);
	assert_int_equal(editor_cursor_ncols(&ed), 3 * w);
	assert_int_equal(editor_backspace(&ed), EDIT_OK);
	assert_text(&ed, "😀😁🤣", 2);
	assert_int_equal(ed.nbytes, 12);
	assert_int_equal(editor_kill_word(&ed), EDIT_OK);
	assert_text(&ed, "🤣", 0);
	set(&ed, "😀😁😂🤣");
	for (size_t ncols = 1; ncols <= 10; ncols++) {
		struct editor_view v;
		assert_int_equal(editor_home(&ed), EDIT_OK);
		for (size_t i = 0; i <= 4; i++) {
			show(&ed, ncols, &v);
			editor_right(&ed);
		}
	}
	if (w == 2)
		LOOK(&ed, NULL,
		     { editor_home, EDIT_OK, 5, "😀😁>", 0 },
		     { editor_end, EDIT_OK, 5, "<🤣  ", 3 });
	editor_free(&ed);
}

/* ---- the view ------------------------------------------------------------- */

UNIT_TEST(a_field_of_width_zero_is_refused, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	struct editor_view v;
	set(ed, "张三");
	assert_int_equal(editor_view(ed, 0, &v), EDIT_REFUSED_INVALID);
}

UNIT_TEST(short_text_shows_from_the_start_padded_to_the_width, editor_setup, editor_teardown)
{
	assert_shows(*state, 6, "      ", 0);
	LOOK(*state, "张a三",
	     { NULL, 0, 6, "张a三 ", 5 },
	     { editor_home, EDIT_OK, 6, "张a三 ", 0 },
	     { editor_right, EDIT_OK, 6, "张a三 ", 2 });
}

/* Every cursor position, reached by moving right then back left, and every
 * prefix as typed, for widths 1..12: show() checks each picture. */
static void check_all_views(const char *text)
{
	struct editor ed;
	struct editor_view v;
	new_editor(&ed, 0);
	for (size_t ncols = 1; ncols <= 12; ncols++) {
		(void)editor_clear(&ed);
		assert_int_equal(ed.nchars, 0);
		size_t b = 0, n = strlen(text);
		while (b < n) {
			uint32_t cp;
			size_t len = utf8_decode(text + b, n - b, &cp);
			assert_int_equal(editor_insert(&ed, cp), EDIT_OK);
			show(&ed, ncols, &v);
			b += len;
		}
		assert_string_equal(editor_text(&ed), text);
		while (editor_left(&ed) == EDIT_OK)
			show(&ed, ncols, &v);
		while (editor_right(&ed) == EDIT_OK)
			show(&ed, ncols, &v);
		while (editor_backspace(&ed) == EDIT_OK)
			show(&ed, ncols, &v);
	}
	editor_free(&ed);
}

UNIT_TEST(every_view_of_chinese_text_is_exactly_the_width_without_half_characters, NULL, NULL)
{
	check_all_views("脱贫攻坚");
	check_all_views("重精准补短板促攻坚");
}

UNIT_TEST(every_view_of_mixed_text_is_exactly_the_width_without_half_characters, NULL, NULL)
{
	check_all_views("村1组张三家ab中");
	check_all_views("ab中cd文e 户主：李四");
}

UNIT_TEST(odd_widths_leave_a_blank_where_a_chinese_character_would_be_cut, editor_setup, editor_teardown)
{
	LOOK(*state, "脱贫攻坚",
	     { editor_home, EDIT_OK, 3, "脱 ", 0 },
	     { NULL, 0, 5, "脱贫>", 0 },
	     { NULL, 0, 7, "脱贫攻>", 0 },
	     /* Width 3 has no room for markers: one character and a blank. */
	     { editor_right, EDIT_OK, 3, "贫 ", 0 },
	     { editor_right, EDIT_OK, 3, "攻 ", 0 },
	     { editor_right, EDIT_OK, 3, "坚 ", 0 },
	     { editor_right, EDIT_OK, 3, "坚 ", 2 },
	     /* Width 5 and 7 at the end: a '<', whole characters, the cursor cell. */
	     { NULL, 0, 5, "<坚  ", 3 },
	     { NULL, 0, 7, "<攻坚  ", 5 });
}

UNIT_TEST(width_two_shows_the_character_under_the_cursor_whole, NULL, NULL)
{
	static const char *const pictures[] = { "脱", "贫", "攻", "坚", "  " };
	struct editor ed = field_holding(0, "脱贫攻坚");
	assert_int_equal(editor_home(&ed), EDIT_OK);
	for (size_t i = 0; i <= 4; i++) {
		assert_shows(&ed, 2, pictures[i], 0);
		editor_right(&ed);
	}
	editor_free(&ed);
}

UNIT_TEST(typing_past_the_right_edge_scrolls_and_home_scrolls_back, NULL, NULL)
{
	static const char *const pictures[] = { "脱    ", "脱贫  ", "<贫攻 ", "<攻坚 " };
	static const size_t cols[] = { 2, 4, 5, 5 };
	static const uint32_t typed[] = { 0x8131, 0x8D2B, 0x653B, 0x575A }; /* 脱贫攻坚 */
	struct editor ed;
	struct editor_view v;
	new_editor(&ed, 0);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(editor_insert(&ed, typed[i]), EDIT_OK);
		assert_shows(&ed, 6, pictures[i], cols[i]);
	}
	show(&ed, 6, &v);
	assert_int_equal(v.first, 2);
	assert_int_equal(v.flags, EDITOR_VIEW_HIDDEN_LEFT | EDITOR_VIEW_MARK_LEFT);

	assert_int_equal(editor_home(&ed), EDIT_OK);
	assert_shows(&ed, 6, "脱贫 >", 0);
	show(&ed, 6, &v);
	assert_int_equal(v.first, 0);
	assert_int_equal(v.flags, EDITOR_VIEW_HIDDEN_RIGHT | EDITOR_VIEW_MARK_RIGHT);

	assert_int_equal(editor_end(&ed), EDIT_OK);
	assert_shows(&ed, 6, "<攻坚 ", 5);
	editor_free(&ed);
}

UNIT_TEST(moving_within_the_field_does_not_scroll, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	struct editor_view v;
	set(ed, "abcdefghijklmnop");
	assert_shows(ed, 10, "<ijklmnop ", 9);
	for (size_t col = 8; col >= 1; col--) {
		assert_int_equal(editor_left(ed), EDIT_OK);
		assert_shows(ed, 10, "<ijklmnop ", col);
	}
	/* One more step left goes past the edge: scroll by one character. */
	assert_int_equal(editor_left(ed), EDIT_OK);
	assert_shows(ed, 10, "<hijklmnop", 1);
	show(ed, 10, &v);
	assert_int_equal(v.first, 7);
	/* And back right, within the field again: no scroll. */
	assert_int_equal(editor_right(ed), EDIT_OK);
	assert_shows(ed, 10, "<hijklmnop", 2);
}

UNIT_TEST(scrolling_through_mixed_text_keeps_whole_characters, editor_setup, editor_teardown)
{
	LOOK(*state, "村1组张三",
	     { NULL, 0, 7, "<张三  ", 5 },
	     { editor_home, EDIT_OK, 7, "村1组 >", 0 },
	     { editor_right, EDIT_OK, 7, "村1组 >", 2 },
	     { editor_right, EDIT_OK, 7, "村1组 >", 3 },
	     { editor_right, EDIT_OK, 7, "<1组张>", 4 },
	     { editor_right, EDIT_OK, 7, "<组张三", 5 },
	     { editor_right, EDIT_OK, 7, "<张三  ", 5 });
}

UNIT_TEST(deleting_at_the_end_brings_hidden_text_back_into_the_field, editor_setup, editor_teardown)
{
	LOOK(*state, "脱贫攻坚",
	     { NULL, 0, 6, "<攻坚 ", 5 },
	     { editor_backspace, EDIT_OK, 6, "<贫攻 ", 5 },
	     { editor_backspace, EDIT_OK, 6, "脱贫  ", 4 });
}

UNIT_TEST(a_new_text_or_a_narrower_field_never_leaves_a_stale_scroll, editor_setup, editor_teardown)
{
	struct editor *ed = *state;
	struct editor_view v;
	LOOK(ed, "重精准补短板促攻坚", { NULL, 0, 8, "<促攻坚 ", 7 });
	LOOK(ed, "张三", { NULL, 0, 8, "张三    ", 4 });
	LOOK(ed, "重精准补短板促攻坚",
	     { NULL, 0, 20, "重精准补短板促攻坚  ", 18 },
	     { NULL, 0, 4, "<坚 ", 3 });
	show(ed, 4, &v);
	assert_int_equal(v.first, 8);
}

UNIT_TEST(render_refuses_a_short_buffer_and_a_stale_view, NULL, NULL)
{
	struct editor ed = field_holding(0, "脱贫攻坚");
	struct editor_view v;
	char buf[64];
	assert_int_equal(editor_view(&ed, 6, &v), EDIT_OK);
	memset(buf, 'x', sizeof buf);
	assert_int_equal(editor_render(&ed, &v, buf, v.render_nbytes - 1), EDIT_REFUSED_FULL);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(editor_clear(&ed), EDIT_OK);
	assert_int_equal(editor_render(&ed, &v, buf, sizeof buf), EDIT_REFUSED_INVALID);
	editor_free(&ed);
}

UNIT_TEST(refusals_have_a_message_and_success_has_none, NULL, NULL)
{
	assert_string_equal(editor_status_message(EDIT_OK), "");
	assert_string_equal(editor_status_message(EDIT_NOTHING), "");
	assert_true(strlen(editor_status_message(EDIT_REFUSED_FULL)) > 0);
	assert_true(strlen(editor_status_message(EDIT_REFUSED_INVALID)) > 0);
	assert_true(strlen(editor_status_message(EDIT_NOMEM)) > 0);
}

int main(void)
{
	have_utf8_locale = setlocale(LC_CTYPE, "C.UTF-8") != NULL ||
			   setlocale(LC_CTYPE, "en_US.UTF-8") != NULL;
	if (!have_utf8_locale)
		fprintf(stderr, "test_editor: no UTF-8 locale; widths from the fallback table\n");
	return unit_run("editor", NULL, NULL);
}
