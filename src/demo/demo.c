/*
 * demo.c — a realistic, reproducible demo village (see include/taizhang/demo.h):
 * the entry point, demo_populate, which checks the options and the store and
 * writes the village in batches, calling the demo's other parts.
 *
 * The demo fills a new village store with what an officer in 霍邱县 (Anhui)
 * would find in the ledger at the start of the 2019 campaign: 6-10 villager
 * groups (here), registered households in every state of the 2014-2019
 * campaign and their members (demo_people.c), and every other ledger of the
 * campaign around them (demo_household.c, demo_sectors.c, demo_village.c,
 * demo_outside.c, demo_last.c). A few records are left slightly wrong on
 * purpose, as in real ledgers, so that the precision rules have something to
 * find. demo_internal.h says how the files fit.
 *
 * Reproducibility. Everything comes from struct rng (rng.h), never from
 * libsodium or the clock: the same seed and the same today give byte-identical
 * rows, row ids included (demo_id replaces ids_new). Each household draws from
 * its own stream, so populating 50 households gives the first 50 of 120. The
 * one thing households share is the set of ID numbers already used: a
 * collision (rare) moves the sequence digits on, deterministically.
 *
 * Writing (demo_rows.c): one transaction per DEMO_TX_HOUSEHOLDS households
 * with all their records, each with one audit row "demo.populate"; the first
 * transaction also holds the groups and the village's own records, the last
 * the records that span households. created_at and updated_at are today at a
 * fixed time, so they reproduce too (but for one member whose created_at is
 * the point: see demo_last.c).
 *
 * Findings on purpose, for the precision rules (src/rules/) to find, a small
 * minority each (about 3 per rule in a village of 120):
 *   - exited or monitored households with an income under the line
 *     (demo_people.c, 5-10 %), with a dropout child, an unsafe house not
 *     renovated, or no family-doctor contract (demo_sectors.c);
 *   - identification procedures missing their last steps, with the village
 *     review dated before the group review, or with a village notice shorter
 *     than notice_days (demo_household.c; the last two rows are invalid);
 *   - an assigned cadre who did not visit in the last full month
 *     (demo_household.c);
 *   - one person registered in two households (invalid rows), one member over
 *     max_plausible_age, one born after their record was made, problems past
 *     their deadline (demo_last.c), a project stuck in 镇初审, a poor village
 *     with three business leaders (demo_village.c), a marginal household at
 *     risk without a measure (demo_outside.c).
 * Rows that break the model's own validation (src/model/tables.c), as data
 * from an old system would, have ids beginning with DEMO_INVALID_ID_PREFIX
 * (demo.h); no other row does.
 *
 * A town store. With demo_options.village_code the same village is written
 * into a town store, as the town would hold it after sync: every row exactly as
 * in the village's own store (same seed, same ids), owner and village_code the
 * village's; only the refusal of a non-empty store looks at that village's rows
 * alone. demo_town.c names the villages of a demo town.
 *
 * Deliberately not here: any rule about what a valid household is (that is
 * model/ and rules/), and the national system's household numbers (household_no
 * stays NULL: their format is not ours to invent).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/browse.h"
#include "taizhang/campaign.h"
#include "taizhang/division.h"
#include "taizhang/model.h"
#include "taizhang/utf8.h"

#include "demo_internal.h"

#define DEMO_TX_HOUSEHOLDS 100
#define DEMO_MAX_HOUSEHOLDS 100000
#define DEMO_MIN_GROUPS 6
#define DEMO_DEFAULT_TODAY "2019-04-20"
#define DEMO_EARLIEST_TODAY "2015-01-01"
#define DEMO_TIME_OF_DAY "T01:00:00Z" /* 09:00 in China */

/* Villager group names: most are named after the family that founded the hamlet
 * (its surname is then more common there), some are collective-era names. */
static const struct group_name group_names[] = {
	{ "张", "张庄组" }, { "李", "李洼组" }, { "王", "王岗组" }, { "刘", "刘郢组" },
	{ "陈", "陈圩组" }, { "杨", "杨湾组" }, { "周", "周楼组" }, { "吴", "吴大庄组" },
	{ "徐", "徐小郢组" }, { "孙", "孙岗组" }, { "马", "马店组" }, { "胡", "胡台组" },
	{ "高", "高塘组" }, { "何", "何老庄组" }, { NULL, "前进组" }, { NULL, "红星组" },
	{ NULL, "团结组" }, { NULL, "新建组" }, { NULL, "光明组" }, { NULL, "东风组" },
};

/* Households [first, end) with all their records in one transaction; the first
 * also writes the groups and the village's own records, the last the records
 * that span households. */
static int write_batch(struct demo *d, unsigned first, unsigned end, struct tz_error *err)
{
	struct household h;
	struct rng r;
	int rc = store_tx_begin(d->s, err);
	if (rc != TZ_OK)
		return rc;
	int src = browse_search_defer(d->s, 1);
	if (src != SQLITE_OK)
		rc = store_sqlite_error(d->s, src, "写入演示住户", err);
	d->rc = TZ_OK;
	if (rc == TZ_OK && first == 0) {
		rc = demo_insert_groups(d, err);
		if (rc == TZ_OK) {
			demo_village_records(d);
			rc = d->rc;
		}
	}
	for (unsigned i = first; rc == TZ_OK && i < end; i++) {
		rc = demo_make_household(d, i, &h, &r);
		if (rc == TZ_OK)
			rc = demo_insert_household(d, &h, err);
		if (rc == TZ_OK) {
			demo_household_records(d, &r, &h);
			demo_between_households(d, i);
			rc = d->rc;
		}
	}
	if (rc == TZ_OK && end == d->nhouseholds) {
		demo_last_records(d);
		rc = d->rc;
	}
	if (rc == TZ_OK) {
		char detail[160];
		snprintf(detail, sizeof detail, "演示数据：第 %u 至 %u 户，共 %u 户（种子 %" PRIu64 "）",
			 first + 1, end, d->nhouseholds, d->seed);
		rc = store_audit(d->s, "demo.populate", d->village, detail, err);
	}
	src = browse_search_defer(d->s, 0);
	if (rc == TZ_OK && src != SQLITE_OK)
		rc = store_sqlite_error(d->s, src, "写入演示住户", err);
	return store_tx_end(d->s, rc, err);
}

/* 6-10 distinct group names, each with a relative size, an id and a leader. */
static void make_groups(struct demo *d)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_GROUPS);
	size_t npool = sizeof group_names / sizeof group_names[0];
	size_t order[sizeof group_names / sizeof group_names[0]];
	for (size_t i = 0; i < npool; i++)
		order[i] = i;
	d->ngroups = rng_range(&r, DEMO_MIN_GROUPS, DEMO_MAX_GROUPS);
	for (int i = 0; i < d->ngroups; i++) {
		/* A partial Fisher-Yates shuffle picks distinct names. */
		size_t j = (size_t)i + (size_t)rng_below(&r, npool - (size_t)i);
		size_t t = order[i];
		order[i] = order[j];
		order[j] = t;
		struct group *g = &d->groups[i];
		demo_id(&r, g->id);
		g->name = &group_names[order[i]];
		g->weight = (unsigned)rng_range(&r, 2, 6);
		g->last_house_no = 0;
		d->group_weights[i] = g->weight;
	}
	/* Leaders after everything else, so that the groups stay as they were. A
	 * family-named hamlet's leader is mostly of that family. */
	for (int i = 0; i < d->ngroups; i++) {
		struct group *g = &d->groups[i];
		int year = rng_range(&r, 1955, 1975);
		if (g->name->surname != NULL && rng_percent(&r, 70)) {
			snprintf(g->leader, sizeof g->leader, "%s", g->name->surname);
			demo_pick_given_name(&r, year, 'M', g->leader, sizeof g->leader);
		} else {
			demo_pick_name(&r, year, 'M', g->leader);
		}
	}
}

/* The demo writes into a new store only (a town store: a village it has no
 * rows of yet): groups or households already there would clash with its names
 * and confuse its counts. */
static int check_store_is_empty(struct demo *d, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = demo_prepare(d,
			 "SELECT (SELECT count(*) FROM villager_groups WHERE ?1 IS NULL OR village_code = ?1)"
			 " + (SELECT count(*) FROM households WHERE ?1 IS NULL OR village_code = ?1)",
			 &st, err);
	if (rc != TZ_OK)
		return rc;
	if (d->in_town)
		sqlite3_bind_text(st, 1, d->village, -1, SQLITE_STATIC);
	int src = sqlite3_step(st);
	sqlite3_int64 rows = src == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (src != SQLITE_ROW)
		return store_sqlite_error(d->s, src, "检查台账是否为空", err);
	if (rows > 0 && d->in_town)
		return tz_error_set(err, TZ_EFAIL,
				    "镇台账里已经有%s（%s）的村民小组或住户，演示数据只能写入还没有数据的村",
				    d->village_name, d->village);
	if (rows > 0)
		return tz_error_set(err, TZ_EFAIL,
				    "这个台账里已经有村民小组或住户，演示数据只能写入新建的空台账");
	return TZ_OK;
}

/* The village's name as the store knows it (store_meta), else 示范村. */
static void read_village_name(struct demo *d)
{
	sqlite3_stmt *st;
	snprintf(d->village_name, sizeof d->village_name, "示范村");
	if (sqlite3_prepare_v2(d->db, "SELECT value FROM store_meta WHERE key = 'name'", -1, &st,
			       NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
	    sqlite3_column_bytes(st, 0) > 0 &&
	    (size_t)sqlite3_column_bytes(st, 0) < sizeof d->village_name)
		snprintf(d->village_name, sizeof d->village_name, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* The village the demo writes (demo.h, demo_options.village_code): d->village,
 * d->village_name, d->in_town. */
static int choose_village(struct demo *d, const struct keyring *kr, const struct demo_options *o,
			  struct tz_error *err)
{
	if (o->village_code != NULL && !division_code_valid(o->village_code))
		return tz_error_set(err, TZ_EUSAGE, "演示村的代码“%s”应为 12 位数字",
				    o->village_code);
	if (o->village_name != NULL &&
	    (o->village_name[0] == '\0' || utf8_nchars(o->village_name) > DEMO_VILLAGE_NAME_NCHARS ||
	     strlen(o->village_name) >= sizeof d->village_name))
		return tz_error_set(err, TZ_EUSAGE, "演示村的名称“%s”应为 1 到 %d 个字",
				    o->village_name, DEMO_VILLAGE_NAME_NCHARS);
	if (kr->kind == STORE_KIND_TOWN) {
		if (o->village_code == NULL)
			return tz_error_set(err, TZ_EFAIL,
					    "演示村庄数据只能写入村级台账；写入镇级台账时要指定是哪个村");
		if (!division_in_town(o->village_code, kr->division_code))
			return tz_error_set(err, TZ_EFAIL,
					    "%s 不是本镇（%s）的村：村代码的前 9 位应与镇代码相同",
					    o->village_code, kr->division_code);
		d->in_town = 1;
		memcpy(d->village, o->village_code, sizeof d->village);
		snprintf(d->village_name, sizeof d->village_name, "%s",
			 o->village_name != NULL ? o->village_name : "示范村");
		return TZ_OK;
	}
	if (kr->kind != STORE_KIND_VILLAGE)
		return tz_error_set(err, TZ_EFAIL, "演示村庄数据只能写入村级台账");
	if (o->village_code != NULL && strcmp(o->village_code, kr->division_code) != 0)
		return tz_error_set(err, TZ_EFAIL,
				    "村级台账只能写入本村（%s）的演示数据，不能写入 %s",
				    kr->division_code, o->village_code);
	memcpy(d->village, kr->division_code, sizeof d->village);
	if (o->village_name != NULL)
		snprintf(d->village_name, sizeof d->village_name, "%s", o->village_name);
	else
		read_village_name(d);
	return TZ_OK;
}

static int demo_init(struct demo *d, struct store *s, const struct demo_options *o,
		     struct tz_error *err)
{
	memset(d, 0, sizeof *d);
	d->s = s;
	d->db = store_db(s);
	d->err = err;
	const struct keyring *kr = store_keyring(s);
	int rc = choose_village(d, kr, o, err);
	if (rc != TZ_OK)
		return rc;
	if (d->db == NULL)
		return tz_error_set(err, TZ_EFAIL, "内部错误：台账没有打开数据库");
	if (o->households < 1 || o->households > DEMO_MAX_HOUSEHOLDS)
		return tz_error_set(err, TZ_EUSAGE, "演示住户数应在 1 到 %d 之间，现在是 %u",
				    DEMO_MAX_HOUSEHOLDS, o->households);
	const char *today = o->today != NULL ? o->today : DEMO_DEFAULT_TODAY;
	int32_t earliest;
	date_parse(DEMO_EARLIEST_TODAY, &earliest);
	if (!date_parse(today, &d->today) || d->today < earliest || date_year(d->today) > 2099)
		return tz_error_set(err, TZ_EUSAGE,
				    "演示数据的日期“%s”不对：应为 YYYY-MM-DD 格式的真实日期，在 %s 到 2099-12-31 之间",
				    today, DEMO_EARLIEST_TODAY);
	date_format(d->today, d->today_text);
	snprintf(d->stamp, sizeof d->stamp, "%s%s", d->today_text, DEMO_TIME_OF_DAY);
	d->seed = o->seed;
	d->nhouseholds = o->households;
	d->notice_days = (int)model_policy(s, "notice_days", 7);
	d->school_age_min = (int)model_policy(s, "school_age_min", 6);
	d->school_age_max = (int)model_policy(s, "school_age_max", 15);
	d->income_line_cents = model_policy(s, "income_line_cents", DEMO_POVERTY_LINE_YUAN * 100);
	return TZ_OK;
}

static void demo_release(struct demo *d)
{
	demo_rows_finalize(d);
	demo_free_village(d);
	free(d->used.slots);
}

int demo_populate(struct store *s, const struct demo_options *o, struct tz_error *err)
{
	struct demo d;
	int rc = demo_init(&d, s, o, err);
	if (rc == TZ_OK)
		rc = check_store_is_empty(&d, err);
	if (rc == TZ_OK)
		rc = demo_rows_prepare(&d, err);
	if (rc == TZ_OK) {
		make_groups(&d);
		demo_plan_village(&d);
	}
	/* the rows (random ids) land all over a store soon larger than its
	 * cache: without this, generating grew faster than the village */
	long long old_cache = store_cache_raise(s, STORE_BULK_CACHE_KIB);
	for (unsigned first = 0; rc == TZ_OK && first < d.nhouseholds;
	     first += DEMO_TX_HOUSEHOLDS) {
		unsigned end = d.nhouseholds - first > DEMO_TX_HOUSEHOLDS ? first + DEMO_TX_HOUSEHOLDS
									    : d.nhouseholds;
		rc = write_batch(&d, first, end, err);
	}
	store_cache_restore(s, old_cache);
	demo_release(&d);
	if (rc == TZ_OK) /* the village's (at the town: and the units') deliverables */
		rc = deliverable_generate(s, NULL, err);
	return rc;
}

