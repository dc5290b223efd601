/*
 * notice.c — the public notices of the identification and exit procedure
 * (两公示一公告) built from the ledger, and their text (see
 * include/taizhang/notice.h). The Excel sheet and the files are
 * notice_xlsx.c's.
 *
 * Each stage is a row of a const table: the step it is, the step it follows,
 * and its wording. The text is laid out for a fixed-width font (the columns
 * padded by terminal columns, utf8_pad), to print as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "notice_internal.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

static const struct notice_stage_def stages[] = {
	[NOTICE_VILLAGE] = { "village_notice", "village_review", "村内公示", "评议日期",
			     "经村民小组评议、村两委和驻村工作队评议", 1 },
	[NOTICE_TOWN] = { "town_notice", "comparison", "乡镇公示", "比对日期",
			  "经两评议、村内公示和部门数据比对", 1 },
	[NOTICE_ANNOUNCE] = { "announcement", "town_notice", "公告", "乡镇公示日期",
			      "经两评议两公示一比对", 0 },
};

const struct notice_stage_def *notice_stage_def(enum notice_stage stage)
{
	return &stages[stage];
}

const char *notice_procedure_label(const struct notice *n)
{
	return strcmp(n->procedure, "exit") == 0 ? "退出（脱贫）" : "识别（纳入）";
}

const char *notice_basis_header(const struct notice *n)
{
	return strcmp(n->procedure, "exit") == 0 ? "人均纯收入" : "致贫原因";
}

void notice_set_free(struct notice_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct notice *n = &set->items[i];
		for (size_t j = 0; j < n->n; j++) {
			struct notice_row *r = &n->rows[j];
			free(r->household_id);
			free(r->group_name);
			free(r->head_name);
			free(r->idcard);
			free(r->basis);
			free(r->prior_on);
		}
		free(n->rows);
		free(n->village_code);
		free(n->village_name);
		free(n->issuer);
	}
	free(set->items);
	memset(set, 0, sizeof *set);
}

/* The households of the notice, by village, group and head: village code and
 * name, the issuer's town name (a town store's name, else NULL), household,
 * group, head, masked ID, size, basis, the prior step's date, the recorded
 * notice's end date (NULL when not recorded). */
static const char notice_sql[] =
	"WITH latest AS (SELECT household_id AS hid, max(round) AS rnd FROM procedure_steps"
	"  WHERE procedure = :proc GROUP BY household_id)"
	" SELECT h.village_code,"
	" COALESCE((SELECT v.name FROM villages v WHERE v.code = h.village_code),"
	"  (SELECT m.value FROM store_meta m WHERE m.key = 'name'"
	"   AND (SELECT c.value FROM store_meta c WHERE c.key = 'code') = h.village_code),"
	"  h.village_code),"
	" (SELECT m.value FROM store_meta m WHERE m.key = 'name'"
	"  AND (SELECT k.value FROM store_meta k WHERE k.key = 'kind') = 'town'),"
	" h.id, COALESCE((SELECT g.name FROM villager_groups g WHERE g.id = h.group_id), ''),"
	" hm.name, substr(hm.idcard, 1, 6) || '********' || substr(hm.idcard, 15, 4),"
	" (SELECT count(*) FROM members m WHERE m.household_id = h.id AND m.status = 'present'),"
	" CASE :proc WHEN 'exit' THEN COALESCE(tz_yuan_short(h.income_cents) || ' 元', '')"
	"  ELSE COALESCE((SELECT cl.label FROM code_list cl WHERE cl.list = 'poverty_cause'"
	"   AND cl.code = h.poverty_cause), h.poverty_cause, '') END,"
	" pr.on_date, ns.end_date"
	" FROM latest l"
	" JOIN households h ON h.id = l.hid"
	" JOIN procedure_steps pr ON pr.household_id = l.hid AND pr.procedure = :proc"
	"  AND pr.round = l.rnd AND pr.step = :prior AND pr.outcome = 'passed' AND pr.on_date <= :from"
	" LEFT JOIN procedure_steps ns ON ns.household_id = l.hid AND ns.procedure = :proc"
	"  AND ns.round = l.rnd AND ns.step = :step"
	" JOIN members hm ON hm.id = (SELECT x.id FROM members x WHERE x.household_id = h.id"
	"  AND x.relation = 'head' ORDER BY x.status <> 'present', x.created_at, x.id LIMIT 1)"
	" WHERE (:village IS NULL OR h.village_code = :village)"
	" AND (ns.id IS NULL OR ns.on_date = :from)"
	" ORDER BY 1, 5, 6, 4";

/* The notice of village code in out, started when it is not the last one. */
static struct notice *notice_of(struct notice_set *out, sqlite3_stmt *st,
				const struct notice_options *o, const char *procedure)
{
	const char *code = (const char *)sqlite3_column_text(st, 0);
	if (out->n > 0 && strcmp(out->items[out->n - 1].village_code, code) == 0)
		return &out->items[out->n - 1];
	struct notice *n = VEC_PUSH(out->items, out->n, out->cap);
	memset(n, 0, sizeof *n);
	n->village_code = store_column_dup_or_empty(st, 0);
	n->village_name = store_column_dup_or_empty(st, 1);
	n->procedure = procedure;
	n->stage = o->stage;
	const unsigned char *town = sqlite3_column_text(st, 2);
	if (o->stage == NOTICE_VILLAGE)
		n->issuer = xasprintf("%s村民委员会", n->village_name);
	else
		n->issuer = xasprintf("%s扶贫开发领导小组", town ? (const char *)town : "镇");
	return n;
}

/* The notice's dates: from, days of policy; to the latest recorded end if any. */
static void notice_dates(struct notice *n, int32_t from, int days, const char *recorded_to)
{
	date_format(from, n->from);
	int32_t to = from + (days > 0 ? days - 1 : 0), end;
	if (recorded_to != NULL && recorded_to[0] != '\0' && date_parse(recorded_to, &end) &&
	    end > to)
		to = end;
	date_format(to, n->to);
	n->days = stages[n->stage].objection ? (int)(to - from + 1) : 0;
}

int notice_build(struct store *s, const struct notice_options *o, struct notice_set *out,
		 struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	const char *procedure = o->procedure == NULL ? ""
				: strcmp(o->procedure, "identify") == 0 ? "identify"
				: strcmp(o->procedure, "exit") == 0	? "exit"
									: NULL;
	if (procedure == NULL || procedure[0] == '\0')
		return tz_error_set(err, TZ_EUSAGE, "公示的程序应为 identify（识别）或 exit（退出），不是“%s”",
				    o->procedure ? o->procedure : "");
	int32_t from = date_today();
	if (o->from != NULL && !date_parse_loose(o->from, &from))
		return tz_error_set(err, TZ_EUSAGE, "公示开始日期“%s”无效，请写成 2019-05-16", o->from);
	char from_text[DATE_NCHARS + 1];
	date_format(from, from_text);
	long long days = 0;
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT value FROM policy WHERE key = 'notice_days'", &st,
			       "读取政策参数", err);
	if (rc != TZ_OK)
		return rc;
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		days = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (src != SQLITE_ROW)
		return tz_error_set(err, TZ_EFAIL,
				    "政策参数“notice_days”（公示天数）不在参数表中，无法排公示期；"
				    "请向镇扶贫办索取最新参考数据");
	const struct notice_stage_def *def = &stages[o->stage];
	rc = store_prepare(s, notice_sql, &st, "读取识别退出程序", err);
	if (rc != TZ_OK)
		return rc;
	const struct keyring *kr = store_keyring(s);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":proc"), procedure, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":prior"), def->prior, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":step"), def->step, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":from"), from_text, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":village"),
			  kr->kind == STORE_KIND_TOWN ? NULL : kr->division_code, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct notice *n = notice_of(out, st, o, procedure);
		struct notice_row *r = VEC_PUSH(n->rows, n->n, n->cap);
		/* Columns 0-2 are the notice's (notice_of), 10 its end date. */
		store_row_read(st, "___ttttitt", &r->household_id, &r->group_name, &r->head_name,
			       &r->idcard, &r->size, &r->basis, &r->prior_on);
		n->persons += r->size;
		const char *end = (const char *)sqlite3_column_text(st, 10);
		if (n->from[0] == '\0' || (end != NULL && strcmp(end, n->to) > 0))
			notice_dates(n, from, (int)days, end);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return store_sqlite_error(s, src, "读取识别退出程序", err);
	return TZ_OK;
}

char *notice_title(const struct notice *n)
{
	return xasprintf("%s贫困户%s%s", n->village_name, notice_procedure_label(n),
			 stages[n->stage].name);
}

void notice_chinese_date(const char *iso, char out[32])
{
	int32_t day;
	int y, m, d;
	if (!date_parse(iso, &day)) {
		snprintf(out, 32, "%s", iso);
		return;
	}
	date_to_civil(day, &y, &m, &d);
	snprintf(out, 32, "%d年%d月%d日", y, m, d);
}

char *notice_preamble(const struct notice *n)
{
	const struct notice_stage_def *def = &stages[n->stage];
	char from[32], to[32];
	notice_chinese_date(n->from, from);
	notice_chinese_date(n->to, to);
	int exit = strcmp(n->procedure, "exit") == 0;
	if (!def->objection)
		return xasprintf("根据“两评议两公示一比对一公告”程序，%s，以下 %zu 户 %lld 人%s。"
				 "特此公告。",
				 def->lead, n->n, n->persons,
				 exit ? "已达到脱贫标准，退出建档立卡贫困户" : "识别为建档立卡贫困户");
	return xasprintf("根据“两评议两公示一比对一公告”程序，%s，拟将以下 %zu 户 %lld 人%s，"
			 "现予公示。\n公示期 %d 天：%s至%s。公示期内如有异议，请以书面或口头形式"
			 "向村两委、驻村工作队或镇扶贫办反映。",
			 def->lead, n->n, n->persons,
			 exit ? "退出（脱贫）" : "识别（纳入）为建档立卡贫困户", n->days, from, to);
}

/* The table's columns: header and width in terminal columns. */
static const struct {
	const char *header;
	size_t ncols;
} text_columns[] = {
	{ "序号", 6 }, { "村民小组", 12 }, { "户主", 10 }, { "身份证号", 20 },
	{ "人口", 6 }, { NULL, 14 },	   { NULL, 14 },
};
#define NTEXT_COLUMNS (sizeof text_columns / sizeof text_columns[0])

static void text_row(FILE *out, const char *const cells[NTEXT_COLUMNS])
{
	char cell[256];
	for (size_t c = 0; c < NTEXT_COLUMNS; c++)
		fputs(utf8_pad(cell, sizeof cell, cells[c], text_columns[c].ncols), out);
	fputc('\n', out);
}

void notice_write_text(FILE *out, const struct notice *n)
{
	char *title = notice_title(n);
	char *pre = notice_preamble(n);
	fprintf(out, "%s\n\n%s\n\n", title, pre);
	const char *head[NTEXT_COLUMNS];
	for (size_t c = 0; c < NTEXT_COLUMNS; c++)
		head[c] = text_columns[c].header;
	head[5] = notice_basis_header(n);
	head[6] = stages[n->stage].prior_header;
	text_row(out, head);
	for (size_t i = 0; i < n->n; i++) {
		const struct notice_row *r = &n->rows[i];
		char no[24], size[16];
		snprintf(no, sizeof no, "%zu", i + 1);
		snprintf(size, sizeof size, "%d", r->size);
		const char *cells[NTEXT_COLUMNS] = { no,	 r->group_name, r->head_name, r->idcard,
						     size,	 r->basis,	r->prior_on };
		text_row(out, cells);
	}
	char date[32];
	notice_chinese_date(n->from, date);
	fprintf(out, "\n%s（盖章）\n%s\n", n->issuer, date);
	free(pre);
	free(title);
}
