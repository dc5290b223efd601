/*
 * rules_members.c — the members, read once for every rule that needs all of
 * them: the head of each household, whom most findings name, and what the
 * two rules about a member's own record (rules_people.c) test.
 *
 * A finding names its household by the head: "户主 张三（341522…）"
 * (RULES_HEAD). As a subquery that is a lookup in the members' household index
 * and the head's row, for every finding; at a county (400,000 households, a
 * 5 GB store) nearly every one of them reads and decrypts a page or two, and
 * they were about a fifth of the whole check. One pass over the table in its
 * stored order instead keeps, for every household with exactly one member
 * whose relation is head, and whose name and ID number are plain texts, the
 * text the subquery gives; the statements ask for it with
 * tz_rules_head(household id, :members) and tz_rules_head_name(...), and fall
 * back to the subquery itself whenever the answer is NULL (no head, two
 * heads, a NUL or another type in a value, or no pass made). The text is the
 * same either way: with one head the subquery's order does not matter.
 *
 * The same pass keeps, of every member, what member-too-old and
 * member-born-after-record test, so that their statements look at a handful
 * of candidates instead of every member (rules_members_too_old,
 * rules_members_born_late: always every member the statement would find, and
 * perhaps a few more, which it then turns down).
 *
 * The pass is made for the first statement that names tz_rules_head, or by
 * the first of the two rules (rules_members_read); rules_check frees it. A
 * statement gets it bound as :members (a pointer, RULES_MEMBERS_POINTER); the
 * functions are registered on the connection by rules_check
 * (rules_members_functions).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "taizhang/strmap.h"

/* A household's map value when it has more than one head, or one whose
 * name or ID number is not a plain text: the lookup describes it. */
#define HEAD_AMBIGUOUS SIZE_MAX

/* A birth date as the number YYYYMMDD when it is ten characters of the form
 * 0000-00-00 (not checked as a date, as GLOB does not), else BIRTH_ODD. */
#define BIRTH_ODD INT32_MIN

struct rules_members {
	struct strmap heads;     /* household id → offset in text, or HEAD_AMBIGUOUS */
	struct vec_text text;    /* per head: "户主 name（idcard）", NUL, name, NUL */
	/* The candidates of the two rules, as JSON arrays of rowids; too_old is
	 * not filled when the policy lacks max_plausible_age (too_old_known 0:
	 * the rule says so). */
	struct vec_text too_old, born_late;
	int too_old_known;
	int32_t too_old_cut; /* YYYYMMDD: a birth on or before it may be too old */
	int too_old_all;     /* CUT_YEAR out of 1000..9999: every date may be */
};

void rules_members_free(struct rules_ctx *ctx)
{
	struct rules_members *m = ctx->members;
	if (m == NULL)
		return;
	strmap_free(&m->heads);
	vec_text_free(&m->text);
	vec_text_free(&m->too_old);
	vec_text_free(&m->born_late);
	free(m);
	ctx->members = NULL;
}

/* Column col of st as text when it is a text without a NUL in it (its length
 * into *n), else NULL. */
static const char *plain_text(sqlite3_stmt *st, int col, size_t *n)
{
	if (sqlite3_column_type(st, col) != SQLITE_TEXT)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(st, col);
	*n = (size_t)sqlite3_column_bytes(st, col);
	return t != NULL && strlen(t) == *n ? t : NULL;
}

static void add_head(struct rules_members *m, sqlite3_stmt *st)
{
	if (sqlite3_column_type(st, 1) != SQLITE_TEXT)
		return; /* never equal to a household's id, which is a text */
	const char *hid = (const char *)sqlite3_column_blob(st, 1);
	size_t nhid = (size_t)sqlite3_column_bytes(st, 1);
	size_t nname = 0, nidcard = 0;
	const char *name = plain_text(st, 3, &nname);
	const char *idcard = plain_text(st, 4, &nidcard);
	int added;
	size_t *v = strmap_put(&m->heads, hid != NULL ? hid : "", nhid, &added);
	if (!added || name == NULL || idcard == NULL) {
		*v = HEAD_AMBIGUOUS; /* a second head, or one the subquery describes */
		return;
	}
	*v = m->text.n;
	vec_text_puts(&m->text, "户主 ");
	vec_text_add(&m->text, name, nname);
	vec_text_puts(&m->text, "（");
	vec_text_add(&m->text, idcard, nidcard);
	vec_text_puts(&m->text, "）");
	vec_text_add(&m->text, "", 1);
	vec_text_add(&m->text, name, nname);
	vec_text_add(&m->text, "", 1);
}

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The number the n digits at s spell. */
static int32_t digits_value(const char *s, size_t n)
{
	int32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* YYYYMMDD of ten characters of the form 0000-00-00, else BIRTH_ODD. */
static int32_t birth_number(const char *b, size_t n)
{
	if (b == NULL || n != DATE_NCHARS || !is_digits(b, 4) || b[4] != '-' ||
	    !is_digits(b + 5, 2) || b[7] != '-' || !is_digits(b + 8, 2))
		return BIRTH_ODD;
	return digits_value(b, 4) * 10000 + digits_value(b + 5, 2) * 100 + digits_value(b + 8, 2);
}

/* Whether a stored time is of the form the store writes and SQLite reads
 * without shifting it: YYYY-MM-DD, then optionally a space or T and HH:MM,
 * :SS, .fraction, then optionally Z. date(t, '+8 hours') of such a time is
 * NULL or no earlier than its first ten characters; any other text (a time
 * zone, a Julian day number) may be anything. */
static int plain_time(const char *t, size_t n)
{
	if (n < DATE_NCHARS || birth_number(t, DATE_NCHARS) == BIRTH_ODD)
		return 0;
	size_t i = DATE_NCHARS;
	if (i < n && (t[i] == ' ' || t[i] == 'T')) {
		if (n - i < 6 || !is_digits(t + i + 1, 2) || t[i + 3] != ':' ||
		    !is_digits(t + i + 4, 2))
			return 0;
		i += 6;
		if (i < n && t[i] == ':') {
			if (n - i < 3 || !is_digits(t + i + 1, 2))
				return 0;
			i += 3;
			if (i < n && t[i] == '.') {
				i++;
				size_t digits = i;
				while (i < n && t[i] >= '0' && t[i] <= '9')
					i++;
				if (i == digits)
					return 0;
			}
		}
	}
	if (i < n && t[i] == 'Z')
		i++;
	return i == n;
}

/* Whether member-born-after-record might find the member of st's row:
 * birth_date > date(created_at, '+8 hours'). No when the birth date is NULL
 * (the comparison is NULL), or a text no greater than the first ten
 * characters of a plain time (which that date is NULL or not earlier than);
 * yes otherwise (a BLOB compares greater than any text). */
static int may_be_born_late(sqlite3_stmt *st)
{
	int type = sqlite3_column_type(st, 6);
	if (type == SQLITE_NULL)
		return 0;
	if (type != SQLITE_TEXT || sqlite3_column_type(st, 7) != SQLITE_TEXT)
		return 1;
	const char *b = (const char *)sqlite3_column_blob(st, 6);
	size_t nb = (size_t)sqlite3_column_bytes(st, 6);
	const char *c = (const char *)sqlite3_column_blob(st, 7);
	size_t nc = (size_t)sqlite3_column_bytes(st, 7);
	if (c == NULL || !plain_time(c, nc))
		return 1;
	/* SQLite's BINARY order: the common bytes, then the shorter first. */
	size_t common = nb < DATE_NCHARS ? nb : DATE_NCHARS;
	int cmp = common > 0 ? memcmp(b, c, common) : 0;
	if (cmp == 0)
		cmp = (nb > DATE_NCHARS) - (nb < DATE_NCHARS);
	return cmp > 0;
}

static int is_present(sqlite3_stmt *st)
{
	size_t n = 0;
	const char *status = plain_text(st, 5, &n);
	return status != NULL && n == 7 && memcmp(status, "present", 7) == 0;
}

/* Append rowid to the JSON array being written (opened with "["). */
static void json_rowid(struct vec_text *b, sqlite3_int64 rowid)
{
	char item[32];
	int n = snprintf(item, sizeof item, "%s%lld", b->n > 1 ? "," : "", (long long)rowid);
	vec_text_add(b, item, (size_t)n);
}

/* member-too-old's cut: MAY_BE_TOO_OLD (rules_people.c) keeps a date of the
 * form on or before the same month and day CUT_YEAR (as-of's year - policy
 * max_plausible_age - 1), every other text, and every date at all when
 * CUT_YEAR is out of 1000..9999. */
static void too_old_cut(struct rules_ctx *ctx, struct rules_members *m)
{
	struct tz_error ignored = { 0 };
	sqlite3_int64 max_age = 0;
	m->too_old_known = rules_policy(ctx->s, "max_plausible_age", &max_age, &ignored) == TZ_OK;
	sqlite3_int64 year = digits_value(ctx->as_of, 4) - max_age - 1;
	m->too_old_all = year < 1000 || year > 9999;
	if (!m->too_old_all)
		m->too_old_cut = (int32_t)year * 10000 + digits_value(ctx->as_of + 5, 2) * 100 +
				 digits_value(ctx->as_of + 8, 2);
}

static int members_scan(struct rules_ctx *ctx, struct rules_members *m, struct tz_error *err)
{
	too_old_cut(ctx, m);
	long long nhouseholds = 0; /* about as many heads: room for them at once */
	int rc = store_query_ints(ctx->s, "SELECT count(*) FROM households", NULL, 0, &nhouseholds,
				  1, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st;
	rc = store_prepare(ctx->s, "SELECT rowid, household_id, relation, name, idcard, status,"
				   " birth_date, created_at FROM members",
			   &st, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	strmap_init(&m->heads);
	strmap_reserve(&m->heads, nhouseholds > 0 ? (size_t)nhouseholds : 0);
	vec_text_add(&m->too_old, "[", 1);
	vec_text_add(&m->born_late, "[", 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		size_t nrel = 0;
		const char *rel = plain_text(st, 2, &nrel);
		if (rel != NULL && nrel == 4 && memcmp(rel, "head", 4) == 0)
			add_head(m, st);
		if (m->too_old_known && is_present(st)) {
			size_t nb = 0;
			const char *b = plain_text(st, 6, &nb);
			int32_t birth = birth_number(b, nb);
			if (m->too_old_all || birth == BIRTH_ODD || birth <= m->too_old_cut)
				json_rowid(&m->too_old, rowid);
		}
		if (may_be_born_late(st))
			json_rowid(&m->born_late, rowid);
	}
	sqlite3_finalize(st);
	vec_text_add(&m->too_old, "]", 1);
	vec_text_add(&m->born_late, "]", 1);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(ctx->s, rc, "运行核查规则", err);
	return TZ_OK;
}

int rules_members_read(struct rules_ctx *ctx, struct tz_error *err)
{
	if (ctx->members != NULL)
		return TZ_OK;
	ctx->members = xcalloc(1, sizeof *ctx->members);
	int rc = members_scan(ctx, ctx->members, err);
	if (rc != TZ_OK)
		rules_members_free(ctx);
	return rc;
}

const char *rules_members_born_late(const struct rules_ctx *ctx)
{
	return ctx->members->born_late.text;
}

const char *rules_members_too_old(const struct rules_ctx *ctx)
{
	return ctx->members->too_old_known ? ctx->members->too_old.text : NULL;
}

/* ---- tz_rules_head(hid, :members), tz_rules_head_name(hid, :members) ---- */

/* The head's text (name_only: the name alone) of the household whose id is
 * the first argument, from the pass the second points to (bound as
 * RULES_MEMBERS_POINTER), or NULL for the statement to work it out. */
static void head_fn(sqlite3_context *c, sqlite3_value **argv, int name_only)
{
	const struct rules_members *m = sqlite3_value_pointer(argv[1], RULES_MEMBERS_POINTER);
	if (m == NULL || sqlite3_value_type(argv[0]) != SQLITE_TEXT)
		return; /* NULL */
	const char *key = (const char *)sqlite3_value_blob(argv[0]);
	const size_t *v = strmap_get(&m->heads, key != NULL ? key : "",
				     (size_t)sqlite3_value_bytes(argv[0]));
	if (v == NULL || *v == HEAD_AMBIGUOUS)
		return;
	const char *text = m->text.text + *v;
	if (name_only)
		text += strlen(text) + 1;
	sqlite3_result_text(c, text, -1, SQLITE_TRANSIENT);
}

static void head_text_fn(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	head_fn(c, argv, 0);
}

static void head_name_fn(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	head_fn(c, argv, 1);
}

/* The functions hold no state (the pass comes as an argument), so they are
 * registered once on a connection and never replaced: replacing a function
 * fails while a statement runs, and would make SQLite prepare every
 * statement of the connection again. */
int rules_members_functions(sqlite3 *db)
{
	sqlite3_stmt *probe = NULL;
	if (sqlite3_prepare_v2(db, "SELECT tz_rules_head(NULL, NULL)", -1, &probe, NULL) == SQLITE_OK) {
		sqlite3_finalize(probe);
		return SQLITE_OK;
	}
	int how = SQLITE_UTF8 | SQLITE_DIRECTONLY;
	int rc = sqlite3_create_function(db, "tz_rules_head", 2, how, NULL, head_text_fn, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "tz_rules_head_name", 2, how, NULL, head_name_fn,
					     NULL, NULL);
	return rc;
}
