/*
 * phases.c — the clock of an import: where its time goes (bench/sync prints
 * it). Every moment is charged to exactly one phase, the one the import was
 * in (enum sync_import_phase), so that the phases add up to the whole; a
 * switch costs one read of CLOCK_MONOTONIC (a few per change applied).
 */
#include <time.h>

#include "sync_internal.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sync_phases_start(struct sync_phases *p, double *seconds, int phase)
{
	p->seconds = seconds;
	p->current = phase;
	p->since = now();
}

int sync_phase(struct sync_phases *p, int next)
{
	if (p == NULL)
		return next;
	double t = now();
	int left = p->current;
	p->seconds[left] += t - p->since;
	p->current = next;
	p->since = t;
	return left;
}
