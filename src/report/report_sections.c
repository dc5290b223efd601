/*
 * report_sections.c — a town report on two connections: the second one, and
 * the sections two at once.
 *
 * A town report builds each section for every village before the next
 * section (report_build_sections_each says why). At a county (400,000
 * households) five of them take one to three seconds each (the visits, the
 * four lists, the changes, the marginal households, the sectors) and all of
 * them wait only on the processor, as do the passes before them
 * (report_passes.c). So on two cores a town report opens a second,
 * read-only connection to its store (store_open_reader) and keeps it from
 * the households' preparation to the last section (report_town_reader):
 *
 *   - Both connections read in a transaction of their own, the report's
 *     first, which has read (and so holds its lock) before the second begins;
 *     no writer can commit while either holds its lock, so the second sees
 *     exactly what the first does.
 *   - The sections read the households at both ends of the period from the
 *     TEMP table report_hh, which belongs to the connection that made it: the
 *     second connection makes its own, on a worker thread while the caller
 *     makes the first's. When that fails the report goes on with one.
 *   - The sections that read no other section (report_town_sections) are
 *     built by two threads, the caller's on the report's connection and a
 *     worker's on the second with copies of the villages' contexts of its
 *     own. Each takes the next section not yet taken (the heavy ones first,
 *     so that the two finish close together) and builds it for every village,
 *     into that village's report: a section is built by one thread only. The
 *     sections that read others are built last, by the caller, after both.
 *   - What the passes read before the sections (the members, the procedures'
 *     counts, the sectors' figures, the findings) the worker's contexts share
 *     with the caller's and only read; whatever a section of the worker's
 *     reads for itself (when a pass was not made) is its own and freed here.
 *   - A failure stops both threads from taking more sections; the report
 *     fails with the error of the first failed section in the report's order.
 *
 * With one village, one core, report_options.one_thread, changes pending on
 * the report's connection, or no second connection, everything runs on the
 * report's connection one after the other as before.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/threads.h"

/* The sections to build and who built what; shared by the two threads. */
struct sections_job {
	struct report_ctx *cs; /* the caller's contexts: their reports get the sections */
	size_t ncs;
	const struct report_section_def *const *defs;
	size_t *order;  /* indices into defs, the heavy sections first */
	size_t norder;
	size_t next;    /* the next entry of order to take (atomic) */
	int failed;     /* a section failed: take no more (atomic) */
	int *rcs;       /* per index of defs: its result (TZ_OK until it fails) */
	struct tz_error *errs;
};

/* Take sections from job and build each for every village, on the
 * connection of ctxs (the caller's contexts, or the worker's copies). */
static void take_sections(struct sections_job *job, struct report_ctx *ctxs)
{
	for (;;) {
		if (__atomic_load_n(&job->failed, __ATOMIC_ACQUIRE))
			return;
		size_t k = __atomic_fetch_add(&job->next, 1, __ATOMIC_ACQ_REL);
		if (k >= job->norder)
			return;
		size_t i = job->order[k];
		for (size_t v = 0; v < job->ncs; v++) {
			struct report_section *sec = &job->cs[v].r->sections[i];
			int rc = report_build_one(job->defs[i], &ctxs[v], sec, 1, &job->errs[i]);
			if (rc != TZ_OK) {
				job->rcs[i] = rc;
				__atomic_store_n(&job->failed, 1, __ATOMIC_RELEASE);
				return;
			}
		}
	}
}

/* The worker's part of the sections. */
struct worker {
	struct sections_job *job;
	struct report_ctx *wcs;
};

static void *worker_sections(void *arg)
{
	struct worker *w = arg;
	take_sections(w->job, w->wcs);
	return NULL;
}

struct report_ctx *report_reader_contexts(const struct report_ctx *cs, size_t ncs,
					  struct report_stmts *stmts)
{
	struct report_ctx *wcs = xcalloc(ncs, sizeof *wcs);
	for (size_t v = 0; v < ncs; v++) {
		wcs[v] = cs[v];
		wcs[v].s = cs[0].reader;
		wcs[v].stmts = stmts;
		memset(&wcs[v].own_findings, 0, sizeof wcs[v].own_findings);
	}
	return wcs;
}

/* What a section of the worker's read for itself, which the caller's
 * contexts do not have. */
static void free_own(struct report_ctx *w, const struct report_ctx *c)
{
	if (w->members != c->members)
		report_members_free(w);
	if (w->procedure_counts != c->procedure_counts)
		report_procedures_free(w);
	if (w->sector_town != c->sector_town)
		report_sectors_town_free(w);
	findings_free(&w->own_findings);
}

/* The sections of defs that are not built last, the heavy ones first. */
static size_t sections_order(const struct report_section_def *const *defs, size_t n, size_t *order)
{
	size_t k = 0;
	for (int heavy = 1; heavy >= 0; heavy--)
		for (size_t i = 0; i < n; i++)
			if (!defs[i]->build_last && (defs[i]->town_heavy != 0) == heavy)
				order[k++] = i;
	return k;
}

int report_town_sections(struct report_ctx *cs, size_t ncs,
			 const struct report_section_def *const *defs, size_t n, struct tz_error *err)
{
	struct sections_job job = { .cs = cs, .ncs = ncs, .defs = defs };
	job.order = xcalloc(n ? n : 1, sizeof *job.order);
	job.norder = sections_order(defs, n, job.order);
	job.rcs = xcalloc(n ? n : 1, sizeof *job.rcs);
	job.errs = xcalloc(n ? n : 1, sizeof *job.errs);
	struct store *reader = ncs > 1 && job.norder > 1 ? cs[0].reader : NULL;
	if (reader != NULL) {
		struct report_stmts stmts = { 0 };
		struct report_ctx *wcs = report_reader_contexts(cs, ncs, &stmts);
		struct worker w = { &job, wcs };
		pthread_t thread;
		int started = tz_thread_start(&thread, worker_sections, &w) == 0;
		take_sections(&job, cs);
		if (started)
			pthread_join(thread, NULL);
		for (size_t v = 0; v < ncs; v++)
			free_own(&wcs[v], &cs[v]);
		report_stmts_free(&stmts);
		free(wcs);
	} else {
		take_sections(&job, cs);
	}
	int rc = TZ_OK;
	for (size_t i = 0; i < n && rc == TZ_OK; i++) {
		if (job.rcs[i] != TZ_OK) {
			rc = job.rcs[i];
			*err = job.errs[i];
		}
	}
	free(job.order);
	free(job.rcs);
	free(job.errs);
	return rc;
}

/* ---- the second connection ---- */

/* A second connection reading in a transaction of its own; NULL when it
 * cannot be had. c's connection holds its lock (it has read). */
static struct store *reader_open(struct report_ctx *c)
{
	sqlite3 *db = store_db(c->s);
	if (sqlite3_get_autocommit(db) || sqlite3_txn_state(db, "main") != SQLITE_TXN_READ)
		return NULL; /* no transaction of the report's own, or changes pending */
	return store_open_reading(c->s, STORE_BULK_CACHE_KIB / 4);
}

/* report_hh on a connection: the rows read before when there are (rows),
 * else by the statement. */
static int prepare_hh(struct report_ctx *c, const struct report_hh_rows *rows,
		      struct tz_error *err)
{
	return rows != NULL ? report_hh_fill(c, rows, err)
			    : report_households_prepare(c, NULL, err);
}

struct preparer {
	struct report_ctx rc; /* c's, on the second connection */
	const struct report_hh_rows *rows;
	int ok;
};

static void *worker_prepare(void *arg)
{
	struct preparer *p = arg;
	struct tz_error ignored = { 0 };
	p->ok = prepare_hh(&p->rc, p->rows, &ignored) == TZ_OK;
	return NULL;
}

static void reader_close(struct report_ctx *c, struct store *reader)
{
	struct report_ctx rc = *c;
	rc.s = reader;
	report_households_drop(&rc);
	store_read_end(reader);
	store_close(reader);
}

int report_town_reader(struct report_ctx *c, struct tz_error *err)
{
	c->reader = NULL;
	c->town_changes = NULL;
	struct report_hh_rows *rows = NULL;
	int rc = report_hh_read(c, &rows, err);
	if (rc != TZ_OK)
		return rc;
	struct store *reader = NULL;
	if (!c->one_thread && tz_cores_available() >= 2)
		reader = reader_open(c);
	struct preparer p = { .rc = *c, .rows = rows };
	p.rc.s = reader;
	p.rc.stmts = NULL;
	pthread_t thread;
	int started = reader != NULL && tz_thread_start(&thread, worker_prepare, &p) == 0;
	rc = prepare_hh(c, rows, err);
	if (started)
		pthread_join(thread, NULL);
	if (rows != NULL)
		c->town_changes = report_hh_take_changes(rows);
	report_hh_free(rows);
	if (reader != NULL && (rc != TZ_OK || !p.ok)) {
		reader_close(c, reader);
		reader = NULL;
	}
	c->reader = reader;
	return rc;
}

void report_town_reader_close(struct report_ctx *c)
{
	if (c->reader != NULL)
		reader_close(c, c->reader);
	c->reader = NULL;
	report_changes_free(c->town_changes);
	c->town_changes = NULL;
}
