/*
 * authz.c — judging one change of a peer's changeset against this store's own
 * rows: which table it really is, whether the sender may make it, whether it
 * must wait for the town (a proposal), whether its values are ones the forms
 * would accept, and whether the rows it hangs on belong to the sender's
 * village. The threat model and the rules are in src/sync/README.md; each
 * check below names the rule (A1 ...) it enforces.
 *
 * Everything is judged on this store's data, never on what the sender says
 * about it: the row a change would touch is looked up here by its primary key
 * (an insert too — a key that is another owner's row is a takeover), tables
 * are resolved against this store's schema without regard to case (as SQLite
 * itself resolves them), and a row's parents are found through the schema's
 * foreign keys (PRAGMA foreign_key_list), up to a row that names its village.
 *
 * Not here: applying (apply.c), recording (apply.c, proposal.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"
#include "taizhang/model.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#define CHAIN_MAX_DEPTH 8

/* ---- tables, as this store's schema has them ---- */

static void table_free(struct sync_table *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < t->ncol; i++)
		free(t->colname[i]);
	free(t);
}

static int load_fks(sqlite3 *db, struct sync_table *t)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && t->nfk < SYNC_MAX_FKS) {
		if (sqlite3_column_int(st, 0) != 0)
			continue; /* composite keys: none in the schema */
		const char *parent = (const char *)sqlite3_column_text(st, 1);
		const char *from = (const char *)sqlite3_column_text(st, 2);
		const char *to = (const char *)sqlite3_column_text(st, 3);
		struct sync_fk *fk = &t->fks[t->nfk];
		fk->col = -1;
		for (int i = 0; i < t->ncol; i++)
			if (from && strcmp(t->colname[i], from) == 0)
				fk->col = i;
		if (fk->col < 0 || parent == NULL || strlen(parent) >= sizeof fk->parent)
			continue;
		snprintf(fk->parent, sizeof fk->parent, "%s", parent);
		snprintf(fk->parent_col, sizeof fk->parent_col, "%s", to ? to : "id");
		t->nfk++;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Columns that only move through a procedure (model/tables.c leaves them out
 * of the forms): their code lists. */
static const struct {
	const char *table, *column, *code_list;
} state_columns[] = {
	{ "problems", "state", "problem_state" },
	{ "problem_events", "from_state", "problem_state" },
	{ "problem_events", "to_state", "problem_state" },
	{ "projects", "stage", "project_stage" },
	{ "project_stages", "stage", "project_stage" },
};

/* How t's columns are judged (rule A5): the model's field, else the code list
 * of a state column; NULL for the others (sync_check_value). */
static void judge_columns(struct sync_table *t)
{
	const struct table_def *def = model_table(t->name);
	for (int i = 0; i < t->ncol; i++) {
		t->field[i] = def ? model_field(def, t->colname[i]) : NULL;
		t->state_list[i] = NULL;
		for (size_t k = 0; t->field[i] == NULL && k < sizeof state_columns / sizeof state_columns[0]; k++)
			if (strcmp(state_columns[k].table, t->name) == 0 &&
			    strcmp(state_columns[k].column, t->colname[i]) == 0)
				t->state_list[i] = state_columns[k].code_list;
	}
}

/* The table of this store whose name is name in any case; NULL when none. */
static struct sync_table *load_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT name FROM sqlite_schema WHERE type = 'table'"
			       " AND name = ?1 COLLATE NOCASE AND name NOT LIKE 'sqlite%'",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	struct sync_table *t = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *canonical = (const char *)sqlite3_column_text(st, 0);
		if (canonical && strlen(canonical) < sizeof t->name) {
			t = xcalloc(1, sizeof *t);
			snprintf(t->name, sizeof t->name, "%s", canonical);
		}
	}
	sqlite3_finalize(st);
	if (t == NULL)
		return NULL;
	t->owner_col = t->village_col = -1;
	t->reference = sync_table_is_reference(t->name);
	if (sqlite3_prepare_v2(db, "SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid", -1, &st,
			       NULL) != SQLITE_OK) {
		table_free(t);
		return NULL;
	}
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	int too_wide = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (t->ncol == SYNC_MAX_COLS) {
			too_wide = 1;
			break;
		}
		int i = t->ncol++;
		const char *col = (const char *)sqlite3_column_text(st, 0);
		t->colname[i] = xstrdup(col ? col : "");
		t->pk[i] = sqlite3_column_int(st, 1) > 0;
		t->npk += t->pk[i];
		if (col && strcmp(col, "owner") == 0)
			t->owner_col = i;
		if (col && strcmp(col, "village_code") == 0)
			t->village_col = i;
	}
	sqlite3_finalize(st);
	if (too_wide || t->ncol == 0 || load_fks(db, t) != 0) {
		table_free(t);
		return NULL;
	}
	judge_columns(t);
	return t;
}

const struct sync_table *sync_tables_resolve(struct sync_tables *ts, const char *name)
{
	if (name == NULL)
		return NULL;
	/* the same name exactly: the same table (names differ in more than case) */
	if (ts->last != NULL && strcmp(ts->last->name, name) == 0)
		return ts->last;
	for (size_t i = 0; i < ts->n; i++)
		if (strcasecmp(ts->v[i]->name, name) == 0)
			return ts->last = ts->v[i];
	struct sync_table *t = load_table(ts->db, name);
	if (t == NULL)
		return NULL;
	*VEC_PUSH(ts->v, ts->n, ts->cap) = t;
	return ts->last = t;
}

void sync_codes_forget(struct sync_tables *ts)
{
	for (size_t i = 0; i < ts->ncodes; i++)
		free(ts->codes[i]);
	free(ts->codes);
	ts->codes = NULL;
	ts->ncodes = ts->codes_cap = 0;
	ts->codes_loaded = 0;
	free(ts->memo);
	ts->memo = NULL;
}

void sync_tables_free(struct sync_tables *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		table_free(ts->v[i]);
	free(ts->v);
	for (size_t i = 0; i < ts->nstmts; i++) {
		sqlite3_finalize(ts->stmts[i].st);
		free(ts->stmts[i].sql);
	}
	free(ts->stmts);
	free(ts->chain_stmts);
	sync_codes_forget(ts);
	for (size_t i = 0; i < ts->nslots; i++)
		free(ts->slots[i].key);
	free(ts->slots);
	memset(ts, 0, sizeof *ts);
}

sqlite3_stmt *sync_stmt(struct sync_tables *ts, const char *sql)
{
	for (size_t i = 0; i < ts->nstmts; i++)
		if (strcmp(ts->stmts[i].sql, sql) == 0) {
			sqlite3_reset(ts->stmts[i].st);
			sqlite3_clear_bindings(ts->stmts[i].st);
			return ts->stmts[i].st;
		}
	VEC_RESERVE(ts->stmts, ts->stmts_cap, ts->nstmts + 1);
	struct sync_cached_stmt *c = &ts->stmts[ts->nstmts];
	c->sql = xstrdup(sql);
	if (sqlite3_prepare_v3(ts->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) != SQLITE_OK) {
		sqlite3_finalize(c->st);
		free(c->sql);
		return NULL;
	}
	ts->nstmts++;
	return c->st;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load code_list into ts->codes ("list\x1fcode", sorted). 0, or -1. */
static int load_codes(struct sync_tables *ts)
{
	sqlite3_stmt *q = sync_stmt(ts, "SELECT list || char(31) || code FROM code_list");
	if (q == NULL)
		return -1;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(q, 0);
		if (text == NULL)
			break;
		*VEC_PUSH(ts->codes, ts->ncodes, ts->codes_cap) = xstrdup(text);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		sync_codes_forget(ts);
		return -1;
	}
	qsort(ts->codes, ts->ncodes, sizeof *ts->codes, cmp_code);
	ts->codes_loaded = 1;
	return 0;
}

/* parts[0..n) joined by \x1f into out (cap bytes); 0, or -1 when it does not
 * fit. (snprintf was a tenth of judging a bundle's values.) */
static int join_key(char *out, size_t cap, const char *const *parts, int n)
{
	size_t used = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(parts[i]);
		if (used + (i > 0) + len + 1 > cap)
			return -1;
		if (i > 0)
			out[used++] = '\x1f';
		memcpy(out + used, parts[i], len);
		used += len;
	}
	out[used] = '\0';
	return 0;
}

/* A field_codes oracle over the code lists kept in ts (model.h). */
static int code_known(void *ctx, const char *list, const char *code)
{
	struct sync_tables *ts = ctx;
	if (!ts->codes_loaded && load_codes(ts) != 0)
		return -1;
	char key[160];
	if (join_key(key, sizeof key, (const char *const[]){ list, code }, 2) != 0)
		return 0;
	const char *probe = key;
	return bsearch(&probe, ts->codes, ts->ncodes, sizeof *ts->codes, cmp_code) != NULL;
}

int sync_table_column(const struct sync_table *t, const char *name)
{
	for (int i = 0; i < t->ncol; i++)
		if (strcmp(t->colname[i], name) == 0)
			return i;
	return -1;
}

/* ---- values ---- */

const char *sync_value_text(sqlite3_value *v)
{
	if (v == NULL || sqlite3_value_type(v) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_value_text(v);
}

void sync_bind_value(sqlite3_stmt *q, int i, sqlite3_value *v)
{
	if (v == NULL)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_value(q, i, v);
}

void sync_bind_key(sqlite3_stmt *q, const struct sync_table *t, sqlite3_value *const *key, int first)
{
	int bind = first;
	for (int j = 0; j < t->ncol; j++)
		if (t->pk[j])
			sync_bind_value(q, bind++, key[j]);
}

int sync_values_equal(sqlite3_value *a, sqlite3_value *b)
{
	int ta = a ? sqlite3_value_type(a) : SQLITE_NULL, tb = b ? sqlite3_value_type(b) : SQLITE_NULL;
	if (ta != tb)
		return 0;
	if (ta == SQLITE_NULL)
		return 1;
	if (ta == SQLITE_INTEGER)
		return sqlite3_value_int64(a) == sqlite3_value_int64(b);
	int na = sqlite3_value_bytes(a), nb = sqlite3_value_bytes(b);
	return na == nb && memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b), (size_t)na) == 0;
}

sqlite3_value *sync_key_value(sqlite3_changeset_iter *it, int op, int col)
{
	sqlite3_value *v = NULL;
	if (op == SQLITE_INSERT)
		sqlite3changeset_new(it, col, &v);
	else
		sqlite3changeset_old(it, col, &v);
	return v;
}

sqlite3_value *sync_value_dup(const sqlite3_value *v)
{
	sqlite3_value *copy = v ? sqlite3_value_dup(v) : NULL;
	if (v != NULL && copy == NULL)
		xalloc_die(sizeof(sqlite3_value *));
	return copy;
}

char *sync_row_key_raw(sqlite3_changeset_iter *it, const struct sync_table *t, int op)
{
	char buf[256];
	size_t used = 0;
	for (int i = 0; i < t->ncol; i++) {
		if (!t->pk[i])
			continue;
		/* a text's bytes up to a NUL, as its text would read (without the copy
		 * SQLite makes to add the NUL) */
		sqlite3_value *v = sync_key_value(it, op, i);
		const char *text;
		size_t len;
		if (v != NULL && sqlite3_value_type(v) == SQLITE_TEXT) {
			text = sqlite3_value_blob(v);
			len = text ? strnlen(text, (size_t)sqlite3_value_bytes(v)) : 0;
		} else {
			text = sync_value_text(v);
			len = text ? strlen(text) : 0;
		}
		size_t sep = used > 0;
		if (used + sep + len >= sizeof buf)
			break; /* a part that does not fit is left out, with those after it */
		if (sep)
			buf[used++] = '|';
		memcpy(buf + used, text ? text : "", len);
		used += len;
	}
	char *out = xmalloc(used + 1);
	memcpy(out, buf, used);
	out[used] = '\0';
	return out;
}

char *sync_row_key(sqlite3_changeset_iter *it, const struct sync_table *t, int op)
{
	char *raw = sync_row_key_raw(it, t, op);
	char *clean = text_sanitize(raw, 0);
	free(raw);
	return clean;
}

/* ---- the row a change would touch, as it stands here ---- */

size_t sync_where_key(const struct sync_table *t, char *sql, size_t cap, size_t used, int first)
{
	int bind = first;
	for (int i = 0; i < t->ncol && used < cap; i++)
		if (t->pk[i]) {
			used += (size_t)snprintf(sql + used, cap - used, "%s\"%s\" IS ?%d",
						 bind > first ? " AND " : "", t->colname[i], bind);
			bind++;
		}
	return used;
}

/* The statement "SELECT * FROM t WHERE <pk> IS ?1 AND ...", cached. */
static sqlite3_stmt *stmt_by_key(struct sync_tables *ts, const struct sync_table *t)
{
	char sql[1024];
	size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" WHERE ", t->name);
	used = sync_where_key(t, sql, sizeof sql, used, 1);
	return used < sizeof sql ? sync_stmt(ts, sql) : NULL;
}

/* Copy the row q stands on into row (found). SQLITE_OK. */
static int take_row(sqlite3_stmt *q, const struct sync_table *t, struct sync_row *row)
{
	row->found = 1;
	row->ncol = sqlite3_column_count(q) < t->ncol ? sqlite3_column_count(q) : t->ncol;
	for (int i = 0; i < row->ncol; i++)
		row->v[i] = sync_value_dup(sqlite3_column_value(q, i));
	return SQLITE_OK;
}

int sync_current_row(struct sync_tables *ts, sqlite3_changeset_iter *it, const struct sync_table *t,
		     int op, struct sync_row *row)
{
	memset(row, 0, sizeof *row);
	sqlite3_stmt *q = stmt_by_key(ts, t);
	if (q == NULL)
		return sqlite3_errcode(ts->db) != SQLITE_OK ? sqlite3_errcode(ts->db) : SQLITE_NOMEM;
	int bind = 0;
	for (int i = 0; i < t->ncol; i++)
		if (t->pk[i]) {
			sqlite3_value *v = sync_key_value(it, op, i);
			sync_bind_value(q, ++bind, v);
		}
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		rc = take_row(q, t, row) == SQLITE_OK ? SQLITE_DONE : SQLITE_NOMEM;
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void sync_row_free(struct sync_row *row)
{
	for (int i = 0; i < row->ncol; i++)
		sqlite3_value_free(row->v[i]);
	memset(row, 0, sizeof *row);
}

static const char *row_text(const struct sync_row *row, int col)
{
	return col >= 0 && col < row->ncol ? sync_value_text(row->v[col]) : NULL;
}

/* ---- the parent chain (rule A3) ---- */

/* ---- the village of rows already judged, kept for the bundle: a parent
 * row's village does not change (village_code and owner are never updated
 * by a bundle, A1), and most rows of a bundle hang on a few parents ---- */

static uint32_t memo_hash(const struct sync_table *t, int col, const unsigned char *p, size_t n);

static uint32_t hash_text(const char *text)
{
	return memo_hash(NULL, 0, (const unsigned char *)text, strlen(text));
}

static const char *villages_find(const struct sync_tables *ts, const char *key)
{
	if (ts->nslots == 0)
		return NULL;
	for (size_t i = hash_text(key) & (ts->nslots - 1);; i = (i + 1) & (ts->nslots - 1)) {
		const struct sync_village_slot *v = &ts->slots[i];
		if (v->key == NULL)
			return NULL;
		if (strcmp(v->key, key) == 0)
			return v->village;
	}
}

/* Remember key's village. */
static void villages_add(struct sync_tables *ts, const char *key, const char *village)
{
	if (2 * (ts->nused + 1) > ts->nslots) {
		size_t n = ts->nslots ? 2 * ts->nslots : 1024;
		struct sync_village_slot *grown = xcalloc(n, sizeof *grown);
		for (size_t j = 0; j < ts->nslots; j++) {
			if (ts->slots[j].key == NULL)
				continue;
			size_t i = hash_text(ts->slots[j].key) & (n - 1);
			while (grown[i].key != NULL)
				i = (i + 1) & (n - 1);
			grown[i] = ts->slots[j];
		}
		free(ts->slots);
		ts->slots = grown;
		ts->nslots = n;
	}
	size_t i = hash_text(key) & (ts->nslots - 1);
	while (ts->slots[i].key != NULL)
		i = (i + 1) & (ts->nslots - 1);
	ts->slots[i].key = xstrdup(key);
	snprintf(ts->slots[i].village, sizeof ts->slots[i].village, "%s", village);
	ts->nused++;
}

/* The table foreign key k of row points into, when it points at a row of a
 * table that is not reference data; NULL otherwise (NULL value, unknown). */
static const struct sync_table *row_parent(struct sync_tables *ts, const struct sync_table *t,
					   const struct sync_row *row, int k)
{
	const struct sync_fk *fk = &t->fks[k];
	if (fk->col >= row->ncol || row->v[fk->col] == NULL ||
	    sqlite3_value_type(row->v[fk->col]) == SQLITE_NULL)
		return NULL;
	const struct sync_table *parent = sync_tables_resolve(ts, fk->parent);
	return parent != NULL && !parent->reference ? parent : NULL;
}

/* Whether sync_row_village reads column i of t. */
static int chain_column(const struct sync_table *t, int i)
{
	if (i == t->village_col || i == t->owner_col ||
	    (strcmp(t->name, "villages") == 0 && strcmp(t->colname[i], "code") == 0))
		return 1;
	for (int k = 0; k < t->nfk; k++)
		if (t->fks[k].col == i)
			return 1;
	return 0;
}

/* The statement "SELECT <the columns sync_row_village reads, NULL for the
 * others> FROM t WHERE col IS ?1", cached: every column in its place, the
 * others not read. NULL when it cannot be prepared. */
static sqlite3_stmt *stmt_chain_row(struct sync_tables *ts, const struct sync_table *t,
				    const char *col)
{
	for (size_t i = 0; i < ts->nchain_stmts; i++)
		if (ts->chain_stmts[i].t == t && strcmp(ts->chain_stmts[i].col, col) == 0) {
			sqlite3_reset(ts->chain_stmts[i].st);
			sqlite3_clear_bindings(ts->chain_stmts[i].st);
			return ts->chain_stmts[i].st;
		}
	char sql[4096];
	size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT ");
	for (int i = 0; i < t->ncol && used < sizeof sql; i++) {
		const char *sep = i ? ", " : "";
		if (chain_column(t, i))
			used += (size_t)snprintf(sql + used, sizeof sql - used, "%s\"%s\"", sep,
						 t->colname[i]);
		else
			used += (size_t)snprintf(sql + used, sizeof sql - used, "%sNULL", sep);
	}
	if (used < sizeof sql)
		used += (size_t)snprintf(sql + used, sizeof sql - used, " FROM \"%s\" WHERE \"%s\" IS ?1",
					 t->name, col);
	sqlite3_stmt *q = used < sizeof sql ? sync_stmt(ts, sql) : NULL;
	if (q != NULL && strlen(col) < sizeof ts->chain_stmts->col) { /* found again by (t, col) */
		struct sync_chain_stmt *c = VEC_PUSH(ts->chain_stmts, ts->nchain_stmts, ts->chain_stmts_cap);
		c->t = t;
		snprintf(c->col, sizeof c->col, "%s", col);
		c->st = q; /* finalized with ts->stmts */
	}
	return q;
}

/* The village the row of table t whose column col is value belongs to, into
 * village (""): its village_code, its code for a village, else the village of
 * its first parent, else its owner. *reference = 1 for reference data (no
 * village). Returns SQLITE_OK (village "" when there is no such row). */
static int village_of(struct sync_tables *ts, const struct sync_table *t, const char *col,
		      sqlite3_value *value, int depth, char village[SYNC_CODE_NCHARS + 1],
		      int *reference)
{
	village[0] = '\0';
	*reference = 0;
	if (t->reference) {
		*reference = 1;
		return SQLITE_OK;
	}
	if (depth > CHAIN_MAX_DEPTH)
		return SQLITE_OK;
	char key[256];
	const char *text = sync_value_text(value);
	int cacheable = text != NULL &&
			join_key(key, sizeof key, (const char *const[]){ t->name, col, text }, 3) == 0;
	const char *known = cacheable ? villages_find(ts, key) : NULL;
	if (known != NULL) {
		memcpy(village, known, SYNC_CODE_NCHARS + 1);
		return SQLITE_OK;
	}
	sqlite3_stmt *q = stmt_chain_row(ts, t, col);
	if (q == NULL)
		return SQLITE_NOMEM;
	sync_bind_value(q, 1, value);
	int rc = sqlite3_step(q);
	struct sync_row row = { 0 };
	if (rc == SQLITE_ROW) { /* only the columns read (stmt_chain_row) */
		row.found = 1;
		row.ncol = t->ncol;
		for (int i = 0; i < t->ncol; i++)
			if (chain_column(t, i))
				row.v[i] = sync_value_dup(sqlite3_column_value(q, i));
		rc = SQLITE_OK;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_OK) {
		sync_row_free(&row);
		return rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	rc = sync_row_village(ts, t, &row, depth + 1, village, reference);
	sync_row_free(&row);
	if (rc == SQLITE_OK && cacheable && village[0] != '\0' && !*reference)
		villages_add(ts, key, village);
	return rc;
}

int sync_row_village(struct sync_tables *ts, const struct sync_table *t, const struct sync_row *row,
		     int depth, char village[SYNC_CODE_NCHARS + 1], int *reference)
{
	village[0] = '\0';
	*reference = t->reference;
	if (t->reference)
		return SQLITE_OK;
	const char *own = row_text(row, t->village_col);
	if (own == NULL && strcmp(t->name, "villages") == 0)
		own = row_text(row, sync_table_column(t, "code"));
	if (own != NULL) {
		snprintf(village, SYNC_CODE_NCHARS + 1, "%s", own);
		return SQLITE_OK;
	}
	for (int k = 0; k < t->nfk; k++) {
		const struct sync_table *parent = row_parent(ts, t, row, k);
		if (parent != NULL)
			return village_of(ts, parent, t->fks[k].parent_col, row->v[t->fks[k].col],
					  depth, village, reference);
	}
	const char *owner = row_text(row, t->owner_col);
	snprintf(village, SYNC_CODE_NCHARS + 1, "%s", owner ? owner : "");
	return SQLITE_OK;
}

int sync_check_parents(struct sync_tables *ts, const struct sync_table *t, const struct sync_row *row,
		       const char *village, char *why, size_t cap)
{
	for (int k = 0; k < t->nfk; k++) {
		const struct sync_fk *fk = &t->fks[k];
		const struct sync_table *parent = row_parent(ts, t, row, k);
		if (parent == NULL)
			continue;
		char found[SYNC_CODE_NCHARS + 1];
		int reference;
		int rc = village_of(ts, parent, fk->parent_col, row->v[fk->col], 0, found, &reference);
		if (rc != SQLITE_OK)
			return rc;
		if (reference)
			continue;
		if (strcmp(found, village) != 0) {
			snprintf(why, cap, "%s指向%s", t->colname[fk->col],
				 found[0] ? "别的村的记录" : "不存在的记录");
			return SQLITE_CONSTRAINT;
		}
	}
	return SQLITE_OK;
}

/* ---- values the forms would accept (rule A5) ---- */

/* ---- text values a column accepted before: the same bytes are accepted
 * again without judging them anew (a bundle's code, date and amount columns
 * repeat a few values thousands of times). A verdict depends on the value,
 * the column's field and the code lists only, and is forgotten with the code
 * lists (sync_codes_forget). A direct-mapped table: a value meets at most
 * one slot, a newer one takes it over. ---- */

#define MEMO_SLOTS 16384 /* a power of two */

/* Whether column col's values repeat, so that remembering them pays: not a
 * primary key nor a reference to a row (ids, each seen once or twice, would
 * only push the repeating values out of their slots; judging them is cheap). */
static int memo_worth(const struct sync_table *t, int col)
{
	return !t->pk[col] && (t->field[col] == NULL || t->field[col]->type != FIELD_REF);
}

/* Eight bytes a step (the slot's own comparison decides, the hash only
 * spreads the values over the slots). */
static uint32_t memo_hash(const struct sync_table *t, int col, const unsigned char *p, size_t n)
{
	uint64_t h = ((uint64_t)(uintptr_t)t ^ (uint64_t)col * 0x9e3779b97f4a7c15u) + n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	uint64_t tail = 0;
	if (n > i)
		memcpy(&tail, p + i, n - i);
	h = (h ^ tail) * 0xc4ceb9fe1a85ec53u;
	return (uint32_t)(h ^ (h >> 29));
}

/* The slot of the value, and whether it holds it already. */
static struct sync_memo_slot *memo_slot(struct sync_tables *ts, const struct sync_table *t, int col,
					const unsigned char *p, size_t n, int *known)
{
	if (ts->memo == NULL)
		ts->memo = xcalloc(MEMO_SLOTS, sizeof *ts->memo);
	struct sync_memo_slot *m = &ts->memo[memo_hash(t, col, p, n) & (MEMO_SLOTS - 1)];
	*known = m->t == t && m->col == col && m->nbytes == n && (n == 0 || memcmp(m->bytes, p, n) == 0);
	return m;
}

static int check_value(struct store *s, struct sync_tables *ts, const struct sync_table *t, int col,
		       sqlite3_value *v, struct tz_error *err);

int sync_check_value(struct store *s, struct sync_tables *ts, const struct sync_table *t, int col,
		     sqlite3_value *v, struct tz_error *err)
{
	if (v == NULL || sqlite3_value_type(v) != SQLITE_TEXT)
		return check_value(s, ts, t, col, v, err);
	/* the bytes as they are: the value's text would be copied to add its
	 * terminating NUL */
	const unsigned char *p = sqlite3_value_blob(v);
	size_t n = (size_t)sqlite3_value_bytes(v);
	if ((p == NULL && n > 0) || n > SYNC_MEMO_MAX_NBYTES || !memo_worth(t, col))
		return check_value(s, ts, t, col, v, err);
	int known;
	struct sync_memo_slot *m = memo_slot(ts, t, col, p, n, &known);
	if (known)
		return TZ_OK;
	int rc = check_value(s, ts, t, col, v, err);
	if (rc == TZ_OK) {
		m->t = t;
		m->col = col;
		m->nbytes = (unsigned)n;
		if (n > 0) /* asking for its text may have moved the bytes */
			memcpy(m->bytes, sqlite3_value_blob(v), n);
	}
	return rc;
}

static int check_value(struct store *s, struct sync_tables *ts, const struct sync_table *t, int col,
		       sqlite3_value *v, struct tz_error *err)
{
	const struct field_codes codes = { code_known, ts };
	const char *column = t->colname[col];
	if (t->field[col] != NULL)
		return field_check_stored(s, t->field[col], v, &codes, err);
	if (t->state_list[col] != NULL) {
		struct field_def state = { column, column, FIELD_ENUM, 0, 0, 0, t->state_list[col],
					   NULL };
		return field_check_stored(s, &state, v, &codes, err);
	}
	if ((strcmp(column, "owner") == 0 || strcmp(column, "village_code") == 0) &&
	    sqlite3_value_type(v) != SQLITE_NULL) {
		const char *code = sync_value_text(v);
		int ok = code != NULL && strlen(code) == SYNC_CODE_NCHARS;
		for (size_t i = 0; ok && i < SYNC_CODE_NCHARS; i++)
			ok = code[i] >= '0' && code[i] <= '9';
		if (!ok)
			return tz_error_set(err, TZ_EFAIL, "%s不是 12 位区划代码", column);
	}
	return field_check_stored_text(column, v, err);
}
