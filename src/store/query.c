/*
 * query.c — running one statement on a store's database: prepare it, bind
 * text parameters, step it, and turn SQLite's errors into taizhang's
 * (store_sqlite_error), so that callers write neither the sqlite3_prepare_v2
 * error path nor the bind loop again; and reading a query's rows into an
 * array of items (struct store_rows), so that a list reader is the columns
 * of one row and what an item owns, and a row's columns into the caller's
 * variables (store_row_read).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#include "store_internal.h"

int store_exec(struct store *s, const char *sql, struct tz_error *err)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "执行数据库语句", err);
	return TZ_OK;
}

int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st, const char *what,
		  struct tz_error *err)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, what, err);
	return TZ_OK;
}

/* sql prepared into *st with params bound as text to ?1, ?2, ... */
static int prepare_bound(struct store *s, const char *sql, const char *const *params,
			 int nparams, sqlite3_stmt **st, const char *what, struct tz_error *err)
{
	int rc = store_prepare(s, sql, st, what, err);
	for (int i = 0; rc == TZ_OK && i < nparams; i++)
		sqlite3_bind_text(*st, i + 1, params[i], -1, SQLITE_STATIC);
	return rc;
}

int store_exec_params(struct store *s, const char *sql, const char *const *params,
		      int nparams, const char *what, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = prepare_bound(s, sql, params, nparams, &st, what, err);
	if (rc != TZ_OK)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, what, err);
}

int store_query_one(struct store *s, const char *sql, const char *const *params, int nparams,
		    sqlite3_stmt **row, const char *what, struct tz_error *err)
{
	*row = NULL;
	sqlite3_stmt *st;
	int rc = prepare_bound(s, sql, params, nparams, &st, what, err);
	if (rc != TZ_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*row = st;
		return TZ_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, what, err);
}

char *store_column_dup(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? xstrdup(t) : NULL;
}

char *store_column_dup_or_empty(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return xstrdup(t ? t : "");
}

void store_row_read(sqlite3_stmt *st, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	for (int col = 0; types[col] != '\0'; col++) {
		switch (types[col]) {
		case 'i':
			*va_arg(ap, int *) = sqlite3_column_int(st, col);
			break;
		case 'I':
			*va_arg(ap, long long *) = sqlite3_column_int64(st, col);
			break;
		case 't':
			*va_arg(ap, char **) = store_column_dup_or_empty(st, col);
			break;
		case '_':
			break;
		default:
			abort();
		}
	}
	va_end(ap);
}

int store_rows_step(struct store *s, sqlite3_stmt *st, const struct store_rows *how,
		    void **items, size_t *n, struct tz_error *err)
{
	*items = NULL;
	*n = 0;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*items = vec_grow(*items, &cap, *n + 1, how->item_nbytes);
		void *item = (char *)*items + (*n)++ * how->item_nbytes;
		memset(item, 0, how->item_nbytes);
		how->read(st, item);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return TZ_OK;
	store_rows_free(how, *items, *n);
	*items = NULL;
	*n = 0;
	return store_sqlite_error(s, rc, how->what, err);
}

int store_rows_query(struct store *s, const char *sql, const char *const *params, int nparams,
		     const struct store_rows *how, void **items, size_t *n, struct tz_error *err)
{
	*items = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = prepare_bound(s, sql, params, nparams, &st, how->what, err);
	return rc == TZ_OK ? store_rows_step(s, st, how, items, n, err) : rc;
}

void store_rows_free(const struct store_rows *how, void *items, size_t n)
{
	for (size_t i = 0; how->drop != NULL && i < n; i++)
		how->drop((char *)items + i * how->item_nbytes);
	free(items);
}
