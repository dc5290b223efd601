/*
 * names.h — tables of the words a file, a form or a command line may use for
 * the values of an enum ("min" for KDF_COST_MIN, "age_from" for
 * FORM_COMPUTE_AGE) or for a text (a code and its label), and the one lookup
 * in each.
 *
 *     static const struct name_value stages[] = {
 *             { "village", NOTICE_VILLAGE }, { "town", NOTICE_TOWN },
 *     };
 *     int v;
 *     if (names_find(stages, NAMES_COUNT(stages), text, strlen(text), &v)) ...
 *
 * Deliberately not here: the message when a word is not in the table (the
 * caller names the option or key and the words it takes).
 */
#ifndef TAIZHANG_NAMES_H
#define TAIZHANG_NAMES_H

#include <stddef.h>

struct name_value {
	const char *name;
	int value; /* the enum value the name stands for */
};

/* A code and the text it stands for: { "town_review", "镇初审" }. */
struct name_text {
	const char *name;
	const char *text;
};

/* How many rows the array table has. */
#define NAMES_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* Whether the text[0..text_nbytes) is the name of one of the n rows of table
 * (exactly, case and all); if so its value is put in *value, else *value is
 * left as it was. */
int names_find(const struct name_value *table, size_t n, const char *text, size_t text_nbytes,
	       int *value);

/* The text of name (NULL: none) among the n rows of table; NULL when it is
 * not there. */
const char *names_text(const struct name_text *table, size_t n, const char *name);

#endif
