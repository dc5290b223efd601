/*
 * utf8.c — bytes, characters and columns of UTF-8 text (include/taizhang/utf8.h).
 * Columns come from wcwidth() of the C library, under a UTF-8 locale; without
 * one, CJK and full-width ranges are counted as 2 by the table below so that
 * layouts stay right in tests and pipes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"

size_t utf8_decode(const char *s, size_t nbytes, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (nbytes == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		len = 2, v = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3, v = u[0] & 0x0F, min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		len = 4, v = u[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (nbytes < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (u[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t nbytes)
{
	size_t i = 0;
	while (i < nbytes) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, nbytes - i, &cp);
		if (n == 0 || cp == 0)
			return 0;
		i += n;
	}
	return 1;
}

size_t utf8_nchars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* East Asian wide and full-width ranges, for when wcwidth cannot tell. */
static int is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	       (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

int utf8_cp_ncols(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	if (w >= 0 && !(w == 1 && is_wide(cp)))
		return w;
	if (cp < 0x20 || cp == 0x7F)
		return 0;
	return is_wide(cp) ? 2 : 1;
}

size_t utf8_ncols(const char *s)
{
	size_t cols = 0, n = strlen(s), i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			i++;
			cols++;
			continue;
		}
		cols += (size_t)utf8_cp_ncols(cp);
		i += len;
	}
	return cols;
}

char *utf8_pad(char *buf, size_t cap, const char *s, size_t ncols)
{
	size_t used = 0, cols = 0, n = strlen(s), i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			break;
		size_t w = (size_t)utf8_cp_ncols(cp);
		if (cols + w > ncols || used + len + 1 > cap)
			break;
		memcpy(buf + used, s + i, len);
		used += len;
		cols += w;
		i += len;
	}
	while (cols < ncols && used + 1 < cap) {
		buf[used++] = ' ';
		cols++;
	}
	buf[used] = '\0';
	return buf;
}

char *utf8_fold_fullwidth(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 1);
	size_t used = 0, i = 0;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) { /* ASCII stays as it is */
			out[used++] = s[i++];
			continue;
		}
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			out[used++] = s[i++];
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			out[used++] = (char)(cp - 0xFF01 + 0x21);
		else if (cp == 0x3000)
			out[used++] = ' ';
		else {
			memcpy(out + used, s + i, len);
			used += len;
		}
		i += len;
	}
	out[used] = '\0';
	size_t start = 0;
	while (out[start] == ' ' || out[start] == '\t')
		start++;
	while (used > start && (out[used - 1] == ' ' || out[used - 1] == '\t'))
		used--;
	memmove(out, out + start, used - start);
	out[used - start] = '\0';
	return out;
}

int utf8_has_suffix(const char *s, const char *suffix, int fold_ascii_case)
{
	size_t n = strlen(s), k = strlen(suffix);
	if (n <= k)
		return 0;
	return fold_ascii_case ? strcasecmp(s + n - k, suffix) == 0 : strcmp(s + n - k, suffix) == 0;
}
