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
