/*
 * demo_outside.c — the demo village's households outside the register, written
 * between registered households (see demo_internal.h for how the demo's files
 * fit).
 *
 * After every MARGINAL_EVERY registered households, one marginal household
 * (边缘户, stream STREAM_MARGINAL + its index) with risk flags and measures, one
 * in six watched with risk flags but no measure (planted for the rules); after
 * every DIBAO_ONLY_EVERY, one 低保 household that is neither registered nor
 * marginal (stream STREAM_DIBAO_ONLY + its index). Both go on the 低保 roster
 * when on 低保, so the comparison finds 低保 households that are not
 * registered. Their people take ID numbers from the village's set like
 * everyone else's.
 */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"

#define MARGINAL_EVERY 20
#define DIBAO_ONLY_EVERY 25

struct person {
	char name[DEMO_NAME_NBYTES];
	char idcard[IDCARD_NCHARS + 1];
	const char *relation; /* label, as the roster writes it */
};

/* The unit that carries out a measure (units), or NULL: the village itself. */
static const char *measure_unit(const char *measure)
{
	static const char *const units[][2] = {
		{ "纳入低保", "minzheng" },       { "临时救助", "minzheng" },
		{ "医疗救助", "weishengyuan" },   { "落实教育资助", "zhongxinxiao" },
		{ "危房改造补助", "weigai" },
	};
	return DEMO_LOOKUP(units, measure, NULL);
}

/* A family of size around a head of sex born on birth: a spouse, children. */
static int make_family(struct demo *d, struct rng *r, char sex, int32_t birth, int size,
		       struct person *out)
{
	demo_pick_name(r, date_year(birth), sex, out[0].name);
	demo_make_idcard(d, r, DEMO_HOME_REGION, birth, sex, out[0].idcard);
	out[0].relation = "户主";
	int n = 1;
	if (size >= 2) {
		int32_t b = birth + rng_range(r, -3 * YEAR_DAYS, 3 * YEAR_DAYS);
		char s = sex == 'M' ? 'F' : 'M';
		demo_pick_name(r, date_year(b), s, out[n].name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, b, s, out[n].idcard);
		out[n++].relation = "配偶";
	}
	char surname[8];
	memcpy(surname, out[0].name, 3);
	surname[3] = '\0';
	int32_t born = birth + rng_range(r, 22 * YEAR_DAYS, 28 * YEAR_DAYS);
	while (n < size && born < d->today - 60) {
		char s = rng_percent(r, 52) ? 'M' : 'F';
		snprintf(out[n].name, sizeof out[n].name, "%s", sex == 'M' ? surname : "");
		if (sex != 'M')
			demo_pick_surname(r, out[n].name);
		demo_pick_given_name(r, date_year(born), s, out[n].name, sizeof out[n].name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, born, s, out[n].idcard);
		out[n++].relation = "子女";
		born += rng_range(r, YEAR_DAYS + 60, 4 * YEAR_DAYS);
	}
	return n;
}

static void roster_family(struct demo *d, struct rng *r, const struct person *people, int n,
			  int64_t monthly_each)
{
	for (int i = 0; i < n; i++) {
		char id[IDS_NCHARS + 1];
		demo_id(r, id);
		d->roster_line++;
		DEMO_ROW(d, DEMO_T_DIBAO_ROSTER, id, DV_T(d->roster_import_id), DV_I(d->roster_line + 1),
			 DV_T(d->village_name), DV_T(people[0].name), DV_T(people[0].idcard),
			 DV_T(people[i].name), DV_T(people[i].idcard), DV_T(people[i].relation), DV_I(n),
			 DV_I(monthly_each));
	}
}

static const struct risk {
	const char *flags;
	const char *difficulty;
	const char *measures[2];
} risks[] = {
	{ "illness,income_drop", "户主突发脑梗住院，医疗费用高，收入骤减", { "医疗救助", "纳入低保" } },
	{ "disability", "家中有重度残疾人需长期照料，劳动力不足", { "纳入低保", "残疾人两项补贴" } },
	{ "disaster", "房屋受暴雨损毁，需要修缮", { "临时救助", "危房改造补助" } },
	{ "school_cost", "两个孩子分别上高中和大学，就学负担重", { "落实教育资助", "临时救助" } },
	{ "accident,income_drop", "主要劳动力务工受伤，暂时丧失劳动能力", { "临时救助", "安排公益性岗位" } },
};

static void write_marginal(struct demo *d, unsigned index)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_MARGINAL + index);
	char id[IDS_NCHARS + 1], address[64], phone[DEMO_PHONE_NBYTES] = "";
	demo_id(&r, id);
	const struct group *g = &d->groups[rng_below(&r, (uint64_t)d->ngroups)];
	char sex = rng_percent(&r, 70) ? 'M' : 'F';
	int32_t birth = demo_birth_for_age(&r, d->today, 35, 72);
	int size = rng_range(&r, 1, 5);
	struct person people[5];
	size = make_family(d, &r, sex, birth, size, people);
	snprintf(address, sizeof address, "%s %d 号", g->name->name, rng_range(&r, 60, 99));
	if (rng_percent(&r, 80))
		demo_pick_phone(&r, phone);
	const struct risk *risk = &risks[rng_below(&r, sizeof risks / sizeof risks[0])];
	int no_measure = index % 6 == 1; /* planted: watched, at risk, nothing done */
	const char *state = no_measure || rng_percent(&r, 75) ? "watching" : "risk_removed";
	int64_t income = demo_money(&r, 3800, 5600);
	income += rng_range(&r, 0, 99);
	DEMO_ROW(d, DEMO_T_MARGINAL, id, DV_T(d->village), DV_T(g->id), DV_T(people[0].name),
		 DV_T(people[0].idcard), DV_I(size), DV_T(address), DV_T(phone), DV_I(income),
		 DV_T(risk->difficulty), DV_T(risk->flags), DV_T(state));
	if (no_measure)
		return;
	int nmeasures = rng_range(&r, 1, 2);
	int64_t dibao = 0;
	for (int k = 0; k < nmeasures; k++) {
		const char *measure = risk->measures[k];
		int64_t amount = -1;
		if (strcmp(measure, "纳入低保") == 0)
			amount = dibao = (int64_t)size * rng_range(&r, 240, 360) * 100;
		else if (strcmp(measure, "临时救助") == 0 || strcmp(measure, "医疗救助") == 0)
			amount = demo_money(&r, 1000, 5000);
		else if (strcmp(measure, "落实教育资助") == 0)
			amount = 200000;
		else if (strcmp(measure, "危房改造补助") == 0)
			amount = demo_money(&r, 8000, 20000);
		char mid[IDS_NCHARS + 1];
		demo_id(&r, mid);
		DEMO_ROW(d, DEMO_T_MARGINAL_MEASURES, mid, DV_T(id), DV_T(measure),
			 DV_D(demo_past_day(d, &r, d->today - 300, d->today - 5)),
			 amount < 0 ? DV_N : DV_I(amount), DV_T(measure_unit(measure)));
	}
	if (dibao > 0)
		roster_family(d, &r, people, size, dibao / size);
}

/* A 低保 household the village never registered: an old couple, a widow, a
 * disabled man living alone. */
static void write_dibao_only(struct demo *d, unsigned index)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_DIBAO_ONLY + index);
	struct person people[3];
	int32_t birth = demo_birth_for_age(&r, d->today, 45, 85);
	int size = rng_range(&r, 1, 2);
	char sex = rng_percent(&r, 60) ? 'M' : 'F';
	int n = make_family(d, &r, sex, birth, size, people);
	roster_family(d, &r, people, n, rng_range(&r, 260, 380) * 100);
}

void demo_between_households(struct demo *d, unsigned index)
{
	if (index % MARGINAL_EVERY == MARGINAL_EVERY / 2)
		write_marginal(d, index / MARGINAL_EVERY);
	if (index % DIBAO_ONLY_EVERY == 5)
		write_dibao_only(d, index / DIBAO_ONLY_EVERY);
}

