/*
 * check.c — how long the precision checks (`taizhang check`) take on a large
 * village: a generated demo village of 5,000 registered households (about 16,000
 * members and every ledger the demo fills), checked five times; the median is
 * printed, with the ratio to a baseline measured in the same run on the same
 * store: one full read of the households and members tables (every column of
 * every row), which no check can beat by much and which any machine's speed
 * moves the same way. Goal (issue 3): the check under 1 second.
 *
 *   out/check [--households N] [--runs N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "taizhang/demo.h"
#include "taizhang/rules.h"
#include "taizhang/store.h"
#include "clock.h"
#include "setting.h"

/* Read every column of every row of table; returns the number of rows. */
static long scan(struct store *s, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	long rows = 0;
	size_t bytes = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++)
			bytes += (size_t)sqlite3_column_bytes(st, i);
		rows++;
	}
	sqlite3_finalize(st);
	return bytes > 0 ? rows : -1;
}

int main(int argc, char **argv)
{
	unsigned households = 5000;
	int runs = 5;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--households") == 0)
			households = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
	}
	if (runs < 1 || runs > 99 || households < 1)
		return bench_usage("check [--households N] [--runs N]");
	char dir[] = "/tmp/taizhang-bench-check.XXXXXX";
	if (bench_start(dir) != 0)
		return 1;
	char path[sizeof dir + 16];
	snprintf(path, sizeof path, "%s/v.tzs", dir);
	struct store_identity id = { STORE_KIND_VILLAGE, "341522104201", "示范村" };
	struct store *s;
	struct tz_error err;
	double t0 = bench_now();
	int rc = store_create(path, &id, "bench", "bench passphrase", 16, KDF_COST_MIN, &s, &err);
	struct demo_options o = { .households = households, .seed = 1, .today = NULL };
	if (rc == TZ_OK)
		rc = demo_populate(s, &o, &err);
	if (rc != TZ_OK)
		return bench_failed("check", &err);
	double populate = bench_now() - t0;

	double base[99], check[99];
	size_t nfindings = 0;
	long rows = 0;
	for (int r = 0; r < runs; r++) {
		double a = bench_now();
		rows = scan(s, "households") + scan(s, "members");
		base[r] = bench_now() - a;
		struct findings f = { 0 };
		a = bench_now();
		rc = rules_check(s, NULL, &f, &err);
		check[r] = bench_now() - a;
		nfindings = f.n;
		findings_free(&f);
		if (rc != TZ_OK)
			return bench_failed("check", &err);
	}
	store_close(s);
	unlink(path);
	rmdir(dir);
	double mb = bench_median(base, runs), mc = bench_median(check, runs);
	printf("bench/check: demo village of %u households (%ld household and member rows),"
	       " populated in %.2f s; median of %d runs, as of 2019-04-20\n",
	       households, rows, populate, runs);
	printf("  baseline: read every row of households and members  %.4f s\n", mb);
	printf("  taizhang check (every rule, %zu findings)             %.4f s\n", nfindings, mc);
	printf("  check / baseline                                      %.2f\n", mc / mb);
	printf("  goal: check under 1 s for 5,000 households: %s\n",
	       households == 5000 ? (mc < 1.0 ? "met" : "NOT MET") : "(not 5,000 households)");
	return 0;
}
