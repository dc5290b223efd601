/*
 * text_hygiene.c — the text rule and the terminal sanitizer (see
 * include/taizhang/text_hygiene.h). Pure functions over UTF-8 bytes; the
 * model calls the check for every text field, listings call the sanitizer.
 */
#include <stdlib.h>
#include <string.h>

#include "taizhang/text_hygiene.h"
#include "taizhang/xalloc.h"
#include "taizhang/utf8.h"

/* Bidi marks, embeddings, overrides and isolates; zero-width characters, the
 * word joiner and invisible operators, the BOM; line/paragraph separators. */
static int invisible_cp(uint32_t cp)
{
	return cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
	       cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

static int control_cp(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

int text_hygiene_forbidden_cp(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return 0;
	return control_cp(cp) || invisible_cp(cp);
}

enum text_fault text_hygiene_check(const char *text, size_t nbytes, unsigned flags,
				   size_t max_nchars, size_t *at_nchars)
{
	size_t nchars = 0;
	enum text_fault fault = TEXT_OK;
	for (size_t i = 0; i < nbytes && fault == TEXT_OK;) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x20 && c < 0x7F) { /* printable ASCII: one character, allowed */
			i++;
			nchars++;
			continue;
		}
		/* U+3000..U+9FFF (CJK punctuation, kana, the ideographs): lead byte
		 * E3..E9 and two continuation bytes, never overlong nor a surrogate,
		 * none of them a control or invisible character: allowed */
		if (c >= 0xE3 && c <= 0xE9 && nbytes - i >= 3 &&
		    ((unsigned char)text[i + 1] & 0xC0) == 0x80 &&
		    ((unsigned char)text[i + 2] & 0xC0) == 0x80) {
			i += 3;
			nchars++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(text + i, nbytes - i, &cp);
		if (n == 0 || cp == 0)
			fault = TEXT_BAD_UTF8;
		else if (cp == '\n' || cp == '\r')
			fault = (flags & TEXT_ALLOW_NEWLINE) ? TEXT_OK : TEXT_NEWLINE;
		else if (cp == '\t')
			fault = (flags & TEXT_ALLOW_TAB) ? TEXT_OK : TEXT_CONTROL;
		else if (control_cp(cp))
			fault = TEXT_CONTROL;
		else if (invisible_cp(cp))
			fault = TEXT_INVISIBLE;
		if (fault != TEXT_OK)
			break;
		i += n;
		nchars++;
	}
	if (fault == TEXT_OK && max_nchars > 0 && nchars > max_nchars)
		fault = TEXT_TOO_LONG;
	if (at_nchars != NULL)
		*at_nchars = nchars;
	return fault;
}

const char *text_fault_label(enum text_fault f)
{
	switch (f) {
	case TEXT_OK:
		return "";
	case TEXT_BAD_UTF8:
		return "含有无法识别的字符（不是有效的 UTF-8 文字）";
	case TEXT_NEWLINE:
		return "只能写一行，不能含换行";
	case TEXT_CONTROL:
		return "含有控制字符";
	case TEXT_INVISIBLE:
		return "含有看不见的排版字符（方向控制或零宽字符）";
	case TEXT_TOO_LONG:
		return "太长";
	}
	return "不合规定";
}

char *text_sanitize(const char *text, unsigned flags)
{
	static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
	if (text == NULL)
		text = "";
	size_t nbytes = strlen(text);
	/* every input byte becomes at most the 3 bytes of U+FFFD */
	char *out = xmalloc(3 * nbytes + 1);
	if (out == NULL)
		return NULL;
	size_t used = 0;
	for (size_t i = 0; i < nbytes;) {
		uint32_t cp;
		size_t n = utf8_decode(text + i, nbytes - i, &cp);
		if (n == 0) {
			memcpy(out + used, replacement, 3);
			used += 3;
			i++;
			continue;
		}
		if (cp == '\t' || ((cp == '\n' || cp == '\r') && !(flags & TEXT_ALLOW_NEWLINE))) {
			out[used++] = ' ';
		} else if (cp != '\n' && cp != '\r' && text_hygiene_forbidden_cp(cp)) {
			memcpy(out + used, replacement, 3);
			used += 3;
		} else {
			memcpy(out + used, text + i, n);
			used += n;
		}
		i += n;
	}
	out[used] = '\0';
	return out;
}
