/*
 * workload.c — the workload bench/store times, the same on every engine.
 *
 * Data.  A bench_members table shaped like db/002_people.sql's members (the store
 * already has a table named members, so the bench uses its own name on every
 * engine), without the foreign key to households, with an index on idcard (plus
 * the primary key's own index). Rows are generated household by household from
 * a fixed seed with splitmix64, written here so that every binary (system
 * SQLite and each anchor's) produces byte-identical rows:
 *   id, household_id  32 lowercase hex digits, random (so the primary key index
 *                     is written in random order, as real ids are);
 *   name              a common one-character surname (a household's children
 *                     share the head's) and a one- or two-character given name;
 *   idcard            18 characters: a 6-digit area code, the birth date
 *                     YYYYMMDD, a 3-digit sequence (odd: male) and a GB 11643
 *                     check character; area and sequence are derived from the
 *                     row number, so every idcard is unique;
 *   relation, sex, birth_date, health, disability, schooling, work_ability,
 *   phone, status, created_at, updated_at: codes from code_list, dates and
 *   numbers in plausible proportions; some columns are NULL.
 * The lookup order is a seeded shuffle of the rows; the first nlookups are looked
 * up, so each lookup finds a different row.
 *
 * Steps of one run (bench_run), each timed with CLOCK_MONOTONIC where it says so:
 *   create   the engine's new database and its pragmas; CREATE TABLE and INDEX
 *            in one transaction (untimed);
 *   write    nrows INSERTs, tx_nrows to a transaction through the engine's
 *            begin/commit (timed);
 *   warm     nlookups SELECTs by idcard, each must find exactly one row, then
 *            SELECT relation, sex, count(*), min(birth_date), max(birth_date),
 *            count(phone) ... GROUP BY relation, sex (timed);
 *   close    (untimed), then a look at the file on disk (untimed): does it start
 *            with "SQLite format 3", and are the first rows' ID card numbers in it
 *            in clear (bench_result's sqlite_header and plaintext);
 *   open     the engine's open: for the encrypted engines, key derivation (timed
 *            apart, never part of a phase);
 *   cold     the same reads as warm on the new connection, whose SQLite page
 *            cache is empty; the operating system's cache still holds the file
 *            (timed);
 *   close, then the files are removed.
 * Statements are prepared inside the timed phases (once per phase).
 *
 * What it deliberately is not: a judge. Times are only measured here; bench/store
 * prints them and their ratios.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

/* ---- the generator ---- */

/* splitmix64 (Steele, Lea, Flood; public domain reference by Vigna): one 64-bit
 * state, enough for generating data. */
struct prng {
	uint64_t state;
};

static uint64_t prng_next(struct prng *g)
{
	uint64_t z = (g->state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* A uniform integer in [0, n), n >= 1 (rejection sampling: no modulo bias). */
static uint64_t prng_below(struct prng *g, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = prng_next(g);
	while (x >= limit);
	return x % n;
}

static int prng_range(struct prng *g, int lo, int hi)
{
	return lo + (int)prng_below(g, (uint64_t)(hi - lo + 1));
}

/* 1 with probability percent/100. */
static int prng_chance(struct prng *g, int percent)
{
	return (int)prng_below(g, 100) < percent;
}

static void prng_hex(struct prng *g, char out[33])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i += 16) {
		uint64_t x = prng_next(g);
		for (int j = 0; j < 16; j++, x >>= 4)
			out[i + j] = digits[x & 15];
	}
	out[32] = '\0';
}

/* A string chosen from a weighted table: weights are percent and sum to 100. */
struct weighted {
	const char *value;
	int percent;
};

static const char *prng_pick(struct prng *g, const struct weighted *w)
{
	int x = (int)prng_below(g, 100);
	for (;; w++) {
		if (x < w->percent || w[1].value == NULL)
			return w->value;
		x -= w->percent;
	}
}

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
};

static const char *const given_chars[] = {
	"伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋",
	"勇", "艳", "杰", "娟", "涛", "明", "超", "兰", "霞", "平", "刚", "桂",
	"建", "国", "华", "红", "玉", "梅", "文", "春", "志", "海", "金", "凤",
	"德", "福", "荣", "玲", "燕", "林", "宇", "浩", "欣", "怡", "佳", "子",
};

static const struct weighted health_codes[] = {
	{ "healthy", 78 }, { "chronic", 12 }, { "serious", 4 }, { "disabled", 6 },
	{ NULL, 0 },
};
static const struct weighted disability_kinds[] = {
	{ "肢体三级", 30 }, { "肢体四级", 20 }, { "视力二级", 15 },
	{ "听力三级", 15 }, { "智力二级", 10 }, { "精神三级", 10 }, { NULL, 0 },
};
static const struct weighted schooling_codes[] = {
	{ "illiterate", 8 }, { "preschool", 6 }, { "primary", 30 }, { "junior", 36 },
	{ "senior", 14 }, { "college", 6 }, { NULL, 0 },
};
static const struct weighted work_codes[] = {
	{ "ordinary", 55 }, { "skilled", 10 }, { "weak", 12 }, { "lost", 8 },
	{ "none", 15 }, { NULL, 0 },
};
static const struct weighted status_codes[] = {
	{ "present", 94 }, { "deceased", 2 }, { "moved_out", 2 }, { "married_out", 2 },
	{ NULL, 0 },
};
/* Relations of household members after the head. */
static const struct weighted later_relations[] = {
	{ "child", 52 }, { "grandchild", 16 }, { "parent", 12 }, { "child_in_law", 8 },
	{ "sibling", 5 }, { "grandparent", 3 }, { "other", 4 }, { NULL, 0 },
};

struct member_row {
	char id[33];
	char household_id[33];
	char name[16]; /* up to 3 three-byte characters */
	char idcard[19];
	char birth_date[11];
	char disability[16];
	char phone[12];
	char created_at[21];
	char updated_at[21];
	const char *relation, *sex, *health, *schooling, *work_ability, *status;
	int has_disability, has_phone;
};

struct bench_data {
	struct bench_params p;
	struct member_row *rows;
	int *order; /* a permutation of the row numbers: rows looked up first to last */
};

/* The GB 11643 check character of the first 17 digits. */
static char idcard_check_char(const char *digits17)
{
	static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
					 7, 9, 10, 5, 8, 4, 2 };
	static const char checks[] = "10X98765432";
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (digits17[i] - '0') * weights[i];
	return checks[sum % 11];
}

/* Write value as exactly ndigits decimal digits at out (the caller ensures
 * value < 10^ndigits); returns the end. */
static char *put_digits(char *out, unsigned value, int ndigits)
{
	for (int i = ndigits - 1; i >= 0; i--, value /= 10)
		out[i] = (char)('0' + value % 10);
	return out + ndigits;
}

/* "2024-MM-DDThh:mm:00Z" at out[21]. */
static void put_timestamp(char out[21], int month, int day, int hour, int minute)
{
	char *p = put_digits(out, 2024, 4);
	*p++ = '-';
	p = put_digits(p, (unsigned)month, 2);
	*p++ = '-';
	p = put_digits(p, (unsigned)day, 2);
	*p++ = 'T';
	p = put_digits(p, (unsigned)hour, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)minute, 2);
	memcpy(p, ":00Z", 5);
}

/* Birth years by relation: the head is born between 1940 and 1990. */
static void birth_years(const char *relation, int head_year, int *lo, int *hi)
{
	if (strcmp(relation, "spouse") == 0 || strcmp(relation, "sibling") == 0) {
		*lo = head_year - 6, *hi = head_year + 6;
	} else if (strcmp(relation, "child") == 0 || strcmp(relation, "child_in_law") == 0) {
		*lo = head_year + 20, *hi = head_year + 38;
	} else if (strcmp(relation, "grandchild") == 0) {
		*lo = head_year + 42, *hi = head_year + 62;
	} else if (strcmp(relation, "parent") == 0) {
		*lo = head_year - 35, *hi = head_year - 20;
	} else if (strcmp(relation, "grandparent") == 0) {
		*lo = head_year - 60, *hi = head_year - 42;
	} else {
		*lo = head_year - 30, *hi = head_year + 30;
	}
	if (*lo < 1920)
		*lo = 1920;
	if (*hi > 2023)
		*hi = 2023;
	if (*lo > *hi)
		*lo = *hi;
}

/* Fill row number i of household hh (member index k, head surname) from g. */
static void generate_member(struct prng *g, int i, int k, const char *hh_id,
			    const char *head_surname, int head_year, const char *head_sex,
			    struct member_row *m)
{
	prng_hex(g, m->id);
	memcpy(m->household_id, hh_id, 33);

	if (k == 0)
		m->relation = "head";
	else if (k == 1 && prng_chance(g, 75))
		m->relation = "spouse";
	else
		m->relation = prng_pick(g, later_relations);

	if (k == 0)
		m->sex = head_sex;
	else if (strcmp(m->relation, "spouse") == 0)
		m->sex = head_sex[0] == 'M' ? "F" : "M";
	else
		m->sex = prng_chance(g, 50) ? "M" : "F";

	const char *surname = head_surname;
	if (strcmp(m->relation, "spouse") == 0 || strcmp(m->relation, "child_in_law") == 0 ||
	    strcmp(m->relation, "other") == 0 || (m->sex[0] == 'F' && strcmp(m->relation, "parent") == 0))
		surname = surnames[prng_below(g, NELEMS(surnames))];
	const char *g1 = given_chars[prng_below(g, NELEMS(given_chars))];
	const char *g2 = prng_chance(g, 70) ? given_chars[prng_below(g, NELEMS(given_chars))] : "";
	snprintf(m->name, sizeof m->name, "%s%s%s", surname, g1, g2);

	int lo, hi;
	birth_years(m->relation, head_year, &lo, &hi);
	int year = k == 0 ? head_year : prng_range(g, lo, hi);
	int month = prng_range(g, 1, 12), day = prng_range(g, 1, 28);
	char *q = put_digits(m->birth_date, (unsigned)year, 4);
	*q++ = '-';
	q = put_digits(q, (unsigned)month, 2);
	*q++ = '-';
	*put_digits(q, (unsigned)day, 2) = '\0';

	/* Area and sequence from the row number: unique while i < 500 * 90000
	 * (bench_data_new allows at most 1,000,000 rows). */
	unsigned area = 410000 + (unsigned)i / 500;
	unsigned seq = (unsigned)(i % 500) * 2 + (m->sex[0] == 'M');
	q = put_digits(m->idcard, area, 6);
	q = put_digits(q, (unsigned)year, 4);
	q = put_digits(q, (unsigned)month, 2);
	q = put_digits(q, (unsigned)day, 2);
	put_digits(q, seq, 3);
	m->idcard[17] = idcard_check_char(m->idcard);
	m->idcard[18] = '\0';

	m->health = prng_pick(g, health_codes);
	m->has_disability = strcmp(m->health, "disabled") == 0;
	if (m->has_disability)
		snprintf(m->disability, sizeof m->disability, "%s",
			 prng_pick(g, disability_kinds));
	m->schooling = year > 2017 ? "preschool" : prng_pick(g, schooling_codes);
	m->work_ability = year > 2005 || year < 1958 ? "none" : prng_pick(g, work_codes);
	m->has_phone = year < 2005 && prng_chance(g, 60);
	if (m->has_phone) { /* 11 digits: 1, a 2-digit carrier prefix, 8 digits */
		m->phone[0] = '1';
		q = put_digits(m->phone + 1, (unsigned)prng_range(g, 30, 89), 2);
		*put_digits(q, (unsigned)prng_range(g, 0, 99999999), 8) = '\0';
	}
	m->status = prng_pick(g, status_codes);
	int d = prng_range(g, 1, 28), h = prng_range(g, 8, 17), mi = prng_range(g, 0, 59);
	put_timestamp(m->created_at, prng_range(g, 1, 6), d, h, mi);
	put_timestamp(m->updated_at, prng_range(g, 7, 12), d, h, mi);
}

struct bench_data *bench_data_new(const struct bench_params *p, char **cause)
{
	if (p->nrows < 1 || p->nrows > 1000000 || p->tx_nrows < 1 ||
	    p->nlookups < 0 || p->nlookups > p->nrows) {
		bench_fail(cause, "workload out of range: rows 1..1000000, tx-rows >= 1, "
				  "lookups 0..rows");
		return NULL;
	}
	struct bench_data *d = calloc(1, sizeof *d);
	if (d == NULL)
		goto nomem;
	d->p = *p;
	d->rows = calloc((size_t)p->nrows, sizeof *d->rows);
	d->order = calloc((size_t)p->nrows, sizeof *d->order);
	if (d->rows == NULL || d->order == NULL)
		goto nomem;

	struct prng g = { p->seed };
	for (int i = 0; i < p->nrows;) {
		char hh_id[33];
		prng_hex(&g, hh_id);
		const char *surname = surnames[prng_below(&g, NELEMS(surnames))];
		int head_year = prng_range(&g, 1940, 1990);
		const char *head_sex = prng_chance(&g, 85) ? "M" : "F";
		int size = prng_range(&g, 1, 6);
		for (int k = 0; k < size && i < p->nrows; k++, i++)
			generate_member(&g, i, k, hh_id, surname, head_year, head_sex,
					&d->rows[i]);
	}
	for (int i = 0; i < p->nrows; i++)
		d->order[i] = i;
	for (int i = p->nrows - 1; i > 0; i--) {
		int j = (int)prng_below(&g, (uint64_t)i + 1);
		int t = d->order[i];
		d->order[i] = d->order[j];
		d->order[j] = t;
	}
	return d;
nomem:
	bench_data_free(d);
	bench_fail(cause, "out of memory generating %d rows", p->nrows);
	return NULL;
}

void bench_data_free(struct bench_data *d)
{
	if (d == NULL)
		return;
	free(d->rows);
	free(d->order);
	free(d);
}

/* ---- helpers ---- */

int bench_fail(char **cause, const char *fmt, ...)
{
	if (cause == NULL)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) < 0)
		*cause = NULL;
	va_end(ap);
	return -1;
}

int bench_exec(sqlite3 *db, const char *sql, const char *what, char **cause)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return bench_fail(cause, "%s: %s", what, sqlite3_errmsg(db));
	return 0;
}

double bench_now(void)
{
	/* BENCH_CPU_TIME=1: the process's CPU seconds (every thread's), for a
	 * machine too loaded for wall-clock times (bench/README.md). */
	static int cpu = -1;
	if (cpu < 0) {
		const char *env = getenv("BENCH_CPU_TIME");
		cpu = env != NULL && strcmp(env, "1") == 0;
	}
	struct timespec ts;
	clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bench_parse_param(int argc, char **argv, int *i, struct bench_params *p,
		      const char *prog)
{
	static const struct bench_field ints[] = {
		{ "--rows", offsetof(struct bench_params, nrows) },
		{ "--tx-rows", offsetof(struct bench_params, tx_nrows) },
		{ "--lookups", offsetof(struct bench_params, nlookups) },
	};
	const char *opt = argv[*i];
	int is_seed = strcmp(opt, "--seed") == 0;
	size_t which = NELEMS(ints);
	for (size_t k = 0; k < NELEMS(ints); k++)
		if (strcmp(opt, ints[k].name) == 0)
			which = k;
	if (!is_seed && which == NELEMS(ints))
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "%s: %s needs a value\n", prog, opt);
		return -1;
	}
	const char *text = argv[++*i];
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-' ||
	    (!is_seed && v > 100000000)) {
		fprintf(stderr, "%s: %s: not an acceptable number: %s\n", prog, opt, text);
		return -1;
	}
	if (is_seed)
		p->seed = v;
	else
		*(int *)((char *)p + ints[which].offset) = (int)v;
	return 1;
}

/* ---- the run ---- */

static const char schema_sql[] =
	"CREATE TABLE bench_members ("
	" id TEXT PRIMARY KEY,"
	" owner TEXT NOT NULL,"
	" household_id TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" idcard TEXT NOT NULL,"
	" relation TEXT NOT NULL,"
	" sex TEXT NOT NULL,"
	" birth_date TEXT NOT NULL,"
	" health TEXT,"
	" disability TEXT,"
	" schooling TEXT,"
	" work_ability TEXT,"
	" phone TEXT,"
	" status TEXT NOT NULL DEFAULT 'present',"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"CREATE INDEX bench_members_idcard ON bench_members(idcard);";

static const char insert_sql[] =
	"INSERT INTO bench_members(id, owner, household_id, name, idcard, relation, sex,"
	" birth_date, health, disability, schooling, work_ability, phone, status,"
	" created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

static const char lookup_sql[] =
	"SELECT id, household_id, name, relation, sex, birth_date, health, phone"
	" FROM bench_members WHERE idcard = ?1";

static const char aggregate_sql[] =
	"SELECT relation, sex, count(*), min(birth_date), max(birth_date), count(phone)"
	" FROM bench_members GROUP BY relation, sex ORDER BY relation, sex";

#define OWNER "411500000001"

static void bind_text(sqlite3_stmt *st, int col, const char *text)
{
	sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC);
}

/* Bind values[0 .. nvalues) to the parameters ?1 .. ?nvalues of st, a NULL
 * value as SQL NULL. The texts must stay put until st is reset (SQLITE_STATIC). */
static void bind_texts(sqlite3_stmt *st, const char *const *values, int nvalues)
{
	for (int i = 0; i < nvalues; i++) {
		if (values[i] != NULL)
			bind_text(st, i + 1, values[i]);
		else
			sqlite3_bind_null(st, i + 1);
	}
}

/* One write transaction: rows *next .. up to tx_nrows more, with the prepared
 * insert st; advances *next. */
static int write_tx(const struct bench_engine *e, void *h, sqlite3_stmt *st,
		    const struct bench_data *d, int *next, char **cause)
{
	sqlite3 *db = e->db(h);
	if (e->begin(h, cause) != 0)
		return -1;
	for (int n = 0; n < d->p.tx_nrows && *next < d->p.nrows; n++, (*next)++) {
		const struct member_row *m = &d->rows[*next];
		/* insert_sql's columns in its order; NULL where the member has none. */
		const char *const values[] = {
			m->id, OWNER, m->household_id, m->name, m->idcard, m->relation,
			m->sex, m->birth_date, m->health,
			m->has_disability ? m->disability : NULL, m->schooling,
			m->work_ability, m->has_phone ? m->phone : NULL, m->status,
			m->created_at, m->updated_at,
		};
		bind_texts(st, values, (int)(sizeof values / sizeof values[0]));
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) /* the engine's close rolls back */
			return bench_fail(cause, "insert row %d: %s", *next, sqlite3_errmsg(db));
	}
	return e->commit(h, cause);
}

/* The write phase of one or two engines (n is 1 or 2): every row inserted, in
 * transactions of tx_nrows. With two, they take turns transaction by
 * transaction, the first of each pair alternating, and each one's own time is
 * added up in seconds[k]. */
static int write_phase(const struct bench_engine *const *e, void *const *h, int n,
		       const struct bench_data *d, double *seconds, char **cause)
{
	sqlite3_stmt *st[2] = { NULL, NULL };
	int next[2] = { 0, 0 }, rc = 0;
	for (int k = 0; k < n && rc == 0; k++) {
		seconds[k] = 0;
		if (sqlite3_prepare_v2(e[k]->db(h[k]), insert_sql, -1, &st[k], NULL) != SQLITE_OK)
			rc = bench_fail(cause, "prepare insert: %s", sqlite3_errmsg(e[k]->db(h[k])));
	}
	for (int tx = 0; rc == 0 && next[0] < d->p.nrows; tx++) {
		for (int turn = 0; turn < n && rc == 0; turn++) {
			int k = n == 2 ? (tx + turn) % 2 : 0;
			double t0 = bench_now();
			rc = write_tx(e[k], h[k], st[k], d, &next[k], cause);
			seconds[k] += bench_now() - t0;
		}
	}
	for (int k = 0; k < n; k++)
		sqlite3_finalize(st[k]);
	return rc;
}

/* FNV-1a, 64 bits, over a value and a separator. */
static uint64_t fold(uint64_t h, const unsigned char *p, int nbytes)
{
	for (int i = 0; i < nbytes; i++)
		h = (h ^ p[i]) * UINT64_C(0x100000001B3);
	return (h ^ 0xFF) * UINT64_C(0x100000001B3);
}

static uint64_t fold_row(uint64_t h, sqlite3_stmt *st)
{
	int ncols = sqlite3_column_count(st);
	for (int c = 0; c < ncols; c++) {
		const unsigned char *text = sqlite3_column_text(st, c);
		h = fold(h, text != NULL ? text : (const unsigned char *)"",
			 sqlite3_column_bytes(st, c));
	}
	return h;
}

/* The reads of the warm and cold phases; *digest gets a digest of their answers,
 * *misses the pages they read from the file. */
static int read_phase(sqlite3 *db, const struct bench_data *d, uint64_t *digest,
		      int *misses, char **cause)
{
	uint64_t h = UINT64_C(0xCBF29CE484222325);
	sqlite3_stmt *st = NULL;
	int highwater;
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_MISS, misses, &highwater, 1);
	if (sqlite3_prepare_v2(db, lookup_sql, -1, &st, NULL) != SQLITE_OK)
		return bench_fail(cause, "prepare lookup: %s", sqlite3_errmsg(db));
	for (int k = 0; k < d->p.nlookups; k++) {
		const char *idcard = d->rows[d->order[k]].idcard;
		bind_text(st, 1, idcard);
		int nfound = 0, rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			h = fold_row(h, st);
			nfound++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE || nfound != 1) {
			if (rc != SQLITE_DONE)
				bench_fail(cause, "lookup %s: %s", idcard, sqlite3_errmsg(db));
			else
				bench_fail(cause, "lookup %s found %d rows, not 1", idcard, nfound);
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);

	if (sqlite3_prepare_v2(db, aggregate_sql, -1, &st, NULL) != SQLITE_OK)
		return bench_fail(cause, "prepare aggregate: %s", sqlite3_errmsg(db));
	long long total = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		h = fold_row(h, st);
		total += sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return bench_fail(cause, "aggregate: %s", sqlite3_errmsg(db));
	if (total != d->p.nrows)
		return bench_fail(cause, "aggregate counted %lld rows, not %d", total,
				  d->p.nrows);
	*digest = h;
	sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_MISS, misses, &highwater, 0);
	return 0;
}

static void remove_files(const char *path)
{
	char journal[4096];
	unlink(path);
	if ((size_t)snprintf(journal, sizeof journal, "%s-journal", path) < sizeof journal)
		unlink(journal);
}

static int page_size(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return n;
}

/* Create the database of e at path with the bench table; untimed. */
static int prepare(const struct bench_engine *e, const char *path, void **h,
		   struct bench_result *r, char **cause)
{
	memset(r, 0, sizeof *r);
	remove_files(path);
	if (e->create(path, h, cause) != 0)
		return -1;
	if (e->begin(*h, cause) != 0 ||
	    bench_exec(e->db(*h), schema_sql, "create bench_members", cause) != 0 ||
	    e->commit(*h, cause) != 0)
		return -1;
	r->page_nbytes = page_size(e->db(*h));
	return 0;
}

/* The file at path as it lies on disk: into r->sqlite_header whether it starts
 * with SQLite's magic string, into r->plaintext whether the ID card number of one
 * of the first rows is in it as written. Returns 0, or -1 when it cannot be read. */
static int look_at_file(const char *path, const struct bench_data *d,
			struct bench_result *r, char **cause)
{
	static const char magic[16] = "SQLite format 3";
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return bench_fail(cause, "read %s: %s", path, strerror(errno));
	size_t cap = 1 << 20, nbytes = 0, n;
	char *data = malloc(cap);
	while (data != NULL && (n = fread(data + nbytes, 1, cap - nbytes, f)) > 0) {
		nbytes += n;
		if (nbytes == cap) {
			char *more = realloc(data, cap * 2);
			if (more == NULL)
				free(data);
			data = more;
			cap *= 2;
		}
	}
	int failed = ferror(f);
	fclose(f);
	if (data == NULL || failed) {
		free(data);
		return bench_fail(cause, "read %s: %s", path, data ? "read error" : "out of memory");
	}
	r->sqlite_header = nbytes >= sizeof magic && memcmp(data, magic, sizeof magic) == 0;
	r->plaintext = 0;
	for (int i = 0; i < 3 && i < d->p.nrows && !r->plaintext; i++) {
		const char *idcard = d->rows[i].idcard;
		r->plaintext = memmem(data, nbytes, idcard, strlen(idcard)) != NULL;
	}
	free(data);
	return 0;
}

/* After the write phase: the warm reads on h, close, a look at the file, reopen,
 * the cold reads. */
static int read_phases(const struct bench_engine *e, const char *path, void **h,
		       const struct bench_data *d, struct bench_result *r, char **cause)
{
	uint64_t warm_digest = 0, cold_digest = 0;
	double t0 = bench_now();
	if (read_phase(e->db(*h), d, &warm_digest, &r->warm_misses, cause) != 0)
		return -1;
	r->t.warm_s = bench_now() - t0;

	e->close(*h);
	*h = NULL;
	if (look_at_file(path, d, r, cause) != 0)
		return -1;

	t0 = bench_now();
	if (e->open(path, h, cause) != 0)
		return -1;
	r->t.open_s = bench_now() - t0;

	t0 = bench_now();
	if (read_phase(e->db(*h), d, &cold_digest, &r->cold_misses, cause) != 0)
		return -1;
	r->t.cold_s = bench_now() - t0;
	if (warm_digest != cold_digest)
		return bench_fail(cause, "%s: the cold reads answered differently from the warm reads",
				  e->name);
	r->digest = warm_digest;
	return 0;
}

int bench_run(const struct bench_engine *e, const char *path,
	      const struct bench_data *d, struct bench_result *r, char **cause)
{
	void *h = NULL;
	int rc = prepare(e, path, &h, r, cause);
	if (rc == 0)
		rc = write_phase(&e, &h, 1, d, &r->t.write_s, cause);
	if (rc == 0)
		rc = read_phases(e, path, &h, d, r, cause);
	e->close(h);
	remove_files(path);
	return rc;
}

int bench_run_pair(const struct bench_engine *const e[2], const char *const path[2],
		   const struct bench_data *d, struct bench_result r[2], char **cause)
{
	void *h[2] = { NULL, NULL };
	double seconds[2] = { 0, 0 };
	int rc = prepare(e[0], path[0], &h[0], &r[0], cause);
	if (rc == 0)
		rc = prepare(e[1], path[1], &h[1], &r[1], cause);
	if (rc == 0)
		rc = write_phase(e, h, 2, d, seconds, cause);
	r[0].t.write_s = seconds[0];
	r[1].t.write_s = seconds[1];
	for (int k = 0; k < 2 && rc == 0; k++) {
		rc = read_phases(e[k], path[k], &h[k], d, &r[k], cause);
		e[k]->close(h[k]);
		h[k] = NULL;
		remove_files(path[k]);
	}
	for (int k = 0; k < 2; k++) {
		e[k]->close(h[k]);
		remove_files(path[k]);
	}
	return rc;
}
