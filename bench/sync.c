/*
 * sync.c — what sync by USB stick costs (issue 5's benchmark): a demo town
 * (341522104000, 示范镇) of 30 villages (341522104201 .. 341522104230, names and
 * codes from demo_town_village) of 1,000 registered households each, every
 * village store made with demo_populate (seed 1 + its index) with change
 * capture on (sync_capture_attach as the store open hook, as main installs it),
 * so that everything the demo writes is in its outbox; each village trusts the
 * town's key and the town enrols every village device.
 *
 * A year of visits. The demo writes visits in the four full months before
 * today (2019-04-20) and sometimes in this month: December 2018 to April 2019.
 * The bench adds the eight months before (April to November 2018) as the
 * officers would have typed them: each of the four full months' visits again
 * four and eight months earlier (same cadre, household and checklist, the day
 * of the month kept up to the 28th, a new id), only where the cadre's
 * assignment to the household was running on that day; one transaction per
 * month, through store_tx so capture records them. The output says what the
 * visits span either way; --demo-visits-only leaves them as the demo wrote them.
 * Problems are the demo's: 12 per village with their history.
 *
 * Nothing of the data generation is timed. Then, timed with CLOCK_MONOTONIC:
 *
 *  (1) export: sync_export of each village's full history into an empty
 *      folder, the first export of each village (the store closed and opened
 *      again after generation, as `taizhang bundle export` would); the median
 *      over the villages, with the minimum and maximum.
 *  (2) bundle size: the bytes of each village's bundle, per household, and all
 *      of them together.
 *  (3) import: the 30 bundles in one folder, sync_import on the folder, into a
 *      fresh copy of the town store (made once with every village enrolled and
 *      copied before each run, so every run starts from the same state and its
 *      keys are the ones the bundles are encrypted to); median over --runs.
 *  (4) baseline: the same rows into a plain SQLite file (no encryption) with
 *      the same schema and starting content (the town store's own tables and
 *      rows, copied from sqlite_schema and the tables of the town store before
 *      any import), the store's storage pragmas (page_size=4096,
 *      journal_mode=DELETE, synchronous=FULL, temp_store=MEMORY, mmap_size=0,
 *      cache_size=-16384), in one BEGIN ... COMMIT: every village's outbox
 *      changesets (read from sync_outbox through store_db) applied with
 *      sqlite3changeset_apply. The ratio import / baseline, goal at most 1.3
 *      (issue 16), in wall and in CPU seconds.
 *
 * Then where the import's time goes, from sync_import's own clock
 * (sync_import_result.seconds: every moment of the import charged to one
 * phase, so they add up; the bench prints their sum and what is left
 * unattributed), and for comparison the same changesets raw into a copy of
 * the encrypted store (one transaction per bundle, no checks), the plain
 * baseline with one transaction per bundle, and with the store's other
 * pragmas (secure_delete, foreign_keys, trusted_schema=OFF, cell_size_check).
 *
 * It checks what it measures: every bundle applied, no conflict, and the town's
 * row count of every captured table grown by exactly the villages' rows but
 * for the changes set aside as proposals (the plain database's by exactly
 * them); otherwise it exits 1.
 *
 *   out/sync [--villages N] [--households N] [--runs N] [--demo-visits-only]
 *            [--cache-mib N] [--ratio-only]
 *
 * --ratio-only: only the import and the baseline (the ratio and the import's
 * phases), none of the comparisons after them.
 *
 * --cache-mib N gives every timed connection (the town store's and the plain
 * ones) a page cache of N MiB instead of the store's 16 MiB (cache_size=-16384):
 * to see how much of the import is the cache spilling pages of a database
 * far larger than it.
 *
 * Files live in $TMPDIR/taizhang-bench-sync.XXXXXX (default /tmp), removed at
 * the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "taizhang/bundle.h"
#include "taizhang/campaign.h"
#include "taizhang/demo.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"
#include "clock.h"

/* Under valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no,
 * only the timed pieces are instrumented and counted, each into its own dump
 * (named by the piece): the instruction counts of the import and of the
 * baseline in minutes instead of an hour of generating villages under
 * callgrind. Nothing outside valgrind. */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define COUNT_BEGIN()                                                                              \
	do {                                                                                       \
		CALLGRIND_START_INSTRUMENTATION;                                                   \
		CALLGRIND_TOGGLE_COLLECT;                                                          \
	} while (0)
#define COUNT_END(what)                                                                            \
	do {                                                                                       \
		CALLGRIND_TOGGLE_COLLECT;                                                          \
		CALLGRIND_DUMP_STATS_AT(what);                                                     \
		CALLGRIND_STOP_INSTRUMENTATION;                                                    \
	} while (0)
#endif
#endif
#ifndef COUNT_BEGIN
#define COUNT_BEGIN() ((void)0)
#define COUNT_END(what) ((void)(what))
#endif

#define TOWN_CODE "341522104000"
#define TOWN_NAME "示范镇"
#define USER "bench"
#define PASS "bench passphrase"
#define PASS_NBYTES (sizeof PASS - 1)
#define TODAY "2019-04-20"
#define MAX_RUNS 99
#define MAX_TABLES 128

static char root[PATH_MAX]; /* the temporary folder, removed at exit */
static char cache_pragma[64]; /* --cache-mib: "PRAGMA cache_size=-N" for every timed connection */
static int ratio_only; /* --ratio-only: the import and the baseline, no comparisons */

/* ---- small things ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[1024];
	if (n > (int)(sizeof s / sizeof s[0]))
		n = (int)(sizeof s / sizeof s[0]);
	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	if (root[0] != '\0')
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	root[0] = '\0';
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("sync bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	cleanup();
	exit(1);
}

static void path_of(char out[PATH_MAX], const char *fmt, ...)
{
	char name[PATH_MAX / 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	int k = snprintf(out, PATH_MAX, "%s/%s", root, name);
	if (k < 0 || k >= PATH_MAX)
		die("path too long: %s/%s", root, name);
}

/* Copy src to dst (which must not exist) and fsync it, so that the first fsync
 * of a timed phase does not write the whole copy. */
static void copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY);
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (in < 0 || out < 0)
		die("cannot copy %s to %s: %s", src, dst, strerror(errno));
	char buf[1 << 16];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("cannot write %s: %s", dst, strerror(errno));
	if (n < 0 || fsync(out) != 0)
		die("cannot copy %s: %s", src, strerror(errno));
	close(in);
	close(out);
}

static void exec_or_die(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
}

static long long count_rows(sqlite3 *db, const char *table)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		die("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

static void text_query(sqlite3 *db, const char *sql, char *out, size_t cap)
{
	sqlite3_stmt *st;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* ---- the captured tables and their row counts ---- */

struct tables {
	char *name[MAX_TABLES];
	long long rows[MAX_TABLES]; /* summed over the villages */
	int n;
};

/* The tables a village captures (src/sync/capture.c: an owner column and a
 * primary key), listed from the first village store. */
static void list_captured(sqlite3 *db, struct tables *t)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT m.name FROM sqlite_schema m"
			       " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'"
			       " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c"
			       "             WHERE c.name = 'owner')"
			       " AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.pk > 0)"
			       " ORDER BY m.name",
			       -1, &st, NULL) != SQLITE_OK)
		die("listing tables: %s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW && t->n < MAX_TABLES)
		t->name[t->n++] = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static void count_tables(sqlite3 *db, const struct tables *t, long long *out)
{
	for (int i = 0; i < t->n; i++)
		out[i] = count_rows(db, t->name[i]);
}

/* ---- the changesets (copies of the villages' outboxes) ---- */

struct changeset {
	unsigned char *p;
	int n;
};

struct village {
	char code[13];
	const char *name;
	struct changeset *cs;
	size_t ncs;
	size_t cs_nbytes;
	size_t changes; /* rows in its changesets */
	double export_s;
	size_t bundle_nbytes;
	char bundle[PATH_MAX]; /* in bundles/ */
	long long visits, visits_demo, problems, problem_events, rows;
	char visits_from[11], visits_to[11], demo_from[11], demo_to[11];
	char problems_from[11], problems_to[11];
};

static size_t changes_in(const struct changeset *c)
{
	sqlite3_changeset_iter *it;
	size_t n = 0;
	if (sqlite3changeset_start(&it, c->n, c->p) != SQLITE_OK)
		die("a changeset cannot be read");
	while (sqlite3changeset_next(it) == SQLITE_ROW)
		n++;
	if (sqlite3changeset_finalize(it) != SQLITE_OK)
		die("a changeset is damaged");
	return n;
}

static void read_outbox(sqlite3 *db, struct village *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT changeset FROM sync_outbox WHERE dest = 'town' ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		die("reading the outbox: %s", sqlite3_errmsg(db));
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (v->ncs == cap) {
			cap = cap ? 2 * cap : 32;
			v->cs = realloc(v->cs, cap * sizeof *v->cs);
			if (v->cs == NULL)
				die("out of memory");
		}
		struct changeset *c = &v->cs[v->ncs++];
		c->n = sqlite3_column_bytes(st, 0);
		c->p = malloc((size_t)c->n + 1);
		if (c->p == NULL)
			die("out of memory");
		memcpy(c->p, sqlite3_column_blob(st, 0), (size_t)c->n);
		v->cs_nbytes += (size_t)c->n;
		v->changes += changes_in(c);
	}
	sqlite3_finalize(st);
}

/* ---- generating the villages ---- */

static void check(int rc, const struct tz_error *err, const char *what)
{
	if (rc != TZ_OK)
		die("%s: %s", what, err->msg);
}

/* The visits of the month starting on month (YYYY-MM-01) again, shift months
 * earlier, in one transaction. A copy's id is its source's with the first hex
 * digit moved on by shift (mod 16): new, distinct for the two shifts, and the
 * same on every run. */
static void add_visits(struct store *s, const char *month, int shift)
{
	static const char sql[] =
		"INSERT INTO visits(id, owner, cadre_id, household_id, visited_on, collect_info,"
		" check_documents, explain_policy, carry_out_measures, hear_opinions,"
		" solve_difficulties, notes, created_at, updated_at)"
		" SELECT substr('0123456789abcdef',"
		"  (instr('0123456789abcdef', substr(v.id, 1, 1)) - 1 + ?3) % 16 + 1, 1)"
		"  || substr(v.id, 2), v.owner, v.cadre_id, v.household_id, v.shifted,"
		" v.collect_info, v.check_documents, v.explain_policy, v.carry_out_measures,"
		" v.hear_opinions, v.solve_difficulties, v.notes, v.created_at, v.updated_at"
		" FROM (SELECT *, date(visited_on, 'start of month', ?2,"
		"       '+' || (min(CAST(strftime('%d', visited_on) AS INTEGER), 28) - 1) || ' days')"
		"       AS shifted FROM visits"
		"       WHERE visited_on >= ?1 AND visited_on < date(?1, '+1 month')) v"
		" WHERE EXISTS (SELECT 1 FROM cadre_assignments a WHERE a.household_id = v.household_id"
		"  AND a.cadre_id = v.cadre_id AND a.since <= v.shifted"
		"  AND (a.until IS NULL OR a.until = '' OR a.until >= v.shifted))"
		" ORDER BY v.shifted";
	struct tz_error err;
	check(store_tx_begin(s, &err), &err, "adding visits");
	sqlite3_stmt *st;
	sqlite3 *db = store_db(s);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("adding visits: %s", sqlite3_errmsg(db));
	char months[16];
	snprintf(months, sizeof months, "-%d months", shift);
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, months, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, shift);
	if (sqlite3_step(st) != SQLITE_DONE)
		die("adding visits: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	check(store_tx_commit(s, &err), &err, "adding visits");
}

static void describe_village(sqlite3 *db, struct village *v, const struct tables *t)
{
	v->visits = count_rows(db, "visits");
	v->problems = count_rows(db, "problems");
	v->problem_events = count_rows(db, "problem_events");
	text_query(db, "SELECT min(visited_on) FROM visits", v->visits_from, sizeof v->visits_from);
	text_query(db, "SELECT max(visited_on) FROM visits", v->visits_to, sizeof v->visits_to);
	text_query(db, "SELECT substr(min(at), 1, 10) FROM problem_events", v->problems_from,
		   sizeof v->problems_from);
	text_query(db, "SELECT substr(max(at), 1, 10) FROM problem_events", v->problems_to,
		   sizeof v->problems_to);
	v->rows = 0;
	for (int i = 0; i < t->n; i++)
		v->rows += count_rows(db, t->name[i]);
}

/* Make village i: store, demo, a year of visits, trust the town; the town
 * enrols it. Then export it (timed) and move its bundle into bundles/. */
static void make_village(struct village *v, unsigned i, unsigned households, int topup,
			 const struct sync_public_key *town_pub, struct store *town,
			 struct tables *t)
{
	struct tz_error err;
	check(demo_town_village(TOWN_CODE, i, v->code, &v->name, &err), &err, "village code");
	char path[PATH_MAX];
	path_of(path, "village-%s.tzs", v->code);
	struct store_identity id = { STORE_KIND_VILLAGE, v->code, v->name };
	struct store *s;
	check(store_create(path, &id, USER, PASS, PASS_NBYTES, KDF_COST_MIN, &s, &err), &err,
	      "creating a village store");
	struct demo_options o = { .households = households, .seed = 1 + i, .today = TODAY };
	check(demo_populate(s, &o, &err), &err, "demo_populate");
	sqlite3 *db = store_db(s);
	v->visits_demo = count_rows(db, "visits");
	text_query(db, "SELECT min(visited_on) FROM visits", v->demo_from, sizeof v->demo_from);
	text_query(db, "SELECT max(visited_on) FROM visits", v->demo_to, sizeof v->demo_to);
	if (topup) {
		/* December .. March again, 4 months earlier (August .. November 2018),
		 * then 8 months earlier (April .. July 2018) */
		static const char *const source[] = { "2018-12-01", "2019-01-01", "2019-02-01",
						       "2019-03-01" };
		for (int k = 0; k < 4; k++)
			add_visits(s, source[k], 8);
		for (int k = 0; k < 4; k++)
			add_visits(s, source[k], 4);
	}
	if (t->n == 0)
		list_captured(db, t);
	describe_village(db, v, t);
	enum sync_change change;
	check(sync_trust_town(s, town_pub, 0, &change, &err), &err, "trust");
	struct sync_public_key pub;
	check(sync_keys_public(s, &pub, &err), &err, "village keys");
	check(sync_enroll(town, &pub, 0, &change, &err), &err, "enroll");
	if (change != SYNC_ADDED)
		die("enrolling %s did not add it", v->code);
	store_close(s);

	/* the export, as `taizhang bundle export --to DIR` does it: open, export */
	check(store_open(path, USER, PASS, PASS_NBYTES, 0, &s, &err), &err, "opening a village");
	char dir[PATH_MAX];
	path_of(dir, "export-%s", v->code);
	if (mkdir(dir, 0700) != 0)
		die("mkdir %s: %s", dir, strerror(errno));
	struct sync_export_result r;
	double a = bench_now();
	int rc = sync_export(s, dir, &r, &err);
	v->export_s = bench_now() - a;
	check(rc, &err, "sync_export");
	if (r.nfiles != 1 || r.nnew != 1)
		die("the export of %s wrote %zu files, %zu new", v->code, r.nfiles, r.nnew);
	if (r.files[0].nentries == 0)
		die("the export of %s carried nothing", v->code);
	struct stat sb;
	if (stat(r.files[0].path, &sb) != 0 || (size_t)sb.st_size != r.files[0].nbytes)
		die("the bundle of %s is not on disk as reported", v->code);
	v->bundle_nbytes = r.files[0].nbytes;
	char to[PATH_MAX];
	const char *base = strrchr(r.files[0].path, '/');
	path_of(to, "bundles%s", base);
	if (rename(r.files[0].path, to) != 0)
		die("rename %s: %s", r.files[0].path, strerror(errno));
	snprintf(v->bundle, sizeof v->bundle, "%s", to);
	sync_export_result_free(&r);
	rmdir(dir);
	read_outbox(store_db(s), v);
	long long check_rows[MAX_TABLES];
	count_tables(store_db(s), t, check_rows);
	for (int k = 0; k < t->n; k++)
		t->rows[k] += check_rows[k];
	store_close(s);
	unlink(path);
}

/* ---- the plain database ---- */

static const char plain_pragmas[] = "PRAGMA page_size=4096;"
				    "PRAGMA journal_mode=DELETE;"
				    "PRAGMA synchronous=FULL;"
				    "PRAGMA temp_store=MEMORY;"
				    "PRAGMA mmap_size=0;"
				    "PRAGMA cache_size=-16384;";
/* The rest of the store's connection pragmas (src/store/store.c). */
static const char store_like_pragmas[] = "PRAGMA secure_delete=ON;"
					 "PRAGMA foreign_keys=ON;"
					 "PRAGMA trusted_schema=OFF;"
					 "PRAGMA cell_size_check=ON;";

static void copy_rows(sqlite3 *from, sqlite3 *to, const char *table)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
	sqlite3_stmt *q, *ins;
	if (sqlite3_prepare_v2(from, sql, -1, &q, NULL) != SQLITE_OK)
		die("%s: %s", sql, sqlite3_errmsg(from));
	int ncol = sqlite3_column_count(q);
	char insert[4096];
	size_t used = (size_t)snprintf(insert, sizeof insert, "INSERT INTO \"%s\" VALUES (", table);
	for (int i = 0; i < ncol && used < sizeof insert - 8; i++)
		used += (size_t)snprintf(insert + used, sizeof insert - used, "%s?", i ? "," : "");
	snprintf(insert + used, sizeof insert - used, ")");
	if (sqlite3_prepare_v2(to, insert, -1, &ins, NULL) != SQLITE_OK)
		die("%s: %s", insert, sqlite3_errmsg(to));
	while (sqlite3_step(q) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++)
			sqlite3_bind_value(ins, i + 1, sqlite3_column_value(q, i));
		if (sqlite3_step(ins) != SQLITE_DONE)
			die("copying %s: %s", table, sqlite3_errmsg(to));
		sqlite3_reset(ins);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
}

/* Whether table is a virtual table's shadow table (PRAGMA table_list). */
static int is_shadow(sqlite3 *db, const char *table)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_list WHERE name = ?1 AND type = 'shadow'",
			       -1, &q, NULL) != SQLITE_OK)
		die("PRAGMA table_list: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
	int shadow = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return shadow;
}

static void clear_table(sqlite3 *db, const char *table)
{
	char sql[256];
	snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", table);
	exec_or_die(db, sql);
}

/* A plain database at path with the town store's schema and rows. */
static void make_plain_base(struct store *town, const char *path)
{
	sqlite3 *from = store_db(town), *to;
	if (sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		die("cannot create %s", path);
	exec_or_die(to, plain_pragmas);
	exec_or_die(to, "BEGIN");
	for (int pass = 0; pass < 2; pass++) {
		/* tables and their rows first, then indexes, triggers and views */
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(from,
				       "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL"
				       " AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
				       -1, &st, NULL) != SQLITE_OK)
			die("reading the schema: %s", sqlite3_errmsg(from));
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *type = (const char *)sqlite3_column_text(st, 0);
			const char *name = (const char *)sqlite3_column_text(st, 1);
			int is_table = strcmp(type, "table") == 0;
			if (is_table != (pass == 0))
				continue;
			/* an FTS5 table's shadow tables (db/015's search_fts) are made
			 * by its CREATE VIRTUAL TABLE: only their rows are copied */
			if (!is_shadow(from, name))
				exec_or_die(to, (const char *)sqlite3_column_text(st, 2));
			else
				clear_table(to, name);
			if (is_table)
				copy_rows(from, to, name);
		}
		sqlite3_finalize(st);
	}
	char version[32];
	text_query(from, "PRAGMA user_version", version, sizeof version);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%s", version);
	exec_or_die(to, sql);
	exec_or_die(to, "COMMIT");
	sqlite3_close(to);
}

static int conflicts_seen;
static double plain_nbytes; /* the plain database's file after a run */

static int count_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	(void)ctx;
	(void)kind;
	(void)it;
	conflicts_seen++;
	return SQLITE_CHANGESET_OMIT;
}

/* The search index (db/015): while a village's changesets are applied its
 * households are only noted (search_dirty), then refreshed once, as the
 * import does for each bundle (browse_search_defer), instead of once for
 * every row of a household and its members. */
static const char search_defer_sql[] = "UPDATE search_state SET deferred = 1";
static const char search_refresh_sql[] = "UPDATE search_state SET deferred = 0;"
					 "INSERT INTO search_refresh SELECT household_id FROM search_dirty;"
					 "DELETE FROM search_dirty";

/* Leave the search index out: its triggers dropped (a plain run "without the
 * search index", to tell what the index costs plain SQLite). */
static const char drop_search_sql[] =
	"DROP TRIGGER search_household_insert; DROP TRIGGER search_household_delete;"
	"DROP TRIGGER search_household_update; DROP TRIGGER search_member_insert;"
	"DROP TRIGGER search_member_delete; DROP TRIGGER search_member_update;"
	"DROP TRIGGER search_group_insert; DROP TRIGGER search_group_delete;"
	"DROP TRIGGER search_group_update;";

/* Apply every village's changesets to db; per_village: one transaction per
 * village (else the caller's). Adds the apply (with the search index's
 * refresh) and commit times. */
static void apply_all(sqlite3 *db, struct store *s, const struct village *v, unsigned n,
		      int per_village, double *apply_s, double *commit_s)
{
	struct tz_error err;
	for (unsigned i = 0; i < n; i++) {
		double a = bench_now();
		if (per_village && s != NULL)
			check(store_tx_begin(s, &err), &err, "begin");
		else if (per_village)
			exec_or_die(db, "BEGIN IMMEDIATE");
		exec_or_die(db, search_defer_sql);
		for (size_t k = 0; k < v[i].ncs; k++) {
			int rc = sqlite3changeset_apply(db, v[i].cs[k].n, v[i].cs[k].p, NULL,
							count_conflict, NULL);
			if (rc != SQLITE_OK)
				die("sqlite3changeset_apply: %s", sqlite3_errmsg(db));
		}
		exec_or_die(db, search_refresh_sql);
		double b = bench_now();
		*apply_s += b - a;
		if (per_village && s != NULL)
			check(store_tx_commit(s, &err), &err, "commit");
		else if (per_village)
			exec_or_die(db, "COMMIT");
		*commit_s += bench_now() - b;
	}
}

/* Every table grew by exactly the villages' rows, but for at most aside rows
 * in all that the town set aside as proposals (rule A4: a project stage only
 * the town gives waits for a town officer, it is not applied). */
static void check_counts_aside(const char *what, const struct tables *t, const long long *before,
			       const long long *after, long long aside)
{
	long long missing = 0;
	for (int i = 0; i < t->n; i++) {
		long long grew = after[i] - before[i];
		if (grew > t->rows[i] || grew < t->rows[i] - aside)
			die("%s: table %s has %lld rows more, the villages have %lld", what, t->name[i],
			    grew, t->rows[i]);
		missing += t->rows[i] - grew;
	}
	if (missing > aside)
		die("%s: %lld rows missing, only %lld changes set aside", what, missing, aside);
}

static void check_counts(const char *what, const struct tables *t, const long long *before,
			 const long long *after)
{
	check_counts_aside(what, t, before, after, 0);
}

/* One run of the plain baseline: a copy of the base, the pragmas, all the
 * changesets in one transaction (or one per village). Returns the seconds of
 * BEGIN .. COMMIT (apply and commit in *apply_s, *commit_s). */
static double plain_run(const char *what, const char *base, const char *path, const char *extra_pragmas,
			int per_village, const struct village *v, unsigned n, const struct tables *t,
			const long long *before, double *apply_s, double *commit_s, double *cpu_s)
{
	copy_file(base, path);
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die("cannot open %s", path);
	exec_or_die(db, plain_pragmas);
	if (extra_pragmas != NULL)
		exec_or_die(db, extra_pragmas);
	if (cache_pragma[0] != '\0')
		exec_or_die(db, cache_pragma);
	count_rows(db, "sqlite_schema"); /* read the schema before the clock starts */
	*apply_s = *commit_s = 0;
	conflicts_seen = 0;
	COUNT_BEGIN();
	double a = bench_now(), c = bench_cpu_now();
	if (!per_village)
		exec_or_die(db, "BEGIN IMMEDIATE");
	apply_all(db, NULL, v, n, per_village, apply_s, commit_s);
	if (!per_village) {
		double b = bench_now();
		exec_or_die(db, "COMMIT");
		*commit_s += bench_now() - b;
	}
	double total = bench_now() - a;
	if (cpu_s != NULL)
		*cpu_s = bench_cpu_now() - c;
	COUNT_END(what);
	if (conflicts_seen != 0)
		die("the plain baseline met %d conflicts", conflicts_seen);
	long long after[MAX_TABLES];
	count_tables(db, t, after);
	check_counts("plain baseline", t, before, after);
	sqlite3_close(db);
	struct stat sb;
	plain_nbytes = stat(path, &sb) == 0 ? (double)sb.st_size : 0;
	unlink(path);
	return total;
}

/* ---- import ---- */

static size_t progress_calls;

static void on_progress(void *ctx, size_t done, size_t total, const struct sync_import_item *item)
{
	(void)ctx;
	(void)done;
	(void)total;
	(void)item;
	progress_calls++;
}

struct import_run {
	double import_s, import_cpu, raw_apply_s, raw_commit_s;
	double phase[SYNC_PHASES]; /* sync_import's own clock of where the time went */
	size_t changes, conflicts, proposals;
	double town_nbytes; /* the town store's file after the import */
};

/* The import into a fresh copy of the town store, then decode alone and the
 * raw apply into another copy (for the split). */
static void import_run(const char *town_base, const char *bundles, const struct village *v,
		       unsigned n, const struct tables *t, const long long *before,
		       struct import_run *out)
{
	char path[PATH_MAX];
	path_of(path, "town-run.tzs");
	copy_file(town_base, path);
	struct tz_error err;
	struct store *s;
	check(store_open(path, USER, PASS, PASS_NBYTES, 0, &s, &err), &err, "opening the town");
	if (cache_pragma[0] != '\0')
		exec_or_die(store_db(s), cache_pragma);
	count_rows(store_db(s), "sqlite_schema"); /* as the program has when it gets there */
	struct sync_import_result r;
	progress_calls = 0;
	COUNT_BEGIN();
	double a = bench_now(), c = bench_cpu_now();
	int rc = sync_import(s, bundles, on_progress, NULL, &r, &err);
	out->import_s = bench_now() - a;
	out->import_cpu = bench_cpu_now() - c;
	COUNT_END("import");
	memcpy(out->phase, r.seconds, sizeof out->phase);
	if (rc != TZ_OK) {
		for (size_t i = 0; i < r.nitems; i++)
			if (r.items[i].outcome != SYNC_APPLIED)
				fprintf(stderr, "  %s: %s\n", r.items[i].path, r.items[i].message);
		die("sync_import: %s", err.msg);
	}
	if (r.nitems != n || progress_calls != n)
		die("sync_import saw %zu bundles, not %u", r.nitems, n);
	out->changes = out->conflicts = out->proposals = 0;
	for (size_t i = 0; i < r.nitems; i++) {
		if (r.items[i].outcome != SYNC_APPLIED)
			die("%s: %s", r.items[i].path, r.items[i].message);
		out->changes += r.items[i].changes;
		out->conflicts += r.items[i].conflicts;
		out->proposals += r.items[i].proposals;
	}
	sync_import_result_free(&r);
	struct stat sb;
	out->town_nbytes = stat(path, &sb) == 0 ? (double)sb.st_size : 0;
	long long after[MAX_TABLES];
	count_tables(store_db(s), t, after);
	check_counts_aside("town import", t, before, after, (long long)out->proposals);

	store_close(s);
	unlink(path);
	if (ratio_only)
		return;

	/* for comparison, the same changesets raw into the encrypted store: one
	 * transaction per bundle and the page cache sync_import gives itself */
	copy_file(town_base, path);
	check(store_open(path, USER, PASS, PASS_NBYTES, 0, &s, &err), &err, "opening the town");
	store_cache_raise(s, STORE_BULK_CACHE_KIB);
	count_rows(store_db(s), "sqlite_schema");
	sync_capture_pause(s, 1);
	out->raw_apply_s = out->raw_commit_s = 0;
	conflicts_seen = 0;
	COUNT_BEGIN();
	apply_all(store_db(s), s, v, n, 1, &out->raw_apply_s, &out->raw_commit_s);
	COUNT_END("raw into the store");
	if (conflicts_seen != 0)
		die("the raw apply met %d conflicts", conflicts_seen);
	count_tables(store_db(s), t, after);
	check_counts("raw apply to the store", t, before, after);
	store_close(s);
	unlink(path);
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	unsigned nvillages = 30, households = 1000;
	int runs = 3, topup = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--demo-visits-only") == 0)
			topup = 0;
		else if (strcmp(argv[i], "--ratio-only") == 0)
			ratio_only = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--villages") == 0)
			nvillages = (unsigned)atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--households") == 0)
			households = (unsigned)atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--cache-mib") == 0)
			snprintf(cache_pragma, sizeof cache_pragma, "PRAGMA cache_size=-%d",
				 1024 * atoi(argv[++i]));
		else
			nvillages = 0;
	}
	if (runs < 1 || runs > MAX_RUNS || households < 1 || households > 100000 ||
	    nvillages < 1 || nvillages > DEMO_TOWN_MAX_VILLAGES) {
		fprintf(stderr, "usage: sync [--villages N (1..%d)] [--households N] [--runs N]"
				" [--demo-visits-only]\n"
				"            [--cache-mib N] [--ratio-only]\n",
			DEMO_TOWN_MAX_VILLAGES);
		return 2;
	}
	setenv("TAIZHANG_TODAY", TODAY, 1);
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof root, "%s/taizhang-bench-sync.XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(root) == NULL) {
		fprintf(stderr, "sync bench: mkdtemp %s: %s\n", root, strerror(errno));
		return 1;
	}
	atexit(cleanup);
	char bundles[PATH_MAX], town_path[PATH_MAX], plain_base[PATH_MAX], plain_path[PATH_MAX];
	path_of(bundles, "bundles");
	path_of(town_path, "town.tzs");
	path_of(plain_base, "plain-base.db");
	path_of(plain_path, "plain-run.db");
	if (mkdir(bundles, 0700) != 0)
		die("mkdir %s: %s", bundles, strerror(errno));

	/* every store this process opens for writing captures its changes */
	store_set_open_hook(sync_capture_attach);

	double g0 = bench_now();
	struct tz_error err;
	struct store_identity tid = { STORE_KIND_TOWN, TOWN_CODE, TOWN_NAME };
	struct store *town;
	check(store_create(town_path, &tid, USER, PASS, PASS_NBYTES, KDF_COST_MIN, &town, &err),
	      &err, "creating the town store");
	/* the campaign's deliverables of the town's units, as `taizhang init`
	 * makes them: so that the import adds only the villages' rows */
	check(deliverable_generate(town, NULL, &err), &err, "deliverables of the town");
	struct sync_public_key town_pub;
	check(sync_keys_public(town, &town_pub, &err), &err, "town keys");

	struct village *v = calloc(nvillages, sizeof *v);
	struct tables t = { 0 };
	if (v == NULL)
		die("out of memory");
	for (unsigned i = 0; i < nvillages; i++) {
		make_village(&v[i], i, households, topup, &town_pub, town, &t);
		fprintf(stderr, "\rsync bench: village %u of %u generated and exported", i + 1,
			nvillages);
	}
	fprintf(stderr, "\n");
	long long before[MAX_TABLES];
	count_tables(store_db(town), &t, before);
	make_plain_base(town, plain_base);
	store_close(town);
	double generated = bench_now() - g0;

	/* the runs, interleaved */
	struct import_run ir[MAX_RUNS];
	double plain1[MAX_RUNS], plain1_apply[MAX_RUNS], plain1_commit[MAX_RUNS], plain1_cpu[MAX_RUNS];
	double plainv[MAX_RUNS], plainv_apply[MAX_RUNS], plainv_commit[MAX_RUNS];
	double plains[MAX_RUNS], plains_apply[MAX_RUNS], plains_commit[MAX_RUNS];
	double plainn[MAX_RUNS], plainn_apply[MAX_RUNS], plainn_commit[MAX_RUNS];
	for (int r = 0; r < runs; r++) {
		import_run(town_path, bundles, v, nvillages, &t, before, &ir[r]);
		plain1[r] = plain_run("baseline", plain_base, plain_path, NULL, 0, v, nvillages, &t, before,
				      &plain1_apply[r], &plain1_commit[r], &plain1_cpu[r]);
		if (ratio_only) {
			plainv[r] = plains[r] = plainn[r] = 0;
			plainv_apply[r] = plainv_commit[r] = plains_apply[r] = plains_commit[r] = 0;
			plainn_apply[r] = plainn_commit[r] = ir[r].raw_apply_s = ir[r].raw_commit_s = 0;
			fprintf(stderr, "\rsync bench: run %d of %d", r + 1, runs);
			continue;
		}
		plainv[r] = plain_run("plain per bundle", plain_base, plain_path, NULL, 1, v, nvillages, &t, before,
				      &plainv_apply[r], &plainv_commit[r], NULL);
		plains[r] = plain_run("plain with the store's pragmas", plain_base, plain_path, store_like_pragmas, 0, v, nvillages, &t,
				      before, &plains_apply[r], &plains_commit[r], NULL);
		plainn[r] = plain_run("plain without the search index", plain_base, plain_path,
				      drop_search_sql, 0, v, nvillages, &t, before, &plainn_apply[r],
				      &plainn_commit[r], NULL);
		fprintf(stderr, "\rsync bench: run %d of %d", r + 1, runs);
	}
	fprintf(stderr, "\n");

	/* ---- figures ---- */
	double exp_s[DEMO_TOWN_MAX_VILLAGES], bsize[DEMO_TOWN_MAX_VILLAGES];
	double exp_min = 1e9, exp_max = 0, total_bytes = 0, cs_bytes = 0;
	size_t changes = 0, ncs = 0;
	long long rows = 0, visits = 0, visits_demo = 0, problems = 0, events = 0;
	char vfrom[11] = "9999", vto[11] = "", dfrom[11] = "9999", dto[11] = "";
	char pfrom[11] = "9999", pto[11] = "";
	for (unsigned i = 0; i < nvillages; i++) {
		exp_s[i] = v[i].export_s;
		exp_min = exp_min < v[i].export_s ? exp_min : v[i].export_s;
		exp_max = exp_max > v[i].export_s ? exp_max : v[i].export_s;
		bsize[i] = (double)v[i].bundle_nbytes;
		total_bytes += (double)v[i].bundle_nbytes;
		cs_bytes += (double)v[i].cs_nbytes;
		changes += v[i].changes;
		ncs += v[i].ncs;
		rows += v[i].rows;
		visits += v[i].visits;
		visits_demo += v[i].visits_demo;
		problems += v[i].problems;
		events += v[i].problem_events;
#define LOWER(a, b) if (strcmp(b, a) < 0) snprintf(a, sizeof a, "%s", b)
#define HIGHER(a, b) if (strcmp(b, a) > 0) snprintf(a, sizeof a, "%s", b)
		LOWER(vfrom, v[i].visits_from);
		HIGHER(vto, v[i].visits_to);
		LOWER(dfrom, v[i].demo_from);
		HIGHER(dto, v[i].demo_to);
		LOWER(pfrom, v[i].problems_from);
		HIGHER(pto, v[i].problems_to);
	}
	double imp[MAX_RUNS], imp_cpu[MAX_RUNS], rapply[MAX_RUNS], rcommit[MAX_RUNS];
	double m_phase[SYNC_PHASES];
	for (int r = 0; r < runs; r++) {
		imp[r] = ir[r].import_s;
		imp_cpu[r] = ir[r].import_cpu;
		rapply[r] = ir[r].raw_apply_s;
		rcommit[r] = ir[r].raw_commit_s;
		if (ir[r].changes > changes || ir[r].changes + ir[r].proposals < changes)
			die("the import changed %zu rows and set %zu aside, the changesets hold %zu",
			    ir[r].changes, ir[r].proposals, changes);
	}
	for (int k = 0; k < SYNC_PHASES; k++) {
		double x[MAX_RUNS];
		for (int r = 0; r < runs; r++)
			x[r] = ir[r].phase[k];
		m_phase[k] = median(x, runs);
	}
	double m_imp = median(imp, runs), m_base = median(plain1, runs);
	double m_imp_cpu = median(imp_cpu, runs), m_base_cpu = median(plain1_cpu, runs);
	double m_rapply = median(rapply, runs), m_rcommit = median(rcommit, runs);
	double n = nvillages;

	printf("bench/sync: %u villages of %u households (town %s, villages %s..%s, seeds 1..%u),\n"
	       "as of %s, SQLite %s; generated in %.0f s (not timed)\n",
	       nvillages, households, TOWN_CODE, v[0].code, v[nvillages - 1].code, nvillages, TODAY,
	       sqlite3_libversion(), generated);
	if (cache_pragma[0] != '\0')
		printf("  every timed connection with %s (--cache-mib), not the store's 16 MiB\n",
		       cache_pragma);
	printf("  a village on average: %.0f rows in the %d tables it syncs, in %.0f changesets"
	       " (%.0f bytes)\n",
	       (double)rows / n, t.n, (double)ncs / n, cs_bytes / n);
	if (topup)
		printf("  visits %.0f, %s..%s: the demo's %.0f span %s..%s (four full months and some"
		       " of this one);\n  the bench added the 8 months before (those visits again 4 and"
		       " 8 months back)\n",
		       (double)visits / n, vfrom, vto, (double)visits_demo / n, dfrom, dto);
	else
		printf("  visits %.0f, %s..%s: the demo's own, four full months and some of this one,"
		       " NOT a year\n",
		       (double)visits / n, vfrom, vto);
	printf("  problems %.0f with %.0f history events, %s..%s (the demo's)\n", (double)problems / n,
	       (double)events / n, pfrom, pto);
	printf("\n");
	printf("  (1) export one village's full history                 %8.3f s   median of the %u"
	       " villages'\n"
	       "      (sync_export into an empty folder, the first export  (min %.3f s, max %.3f s)\n"
	       "       of each village)\n",
	       median(exp_s, (int)nvillages), nvillages, exp_min, exp_max);
	printf("  (2) bundle size per household                         %8.0f bytes"
	       " (changesets alone %.0f)\n",
	       total_bytes / (n * households), cs_bytes / (n * households));
	printf("      per village (median)                              %8.0f bytes\n",
	       median(bsize, (int)nvillages));
	printf("      all %u bundles                                    %8.0f bytes (%.1f MB)\n",
	       nvillages, total_bytes, total_bytes / 1e6);
	printf("  (3) town imports the %u bundles from one folder        %8.3f s   median of %d"
	       " runs\n"
	       "      (sync_import on the folder into a fresh copy of      (%zu rows, %zu"
	       " conflicts,\n"
	       "       the town store, every village enrolled)              %.0f rows/s)\n",
	       nvillages, m_imp, runs, ir[0].changes, ir[0].conflicts, (double)changes / m_imp);
	printf("      %zu changes set aside as proposals for the town (rule A4, not applied)\n",
	       ir[0].proposals);
	printf("      the town store after it: %.0f MB (the plain database: %.0f MB)\n",
	       ir[0].town_nbytes / 1e6, plain_nbytes / 1e6);
	printf("  (4) baseline: the same changesets into plain SQLite   %8.3f s   median of %d"
	       " runs\n"
	       "      (sqlite3changeset_apply, one transaction; same schema and starting rows,\n"
	       "       no encryption, journal_mode=DELETE, synchronous=FULL)\n",
	       m_base, runs);
	double ratio = m_imp / m_base, ratio_cpu = m_imp_cpu / m_base_cpu;
	printf("      import / baseline                                 %8.2f     goal at most 1.3:"
	       " %s\n",
	       ratio, ratio <= 1.3 ? "met" : "NOT MET");
	printf("      in CPU seconds (every thread): import %.3f s, baseline %.3f s: %.2f\n",
	       m_imp_cpu, m_base_cpu, ratio_cpu);
	printf("\n");
	/* sync_import's own clock: every moment of it charged to one phase */
	static const char *const phase_label[SYNC_PHASES] = {
		[SYNC_PHASE_READ] = "read the bundle files",
		[SYNC_PHASE_VERIFY] = "verify and decrypt them",
		[SYNC_PHASE_UNPACK] = "inflate and parse the payloads",
		[SYNC_PHASE_VALUES] = "judge every value (A5)",
		[SYNC_PHASE_AUTHZ] = "who may write what (A1, A2, A4)",
		[SYNC_PHASE_APPLY] = "SQLite applies the changesets",
		[SYNC_PHASE_SEARCH] = "search index of the households (db/015)",
		[SYNC_PHASE_CONFLICTS] = "conflicts, merges, proposals",
		[SYNC_PHASE_PARENTS] = "parent chains (A3)",
		[SYNC_PHASE_LEDGER] = "chain, receipt and audit rows",
		[SYNC_PHASE_COMMIT] = "commit each bundle",
		[SYNC_PHASE_AFTER] = "after: the campaign's deliverables",
		[SYNC_PHASE_OTHER] = "other (listing, keys, peers ...)",
	};
	printf("  where the import's time goes (sync_import's own clock, medians of %d runs):\n",
	       runs);
	double sum = 0;
	for (int k = 0; k < SYNC_PHASES; k++) {
		int at = (k + 1) % SYNC_PHASES; /* "other" last */
		printf("    %-42s %9.3f s  %5.1f%%\n", phase_label[at], m_phase[at],
		       100 * m_phase[at] / m_imp);
		sum += m_phase[at];
	}
	printf("    %-42s %9.3f s  %5.1f%%\n", "sum of the phases", sum, 100 * sum / m_imp);
	printf("    %-42s %9.3f s  %5.1f%%  (the import as timed here, minus the sum)\n",
	       "unattributed", m_imp - sum, 100 * (m_imp - sum) / m_imp);
	if (ratio_only) {
		printf("  (--ratio-only: no comparisons)\n");
		goto done;
	}
	printf("  for comparison:\n");
	printf("    the changesets raw into the encrypted store         %8.3f s   apply %.3f s +"
	       " commits %.3f s\n"
	       "      (sqlite3changeset_apply, one transaction per bundle, no checks)\n",
	       m_rapply + m_rcommit, m_rapply, m_rcommit);
	printf("    plain SQLite, one transaction (the baseline)        %8.3f s   apply %.3f s +"
	       " commit %.3f s\n",
	       m_base, median(plain1_apply, runs), median(plain1_commit, runs));
	printf("    plain SQLite, one transaction per bundle            %8.3f s   apply %.3f s +"
	       " commits %.3f s\n",
	       median(plainv, runs), median(plainv_apply, runs), median(plainv_commit, runs));
	printf("    plain SQLite with the store's other pragmas         %8.3f s   import / that"
	       " %.2f\n"
	       "      (secure_delete, foreign_keys, trusted_schema=OFF, cell_size_check)\n",
	       median(plains, runs), m_imp / median(plains, runs));
	printf("    plain SQLite without the search index               %8.3f s   apply %.3f s +"
	       " commit %.3f s\n"
	       "      (db/015's triggers dropped: what the index costs the baseline)\n",
	       median(plainn, runs), median(plainn_apply, runs), median(plainn_commit, runs));

done:
	for (unsigned i = 0; i < nvillages; i++) {
		for (size_t k = 0; k < v[i].ncs; k++)
			free(v[i].cs[k].p);
		free(v[i].cs);
	}
	free(v);
	for (int i = 0; i < t.n; i++)
		free(t.name[i]);
	return 0;
}
