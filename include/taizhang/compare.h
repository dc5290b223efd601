/*
 * compare.h — the three-way comparison a qsort comparator returns, for
 * numbers (counts, rows, sequence numbers), so that no comparator writes the
 * `a < b ? -1 : a > b` idiom again.
 *
 *     int c = strcmp(x->key, y->key);
 *     return c != 0 ? c : compare_numbers(x->row, y->row);
 */
#ifndef TAIZHANG_COMPARE_H
#define TAIZHANG_COMPARE_H

/* -1, 0 or 1 as a is below, equal to or above b. */
static inline int compare_numbers(unsigned long long a, unsigned long long b)
{
	return (a > b) - (a < b);
}

#endif
