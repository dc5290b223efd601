/*
 * date.c — day numbers, YYYY-MM-DD, and today (see include/taizhang/date.h).
 * The conversions are Howard Hinnant's days_from_civil / civil_from_days.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/date.h"

int32_t date_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void date_to_civil(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

int date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12)
		return 0;
	return month == 2 && date_is_leap(year) ? 29 : days[month - 1];
}

/* A real date with a four-digit year in 1000..9999. */
static int civil_valid(int y, int m, int d)
{
	return y >= 1000 && y <= 9999 && d >= 1 && d <= date_days_in_month(y, m);
}

/* The number written by the n digits at p (checked to be digits). */
static int digits_value(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

int date_parse(const char *text, int32_t *day)
{
	if (strlen(text) != DATE_NCHARS || text[4] != '-' || text[7] != '-')
		return 0;
	for (int i = 0; i < DATE_NCHARS; i++)
		if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
			return 0;
	/* Not atoi: the precision checks parse every notice's two dates. */
	int y = digits_value(text, 4), m = digits_value(text + 5, 2), d = digits_value(text + 8, 2);
	if (!civil_valid(y, m, d))
		return 0;
	*day = date_from_civil(y, m, d);
	return 1;
}

/* Read up to max_digits digits at *p into *out; 0 if there were none. */
static int take_number(const char **p, int max_digits, int *out)
{
	int n = 0, v = 0;
	while (n < max_digits && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n;
}

/* Skip one separator: - / . or the UTF-8 of 年 or 月. */
static int take_separator(const char **p, const char *cjk)
{
	if (**p == '-' || **p == '/' || **p == '.') {
		(*p)++;
		return 1;
	}
	size_t n = strlen(cjk);
	if (strncmp(*p, cjk, n) == 0) {
		*p += n;
		return 1;
	}
	return 0;
}

int date_parse_loose(const char *text, int32_t *day)
{
	while (*text == ' ')
		text++;
	const char *p = text;
	int y, m, d;
	if (take_number(&p, 8, &y) == 8 && (*p == '\0' || *p == ' ')) {
		m = (y / 100) % 100;
		d = y % 100;
		y /= 10000;
	} else {
		p = text;
		if (take_number(&p, 4, &y) != 4 || !take_separator(&p, "年") ||
		    take_number(&p, 2, &m) == 0 || !take_separator(&p, "月") ||
		    take_number(&p, 2, &d) == 0)
			return 0;
		if (strncmp(p, "日", strlen("日")) == 0)
			p += strlen("日");
	}
	while (*p == ' ')
		p++;
	if (*p != '\0' || !civil_valid(y, m, d))
		return 0;
	*day = date_from_civil(y, m, d);
	return 1;
}

static void put_digits(char *out, int n, int value)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

void date_format(int32_t day, char out[DATE_NCHARS + 1])
{
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	put_digits(out, 4, y);
	out[4] = '-';
	put_digits(out + 5, 2, m);
	out[7] = '-';
	put_digits(out + 8, 2, d);
	out[10] = '\0';
}

int date_year(int32_t day)
{
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	return y;
}

int date_age_on(int32_t birth, int32_t day)
{
	int by, bm, bd, y, m, d;
	date_to_civil(birth, &by, &bm, &bd);
	date_to_civil(day, &y, &m, &d);
	return y - by - (m < bm || (m == bm && d < bd));
}

int32_t date_month_start(int32_t day)
{
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	return date_from_civil(y, m, 1);
}

int32_t date_next_month(int32_t day)
{
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	return m == 12 ? date_from_civil(y + 1, 1, 1) : date_from_civil(y, m + 1, 1);
}

/* TAIZHANG_TODAY's day, if it is set and names a real date. */
static int fixed_today(int32_t *day)
{
	const char *fixed = getenv("TAIZHANG_TODAY");
	return fixed != NULL && date_parse(fixed, day);
}

int32_t date_today(void)
{
	int32_t day;
	if (fixed_today(&day))
		return day;
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return date_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Now, broken down in UTC or local time, with the date moved to
 * TAIZHANG_TODAY's when it is set. */
static void now_broken_down(int utc, int *y, int *mo, int *d, struct tm *tm)
{
	time_t now = time(NULL);
	if (utc)
		gmtime_r(&now, tm);
	else
		localtime_r(&now, tm);
	int32_t day;
	if (fixed_today(&day)) {
		date_to_civil(day, y, mo, d);
	} else {
		*y = tm->tm_year + 1900;
		*mo = tm->tm_mon + 1;
		*d = tm->tm_mday;
	}
}

/* Every field is in range (the year has four digits), so the text fits n;
 * it is formatted wide first so the compiler need not prove that. */
static void format_now(char *out, size_t n, const char *fmt, int y, int mo, int d,
		       const struct tm *tm)
{
	char wide[64];
	snprintf(wide, sizeof wide, fmt, y % 10000, mo, d, tm->tm_hour, tm->tm_min,
		 tm->tm_sec % 60);
	size_t len = strlen(wide);
	if (len >= n)
		len = n - 1;
	memcpy(out, wide, len);
	out[len] = '\0';
}

void date_now_stamp(char out[DATE_STAMP_NCHARS + 1])
{
	int y, mo, d;
	struct tm tm;
	now_broken_down(1, &y, &mo, &d, &tm);
	format_now(out, DATE_STAMP_NCHARS + 1, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, &tm);
}

void date_now_local(char out[DATE_LOCAL_NCHARS + 1])
{
	int y, mo, d;
	struct tm tm;
	now_broken_down(0, &y, &mo, &d, &tm);
	format_now(out, DATE_LOCAL_NCHARS + 1, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, &tm);
}

void date_today_text(char out[DATE_NCHARS + 1])
{
	date_format(date_today(), out);
}
