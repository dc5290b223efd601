/*
 * division.h — administrative-division codes (统计用区划代码).
 *
 * Every village (村/居) and town (镇/乡) in taizhang is named by its 12-digit
 * code: 6 digits of county, 3 of town, 3 of village. A town's own code ends in
 * "000"; its villages share its first 9 digits.
 *
 * Deliberately not here: whether a code is known (the villages table says).
 */
#ifndef TAIZHANG_DIVISION_H
#define TAIZHANG_DIVISION_H

#define DIVISION_CODE_NCHARS 12
#define DIVISION_TOWN_NCHARS 9 /* the digits a town's villages share */

/* Whether code is exactly 12 ASCII digits (NULL is not). */
int division_code_valid(const char *code);

/* Whether code is a town's own code: valid and ending in "000". */
int division_code_is_town(const char *code);

/* The code of the town that village (a valid code) belongs to: its first 9 digits
 * and "000", into town. */
void division_town_of(const char *village, char town[DIVISION_CODE_NCHARS + 1]);

/* Whether village is a village of town: both valid, the same first 9 digits, and
 * not the town's own code. */
int division_in_town(const char *village, const char *town);

#endif
