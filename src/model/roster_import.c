/*
 * roster_import.c — rosters brought in as spreadsheets: the bulk load of
 * registered households (`taizhang import households`), the civil-affairs 低保
 * roster (`taizhang roster import dibao`), and their comparison (`taizhang
 * compare dibao`). See include/taizhang/roster.h.
 *
 * How a file is read, for both imports:
 *   1. textenc_to_utf8: UTF-8, UTF-8 with BOM or GB18030; UTF-16 refused.
 *   2. csv.h: comma- or tab-separated; line numbers from the reader.
 *   3. The header is the first record that names every required column; up to
 *      HEADER_SEARCH_RECORDS records above it (a title row such as
 *      "某某村建档立卡户花名册") are skipped. Header cells are compared after
 *      folding full-width characters ("（元）" = "(元)"), dropping spaces, a
 *      leading "*" and a trailing ":"; each column has synonyms (below). A
 *      column named twice refuses the file; cells naming no column are
 *      ignored and listed in the report.
 *   4. Every data row is checked; rows whose cells are all empty (Excel writes
 *      ",,,," for formatted but empty rows) are skipped. Cells are trimmed;
 *      ID numbers, phones, amounts, dates and numbers also have their
 *      full-width characters folded (textenc_fold_ascii).
 *   5. One transaction: when any row is bad, every problem is reported
 *      "第 N 行：..." in line order and the transaction is rolled back.
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
 *                 relation_aliases below) (户主关系, 与户主的关系)
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
 * ---- roster import dibao: the columns (one row per person) ----
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
 * ---- compare dibao ----
 * Matching is by ID number, of any person on either side, as roster_idcard_key
 * folds it. On the registered side only members 在户 (status present) count: a
 * daughter married out, now on 低保 with her husband's household, does not put
 * her parents' household on 低保.
 *
 * Validation goes through the model (model.h): every member, household and
 * villager group value through field_check and the table's check, and the rows
 * are then written with record_insert, which validates again and keeps the
 * audit log and history. The 低保 roster has no table_def (it is not entered by
 * hand); its values go through field_check with the field_defs below, and its
 * rows are written with one audit row per import.
 *
 * Deliberately not here: printing (the commands), and updating households that
 * already exist — the bulk load is for a new store; changes go through the
 * ledger's own screens and commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "taizhang/csv.h"
#include "taizhang/file.h"
#include "taizhang/ids.h"
#include "taizhang/idcard.h"
#include "taizhang/model.h"
#include "taizhang/roster.h"
#include "taizhang/textenc.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#define HEADER_SEARCH_RECORDS 10
#define MAX_NAMES 8
#define MAX_COLUMNS 20

/* qsort, except that an empty array may be NULL (qsort's may not). */
static void sort_items(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 0)
		qsort(base, n, size, cmp);
}

/* ---- problems: bad rows, sorted by line when done ---- */

struct problem {
	size_t line;
	size_t seq; /* order of finding, for a stable sort */
	char *msg;
};

struct problems {
	struct problem *items;
	size_t n, cap;
};

static void problem_add(struct problems *p, size_t line, const char *msg)
{
	size_t seq = p->n;
	*VEC_PUSH(p->items, p->n, p->cap) = (struct problem){ line, seq, xstrdup(msg) };
}

static void problem_addf(struct problems *p, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem_addf(struct problems *p, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	problem_add(p, line, msg);
	free(msg);
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Move the problems, sorted and prefixed with their line, into rep. */
static void problems_to_report(struct problems *p, struct roster_report *rep)
{
	sort_items(p->items, p->n, sizeof *p->items, problem_cmp);
	rep->problems = xrealloc(NULL, (p->n ? p->n : 1) * sizeof *rep->problems);
	rep->nproblems = 0;
	for (size_t i = 0; i < p->n; i++) {
		/* The same message twice for one line (a value checked both as the
		 * member's and as the household's) is said once. */
		if (i > 0 && p->items[i].line == p->items[i - 1].line &&
		    strcmp(p->items[i].msg, p->items[i - 1].msg) == 0)
			continue;
		rep->problems[rep->nproblems++] =
			xasprintf("第 %zu 行：%s", p->items[i].line, p->items[i].msg);
	}
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].msg);
	free(p->items);
	*p = (struct problems){ 0 };
}

static void problems_free(struct problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].msg);
	free(p->items);
	*p = (struct problems){ 0 };
}

void roster_report_free(struct roster_report *rep)
{
	for (size_t i = 0; i < rep->nproblems; i++)
		free(rep->problems[i]);
	free(rep->problems);
	free(rep->ignored_columns);
	*rep = (struct roster_report){ 0 };
}

/* ---- reading the file ---- */

int roster_read_file(const char *path, char **data, size_t *nbytes, struct tz_error *err)
{
	return file_read_all(path, CSV_MAX_FILE_NBYTES, data, nbytes, err);
}

/* ---- columns and the header ---- */

enum column_flags {
	COL_REQUIRED = 1 << 0,
	COL_FOLD = 1 << 1,       /* fold full-width characters (numbers, IDs, dates) */
	COL_YEAR_MONTH = 1 << 2, /* a year and month means the 1st of the month */
	COL_RELATION = 1 << 3,   /* map the wordings of relation_aliases */
};

struct column {
	const char *names[MAX_NAMES]; /* the first is the column's name in messages */
	unsigned flags;               /* enum column_flags */
	const char *field;            /* the model column it fills */
};

/* A table of rows, each cell indexed like the columns; NULL = empty. */
struct row {
	size_t line;
	char *cells[MAX_COLUMNS];
};

struct sheet {
	const struct column *cols;
	size_t ncols;
	struct row *rows;
	size_t nrows, rows_cap;
};

static void sheet_free(struct sheet *sh)
{
	for (size_t i = 0; i < sh->nrows; i++)
		for (size_t c = 0; c < sh->ncols; c++)
			free(sh->rows[i].cells[c]);
	free(sh->rows);
	sh->rows = NULL;
	sh->nrows = sh->rows_cap = 0;
}

/* A header cell or column name as compared: full-width folded, spaces removed,
 * a leading '*' and a trailing ':' dropped. Into out (cap bytes). */
static void header_key(const char *text, char *out, size_t cap)
{
	char *t = xstrdup(text);
	textenc_fold_ascii(t);
	size_t w = 0;
	const char *p = t;
	while (*p == '*')
		p++;
	for (; *p && w + 1 < cap; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			out[w++] = *p;
	while (w > 0 && out[w - 1] == ':')
		w--;
	out[w] = '\0';
	free(t);
}

/* The column a header cell names, or -1. */
static int column_of(const struct column *cols, size_t ncols, const char *cell)
{
	char key[256], name[256];
	header_key(cell, key, sizeof key);
	if (key[0] == '\0')
		return -1;
	for (size_t c = 0; c < ncols; c++)
		for (size_t k = 0; k < MAX_NAMES && cols[c].names[k]; k++) {
			header_key(cols[c].names[k], name, sizeof name);
			if (strcmp(key, name) == 0)
				return (int)c;
		}
	return -1;
}

/* How many of the required columns record names, and whether all. */
static size_t required_found(const struct column *cols, size_t ncols,
			     const struct csv_record *rec, int *all)
{
	int seen[MAX_COLUMNS] = { 0 };
	for (size_t i = 0; i < rec->nfields; i++) {
		int c = column_of(cols, ncols, rec->fields[i]);
		if (c >= 0)
			seen[c] = 1;
	}
	size_t n = 0;
	*all = 1;
	for (size_t c = 0; c < ncols; c++) {
		if (!(cols[c].flags & COL_REQUIRED))
			continue;
		if (seen[c])
			n++;
		else
			*all = 0;
	}
	return n;
}

/* Whether every cell of rec is empty or spaces. */
static int record_blank(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		char *t = xstrdup(rec->fields[i]);
		int empty = textenc_trim(t)[0] == '\0';
		free(t);
		if (!empty)
			return 0;
	}
	return 1;
}

/* "2014-10", "2014/10", "2014.10", "2014年10月", "201410" become "2014-10-01" in
 * place (text has room: the result is never longer than 10 bytes and these
 * forms are at least 6); anything else is left for the date check. */
static void year_month_to_date(char *text, size_t cap)
{
	int y = 0, m = 0, n = 0;
	size_t len = strlen(text);
	if (len == 6 && strspn(text, "0123456789") == 6) {
		y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
		m = (text[4] - '0') * 10 + (text[5] - '0');
	} else if ((sscanf(text, "%4d-%2d%n", &y, &m, &n) == 2 ||
		    sscanf(text, "%4d/%2d%n", &y, &m, &n) == 2 ||
		    sscanf(text, "%4d.%2d%n", &y, &m, &n) == 2) &&
		   (size_t)n == len) {
		/* matched */
	} else if (sscanf(text, "%4d年%2d月%n", &y, &m, &n) == 2 && (size_t)n == len) {
		/* matched */
	} else {
		return;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || cap < 11)
		return;
	snprintf(text, cap, "%04d-%02d-01", y, m);
}

/* The common wordings of relations to the head, as the code_list label. */
static const struct {
	const char *alias, *label;
} relation_aliases[] = {
	{ "本人", "户主" },       { "户主本人", "户主" },   { "妻", "配偶" },
	{ "妻子", "配偶" },       { "夫", "配偶" },         { "丈夫", "配偶" },
	{ "子", "子女" },         { "女", "子女" },         { "儿子", "子女" },
	{ "女儿", "子女" },       { "之子", "子女" },       { "之女", "子女" },
	{ "长子", "子女" },       { "次子", "子女" },       { "长女", "子女" },
	{ "次女", "子女" },       { "儿媳", "儿媳或女婿" }, { "女婿", "儿媳或女婿" },
	{ "之儿媳", "儿媳或女婿" }, { "之女婿", "儿媳或女婿" }, { "孙子", "孙子女" },
	{ "孙女", "孙子女" },     { "之孙子", "孙子女" },   { "之孙女", "孙子女" },
	{ "外孙子", "孙子女" },   { "外孙女", "孙子女" },   { "父亲", "父母" },
	{ "母亲", "父母" },       { "之父", "父母" },       { "之母", "父母" },
	{ "祖父", "祖父母" },     { "祖母", "祖父母" },     { "兄弟", "兄弟姐妹" },
	{ "姐妹", "兄弟姐妹" },   { "兄", "兄弟姐妹" },     { "弟", "兄弟姐妹" },
	{ "姐", "兄弟姐妹" },     { "妹", "兄弟姐妹" },
};

static char *relation_label(char *text)
{
	for (size_t i = 0; i < sizeof relation_aliases / sizeof relation_aliases[0]; i++)
		if (strcmp(text, relation_aliases[i].alias) == 0) {
			free(text);
			return xstrdup(relation_aliases[i].label);
		}
	return text;
}

/* The text of a cell as the column wants it (malloc'd), or NULL when empty. */
static char *cell_value(const struct column *col, const char *raw)
{
	size_t cap = strlen(raw) + 16;
	char *v = xrealloc(NULL, cap);
	memcpy(v, raw, strlen(raw) + 1);
	if (col->flags & (COL_FOLD | COL_YEAR_MONTH))
		textenc_fold_ascii(v);
	else
		textenc_trim(v);
	if (v[0] == '\0') {
		free(v);
		return NULL;
	}
	if (col->flags & COL_YEAR_MONTH)
		year_month_to_date(v, cap);
	if (col->flags & COL_RELATION)
		v = relation_label(v);
	return v;
}

/* Convert, parse and map data into sh (rows of cells by column). File-level
 * problems (encoding, CSV syntax, header) return TZ_EFAIL in err; bad rows the
 * sheet can already see (cells beyond the header) go to probs. */
static int read_sheet(const char *data, size_t nbytes, struct sheet *sh,
		      struct roster_report *rep, struct problems *probs, struct tz_error *err)
{
	char *text = NULL;
	size_t text_nbytes = 0;
	int rc = textenc_to_utf8(data, nbytes, &text, &text_nbytes, &rep->encoding, err);
	if (rc != TZ_OK)
		return rc;
	struct csv_reader r;
	struct csv_record rec;
	int more = 0;
	rc = csv_open(&r, text, text_nbytes, err);

	/* Find the header among the first records. */
	int map[CSV_MAX_FIELDS];
	size_t header_nfields = 0, header_line = 0;
	size_t best = 0, best_line = 0, seen = 0;
	char *best_missing = NULL;
	int found = 0;
	while (rc == TZ_OK && !found && seen < HEADER_SEARCH_RECORDS &&
	       (rc = csv_next(&r, &rec, &more, err)) == TZ_OK && more) {
		if (record_blank(&rec))
			continue;
		seen++;
		int all;
		size_t n = required_found(sh->cols, sh->ncols, &rec, &all);
		if (all) {
			found = 1;
			header_line = rec.line;
			header_nfields = rec.nfields;
			break;
		}
		if (n > best || best_missing == NULL) {
			/* Remember what the best candidate lacks, for the message. */
			int present[MAX_COLUMNS] = { 0 };
			for (size_t i = 0; i < rec.nfields; i++) {
				int c = column_of(sh->cols, sh->ncols, rec.fields[i]);
				if (c >= 0)
					present[c] = 1;
			}
			free(best_missing);
			best_missing = xstrdup("");
			for (size_t c = 0; c < sh->ncols; c++) {
				if (!(sh->cols[c].flags & COL_REQUIRED) || present[c])
					continue;
				char *joined = xasprintf("%s%s%s", best_missing,
						       best_missing[0] ? "、" : "", sh->cols[c].names[0]);
				free(best_missing);
				best_missing = joined;
			}
			best = n;
			best_line = rec.line;
		}
	}
	if (rc == TZ_OK && !found) {
		if (best_missing == NULL)
			rc = tz_error_set(err, TZ_EFAIL, "文件是空的，没有表头也没有数据");
		else
			rc = tz_error_set(err, TZ_EFAIL,
					  "找不到表头：表格缺少必需的列 %s（按第 %zu 行的表头看）；"
					  "请检查列名是否写对，或是否选错了文件",
					  best_missing, best_line);
	}
	free(best_missing);

	/* Map the header's cells to columns. */
	char *ignored = NULL;
	if (rc == TZ_OK) {
		size_t first_cell[MAX_COLUMNS] = { 0 };
		int have[MAX_COLUMNS] = { 0 };
		for (size_t i = 0; i < rec.nfields && rc == TZ_OK; i++) {
			int c = column_of(sh->cols, sh->ncols, rec.fields[i]);
			map[i] = c;
			if (c < 0) {
				char *cell = xstrdup(rec.fields[i]);
				if (textenc_trim(cell)[0] != '\0') {
					char *joined = xasprintf("%s%s%s", ignored ? ignored : "",
							       ignored ? "、" : "", cell);
					free(ignored);
					ignored = joined;
				}
				free(cell);
				continue;
			}
			if (have[c])
				rc = tz_error_set(err, TZ_EFAIL,
						  "第 %zu 行：表头第 %zu 列“%s”和第 %zu 列“%s”都是%s，"
						  "只能保留一列",
						  header_line, first_cell[c] + 1, rec.fields[first_cell[c]],
						  i + 1, rec.fields[i], sh->cols[c].names[0]);
			have[c] = 1;
			first_cell[c] = i;
		}
	}
	rep->ignored_columns = ignored;

	/* The rows. */
	while (rc == TZ_OK && (rc = csv_next(&r, &rec, &more, err)) == TZ_OK && more) {
		if (record_blank(&rec))
			continue;
		struct row row = { .line = rec.line };
		size_t extra = 0;
		for (size_t i = 0; i < rec.nfields; i++) {
			if (i >= header_nfields) {
				char *t = xstrdup(rec.fields[i]);
				extra += textenc_trim(t)[0] != '\0';
				free(t);
				continue;
			}
			if (map[i] < 0)
				continue;
			row.cells[map[i]] = cell_value(&sh->cols[map[i]], rec.fields[i]);
		}
		if (extra > 0)
			problem_addf(probs, rec.line,
				     "这一行比表头（第 %zu 行）多出 %zu 格内容；请检查是否有格子里的逗号"
				     "没有用引号括起来，或删去表头右边多余的内容",
				     header_line, extra);
		*VEC_PUSH(sh->rows, sh->nrows, sh->rows_cap) = row;
	}
	csv_close(&r);
	free(text);
	rep->rows = sh->nrows;
	return rc;
}

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
		       const size_t *lines, struct problems *probs)
{
	const struct table_def *def = r->def;
	size_t bad = 0;
	for (size_t i = 0; i < def->nfields; i++) {
		if (skip != NULL && strcmp(def->fields[i].column, skip) == 0)
			continue;
		char *normalized = NULL;
		struct tz_error err = { 0 };
		if (field_check(s, &def->fields[i], r->values[i], &normalized, &err) != TZ_OK) {
			problem_add(probs, lines && lines[i] ? lines[i] : line, err.msg);
			bad++;
			continue;
		}
		free(r->values[i]);
		r->values[i] = normalized;
	}
	if (bad == 0 && def->check != NULL) {
		struct tz_error err = { 0 };
		if (def->check(s, r, &err) != TZ_OK) {
			problem_add(probs, line, err.msg);
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
			COL_REQUIRED | COL_FOLD, "idcard" },
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
	struct problems probs;
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
	if (c != 0)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int hh_first_row_cmp(const void *a, const void *b)
{
	const struct hh *x = a, *y = b;
	return x->rows[0] < y->rows[0] ? -1 : x->rows[0] > y->rows[0];
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
			problem_add(&im->probs, sh->rows[i].line,
				    "请填写户编号（同一户的成员户编号相同）");
		else
			refs[nrefs++] = (struct row_ref){ no, i };
	}
	sort_items(refs, nrefs, sizeof *refs, row_ref_cmp);
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
		sort_items(im->hhs, im->nhh, sizeof *im->hhs, hh_first_row_cmp);
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
				problem_addf(&im->probs, sh->rows[h->rows[j]].line,
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

/* An ID number and the line it is on, to find the same number twice. */
struct seen_id {
	char key[IDCARD_NCHARS + 8];
	size_t line;
	size_t seq;
};

static int seen_id_cmp(const void *a, const void *b)
{
	const struct seen_id *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Report every ID number that appears more than once in ids (n of them), at
 * each later line, naming the first. */
static void report_repeated_ids(struct seen_id *ids, size_t n, struct problems *probs,
				const char *label)
{
	sort_items(ids, n, sizeof *ids, seen_id_cmp);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (first > 0 && strcmp(ids[first - 1].key, ids[i].key) == 0)
			first--;
		if (strcmp(ids[first].key, ids[i].key) == 0)
			problem_addf(probs, ids[i].line,
				     "%s %s 与第 %zu 行重复，同一个人只能登记一次", label, ids[i].key,
				     ids[first].line);
	}
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
	report_repeated_ids(ids, nids, &im->probs, "身份证号");
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
				problem_addf(&im->probs, row->line,
					     "户编号 %s 这一户已有户主（第 %zu 行），一户只能有一位户主",
					     h->no, sh->rows[h->head].line);
		}
		size_t first_line = sh->rows[h->rows[0]].line;
		if (h->head == SIZE_MAX)
			problem_addf(&im->probs, first_line,
				     "户编号 %s 这一户（共 %zu 人）没有户主；请把其中一人的与户主关系"
				     "填为“户主”",
				     h->no, h->nrows);
		household_values(im, h);
		if (h->values[HC_GROUP] != NULL) {
			char *normalized = NULL;
			struct tz_error ferr = { 0 };
			if (field_check(s, model_field(im->groups, "name"), h->values[HC_GROUP],
					&normalized, &ferr) != TZ_OK)
				problem_add(&im->probs, h->lines[HC_GROUP], ferr.msg);
			free(normalized);
		}
		int there = exists(s,
				   "SELECT 1 FROM households WHERE household_no = ?1 AND village_code = ?2",
				   h->no, village, err);
		if (there < 0)
			return err->code;
		if (there)
			problem_addf(&im->probs, first_line,
				     "户编号 %s 在台账里已经有了；已登记的户请在台账中修改，不要重复导入",
				     h->no);
		struct record r;
		size_t lines[MODEL_MAX_FIELDS] = { 0 };
		household_record(im, h, &r, lines);
		if (h->values[HC_GROUP] == NULL)
			problem_addf(&im->probs, h->head != SIZE_MAX ? sh->rows[h->head].line : first_line,
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
	int rc = sqlite3_prepare_v2(store_db(s),
				    "SELECT id FROM villager_groups WHERE village_code = ?1 AND name = ?2",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "查找村民小组", err);
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
			problem_add(&im->probs, line, rerr.msg);
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
					problem_add(&im->probs, row->line, rerr.msg);
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
	sheet_free(&im->sh);
	problems_free(&im->probs);
}

/* The message for a refused file, after the problems went to rep. */
static int refused(struct roster_report *rep, struct tz_error *err)
{
	return tz_error_set(err, TZ_EFAIL, "文件中发现 %zu 处错误，没有导入任何数据；请改正以下各行后重新导入",
			    rep->nproblems);
}

int roster_import_households(struct store *s, const char *file_name, const char *data,
			     size_t nbytes, struct roster_report *rep, struct tz_error *err)
{
	if (store_keyring(s)->kind != STORE_KIND_VILLAGE)
		return tz_error_set(err, TZ_EFAIL, "建档立卡户只能导入村级台账，这是镇级台账");
	struct hh_import im = {
		.s = s,
		.sh = { household_columns, HC_COUNT, NULL, 0, 0 },
		.households = model_table("households"),
		.members = model_table("members"),
		.groups = model_table("villager_groups"),
	};
	if (im.households == NULL || im.members == NULL || im.groups == NULL)
		return tz_error_set(err, TZ_EFAIL, "内部错误：缺少住户或成员的表定义");
	int rc = read_sheet(data, nbytes, &im.sh, rep, &im.probs, err);
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
		problems_to_report(&im.probs, rep);
		rc = refused(rep, err);
	}
	if (rc != TZ_OK)
		rep->households = rep->members = rep->groups_created = 0;
	hh_import_free(&im);
	return rc;
}

/* ---- import the 低保 roster ---- */

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
			struct problems *probs)
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
				problem_add(probs, d->line, ferr.msg);
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
			problem_addf(probs, d->line,
				     "这一行的身份证号就是户主身份证号，但姓名“%s”与户主姓名“%s”不同；"
				     "请核对",
				     d->v[DC_NAME], d->v[DC_HEAD_NAME]);
	}
	report_repeated_ids(ids, nids, probs, "身份证号");
	/* One head ID number, one head name. */
	sort_items(heads, nheads, sizeof *heads, seen_id_cmp);
	for (size_t i = 1; i < nheads; i++) {
		size_t first = i - 1;
		while (first > 0 && strcmp(heads[first - 1].key, heads[i].key) == 0)
			first--;
		if (strcmp(heads[first].key, heads[i].key) != 0)
			continue;
		const char *a = out[heads[first].seq].v[DC_HEAD_NAME];
		const char *b = out[heads[i].seq].v[DC_HEAD_NAME];
		if (strcmp(a, b) != 0)
			problem_addf(probs, heads[i].line,
				     "户主身份证号 %s 在第 %zu 行的户主姓名是“%s”，这里是“%s”；"
				     "同一户主的姓名应当相同",
				     heads[i].key, heads[first].line, a, b);
	}
	free(ids);
	free(heads);
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
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	st = NULL;
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
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	st = NULL;
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
		if (d->v[DC_SIZE] != NULL)
			sqlite3_bind_int64(st, 11, strtoll(d->v[DC_SIZE], NULL, 10));
		else
			sqlite3_bind_null(st, 11);
		if (d->v[DC_MONTHLY] != NULL)
			sqlite3_bind_int64(st, 12, strtoll(d->v[DC_MONTHLY], NULL, 10));
		else
			sqlite3_bind_null(st, 12);
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
	sort_items(heads, nrows, sizeof *heads, seen_id_cmp);
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
	struct problems probs = { 0 };
	struct dibao_row *rows = NULL;
	int rc = read_sheet(data, nbytes, &sh, rep, &probs, err);
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
		problems_to_report(&probs, rep);
		rc = refused(rep, err);
	}
	if (rc != TZ_OK)
		rep->households = rep->members = rep->replaced = 0;
	for (size_t i = 0; rows != NULL && i < sh.nrows; i++)
		for (size_t c = 0; c < DC_COUNT; c++)
			free(rows[i].v[c]);
	free(rows);
	sheet_free(&sh);
	problems_free(&probs);
	return rc;
}

/* ---- compare ---- */

void roster_idcard_key(const char *text, char *out, size_t cap)
{
	/* Printable ASCII without spaces (as an ID number is written almost
	 * always) has nothing to fold or trim: only x to upper case. */
	size_t n = 0;
	while (text[n] > ' ' && text[n] < 0x7f)
		n++;
	if (text[n] == '\0') {
		size_t w = 0;
		for (; w < n && w + 1 < cap; w++)
			out[w] = text[w] == 'x' ? 'X' : text[w];
		if (cap > 0)
			out[w] = '\0';
		return;
	}
	char *t = xstrdup(text);
	textenc_fold_ascii(t);
	size_t w = 0;
	for (const char *p = t; *p && w + 1 < cap; p++)
		out[w++] = *p == 'x' ? 'X' : *p;
	if (cap > 0)
		out[w] = '\0';
	free(t);
}

/* A person of either side: the key of their ID number, and their household. */
struct person {
	char key[IDS_NCHARS + 8]; /* an ID number's key; or a household id (load_registered) */
	size_t household;
	const char *name;   /* owned by the side's strings */
	const char *idcard;
};

static int person_cmp(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c != 0)
		return c;
	return x->household < y->household ? -1 : x->household > y->household;
}

static const struct person *find_person(const struct person *people, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(people[mid].key, key);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(people[lo].key, key) == 0 ? &people[lo] : NULL;
}

struct side {
	struct roster_household *households;
	size_t nhouseholds, households_cap;
	struct person *people;
	size_t npeople, people_cap;
	char **strings; /* every string the people point at */
	size_t nstrings, strings_cap;
};

static char *side_keep(struct side *sd, const char *text)
{
	return *VEC_PUSH(sd->strings, sd->nstrings, sd->strings_cap) = xstrdup(text);
}

static void side_add_person(struct side *sd, size_t household, const char *name,
			    const char *idcard)
{
	struct person *p = VEC_PUSH(sd->people, sd->npeople, sd->people_cap);
	roster_idcard_key(idcard, p->key, sizeof p->key);
	p->household = household;
	p->name = side_keep(sd, name);
	p->idcard = side_keep(sd, idcard);
}

static struct roster_household *side_add_household(struct side *sd)
{
	struct roster_household *h = VEC_PUSH(sd->households, sd->nhouseholds, sd->households_cap);
	*h = (struct roster_household){ 0 };
	return h;
}

static void household_free(struct roster_household *h)
{
	free(h->head_name);
	free(h->head_idcard);
	free(h->place);
	free(h->status);
	free(h->matched_name);
	free(h->matched_idcard);
}

static void side_free(struct side *sd)
{
	for (size_t i = 0; i < sd->nhouseholds; i++)
		household_free(&sd->households[i]);
	free(sd->households);
	free(sd->people);
	for (size_t i = 0; i < sd->nstrings; i++)
		free(sd->strings[i]);
	free(sd->strings);
	*sd = (struct side){ 0 };
}

static const char *col_text(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? t : "";
}

/* The registered side: households (of village, NULL: all) in order of group
 * and head, with their present members. */
static int load_registered(struct store *s, const char *village, struct side *sd,
			   struct tz_error *err)
{
	/* heads first (materialized, the outer loop): a village's households are
	 * found by one pass over households, not by looking each household of the
	 * store up in heads. */
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		store_db(s),
		"WITH heads AS MATERIALIZED ("
		"  SELECT h.id AS hid,"
		"   (SELECT m.id FROM members m WHERE m.household_id = h.id"
		"     ORDER BY m.relation = 'head' DESC, m.status = 'present' DESC, m.name, m.id"
		"     LIMIT 1) AS head_id"
		"  FROM households h WHERE ?1 IS NULL OR h.village_code = ?1)"
		" SELECT h.id, coalesce(g.name, ''), coalesce(c.label, h.status),"
		"  coalesce(hm.name, '（无成员）'), coalesce(hm.idcard, ''),"
		"  (SELECT count(*) FROM members m WHERE m.household_id = h.id"
		"    AND m.status = 'present')"
		" FROM heads CROSS JOIN households h ON h.id = heads.hid"
		" LEFT JOIN members hm ON hm.id = heads.head_id"
		" LEFT JOIN villager_groups g ON g.id = h.group_id"
		" LEFT JOIN code_list c ON c.list = 'household_status' AND c.code = h.status"
		" ORDER BY g.name, hm.name, h.id",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	/* Household ids, to attach the members below. */
	char **ids = NULL;
	size_t ids_cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct roster_household *h = side_add_household(sd);
		VEC_RESERVE(ids, ids_cap, sd->nhouseholds);
		ids[sd->nhouseholds - 1] = xstrdup(col_text(st, 0));
		h->place = xstrdup(col_text(st, 1));
		h->status = xstrdup(col_text(st, 2));
		h->head_name = xstrdup(col_text(st, 3));
		h->head_idcard = xstrdup(col_text(st, 4));
		h->nmembers = (size_t)sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	/* A village's members through its households (CROSS JOIN keeps that
	 * order of the loops: members are found by household). */
	if (rc == SQLITE_DONE)
		rc = sqlite3_prepare_v2(store_db(s),
					village == NULL
						? "SELECT household_id, name, idcard FROM members"
						  " WHERE status = 'present' ORDER BY household_id"
						: "SELECT m.household_id, m.name, m.idcard FROM households h"
						  " CROSS JOIN members m ON m.household_id = h.id"
						  " WHERE h.village_code = ?1 AND m.status = 'present'"
						  " ORDER BY m.household_id",
					-1, &st, NULL);
	if (rc == SQLITE_OK && village != NULL)
		sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		/* ids are in display order; find each member's household by a sorted
		 * index of them. */
		struct person *index = xrealloc(NULL, (sd->nhouseholds ? sd->nhouseholds : 1) *
							      sizeof *index);
		for (size_t i = 0; i < sd->nhouseholds; i++) {
			snprintf(index[i].key, sizeof index[i].key, "%s", ids[i]);
			index[i].household = i;
		}
		sort_items(index, sd->nhouseholds, sizeof *index, person_cmp);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const struct person *hh = find_person(index, sd->nhouseholds, col_text(st, 0));
			if (hh != NULL)
				side_add_person(sd, hh->household, col_text(st, 1), col_text(st, 2));
		}
		sqlite3_finalize(st);
		free(index);
	}
	for (size_t i = 0; i < sd->nhouseholds; i++)
		free(ids[i]);
	free(ids);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	sort_items(sd->people, sd->npeople, sizeof *sd->people, person_cmp);
	return TZ_OK;
}

/* The 低保 side: households by head ID number, in order of village and head. */
static int load_dibao(struct store *s, const char *import_id, struct side *sd,
		      struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		store_db(s),
		"SELECT head_idcard, head_name, coalesce(village, ''), name, idcard"
		" FROM dibao_roster WHERE import_id = ?1"
		" ORDER BY min(coalesce(village, '')) OVER (PARTITION BY head_idcard),"
		"  min(head_name) OVER (PARTITION BY head_idcard), head_idcard, line",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	sqlite3_bind_text(st, 1, import_id, -1, SQLITE_STATIC);
	char last[IDCARD_NCHARS + 8] = "";
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char key[IDCARD_NCHARS + 8];
		roster_idcard_key(col_text(st, 0), key, sizeof key);
		if (sd->nhouseholds == 0 || strcmp(key, last) != 0) {
			struct roster_household *h = side_add_household(sd);
			h->head_idcard = xstrdup(col_text(st, 0));
			h->head_name = xstrdup(col_text(st, 1));
			h->place = xstrdup(col_text(st, 2));
			snprintf(last, sizeof last, "%s", key);
		}
		sd->households[sd->nhouseholds - 1].nmembers++;
		side_add_person(sd, sd->nhouseholds - 1, col_text(st, 3), col_text(st, 4));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	/* The head counts as a person of the household even without a row. */
	for (size_t i = 0; i < sd->nhouseholds; i++)
		side_add_person(sd, i, sd->households[i].head_name, sd->households[i].head_idcard);
	sort_items(sd->people, sd->npeople, sizeof *sd->people, person_cmp);
	return TZ_OK;
}

static void list_add(struct roster_household_list *l, struct roster_household *h)
{
	if (l->n % 64 == 0)
		l->items = xrealloc(l->items, (l->n + 64) * sizeof *l->items);
	l->items[l->n++] = *h;
	*h = (struct roster_household){ 0 };
}

/* Sort each household of from into matched or only, by whether one of its
 * people is among other's. */
static void split(struct side *from, const struct side *other,
		  struct roster_household_list *matched, struct roster_household_list *only)
{
	const struct person **found = xrealloc(NULL, (from->nhouseholds ? from->nhouseholds : 1) *
							     sizeof *found);
	for (size_t i = 0; i < from->nhouseholds; i++)
		found[i] = NULL;
	/* people are sorted by key then household: the first match of a
	 * household in that order is its lowest ID number, which is stable. */
	for (size_t i = 0; i < from->npeople; i++) {
		const struct person *p = &from->people[i];
		if (p->key[0] == '\0' || found[p->household] != NULL)
			continue;
		if (find_person(other->people, other->npeople, p->key) != NULL)
			found[p->household] = p;
	}
	for (size_t i = 0; i < from->nhouseholds; i++) {
		struct roster_household *h = &from->households[i];
		if (found[i] != NULL) {
			h->matched_name = xstrdup(found[i]->name);
			h->matched_idcard = xstrdup(found[i]->idcard);
			list_add(matched, h);
		} else {
			list_add(only, h);
		}
	}
	free(found);
}

int roster_compare_dibao(struct store *s, struct roster_comparison *out, struct tz_error *err)
{
	return roster_compare_dibao_village(s, NULL, out, err);
}

/* The 低保 roster village imported last (NULL: the store's last) that has rows:
 * its id into import_id, and when and from which file (malloc'd). TZ_EFAIL when
 * there is none. */
static int last_dibao_import(struct store *s, const char *village,
			     char import_id[IDS_NCHARS + 1], char **imported_at, char **file_name,
			     struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s),
				    "SELECT r.id, r.imported_at, r.file_name FROM roster_imports r"
				    " WHERE r.kind = 'dibao' AND (?1 IS NULL OR r.owner = ?1)"
				    " AND EXISTS (SELECT 1 FROM dibao_roster d WHERE d.import_id = r.id)"
				    " ORDER BY r.imported_at DESC, r.rowid DESC LIMIT 1",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(import_id, IDS_NCHARS + 1, "%s", col_text(st, 0));
		*imported_at = xstrdup(col_text(st, 1));
		*file_name = xstrdup(col_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return tz_error_set(err, TZ_EFAIL,
				    "还没有导入低保名册：请先用 taizhang roster import dibao 文件.csv 导入"
				    "民政部门的低保名册");
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	return TZ_OK;
}

int roster_compare_dibao_village(struct store *s, const char *village,
				 struct roster_comparison *out, struct tz_error *err)
{
	*out = (struct roster_comparison){ 0 };
	char import_id[IDS_NCHARS + 1] = "";
	int status = last_dibao_import(s, village, import_id, &out->imported_at, &out->file_name,
				       err);
	if (status != TZ_OK) {
		roster_comparison_free(out);
		return status;
	}
	struct side reg = { 0 }, dib = { 0 };
	status = load_registered(s, village, &reg, err);
	if (status == TZ_OK)
		status = load_dibao(s, import_id, &dib, err);
	if (status == TZ_OK) {
		out->registered = reg.nhouseholds;
		out->dibao = dib.nhouseholds;
		split(&reg, &dib, &out->registered_matched, &out->registered_only);
		split(&dib, &reg, &out->dibao_matched, &out->dibao_only);
	}
	side_free(&reg);
	side_free(&dib);
	if (status != TZ_OK)
		roster_comparison_free(out);
	return status;
}

/* ---- compare dibao: the counts alone ---- */

/* The counts need no names, places or order: only which households have
 * people with which ID numbers (keys). A person here is a key and a household
 * number; a set of keys answers "is this number on the other side". */
struct keyed {
	char key[IDS_NCHARS + 8];
	size_t household;
};

struct key_side {
	struct keyed *people;
	size_t npeople, cap;
	size_t nhouseholds;
};

static void key_side_add(struct key_side *sd, const char *idcard, size_t household)
{
	struct keyed *p = VEC_PUSH(sd->people, sd->npeople, sd->cap);
	roster_idcard_key(idcard, p->key, sizeof p->key);
	p->household = household;
}

/* An open-addressing set of the keys of a side's people (pointers into them). */
struct key_set {
	const char **slots;
	size_t mask;
};

static uint64_t key_hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static void key_set_build(struct key_set *set, const struct key_side *sd)
{
	size_t n = 16;
	while (n < 2 * sd->npeople)
		n *= 2;
	set->slots = xrealloc(NULL, n * sizeof *set->slots);
	memset(set->slots, 0, n * sizeof *set->slots);
	set->mask = n - 1;
	for (size_t i = 0; i < sd->npeople; i++) {
		const char *key = sd->people[i].key;
		size_t at = (size_t)key_hash(key) & set->mask;
		while (set->slots[at] != NULL && strcmp(set->slots[at], key) != 0)
			at = (at + 1) & set->mask;
		set->slots[at] = key;
	}
}

static int key_set_has(const struct key_set *set, const char *key)
{
	size_t at = (size_t)key_hash(key) & set->mask;
	while (set->slots[at] != NULL) {
		if (strcmp(set->slots[at], key) == 0)
			return 1;
		at = (at + 1) & set->mask;
	}
	return 0;
}

/* How many households of from have no person (with a key) among other's: the
 * n of split's only list. */
static size_t count_only(const struct key_side *from, const struct key_set *other)
{
	unsigned char *found = xrealloc(NULL, from->nhouseholds ? from->nhouseholds : 1);
	memset(found, 0, from->nhouseholds ? from->nhouseholds : 1);
	size_t nfound = 0;
	for (size_t i = 0; i < from->npeople; i++) {
		const struct keyed *p = &from->people[i];
		if (p->key[0] == '\0' || found[p->household])
			continue;
		if (key_set_has(other, p->key)) {
			found[p->household] = 1;
			nfound++;
		}
	}
	free(found);
	return from->nhouseholds - nfound;
}

/* The registered side (load_registered's households and people): every
 * household of village (NULL: all), and the ID numbers of its present members. */
static int load_registered_keys(struct store *s, const char *village, struct key_side *sd,
				struct tz_error *err)
{
	/* Households through households_village (007), members through the
	 * covering members_household: no table row of a member is read. */
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		store_db(s),
		village == NULL
			? "SELECT h.rowid, m.idcard FROM households h LEFT JOIN members m"
			  " ON m.household_id = h.id AND m.status = 'present'"
			: "SELECT h.rowid, m.idcard FROM households h LEFT JOIN members m"
			  " ON m.household_id = h.id AND m.status = 'present'"
			  " WHERE h.village_code = ?1",
		-1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	if (village != NULL)
		sqlite3_bind_text(st, 1, village, -1, SQLITE_STATIC);
	sqlite3_int64 last = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		if (sd->nhouseholds == 0 || rowid != last) {
			sd->nhouseholds++;
			last = rowid;
		}
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) /* else no member present */
			key_side_add(sd, col_text(st, 1), sd->nhouseholds - 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取建档立卡户", err);
	return TZ_OK;
}

/* A row of the 低保 roster, and a 户主身份证号 with its rows (load_dibao's
 * order: by the smallest village of its rows, the smallest 户主姓名, then the
 * number itself). */
struct dibao_line {
	char *head, *head_name, *village, *idcard;
};

struct dibao_head {
	const char *head, *village, *head_name; /* the number; its rows' smallest village, name */
	size_t first, n;                        /* its rows, in rows sorted by head */
};

static int dibao_line_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dibao_line *)a)->head, ((const struct dibao_line *)b)->head);
}

static int dibao_head_cmp(const void *a, const void *b)
{
	const struct dibao_head *x = a, *y = b;
	int c = strcmp(x->village, y->village);
	if (c == 0)
		c = strcmp(x->head_name, y->head_name);
	return c != 0 ? c : strcmp(x->head, y->head);
}

/* The 低保 side as load_dibao groups it into households: in its order, a
 * household is a run of rows whose 户主身份证号 have one key; its people are
 * its rows and its head. */
static int load_dibao_keys(struct store *s, const char *import_id, struct key_side *sd,
			   struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s),
				    "SELECT head_idcard, head_name, coalesce(village, ''), idcard"
				    " FROM dibao_roster WHERE import_id = ?1",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	sqlite3_bind_text(st, 1, import_id, -1, SQLITE_STATIC);
	struct dibao_line *rows = NULL;
	size_t nrows = 0, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*VEC_PUSH(rows, nrows, cap) = (struct dibao_line){ xstrdup(col_text(st, 0)), xstrdup(col_text(st, 1)),
						    xstrdup(col_text(st, 2)), xstrdup(col_text(st, 3)) };
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		/* The numbers, each with the smallest village and name of its rows
		 * (min() OVER (PARTITION BY head_idcard) in load_dibao). */
		if (nrows > 0)
			sort_items(rows, nrows, sizeof *rows, dibao_line_cmp);
		struct dibao_head *groups = xrealloc(NULL, (nrows ? nrows : 1) * sizeof *groups);
		size_t ngroups = 0;
		for (size_t i = 0; i < nrows; i++) {
			if (ngroups == 0 || strcmp(groups[ngroups - 1].head, rows[i].head) != 0)
				groups[ngroups++] = (struct dibao_head){ rows[i].head, rows[i].village,
									 rows[i].head_name, i, 0 };
			struct dibao_head *g = &groups[ngroups - 1];
			g->n++;
			if (strcmp(rows[i].village, g->village) < 0)
				g->village = rows[i].village;
			if (strcmp(rows[i].head_name, g->head_name) < 0)
				g->head_name = rows[i].head_name;
		}
		if (ngroups > 0)
			sort_items(groups, ngroups, sizeof *groups, dibao_head_cmp);
		char last[IDS_NCHARS + 8] = "", key[IDS_NCHARS + 8];
		for (size_t i = 0; i < ngroups; i++) {
			roster_idcard_key(groups[i].head, key, sizeof key);
			if (i == 0 || strcmp(key, last) != 0) {
				/* A new household; its head counts as one of its people. */
				sd->nhouseholds++;
				key_side_add(sd, groups[i].head, sd->nhouseholds - 1);
				snprintf(last, sizeof last, "%s", key);
			}
			for (size_t k = 0; k < groups[i].n; k++)
				key_side_add(sd, rows[groups[i].first + k].idcard, sd->nhouseholds - 1);
		}
		free(groups);
	}
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].head);
		free(rows[i].head_name);
		free(rows[i].village);
		free(rows[i].idcard);
	}
	free(rows);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取低保名册", err);
	return TZ_OK;
}

int roster_compare_dibao_counts(struct store *s, const char *village,
				struct roster_comparison_counts *out, struct tz_error *err)
{
	*out = (struct roster_comparison_counts){ 0 };
	char import_id[IDS_NCHARS + 1] = "";
	int status = last_dibao_import(s, village, import_id, &out->imported_at, &out->file_name,
				       err);
	struct key_side reg = { 0 }, dib = { 0 };
	if (status == TZ_OK)
		status = load_registered_keys(s, village, &reg, err);
	if (status == TZ_OK)
		status = load_dibao_keys(s, import_id, &dib, err);
	if (status == TZ_OK) {
		struct key_set reg_keys, dib_keys;
		key_set_build(&reg_keys, &reg);
		key_set_build(&dib_keys, &dib);
		out->registered = reg.nhouseholds;
		out->dibao = dib.nhouseholds;
		out->registered_only = count_only(&reg, &dib_keys);
		out->dibao_only = count_only(&dib, &reg_keys);
		free(reg_keys.slots);
		free(dib_keys.slots);
	}
	free(reg.people);
	free(dib.people);
	if (status != TZ_OK)
		roster_comparison_counts_free(out);
	return status;
}

void roster_comparison_counts_free(struct roster_comparison_counts *c)
{
	free(c->imported_at);
	free(c->file_name);
	*c = (struct roster_comparison_counts){ 0 };
}

static void list_free(struct roster_household_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		household_free(&l->items[i]);
	free(l->items);
	*l = (struct roster_household_list){ 0 };
}

void roster_comparison_free(struct roster_comparison *c)
{
	free(c->imported_at);
	free(c->file_name);
	list_free(&c->registered_matched);
	list_free(&c->dibao_matched);
	list_free(&c->registered_only);
	list_free(&c->dibao_only);
	*c = (struct roster_comparison){ 0 };
}
