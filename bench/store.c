/*
 * store.c — bench/store: what the encrypted store costs, measured against plain
 * SQLite and SQLCipher in one run.
 *
 * It runs the workload of workload.c (a 50,000-row members table: bulk insert in
 * 500 transactions of 100 rows, 20,000 point lookups by ID card number and a
 * grouped aggregate on a warm connection, the same reads after a reopen) on three
 * engines, several times each, interleaved (plain, taizhang, SQLCipher, then
 * again), and prints the median seconds of each phase and their ratios, with the
 * project's goals next to them:
 *
 *   taizhang/plain <= 1.15 for write and warm read, <= 2 for cold read, and
 *   taizhang/plain below SQLCipher/plain in every phase.
 *
 * Engines:
 *   plain      the system SQLite with the store's storage pragmas: page_size
 *              4096, journal_mode=DELETE, synchronous=FULL, temp_store=MEMORY,
 *              mmap_size=0, cache_size=-16384. (--plain-like-store adds the
 *              store's other pragmas, secure_delete, foreign_keys,
 *              trusted_schema and cell_size_check, to tell their cost from the
 *              cipher's.)
 *   taizhang   the product: store_create (Argon2id MODERATE for the slot),
 *              writes through store_tx_begin / store_tx_commit, reopen with
 *              store_open, which runs the Argon2id derivation.
 *   sqlcipher  bench/out/store-sqlcipher, built from the same workload.c against
 *              SQLCipher (store_sqlcipher.c) and run as a child process, one run
 *              at a time, since SQLCipher's symbols clash with the system
 *              SQLite's. Given with --sqlcipher PATH; without it that column is
 *              left out and the output says so.
 *
 * Opening (key derivation for the encrypted engines) is timed and printed on its
 * own line, never inside a phase. Database files live in a new directory under
 * $TMPDIR (or /tmp), removed at the end. The cold phase starts with an empty
 * SQLite page cache; the operating system's page cache still holds the file, so
 * "cold" measures decryption and SQLite's own work, not the disk.
 *
 * What it deliberately is not: a test. A goal not met is printed as "not met" and
 * the exit status stays 0; only an engine that fails or answers wrongly makes it
 * exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "taizhang/store.h"
#include "workload.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_RUNS 15

/* ---- engine: plain SQLite ---- */

static const char plain_pragmas[] =
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA mmap_size=0;"
	"PRAGMA journal_mode=DELETE;"
	"PRAGMA synchronous=FULL;" BENCH_CACHE_PRAGMA;

/* The rest of src/store/store.c's connection_pragmas (--plain-like-store). */
static const char store_only_pragmas[] =
	"PRAGMA secure_delete=ON;"
	"PRAGMA foreign_keys=ON;"
	"PRAGMA trusted_schema=OFF;"
	"PRAGMA cell_size_check=ON;";

static int plain_like_store;

static int plain_connect(const char *path, int creating, void **handle, char **cause)
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
	if ((creating && bench_exec(db, "PRAGMA page_size=4096", "page_size", cause) != 0) ||
	    bench_exec(db, plain_pragmas, "pragmas", cause) != 0 ||
	    (plain_like_store &&
	     bench_exec(db, store_only_pragmas, "store pragmas", cause) != 0) ||
	    bench_exec(db, "SELECT count(*) FROM sqlite_master", "read schema", cause) != 0) {
		sqlite3_close_v2(db);
		return -1;
	}
	*handle = db;
	return 0;
}

static int plain_create(const char *path, void **handle, char **cause)
{
	return plain_connect(path, 1, handle, cause);
}

static int plain_open(const char *path, void **handle, char **cause)
{
	return plain_connect(path, 0, handle, cause);
}

static sqlite3 *plain_db(void *handle)
{
	return handle;
}

static int plain_begin(void *handle, char **cause)
{
	return bench_exec(handle, "BEGIN IMMEDIATE", "begin", cause);
}

static int plain_commit(void *handle, char **cause)
{
	return bench_exec(handle, "COMMIT", "commit", cause);
}

static void plain_close(void *handle)
{
	sqlite3_close_v2(handle); /* rolls back an open transaction */
}

static const struct bench_engine plain_engine = {
	.name = "plain",
	.create = plain_create,
	.open = plain_open,
	.db = plain_db,
	.begin = plain_begin,
	.commit = plain_commit,
	.close = plain_close,
};

/* ---- engine: the taizhang store ---- */

static int tz_create(const char *path, void **handle, char **cause)
{
	static const struct store_identity id = {
		.kind = STORE_KIND_VILLAGE, .code = "411500000001", .name = "示范村",
	};
	struct tz_error err;
	struct store *s;
	if (store_create(path, &id, "bench", BENCH_PASSPHRASE, strlen(BENCH_PASSPHRASE),
			 KDF_COST_MODERATE, &s, &err) != TZ_OK)
		return bench_fail(cause, "store_create %s: %s", path, err.msg);
	*handle = s;
	return 0;
}

static int tz_open(const char *path, void **handle, char **cause)
{
	struct tz_error err;
	struct store *s;
	if (store_open(path, NULL, BENCH_PASSPHRASE, strlen(BENCH_PASSPHRASE), 0, &s,
		       &err) != TZ_OK)
		return bench_fail(cause, "store_open %s: %s", path, err.msg);
	*handle = s;
	return 0;
}

static sqlite3 *tz_db(void *handle)
{
	return store_db(handle);
}

static int tz_begin(void *handle, char **cause)
{
	struct tz_error err;
	if (store_tx_begin(handle, &err) != TZ_OK)
		return bench_fail(cause, "store_tx_begin: %s", err.msg);
	return 0;
}

static int tz_commit(void *handle, char **cause)
{
	struct tz_error err;
	if (store_tx_commit(handle, &err) != TZ_OK)
		return bench_fail(cause, "store_tx_commit: %s", err.msg);
	return 0;
}

static void tz_close(void *handle)
{
	store_close(handle);
}

static const struct bench_engine taizhang_engine = {
	.name = "taizhang",
	.create = tz_create,
	.open = tz_open,
	.db = tz_db,
	.begin = tz_begin,
	.commit = tz_commit,
	.close = tz_close,
};

/* ---- engine: SQLCipher, in a child process ---- */

struct sqlcipher_info {
	char sqlite_version[128];
	char cipher_version[128];
	char kdf[128];
};

/* Run `child --db path <params>` once and read its results (the protocol is in
 * store_sqlcipher.c). Returns 0, or -1 with *cause. */
static int sqlcipher_run(const char *child, const char *path, const struct bench_params *p,
			 struct bench_result *r, struct sqlcipher_info *info, char **cause)
{
	char rows[16], tx_rows[16], lookups[16], seed[24];
	snprintf(rows, sizeof rows, "%d", p->nrows);
	snprintf(tx_rows, sizeof tx_rows, "%d", p->tx_nrows);
	snprintf(lookups, sizeof lookups, "%d", p->nlookups);
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
	char *argv[] = { (char *)child, "--db", (char *)path, "--rows", rows,
			 "--tx-rows", tx_rows, "--lookups", lookups, "--seed", seed, NULL };
	int fds[2];
	if (pipe(fds) != 0)
		return bench_fail(cause, "pipe: %s", strerror(errno));
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return bench_fail(cause, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(child, argv);
		fprintf(stderr, "store: cannot run %s: %s\n", child, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	if (in == NULL) {
		close(fds[0]);
		waitpid(pid, NULL, 0);
		return bench_fail(cause, "fdopen: %s", strerror(errno));
	}
	static const struct {
		const char *key;
		size_t offset;
	} times[] = {
		{ "open", offsetof(struct bench_result, t.open_s) },
		{ "write", offsetof(struct bench_result, t.write_s) },
		{ "warm", offsetof(struct bench_result, t.warm_s) },
		{ "cold", offsetof(struct bench_result, t.cold_s) },
	};
	unsigned seen = 0;
	char line[256], key[32], value[128];
	memset(r, 0, sizeof *r);
	while (fgets(line, sizeof line, in) != NULL) {
		if (sscanf(line, "%31s %127[^\n]", key, value) != 2)
			continue;
		for (size_t k = 0; k < NELEMS(times); k++)
			if (strcmp(key, times[k].key) == 0) {
				*(double *)((char *)r + times[k].offset) = strtod(value, NULL);
				seen |= 1u << k;
			}
		if (strcmp(key, "digest") == 0) {
			r->digest = strtoull(value, NULL, 16);
			seen |= 1u << 4;
		} else if (strcmp(key, "page_nbytes") == 0) {
			r->page_nbytes = atoi(value);
		} else if (strcmp(key, "sqlite_version") == 0) {
			snprintf(info->sqlite_version, sizeof info->sqlite_version, "%s", value);
		} else if (strcmp(key, "cipher_version") == 0) {
			snprintf(info->cipher_version, sizeof info->cipher_version, "%s", value);
		} else if (strcmp(key, "kdf") == 0) {
			snprintf(info->kdf, sizeof info->kdf, "%s", value);
		}
	}
	fclose(in);
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return bench_fail(cause, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return bench_fail(cause, "%s failed (its message is above)", child);
	if (seen != 0x1F)
		return bench_fail(cause, "%s printed incomplete results", child);
	return 0;
}

/* ---- the table ---- */

enum phase { PHASE_OPEN, PHASE_WRITE, PHASE_WARM, PHASE_COLD, NPHASES };
enum engine_ix { PLAIN, TAIZHANG, SQLCIPHER, NENGINES };

/* One line of the table: a phase, where its time is, and its goals. */
static const struct phase_row {
	const char *label;
	size_t offset;        /* in struct bench_times */
	double tz_plain_goal; /* taizhang/plain at most this; 0: no goal */
	int beat_sqlcipher;   /* taizhang/plain below sqlcipher/plain */
} phase_rows[NPHASES] = {
	{ "open (KDF)", offsetof(struct bench_times, open_s), 0, 0 },
	{ "write", offsetof(struct bench_times, write_s), 1.15, 1 },
	{ "warm read", offsetof(struct bench_times, warm_s), 1.15, 1 },
	{ "cold read", offsetof(struct bench_times, cold_s), 2.0, 1 },
};

static double phase_time(const struct bench_times *t, enum phase ph)
{
	return *(const double *)((const char *)t + phase_rows[ph].offset);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double sorted[MAX_RUNS];
	memcpy(sorted, v, (size_t)n * sizeof *v);
	qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
	return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* Print the table of medians med[engine][phase]; returns the number of goals not
 * met, and counts the goals in *ngoals. */
static int print_table(double med[NENGINES][NPHASES], int have_sqlcipher, int *ngoals)
{
	int nnot = 0;
	*ngoals = 0;
	printf("\n%-11s %10s %11s %12s %9s %9s %11s  %s\n", "phase", "plain s", "taizhang s",
	       "sqlcipher s", "tz/plain", "tz/sqlc", "sqlc/plain", "goals");
	for (int ph = 0; ph < NPHASES; ph++) {
		const struct phase_row *row = &phase_rows[ph];
		double p = med[PLAIN][ph], t = med[TAIZHANG][ph], c = med[SQLCIPHER][ph];
		char cs[16] = "-", tc[16] = "-", cp[16] = "-";
		if (have_sqlcipher) {
			snprintf(cs, sizeof cs, "%.4f", c);
			snprintf(tc, sizeof tc, "%.2f", t / c);
			snprintf(cp, sizeof cp, "%.2f", c / p);
		}
		printf("%-11s %10.4f %11.4f %12s %9.2f %9s %11s  ", row->label, p, t, cs,
		       t / p, tc, cp);
		if (row->tz_plain_goal == 0 && !row->beat_sqlcipher)
			printf("(timed apart; no goal)");
		if (row->tz_plain_goal > 0) {
			int met = t / p <= row->tz_plain_goal;
			printf("tz/plain <= %.2f %s", row->tz_plain_goal, met ? "met" : "NOT MET");
			nnot += !met;
			++*ngoals;
		}
		if (row->beat_sqlcipher) {
			if (have_sqlcipher) {
				int met = t / p < c / p;
				printf("; tz/plain < sqlc/plain %s", met ? "met" : "NOT MET");
				nnot += !met;
				++*ngoals;
			} else {
				printf("; tz/plain < sqlc/plain (no SQLCipher)");
			}
		}
		printf("\n");
	}
	return nnot;
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: store [--runs N] [--sqlcipher PATH] [--plain-like-store] [--only ENGINE]\n"
		"             [--rows N] [--tx-rows N] [--lookups N] [--seed N]\n"
		"  --runs N            runs per engine, median reported (default 3)\n"
		"  --sqlcipher PATH    the store-sqlcipher binary; without it SQLCipher is left out\n"
		"  --plain-like-store  plain SQLite also runs the store's non-storage pragmas\n"
		"  --only ENGINE       run only plain, taizhang or sqlcipher (for profiling): no table\n"
		"  --rows etc.         change the workload (for quick tries only)\n");
}

int main(int argc, char **argv)
{
	struct bench_params p = {
		.seed = BENCH_SEED, .nrows = BENCH_NROWS, .tx_nrows = BENCH_TX_NROWS,
		.nlookups = BENCH_NLOOKUPS,
	};
	int nruns = 3;
	const char *sqlcipher = NULL, *only = NULL;
	char *cause = NULL;
	for (int i = 1; i < argc; i++) {
		int k = bench_parse_param(argc, argv, &i, &p, &cause);
		if (k < 0) {
			fprintf(stderr, "store: %s\n", cause);
			return 2;
		}
		if (k > 0)
			continue;
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			nruns = atoi(argv[++i]);
			if (nruns < 1 || nruns > MAX_RUNS) {
				fprintf(stderr, "store: --runs must be 1..%d\n", MAX_RUNS);
				return 2;
			}
		} else if (strcmp(argv[i], "--sqlcipher") == 0 && i + 1 < argc) {
			sqlcipher = argv[++i];
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			only = argv[++i];
			if (strcmp(only, "plain") != 0 && strcmp(only, "taizhang") != 0 &&
			    strcmp(only, "sqlcipher") != 0) {
				usage();
				return 2;
			}
		} else if (strcmp(argv[i], "--plain-like-store") == 0) {
			plain_like_store = 1;
		} else {
			usage();
			return 2;
		}
	}
	if (only != NULL && strcmp(only, "sqlcipher") == 0 && sqlcipher == NULL) {
		fprintf(stderr, "store: --only sqlcipher needs --sqlcipher PATH\n");
		return 2;
	}
	if (sqlcipher != NULL && access(sqlcipher, X_OK) != 0) {
		fprintf(stderr, "store: %s: %s\n", sqlcipher, strerror(errno));
		return 2;
	}

	struct bench_data *d = bench_data_new(&p, &cause);
	if (d == NULL) {
		fprintf(stderr, "store: %s\n", cause);
		return 2;
	}
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/taizhang-bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "store: cannot make a directory %s: %s\n", dir, strerror(errno));
		bench_data_free(d);
		return 2;
	}

	int ntx = (p.nrows + p.tx_nrows - 1) / p.tx_nrows;
	printf("bench/store: %d member rows inserted in %d transactions of %d; "
	       "%d lookups by idcard + 1 GROUP BY aggregate per read phase; "
	       "median of %d run%s per engine\n",
	       p.nrows, ntx, p.tx_nrows, p.nlookups, nruns, nruns == 1 ? "" : "s");
	printf("all engines: journal_mode=DELETE, synchronous=FULL, temp_store=MEMORY, "
	       "cache_size=-16384 (16 MiB)%s\n",
	       plain_like_store ? "; plain also runs secure_delete, foreign_keys, "
				  "trusted_schema=OFF, cell_size_check" : "");
	printf("files in %s (removed at the end); cold = new connection with an empty "
	       "SQLite page cache, the OS page cache probably still holds the file\n\n", dir);

	const struct bench_engine *const local[] = { &plain_engine, &taizhang_engine };
	struct bench_result res[NENGINES][MAX_RUNS];
	struct sqlcipher_info info = { "", "", "" };
	int have_sqlcipher = sqlcipher != NULL, sqlcipher_failed = 0, failed = 0;
	for (int run = 0; run < nruns && !failed; run++) {
		for (int e = 0; e < NENGINES && !failed; e++) {
			if (e == SQLCIPHER && !have_sqlcipher)
				continue;
			const char *name = e == SQLCIPHER ? "sqlcipher" : local[e]->name;
			if (only != NULL && strcmp(only, name) != 0)
				continue;
			char path[4200], pair_path[4200];
			snprintf(path, sizeof path, "%s/%s.db", dir, name);
			int rc;
			if (e == SQLCIPHER) {
				rc = sqlcipher_run(sqlcipher, path, &p, &res[e][run], &info, &cause);
			} else if (only != NULL) {
				rc = bench_run(local[e], path, d, &res[e][run], &cause);
			} else if (e == PLAIN) {
				/* plain and taizhang write in turns (bench_run_pair) */
				snprintf(pair_path, sizeof pair_path, "%s/%s.db", dir,
					 local[TAIZHANG]->name);
				const char *const paths[2] = { path, pair_path };
				struct bench_result pair[2];
				rc = bench_run_pair(local, paths, d, pair, &cause);
				res[PLAIN][run] = pair[0];
				res[TAIZHANG][run] = pair[1];
			} else {
				rc = 0; /* taizhang ran with plain */
			}
			if (rc != 0) {
				fprintf(stderr, "store: %s: %s\n", name, cause);
				free(cause);
				cause = NULL;
				if (e == SQLCIPHER) /* go on without it, but exit 1 */
					have_sqlcipher = 0, sqlcipher_failed = 1;
				else
					failed = 1;
				continue;
			}
			const struct bench_times *t = &res[e][run].t;
			printf("run %d/%d  %-9s  open %8.4f  write %8.4f  warm %8.4f  cold %8.4f\n",
			       run + 1, nruns, name, t->open_s, t->write_s, t->warm_s, t->cold_s);
			fflush(stdout);
			if (only == NULL && res[e][run].digest != res[PLAIN][run].digest) {
				fprintf(stderr, "store: %s answered differently from plain SQLite\n",
					name);
				failed = 1;
			}
		}
	}
	rmdir(dir);
	bench_data_free(d);
	if (failed)
		return 1;
	if (only != NULL)
		return sqlcipher_failed;

	printf("\nengines:\n");
	printf("  plain      SQLite %s, page %d B\n", sqlite3_libversion(),
	       res[PLAIN][0].page_nbytes);
	printf("  taizhang   SQLite %s + taizhang VFS (XChaCha20-Poly1305 per page), "
	       "page %d B of which 40 reserved; Argon2id MODERATE\n",
	       sqlite3_libversion(), res[TAIZHANG][0].page_nbytes);
	if (have_sqlcipher)
		printf("  sqlcipher  SQLCipher %s (SQLite %s) default settings, page %d B; %s\n",
		       info.cipher_version, info.sqlite_version, res[SQLCIPHER][0].page_nbytes,
		       info.kdf);
	else
		printf("  sqlcipher  %s: its columns are left out\n",
		       sqlcipher_failed ? "its run failed (see above)"
					: "not available (libsqlcipher-dev is not installed)");

	double med[NENGINES][NPHASES] = { { 0 } };
	for (int e = 0; e < NENGINES; e++) {
		if (e == SQLCIPHER && !have_sqlcipher)
			continue;
		for (int ph = 0; ph < NPHASES; ph++) {
			double v[MAX_RUNS];
			for (int run = 0; run < nruns; run++)
				v[run] = phase_time(&res[e][run].t, ph);
			med[e][ph] = median(v, nruns);
		}
	}
	int ngoals;
	int nnot = print_table(med, have_sqlcipher, &ngoals);
	printf("\n%d of %d goals met%s (a benchmark: ratios within this run, never a "
	       "pass/fail)\n", ngoals - nnot, ngoals,
	       have_sqlcipher ? "" : "; the SQLCipher goals could not be judged");
	return sqlcipher_failed;
}
