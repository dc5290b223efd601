/*
 * decimal.c — whole numbers in decimal (see include/taizhang/decimal.h).
 */
#include <limits.h>

#include "taizhang/decimal.h"

int decimal_parse(const char *text, unsigned flags, long long *v)
{
	const char *p = text;
	int neg = 0;
	if (*p == '-' || (*p == '+' && (flags & DECIMAL_PLUS)))
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return 0;
	long long acc = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		int d = *p - '0';
		if (acc > (LLONG_MAX - d) / 10)
			return 0;
		acc = acc * 10 + d;
	}
	if (*p != '\0')
		return 0;
	*v = neg ? -acc : acc;
	return 1;
}
