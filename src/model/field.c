/*
 * field.c — checking one value of one field, and putting it in its stored form.
 *
 * This is the single rule set behind every entry point (TUI forms, commands, CSV
 * imports): what an officer may type for each type of field, what is stored, and
 * the message when it is refused. Messages name the field by its Chinese label
 * and say how to fix the value. Values are taken as typed: full-width digits,
 * "1,234.5" 元, "2019年5月1日", "是"/"否", a code list's Chinese label.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/date.h"
#include "taizhang/decimal.h"
#include "taizhang/idcard.h"
#include "taizhang/model.h"
#include "taizhang/money.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"

#define DEFAULT_TEXT_MAX_NCHARS 200
#define DEFAULT_NOTE_MAX_NCHARS 2000
#define DEFAULT_MONEY_MAX_CENTS 100000000000LL /* 10 亿元 */

static int set_normalized(char **out, const char *text)
{
	*out = xstrdup(text);
	return TZ_OK;
}

static int is_blank(const char *text)
{
	if (text == NULL)
		return 1;
	for (; *text; text++)
		if (*text != ' ' && *text != '\t' && *text != '\r' && *text != '\n')
			return 0;
	return 1;
}

/* The text rule (util/text_hygiene.h) for field f: one line unless
 * multiline, tabs only in several lines, at most the field's characters. */
static int text_rule(const struct field_def *f, const char *text, size_t nbytes, int multiline,
		     struct tz_error *err)
{
	size_t max = f->max > 0 ? (size_t)f->max
				: multiline ? DEFAULT_NOTE_MAX_NCHARS : DEFAULT_TEXT_MAX_NCHARS;
	size_t at;
	enum text_fault fault = text_hygiene_check(
		text, nbytes, multiline ? TEXT_ALLOW_NEWLINE | TEXT_ALLOW_TAB : 0, max, &at);
	switch (fault) {
	case TEXT_OK:
		return TZ_OK;
	case TEXT_NEWLINE:
		return tz_error_set(err, TZ_EFAIL, "%s只能写一行，请去掉换行", f->label);
	case TEXT_TOO_LONG:
		return tz_error_set(err, TZ_EFAIL, "%s最多 %zu 个字，现在有 %zu 个，请删减", f->label,
				    max, at);
	case TEXT_CONTROL:
		return tz_error_set(err, TZ_EFAIL, "%s含有控制字符（第 %zu 个字后），请重新输入",
				    f->label, at);
	default:
		return tz_error_set(err, TZ_EFAIL, "%s%s（第 %zu 个字后），请重新输入", f->label,
				    text_fault_label(fault), at);
	}
}

static int check_text(const struct field_def *f, const char *text, int multiline,
		      char **out, struct tz_error *err)
{
	size_t n = strlen(text);
	if (!utf8_valid(text, n))
		return tz_error_set(err, TZ_EFAIL, "%s含有无法识别的字符（不是有效的 UTF-8 文字），请重新输入",
				    f->label);
	/* Trim surrounding white space. */
	const char *start = text;
	while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n')
		start++;
	size_t len = strlen(start);
	while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t' ||
			   start[len - 1] == '\r' || start[len - 1] == '\n'))
		len--;
	char *trimmed = xstrndup(start, len);
	int rc = text_rule(f, trimmed, len, multiline, err);
	if (rc != TZ_OK) {
		free(trimmed);
		return rc;
	}
	*out = trimmed;
	return TZ_OK;
}

static int check_int(const struct field_def *f, const char *folded, char **out,
		     struct tz_error *err)
{
	long long v;
	long long min = f->min, max = f->max;
	if (min == 0 && max == 0)
		max = LLONG_MAX;
	if (!decimal_parse(folded, DECIMAL_PLUS, &v))
		return tz_error_set(err, TZ_EFAIL, "%s应为整数，“%s”不是", f->label, folded);
	if (v < min || v > max)
		return max == LLONG_MAX
			       ? tz_error_set(err, TZ_EFAIL, "%s不能小于 %lld", f->label, min)
			       : tz_error_set(err, TZ_EFAIL, "%s应在 %lld 到 %lld 之间，现在是 %lld",
					      f->label, min, max, v);
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	return set_normalized(out, buf);
}

static int check_money(const struct field_def *f, const char *folded, char **out,
		       struct tz_error *err)
{
	long long cents;
	switch (money_parse(folded, MONEY_LOOSE, &cents)) {
	case MONEY_OK:
		break;
	case MONEY_ENEGATIVE:
		return tz_error_set(err, TZ_EFAIL, "%s不能为负数", f->label);
	case MONEY_EDECIMALS:
		return tz_error_set(err, TZ_EFAIL, "%s最多两位小数（到分），“%s”多了", f->label, folded);
	default:
		return tz_error_set(err, TZ_EFAIL, "%s应为金额（元），如 1234.50，“%s”不是", f->label, folded);
	}
	long long min = f->min, max = f->max > 0 ? f->max : DEFAULT_MONEY_MAX_CENTS;
	char limit[MONEY_TEXT_NBYTES];
	if (cents < min)
		return tz_error_set(err, TZ_EFAIL, "%s不能小于 %s 元", f->label, money_format(min, 0, limit));
	if (cents > max)
		return tz_error_set(err, TZ_EFAIL, "%s不能大于 %s 元，请核对", f->label,
				    money_format(max, 0, limit));
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", cents);
	return set_normalized(out, buf);
}

static int check_date(const struct field_def *f, const char *folded, char **out,
		      struct tz_error *err)
{
	int32_t day;
	if (!date_parse_loose(folded, &day))
		return tz_error_set(err, TZ_EFAIL,
				    "%s“%s”不是有效日期，请按 2019-05-01 的格式填写真实的日期", f->label,
				    folded);
	char text[DATE_NCHARS + 1];
	date_format(day, text);
	if (date_year(day) < 1900)
		return tz_error_set(err, TZ_EFAIL, "%s %s 太早了，请核对", f->label, text);
	if ((f->flags & FIELD_NOT_FUTURE) && day > date_today()) {
		char today[DATE_NCHARS + 1];
		date_today_text(today);
		return tz_error_set(err, TZ_EFAIL, "%s %s 不能晚于今天（%s）", f->label, text, today);
	}
	return set_normalized(out, text);
}

/* The code of code_list whose code or label is text into code: 1; 0 when
 * none; -1 on an error (err set). */
static int lookup_code(struct store *s, const char *list, const char *text, char *code,
		       size_t cap, struct tz_error *err)
{
	const char *params[] = { list, text };
	sqlite3_stmt *row;
	if (store_query_one(s,
			    "SELECT code FROM code_list WHERE list = ?1 AND (code = ?2 OR label = ?2)"
			    " ORDER BY code = ?2 DESC LIMIT 1",
			    params, 2, &row, "读取代码表", err) != TZ_OK)
		return -1;
	if (row == NULL)
		return 0;
	snprintf(code, cap, "%s", (const char *)sqlite3_column_text(row, 0));
	sqlite3_finalize(row);
	return 1;
}

/* "A、B、C" — the labels of code_list, for a message. */
static void list_labels(struct store *s, const char *list, char *buf, size_t cap)
{
	buf[0] = '\0';
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), "SELECT label FROM code_list WHERE list = ?1 ORDER BY sort",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
	size_t used = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *label = (const char *)sqlite3_column_text(st, 0);
		int n = snprintf(buf + used, cap - used, "%s%s", used ? "、" : "", label);
		if (n < 0 || (size_t)n >= cap - used) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
	sqlite3_finalize(st);
}

static int check_enum(struct store *s, const struct field_def *f, const char *text,
		      char **out, struct tz_error *err)
{
	char code[64];
	int found = lookup_code(s, f->code_list, text, code, sizeof code, err);
	if (found < 0)
		return err ? err->code : TZ_EFAIL;
	if (found == 0) {
		char labels[512];
		list_labels(s, f->code_list, labels, sizeof labels);
		return tz_error_set(err, TZ_EFAIL, "%s不能是“%s”，只能是：%s", f->label, text, labels);
	}
	return set_normalized(out, code);
}

static int check_codes(struct store *s, const struct field_def *f, const char *text,
		       char **out, struct tz_error *err)
{
	char *copy = xstrdup(text);
	char joined[512] = "";
	size_t used = 0;
	int rc = TZ_OK;
	/* Separators: , ， 、 ; ； and spaces. */
	static const char *const seps[] = { "，", "、", "；" };
	for (size_t i = 0; copy && i < sizeof seps / sizeof seps[0]; i++) {
		char *p;
		size_t n = strlen(seps[i]);
		while ((p = strstr(copy, seps[i])) != NULL) {
			*p = ',';
			memmove(p + 1, p + n, strlen(p + n) + 1);
		}
	}
	char *save = NULL;
	for (char *tok = copy ? strtok_r(copy, ",; ", &save) : NULL; tok && rc == TZ_OK;
	     tok = strtok_r(NULL, ",; ", &save)) {
		char *code = NULL;
		rc = check_enum(s, f, tok, &code, err);
		if (rc == TZ_OK) {
			char probe[80];
			snprintf(probe, sizeof probe, ",%s,", code);
			char within[520];
			snprintf(within, sizeof within, ",%s,", joined);
			if (strstr(within, probe) == NULL) {
				int n = snprintf(joined + used, sizeof joined - used, "%s%s", used ? "," : "", code);
				if (n < 0 || (size_t)n >= sizeof joined - used)
					rc = tz_error_set(err, TZ_EFAIL, "%s选得太多了", f->label);
				else
					used += (size_t)n;
			}
		}
		free(code);
	}
	free(copy);
	if (rc != TZ_OK)
		return rc;
	return used ? set_normalized(out, joined) : (*out = NULL, TZ_OK);
}

static int check_phone(const struct field_def *f, const char *folded, char **out,
		       struct tz_error *err)
{
	char digits[32];
	size_t nd = 0;
	int dash_at = -1;
	for (const char *p = folded; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (nd + 1 >= sizeof digits)
				goto bad;
			digits[nd++] = *p;
		} else if (*p == '-' && dash_at < 0 && nd > 0) {
			dash_at = (int)nd;
		} else if (*p != ' ') {
			goto bad;
		}
	}
	digits[nd] = '\0';
	if (nd == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9')
		return set_normalized(out, digits);
	/* Landline: 0 + area code (2-3 more digits) + 7-8 digits. */
	if (digits[0] == '0' && nd >= 10 && nd <= 12) {
		int area = dash_at > 0 ? dash_at : (digits[1] == '1' || digits[1] == '2') ? 3 : 4;
		int local = (int)nd - area;
		if (area >= 3 && area <= 4 && local >= 7 && local <= 8) {
			char buf[40];
			snprintf(buf, sizeof buf, "%.*s-%s", area, digits, digits + area);
			return set_normalized(out, buf);
		}
	}
bad:
	return tz_error_set(err, TZ_EFAIL,
			    "%s“%s”不对：应为 11 位手机号（如 13812345678）或带区号的座机号（如 0564-1234567）",
			    f->label, folded);
}

static int check_bool(const struct field_def *f, const char *folded, char **out,
		      struct tz_error *err)
{
	static const char *const yes[] = { "是", "1", "y", "Y", "yes", "Yes", "YES", "true", "有", "√" };
	static const char *const no[] = { "否", "0", "n", "N", "no", "No", "NO", "false", "无", "×" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcmp(folded, yes[i]) == 0)
			return set_normalized(out, "1");
		if (strcmp(folded, no[i]) == 0)
			return set_normalized(out, "0");
	}
	return tz_error_set(err, TZ_EFAIL, "%s只能填“是”或“否”，不能是“%s”", f->label, folded);
}

static int check_ref(struct store *s, const struct field_def *f, const char *folded,
		     char **out, struct tz_error *err)
{
	if (!ids_valid(folded))
		return tz_error_set(err, TZ_EFAIL, "%s不对：请从列表中选择", f->label);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\" WHERE id = ?1", f->ref_table);
	const char *params[] = { folded };
	long long found;
	int rc = store_query_ints(s, sql, params, 1, &found, 1, "核对关联记录", err);
	if (rc != TZ_OK)
		return rc;
	if (found == 0)
		return tz_error_set(err, TZ_EFAIL, "%s指向的记录不存在（可能已被删除），请重新选择", f->label);
	return set_normalized(out, folded);
}

int field_check(struct store *s, const struct field_def *f, const char *text,
		char **normalized, struct tz_error *err)
{
	*normalized = NULL;
	if (is_blank(text)) {
		if (f->flags & FIELD_REQUIRED)
			return tz_error_set(err, TZ_EFAIL, "请填写%s", f->label);
		return TZ_OK;
	}
	if (f->type == FIELD_TEXT || f->type == FIELD_NOTE)
		return check_text(f, text, f->type == FIELD_NOTE, normalized, err);
	if (!utf8_valid(text, strlen(text)))
		return tz_error_set(err, TZ_EFAIL, "%s含有无法识别的字符，请重新输入", f->label);
	char *folded = utf8_fold_fullwidth(text);
	int rc;
	switch (f->type) {
	case FIELD_INT:
		rc = check_int(f, folded, normalized, err);
		break;
	case FIELD_MONEY:
		rc = check_money(f, folded, normalized, err);
		break;
	case FIELD_DATE:
		rc = check_date(f, folded, normalized, err);
		break;
	case FIELD_ENUM:
	case FIELD_CODES:
		/* A label may hold full-width characters itself (“A 级（安全）”):
		 * as typed first, then folded ("ｐｏｏｒ", a label typed with
		 * half-width brackets is not one). */
		rc = (f->type == FIELD_ENUM ? check_enum : check_codes)(s, f, text, normalized, err);
		if (rc == TZ_EFAIL && strcmp(text, folded) != 0)
			rc = (f->type == FIELD_ENUM ? check_enum : check_codes)(s, f, folded, normalized, err);
		break;
	case FIELD_IDCARD: {
		struct idcard_info info;
		char today[DATE_NCHARS + 1];
		date_today_text(today);
		rc = idcard_check(folded, today, &info, err);
		if (rc == TZ_OK)
			rc = set_normalized(normalized, info.normalized);
		break;
	}
	case FIELD_PHONE:
		rc = check_phone(f, folded, normalized, err);
		break;
	case FIELD_BOOL:
		rc = check_bool(f, folded, normalized, err);
		break;
	case FIELD_REF:
		rc = check_ref(s, f, folded, normalized, err);
		break;
	default:
		rc = tz_error_set(err, TZ_EFAIL, "内部错误：%s的类型未知", f->label);
		break;
	}
	free(folded);
	if (rc != TZ_OK) {
		free(*normalized);
		*normalized = NULL;
	}
	return rc;
}

/* ---- values as a store holds them (a peer's bundle) ---- */

static int stored_integer(const struct field_def *f, sqlite3_value *v, struct tz_error *err)
{
	if (sqlite3_value_type(v) != SQLITE_INTEGER)
		return tz_error_set(err, TZ_EFAIL, "%s应为整数", f->label);
	long long x = sqlite3_value_int64(v);
	long long min = f->min, max = f->max;
	if (f->type == FIELD_BOOL)
		min = 0, max = 1;
	else if (f->type == FIELD_MONEY && max <= 0)
		max = DEFAULT_MONEY_MAX_CENTS;
	else if (min == 0 && max == 0)
		max = LLONG_MAX;
	if (x < min || x > max)
		return tz_error_set(err, TZ_EFAIL, "%s应在 %lld 到 %lld 之间，现在是 %lld", f->label, min,
				    max, x);
	return TZ_OK;
}

/* Whether text is a stored ENUM (one code) or CODES (codes joined by commas,
 * none twice) value of f, by codes; 0 also when codes cannot tell. */
static int codes_known(const struct field_codes *codes, const struct field_def *f, const char *text)
{
	if (f->type == FIELD_ENUM)
		return codes->known(codes->ctx, f->code_list, text) == 1;
	char copy[512];
	if (snprintf(copy, sizeof copy, "%s", text) >= (int)sizeof copy || copy[0] == '\0')
		return 0;
	char *save = NULL;
	size_t n = 0;
	const char *seen[64];
	for (char *tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == sizeof seen / sizeof seen[0] || codes->known(codes->ctx, f->code_list, tok) != 1)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(seen[i], tok) == 0)
				return 0;
		seen[n++] = tok;
	}
	/* no empty code between commas, none at either end */
	return strstr(text, ",,") == NULL && text[0] != ',' && text[strlen(text) - 1] != ',';
}

/* Whether nbytes of bytes are a record id as ids_valid takes it: 32 hex
 * digits, lower case. */
static int ids_valid_bytes(const char *bytes, size_t nbytes)
{
	if (nbytes != IDS_NCHARS)
		return 0;
	for (size_t i = 0; i < nbytes; i++)
		if (!((bytes[i] >= '0' && bytes[i] <= '9') || (bytes[i] >= 'a' && bytes[i] <= 'f')))
			return 0;
	return 1;
}

/* The bytes of text value v, *nbytes of them, not NUL-terminated (asking
 * SQLite for its text would copy a changeset's value to add the NUL); NULL
 * when there are none to read or one of them is a NUL. */
static const char *stored_bytes(sqlite3_value *v, size_t *nbytes)
{
	const char *bytes = sqlite3_value_blob(v);
	*nbytes = (size_t)sqlite3_value_bytes(v);
	if (*nbytes == 0)
		return "";
	return bytes != NULL && memchr(bytes, '\0', *nbytes) == NULL ? bytes : NULL;
}

int field_check_stored(struct store *s, const struct field_def *f, sqlite3_value *v,
		       const struct field_codes *codes, struct tz_error *err)
{
	int type = v ? sqlite3_value_type(v) : SQLITE_NULL;
	if (type == SQLITE_NULL) {
		if (f->flags & FIELD_REQUIRED)
			return tz_error_set(err, TZ_EFAIL, "缺少%s", f->label);
		return TZ_OK;
	}
	if (f->type == FIELD_INT || f->type == FIELD_MONEY || f->type == FIELD_BOOL)
		return stored_integer(f, v, err);
	if (type != SQLITE_TEXT)
		return tz_error_set(err, TZ_EFAIL, "%s应为文字", f->label);
	size_t nbytes;
	const char *bytes = stored_bytes(v, &nbytes);
	if (bytes == NULL)
		return tz_error_set(err, TZ_EFAIL, "%s含有无法识别的字符", f->label);
	if (f->type == FIELD_TEXT || f->type == FIELD_NOTE)
		return text_rule(f, bytes, nbytes, f->type == FIELD_NOTE, err);
	if (f->type == FIELD_REF && ids_valid_bytes(bytes, nbytes))
		return TZ_OK; /* else the message below */
	const char *text = (const char *)sqlite3_value_text(v); /* the same bytes, NUL-terminated */
	if (text == NULL)
		return tz_error_set(err, TZ_EFAIL, "%s含有无法识别的字符", f->label);
	/* every other type has one stored form: checking the text as typed must
	 * give it back unchanged (a real date as YYYY-MM-DD, an ID number with its
	 * check digit, a code of the list ...) */
	size_t at;
	if (text_hygiene_check(text, nbytes, 0, 64, &at) != TEXT_OK)
		return tz_error_set(err, TZ_EFAIL, "%s不是合规的值", f->label);
	if (f->type == FIELD_REF)
		return ids_valid(text) ? TZ_OK
				       : tz_error_set(err, TZ_EFAIL, "%s不是有效的记录编号", f->label);
	if ((f->type == FIELD_ENUM || f->type == FIELD_CODES) && codes != NULL &&
	    codes_known(codes, f, text))
		return TZ_OK; /* else the store's answer, and its message, below */
	struct field_def relaxed = *f;
	relaxed.flags &= ~(unsigned)FIELD_NOT_FUTURE; /* the sender's clock is not ours */
	char *normalized = NULL;
	int rc = field_check(s, &relaxed, text, &normalized, err);
	if (rc == TZ_OK && (normalized == NULL || strcmp(normalized, text) != 0))
		rc = tz_error_set(err, TZ_EFAIL, "%s的写法不对（应为“%s”）", f->label,
				  normalized ? normalized : "");
	free(normalized);
	return rc;
}

int field_check_stored_text(const char *label, sqlite3_value *v, struct tz_error *err)
{
	if (v != NULL && sqlite3_value_type(v) == SQLITE_BLOB)
		return tz_error_set(err, TZ_EFAIL, "%s不能是二进制数据", label);
	if (v == NULL || sqlite3_value_type(v) != SQLITE_TEXT)
		return TZ_OK;
	size_t nbytes;
	const char *text = stored_bytes(v, &nbytes);
	if (text == NULL)
		return tz_error_set(err, TZ_EFAIL, "%s含有无法识别的字符", label);
	size_t at;
	enum text_fault fault = text_hygiene_check(text, nbytes, TEXT_ALLOW_NEWLINE | TEXT_ALLOW_TAB,
						   DEFAULT_NOTE_MAX_NCHARS, &at);
	if (fault == TEXT_OK)
		return TZ_OK;
	return tz_error_set(err, TZ_EFAIL, "%s%s", label, text_fault_label(fault));
}
