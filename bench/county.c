/*
 * county.c — bench/county: a town store grown to the size of a county (issue 16:
 * 400,000 households, 40 villages of 10,000) the way a town office grows it, one
 * village's bundle at a time, and what each step of the office's work costs as it
 * grows.
 *
 * For each village i of --villages (codes and names from demo_town_village of
 * the demo town 341522104000): a village store (KDF_COST_MIN) filled by
 * demo_populate (--households, seed 1 + i, TAIZHANG_TODAY=2019-04-20) with
 * change capture on, trusting the town's key and enrolled by the town; its full
 * history exported with sync_export (not timed: generation), then its bundle
 * imported into the town with sync_import (timed) and the village store
 * removed. After the villages named by --at (default: every village count where
 * the town reaches 30,000, 100,000, 200,000 and 400,000 households, and the
 * last), timed with CLOCK_MONOTONIC, on the town store:
 *
 *   check    rules_check as of 2019-04-20 (`taizhang check`)
 *   search   the households screen's search as the officer types:
 *            browse_households (every village) and browse_village_households
 *            (the last village, what a town officer looking at one village gets)
 *            with the text typed so far: a head's name character by character,
 *            then 8 digits from the middle of a member's ID number digit by
 *            digit; the median and the slowest keystroke
 *   report   report_build_town for 2019-01-01 .. 2019-04-20
 *   verify   store_verify on the store opened without SQL (`taizhang verify`):
 *            every page decrypted and authenticated, integrity_check, the audit
 *            chain
 * and the process's peak resident memory so far (getrusage ru_maxrss, which
 * includes the generation of the villages). The import column is the median of
 * the imports of the villages since the previous line, so its growth says
 * whether a village costs more to import into a bigger town.
 *
 * Goals (issue 16), printed beside the figures of the last line: report under
 * 10 s, check under 5 s, search per keystroke under 20 ms (median), memory
 * bounded. Like every bench it exits non-zero only on an error (a bundle not
 * applied, a conflict, a search not finding the household its text came from).
 *
 *   out/county [--villages N (1..40)] [--households N] [--at V1,V2,...]
 *              [--keep FILE] [--snapshots PREFIX]
 *   out/county [--no-verify] [--only check|report|search] [--dump PREFIX] --measure FILE...
 *
 * --snapshots PREFIX only grows the town: at each --at line it copies the
 * town store to PREFIX-<households>.tzs (the last line's copy is the store
 * itself when --keep names it) and prints the import figure, nothing else.
 * --measure FILE... measures stores so grown (or kept), each as one line,
 * with the program as built now (a newer migration is applied on opening and
 * timed apart): growing a county takes hours, measuring it minutes, so the
 * office's work can be measured again after a change without growing it again.
 * --no-verify leaves verify out (0 in its column) where only the others changed.
 * --only check|report|search measures that phase alone (to profile it: e.g. under
 * valgrind --tool=callgrind). --dump PREFIX writes what check and report
 * answered into PREFIX-<households>-check.txt (every finding, a line each) and
 * PREFIX-<households>-report.txt (the report, generated at a fixed time), so
 * that a change of how they work can be shown to leave the answers alone
 * (diff the files of two builds).
 *
 * The full size is `out/county --villages 40 --households 10000` (hours on a
 * 2-core machine: most of it is generating the villages). --keep FILE leaves
 * the town store in FILE (passphrase "bench passphrase", user bench). Files
 * live in $TMPDIR/taizhang-bench-county.XXXXXX (default /tmp), removed at the
 * end.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "taizhang/browse.h"
#include "taizhang/demo.h"
#include "taizhang/report.h"
#include "taizhang/rules.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"
#include "clock.h"

#define TOWN_CODE "341522104000"
#define USER "bench"
#define PASS "bench passphrase"
#define PASS_NBYTES (sizeof PASS - 1)
#define TODAY "2019-04-20"
#define MAX_KEYS 64

static char root[PATH_MAX];
static int no_verify;          /* --no-verify */
static const char *only;       /* --only check|report: that phase alone */
static const char *dump;       /* --dump PREFIX: the answers into files */

/* The process's CPU seconds (every thread: the store's workers too). On a
 * shared machine the wall clock also counts the time others had the cores. */
static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall and CPU seconds of one timed piece. */
struct took {
	double wall, cpu;
};

static struct took since(double wall0, double cpu0)
{
	return (struct took){ bench_now() - wall0, cpu_now() - cpu0 };
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "county bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void ok(int rc, const struct tz_error *err, const char *what)
{
	if (rc != TZ_OK)
		die("%s: %s", what, err->msg);
}

static void path_in(char out[PATH_MAX], const char *name)
{
	if (snprintf(out, PATH_MAX, "%s/%s", root, name) >= PATH_MAX)
		die("path too long");
}

/* ---- one village: generated, exported, its bundle imported by the town ---- */

/* Make village i, export it into bundles/, remove its store; returns the
 * bundle's path in bundle. */
static void make_village(unsigned i, unsigned households, const struct sync_public_key *town_pub,
			 struct store *town, char bundle[PATH_MAX])
{
	struct tz_error err;
	char code[13], path[PATH_MAX], dir[PATH_MAX];
	const char *name;
	ok(demo_town_village(TOWN_CODE, i, code, &name, &err), &err, "village code");
	path_in(path, "village.tzs");
	path_in(dir, "bundles");
	struct store_identity id = { STORE_KIND_VILLAGE, code, name };
	struct store *s;
	ok(store_create(path, &id, USER, PASS, PASS_NBYTES, KDF_COST_MIN, &s, &err), &err,
	   "creating a village store");
	struct demo_options o = { .households = households, .seed = 1 + i, .today = TODAY };
	ok(demo_populate(s, &o, &err), &err, "demo_populate");
	enum sync_change change;
	ok(sync_trust_town(s, town_pub, 0, &change, &err), &err, "trust");
	struct sync_public_key pub;
	ok(sync_keys_public(s, &pub, &err), &err, "village keys");
	ok(sync_enroll(town, &pub, 0, &change, &err), &err, "enroll");
	struct sync_export_result r;
	ok(sync_export(s, dir, &r, &err), &err, "sync_export");
	if (r.nfiles != 1)
		die("the export of %s wrote %zu files", code, r.nfiles);
	snprintf(bundle, PATH_MAX, "%s", r.files[0].path);
	sync_export_result_free(&r);
	store_close(s);
	unlink(path);
}

/* Import one bundle into the town; the time it took. */
static struct took import_bundle(struct store *town, const char *bundle)
{
	struct tz_error err;
	struct sync_import_result r;
	double a = bench_now(), c = cpu_now();
	int rc = sync_import(town, bundle, NULL, NULL, &r, &err);
	struct took took = since(a, c);
	if (rc != TZ_OK || r.nitems != 1 || r.items[0].outcome != SYNC_APPLIED ||
	    r.items[0].conflicts != 0)
		die("importing %s: %s", bundle, r.nitems ? r.items[0].message : err.msg);
	sync_import_result_free(&r);
	unlink(bundle);
	return took;
}

/* ---- the office's work on the town ---- */

struct keystrokes {
	double s[2 * MAX_KEYS], c[2 * MAX_KEYS]; /* wall, CPU */
	int n;
};

/* Type text into the search box one character (UTF-8) at a time; village:
 * NULL for every village. The last prefix must find the household want. */
static void type_text(struct store *s, const char *village, const char *text, const char *want,
		      struct keystrokes *k)
{
	char typed[128];
	size_t len = strlen(text);
	int found = 0;
	for (size_t end = 1; end <= len && end < sizeof typed; end++) {
		if ((text[end] & 0xC0) == 0x80)
			continue; /* inside a character */
		memcpy(typed, text, end);
		typed[end] = '\0';
		struct household_row *rows = NULL;
		size_t n = 0, total = 0;
		struct tz_error err;
		double a = bench_now(), c = cpu_now();
		int rc = village ? browse_village_households(s, village, typed, NULL, 1000, &rows,
							     &n, &total, &err)
				 : browse_households(s, typed, NULL, 1000, &rows, &n, &total, &err);
		if (k->n < 2 * MAX_KEYS) {
			k->s[k->n] = bench_now() - a;
			k->c[k->n++] = cpu_now() - c;
		}
		if (rc != TZ_OK)
			die("search \"%s\": %s", typed, err.msg);
		if (end == len) {
			for (size_t i = 0; i < n; i++)
				found |= strcmp(rows[i].id, want) == 0;
			found |= n < total; /* listed beyond the limit */
		}
		free(rows);
	}
	if (!found)
		die("searching \"%s\" did not find its household", text);
}

/* A head of household's name and 8 digits from the middle of their ID number,
 * from the village, with their household (hh), to type. */
static void pick_texts(struct store *s, const char *village, char name[64], char digits[16],
		       char hh[IDS_NCHARS + 1])
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT m.name, substr(m.idcard, 11, 8), h.id FROM members m"
			       " JOIN households h ON h.id = m.household_id"
			       " WHERE h.village_code = ?1 AND m.relation = 'head'"
			       " AND length(m.idcard) = 18 ORDER BY m.id LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		die("picking a name: %s", sqlite3_errmsg(store_db(s)));
	sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		die("no head of household in %s", village);
	snprintf(name, 64, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(digits, 16, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(hh, IDS_NCHARS + 1, "%s", (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
}

struct line {
	unsigned villages, households;
	struct took import, check, report, verify;
	struct took search_all, search_one; /* medians of the keystrokes */
	double search_all_max, search_one_max; /* the slowest keystroke (wall) */
	long rss_mib;
	double mb;
};

/* Whether the phase named is measured (--only). */
static int phase(const char *name)
{
	return only == NULL || strcmp(only, name) == 0;
}

/* A goal's word: met, NOT MET, or not measured (--only another phase). */
static const char *verdict(int measured, int met)
{
	return !measured ? "not measured" : met ? "met" : "NOT MET";
}

/* --dump: every finding, a line each, into PREFIX-<households>-check.txt. */
static void dump_findings(const struct findings *f, unsigned households)
{
	if (dump == NULL)
		return;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s-%u-check.txt", dump, households);
	FILE *out = fopen(path, "w");
	if (out == NULL)
		die("writing %s: %s", path, strerror(errno));
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->items[i];
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", x->rule->id,
			x->village_code, x->table, x->row_id, x->ref,
			x->household_id ? x->household_id : "-", x->detail, x->area, x->task, x->unit,
			x->unit_name);
	}
	fclose(out);
}

/* The report phase (and its --dump into PREFIX-<households>-report.txt). */
static void measure_phase(struct store **town, struct line *l, struct tz_error *err)
{
	if (!phase("report"))
		return;
	struct report rep;
	double a = bench_now(), c = cpu_now();
	ok(report_build_town(*town, &(struct report_options){ .to = TODAY,
							      .generated_at = "2019-04-20 12:00" },
			     &rep, err),
	   err, "report");
	l->report = since(a, c);
	if (dump != NULL) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s-%u-report.txt", dump, l->households);
		ok(report_write(&rep, path, err), err, "writing the report");
	}
	report_free(&rep);
}

static void measure(struct store **town, const char *path, const char *village, struct line *l)
{
	struct tz_error err;
	double a, c;
	if (phase("check")) {
		struct findings f = { 0 };
		a = bench_now();
		c = cpu_now();
		ok(rules_check(*town, &(struct rules_options){ .as_of = TODAY }, &f, &err), &err,
		   "check");
		l->check = since(a, c);
		dump_findings(&f, l->households);
		findings_free(&f);
	}
	if (only != NULL && !phase("search")) {
		measure_phase(town, l, &err);
		return;
	}

	char name[64], digits[16], hh[IDS_NCHARS + 1];
	pick_texts(*town, village, name, digits, hh);
	struct keystrokes all = { .n = 0 }, one = { .n = 0 };
	type_text(*town, NULL, name, hh, &all);
	type_text(*town, NULL, digits, hh, &all);
	type_text(*town, village, name, hh, &one);
	type_text(*town, village, digits, hh, &one);
	l->search_all = (struct took){ bench_median(all.s, all.n), bench_median(all.c, all.n) };
	l->search_all_max = all.s[all.n - 1];
	l->search_one = (struct took){ bench_median(one.s, one.n), bench_median(one.c, one.n) };
	l->search_one_max = one.s[one.n - 1];
	if (only != NULL)
		return;

	measure_phase(town, l, &err);
	if (!no_verify) {
		store_close(*town);
		struct store *v;
		ok(store_open(path, USER, PASS, PASS_NBYTES, STORE_OPEN_NO_SQL | STORE_OPEN_READONLY, &v,
			      &err),
		   &err, "opening for verify");
		struct store_verify_report vr;
		a = bench_now();
		c = cpu_now();
		int vrc = store_verify(v, &vr, &err);
		if (vrc == TZ_EDAMAGED)
			die("verify: the store is not sound: %u of %u pages do not authenticate"
			    " (the first: page %u), integrity check: %s",
			    vr.nbad, vr.npages, vr.nbad > 0 ? vr.bad[0] : 0, vr.integrity);
		ok(vrc, &err, "verify");
		l->verify = since(a, c);
		store_close(v);
		ok(store_open(path, USER, PASS, PASS_NBYTES, 0, town, &err), &err, "reopening the town");
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	l->rss_mib = ru.ru_maxrss / 1024;
	struct stat sb;
	l->mb = stat(path, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
}

/* ---- main ---- */

/* Copy the closed store src to dst (a snapshot of the growing town). */
static void copy_file(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	if (in == NULL || out == NULL)
		die("copying %s to %s: %s", src, dst, strerror(errno));
	static char buf[1 << 20];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			die("writing %s: %s", dst, strerror(errno));
	if (ferror(in) || fclose(out) != 0)
		die("copying %s: %s", src, strerror(errno));
	fclose(in);
}

static void print_header(void)
{
	printf("  each figure: wall seconds (CPU seconds of the process, its worker threads"
	       " included)\n");
	printf("  households  import/village    check             search every village     "
	       "search one village       report            verify            store   peak RSS\n");
}

static void print_line(const struct line *l)
{
	printf("  %10u  %6.2f (%6.2f) s  %6.2f (%6.2f) s  %6.1f (%5.1f) ms max %6.1f"
	       "  %6.1f (%5.1f) ms max %6.1f  %6.2f (%6.2f) s  %6.2f (%6.2f) s  %5.0f MB  %5ld MiB\n",
	       l->households, l->import.wall, l->import.cpu, l->check.wall, l->check.cpu,
	       1e3 * l->search_all.wall, 1e3 * l->search_all.cpu, 1e3 * l->search_all_max,
	       1e3 * l->search_one.wall, 1e3 * l->search_one.cpu, 1e3 * l->search_one_max,
	       l->report.wall, l->report.cpu, l->verify.wall, l->verify.cpu, l->mb, l->rss_mib);
	fflush(stdout);
}

/* A goal of seconds: met or not by the wall clock (what the officer waits)
 * and by the processor time (less moved by a busy machine, but the sum of
 * both cores' where the program runs two threads). */
static void print_goal(const char *what, int measured, const struct took *t, double goal)
{
	printf("%s under %.0f s: ", what, goal);
	if (!measured) {
		printf("not measured");
		return;
	}
	printf("wall %s (%.2f s), CPU %s (%.2f s)", t->wall < goal ? "met" : "NOT MET", t->wall,
	       t->cpu < goal ? "met" : "NOT MET", t->cpu);
}

static void print_goals(const struct line *l)
{
	printf("  goals at %u households: ", l->households);
	print_goal("report", phase("report"), &l->report, 10);
	printf("; ");
	print_goal("check", phase("check"), &l->check, 5);
	printf("; search per keystroke under 20 ms (median, CPU), every village: %s, one village:"
	       " %s\n",
	       verdict(phase("search"), l->search_all.cpu < 0.020),
	       verdict(phase("search"), l->search_one.cpu < 0.020));
}

/* --measure: each store grown before, measured with the program as it is
 * now; the village searched is the last one (the highest code). */
static int measure_stores(int nfiles, char **files)
{
	printf("bench/county --measure: town stores grown before, measured as built now\n");
	print_header();
	struct line l = { 0 };
	for (int i = 0; i < nfiles; i++) {
		struct tz_error err;
		struct store *town;
		double a = bench_now(), c = cpu_now();
		ok(store_open(files[i], USER, PASS, PASS_NBYTES, 0, &town, &err), &err,
		   "opening the town");
		struct took open = since(a, c);
		sqlite3_stmt *st;
		char code[13] = "";
		if (sqlite3_prepare_v2(store_db(town),
				       "SELECT (SELECT count(*) FROM households),"
				       " (SELECT max(village_code) FROM households)",
				       -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
			die("counting households: %s", sqlite3_errmsg(store_db(town)));
		memset(&l, 0, sizeof l);
		l.households = (unsigned)sqlite3_column_int(st, 0);
		snprintf(code, sizeof code, "%s", (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		printf("  (%s: opened in %.2f (%.2f) s, migrations included)\n", files[i], open.wall,
		       open.cpu);
		measure(&town, files[i], code, &l);
		store_close(town);
		print_line(&l);
	}
	print_goals(&l);
	return 0;
}

static void remove_root(void)
{
	char p[PATH_MAX];
	path_in(p, "bundles");
	rmdir(p);
	path_in(p, "town.tzs");
	unlink(p);
	rmdir(root);
}

static int parse_at(const char *list, unsigned *at, int cap)
{
	int n = 0;
	for (const char *p = list; *p && n < cap; p++) {
		at[n++] = (unsigned)strtoul(p, (char **)&p, 10);
		if (*p != ',')
			break;
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned nvillages = 40, households = 10000, at[DEMO_TOWN_MAX_VILLAGES];
	int nat = 0;
	const char *keep = NULL, *snapshots = NULL;
	for (;;) {
		if (argc > 3 && strcmp(argv[1], "--no-verify") == 0) {
			no_verify = 1;
			argc--;
			argv++;
		} else if (argc > 4 && strcmp(argv[1], "--only") == 0) {
			only = argv[2];
			no_verify = 1;
			argc -= 2;
			argv += 2;
		} else if (argc > 4 && strcmp(argv[1], "--dump") == 0) {
			dump = argv[2];
			argc -= 2;
			argv += 2;
		} else {
			break;
		}
	}
	if (argc > 2 && strcmp(argv[1], "--measure") == 0) {
		setenv("TAIZHANG_TODAY", TODAY, 1);
		store_set_open_hook(sync_capture_attach);
		return measure_stores(argc - 2, argv + 2);
	}
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--snapshots") == 0)
			snapshots = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--villages") == 0)
			nvillages = (unsigned)atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--households") == 0)
			households = (unsigned)atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--at") == 0)
			nat = parse_at(argv[++i], at, DEMO_TOWN_MAX_VILLAGES);
		else if (i + 1 < argc && strcmp(argv[i], "--keep") == 0)
			keep = argv[++i];
		else
			nvillages = 0;
	}
	if (nvillages < 1 || nvillages > DEMO_TOWN_MAX_VILLAGES || households < 1 ||
	    households > 100000) {
		fprintf(stderr, "usage: county [--villages N (1..%d)] [--households N]"
				" [--at V1,V2,...] [--keep FILE] [--snapshots PREFIX]\n"
				"       county [--no-verify] [--only check|report|search] [--dump PREFIX]"
				" --measure FILE...\n",
			DEMO_TOWN_MAX_VILLAGES);
		return 2;
	}
	if (nat == 0) { /* where the town passes 30k, 100k, 200k, 400k households */
		static const unsigned marks[] = { 30000, 100000, 200000, 400000 };
		for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
			unsigned v = (marks[m] + households - 1) / households;
			if (v < nvillages && (nat == 0 || at[nat - 1] != v))
				at[nat++] = v;
		}
		at[nat++] = nvillages;
	}
	setenv("TAIZHANG_TODAY", TODAY, 1);
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof root, "%s/taizhang-bench-county.XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(root) == NULL)
		die("mkdtemp %s: %s", root, strerror(errno));
	atexit(remove_root);
	char bundles[PATH_MAX], path[PATH_MAX];
	path_in(bundles, "bundles");
	if (mkdir(bundles, 0700) != 0)
		die("mkdir %s: %s", bundles, strerror(errno));
	if (keep != NULL)
		snprintf(path, sizeof path, "%s", keep);
	else
		path_in(path, "town.tzs");

	store_set_open_hook(sync_capture_attach); /* as main installs it */
	struct tz_error err;
	struct store_identity tid = { STORE_KIND_TOWN, TOWN_CODE, "示范镇" };
	struct store *town;
	ok(store_create(path, &tid, USER, PASS, PASS_NBYTES, KDF_COST_MIN, &town, &err), &err,
	   "creating the town store");
	struct sync_public_key town_pub;
	ok(sync_keys_public(town, &town_pub, &err), &err, "town keys");

	printf("bench/county: a town grown village by village: %u villages of %u households"
	       " (demo, seeds 1..%u, as of %s)\n",
	       nvillages, households, nvillages, TODAY);
	print_header();
	struct took imports[DEMO_TOWN_MAX_VILLAGES];
	int nimports = 0, next = 0;
	struct line l = { 0 };
	double gen_s = 0;
	for (unsigned i = 0; i < nvillages; i++) {
		char bundle[PATH_MAX], code[13];
		const char *name;
		double g = bench_now();
		make_village(i, households, &town_pub, town, bundle);
		gen_s += bench_now() - g;
		imports[nimports++] = import_bundle(town, bundle);
		if (next >= nat || i + 1 != at[next])
			continue;
		next++;
		ok(demo_town_village(TOWN_CODE, i, code, &name, &err), &err, "village code");
		l.villages = i + 1;
		l.households = (i + 1) * households;
		double w[DEMO_TOWN_MAX_VILLAGES], c[DEMO_TOWN_MAX_VILLAGES];
		for (int k = 0; k < nimports; k++) {
			w[k] = imports[k].wall;
			c[k] = imports[k].cpu;
		}
		l.import = (struct took){ bench_median(w, nimports), bench_median(c, nimports) };
		nimports = 0;
		if (snapshots != NULL) {
			printf("  %10u  %6.2f (%6.2f) s  (generated so far in %.0f s)\n", l.households,
			       l.import.wall, l.import.cpu, gen_s);
			fflush(stdout);
			if (i + 1 == nvillages && keep != NULL)
				continue;
			char snap[PATH_MAX];
			snprintf(snap, sizeof snap, "%s-%u.tzs", snapshots, l.households);
			store_close(town);
			copy_file(path, snap);
			ok(store_open(path, USER, PASS, PASS_NBYTES, 0, &town, &err), &err,
			   "reopening the town");
			continue;
		}
		measure(&town, path, code, &l);
		print_line(&l);
	}
	store_close(town);
	printf("  (%u villages generated and exported in %.0f s, not timed above; import/village:"
	       " median of the villages since the line before)\n",
	       nvillages, gen_s);
	if (snapshots == NULL)
		print_goals(&l);
	if (keep == NULL)
		unlink(path);
	return 0;
}
