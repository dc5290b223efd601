/*
 * demo.c — how long generating a large demo village takes (demo_populate, the
 * `taizhang demo` command): 5,000 registered households into a fresh encrypted
 * store, against a baseline measured in the same run: the same generator for a
 * tenth of the households, times ten. The ratio says whether generating grows
 * faster than the village does (1.0: in proportion); the absolute time moves
 * with the machine. Goal (the old unit test's bound): under 10 s in a release
 * build. Moved here from tests/unit/test_demo.c, which keeps a small village
 * that shows the same behaviour without timing it.
 *
 *   out/demo [--households N] [--runs N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

#include "taizhang/demo.h"
#include "taizhang/store.h"

#include "clock.h"
#include "setting.h"

/* Seconds to create a store in dir and populate it with households; -1 on
 * failure (said on stderr). The store is removed again. */
static double populate(const char *dir, unsigned households)
{
	char path[256];
	snprintf(path, sizeof path, "%s/v.tzs", dir);
	struct store_identity id = { STORE_KIND_VILLAGE, "341522104201", "示范村" };
	struct store *s;
	struct tz_error err;
	if (store_create(path, &id, "bench", "bench passphrase", 16, KDF_COST_MIN, &s, &err) != TZ_OK) {
		bench_failed("demo", &err);
		return -1;
	}
	struct demo_options o = { .households = households, .seed = 1 };
	double t0 = bench_now();
	int rc = demo_populate(s, &o, &err);
	double t = bench_now() - t0;
	store_close(s);
	unlink(path);
	if (rc != TZ_OK) {
		bench_failed("demo", &err);
		return -1;
	}
	return t;
}

int main(int argc, char **argv)
{
	unsigned households = 5000;
	int runs = 3, c;
	static const struct option opts[] = {
		{ "households", required_argument, NULL, 'h' },
		{ "runs", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'h')
			households = (unsigned)atoi(optarg);
		else if (c == 'r')
			runs = atoi(optarg);
		else
			runs = 0;
	}
	if (runs < 1 || runs > 99 || households < 10)
		return bench_usage("demo [--households N (at least 10)] [--runs N]");
	char dir[] = "/tmp/taizhang-bench-demo.XXXXXX";
	if (bench_start(dir) != 0)
		return 1;
	double base[99], full[99];
	for (int r = 0; r < runs; r++) {
		base[r] = populate(dir, households / 10) * 10;
		full[r] = populate(dir, households);
		if (base[r] < 0 || full[r] < 0)
			return 1;
	}
	rmdir(dir);
	double mb = bench_median(base, runs), mf = bench_median(full, runs);
	printf("bench/demo: demo village generated into a fresh store; median of %d runs\n", runs);
	printf("  baseline: %u households, times ten             %.2f s\n", households / 10, mb);
	printf("  %u households                                 %.2f s\n", households, mf);
	printf("  %u / baseline                                 %.2f\n", households, mf / mb);
	printf("  goal: under 10 s for 5,000 households: %s\n",
	       households == 5000 ? (mf < 10.0 ? "met" : "NOT MET") : "(not 5,000 households)");
	return 0;
}
