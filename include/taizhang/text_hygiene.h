/*
 * text_hygiene.h — one rule for every text that enters a store (a form, a CSV
 * file, a bundle, the command line), and one sanitizer for every stored text
 * printed to a terminal.
 *
 * The rule (text_hygiene_check): valid UTF-8; no C0 control (tab and line
 * breaks only where the field allows them), no DEL, no C1 control (ESC and
 * CSI among them: they drive the officer's terminal), no bidirectional
 * override, isolate or mark, no zero-width character or BOM, no line or
 * paragraph separator; at most a given number of characters. Stored text that
 * passed it is safe to show; the sanitizer is the second wall for text that
 * came in before the rule or around it.
 *
 * Not here: trimming, folding full-width digits, what a field means (model/).
 */
#ifndef TAIZHANG_TEXT_HYGIENE_H
#define TAIZHANG_TEXT_HYGIENE_H

#include <stddef.h>
#include <stdint.h>

enum text_hygiene_flags {
	TEXT_ALLOW_NEWLINE = 1 << 0, /* \n and \r (several lines) */
	TEXT_ALLOW_TAB = 1 << 1,     /* \t */
};

enum text_fault {
	TEXT_OK = 0,
	TEXT_BAD_UTF8,   /* not well-formed UTF-8, or a NUL byte */
	TEXT_NEWLINE,    /* a line break where one line is allowed */
	TEXT_CONTROL,    /* a C0/C1 control, DEL or ESC */
	TEXT_INVISIBLE,  /* a bidi control or a zero-width character */
	TEXT_TOO_LONG,   /* more than max_nchars characters */
};

/* Check nbytes of text against the rule with flags (enum text_hygiene_flags)
 * and at most max_nchars characters (0: no limit). Returns TEXT_OK or the
 * first fault found; *at_nchars (may be NULL) gets the character position of
 * a fault, or the number of characters for TEXT_TOO_LONG. Pure. */
enum text_fault text_hygiene_check(const char *text, size_t nbytes, unsigned flags,
				   size_t max_nchars, size_t *at_nchars);

/* What the fault is, in Chinese, to follow a field's label: "含有控制字符" ... */
const char *text_fault_label(enum text_fault f);

/* Whether code point cp is one the rule refuses everywhere (C0 but tab/line
 * breaks, DEL, C1, bidi controls, zero-width characters, BOM, U+2028/2029). */
int text_hygiene_forbidden_cp(uint32_t cp);

/* A copy of text safe to print on a terminal (malloc'd, never NULL: out of
 * memory aborts as xalloc.h does; NULL text gives ""): malformed bytes and every code point the rule
 * refuses become U+FFFD; tabs become a space; line breaks become a space
 * unless flags has TEXT_ALLOW_NEWLINE. The one sanitizer for every listing of
 * stored text. */
char *text_sanitize(const char *text, unsigned flags);

#endif
