/*
 * ledger.c — what people see of sync: the state per village (last hand-in,
 * what is unsent, unacknowledged, held; conflicts and alarms) and the conflict
 * ledger with its "handled" mark. Reads only, except the mark of an officer's
 * decision (sync_conflict_handle; sync_ledger_mark serves proposal.c too).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"
#include "taizhang/keyring.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

/* One row per village: at the town every village it knows of, at a village
 * itself. ?1 = this store's division code, ?2 = 1 at the town. The sent / held /
 * conflict tables name the village a row concerns, so the same query serves
 * both sides; at a village the outbox's dest is 'town'. */
static const char states_sql[] =
	"WITH codes(code) AS ("
	"  SELECT code FROM villages WHERE ?2 = 1 AND code <> ?1"
	"  UNION SELECT division_code FROM sync_village_devices WHERE ?2 = 1"
	"  UNION SELECT ?1 WHERE ?2 = 0)"
	" SELECT c.code,"
	"  coalesce((SELECT name FROM villages v WHERE v.code = c.code), c.code),"
	"  coalesce((SELECT max(applied_at) FROM sync_received r WHERE r.village = c.code), ''),"
	"  coalesce((SELECT max(last_seq) FROM sync_peer_in p WHERE p.village = c.code), 0),"
	"  (SELECT count(*) FROM sync_outbox o"
	"    WHERE (CASE WHEN ?2 = 1 THEN o.dest IN (c.code, '*') ELSE o.dest = 'town' END)"
	"    AND o.id > coalesce((SELECT max(outbox_upto) FROM sync_sent t"
	"                         WHERE t.village = c.code), 0)),"
	"  (SELECT count(*) FROM sync_sent t WHERE t.village = c.code AND t.bytes IS NOT NULL),"
	"  (SELECT count(*) FROM sync_held h WHERE h.village = c.code),"
	"  (SELECT count(*) FROM sync_conflicts k WHERE k.village = c.code AND k.handled_at IS NULL),"
	"  (SELECT count(*) FROM sync_alarms a WHERE a.village = c.code)"
	" FROM codes c ORDER BY c.code";

/* A column's text made safe for a terminal (text_sanitize): conflict rows
 * name tables and rows a peer's bundle chose. */
static char *dup_column(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? text_sanitize(t, 0) : NULL;
}

int sync_village_states(struct store *s, struct sync_village_state **out, size_t *n,
			struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	const struct keyring *kr = store_keyring(s);
	sqlite3_stmt *st;
	int rc = store_prepare(s, states_sql,
			       &st, "读取上报情况", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, kr->division_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, kr->kind == STORE_KIND_TOWN);
	size_t cap = 0;
	int status = TZ_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sync_village_state *v = VEC_PUSH(*out, *n, cap);
		memset(v, 0, sizeof *v);
		snprintf(v->code, sizeof v->code, "%s", (const char *)sqlite3_column_text(st, 0));
		v->name = dup_column(st, 1);
		snprintf(v->last_in, sizeof v->last_in, "%s", (const char *)sqlite3_column_text(st, 2));
		v->last_seq = (uint64_t)sqlite3_column_int64(st, 3);
		v->unsent = sqlite3_column_int64(st, 4);
		v->unacked = sqlite3_column_int64(st, 5);
		v->held = sqlite3_column_int64(st, 6);
		v->conflicts = sqlite3_column_int64(st, 7);
		v->alarms = sqlite3_column_int64(st, 8);
	}
	if (rc != SQLITE_DONE)
		status = store_sqlite_error(s, rc, "读取上报情况", err);
	sqlite3_finalize(st);
	if (status != TZ_OK) {
		sync_village_states_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return status;
}

void sync_village_states_free(struct sync_village_state *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}


/* Fill item from the row st stands on, as how says. */
static void fill_item(const struct sync_list *how, sqlite3_stmt *st, char *item)
{
	const char *at = (const char *)sqlite3_column_text(st, 1);
	char *village = dup_column(st, 2);
	*(long long *)(void *)(item + how->id_at) = sqlite3_column_int64(st, 0);
	snprintf(item + how->stamp_at, SYNC_STAMP_NCHARS + 1, "%s", at ? at : "");
	snprintf(item + how->village_at, SYNC_CODE_NCHARS + 1, "%s", village ? village : "");
	*(uint64_t *)(void *)(item + how->seq_at) = (uint64_t)sqlite3_column_int64(st, 3);
	char **texts = (char **)(void *)(item + how->texts_at);
	for (size_t k = 0; k < how->ntexts; k++)
		texts[k] = dup_column(st, 4 + (int)k);
	free(village);
}

int sync_list_rows(struct store *s, int all, const struct sync_list *how, void **out, size_t *n,
		   struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s), how->sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, how->what, err);
	sqlite3_bind_int(st, 1, all != 0);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = vec_grow(*out, &cap, *n + 1, how->item_nbytes);
		char *item = (char *)*out + (*n)++ * how->item_nbytes;
		memset(item, 0, how->item_nbytes);
		fill_item(how, st, item);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return TZ_OK;
	sync_list_free(how, *out, *n);
	*out = NULL;
	*n = 0;
	return store_sqlite_error(s, rc, how->what, err);
}

void sync_list_free(const struct sync_list *how, void *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char **texts = (char **)(void *)((char *)items + i * how->item_nbytes + how->texts_at);
		for (size_t k = 0; k < how->ntexts; k++)
			free(texts[k]);
	}
	free(items);
}

static const struct sync_list conflict_list = {
	SYNC_LIST_HEAD(sync_conflict, table_name, handled_note), "读取冲突台账",
	"SELECT id, at, village, seq, table_name, row_key, kind, resolution, detail, handled_at,"
	" handled_by, handled_note FROM sync_conflicts WHERE ?1 = 1 OR handled_at IS NULL ORDER BY id",
};
SYNC_LIST_DEFINE(sync_conflicts_list, sync_conflicts_free, sync_conflict, conflict_list)

static const struct sync_list refusal_list = {
	SYNC_LIST_HEAD(sync_refusal, peer, reason), "读取拒收的数据包",
	"SELECT id, at, village, seq, peer, file_name, reason FROM sync_refusals"
	" WHERE ?1 IS NOT NULL ORDER BY id",
};

/* Refusals are always listed whole (?1 = 1). */
int sync_refusals_list(struct store *s, struct sync_refusal **out, size_t *n, struct tz_error *err)
{
	void *items;
	int rc = sync_list_rows(s, 1, &refusal_list, &items, n, err);
	*out = items;
	return rc;
}

void sync_refusals_free(struct sync_refusal *r, size_t n)
{
	sync_list_free(&refusal_list, r, n);
}

int sync_ledger_mark(struct store *s, const char *sql, long long id, const char *now,
		     const char *note, const char *extra, int *found, const char *what,
		     struct tz_error *err)
{
	char id_text[32];
	snprintf(id_text, sizeof id_text, "%lld", id);
	const char *params[] = { id_text, now, store_user(s), note, extra };
	int rc = store_exec_params(s, sql, params, extra ? 5 : 4, what, err);
	*found = rc == TZ_OK && sqlite3_changes(store_db(s)) > 0;
	return rc;
}

int sync_ledger_audit(struct store *s, const char *action, long long id, const char *note,
		      struct tz_error *err)
{
	char subject[32];
	snprintf(subject, sizeof subject, "%lld", id);
	return store_audit(s, action, subject, note, err);
}

int sync_conflict_handle(struct store *s, long long id, const char *note, struct tz_error *err)
{
	if (note == NULL || note[0] == '\0')
		return tz_error_set(err, TZ_EFAIL, "请写明这条冲突是怎么处理的");
	int rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	int found;
	rc = sync_ledger_mark(s,
			      "UPDATE sync_conflicts SET handled_at = ?2, handled_by = ?3,"
			      " handled_note = ?4 WHERE id = ?1 AND handled_at IS NULL",
			      id, now, note, NULL, &found, "标记冲突", err);
	if (rc == TZ_OK && !found)
		rc = tz_error_set(err, TZ_EFAIL, "没有编号为 %lld 的未处理冲突", id);
	if (rc == TZ_OK)
		rc = sync_ledger_audit(s, "sync.conflict_handled", id, note, err);
	if (rc == TZ_OK)
		return store_tx_commit(s, err);
	store_tx_rollback(s);
	return rc;
}

const char *sync_conflict_kind_label(const char *kind)
{
	if (strcmp(kind, "data") == 0)
		return "两边都改过";
	if (strcmp(kind, "notfound") == 0)
		return "本机没有这条记录";
	if (strcmp(kind, "conflict") == 0)
		return "本机已有这条记录";
	if (strcmp(kind, "constraint") == 0)
		return "违反数据约束";
	if (strcmp(kind, "foreign_key") == 0)
		return "引用的记录不存在";
	return kind;
}

const char *sync_conflict_resolution_label(const char *resolution)
{
	return strcmp(resolution, "theirs") == 0 ? "以对方为准" : "保留本机的";
}

/* The officer's word for each outcome, and whether it needs a look. */
static const struct {
	enum sync_outcome outcome;
	const char *label;
	int attention;
} outcomes[] = {
	{ SYNC_APPLIED, "已导入", 0 },     { SYNC_DUPLICATE, "重复", 0 },
	{ SYNC_HELD, "暂存", 0 },          { SYNC_SKIPPED, "跳过", 0 },
	{ SYNC_FORK, "分叉", 1 },          { SYNC_REFUSED, "拒绝", 1 },
	{ SYNC_FROM_REVOKED, "已吊销", 1 }, { SYNC_VERSION, "版本不同", 1 },
	{ SYNC_FAILED, "失败", 1 },
};

const char *sync_outcome_label(enum sync_outcome o)
{
	for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (outcomes[i].outcome == o)
			return outcomes[i].label;
	return "失败";
}

int sync_outcome_needs_attention(enum sync_outcome o)
{
	for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (outcomes[i].outcome == o)
			return outcomes[i].attention;
	return 1;
}
