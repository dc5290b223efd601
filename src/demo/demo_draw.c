/*
 * demo_draw.c — the small values every part of the demo draws from its stream
 * (struct rng): days, sums of money, names, mobile numbers, row ids and ID
 * numbers unique in the village (see demo_internal.h for how the demo's files
 * fit).
 *
 * Names follow the county: surnames in four bands of decreasing frequency,
 * given names from characters that fit the person's generation and sex. Row
 * ids are 32 hex digits like ids_new's but drawn from the stream, so that the
 * same seed gives the same ids. An ID number's sequence digits start at a
 * random number of the right parity and move on by two until the number is new
 * in the village (struct idset, the first 17 digits as an integer).
 *
 * Deliberately not here: who a person is (demo_people.c) and writing rows
 * (demo_rows.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/xalloc.h"
#include "demo_internal.h"

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

int32_t demo_max_day(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

int32_t demo_min_day(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

/* A day in [lo, hi], never after today (an empty range gives its upper end). */
int32_t demo_past_day(const struct demo *d, struct rng *r, int32_t lo, int32_t hi)
{
	if (hi > d->today)
		hi = d->today;
	if (lo > hi)
		lo = hi;
	return demo_day_between(r, lo, hi);
}

/* The day someone born on birth turns years old. */
int32_t demo_birthday(int32_t birth, int years)
{
	return demo_add_months(birth, 12 * years);
}

int64_t demo_money(struct rng *r, int lo_yuan, int hi_yuan)
{
	return (int64_t)rng_range(r, lo_yuan, hi_yuan) * 100;
}

/* A time on day, as the store writes times (UTC; 09:00-16:59 in China). */
void demo_time_on(struct rng *r, int32_t day, char out[32])
{
	char text[DATE_NCHARS + 1];
	date_format(day, text);
	int minute = rng_range(r, 0, 59);
	int hour = rng_range(r, 1, 8);
	snprintf(out, 32, "%sT%02d:%02d:00Z", text, hour, minute);
}

/* ---- names, phones and row ids ---- */

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

/* Mobile prefixes of the three mainland carriers, 3 digits each. */
static const char mobile_prefixes[] =
	"130131132133134135136137138139150151152153155156157158159"
	"166176177178180181182183184185186187188189198199";

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

void demo_invalid_id(struct rng *r, char out[IDS_NCHARS + 1])
{
	demo_id(r, out);
	memcpy(out, DEMO_INVALID_ID_PREFIX, sizeof DEMO_INVALID_ID_PREFIX - 1);
}

void demo_pick_name(struct rng *r, int birth_year, char sex, char out[DEMO_NAME_NBYTES])
{
	char surname[8];
	demo_pick_surname(r, surname);
	snprintf(out, DEMO_NAME_NBYTES, "%s", surname);
	demo_pick_given_name(r, birth_year, sex, out, DEMO_NAME_NBYTES);
}

/* The sex is drawn before the year: the order in which the gcc build once
 * evaluated demo_pick_name(r, rng_range(..), rng_percent(..) ? ..), which made
 * the demo data every test and golden screen shows. */
void demo_pick_adult_name(struct rng *r, int first_year, int last_year, unsigned male_percent,
			  char out[DEMO_NAME_NBYTES])
{
	char sex = rng_percent(r, male_percent) ? 'M' : 'F';
	int birth_year = rng_range(r, first_year, last_year);
	demo_pick_name(r, birth_year, sex, out);
}

const char *demo_relation_label(const char *relation)
{
	static const char *const labels[][2] = {
		{ "head", "户主" },	   { "spouse", "配偶" },	  { "child", "子女" },
		{ "child_in_law", "儿媳或女婿" }, { "grandchild", "孙子女" }, { "parent", "父母" },
		{ "grandparent", "祖父母" }, { "sibling", "兄弟姐妹" },	  { "other", "其他" },
	};
	return DEMO_LOOKUP(labels, relation, "其他");
}

const char *demo_lookup(const char *const (*pairs)[2], size_t n, const char *key,
			const char *otherwise)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(pairs[i][0], key) == 0)
			return pairs[i][1];
	return otherwise;
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

/* ---- ID numbers unique in the village ---- */

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
