/*
 * engine_sqlite.h — bench/store's engines that are nothing but the SQLite C API:
 * "plain" (no key) and "keyed" (PRAGMA key, for an encrypting SQLite build),
 * whichever library engine_sqlite.c is compiled against (bench/engine_sqlite.c).
 *
 * What it deliberately is not: the taizhang engine, which goes through the store's
 * own API (bench/store.c).
 */
#ifndef BENCH_ENGINE_SQLITE_H
#define BENCH_ENGINE_SQLITE_H

#include "workload.h"

/* sqlite3_open_v2 with the storage pragmas every engine runs (BENCH_STORAGE_PRAGMAS),
 * page_size 4096 when creating; no key. */
extern const struct bench_engine bench_sqlite_plain;

/* The same, keyed with PRAGMA key = BENCH_PASSPHRASE right after opening, with the
 * library's default cipher settings (and its default page size). Only meaningful
 * against an encrypting build (SQLCipher, SQLite3 Multiple Ciphers); the bench
 * checks afterwards that the file really is encrypted. */
extern const struct bench_engine bench_sqlite_keyed;

/* More pragmas for both engines after the storage pragmas (NULL: none); the
 * string must outlive every connection. For --plain-like-store. */
void bench_sqlite_set_more_pragmas(const char *sql);

#endif
