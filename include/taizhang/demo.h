/*
 * demo.h — a realistic, reproducible demo village (src/model/demo.c).
 *
 * Fills an open village store with villager groups, registered households and
 * their members: Chinese names, valid 18-digit ID numbers of an Anhui county with
 * correct check digits, birth dates and sexes that agree with them, household
 * statuses over the campaign's range. The same seed gives the same data (the row
 * ids too), so tests and screenshots can rely on it. Later issues extend it with
 * their records.
 */
#ifndef TAIZHANG_DEMO_H
#define TAIZHANG_DEMO_H

#include <stdint.h>

#include "taizhang/error.h"
#include "taizhang/store.h"

struct demo_options {
	unsigned households; /* how many registered households (>= 1) */
	uint64_t seed;       /* same seed, same data */
	const char *today;   /* YYYY-MM-DD that ages and dates are relative to;
				NULL: 2019-04-20, the campaign's start */
};

/* Add the demo village's records to s (its division code is used as the
 * village). Writes in transactions of at most 100 households; on failure what
 * was written by the failing transaction is rolled back. Returns TZ_OK;
 * TZ_EUSAGE when o is out of range (households 1..100000, today a real date
 * from 2015-01-01 to 2099-12-31); TZ_EFAIL when s is not a village store, already
 * holds villager groups or households, or a write fails. */
int demo_populate(struct store *s, const struct demo_options *o, struct tz_error *err);

#endif
