/*
 * roster_dibao.c — the civil-affairs 低保 roster (`taizhang roster import
 * dibao`) from a sheet (roster_sheet.c), as county systems export it.
 *
 * Two layouts, told by the header: one row per person (姓名 and 身份证号, under
 * 户主姓名/户主身份证号 or under the 户主 row above them), or one row per
 * household (户主姓名 and 户主身份证号 alone, with 家庭人口, 保障人数 and
 * 月保障金额). Columns (synonyms in dibao_columns; the user may map others):
 *   户主姓名, 户主身份证号   the household (filled in for person rows without them)
 *   姓名, 身份证号           the person (a household row's person is its 户主)
 *   与户主关系    optional, kept as written
 *   家庭人口      optional, 1..99
 *   保障人数      optional, 0..99: the persons the household's 低保 covers
 *   月保障金（元） optional, 元
 *   所在村 / 村代码  optional: which village the row belongs to
 * A person's ID number twice in the file, one 户主身份证号 with two different
 * 户主姓名, or a row whose ID number is the 户主's but whose name is not, are bad
 * rows; every ID number goes through the model's check (format, date, check
 * digit), every text through its text rule (util/text_hygiene.h).
 *
 * When the store has a roster of its own already, the difference is worked
 * out first (roster_diff.c) and, unless replacing is allowed, nothing is
 * written. The new roster replaces this store's own (dibao_roster rows deleted
 * in the same transaction); roster_imports keeps one row per import, with its
 * layout and the month its title names.
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
#include "taizhang/keyring.h"
#include "taizhang/model.h"
#include "taizhang/textenc.h"

#include "roster_internal.h"

static const struct column dibao_columns[DC_COUNT] = {
	[DC_HEAD_NAME] = { { "户主姓名", "户主", "户主名称" }, 0, "head_name" },
	[DC_HEAD_IDCARD] = { { "户主身份证号", "户主身份证号码", "户主证件号码", "户主公民身份号码",
			       "户主身份证", "户主身份证件号码" },
			     COL_FOLD | COL_ID, "head_idcard" },
	[DC_NAME] = { { "姓名", "成员姓名", "家庭成员姓名", "保障对象姓名", "对象姓名", "救助对象姓名" },
		      0, "name" },
	[DC_IDCARD] = { { "身份证号", "身份证号码", "证件号码", "公民身份号码", "成员身份证号",
			  "身份证件号码", "成员身份证号码", "保障对象身份证号" },
			COL_FOLD | COL_ID, "idcard" },
	[DC_RELATION] = { { "与户主关系", "户主关系", "与户主的关系" }, 0, "relation" },
	[DC_SIZE] = { { "家庭人口", "家庭人口数", "户人口数", "家庭人数", "家庭总人口", "户籍人口" },
		      COL_FOLD, "size" },
	[DC_COVERED] = { { "保障人数", "保障人口", "享受人数", "享受低保人数", "保障人口数", "救助人数",
			   "享受人口" },
			 COL_FOLD, "covered" },
	[DC_MONTHLY] = { { "月保障金（元）", "月保障金", "月保障金额", "保障金额", "月保障金额（元）",
			   "保障金额（元）", "月救助金额", "发放金额" },
			 COL_FOLD, "monthly_cents" },
	[DC_VILLAGE] = { { "所在村", "村（居）", "村居", "所在村（居）", "村", "村名", "村（社区）", "村委会" },
			 0, "village" },
	[DC_VILLAGE_CODE] = { { "村代码", "村（居）代码", "行政区划代码", "区划代码", "村编码", "所在村代码",
				"村居代码" },
			      COL_FOLD, "village_code" },
};

/* A header names the household (户主姓名 and 户主身份证号) or the person. */
static const unsigned dibao_alternatives[] = {
	(1u << DC_HEAD_NAME) | (1u << DC_HEAD_IDCARD),
	(1u << DC_NAME) | (1u << DC_IDCARD),
};

/* The 低保 roster's values go through field_check with these (same order as
 * enum dcol); whether a 户主 or a person is missing is dibao_fill_heads'. */
static const struct field_def dibao_fields[DC_COUNT] = {
	[DC_HEAD_NAME] = { "head_name", "户主姓名", FIELD_TEXT, 0, 0, 30, NULL, NULL },
	[DC_HEAD_IDCARD] = { "head_idcard", "户主身份证号", FIELD_IDCARD, 0, 0, 0, NULL, NULL },
	[DC_NAME] = { "name", "姓名", FIELD_TEXT, 0, 0, 30, NULL, NULL },
	[DC_IDCARD] = { "idcard", "身份证号", FIELD_IDCARD, 0, 0, 0, NULL, NULL },
	[DC_RELATION] = { "relation", "与户主关系", FIELD_TEXT, 0, 0, 20, NULL, NULL },
	[DC_SIZE] = { "size", "家庭人口", FIELD_INT, 0, 1, 99, NULL, NULL },
	[DC_COVERED] = { "covered", "保障人数", FIELD_INT, 0, 0, 99, NULL, NULL },
	[DC_MONTHLY] = { "monthly_cents", "月保障金", FIELD_MONEY, 0, 0, 10000000, NULL, NULL },
	[DC_VILLAGE] = { "village", "所在村", FIELD_TEXT, 0, 0, 40, NULL, NULL },
	[DC_VILLAGE_CODE] = { "village_code", "村代码", FIELD_TEXT, 0, 0, 12, NULL, NULL },
};

/* Check the rows of sh into out (sh->nrows of them), filling in what the
 * layout leaves out (present: the columns of the header). */
static void check_dibao(struct store *s, struct sheet *sh, unsigned present, struct dibao_row *out,
			struct bad_rows *probs)
{
	for (size_t i = 0; i < sh->nrows; i++) {
		struct dibao_row *d = &out[i];
		d->line = sh->rows[i].line;
		for (size_t c = 0; c < DC_COUNT; c++) {
			struct tz_error ferr = { 0 };
			if (field_check(s, &dibao_fields[c], sh->rows[i].cells[c], &d->v[c], &ferr) !=
			    TZ_OK) {
				/* Name the column when the reason does not ("户主身份证号：..."). */
				const char *label = dibao_fields[c].label;
				if (strncmp(ferr.msg, label, strlen(label)) == 0)
					roster_bad_row_add(probs, d->line, ferr.msg);
				else
					roster_bad_row_addf(probs, d->line, "%s：%s", label, ferr.msg);
				d->bad |= 1u << c;
			}
		}
	}
	dibao_fill_heads(out, sh->nrows, present, probs);
	struct seen_id *ids = xrealloc(NULL, (sh->nrows ? sh->nrows : 1) * sizeof *ids);
	struct seen_id *heads = xrealloc(NULL, (sh->nrows ? sh->nrows : 1) * sizeof *heads);
	size_t nids = 0, nheads = 0;
	for (size_t i = 0; i < sh->nrows; i++) {
		struct dibao_row *d = &out[i];
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
		if (d->bad == 0 && d->v[DC_IDCARD] && d->v[DC_HEAD_IDCARD] && d->v[DC_NAME] &&
		    d->v[DC_HEAD_NAME] && strcmp(d->v[DC_IDCARD], d->v[DC_HEAD_IDCARD]) == 0 &&
		    strcmp(d->v[DC_NAME], d->v[DC_HEAD_NAME]) != 0)
			roster_bad_row_addf(probs, d->line,
				     "这一行的身份证号就是户主身份证号，但姓名“%s”与户主姓名“%s”不同；"
				     "请核对",
				     d->v[DC_NAME], d->v[DC_HEAD_NAME]);
	}
	roster_report_repeated_ids(ids, nids, probs,
				   (present & (1u << DC_IDCARD)) ? "身份证号" : "户主身份证号");
	/* One head ID number, one head name. */
	roster_sort(heads, nheads, sizeof *heads, roster_seen_id_cmp);
	size_t first = 0; /* the first of the run of heads[i]'s number (linear: hostile files) */
	for (size_t i = 1; i < nheads; i++) {
		if (strcmp(heads[first].key, heads[i].key) != 0) {
			first = i;
			continue;
		}
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

static int write_dibao(struct store *s, const char *file_name, int person_rows,
		       struct dibao_row *rows, size_t nrows, struct roster_report *rep,
		       struct tz_error *err)
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
					" rows, imported_at, imported_by, created_at, updated_at, layout, month)"
					" VALUES (?1, ?2, 'dibao', ?3, ?4, ?5, ?6, ?7, ?6, ?6, ?8, ?9)",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, import_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, file_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rep->encoding, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)nrows);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, store_user(s), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, person_rows ? "person" : "household", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, rep->month, -1, SQLITE_STATIC);
	}
	rc = step_once(&st, rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO dibao_roster(id, owner, import_id, line, village,"
					" head_name, head_idcard, name, idcard, relation, size,"
					" monthly_cents, created_at, updated_at, covered, roster_village)"
					" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13,"
					" ?14, ?15)",
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
		bind_int_or_null(st, 14, d->v[DC_COVERED]);
		if (d->village != NULL)
			sqlite3_bind_text(st, 15, d->village, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 15);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "保存低保名册", err);

	char subject[64];
	snprintf(subject, sizeof subject, "roster_imports:%s", import_id);
	char *detail = xasprintf("低保名册 %s（%s，%s）：%zu 户 %zu 人，保障 %zu 人，替换原有 %zu 条",
			       file_name, rep->encoding, rep->layout, rep->households, rep->members,
			       rep->persons, rep->replaced);
	int status = store_audit(s, "roster.import.dibao", subject, detail, err);
	free(detail);
	return status;
}

/* Row d as the difference reads it (pointing into d). */
static void dibao_diff_row(const struct dibao_row *d, struct roster_diff_row *r)
{
	memset(r, 0, sizeof *r);
	r->head_name = d->v[DC_HEAD_NAME];
	r->head_idcard = d->v[DC_HEAD_IDCARD];
	r->name = d->v[DC_NAME];
	r->idcard = d->v[DC_IDCARD];
	r->covered = d->v[DC_COVERED] ? strtoll(d->v[DC_COVERED], NULL, 10) : -1;
	r->cents = d->v[DC_MONTHLY] ? strtoll(d->v[DC_MONTHLY], NULL, 10) : -1;
}

/* The difference of rows from the store's own roster (*out NULL: none). */
static int dibao_diff(struct store *s, const struct dibao_row *rows, size_t nrows,
		      struct roster_diff **out, struct tz_error *err)
{
	struct roster_diff_row *dr = xrealloc(NULL, (nrows ? nrows : 1) * sizeof *dr);
	for (size_t i = 0; i < nrows; i++)
		dibao_diff_row(&rows[i], &dr[i]);
	int rc = roster_diff_against(s, store_keyring(s)->division_code, dr, nrows, out, err);
	free(dr);
	return rc;
}

/* The counts of rows into rep: households (distinct 户主身份证号), people
 * (rows), 保障人数 (each household's, else its rows). */
static void count_rows(struct dibao_row *rows, size_t nrows, struct roster_report *rep)
{
	struct roster_diff_row *dr = xrealloc(NULL, (nrows ? nrows : 1) * sizeof *dr);
	for (size_t i = 0; i < nrows; i++)
		dibao_diff_row(&rows[i], &dr[i]);
	struct roster_diff_totals t;
	roster_diff_totals(dr, nrows, &t);
	rep->households = t.households;
	rep->persons = t.persons;
	rep->members = nrows;
	free(dr);
}

/* "2019-04" from a title such as "XX县2019年4月农村低保花名册" (malloc'd), or NULL. */
static char *title_month(const char *title)
{
	if (title == NULL)
		return NULL;
	for (const char *p = title; *p; p++) {
		int y = 0, m = 0, n = 0;
		if (p[0] >= '0' && p[0] <= '9' && sscanf(p, "%4d年%2d月%n", &y, &m, &n) == 2 && n > 0 &&
		    y >= 2000 && y <= 2100 && m >= 1 && m <= 12)
			return xasprintf("%04d-%02d", y, m);
	}
	return NULL;
}

int roster_column_map_parse(const char *spec, struct roster_column_map *m, struct tz_error *err)
{
	char *t = xstrdup(spec);
	textenc_fold_ascii(t); /* ＝ to = */
	char *eq = strchr(t, '=');
	int rc = TZ_OK;
	if (eq == NULL) {
		rc = tz_error_set(err, TZ_EUSAGE, "列名对应“%s”应写成 所需列名=表里的列名，如 身份证号=证件号码", spec);
	} else {
		*eq = '\0';
		char *col = textenc_trim(t), *hdr = textenc_trim(eq + 1);
		if (col[0] == '\0' || hdr[0] == '\0' || strlen(col) >= sizeof m->column ||
		    strlen(hdr) >= sizeof m->header)
			rc = tz_error_set(err, TZ_EUSAGE, "列名对应“%s”应写成 所需列名=表里的列名，如 身份证号=证件号码", spec);
		else {
			snprintf(m->column, sizeof m->column, "%s", col);
			snprintf(m->header, sizeof m->header, "%s", hdr);
		}
	}
	free(t);
	return rc;
}

/* Whether every mapping of o names a column of the 低保 roster. */
static int check_mappings(const struct roster_dibao_options *o, const struct sheet *sh,
			  struct tz_error *err)
{
	for (size_t i = 0; i < o->nmap; i++) {
		int known;
		struct sheet names = { .cols = dibao_columns, .ncols = DC_COUNT };
		known = roster_column_of(&names, o->map[i].column) >= 0;
		if (!known) {
			char *list = xstrdup("");
			for (size_t c = 0; c < sh->ncols; c++) {
				char *j = xasprintf("%s%s%s", list, c ? "、" : "", sh->cols[c].names[0]);
				free(list);
				list = j;
			}
			int rc = tz_error_set(err, TZ_EUSAGE, "列名对应：没有“%s”这一列；可以指定的列有 %s",
					      o->map[i].column, list);
			free(list);
			return rc;
		}
	}
	return TZ_OK;
}

int roster_import_dibao(struct store *s, const char *file_name, const char *data,
			size_t nbytes, struct roster_report *rep, struct tz_error *err)
{
	static const struct roster_dibao_options replace = { NULL, 0, 1 };
	return roster_import_dibao_with(s, file_name, data, nbytes, &replace, rep, err);
}

int roster_import_dibao_with(struct store *s, const char *file_name, const char *data,
			     size_t nbytes, const struct roster_dibao_options *o,
			     struct roster_report *rep, struct tz_error *err)
{
	struct sheet sh = { .cols = dibao_columns, .ncols = DC_COUNT };
	sh.alternatives = dibao_alternatives;
	sh.nalternatives = sizeof dibao_alternatives / sizeof dibao_alternatives[0];
	sh.map = o->map;
	sh.nmap = o->nmap;
	sh.mappable = 1;
	struct bad_rows probs = { 0 };
	struct dibao_row *rows = NULL;
	int rc = check_mappings(o, &sh, err);
	if (rc == TZ_OK) {
		rc = roster_read_sheet(data, nbytes, &sh, rep, &probs, err);
		rep->header_missing = sh.no_header;
	}
	int person_rows = (sh.present & (1u << DC_NAME)) && (sh.present & (1u << DC_IDCARD));
	rep->layout = person_rows ? "每人一行" : "每户一行";
	rep->skipped = sh.skipped;
	rep->month = title_month(sh.title);
	if (rc == TZ_OK && sh.nrows == 0)
		rc = tz_error_set(err, TZ_EFAIL, "文件里只有表头，没有低保对象的数据");
	if (rc == TZ_OK) {
		rows = xcalloc(sh.nrows, sizeof *rows);
		rc = store_tx_begin(s, err);
	}
	if (rc == TZ_OK) {
		check_dibao(s, &sh, sh.present, rows, &probs);
		if (probs.n == 0)
			rc = dibao_assign_villages(s, rows, sh.nrows, &rep->outside, &probs, err);
		if (rc == TZ_OK && probs.n == 0) {
			count_rows(rows, sh.nrows, rep);
			rc = dibao_diff(s, rows, sh.nrows, &rep->diff, err);
		}
		if (rc == TZ_OK && probs.n == 0 && rep->diff != NULL && !o->replace) {
			rep->needs_replace = 1;
			rc = tz_error_set(err, TZ_EFAIL,
					  "已有 %.10s 导入的低保名册 %s（%zu 户 %zu 人）；新名册与它的差别见上，"
					  "确认用新名册替换请加 --replace（界面上会先问）",
					  rep->diff->old_imported_at, rep->diff->old_file_name,
					  rep->diff->old_households, rep->diff->old_persons);
		}
		if (rc == TZ_OK && probs.n == 0)
			rc = write_dibao(s, file_name, person_rows, rows, sh.nrows, rep, err);
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
		rep->households = rep->members = rep->replaced = rep->persons = 0;
	for (size_t i = 0; rows != NULL && i < sh.nrows; i++) {
		for (size_t c = 0; c < DC_COUNT; c++)
			free(rows[i].v[c]);
		free(rows[i].village);
	}
	free(rows);
	roster_sheet_free(&sh);
	roster_bad_rows_free(&probs);
	return rc;
}
