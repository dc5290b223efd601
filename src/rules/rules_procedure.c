/*
 * rules_procedure.c — the identification and exit procedure
 * "两评议两公示一比对一公告", as recorded in procedure_steps.
 *
 * The steps and their order are code_list procedure_step (sort 1..6); the
 * procedures are 'identify' (every registered household went through it) and
 * 'exit' (every exited or monitored household did). A household may go
 * through a procedure more than once (round); the latest round is the one that
 * must be complete. Three rules:
 *   - a step missing from the latest round (one finding per household and
 *     procedure, listing the missing steps in order);
 *   - a step dated before a step that comes earlier in the order (one finding
 *     per late step, naming the earlier step it precedes); equal dates are in
 *     order;
 *   - a public notice (village_notice, town_notice) without an end date, or
 *     lasting fewer than policy notice_days days, counting both ends
 *     (end_date - on_date + 1).
 * All three read every step of the store: they are worked out in C from one
 * pass over the steps in the order of procedure_steps_dates
 * (db/007_report_indexes.sql), shared by the three (struct rules_steps), and
 * what they find is handed as JSON to a statement that describes it (the
 * third: the notices that may be too short, for the statement to decide
 * exactly; the table is read for those only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "taizhang/strmap.h"

/* " （第 2 轮）" for rounds after the first. */
#define ROUND_TEXT(r) "CASE WHEN " r " > 1 THEN '（第 ' || " r " || ' 轮）' ELSE '' END"

/* Whether step code st is absent from household n.hid's procedure n.proc, round
 * n.rnd. */
#define STEP_ABSENT \
	"NOT EXISTS (SELECT 1 FROM procedure_steps ps WHERE ps.household_id = n.hid" \
	" AND ps.procedure = n.proc AND ps.round = n.rnd AND ps.step = st.code)"

/* ---- the steps, read once for both rules that need every one ---- */

/* Append text to b as a JSON string. */
static void json_string(struct vec_text *b, const char *text)
{
	vec_text_add(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			vec_text_add(b, esc, 2);
		} else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			vec_text_add(b, esc, 6);
		} else {
			vec_text_add(b, (const char *)p, 1);
		}
	}
	vec_text_add(b, "\"", 1);
}

/* A household's procedure as its steps have it: its latest round (max(round))
 * and how many of the order's steps that round has. */
struct latest {
	sqlite3_int64 round, npresent;
};

/* The key of household h[0..nh) and procedure p[0..np) into key (emptied
 * first): h's length in four bytes, h, then p, so that no two pairs share
 * one even when a text holds a NUL. */
static void latest_key(struct vec_text *key, const char *h, size_t nh, const char *p, size_t np)
{
	unsigned char len[4] = { (unsigned char)(nh >> 24), (unsigned char)(nh >> 16),
				 (unsigned char)(nh >> 8), (unsigned char)nh };
	key->n = 0;
	vec_text_add(key, (const char *)len, sizeof len);
	vec_text_add(key, h != NULL ? h : "", nh);
	vec_text_add(key, p != NULL ? p : "", np);
}

/* Whether key is latest_key's of h[0..nh) and p[0..np), without making it
 * (the steps' pass asks for every step, and most are of the pair before). */
static int key_is(const struct vec_text *key, const char *h, size_t nh, const char *p, size_t np)
{
	if (key->n != 4 + nh + np || (((size_t)(unsigned char)key->text[0] << 24) |
				      ((size_t)(unsigned char)key->text[1] << 16) |
				      ((size_t)(unsigned char)key->text[2] << 8) |
				      (size_t)(unsigned char)key->text[3]) != nh)
		return 0;
	return (nh == 0 || memcmp(key->text + 4, h, nh) == 0) &&
	       (np == 0 || memcmp(key->text + 4 + nh, p, np) == 0);
}

/* What one pass over every step, in the order of household, procedure and
 * round, tells both rules (rules_ctx's steps: read by the first of them to
 * run, freed by rules_check). */
/* A notice step (village_notice, town_notice) and its days, end and start
 * included (known: 0 when a date is not of the form YYYY-MM-DD, and then the
 * statement works it out). */
struct notice_days {
	sqlite3_int64 rowid, ndays;
	int known;
};

struct rules_steps {
	char **codes;            /* the steps of the order (code_list procedure_step) */
	size_t *code_lens;       /* their lengths in bytes (a code may hold a NUL) */
	sqlite3_int64 *sorts;    /* and their sort */
	size_t ncodes;
	struct latest *latest;   /* every household and procedure that has steps */
	size_t nlatest;
	struct strmap by_key;    /* latest_key → its index in latest */
	struct vec_text late;    /* procedure-step-order's late steps, as JSON */
	struct notice_days *notices; /* every notice step, for procedure-notice-short */
	size_t nnotices, notices_cap;
};

void rules_steps_free(struct rules_ctx *ctx)
{
	struct rules_steps *k = ctx->steps;
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->ncodes; i++)
		free(k->codes[i]);
	free(k->codes);
	free(k->code_lens);
	free(k->sorts);
	free(k->latest);
	strmap_free(&k->by_key);
	free(k->late.text);
	free(k->notices);
	free(k);
	ctx->steps = NULL;
}

static int load_order(struct rules_ctx *ctx, struct rules_steps *k, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(ctx->s,
			       "SELECT code, sort FROM code_list WHERE list = 'procedure_step'",
			       &st, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_TEXT)
			continue; /* no step's code is equal to it */
		k->codes = xreallocarray(k->codes, k->ncodes + 1, sizeof *k->codes);
		k->code_lens = xreallocarray(k->code_lens, k->ncodes + 1, sizeof *k->code_lens);
		k->sorts = xreallocarray(k->sorts, k->ncodes + 1, sizeof *k->sorts);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		k->codes[k->ncodes] = xmalloc(n + 1);
		memcpy(k->codes[k->ncodes], sqlite3_column_text(st, 0), n);
		k->codes[k->ncodes][n] = '\0';
		k->code_lens[k->ncodes] = n;
		k->sorts[k->ncodes++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(ctx->s, rc, "运行核查规则", err);
	return TZ_OK;
}

/* The sort of step code step[0..n) in the order, or NULL when it is not one
 * of its steps: equal bytes, as SQL's = compares texts (a code with a NUL
 * inside is not the code before the NUL). */
static const sqlite3_int64 *step_sort(const struct rules_steps *k, const char *step, size_t n)
{
	for (size_t i = 0; step != NULL && i < k->ncodes; i++)
		if (k->code_lens[i] == n && memcmp(k->codes[i], step, n) == 0)
			return &k->sorts[i];
	return NULL;
}

/* Whether step code step[0..n) is a public notice's. */
static int is_notice(const char *step, size_t n)
{
	return step != NULL && ((n == 14 && memcmp(step, "village_notice", 14) == 0) ||
				(n == 11 && memcmp(step, "town_notice", 11) == 0));
}

/* A step of the round being read, for procedure-step-order. */
struct step {
	sqlite3_int64 rowid, sort;
	const char *on_date; /* in the round's dates; NULL: none */
	size_t at;           /* where in the dates, while they grow */
	size_t on_len;       /* its bytes (it may hold a NUL) */
	int on_blob;         /* a BLOB, which SQLite orders after every text */
};

/* Compare two steps' dates as SQLite orders them: a text before a BLOB, then
 * their bytes, then their lengths (BINARY collation); both not NULL. */
static int date_cmp(const struct step *a, const struct step *b)
{
	if (a->on_blob != b->on_blob)
		return a->on_blob ? 1 : -1;
	return bytes_cmp_binary(a->on_date, a->on_len, b->on_date, b->on_len);
}

/* Append [rid,tid] to the array being written (opened with "["). */
static void json_pair(struct vec_text *b, sqlite3_int64 rid, sqlite3_int64 tid)
{
	char item[64];
	int n = snprintf(item, sizeof item, "%s[%lld,%lld]", b->n > 1 ? "," : "", (long long)rid,
			 (long long)tid);
	vec_text_add(b, item, (size_t)n);
}

/* The late steps of one round (steps[0..n), their dates at their offsets in
 * dates) into b: a step dated before the latest date of the steps before it in
 * the order (its window max(on_date) ... ROWS UNBOUNDED PRECEDING AND 1
 * PRECEDING), with the first of those that has that date. */
static void round_late(struct step *steps, size_t n, const char *dates, struct vec_text *b)
{
	for (size_t i = 0; i < n; i++)
		steps[i].on_date = steps[i].at == (size_t)-1 ? NULL : dates + steps[i].at;
	/* By sort; a stable insertion sort (a round has a handful of steps). */
	for (size_t i = 1; i < n; i++) {
		struct step x = steps[i];
		size_t j = i;
		while (j > 0 && steps[j - 1].sort > x.sort) {
			steps[j] = steps[j - 1];
			j--;
		}
		steps[j] = x;
	}
	const struct step *before_max = NULL; /* the step with max(on_date) of steps[0..i) */
	for (size_t i = 0; i < n; i++) {
		if (before_max != NULL && steps[i].on_date != NULL &&
		    date_cmp(&steps[i], before_max) < 0) {
			for (size_t j = 0; j < i; j++) {
				if (steps[j].sort < steps[i].sort && steps[j].on_date != NULL &&
				    date_cmp(&steps[j], before_max) == 0) {
					json_pair(b, steps[i].rowid, steps[j].rowid);
					break;
				}
			}
		}
		if (steps[i].on_date != NULL &&
		    (before_max == NULL || date_cmp(&steps[i], before_max) > 0))
			before_max = &steps[i];
	}
}

/* Note the notice step of st's row (steps_scan's columns: 0 rowid, 4 on_date,
 * 6 end_date) with its days when both dates are of the form YYYY-MM-DD (as
 * CAST(julianday(end_date) - julianday(on_date) AS INTEGER) + 1 counts them). */
static void notice_add(struct rules_steps *k, sqlite3_stmt *st)
{
	struct notice_days *n = VEC_PUSH(k->notices, k->nnotices, k->notices_cap);
	const char *on = (const char *)sqlite3_column_text(st, 4);
	const char *end = (const char *)sqlite3_column_text(st, 6);
	int32_t d0, d1;
	n->rowid = sqlite3_column_int64(st, 0);
	n->known = on != NULL && end != NULL && date_parse(on, &d0) && date_parse(end, &d1);
	n->ndays = n->known ? (sqlite3_int64)d1 - d0 + 1 : 0;
}

/* Every step from procedure_steps_dates (007) alone, already in the order of
 * household, procedure and round. (In SQL, procedure-step-order was a window
 * function over all of them — a sort of every step, a second for a town of 30
 * villages — and procedure-step-missing a correlated max(round) and count per
 * household and procedure, a third of a second.) */
static int steps_scan(struct rules_ctx *ctx, struct rules_steps *k, struct tz_error *err);

int rules_steps_read(struct rules_ctx *ctx, struct tz_error *err)
{
	if (ctx->steps != NULL)
		return TZ_OK;
	ctx->steps = xcalloc(1, sizeof *ctx->steps);
	int rc = steps_scan(ctx, ctx->steps, err);
	if (rc != TZ_OK)
		rules_steps_free(ctx);
	return rc;
}

static int steps_scan(struct rules_ctx *ctx, struct rules_steps *k, struct tz_error *err)
{
	int rc = load_order(ctx, k, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st;
	rc = store_prepare(ctx->s, "SELECT s.rowid, s.household_id, s.procedure, s.round, s.on_date, s.step,"
				   " s.end_date"
				   " FROM procedure_steps s ORDER BY s.household_id, s.procedure, s.round",
				   &st, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	vec_text_add(&k->late, "[", 1);
	strmap_init(&k->by_key);
	struct step *steps = NULL; /* of the round being read */
	size_t n = 0, cap = 0, latest_cap = 0;
	struct vec_text dates = { 0 };
	struct vec_text cur_key = { 0 }; /* the household and procedure being read */
	size_t cur = SIZE_MAX;     /* and its place in latest */
	sqlite3_int64 rnd = 0;     /* and its round */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 1);
		size_t nh = (size_t)sqlite3_column_bytes(st, 1);
		const char *p = (const char *)sqlite3_column_text(st, 2);
		size_t np = (size_t)sqlite3_column_bytes(st, 2);
		sqlite3_int64 round = sqlite3_column_int64(st, 3);
		int same = cur != SIZE_MAX && key_is(&cur_key, h, nh, p, np);
		if (!same || round != rnd) {
			round_late(steps, n, dates.text, &k->late);
			n = 0;
			dates.n = 0;
			rnd = round;
		}
		if (!same) {
			int added;
			latest_key(&cur_key, h, nh, p, np);
			size_t *at = strmap_put(&k->by_key, cur_key.text, cur_key.n, &added);
			if (added) {
				*at = k->nlatest;
				*VEC_PUSH(k->latest, k->nlatest, latest_cap) = (struct latest){ round, 0 };
			}
			cur = *at;
		}
		struct latest *l = &k->latest[cur];
		if (round > l->round) { /* rounds come in order: a later one */
			l->round = round;
			l->npresent = 0;
		}
		const char *code = (const char *)sqlite3_column_text(st, 5);
		size_t ncode = (size_t)sqlite3_column_bytes(st, 5);
		if (is_notice(code, ncode))
			notice_add(k, st);
		const sqlite3_int64 *sort = step_sort(k, code, ncode);
		if (sort == NULL)
			continue; /* not a step of the order */
		l->npresent++;
		VEC_RESERVE(steps, cap, n + 1);
		const char *on_date = (const char *)sqlite3_column_text(st, 4);
		size_t on_len = (size_t)sqlite3_column_bytes(st, 4);
		steps[n] = (struct step){ sqlite3_column_int64(st, 0), *sort, NULL, dates.n, on_len,
					  sqlite3_column_type(st, 4) == SQLITE_BLOB };
		if (on_date != NULL)
			vec_text_add(&dates, on_date, on_len + 1);
		else
			steps[n].at = (size_t)-1;
		n++;
	}
	sqlite3_finalize(st);
	round_late(steps, n, dates.text, &k->late);
	vec_text_add(&k->late, "]", 1);
	free(steps);
	free(dates.text);
	free(cur_key.text);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(ctx->s, rc, "运行核查规则", err);
	return TZ_OK;
}

/* The JSON array begun in b ("[" and its items) closed and handed to rule r's
 * statement when rc is TZ_OK; b's text freed either way. Returns the status. */
static int run_on_array(int rc, const struct rule *r, struct vec_text *b, struct rules_ctx *ctx,
			struct findings *out, struct tz_error *err)
{
	vec_text_add(b, "]", 1);
	if (rc == TZ_OK)
		rc = rules_run_json(r, b->text, ctx, out, err);
	free(b->text);
	return rc;
}

int rules_reads_steps(const struct rule *r)
{
	return r->find == rule_procedure_step_missing.find || r->find == rule_procedure_step_order.find ||
	       r->find == rule_procedure_notice_short.find;
}

/* ---- procedure-step-missing ---- */

static int find_step_missing(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
			     struct tz_error *err)
{
	struct vec_text b = { 0 }, key = { 0 };
	int identify = 0, exit_ = 0; /* the procedures code_list has */
	int rc = rules_steps_read(ctx, err);
	const struct rules_steps *k = ctx->steps;
	sqlite3_stmt *st = NULL;
	if (rc == TZ_OK) {
		int src = sqlite3_prepare_v2(store_db(ctx->s),
					     "SELECT (SELECT count(*) FROM code_list WHERE list = 'procedure'"
					     "  AND code = 'identify'),"
					     " (SELECT count(*) FROM code_list WHERE list = 'procedure'"
					     "  AND code = 'exit')",
					     -1, &st, NULL);
		if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
			identify = sqlite3_column_int(st, 0) > 0;
			exit_ = sqlite3_column_int(st, 1) > 0;
			src = SQLITE_OK;
		}
		sqlite3_finalize(st);
		st = NULL;
		if (src != SQLITE_OK)
			rc = store_sqlite_error(ctx->s, src, "运行核查规则", err);
	}
	if (rc == TZ_OK)
		rc = store_prepare(ctx->s,
				   ctx->village == NULL ? "SELECT rowid, id, status FROM households"
							: "SELECT rowid, id, status FROM households"
							  " WHERE village_code = ?1",
				   &st, "运行核查规则", err);
	if (rc == TZ_OK && ctx->village != NULL)
		sqlite3_bind_text(st, 1, ctx->village, -1, SQLITE_STATIC);
	vec_text_add(&b, "[", 1);
	int src = SQLITE_DONE;
	while (rc == TZ_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 1);
		size_t nid = (size_t)sqlite3_column_bytes(st, 1);
		/* As RULES_EXITED_STATUS compares: a text of exactly those bytes. */
		const char *status = (const char *)sqlite3_column_text(st, 2);
		size_t nstatus = (size_t)sqlite3_column_bytes(st, 2);
		int exited = sqlite3_column_type(st, 2) == SQLITE_TEXT && status != NULL &&
			     ((nstatus == 6 && memcmp(status, "exited", 6) == 0) ||
			      (nstatus == 9 && memcmp(status, "monitored", 9) == 0));
		for (int i = 0; i < 2; i++) {
			const char *proc = i == 0 ? "identify" : "exit";
			if (i == 0 ? !identify : !(exit_ && exited))
				continue;
			latest_key(&key, id, nid, proc, strlen(proc));
			const size_t *at = strmap_get(&k->by_key, key.text, key.n);
			const struct latest *l = at != NULL ? &k->latest[*at] : NULL;
			sqlite3_int64 round = l != NULL ? l->round : 1, npresent = l != NULL ? l->npresent : 0;
			if (npresent >= (sqlite3_int64)k->ncodes)
				continue;
			char item[96];
			snprintf(item, sizeof item, "%s[%lld,", b.n > 1 ? "," : "",
				 (long long)sqlite3_column_int64(st, 0));
			vec_text_puts(&b, item);
			json_string(&b, proc);
			snprintf(item, sizeof item, ",%lld,%lld]", (long long)round, (long long)npresent);
			vec_text_puts(&b, item);
		}
	}
	sqlite3_finalize(st);
	if (rc == TZ_OK && src != SQLITE_DONE)
		rc = store_sqlite_error(ctx->s, src, "运行核查规则", err);
	rc = run_on_array(rc, r, &b, ctx, out, err);
	free(key.text);
	return rc;
}

/* procedure-step-missing. Worked out in C from the steps (rules_steps_read): for
 * each household and procedure, its latest round (1 when it has no step) and
 * how many of the order's steps that round has, over the households in scope.
 * The households and procedures short of steps are handed to the statement as
 * JSON [[household rowid, procedure, round, steps present], ...] to be
 * described. */
const struct rule rule_procedure_step_missing = {
	.id = "procedure-step-missing",
	.find = find_step_missing,
	.sql = "WITH n AS ("
	       " SELECT h.id AS hid, h.village_code AS village, p.code AS proc, p.label AS plabel,"
	       "  json_extract(j.value, '$[2]') AS rnd, json_extract(j.value, '$[3]') AS npresent"
	       " FROM json_each(:json) j"
	       " JOIN households h ON h.rowid = json_extract(j.value, '$[0]')"
	       " JOIN code_list p ON p.list = 'procedure' AND p.code = json_extract(j.value, '$[1]'))"
	       " SELECT village, 'households', hid, hid || '/' || proc, hid, " RULES_HEAD("hid")
	       " || '的' || plabel || '程序' || " ROUND_TEXT("rnd")
	       " || CASE WHEN npresent = 0 THEN '没有任何步骤的记录（应有：' ELSE '缺少：' END"
	       " || (SELECT group_concat(label, '、') FROM (SELECT st.label FROM code_list st"
	       "  WHERE st.list = 'procedure_step' AND " STEP_ABSENT " ORDER BY st.sort))"
	       " || CASE WHEN npresent = 0 THEN '）' ELSE '' END"
	       " FROM n ORDER BY 1, 6, 3",
};

/* ---- procedure-step-order ---- */

static int find_step_order(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
			   struct tz_error *err)
{
	int rc = rules_steps_read(ctx, err);
	if (rc != TZ_OK)
		return rc;
	return rules_run_json(r, ctx->steps->late.text, ctx, out, err);
}

/* procedure-step-order. A step is late when it is dated before the latest of
 * the steps that come before it in the order (code_list procedure_step sort)
 * within its household, procedure and round; it is reported with the earliest
 * of those steps that has that latest date. Worked out in C from the steps
 * (rules_steps_read, round_late), the late steps handed to the statement as JSON
 * [[late step's rowid, earlier step's rowid], ...] for their descriptions. */
const struct rule rule_procedure_step_order = {
	.id = "procedure-step-order",
	.find = find_step_order,
	.sql = "WITH late(rid, tid) AS (SELECT json_extract(j.value, '$[0]'),"
	       " json_extract(j.value, '$[1]') FROM json_each(:json) j)"
	       " SELECT h.village_code, 'procedure_steps', s.id, s.id, h.id, " RULES_HEAD("h.id")
	       " || '的' || " RULES_LABEL("procedure", "s.procedure") " || '程序' || "
	       ROUND_TEXT("s.round") " || '中，“' || " RULES_LABEL("procedure_step", "s.step")
	       " || '”（' || s.on_date || '）早于排在它前面的“' || "
	       RULES_LABEL("procedure_step", "t.step") " || '”（' || t.on_date || '）'"
	       " FROM late l JOIN procedure_steps s ON s.rowid = l.rid"
	       " JOIN procedure_steps t ON t.rowid = l.tid"
	       " JOIN households h ON h.id = s.household_id AND " RULES_IN_SCOPE("h.village_code")
	       " ORDER BY 1, 6, 3",
};

/* ---- procedure-notice-short ---- */

/* procedure-notice-short. The notices of the steps (rules_steps_read) that may be
 * too short — fewer days than policy notice_days, or dates not of the form
 * YYYY-MM-DD — handed to the statement as JSON [rowid, ...], which decides
 * each exactly as it always did (julianday) and describes it. */
static int find_notice_short(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
			     struct tz_error *err)
{
	sqlite3_int64 days = 0;
	int rc = rules_steps_read(ctx, err);
	if (rc == TZ_OK)
		rc = rules_policy(ctx->s, "notice_days", &days, err);
	if (rc != TZ_OK)
		return rc;
	const struct rules_steps *k = ctx->steps;
	struct vec_text b = { 0 };
	vec_text_add(&b, "[", 1);
	for (size_t i = 0; i < k->nnotices; i++) {
		if (k->notices[i].known && k->notices[i].ndays >= days)
			continue;
		char item[32];
		int n = snprintf(item, sizeof item, "%s%lld", b.n > 1 ? "," : "",
				 (long long)k->notices[i].rowid);
		vec_text_add(&b, item, (size_t)n);
	}
	return run_on_array(TZ_OK, r, &b, ctx, out, err);
}

const struct rule rule_procedure_notice_short = {
	.id = "procedure-notice-short",
	.find = find_notice_short,
	.sql = "WITH dated AS ("
	       " SELECT s.rowid AS rid,"
	       "  CAST(julianday(s.end_date) - julianday(s.on_date) AS INTEGER) + 1 AS ndays"
	       " FROM json_each(:json) j CROSS JOIN procedure_steps s ON s.rowid = j.value"
	       " WHERE s.step IN ('village_notice', 'town_notice')),"
	       " short AS MATERIALIZED (SELECT * FROM dated"
	       "  WHERE ndays IS NULL OR ndays < :policy_notice_days),"
	       " notices AS ("
	       " SELECT s.*, h.village_code AS village, short.ndays"
	       " FROM short CROSS JOIN procedure_steps s ON s.rowid = short.rid"
	       " JOIN households h ON h.id = s.household_id AND " RULES_IN_SCOPE("h.village_code") ")"
	       " SELECT village, 'procedure_steps', n.id, n.id, n.household_id, "
	       RULES_HEAD("n.household_id")
	       " || '的' || " RULES_LABEL("procedure", "n.procedure") " || '程序' || "
	       ROUND_TEXT("n.round") " || '中，“' || " RULES_LABEL("procedure_step", "n.step")
	       " || '”' || CASE"
	       "  WHEN n.ndays IS NULL THEN '（' || n.on_date || ' 起）没有登记有效的结束日期，"
	       "无法确认公示满 ' || :policy_notice_days || ' 天'"
	       "  WHEN n.ndays <= 0 THEN '的结束日期 ' || n.end_date || ' 早于开始日期 ' || n.on_date"
	       "  ELSE '从 ' || n.on_date || ' 到 ' || n.end_date || ' 只有 ' || n.ndays"
	       "   || ' 天，少于规定的 ' || :policy_notice_days || ' 天' END"
	       " FROM notices n"
	       " ORDER BY 1, 6, 3",
};
