/*
 * workload.h — the one workload of bench/store, runnable on any engine that
 * speaks SQLite's C API (bench/workload.c).
 *
 * The workload (documented in full in bench/README.md and workload.c): a
 * bench_members table shaped like db/002_people.sql's members, filled with
 * deterministic generated villagers; a write phase (bulk insert in transactions),
 * a warm read phase (point lookups by ID card number plus a grouped aggregate, on
 * the connection that wrote), and a cold read phase (the same reads after closing
 * and reopening). The reopen is timed apart: for the encrypted engines it is
 * where the passphrase's key derivation runs.
 *
 * This file is compiled once against the system SQLite (bench/store.c, engines
 * plain and taizhang) and once for each anchor against its own amalgamation
 * (bench/store_anchor.c: SQLCipher 4, SQLite3 Multiple Ciphers), whose symbols
 * clash with the system library's, so it must not depend on anything but
 * <sqlite3.h> and libc.
 *
 * What it deliberately is not: a test. Nothing here judges the times; only a
 * wrong answer (a lookup that does not find exactly one row) is an error.
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* The number of elements of the array a. */
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A field of a struct found by its name: a row of the tables that read or
 * write fields by name (the offset is offsetof the field). */
struct bench_field {
	const char *name;
	size_t offset;
};

/* The documented workload; the options that change it exist for quick tries. */
#define BENCH_SEED 20240601u
#define BENCH_NROWS 50000
#define BENCH_TX_NROWS 100
#define BENCH_NLOOKUPS 20000

/* The passphrase of every encrypted engine (taizhang and the anchors). */
#define BENCH_PASSPHRASE "bench-口令-示范村-2024"

/* The cache size every engine runs with, as in src/store/store.c's
 * connection_pragmas (negative: KiB, so the same memory whatever the page size). */
#define BENCH_CACHE_PRAGMA "PRAGMA cache_size=-16384;"

/* The storage pragmas of src/store/store.c's connection_pragmas, which every
 * engine runs (the store also runs secure_delete, foreign_keys, trusted_schema
 * and cell_size_check: part of what the taizhang column measures). */
#define BENCH_STORAGE_PRAGMAS                                                     \
	"PRAGMA temp_store=MEMORY;"                                               \
	"PRAGMA mmap_size=0;"                                                     \
	"PRAGMA journal_mode=DELETE;"                                             \
	"PRAGMA synchronous=FULL;" BENCH_CACHE_PRAGMA

/*
 * An engine: how to create, reopen, write to and close one database file. Every
 * function returning int returns 0, or -1 with *cause set to a message the caller
 * frees. A handle is owned by the engine until close (which accepts NULL).
 */
struct bench_engine {
	const char *name;
	/* A new, empty database at path (which does not exist), with the engine's
	 * pragmas set, ready for writing. Untimed: for taizhang it includes an
	 * Argon2id derivation for the new passphrase slot. */
	int (*create)(const char *path, void **handle, char **cause);
	/* Open the existing database at path with the engine's pragmas, and touch
	 * the schema so that any key derivation has run when it returns. Timed as
	 * the "open" line. */
	int (*open)(const char *path, void **handle, char **cause);
	/* The connection; owned by the handle. */
	sqlite3 *(*db)(void *handle);
	/* BEGIN IMMEDIATE / COMMIT, the way the engine's product would write. */
	int (*begin)(void *handle, char **cause);
	int (*commit)(void *handle, char **cause);
	void (*close)(void *handle);
};

struct bench_params {
	uint64_t seed;
	int nrows;    /* rows inserted in the write phase */
	int tx_nrows; /* rows per transaction */
	int nlookups; /* point lookups in each read phase */
};

/* Seconds (CLOCK_MONOTONIC) of each timed step of one run. */
struct bench_times {
	double open_s;  /* reopen, key derivation included */
	double write_s; /* nrows inserts, nrows / tx_nrows transactions */
	double warm_s;  /* lookups + aggregate on the writing connection */
	double cold_s;  /* lookups + aggregate on the reopened connection */
};

struct bench_result {
	struct bench_times t;
	int page_nbytes;  /* PRAGMA page_size of the database as created */
	uint64_t digest;  /* of every value the reads returned: equal on all engines */
	/* Pages each read phase read from the file (SQLite's cache misses,
	 * SQLITE_DBSTATUS_CACHE_MISS): for an encrypting engine, pages decrypted. */
	int warm_misses;
	int cold_misses;
	/* The database file as the warm phase's connection left it (after its
	 * close): whether it starts with "SQLite format 3", and whether the ID card
	 * numbers of the first rows can be found in it in clear. An encrypting
	 * engine must have neither; plain SQLite has both. */
	int sqlite_header;
	int plaintext;
};

/* The generated rows and the lookup order for params; opaque. */
struct bench_data;

/* Generate the rows and lookup order for p. Returns NULL (with *cause) when p is
 * out of range or memory runs out. Free with bench_data_free. */
struct bench_data *bench_data_new(const struct bench_params *p, char **cause);
void bench_data_free(struct bench_data *d);

/* Run the workload once on engine e with a database file at path (which must not
 * exist; it and its journal are removed afterwards, also on failure). Fills *r.
 * Returns 0, or -1 with *cause (caller frees). */
int bench_run(const struct bench_engine *e, const char *path,
	      const struct bench_data *d, struct bench_result *r, char **cause);

/* The same for two engines at once, each with its own file: the write phases
 * take turns transaction by transaction (the first of each pair alternating),
 * each engine's transactions timed and added up, so that a slow spell of the
 * disk falls on both alike; then each one's read phases, one after the other. */
int bench_run_pair(const struct bench_engine *const e[2], const char *const path[2],
		   const struct bench_data *d, struct bench_result r[2], char **cause);

/* Helpers for the engines. */

/* Set *cause (if cause is not NULL) to a newly allocated message; returns -1. */
int bench_fail(char **cause, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* sqlite3_exec, failing with what and SQLite's message. */
int bench_exec(sqlite3 *db, const char *sql, const char *what, char **cause);

/* The current CLOCK_MONOTONIC time in seconds. */
double bench_now(void);

/* Parse the options shared by both binaries (--rows, --tx-rows, --lookups,
 * --seed) at argv[*i] into p, advancing *i past the value. Returns 1 when
 * argv[*i] was one of them, 0 when it is not, -1 on a bad value, said on
 * stderr as "prog: ..." (prog the binary's name). */
int bench_parse_param(int argc, char **argv, int *i, struct bench_params *p,
		      const char *prog);

#endif
