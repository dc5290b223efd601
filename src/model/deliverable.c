/*
 * deliverable.c — the ledger of the campaign's deliverables
 * (include/taizhang/campaign.h, db/009_campaign.sql): making the rows the
 * schedule asks for, listing them with their state, counting done / open /
 * late, recording a hand-in and the town's confirmation of receipt.
 *
 * A row's id is derived from its kind and the party that owes it, so the
 * town's row for a village and the village's own row are one row: when the
 * village's first bundle brings it, the town already holds the same values
 * and sync keeps its own (no conflict). Generated rows carry no timestamp for
 * that reason; updated_at is set by the first hand-in.
 *
 * Not here: the per-unit sheet (unit.c), the field rules of a hand-in
 * (tables.c, with deliverable_check below), setting aside a village's write
 * of the town's confirmation (sync/apply.c).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/date.h"
#include "taizhang/keyring.h"
#include "taizhang/model.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

void deliverable_id(const char *kind, const char *party, char out[IDS_NCHARS + 1])
{
	static const char context[] = "taizhang deliverable";
	unsigned char h[IDS_NCHARS / 2];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	/* each part with its terminating NUL, so no two (kind, party) pairs meet */
	crypto_generichash_update(&st, (const unsigned char *)context, sizeof context);
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_generichash_update(&st, (const unsigned char *)party, strlen(party) + 1);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, IDS_NCHARS + 1, h, sizeof h);
}

const char *deliverable_state_label(enum deliverable_state state)
{
	switch (state) {
	case DELIVERABLE_DONE:
		return "已完成";
	case DELIVERABLE_LATE:
		return "逾期";
	default:
		return "未到期";
	}
}

/* ---- generation ---- */

/* The parties that owe a deliverable of each kind, as (kind, party, is_unit)
 * rows: the villages this store keeps (its own at a village), and at the town
 * the units the kind names. */
static const char parties_sql[] =
	"WITH here(town, code) AS (SELECT ?1, ?2),"
	" villages_here(code) AS ("
	"  SELECT code FROM here WHERE town = 0"
	"  UNION SELECT v.code FROM villages v, here WHERE here.town = 1 AND v.code <> here.code),"
	" leads(code) AS (SELECT DISTINCT tu.unit FROM task_units tu JOIN units u ON u.code = tu.unit"
	"  WHERE tu.role = 'lead' AND u.kind = 'town_unit')"
	" SELECT k.key, v.code, 0 FROM deliverable_kinds k, villages_here v WHERE k.for_villages = 1"
	" UNION ALL SELECT k.key, l.code, 1 FROM deliverable_kinds k, leads l, here"
	"  WHERE here.town = 1 AND k.for_units = 'leads'"
	" UNION ALL SELECT k.key, tu.unit, 1 FROM deliverable_kinds k"
	"  JOIN task_units tu ON tu.task = k.task AND tu.role = 'lead'"
	"  JOIN units u ON u.code = tu.unit AND u.kind = 'town_unit', here"
	"  WHERE here.town = 1 AND k.for_units = 'task'"
	" UNION ALL SELECT k.key, k.unit, 1 FROM deliverable_kinds k, here"
	"  WHERE here.town = 1 AND k.for_units = 'unit'";

static const char insert_sql[] =
	"INSERT OR IGNORE INTO deliverables(id, owner, village_code, unit, kind, what, due)"
	" SELECT ?1, ?2, ?3, ?4, k.key, k.what, d.due FROM deliverable_kinds k"
	" JOIN deadlines d ON d.key = k.deadline_key WHERE k.key = ?5";

static int generate_rows(struct store *s, size_t *added, struct tz_error *err)
{
	const struct keyring *kr = store_keyring(s);
	sqlite3_stmt *q, *ins;
	int rc = store_prepare(s, parties_sql, &q, "生成交付事项", err);
	if (rc != TZ_OK)
		return rc;
	rc = store_prepare(s, insert_sql, &ins, "生成交付事项", err);
	if (rc != TZ_OK) {
		sqlite3_finalize(q);
		return rc;
	}
	sqlite3_bind_int(q, 1, kr->kind == STORE_KIND_TOWN);
	sqlite3_bind_text(q, 2, kr->division_code, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 0);
		const char *party = (const char *)sqlite3_column_text(q, 1);
		int is_unit = sqlite3_column_int(q, 2);
		if (kind == NULL || party == NULL)
			continue;
		char id[IDS_NCHARS + 1];
		deliverable_id(kind, party, id);
		sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, is_unit ? kr->division_code : party, -1, SQLITE_TRANSIENT);
		if (is_unit) {
			sqlite3_bind_null(ins, 3);
			sqlite3_bind_text(ins, 4, party, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_text(ins, 3, party, -1, SQLITE_TRANSIENT);
			sqlite3_bind_null(ins, 4);
		}
		sqlite3_bind_text(ins, 5, kind, -1, SQLITE_TRANSIENT);
		step = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (step != SQLITE_DONE)
			break;
		*added += (size_t)sqlite3_changes(store_db(s));
	}
	if (step != SQLITE_DONE)
		rc = store_sqlite_error(s, step, "生成交付事项", err);
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return rc;
}

/* The rows not handed in yet follow their kind: its text and its deadline's
 * date, as the town set them (for the next campaign, or a deadline moved).
 * *changed: how many rows changed. */
static int follow_schedule(struct store *s, size_t *changed, struct tz_error *err)
{
	int rc = store_exec(s,
			    "UPDATE deliverables SET"
			    " what = (SELECT k.what FROM deliverable_kinds k WHERE k.key = deliverables.kind),"
			    " due = (SELECT d.due FROM deliverable_kinds k JOIN deadlines d"
			    "  ON d.key = k.deadline_key WHERE k.key = deliverables.kind)"
			    " WHERE handed_in_on IS NULL AND EXISTS (SELECT 1 FROM deliverable_kinds k"
			    "  JOIN deadlines d ON d.key = k.deadline_key WHERE k.key = deliverables.kind"
			    "  AND (k.what <> deliverables.what OR d.due <> deliverables.due))",
			    err);
	*changed = rc == TZ_OK ? (size_t)sqlite3_changes(store_db(s)) : 0;
	return rc;
}

/* deliverable_generate, or with make_rows 0 deliverable_follow. */
static int generate(struct store *s, int make_rows, size_t *added, struct tz_error *err)
{
	size_t n = 0, changed = 0;
	int own_tx = !store_tx_active(s);
	int rc = own_tx ? store_tx_begin(s, err) : TZ_OK;
	if (rc != TZ_OK)
		return rc;
	if (make_rows)
		rc = generate_rows(s, &n, err);
	if (rc == TZ_OK)
		rc = follow_schedule(s, &changed, err);
	if (rc == TZ_OK && n + changed > 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "新增 %zu 项，按时间节点更新 %zu 项", n, changed);
		rc = store_audit(s, "deliverable.generate", NULL, detail, err);
	}
	if (own_tx)
		rc = store_tx_end(s, rc, err);
	if (added != NULL)
		*added = rc == TZ_OK ? n : 0;
	return rc;
}

int deliverable_generate(struct store *s, size_t *added, struct tz_error *err)
{
	return generate(s, 1, added, err);
}

int deliverable_follow(struct store *s, struct tz_error *err)
{
	return generate(s, 0, NULL, err);
}

/* ---- listing ---- */

#define DELIVERABLE_SELECT                                                                     \
	"SELECT d.id, d.kind, d.what, d.due, d.village_code, d.unit,"                          \
	" COALESCE(v.name, un.name, d.village_code, d.unit), d.handed_in_on, d.handed_in_by,"  \
	" d.signed_by, d.kept_where, d.note, d.confirmed_on, d.confirmed_by,"                  \
	" COALESCE(k.signed, 0),"                                                              \
	" CASE WHEN d.handed_in_on IS NOT NULL THEN 1 WHEN d.due < ?1 THEN 2 ELSE 0 END AS state," \
	" k.sort AS sort"                                                                      \
	" FROM deliverables d"                                                                 \
	" LEFT JOIN villages v ON v.code = d.village_code"                                     \
	" LEFT JOIN units un ON un.code = d.unit"                                              \
	" LEFT JOIN deliverable_kinds k ON k.key = d.kind"

/* A deliverable's texts, columns 1, 2, ... of DELIVERABLE_SELECT. */
static const size_t deliverable_texts[] = {
	offsetof(struct deliverable, kind),	    offsetof(struct deliverable, what),
	offsetof(struct deliverable, due),	    offsetof(struct deliverable, village_code),
	offsetof(struct deliverable, unit),	    offsetof(struct deliverable, party_name),
	offsetof(struct deliverable, handed_in_on), offsetof(struct deliverable, handed_in_by),
	offsetof(struct deliverable, signed_by),    offsetof(struct deliverable, kept_where),
	offsetof(struct deliverable, note),	    offsetof(struct deliverable, confirmed_on),
	offsetof(struct deliverable, confirmed_by),
};

static void read_row(sqlite3_stmt *st, void *item)
{
	struct deliverable *d = item;
	snprintf(d->id, sizeof d->id, "%s", (const char *)sqlite3_column_text(st, 0));
	store_columns_dup_into(st, 1, d, STORE_TEXTS(deliverable_texts));
	d->must_sign = sqlite3_column_int(st, 14);
	int state = sqlite3_column_int(st, 15);
	d->state = state == 1 ? DELIVERABLE_DONE : state == 2 ? DELIVERABLE_LATE : DELIVERABLE_OPEN;
}

STORE_ROWS_DEFINE(deliverable_rows, deliverable_list_free, struct deliverable, read_row, NULL,
		  "读取交付事项", STORE_TEXTS(deliverable_texts))

int deliverable_list(struct store *s, const struct deliverable_filter *f,
		     struct deliverable **out, size_t *n, struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = store_prepare(s,
			       "SELECT * FROM (" DELIVERABLE_SELECT ") x"
			       " WHERE (?2 IS NULL OR x.village_code = ?2) AND (?3 IS NULL OR x.unit = ?3)"
			       " AND (?4 IS NULL OR x.kind = ?4) AND (?5 < 0 OR x.state = ?5)"
			       " AND (?6 = 0 OR x.village_code IS NOT NULL)"
			       " ORDER BY x.due, x.unit IS NOT NULL, COALESCE(x.village_code, x.unit), x.sort",
			       &st, "读取交付事项", err);
	if (rc != TZ_OK)
		return rc;
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	int want = -1;
	if (f != NULL) {
		if (f->village_code)
			sqlite3_bind_text(st, 2, f->village_code, -1, SQLITE_STATIC);
		if (f->unit)
			sqlite3_bind_text(st, 3, f->unit, -1, SQLITE_STATIC);
		if (f->kind)
			sqlite3_bind_text(st, 4, f->kind, -1, SQLITE_STATIC);
		/* the SQL's state numbers: 0 open, 1 done, 2 late */
		want = f->state == DELIVERABLE_DONE ? 1 : f->state == DELIVERABLE_LATE ? 2
						      : f->state == DELIVERABLE_OPEN ? 0 : -1;
	}
	sqlite3_bind_int(st, 5, want);
	sqlite3_bind_int(st, 6, f != NULL && f->of_villages);
	return store_rows_step(s, st, &deliverable_rows, out, n, err);
}

/* ---- counts ---- */

void deliverable_counts_free(struct deliverable_count *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].party);
		free(v[i].name);
	}
	free(v);
}

static void count_into(struct deliverable_count *c, const struct deliverable *d)
{
	c->done += d->state == DELIVERABLE_DONE;
	c->open += d->state == DELIVERABLE_OPEN;
	c->late += d->state == DELIVERABLE_LATE;
	c->confirmed += d->confirmed_on != NULL;
}

int deliverable_counts(struct store *s, struct deliverable_count **out, size_t *n,
		       struct deliverable_count *total, struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	memset(total, 0, sizeof *total);
	struct deliverable *all;
	size_t nall, cap = 0;
	int rc = deliverable_list(s, NULL, &all, &nall, err);
	if (rc != TZ_OK)
		return rc;
	/* villages first, then units; each party once, in code order */
	for (int units = 0; units <= 1; units++) {
		size_t first = *n;
		for (size_t i = 0; i < nall; i++) {
			const char *party = units ? all[i].unit : all[i].village_code;
			if (party == NULL)
				continue;
			struct deliverable_count *c = NULL;
			for (size_t k = first; k < *n && c == NULL; k++)
				if (strcmp((*out)[k].party, party) == 0)
					c = &(*out)[k];
			if (c == NULL) {
				size_t at = *n;
				while (at > first && strcmp((*out)[at - 1].party, party) > 0)
					at--;
				VEC_PUSH(*out, *n, cap);
				memmove(&(*out)[at + 1], &(*out)[at], (*n - 1 - at) * sizeof **out);
				c = &(*out)[at];
				memset(c, 0, sizeof *c);
				c->party = xstrdup(party);
				c->name = xstrdup(all[i].party_name ? all[i].party_name : party);
				c->is_unit = units;
			}
			count_into(c, &all[i]);
			count_into(total, &all[i]);
		}
	}
	deliverable_list_free(all, nall);
	return TZ_OK;
}

/* ---- recording and confirming ---- */

int deliverable_check(struct store *s, struct record *r, struct tz_error *err)
{
	if (r->id[0] == '\0') {
		r->refused_column = NULL;
		return tz_error_set(err, TZ_EFAIL,
				    "交付事项由时间节点生成（taizhang deliverable generate），不能另行新增");
	}
	const char *on = record_get(r, "handed_in_on");
	int any = record_get(r, "handed_in_by") || record_get(r, "signed_by") ||
		  record_get(r, "kept_where");
	if (on == NULL && any) {
		r->refused_column = "handed_in_on";
		return tz_error_set(err, TZ_EFAIL, "请填写提交日期：已填了提交人、审签人或存放位置");
	}
	if (on == NULL)
		return TZ_OK;
	const char *params[] = { r->id };
	long long must_sign;
	int rc = store_query_ints(s,
				  "SELECT k.signed FROM deliverables d"
				  " JOIN deliverable_kinds k ON k.key = d.kind WHERE d.id = ?1",
				  params, 1, &must_sign, 1, "核对交付事项", err);
	if (rc != TZ_OK)
		return rc;
	if (must_sign == 1 && record_get(r, "signed_by") == NULL) {
		r->refused_column = "signed_by";
		return tz_error_set(err, TZ_EFAIL,
				    "请填写审签人：实施方案须经单位主要负责同志审签后上报");
	}
	return TZ_OK;
}

int deliverable_record(struct store *s, const char *id, const struct deliverable_handin *h,
		       struct tz_error *err)
{
	const struct table_def *def = model_table("deliverables");
	sqlite3_stmt *st;
	int rc = store_prepare(s,
			       "SELECT d.owner = ?2, COALESCE(v.name, d.village_code, d.unit)"
			       " FROM deliverables d LEFT JOIN villages v ON v.code = d.village_code"
			       " WHERE d.id = ?1",
			       &st, "读取交付事项", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, store_keyring(s)->division_code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0)
		rc = tz_error_set(err, TZ_EFAIL,
				  "这是%s的交付事项，由村里登记提交；镇扶贫办收到后用 confirm 确认收到",
				  (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (rc != TZ_OK)
		return rc;
	struct record r;
	rc = record_load(s, def, id, &r, err);
	if (rc != TZ_OK)
		return rc;
	const char *cols[] = { "handed_in_on", "handed_in_by", "signed_by", "kept_where", "note" };
	const char *vals[] = { h->on, h->by, h->signed_by, h->kept_where, h->note };
	for (size_t i = 0; rc == TZ_OK && i < sizeof cols / sizeof cols[0]; i++)
		if (vals[i] != NULL)
			rc = record_set(&r, cols[i], vals[i], err);
	int own_tx = rc == TZ_OK && !store_tx_active(s);
	if (own_tx)
		rc = store_tx_begin(s, err);
	if (rc == TZ_OK)
		rc = record_update(s, &r, err);
	if (own_tx)
		rc = store_tx_end(s, rc, err);
	record_free(&r);
	return rc;
}

int deliverable_confirm(struct store *s, const char *id, const char *on, struct tz_error *err)
{
	if (store_keyring(s)->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EUSAGE,
				    "确认收到由镇扶贫办办理：村里只登记提交情况，镇里收到后确认");
	int32_t day = date_today();
	if (on != NULL && on[0] != '\0' && !date_parse_loose(on, &day))
		return tz_error_set(err, TZ_EFAIL, "确认日期“%s”不是日期，请写成 2019-05-02", on);
	if (day > date_today())
		return tz_error_set(err, TZ_EFAIL, "确认日期不能晚于今天");
	char text[DATE_NCHARS + 1], now[32];
	date_format(day, text);
	model_now(now);
	int own_tx = !store_tx_active(s);
	int rc = own_tx ? store_tx_begin(s, err) : TZ_OK;
	if (rc != TZ_OK)
		return rc;
	const char *params[] = { id, text, store_user(s), now };
	rc = store_exec_params(s,
			       "UPDATE deliverables SET confirmed_on = ?2, confirmed_by = ?3, updated_at = ?4"
			       " WHERE id = ?1 AND handed_in_on IS NOT NULL",
			       params, 4, "确认收到", err);
	if (rc == TZ_OK && sqlite3_changes(store_db(s)) != 1)
		rc = tz_error_set(err, TZ_EFAIL,
				  "这项交付事项还没有登记提交（或不存在），不能确认收到");
	if (rc == TZ_OK)
		rc = store_audit(s, "deliverable.confirm", id, text, err);
	if (own_tx)
		rc = store_tx_end(s, rc, err);
	return rc;
}

int deliverable_find(struct store *s, const char *kind, const char *party,
		     char id[IDS_NCHARS + 1], struct tz_error *err)
{
	char *code = party ? xstrdup(party) : NULL;
	int rc = TZ_OK;
	/* a village's code is itself; anything else names a unit */
	if (code != NULL && strspn(code, "0123456789") != strlen(code))
		rc = unit_code_normalize(s, "单位", &code, err);
	if (rc == TZ_OK && code == NULL)
		rc = tz_error_set(err, TZ_EUSAGE, "请写明是哪个村或单位的交付事项");
	if (rc == TZ_OK) {
		deliverable_id(kind ? kind : "", code, id);
		sqlite3_stmt *st;
		rc = store_prepare(s,
				   "SELECT (SELECT count(*) FROM deliverables WHERE id = ?1),"
				   " (SELECT group_concat(key, '、') FROM"
				   "  (SELECT key FROM deliverable_kinds ORDER BY sort))",
				   &st, "查找交付事项", err);
		if (rc == TZ_OK) {
			sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
			int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
			if (!found) {
				const char *kinds = (const char *)sqlite3_column_text(st, 1);
				rc = tz_error_set(err, TZ_EFAIL, "%s没有“%s”这项交付事项（事项：%s）", code,
						  kind ? kind : "", kinds ? kinds : "");
			}
			sqlite3_finalize(st);
		}
	}
	free(code);
	return rc;
}
