/*
 * library.c — the process-wide SQLite configuration every store runs under
 * (store_library_init).
 *
 * sqlite3_config only works before SQLite initialises, and SQLite initialises on
 * the first call that needs it (an open, a VFS lookup, sqlite3_mprintf ...). So
 * main calls store_library_init first thing, and store_vfs_register calls it
 * before its own first touch of SQLite, which covers every program and test that
 * only reaches SQLite through the store. What is configured, and why (numbers in
 * bench/README.md):
 *
 *   SQLITE_CONFIG_MEMSTATUS 0  Debian's SQLite keeps memory statistics by
 *        default: every sqlite3_malloc and sqlite3_free takes a global mutex to
 *        count bytes. The store never reads those statistics
 *        (sqlite3_memory_used, soft heap limits), and they cost its reads
 *        about a tenth of their time.
 *
 * Debian's SQLite is built with SQLITE_OMIT_LOOKASIDE, so lookaside memory
 * cannot be turned on at run time, and the page cache's memory comes from
 * malloc either way.
 *
 * What it deliberately does not do: change threading (SQLite stays serialized as
 * built, connections open with SQLITE_OPEN_NOMUTEX as before), or anything a
 * store's behaviour depends on.
 *
 * It also tells the store whether this SQLite's FTS5 may be written from a
 * trigger under PRAGMA trusted_schema=OFF (store_library_fts5_innocuous): the
 * search index's triggers (db/015) write its FTS5 table. FTS5 declares itself
 * innocuous in the SQLite the build compiles in (3.54), not in Debian's 3.40,
 * the fallback when that cannot be fetched, where every write of a household
 * would fail ("unsafe use of virtual table"). Probed once, on a connection to
 * an in-memory database, rather than judged by the version number.
 */
#include <pthread.h>

#include <sqlite3.h>

#include "taizhang/store.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int configured;

static void configure(void)
{
	/* SQLITE_MISUSE here means SQLite is already initialised: keep its defaults. */
	configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

int store_library_init(void)
{
	pthread_once(&once, configure);
	return configured;
}

static pthread_once_t fts5_once = PTHREAD_ONCE_INIT;
static int fts5_innocuous;

static void probe_fts5(void)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) ==
	    SQLITE_OK)
		fts5_innocuous = sqlite3_exec(db,
					      "PRAGMA trusted_schema=OFF;"
					      "CREATE VIRTUAL TABLE f USING fts5(x);"
					      "CREATE TABLE t(x);"
					      "CREATE TRIGGER t_f AFTER INSERT ON t"
					      " BEGIN INSERT INTO f(x) VALUES (NEW.x); END;"
					      "INSERT INTO t VALUES ('a')",
					      NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
}

int store_library_fts5_innocuous(void)
{
	store_library_init();
	pthread_once(&fts5_once, probe_fts5);
	return fts5_innocuous;
}
