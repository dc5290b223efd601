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
 * Without a second connection, or when a pass is not asked for, the passes
 * run one after the other as before. A failure is reported as the passes run
 * one after the other would: the members' first, then the sectors', the
 * procedures', the four lists', the visits'.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/threads.h"

/* The worker's passes: the members' and the procedures', on wcs. */
struct worker {
	struct report_ctx *wcs;
	size_t ncs;
	const struct strmap *households;
	int members, procedures;
	int members_rc, procedures_rc;
	struct tz_error members_err, procedures_err;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	if (w->members)
		w->members_rc = report_members_read_town(w->wcs, w->ncs, w->households,
							 &w->members_err);
	if (w->procedures && w->members_rc == TZ_OK)
		w->procedures_rc = report_procedures_read_town(w->wcs, w->ncs, w->households,
							       &w->procedures_err);
	return NULL;
}

/* The passes one after the other, on the caller's connection. */
static int passes_in_turn(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			  int members, int sectors, int procedures, int four_lists, int visits,
			  struct roster_registered **dibao, struct tz_error *err)
{
	int rc = TZ_OK;
	if (members)
		rc = report_members_read_town(cs, ncs, households, err);
	if (sectors && rc == TZ_OK)
		rc = report_sectors_town(cs, ncs, households, dibao, err);
	if (procedures && rc == TZ_OK)
		rc = report_procedures_read_town(cs, ncs, households, err);
	if (four_lists && rc == TZ_OK)
		rc = report_four_lists_read_town(cs, ncs, households, err);
	if (visits && rc == TZ_OK)
		rc = report_visits_read_town(cs, ncs, households, err);
	return rc;
}

int report_town_passes(struct report_ctx *cs, size_t ncs, const struct strmap *households,
		       int members, int sectors, int procedures, int four_lists, int visits,
		       struct roster_registered **dibao, struct tz_error *err)
{
	*dibao = NULL;
	if (cs[0].reader == NULL || !sectors || !(members || procedures))
		return passes_in_turn(cs, ncs, households, members, sectors, procedures, four_lists,
				      visits, dibao, err);
	struct report_stmts stmts = { 0 };
	struct report_ctx *wcs = report_reader_contexts(cs, ncs, &stmts);
	for (size_t v = 0; v < ncs; v++) {
		wcs[v].members = NULL;
		wcs[v].procedure_counts = NULL;
		wcs[v].nprocedure_counts = 0;
	}
	struct worker w = { .wcs = wcs, .ncs = ncs, .households = households,
			    .members = members, .procedures = procedures };
	pthread_t thread;
	int rc;
	if (tz_thread_start(&thread, worker_main, &w) != 0) {
		rc = passes_in_turn(cs, ncs, households, members, sectors, procedures, four_lists,
				    visits, dibao, err);
	} else {
		struct tz_error sectors_err = { 0 }, four_err = { 0 };
		int sectors_rc = report_sectors_town(cs, ncs, households, dibao, &sectors_err);
		int four_rc = sectors_rc == TZ_OK && four_lists
				      ? report_four_lists_read_town(cs, ncs, households, &four_err)
				      : TZ_OK;
		struct tz_error visits_err = { 0 };
		int visits_rc = sectors_rc == TZ_OK && four_rc == TZ_OK && visits
					? report_visits_read_town(cs, ncs, households, &visits_err)
					: TZ_OK;
		pthread_join(thread, NULL);
		rc = w.members_rc;
		if (rc != TZ_OK)
			*err = w.members_err;
		else if ((rc = sectors_rc) != TZ_OK)
			*err = sectors_err;
		else if ((rc = w.procedures_rc) != TZ_OK)
			*err = w.procedures_err;
		else if ((rc = four_rc) != TZ_OK)
			*err = four_err;
		else if ((rc = visits_rc) != TZ_OK)
			*err = visits_err;
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
	}
	free(wcs);
	report_stmts_free(&stmts);
	return rc;
}
