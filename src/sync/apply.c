/*
 * apply.c — applying one of a peer's changesets to this store, inside the
 * caller's transaction: first a check of every change against what the sender
 * may write, then sqlite3changeset_apply with a deterministic conflict rule,
 * then the conflict ledger.
 *
 * What a sender may write (checked before anything is applied; one change out
 * of bounds refuses the whole bundle — it is either a bug or an attack):
 *  - a village, at the town: rows of the tables it captures (an owner column and
 *    a primary key, not reference data) whose owner is that village and whose
 *    village_code, where the table has one, is that village — inserted rows by
 *    their values, updated and deleted rows as they stand here; and the
 *    town's problems dispatched to it (rectification updates, never a delete).
 *    An update may not change a row's owner or village.
 *  - the town, at a village: reference data, and problems and their events of
 *    this village.
 *  - every change must match the table here column for column: SQLite would
 *    otherwise skip a changeset for a table whose columns differ, silently.
 *
 * The conflict rule (SQLite calls the handler when a change does not fit):
 *  - the row was changed here too (DATA), or an inserted row exists (CONFLICT):
 *    the sender's version wins ("theirs": SQLITE_CHANGESET_REPLACE), except at
 *    the town for the problem ledger, where the town's version stands ("ours":
 *    OMIT) for the columns both sides changed, while the columns only the
 *    village changed (e.g. measures written during rectification) are merged
 *    in after the apply — the town decides on states and 销号, and its own
 *    change reaches the village, where the town's version then wins. Both
 *    sides end equal.
 *  - the row is not here (NOTFOUND), or the change breaks a constraint: the
 *    change is left out ("ours").
 *  - foreign keys left dangling at the end: kept, and recorded.
 * Every one of them becomes a sync_conflicts row, shown to a person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"
#include "taizhang/model.h"

#define MAX_COLS 64

struct table_info {
	char name[64];
	int ncol;
	unsigned char pk[MAX_COLS];
	char *colname[MAX_COLS];
	int owner_col, village_col;
	int npk;
};

struct pending_conflict {
	char *table_name, *row_key, *detail;
	const char *kind, *resolution;
};

/* A change the town keeps its own version of, whose other columns still merge
 * in: col's value becomes want where it still is was. */
struct pending_merge {
	char table_name[64];
	int ncol;
	unsigned char pk[MAX_COLS];
	char *colname[MAX_COLS];      /* borrowed from the table_info */
	sqlite3_value *key[MAX_COLS]; /* primary key values (dup'd) */
	sqlite3_value *was[MAX_COLS], *want[MAX_COLS]; /* NULL: column not changed */
};

struct apply_state {
	struct apply_context *a;
	struct pending_merge *merges;
	size_t nmerges;
	struct table_info *tables;
	size_t ntables;
	struct pending_conflict *conflicts;
	size_t nconflicts, cap;
	int oom;
};

static void table_info_free(struct table_info *t)
{
	for (int i = 0; i < t->ncol; i++)
		free(t->colname[i]);
}

/* Load the columns of table; 0 when the table does not exist. */
static int load_table(sqlite3 *db, const char *name, struct table_info *t)
{
	memset(t, 0, sizeof *t);
	t->owner_col = t->village_col = -1;
	if (strlen(name) >= sizeof t->name)
		return 0;
	snprintf(t->name, sizeof t->name, "%s", name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT cid, name, pk FROM pragma_table_info(?1) ORDER BY cid",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && t->ncol < MAX_COLS) {
		int i = t->ncol++;
		const char *col = (const char *)sqlite3_column_text(st, 1);
		t->colname[i] = strdup(col ? col : "");
		t->pk[i] = sqlite3_column_int(st, 2) > 0;
		t->npk += t->pk[i];
		if (col && strcmp(col, "owner") == 0)
			t->owner_col = i;
		if (col && strcmp(col, "village_code") == 0)
			t->village_col = i;
	}
	sqlite3_finalize(st);
	return t->ncol > 0;
}

static struct table_info *table_for(struct apply_state *st, const char *name)
{
	for (size_t i = 0; i < st->ntables; i++)
		if (strcmp(st->tables[i].name, name) == 0)
			return &st->tables[i];
	struct table_info *grown = realloc(st->tables, (st->ntables + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	st->tables = grown;
	struct table_info *t = &st->tables[st->ntables];
	if (!load_table(store_db(st->a->s), name, t)) {
		table_info_free(t);
		return NULL;
	}
	st->ntables++;
	return t;
}

static const char *value_text(sqlite3_value *v)
{
	if (v == NULL || sqlite3_value_type(v) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_value_text(v);
}

/* The primary key of the change as text ("a|b"), malloc'd. */
static char *row_key(sqlite3_changeset_iter *it, const struct table_info *t, int op)
{
	char buf[256] = "";
	size_t used = 0;
	for (int i = 0; i < t->ncol; i++) {
		if (!t->pk[i])
			continue;
		sqlite3_value *v = NULL;
		if (op == SQLITE_INSERT)
			sqlite3changeset_new(it, i, &v);
		else
			sqlite3changeset_old(it, i, &v);
		const char *text = value_text(v);
		int n = snprintf(buf + used, sizeof buf - used, "%s%s", used ? "|" : "",
				 text ? text : "");
		if (n < 0 || (size_t)n >= sizeof buf - used)
			break;
		used += (size_t)n;
	}
	return strdup(buf);
}

/* The owner and village of the row the change's primary key names, as it
 * stands here. found = 0 when there is none. */
static int current_row(struct apply_state *st, sqlite3_changeset_iter *it,
		       const struct table_info *t, int *found, char owner[32], char village[32],
		       struct tz_error *err)
{
	char sql[512];
	size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT %s, %s FROM \"%s\" WHERE ",
				       t->owner_col >= 0 ? "owner" : "NULL",
				       t->village_col >= 0 ? "village_code" : "NULL", t->name);
	int bind = 0;
	for (int i = 0; i < t->ncol && used < sizeof sql; i++)
		if (t->pk[i]) {
			bind++;
			used += (size_t)snprintf(sql + used, sizeof sql - used, "%s\"%s\" = ?%d",
						 bind > 1 ? " AND " : "", t->colname[i], bind);
		}
	*found = 0;
	owner[0] = village[0] = '\0';
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(st->a->s), sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(st->a->s, rc, "检查数据包", err);
	bind = 0;
	for (int i = 0; i < t->ncol; i++)
		if (t->pk[i]) {
			sqlite3_value *v = NULL;
			sqlite3changeset_old(it, i, &v);
			sqlite3_bind_value(q, ++bind, v);
		}
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*found = 1;
		const char *o = (const char *)sqlite3_column_text(q, 0);
		const char *v = (const char *)sqlite3_column_text(q, 1);
		snprintf(owner, 32, "%s", o ? o : "");
		snprintf(village, 32, "%s", v ? v : "");
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st->a->s, rc, "检查数据包", err);
	return TZ_OK;
}

static int refuse(struct tz_error *err, const char *table, const char *why)
{
	return tz_error_set(err, TZ_EDAMAGED,
			    "数据包中有不允许的修改（表 %s：%s），整个数据包已拒绝，没有导入任何内容",
			    table, why);
}

static int is_problem_table(const char *table)
{
	return strcmp(table, "problems") == 0 || strcmp(table, "problem_events") == 0;
}

/* Whether the change is one the sender may make (see the file comment). */
static int check_change(struct apply_state *st, sqlite3_changeset_iter *it, struct tz_error *err)
{
	const char *table;
	int ncol, op, indirect;
	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	const struct apply_context *a = st->a;
	int reference = sync_table_is_reference(table);
	struct table_info *t = table_for(st, table);
	if (t == NULL)
		return refuse(err, table, "本机没有这张表");
	unsigned char *pk = NULL;
	int npk = 0;
	sqlite3changeset_pk(it, &pk, &npk);
	if (ncol != t->ncol || npk != t->ncol)
		return refuse(err, table, "列数与本机不同");
	for (int i = 0; i < ncol; i++)
		if ((pk[i] != 0) != t->pk[i])
			return refuse(err, table, "主键与本机不同");

	if (a->snapshot) /* the town's signed copy of this village: all of it */
		return TZ_OK;
	if (!a->at_town) { /* the town writing to this village */
		if (reference)
			return TZ_OK;
		if (!is_problem_table(table))
			return refuse(err, table, "镇里只能下发问题和基础数据");
	} else if (reference || t->owner_col < 0) {
		return refuse(err, table, "村里不能修改这张表");
	}

	sqlite3_value *v = NULL;
	const char *owner = NULL, *village = NULL;
	if (op == SQLITE_INSERT) {
		if (t->owner_col >= 0 && sqlite3changeset_new(it, t->owner_col, &v) == SQLITE_OK)
			owner = value_text(v);
		if (t->village_col >= 0 && sqlite3changeset_new(it, t->village_col, &v) == SQLITE_OK)
			village = value_text(v);
		if (owner == NULL || strcmp(owner, a->sender_code) != 0)
			return refuse(err, table, "新记录的所属单位不是发送方");
		if (t->village_col >= 0 && (village == NULL || strcmp(village, a->village) != 0))
			return refuse(err, table, "新记录属于别的村");
		if (strcmp(table, "villages") == 0) { /* a village describes itself only */
			const char *code = NULL;
			if (sqlite3changeset_new(it, 0, &v) == SQLITE_OK)
				code = value_text(v);
			if (code == NULL || strcmp(code, a->village) != 0)
				return refuse(err, table, "只能登记本村");
		}
		return TZ_OK;
	}
	if (op == SQLITE_UPDATE) {
		v = NULL;
		if (t->owner_col >= 0 && sqlite3changeset_new(it, t->owner_col, &v) == SQLITE_OK &&
		    v != NULL)
			return refuse(err, table, "不能改记录的所属单位");
		v = NULL;
		if (t->village_col >= 0 && sqlite3changeset_new(it, t->village_col, &v) == SQLITE_OK &&
		    v != NULL)
			return refuse(err, table, "不能把记录改到别的村");
	}
	int found;
	char cur_owner[32], cur_village[32];
	int rc = current_row(st, it, t, &found, cur_owner, cur_village, err);
	if (rc != TZ_OK)
		return rc;
	if (op == SQLITE_DELETE && !found) {
		/* judge by the values the sender deleted */
		if (t->owner_col >= 0 && sqlite3changeset_old(it, t->owner_col, &v) == SQLITE_OK)
			snprintf(cur_owner, sizeof cur_owner, "%s", value_text(v) ? value_text(v) : "");
		if (t->village_col >= 0 && sqlite3changeset_old(it, t->village_col, &v) == SQLITE_OK)
			snprintf(cur_village, sizeof cur_village, "%s",
				 value_text(v) ? value_text(v) : "");
		found = 1;
	}
	if (!found)
		return TZ_OK; /* inserted earlier in this bundle, or a NOTFOUND conflict */
	int own = strcmp(cur_owner, a->sender_code) == 0;
	int theirs_village = t->village_col < 0 || strcmp(cur_village, a->village) == 0;
	if (own && theirs_village)
		return TZ_OK;
	/* the shared problem ledger: each side may move the other's problems of
	 * this village, never delete them */
	if (strcmp(table, "problems") == 0 && op == SQLITE_UPDATE && theirs_village &&
	    t->village_col >= 0)
		return TZ_OK;
	return refuse(err, table, "修改了不属于发送方的记录");
}

static void note_conflict(struct apply_state *st, sqlite3_changeset_iter *it, const char *kind,
			  const char *resolution)
{
	if (st->nconflicts == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 8;
		struct pending_conflict *grown = realloc(st->conflicts, cap * sizeof *grown);
		if (grown == NULL) {
			st->oom = 1;
			return;
		}
		st->conflicts = grown;
		st->cap = cap;
	}
	const char *table;
	int ncol, op, indirect;
	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	struct table_info *t = table_for(st, table);
	struct pending_conflict *c = &st->conflicts[st->nconflicts];
	memset(c, 0, sizeof *c);
	c->table_name = strdup(table);
	c->row_key = t ? row_key(it, t, op) : strdup("");
	c->kind = kind;
	c->resolution = resolution;

	char detail[600];
	const char *opname = op == SQLITE_INSERT ? "新增" : op == SQLITE_UPDATE ? "修改" : "删除";
	size_t used = (size_t)snprintf(detail, sizeof detail, "对方%s", opname);
	if (t != NULL && (strcmp(kind, "data") == 0 || strcmp(kind, "conflict") == 0)) {
		/* the columns where this store's row differs from what the sender expected */
		const char *sep = "；本机不同的列：";
		for (int i = 0; i < t->ncol && used < sizeof detail - 80; i++) {
			sqlite3_value *mine = NULL, *expect = NULL;
			if (sqlite3changeset_conflict(it, i, &mine) != SQLITE_OK || mine == NULL)
				continue;
			if (op == SQLITE_INSERT)
				sqlite3changeset_new(it, i, &expect);
			else
				sqlite3changeset_old(it, i, &expect);
			if (expect == NULL)
				continue;
			const char *m = value_text(mine), *e = value_text(expect);
			if ((m == NULL) == (e == NULL) && (m == NULL || strcmp(m, e) == 0))
				continue;
			/* the field's Chinese label where the model has one */
			const struct table_def *def = model_table(t->name);
			const struct field_def *fd = def ? model_field(def, t->colname[i]) : NULL;
			const char *name = fd ? fd->label
					   : strcmp(t->colname[i], "updated_at") == 0 ? "最后修改时间"
					   : t->colname[i];
			int n = snprintf(detail + used, sizeof detail - used, "%s%s", sep, name);
			if (n > 0)
				used += (size_t)n;
			sep = "、";
		}
	}
	c->detail = strdup(detail);
	if (c->table_name == NULL || c->row_key == NULL || c->detail == NULL)
		st->oom = 1;
	st->nconflicts++;
}

/* Whether the row here already holds every value the change would write: the
 * change was applied before (e.g. the same rows reached us twice), so there is
 * nothing to decide and nothing to record. */
static int already_there(sqlite3_changeset_iter *it, int ncol, int op)
{
	if (op == SQLITE_DELETE)
		return 0;
	for (int i = 0; i < ncol; i++) {
		sqlite3_value *mine = NULL, *want = NULL;
		if (sqlite3changeset_new(it, i, &want) != SQLITE_OK || want == NULL)
			continue; /* an update leaves this column alone */
		if (sqlite3changeset_conflict(it, i, &mine) != SQLITE_OK || mine == NULL)
			return 0;
		int tm = sqlite3_value_type(mine), tw = sqlite3_value_type(want);
		if (tm != tw)
			return 0;
		if (tm == SQLITE_NULL)
			continue;
		int nm = sqlite3_value_bytes(mine), nw = sqlite3_value_bytes(want);
		if (nm != nw || memcmp(sqlite3_value_blob(mine), sqlite3_value_blob(want),
				       (size_t)nm) != 0)
			return 0;
	}
	return 1;
}

/* Remember the columns of an update the town keeps its version of, to merge in
 * those the town did not change itself (merge_pending, after the apply). */
static void note_merge(struct apply_state *st, sqlite3_changeset_iter *it, const char *table,
		       int ncol)
{
	struct table_info *t = table_for(st, table);
	if (t == NULL || ncol > MAX_COLS)
		return;
	struct pending_merge *grown = realloc(st->merges, (st->nmerges + 1) * sizeof *grown);
	if (grown == NULL) {
		st->oom = 1;
		return;
	}
	st->merges = grown;
	struct pending_merge *m = &st->merges[st->nmerges++];
	memset(m, 0, sizeof *m);
	snprintf(m->table_name, sizeof m->table_name, "%s", t->name);
	m->ncol = ncol;
	for (int i = 0; i < ncol; i++) {
		sqlite3_value *oldv = NULL, *newv = NULL;
		m->pk[i] = t->pk[i];
		m->colname[i] = t->colname[i];
		sqlite3changeset_old(it, i, &oldv);
		if (t->pk[i]) {
			m->key[i] = oldv ? sqlite3_value_dup(oldv) : NULL;
			continue;
		}
		if (sqlite3changeset_new(it, i, &newv) != SQLITE_OK || newv == NULL)
			continue;
		m->was[i] = oldv ? sqlite3_value_dup(oldv) : NULL;
		m->want[i] = sqlite3_value_dup(newv);
	}
}

static void merge_free(struct pending_merge *m)
{
	for (int i = 0; i < m->ncol; i++) {
		sqlite3_value_free(m->key[i]);
		sqlite3_value_free(m->was[i]);
		sqlite3_value_free(m->want[i]);
	}
}

/* Apply the remembered merges: each column the sender changed and this store
 * did not (its value is still the sender's old one) takes the sender's value. */
static int merge_pending(struct apply_state *st, struct tz_error *err)
{
	for (size_t k = 0; k < st->nmerges; k++) {
		struct pending_merge *m = &st->merges[k];
		for (int i = 0; i < m->ncol; i++) {
			if (m->want[i] == NULL || m->was[i] == NULL)
				continue;
			char sql[512];
			int used = snprintf(sql, sizeof sql, "UPDATE \"%s\" SET \"%s\" = ?1 WHERE \"%s\" IS ?2",
					    m->table_name, m->colname[i], m->colname[i]);
			int bind = 2;
			for (int j = 0; j < m->ncol && used > 0 && (size_t)used < sizeof sql; j++)
				if (m->pk[j])
					used += snprintf(sql + used, sizeof sql - (size_t)used,
							 " AND \"%s\" = ?%d", m->colname[j], ++bind);
			sqlite3_stmt *q;
			int rc = sqlite3_prepare_v2(store_db(st->a->s), sql, -1, &q, NULL);
			if (rc != SQLITE_OK)
				return store_sqlite_error(st->a->s, rc, "合并修改", err);
			sqlite3_bind_value(q, 1, m->want[i]);
			sqlite3_bind_value(q, 2, m->was[i]);
			bind = 2;
			for (int j = 0; j < m->ncol; j++)
				if (m->pk[j])
					sqlite3_bind_value(q, ++bind, m->key[j]);
			rc = sqlite3_step(q);
			sqlite3_finalize(q);
			if (rc != SQLITE_DONE)
				return store_sqlite_error(st->a->s, rc, "合并修改", err);
		}
	}
	return TZ_OK;
}

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct apply_state *st = ctx;
	const char *table;
	int ncol, op, indirect;
	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	switch (kind) {
	case SQLITE_CHANGESET_DATA:
	case SQLITE_CHANGESET_CONFLICT: {
		if (already_there(it, ncol, op))
			return SQLITE_CHANGESET_OMIT;
		/* restoring a snapshot into a new store: the only rows there are the
		 * program's default reference data, which the town's replace */
		if (st->a->snapshot)
			return SQLITE_CHANGESET_REPLACE;
		int ours = st->a->at_town && is_problem_table(table);
		if (ours && kind == SQLITE_CHANGESET_DATA && op == SQLITE_UPDATE)
			note_merge(st, it, table, ncol);
		note_conflict(st, it, kind == SQLITE_CHANGESET_DATA ? "data" : "conflict",
			      ours ? "ours" : "theirs");
		return ours ? SQLITE_CHANGESET_OMIT : SQLITE_CHANGESET_REPLACE;
	}
	case SQLITE_CHANGESET_NOTFOUND:
		note_conflict(st, it, "notfound", "ours");
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_CONSTRAINT:
		note_conflict(st, it, "constraint", "ours");
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_FOREIGN_KEY:
	default:
		note_conflict(st, it, "foreign_key", "theirs");
		return SQLITE_CHANGESET_OMIT;
	}
}

static int record_conflicts(struct apply_state *st, struct tz_error *err)
{
	struct apply_context *a = st->a;
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(a->s),
				    "INSERT INTO sync_conflicts(at, peer, village, seq, table_name,"
				    " row_key, kind, resolution, detail)"
				    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
				    -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(a->s, rc, "记录冲突", err);
	for (size_t i = 0; i < st->nconflicts && rc == SQLITE_OK; i++) {
		const struct pending_conflict *c = &st->conflicts[i];
		sqlite3_bind_text(q, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, a->peer, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, a->village, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, (sqlite3_int64)a->seq);
		sqlite3_bind_text(q, 5, c->table_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, c->row_key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, c->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 8, c->resolution, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 9, c->detail, -1, SQLITE_STATIC);
		rc = sqlite3_step(q);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK)
		return store_sqlite_error(a->s, rc, "记录冲突", err);
	a->conflicts += st->nconflicts;
	return TZ_OK;
}

static int filter_all(void *ctx, const char *table)
{
	(void)ctx;
	(void)table;
	return 1;
}

int apply_changeset(struct apply_context *a, const unsigned char *changeset, size_t nbytes,
		    struct tz_error *err)
{
	struct apply_state st = { .a = a };
	sqlite3_changeset_iter *it;
	if (nbytes > INT32_MAX)
		return tz_error_set(err, TZ_EDAMAGED, "数据包中的修改太大");
	int rc = sqlite3changeset_start(&it, (int)nbytes, (void *)changeset);
	if (rc != SQLITE_OK)
		return tz_error_set(err, TZ_EDAMAGED, "数据包中的修改无法读取，已拒绝");
	int status = TZ_OK;
	size_t changes = 0;
	while (status == TZ_OK && (rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
		status = check_change(&st, it, err);
		changes++;
	}
	int frc = sqlite3changeset_finalize(it);
	if (status == TZ_OK && (rc != SQLITE_DONE || frc != SQLITE_OK))
		status = tz_error_set(err, TZ_EDAMAGED, "数据包中的修改已损坏，已拒绝");
	if (status == TZ_OK) {
		rc = sqlite3changeset_apply(store_db(a->s), (int)nbytes, (void *)changeset,
					    filter_all, on_conflict, &st);
		if (rc != SQLITE_OK)
			status = store_sqlite_error(a->s, rc, "导入修改", err);
		else if (st.oom)
			status = tz_error_set(err, TZ_EFAIL, "内存不足");
		else
			status = merge_pending(&st, err);
		if (status == TZ_OK)
			status = record_conflicts(&st, err);
	}
	if (status == TZ_OK)
		a->changes += changes;
	for (size_t i = 0; i < st.nconflicts; i++) {
		free(st.conflicts[i].table_name);
		free(st.conflicts[i].row_key);
		free(st.conflicts[i].detail);
	}
	free(st.conflicts);
	for (size_t i = 0; i < st.nmerges; i++)
		merge_free(&st.merges[i]);
	free(st.merges);
	for (size_t i = 0; i < st.ntables; i++)
		table_info_free(&st.tables[i]);
	free(st.tables);
	return status;
}
