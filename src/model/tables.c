/*
 * tables.c — what every ledger table holds, as data (struct table_def), and the
 * rules across fields that a single field cannot check.
 *
 * The columns here are the ones an officer enters; id, owner, village_code (for
 * TABLE_VILLAGE_CODE tables), created_at and updated_at are stamped by record.c.
 * Columns that only move through a procedure of their own are left out on
 * purpose: a project's stage (project.c), a problem's state, evidence and
 * finding (problem.c).
 * History is written by after_write hooks: a household's status changes go to
 * household_status_history, a member's departures to member_changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/date.h"
#include "taizhang/division.h"
#include "taizhang/idcard.h"
#include "taizhang/keyring.h"
#include "taizhang/model.h"
#include "taizhang/names.h"

#define REQ FIELD_REQUIRED
#define NF FIELD_NOT_FUTURE
#define F(col, label, type, flags) { col, label, type, flags, 0, 0, NULL, NULL }
#define FR(col, label, type, flags, lo, hi) { col, label, type, flags, lo, hi, NULL, NULL }
#define FE(col, label, flags, list) { col, label, FIELD_ENUM, flags, 0, 0, list, NULL }
#define FC(col, label, flags, list) { col, label, FIELD_CODES, flags, 0, 0, list, NULL }
#define FREF(col, label, flags, table) { col, label, FIELD_REF, flags, 0, 0, NULL, table }
#define TABLE(name, label, fields, flags, check, after) \
	{ name, label, fields, sizeof fields / sizeof fields[0], flags, check, after }

/* ---- helpers for the rules ---- */

static int32_t day_of(const struct record *r, const char *column)
{
	int32_t day = 0;
	const char *v = record_get(r, column);
	if (v != NULL)
		date_parse(v, &day);
	return day;
}

static long long int_of(const struct record *r, const char *column)
{
	const char *v = record_get(r, column);
	return v ? strtoll(v, NULL, 10) : 0;
}

static int is(const struct record *r, const char *column, const char *value)
{
	const char *v = record_get(r, column);
	return v != NULL && strcmp(v, value) == 0;
}

/* A refusal of r about the field column: names it in r->refused_column (for
 * the screen to put the cursor there) and returns status, the code of the
 * tz_error_set that wrote the message. */
static int refuse(struct record *r, const char *column, int status)
{
	r->refused_column = column;
	return status;
}

/* "later" (a date column) must not be before "earlier". */
static int not_before(struct record *r, const char *later, const char *earlier,
		      struct tz_error *err)
{
	int32_t a = day_of(r, later), b = day_of(r, earlier);
	if (a != 0 && b != 0 && a < b)
		return refuse(r, later, tz_error_set(err, TZ_EFAIL, "%s不能早于%s",
						     model_field(r->def, later)->label,
						     model_field(r->def, earlier)->label));
	return TZ_OK;
}

/* A table's check that is only "the end is not before the start": a function
 * named name for the TABLE row, with not_before's message. */
#define SPAN_CHECK(name, end, start)                                                    \
	static int name(struct store *s, struct record *r, struct tz_error *err)        \
	{                                                                               \
		(void)s;                                                                \
		return not_before(r, end, start, err);                                  \
	}

/* Run a query with text parameters; *count gets the first column of its row. */
static int count_query(struct store *s, const char *sql, const char *a, const char *b,
		       long long *count, struct tz_error *err)
{
	const char *params[] = { a, b };
	return store_query_ints(s, sql, params, 2, count, 1, "核对", err);
}

/* A history row of a record's write: into table, the row's own id, owner and
 * time, then columns (a list "a, b, c") set to params in order (text; NULL
 * for NULL). */
static int insert_history(struct store *s, const char *table, const char *columns,
			  const char *const *params, int nparams, struct tz_error *err)
{
	char id[IDS_NCHARS + 1], now[32], sql[256];
	ids_new(id);
	model_now(now);
	const char *all[3 + 8] = { id, store_keyring(s)->division_code, now };
	if (nparams > 8)
		abort(); /* a broken invariant: the callers below pass at most 6 */
	for (int i = 0; i < nparams; i++)
		all[3 + i] = params[i];
	int used = snprintf(sql, sizeof sql,
			    "INSERT INTO %s(id, owner, created_at, updated_at, %s) VALUES (?1, ?2, ?3, ?3",
			    table, columns);
	for (int i = 0; i < nparams && used > 0 && (size_t)used < sizeof sql; i++)
		used += snprintf(sql + used, sizeof sql - (size_t)used, ", ?%d", 4 + i);
	if (used <= 0 || (size_t)used + 2 > sizeof sql)
		abort(); /* a broken invariant: the tables and columns below fit */
	memcpy(sql + used, ")", 2);
	return store_exec_params(s, sql, all, 3 + nparams, "记录历史", err);
}

/* ---- households and members ---- */

static const struct field_def household_fields[] = {
	FREF("group_id", "村民小组", REQ, "villager_groups"),
	FR("household_no", "户编号", FIELD_TEXT, 0, 0, 40),
	F("address", "住址", FIELD_TEXT, 0),
	F("phone", "联系电话", FIELD_PHONE, 0),
	FE("status", "户状态", REQ, "household_status"),
	FE("poverty_cause", "主要致贫原因", 0, "poverty_cause"),
	FR("income_cents", "年人均纯收入", FIELD_MONEY, 0, 0, 100000000),
	F("identified_on", "识别日期", FIELD_DATE, NF),
	F("exited_on", "脱贫日期", FIELD_DATE, NF),
	F("note", "备注", FIELD_NOTE, 0),
};

static int household_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	if ((is(r, "status", "exited") || is(r, "status", "monitored")) &&
	    record_get(r, "exited_on") == NULL)
		return refuse(r, "exited_on",
			      tz_error_set(err, TZ_EFAIL, "户状态为已脱贫或脱贫监测时，请填写脱贫日期"));
	return not_before(r, "exited_on", "identified_on", err);
}

/* A status change (or the first status) goes to household_status_history. */
static int household_after_write(struct store *s, const struct record *r,
				 const struct record *before, struct tz_error *err)
{
	const char *status = record_get(r, "status");
	if (before != NULL && status && record_get(before, "status") &&
	    strcmp(status, record_get(before, "status")) == 0)
		return TZ_OK;
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	const char *on = today;
	if (before == NULL && record_get(r, "identified_on"))
		on = record_get(r, "identified_on");
	if ((is(r, "status", "exited") || is(r, "status", "monitored")) && record_get(r, "exited_on"))
		on = record_get(r, "exited_on");
	const char *params[] = { r->id, status, on, before ? "状态变更" : "建档" };
	return insert_history(s, "household_status_history", "household_id, status, on_date, reason",
			      params, 4, err);
}

static const struct field_def member_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FR("name", "姓名", FIELD_TEXT, REQ, 0, 30),
	F("idcard", "身份证号", FIELD_IDCARD, REQ),
	FE("relation", "与户主关系", REQ, "relation"),
	FE("sex", "性别", 0, "sex"),
	F("birth_date", "出生日期", FIELD_DATE, NF),
	FE("health", "健康状况", 0, "health"),
	FR("disability", "残疾类别和等级", FIELD_TEXT, 0, 0, 40),
	FE("schooling", "文化程度", 0, "schooling"),
	FE("work_ability", "劳动能力", 0, "work_ability"),
	F("phone", "联系电话", FIELD_PHONE, 0),
	FE("status", "成员状态", 0, "member_status"),
};

static int member_check(struct store *s, struct record *r, struct tz_error *err)
{
	struct idcard_info info;
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	if (idcard_check(record_get(r, "idcard"), today, &info, err) != TZ_OK)
		return refuse(r, "idcard", TZ_EFAIL);
	char sex[2] = { info.sex, '\0' };
	char birth[DATE_NCHARS + 1];
	snprintf(birth, sizeof birth, "%04d-%02d-%02d", info.year, info.month, info.day);
	/* Computed from the ID number when left empty; must agree when given. */
	if (record_get(r, "sex") == NULL)
		record_set(r, "sex", sex, err);
	else if (!is(r, "sex", sex))
		return refuse(r, "sex", tz_error_set(err, TZ_EFAIL, "性别与身份证号不符：身份证号第 17 位表示%s",
						     info.sex == 'M' ? "男" : "女"));
	if (record_get(r, "birth_date") == NULL)
		record_set(r, "birth_date", birth, err);
	else if (!is(r, "birth_date", birth))
		return refuse(r, "birth_date",
			      tz_error_set(err, TZ_EFAIL, "出生日期与身份证号不符：身份证号中的出生日期是 %s", birth));
	if (record_get(r, "status") == NULL)
		record_set(r, "status", "present", err);

	long long n;
	int rc = count_query(s, "SELECT count(*) FROM members WHERE idcard = ?1 AND id <> ?2",
			     record_get(r, "idcard"), r->id, &n, err);
	if (rc != TZ_OK)
		return rc;
	if (n > 0)
		return refuse(r, "idcard",
			      tz_error_set(err, TZ_EFAIL, "身份证号 %s 已登记在另一位成员名下，同一个人不能重复登记",
					   record_get(r, "idcard")));
	if (is(r, "relation", "head")) {
		rc = count_query(s,
				 "SELECT count(*) FROM members WHERE household_id = ?1 AND relation = 'head'"
				 " AND status = 'present' AND id <> ?2",
				 record_get(r, "household_id"), r->id, &n, err);
		if (rc != TZ_OK)
			return rc;
		if (n > 0)
			return refuse(r, "relation",
				      tz_error_set(err, TZ_EFAIL, "这一户已经有户主了，一户只能有一位户主"));
	}
	return TZ_OK;
}

/* A member who dies, moves or marries out is kept, with a member_changes row. */
static int member_after_write(struct store *s, const struct record *r,
			      const struct record *before, struct tz_error *err)
{
	static const struct name_text departures[] = { /* status, member_changes kind */
		{ "deceased", "death" },
		{ "moved_out", "move_out" },
		{ "married_out", "marry_out" },
	};
	const char *status = record_get(r, "status");
	if (before == NULL || status == NULL || is(before, "status", status))
		return TZ_OK;
	const char *kind = names_text(departures, NAMES_COUNT(departures), status);
	if (kind == NULL)
		kind = "correction";
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	const char *params[] = { record_get(r, "household_id"), r->id, kind, today };
	return insert_history(s, "member_changes", "household_id, member_id, kind, on_date", params, 4,
			      err);
}

static const struct field_def group_fields[] = {
	FR("name", "村民小组名称", FIELD_TEXT, REQ, 0, 20),
};

static const struct field_def status_history_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FE("status", "户状态", REQ, "household_status"),
	F("on_date", "日期", FIELD_DATE, REQ | NF),
	F("reason", "原因", FIELD_TEXT, 0),
};

static const struct field_def member_change_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FREF("member_id", "成员", 0, "members"),
	FE("kind", "变动类型", REQ, "member_change"),
	F("on_date", "变动日期", FIELD_DATE, REQ | NF),
	F("note", "说明", FIELD_TEXT, 0),
};

/* ---- marginal households ---- */

static const struct field_def marginal_fields[] = {
	FREF("group_id", "村民小组", 0, "villager_groups"),
	FR("head_name", "户主姓名", FIELD_TEXT, REQ, 0, 30),
	F("head_idcard", "户主身份证号", FIELD_IDCARD, REQ),
	FR("size", "家庭人口", FIELD_INT, REQ, 1, 30),
	F("address", "住址", FIELD_TEXT, 0),
	F("phone", "联系电话", FIELD_PHONE, 0),
	FR("income_cents", "年人均纯收入", FIELD_MONEY, 0, 0, 100000000),
	F("difficulty", "困难情况", FIELD_NOTE, 0),
	FC("risk_flags", "风险类型", 0, "risk_flag"),
	FE("state", "监测状态", REQ, "marginal_state"),
};

static const struct field_def marginal_measure_fields[] = {
	FREF("marginal_id", "边缘户", REQ, "marginal_households"),
	F("measure", "帮扶措施", FIELD_TEXT, REQ),
	F("on_date", "落实日期", FIELD_DATE, REQ | NF),
	FR("amount_cents", "金额", FIELD_MONEY, 0, 0, 0),
	FE("unit", "责任单位", 0, "unit"),
};

/* ---- 两评议两公示一比对一公告 ---- */

static const struct field_def procedure_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FE("procedure", "程序", REQ, "procedure"),
	FR("round", "轮次", FIELD_INT, 0, 1, 9),
	FE("step", "步骤", REQ, "procedure_step"),
	F("on_date", "日期", FIELD_DATE, REQ | NF),
	F("end_date", "公示截止日期", FIELD_DATE, 0),
	FE("outcome", "结果", REQ, "step_outcome"),
	FR("signer", "签字人", FIELD_TEXT, REQ, 0, 60),
	F("evidence", "佐证材料", FIELD_NOTE, 0),
};

/* Prepare sql, a question about r's procedure: ?1 its household, ?2 its
 * procedure, ?3 its round and ?4 step are bound. Returns TZ_OK with *st to
 * finalize, or the error. */
static int step_query(struct store *s, const struct record *r, const char *step, const char *sql,
		      sqlite3_stmt **st, struct tz_error *err)
{
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "核对程序步骤", err);
	sqlite3_bind_text(*st, 1, record_get(r, "household_id"), -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 2, record_get(r, "procedure"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(*st, 3, int_of(r, "round"));
	sqlite3_bind_text(*st, 4, step, -1, SQLITE_STATIC);
	return TZ_OK;
}

/* Steps run in code_list order; each needs the one before it, passed, no later
 * than itself; a public notice lasts at least the policy's notice_days. */
static int procedure_check(struct store *s, struct record *r, struct tz_error *err)
{
	if (record_get(r, "round") == NULL)
		record_set(r, "round", "1", err);
	const char *step = record_get(r, "step");
	int notice = strcmp(step, "village_notice") == 0 || strcmp(step, "town_notice") == 0;
	if (notice) {
		if (record_get(r, "end_date") == NULL)
			return refuse(r, "end_date", tz_error_set(err, TZ_EFAIL, "公示需要填写公示截止日期"));
		int rc = not_before(r, "end_date", "on_date", err);
		if (rc != TZ_OK)
			return rc;
		long long days = model_policy(s, "notice_days", 7);
		long long lasted = day_of(r, "end_date") - day_of(r, "on_date") + 1;
		if (lasted < days)
			return refuse(r, "end_date", tz_error_set(err, TZ_EFAIL, "公示只有 %lld 天，至少要公示 %lld 天",
								  lasted, days));
	} else if (record_get(r, "end_date") != NULL) {
		record_set(r, "end_date", NULL, err); /* only notices have one */
	}

	sqlite3_stmt *st;
	int rc = step_query(s, r, step,
			    "SELECT c.label, p.outcome, coalesce(p.end_date, p.on_date), p.id"
			    " FROM code_list c LEFT JOIN procedure_steps p ON p.step = c.code"
			    "  AND p.household_id = ?1 AND p.procedure = ?2 AND p.round = ?3"
			    " WHERE c.list = 'procedure_step' AND c.sort <"
			    "  (SELECT sort FROM code_list WHERE list = 'procedure_step' AND code = ?4)"
			    " ORDER BY c.sort DESC LIMIT 1",
			    &st, err);
	if (rc != TZ_OK)
		return rc;
	rc = sqlite3_step(st);
	int status = TZ_OK;
	if (rc == SQLITE_ROW) {
		const char *label = (const char *)sqlite3_column_text(st, 0);
		const char *outcome = (const char *)sqlite3_column_text(st, 1);
		const char *until = (const char *)sqlite3_column_text(st, 2);
		int32_t prev = 0;
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			status = refuse(r, "step", tz_error_set(err, TZ_EFAIL,
								"还没有完成上一步“%s”，不能先登记这一步", label));
		else if (outcome == NULL || strcmp(outcome, "passed") != 0)
			status = refuse(r, "step", tz_error_set(err, TZ_EFAIL, "上一步“%s”未通过，不能继续", label));
		else if (until && date_parse(until, &prev) && day_of(r, "on_date") < prev)
			status = refuse(r, "on_date", tz_error_set(err, TZ_EFAIL, "日期不能早于上一步“%s”（%s）",
								   label, until));
	} else if (rc != SQLITE_DONE) {
		status = store_sqlite_error(s, rc, "核对程序步骤", err);
	}
	sqlite3_finalize(st);
	if (status != TZ_OK)
		return status;
	rc = step_query(s, r, step,
			"SELECT count(*) FROM procedure_steps WHERE household_id = ?1"
			" AND procedure = ?2 AND round = ?3 AND step = ?4 AND id <> ?5",
			&st, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 5, r->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	long long dup = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "核对程序步骤", err);
	if (dup > 0)
		return refuse(r, "step", tz_error_set(err, TZ_EFAIL, "这一户本轮已经登记过这一步，请修改原记录"));
	return TZ_OK;
}

/* ---- four lists, sector records ---- */

static const struct field_def four_list_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FE("list", "清单", REQ, "four_list"),
	F("item", "内容", FIELD_TEXT, REQ),
	FR("responsible", "责任人", FIELD_TEXT, 0, 0, 60),
	F("due_date", "完成时限", FIELD_DATE, 0),
	F("done_date", "完成日期", FIELD_DATE, NF),
};

static const struct field_def family_doctor_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	F("signed_on", "签约日期", FIELD_DATE, REQ | NF),
	F("valid_until", "有效期至", FIELD_DATE, 0),
	FR("doctor", "签约医生", FIELD_TEXT, REQ, 0, 60),
};

SPAN_CHECK(family_doctor_check, "valid_until", "signed_on")

static const struct field_def chronic_fields[] = {
	FREF("member_id", "成员", REQ, "members"),
	FR("disease", "病种", FIELD_TEXT, REQ, 0, 60),
	FR("card_no", "慢病卡号", FIELD_TEXT, 0, 0, 40),
	F("since", "确诊日期", FIELD_DATE, NF),
};

static const struct field_def reimbursement_fields[] = {
	FREF("member_id", "成员", REQ, "members"),
	F("on_date", "报销日期", FIELD_DATE, REQ | NF),
	FR("policy", "报销政策", FIELD_TEXT, 0, 0, 40),
	F("total_cents", "医疗总费用", FIELD_MONEY, REQ),
	F("reimbursed_cents", "报销金额", FIELD_MONEY, REQ),
};

static int reimbursement_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	if (int_of(r, "reimbursed_cents") > int_of(r, "total_cents"))
		return refuse(r, "reimbursed_cents", tz_error_set(err, TZ_EFAIL, "报销金额不能超过医疗总费用"));
	return TZ_OK;
}

static const struct field_def schooling_fields[] = {
	FREF("member_id", "学生", REQ, "members"),
	FE("stage", "学段", REQ, "school_stage"),
	FE("state", "就学状态", REQ, "school_state"),
	FR("school", "学校", FIELD_TEXT, 0, 0, 60),
	F("dropout_reason", "辍学原因", FIELD_TEXT, 0),
	F("as_of", "核实日期", FIELD_DATE, REQ | NF),
};

static int schooling_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	if (is(r, "state", "dropped_out")) {
		if (record_get(r, "dropout_reason") == NULL)
			return refuse(r, "dropout_reason", tz_error_set(err, TZ_EFAIL, "辍学时请填写辍学原因"));
	} else if (record_get(r, "dropout_reason") != NULL) {
		record_set(r, "dropout_reason", NULL, err); /* shown only for dropouts */
	}
	return TZ_OK;
}

static const struct field_def yulu_fields[] = {
	FREF("member_id", "学生", REQ, "members"),
	FR("year", "年度", FIELD_INT, REQ, 2000, 2100),
	F("amount_cents", "补助金额", FIELD_MONEY, REQ),
	F("paid_on", "发放日期", FIELD_DATE, NF),
};

static const struct field_def housing_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FE("rating", "房屋安全等级", REQ, "house_rating"),
	F("assessed_on", "鉴定日期", FIELD_DATE, REQ | NF),
	FE("renovation", "危房改造", REQ, "renovation"),
	F("renovated_on", "改造完成日期", FIELD_DATE, NF),
	F("subsidy_cents", "改造补助", FIELD_MONEY, 0),
	FE("drinking_water", "饮水安全", 0, "drinking_water"),
};

static int housing_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	if (is(r, "renovation", "done") && record_get(r, "renovated_on") == NULL)
		return refuse(r, "renovated_on",
			      tz_error_set(err, TZ_EFAIL, "危房改造已完成时，请填写改造完成日期"));
	return TZ_OK;
}

static const struct field_def industry_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FE("kind", "产业类型", REQ, "industry_kind"),
	F("description", "产业内容", FIELD_TEXT, REQ),
	FR("year", "年度", FIELD_INT, REQ, 2000, 2100),
	F("subsidy_cents", "奖补金额", FIELD_MONEY, 0),
	F("income_cents", "产业收入", FIELD_MONEY, 0),
};

static const struct field_def employment_fields[] = {
	FREF("member_id", "务工人员", REQ, "members"),
	FE("kind", "就业方式", REQ, "job_kind"),
	FR("employer", "就业单位或地点", FIELD_TEXT, 0, 0, 60),
	F("start_on", "开始日期", FIELD_DATE, REQ | NF),
	F("end_on", "结束日期", FIELD_DATE, 0),
	F("monthly_income_cents", "月收入", FIELD_MONEY, 0),
};

/* A span from start_on to end_on (a job, a social-security benefit). */
SPAN_CHECK(start_end_check, "end_on", "start_on")

static const struct field_def loan_fields[] = {
	FREF("household_id", "借款户", REQ, "households"),
	FR("bank", "放贷银行", FIELD_TEXT, REQ, 0, 60),
	FR("amount_cents", "贷款金额", FIELD_MONEY, REQ, 1, 0),
	F("issued_on", "放款日期", FIELD_DATE, REQ | NF),
	FR("term_months", "期限（月）", FIELD_INT, REQ, 1, 120),
	F("due_on", "到期日期", FIELD_DATE, REQ),
	F("interest_subsidy_cents", "贴息金额", FIELD_MONEY, 0),
	F("repaid_cents", "已还金额", FIELD_MONEY, 0),
	F("repaid_on", "还清日期", FIELD_DATE, NF),
	FE("state", "贷款状态", REQ, "loan_state"),
};

static int loan_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	if (record_get(r, "repaid_cents") == NULL)
		record_set(r, "repaid_cents", "0", err);
	if (day_of(r, "due_on") <= day_of(r, "issued_on"))
		return refuse(r, "due_on", tz_error_set(err, TZ_EFAIL, "到期日期必须晚于放款日期"));
	if (int_of(r, "repaid_cents") > int_of(r, "amount_cents"))
		return refuse(r, "repaid_cents", tz_error_set(err, TZ_EFAIL, "已还金额不能超过贷款金额"));
	if (is(r, "state", "repaid") &&
	    (int_of(r, "repaid_cents") != int_of(r, "amount_cents") || record_get(r, "repaid_on") == NULL))
		return refuse(r, int_of(r, "repaid_cents") != int_of(r, "amount_cents") ? "repaid_cents" : "repaid_on",
			      tz_error_set(err, TZ_EFAIL, "贷款已还清时，已还金额应等于贷款金额，并填写还清日期"));
	return not_before(r, "repaid_on", "issued_on", err);
}

static const struct field_def insurance_fields[] = {
	FREF("household_id", "参保户", REQ, "households"),
	FE("kind", "险种", REQ, "insurance_kind"),
	FR("insurer", "承保机构", FIELD_TEXT, 0, 0, 60),
	FR("year", "年度", FIELD_INT, REQ, 2000, 2100),
	F("premium_cents", "保费", FIELD_MONEY, 0),
};

static const struct field_def security_fields[] = {
	FREF("household_id", "所属户", REQ, "households"),
	FREF("member_id", "享受人", 0, "members"),
	FE("kind", "保障类型", REQ, "security_kind"),
	F("start_on", "开始日期", FIELD_DATE, REQ),
	F("end_on", "结束日期", FIELD_DATE, 0),
	F("monthly_cents", "月保障金额", FIELD_MONEY, 0),
};

/* ---- cadres, 双包, visits ---- */

static const struct field_def cadre_fields[] = {
	FR("name", "姓名", FIELD_TEXT, REQ, 0, 30),
	FR("unit", "工作单位", FIELD_TEXT, REQ, 0, 60),
	FE("role", "身份", REQ, "cadre_role"),
	F("phone", "联系电话", FIELD_PHONE, 0),
};

static const struct field_def unit_assignment_fields[] = {
	FR("unit", "帮扶单位", FIELD_TEXT, REQ, 0, 60),
	F("since", "开始日期", FIELD_DATE, REQ),
	F("until", "结束日期", FIELD_DATE, 0),
};

static const struct field_def cadre_assignment_fields[] = {
	FREF("cadre_id", "帮扶责任人", REQ, "cadres"),
	FREF("household_id", "帮扶户", REQ, "households"),
	F("since", "开始日期", FIELD_DATE, REQ),
	F("until", "结束日期", FIELD_DATE, 0),
};

SPAN_CHECK(period_check, "until", "since")

static const struct field_def visit_fields[] = {
	FREF("cadre_id", "帮扶责任人", REQ, "cadres"),
	FREF("household_id", "走访户", REQ, "households"),
	F("visited_on", "走访日期", FIELD_DATE, REQ | NF),
	F("collect_info", "认真收集信息", FIELD_BOOL, 0),
	F("check_documents", "认真核查资料", FIELD_BOOL, 0),
	F("explain_policy", "认真宣传政策", FIELD_BOOL, 0),
	F("carry_out_measures", "认真落实措施", FIELD_BOOL, 0),
	F("hear_opinions", "认真听取意见", FIELD_BOOL, 0),
	F("solve_difficulties", "认真解决困难", FIELD_BOOL, 0),
	F("notes", "走访情况", FIELD_NOTE, 0),
};

static int visit_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	static const char *const six[] = { "collect_info", "check_documents", "explain_policy",
					   "carry_out_measures", "hear_opinions", "solve_difficulties" };
	int any = 0;
	for (size_t i = 0; i < sizeof six / sizeof six[0]; i++) {
		if (record_get(r, six[i]) == NULL)
			record_set(r, six[i], "0", err);
		any |= is(r, six[i], "1");
	}
	if (!any)
		return refuse(r, six[0],
			      tz_error_set(err, TZ_EFAIL, "请至少勾选一项“六个认真”，说明这次走访做了什么"));
	return TZ_OK;
}

/* ---- staff, leaders, bases, trainings, cases, complaints ---- */

static const struct field_def staff_fields[] = {
	FR("name", "姓名", FIELD_TEXT, REQ, 0, 30),
	FE("role", "岗位", REQ, "staff_role"),
	F("full_time", "是否专职", FIELD_BOOL, REQ),
	F("phone", "联系电话", FIELD_PHONE, 0),
	F("since", "到岗日期", FIELD_DATE, REQ | NF),
	F("until", "离岗日期", FIELD_DATE, 0),
};

static const struct field_def leader_fields[] = {
	FR("name", "姓名", FIELD_TEXT, REQ, 0, 30),
	F("idcard", "身份证号", FIELD_IDCARD, REQ),
	F("phone", "联系电话", FIELD_PHONE, 0),
	FR("industry", "从事产业", FIELD_TEXT, REQ, 0, 60),
	F("trained", "是否参加培训", FIELD_BOOL, 0),
	F("in_national_system", "是否录入全国系统", FIELD_BOOL, 0),
	FR("poor_employed", "带动贫困户就业人数", FIELD_INT, 0, 0, 100000),
};

static int leader_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	static const char *const zero[] = { "trained", "in_national_system", "poor_employed" };
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (record_get(r, zero[i]) == NULL)
			record_set(r, zero[i], "0", err);
	return TZ_OK;
}

static const struct field_def base_fields[] = {
	FR("name", "基地名称", FIELD_TEXT, REQ, 0, 60),
	FR("industry", "主导产业", FIELD_TEXT, REQ, 0, 60),
	F("address", "地址", FIELD_TEXT, 0),
	F("established_on", "建成日期", FIELD_DATE, REQ | NF),
};

static const struct field_def training_fields[] = {
	F("held_on", "培训日期", FIELD_DATE, REQ | NF),
	F("title", "培训主题", FIELD_TEXT, REQ),
	FE("kind", "培训类型", REQ, "training_kind"),
	FR("organiser", "主办单位", FIELD_TEXT, 0, 0, 60),
	FR("participants", "参训人数", FIELD_INT, REQ, 0, 100000),
};

static const struct field_def case_fields[] = {
	FE("kind", "类型", REQ, "case_kind"),
	F("title", "标题", FIELD_TEXT, REQ),
	F("summary", "主要事迹或做法", FIELD_NOTE, REQ),
	F("recorded_on", "记录日期", FIELD_DATE, REQ | NF),
};

static const struct field_def complaint_fields[] = {
	FE("kind", "类型", REQ, "complaint_kind"),
	F("received_on", "受理日期", FIELD_DATE, REQ | NF),
	FR("source", "来源", FIELD_TEXT, 0, 0, 60),
	F("summary", "反映的问题", FIELD_NOTE, REQ),
	FR("handler", "承办人", FIELD_TEXT, 0, 0, 30),
	FE("state", "办理状态", REQ, "complaint_state"),
	F("result", "查处结果", FIELD_NOTE, 0),
	F("closed_on", "办结日期", FIELD_DATE, NF),
};

static int complaint_check(struct store *s, struct record *r, struct tz_error *err)
{
	(void)s;
	if (is(r, "state", "concluded") &&
	    (record_get(r, "result") == NULL || record_get(r, "closed_on") == NULL))
		return refuse(r, record_get(r, "result") == NULL ? "result" : "closed_on",
			      tz_error_set(err, TZ_EFAIL, "办结时请填写查处结果和办结日期（有报必查）"));
	return not_before(r, "closed_on", "received_on", err);
}

/* ---- inspections (task 17, db/013_report.sql) ---- */

static const struct field_def inspection_fields[] = {
	F("inspected_on", "检查日期", FIELD_DATE, REQ | NF),
	FE("kind", "检查方式", REQ, "inspection_kind"),
	FR("inspector", "检查单位", FIELD_TEXT, REQ, 0, 60),
	FR("village_code", "被检查村（居）代码", FIELD_TEXT, 0, 0, 12),
	F("scope", "检查内容", FIELD_NOTE, REQ),
	FR("problems_found", "发现问题数", FIELD_INT, 0, 0, 100000),
	F("result", "检查结果和处理", FIELD_NOTE, 0),
};

/* The village inspected: a village store records what it was inspected for
 * itself (its own code, filled in when left empty); at the town it is one of
 * the villages the town holds, or empty for the town's units as a whole. */
static int inspection_check(struct store *s, struct record *r, struct tz_error *err)
{
	const struct keyring *kr = store_keyring(s);
	const char *code = record_get(r, "village_code");
	if (record_get(r, "problems_found") == NULL)
		record_set(r, "problems_found", "0", err);
	if (code == NULL) {
		if (kr->kind == STORE_KIND_VILLAGE)
			return record_set(r, "village_code", kr->division_code, err);
		return TZ_OK;
	}
	if (kr->kind == STORE_KIND_VILLAGE && strcmp(code, kr->division_code) != 0)
		return refuse(r, "village_code",
			      tz_error_set(err, TZ_EFAIL, "村级台账只登记本村接受的检查：被检查村（居）代码请留空或写本村代码 %s",
					   kr->division_code));
	if (!division_code_valid(code))
		return refuse(r, "village_code",
			      tz_error_set(err, TZ_EFAIL, "被检查村（居）代码“%s”不对：应为 12 位行政区划代码，检查镇直单位时留空",
					   code));
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT 1 FROM villages WHERE code = ?1", &st, "核对被检查村", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && kr->kind == STORE_KIND_TOWN)
		return refuse(r, "village_code",
			      tz_error_set(err, TZ_EFAIL, "被检查村（居）代码 %s 不是本镇台账里的村，请核对代码", code));
	return TZ_OK;
}

/* ---- projects ---- */

static const struct field_def project_fields[] = {
	FR("name", "项目名称", FIELD_TEXT, REQ, 0, 80),
	FE("kind", "项目类型", REQ, "project_kind"),
	FR("year", "年度", FIELD_INT, REQ, 2000, 2100),
	F("funds_cents", "资金规模", FIELD_MONEY, REQ),
	FR("funds_source", "资金来源", FIELD_TEXT, 0, 0, 60),
	F("performance_target", "绩效目标", FIELD_NOTE, REQ),
	F("evaluation", "绩效评价", FIELD_NOTE, 0),
	F("evaluated_on", "评价日期", FIELD_DATE, NF),
	FE("unit", "责任单位", 0, "unit"),
};

/* A new project starts as 村申请 on the day it is entered. */
static int project_after_write(struct store *s, const struct record *r,
			       const struct record *before, struct tz_error *err)
{
	if (before != NULL)
		return TZ_OK;
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	const char *stage[] = { today, r->id };
	int rc = store_exec_params(s, "UPDATE projects SET stage = 'applied', stage_on = ?1 WHERE id = ?2",
				   stage, 2, "保存项目", err);
	if (rc != TZ_OK)
		return rc;
	const char *params[] = { r->id, "applied", today, store_user(s) };
	return insert_history(s, "project_stages", "project_id, stage, on_date, by_user", params, 4,
			      err);
}

static const struct field_def monitoring_fields[] = {
	FREF("project_id", "项目", REQ, "projects"),
	F("on_date", "监控日期", FIELD_DATE, REQ | NF),
	FR("progress_percent", "完成进度（%）", FIELD_INT, REQ, 0, 100),
	F("spent_cents", "已支出资金", FIELD_MONEY, REQ),
	F("note", "说明", FIELD_NOTE, 0),
};

/* ---- the problem ledger (entered here; its state moves in problem.c) ---- */

static const struct field_def problem_fields[] = {
	/* Numbers whose names are rows of the reference tables (db/003_reference.sql). */
	{ "area", "问题方面", FIELD_INT, REQ, 1, 10, NULL, "problem_areas" },
	{ "task", "对应任务", FIELD_INT, REQ, 1, 19, NULL, "tasks" },
	F("title", "问题", FIELD_TEXT, REQ),
	F("description", "具体情况", FIELD_NOTE, 0),
	FE("source", "问题来源", REQ, "problem_source"),
	FREF("household_id", "相关住户", 0, "households"),
	FE("responsible_unit", "责任单位", REQ, "unit"),
	FR("responsible_person", "责任人", FIELD_TEXT, REQ, 0, 30),
	F("deadline", "整改期限", FIELD_DATE, REQ),
	F("measures", "整改措施", FIELD_NOTE, 0),
};

/* A new problem starts open, and its history says who opened it. */
static int problem_after_write(struct store *s, const struct record *r,
			       const struct record *before, struct tz_error *err)
{
	if (before != NULL)
		return TZ_OK;
	char now[32];
	model_now(now);
	const char *params[] = { r->id, NULL, "open", store_user(s), now, "登记" };
	return insert_history(s, "problem_events", "problem_id, from_state, to_state, by_user, at, note",
			      params, 6, err);
}

/* ---- the campaign's deliverables (rows made by deliverable.c; a hand-in is
 * recorded here, the town's confirmation in deliverable.c) ---- */

static const struct field_def deliverable_fields[] = {
	F("handed_in_on", "提交日期", FIELD_DATE, NF),
	FR("handed_in_by", "提交人", FIELD_TEXT, 0, 0, 30),
	FR("signed_by", "审签人", FIELD_TEXT, 0, 0, 30),
	FR("kept_where", "存放位置", FIELD_TEXT, 0, 0, 100),
	F("note", "说明", FIELD_NOTE, 0),
};

static const struct table_def tables[] = {
	TABLE("villager_groups", "村民小组", group_fields, TABLE_VILLAGE_CODE, NULL, NULL),
	TABLE("households", "建档立卡户", household_fields, TABLE_VILLAGE_CODE, household_check,
	      household_after_write),
	TABLE("members", "家庭成员", member_fields, 0, member_check, member_after_write),
	TABLE("household_status_history", "户状态记录", status_history_fields, 0, NULL, NULL),
	TABLE("member_changes", "成员变动", member_change_fields, 0, NULL, NULL),
	TABLE("marginal_households", "边缘户", marginal_fields, TABLE_VILLAGE_CODE, NULL, NULL),
	TABLE("marginal_measures", "边缘户帮扶措施", marginal_measure_fields, 0, NULL, NULL),
	TABLE("procedure_steps", "识别退出程序", procedure_fields, 0, procedure_check, NULL),
	TABLE("four_lists", "四个清单", four_list_fields, 0, NULL, NULL),
	TABLE("family_doctor", "家庭医生签约", family_doctor_fields, 0, family_doctor_check, NULL),
	TABLE("chronic_illness", "慢性病", chronic_fields, 0, NULL, NULL),
	TABLE("medical_reimbursements", "医疗报销", reimbursement_fields, 0, reimbursement_check, NULL),
	TABLE("schooling", "就学情况", schooling_fields, 0, schooling_check, NULL),
	TABLE("yulu_subsidies", "雨露计划补助", yulu_fields, 0, NULL, NULL),
	TABLE("housing", "住房安全", housing_fields, 0, housing_check, NULL),
	TABLE("industry", "产业扶贫", industry_fields, 0, NULL, NULL),
	TABLE("employment", "就业扶贫", employment_fields, 0, start_end_check, NULL),
	TABLE("loans", "扶贫小额信贷", loan_fields, 0, loan_check, NULL),
	TABLE("insurance", "保险", insurance_fields, 0, NULL, NULL),
	TABLE("social_security", "社会保障", security_fields, 0, start_end_check, NULL),
	TABLE("cadres", "帮扶责任人", cadre_fields, TABLE_VILLAGE_CODE, NULL, NULL),
	TABLE("unit_assignments", "单位包村", unit_assignment_fields, TABLE_VILLAGE_CODE, period_check, NULL),
	TABLE("cadre_assignments", "干部包户", cadre_assignment_fields, 0, period_check, NULL),
	TABLE("visits", "走访记录", visit_fields, 0, visit_check, NULL),
	TABLE("staff", "扶贫工作室人员", staff_fields, TABLE_VILLAGE_CODE, period_check, NULL),
	TABLE("business_leaders", "致富带头人", leader_fields, TABLE_VILLAGE_CODE, leader_check, NULL),
	TABLE("training_bases", "致富带头人培训基地", base_fields, TABLE_VILLAGE_CODE, NULL, NULL),
	TABLE("trainings", "业务培训", training_fields, 0, NULL, NULL),
	TABLE("typical_cases", "典型经验", case_fields, 0, NULL, NULL),
	TABLE("complaints", "信访和问题线索", complaint_fields, 0, complaint_check, NULL),
	TABLE("inspections", "督查检查", inspection_fields, 0, inspection_check, NULL),
	TABLE("projects", "扶贫项目", project_fields, TABLE_VILLAGE_CODE, NULL, project_after_write),
	TABLE("problems", "问题", problem_fields, TABLE_VILLAGE_CODE, NULL, problem_after_write),
	TABLE("project_monitoring", "项目绩效监控", monitoring_fields, 0, NULL, NULL),
	TABLE("deliverables", "交付事项", deliverable_fields, 0, deliverable_check, NULL),
};

#define NTABLES (sizeof tables / sizeof tables[0])

const struct table_def *model_table(const char *table)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].table, table) == 0)
			return &tables[i];
	return NULL;
}

const char *model_table_label(const char *table)
{
	const struct table_def *def = table ? model_table(table) : NULL;
	return def ? def->label : table ? table : "";
}

const struct table_def *const *model_tables(size_t *n)
{
	static const struct table_def *list[NTABLES];
	for (size_t i = 0; i < NTABLES; i++)
		list[i] = &tables[i];
	*n = NTABLES;
	return list;
}
