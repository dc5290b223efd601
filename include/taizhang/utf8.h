/*
 * utf8.h — UTF-8 text measured three ways: bytes (nbytes), characters (nchars)
 * and terminal columns (ncols, from wcwidth: 2 for CJK, 1 for ASCII). Never mix
 * the units.
 */
#ifndef TAIZHANG_UTF8_H
#define TAIZHANG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one character at s (at most nbytes available). Returns its length in
 * bytes (1..4) and sets *cp, or 0 for malformed UTF-8 (overlong, surrogate, out
 * of range, truncated). */
size_t utf8_decode(const char *s, size_t nbytes, uint32_t *cp);

/* Encode cp into out (4 bytes); returns its length, 0 when cp is not encodable. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Whether all nbytes of s are well-formed UTF-8 without NUL. */
int utf8_valid(const char *s, size_t nbytes);

/* Characters in a valid NUL-terminated string. */
size_t utf8_nchars(const char *s);

/* Columns cp takes on a terminal (0 for combining marks, 2 for wide). */
int utf8_cp_ncols(uint32_t cp);

/* Columns a valid NUL-terminated string takes. */
size_t utf8_ncols(const char *s);

/* Write s to buf (cap bytes) padded with spaces to ncols columns (s wider than
 * ncols is cut at a character boundary). Returns buf. */
char *utf8_pad(char *buf, size_t cap, const char *s, size_t ncols);

/* A malloc'd copy of s with full-width ASCII (U+FF01..U+FF5E) folded to ASCII,
 * the ideographic space U+3000 to a space, and leading and trailing spaces
 * removed. Excel and Chinese input methods produce "３４１５…Ｘ" all the time.
 * Never NULL (aborts when out of memory, xalloc.h). */
char *utf8_fold_fullwidth(const char *s);

/* Whether s ends in suffix and has something before it ("a.csv" ends in
 * ".csv", ".csv" does not); with fold_ascii_case, A-Z match a-z. Bytes are
 * compared, which is right for UTF-8: a suffix cannot start inside a character. */
int utf8_has_suffix(const char *s, const char *suffix, int fold_ascii_case);

#endif
