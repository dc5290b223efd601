/*
 * id_prefix.c — finding a row by the first digits of its id, as an officer
 * types it (`taizhang problem show 3fa2`, the review screen's 编号 field); see
 * model_find_by_prefix in include/taizhang/model.h.
 *
 * Whether the text may be an id prefix at all is ids_prefix_valid (util);
 * which table(s) to look in is the caller's SQL. Here: exactly one row must
 * answer, else the message says there is none or that more digits are needed.
 */
#include <stdio.h>

#include "taizhang/model.h"

struct id_match {
	int kind;
	char id[IDS_NCHARS + 1];
};

static void read_match(sqlite3_stmt *st, void *item)
{
	struct id_match *m = item;
	m->kind = sqlite3_column_int(st, 0);
	snprintf(m->id, sizeof m->id, "%s", (const char *)sqlite3_column_text(st, 1));
}

int model_find_by_prefix(struct store *s, const char *sql, const char *prefix, const char *noun,
			 int *kind, char id_out[IDS_NCHARS + 1], struct tz_error *err)
{
	char what[64];
	snprintf(what, sizeof what, "查找%s", noun);
	const struct store_rows how = { sizeof(struct id_match), read_match, NULL, what, NULL, 0 };
	const char *params[] = { prefix };
	struct id_match *found;
	size_t n;
	int rc = store_rows_query(s, sql, params, 1, &how, &found, &n, err);
	if (rc == TZ_OK && n == 0)
		rc = tz_error_set(err, TZ_EFAIL, "没有编号为“%s”的%s", prefix, noun);
	else if (rc == TZ_OK && n > 1)
		rc = tz_error_set(err, TZ_EFAIL, "编号以“%s”开头的%s不止一个，请多写几位", prefix,
				  noun);
	else if (rc == TZ_OK) {
		*kind = found[0].kind;
		snprintf(id_out, IDS_NCHARS + 1, "%s", found[0].id);
	}
	store_rows_free(&how, found, n);
	return rc;
}
