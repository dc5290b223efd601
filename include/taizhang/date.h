/*
 * date.h — calendar dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), YYYY-MM-DD text, and "today".
 *
 * "Today" is the system's local date, unless the environment variable
 * TAIZHANG_TODAY=YYYY-MM-DD says otherwise: demos, tests and a look back at a
 * finished campaign run "as of" a chosen day. Every module asks date_today()
 * rather than the clock.
 */
#ifndef TAIZHANG_DATE_H
#define TAIZHANG_DATE_H

#include <stdint.h>

#define DATE_NCHARS 10 /* YYYY-MM-DD */

/* The day number of a calendar date (month 1..12, day 1..31; not checked). */
int32_t date_from_civil(int year, int month, int day);
/* The calendar date of a day number. */
void date_to_civil(int32_t day, int *year, int *month, int *mday);

/* Parse exactly YYYY-MM-DD naming a real date. Returns 1 and sets *day, or 0. */
int date_parse(const char *text, int32_t *day);

/* Parse what an officer types: YYYY-MM-DD, YYYY-M-D, YYYY/M/D, YYYY.M.D,
 * YYYYMMDD, or 2019年5月1日. Returns 1 and sets *day for a real date, else 0. */
int date_parse_loose(const char *text, int32_t *day);

/* day as YYYY-MM-DD into out (DATE_NCHARS + 1 bytes). */
void date_format(int32_t day, char out[DATE_NCHARS + 1]);

int date_year(int32_t day);
int date_is_leap(int year);
/* Days in month (1..12) of year; 0 for a month out of range. */
int date_days_in_month(int year, int month);
/* Whole years from birth to day. */
int date_age_on(int32_t birth, int32_t day);
/* The first day of the month day is in, and of the month after it. */
int32_t date_month_start(int32_t day);
int32_t date_next_month(int32_t day);

/* Today's day number (TAIZHANG_TODAY if set and valid, else the local date). */
int32_t date_today(void);
/* Today as YYYY-MM-DD. */
void date_today_text(char out[DATE_NCHARS + 1]);

/*
 * The one clock for timestamps the program writes (audit records, problem
 * events, sync stamps, key creation, exports). The time of day comes from the
 * system clock; the date is date_today()'s when TAIZHANG_TODAY is set, so that
 * a store made "as of" a campaign day has stamps on that day.
 */
#define DATE_STAMP_NCHARS 20 /* YYYY-MM-DDTHH:MM:SSZ */
/* Now in UTC as YYYY-MM-DDTHH:MM:SSZ. */
void date_now_stamp(char out[DATE_STAMP_NCHARS + 1]);
#define DATE_LOCAL_NCHARS 19 /* YYYY-MM-DD HH:MM:SS */
/* Now in local time as YYYY-MM-DD HH:MM:SS, for what a person reads. */
void date_now_local(char out[DATE_LOCAL_NCHARS + 1]);

#endif
