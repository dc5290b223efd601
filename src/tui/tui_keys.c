/*
 * tui_keys.c — the keyboard as the screens see it: one reader (tui_read_key,
 * and tui_next_key for the loops that draw again when the window is resized)
 * behind every screen, box and picker, so that a key means the same wherever
 * it is pressed and under every terminal the officer may have.
 *
 * Keys are decoded by curses from terminfo (keypad mode). That is right on the
 * terminal terminfo describes, but wrong whenever the program runs inside
 * another one: tmux and screen send xterm's sequences whatever TERM says
 * (F1 = ESC O P, F5 = ESC [ 1 5 ~, Home = ESC [ 1 ~), which the linux console's
 * entry (F1 = ESC [ [ A) and vt100's (no Home, End, Delete, PgUp, PgDn or F11)
 * do not know, so those keys arrived as ESC and letters. tui_keys_init teaches
 * curses the common alternative sequences (xterm, vt220, rxvt, linux) with
 * define_key, each only where terminfo has not already given that sequence a
 * meaning: what the terminal says always wins.
 *
 * A terminal without function keys at all (a vt100 keyboard, a serial console,
 * a phone's ssh client) has Esc followed by a digit: Esc 1 … Esc 9 are F1 … F9
 * and Esc 0 is F10, as in Midnight Commander. Alt-digit sends the same bytes on
 * most terminals. The digit must follow within TUI_ESC_DIGIT_MS; Esc alone
 * is Esc (back) after that wait, and any other key that follows is kept for
 * the next read. The wait can be set with TAIZHANG_ESC_MS (milliseconds,
 * TUI_ESC_MS_MIN to TUI_ESC_MS_MAX): longer over a slow remote link, where the
 * digit may arrive late; shorter where Esc should act at once (the tests).
 *
 * What this file is not: what keys do (the screens' key handlers) or the text
 * editor (editor.c).
 */
#include <curses.h>
#include <stdlib.h>

#include "taizhang/decimal.h"

#include "tui_internal.h"

/* The wait for a digit after Esc, in milliseconds (tui_keys_init sets it). */
static int esc_digit_ms = TUI_ESC_DIGIT_MS;

/* TAIZHANG_ESC_MS when it is a whole number in range, else the default. */
static int esc_digit_ms_from_env(void)
{
	const char *v = getenv("TAIZHANG_ESC_MS");
	long long ms;
	if (v == NULL || !decimal_parse(v, 0, &ms) || ms < TUI_ESC_MS_MIN || ms > TUI_ESC_MS_MAX)
		return TUI_ESC_DIGIT_MS;
	return (int)ms;
}

/* Sequences curses learns when terminfo leaves them free. */
static const struct {
	const char *seq;
	int code;
} alternatives[] = {
	/* xterm / tmux / screen: F1-F4 as SS3, F5-F12 as CSI n ~ */
	{ "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) }, { "\033OR", KEY_F(3) },
	{ "\033OS", KEY_F(4) }, { "\033[15~", KEY_F(5) }, { "\033[17~", KEY_F(6) },
	{ "\033[18~", KEY_F(7) }, { "\033[19~", KEY_F(8) }, { "\033[20~", KEY_F(9) },
	{ "\033[21~", KEY_F(10) }, { "\033[23~", KEY_F(11) }, { "\033[24~", KEY_F(12) },
	/* vt220 / rxvt / PuTTY: F1-F4 as CSI 1n ~ */
	{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) }, { "\033[13~", KEY_F(3) },
	{ "\033[14~", KEY_F(4) },
	/* the linux console */
	{ "\033[[A", KEY_F(1) }, { "\033[[B", KEY_F(2) }, { "\033[[C", KEY_F(3) },
	{ "\033[[D", KEY_F(4) }, { "\033[[E", KEY_F(5) },
	/* cursor keys, in normal and application mode */
	{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN }, { "\033[C", KEY_RIGHT },
	{ "\033[D", KEY_LEFT }, { "\033OA", KEY_UP }, { "\033OB", KEY_DOWN },
	{ "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
	/* the editing keypad */
	{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME }, { "\033[H", KEY_HOME },
	{ "\033OH", KEY_HOME }, { "\033[4~", KEY_END }, { "\033[8~", KEY_END },
	{ "\033[F", KEY_END }, { "\033OF", KEY_END }, { "\033[2~", KEY_IC },
	{ "\033[3~", KEY_DC }, { "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
	{ "\033[Z", KEY_BTAB }, { "\033OM", KEY_ENTER },
};

void tui_keys_init(void)
{
	esc_digit_ms = esc_digit_ms_from_env();
	keypad(stdscr, TRUE);
	for (size_t i = 0; i < sizeof alternatives / sizeof alternatives[0]; i++)
		if (key_defined(alternatives[i].seq) == 0)
			define_key(alternatives[i].seq, alternatives[i].code);
}

/* The F-key a character following Esc stands for (KEY_F(1) for '1' …,
 * KEY_F(10) for '0'), or 0 when it stands for none. */
static int key_after_escape(wint_t next)
{
	if (next >= '1' && next <= '9')
		return KEY_F((int)(next - '0'));
	if (next == '0')
		return KEY_F(10);
	return 0;
}

int tui_read_key(struct tui_key *k)
{
	wint_t ch;
	int r = get_wch(&ch);
	if (r == ERR)
		return -1;
	k->is_code = r == KEY_CODE_YES;
	k->ch = ch;
	if (k->is_code || ch != 27)
		return 0;
	wint_t next;
	timeout(esc_digit_ms);
	int r2 = get_wch(&next);
	timeout(-1);
	int fkey = r2 == OK ? key_after_escape(next) : 0;
	if (fkey != 0) {
		k->is_code = 1;
		k->ch = (wint_t)fkey;
	} else if (r2 == OK) {
		unget_wch((wchar_t)next);
	} else if (r2 == KEY_CODE_YES) {
		ungetch((int)next);
	}
	return 0;
}

int tui_next_key(struct tui *t, struct tui_key *k)
{
	if (tui_read_key(k) != 0)
		return TUI_NO_KEY;
	if (k->is_code && k->ch == KEY_RESIZE) {
		getmaxyx(stdscr, t->rows, t->cols);
		return TUI_RESIZED;
	}
	return TUI_KEY;
}
