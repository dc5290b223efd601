/*
 * demo.h — a realistic, reproducible demo village (src/model/demo*.c).
 *
 * Fills an open village store with every kind of record the campaign keeps:
 * villager groups, registered households and their members (Chinese names,
 * valid 18-digit ID numbers of an Anhui county with correct check digits, birth
 * dates and sexes that agree with them), their status history and member
 * changes, identification and exit procedures, the four lists, health,
 * schooling, housing, industry, jobs, loans, insurance and social security;
 * cadres, 双包 assignments and monthly visits; the 扶贫工作室's staff, business
 * leaders, a training base, trainings, typical cases, complaints, projects with
 * their stages and monitoring, problems with their history, marginal
 * households, and an imported 低保 roster that partly overlaps the registered
 * households. The same seed gives the same data (the row ids too), so tests and
 * screenshots can rely on it.
 *
 * Findings on purpose. A real ledger is not clean, and the precision checks
 * need something to find, so a small minority of records is wrong the way real
 * ones are (src/model/demo.c lists them). Most such records are valid rows that
 * a rule flags (an exited household with a dropout child). A few rows break the
 * model's own validation (src/model/tables.c) as data imported from an old
 * system would: their ids begin with DEMO_INVALID_ID_PREFIX, and nothing else's
 * does. They are: identification steps dated out of order, public notices
 * shorter than the policy's notice days (procedure_steps), and, in a village
 * of at least 20 households, one person registered as a member of two
 * households (both members rows).
 */
#ifndef TAIZHANG_DEMO_H
#define TAIZHANG_DEMO_H

#include <stdint.h>

#include "taizhang/error.h"
#include "taizhang/store.h"

/* The first hex digits of the id of every row the demo leaves invalid on
 * purpose (see above). */
#define DEMO_INVALID_ID_PREFIX "0badc0de"

struct demo_options {
	unsigned households; /* how many registered households (>= 1) */
	uint64_t seed;       /* same seed, same data */
	const char *today;   /* YYYY-MM-DD that ages and dates are relative to;
				NULL: 2019-04-20, the campaign's start */
};

/* Add the demo village's records to s (its division code is used as the
 * village, its store_meta name as the village's name). Writes in transactions
 * of at most 100 households with their records (the first also holds the
 * village's own records, the last the problems and cross-household records);
 * on failure what was written by the failing transaction is rolled back. Returns TZ_OK;
 * TZ_EUSAGE when o is out of range (households 1..100000, today a real date
 * from 2015-01-01 to 2099-12-31); TZ_EFAIL when s is not a village store, already
 * holds villager groups or households, or a write fails. */
int demo_populate(struct store *s, const struct demo_options *o, struct tz_error *err);

#endif
