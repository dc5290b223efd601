/*
 * setaside.c — a peer's changes set aside for the town (rule A4 of
 * src/sync/README.md) while its changeset is applied: what was asked, and the
 * row as it stood before, so that after sqlite3changeset_apply the row is put
 * back exactly (an UPDATE or an INSERT, never a REPLACE) and the change kept
 * as a proposal (sync_proposals, sync_proposal_values; db/008) for a town
 * officer to accept or refuse (proposal.c).
 *
 * Not here: deciding what is set aside (apply.c town_only), the decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/vec.h"

/* A change set aside for the town (rule A4): what was asked, and the row as
 * it stood before, to put back. */
struct pending_proposal {
	const struct sync_table *t;
	int op;
	char *row_key, *summary;
	sqlite3_value *key[SYNC_MAX_COLS];                  /* primary key values */
	sqlite3_value *oldv[SYNC_MAX_COLS], *newv[SYNC_MAX_COLS]; /* the change's, dup'd */
	struct sync_row before;
};

void sync_setaside_add(struct sync_setaside *sa, sqlite3_changeset_iter *it, const struct sync_table *t,
		       int op, struct sync_row *row, const char *summary)
{
	struct pending_proposal *p = VEC_PUSH(sa->v, sa->n, sa->cap);
	memset(p, 0, sizeof *p);
	p->t = t;
	p->op = op;
	p->before = *row; /* takes the values over */
	memset(row, 0, sizeof *row);
	p->row_key = sync_row_key(it, t, op);
	p->summary = text_sanitize(summary, 0);
	for (int i = 0; i < t->ncol; i++) {
		sqlite3_value *o = NULL, *n = NULL;
		if (op != SQLITE_INSERT && sqlite3changeset_old(it, i, &o) == SQLITE_OK)
			p->oldv[i] = sync_value_dup(o);
		if (op != SQLITE_DELETE && sqlite3changeset_new(it, i, &n) == SQLITE_OK)
			p->newv[i] = sync_value_dup(n);
		if (t->pk[i])
			p->key[i] = op == SQLITE_INSERT ? p->newv[i] : p->oldv[i];
	}
}

void sync_setaside_add_column(struct sync_setaside *sa, sqlite3_changeset_iter *it,
			      const struct sync_table *t, int col, const sqlite3_value *value,
			      const char *summary)
{
	if (col < 0 || col >= t->ncol)
		return;
	struct pending_proposal *p = VEC_PUSH(sa->v, sa->n, sa->cap);
	memset(p, 0, sizeof *p);
	sa->npartial++;
	p->t = t;
	p->op = SQLITE_UPDATE; /* of the row as the insert leaves it */
	p->row_key = sync_row_key(it, t, SQLITE_INSERT);
	p->summary = text_sanitize(summary, 0);
	p->before.found = 1;
	p->before.ncol = t->ncol;
	for (int i = 0; i < t->ncol; i++) {
		sqlite3_value *n = NULL;
		if (sqlite3changeset_new(it, i, &n) != SQLITE_OK)
			n = NULL;
		if (i == col) {
			p->newv[i] = sync_value_dup(n);
			p->oldv[i] = sync_value_dup(value);
			p->before.v[i] = sync_value_dup(value);
		} else {
			p->before.v[i] = sync_value_dup(n);
			if (t->pk[i])
				p->oldv[i] = sync_value_dup(n);
		}
		if (t->pk[i])
			p->key[i] = p->oldv[i];
	}
}

static void proposal_free(struct pending_proposal *p)
{
	for (int i = 0; i < SYNC_MAX_COLS; i++) {
		sqlite3_value_free(p->oldv[i]);
		sqlite3_value_free(p->newv[i]);
	}
	sync_row_free(&p->before);
	free(p->row_key);
	free(p->summary);
}

int sync_setaside_has(const struct sync_setaside *sa, struct sync_tables *ts,
		      sqlite3_changeset_iter *it)
{
	const char *table;
	int ncol, op, indirect;
	if (sa->n == 0 || sqlite3changeset_op(it, &table, &ncol, &op, &indirect) != SQLITE_OK)
		return 0;
	const struct sync_table *t = sync_tables_resolve(ts, table);
	for (size_t k = 0; t != NULL && k < sa->n; k++) {
		const struct pending_proposal *p = &sa->v[k];
		if (p->t != t || p->op != op)
			continue;
		int same = 1;
		for (int i = 0; i < t->ncol && same; i++) {
			if (!t->pk[i])
				continue;
			sqlite3_value *v = sync_key_value(it, op, i);
			same = sync_values_equal(v, p->key[i]);
		}
		if (same)
			return 1;
	}
	return 0;
}

/* Run sql with the row's values as ?1..?ncol and, when key_first > 0, its
 * key from ?key_first on; *nrows gets the rows changed. */
static int run_with_row(sqlite3 *db, const char *sql, const struct sync_table *t,
			const struct sync_row *row, sqlite3_value *const *key, int key_first,
			int *nrows)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return rc;
	for (int i = 0; row != NULL && i < t->ncol; i++)
		sync_bind_value(q, i + 1, i < row->ncol ? row->v[i] : NULL);
	if (key_first > 0)
		sync_bind_key(q, t, key, key_first);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	*nrows = sqlite3_changes(db);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Put a proposal's row back as it stood before the apply: delete it when it
 * was not there, else every column as it was (an UPDATE, never a REPLACE,
 * which could delete another row), inserted again when the change deleted it. */
static int restore(sqlite3 *db, const struct pending_proposal *p)
{
	const struct sync_table *t = p->t;
	char sql[4096];
	size_t used;
	int nrows = 0;
	if (!p->before.found) {
		used = (size_t)snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE ", t->name);
		used = sync_where_key(t, sql, sizeof sql, used, 1);
		return used < sizeof sql ? run_with_row(db, sql, t, NULL, p->key, 1, &nrows)
					 : SQLITE_TOOBIG;
	}
	used = (size_t)snprintf(sql, sizeof sql, "UPDATE \"%s\" SET ", t->name);
	int n = 0;
	for (int i = 0; i < t->ncol && used < sizeof sql; i++)
		if (!t->pk[i])
			used += (size_t)snprintf(sql + used, sizeof sql - used, "%s\"%s\" = ?%d",
						 n++ ? ", " : "", t->colname[i], i + 1);
	if (n > 0) { /* (a table of keys only holds nothing to put back but the row) */
		if (used < sizeof sql)
			used += (size_t)snprintf(sql + used, sizeof sql - used, " WHERE ");
		used = sync_where_key(t, sql, sizeof sql, used, t->ncol + 1);
		if (used >= sizeof sql)
			return SQLITE_TOOBIG;
		int rc = run_with_row(db, sql, t, &p->before, p->key, t->ncol + 1, &nrows);
		if (rc != SQLITE_OK || nrows > 0)
			return rc;
	}
	used = (size_t)snprintf(sql, sizeof sql, "INSERT %s INTO \"%s\" VALUES (",
				n > 0 ? "" : "OR IGNORE", t->name);
	for (int i = 0; i < t->ncol && used < sizeof sql; i++)
		used += (size_t)snprintf(sql + used, sizeof sql - used, "%s?%d", i ? ", " : "", i + 1);
	if (used < sizeof sql)
		used += (size_t)snprintf(sql + used, sizeof sql - used, ")");
	return used < sizeof sql ? run_with_row(db, sql, t, &p->before, NULL, 0, &nrows) : SQLITE_TOOBIG;
}
int sync_setaside_record(const struct sync_setaside *sa, struct apply_context *a, struct tz_error *err)
{
	sqlite3 *db = store_db(a->s);
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	for (size_t k = 0; k < sa->n; k++) {
		const struct pending_proposal *p = &sa->v[k];
		int rc = restore(db, p);
		if (rc != SQLITE_OK)
			return store_sqlite_error(a->s, rc, "暂存村里的申请", err);
		char seq[24];
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)a->seq);
		const char *proposal[] = {
			now, a->peer, a->village, seq, p->t->name, p->row_key,
			p->op == SQLITE_INSERT ? "insert" : p->op == SQLITE_UPDATE ? "update" : "delete",
			p->summary,
		};
		rc = store_exec_params(a->s,
				       "INSERT INTO sync_proposals(at, peer, village, seq, table_name,"
				       " row_key, op, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				       proposal, 8, "暂存村里的申请", err);
		if (rc != TZ_OK)
			return rc;
		sqlite3_int64 id = sqlite3_last_insert_rowid(db);
		sqlite3_stmt *q;
		rc = store_prepare(a->s,
				   "INSERT INTO sync_proposal_values(proposal_id, col, name, is_pk,"
				   " old_value, new_value, changed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				   &q, "暂存村里的申请", err);
		if (rc != TZ_OK)
			return rc;
		for (int i = 0; i < p->t->ncol && rc == SQLITE_OK; i++) {
			int changed = p->op != SQLITE_UPDATE ? 1 : p->newv[i] != NULL;
			sqlite3_bind_int64(q, 1, id);
			sqlite3_bind_int(q, 2, i);
			sqlite3_bind_text(q, 3, p->t->colname[i], -1, SQLITE_STATIC);
			sqlite3_bind_int(q, 4, p->t->pk[i]);
			sync_bind_value(q, 5, p->oldv[i]);
			sync_bind_value(q, 6, p->newv[i] ? p->newv[i] : p->t->pk[i] ? p->key[i] : NULL);
			sqlite3_bind_int(q, 7, changed);
			rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
			sqlite3_reset(q);
		}
		sqlite3_finalize(q);
		if (rc != SQLITE_OK)
			return store_sqlite_error(a->s, sqlite3_errcode(db), "暂存村里的申请", err);
	}
	a->proposals += sa->n;
	return TZ_OK;
}

void sync_setaside_free(struct sync_setaside *sa)
{
	for (size_t i = 0; i < sa->n; i++)
		proposal_free(&sa->v[i]);
	free(sa->v);
	memset(sa, 0, sizeof *sa);
}
