/*
 * roster_dibao.c — the civil-affairs 低保 roster (`taizhang roster import
 * dibao`) from a sheet (roster_sheet.c).
 *
 *   户主姓名      required
 *   户主身份证号  required (户主身份证号码, 户主证件号码, 户主公民身份号码)
 *   姓名          required (成员姓名, 家庭成员姓名, 保障对象姓名)
 *   身份证号      required (身份证号码, 证件号码, 公民身份号码, 成员身份证号)
 *   与户主关系    optional, kept as written (户主关系, 与户主的关系)
 *   家庭人口      optional, 1..99 (家庭人口数, 户人口数)
 *   月保障金（元） optional, 元 (保障金额, 月保障金, 月保障金额, 保障金额（元）)
 *   所在村        optional (村（居）, 村居, 所在村（居）, 村)
 * A person's ID number twice in the file, one 户主身份证号 with two different
 * 户主姓名, or a row whose ID number is the 户主's but whose name is not, are bad
 * rows. The new roster replaces the old one (dibao_roster rows deleted in the
 * same transaction); roster_imports keeps one row per import.
 *
 * The 低保 roster has no table_def (it is not entered by hand); its values go
 * through field_check with the field_defs below, and its rows are written with
 * one audit row per import, all in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/idcard.h"
#include "taizhang/ids.h"
#include "taizhang/model.h"

#include "roster_internal.h"

enum dcol { DC_HEAD_NAME, DC_HEAD_IDCARD, DC_NAME, DC_IDCARD, DC_RELATION, DC_SIZE,
	    DC_MONTHLY, DC_VILLAGE, DC_COUNT };

static const struct column dibao_columns[DC_COUNT] = {
	[DC_HEAD_NAME] = { { "户主姓名" }, COL_REQUIRED, "head_name" },
	[DC_HEAD_IDCARD] = { { "户主身份证号", "户主身份证号码", "户主证件号码", "户主公民身份号码" },
			     COL_REQUIRED | COL_FOLD, "head_idcard" },
	[DC_NAME] = { { "姓名", "成员姓名", "家庭成员姓名", "保障对象姓名" }, COL_REQUIRED, "name" },
	[DC_IDCARD] = { { "身份证号", "身份证号码", "证件号码", "公民身份号码", "成员身份证号" },
			COL_REQUIRED | COL_FOLD, "idcard" },
	[DC_RELATION] = { { "与户主关系", "户主关系", "与户主的关系" }, 0, "relation" },
	[DC_SIZE] = { { "家庭人口", "家庭人口数", "户人口数" }, COL_FOLD, "size" },
	[DC_MONTHLY] = { { "月保障金（元）", "保障金额", "月保障金", "月保障金额", "保障金额（元）" },
			 COL_FOLD, "monthly_cents" },
	[DC_VILLAGE] = { { "所在村", "村（居）", "村居", "所在村（居）", "村" }, 0, "village" },
};

/* The 低保 roster's values go through field_check with these (same order as
 * enum dcol). */
static const struct field_def dibao_fields[DC_COUNT] = {
	[DC_HEAD_NAME] = { "head_name", "户主姓名", FIELD_TEXT, FIELD_REQUIRED, 0, 30, NULL, NULL },
	[DC_HEAD_IDCARD] = { "head_idcard", "户主身份证号", FIELD_IDCARD, FIELD_REQUIRED, 0, 0, NULL, NULL },
	[DC_NAME] = { "name", "姓名", FIELD_TEXT, FIELD_REQUIRED, 0, 30, NULL, NULL },
	[DC_IDCARD] = { "idcard", "身份证号", FIELD_IDCARD, FIELD_REQUIRED, 0, 0, NULL, NULL },
	[DC_RELATION] = { "relation", "与户主关系", FIELD_TEXT, 0, 0, 20, NULL, NULL },
	[DC_SIZE] = { "size", "家庭人口", FIELD_INT, 0, 1, 99, NULL, NULL },
	[DC_MONTHLY] = { "monthly_cents", "月保障金", FIELD_MONEY, 0, 0, 10000000, NULL, NULL },
	[DC_VILLAGE] = { "village", "所在村", FIELD_TEXT, 0, 0, 40, NULL, NULL },
};

/* One checked row: values in stored form (NULL: empty). */
struct dibao_row {
	size_t line;
	char *v[DC_COUNT];
};

/* Check the rows of sh into out (sh->nrows of them). */
static void check_dibao(struct store *s, struct sheet *sh, struct dibao_row *out,
			struct bad_rows *probs)
{
	struct seen_id *ids = xrealloc(NULL, (sh->nrows ? sh->nrows : 1) * sizeof *ids);
	struct seen_id *heads = xrealloc(NULL, (sh->nrows ? sh->nrows : 1) * sizeof *heads);
	size_t nids = 0, nheads = 0;
	for (size_t i = 0; i < sh->nrows; i++) {
		struct dibao_row *d = &out[i];
		d->line = sh->rows[i].line;
		int ok = 1;
		for (size_t c = 0; c < DC_COUNT; c++) {
			struct tz_error ferr = { 0 };
			if (field_check(s, &dibao_fields[c], sh->rows[i].cells[c], &d->v[c], &ferr) !=
			    TZ_OK) {
				roster_bad_row_add(probs, d->line, ferr.msg);
				ok = 0;
			}
		}
		if (d->v[DC_IDCARD] != NULL) {
			roster_idcard_key(d->v[DC_IDCARD], ids[nids].key, sizeof ids[nids].key);
			ids[nids].line = d->line;
			ids[nids].seq = nids;
			nids++;
		}
		if (d->v[DC_HEAD_IDCARD] != NULL && d->v[DC_HEAD_NAME] != NULL) {
			roster_idcard_key(d->v[DC_HEAD_IDCARD], heads[nheads].key,
					  sizeof heads[nheads].key);
			heads[nheads].line = d->line;
			heads[nheads].seq = i; /* the row, to find its head's name */
			nheads++;
		}
		if (ok && strcmp(d->v[DC_IDCARD], d->v[DC_HEAD_IDCARD]) == 0 &&
		    strcmp(d->v[DC_NAME], d->v[DC_HEAD_NAME]) != 0)
			roster_bad_row_addf(probs, d->line,
				     "这一行的身份证号就是户主身份证号，但姓名“%s”与户主姓名“%s”不同；"
				     "请核对",
				     d->v[DC_NAME], d->v[DC_HEAD_NAME]);
	}
	roster_report_repeated_ids(ids, nids, probs, "身份证号");
	/* One head ID number, one head name. */
	roster_sort(heads, nheads, sizeof *heads, roster_seen_id_cmp);
	for (size_t i = 1; i < nheads; i++) {
		size_t first = i - 1;
		while (first > 0 && strcmp(heads[first - 1].key, heads[i].key) == 0)
			first--;
		if (strcmp(heads[first].key, heads[i].key) != 0)
			continue;
		const char *a = out[heads[first].seq].v[DC_HEAD_NAME];
		const char *b = out[heads[i].seq].v[DC_HEAD_NAME];
		if (strcmp(a, b) != 0)
			roster_bad_row_addf(probs, heads[i].line,
				     "户主身份证号 %s 在第 %zu 行的户主姓名是“%s”，这里是“%s”；"
				     "同一户主的姓名应当相同",
				     heads[i].key, heads[first].line, a, b);
	}
	free(ids);
	free(heads);
}

/* Step *st once (bound already) when rc, its prepare's result, is SQLITE_OK,
 * then finalize it and set *st to NULL. Returns SQLITE_OK when it ran to the
 * end, else the SQLite error. */
static int step_once(sqlite3_stmt **st, int rc)
{
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(*st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(*st);
	*st = NULL;
	return rc;
}

/* Bind the whole number in text (checked when the row was read), or NULL. */
static void bind_int_or_null(sqlite3_stmt *st, int col, const char *text)
{
	if (text != NULL)
		sqlite3_bind_int64(st, col, strtoll(text, NULL, 10));
	else
		sqlite3_bind_null(st, col);
}

static int write_dibao(struct store *s, const char *file_name, struct dibao_row *rows,
		       size_t nrows, struct roster_report *rep, struct tz_error *err)
{
	sqlite3 *db = store_db(s);
	const char *owner = store_keyring(s)->division_code;
	char now[32], import_id[IDS_NCHARS + 1];
	model_now(now);
	ids_new(import_id);
	sqlite3_stmt *st = NULL;
	/* Replace this store's own roster only: a town store also holds the rosters
	 * its villages imported, which are theirs (owner). */
	int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM dibao_roster WHERE owner = ?1", -1,
				    &st, NULL);
	if (rc == SQLITE_OK)
		sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rep->replaced = (size_t)sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "DELETE FROM dibao_roster WHERE owner = ?1", -1, &st,
					NULL);
	if (rc == SQLITE_OK)
		sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
	rc = step_once(&st, rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO roster_imports(id, owner, kind, file_name, encoding,"
					" rows, imported_at, imported_by, created_at, updated_at)"
					" VALUES (?1, ?2, 'dibao', ?3, ?4, ?5, ?6, ?7, ?6, ?6)",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, import_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, file_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rep->encoding, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)nrows);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, store_user(s), -1, SQLITE_STATIC);
	}
	rc = step_once(&st, rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO dibao_roster(id, owner, import_id, line, village,"
					" head_name, head_idcard, name, idcard, relation, size,"
					" monthly_cents, created_at, updated_at)"
					" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
					-1, &st, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < nrows; i++) {
		const struct dibao_row *d = &rows[i];
		char id[IDS_NCHARS + 1];
		ids_new(id);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, import_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)d->line);
		static const enum dcol text_cols[] = { DC_VILLAGE, DC_HEAD_NAME, DC_HEAD_IDCARD,
						       DC_NAME, DC_IDCARD, DC_RELATION };
		for (size_t k = 0; k < sizeof text_cols / sizeof text_cols[0]; k++) {
			const char *v = d->v[text_cols[k]];
			if (v != NULL)
				sqlite3_bind_text(st, 5 + (int)k, v, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, 5 + (int)k);
		}
		bind_int_or_null(st, 11, d->v[DC_SIZE]);
		bind_int_or_null(st, 12, d->v[DC_MONTHLY]);
		sqlite3_bind_text(st, 13, now, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "保存低保名册", err);

	/* Households: distinct head ID numbers. */
	struct seen_id *heads = xrealloc(NULL, (nrows ? nrows : 1) * sizeof *heads);
	for (size_t i = 0; i < nrows; i++) {
		snprintf(heads[i].key, sizeof heads[i].key, "%s", rows[i].v[DC_HEAD_IDCARD]);
		heads[i].seq = i;
	}
	roster_sort(heads, nrows, sizeof *heads, roster_seen_id_cmp);
	rep->households = nrows > 0;
	for (size_t i = 1; i < nrows; i++)
		rep->households += strcmp(heads[i].key, heads[i - 1].key) != 0;
	free(heads);
	rep->members = nrows;

	char subject[64];
	snprintf(subject, sizeof subject, "roster_imports:%s", import_id);
	char *detail = xasprintf("低保名册 %s（%s）：%zu 户 %zu 人，替换原有 %zu 条", file_name,
			       rep->encoding, rep->households, rep->members, rep->replaced);
	int status = store_audit(s, "roster.import.dibao", subject, detail, err);
	free(detail);
	return status;
}

int roster_import_dibao(struct store *s, const char *file_name, const char *data,
			size_t nbytes, struct roster_report *rep, struct tz_error *err)
{
	struct sheet sh = { dibao_columns, DC_COUNT, NULL, 0, 0 };
	struct bad_rows probs = { 0 };
	struct dibao_row *rows = NULL;
	int rc = roster_read_sheet(data, nbytes, &sh, rep, &probs, err);
	if (rc == TZ_OK && sh.nrows == 0)
		rc = tz_error_set(err, TZ_EFAIL, "文件里只有表头，没有低保对象的数据");
	if (rc == TZ_OK) {
		rows = xrealloc(NULL, sh.nrows * sizeof *rows);
		memset(rows, 0, sh.nrows * sizeof *rows);
		rc = store_tx_begin(s, err);
	}
	if (rc == TZ_OK) {
		check_dibao(s, &sh, rows, &probs);
		if (probs.n == 0)
			rc = write_dibao(s, file_name, rows, sh.nrows, rep, err);
		if (rc == TZ_OK && probs.n == 0)
			rc = store_tx_commit(s, err);
		else
			store_tx_rollback(s);
	}
	if (rc == TZ_OK && probs.n > 0) {
		roster_bad_rows_to_report(&probs, rep);
		rc = roster_refused(rep, err);
	}
	if (rc != TZ_OK)
		rep->households = rep->members = rep->replaced = 0;
	for (size_t i = 0; rows != NULL && i < sh.nrows; i++)
		for (size_t c = 0; c < DC_COUNT; c++)
			free(rows[i].v[c]);
	free(rows);
	roster_sheet_free(&sh);
	roster_bad_rows_free(&probs);
	return rc;
}
