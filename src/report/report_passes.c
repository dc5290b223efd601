/*
 * report_passes.c — a town report's passes before its sections, two at once.
 *
 * Each pass reads one or a few whole tables for every village at once (the
 * members; the contracts, houses, loans and the 低保 comparison's registered
 * side; the procedures' steps; the four lists' items; the visits) and puts
 * each row to its village through the map of the households. They share
 * nothing but that map, which none of them changes, and each fills fields of
 * its own in the villages' contexts. At a county (400,000 households) they
 * take seconds each and wait only on the processor: the sectors' pass, then
 * the four lists' and the visits', run on the caller's connection while a
 * worker thread runs the members' and the procedures' on the town's second,
 * read-only connection (cs[0].reader, report_sections.c says how it is had
 * and why it sees what the first does) with copies of the contexts of its
 * own, whose figures are moved into the caller's when both are done.
 *
 * Without a second connection, or when either side has no pass asked of it,
 * the passes run one after the other on the caller's connection, the
 * members' and the procedures' first. A failure is reported as that order
 * would report it: the worker's passes' before the caller's.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/threads.h"

/* The passes that run on the second connection when there is one: the
 * members', then the procedures'. */
static int worker_passes(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			 int members, int procedures, struct tz_error *err)
{
	int rc = TZ_OK;
	if (members)
		rc = report_members_read_town(cs, ncs, households, err);
	if (procedures && rc == TZ_OK)
		rc = report_procedures_read_town(cs, ncs, households, err);
	return rc;
}

/* The passes that run on the caller's connection: the sectors', then the
 * four lists', then the visits'. */
static int caller_passes(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			 int sectors, int four_lists, int visits, struct roster_registered **dibao,
			 struct tz_error *err)
{
	int rc = TZ_OK;
	if (sectors)
		rc = report_sectors_town(cs, ncs, households, dibao, err);
	if (four_lists && rc == TZ_OK)
		rc = report_four_lists_read_town(cs, ncs, households, err);
	if (visits && rc == TZ_OK)
		rc = report_visits_read_town(cs, ncs, households, err);
	return rc;
}

struct worker {
	struct report_ctx *wcs;
	size_t ncs;
	const struct strmap *households;
	int members, procedures;
	int rc;
	struct tz_error err;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	w->rc = worker_passes(w->wcs, w->ncs, w->households, w->members, w->procedures, &w->err);
	return NULL;
}

int report_town_passes(struct report_ctx *cs, size_t ncs, const struct strmap *households,
		       int members, int sectors, int procedures, int four_lists, int visits,
		       struct roster_registered **dibao, struct tz_error *err)
{
	*dibao = NULL;
	int on_worker = members || procedures, on_caller = sectors || four_lists || visits;
	pthread_t thread;
	if (cs[0].reader == NULL || !on_worker || !on_caller) {
		int rc = worker_passes(cs, ncs, households, members, procedures, err);
		if (rc == TZ_OK)
			rc = caller_passes(cs, ncs, households, sectors, four_lists, visits, dibao,
					   err);
		return rc;
	}
	struct report_stmts stmts = { 0 };
	struct report_ctx *wcs = report_reader_contexts(cs, ncs, &stmts);
	for (size_t v = 0; v < ncs; v++) {
		wcs[v].members = NULL;
		wcs[v].procedure_counts = NULL;
		wcs[v].nprocedure_counts = 0;
	}
	struct worker w = { .wcs = wcs, .ncs = ncs, .households = households,
			    .members = members, .procedures = procedures };
	int started = tz_thread_start(&thread, worker_main, &w) == 0;
	if (!started) /* on the caller's thread, still on the second connection */
		worker_main(&w);
	struct tz_error caller_err = { 0 };
	int caller_rc = caller_passes(cs, ncs, households, sectors, four_lists, visits, dibao,
				      &caller_err);
	if (started)
		pthread_join(thread, NULL);
	int rc = w.rc;
	if (rc != TZ_OK)
		*err = w.err;
	else if ((rc = caller_rc) != TZ_OK)
		*err = caller_err;
	for (size_t v = 0; v < ncs; v++) {
		if (rc == TZ_OK) {
			cs[v].members = wcs[v].members;
			cs[v].procedure_counts = wcs[v].procedure_counts;
			cs[v].nprocedure_counts = wcs[v].nprocedure_counts;
		} else {
			report_members_free(&wcs[v]);
			report_procedures_free(&wcs[v]);
		}
	}
	free(wcs);
	report_stmts_free(&stmts);
	return rc;
}
