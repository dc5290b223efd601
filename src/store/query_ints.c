/*
 * query_ints.c — a one-row query whose answer is a few integers (a count, a
 * sequence number and an id): store_query_int64s, so that such a caller
 * writes neither the row's lifetime nor a column read per value.
 */
#include "store_internal.h"

int store_query_int64s(struct store *s, const char *sql, const char *const *params,
		       int nparams, long long *out, int ncols, const char *what,
		       struct tz_error *err)
{
	for (int i = 0; i < ncols; i++)
		out[i] = 0;
	sqlite3_stmt *row;
	int rc = store_query_one(s, sql, params, nparams, &row, what, err);
	if (row == NULL)
		return rc;
	for (int i = 0; i < ncols; i++)
		out[i] = sqlite3_column_int64(row, i);
	sqlite3_finalize(row);
	return rc;
}
