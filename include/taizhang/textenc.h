/*
 * textenc.h — which encoding a file officers bring in is in, converting it to
 * UTF-8, and folding the full-width characters Excel leaves in numbers.
 *
 * Files come from Excel and from county systems in one of three encodings:
 *   - "UTF-8（带 BOM）": UTF-8 starting with EF BB BF (Excel's "CSV UTF-8");
 *   - "UTF-8": valid UTF-8 without a BOM (plain ASCII is reported as this);
 *   - "GB18030": anything else, read as GB18030, the superset of GBK and GB2312
 *     (Excel's "CSV（逗号分隔）" on a Chinese Windows), converted with iconv(3).
 * UTF-16 (a BOM FF FE or FE FF; Excel's "Unicode 文本") is refused with a message
 * telling the officer how to save the file again. A file that is none of these
 * is refused with the byte offset and line of the first byte that does not fit.
 *
 * Deliberately not here: any codec of our own (glibc's iconv does GB18030), and
 * guessing between encodings beyond the rule above — text that is valid UTF-8 is
 * taken to be UTF-8.
 */
#ifndef TAIZHANG_TEXTENC_H
#define TAIZHANG_TEXTENC_H

#include <stddef.h>

#include "taizhang/error.h"

#define TEXTENC_UTF8 "UTF-8"
#define TEXTENC_UTF8_BOM "UTF-8（带 BOM）"
#define TEXTENC_GB18030 "GB18030"

/* Convert data (nbytes bytes, any content) to UTF-8. On success returns TZ_OK,
 * sets *out to a malloc'd copy (caller frees) of the text without any BOM,
 * NUL-terminated, with *out_nbytes its length without that NUL (the text itself
 * may contain NUL bytes, which the CSV reader refuses with a line number), and
 * *encoding to one of the TEXTENC_* names above (static). On failure returns
 * TZ_EFAIL with a message for the officer and leaves *out NULL. */
int textenc_to_utf8(const char *data, size_t nbytes, char **out, size_t *out_nbytes,
		    const char **encoding, struct tz_error *err);

/* Fold, in place, the full-width forms of ASCII (U+FF01..U+FF5E, "３４１５" and
 * "Ｘ") to ASCII and the ideographic space (U+3000) and no-break space (U+00A0)
 * to a space, then trim spaces and tabs at both ends. For numbers officers copy
 * from Excel: ID numbers, phones, amounts, dates. text must be valid UTF-8; the
 * result is never longer. Returns text. */
char *textenc_fold_ascii(char *text);

/* Trim, in place, ASCII spaces, tabs and the ideographic and no-break spaces at
 * both ends of text (valid UTF-8), leaving the inside alone. Returns text. */
char *textenc_trim(char *text);

#endif
