/*
 * store_sqlcipher.c — bench/out/store-sqlcipher: the workload of workload.c on
 * SQLCipher, one run, for bench/store to compare with.
 *
 * SQLCipher exports the same sqlite3_* symbols as the system SQLite that
 * libtaizhang links, so the two cannot share a process: this file and workload.c
 * are compiled a second time against SQLCipher's <sqlite3.h>
 * (-I/usr/include/sqlcipher) and linked with -lsqlcipher alone. bench/store runs
 * it once per run as a child.
 *
 * The engine: sqlite3_open_v2, then PRAGMA key = '<passphrase>' at once, with
 * SQLCipher's default settings (for SQLCipher 3: 1024-byte pages, AES-256-CBC with
 * HMAC-SHA1 per page, PBKDF2-HMAC-SHA1 with 64,000 iterations), then the same
 * storage pragmas as plain SQLite, page_size excepted (SQLCipher's page size is
 * cipher_page_size; left at its default). SQLCipher derives the key when the
 * first page is read, so open touches the schema: its time is the key derivation.
 *
 * Usage: store-sqlcipher --db PATH [--rows N] [--tx-rows N] [--lookups N]
 *                        [--seed N]
 * Output, one "key value" per line on stdout (the protocol bench/store reads):
 *   sqlite_version, cipher_version, kdf (a description), page_nbytes,
 *   open, write, warm, cold (seconds), digest (16 hex digits).
 * Errors: one line on stderr, exit status 1 (2 for a bad command line).
 *
 * What it deliberately is not: usable without bench/store, which judges nothing
 * it cannot compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "workload.h"

static const char sqlcipher_pragmas[] =
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA mmap_size=0;"
	"PRAGMA journal_mode=DELETE;"
	"PRAGMA synchronous=FULL;" BENCH_CACHE_PRAGMA;

/* The first column of the first row of sql as text, in out; "" if none. */
static void query_text(sqlite3 *db, const char *sql, char *out, size_t out_nbytes)
{
	sqlite3_stmt *st;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, out_nbytes, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static int sc_connect(const char *path, int creating, void **handle, char **cause)
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
	if (bench_exec(db, "PRAGMA key = '" BENCH_PASSPHRASE "'", "key", cause) != 0 ||
	    bench_exec(db, sqlcipher_pragmas, "pragmas", cause) != 0 ||
	    bench_exec(db, "SELECT count(*) FROM sqlite_master", "read schema (key)",
		       cause) != 0) {
		sqlite3_close_v2(db);
		return -1;
	}
	*handle = db;
	return 0;
}

static int sc_create(const char *path, void **handle, char **cause)
{
	return sc_connect(path, 1, handle, cause);
}

static int sc_open(const char *path, void **handle, char **cause)
{
	return sc_connect(path, 0, handle, cause);
}

static sqlite3 *sc_db(void *handle)
{
	return handle;
}

static int sc_begin(void *handle, char **cause)
{
	return bench_exec(handle, "BEGIN IMMEDIATE", "begin", cause);
}

static int sc_commit(void *handle, char **cause)
{
	return bench_exec(handle, "COMMIT", "commit", cause);
}

static void sc_close(void *handle)
{
	sqlite3_close_v2(handle);
}

static const struct bench_engine sqlcipher_engine = {
	.name = "sqlcipher",
	.create = sc_create,
	.open = sc_open,
	.db = sc_db,
	.begin = sc_begin,
	.commit = sc_commit,
	.close = sc_close,
};

/* Print what SQLCipher says about itself, from a keyed in-memory database. */
static void print_versions(void)
{
	sqlite3 *db;
	char version[64] = "", cipher[64] = "", iter[32] = "", provider[96] = "";
	if (sqlite3_open(":memory:", &db) == SQLITE_OK &&
	    sqlite3_exec(db, "PRAGMA key = 'x'", NULL, NULL, NULL) == SQLITE_OK) {
		query_text(db, "PRAGMA cipher_version", version, sizeof version);
		query_text(db, "PRAGMA cipher", cipher, sizeof cipher);
		query_text(db, "PRAGMA kdf_iter", iter, sizeof iter);
		query_text(db, "PRAGMA cipher_provider_version", provider, sizeof provider);
	}
	sqlite3_close(db);
	printf("sqlite_version %s\n", sqlite3_libversion());
	printf("cipher_version %s\n", version[0] ? version : "?");
	printf("kdf %s%s iterations, %s%s per page (%s)\n",
	       version[0] == '3' ? "PBKDF2-HMAC-SHA1 " : "PBKDF2 ", iter, cipher,
	       version[0] == '3' ? " + HMAC-SHA1" : " + HMAC", provider);
}

int main(int argc, char **argv)
{
	struct bench_params p = {
		.seed = BENCH_SEED, .nrows = BENCH_NROWS, .tx_nrows = BENCH_TX_NROWS,
		.nlookups = BENCH_NLOOKUPS,
	};
	const char *path = NULL;
	char *cause = NULL;
	for (int i = 1; i < argc; i++) {
		int k = bench_parse_param(argc, argv, &i, &p, &cause);
		if (k < 0) {
			fprintf(stderr, "store-sqlcipher: %s\n", cause);
			return 2;
		}
		if (k > 0)
			continue;
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else {
			fprintf(stderr, "usage: store-sqlcipher --db PATH [--rows N] "
					"[--tx-rows N] [--lookups N] [--seed N]\n");
			return 2;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "store-sqlcipher: --db PATH is required\n");
		return 2;
	}
	struct bench_data *d = bench_data_new(&p, &cause);
	if (d == NULL) {
		fprintf(stderr, "store-sqlcipher: %s\n", cause);
		return 2;
	}
	struct bench_result r;
	int rc = bench_run(&sqlcipher_engine, path, d, &r, &cause);
	bench_data_free(d);
	if (rc != 0) {
		fprintf(stderr, "store-sqlcipher: %s\n", cause);
		free(cause);
		return 1;
	}
	print_versions();
	printf("page_nbytes %d\n", r.page_nbytes);
	printf("open %.9f\nwrite %.9f\nwarm %.9f\ncold %.9f\n", r.t.open_s, r.t.write_s,
	       r.t.warm_s, r.t.cold_s);
	printf("digest %016llx\n", (unsigned long long)r.digest);
	return 0;
}
