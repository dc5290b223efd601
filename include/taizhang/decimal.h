/*
 * decimal.h — reading whole numbers written in decimal.
 *
 * The one parser behind form files (min, max, width) and the model's int fields.
 * It takes exactly an optional sign and ASCII digits, nothing around them: the
 * caller folds full-width digits and trims spaces first.
 *
 * Deliberately not here: amounts of money (money.h), dates (date.h).
 */
#ifndef TAIZHANG_DECIMAL_H
#define TAIZHANG_DECIMAL_H

enum {
	DECIMAL_PLUS = 1, /* a leading '+' is accepted too ('-' always is) */
};

/* Whether text is exactly [-]digits (or [+-]digits with DECIMAL_PLUS) that fits a
 * long long; then *v holds it. 0 (and *v untouched) for anything else: empty
 * text, a lone sign, other characters, overflow. */
int decimal_parse(const char *text, unsigned flags, long long *v);

#endif
