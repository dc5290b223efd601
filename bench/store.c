/*
 * store.c — bench/store: what the encrypted store costs, measured against plain
 * SQLite and against the encrypting SQLites a user might pick instead, in one run.
 *
 * It runs the workload of workload.c (a 50,000-row members table: bulk insert in
 * 500 transactions of 100 rows, 20,000 point lookups by ID card number and a
 * grouped aggregate on a warm connection, the same reads after a reopen) on every
 * engine, in rounds: each round runs plain and taizhang together
 * (bench_run_pair: their write transactions take turns), then each anchor, the
 * order of the units turning by one from one round to the next, so that a slow
 * spell of the machine falls on all of them alike. It prints the median seconds
 * of each phase, the ratios of the medians with the spread of the rounds' own
 * ratios, and the project's goals:
 *
 *   taizhang/plain <= 1.05 in write, warm read and cold read, and
 *   taizhang/anchor < 1 in those phases, for every anchor.
 *
 * Engines:
 *   plain      the system SQLite with the store's storage pragmas
 *              (BENCH_STORAGE_PRAGMAS). It runs in this process, after
 *              store_library_init, so it gets the same process-wide SQLite
 *              configuration as the store: taizhang/plain measures the cipher and
 *              the VFS shim, not a configuration. (--plain-like-store adds the
 *              store's other pragmas, secure_delete, foreign_keys,
 *              trusted_schema and cell_size_check.)
 *   taizhang   the product: store_create (Argon2id MODERATE for the slot),
 *              writes through store_tx_begin / store_tx_commit, reopen with
 *              store_open, which runs the Argon2id derivation.
 *   anchors    --anchor NAME=PATH, repeatable: bench/out/store-NAME
 *              (store_anchor.c), built against an encrypting SQLite's own
 *              amalgamation and run as a child process once per round (its
 *              symbols clash with the system SQLite's). Each child reports two
 *              engines: NAME (keyed, the library's default cipher settings) and
 *              NAME's own SQLite unkeyed, so that NAME/unkeyed is what its cipher
 *              costs and unkeyed/plain what its SQLite build costs.
 *
 * After each engine's warm phase the database file is looked at on disk
 * (workload.c): taizhang and the keyed anchors must not start with "SQLite format
 * 3" nor show the first rows' ID card numbers in clear; plain and the unkeyed
 * runs must show both (so the look can see clear text when it is there).
 *
 * Opening (key derivation for the encrypted engines) is timed and printed on its
 * own line, never inside a phase. Database files live in a new directory under
 * $TMPDIR (or /tmp), removed at the end. The cold phase starts with an empty
 * SQLite page cache; the operating system's page cache still holds the file, so
 * "cold" measures decryption and SQLite's own work, not the disk.
 *
 * What it deliberately is not: a test. A goal not met is printed as "NOT MET" and
 * the exit status stays 0; only an engine that fails, answers wrongly or leaves
 * its file in clear makes it exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine_sqlite.h"
#include "taizhang/page_cipher.h"
#include "taizhang/store.h"
#include "workload.h"

#define MAX_RUNS 15
#define MAX_ANCHORS 3

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

/* ---- anchors, in child processes ---- */

/* An anchor given with --anchor NAME=PATH, and what its child said about itself. */
struct anchor {
	const char *name;
	const char *path;
	char sqlite_version[64];
	char cipher_version[96];
	char cipher[512];
};

/* One "key value" line of an anchor's output into r[0] (keyed) or r[1]
 * (unkeyed), or a; *seen gets a bit per value that must be there. */
static void anchor_line(const char *key, const char *value, struct bench_result r[2],
			struct anchor *a, unsigned *seen)
{
	static const struct bench_field times[] = {
		{ "open", offsetof(struct bench_result, t.open_s) },
		{ "write", offsetof(struct bench_result, t.write_s) },
		{ "warm", offsetof(struct bench_result, t.warm_s) },
		{ "cold", offsetof(struct bench_result, t.cold_s) },
	};
	static const struct bench_field ints[] = {
		{ "page_nbytes", offsetof(struct bench_result, page_nbytes) },
		{ "sqlite_header", offsetof(struct bench_result, sqlite_header) },
		{ "plaintext", offsetof(struct bench_result, plaintext) },
		{ "warm_misses", offsetof(struct bench_result, warm_misses) },
		{ "cold_misses", offsetof(struct bench_result, cold_misses) },
	};
	static const struct {
		const char *key;
		size_t offset, nbytes;
	} texts[] = {
		{ "sqlite_version", offsetof(struct anchor, sqlite_version),
		  sizeof a->sqlite_version },
		{ "cipher_version", offsetof(struct anchor, cipher_version),
		  sizeof a->cipher_version },
		{ "cipher", offsetof(struct anchor, cipher), sizeof a->cipher },
	};
	for (size_t k = 0; k < NELEMS(texts); k++)
		if (strcmp(key, texts[k].key) == 0)
			snprintf((char *)a + texts[k].offset, texts[k].nbytes, "%s", value);
	int e = strncmp(key, "keyed.", 6) == 0 ? 0 : strncmp(key, "unkeyed.", 8) == 0 ? 1 : -1;
	if (e < 0)
		return;
	const char *field = strchr(key, '.') + 1;
	char *rp = (char *)&r[e];
	for (size_t k = 0; k < NELEMS(times); k++)
		if (strcmp(field, times[k].name) == 0) {
			*(double *)(rp + times[k].offset) = strtod(value, NULL);
			*seen |= 1u << (16 * e + k);
		}
	for (size_t k = 0; k < NELEMS(ints); k++)
		if (strcmp(field, ints[k].name) == 0) {
			*(int *)(rp + ints[k].offset) = atoi(value);
			*seen |= 1u << (16 * e + 4 + k);
		}
	if (strcmp(field, "digest") == 0) {
		r[e].digest = strtoull(value, NULL, 16);
		*seen |= 1u << (16 * e + 9);
	}
}

/* Run anchor a's child once on a database in dir and read its results into r[0]
 * (keyed) and r[1] (unkeyed) (the protocol is in store_anchor.c). Returns 0, or
 * -1 with *cause. */
static int anchor_run(struct anchor *a, const char *dir, const struct bench_params *p,
		      struct bench_result r[2], char **cause)
{
	char path[4200], rows[16], tx_rows[16], lookups[16], seed[24];
	snprintf(path, sizeof path, "%s/%s.db", dir, a->name);
	snprintf(rows, sizeof rows, "%d", p->nrows);
	snprintf(tx_rows, sizeof tx_rows, "%d", p->tx_nrows);
	snprintf(lookups, sizeof lookups, "%d", p->nlookups);
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
	char *argv[] = { (char *)a->path, "--db", path, "--rows", rows, "--tx-rows", tx_rows,
			 "--lookups", lookups, "--seed", seed, NULL };
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
		execv(a->path, argv);
		fprintf(stderr, "store: cannot run %s: %s\n", a->path, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	FILE *in = fdopen(fds[0], "r");
	if (in == NULL) {
		close(fds[0]);
		waitpid(pid, NULL, 0);
		return bench_fail(cause, "fdopen: %s", strerror(errno));
	}
	unsigned seen = 0;
	char line[1024], key[32], value[600];
	memset(r, 0, 2 * sizeof *r);
	while (fgets(line, sizeof line, in) != NULL)
		if (sscanf(line, "%31s %599[^\n]", key, value) == 2)
			anchor_line(key, value, r, a, &seen);
	fclose(in);
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return bench_fail(cause, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return bench_fail(cause, "%s failed (its message is above)", a->path);
	if (seen != 0x03FF03FFu) /* 10 values for each of the 2 engines */
		return bench_fail(cause, "%s printed incomplete results", a->path);
	return 0;
}

/* ---- the engines of a run ---- */

enum phase { PHASE_OPEN, PHASE_WRITE, PHASE_WARM, PHASE_COLD, NPHASES };

/* Engine indexes: plain, taizhang, then anchor a keyed at ANCHOR_KEYED(a) and its
 * own SQLite unkeyed just after. */
enum { PLAIN, TAIZHANG };
#define ANCHOR_KEYED(a) (2 + 2 * (a))
#define ANCHOR_UNKEYED(a) (3 + 2 * (a))
#define NENGINES ANCHOR_KEYED(MAX_ANCHORS)

struct run_table {
	int nanchors;
	struct anchor anchors[MAX_ANCHORS];
	int nruns;
	struct bench_result res[NENGINES][MAX_RUNS];
	char names[NENGINES][48];
};

static const char *const phase_labels[NPHASES] = { "open (KDF)", "write", "warm read",
						   "cold read" };

static double phase_time(const struct bench_result *r, enum phase ph)
{
	switch (ph) {
	case PHASE_OPEN:
		return r->t.open_s;
	case PHASE_WRITE:
		return r->t.write_s;
	case PHASE_WARM:
		return r->t.warm_s;
	default:
		return r->t.cold_s;
	}
}

/* What an engine's file must look like on disk: encrypted or in clear. Returns 0,
 * or -1 with *cause. */
static int check_file_look(const struct run_table *t, int e, int run, char **cause)
{
	const struct bench_result *r = &t->res[e][run];
	int encrypted = e == TAIZHANG || (e >= 2 && e % 2 == 0);
	if (encrypted && (r->sqlite_header || r->plaintext))
		return bench_fail(cause, "%s: its file on disk is not encrypted (%s)", t->names[e],
				  r->plaintext ? "ID card numbers in clear"
					       : "it starts with \"SQLite format 3\"");
	if (!encrypted && !(r->sqlite_header && r->plaintext))
		return bench_fail(cause, "%s: the look at its unencrypted file did not find the "
					 "SQLite header and the ID card numbers: the check is broken",
				  t->names[e]);
	return 0;
}

/* ---- the table ---- */

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

static double engine_median(const struct run_table *t, int e, enum phase ph)
{
	double v[MAX_RUNS];
	for (int run = 0; run < t->nruns; run++)
		v[run] = phase_time(&t->res[e][run], ph);
	return median(v, t->nruns);
}

/* The ratio of engine a's median to b's, printed with the lowest and highest of
 * the rounds' own ratios; returns the ratio of the medians. */
static double print_ratio(const struct run_table *t, int a, int b, enum phase ph)
{
	double lo = 0, hi = 0;
	for (int run = 0; run < t->nruns; run++) {
		double q = phase_time(&t->res[a][run], ph) / phase_time(&t->res[b][run], ph);
		lo = run == 0 || q < lo ? q : lo;
		hi = run == 0 || q > hi ? q : hi;
	}
	double q = engine_median(t, a, ph) / engine_median(t, b, ph);
	printf("  %5.2f [%4.2f-%4.2f]", q, lo, hi);
	return q;
}

/* One line of ratios a/b over the three timed phases; with goal > 0, counts in
 * *nnot the phases whose ratio of medians is not below (strict) or at most goal,
 * and prints which. */
static void ratio_line(const struct run_table *t, const char *label, int a, int b,
		       double goal, int strict, int *ngoals, int *nnot)
{
	printf("%-34s", label);
	char verdicts[128] = "";
	for (int ph = PHASE_WRITE; ph < NPHASES; ph++) {
		double q = print_ratio(t, a, b, ph);
		if (goal > 0) {
			int met = strict ? q < goal : q <= goal;
			++*ngoals;
			*nnot += !met;
			size_t used = strlen(verdicts);
			snprintf(verdicts + used, sizeof verdicts - used, "%s%s", used ? " " : "",
				 met ? "met" : "NOT-MET");
		}
	}
	if (goal > 0)
		printf("  %s %.2f: %s", strict ? "<" : "<=", goal, verdicts);
	printf("\n");
}

/* Print the medians and the ratios; returns the number of goals not met, and
 * counts the goals in *ngoals. */
static int print_table(const struct run_table *t, int *ngoals)
{
	int nengines = ANCHOR_KEYED(t->nanchors), nnot = 0;
	*ngoals = 0;
	printf("\nmedian seconds of %d round%s", t->nruns, t->nruns == 1 ? "" : "s");
	printf("\n%-26s", "");
	for (int ph = 0; ph < NPHASES; ph++)
		printf(" %11s", phase_labels[ph]);
	printf("\n");
	for (int e = 0; e < nengines; e++) {
		printf("%-26s", t->names[e]);
		for (int ph = 0; ph < NPHASES; ph++)
			printf(" %11.4f", engine_median(t, e, ph));
		printf("\n");
	}
	printf("\nratio of the medians [lowest-highest of the rounds' own ratios]\n%-34s",
	       "");
	for (int ph = PHASE_WRITE; ph < NPHASES; ph++)
		printf("  %-17s", phase_labels[ph]);
	printf("  goal (write warm cold)\n");
	ratio_line(t, "taizhang / plain", TAIZHANG, PLAIN, 1.05, 0, ngoals, &nnot);
	for (int a = 0; a < t->nanchors; a++) {
		char label[96];
		snprintf(label, sizeof label, "taizhang / %s", t->names[ANCHOR_KEYED(a)]);
		ratio_line(t, label, TAIZHANG, ANCHOR_KEYED(a), 1.0, 1, ngoals, &nnot);
	}
	for (int a = 0; a < t->nanchors; a++) {
		char label[96];
		snprintf(label, sizeof label, "%s / its SQLite unkeyed", t->names[ANCHOR_KEYED(a)]);
		ratio_line(t, label, ANCHOR_KEYED(a), ANCHOR_UNKEYED(a), 0, 0, ngoals, &nnot);
		snprintf(label, sizeof label, "%s unkeyed / plain", t->names[ANCHOR_KEYED(a)]);
		ratio_line(t, label, ANCHOR_UNKEYED(a), PLAIN, 0, 0, ngoals, &nnot);
	}
	return nnot;
}

static void print_engines(const struct run_table *t)
{
	printf("\nengines:\n");
	printf("  plain      SQLite %s, page %d B, in this process (store_library_init's "
	       "configuration, as the store)\n",
	       sqlite3_libversion(), t->res[PLAIN][0].page_nbytes);
	enum page_cipher cipher = PAGE_CIPHER_XCHACHA20POLY1305; /* as tz_create's store */
	page_cipher_for_new_store(&cipher, NULL);
	printf("  taizhang   SQLite %s + taizhang VFS (%s per page; %s=xchacha20-poly1305 "
	       "for the portable cipher), page %d B of which 40 reserved; Argon2id MODERATE\n",
	       sqlite3_libversion(), page_cipher_name(cipher), PAGE_CIPHER_ENV,
	       t->res[TAIZHANG][0].page_nbytes);
	for (int a = 0; a < t->nanchors; a++) {
		const struct anchor *an = &t->anchors[a];
		printf("  %-10s %s (SQLite %s), default settings, page %d B: %s; unkeyed: "
		       "the same binary without a key\n",
		       an->name, an->cipher_version, an->sqlite_version,
		       t->res[ANCHOR_KEYED(a)][0].page_nbytes, an->cipher);
	}
	if (t->nanchors == 0)
		printf("  (no anchors: `make -C bench anchors` builds SQLCipher 4 and SQLite3 "
		       "Multiple Ciphers when the npm registry is reachable)\n");
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: store [--runs N] [--anchor NAME=PATH]... [--plain-like-store] [--only ENGINE]\n"
		"             [--rows N] [--tx-rows N] [--lookups N] [--seed N]\n"
		"  --runs N            rounds, median reported (default 3)\n"
		"  --anchor NAME=PATH  an anchor's bench binary (bench/out/store-NAME), up to %d\n"
		"  --plain-like-store  plain SQLite also runs the store's non-storage pragmas\n"
		"  --only ENGINE       run only plain or taizhang (for profiling): no table\n"
		"  --rows etc.         change the workload (for quick tries only)\n",
		MAX_ANCHORS);
}

static const char store_only_pragmas[] = /* the rest of store.c's connection_pragmas */
	"PRAGMA secure_delete=ON;"
	"PRAGMA foreign_keys=ON;"
	"PRAGMA trusted_schema=OFF;"
	"PRAGMA cell_size_check=ON;";

/* Parse the command line into p, t and the flags. Returns 0, or the exit status. */
static int parse_args(int argc, char **argv, struct bench_params *p, struct run_table *t,
		      const char **only, int *plain_like_store)
{
	for (int i = 1; i < argc; i++) {
		int k = bench_parse_param(argc, argv, &i, p, "store");
		if (k < 0)
			return 2;
		if (k > 0)
			continue;
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			t->nruns = atoi(argv[++i]);
			if (t->nruns < 1 || t->nruns > MAX_RUNS) {
				fprintf(stderr, "store: --runs must be 1..%d\n", MAX_RUNS);
				return 2;
			}
		} else if (strcmp(argv[i], "--anchor") == 0 && i + 1 < argc) {
			char *spec = argv[++i], *eq = strchr(spec, '=');
			if (eq == NULL || eq == spec || t->nanchors == MAX_ANCHORS ||
			    eq - spec > 30) {
				usage();
				return 2;
			}
			*eq = '\0';
			struct anchor *a = &t->anchors[t->nanchors++];
			a->name = spec;
			a->path = eq + 1;
			if (access(a->path, X_OK) != 0) {
				fprintf(stderr, "store: %s: %s\n", a->path, strerror(errno));
				return 2;
			}
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			*only = argv[++i];
			if (strcmp(*only, "plain") != 0 && strcmp(*only, "taizhang") != 0) {
				usage();
				return 2;
			}
		} else if (strcmp(argv[i], "--plain-like-store") == 0) {
			*plain_like_store = 1;
		} else {
			usage();
			return 2;
		}
	}
	return 0;
}

/* Round run of unit u: 0 is plain and taizhang together, 1 + a is anchor a.
 * Prints the times and checks the answers and the files; returns 0, or -1 with
 * *cause. */
static int run_unit(struct run_table *t, int u, int run, const char *dir,
		    const struct bench_data *d, const struct bench_params *p, char **cause)
{
	int e0 = u == 0 ? PLAIN : ANCHOR_KEYED(u - 1);
	struct bench_result pair[2];
	int rc;
	if (u == 0) {
		const struct bench_engine *const local[2] = { &bench_sqlite_plain,
							      &taizhang_engine };
		char plain_path[4200], tz_path[4200];
		snprintf(plain_path, sizeof plain_path, "%s/plain.db", dir);
		snprintf(tz_path, sizeof tz_path, "%s/taizhang.db", dir);
		const char *const paths[2] = { plain_path, tz_path };
		rc = bench_run_pair(local, paths, d, pair, cause);
	} else {
		rc = anchor_run(&t->anchors[u - 1], dir, p, pair, cause);
	}
	if (rc != 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		int e = e0 + k;
		t->res[e][run] = pair[k];
		const struct bench_times *tm = &pair[k].t;
		printf("round %d/%d  %-20s open %7.4f  write %7.4f  warm %7.4f (%5d pages)  "
		       "cold %7.4f (%5d pages)\n",
		       run + 1, t->nruns, t->names[e], tm->open_s, tm->write_s, tm->warm_s,
		       pair[k].warm_misses, tm->cold_s, pair[k].cold_misses);
		if (check_file_look(t, e, run, cause) != 0)
			return -1;
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_params p = {
		.seed = BENCH_SEED, .nrows = BENCH_NROWS, .tx_nrows = BENCH_TX_NROWS,
		.nlookups = BENCH_NLOOKUPS,
	};
	static struct run_table t = { .nruns = 3 };
	const char *only = NULL;
	/* before anything touches SQLite: plain gets the store's configuration too */
	int configured = store_library_init();
	int plain_like_store = 0;
	int status = parse_args(argc, argv, &p, &t, &only, &plain_like_store);
	if (status != 0)
		return status;
	if (plain_like_store)
		bench_sqlite_set_more_pragmas(store_only_pragmas);
	snprintf(t.names[PLAIN], sizeof t.names[PLAIN], "plain");
	snprintf(t.names[TAIZHANG], sizeof t.names[TAIZHANG], "taizhang");
	for (int a = 0; a < t.nanchors; a++) {
		snprintf(t.names[ANCHOR_KEYED(a)], sizeof t.names[0], "%s", t.anchors[a].name);
		snprintf(t.names[ANCHOR_UNKEYED(a)], sizeof t.names[0], "%s unkeyed",
			 t.anchors[a].name);
	}

	char *cause = NULL;
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

	if (only != NULL) { /* one engine, one run at a time, no table */
		const struct bench_engine *e = strcmp(only, "plain") == 0 ? &bench_sqlite_plain
									  : &taizhang_engine;
		char path[4200];
		snprintf(path, sizeof path, "%s/%s.db", dir, only);
		for (int run = 0; run < t.nruns && status == 0; run++) {
			struct bench_result r;
			if (bench_run(e, path, d, &r, &cause) != 0) {
				fprintf(stderr, "store: %s: %s\n", only, cause);
				status = 1;
			} else {
				printf("run %d/%d  %-9s  open %8.4f  write %8.4f  warm %8.4f  cold %8.4f\n",
				       run + 1, t.nruns, only, r.t.open_s, r.t.write_s, r.t.warm_s,
				       r.t.cold_s);
			}
		}
		rmdir(dir);
		bench_data_free(d);
		return status;
	}

	int ntx = (p.nrows + p.tx_nrows - 1) / p.tx_nrows;
	printf("bench/store: %d member rows inserted in %d transactions of %d; "
	       "%d lookups by idcard + 1 GROUP BY aggregate per read phase; "
	       "median of %d round%s\n",
	       p.nrows, ntx, p.tx_nrows, p.nlookups, t.nruns, t.nruns == 1 ? "" : "s");
	printf("all engines: journal_mode=DELETE, synchronous=FULL, temp_store=MEMORY, "
	       "cache_size=-16384 (16 MiB)%s\n",
	       plain_like_store ? "; plain also runs secure_delete, foreign_keys, "
				  "trusted_schema=OFF, cell_size_check" : "");
	printf("process-wide SQLite configuration (store_library_init, for plain and taizhang "
	       "alike): %s\n",
	       configured ? "in force" : "NOT in force (SQLite was initialised before)");
	printf("files in %s (removed at the end); cold = new connection with an empty "
	       "SQLite page cache, the OS page cache probably still holds the file\n\n", dir);

	int nunits = 1 + t.nanchors;
	for (int run = 0; run < t.nruns && status == 0; run++) {
		for (int k = 0; k < nunits && status == 0; k++) {
			int u = (run + k) % nunits; /* the order turns from round to round */
			if (run_unit(&t, u, run, dir, d, &p, &cause) != 0) {
				fprintf(stderr, "store: %s\n", cause);
				free(cause);
				cause = NULL;
				status = 1;
				break;
			}
		}
		for (int e = 1; e < ANCHOR_KEYED(t.nanchors) && status == 0; e++)
			if (t.res[e][run].digest != t.res[PLAIN][run].digest) {
				fprintf(stderr, "store: %s answered differently from plain SQLite\n",
					t.names[e]);
				status = 1;
			}
	}
	rmdir(dir);
	bench_data_free(d);
	if (status != 0)
		return status;
	print_engines(&t);
	int ngoals;
	int nnot = print_table(&t, &ngoals);
	printf("\n%d of %d goals met (a benchmark: ratios within this run, never a pass/fail)\n",
	       ngoals - nnot, ngoals);
	return 0;
}
