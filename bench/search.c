/*
 * search.c — how long the households screen's search-as-you-type takes on a large
 * village: a generated demo village of 5,000 registered households (about 16,000
 * members), searched the way src/tui/scr_households.c searches it: every
 * keystroke calls browse_households() with the whole text typed so far and a
 * limit of 1,000 rows, and the rows are freed before the next one.
 *
 * The officer types four strings, each taken from the store itself so that they
 * find what a real search finds: a three-character name under the village's
 * most common surname (character by character, as an input method delivers
 * them), eight digits from the middle of a member's ID number (digit by digit),
 * a villager group's name, and a string that matches nothing. The whole typing
 * is done --runs times; the median, 90th percentile and maximum are over every
 * keystroke of every run. The empty query (the list when the screen opens) is
 * timed apart.
 *
 * Baseline, measured in the same run on the same store so that a machine's speed
 * cancels out: one `SELECT count(*) FROM members`, a full scan of the smallest
 * index of members. Goal (issue: search as you type): the median keystroke under
 * 20 ms for 5,000 households. A 120-household village is measured the same way
 * for comparison (--compare 0 leaves it out).
 *
 * It is not a test: slow numbers never fail it. It exits non-zero only when the
 * store errors or a search answers wrongly (a longer prefix finding more
 * households than a shorter one, the empty query not listing every household,
 * a typed string not finding what it was taken from).
 *
 *   out/search [--households N] [--runs N] [--compare N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "taizhang/browse.h"
#include "taizhang/demo.h"
#include "taizhang/store.h"
#include "clock.h"
#include "setting.h"

#define LIST_LIMIT 1000 /* as src/tui/scr_households.c */
#define MAX_RUNS 99
#define NQUERIES 4
#define MAX_KEYS_PER_RUN 64
#define QUERY_NBYTES 64

struct village {
	char dir[64];
	char path[96];
	struct store *s;
	unsigned households;
	long members;
	double populate_s;
};

struct query {
	const char *what;          /* how the officer came by it */
	const char *sql;           /* picks the text from the store */
	int finds;                 /* 1: the whole text must find a household; 0: none */
	char text[QUERY_NBYTES];   /* UTF-8 */
	size_t total;              /* households found by the whole text */
	int nkeys;
};

/* A single name or group, from the data (first by id or name: the same seed gives
 * the same pick). */
static const struct query query_template[NQUERIES] = {
	{ "name under the commonest surname",
	  "SELECT name FROM members WHERE status = 'present' AND length(name) = 3"
	  " AND substr(name, 1, 1) = (SELECT substr(name, 1, 1) FROM members"
	  "  GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) ORDER BY id LIMIT 1",
	  1, "", 0, 0 },
	{ "8 digits of an ID number",
	  "SELECT substr(idcard, 11, 8) FROM members WHERE status = 'present'"
	  " AND substr(idcard, 18, 1) <> 'X' ORDER BY id LIMIT 1",
	  1, "", 0, 0 },
	{ "villager group",
	  "SELECT name FROM villager_groups ORDER BY name LIMIT 1",
	  1, "", 0, 0 },
	{ "matches nothing", NULL, 0, "查无此人", 0, 0 },
};

/* The p-quantile (0 < p <= 1, nearest rank) of v[0..n), n >= 1; sorts v. */
static double quantile(double *v, int n, double p)
{
	bench_sort(v, n);
	int k = (int)(p * n + 0.999999);
	return v[k < 1 ? 0 : k - 1];
}

/* The first column of the first row of sql as text into out (out_nbytes with the
 * NUL), or the count into *count when count is not NULL. Returns 0, or -1 when
 * the statement fails, finds no row, or its text does not fit. */
static int one_value(struct store *s, const char *sql, char *out, size_t out_nbytes, long *count)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "search bench: %s: %s\n", sql, sqlite3_errmsg(store_db(s)));
		return -1;
	}
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (count != NULL) {
			*count = (long)sqlite3_column_int64(st, 0);
			rc = 0;
		} else {
			const unsigned char *v = sqlite3_column_text(st, 0);
			if (v != NULL && (size_t)sqlite3_column_bytes(st, 0) < out_nbytes) {
				memcpy(out, v, (size_t)sqlite3_column_bytes(st, 0) + 1);
				rc = 0;
			}
		}
	}
	sqlite3_finalize(st);
	if (rc != 0)
		fprintf(stderr, "search bench: no usable answer from: %s\n", sql);
	return rc;
}

/* Create and populate a demo village of households households in a new temp dir.
 * Returns 0, or -1 (and prints why) with nothing left behind. */
static int village_create(unsigned households, struct village *v)
{
	memset(v, 0, sizeof *v);
	v->households = households;
	const char *tmp = getenv("TMPDIR");
	snprintf(v->dir, sizeof v->dir, "%s/taizhang-bench-search.XXXXXX",
		 tmp && tmp[0] && strlen(tmp) < 30 ? tmp : "/tmp");
	if (mkdtemp(v->dir) == NULL) {
		perror("search bench: mkdtemp");
		return -1;
	}
	snprintf(v->path, sizeof v->path, "%s/v.tzs", v->dir);
	struct store_identity id = { STORE_KIND_VILLAGE, "341522104201", "示范村" };
	struct tz_error err;
	double t0 = bench_now();
	int rc = store_create(v->path, &id, "bench", "bench passphrase", 16, KDF_COST_MIN, &v->s, &err);
	struct demo_options o = { .households = households, .seed = 1, .today = NULL };
	if (rc == TZ_OK)
		rc = demo_populate(v->s, &o, &err);
	v->populate_s = bench_now() - t0;
	if (rc != TZ_OK) {
		bench_failed("search", &err);
		goto fail;
	}
	if (one_value(v->s, "SELECT count(*) FROM members", NULL, 0, &v->members) != 0)
		goto fail;
	return 0;
fail:
	store_close(v->s);
	v->s = NULL;
	unlink(v->path);
	rmdir(v->dir);
	return -1;
}

static void village_destroy(struct village *v)
{
	store_close(v->s);
	v->s = NULL;
	unlink(v->path);
	rmdir(v->dir);
}

/* One keystroke: browse_households(text) timed, rows freed. Returns 0 with the
 * seconds in *secs and the households found in *total, or -1. */
static int keystroke(struct store *s, const char *text, double *secs, size_t *total)
{
	struct household_row *rows;
	size_t n;
	struct tz_error err;
	double a = bench_now();
	int rc = browse_households(s, text, NULL, LIST_LIMIT, &rows, &n, total, &err);
	free(rows);
	*secs = bench_now() - a;
	if (rc != TZ_OK) {
		fprintf(stderr, "search bench: browse_households(\"%s\"): %s\n", text, err.msg);
		return -1;
	}
	if (n != (*total < LIST_LIMIT ? *total : LIST_LIMIT)) {
		fprintf(stderr, "search bench: \"%s\": %zu rows of %zu found (limit %d)\n", text, n,
			*total, LIST_LIMIT);
		return -1;
	}
	return 0;
}

/* Type q->text character by character (UTF-8), one keystroke per character,
 * appending each keystroke's seconds to keys[*nkeys...]. Returns 0, or -1 on an
 * error or a wrong answer. */
static int type_query(struct store *s, struct query *q, double *keys, int *nkeys)
{
	char prefix[QUERY_NBYTES];
	size_t last_total = (size_t)-1;
	q->nkeys = 0;
	for (size_t i = 0; q->text[i] != '\0';) {
		do
			i++;
		while (((unsigned char)q->text[i] & 0xC0) == 0x80);
		memcpy(prefix, q->text, i);
		prefix[i] = '\0';
		double secs;
		size_t total;
		if (keystroke(s, prefix, &secs, &total) != 0)
			return -1;
		if (total > last_total) {
			fprintf(stderr, "search bench: \"%s\" finds %zu households, its prefix only %zu\n",
				prefix, total, last_total);
			return -1;
		}
		last_total = total;
		keys[(*nkeys)++] = secs;
		q->nkeys++;
	}
	q->total = last_total;
	if (q->finds ? q->total == 0 : q->total != 0) {
		fprintf(stderr, "search bench: \"%s\" (%s) finds %zu households\n", q->text, q->what,
			q->total);
		return -1;
	}
	return 0;
}

struct result {
	double key_median, key_p90, key_max;
	int nkeys;
	double empty_median;  /* the empty query */
	double base_median;   /* SELECT count(*) FROM members */
	size_t empty_total;
	struct query q[NQUERIES];
	double q_median[NQUERIES];
};

/* The whole measurement on v: runs typings of every query, runs empty queries,
 * runs baselines, interleaved. Returns 0, or -1. */
static int measure(struct village *v, int runs, struct result *r)
{
	static double keys[MAX_RUNS * MAX_KEYS_PER_RUN];
	static double per_query[NQUERIES][MAX_RUNS * MAX_KEYS_PER_RUN];
	double empty[MAX_RUNS], base[MAX_RUNS];
	int nper[NQUERIES] = { 0 };
	memset(r, 0, sizeof *r);
	memcpy(r->q, query_template, sizeof r->q);
	for (int i = 0; i < NQUERIES; i++) {
		if (r->q[i].sql != NULL &&
		    one_value(v->s, r->q[i].sql, r->q[i].text, sizeof r->q[i].text, NULL) != 0)
			return -1;
		size_t nchars = 0;
		for (const char *p = r->q[i].text; *p; p++)
			nchars += ((unsigned char)*p & 0xC0) != 0x80;
		if (nchars == 0 || nchars > MAX_KEYS_PER_RUN / NQUERIES) {
			fprintf(stderr, "search bench: query \"%s\" has %zu characters\n", r->q[i].text,
				nchars);
			return -1;
		}
	}
	long households;
	if (one_value(v->s, "SELECT count(*) FROM households", NULL, 0, &households) != 0)
		return -1;

	int nkeys = 0;
	for (int run = 0; run < runs; run++) {
		long members;
		double a = bench_now();
		if (one_value(v->s, "SELECT count(*) FROM members", NULL, 0, &members) != 0)
			return -1;
		base[run] = bench_now() - a;

		if (keystroke(v->s, "", &empty[run], &r->empty_total) != 0)
			return -1;
		if (r->empty_total != (size_t)households) {
			fprintf(stderr, "search bench: the empty query lists %zu of %ld households\n",
				r->empty_total, households);
			return -1;
		}
		for (int i = 0; i < NQUERIES; i++) {
			int before = nkeys;
			if (type_query(v->s, &r->q[i], keys, &nkeys) != 0)
				return -1;
			for (int k = before; k < nkeys; k++)
				per_query[i][nper[i]++] = keys[k];
		}
	}
	r->nkeys = nkeys;
	r->key_p90 = quantile(keys, nkeys, 0.9);
	r->key_max = keys[nkeys - 1];
	r->key_median = bench_median(keys, nkeys);
	r->empty_median = bench_median(empty, runs);
	r->base_median = bench_median(base, runs);
	for (int i = 0; i < NQUERIES; i++)
		r->q_median[i] = bench_median(per_query[i], nper[i]);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned households = 5000, compare = 120;
	int runs = 3;
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			goto usage;
		if (strcmp(argv[i], "--households") == 0)
			households = (unsigned)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--compare") == 0)
			compare = (unsigned)atoi(argv[i + 1]);
		else
			goto usage;
	}
	if (runs < 1 || runs > MAX_RUNS || households < 1 || households > 100000 || compare > 100000)
		goto usage;
	setenv("TAIZHANG_TODAY", "2019-04-20", 1);

	struct village v;
	struct result r;
	if (village_create(households, &v) != 0)
		return 1;
	int rc = measure(&v, runs, &r);
	village_destroy(&v);
	if (rc != 0)
		return 1;

	struct village small;
	struct result rs;
	if (compare > 0) {
		if (village_create(compare, &small) != 0)
			return 1;
		rc = measure(&small, runs, &rs);
		village_destroy(&small);
		if (rc != 0)
			return 1;
	}

	printf("bench/search: search as you type (browse_households, limit %d) over a demo village"
	       " of %u households (%ld members), populated in %.2f s; %d run%s, as of 2019-04-20\n",
	       LIST_LIMIT, households, v.members, v.populate_s, runs, runs == 1 ? "" : "s");
	printf("  %-34s %5s %8s %10s  %s\n", "typed", "keys", "found", "median ms", "text");
	for (int i = 0; i < NQUERIES; i++)
		printf("  %-34s %5d %8zu %10.2f  %s\n", r.q[i].what, r.q[i].nkeys, r.q[i].total,
		       r.q_median[i] * 1e3, r.q[i].text);
	printf("  %-34s %5s %8zu %10.2f\n", "empty query (screen opens)", "-", r.empty_total,
	       r.empty_median * 1e3);
	printf("  per keystroke (%d keystrokes): median %.2f ms, 90th percentile %.2f ms, max %.2f ms\n",
	       r.nkeys, r.key_median * 1e3, r.key_p90 * 1e3, r.key_max * 1e3);
	printf("  baseline: SELECT count(*) FROM members              %.3f ms\n", r.base_median * 1e3);
	printf("  median keystroke / baseline                         %.1f\n",
	       r.key_median / r.base_median);
	if (compare > 0)
		printf("  for comparison, %u households (%ld members): median keystroke %.2f ms,"
		       " baseline %.3f ms, ratio %.1f\n",
		       compare, small.members, rs.key_median * 1e3, rs.base_median * 1e3,
		       rs.key_median / rs.base_median);
	printf("  goal: median keystroke under 20 ms: %s\n",
	       households == 5000 ? (r.key_median < 0.020 ? "met" : "NOT MET")
				  : "(not 5,000 households)");
	return 0;
usage:
	fprintf(stderr, "usage: search [--households N] [--runs N] [--compare N]\n");
	return 2;
}
