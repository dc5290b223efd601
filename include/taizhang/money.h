/*
 * money.h — amounts of money: 分 (cents) stored as integers, 元 as people write them.
 *
 * Every amount in taizhang is a whole number of 分 (a long long). This is the one
 * place that turns 元 text into 分 and 分 back into 元 text, for screens, reports,
 * messages and (through the SQL function tz_yuan, see store.c) queries.
 *
 * Deliberately not here: limits (the model says what an amount may be), floating
 * point (never used for money; xlsx cells are the one place 分 / 100.0 appears).
 */
#ifndef TAIZHANG_MONEY_H
#define TAIZHANG_MONEY_H

enum money_parse_flags {
	/* As an officer types: an optional leading ¥ or ￥, '+', thousands commas in
	 * groups of three ("1,234.5"), "5." and ".5", a trailing 元. Without it only
	 * digits[.d[d]] as in form files ("50000", "0.5"). */
	MONEY_LOOSE = 1,
	/* A leading '-' is a negative amount (otherwise MONEY_ENEGATIVE). */
	MONEY_SIGNED = 2,
};

enum money_status {
	MONEY_OK = 0,
	MONEY_EBAD,      /* not an amount at all ("abc", "1,0", "", "1.") */
	MONEY_ENEGATIVE, /* a '-' where MONEY_SIGNED was not given */
	MONEY_EDECIMALS, /* more than two decimals ("1.234"): finer than a 分 */
	MONEY_ERANGE,    /* more 分 than a long long holds */
};

/* 元 text into *cents per flags (enum money_parse_flags). Returns MONEY_OK with
 * *cents set, or the reason it is not an amount (*cents untouched). */
enum money_status money_parse(const char *text, unsigned flags, long long *cents);

enum money_format_flags {
	MONEY_GROUPED = 1, /* thousands separators: "1,234,567.80" */
	MONEY_SHORT = 2,   /* whole 元 without ".00": "3700", but "3070.50" */
};

/* Enough for any long long of 分, grouped, with sign and NUL. */
#define MONEY_TEXT_NBYTES 40

/* cents as 元 into buf: "-0.50", "0.00", "1234.56" (flags: enum
 * money_format_flags); no 元 sign or unit. Returns buf. */
char *money_format(long long cents, unsigned flags, char buf[MONEY_TEXT_NBYTES]);

#endif
