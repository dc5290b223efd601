/*
 * report.c — how long the township report takes (issue 6): a town store
 * holding 30 demo villages of 1,000 registered households each (seeds 1..30,
 * written as sync would leave them: demo_options.village_code), then
 * report_build_town for the whole year to 2019-04-20, RUNS times; the median
 * is printed with the goal (under 2 s) and, for scale, the precision checks
 * alone on the same store (rules_check: the report runs them once for the
 * town) and the time to write the report as .xlsx. Generating the villages is
 * not timed (it takes a minute or two), nor is opening the store.
 *
 *   out/report [--villages N] [--households N] [--runs N] [--store FILE]
 *
 * --store FILE keeps the generated town in FILE (passphrase "bench passphrase")
 * and reuses it when it is already there, for repeated runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "taizhang/demo.h"
#include "taizhang/report.h"
#include "taizhang/rules.h"
#include "taizhang/store.h"
#include "clock.h"
#include "setting.h"

#define TOWN_CODE "341522104000"
#define PASSPHRASE "bench passphrase"
#define TODAY "2019-04-20"

/* A new town store at path with nvillages demo villages. */
static int populate(const char *path, unsigned nvillages, unsigned households, struct store **out,
		    struct tz_error *err)
{
	struct store_identity id = { STORE_KIND_TOWN, TOWN_CODE, "示范镇" };
	int rc = store_create(path, &id, "bench", PASSPHRASE, strlen(PASSPHRASE), KDF_COST_MIN, out,
			      err);
	for (unsigned i = 0; rc == TZ_OK && i < nvillages; i++) {
		char code[13];
		struct demo_options o = { .households = households, .seed = 1 + i, .today = TODAY,
					  .village_code = code };
		rc = demo_town_village(TOWN_CODE, i, code, &o.village_name, err);
		if (rc == TZ_OK)
			rc = demo_populate(*out, &o, err);
		fprintf(stderr, "\rbench/report: generating village %u of %u", i + 1, nvillages);
	}
	fprintf(stderr, "\n");
	return rc;
}

int main(int argc, char **argv)
{
	unsigned nvillages = 30, households = 1000;
	int runs = 3;
	const char *keep = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--villages") == 0)
			nvillages = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--households") == 0)
			households = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--store") == 0)
			keep = argv[i + 1];
	}
	if (runs < 1 || runs > 99 || households < 1 || nvillages < 1 ||
	    nvillages > DEMO_TOWN_MAX_VILLAGES)
		return bench_usage("report [--villages N] [--households N] [--runs N] [--store FILE]");
	setenv("TAIZHANG_TODAY", TODAY, 1);
	char dir[] = "/tmp/taizhang-bench-report.XXXXXX";
	char path[sizeof dir + 16];
	if (keep == NULL) {
		if (mkdtemp(dir) == NULL)
			return 1;
		snprintf(path, sizeof path, "%s/town.tzs", dir);
	}
	const char *file = keep != NULL ? keep : path;
	struct store *s;
	struct tz_error err;
	double t0 = bench_now();
	int rc;
	if (keep != NULL && access(keep, F_OK) == 0)
		rc = store_open(keep, NULL, PASSPHRASE, strlen(PASSPHRASE), 0, &s, &err);
	else
		rc = populate(file, nvillages, households, &s, &err);
	if (rc != TZ_OK)
		return bench_failed("report", &err);
	double populate_s = bench_now() - t0;

	double build[99], check[99], xlsx[99];
	size_t nsections = 0, nfindings = 0, nv = 0;
	char out_path[sizeof dir + 32];
	snprintf(out_path, sizeof out_path, "%s/town.xlsx", keep != NULL ? "/tmp" : dir);
	for (int r = 0; r < runs; r++) {
		struct findings f = { 0 };
		double a = bench_now();
		rc = rules_check(s, &(struct rules_options){ .as_of = TODAY }, &f, &err);
		check[r] = bench_now() - a;
		nfindings = f.n;
		findings_free(&f);
		struct report rep;
		a = bench_now();
		if (rc == TZ_OK)
			rc = report_build_town(s, &(struct report_options){ .to = TODAY }, &rep, &err);
		build[r] = bench_now() - a;
		nsections = rep.nsections;
		nv = rep.nvillages;
		a = bench_now();
		if (rc == TZ_OK)
			rc = report_write(&rep, out_path, &err);
		xlsx[r] = bench_now() - a;
		report_free(&rep);
		if (rc != TZ_OK)
			return bench_failed("report", &err);
	}
	store_close(s);
	unlink(out_path);
	if (keep == NULL) {
		unlink(path);
		rmdir(dir);
	}
	double mb = bench_median(build, runs), mc = bench_median(check, runs), mx = bench_median(xlsx, runs);
	printf("bench/report: town of %zu villages x %u households, %s in %.1f s (not timed);"
	       " median of %d runs, 2019-01-01 to %s\n",
	       nv, households, keep != NULL && populate_s < 5 ? "opened" : "generated", populate_s,
	       runs, TODAY);
	printf("  township report built (%zu sections)       %.3f s\n", nsections, mb);
	printf("    of which the precision checks, alone     %.3f s  (%zu findings)\n", mc, nfindings);
	printf("  written as .xlsx (not in the goal)         %.3f s\n", mx);
	printf("  goal: township report under 2 s for 30 villages x 1,000 households: %s\n",
	       nv == 30 && households == 1000 ? (mb < 2.0 ? "met" : "NOT MET")
					      : "(not 30 x 1,000)");
	return 0;
}
