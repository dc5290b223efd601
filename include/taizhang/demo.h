/*
 * demo.h — a realistic, reproducible demo village (src/demo/, whose files
 * src/demo/demo_internal.h lists).
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
 * ones are (src/demo/demo.c lists them). Most such records are valid rows that
 * a rule flags (an exited household with a dropout child). A few rows break the
 * model's own validation (src/model/tables.c) as data imported from an old
 * system would: their ids begin with DEMO_INVALID_ID_PREFIX, and nothing else's
 * does. They are: identification steps dated out of order, public notices
 * shorter than the policy's notice days (procedure_steps), and, in a village
 * of at least 20 households, one person registered as a member of two
 * households (both members rows).
 *
 * A town store (the 镇扶贫办's) can be filled too, one village at a time, as if
 * each village's rows had arrived by sync: demo_options.village_code names the
 * village. That is how the township report is tested and measured without the
 * sync module.
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
	/* Which village. NULL in a village store: the store's own (its division
	 * code, its store_meta name). In a town store, required: the 12-digit code
	 * of a village of that town (its first nine digits the town's), whose rows
	 * are written as they would arrive from that village by sync (owner and
	 * village_code = this code), with its row in villages registered. The
	 * same code, name, seed and today give the same rows as in that village's
	 * own store: the town's figures for it can be compared with its own. */
	const char *village_code;
	const char *village_name; /* with village_code; NULL: 示范村 (in a village
				     store NULL keeps the store's name) */
};

/* Add the demo village's records to s. Writes in transactions
 * of at most 100 households with their records (the first also holds the
 * village's own records, the last the problems and cross-household records);
 * on failure what was written by the failing transaction is rolled back. Returns TZ_OK;
 * TZ_EUSAGE when o is out of range (households 1..100000, today a real date
 * from 2015-01-01 to 2099-12-31, a village code that is not 12 digits, a name
 * of more than 20 characters); TZ_EFAIL when s is a town store and no village
 * (or one not of the town) is given, a village store and another village is
 * given, the village already has villager groups or households in s, or a
 * write fails. */
int demo_populate(struct store *s, const struct demo_options *o, struct tz_error *err);

/* The index-th village (0-based, < DEMO_TOWN_MAX_VILLAGES) of a demo town whose
 * division code is town_code: its code (the town's first nine digits, then
 * 201 + index) into code, and a name (示范村 for index 0, then 李庄村, ...).
 * Returns TZ_OK, or TZ_EUSAGE when index is out of range or town_code is not
 * 12 digits. */
#define DEMO_TOWN_MAX_VILLAGES 40
int demo_town_village(const char *town_code, unsigned index, char code[13], const char **name,
		      struct tz_error *err);

#endif
