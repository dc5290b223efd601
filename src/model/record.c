/*
 * record.c — one row of a ledger as typed values: validate, insert, update, load.
 *
 * The generic half of the model (see include/taizhang/model.h): the table_defs in
 * tables.c say what each table holds; this file turns a struct record into SQL.
 * Column and table names come only from those const definitions, never from
 * input, so building the statements by name is safe. Values are always bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/date.h"
#include "taizhang/model.h"
#include "taizhang/money.h"
#include "taizhang/xalloc.h"

void model_now(char out[32])
{
	date_now_stamp(out);
}

long long model_policy(struct store *s, const char *key, long long fallback)
{
	sqlite3_stmt *st;
	long long v = fallback;
	if (sqlite3_prepare_v2(store_db(s), "SELECT value FROM policy WHERE key = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return fallback;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

const struct field_def *model_field(const struct table_def *def, const char *column)
{
	for (size_t i = 0; i < def->nfields; i++)
		if (strcmp(def->fields[i].column, column) == 0)
			return &def->fields[i];
	return NULL;
}

static int field_index(const struct table_def *def, const char *column)
{
	const struct field_def *f = model_field(def, column);
	return f ? (int)(f - def->fields) : -1;
}

void record_init(struct record *r, const struct table_def *def)
{
	memset(r, 0, sizeof *r);
	r->def = def;
}

void record_free(struct record *r)
{
	for (size_t i = 0; i < MODEL_MAX_FIELDS; i++) {
		free(r->values[i]);
		r->values[i] = NULL;
	}
}

int record_set(struct record *r, const char *column, const char *text, struct tz_error *err)
{
	int i = field_index(r->def, column);
	if (i < 0)
		return tz_error_set(err, TZ_EFAIL, "内部错误：%s没有“%s”这一项", r->def->label, column);
	free(r->values[i]);
	r->values[i] = text != NULL && text[0] != '\0' ? xstrdup(text) : NULL;
	return TZ_OK;
}

const char *record_get(const struct record *r, const char *column)
{
	int i = field_index(r->def, column);
	return i < 0 ? NULL : r->values[i];
}

/* A copy of r's values into *copy (initialised here). */
static void record_copy(const struct record *r, struct record *copy)
{
	record_init(copy, r->def);
	memcpy(copy->id, r->id, sizeof copy->id);
	for (size_t i = 0; i < r->def->nfields; i++)
		copy->values[i] = xstrdup(r->values[i]);
}

int record_validate(struct store *s, struct record *r, struct tz_error *err)
{
	const struct table_def *def = r->def;
	r->refused_column = NULL;
	for (size_t i = 0; i < def->nfields; i++) {
		char *normalized = NULL;
		int rc = field_check(s, &def->fields[i], r->values[i], &normalized, err);
		if (rc != TZ_OK) {
			r->refused_column = def->fields[i].column;
			return rc;
		}
		free(r->values[i]);
		r->values[i] = normalized;
	}
	return def->check ? def->check(s, r, err) : TZ_OK;
}

static int is_integer_type(enum field_type t)
{
	return t == FIELD_INT || t == FIELD_MONEY || t == FIELD_BOOL;
}

/* Bind field i's stored value to parameter n. */
static void bind_value(sqlite3_stmt *st, int n, const struct field_def *f, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, n);
	else if (is_integer_type(f->type))
		sqlite3_bind_int64(st, n, strtoll(v, NULL, 10));
	else
		sqlite3_bind_text(st, n, v, -1, SQLITE_TRANSIENT);
}

/* Append text to buf (cap bytes); 0 when it does not fit. */
static int append(char *buf, size_t cap, size_t *used, const char *text)
{
	size_t n = strlen(text);
	if (*used + n + 1 > cap)
		return 0;
	memcpy(buf + *used, text, n + 1);
	*used += n;
	return 1;
}

/* Append ", column" and then suffix for each of def's fields; 0 when buf is
 * full. */
static int append_columns(char *buf, size_t cap, size_t *used, const struct table_def *def,
			  const char *suffix)
{
	int ok = 1;
	for (size_t i = 0; i < def->nfields; i++)
		ok = ok && append(buf, cap, used, ", ") &&
		     append(buf, cap, used, def->fields[i].column) && append(buf, cap, used, suffix);
	return ok;
}

static int audit_row(struct store *s, const char *action, const struct record *r,
		     struct tz_error *err)
{
	char subject[160];
	snprintf(subject, sizeof subject, "%s:%s", r->def->table, r->id);
	return store_audit(s, action, subject, NULL, err);
}

static int insert_validated(struct store *s, struct record *r, struct tz_error *err);

/* record_insert and record_update: a copy of typed validated and written by
 * write, inside the caller's transaction; typed gets the id written (a new
 * one for an insert) and the column refused. */
static int write_copy(struct store *s, struct record *typed,
		      int (*write)(struct store *, struct record *, struct tz_error *),
		      struct tz_error *err)
{
	struct record r;
	record_copy(typed, &r);
	int rc = record_validate(s, &r, err);
	if (rc == TZ_OK)
		rc = write(s, &r, err);
	memcpy(typed->id, r.id, sizeof typed->id);
	typed->refused_column = r.refused_column;
	record_free(&r);
	return rc;
}

int record_insert(struct store *s, struct record *typed, struct tz_error *err)
{
	if (!store_tx_active(s))
		return tz_error_set(err, TZ_EFAIL, "内部错误：保存%s时没有打开事务", typed->def->label);
	return write_copy(s, typed, insert_validated, err);
}

/* Prepare the INSERT or UPDATE built in sql for def's table (ok says whether
 * it fitted in its buffer) and stamp now with the time of the write. Returns
 * TZ_OK with *st to finalize, or the error. */
static int prepare_write(struct store *s, const struct table_def *def, int ok, const char *sql,
			 sqlite3_stmt **st, char now[32], struct tz_error *err)
{
	if (!ok)
		return tz_error_set(err, TZ_EFAIL, "内部错误：%s的语句太长", def->label);
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "保存", err);
	model_now(now);
	return TZ_OK;
}

/* The INSERT of record_insert, with r validated and normalised. */
static int insert_validated(struct store *s, struct record *r, struct tz_error *err)
{
	int rc;
	const struct table_def *def = r->def;
	char sql[2048];
	size_t used = 0;
	int ok = append(sql, sizeof sql, &used, "INSERT INTO ") &&
		 append(sql, sizeof sql, &used, def->table) &&
		 append(sql, sizeof sql, &used, "(id, owner, created_at, updated_at");
	if (def->flags & TABLE_VILLAGE_CODE)
		ok = ok && append(sql, sizeof sql, &used, ", village_code");
	ok = ok && append_columns(sql, sizeof sql, &used, def, "");
	ok = ok && append(sql, sizeof sql, &used, ") VALUES (?, ?, ?, ?");
	size_t nparams = 4 + def->nfields + ((def->flags & TABLE_VILLAGE_CODE) ? 1 : 0);
	for (size_t i = 4; i < nparams; i++)
		ok = ok && append(sql, sizeof sql, &used, ", ?");
	ok = ok && append(sql, sizeof sql, &used, ")");
	sqlite3_stmt *st;
	char now[32];
	rc = prepare_write(s, def, ok, sql, &st, now, err);
	if (rc != TZ_OK)
		return rc;
	ids_new(r->id);
	const char *owner = store_keyring(s)->division_code;
	int n = 1;
	sqlite3_bind_text(st, n++, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, n++, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, n++, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, n++, now, -1, SQLITE_STATIC);
	if (def->flags & TABLE_VILLAGE_CODE)
		sqlite3_bind_text(st, n++, owner, -1, SQLITE_STATIC);
	for (size_t i = 0; i < def->nfields; i++)
		bind_value(st, n++, &def->fields[i], r->values[i]);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		r->id[0] = '\0';
		return store_sqlite_error(s, rc, "保存", err);
	}
	rc = audit_row(s, "insert", r, err);
	if (rc == TZ_OK && def->after_write != NULL)
		rc = def->after_write(s, r, NULL, err);
	return rc;
}

static int update_row(struct store *s, struct record *r, struct tz_error *err);
static int update_validated(struct store *s, struct record *r, struct tz_error *err);

int record_update(struct store *s, struct record *typed, struct tz_error *err)
{
	if (!store_tx_active(s))
		return tz_error_set(err, TZ_EFAIL, "内部错误：保存%s时没有打开事务", typed->def->label);
	if (!ids_valid(typed->id))
		return tz_error_set(err, TZ_EFAIL, "内部错误：要修改的%s没有编号", typed->def->label);
	return write_copy(s, typed, update_validated, err);
}

/* The UPDATE of record_update, with r validated and normalised, its audit row
 * and its history. */
static int update_validated(struct store *s, struct record *r, struct tz_error *err)
{
	const struct table_def *def = r->def;
	struct record before;
	record_init(&before, def);
	int rc = TZ_OK;
	/* The row as it was, for history (codes and dates are stored as loaded). */
	if (def->after_write != NULL)
		rc = record_load(s, def, r->id, &before, err);
	if (rc == TZ_OK)
		rc = update_row(s, r, err);
	if (rc == TZ_OK)
		rc = audit_row(s, "update", r, err);
	if (rc == TZ_OK && def->after_write != NULL)
		rc = def->after_write(s, r, &before, err);
	record_free(&before);
	return rc;
}

int record_write_validated(struct store *s, struct record *r, struct tz_error *err)
{
	if (!store_tx_active(s))
		return tz_error_set(err, TZ_EFAIL, "内部错误：保存%s时没有打开事务", r->def->label);
	if (r->id[0] == '\0')
		return insert_validated(s, r, err);
	if (!ids_valid(r->id))
		return tz_error_set(err, TZ_EFAIL, "内部错误：要修改的%s没有编号", r->def->label);
	return update_validated(s, r, err);
}

/* The UPDATE of record_update. */
static int update_row(struct store *s, struct record *r, struct tz_error *err)
{
	const struct table_def *def = r->def;
	int rc;
	char sql[2048];
	size_t used = 0;
	int ok = append(sql, sizeof sql, &used, "UPDATE ") &&
		 append(sql, sizeof sql, &used, def->table) &&
		 append(sql, sizeof sql, &used, " SET updated_at = ?");
	ok = ok && append_columns(sql, sizeof sql, &used, def, " = ?");
	ok = ok && append(sql, sizeof sql, &used, " WHERE id = ? AND owner = ?");
	sqlite3_stmt *st;
	char now[32];
	rc = prepare_write(s, def, ok, sql, &st, now, err);
	if (rc != TZ_OK)
		return rc;
	int n = 1;
	sqlite3_bind_text(st, n++, now, -1, SQLITE_STATIC);
	for (size_t i = 0; i < def->nfields; i++)
		bind_value(st, n++, &def->fields[i], r->values[i]);
	sqlite3_bind_text(st, n++, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, n++, store_keyring(s)->division_code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "保存", err);
	if (sqlite3_changes(store_db(s)) != 1)
		return tz_error_set(err, TZ_EFAIL,
				    "这条%s不存在，或属于其他单位（只能修改本村自己的记录）", def->label);
	return TZ_OK;
}

/* A stored value as an officer would type it back: 分 as 元. */
static char *editable_text(const struct field_def *f, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	if (f->type == FIELD_MONEY) {
		char buf[MONEY_TEXT_NBYTES];
		return xstrdup(money_format(sqlite3_column_int64(st, col), 0, buf));
	}
	return xstrdup((const char *)sqlite3_column_text(st, col));
}

int record_load(struct store *s, const struct table_def *def, const char *id,
		struct record *r, struct tz_error *err)
{
	record_init(r, def);
	char sql[2048];
	size_t used = 0;
	int ok = append(sql, sizeof sql, &used, "SELECT id");
	ok = ok && append_columns(sql, sizeof sql, &used, def, "");
	ok = ok && append(sql, sizeof sql, &used, " FROM ") &&
	     append(sql, sizeof sql, &used, def->table) &&
	     append(sql, sizeof sql, &used, " WHERE id = ?1");
	if (!ok)
		return tz_error_set(err, TZ_EFAIL, "内部错误：%s的语句太长", def->label);
	const char *params[] = { id };
	sqlite3_stmt *row;
	int rc = store_query_one(s, sql, params, 1, &row, "读取", err);
	if (rc != TZ_OK)
		return rc;
	if (row == NULL)
		return tz_error_set(err, TZ_EFAIL, "找不到这条%s（编号 %s）", def->label, id);
	snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(row, 0));
	for (size_t i = 0; i < def->nfields; i++)
		r->values[i] = editable_text(&def->fields[i], row, (int)i + 1);
	sqlite3_finalize(row);
	return TZ_OK;
}
