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
#include "taizhang/xalloc.h"

/* A row of policy (key, label, value, unit) or deadlines (key, label, due). */
static void read_item(sqlite3_stmt *st, void *item)
{
	struct reference_item *it = item;
	it->key = store_column_dup(st, 0);
	it->label = store_column_dup(st, 1);
	it->value = store_column_dup(st, 2);
	it->unit = sqlite3_column_count(st) > 3 ? store_column_dup(st, 3) : NULL;
}

static const size_t item_texts[] = {
	offsetof(struct reference_item, key),
	offsetof(struct reference_item, label),
	offsetof(struct reference_item, value),
	offsetof(struct reference_item, unit),
};

static const struct store_rows item_rows = { sizeof(struct reference_item), read_item, NULL,
					     "读取基础数据", STORE_TEXTS(item_texts) };

static int read_items(struct store *s, const char *sql, struct reference_item **out, size_t *n,
		      struct tz_error *err)
{
	return store_rows_query(s, sql, NULL, 0, &item_rows, out, n, err);
}

int reference_list(struct store *s, struct reference_list *out, struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = read_items(s, "SELECT key, label, value, unit FROM policy ORDER BY key",
			    &out->policy, &out->npolicy, err);
	if (rc == TZ_OK)
		rc = read_items(s, "SELECT key, label, due FROM deadlines ORDER BY due, key",
				&out->deadlines, &out->ndeadlines, err);
	if (rc != TZ_OK)
		reference_list_free(out);
	return rc;
}

void reference_list_free(struct reference_list *l)
{
	store_rows_free(&item_rows, l->policy, l->npolicy);
	store_rows_free(&item_rows, l->deadlines, l->ndeadlines);
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
