/*
 * pinyin.c — pinyin initials of Chinese text from GB 2312 order
 * (include/taizhang/pinyin.h).
 */
#include <ctype.h>
#include <iconv.h>
#include <string.h>

#include "taizhang/pinyin.h"
#include "taizhang/utf8.h"

/* GB 2312 level one is sorted by pinyin: the first code (row << 8 | cell) of
 * each initial, in order; the level ends before 0xD7FA. */
static const struct {
	unsigned first;
	char letter;
} starts[] = {
	{ 0xB0A1, 'a' }, { 0xB0C5, 'b' }, { 0xB2C1, 'c' }, { 0xB4EE, 'd' }, { 0xB6EA, 'e' },
	{ 0xB7A2, 'f' }, { 0xB8C1, 'g' }, { 0xB9FE, 'h' }, { 0xBBF7, 'j' }, { 0xBFA6, 'k' },
	{ 0xC0AC, 'l' }, { 0xC2E8, 'm' }, { 0xC4C3, 'n' }, { 0xC5B6, 'o' }, { 0xC5BE, 'p' },
	{ 0xC6DA, 'q' }, { 0xC8BB, 'r' }, { 0xC8F6, 's' }, { 0xCBFA, 't' }, { 0xCDDA, 'w' },
	{ 0xCEF4, 'x' }, { 0xD1B9, 'y' }, { 0xD4D1, 'z' },
};
#define LEVEL_ONE_END 0xD7FA

/* The initial of one character (its UTF-8 bytes), or '?'. */
static char initial_of(iconv_t cd, const char *ch, size_t len)
{
	if (len == 1)
		return isalnum((unsigned char)ch[0]) ? (char)tolower((unsigned char)ch[0]) : '?';
	if (cd == (iconv_t)-1)
		return '?';
	char in[4], gb[8];
	memcpy(in, ch, len);
	char *ip = in, *op = gb;
	size_t il = len, ol = sizeof gb;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || sizeof gb - ol != 2)
		return '?';
	unsigned code = (unsigned)(unsigned char)gb[0] << 8 | (unsigned char)gb[1];
	if (code < starts[0].first || code >= LEVEL_ONE_END)
		return '?';
	char letter = '?';
	for (size_t i = 0; i < sizeof starts / sizeof starts[0] && code >= starts[i].first; i++)
		letter = starts[i].letter;
	return letter;
}

void pinyin_initials(const char *text, char *out, size_t out_nbytes)
{
	if (out_nbytes == 0)
		return;
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t n = strlen(text), used = 0;
	for (size_t i = 0; i < n && used + 1 < out_nbytes;) {
		uint32_t cp;
		size_t len = utf8_decode(text + i, n - i, &cp);
		if (len == 0)
			len = 1;
		out[used++] = initial_of(cd, text + i, len);
		i += len;
	}
	out[used] = '\0';
	if (cd != (iconv_t)-1)
		iconv_close(cd);
}

int pinyin_matches(const char *text, const char *query)
{
	if (query[0] == '\0' || strstr(text, query) != NULL)
		return 1;
	char lower[64];
	size_t n = 0;
	for (; query[n] != '\0'; n++) {
		if (n + 1 >= sizeof lower || !isalpha((unsigned char)query[n]))
			return 0;
		lower[n] = (char)tolower((unsigned char)query[n]);
	}
	lower[n] = '\0';
	char initials[512];
	pinyin_initials(text, initials, sizeof initials);
	return strstr(initials, lower) != NULL;
}
