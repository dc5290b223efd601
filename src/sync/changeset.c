/*
 * changeset.c — whether a peer's changeset is framed as SQLite's session
 * extension writes one, checked before SQLite reads it.
 *
 * Why: the system's SQLite (3.40) trusts a changeset's framing. It loops for
 * ever in sqlite3changeset_next on a changeset whose table name runs to the
 * end of the buffer without its NUL, and sqlite3changeset_apply reads through
 * a NULL pointer for an UPDATE whose old primary key is left undefined (both
 * found by tests/fuzz/fuzz_apply): a signed bundle could hang or crash the
 * town's import (rule A6: a changeset SQLite cannot read is refused, never a
 * crash or a hang). So the layout is walked here first, bounds checked, and
 * SQLite only ever sees a changeset whose every table header and value ends
 * inside it and whose values are defined where SQLite's own writer (sessions,
 * changegroups, inversion) defines them. What the values say is judged
 * elsewhere (authz.c). On the way, the caller may be told each table header
 * (sync_changeset_tables), which apply.c resolves before SQLite applies.
 *
 * The format (sqlite3session_changeset, "CHANGESET FORMAT" in SQLite's
 * sqlite3session.h): a sequence of
 *   table header  'T', varint ncol, ncol primary-key flag bytes (not all
 *                 0), the table name, NUL-terminated;
 *   change        op (SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE), an
 *                 "indirect" byte, then records of ncol values each: one for
 *                 an INSERT (new) or DELETE (old), two for an UPDATE (old,
 *                 new);
 *   value         type byte: 0 undefined, 5 NULL (nothing follows), 1 integer
 *                 or 2 real (8 bytes), 3 text or 4 blob (varint n, n bytes).
 * Defined values: all of an INSERT's and a DELETE's; of an UPDATE, the old
 * primary key (never the new one), and each other column in both records (it
 * changed) or in neither.
 * Varints are SQLite's (big-endian, 7 bits a byte, high bit: more follow).
 * Patchsets ('P') are never made by taizhang and are refused.
 */
#include <string.h>

#include "sync_internal.h"

/* SQLite's own limit on a table's columns (SQLITE_MAX_COLUMN's default). */
#define MAX_COLS 2000

/* A varint of at most 5 bytes whose value fits an int, at *i; -1 when not. */
static long long varint(const unsigned char *p, size_t n, size_t *i)
{
	long long v = 0;
	for (int k = 0; k < 5 && *i < n; k++) {
		unsigned char b = p[(*i)++];
		v = (v << 7) | (b & 0x7f);
		if (!(b & 0x80))
			return v <= INT32_MAX ? v : -1;
	}
	return -1;
}

/* ncol values at *i, noting which are defined (type not 0) in def; 0 when
 * one does not end inside the changeset. */
static int record(const unsigned char *p, size_t n, size_t *i, long long ncol, unsigned char *def)
{
	for (long long c = 0; c < ncol; c++) {
		if (*i >= n)
			return 0;
		unsigned char type = p[(*i)++];
		def[c] = type != 0;
		if (type == 1 || type == 2) {
			if (n - *i < 8)
				return 0;
			*i += 8;
		} else if (type == 3 || type == 4) {
			long long len = varint(p, n, i);
			if (len < 0 || (size_t)len > n - *i)
				return 0;
			*i += (size_t)len;
		} else if (type != 0 && type != 5) {
			return 0;
		}
	}
	return 1;
}

/* Whether a change's values are defined where SQLite's writer defines them:
 * every value of an INSERT or DELETE; of an UPDATE, the old primary key (its
 * new one never), and any other column in both records or in neither. */
static int defined_right(int op, const unsigned char *pk, long long ncol, const unsigned char *def_old,
			 const unsigned char *def_new)
{
	for (long long c = 0; c < ncol; c++) {
		if (op == SQLITE_INSERT && !def_new[c])
			return 0;
		if (op == SQLITE_DELETE && !def_old[c])
			return 0;
		if (op == SQLITE_UPDATE && (pk[c] ? !def_old[c] || def_new[c] : def_old[c] != def_new[c]))
			return 0;
	}
	return 1;
}

static int framed_right(const unsigned char *cs, size_t n, unsigned char *def_old, unsigned char *def_new,
			sync_changeset_table_fn table, void *ctx)
{
	size_t i = 0;
	long long ncol = -1; /* no table header yet */
	const unsigned char *pk = NULL;
	while (i < n) {
		unsigned char op = cs[i++];
		if (op == 'T') {
			ncol = varint(cs, n, &i);
			if (ncol < 1 || ncol > MAX_COLS || (size_t)ncol > n - i)
				return 0;
			pk = cs + i;
			i += (size_t)ncol;
			long long npk = 0;
			for (long long c = 0; c < ncol; c++)
				npk += pk[c] != 0;
			if (npk == 0)
				return 0; /* no primary key column */
			while (i < n && cs[i] != '\0')
				i++;
			if (i >= n)
				return 0; /* the name runs to the end */
			const char *name = (const char *)pk + ncol;
			i++;
			if (table != NULL && table(ctx, name, (int)ncol, pk) != 0)
				return 0;
		} else if (op == SQLITE_INSERT || op == SQLITE_DELETE || op == SQLITE_UPDATE) {
			if (ncol < 0 || i >= n)
				return 0;
			i++; /* indirect */
			memset(def_old, 0, (size_t)ncol);
			memset(def_new, 0, (size_t)ncol);
			if (op != SQLITE_INSERT && !record(cs, n, &i, ncol, def_old))
				return 0;
			if (op != SQLITE_DELETE && !record(cs, n, &i, ncol, def_new))
				return 0;
			if (!defined_right(op, pk, ncol, def_old, def_new))
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

int sync_changeset_well_formed(const unsigned char *cs, size_t n)
{
	return sync_changeset_tables(cs, n, NULL, NULL);
}

int sync_changeset_tables(const unsigned char *cs, size_t n, sync_changeset_table_fn table, void *ctx)
{
	unsigned char def_old[MAX_COLS], def_new[MAX_COLS];
	return framed_right(cs, n, def_old, def_new, table, ctx);
}
