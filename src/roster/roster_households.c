/*
 * roster_households.c — the bulk load of registered households and their
 * members (`taizhang import households`) from a sheet (roster_sheet.c).
 *
 * ---- import households: the columns (one row per member) ----
 *   户编号        required; rows with the same 户编号 are one household
 *                 (synonyms 户号, 户编码, 家庭编号)
 *   村民小组      required; created on the fly when the village has no group of
 *                 that name (组别, 组, 小组, 村民组, 所在组, 所在村民小组)
 *   姓名          required (成员姓名)
 *   身份证号      required (身份证号码, 证件号码, 公民身份号码, 身份证件号码)
 *   与户主关系    required; a code_list relation label: 户主, 配偶, 子女,
 *                 儿媳或女婿, 孙子女, 父母, 祖父母, 兄弟姐妹, 其他 — and the
 *                 common wordings of the national system (本人, 妻, 之子, ...:
 *                 relation_aliases in roster_sheet.c) (户主关系, 与户主的关系)
 *   户状态        required; 新识别, 帮扶中, 已脱贫, 脱贫监测, 返贫
 *                 (贫困户状态, 脱贫状态)
 *   性别          optional; when given must agree with the ID number
 *   出生日期      optional; when given must agree with the ID number (出生年月日)
 *   健康状况      optional; 健康, 长期慢性病, 患有大病, 残疾
 *   残疾类别和等级 optional, free text such as 肢体三级 (残疾类别, 残疾情况)
 *   劳动能力      optional; 普通劳动力, 技能劳动力, 弱劳动力或半劳动力,
 *                 丧失劳动力, 无劳动力 (劳动技能)
 *   文化程度      optional; 文盲或半文盲, 学龄前儿童, 小学, 初中, 高中或中专,
 *                 大专及以上
 *   联系电话      optional; the member's phone, and the household's on the
 *                 户主's row (电话, 手机号, 手机号码, 联系方式)
 *   致贫原因      optional; 因病, 因残, 因学, 因灾, 缺土地, 缺水, 缺技术,
 *                 缺劳力, 缺资金, 交通条件落后, 自身发展动力不足 (主要致贫原因)
 *   人均纯收入（元） optional; 元 with at most two decimals (人均纯收入,
 *                 年人均纯收入, 家庭人均纯收入)
 *   识别年月      optional; a date, or a year and month (2014-10, 2014年10月,
 *                 201410: the 1st of the month) (识别日期, 识别时间)
 *   脱贫日期      optional, the same forms; required by the model for the
 *                 statuses 已脱贫 and 脱贫监测 (脱贫年月, 脱贫时间)
 *   地址          optional (住址, 家庭住址)
 * The household's own values (村民小组, 户状态, 致贫原因, 人均纯收入, 识别年月,
 * 脱贫日期, 地址) may be on every row of the household or on one of them; two
 * different non-empty values in one household are a bad row. Each household
 * needs exactly one 户主. A 户编号 already in the store, an ID number already in
 * the store or twice in the file, are bad rows.
 *
 * Validation goes through the model (model.h): every member, household and
 * villager group value through field_check and the table's check, and the rows
 * are then written with record_insert, which validates again and keeps the
 * audit log and history. One transaction: when any row is bad, every problem
 * is reported (roster_report.c) and nothing is written.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/compare.h"
#include "taizhang/idcard.h"
#include "taizhang/ids.h"
#include "taizhang/model.h"

#include "taizhang/vec.h"

#include "roster_internal.h"

/* ---- checking records through the model ---- */

/* Field i of r's table, by column. */
static int field_index(const struct table_def *def, const char *column)
{
	const struct field_def *f = model_field(def, column);
	return f ? (int)(f - def->fields) : -1;
}

/* record_validate, but every failing field is reported (not only the first),
 * each at the line lines[i] its value came from (lines NULL: at line), and
 * the field skip (a reference to a row this import writes later) is left out.
 * The table's check runs when every field passed. Returns how many problems. */
static size_t validate(struct store *s, struct record *r, const char *skip, size_t line,
		       const size_t *lines, struct bad_rows *probs)
{
	const struct table_def *def = r->def;
	size_t bad = 0;
	for (size_t i = 0; i < def->nfields; i++) {
		if (skip != NULL && strcmp(def->fields[i].column, skip) == 0)
			continue;
		char *normalized = NULL;
		struct tz_error err = { 0 };
		if (field_check(s, &def->fields[i], r->values[i], &normalized, &err) != TZ_OK) {
			roster_bad_row_add(probs, lines && lines[i] ? lines[i] : line, err.msg);
			bad++;
			continue;
		}
		free(r->values[i]);
		r->values[i] = normalized;
	}
	if (bad == 0 && def->check != NULL) {
		struct tz_error err = { 0 };
		if (def->check(s, r, &err) != TZ_OK) {
			roster_bad_row_add(probs, line, err.msg);
			bad++;
		}
	}
	return bad;
}

/* ---- import households ---- */

enum hcol {
	HC_NO, HC_GROUP, HC_NAME, HC_IDCARD, HC_RELATION, HC_STATUS, HC_SEX, HC_BIRTH,
	HC_HEALTH, HC_DISABILITY, HC_WORK, HC_SCHOOLING, HC_PHONE, HC_CAUSE, HC_INCOME,
	HC_IDENTIFIED, HC_EXITED, HC_ADDRESS, HC_COUNT
};

/* The field of the column: households' for HOUSEHOLD_LEVEL ones, else members'. */
static const struct column household_columns[HC_COUNT] = {
	[HC_NO] = { { "户编号", "户号", "户编码", "家庭编号" }, COL_REQUIRED | COL_FOLD, "household_no" },
	[HC_GROUP] = { { "村民小组", "组别", "组", "小组", "村民组", "所在组", "所在村民小组" },
		       COL_REQUIRED, NULL },
	[HC_NAME] = { { "姓名", "成员姓名" }, COL_REQUIRED, "name" },
	[HC_IDCARD] = { { "身份证号", "身份证号码", "证件号码", "公民身份号码", "身份证件号码" },
			COL_REQUIRED | COL_FOLD | COL_ID, "idcard" },
	[HC_RELATION] = { { "与户主关系", "户主关系", "与户主的关系" },
			  COL_REQUIRED | COL_RELATION, "relation" },
	[HC_STATUS] = { { "户状态", "贫困户状态", "脱贫状态" }, COL_REQUIRED, "status" },
	[HC_SEX] = { { "性别" }, 0, "sex" },
	[HC_BIRTH] = { { "出生日期", "出生年月日" }, COL_FOLD, "birth_date" },
	[HC_HEALTH] = { { "健康状况" }, 0, "health" },
	[HC_DISABILITY] = { { "残疾类别和等级", "残疾类别", "残疾情况" }, 0, "disability" },
	[HC_WORK] = { { "劳动能力", "劳动技能" }, 0, "work_ability" },
	[HC_SCHOOLING] = { { "文化程度" }, 0, "schooling" },
	[HC_PHONE] = { { "联系电话", "电话", "手机号", "手机号码", "联系方式" }, COL_FOLD, "phone" },
	[HC_CAUSE] = { { "致贫原因", "主要致贫原因" }, 0, "poverty_cause" },
	[HC_INCOME] = { { "人均纯收入（元）", "人均纯收入", "年人均纯收入", "家庭人均纯收入" },
			COL_FOLD, "income_cents" },
	[HC_IDENTIFIED] = { { "识别年月", "识别日期", "识别时间" }, COL_YEAR_MONTH, "identified_on" },
	[HC_EXITED] = { { "脱贫日期", "脱贫年月", "脱贫时间" }, COL_YEAR_MONTH, "exited_on" },
	[HC_ADDRESS] = { { "地址", "住址", "家庭住址" }, 0, "address" },
};

/* The columns whose values belong to the household, not to the member. */
static const enum hcol household_level[] = { HC_GROUP, HC_STATUS, HC_CAUSE, HC_INCOME,
					     HC_IDENTIFIED, HC_EXITED, HC_ADDRESS };
#define NHOUSEHOLD_LEVEL (sizeof household_level / sizeof household_level[0])

static const enum hcol member_level[] = { HC_NAME, HC_IDCARD, HC_RELATION, HC_SEX, HC_BIRTH,
					  HC_HEALTH, HC_DISABILITY, HC_WORK, HC_SCHOOLING,
					  HC_PHONE };
#define NMEMBER_LEVEL (sizeof member_level / sizeof member_level[0])

/* One household of the file: its rows (indices into the sheet, file order). */
struct hh {
	const char *no;
	size_t *rows;
	size_t nrows;
	size_t head;             /* row index of the 户主, or SIZE_MAX */
	/* The household's own values, and the line each came from. */
	const char *values[HC_COUNT];
	size_t lines[HC_COUNT];
	char id[IDS_NCHARS + 1]; /* once written */
};

struct hh_import {
	struct store *s;
	struct sheet sh;
	struct hh *hhs;
	size_t nhh, hhs_cap;
	struct bad_rows probs;
	const struct table_def *households, *members, *groups;
};

/* A row by its 户编号, for grouping. */
struct row_ref {
	const char *no;
	size_t row;
};

static int row_ref_cmp(const void *a, const void *b)
{
	const struct row_ref *x = a, *y = b;
	int c = strcmp(x->no, y->no);
	return c != 0 ? c : compare_numbers(x->row, y->row);
}

static int hh_first_row_cmp(const void *a, const void *b)
{
	const struct hh *x = a, *y = b;
	return compare_numbers(x->rows[0], y->rows[0]);
}

/* Group the sheet's rows into households by 户编号 (rows without one are
 * reported and left out). Rows keep file order within a household, and
 * households the order of their first row. */
static void group_households(struct hh_import *im)
{
	struct sheet *sh = &im->sh;
	struct row_ref *refs = xrealloc(NULL, (sh->nrows ? sh->nrows : 1) * sizeof *refs);
	size_t nrefs = 0;
	for (size_t i = 0; i < sh->nrows; i++) {
		const char *no = sh->rows[i].cells[HC_NO];
		if (no == NULL)
			roster_bad_row_add(&im->probs, sh->rows[i].line,
				    "请填写户编号（同一户的成员户编号相同）");
		else
			refs[nrefs++] = (struct row_ref){ no, i };
	}
	roster_sort(refs, nrefs, sizeof *refs, row_ref_cmp);
	for (size_t i = 0; i < nrefs;) {
		size_t end = i + 1;
		while (end < nrefs && strcmp(refs[end].no, refs[i].no) == 0)
			end++;
		struct hh *h = VEC_PUSH(im->hhs, im->nhh, im->hhs_cap);
		*h = (struct hh){ .no = refs[i].no, .head = SIZE_MAX, .nrows = end - i };
		h->rows = xrealloc(NULL, h->nrows * sizeof *h->rows);
		for (size_t j = i; j < end; j++)
			h->rows[j - i] = refs[j].row;
		i = end;
	}
	free(refs);
	if (im->nhh > 0)
		roster_sort(im->hhs, im->nhh, sizeof *im->hhs, hh_first_row_cmp);
}

/* The household's own values: the first non-empty one of each column, the
 * head's row first; a different non-empty value on another row is a problem. */
static void household_values(struct hh_import *im, struct hh *h)
{
	struct sheet *sh = &im->sh;
	for (size_t k = 0; k < NHOUSEHOLD_LEVEL; k++) {
		enum hcol c = household_level[k];
		size_t from = SIZE_MAX;
		if (h->head != SIZE_MAX && sh->rows[h->head].cells[c] != NULL)
			from = h->head;
		for (size_t j = 0; j < h->nrows && from == SIZE_MAX; j++)
			if (sh->rows[h->rows[j]].cells[c] != NULL)
				from = h->rows[j];
		if (from == SIZE_MAX)
			continue;
		h->values[c] = sh->rows[from].cells[c];
		h->lines[c] = sh->rows[from].line;
		for (size_t j = 0; j < h->nrows; j++) {
			const char *v = sh->rows[h->rows[j]].cells[c];
			if (v != NULL && strcmp(v, h->values[c]) != 0)
				roster_bad_row_addf(&im->probs, sh->rows[h->rows[j]].line,
					     "%s“%s”与同一户（户编号 %s）第 %zu 行的“%s”不一致；"
					     "同一户的%s应当相同",
					     household_columns[c].names[0], v, h->no, h->lines[c],
					     h->values[c], household_columns[c].names[0]);
		}
	}
}

/* Fill a households record from h's values (group_id left empty). */
static void household_record(struct hh_import *im, const struct hh *h, struct record *r,
			     size_t lines[MODEL_MAX_FIELDS])
{
	record_init(r, im->households);
	for (size_t k = 0; k < NHOUSEHOLD_LEVEL; k++) {
		enum hcol c = household_level[k];
		const char *field = household_columns[c].field;
		if (field == NULL || h->values[c] == NULL)
			continue;
		record_set(r, field, h->values[c], NULL);
		int i = field_index(im->households, field);
		if (lines != NULL && i >= 0)
			lines[i] = h->lines[c];
	}
	record_set(r, "household_no", h->no, NULL);
	int i = field_index(im->households, "household_no");
	if (lines != NULL && i >= 0)
		lines[i] = im->sh.rows[h->rows[0]].line;
	if (h->head != SIZE_MAX) {
		record_set(r, "phone", im->sh.rows[h->head].cells[HC_PHONE], NULL);
		i = field_index(im->households, "phone");
		if (lines != NULL && i >= 0)
			lines[i] = im->sh.rows[h->head].line;
	}
}

static void member_record(struct hh_import *im, const struct row *row, struct record *r)
{
	record_init(r, im->members);
	for (size_t k = 0; k < NMEMBER_LEVEL; k++) {
		enum hcol c = member_level[k];
		record_set(r, household_columns[c].field, row->cells[c], NULL);
	}
}

/* Whether a one-row query with text parameter a (and b, if not NULL) finds a
 * row; -1 on a store error (in err). */
static int exists(struct store *s, const char *sql, const char *a, const char *b,
		  struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		store_sqlite_error(s, rc, "核对", err);
		return -1;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_sqlite_error(s, rc, "核对", err);
	return -1;
}

/* Check everything; returns TZ_OK (problems may have been found) or a store
 * error. */
static int check_households(struct hh_import *im, struct tz_error *err)
{
	struct sheet *sh = &im->sh;
	struct store *s = im->s;
	const char *village = store_keyring(s)->division_code;
	group_households(im);

	/* Members, each on its own. */
	struct seen_id *ids = xrealloc(NULL, (sh->nrows ? sh->nrows : 1) * sizeof *ids);
	size_t nids = 0;
	for (size_t i = 0; i < sh->nrows; i++) {
		struct record m;
		member_record(im, &sh->rows[i], &m);
		validate(s, &m, "household_id", sh->rows[i].line, NULL, &im->probs);
		const char *id = record_get(&m, "idcard");
		if (id != NULL && strlen(id) == IDCARD_NCHARS) {
			roster_idcard_key(id, ids[nids].key, sizeof ids[nids].key);
			ids[nids].line = sh->rows[i].line;
			ids[nids].seq = nids;
			nids++;
		}
		record_free(&m);
	}
	roster_report_repeated_ids(ids, nids, &im->probs, "身份证号");
	free(ids);

	/* Households: one head, their own values, not already in the store. */
	for (size_t k = 0; k < im->nhh; k++) {
		struct hh *h = &im->hhs[k];
		for (size_t j = 0; j < h->nrows; j++) {
			const struct row *row = &sh->rows[h->rows[j]];
			const char *rel = row->cells[HC_RELATION];
			if (rel == NULL || (strcmp(rel, "户主") != 0 && strcmp(rel, "head") != 0))
				continue;
			if (h->head == SIZE_MAX)
				h->head = h->rows[j];
			else
				roster_bad_row_addf(&im->probs, row->line,
					     "户编号 %s 这一户已有户主（第 %zu 行），一户只能有一位户主",
					     h->no, sh->rows[h->head].line);
		}
		size_t first_line = sh->rows[h->rows[0]].line;
		if (h->head == SIZE_MAX)
			roster_bad_row_addf(&im->probs, first_line,
				     "户编号 %s 这一户（共 %zu 人）没有户主；请把其中一人的与户主关系"
				     "填为“户主”",
				     h->no, h->nrows);
		household_values(im, h);
		if (h->values[HC_GROUP] != NULL) {
			char *normalized = NULL;
			struct tz_error ferr = { 0 };
			if (field_check(s, model_field(im->groups, "name"), h->values[HC_GROUP],
					&normalized, &ferr) != TZ_OK)
				roster_bad_row_add(&im->probs, h->lines[HC_GROUP], ferr.msg);
			free(normalized);
		}
		int there = exists(s,
				   "SELECT 1 FROM households WHERE household_no = ?1 AND village_code = ?2",
				   h->no, village, err);
		if (there < 0)
			return err->code;
		if (there)
			roster_bad_row_addf(&im->probs, first_line,
				     "户编号 %s 在台账里已经有了；已登记的户请在台账中修改，不要重复导入",
				     h->no);
		struct record r;
		size_t lines[MODEL_MAX_FIELDS] = { 0 };
		household_record(im, h, &r, lines);
		if (h->values[HC_GROUP] == NULL)
			roster_bad_row_addf(&im->probs, h->head != SIZE_MAX ? sh->rows[h->head].line : first_line,
				     "请填写村民小组（户编号 %s）", h->no);
		validate(s, &r, "group_id", h->head != SIZE_MAX ? sh->rows[h->head].line : first_line,
			 lines, &im->probs);
		record_free(&r);
	}
	return TZ_OK;
}

/* The id of the village's group called name, creating it if needed. */
static int group_id(struct hh_import *im, const char *name, char id[IDS_NCHARS + 1],
		    size_t *created, struct tz_error *err)
{
	struct store *s = im->s;
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT id FROM villager_groups WHERE village_code = ?1 AND name = ?2",
				  &st, "查找村民小组", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, store_keyring(s)->division_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(id, IDS_NCHARS + 1, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return TZ_OK;
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "查找村民小组", err);
	struct record g;
	record_init(&g, im->groups);
	record_set(&g, "name", name, NULL);
	rc = record_insert(s, &g, err);
	if (rc == TZ_OK) {
		memcpy(id, g.id, IDS_NCHARS + 1);
		(*created)++;
	}
	record_free(&g);
	return rc;
}

/* Write every household and member (after check_households found nothing).
 * A refusal here (a rule the checks above do not foresee) becomes a problem of
 * its row; a store error is returned. */
static int write_households(struct hh_import *im, struct roster_report *rep,
			    struct tz_error *err)
{
	struct sheet *sh = &im->sh;
	for (size_t k = 0; k < im->nhh; k++) {
		struct hh *h = &im->hhs[k];
		size_t line = sh->rows[h->head].line;
		char gid[IDS_NCHARS + 1];
		int rc = group_id(im, h->values[HC_GROUP], gid, &rep->groups_created, err);
		if (rc != TZ_OK)
			return rc;
		struct record r;
		household_record(im, h, &r, NULL);
		record_set(&r, "group_id", gid, NULL);
		struct tz_error rerr = { 0 };
		rc = record_insert(im->s, &r, &rerr);
		memcpy(h->id, r.id, sizeof h->id);
		record_free(&r);
		if (rc != TZ_OK) {
			roster_bad_row_add(&im->probs, line, rerr.msg);
			return TZ_OK;
		}
		rep->households++;
		/* The head first, so that the household has one while the others
		 * are written. */
		for (size_t pass = 0; pass < 2; pass++)
			for (size_t j = 0; j < h->nrows; j++) {
				if ((h->rows[j] == h->head) != (pass == 0))
					continue;
				const struct row *row = &sh->rows[h->rows[j]];
				struct record m;
				member_record(im, row, &m);
				record_set(&m, "household_id", h->id, NULL);
				rc = record_insert(im->s, &m, &rerr);
				record_free(&m);
				if (rc != TZ_OK) {
					roster_bad_row_add(&im->probs, row->line, rerr.msg);
					return TZ_OK;
				}
				rep->members++;
			}
	}
	return TZ_OK;
}

static void hh_import_free(struct hh_import *im)
{
	for (size_t k = 0; k < im->nhh; k++)
		free(im->hhs[k].rows);
	free(im->hhs);
	roster_sheet_free(&im->sh);
	roster_bad_rows_free(&im->probs);
}

int roster_import_households(struct store *s, const char *file_name, const char *data,
			     size_t nbytes, struct roster_report *rep, struct tz_error *err)
{
	if (store_keyring(s)->kind != STORE_KIND_VILLAGE)
		return tz_error_set(err, TZ_EFAIL, "建档立卡户只能导入村级台账，这是镇级台账");
	struct hh_import im = {
		.s = s,
		.sh = { .cols = household_columns, .ncols = HC_COUNT },
		.households = model_table("households"),
		.members = model_table("members"),
		.groups = model_table("villager_groups"),
	};
	if (im.households == NULL || im.members == NULL || im.groups == NULL)
		return tz_error_set(err, TZ_EFAIL, "内部错误：缺少住户或成员的表定义");
	int rc = roster_read_sheet(data, nbytes, &im.sh, rep, &im.probs, err);
	if (rc == TZ_OK && im.sh.nrows == 0)
		rc = tz_error_set(err, TZ_EFAIL, "文件里只有表头，没有成员数据");
	if (rc == TZ_OK)
		rc = store_tx_begin(s, err);
	if (rc != TZ_OK) {
		hh_import_free(&im);
		return rc;
	}
	rc = check_households(&im, err);
	if (rc == TZ_OK && im.probs.n == 0)
		rc = write_households(&im, rep, err);
	if (rc == TZ_OK && im.probs.n == 0) {
		char *detail = xasprintf("文件 %s（%s）：%zu 户，%zu 人，新建村民小组 %zu 个",
				       file_name, rep->encoding, rep->households, rep->members,
				       rep->groups_created);
		rc = store_audit(s, "import.households", file_name, detail, err);
		free(detail);
		if (rc == TZ_OK)
			rc = store_tx_commit(s, err);
	} else {
		store_tx_rollback(s);
	}
	if (rc == TZ_OK && im.probs.n > 0) {
		roster_bad_rows_to_report(&im.probs, rep);
		rc = roster_refused(rep, err);
	}
	if (rc != TZ_OK)
		rep->households = rep->members = rep->groups_created = 0;
	hh_import_free(&im);
	return rc;
}
