/*
 * engine_sqlite.c — the plain and keyed engines of bench/store: a connection
 * opened with sqlite3_open_v2, optionally keyed with PRAGMA key, then the storage
 * pragmas of src/store/store.c's connection_pragmas (BENCH_STORAGE_PRAGMAS);
 * transactions are BEGIN IMMEDIATE ... COMMIT.
 *
 * Like workload.c it is compiled against several SQLite libraries (the system
 * SQLite in bench/out/store, each anchor's amalgamation in its own
 * bench/out/store-NAME), so it depends on nothing but <sqlite3.h> and libc.
 *
 * What it deliberately is not: a place for per-library settings. The keyed engine
 * runs every library at its defaults: the point is what a user who picks it gets.
 */
#include <stddef.h>

#include "engine_sqlite.h"

static const char *more_pragmas;

void bench_sqlite_set_more_pragmas(const char *sql)
{
	more_pragmas = sql;
}

/* Open path (creating it if asked), key it if key is not NULL, run the pragmas and
 * touch the schema, so that a key derivation has run when it returns. */
static int connect(const char *path, int creating, const char *key, void **handle,
		   char **cause)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    (creating ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		bench_fail(cause, "open %s: %s", path,
			   db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close_v2(db);
		return -1;
	}
	if ((key != NULL && bench_exec(db, key, "key", cause) != 0) ||
	    (key == NULL && creating &&
	     bench_exec(db, "PRAGMA page_size=4096", "page_size", cause) != 0) ||
	    bench_exec(db, BENCH_STORAGE_PRAGMAS, "pragmas", cause) != 0 ||
	    (more_pragmas != NULL &&
	     bench_exec(db, more_pragmas, "more pragmas", cause) != 0) ||
	    bench_exec(db, "SELECT count(*) FROM sqlite_master", "read schema", cause) != 0) {
		sqlite3_close_v2(db);
		return -1;
	}
	*handle = db;
	return 0;
}

static const char key_pragma[] = "PRAGMA key = '" BENCH_PASSPHRASE "'";

static int plain_create(const char *path, void **handle, char **cause)
{
	return connect(path, 1, NULL, handle, cause);
}

static int plain_open(const char *path, void **handle, char **cause)
{
	return connect(path, 0, NULL, handle, cause);
}

static int keyed_create(const char *path, void **handle, char **cause)
{
	return connect(path, 1, key_pragma, handle, cause);
}

static int keyed_open(const char *path, void **handle, char **cause)
{
	return connect(path, 0, key_pragma, handle, cause);
}

static sqlite3 *sqlite_db(void *handle)
{
	return handle;
}

static int sqlite_begin(void *handle, char **cause)
{
	return bench_exec(handle, "BEGIN IMMEDIATE", "begin", cause);
}

static int sqlite_commit(void *handle, char **cause)
{
	return bench_exec(handle, "COMMIT", "commit", cause);
}

static void sqlite_close(void *handle)
{
	sqlite3_close_v2(handle); /* rolls back an open transaction */
}

/* The engine var called name: its own create and open, the rest the same. */
#define SQLITE_ENGINE(var, engine_name, create_fn, open_fn)                                     \
	const struct bench_engine var = { .name = engine_name, .create = create_fn,             \
					  .open = open_fn,     .db = sqlite_db,                 \
					  .begin = sqlite_begin, .commit = sqlite_commit,       \
					  .close = sqlite_close }

SQLITE_ENGINE(bench_sqlite_plain, "plain", plain_create, plain_open);
SQLITE_ENGINE(bench_sqlite_keyed, "keyed", keyed_create, keyed_open);
