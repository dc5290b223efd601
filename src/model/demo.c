/*
 * demo.c — a realistic, reproducible demo village (see include/taizhang/demo.h).
 *
 * The demo fills a new village store with what an officer in 霍邱县 (Anhui)
 * would find in the ledger at the start of the 2019 campaign: 6-10 villager
 * groups, registered households in every state of the 2014-2019 campaign, and
 * their members with names, ID numbers, health, schooling and work ability that
 * agree with each other and with the members' ages, and every other ledger of
 * the campaign around them. A few records are left slightly wrong on purpose,
 * as in real ledgers (an exited household with an income under the poverty
 * line), so that the precision rules have something to find.
 *
 * Reproducibility. Everything comes from struct rng (rng.h), never from
 * libsodium or the clock: the same seed and the same today give byte-identical
 * rows, row ids included (demo_id below replaces ids_new). Each household draws
 * from its own stream (rng_seed_stream(seed, index)), and draws its ids before
 * anything else, so a change in how one household is composed does not shift the
 * households after it, and populating 50 households gives the first 50 of 120.
 * The one thing households share is the set of ID numbers already used: a
 * collision (rare) moves the sequence digits on, deterministically.
 *
 * How a household is built:
 *   1. a shape (the `shapes` table: an elderly widow alone, a couple with
 *      children, three generations, grandparents raising grandchildren, ...)
 *      adds people with relations, sexes and birth dates that fit each other
 *      (a spouse of the opposite sex and similar age, children 20-36 years
 *      younger than their mother, ...);
 *   2. each person gets an ID number of the county (341522, 霍邱县; a spouse
 *      married in sometimes 341521/341523/341524) built from that birth date and
 *      sex, unique in the village;
 *   3. health, disability, schooling, work ability, status and phone follow the
 *      person's age (today is o->today, 2019-04-20 by default);
 *   4. the household's poverty cause follows its members (a serious illness
 *      makes 因病 likely), its status, dates and income follow the campaign.
 *
 * The rest of the village is in demo_household.c (each household's status
 * history, procedures, four lists, health, schooling, housing, jobs, loans,
 * insurance, social security, cadre and visits, its 低保 roster rows) and
 * demo_village.c (the village row, cadres, staff, leaders, projects, marginal
 * households, problems, complaints, and the anomalies across households); the
 * three share demo_internal.h.
 *
 * Writing: prepared statements, one transaction per DEMO_TX_HOUSEHOLDS
 * households with all their records, each with one audit row "demo.populate";
 * the first transaction also holds the groups and the village's own records,
 * the last the records that span households. created_at and updated_at are
 * today at a fixed time, so they reproduce too (but for one member whose
 * created_at is the point: see demo_village.c).
 *
 * Findings on purpose, for the precision rules (src/rules/) to find, a small
 * minority each (about 3 per rule in a village of 120):
 *   - exited or monitored households with an income under the line (drawn
 *     here, 5-10 %), with a dropout child, an unsafe house not renovated, or
 *     no family-doctor contract (demo_household.c);
 *   - identification procedures missing their last steps, with the village
 *     review dated before the group review, or with a village notice shorter
 *     than notice_days (demo_household.c; the last two rows are invalid);
 *   - an assigned cadre who did not visit in the last full month
 *     (demo_household.c);
 *   - one person registered in two households (invalid rows), one member over
 *     max_plausible_age, one born after their record was made, problems past
 *     their deadline, a project stuck in 镇初审, a marginal household at risk
 *     without a measure, a poor village with three business leaders
 *     (demo_village.c).
 * Rows that break the model's own validation (src/model/tables.c), as data
 * from an old system would, have ids beginning with DEMO_INVALID_ID_PREFIX
 * (demo.h); no other row does.
 *
 * A town store. With demo_options.village_code the same village is written
 * into a town store, as the town would hold it after sync: every row exactly as
 * in the village's own store (same seed, same ids), owner and village_code the
 * village's; only the refusal of a non-empty store looks at that village's rows
 * alone. demo_town_village names the villages of a demo town.
 *
 * Deliberately not here: any rule about what a valid household is (that is
 * model/ and rules/), and the national system's household numbers (household_no
 * stays NULL: their format is not ours to invent).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/division.h"
#include "taizhang/model.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"

#include "demo_internal.h"

#define DEMO_TX_HOUSEHOLDS 100
#define DEMO_MAX_HOUSEHOLDS 100000
#define DEMO_MIN_GROUPS 6
#define DEMO_DEFAULT_TODAY "2019-04-20"
#define DEMO_EARLIEST_TODAY "2015-01-01"
#define DEMO_TIME_OF_DAY "T01:00:00Z" /* 09:00 in China */
#define DEMO_POVERTY_LINE_YUAN 3700

/* ---- days ---- */

/* A day in [lo, hi] (hi < lo gives lo). */
int32_t demo_day_between(struct rng *r, int32_t lo, int32_t hi)
{
	return hi <= lo ? lo : rng_range(r, lo, hi);
}

/* Years are counted as 365.25 days, so an edge may be off by a day. */
int32_t demo_birth_for_age(struct rng *r, int32_t today, int min_age, int max_age)
{
	return today - rng_range(r, min_age * 36525 / 100 + 1,
				 (max_age + 1) * 36525 / 100 - 1);
}

/* ---- the set of ID numbers used so far (first 17 digits as an integer) ---- */

static size_t idset_home(uint64_t key, size_t nslots)
{
	uint64_t x = key * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(x ^ (x >> 29)) & (nslots - 1);
}

/* Add key (non-zero). Returns 1 when added, 0 when it was already there. */
static int idset_add(struct idset *set, uint64_t key)
{
	if ((set->count + 1) * 2 > set->nslots) {
		size_t nslots = set->nslots ? set->nslots * 2 : 1024;
		uint64_t *slots = xcalloc(nslots, sizeof *slots);
		for (size_t i = 0; i < set->nslots; i++) {
			if (set->slots[i] == 0)
				continue;
			size_t j = idset_home(set->slots[i], nslots);
			while (slots[j] != 0)
				j = (j + 1) & (nslots - 1);
			slots[j] = set->slots[i];
		}
		free(set->slots);
		set->slots = slots;
		set->nslots = nslots;
	}
	size_t i = idset_home(key, set->nslots);
	while (set->slots[i] != 0) {
		if (set->slots[i] == key)
			return 0;
		i = (i + 1) & (set->nslots - 1);
	}
	set->slots[i] = key;
	set->count++;
	return 1;
}

/* ---- reference lists ---- */

/* Each list is a string of CJK characters, 3 bytes each in UTF-8. */
#define CJK_NBYTES 3

/* Surnames in four bands of decreasing frequency, with the band's weight. */
static const char *const surname_bands[] = {
	"王李张刘陈",
	"杨黄赵吴周",
	"徐孙马朱胡郭何高林罗",
	"郑梁谢宋唐许韩冯邓曹彭曾田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢汪范金石贾夏付方邹孟",
};
static const unsigned surname_band_weights[] = { 40, 28, 20, 12 };

/* Given-name characters by generation (born before 1960, before 1985, later)
 * and sex: a two-character name is one of `first` then one of `second`; a
 * one-character name is one of `second`. */
struct name_chars {
	const char *first;
	const char *second;
};
static const struct name_chars given_chars[3][2] = {
	{ { "德国永长家传启明学正金玉树本宝有士广发", "福贵富才林山华成喜海田荣祥安义文生友和" },
	  { "秀桂玉凤翠兰素金淑月春", "英兰珍芝荣梅华芳花莲娥云香琴" } },
	{ { "建卫国志红晓海永学春小立文明新德", "军华平东伟强林斌兵勇峰刚明涛波亮" },
	  { "丽红秀小春桂玉海晓美素雪", "萍芳霞英琴梅丽娟红燕玲敏云兰" } },
	{ { "子浩宇俊家梓志文天明博思嘉晨一佳", "轩宇豪杰涛鹏阳辰瑞博凯洋航睿伟森" },
	  { "欣梦雨佳思诗紫梓婷雅晓一可子", "怡涵婷雪琪萱瑶颖悦妍慧静茹璐欣雯" } },
};

/* Villager group names: most are named after the family that founded the hamlet
 * (its surname is then more common there), some are collective-era names. */
static const struct group_name group_names[] = {
	{ "张", "张庄组" }, { "李", "李洼组" }, { "王", "王岗组" }, { "刘", "刘郢组" },
	{ "陈", "陈圩组" }, { "杨", "杨湾组" }, { "周", "周楼组" }, { "吴", "吴大庄组" },
	{ "徐", "徐小郢组" }, { "孙", "孙岗组" }, { "马", "马店组" }, { "胡", "胡台组" },
	{ "高", "高塘组" }, { "何", "何老庄组" }, { NULL, "前进组" }, { NULL, "红星组" },
	{ NULL, "团结组" }, { NULL, "新建组" }, { NULL, "光明组" }, { NULL, "东风组" },
};

/* Counties a spouse may have married in from: 寿县, 舒城县, 金寨县 (六安市). */
static const char *const married_in_regions[] = { "341521", "341523", "341524" };

/* Mobile prefixes of the three mainland carriers, 3 digits each. */
static const char mobile_prefixes[] =
	"130131132133134135136137138139150151152153155156157158159"
	"166176177178180181182183184185186187188189198199";

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

/* Two outputs of r: 32 lowercase hex digits, like ids_new's, but reproducible.
 * For demo data only. */
void demo_id(struct rng *r, char out[IDS_NCHARS + 1])
{
	uint64_t hi = rng_next_u64(r);
	uint64_t lo = rng_next_u64(r);
	snprintf(out, IDS_NCHARS + 1, "%016" PRIx64 "%016" PRIx64, hi, lo);
}

/* One character of a list of CJK characters, appended to out. */
static void append_char(struct rng *r, const char *list, char *out, size_t out_nbytes)
{
	size_t nchars = strlen(list) / CJK_NBYTES;
	size_t at = strlen(out);
	size_t k = (size_t)rng_below(r, nchars);
	if (at + CJK_NBYTES < out_nbytes) {
		memcpy(out + at, list + k * CJK_NBYTES, CJK_NBYTES);
		out[at + CJK_NBYTES] = '\0';
	}
}

void demo_pick_surname(struct rng *r, char out[8])
{
	size_t band = rng_weighted(r, surname_band_weights,
				   sizeof surname_band_weights / sizeof surname_band_weights[0]);
	out[0] = '\0';
	append_char(r, surname_bands[band], out, 8);
}

/* A surname different from avoid (people rarely marry within their surname). */
void demo_pick_other_surname(struct rng *r, const char *avoid, char out[8])
{
	do
		demo_pick_surname(r, out);
	while (strcmp(out, avoid) == 0);
}

void demo_pick_given_name(struct rng *r, int birth_year, char sex, char *out,
			    size_t out_nbytes)
{
	int era = birth_year < 1960 ? 0 : birth_year < 1985 ? 1 : 2;
	const struct name_chars *c = &given_chars[era][sex == 'F'];
	size_t start = strlen(out);
	if (rng_percent(r, 25)) {
		append_char(r, c->second, out, out_nbytes);
		return;
	}
	append_char(r, c->first, out, out_nbytes);
	/* Two different characters: 国国 is not a name. */
	do {
		out[start + CJK_NBYTES] = '\0';
		append_char(r, c->second, out, out_nbytes);
	} while (memcmp(out + start, out + start + CJK_NBYTES, CJK_NBYTES) == 0);
}

void demo_pick_phone(struct rng *r, char out[12])
{
	size_t nprefixes = (sizeof mobile_prefixes - 1) / 3;
	size_t k = (size_t)rng_below(r, nprefixes);
	memcpy(out, mobile_prefixes + 3 * k, 3);
	for (int i = 3; i < 11; i++)
		out[i] = (char)('0' + rng_below(r, 10));
	out[11] = '\0';
}

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
	add_children(d, r, h, children_count(r), mother_of_heads_children(r, h), "child");
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
		add_member(d, r, h, "parent", sex,
			   head->birth - rng_range(r, 22 * YEAR_DAYS, 32 * YEAR_DAYS),
			   sex == 'F' ? married_in_region(r) : NULL, surname);
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

/* The first 17 digits of an ID number as an integer (never 0: regions are). */
static uint64_t idcard_key(const char *idcard)
{
	uint64_t key = 0;
	for (int i = 0; i < 17; i++)
		key = key * 10 + (uint64_t)(idcard[i] - '0');
	return key;
}

/* The sequence digits start at a random number of the right parity (odd for a
 * man) and move on by two until the number is new in the village. */
void demo_make_idcard(struct demo *d, struct rng *r, const char *region, int32_t birth,
		      char sex, char out[IDCARD_NCHARS + 1])
{
	int y, mo, day;
	date_to_civil(birth, &y, &mo, &day);
	int sequence = 2 * (int)rng_below(r, 500) + (sex == 'M');
	int added = 0;
	for (int tries = 0; tries < 500 && added == 0; tries++) {
		idcard_make(out, region, y, mo, day, sequence);
		added = idset_add(&d->used, idcard_key(out));
		sequence = (sequence + 2) % 1000;
	}
	if (d->rc != TZ_OK)
		return;
	if (added == 0)
		d->rc = tz_error_set(d->err, TZ_EFAIL,
				     "内部错误：出生日期为 %04d-%02d-%02d 的演示身份证号已用完",
				     y, mo, day);
}

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
		if (rng_percent(r, under_percent))
			yuan = rng_range(r, 2900, DEMO_POVERTY_LINE_YUAN - 10);
		else
			yuan = rng_range(r, 3800, 9000) + rng_range(r, 0, 6000);
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
static int make_household(struct demo *d, unsigned index, struct household *h,
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

/* ---- writing ---- */

static void bind_text(sqlite3_stmt *st, int index, const char *text)
{
	if (text == NULL || text[0] == '\0')
		sqlite3_bind_null(st, index);
	else
		sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC);
}

/* Step st (all parameters bound) and reset it for the next row. */
static int step_insert(struct demo *d, sqlite3_stmt *st, const char *what,
		       struct tz_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(d->s, rc, what, err);
	return TZ_OK;
}

/* The tables demo_insert writes: the primary key's column, then the columns
 * that follow it in a DEMO_ROW (owner, created_at and updated_at are added). */
static const struct {
	const char *table;
	const char *key;
	const char *columns;
	const char *what; /* for the error message: 写入演示... */
} demo_tables[DEMO_T_COUNT] = {
	[DEMO_T_VILLAGES] = { "villages", "code", "name, town_code, kind, population", "村庄" },
	[DEMO_T_STATUS_HISTORY] = { "household_status_history", "id",
				    "household_id, status, on_date, reason", "户状态记录" },
	[DEMO_T_MEMBER_CHANGES] = { "member_changes", "id",
				    "household_id, member_id, kind, on_date, note", "成员变动" },
	[DEMO_T_MARGINAL] = { "marginal_households", "id",
			      "village_code, group_id, head_name, head_idcard, size, address, phone,"
			      " income_cents, difficulty, risk_flags, state",
			      "边缘户" },
	[DEMO_T_MARGINAL_MEASURES] = { "marginal_measures", "id",
				       "marginal_id, measure, on_date, amount_cents", "边缘户帮扶措施" },
	[DEMO_T_PROCEDURE_STEPS] = { "procedure_steps", "id",
				     "household_id, procedure, round, step, on_date, end_date, outcome,"
				     " signer, evidence",
				     "识别退出程序" },
	[DEMO_T_FOUR_LISTS] = { "four_lists", "id",
				"household_id, list, item, responsible, due_date, done_date", "四个清单" },
	[DEMO_T_FAMILY_DOCTOR] = { "family_doctor", "id", "household_id, signed_on, valid_until, doctor",
				   "家庭医生签约" },
	[DEMO_T_CHRONIC] = { "chronic_illness", "id", "member_id, disease, card_no, since", "慢性病" },
	[DEMO_T_REIMBURSEMENTS] = { "medical_reimbursements", "id",
				    "member_id, on_date, policy, total_cents, reimbursed_cents", "医疗报销" },
	[DEMO_T_SCHOOLING] = { "schooling", "id",
			       "member_id, stage, state, school, dropout_reason, as_of", "就学情况" },
	[DEMO_T_YULU] = { "yulu_subsidies", "id", "member_id, year, amount_cents, paid_on",
			  "雨露计划补助" },
	[DEMO_T_HOUSING] = { "housing", "id",
			     "household_id, rating, assessed_on, renovation, renovated_on, subsidy_cents",
			     "住房安全" },
	[DEMO_T_INDUSTRY] = { "industry", "id",
			      "household_id, kind, description, year, subsidy_cents, income_cents",
			      "产业扶贫" },
	[DEMO_T_EMPLOYMENT] = { "employment", "id",
				"member_id, kind, employer, start_on, end_on, monthly_income_cents",
				"就业扶贫" },
	[DEMO_T_LOANS] = { "loans", "id",
			   "household_id, bank, amount_cents, issued_on, term_months, due_on,"
			   " interest_subsidy_cents, repaid_cents, repaid_on, state",
			   "扶贫小额信贷" },
	[DEMO_T_INSURANCE] = { "insurance", "id", "household_id, kind, insurer, year, premium_cents",
			       "保险" },
	[DEMO_T_SECURITY] = { "social_security", "id",
			      "household_id, member_id, kind, start_on, end_on, monthly_cents",
			      "社会保障" },
	[DEMO_T_CADRES] = { "cadres", "id", "village_code, name, unit, role, phone", "帮扶责任人" },
	[DEMO_T_UNIT_ASSIGNMENTS] = { "unit_assignments", "id", "unit, village_code, since, until",
				      "单位包村" },
	[DEMO_T_CADRE_ASSIGNMENTS] = { "cadre_assignments", "id",
				       "cadre_id, household_id, since, until", "干部包户" },
	[DEMO_T_VISITS] = { "visits", "id",
			    "cadre_id, household_id, visited_on, collect_info, check_documents,"
			    " explain_policy, carry_out_measures, hear_opinions, solve_difficulties,"
			    " notes",
			    "走访记录" },
	[DEMO_T_STAFF] = { "staff", "id", "village_code, name, role, full_time, phone, since, until",
			   "扶贫工作室人员" },
	[DEMO_T_LEADERS] = { "business_leaders", "id",
			     "village_code, name, idcard, phone, industry, trained,"
			     " in_national_system, poor_employed",
			     "致富带头人" },
	[DEMO_T_BASES] = { "training_bases", "id",
			   "village_code, name, industry, address, established_on", "培训基地" },
	[DEMO_T_TRAININGS] = { "trainings", "id", "held_on, title, kind, organiser, participants",
			       "业务培训" },
	[DEMO_T_CASES] = { "typical_cases", "id", "kind, title, summary, recorded_on", "典型经验" },
	[DEMO_T_COMPLAINTS] = { "complaints", "id",
				"kind, received_on, source, summary, handler, state, result, closed_on",
				"信访和问题线索" },
	[DEMO_T_PROJECTS] = { "projects", "id",
			      "village_code, name, kind, year, funds_cents, funds_source,"
			      " performance_target, stage, stage_on, evaluation, evaluated_on",
			      "扶贫项目" },
	[DEMO_T_PROJECT_STAGES] = { "project_stages", "id", "project_id, stage, on_date, by_user, note",
				    "项目审批环节" },
	[DEMO_T_MONITORING] = { "project_monitoring", "id",
				"project_id, on_date, progress_percent, spent_cents, note",
				"项目绩效监控" },
	[DEMO_T_PROBLEMS] = { "problems", "id",
			      "village_code, area, task, title, description, source, finding_rule,"
			      " finding_ref, household_id, responsible_unit, responsible_person,"
			      " deadline, measures, evidence, state",
			      "问题" },
	[DEMO_T_PROBLEM_EVENTS] = { "problem_events", "id",
				    "problem_id, from_state, to_state, by_user, at, note", "问题处理记录" },
	[DEMO_T_ROSTER_IMPORTS] = { "roster_imports", "id",
				    "kind, file_name, encoding, rows, imported_at, imported_by",
				    "名册导入记录" },
	[DEMO_T_DIBAO_ROSTER] = { "dibao_roster", "id",
				  "import_id, line, village, head_name, head_idcard, name, idcard,"
				  " relation, size, monthly_cents",
				  "低保名册" },
	[DEMO_T_MEMBERS_RAW] = { "members", "id",
				 "household_id, name, idcard, relation, sex, birth_date, health,"
				 " disability, schooling, work_ability, phone, status",
				 "家庭成员" },
};

static size_t count_columns(const char *columns)
{
	size_t n = 1;
	for (const char *p = columns; *p; p++)
		n += *p == ',';
	return n;
}

/* The statement of table, prepared on first use. */
static sqlite3_stmt *table_statement(struct demo *d, enum demo_table table)
{
	if (d->stmts[table] != NULL)
		return d->stmts[table];
	char sql[1024];
	size_t n = snprintf(sql, sizeof sql,
			    "INSERT INTO %s(%s, owner, created_at, updated_at, %s) VALUES (?1, ?2, ?3, ?3",
			    demo_tables[table].table, demo_tables[table].key,
			    demo_tables[table].columns);
	size_t ncolumns = count_columns(demo_tables[table].columns);
	for (size_t i = 0; i < ncolumns && n < sizeof sql; i++)
		n += snprintf(sql + n, sizeof sql - n, ", ?%zu", i + 4);
	if (n + 2 >= sizeof sql) {
		d->rc = tz_error_set(d->err, TZ_EFAIL, "内部错误：演示数据的语句太长");
		return NULL;
	}
	memcpy(sql + n, ")", 2);
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &d->stmts[table], NULL);
	if (rc != SQLITE_OK) {
		d->rc = store_sqlite_error(d->s, rc, "准备写入演示数据", d->err);
		return NULL;
	}
	return d->stmts[table];
}

void demo_insert(struct demo *d, enum demo_table table, const char *id,
		 const struct demo_val *values, size_t nvalues)
{
	if (d->rc != TZ_OK)
		return;
	sqlite3_stmt *st = table_statement(d, table);
	if (st == NULL)
		return;
	if (nvalues != count_columns(demo_tables[table].columns)) {
		d->rc = tz_error_set(d->err, TZ_EFAIL, "内部错误：演示数据%s的列数不对",
				     demo_tables[table].what);
		return;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, d->village, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->stamp, -1, SQLITE_STATIC);
	for (size_t i = 0; i < nvalues; i++) {
		int n = (int)i + 4;
		const struct demo_val *v = &values[i];
		char day[DATE_NCHARS + 1];
		if (v->kind == DEMO_V_TEXT && v->text != NULL && v->text[0] != '\0') {
			sqlite3_bind_text(st, n, v->text, -1, SQLITE_TRANSIENT);
		} else if (v->kind == DEMO_V_INT) {
			sqlite3_bind_int64(st, n, v->num);
		} else if (v->kind == DEMO_V_DAY && v->num != DEMO_NO_DAY) {
			date_format((int32_t)v->num, day);
			sqlite3_bind_text(st, n, day, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_null(st, n);
		}
	}
	char what[64];
	snprintf(what, sizeof what, "写入演示%s", demo_tables[table].what);
	d->rc = step_insert(d, st, what, d->err);
}

void demo_exec(struct demo *d, const char *sql, const char *p1, const char *p2,
	       const char *p3)
{
	if (d->rc != TZ_OK)
		return;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		d->rc = store_sqlite_error(d->s, rc, "写入演示数据", d->err);
		return;
	}
	const char *params[] = { p1, p2, p3 };
	for (int i = 0; i < 3 && params[i] != NULL; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		d->rc = store_sqlite_error(d->s, rc, "写入演示数据", d->err);
}

void demo_invalid_id(struct rng *r, char out[IDS_NCHARS + 1])
{
	demo_id(r, out);
	memcpy(out, DEMO_INVALID_ID_PREFIX, sizeof DEMO_INVALID_ID_PREFIX - 1);
}

int32_t demo_add_months(int32_t day, int months)
{
	int y, m, dd;
	date_to_civil(day, &y, &m, &dd);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	int last = date_days_in_month(y, m);
	return date_from_civil(y, m, dd > last ? last : dd);
}

void demo_pick_name(struct rng *r, int birth_year, char sex, char out[DEMO_NAME_NBYTES])
{
	char surname[8];
	demo_pick_surname(r, surname);
	snprintf(out, DEMO_NAME_NBYTES, "%s", surname);
	demo_pick_given_name(r, birth_year, sex, out, DEMO_NAME_NBYTES);
}

const char *demo_relation_label(const char *relation)
{
	static const char *const labels[][2] = {
		{ "head", "户主" },	   { "spouse", "配偶" },	  { "child", "子女" },
		{ "child_in_law", "儿媳或女婿" }, { "grandchild", "孙子女" }, { "parent", "父母" },
		{ "grandparent", "祖父母" }, { "sibling", "兄弟姐妹" },	  { "other", "其他" },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i][0], relation) == 0)
			return labels[i][1];
	return "其他";
}

int demo_is_exited(const struct household *h)
{
	return strcmp(h->status, "exited") == 0 || strcmp(h->status, "monitored") == 0;
}

static int insert_groups(struct demo *d, struct tz_error *err)
{
	sqlite3_stmt *st = d->insert_group;
	for (int i = 0; i < d->ngroups; i++) {
		bind_text(st, 1, d->groups[i].id);
		bind_text(st, 2, d->village);
		bind_text(st, 3, d->village);
		bind_text(st, 4, d->groups[i].name->name);
		bind_text(st, 5, d->stamp);
		int rc = step_insert(d, st, "写入演示村民小组", err);
		if (rc != TZ_OK)
			return rc;
	}
	return TZ_OK;
}

static int insert_household(struct demo *d, const struct household *h,
			    struct tz_error *err)
{
	sqlite3_stmt *st = d->insert_household;
	bind_text(st, 1, h->id);
	bind_text(st, 2, d->village);
	bind_text(st, 3, d->village);
	bind_text(st, 4, d->groups[h->group].id);
	sqlite3_bind_null(st, 5); /* household_no */
	bind_text(st, 6, h->address);
	bind_text(st, 7, h->phone);
	bind_text(st, 8, h->status);
	bind_text(st, 9, h->cause);
	sqlite3_bind_int64(st, 10, h->income_cents);
	bind_text(st, 11, h->identified_on);
	bind_text(st, 12, h->exited_on);
	bind_text(st, 13, h->note);
	bind_text(st, 14, d->stamp);
	bind_text(st, 15, d->stamp);
	int rc = step_insert(d, st, "写入演示住户", err);

	st = d->insert_member;
	for (int i = 0; rc == TZ_OK && i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		char sex[2] = { m->sex, '\0' };
		bind_text(st, 1, m->id);
		bind_text(st, 2, d->village);
		bind_text(st, 3, h->id);
		bind_text(st, 4, m->name);
		bind_text(st, 5, m->idcard);
		bind_text(st, 6, m->relation);
		bind_text(st, 7, sex);
		bind_text(st, 8, m->birth_text);
		bind_text(st, 9, m->health);
		bind_text(st, 10, m->disability);
		bind_text(st, 11, m->schooling);
		bind_text(st, 12, m->work_ability);
		bind_text(st, 13, m->phone);
		bind_text(st, 14, m->status);
		bind_text(st, 15, d->stamp);
		bind_text(st, 16, d->stamp);
		rc = step_insert(d, st, "写入演示家庭成员", err);
	}
	return rc;
}

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
	d->rc = TZ_OK;
	if (first == 0) {
		rc = insert_groups(d, err);
		if (rc == TZ_OK) {
			demo_village_records(d);
			rc = d->rc;
		}
	}
	for (unsigned i = first; rc == TZ_OK && i < end; i++) {
		rc = make_household(d, i, &h, &r);
		if (rc == TZ_OK)
			rc = insert_household(d, &h, err);
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
	if (rc != TZ_OK) {
		store_tx_rollback(d->s);
		return rc;
	}
	return store_tx_commit(d->s, err);
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

static int prepare(struct demo *d, const char *sql, sqlite3_stmt **out, struct tz_error *err)
{
	int rc = sqlite3_prepare_v2(d->db, sql, -1, out, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(d->s, rc, "准备写入演示数据", err);
	return TZ_OK;
}

static int prepare_statements(struct demo *d, struct tz_error *err)
{
	int rc = prepare(d,
			 "INSERT INTO villager_groups(id, owner, village_code, name, created_at,"
			 " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
			 &d->insert_group, err);
	if (rc == TZ_OK)
		rc = prepare(d,
			     "INSERT INTO households(id, owner, village_code, group_id,"
			     " household_no, address, phone, status, poverty_cause,"
			     " income_cents, identified_on, exited_on, note, created_at,"
			     " updated_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			     " ?13, ?14, ?15)",
			     &d->insert_household, err);
	if (rc == TZ_OK)
		rc = prepare(d,
			     "INSERT INTO members(id, owner, household_id, name, idcard,"
			     " relation, sex, birth_date, health, disability, schooling,"
			     " work_ability, phone, status, created_at, updated_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			     " ?13, ?14, ?15, ?16)",
			     &d->insert_member, err);
	return rc;
}

/* The demo writes into a new store only (a town store: a village it has no
 * rows of yet): groups or households already there would clash with its names
 * and confuse its counts. */
static int check_store_is_empty(struct demo *d, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = prepare(d,
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

/* Whether text is n ASCII digits. */
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
	sqlite3_finalize(d->insert_group);
	sqlite3_finalize(d->insert_household);
	sqlite3_finalize(d->insert_member);
	for (size_t i = 0; i < DEMO_T_COUNT; i++)
		sqlite3_finalize(d->stmts[i]);
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
		rc = prepare_statements(&d, err);
	if (rc == TZ_OK) {
		make_groups(&d);
		demo_plan_village(&d);
	}
	for (unsigned first = 0; rc == TZ_OK && first < d.nhouseholds;
	     first += DEMO_TX_HOUSEHOLDS) {
		unsigned end = d.nhouseholds - first > DEMO_TX_HOUSEHOLDS ? first + DEMO_TX_HOUSEHOLDS
									    : d.nhouseholds;
		rc = write_batch(&d, first, end, err);
	}
	demo_release(&d);
	return rc;
}

/* Villages of the demo town, in the county's style: a family name and the
 * kind of place (庄, 岗, 湾, 圩, 郢 ...), a few collective-era names. */
static const char *const town_village_names[DEMO_TOWN_MAX_VILLAGES] = {
	"示范村", "李庄村", "王岗村", "张湾村", "刘圩村", "陈郢村", "杨店村", "周集村",
	"吴桥村", "徐楼村", "孙岗村", "马店村", "胡台村", "高塘村", "何老庄村", "郭岗村",
	"林湾村", "罗圩村", "郑郢村", "梁集村", "谢店村", "宋楼村", "唐桥村", "许塘村",
	"韩庄村", "冯岗村", "邓湾村", "曹圩村", "彭郢村", "曾集村", "田店村", "董楼村",
	"袁桥村", "潘塘村", "前进村", "红星村", "团结村", "新建村", "光明村", "东风村",
};

int demo_town_village(const char *town_code, unsigned index, char code[13], const char **name,
		      struct tz_error *err)
{
	if (!division_code_valid(town_code))
		return tz_error_set(err, TZ_EUSAGE, "镇代码“%s”应为 12 位数字",
				    town_code ? town_code : "");
	if (index >= DEMO_TOWN_MAX_VILLAGES)
		return tz_error_set(err, TZ_EUSAGE, "演示镇最多 %d 个村", DEMO_TOWN_MAX_VILLAGES);
	snprintf(code, 13, "%.9s%03u", town_code, 201 + index);
	*name = town_village_names[index];
	return TZ_OK;
}
