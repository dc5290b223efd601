/*
 * money.c — 元 text to 分 and back (see include/taizhang/money.h).
 *
 * The sign is carried apart from the digits on both ways, so -50 分 is "-0.50"
 * (printing 分 / 100 and 分 % 100 separately gave "0.-50"), and LLONG_MIN is
 * formatted through its unsigned magnitude.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "taizhang/money.h"

static const char *skip_prefix(const char *p, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(p, prefix, n) == 0 ? p + n : p;
}

/* The whole-元 digits at *pp (commas between groups of three with MONEY_LOOSE)
 * into *yuan; *ndigits counts them. MONEY_EBAD for misplaced commas. */
static enum money_status whole_part(const char **pp, unsigned flags, unsigned long long *yuan,
				    int *ndigits)
{
	const char *p = *pp;
	int group = 0, grouped = 0; /* digits since the last comma; a comma seen */
	*yuan = 0;
	*ndigits = 0;
	for (;; p++) {
		if (*p == ',' && (flags & MONEY_LOOSE)) {
			if (*ndigits == 0 || (grouped ? group != 3 : group > 3))
				return MONEY_EBAD;
			grouped = 1;
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		if (*yuan > (ULLONG_MAX - 9) / 10)
			return MONEY_ERANGE;
		*yuan = *yuan * 10 + (unsigned)(*p - '0');
		(*ndigits)++;
		group++;
	}
	if (grouped && group != 3)
		return MONEY_EBAD;
	*pp = p;
	return MONEY_OK;
}

enum money_status money_parse(const char *text, unsigned flags, long long *cents)
{
	const char *p = text;
	if (flags & MONEY_LOOSE)
		p = skip_prefix(skip_prefix(p, "¥"), "￥");
	int negative = 0;
	if (*p == '-') {
		if (!(flags & MONEY_SIGNED))
			return MONEY_ENEGATIVE;
		negative = 1;
		p++;
	} else if (*p == '+' && (flags & MONEY_LOOSE)) {
		p++;
	}
	unsigned long long yuan;
	int ndigits;
	enum money_status st = whole_part(&p, flags, &yuan, &ndigits);
	if (st != MONEY_OK)
		return st;
	if (ndigits == 0 && !(flags & MONEY_LOOSE))
		return MONEY_EBAD;
	unsigned frac = 0;
	int ndec = 0;
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++ndec > 2)
				return MONEY_EDECIMALS;
			frac = frac * 10 + (unsigned)(*p - '0');
		}
		if (ndec == 0 && !(flags & MONEY_LOOSE))
			return MONEY_EBAD;
		if (ndec == 1)
			frac *= 10;
	}
	if (flags & MONEY_LOOSE)
		p = skip_prefix(p, "元");
	if (*p != '\0' || (ndigits == 0 && ndec == 0))
		return MONEY_EBAD;
	unsigned long long limit = negative ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	if (yuan > (limit - frac) / 100)
		return MONEY_ERANGE;
	unsigned long long magnitude = yuan * 100 + frac;
	*cents = negative && magnitude > 0 ? -(long long)(magnitude - 1) - 1 : (long long)magnitude;
	return MONEY_OK;
}

/* n in decimal into out, with commas every three digits if grouped. */
static void whole_text(unsigned long long n, int grouped, char *out, size_t cap)
{
	char digits[32];
	int nd = snprintf(digits, sizeof digits, "%llu", n);
	size_t k = 0;
	for (int i = 0; i < nd && k + 2 < cap; i++) {
		if (grouped && i > 0 && (nd - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

char *money_format(long long cents, unsigned flags, char buf[MONEY_TEXT_NBYTES])
{
	unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
	char whole[32];
	whole_text(a / 100, (flags & MONEY_GROUPED) != 0, whole, sizeof whole);
	const char *sign = cents < 0 ? "-" : "";
	if ((flags & MONEY_SHORT) && a % 100 == 0)
		snprintf(buf, MONEY_TEXT_NBYTES, "%s%s", sign, whole);
	else
		snprintf(buf, MONEY_TEXT_NBYTES, "%s%s.%02llu", sign, whole, a % 100);
	return buf;
}
