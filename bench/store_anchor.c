/*
 * store_anchor.c — bench/out/store-NAME: the workload of workload.c on an
 * encrypting SQLite that a user might pick instead of taizhang (an "anchor":
 * SQLCipher 4, SQLite3 Multiple Ciphers), keyed and unkeyed, one run, for
 * bench/store to compare with.
 *
 * An anchor exports the same sqlite3_* symbols as the system SQLite that
 * libtaizhang links, so the two cannot share a process: this file, workload.c and
 * engine_sqlite.c are compiled once per anchor against the anchor's own
 * amalgamation (fetched and built by `make -C bench anchors`; bench/Makefile),
 * and bench/store runs the result once per round as a child.
 *
 * One run is a pair (bench_run_pair): the keyed engine (PRAGMA key right after
 * opening, the library's default cipher settings) and the unkeyed one (the same
 * binary, no key: the anchor's own SQLite build, with the same storage pragmas as
 * plain SQLite), their write transactions taking turns. keyed/unkeyed is then what
 * the cipher costs, unkeyed/plain what the SQLite build costs. Neither gets any
 * sqlite3_config: a user of the library gets its defaults.
 *
 * Usage: store-NAME --db PATH [--rows N] [--tx-rows N] [--lookups N] [--seed N]
 * (PATH and PATH-unkeyed are created and removed.)
 * Output, one "key value" per line on stdout (the protocol bench/store reads):
 *   sqlite_version, cipher_version, cipher (the settings the library reports);
 *   then for E in keyed, unkeyed: E.page_nbytes, E.open, E.write, E.warm, E.cold
 *   (seconds), E.digest (16 hex digits), E.sqlite_header, E.plaintext (0 or 1),
 *   E.warm_misses, E.cold_misses (pages read; see struct bench_result).
 * Errors: one line on stderr, exit status 1 (2 for a bad command line).
 *
 * What it deliberately is not: a judge. bench/store checks that the keyed file
 * was encrypted and compares the times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine_sqlite.h"
#include "workload.h"

/* The first column of the first row of sql as text, appended to out as
 * " label=value"; nothing when the library does not know the statement. */
static void append_setting(sqlite3 *db, const char *label, const char *sql, char *out,
			   size_t out_nbytes)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	const unsigned char *text = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		text = sqlite3_column_text(st, 0);
	size_t used = strlen(out);
	if (text != NULL && text[0] != '\0' && used < out_nbytes)
		snprintf(out + used, out_nbytes - used, "%s%s=%s", used ? " " : "", label,
			 (const char *)text);
	sqlite3_finalize(st);
}

/* Print what the library says about itself, from a keyed database at path
 * (created and removed). SQLCipher answers the cipher_* pragmas, SQLite3 Multiple
 * Ciphers sqlite3mc_version() and PRAGMA cipher; each ignores the other's. */
static void print_versions(const char *path)
{
	char version[96] = "", settings[512] = "";
	void *h = NULL;
	if (bench_sqlite_keyed.create(path, &h, NULL) == 0) {
		sqlite3 *db = bench_sqlite_keyed.db(h);
		append_setting(db, "v", "PRAGMA cipher_version", version, sizeof version);
		append_setting(db, "v", "SELECT sqlite3mc_version()", version, sizeof version);
		static const char *const pragmas[][2] = {
			{ "cipher", "PRAGMA cipher" },
			{ "kdf_iter", "PRAGMA kdf_iter" },
			{ "kdf", "PRAGMA cipher_kdf_algorithm" },
			{ "hmac", "PRAGMA cipher_hmac_algorithm" },
			{ "page", "PRAGMA cipher_page_size" },
			{ "provider", "PRAGMA cipher_provider" },
			{ "provider_version", "PRAGMA cipher_provider_version" },
		};
		for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++)
			append_setting(db, pragmas[i][0], pragmas[i][1], settings,
				       sizeof settings);
	}
	bench_sqlite_keyed.close(h);
	unlink(path);
	printf("sqlite_version %s\n", sqlite3_libversion());
	printf("cipher_version %s\n", version[0] ? version + 2 : "?");
	printf("cipher %s\n", settings[0] ? settings : "?");
}

static void print_result(const char *engine, const struct bench_result *r)
{
	printf("%s.page_nbytes %d\n", engine, r->page_nbytes);
	printf("%s.open %.9f\n%s.write %.9f\n%s.warm %.9f\n%s.cold %.9f\n", engine,
	       r->t.open_s, engine, r->t.write_s, engine, r->t.warm_s, engine, r->t.cold_s);
	printf("%s.digest %016llx\n", engine, (unsigned long long)r->digest);
	printf("%s.sqlite_header %d\n%s.plaintext %d\n", engine, r->sqlite_header, engine,
	       r->plaintext);
	printf("%s.warm_misses %d\n%s.cold_misses %d\n", engine, r->warm_misses, engine,
	       r->cold_misses);
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
		int k = bench_parse_param(argc, argv, &i, &p, "store-anchor");
		if (k < 0)
			return 2;
		if (k > 0)
			continue;
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else {
			fprintf(stderr, "usage: store-anchor --db PATH [--rows N] "
					"[--tx-rows N] [--lookups N] [--seed N]\n");
			return 2;
		}
	}
	char unkeyed_path[4200], info_path[4200];
	if (path == NULL ||
	    (size_t)snprintf(unkeyed_path, sizeof unkeyed_path, "%s-unkeyed", path) >=
		    sizeof unkeyed_path ||
	    (size_t)snprintf(info_path, sizeof info_path, "%s-info", path) >= sizeof info_path) {
		fprintf(stderr, "store-anchor: --db PATH is required (and not too long)\n");
		return 2;
	}
	struct bench_data *d = bench_data_new(&p, &cause);
	if (d == NULL) {
		fprintf(stderr, "store-anchor: %s\n", cause);
		return 2;
	}
	const struct bench_engine *const engines[2] = { &bench_sqlite_keyed,
							&bench_sqlite_plain };
	const char *const paths[2] = { path, unkeyed_path };
	struct bench_result r[2];
	int rc = bench_run_pair(engines, paths, d, r, &cause);
	bench_data_free(d);
	if (rc != 0) {
		fprintf(stderr, "store-anchor: %s\n", cause);
		free(cause);
		return 1;
	}
	print_versions(info_path);
	print_result("keyed", &r[0]);
	print_result("unkeyed", &r[1]);
	return 0;
}
