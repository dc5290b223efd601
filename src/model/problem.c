/*
 * problem.c — the problem ledger: create, move through its states, read (see
 * include/taizhang/problem.h).
 *
 * The state machine is the `moves` table below and nothing else: a move not in
 * it is refused with the list of moves that are. Closing (销号) also needs
 * evidence. Each write is one transaction — the caller's when it has one open
 * (rules_to_problems creates thousands of problems in one), else our own — and
 * writes the problem row, a problem_events row and an audit row together, so the
 * history can never disagree with problems.state.
 *
 * Texts are checked, never cut: not valid UTF-8, a control character in a
 * one-line field, or more characters than the PROBLEM_*_MAX_NCHARS limits is
 * refused with a message naming the field. Leading and trailing spaces
 * (including the ideographic space U+3000) are removed; a text of spaces only is
 * empty.
 *
 * Deliberately not here: who may make which move (the town owns verification of
 * dispatched problems; that belongs to sync/, which knows the owners), and any
 * printing.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/date.h"
#include "taizhang/division.h"
#include "taizhang/keyring.h"
#include "taizhang/model.h"
#include "taizhang/problem.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#define STATE_MAX_NBYTES 16 /* the longest state code, "rectifying", fits */

/* The allowed moves: the whole state machine. */
static const struct {
	const char *from, *to;
} moves[] = {
	{ "open", "rectifying" },      { "open", "rectified" },
	{ "rectifying", "rectified" }, { "rectified", "closed" },
	{ "rectified", "reopened" },   { "reopened", "rectifying" },
	{ "reopened", "rectified" },   { "closed", "reopened" },
};
#define NMOVES (sizeof moves / sizeof moves[0])

int problem_move_allowed(const char *from, const char *to)
{
	if (from == NULL || to == NULL)
		return 0;
	for (size_t i = 0; i < NMOVES; i++)
		if (strcmp(moves[i].from, from) == 0 && strcmp(moves[i].to, to) == 0)
			return 1;
	return 0;
}

/* ---- small helpers ---- */

/* Bind text, or NULL for NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}

/* Length in bytes of the leading spaces at text (ASCII white space, U+3000). */
static size_t space_nbytes(const char *text)
{
	if (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		return 1;
	if ((unsigned char)text[0] == 0xE3 && (unsigned char)text[1] == 0x80 &&
	    (unsigned char)text[2] == 0x80)
		return 3;
	return 0;
}

/*
 * Check one text field and put its trimmed copy (malloc'd; NULL when empty) in
 * *out. label names the field in messages; multiline allows line breaks.
 */
static int clean_text(const char *label, const char *text, size_t max_nchars, int required,
		      int multiline, char **out, struct tz_error *err)
{
	*out = NULL;
	if (text == NULL)
		text = "";
	if (!utf8_valid(text, strlen(text)))
		return tz_error_set(err, TZ_EFAIL, "%s含有无法识别的字符（不是 UTF-8 文字），请重新输入",
				    label);
	size_t n;
	while ((n = space_nbytes(text)) > 0)
		text += n;
	size_t len = strlen(text);
	/* Trim from the end: find the last non-space character. */
	size_t end = 0;
	for (size_t i = 0; i < len;) {
		size_t sp = space_nbytes(text + i);
		if (sp == 0) {
			uint32_t cp;
			size_t cl = utf8_decode(text + i, len - i, &cp);
			i += cl;
			end = i;
		} else {
			i += sp;
		}
	}
	if (end == 0) {
		if (required)
			return tz_error_set(err, TZ_EFAIL, "%s不能为空，请填写", label);
		return TZ_OK;
	}
	/* the one text rule (util/text_hygiene.h); the length is counted below */
	enum text_fault fault = text_hygiene_check(
		text, end, multiline ? TEXT_ALLOW_NEWLINE | TEXT_ALLOW_TAB : 0, 0, NULL);
	if (fault == TEXT_INVISIBLE)
		return tz_error_set(err, TZ_EFAIL, "%s%s，请删去", label, text_fault_label(fault));
	if (fault != TEXT_OK)
		return tz_error_set(err, TZ_EFAIL,
				    multiline ? "%s含有控制字符，请删去"
					      : "%s只能写一行，不能含换行或控制字符",
				    label);
	char *copy = xstrndup(text, end);
	size_t nchars = utf8_nchars(copy);
	if (nchars > max_nchars) {
		free(copy);
		return tz_error_set(err, TZ_EFAIL, "%s太长（%zu 个字），最多 %zu 个字，请精简", label,
				    nchars, max_nchars);
	}
	*out = copy;
	return TZ_OK;
}

/* The code of a state given as its code or its label, into code. Returns TZ_OK or
 * TZ_EUSAGE (no such state). */
static int state_code(struct store *s, const char *text, char code[STATE_MAX_NBYTES],
		      struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT code FROM code_list WHERE list = 'problem_state'"
				  " AND (code = ?1 OR label = ?1)", &st, "读取问题状态", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, text ? text : "", -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	int status = TZ_OK;
	if (rc == SQLITE_ROW) {
		snprintf(code, STATE_MAX_NBYTES, "%s", (const char *)sqlite3_column_text(st, 0));
	} else if (rc == SQLITE_DONE) {
		status = tz_error_set(err, TZ_EUSAGE,
				      "没有“%s”这个问题状态（可用：open 待整改、rectifying 整改中、"
				      "rectified 已整改、closed 已销号、reopened 重新整改）",
				      text ? text : "");
	} else {
		status = store_sqlite_error(s, rc, "读取问题状态", err);
	}
	sqlite3_finalize(st);
	return status;
}

/* The Chinese label of a state code into out (the code itself if unknown). */
static void state_label(struct store *s, const char *code, char *out, size_t cap)
{
	snprintf(out, cap, "%s", code);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT label FROM code_list WHERE list = 'problem_state' AND code = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Run sql with text parameters a (?1) and, if it has one, b (?2): *found says
 * whether it returned a row, and the row's first column goes to first_col (when
 * not NULL, first_cap bytes). */
static int query_exists(struct store *s, const char *sql, const char *a, const char *b,
			int *found, char *first_col, size_t first_cap, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, sql, &st, "检查问题", err);
	if (rc != TZ_OK)
		return rc;
	bind_text(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		bind_text(st, 2, b);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW && first_col != NULL) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		snprintf(first_col, first_cap, "%s", t ? t : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "检查问题", err);
	return TZ_OK;
}

/* Append one problem_events row (inside an open transaction). */
static int add_event(struct store *s, const char *problem_id, const char *from,
		     const char *to, const char *note, const char *now, struct tz_error *err)
{
	char id[IDS_NCHARS + 1];
	ids_new(id);
	const char *params[] = { id, store_keyring(s)->division_code, problem_id, from, to,
				 store_user(s), now, note };
	return store_exec_params(s, "INSERT INTO problem_events(id, owner, problem_id, from_state,"
				    " to_state, by_user, at, note, created_at, updated_at)"
				    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?7)",
				 params, 8, "记录问题进展", err);
}

/* ---- create ---- */

/* The cleaned texts of a spec. */
struct clean_spec {
	char *title, *description, *unit, *person, *measures, *evidence;
	char *finding_rule, *finding_ref;
	char deadline[DATE_NCHARS + 1];
};

/* The texts of a spec, each with how it is cleaned (clean_text) and where the
 * cleaned copy goes, in the order their errors are reported. */
#define SPEC_TEXT(label, from, to, max, required, multiline)                                 \
	{ label, offsetof(struct problem_spec, from), offsetof(struct clean_spec, to),        \
	  max, required, multiline }
static const struct spec_text {
	const char *label;
	size_t from; /* the const char * in struct problem_spec */
	size_t to;   /* the char * in struct clean_spec */
	size_t max_nchars;
	int required, multiline;
} spec_texts[] = {
	SPEC_TEXT("问题标题", title, title, PROBLEM_TITLE_MAX_NCHARS, 1, 0),
	SPEC_TEXT("问题描述", description, description, PROBLEM_TEXT_MAX_NCHARS, 0, 1),
	SPEC_TEXT("责任单位", responsible_unit, unit, PROBLEM_NAME_MAX_NCHARS, 1, 0),
	SPEC_TEXT("责任人", responsible_person, person, PROBLEM_NAME_MAX_NCHARS, 1, 0),
	SPEC_TEXT("整改措施", measures, measures, PROBLEM_TEXT_MAX_NCHARS, 0, 1),
	SPEC_TEXT("整改佐证材料", evidence, evidence, PROBLEM_TEXT_MAX_NCHARS, 0, 1),
	SPEC_TEXT("核查规则", finding_rule, finding_rule, PROBLEM_TITLE_MAX_NCHARS, 0, 0),
	SPEC_TEXT("核查发现的记录", finding_ref, finding_ref, PROBLEM_TITLE_MAX_NCHARS, 0, 0),
};
#undef SPEC_TEXT

static char **clean_spec_slot(struct clean_spec *c, const struct spec_text *t)
{
	return (char **)((char *)c + t->to);
}

static void clean_spec_free(struct clean_spec *c)
{
	for (size_t i = 0; i < sizeof spec_texts / sizeof spec_texts[0]; i++)
		free(*clean_spec_slot(c, &spec_texts[i]));
}

static int clean_spec_texts(const struct problem_spec *spec, struct clean_spec *c,
			    struct tz_error *err)
{
	int rc = TZ_OK;
	for (size_t i = 0; rc == TZ_OK && i < sizeof spec_texts / sizeof spec_texts[0]; i++) {
		const struct spec_text *t = &spec_texts[i];
		const char *text = *(const char *const *)((const char *)spec + t->from);
		rc = clean_text(t->label, text, t->max_nchars, t->required, t->multiline,
				clean_spec_slot(c, t), err);
	}
	if (rc != TZ_OK)
		return rc;
	if ((c->finding_rule == NULL) != (c->finding_ref == NULL))
		return tz_error_set(err, TZ_EFAIL, "核查规则和它指向的记录必须同时给出");
	int32_t day;
	if (spec->deadline == NULL || spec->deadline[0] == '\0')
		return tz_error_set(err, TZ_EFAIL, "整改期限不能为空，请填写日期（如 2019-05-31）");
	if (!date_parse_loose(spec->deadline, &day))
		return tz_error_set(err, TZ_EFAIL,
				    "整改期限“%s”不是有效日期，请写成 2019-05-31 或 2019年5月31日",
				    spec->deadline);
	date_format(day, c->deadline);
	return TZ_OK;
}

/* The checks that need the store: area, task, source, household, village. The
 * village code to use goes to village (13 bytes). */
static int check_spec_refs(struct store *s, const struct problem_spec *spec, const char *source,
			   char village[13], struct tz_error *err)
{
	char area[16], task[16]; /* as text, which the INTEGER columns compare as numbers */
	snprintf(area, sizeof area, "%d", spec->area);
	snprintf(task, sizeof task, "%d", spec->task);
	const char *params[] = { area, task };
	long long found_counts[2];
	int rc = store_query_ints(s,
				  "SELECT (SELECT count(*) FROM problem_areas WHERE area = ?1),"
				  " (SELECT count(*) FROM tasks WHERE task = ?2)",
				  params, 2, found_counts, 2, "检查问题", err);
	if (rc != TZ_OK)
		return rc;
	int area_found = found_counts[0] > 0;
	int task_found = found_counts[1] > 0;
	if (!area_found)
		return tz_error_set(err, TZ_EFAIL,
				    "问题方面“%d”不存在：应为 1 到 10（对应方案中的十个方面问题）",
				    spec->area);
	if (!task_found)
		return tz_error_set(err, TZ_EFAIL,
				    "整改任务“%d”不存在：应为 1 到 19（对应方案中的 19 项任务）",
				    spec->task);
	int found;
	rc = query_exists(s,
			  "SELECT code FROM code_list WHERE list = 'problem_source' AND code = ?1",
			  source, NULL, &found, NULL, 0, err);
	if (rc != TZ_OK)
		return rc;
	if (!found)
		return tz_error_set(err, TZ_EFAIL,
				    "问题来源“%s”不存在（可用：self_check 自查、inspection 督查暗访、"
				    "dispatch 镇派单、finding 精准核查、complaint 信访举报）",
				    source);
	char household_village[32] = "";
	if (spec->household_id != NULL && spec->household_id[0] != '\0') {
		rc = query_exists(s, "SELECT village_code FROM households WHERE id = ?1",
				  spec->household_id, NULL, &found, household_village,
				  sizeof household_village, err);
		if (rc != TZ_OK)
			return rc;
		if (!found)
			return tz_error_set(err, TZ_EFAIL, "没有编号为“%s”的建档立卡户，请核对户编号",
					    spec->household_id);
	}
	const char *code = spec->village_code;
	if (code == NULL || code[0] == '\0')
		code = household_village[0] ? household_village : store_keyring(s)->division_code;
	if (!division_code_valid(code))
		return tz_error_set(err, TZ_EFAIL, "村代码“%s”应为 12 位数字的行政区划代码", code);
	if (store_keyring(s)->kind == STORE_KIND_TOWN) {
		/* at the town a problem is dispatched (派单) to one known village */
		if (strcmp(code, store_keyring(s)->division_code) == 0)
			return tz_error_set(err, TZ_EFAIL,
					    "镇扶贫办登记的问题要派给一个村：请写明村代码（--village）或住户");
		rc = query_exists(s, "SELECT code FROM villages WHERE code = ?1", code, NULL, &found,
				  NULL, 0, err);
		if (rc != TZ_OK)
			return rc;
		if (!found)
			return tz_error_set(err, TZ_EFAIL,
					    "没有代码为 %s 的村：只能派给已经上报过台账的村", code);
	}
	memcpy(village, code, 13); /* division_code_valid: 12 digits and the NUL */
	return TZ_OK;
}

int problem_create(struct store *s, const struct problem_spec *spec,
		   char id_out[IDS_NCHARS + 1], struct tz_error *err)
{
	struct clean_spec c = { 0 };
	char village[13];
	const char *source = spec->source && spec->source[0] ? spec->source
			     : store_keyring(s)->kind == STORE_KIND_TOWN ? "dispatch"
									 : "self_check";
	const char *household = spec->household_id && spec->household_id[0] ? spec->household_id
									     : NULL;
	int own_tx = 0;
	int rc = clean_spec_texts(spec, &c, err);
	if (rc == TZ_OK)
		rc = check_spec_refs(s, spec, source, village, err);
	if (rc == TZ_OK) /* a unit's code or its Chinese name, stored as the code */
		rc = unit_code_normalize(s, "责任单位", &c.unit, err);
	if (rc == TZ_OK && c.finding_rule != NULL) {
		int found;
		char other[64];
		rc = query_exists(s,
				  "SELECT id FROM problems WHERE finding_rule = ?1 AND finding_ref = ?2"
				  " AND state <> 'closed'",
				  c.finding_rule, c.finding_ref, &found, other, sizeof other, err);
		if (rc == TZ_OK && found)
			rc = tz_error_set(err, TZ_EFAIL,
					  "这条核查发现（%s）已有未销号的问题 %.8s，不必重复建立",
					  c.finding_rule, other);
	}
	if (rc == TZ_OK && !store_tx_active(s)) {
		rc = store_tx_begin(s, err);
		own_tx = rc == TZ_OK;
	}
	if (rc != TZ_OK)
		goto done;

	char id[IDS_NCHARS + 1], now[32];
	ids_new(id);
	date_now_stamp(now);
	sqlite3_stmt *st;
	rc = sqlite3_prepare_v2(store_db(s),
				"INSERT INTO problems(id, owner, village_code, area, task, title,"
				" description, source, finding_rule, finding_ref, household_id,"
				" responsible_unit, responsible_person, deadline, measures, evidence,"
				" state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
				" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'open', ?17, ?17)",
				-1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = store_sqlite_error(s, rc, "保存问题", err);
		goto done;
	}
	bind_text(st, 1, id);
	bind_text(st, 2, store_keyring(s)->division_code);
	bind_text(st, 3, village);
	sqlite3_bind_int(st, 4, spec->area);
	sqlite3_bind_int(st, 5, spec->task);
	bind_text(st, 6, c.title);
	bind_text(st, 7, c.description);
	bind_text(st, 8, source);
	bind_text(st, 9, c.finding_rule);
	bind_text(st, 10, c.finding_ref);
	bind_text(st, 11, household);
	bind_text(st, 12, c.unit);
	bind_text(st, 13, c.person);
	bind_text(st, 14, c.deadline);
	bind_text(st, 15, c.measures);
	bind_text(st, 16, c.evidence);
	bind_text(st, 17, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xFF) == SQLITE_CONSTRAINT) {
		rc = tz_error_set(err, TZ_EFAIL, "这条核查发现（%s）已有未销号的问题，不必重复建立",
				  c.finding_rule ? c.finding_rule : "");
		goto done;
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlite_error(s, rc, "保存问题", err);
		goto done;
	}
	rc = add_event(s, id, NULL, "open", NULL, now, err);
	if (rc == TZ_OK)
		rc = store_audit(s, "problem.create", id, c.title, err);
	if (rc == TZ_OK && own_tx) {
		own_tx = 0;
		rc = store_tx_commit(s, err);
	}
	if (rc == TZ_OK)
		memcpy(id_out, id, sizeof id);
done:
	if (own_tx)
		store_tx_rollback(s);
	clean_spec_free(&c);
	return rc;
}

/* ---- move ---- */

/* "整改中、已整改": the labels of the states reachable from from. */
static void allowed_labels(struct store *s, const char *from, char *out, size_t cap)
{
	out[0] = '\0';
	size_t used = 0;
	for (size_t i = 0; i < NMOVES; i++) {
		if (strcmp(moves[i].from, from) != 0)
			continue;
		char label[64];
		state_label(s, moves[i].to, label, sizeof label);
		int n = snprintf(out + used, cap - used, "%s%s（%s）", used ? "、" : "", label,
				 moves[i].to);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
}

/* The move itself, inside an open transaction. */
static int move_in_tx(struct store *s, const char *id, const char *to, const char *note,
		      const char *evidence, const char *measures, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s),
				    "SELECT state, evidence, title, owner FROM problems WHERE id = ?1", -1,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取问题", err);
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return tz_error_set(err, TZ_EFAIL, "没有编号为“%s”的问题", id);
		return store_sqlite_error(s, rc, "读取问题", err);
	}
	char from[STATE_MAX_NBYTES], title[PROBLEM_TITLE_MAX_NCHARS * 4 + 1];
	snprintf(from, sizeof from, "%s", (const char *)sqlite3_column_text(st, 0));
	const char *old_evidence = (const char *)sqlite3_column_text(st, 1);
	int had_evidence = old_evidence != NULL && old_evidence[0] != '\0';
	snprintf(title, sizeof title, "%s", (const char *)sqlite3_column_text(st, 2));
	const char *owner = (const char *)sqlite3_column_text(st, 3);
	int dispatched = owner != NULL && strcmp(owner, store_keyring(s)->division_code) != 0 &&
			 store_keyring(s)->kind == STORE_KIND_VILLAGE;
	sqlite3_finalize(st);
	/* A dispatched problem's 销号 and reopening are the town's steps (sync
	 * rule A4): at a village they can only be asked for (problem_request_close). */
	if (dispatched && strcmp(to, "rectifying") != 0 && strcmp(to, "rectified") != 0)
		return tz_error_set(err, TZ_EFAIL,
				    "问题“%s”是镇里派的单，销号和重新整改由镇扶贫办办理：整改完成后请申请销号"
				    "（改为“已整改”并写明佐证材料，上报后由镇里验收销号）",
				    title);

	if (!problem_move_allowed(from, to)) {
		char from_label[64], to_label[64], allowed[256];
		state_label(s, from, from_label, sizeof from_label);
		state_label(s, to, to_label, sizeof to_label);
		allowed_labels(s, from, allowed, sizeof allowed);
		if (strcmp(from, to) == 0)
			return tz_error_set(err, TZ_EFAIL, "问题“%s”已经是“%s”状态。现在可以改为：%s",
					    title, from_label, allowed);
		return tz_error_set(err, TZ_EFAIL, "问题“%s”现在是“%s”，不能直接改为“%s”。现在可以改为：%s",
				    title, from_label, to_label, allowed);
	}
	if (strcmp(to, "closed") == 0 && evidence == NULL && !had_evidence)
		return tz_error_set(err, TZ_EFAIL,
				    "问题“%s”还没有整改佐证材料，不能销号：请写明佐证材料"
				    "（如整改前后照片、签字确认表）及存放位置后再销号",
				    title);

	char now[32];
	date_now_stamp(now);
	rc = store_prepare(s, "UPDATE problems SET state = ?1, updated_at = ?2,"
			      " evidence = COALESCE(?3, evidence), measures = COALESCE(?4, measures)"
			      " WHERE id = ?5", &st, "保存问题", err);
	if (rc != TZ_OK)
		return rc;
	bind_text(st, 1, to);
	bind_text(st, 2, now);
	bind_text(st, 3, evidence);
	bind_text(st, 4, measures);
	bind_text(st, 5, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xFF) == SQLITE_CONSTRAINT)
		return tz_error_set(err, TZ_EFAIL,
				    "问题“%s”对应的核查发现已有另一个未销号的问题，不能重新整改这一个；"
				    "请在那个问题上继续整改",
				    title);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "保存问题", err);
	rc = add_event(s, id, from, to, note, now, err);
	if (rc == TZ_OK) {
		char detail[64];
		snprintf(detail, sizeof detail, "%s -> %s", from, to);
		rc = store_audit(s, "problem.move", id, detail, err);
	}
	return rc;
}

int problem_move(struct store *s, const char *id, const char *to_state, const char *note,
		 const char *evidence, const char *measures, struct tz_error *err)
{
	char to[STATE_MAX_NBYTES];
	char *clean_note = NULL, *clean_evidence = NULL, *clean_measures = NULL;
	int rc = state_code(s, to_state, to, err);
	if (rc == TZ_OK)
		rc = clean_text("说明", note, PROBLEM_TEXT_MAX_NCHARS, 0, 1, &clean_note, err);
	if (rc == TZ_OK)
		rc = clean_text("整改佐证材料", evidence, PROBLEM_TEXT_MAX_NCHARS, 0, 1,
				&clean_evidence, err);
	if (rc == TZ_OK)
		rc = clean_text("整改措施", measures, PROBLEM_TEXT_MAX_NCHARS, 0, 1, &clean_measures,
				err);
	if (rc == TZ_OK) {
		if (store_tx_active(s)) {
			rc = move_in_tx(s, id, to, clean_note, clean_evidence, clean_measures, err);
		} else if ((rc = store_tx_begin(s, err)) == TZ_OK) {
			rc = move_in_tx(s, id, to, clean_note, clean_evidence, clean_measures, err);
			rc = store_tx_end(s, rc, err);
		}
	}
	free(clean_note);
	free(clean_evidence);
	free(clean_measures);
	return rc;
}

int problem_request_close(struct store *s, const char *id, const char *note, const char *evidence,
			  struct tz_error *err)
{
	struct problem p;
	int rc = problem_get(s, id, &p, err);
	if (rc != TZ_OK)
		return rc;
	int dispatched = p.owner != NULL && strcmp(p.owner, store_keyring(s)->division_code) != 0 &&
			 store_keyring(s)->kind == STORE_KIND_VILLAGE;
	int rectified = p.state != NULL && strcmp(p.state, "rectified") == 0;
	int has_evidence = p.evidence != NULL && p.evidence[0] != '\0';
	problem_free(&p);
	if (!dispatched)
		return problem_move(s, id, "closed", note, evidence, NULL, err);
	if (!has_evidence && (evidence == NULL || evidence[0] == '\0'))
		return tz_error_set(err, TZ_EFAIL,
				    "申请销号需要整改佐证材料：请写明佐证材料（如整改前后照片、签字确认表）及存放位置");
	char why[PROBLEM_TEXT_MAX_NCHARS + 16];
	snprintf(why, sizeof why, "申请销号%s%s", note && note[0] ? "：" : "", note ? note : "");
	if (!rectified)
		return problem_move(s, id, "rectified", why, evidence, NULL, err);
	if (evidence == NULL || evidence[0] == '\0')
		return TZ_OK; /* already asked: rectified, with evidence, waiting for the town */
	/* new evidence for a request already made: the problem stays rectified */
	char *clean = NULL;
	rc = clean_text("整改佐证材料", evidence, PROBLEM_TEXT_MAX_NCHARS, 0, 1, &clean, err);
	if (rc != TZ_OK)
		return rc;
	int own_tx = !store_tx_active(s);
	if (own_tx && (rc = store_tx_begin(s, err)) != TZ_OK) {
		free(clean);
		return rc;
	}
	char now[32];
	date_now_stamp(now);
	sqlite3_stmt *st;
	int src = sqlite3_prepare_v2(store_db(s),
				     "UPDATE problems SET evidence = ?1, updated_at = ?2 WHERE id = ?3", -1,
				     &st, NULL);
	if (src == SQLITE_OK) {
		bind_text(st, 1, clean);
		bind_text(st, 2, now);
		bind_text(st, 3, id);
		src = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	rc = src == SQLITE_DONE ? store_audit(s, "problem.request_close", id, why, err)
				: store_sqlite_error(s, src, "保存问题", err);
	free(clean);
	if (own_tx)
		rc = store_tx_end(s, rc, err);
	return rc;
}

/* ---- read ---- */

int problem_resolve(struct store *s, const char *text, char id_out[IDS_NCHARS + 1],
		    struct tz_error *err)
{
	if (!ids_prefix_valid(text))
		return tz_error_set(err, TZ_EFAIL,
				    "问题编号“%s”不对：应为 32 位编号或其前 %d 位以上（小写十六进制）",
				    text ? text : "", IDS_PREFIX_MIN_NCHARS);
	int kind;
	return model_find_by_prefix(s,
				    "SELECT 0, id FROM problems WHERE id >= ?1 AND id < ?1 || 'g'"
				    " ORDER BY id LIMIT 2",
				    text, "问题", &kind, id_out, err);
}

#define PROBLEM_COLUMNS \
	"p.id, p.owner, p.village_code, p.area, a.label || a.name, p.task, t.name, p.title," \
	" p.description, p.source, src.label, p.finding_rule, p.finding_ref," \
	" p.household_id, p.responsible_unit, p.responsible_person, p.deadline," \
	" p.measures, p.evidence, p.state, sl.label, p.created_at, p.updated_at," \
	" COALESCE(un.name, p.responsible_unit)" \
	" FROM problems p" \
	" LEFT JOIN units un ON un.code = p.responsible_unit" \
	" LEFT JOIN problem_areas a ON a.area = p.area" \
	" LEFT JOIN tasks t ON t.task = p.task" \
	" LEFT JOIN code_list src ON src.list = 'problem_source' AND src.code = p.source" \
	" LEFT JOIN code_list sl ON sl.list = 'problem_state' AND sl.code = p.state"

/* The texts of p by their column in PROBLEM_COLUMNS; NULL for the columns
 * that are not (p.id, p.area, p.task). */
#define PROBLEM_NCOLS 24
static void problem_columns(struct problem *p, char **cols[PROBLEM_NCOLS])
{
	char **c[PROBLEM_NCOLS] = {
		NULL, &p->owner, &p->village_code, NULL, &p->area_label, NULL, &p->task_name,
		&p->title, &p->description, &p->source, &p->source_label, &p->finding_rule,
		&p->finding_ref, &p->household_id, &p->responsible_unit, &p->responsible_person,
		&p->deadline, &p->measures, &p->evidence, &p->state, &p->state_label,
		&p->created_at, &p->updated_at, &p->responsible_unit_name,
	};
	memcpy(cols, c, sizeof c);
}

static void read_problem(sqlite3_stmt *st, struct problem *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", (const char *)sqlite3_column_text(st, 0));
	p->area = sqlite3_column_int(st, 3);
	p->task = sqlite3_column_int(st, 5);
	char **cols[PROBLEM_NCOLS];
	problem_columns(p, cols);
	for (int i = 0; i < PROBLEM_NCOLS; i++)
		if (cols[i] != NULL)
			*cols[i] = store_column_dup(st, i);
}

void problem_free(struct problem *p)
{
	if (p == NULL)
		return;
	char **cols[PROBLEM_NCOLS];
	problem_columns(p, cols);
	for (int i = 0; i < PROBLEM_NCOLS; i++) {
		if (cols[i] != NULL) {
			free(*cols[i]);
			*cols[i] = NULL;
		}
	}
}

static void read_problem_row(sqlite3_stmt *st, void *item)
{
	read_problem(st, item);
}

static void problem_drop(void *item)
{
	problem_free(item);
}

static const struct store_rows problem_rows = { sizeof(struct problem), read_problem_row,
						problem_drop, "读取问题", NULL, 0 };

int problem_get(struct store *s, const char *id, struct problem *p, struct tz_error *err)
{
	memset(p, 0, sizeof *p);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s), "SELECT " PROBLEM_COLUMNS " WHERE p.id = ?1", -1,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取问题", err);
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_problem(st, p);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return tz_error_set(err, TZ_EFAIL, "没有编号为“%s”的问题", id);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "读取问题", err);
	return TZ_OK;
}

int problem_list(struct store *s, const struct problem_filter *f, struct problem_list *out,
		 struct tz_error *err)
{
	out->items = NULL;
	out->n = 0;
	char state[STATE_MAX_NBYTES];
	int rc;
	if (f->state != NULL && (rc = state_code(s, f->state, state, err)) != TZ_OK)
		return rc;
	char overdue[DATE_NCHARS + 1];
	if (f->overdue_as_of != NULL) {
		int32_t day;
		if (!date_parse_loose(f->overdue_as_of, &day))
			return tz_error_set(err, TZ_EUSAGE, "“%s”不是有效日期", f->overdue_as_of);
		date_format(day, overdue);
	}
	sqlite3_stmt *st;
	rc = store_prepare(s, "SELECT "
			      PROBLEM_COLUMNS
			      " WHERE (?1 IS NULL OR p.state = ?1)"
			      " AND (?2 = 0 OR p.state <> 'closed')"
			      " AND (?3 IS NULL OR (p.state <> 'closed' AND p.deadline < ?3))"
			      " AND (?4 = 0 OR p.area = ?4) AND (?5 = 0 OR p.task = ?5)"
			      " AND (?6 IS NULL OR p.village_code = ?6)"
			      " AND (?7 IS NULL OR p.household_id = ?7)"
			      " ORDER BY p.deadline, p.created_at, p.id", &st, "读取问题", err);
	if (rc != TZ_OK)
		return rc;
	bind_text(st, 1, f->state ? state : NULL);
	sqlite3_bind_int(st, 2, f->unclosed != 0);
	bind_text(st, 3, f->overdue_as_of ? overdue : NULL);
	sqlite3_bind_int(st, 4, f->area);
	sqlite3_bind_int(st, 5, f->task);
	bind_text(st, 6, f->village_code);
	bind_text(st, 7, f->household_id);
	return store_rows_step(s, st, &problem_rows, &out->items, &out->n, err);
}

void problem_list_free(struct problem_list *l)
{
	store_rows_free(&problem_rows, l->items, l->n);
	l->items = NULL;
	l->n = 0;
}

/* An event's texts, columns 1, 2, ... of the query below. */
static const size_t event_texts[] = {
	offsetof(struct problem_event, owner),	  offsetof(struct problem_event, from_state),
	offsetof(struct problem_event, from_label), offsetof(struct problem_event, to_state),
	offsetof(struct problem_event, to_label),   offsetof(struct problem_event, by_user),
	offsetof(struct problem_event, at),	  offsetof(struct problem_event, note),
};

static void read_event(sqlite3_stmt *st, void *item)
{
	struct problem_event *e = item;
	snprintf(e->id, sizeof e->id, "%s", (const char *)sqlite3_column_text(st, 0));
	store_columns_dup_into(st, 1, e, STORE_TEXTS(event_texts));
}

STORE_ROWS_DEFINE(event_rows, problem_events_free, struct problem_event, read_event, NULL,
		  "读取问题进展", STORE_TEXTS(event_texts))

int problem_events(struct store *s, const char *id, struct problem_event **out, size_t *n,
		   struct tz_error *err)
{
	const char *params[] = { id };
	return store_rows_query(
		s,
		"SELECT e.id, e.owner, e.from_state, f.label, e.to_state, t.label, e.by_user,"
		" e.at, e.note FROM problem_events e"
		" LEFT JOIN code_list f ON f.list = 'problem_state' AND f.code = e.from_state"
		" LEFT JOIN code_list t ON t.list = 'problem_state' AND t.code = e.to_state"
		" WHERE e.problem_id = ?1 ORDER BY e.at, e.rowid",
		params, 1, &event_rows, out, n, err);
}
