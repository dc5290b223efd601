/*
 * error.c — filling struct tz_error (see include/taizhang/error.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "taizhang/error.h"

/* Cut s (NUL-terminated, within a buffer) back to a UTF-8 boundary if the
 * formatter stopped in the middle of a multi-byte character. */
static void trim_partial_utf8(char *s)
{
	size_t n = strlen(s);
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < want)
		s[i - 1] = '\0';
}

int tz_error_set(struct tz_error *err, int code, const char *fmt, ...)
{
	if (err == NULL)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	trim_partial_utf8(err->msg);
	err->code = code;
	return code;
}

void tz_error_prefix(struct tz_error *err, const char *fmt, ...)
{
	if (err == NULL)
		return;
	char joined[TZ_ERROR_NBYTES];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(joined, sizeof joined, fmt, ap);
	va_end(ap);
	size_t used = n < 0 ? 0 : (size_t)n < sizeof joined ? (size_t)n : sizeof joined - 1;
	static const char sep[] = "：";
	size_t sep_n = sizeof sep - 1;
	size_t msg_n = strlen(err->msg);
	if (used + sep_n < sizeof joined) {
		memcpy(joined + used, sep, sep_n);
		used += sep_n;
		size_t room = sizeof joined - 1 - used;
		size_t take = msg_n < room ? msg_n : room;
		memcpy(joined + used, err->msg, take);
		used += take;
	}
	joined[used] = '\0';
	memcpy(err->msg, joined, used + 1);
	trim_partial_utf8(err->msg);
}

void tz_error_clear(struct tz_error *err)
{
	if (err == NULL)
		return;
	err->code = TZ_OK;
	err->msg[0] = '\0';
}
