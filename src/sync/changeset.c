/*
 * changeset.c — whether a peer's changeset is framed as SQLite's session
 * extension writes one, checked before SQLite reads it.
 *
 * Why: the system's SQLite (3.40) loops for ever in sqlite3changeset_next on a
 * changeset whose table name runs to the end of the buffer without its NUL
 * (found by tests/fuzz/fuzz_apply): a signed bundle could hang the town's
 * import (rule A6: a changeset SQLite cannot read is refused, never a crash or
 * a hang). So the layout is walked here first, bounds checked, and SQLite
 * only ever sees a changeset whose every table header and value ends inside
 * it. Values are not judged here (authz.c does that).
 *
 * The format (sqlite3session_changeset, "CHANGESET FORMAT" in SQLite's
 * sqlite3session.h): a sequence of
 *   table header  'T', varint ncol (1..65536), ncol primary-key flag bytes,
 *                 the table name, NUL-terminated;
 *   change        op (SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE), an
 *                 "indirect" byte, then records of ncol values each: one for
 *                 an INSERT (new) or DELETE (old), two for an UPDATE (old,
 *                 new);
 *   value         type byte: 0 undefined, 5 NULL (nothing follows), 1 integer
 *                 or 2 real (8 bytes), 3 text or 4 blob (varint n, n bytes).
 * Varints are SQLite's (big-endian, 7 bits a byte, high bit: more follow).
 * Patchsets ('P') are never made by taizhang and are refused.
 */
#include "sync_internal.h"

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

/* ncol values at *i; 0 when one does not end inside the changeset. */
static int record(const unsigned char *p, size_t n, size_t *i, long long ncol)
{
	for (long long c = 0; c < ncol; c++) {
		if (*i >= n)
			return 0;
		unsigned char type = p[(*i)++];
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

int sync_changeset_well_formed(const unsigned char *cs, size_t n)
{
	size_t i = 0;
	long long ncol = -1; /* no table header yet */
	while (i < n) {
		unsigned char op = cs[i++];
		if (op == 'T') {
			ncol = varint(cs, n, &i);
			if (ncol < 1 || ncol > 65536 || (size_t)ncol > n - i)
				return 0;
			i += (size_t)ncol;
			while (i < n && cs[i] != '\0')
				i++;
			if (i >= n)
				return 0; /* the name runs to the end */
			i++;
		} else if (op == SQLITE_INSERT || op == SQLITE_DELETE || op == SQLITE_UPDATE) {
			if (ncol < 0 || i >= n)
				return 0;
			i++; /* indirect */
			if (!record(cs, n, &i, ncol) || (op == SQLITE_UPDATE && !record(cs, n, &i, ncol)))
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}
