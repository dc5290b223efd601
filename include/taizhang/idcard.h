/*
 * idcard.h — 18-digit resident identity numbers (GB 11643-1999).
 *
 * Layout: 6-digit administrative division of first registration, 8-digit birth
 * date YYYYMMDD, 3-digit sequence (odd: male, even: female), check character
 * (ISO 7064 MOD 11-2; 0-9 or X).
 */
#ifndef TAIZHANG_IDCARD_H
#define TAIZHANG_IDCARD_H

#include "taizhang/error.h"

#define IDCARD_NCHARS 18

struct idcard_info {
	char normalized[IDCARD_NCHARS + 1]; /* upper-case X */
	int year, month, day;
	char sex; /* 'M' or 'F' */
	char region[7];
};

/* Check text as an ID number; today (YYYY-MM-DD, NULL: date_today(), which honours TAIZHANG_TODAY) bounds
 * the birth date. Accepts a lower-case x as the check character. On success fills
 * info (may be NULL) and returns TZ_OK; otherwise TZ_EFAIL with a message naming
 * the field "身份证号" and saying what is wrong and how to fix it, and info is
 * left untouched. Positions in messages count characters, not bytes. */
int idcard_check(const char *text, const char *today, struct idcard_info *info,
		 struct tz_error *err);

/* The check character ('0'..'9' or 'X') for the first 17 digits of an ID
 * number; digits17 must be 17 ASCII digits (it need not be NUL-terminated). */
char idcard_check_char(const char digits17[17]);

/* Build a valid ID number into out (19 bytes) from a 6-digit region, a birth
 * date and a 3-digit sequence (0..999; odd for a man, even for a woman). The
 * check character is computed; the date is written as given and not checked, so
 * the caller must pass a real date for the result to pass idcard_check. Each
 * part must fit its digits (asserted). */
void idcard_make(char out[IDCARD_NCHARS + 1], const char *region, int year,
		 int month, int day, int sequence);

#endif
