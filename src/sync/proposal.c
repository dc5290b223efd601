/*
 * proposal.c — the town's answer to a village's change it may not make
 * itself (rule A4 of src/sync/README.md): list the proposals apply.c set
 * aside, accept one (the town writes it as its own change, so change capture
 * sends it back to the village) or refuse one with a note.
 *
 * A proposal keeps the change as it came (sync_proposal_values: per column the
 * sender's old and asked-for value), so accepting it needs nothing from the
 * village. A problem's state is moved with problem_move, never written
 * directly: its state machine and the evidence rule for 销号 still hold. A
 * review step or answer the village wrote itself is never accepted as it
 * came: the town reviews with its own steps (model/review.c).
 *
 * Every decision is answered to the village: a town_answers row (db/010,
 * captured and sent with the town's next bundle) says what was asked, accepted
 * or refused, and the town's note. An accepted change to reference data says
 * so by itself (it reaches every village), so it gets no answer: one town
 * transaction may concern one village, or reference data only (capture.c).
 *
 * Not here: how a change becomes a proposal (apply.c), printing.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"
#include "taizhang/keyring.h"
#include "taizhang/problem.h"
#include "taizhang/text_hygiene.h"

static const struct sync_list proposal_list = {
	SYNC_LIST_HEAD(sync_proposal, table_name, decided_note), "读取村里的申请",
	"SELECT id, at, village, seq, table_name, row_key, op, summary, state, decided_at,"
	" decided_by, decided_note FROM sync_proposals WHERE ?1 = 1 OR state = 'open' ORDER BY id",
};
SYNC_LIST_DEFINE(sync_proposals_list, sync_proposals_free, sync_proposal, proposal_list)

/* One open proposal, loaded. */
struct loaded {
	char table[64], op[8];
	const struct sync_table *t;
	sqlite3_value *oldv[SYNC_MAX_COLS], *newv[SYNC_MAX_COLS];
	unsigned char changed[SYNC_MAX_COLS];
};

static void loaded_free(struct loaded *l)
{
	for (int i = 0; i < SYNC_MAX_COLS; i++) {
		sqlite3_value_free(l->oldv[i]);
		sqlite3_value_free(l->newv[i]);
	}
}

static int load(struct store *s, struct sync_tables *ts, long long id, struct loaded *l,
		struct tz_error *err)
{
	memset(l, 0, sizeof *l);
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT table_name, op FROM sync_proposals WHERE id = ?1 AND state = 'open'",
			       &st, "读取村里的申请", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(l->table, sizeof l->table, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(l->op, sizeof l->op, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return tz_error_set(err, TZ_EFAIL, "没有编号为 %lld 的待决定申请", id);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "读取村里的申请", err);
	l->t = sync_tables_resolve(ts, l->table);
	if (l->t == NULL)
		return tz_error_set(err, TZ_EFAIL, "申请 %lld 涉及的表本机没有", id);
	rc = store_prepare(s, "SELECT col, old_value, new_value, changed FROM sync_proposal_values"
			   " WHERE proposal_id = ?1 ORDER BY col",
			   &st, "读取村里的申请", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int col = sqlite3_column_int(st, 0);
		if (col < 0 || col >= l->t->ncol)
			continue;
		l->oldv[col] = sync_value_dup(sqlite3_column_value(st, 1));
		l->newv[col] = sync_value_dup(sqlite3_column_value(st, 2));
		l->changed[col] = (unsigned char)sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "读取村里的申请", err);
}

static int skip_column(const struct loaded *l, int i, int by_move)
{
	if (l->t->pk[i] || !l->changed[i])
		return 1;
	if (!by_move)
		return 0;
	const char *c = l->t->colname[i];
	return strcmp(c, "state") == 0 || strcmp(c, "evidence") == 0 || strcmp(c, "measures") == 0 ||
	       strcmp(c, "updated_at") == 0;
}

/* Bind the primary key of l (the asked-for values, or the old ones of a
 * delete) from parameter first on. */
static void bind_key(sqlite3_stmt *q, const struct loaded *l, int first)
{
	for (int i = 0; i < l->t->ncol; i++)
		if (l->t->pk[i])
			sync_bind_value(q, first++, l->newv[i] ? l->newv[i] : l->oldv[i]);
}

/* Prepare the statement built in sql (used bytes of cap; SQLITE_TOOBIG
 * when it did not fit). */
static int prepare_built(sqlite3 *db, const char *sql, size_t used, size_t cap, sqlite3_stmt **q)
{
	*q = NULL;
	return used >= cap ? SQLITE_TOOBIG : sqlite3_prepare_v2(db, sql, -1, q, NULL);
}

/* UPDATE the row with the asked-for values of its changed columns (those a
 * problem move writes left out when by_move); *nrows gets the rows changed. */
static int write_update(sqlite3 *db, const struct loaded *l, int by_move, int *nrows)
{
	const struct sync_table *t = l->t;
	char sql[4096];
	size_t used = (size_t)snprintf(sql, sizeof sql, "UPDATE \"%s\" SET ", t->name);
	int n = 0;
	for (int i = 0; i < t->ncol && used < sizeof sql; i++)
		if (!skip_column(l, i, by_move)) {
			n++;
			used += (size_t)snprintf(sql + used, sizeof sql - used, "%s\"%s\" = ?%d",
						 n > 1 ? ", " : "", t->colname[i], n);
		}
	*nrows = 0;
	if (n == 0)
		return SQLITE_OK;
	if (used < sizeof sql)
		used += (size_t)snprintf(sql + used, sizeof sql - used, " WHERE ");
	used = sync_where_key(t, sql, sizeof sql, used, n + 1);
	sqlite3_stmt *q;
	int rc = prepare_built(db, sql, used, sizeof sql, &q);
	if (rc != SQLITE_OK)
		return rc;
	n = 0;
	for (int i = 0; i < t->ncol; i++)
		if (!skip_column(l, i, by_move))
			sync_bind_value(q, ++n, l->newv[i]);
	bind_key(q, l, n + 1);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	*nrows = sqlite3_changes(db);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int write_insert_or_delete(sqlite3 *db, const struct loaded *l, int insert)
{
	const struct sync_table *t = l->t;
	char sql[4096];
	size_t used;
	if (insert) {
		used = (size_t)snprintf(sql, sizeof sql, "INSERT INTO \"%s\" VALUES (", t->name);
		for (int i = 0; i < t->ncol && used < sizeof sql; i++)
			used += (size_t)snprintf(sql + used, sizeof sql - used, "%s?%d", i ? ", " : "", i + 1);
		if (used < sizeof sql)
			used += (size_t)snprintf(sql + used, sizeof sql - used, ")");
	} else {
		used = (size_t)snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE ", t->name);
		used = sync_where_key(t, sql, sizeof sql, used, 1);
	}
	sqlite3_stmt *q;
	int rc = prepare_built(db, sql, used, sizeof sql, &q);
	if (rc != SQLITE_OK)
		return rc;
	if (insert)
		for (int i = 0; i < t->ncol; i++)
			sync_bind_value(q, i + 1, l->newv[i]);
	else
		bind_key(q, l, 1);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static const char *value_of(const struct loaded *l, sqlite3_value *const *v, const char *column)
{
	int c = sync_table_column(l->t, column);
	return c >= 0 && l->changed[c] ? sync_value_text(v[c]) : NULL;
}

/* Write what proposal l asks, as the town's own change. */
static int accept_loaded(struct store *s, const struct loaded *l, const char *note,
			 struct tz_error *err)
{
	sqlite3 *db = store_db(s);
	int rc = SQLITE_OK, nrows = 0;
	const char *state = value_of(l, l->newv, "state");
	if (strcmp(l->t->name, "problems") == 0 && strcmp(l->op, "update") == 0 && state != NULL) {
		int id_col = sync_table_column(l->t, "id");
		const char *id = id_col >= 0 ? sync_value_text(l->oldv[id_col]) : NULL;
		char why[600];
		snprintf(why, sizeof why, "同意村里的申请%s%s", note && note[0] ? "：" : "",
			 note ? note : "");
		int status = problem_move(s, id ? id : "", state, why, value_of(l, l->newv, "evidence"),
					  value_of(l, l->newv, "measures"), err);
		if (status != TZ_OK)
			return status;
		rc = write_update(db, l, 1, &nrows);
	} else if (strcmp(l->t->name, "reviews") == 0 || strcmp(l->t->name, "town_answers") == 0) {
		return tz_error_set(err, TZ_EFAIL,
				    "村里登记的审核记录不能照收：请不同意这条申请，由镇里在“审核”中自己审核"
				    "（taizhang review）");
	} else if (strcmp(l->op, "update") == 0) {
		rc = write_update(db, l, 0, &nrows);
		if (rc == SQLITE_OK && nrows == 0)
			return tz_error_set(err, TZ_EFAIL, "申请要改的记录在本机已经没有了");
	} else if (strcmp(l->op, "insert") == 0) {
		rc = write_insert_or_delete(db, l, 1);
	} else {
		rc = write_insert_or_delete(db, l, 0);
	}
	return rc == SQLITE_OK ? TZ_OK : store_sqlite_error(s, rc, "执行村里的申请", err);
}

/* Tell the village of proposal id what the town decided (state), with note:
 * a town_answers row, sent with the town's next bundle. None for an accepted
 * change to reference data (see the file comment). */
static int answer(struct store *s, long long id, const char *state, const char *note,
		  const char *now, struct tz_error *err)
{
	char id_text[32];
	snprintf(id_text, sizeof id_text, "%lld", id);
	const char *params[] = { id_text, store_keyring(s)->division_code, note, store_user(s), now,
				 state };
	sqlite3_stmt *row;
	int rc = store_query_one(s, "SELECT table_name FROM sync_proposals WHERE id = ?1", params, 1,
				 &row, "答复村里", err);
	if (rc != TZ_OK)
		return rc;
	int reference = row != NULL &&
			sync_table_is_reference((const char *)sqlite3_column_text(row, 0));
	sqlite3_finalize(row);
	if (reference && strcmp(state, "accepted") == 0)
		return TZ_OK;
	return store_exec_params(s,
				 "INSERT INTO town_answers(id, owner, village_code, kind, seq, subject,"
				 " decision, note, by_user, at, created_at, updated_at)"
				 " SELECT lower(hex(randomblob(16))), ?2, village, 'proposal', seq, summary,"
				 " ?6, ?3, ?4, ?5, ?5, ?5 FROM sync_proposals WHERE id = ?1",
				 params, 6, "答复村里", err);
}

static int decide(struct store *s, long long id, const char *state, const char *note,
		  struct tz_error *err)
{
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	int found;
	int rc = sync_ledger_mark(s,
				  "UPDATE sync_proposals SET state = ?5, decided_at = ?2, decided_by = ?3,"
				  " decided_note = ?4 WHERE id = ?1 AND state = 'open'",
				  id, now, note, state, &found, "记录决定", err);
	if (rc != TZ_OK)
		return rc;
	if (!found)
		return tz_error_set(err, TZ_EFAIL, "没有编号为 %lld 的待决定申请", id);
	rc = answer(s, id, state, note, now, err);
	if (rc != TZ_OK)
		return rc;
	return sync_ledger_audit(s, strcmp(state, "accepted") == 0 ? "sync.proposal_accept"
								  : "sync.proposal_refuse",
				 id, note, err);
}

static int at_town(struct store *s, struct tz_error *err)
{
	if (store_keyring(s)->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EUSAGE, "村里的申请只能在镇扶贫办的台账上决定");
	return TZ_OK;
}

int sync_proposal_accept(struct store *s, long long id, const char *note, struct tz_error *err)
{
	int rc = at_town(s, err);
	if (rc != TZ_OK)
		return rc;
	if (note != NULL) {
		size_t at;
		if (text_hygiene_check(note, strlen(note), TEXT_ALLOW_NEWLINE, 2000, &at) != TEXT_OK)
			return tz_error_set(err, TZ_EUSAGE, "说明含有不允许的字符或太长，请重写");
	}
	if ((rc = store_tx_begin(s, err)) != TZ_OK)
		return rc;
	struct sync_tables ts = { .db = store_db(s) };
	struct loaded l;
	rc = load(s, &ts, id, &l, err);
	if (rc == TZ_OK)
		rc = accept_loaded(s, &l, note, err);
	if (rc == TZ_OK)
		rc = decide(s, id, "accepted", note, err);
	loaded_free(&l);
	sync_tables_free(&ts);
	if (rc == TZ_OK)
		return store_tx_commit(s, err);
	store_tx_rollback(s);
	return rc;
}

int sync_proposal_refuse(struct store *s, long long id, const char *note, struct tz_error *err)
{
	int rc = at_town(s, err);
	if (rc != TZ_OK)
		return rc;
	size_t at;
	if (note == NULL || note[0] == '\0')
		return tz_error_set(err, TZ_EUSAGE, "请写明不同意的理由");
	if (text_hygiene_check(note, strlen(note), TEXT_ALLOW_NEWLINE, 2000, &at) != TEXT_OK)
		return tz_error_set(err, TZ_EUSAGE, "理由含有不允许的字符或太长，请重写");
	if ((rc = store_tx_begin(s, err)) != TZ_OK)
		return rc;
	rc = decide(s, id, "refused", note, err);
	if (rc == TZ_OK)
		return store_tx_commit(s, err);
	store_tx_rollback(s);
	return rc;
}
