/*
 * report_hh.c — a town's households at both ends of the report's period, in
 * one pass over their status records.
 *
 * Every section starts from temp.report_hh: each household with its status
 * on `to` and on the day before `from` (REPORT_STATUS_ON). For a village its
 * statement does that with up to four lookups in the status records' index
 * per household; at a county (400,000 households, 1.2 million records) that
 * was about two seconds, and a town report on two connections needs the
 * table on each. Here the records are read once, in the order of that index
 * (household, date, creation, id), beside the households sorted by id, and
 * each household's two statuses are worked out in C as the statement works
 * them out:
 *   - the status of its last record dated on or before the day (the records
 *     of a household being in the order the statement sorts them in, the
 *     last one of those dated on or before the day is the one it picks);
 *   - a household without any record: its own status when the day it was
 *     identified (else the first ten characters of its creation time) is on
 *     or before the day, else none.
 * Texts are compared as SQLite's BINARY collation does (bytes, then length).
 * The rows are then written into each connection's report_hh
 * (report_hh_fill), the same rows on both.
 *
 * The same pass notes, for each village, the records dated in the period and
 * the record before each of its household (the one the changes section's
 * statement looks up for it: the order is the index's), as JSON
 * [[rowid, previous rowid or null], ...] (report_changes_of): the section
 * then reads those few records by rowid instead of every household's
 * records.
 *
 * Only plain data takes this way: a household whose id, village, status or
 * dates are not texts, a creation time that is not ASCII, or a record whose
 * date or status is not a text (none of which the program writes, but a
 * village can) makes report_hh_read give up, and the statement fills the
 * table as for a village (report_households_prepare).
 */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/bytes.h"
#include "taizhang/strmap.h"

/* A stretch of the text arena. */
struct span {
	size_t at, n;
};

struct hh_row {
	struct span village, id;
	struct span status;    /* the household's own, for one without records */
	struct span since;     /* identified_on, else substr(created_at, 1, 10) */
	struct span st, st0;   /* the statuses found (n == SIZE_MAX: none) */
};

struct report_changes {
	struct strmap villages; /* village code → index in json */
	struct vec_text *json;
	size_t n, cap;
};

struct report_hh_rows {
	struct vec_text text;
	struct hh_row *rows;
	size_t n;
	struct report_changes *changes;
};

#define NONE SIZE_MAX

void report_changes_free(struct report_changes *ch)
{
	if (ch == NULL)
		return;
	for (size_t i = 0; i < ch->n; i++)
		vec_text_free(&ch->json[i]);
	free(ch->json);
	strmap_free(&ch->villages);
	free(ch);
}

const char *report_changes_of(const struct report_changes *ch, const char *village)
{
	if (ch == NULL)
		return NULL;
	const size_t *v = strmap_get(&ch->villages, village, strlen(village));
	return v != NULL ? ch->json[*v].text : "[]";
}

struct report_changes *report_hh_take_changes(struct report_hh_rows *h)
{
	struct report_changes *ch = h->changes;
	h->changes = NULL;
	for (size_t i = 0; ch != NULL && i < ch->n; i++)
		vec_text_add(&ch->json[i], "]", 1); /* each was opened by its first change */
	return ch;
}

/* Note record rowid (the one before it in its household: prev, when
 * has_prev) as a change of the period in village. */
static void change_add(struct report_changes *ch, const char *village, size_t nvillage,
		       sqlite3_int64 rowid, int has_prev, sqlite3_int64 prev)
{
	int added;
	size_t *v = strmap_put(&ch->villages, village, nvillage, &added);
	if (added) {
		*v = ch->n;
		*VEC_PUSH(ch->json, ch->n, ch->cap) = (struct vec_text){ 0 };
	}
	struct vec_text *j = &ch->json[*v];
	if (has_prev)
		vec_text_printf(j, "%s[%lld,%lld", j->n == 0 ? "[" : ",", (long long)rowid,
				(long long)prev);
	else
		vec_text_printf(j, "%s[%lld,null", j->n == 0 ? "[" : ",", (long long)rowid);
	vec_text_add(j, "]", 1);
}

void report_hh_free(struct report_hh_rows *h)
{
	if (h == NULL)
		return;
	vec_text_free(&h->text);
	free(h->rows);
	report_changes_free(h->changes);
	free(h);
}

static const char *span_text(const struct report_hh_rows *h, struct span s)
{
	return h->text.text + s.at;
}

/* Column col of st into the arena when it is a text; 0 when it is not. */
static int keep_text(struct report_hh_rows *h, sqlite3_stmt *st, int col, struct span *out)
{
	if (sqlite3_column_type(st, col) != SQLITE_TEXT)
		return 0;
	const char *t = (const char *)sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	*out = (struct span){ h->text.n, n };
	vec_text_add(&h->text, t != NULL ? t : "", n);
	return 1;
}

/* ASCII without a NUL: its first ten characters are its first ten bytes
 * (substr stops at a NUL, and counts a character of UTF-8 as one). */
static int is_plain_ascii(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] >= 0x80 || t[i] == '\0')
			return 0;
	return 1;
}

/* The households (0: one that is not plain data). */
static int read_households(struct report_ctx *c, struct report_hh_rows *h, int *plain,
			   struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(c->s, "SELECT village_code, id, status, identified_on, created_at"
				     " FROM households", &st, "准备报表", err);
	if (rc != TZ_OK)
		return rc;
	size_t cap = 0;
	*plain = 1;
	while (*plain && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hh_row *r = VEC_PUSH(h->rows, h->n, cap);
		r->st.n = r->st0.n = NONE;
		*plain = keep_text(h, st, 0, &r->village) && keep_text(h, st, 1, &r->id) &&
			 keep_text(h, st, 2, &r->status);
		if (*plain && sqlite3_column_type(st, 3) != SQLITE_NULL) {
			*plain = keep_text(h, st, 3, &r->since);
		} else if (*plain) {
			const char *t = (const char *)sqlite3_column_text(st, 4);
			size_t n = (size_t)sqlite3_column_bytes(st, 4);
			*plain = sqlite3_column_type(st, 4) == SQLITE_TEXT && t != NULL && is_plain_ascii(t, n);
			if (*plain) {
				r->since = (struct span){ h->text.n, n < DATE_NCHARS ? n : DATE_NCHARS };
				vec_text_add(&h->text, t, r->since.n);
			}
		}
	}
	sqlite3_finalize(st);
	if (*plain && rc != SQLITE_DONE)
		return store_sqlite_error(c->s, rc, "准备报表", err);
	return TZ_OK;
}

static int row_by_id(const void *a, const void *b, void *rows)
{
	const struct hh_row *x = a, *y = b;
	return bytes_cmp_binary(span_text(rows, x->id), x->id.n, span_text(rows, y->id), y->id.n);
}

/* The day before from as SQLite's date() gives it, into day0. */
static int day_before(struct report_ctx *c, char day0[DATE_NCHARS + 1], struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(c->s, "SELECT date(?1, '-1 day')", &st, "准备报表", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, c->from, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	int ok = rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == DATE_NCHARS;
	if (ok)
		memcpy(day0, sqlite3_column_text(st, 0), DATE_NCHARS + 1);
	sqlite3_finalize(st);
	if (!ok)
		return store_sqlite_error(c->s, rc == SQLITE_ROW ? SQLITE_MISMATCH : rc, "准备报表",
					  err);
	return TZ_OK;
}

/* A record's status (kept in the arena) as the one found for the day when
 * the record's date is on or before it. */
static void status_on(struct span *found, const char *on, size_t non, const char *day,
		      struct span status)
{
	if (bytes_cmp_binary(on, non, day, DATE_NCHARS) <= 0)
		*found = status;
}

/* The records, in the index's order, beside the households sorted by id. */
static int read_records(struct report_ctx *c, struct report_hh_rows *h, const char *day1,
			const char *day0, int *plain, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(c->s, "SELECT household_id, on_date, status, rowid"
				     " FROM household_status_history"
				     " ORDER BY household_id, on_date, created_at, id",
			       &st, "准备报表", err);
	if (rc != TZ_OK)
		return rc;
	h->changes = xcalloc(1, sizeof *h->changes);
	strmap_init(&h->changes->villages);
	size_t k = 0;          /* the household the records are at */
	size_t prev_k = SIZE_MAX; /* the household of the record before, */
	sqlite3_int64 prev = 0;   /* and that record's rowid */
	unsigned char *had = xcalloc(h->n ? h->n : 1, 1); /* a record of its own */
	while (*plain && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_TEXT)
			continue; /* never equal to a household's id, a text */
		const char *hid = (const char *)sqlite3_column_blob(st, 0);
		size_t nhid = (size_t)sqlite3_column_bytes(st, 0);
		int cmp = -1;
		while (k < h->n && (cmp = bytes_cmp_binary(span_text(h, h->rows[k].id), h->rows[k].id.n,
						     hid != NULL ? hid : "", nhid)) < 0)
			k++;
		if (k == h->n || cmp != 0)
			continue; /* a record of no household */
		struct hh_row *r = &h->rows[k];
		had[k] = 1;
		if (sqlite3_column_type(st, 1) != SQLITE_TEXT || sqlite3_column_type(st, 2) != SQLITE_TEXT) {
			*plain = 0;
			break;
		}
		const char *on = (const char *)sqlite3_column_blob(st, 1);
		size_t non = (size_t)sqlite3_column_bytes(st, 1);
		if (on == NULL)
			on = ""; /* an empty text */
		sqlite3_int64 rowid = sqlite3_column_int64(st, 3);
		int on_or_before = bytes_cmp_binary(on, non, day1, DATE_NCHARS) <= 0;
		if (on_or_before && bytes_cmp_binary(on, non, c->from, DATE_NCHARS) >= 0)
			change_add(h->changes, span_text(h, r->village), r->village.n, rowid,
				   prev_k == k, prev);
		prev_k = k;
		prev = rowid;
		if (!on_or_before)
			continue; /* and neither is any later record of the household */
		struct span status;
		keep_text(h, st, 2, &status);
		status_on(&r->st, on, non, day1, status);
		status_on(&r->st0, on, non, day0, status);
	}
	sqlite3_finalize(st);
	if (*plain && rc != SQLITE_DONE) {
		free(had);
		return store_sqlite_error(c->s, rc, "准备报表", err);
	}
	/* Without records: the household's own status from the day it was identified. */
	for (size_t i = 0; *plain && i < h->n; i++) {
		struct hh_row *r = &h->rows[i];
		if (had[i])
			continue;
		const char *since = span_text(h, r->since);
		if (bytes_cmp_binary(since, r->since.n, day1, DATE_NCHARS) <= 0)
			r->st = r->status;
		if (bytes_cmp_binary(since, r->since.n, day0, DATE_NCHARS) <= 0)
			r->st0 = r->status;
	}
	free(had);
	return TZ_OK;
}

int report_hh_read(struct report_ctx *c, struct report_hh_rows **out, struct tz_error *err)
{
	*out = NULL;
	char day0[DATE_NCHARS + 1];
	int rc = day_before(c, day0, err);
	if (rc != TZ_OK)
		return rc;
	struct report_hh_rows *h = xcalloc(1, sizeof *h);
	int plain = 1;
	rc = read_households(c, h, &plain, err);
	if (rc == TZ_OK && plain && h->n > 1)
		qsort_r(h->rows, h->n, sizeof *h->rows, row_by_id, h);
	if (rc == TZ_OK && plain)
		rc = read_records(c, h, c->to, day0, &plain, err);
	if (rc != TZ_OK || !plain) {
		report_hh_free(h);
		return rc;
	}
	*out = h;
	return TZ_OK;
}

/* A found status as a bound text, or NULL. */
static void bind_found(sqlite3_stmt *st, int col, const struct report_hh_rows *h, struct span s)
{
	if (s.n == NONE)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, span_text(h, s), (int)s.n, SQLITE_STATIC);
}

int report_hh_fill(struct report_ctx *c, const struct report_hh_rows *h, struct tz_error *err)
{
	sqlite3 *db = store_db(c->s);
	int rc = sqlite3_exec(db, REPORT_HH_CREATE "; DELETE FROM " REPORT_HH_TABLE, NULL, NULL,
			      NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(c->s, rc, "准备报表", err);
	sqlite3_stmt *st;
	rc = sqlite3_prepare_v2(db, "INSERT INTO " REPORT_HH_TABLE " VALUES (?1, ?2, ?3, ?4)", -1,
				&st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(c->s, rc, "准备报表", err);
	for (size_t i = 0; i < h->n && rc == SQLITE_OK; i++) {
		const struct hh_row *r = &h->rows[i];
		sqlite3_bind_text(st, 1, span_text(h, r->village), (int)r->village.n, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, span_text(h, r->id), (int)r->id.n, SQLITE_STATIC);
		bind_found(st, 3, h, r->st);
		bind_found(st, 4, h, r->st0);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return store_sqlite_error(c->s, rc, "准备报表", err);
	return TZ_OK;
}
