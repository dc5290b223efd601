/*
 * idcard.c — checking and building 18-digit resident identity numbers
 * (GB 11643-1999; see include/taizhang/idcard.h).
 *
 * An ID number is the key an officer types most often and gets wrong most often,
 * so the check is written for the message it gives, not only for the verdict. It
 * looks at the number in the order a person would fix it:
 *
 *   1. length, counted in characters (not bytes), so a number typed with a
 *      Chinese input method reports "19 位", not "57";
 *   2. each character: digits, and 0-9 or X at the end; full-width digits and
 *      spaces are named as such, because that is what the officer must change;
 *   3. the region (digits 1-6): the first two must be a province-level code that
 *      exists, digits 3-6 must not be 0000;
 *   4. the birth date (digits 7-14): a real calendar date, not before 1900-01-01
 *      and not after today;
 *   5. the check character (ISO 7064 MOD 11-2).
 *
 * The date comes before the check character on purpose: a mistyped date digit
 * usually breaks both, and "1990-02-30 不存在" tells the officer where to look,
 * where "校验码不对" does not.
 *
 * Deliberately not here: the full list of county codes (it changes every year
 * and numbers keep the code of first registration, so an old county code is
 * still a valid number), and any judgement about whether a valid number belongs
 * to the person in front of the officer.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "taizhang/date.h"
#include "taizhang/idcard.h"
#include "taizhang/utf8.h"

/* ISO 7064 MOD 11-2: weight of each of the 17 digits, and the check character
 * for each remainder of the weighted sum mod 11. */
static const int check_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char check_chars[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };

/* The first two digits of every province-level division (GB/T 2260): the 31
 * provinces, autonomous regions and municipalities, Taiwan (71), Hong Kong (81)
 * and Macao (82). */
static const int province_codes[] = {
	11, 12, 13, 14, 15,
	21, 22, 23,
	31, 32, 33, 34, 35, 36, 37,
	41, 42, 43, 44, 45, 46,
	50, 51, 52, 53, 54,
	61, 62, 63, 64, 65,
	71,
	81, 82,
};

#define EARLIEST_BIRTH_YMD 19000101

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of n ASCII digits at text (all must be digits). */
static int digits_value(const char *text, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (text[i] - '0');
	return v;
}

/* Today as YYYYMMDD: from text (YYYY-MM-DD, a real date) or, when text is NULL,
 * from date_today() (the local date, or TAIZHANG_TODAY when set). Returns TZ_OK
 * or TZ_EFAIL. */
static int today_ymd(const char *text, int *out, struct tz_error *err)
{
	int32_t day;
	if (text == NULL)
		day = date_today();
	else if (!date_parse(text, &day))
		return tz_error_set(err, TZ_EFAIL,
				    "内部错误：核对身份证号时给出的今天日期“%s”不是 YYYY-MM-DD 格式的真实日期",
				    text);
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	*out = y * 10000 + m * 100 + d;
	return TZ_OK;
}

/* Decode one UTF-8 character at s (NUL-terminated) into *cp; returns its length
 * in bytes (1..4), or 1 with *cp = -1 for a byte that does not start a
 * well-formed character (utf8.h's rules: no overlong forms or surrogates). */
static int decode_at(const char *s, long *cp)
{
	uint32_t c;
	size_t n = utf8_decode(s, strlen(s), &c);
	if (n == 0) {
		*cp = -1;
		return 1;
	}
	*cp = (long)c;
	return (int)n;
}

static int is_space(long cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000; /* U+3000 ideographic space */
}

/* Full-width forms of ASCII (U+FF01..U+FF5E), what a Chinese input method types
 * when it is not switched to half-width. */
static int is_full_width(long cp)
{
	return cp >= 0xFF01 && cp <= 0xFF5E;
}

/* Complain about the character of nbytes at s in position pos (1-based, in
 * characters) of an 18-character text. */
static int bad_char(const char *s, int nbytes, long cp, int pos, struct tz_error *err)
{
	if (cp < 0x20 || cp == 0x7F)
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号第 %d 位是无法显示的字符，请删去后重新输入", pos);
	if (is_space(cp))
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号第 %d 位是空格，请删去空格", pos);
	if (is_full_width(cp))
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号第 %d 位“%.*s”是全角字符，请切换到半角（英文）输入后重新输入",
				    pos, nbytes, s);
	if (pos == IDCARD_NCHARS)
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号最后一位“%.*s”不对，只能是数字或 X", nbytes, s);
	return tz_error_set(err, TZ_EFAIL,
			    "身份证号第 %d 位“%.*s”不是数字，前 17 位只能是数字", pos, nbytes, s);
}

/* Steps 1 and 2: length in characters, then each character. On success text
 * is IDCARD_NCHARS ASCII bytes. */
static int check_chars_of(const char *text, struct tz_error *err)
{
	int nchars = 0;
	int has_space = 0;
	for (const char *p = text; *p != '\0';) {
		long cp;
		p += decode_at(p, &cp);
		nchars++;
		has_space |= is_space(cp);
	}
	if (nchars != IDCARD_NCHARS)
		return tz_error_set(err, TZ_EFAIL, "身份证号应为 %d 位，现在是 %d 位%s",
				    IDCARD_NCHARS, nchars,
				    has_space ? "（其中有空格，请删去空格）" : "，请核对是否漏输或多输");
	int pos = 1;
	for (const char *p = text; *p != '\0'; pos++) {
		long cp;
		int n = decode_at(p, &cp);
		int ok = n == 1 && (is_digit(*p) ||
				    (pos == IDCARD_NCHARS && (*p == 'X' || *p == 'x')));
		if (!ok) {
			if (cp < 0)
				return tz_error_set(err, TZ_EFAIL,
						    "身份证号第 %d 位是无法识别的字符，请删去后重新输入",
						    pos);
			return bad_char(p, n, cp, pos, err);
		}
		p += n;
	}
	return TZ_OK;
}

/* Step 3: the province code and digits 3-6. */
static int check_region(const char *text, struct tz_error *err)
{
	int province = digits_value(text, 2);
	int known = 0;
	for (size_t i = 0; i < sizeof province_codes / sizeof province_codes[0]; i++)
		if (province_codes[i] == province)
			known = 1;
	if (!known)
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号前两位“%.2s”不是有效的省级行政区划代码（例如安徽为 34），请核对",
				    text);
	if (memcmp(text + 2, "0000", 4) == 0)
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号第 3 至 6 位是“0000”，不是有效的县级行政区划代码，请核对");
	return TZ_OK;
}

/* Step 4: digits 7-14 as a real date between 1900-01-01 and today. */
static int check_birth(const char *text, int today, struct tz_error *err)
{
	const char *b = text + 6;
	int year = digits_value(b, 4);
	int month = digits_value(b + 4, 2);
	int day = digits_value(b + 6, 2);
	if (day < 1 || day > date_days_in_month(year, month))
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号中的出生日期 %.4s-%.2s-%.2s 不存在，请核对第 7 至 14 位",
				    b, b + 4, b + 6);
	int ymd = year * 10000 + month * 100 + day;
	if (ymd < EARLIEST_BIRTH_YMD)
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号中的出生日期 %.4s-%.2s-%.2s 早于 1900 年，请核对第 7 至 14 位",
				    b, b + 4, b + 6);
	if (ymd > today)
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号中的出生日期 %.4s-%.2s-%.2s 晚于今天（%04d-%02d-%02d），请核对第 7 至 14 位",
				    b, b + 4, b + 6, today / 10000, today / 100 % 100, today % 100);
	return TZ_OK;
}

char idcard_check_char(const char digits17[17])
{
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		assert(is_digit(digits17[i]));
		sum += (digits17[i] - '0') * check_weights[i];
	}
	return check_chars[sum % 11];
}

int idcard_check(const char *text, const char *today, struct idcard_info *info,
		 struct tz_error *err)
{
	if (text == NULL || text[0] == '\0')
		return tz_error_set(err, TZ_EFAIL, "身份证号不能为空，请填写 18 位身份证号");
	int today_value = 0;
	int rc = today_ymd(today, &today_value, err);
	if (rc == TZ_OK)
		rc = check_chars_of(text, err);
	if (rc == TZ_OK)
		rc = check_region(text, err);
	if (rc == TZ_OK)
		rc = check_birth(text, today_value, err);
	if (rc != TZ_OK)
		return rc;

	char given = text[17] == 'x' ? 'X' : text[17];
	char expected = idcard_check_char(text);
	if (given != expected)
		return tz_error_set(err, TZ_EFAIL,
				    "身份证号最后一位校验码不对（应为 %c），请核对是否抄错", expected);

	if (info != NULL) {
		memcpy(info->normalized, text, 17);
		info->normalized[17] = given;
		info->normalized[IDCARD_NCHARS] = '\0';
		info->year = digits_value(text + 6, 4);
		info->month = digits_value(text + 10, 2);
		info->day = digits_value(text + 12, 2);
		info->sex = (text[16] - '0') % 2 == 1 ? 'M' : 'F';
		memcpy(info->region, text, 6);
		info->region[6] = '\0';
	}
	return TZ_OK;
}

/* Write value as exactly n decimal digits at out (value must fit). */
static void put_digits(char *out, int n, int value)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

void idcard_make(char out[IDCARD_NCHARS + 1], const char *region, int year,
		 int month, int day, int sequence)
{
	for (int i = 0; i < 6; i++)
		assert(is_digit(region[i]));
	assert(year >= 0 && year <= 9999);
	assert(month >= 0 && month <= 99 && day >= 0 && day <= 99);
	assert(sequence >= 0 && sequence <= 999);
	memcpy(out, region, 6);
	put_digits(out + 6, 4, year);
	put_digits(out + 10, 2, month);
	put_digits(out + 12, 2, day);
	put_digits(out + 14, 3, sequence);
	out[17] = idcard_check_char(out);
	out[IDCARD_NCHARS] = '\0';
}
