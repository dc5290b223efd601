/*
 * rules_visits_missed.c — cadre-missed-visit (task 14, "百名干部走基层"): each
 * month an assigned cadre visited a household fewer times than policy
 * visits_per_month (what the rule checks: rules_followup.c's header).
 *
 * As one statement this counted the visits of every assignment for every
 * month looked back, a lookup in the visits' index each; at a county (400,000
 * households, 600,000 assignment-months) those lookups were most of a second
 * and a half. Here the visits of the months looked back are read once, in the
 * order of visits_assignment (household, cadre), and walked beside the
 * assignments sorted the same way, counting each assignment's visits per
 * month in C. The assignment-months short of visits are handed as JSON
 * [[assignment rowid, month number], ...] to the statement, which decides
 * each exactly as the whole statement did (the same months, the same count,
 * the same household and scope) and describes it.
 *
 * So the pass may hand over more than it must, never fewer. It compares texts
 * as SQLite's BINARY collation does (bytes, then length), counts only visits
 * whose household, cadre and date are texts (the only ones a text can equal
 * or fall between), and hands over every month of an assignment whose
 * household or cadre is not a text, or whose start or end is neither a text
 * nor NULL. When the months are not what it expects (texts in ascending order,
 * each ending where the next begins) it runs the whole statement instead.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* The months looked back, k = 1 the month before as-of's, each with its first
 * day (start), the first day of the month after (next) and its last day
 * (last): :policy_visit_lookback_months of them, at least one. Each month's
 * first and last day are worked out once (materialized), not for every
 * assignment. */
#define MISSED_MONTHS_CTE \
	"WITH RECURSIVE months(k, start, next, last) AS MATERIALIZED (" \
	" SELECT 1, date(:as_of, 'start of month', '-1 month')," \
	"  date(:as_of, 'start of month'), date(:as_of, 'start of month', '-1 day')" \
	" UNION ALL SELECT k + 1, date(start, '-1 month'), start, date(start, '-1 day')" \
	" FROM months WHERE k < :policy_visit_lookback_months)"

/* What is reported of the assignment-months in missed(aid, cadre_id, hid,
 * village, start, n). */
#define MISSED_DESCRIBED \
	" SELECT d.village, 'cadre_assignments', d.aid, d.aid || '/' || substr(d.start, 1, 7)," \
	" d.hid, '帮扶责任人 ' || c.name || '（' || c.unit || '）'" \
	" || CAST(substr(d.start, 1, 4) AS INTEGER) || '年'" \
	" || CAST(substr(d.start, 6, 2) AS INTEGER) || '月'" \
	" || CASE WHEN d.n = 0 THEN '没有走访所包的'" \
	"  ELSE '只走访 ' || d.n || ' 次（每月应至少 ' || :policy_visits_per_month" \
	"   || ' 次）所包的' END || " RULES_HEAD("d.hid") " || '家'" \
	" FROM missed d JOIN cadres c ON c.id = d.cadre_id" \
	" ORDER BY 1, d.start, 6, 3"

/* The whole statement: every assignment and month (RULES_VISITS_DUE_CTE, the
 * same months and counts as the visit rate's). Run when the months are not
 * as the pass expects. */
static const char whole_sql[] =
	MISSED_MONTHS_CTE ", " RULES_VISITS_DUE_CTE ","
	" missed AS MATERIALIZED (SELECT * FROM due WHERE n < :policy_visits_per_month)"
	MISSED_DESCRIBED;

/* ---- texts as SQLite's BINARY collation compares them ---- */

struct text {
	const char *p;
	size_t n;
};

static int text_cmp(struct text a, struct text b)
{
	return bytes_cmp_binary(a.p, a.n, b.p, b.n);
}

/* Column col of st as a text (its bytes, which may hold NULs); 0 when it is
 * not one. The bytes live until st steps again. */
static int column_text(sqlite3_stmt *st, int col, struct text *out)
{
	if (sqlite3_column_type(st, col) != SQLITE_TEXT)
		return 0;
	out->p = (const char *)sqlite3_column_text(st, col);
	out->n = (size_t)sqlite3_column_bytes(st, col);
	if (out->p == NULL)
		out->p = "";
	return 1;
}

/* ---- the months ---- */

struct month {
	char start[16], next[16], last[16];
	size_t nstart, nnext, nlast;
};

static struct text text_at(const char *p, size_t n)
{
	return (struct text){ p, n };
}

/* The months into *months (k = 1 first), *n of them; *usable 0 when they are
 * not texts of at most 15 bytes, each month's next the previous month's start
 * (so that they follow each other without gap or overlap). */
static int months_read(struct rules_ctx *ctx, struct month **months, size_t *n, int *usable,
		       struct tz_error *err)
{
	sqlite3_int64 lookback = 0;
	int rc = rules_policy(ctx->s, "visit_lookback_months", &lookback, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st;
	rc = store_prepare(ctx->s, MISSED_MONTHS_CTE " SELECT start, next, last FROM months ORDER BY k",
			   &st, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":as_of"), ctx->as_of, -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":policy_visit_lookback_months"),
			   lookback);
	size_t cap = 0;
	*usable = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct month *m = VEC_PUSH(*months, *n, cap);
		struct text t[3];
		for (int i = 0; i < 3; i++)
			if (!column_text(st, i, &t[i]) || t[i].n >= sizeof m->start)
				*usable = 0;
		if (!*usable)
			continue;
		memcpy(m->start, t[0].p, t[0].n);
		memcpy(m->next, t[1].p, t[1].n);
		memcpy(m->last, t[2].p, t[2].n);
		m->nstart = t[0].n;
		m->nnext = t[1].n;
		m->nlast = t[2].n;
		if (text_cmp(text_at(m->start, m->nstart), text_at(m->next, m->nnext)) >= 0)
			*usable = 0;
		if (*n > 1 && text_cmp(text_at(m->next, m->nnext),
				       text_at(m[-1].start, m[-1].nstart)) != 0)
			*usable = 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(ctx->s, rc, "运行核查规则", err);
	if (*n == 0)
		*usable = 0;
	return TZ_OK;
}

/* The month (index into months, k - 1) a visit dated on falls in: start <= on
 * < next; -1 when none. The months run backwards from months[0]. */
static int month_of(const struct month *months, size_t n, struct text on)
{
	size_t lo = 0, hi = n; /* months[lo..hi) may hold it; later months first */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct month *m = &months[mid];
		if (text_cmp(on, text_at(m->start, m->nstart)) < 0)
			lo = mid + 1; /* before this month: an earlier one (a higher index) */
		else if (text_cmp(on, text_at(m->next, m->nnext)) >= 0)
			hi = mid;
		else
			return (int)mid;
	}
	return -1;
}

/* ---- the assignments ---- */

/* One assignment: its rowid, and (as offsets into the pass's bytes) its
 * household, cadre, start and end. */
struct assignment {
	sqlite3_int64 rowid;
	size_t hid, nhid, cid, ncid, since, nsince, until, nuntil;
	int since_null, until_null;
	int odd; /* a household or cadre not a text, or dates neither texts nor NULL */
};

struct pass {
	struct assignment *items;
	size_t n;
	struct vec_text bytes; /* the texts the assignments point into */
};

static struct text pass_text(const struct pass *p, size_t at, size_t n)
{
	return (struct text){ p->bytes.text + at, n };
}

/* The order of household, then cadre. */
static int assignment_cmp_in(const struct pass *p, const struct assignment *a,
			     const struct assignment *b)
{
	int c = text_cmp(pass_text(p, a->hid, a->nhid), pass_text(p, b->hid, b->nhid));
	return c != 0 ? c : text_cmp(pass_text(p, a->cid, a->ncid), pass_text(p, b->cid, b->ncid));
}

static int assignment_cmp(const void *x, const void *y, void *pass)
{
	return assignment_cmp_in(pass, x, y);
}

/* Keep column col of st, when it is a text, in p's bytes: its offset and
 * length into *at and *n (0 and 0 otherwise). Returns whether it was a text. */
static int keep(struct pass *p, sqlite3_stmt *st, int col, size_t *at, size_t *n)
{
	struct text t = { "", 0 };
	int is_text = column_text(st, col, &t);
	*at = p->bytes.n;
	*n = t.n;
	vec_text_add(&p->bytes, t.p, t.n);
	return is_text;
}

/* Every assignment into p, sorted by household and cadre. */
static int assignments_read(struct rules_ctx *ctx, struct pass *p, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(ctx->s,
			       "SELECT rowid, household_id, cadre_id, since, until FROM cadre_assignments",
			       &st, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct assignment *a = VEC_PUSH(p->items, p->n, cap);
		a->rowid = sqlite3_column_int64(st, 0);
		a->since_null = sqlite3_column_type(st, 3) == SQLITE_NULL;
		a->until_null = sqlite3_column_type(st, 4) == SQLITE_NULL;
		a->odd = !keep(p, st, 1, &a->hid, &a->nhid);
		a->odd |= !keep(p, st, 2, &a->cid, &a->ncid);
		a->odd |= !keep(p, st, 3, &a->since, &a->nsince) && !a->since_null;
		a->odd |= !keep(p, st, 4, &a->until, &a->nuntil) && !a->until_null;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(ctx->s, rc, "运行核查规则", err);
	if (p->n > 1)
		qsort_r(p->items, p->n, sizeof *p->items, assignment_cmp, p);
	return TZ_OK;
}

/* Whether assignment a covers month m whole: since <= m.start and (until is
 * NULL or until >= m.last), as the statement asks (a not odd). */
static int covers(const struct pass *p, const struct assignment *a, const struct month *m)
{
	if (a->since_null || text_cmp(pass_text(p, a->since, a->nsince),
				      text_at(m->start, m->nstart)) > 0)
		return 0; /* NULL <= start is not true */
	return a->until_null || text_cmp(pass_text(p, a->until, a->nuntil),
					 text_at(m->last, m->nlast)) >= 0;
}

/* Hand over [rowid,k] for every month of assignments items[from..to) (one
 * household and cadre, counts[k - 1] visits in month k) that it covers and
 * that has fewer than per_month visits, or every month when it is odd. */
static void hand_over(const struct pass *p, size_t from, size_t to, const struct month *months,
		      size_t nmonths, const sqlite3_int64 *counts, sqlite3_int64 per_month,
		      struct vec_text *b)
{
	for (size_t i = from; i < to; i++) {
		const struct assignment *a = &p->items[i];
		for (size_t k = 0; k < nmonths; k++) {
			if (!a->odd && (!covers(p, a, &months[k]) || counts[k] >= per_month))
				continue;
			vec_text_printf(b, "%s[%lld,%zu]", b->n > 1 ? "," : "", (long long)a->rowid,
					k + 1);
		}
	}
}

/* The visits read in the order of household and cadre: the one in hand
 * (have; its texts live until the next visits_next), and the household and
 * cadre of the one before, to see that the order holds. */
struct visits {
	sqlite3_stmt *st;
	int have, src, unordered;
	struct text hid, cid, on;
	struct vec_text last; /* the last pair's household and cadre, and where they part */
	size_t last_nhid;
};

/* Compare the pair (h1, c1) with (h2, c2), household first. */
static int pair_cmp(struct text h1, struct text c1, struct text h2, struct text c2)
{
	int c = text_cmp(h1, h2);
	return c != 0 ? c : text_cmp(c1, c2);
}

/* The next visit whose household, cadre and date are texts into v (v->have
 * 0 at the end or on an error, v->src saying which). */
static void visits_next(struct visits *v)
{
	v->have = 0;
	while ((v->src = sqlite3_step(v->st)) == SQLITE_ROW) {
		if (!column_text(v->st, 0, &v->hid) || !column_text(v->st, 1, &v->cid) ||
		    !column_text(v->st, 2, &v->on))
			continue;
		v->have = 1;
		struct text lh = { v->last.text != NULL ? v->last.text : "", v->last_nhid };
		struct text lc = { lh.p + v->last_nhid, v->last.n - v->last_nhid };
		int c = v->last.text == NULL ? 1 : pair_cmp(v->hid, v->cid, lh, lc);
		if (c < 0)
			v->unordered = 1;
		if (c != 0) {
			v->last.n = 0;
			vec_text_add(&v->last, v->hid.p, v->hid.n);
			vec_text_add(&v->last, v->cid.p, v->cid.n);
			v->last_nhid = v->hid.n;
		}
		return;
	}
}

/* The pair of assignment a. */
static struct text a_hid(const struct pass *p, const struct assignment *a)
{
	return pass_text(p, a->hid, a->nhid);
}

static struct text a_cid(const struct pass *p, const struct assignment *a)
{
	return pass_text(p, a->cid, a->ncid);
}

/* The visits of the months looked back, in the order of household and cadre,
 * walked beside the sorted assignments; the assignment-months short of
 * visits handed over into b. *unordered 1 when the visits did not come in
 * that order (then b is not to be used). */
static int visits_walk(struct rules_ctx *ctx, const struct pass *p, const struct month *months,
		       size_t nmonths, sqlite3_int64 per_month, struct vec_text *b,
		       int *unordered, struct tz_error *err)
{
	struct visits v = { 0 };
	int rc = store_prepare(ctx->s,
			       "SELECT household_id, cadre_id, visited_on FROM visits"
			       " WHERE visited_on >= ?1 AND visited_on < ?2"
			       " ORDER BY household_id, cadre_id",
			       &v.st, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	const struct month *first = &months[nmonths - 1];
	sqlite3_bind_text(v.st, 1, first->start, (int)first->nstart, SQLITE_STATIC);
	sqlite3_bind_text(v.st, 2, months[0].next, (int)months[0].nnext, SQLITE_STATIC);
	sqlite3_int64 *counts = xcalloc(nmonths, sizeof *counts);
	visits_next(&v);
	for (size_t i = 0; i < p->n;) {
		const struct assignment *a = &p->items[i];
		size_t j = i + 1; /* items[i..j): the same household and cadre */
		while (j < p->n && assignment_cmp_in(p, &p->items[j], a) == 0)
			j++;
		while (v.have && pair_cmp(v.hid, v.cid, a_hid(p, a), a_cid(p, a)) < 0)
			visits_next(&v);
		memset(counts, 0, nmonths * sizeof *counts);
		while (v.have && pair_cmp(v.hid, v.cid, a_hid(p, a), a_cid(p, a)) == 0) {
			int k = month_of(months, nmonths, v.on);
			if (k >= 0)
				counts[k]++;
			visits_next(&v);
		}
		if (v.src != SQLITE_ROW && v.src != SQLITE_DONE)
			break;
		hand_over(p, i, j, months, nmonths, counts, per_month, b);
		i = j;
	}
	while (v.have) /* the order of the rest, too */
		visits_next(&v);
	free(counts);
	vec_text_free(&v.last);
	sqlite3_finalize(v.st);
	*unordered = v.unordered;
	if (v.src != SQLITE_DONE)
		return store_sqlite_error(ctx->s, v.src, "运行核查规则", err);
	return TZ_OK;
}

/* What the pass found: the assignment-months to hand over, as JSON, or
 * NULL when the whole statement must run instead. */
struct rules_visits_missed {
	char *json;
};

void rules_visits_missed_free(struct rules_ctx *ctx)
{
	if (ctx->visits_missed == NULL)
		return;
	free(ctx->visits_missed->json);
	free(ctx->visits_missed);
	ctx->visits_missed = NULL;
}

int rules_visits_missed_read(struct rules_ctx *ctx, struct tz_error *err)
{
	if (ctx->visits_missed != NULL)
		return TZ_OK;
	struct month *months = NULL;
	size_t nmonths = 0;
	int usable = 0, unordered = 0;
	sqlite3_int64 per_month = 0;
	struct pass p = { 0 };
	struct vec_text b = { 0 };
	int rc = rules_policy(ctx->s, "visits_per_month", &per_month, err);
	if (rc == TZ_OK)
		rc = months_read(ctx, &months, &nmonths, &usable, err);
	if (rc == TZ_OK && usable)
		rc = assignments_read(ctx, &p, err);
	vec_text_add(&b, "[", 1);
	if (rc == TZ_OK && usable)
		rc = visits_walk(ctx, &p, months, nmonths, per_month, &b, &unordered, err);
	vec_text_add(&b, "]", 1);
	if (rc == TZ_OK) {
		ctx->visits_missed = xcalloc(1, sizeof *ctx->visits_missed);
		ctx->visits_missed->json = usable && !unordered ? vec_text_take(&b) : NULL;
	}
	vec_text_free(&b);
	vec_text_free(&p.bytes);
	free(p.items);
	free(months);
	return rc;
}

static int find_missed_visits(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
			      struct tz_error *err)
{
	int rc = rules_visits_missed_read(ctx, err);
	if (rc != TZ_OK)
		return rc;
	if (ctx->visits_missed->json != NULL)
		return rules_run_json(r, ctx->visits_missed->json, ctx, out, err);
	return rules_run_sql(r, whole_sql, ctx, out, err);
}

/* cadre-missed-visit: the assignment-months the pass hands over (:json),
 * each decided and described as the whole statement (whole_sql) does. */
const struct rule rule_cadre_missed_visit = {
	.id = "cadre-missed-visit",
	.find = find_missed_visits,
	.sql = MISSED_MONTHS_CTE ","
	       " cand(aid, k) AS (SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')"
	       "  FROM json_each(:json) j),"
	       " due AS ("
	       " SELECT a.id AS aid, a.cadre_id, h.id AS hid, h.village_code AS village, sp.start,"
	       "  (SELECT count(*) FROM visits v WHERE v.cadre_id = a.cadre_id"
	       "   AND v.household_id = a.household_id AND v.visited_on >= sp.start"
	       "   AND v.visited_on < sp.next) AS n"
	       " FROM cand CROSS JOIN cadre_assignments a ON a.rowid = cand.aid"
	       " JOIN households h ON h.id = a.household_id AND " RULES_IN_SCOPE("h.village_code")
	       " JOIN months sp ON sp.k = cand.k AND a.since <= sp.start"
	       "  AND (a.until IS NULL OR a.until >= sp.last)),"
	       " missed AS MATERIALIZED (SELECT * FROM due WHERE n < :policy_visits_per_month)"
	       MISSED_DESCRIBED,
};
