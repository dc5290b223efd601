/*
 * demo_people.c — one registered household of the demo village and its people:
 * who lives there and what the ledger says about each of them (see
 * demo_internal.h for how the demo's files fit).
 *
 * Each household draws from its own stream (rng_seed_stream(seed,
 * STREAM_HOUSEHOLD + index)), and draws its ids before anything else, so a
 * change in how one household is composed does not shift the households after
 * it, and populating 50 households gives the first 50 of 120.
 *
 * How a household is built:
 *   1. a shape (the `shapes` table: an elderly widow alone, a couple with
 *      children, three generations, grandparents raising grandchildren, ...)
 *      adds people with relations, sexes and birth dates that fit each other
 *      (a spouse of the opposite sex and similar age, children 20-36 years
 *      younger than their mother, ...);
 *   2. each person gets an ID number of the county (341522, 霍邱县; a spouse
 *      married in sometimes 341521/341523/341524) built from that birth date and
 *      sex, unique in the village (demo_make_idcard);
 *   3. health, disability, schooling, work ability, status and phone follow the
 *      person's age (today is o->today, 2019-04-20 by default);
 *   4. the household's poverty cause follows its members (a serious illness
 *      makes 因病 likely), its status, dates and income follow the campaign;
 *      exited or monitored households have an income under the line now and
 *      then (5-10 %), for the precision rules to find.
 *
 * Deliberately not here: writing (demo_rows.c) and the household's other
 * records (demo_household.c, demo_sectors.c).
 */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"

/* Counties a spouse may have married in from: 寿县, 舒城县, 金寨县 (六安市). */
static const char *const married_in_regions[] = { "341521", "341523", "341524" };

static const char *const household_statuses[] = { "exited", "monitored", "helped",
						  "identified", "fell_back" };
static const unsigned household_status_weights[] = { 48, 20, 18, 7, 7 };

/* Poverty causes with their labels (as in code_list) and how often each is the
 * cause when nothing about the members points to one. */
struct cause {
	const char *code;
	const char *label;
	unsigned weight;
};
static const struct cause causes[] = {
	{ "illness", "因病", 10 },    { "disability", "因残", 4 },
	{ "schooling", "因学", 6 },   { "disaster", "因灾", 4 },
	{ "no_land", "缺土地", 4 },   { "no_water", "缺水", 1 },
	{ "no_skill", "缺技术", 24 }, { "no_labour", "缺劳力", 12 },
	{ "no_capital", "缺资金", 22 }, { "transport", "交通条件落后", 3 },
	{ "no_drive", "自身发展动力不足", 6 },
};
#define NCAUSES (sizeof causes / sizeof causes[0])

static const char *const disability_kinds[] = { "肢体", "视力", "听力", "言语",
						"智力", "精神", "多重" };
static const unsigned disability_kind_weights[] = { 40, 12, 12, 4, 14, 12, 6 };
static const char *const disability_grades[] = { "一级", "二级", "三级", "四级" };
static const unsigned disability_grade_weights[] = { 10, 25, 35, 30 };

/* ---- step 1: shapes of households ---- */

/* Add a person to h, or return NULL when h is full or the birth day is less
 * than 30 days before today. The name is surname plus a given name fitting the birth year and
 * sex, different from everyone else's in h. region NULL: the home county. */
static struct member *add_member(const struct demo *d, struct rng *r,
				 struct household *h, const char *relation, char sex,
				 int32_t birth, const char *region, const char *surname)
{
	if (h->nmembers >= DEMO_MAX_MEMBERS || birth > d->today - 30)
		return NULL;
	struct member *m = &h->members[h->nmembers];
	memcpy(m->id, h->member_ids[h->nmembers], sizeof m->id);
	m->relation = relation;
	m->sex = sex;
	m->birth = birth;
	date_format(birth, m->birth_text);
	m->region = region != NULL ? region : DEMO_HOME_REGION;
	for (int tries = 0;; tries++) {
		snprintf(m->name, sizeof m->name, "%s", surname);
		demo_pick_given_name(r, date_year(birth), sex, m->name, sizeof m->name);
		int clash = 0;
		for (int i = 0; i < h->nmembers; i++)
			clash |= strcmp(h->members[i].name, m->name) == 0;
		if (!clash || tries >= 8)
			break;
	}
	h->nmembers++;
	return m;
}

/* The county of someone who married into the village: mostly the home county. */
static const char *married_in_region(struct rng *r)
{
	return rng_percent(r, 80) ? DEMO_HOME_REGION : rng_pick(r, married_in_regions);
}

/* A spouse for p (of the opposite sex and a similar age, husbands mostly a
 * little older), with their own surname. */
static struct member *add_spouse(const struct demo *d, struct rng *r, struct household *h,
				 const struct member *p, const char *relation)
{
	char surname[8];
	demo_pick_other_surname(r, h->surname, surname);
	int32_t offset = p->sex == 'M' ? rng_range(r, -2 * YEAR_DAYS, 6 * YEAR_DAYS)
				       : rng_range(r, -6 * YEAR_DAYS, 2 * YEAR_DAYS);
	return add_member(d, r, h, relation, p->sex == 'M' ? 'F' : 'M', p->birth + offset,
			  married_in_region(r), surname);
}

/* Up to count children of a mother born on mother_birth (20-36 years younger
 * than her, a year or more apart), carrying h's surname. Children not yet born
 * on today are left out. */
static void add_children(const struct demo *d, struct rng *r, struct household *h,
			 int count, int32_t mother_birth, const char *relation)
{
	int32_t born = mother_birth + rng_range(r, 20 * YEAR_DAYS, 28 * YEAR_DAYS);
	for (int i = 0; i < count; i++) {
		if (born > mother_birth + 36 * YEAR_DAYS)
			break;
		char sex = rng_percent(r, 52) ? 'M' : 'F';
		add_member(d, r, h, relation, sex, born, NULL, h->surname);
		born += rng_range(r, YEAR_DAYS + 60, 5 * YEAR_DAYS);
	}
}

/* Who bore the head's children: the spouse if the head is a man and married,
 * else the head; a widower's late wife is taken to be about his age. */
static int32_t mother_of_heads_children(struct rng *r, const struct household *h)
{
	const struct member *head = &h->members[0];
	if (head->sex == 'F')
		return head->birth;
	if (h->nmembers > 1 && strcmp(h->members[1].relation, "spouse") == 0)
		return h->members[1].birth;
	return head->birth + rng_range(r, 0, 4 * YEAR_DAYS);
}

static int children_count(struct rng *r)
{
	static const unsigned weights[] = { 35, 45, 20 };
	return 1 + (int)rng_weighted(r, weights, 3);
}

static struct member *add_head(const struct demo *d, struct rng *r, struct household *h,
			       unsigned male_percent, int min_age, int max_age)
{
	char sex = rng_percent(r, male_percent) ? 'M' : 'F';
	return add_member(d, r, h, "head", sex, demo_birth_for_age(r, d->today, min_age, max_age),
			  NULL, h->surname);
}

/* An elderly person living alone, most often a widow. */
static void shape_elderly_alone(const struct demo *d, struct rng *r, struct household *h)
{
	add_head(d, r, h, 45, 62, 88);
}

static void shape_elderly_couple(const struct demo *d, struct rng *r, struct household *h)
{
	struct member *head = add_head(d, r, h, 95, 60, 84);
	add_spouse(d, r, h, head, "spouse");
}

/* Parents (sometimes one) and their children. */
static void shape_nuclear(const struct demo *d, struct rng *r, struct household *h)
{
	struct member *head = add_head(d, r, h, 92, 28, 56);
	if (rng_percent(r, 88))
		add_spouse(d, r, h, head, "spouse");
	int32_t mother = mother_of_heads_children(r, h);
	add_children(d, r, h, children_count(r), mother, "child");
}

/* An older couple, a married child with their spouse, and grandchildren. */
static void shape_three_generations(const struct demo *d, struct rng *r, struct household *h)
{
	struct member *head = add_head(d, r, h, 94, 50, 72);
	if (rng_percent(r, 80))
		add_spouse(d, r, h, head, "spouse");
	int32_t mother = mother_of_heads_children(r, h);
	/* Mostly a son and daughter-in-law; sometimes a daughter whose husband
	 * married into the family (上门女婿). */
	char sex = rng_percent(r, 80) ? 'M' : 'F';
	struct member *child = add_member(d, r, h, "child", sex,
					  mother + rng_range(r, 22 * YEAR_DAYS, 32 * YEAR_DAYS),
					  NULL, h->surname);
	if (child == NULL)
		return;
	struct member *in_law = add_spouse(d, r, h, child, "child_in_law");
	if (in_law == NULL)
		return;
	int32_t young_mother = child->sex == 'F' ? child->birth : in_law->birth;
	add_children(d, r, h, 1 + (int)rng_below(r, 2), young_mother, "grandchild");
	/* Sometimes a younger, unmarried child still at home, born while the
	 * mother was still under 42. */
	int32_t younger = child->birth + rng_range(r, 2 * YEAR_DAYS, 12 * YEAR_DAYS);
	if (rng_percent(r, 25) && younger < mother + 42 * YEAR_DAYS)
		add_member(d, r, h, "child", rng_percent(r, 52) ? 'M' : 'F', younger, NULL,
			   h->surname);
}

/* A couple and children with one or both of the head's parents. */
static void shape_with_parents(const struct demo *d, struct rng *r, struct household *h)
{
	struct member *head = add_head(d, r, h, 94, 30, 55);
	if (rng_percent(r, 85))
		add_spouse(d, r, h, head, "spouse");
	/* Widowed mothers outlive fathers: the mother alone, the father alone, or
	 * both. */
	static const unsigned which_weights[] = { 50, 20, 30 };
	size_t which = rng_weighted(r, which_weights, 3);
	int32_t father_birth = head->birth - rng_range(r, 24 * YEAR_DAYS, 36 * YEAR_DAYS);
	int32_t mother_birth = father_birth + rng_range(r, 0, 4 * YEAR_DAYS);
	if (which != 0)
		add_member(d, r, h, "parent", 'M', father_birth, NULL, h->surname);
	if (which != 1) {
		char surname[8];
		demo_pick_other_surname(r, h->surname, surname);
		add_member(d, r, h, "parent", 'F', mother_birth, married_in_region(r), surname);
	}
	int nchildren = (int)rng_below(r, 3);
	add_children(d, r, h, nchildren, mother_of_heads_children(r, h), "child");
}

/* Grandparents raising grandchildren whose parents work away (留守儿童). */
static void shape_grandparents(const struct demo *d, struct rng *r, struct household *h)
{
	struct member *head = add_head(d, r, h, 60, 58, 78);
	if (rng_percent(r, 50))
		add_spouse(d, r, h, head, "spouse");
	int n = 1 + (int)rng_below(r, 2);
	for (int i = 0; i < n; i++) {
		char sex = rng_percent(r, 52) ? 'M' : 'F';
		add_member(d, r, h, "grandchild", sex, demo_birth_for_age(r, d->today, 2, 15), NULL,
			   h->surname);
	}
}

/* An unmarried adult, often ill or disabled, sometimes with an old parent. */
static void shape_single_adult(const struct demo *d, struct rng *r, struct household *h)
{
	struct member *head = add_head(d, r, h, 75, 28, 60);
	h->frail_head = 1;
	if (rng_percent(r, 50)) {
		char sex = rng_percent(r, 65) ? 'F' : 'M';
		char surname[8];
		if (sex == 'M')
			snprintf(surname, sizeof surname, "%s", h->surname);
		else
			demo_pick_other_surname(r, h->surname, surname);
		const char *region = sex == 'F' ? married_in_region(r) : NULL;
		int32_t birth = head->birth - rng_range(r, 22 * YEAR_DAYS, 32 * YEAR_DAYS);
		add_member(d, r, h, "parent", sex, birth, region, surname);
	}
}

struct shape {
	const char *what;
	unsigned weight; /* how common among registered households */
	void (*compose)(const struct demo *d, struct rng *r, struct household *h);
};

static const struct shape shapes[] = {
	{ "老人独居", 12, shape_elderly_alone },
	{ "老年夫妻", 16, shape_elderly_couple },
	{ "夫妻与子女", 28, shape_nuclear },
	{ "三代同堂", 18, shape_three_generations },
	{ "与父母同住", 14, shape_with_parents },
	{ "祖孙同住", 6, shape_grandparents },
	{ "单身成年人", 6, shape_single_adult },
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* ---- step 2: ID numbers ---- */

/* Give every member of h an ID number from their region, birth date and sex,
 * unique in the village. */
static int assign_idcards(struct demo *d, struct rng *r, struct household *h)
{
	for (int i = 0; i < h->nmembers && d->rc == TZ_OK; i++) {
		struct member *m = &h->members[i];
		demo_make_idcard(d, r, m->region, m->birth, m->sex, m->idcard);
	}
	return d->rc;
}

/* ---- step 3: what follows from a person's age ---- */

static void pick_health(struct rng *r, struct member *m, int age, int frail)
{
	static const char *const health[] = { "healthy", "chronic", "serious", "disabled" };
	static const unsigned child[] = { 95, 2, 1, 2 };
	static const unsigned adult[] = { 74, 12, 6, 8 };
	static const unsigned elderly[] = { 40, 38, 10, 12 };
	static const unsigned frail_adult[] = { 25, 20, 20, 35 };
	const unsigned *w = frail ? frail_adult : age < 18 ? child : age < 60 ? adult : elderly;
	m->health = health[rng_weighted(r, w, 4)];
	m->disability[0] = '\0';
	m->disability_grade = 0;
	if (strcmp(m->health, "disabled") == 0) {
		size_t kind = rng_weighted(r, disability_kind_weights, 7);
		size_t grade = rng_weighted(r, disability_grade_weights, 4);
		snprintf(m->disability, sizeof m->disability, "%s%s", disability_kinds[kind],
			 disability_grades[grade]);
		m->disability_grade = (int)grade + 1;
	}
}

/* Schooling: where a child is at school by age; an adult's level by the
 * generation they were born in. */
static void pick_schooling(struct rng *r, struct member *m, int age)
{
	static const char *const levels[] = { "illiterate", "primary", "junior", "senior",
					      "college" };
	static const unsigned born_before_1950[] = { 55, 35, 10, 0, 0 };
	static const unsigned born_before_1965[] = { 25, 45, 25, 5, 0 };
	static const unsigned born_before_1980[] = { 5, 30, 50, 13, 2 };
	static const unsigned born_before_1996[] = { 0, 10, 50, 25, 15 };
	static const unsigned born_later[] = { 0, 0, 35, 40, 25 };
	if (age < 6) {
		m->schooling = "preschool";
	} else if (age < 12) {
		m->schooling = "primary";
	} else if (age < 15) {
		m->schooling = "junior";
	} else if (age < 18) {
		m->schooling = rng_percent(r, 80) ? "senior" : "junior";
	} else if (m->disability_grade != 0 && strncmp(m->disability, "智力", 6) == 0) {
		m->schooling = rng_percent(r, 70) ? "illiterate" : "primary";
	} else {
		int year = date_year(m->birth);
		const unsigned *w = year < 1950 ? born_before_1950 : year < 1965 ? born_before_1965
				  : year < 1980 ? born_before_1980 : year < 1996 ? born_before_1996
				  : born_later;
		m->schooling = levels[rng_weighted(r, w, 5)];
	}
}

/* Work ability: none for children, students and the elderly; for adults it
 * follows health. */
static void pick_work_ability(struct rng *r, struct member *m, int age)
{
	static const char *const abilities[] = { "ordinary", "skilled", "weak", "lost" };
	static const unsigned healthy[] = { 65, 20, 15, 0 };
	static const unsigned chronic[] = { 45, 5, 50, 0 };
	static const unsigned serious[] = { 0, 0, 50, 50 };
	static const unsigned mildly_disabled[] = { 35, 5, 60, 0 };
	static const unsigned near_retirement[] = { 20, 0, 70, 10 };
	int student = age < 18 || (age <= 22 && strcmp(m->schooling, "college") == 0);
	if (student || age >= 65) {
		m->work_ability = "none";
		return;
	}
	if (m->disability_grade == 1 || m->disability_grade == 2) {
		m->work_ability = "lost";
		return;
	}
	const unsigned *w = healthy;
	if (strcmp(m->health, "serious") == 0)
		w = serious;
	else if (age >= 60)
		w = near_retirement;
	else if (m->disability_grade != 0)
		w = mildly_disabled;
	else if (strcmp(m->health, "chronic") == 0)
		w = chronic;
	m->work_ability = abilities[rng_weighted(r, w, 4)];
}

static void pick_member_status(struct rng *r, struct member *m, int age)
{
	m->status = "present";
	if (strcmp(m->relation, "head") == 0)
		return;
	if (age >= 75 && rng_percent(r, 5))
		m->status = "deceased";
	else if (strcmp(m->relation, "child") == 0 && age >= 20) {
		if (m->sex == 'F' && rng_percent(r, 6))
			m->status = "married_out";
		else if (rng_percent(r, 4))
			m->status = "moved_out";
	}
}

static void describe_member(const struct demo *d, struct rng *r, struct household *h,
			    struct member *m)
{
	int age = date_age_on(m->birth, d->today);
	int is_head = strcmp(m->relation, "head") == 0;
	pick_health(r, m, age, is_head && h->frail_head);
	pick_schooling(r, m, age);
	pick_work_ability(r, m, age);
	pick_member_status(r, m, age);
	m->phone[0] = '\0';
	unsigned phone_percent = 0;
	if (strcmp(m->status, "present") == 0 && age >= 18)
		phone_percent = age <= 65 ? (is_head ? 92 : 55) : (is_head ? 45 : 10);
	if (rng_percent(r, phone_percent))
		demo_pick_phone(r, m->phone);
}

/* ---- step 4: the household's own fields ---- */

static int any_health(const struct household *h, const char *health)
{
	for (int i = 0; i < h->nmembers; i++)
		if (strcmp(h->members[i].health, health) == 0)
			return 1;
	return 0;
}

/* Whether someone of h is at senior school or college now (aged 15-22). */
static int any_student_beyond_junior(const struct household *h, int32_t today)
{
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int age = date_age_on(m->birth, today);
		if (age >= 15 && age <= 22 && (strcmp(m->schooling, "senior") == 0 ||
					       strcmp(m->schooling, "college") == 0))
			return 1;
	}
	return 0;
}

static int has_labour(const struct household *h)
{
	for (int i = 0; i < h->nmembers; i++) {
		const char *w = h->members[i].work_ability;
		if (strcmp(w, "ordinary") == 0 || strcmp(w, "skilled") == 0)
			return 1;
	}
	return 0;
}

static const struct cause *cause_by_code(const char *code)
{
	for (size_t i = 0; i < NCAUSES; i++)
		if (strcmp(causes[i].code, code) == 0)
			return &causes[i];
	return &causes[0];
}

/* The main cause follows the members when they point to one. */
static const struct cause *pick_cause(const struct demo *d, struct rng *r,
				      const struct household *h)
{
	if (any_health(h, "serious") && rng_percent(r, 75))
		return cause_by_code("illness");
	if (any_health(h, "disabled") && rng_percent(r, 65))
		return cause_by_code("disability");
	if (any_health(h, "chronic") && rng_percent(r, 45))
		return cause_by_code("illness");
	if (any_student_beyond_junior(h, d->today) && rng_percent(r, 40))
		return cause_by_code("schooling");
	if (!has_labour(h) && rng_percent(r, 70))
		return cause_by_code("no_labour");
	unsigned weights[NCAUSES];
	for (size_t i = 0; i < NCAUSES; i++)
		weights[i] = causes[i].weight;
	return &causes[rng_weighted(r, weights, NCAUSES)];
}

/* Per-capita income in 分 for a household of status: exited households are
 * mostly well above the line, but a few are under it (what the precision rules
 * should find); households still in poverty are mostly under it. */
static int64_t pick_income(struct rng *r, const char *status)
{
	int yuan;
	int exited = strcmp(status, "exited") == 0 || strcmp(status, "monitored") == 0;
	if (exited) {
		unsigned under_percent = strcmp(status, "monitored") == 0 ? 10 : 5;
		if (rng_percent(r, under_percent)) {
			yuan = rng_range(r, 2900, DEMO_POVERTY_LINE_YUAN - 10);
		} else {
			yuan = rng_range(r, 3800, 9000);
			yuan += rng_range(r, 0, 6000);
		}
	} else if (strcmp(status, "helped") == 0) {
		yuan = rng_range(r, 2500, 5500);
	} else {
		yuan = rng_range(r, 2500, DEMO_POVERTY_LINE_YUAN - 100);
	}
	return (int64_t)yuan * 100 + rng_range(r, 0, 99);
}

/* Status, identification and exit dates, income and a note. Registration began
 * in 2014 (most households were identified then); exits are announced at the
 * end of a year, so an exit falls between 11-15 and 12-31. */
static void pick_status_and_dates(const struct demo *d, struct rng *r, struct household *h)
{
	static const unsigned identified_year_weights[] = { 60, 15, 10, 8, 7 }; /* 2014.. */
	int this_year = date_year(d->today);
	int last_exit_year = d->today >= date_from_civil(this_year, 12, 31) ? this_year
									 : this_year - 1;
	h->status = household_statuses[rng_weighted(r, household_status_weights, 5)];
	int exited = strcmp(h->status, "exited") == 0 || strcmp(h->status, "monitored") == 0;
	int fell_back = strcmp(h->status, "fell_back") == 0;

	int32_t identified;
	if (strcmp(h->status, "identified") == 0) {
		identified = demo_day_between(r, d->today - YEAR_DAYS, d->today - 14);
	} else {
		int year = 2014 + (int)rng_weighted(r, identified_year_weights, 5);
		int latest = exited ? last_exit_year : fell_back ? last_exit_year - 1 : this_year;
		if (year > latest)
			year = latest < 2014 ? 2014 : latest;
		identified = demo_day_between(r, date_from_civil(year, 3, 1),
					 date_from_civil(year, 10, 31));
		if (identified > d->today - 30)
			identified = d->today - 30;
	}
	date_format(identified, h->identified_on);
	h->exited_on[0] = '\0';
	h->note[0] = '\0';

	int first_exit_year = date_year(identified);
	int exit_year = first_exit_year;
	if (last_exit_year > first_exit_year)
		exit_year = rng_range(r, first_exit_year, last_exit_year);
	h->exit_year = exit_year;
	h->back_year = 0;
	if (exited) {
		date_format(demo_day_between(r, date_from_civil(exit_year, 11, 15),
				       date_from_civil(exit_year, 12, 31)),
			   h->exited_on);
	} else if (fell_back) {
		int back_year = exit_year < this_year ? rng_range(r, exit_year + 1, this_year)
						      : this_year;
		h->back_year = back_year;
		snprintf(h->note, sizeof h->note, "%d 年脱贫，%d 年%s返贫", exit_year, back_year,
			 cause_by_code(h->cause)->label);
	}
	h->income_cents = pick_income(r, h->status);
}

/* Build household number index (0-based) into h, from its own stream r (which
 * the household's other records then go on drawing from). */
int demo_make_household(struct demo *d, unsigned index, struct household *h,
			  struct rng *rp)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_HOUSEHOLD + (uint64_t)index);
	memset(h, 0, sizeof *h);
	h->index = index;
	/* Ids first, so they do not depend on how the rest is drawn. */
	demo_id(&r, h->id);
	for (int i = 0; i < DEMO_MAX_MEMBERS; i++)
		demo_id(&r, h->member_ids[i]);

	h->group = (int)rng_weighted(&r, d->group_weights, (size_t)d->ngroups);
	struct group *g = &d->groups[h->group];
	if (g->name->surname != NULL && rng_percent(&r, 45))
		snprintf(h->surname, sizeof h->surname, "%s", g->name->surname);
	else
		demo_pick_surname(&r, h->surname);
	g->last_house_no += rng_range(&r, 1, 3);
	snprintf(h->address, sizeof h->address, "%s %d 号", g->name->name, g->last_house_no);

	unsigned weights[NSHAPES];
	for (size_t i = 0; i < NSHAPES; i++)
		weights[i] = shapes[i].weight;
	shapes[rng_weighted(&r, weights, NSHAPES)].compose(d, &r, h);

	int rc = assign_idcards(d, &r, h);
	if (rc != TZ_OK)
		return rc;
	for (int i = 0; i < h->nmembers; i++)
		describe_member(d, &r, h, &h->members[i]);

	h->phone[0] = '\0';
	for (int i = 0; i < h->nmembers && h->phone[0] == '\0'; i++)
		memcpy(h->phone, h->members[i].phone, sizeof h->phone);
	h->cause = pick_cause(d, &r, h)->code;
	pick_status_and_dates(d, &r, h);
	*rp = r;
	return TZ_OK;
}

/* ---- what the other parts ask of a household ---- */

int demo_is_exited(const struct household *h)
{
	return strcmp(h->status, "exited") == 0 || strcmp(h->status, "monitored") == 0;
}

int demo_is_present(const struct member *m)
{
	return strcmp(m->status, "present") == 0;
}

int demo_age(const struct demo *d, const struct member *m)
{
	return date_age_on(m->birth, d->today);
}

int demo_present_count(const struct household *h)
{
	int n = 0;
	for (int i = 0; i < h->nmembers; i++)
		n += demo_is_present(&h->members[i]);
	return n;
}
