/*
 * reference.c — reading and (at the town) setting the policy numbers and the
 * deadlines; see include/taizhang/reference.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/date.h"
#include "taizhang/decimal.h"
#include "taizhang/keyring.h"
#include "taizhang/reference.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

static char *dup_col(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return xstrdup(t);
}

static int read_items(struct store *s, const char *sql, int with_unit,
		      struct reference_item **out, size_t *n, struct tz_error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int rc = store_prepare(s, sql, &st, "读取基础数据", err);
	if (rc != TZ_OK)
		return rc;
	size_t cap = 0;
	int status = TZ_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct reference_item *it = VEC_PUSH(*out, *n, cap);
		it->key = dup_col(st, 0);
		it->label = dup_col(st, 1);
		it->value = dup_col(st, 2);
		it->unit = with_unit ? dup_col(st, 3) : NULL;
	}
	if (rc != SQLITE_DONE)
		status = store_sqlite_error(s, rc, "读取基础数据", err);
	sqlite3_finalize(st);
	return status;
}

static void items_free(struct reference_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].label);
		free(v[i].value);
		free(v[i].unit);
	}
	free(v);
}

int reference_list(struct store *s, struct reference_list *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = read_items(s, "SELECT key, label, value, unit FROM policy ORDER BY key", 1,
			    &out->policy, &out->npolicy, err);
	if (rc == TZ_OK)
		rc = read_items(s, "SELECT key, label, due FROM deadlines ORDER BY due, key", 0,
				&out->deadlines, &out->ndeadlines, err);
	if (rc != TZ_OK)
		reference_list_free(out);
	return rc;
}

void reference_list_free(struct reference_list *l)
{
	items_free(l->policy, l->npolicy);
	items_free(l->deadlines, l->ndeadlines);
	memset(l, 0, sizeof *l);
}

/* The keys of table, "a、b、c", into out. */
static void list_keys(struct store *s, const char *table, char *out, size_t cap)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT group_concat(key, '、') FROM (SELECT key FROM %s ORDER BY key)",
		 table);
	out[0] = '\0';
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Set table.column = value for key in one audited transaction. */
static int set_one(struct store *s, const char *table, const char *column, const char *key,
		   const char *value, int is_int, long long number, struct tz_error *err)
{
	if (store_keyring(s)->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EUSAGE,
				    "政策数字和时间节点由镇扶贫办统一设定，随数据包下发到各村；村里不能修改");
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?2 WHERE key = ?1", table, column);
	int rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st;
	int step = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	if (step == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (is_int)
			sqlite3_bind_int64(st, 2, number);
		else
			sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		step = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (step != SQLITE_DONE) {
		rc = store_sqlite_error(s, step, "修改基础数据", err);
	} else if (sqlite3_changes(store_db(s)) == 0) {
		char keys[1024];
		list_keys(s, table, keys, sizeof keys);
		rc = tz_error_set(err, TZ_EFAIL, "没有“%s”这一项（可用：%s）", key, keys);
	}
	if (rc == TZ_OK) {
		char detail[160];
		snprintf(detail, sizeof detail, "%s = %s", key, value);
		rc = store_audit(s, strcmp(table, "policy") == 0 ? "policy.set" : "deadline.set", key,
				 detail, err);
	}
	return store_tx_end(s, rc, err);
}

int reference_policy_set(struct store *s, const char *key, const char *value,
			 struct tz_error *err)
{
	long long n;
	if (value == NULL || !decimal_parse(value, DECIMAL_PLUS, &n) || n < 0 || n > 1000000000LL)
		return tz_error_set(err, TZ_EFAIL,
				    "政策数字“%s”应为不小于 0 的整数（金额以分为单位）", value ? value : "");
	return set_one(s, "policy", "value", key, value, 1, n, err);
}

int reference_deadline_set(struct store *s, const char *key, const char *due,
			   struct tz_error *err)
{
	int32_t day;
	if (due == NULL || !date_parse_loose(due, &day))
		return tz_error_set(err, TZ_EFAIL, "时间节点“%s”不是日期，请写成 2019-05-31",
				    due ? due : "");
	char text[DATE_NCHARS + 1];
	date_format(day, text);
	int rc = set_one(s, "deadlines", "due", key, text, 0, 0, err);
	/* the deliverables not handed in yet are due on the new date */
	return rc == TZ_OK ? deliverable_generate(s, NULL, err) : rc;
}
