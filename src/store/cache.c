/*
 * cache.c — a larger page cache for the length of one piece of bulk work
 * (store_cache_raise, store_cache_restore).
 *
 * Every page SQLite's cache lets go of must be read and decrypted again the
 * next time it is needed, and a dirty one written and encrypted early. With
 * random ids, inserts land all over a table's B-tree, so once a store is larger
 * than the cache (the 16 MiB connection_pragmas give it) almost every row
 * written misses: generating a 5,000-household village took 3.3x the time of
 * ten 500-household ones (bench/demo). The cache grows only as pages are read,
 * so the raised size costs memory only where the work touches that much.
 *
 * What it deliberately does not do: change anything on disk, or keep the
 * memory: the old size is put back and the freed pages are given back.
 */
#include <stdio.h>

#include <sqlite3.h>

#include "taizhang/store.h"
#include "taizhang/store_vfs.h"

/* PRAGMA cache_size's value: negative in KiB, positive in pages. */
static long long cache_size(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long v = 0;
	if (db == NULL || sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void set_cache_size(sqlite3 *db, long long v)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size=%lld", v);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
}

long long store_cache_raise(struct store *s, int kib)
{
	sqlite3 *db = store_db(s);
	long long old = cache_size(db);
	long long old_kib = old < 0 ? -old : old * (STORE_PAGE_NBYTES / 1024);
	if (old == 0 || old_kib >= kib)
		return 0;
	set_cache_size(db, -(long long)kib);
	return old;
}

void store_cache_restore(struct store *s, long long old)
{
	sqlite3 *db = store_db(s);
	if (old == 0 || db == NULL)
		return;
	set_cache_size(db, old);
	sqlite3_db_release_memory(db);
}
