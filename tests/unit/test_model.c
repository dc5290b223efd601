/*
 * test_model.c — the one rule set for entering records: every field type, the
 * rules across fields, and history kept by the model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/date.h"
#include "taizhang/idcard.h"
#include "taizhang/model.h"
#include "taizhang/project.h"

#include "fixture.h"
#include "unit.h"

#define TODAY "2019-05-20"

struct model_fixture {
	struct fixture fx;
	char group[IDS_NCHARS + 1];
	char household[IDS_NCHARS + 1];
};

static int setup(void **state)
{
	struct model_fixture *f = fixture_new_village(sizeof *f, TODAY);
	if (f == NULL)
		return -1;
	fixture_add_group(f->fx.s, f->group);
	struct tz_error err;
	const char *household[] = { "group_id", f->group, "status", "帮扶中", "income_cents", "3,200.5",
				    "identified_on", "2016年3月1日", NULL };
	if (fixture_insert(f->fx.s, "households", household, f->household, &err) != TZ_OK)
		fail_msg("household: %s", err.msg);
	*state = f;
	return 0;
}

/* field_check of one value of table.column: returns the status; *out the
 * normalised value (caller frees) and msg the message. */
static int check(struct model_fixture *f, const char *table, const char *column, const char *text,
		 char **out, char *msg)
{
	struct tz_error err = { 0 };
	const struct field_def *fd = model_field(model_table(table), column);
	assert_non_null(fd);
	char *norm = NULL;
	int rc = field_check(f->fx.s, fd, text, &norm, &err);
	if (out)
		*out = norm;
	else
		free(norm);
	if (msg)
		snprintf(msg, TZ_ERROR_NBYTES, "%s", err.msg);
	return rc;
}

/* A value typed into table.column and what becomes of it: STORED as want, or
 * REFUSED with a message that says want. */
struct typed {
	const char *table, *column, *text;
	enum { STORED, REFUSED } outcome;
	const char *want;
};

/* Check every case of the n at cases on f's store, in order. */
static void check_typed(struct model_fixture *f, const struct typed *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct typed *c = &cases[i];
		char *out = NULL;
		char msg[TZ_ERROR_NBYTES];
		int rc = check(f, c->table, c->column, c->text, &out, msg);
		if (c->outcome == STORED) {
			if (rc != TZ_OK)
				fail_msg("%s.%s refused “%s”: %s", c->table, c->column, c->text, msg);
			assert_string_equal(out, c->want);
		} else {
			if (rc == TZ_OK)
				fail_msg("%s.%s accepted “%s”", c->table, c->column, c->text);
			if (strstr(msg, c->want) == NULL)
				fail_msg("message “%s” does not say “%s”", msg, c->want);
		}
		free(out);
	}
}

/* What each kind of field makes of what is typed into it, in the order the
 * cases are checked. */
static const struct typed typed[] = {
	/* Money is 元 with at most two decimals. */
	{ "loans", "amount_cents", "50000", STORED, "5000000" },
	{ "loans", "amount_cents", "1,234.5", STORED, "123450" },
	{ "loans", "amount_cents", "￥12.34元", STORED, "1234" },
	{ "loans", "amount_cents", "１２.５", STORED, "1250" },
	{ "loans", "amount_cents", "12.345", REFUSED, "两位小数" },
	{ "loans", "amount_cents", "1,0", REFUSED, "应为金额" }, /* commas only between groups of three */
	{ "loans", "amount_cents", "1234,567", REFUSED, "应为金额" },
	{ "loans", "amount_cents", "99999999999999999999", REFUSED, "应为金额" },
	{ "loans", "amount_cents", "-5", REFUSED, "负数" },
	{ "loans", "amount_cents", "五万", REFUSED, "贷款金额" },
	{ "loans", "amount_cents", "0", REFUSED, "不能小于" },
	{ "loans", "amount_cents", "", REFUSED, "请填写贷款金额" },

	/* Dates are real ones, and visits are not in the future. */
	{ "visits", "visited_on", "2019-05-20", STORED, "2019-05-20" },
	{ "visits", "visited_on", "2019/5/3", STORED, "2019-05-03" },
	{ "visits", "visited_on", "2019年5月3日", STORED, "2019-05-03" },
	{ "visits", "visited_on", "20190503", STORED, "2019-05-03" },
	{ "visits", "visited_on", "2019-05-21", REFUSED, "不能晚于今天" },
	{ "visits", "visited_on", "2019-02-29", REFUSED, "不是有效日期" },
	{ "visits", "visited_on", "2020-02-30", REFUSED, "走访日期" },
	/* A deadline may be in the future. */
	{ "loans", "due_on", "2022-05-20", STORED, "2022-05-20" },

	/* ID numbers, phone numbers and integers. */
	{ "members", "idcard", "11010519491231002x", STORED, "11010519491231002X" },
	{ "members", "idcard", "１１０１０５１９４９１２３１００２Ｘ", STORED, "11010519491231002X" },
	{ "members", "idcard", "110105194912310021", REFUSED, "身份证号" },
	{ "members", "idcard", "11010519491231002", REFUSED, "18 位" },
	{ "members", "phone", "138 1234 5678", STORED, "13812345678" },
	{ "members", "phone", "0564-1234567", STORED, "0564-1234567" },
	{ "members", "phone", "12812345678", REFUSED, "联系电话" },
	{ "members", "phone", "1381234567", REFUSED, "11 位手机号" },
	{ "loans", "term_months", "36", STORED, "36" },
	{ "loans", "term_months", "121", REFUSED, "1 到 120" },
	{ "loans", "term_months", "3.5", REFUSED, "整数" },

	/* Code lists take their codes or their Chinese labels. */
	{ "households", "status", "已脱贫", STORED, "exited" },
	{ "households", "status", "exited", STORED, "exited" },
	{ "households", "status", "脱贫了", REFUSED, "新识别、帮扶中、已脱贫、脱贫监测、返贫" },
	{ "marginal_households", "risk_flags", "重病、灾害，重病", STORED, "illness,disaster" },
	{ "marginal_households", "risk_flags", "重病，没钱", REFUSED, "风险类型" },
	{ "visits", "collect_info", "是", STORED, "1" },
	{ "visits", "collect_info", "否", STORED, "0" },
	{ "visits", "collect_info", "也许", REFUSED, "只能填“是”或“否”" },

	/* Text is one clean line within its length. */
	{ "members", "name", "  欧阳秀兰 ", STORED, "欧阳秀兰" },
	{ "members", "name", "张\n三", REFUSED, "只能写一行" },
	{ "members", "name", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", REFUSED, "最多 30 个字" },
	{ "members", "name", "\xe5\xbc", REFUSED, "无法识别" },
	{ "visits", "notes", "第一行\n第二行", STORED, "第一行\n第二行" },
	{ "members", "name", "   ", REFUSED, "请填写姓名" },
	{ "members", "household_id", "0123456789abcdef0123456789abcdef", REFUSED, "不存在" },
};

UNIT_TEST(each_field_stores_what_is_typed_normalised_or_refuses_it_naming_the_field, setup,
	  fixture_teardown)
{
	check_typed(*state, typed, sizeof typed / sizeof typed[0]);
}

/* record_update of r (loaded from f's store and changed) in a transaction of
 * its own, rolled back when it fails. Returns the status, err saying why. */
static int update(struct model_fixture *f, struct record *r, struct tz_error *err)
{
	int rc = store_tx_begin(f->fx.s, err);
	if (rc != TZ_OK)
		return rc;
	rc = record_update(f->fx.s, r, err);
	if (rc == TZ_OK)
		return store_tx_commit(f->fx.s, err);
	store_tx_rollback(f->fx.s);
	return rc;
}

/* update r, failing the test when the model refuses it, and free it. */
static void save(struct model_fixture *f, struct record *r)
{
	struct tz_error err;
	if (update(f, r, &err) != TZ_OK)
		fail_msg("%s", err.msg);
	record_free(r);
}

static int insert_member(struct model_fixture *f, const char *name, const char *idcard,
			 const char *relation, const char *sex, char *id_out, struct tz_error *err)
{
	const char *member[] = { "household_id", f->household, "name", name, "idcard", idcard,
				 "relation", relation, "sex", sex, NULL };
	return fixture_insert(f->fx.s, "members", member, id_out, err);
}

UNIT_TEST(members_take_sex_and_birth_from_the_id_and_are_unique, setup, fixture_teardown)
{
	struct model_fixture *f = *state;
	struct tz_error err;
	char head[IDS_NCHARS + 1], id[19], wife[19];
	idcard_make(id, "341522", 1970, 3, 15, 11);  /* odd: male */
	idcard_make(wife, "341522", 1972, 8, 1, 22); /* even: female */
	assert_int_equal(insert_member(f, "张三", id, "户主", NULL, head, &err), TZ_OK);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM members WHERE sex = 'M' AND birth_date = '1970-03-15'"), 1);
	assert_int_equal(insert_member(f, "李四", wife, "配偶", "男", NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "性别与身份证号不符"));
	assert_int_equal(insert_member(f, "李四", wife, "配偶", "女", NULL, &err), TZ_OK);
	assert_int_equal(insert_member(f, "张三重复", id, "子女", NULL, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "已登记"));
	char other[19];
	idcard_make(other, "341522", 1995, 1, 1, 31);
	assert_int_equal(insert_member(f, "张五", other, "户主", NULL, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "一户只能有一位户主"));
	/* Nothing half-saved: the refused rows are not there. */
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM members"), 2);

	/* A departure is kept as history, the member is not overwritten. */
	struct record r;
	assert_int_equal(record_load(f->fx.s, model_table("members"), head, &r, &err), TZ_OK);
	record_set(&r, "status", "死亡", &err);
	save(f, &r);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM member_changes WHERE kind = 'death'"), 1);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM members WHERE status = 'deceased'"), 1);
}

UNIT_TEST(household_status_changes_are_kept_as_history, setup, fixture_teardown)
{
	struct model_fixture *f = *state;
	struct tz_error err;
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM household_status_history WHERE status = 'helped' AND on_date = '2016-03-01'"), 1);
	assert_int_equal(fixture_int(f->fx.s, "SELECT income_cents FROM households"), 320050);
	struct record r;
	assert_int_equal(record_load(f->fx.s, model_table("households"), f->household, &r, &err), TZ_OK);
	assert_string_equal(record_get(&r, "income_cents"), "3200.50");
	record_set(&r, "status", "已脱贫", &err);
	assert_int_equal(update(f, &r, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "脱贫日期"));
	record_set(&r, "exited_on", "2015-01-01", &err);
	assert_int_equal(update(f, &r, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "脱贫日期不能早于识别日期"));
	record_set(&r, "exited_on", "2018-12-20", &err);
	save(f, &r);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM household_status_history"), 2);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM household_status_history WHERE status = 'exited' AND on_date = '2018-12-20'"), 1);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM audit_log WHERE action = 'update' AND subject LIKE 'households:%'"), 1);
}

static int add_step(struct model_fixture *f, const char *step, const char *on, const char *end,
		    const char *outcome, struct tz_error *err)
{
	const char *row[] = { "household_id", f->household, "procedure", "identify", "step", step,
			      "on_date", on, "end_date", end, "outcome", outcome, "signer", "王支书", NULL };
	return fixture_insert(f->fx.s, "procedure_steps", row, NULL, err);
}

UNIT_TEST(procedure_steps_run_in_order_and_notices_last_long_enough, setup, fixture_teardown)
{
	struct model_fixture *f = *state;
	struct tz_error err;
	assert_int_equal(add_step(f, "village_review", "2016-01-05", NULL, "通过", &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "村民小组评议"));
	assert_int_equal(add_step(f, "group_review", "2016-01-03", NULL, "通过", &err), TZ_OK);
	assert_int_equal(add_step(f, "group_review", "2016-01-03", NULL, "通过", &err), TZ_EFAIL);
	assert_int_equal(add_step(f, "village_review", "2016-01-02", NULL, "通过", &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "不能早于上一步"));
	assert_int_equal(add_step(f, "village_review", "2016-01-05", NULL, "通过", &err), TZ_OK);
	/* Six days is too short for a notice; exactly seven is enough. */
	assert_int_equal(add_step(f, "village_notice", "2016-01-06", "2016-01-11", "通过", &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "至少要公示 7 天"));
	assert_int_equal(add_step(f, "village_notice", "2016-01-06", NULL, "通过", &err), TZ_EFAIL);
	assert_int_equal(add_step(f, "village_notice", "2016-01-06", "2016-01-12", "通过", &err), TZ_OK);
	assert_int_equal(add_step(f, "comparison", "2016-01-10", NULL, "通过", &err), TZ_EFAIL);
	assert_int_equal(add_step(f, "comparison", "2016-01-13", NULL, "未通过", &err), TZ_OK);
	assert_int_equal(add_step(f, "town_notice", "2016-01-14", "2016-01-20", "通过", &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "未通过"));
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM procedure_steps"), 4);
}

/* fixture_insert into f's store; the new row's id is not kept. */
static int insert_row(struct model_fixture *f, const char *table, const char *const *pairs,
		      struct tz_error *err)
{
	return fixture_insert(f->fx.s, table, pairs, NULL, err);
}

UNIT_TEST(rules_across_fields, setup, fixture_teardown)
{
	struct model_fixture *f = *state;
	struct tz_error err;
	char child[19], member[IDS_NCHARS + 1];
	idcard_make(child, "341522", 2008, 9, 9, 41);
	assert_int_equal(insert_member(f, "张小明", child, "子女", NULL, member, &err), TZ_OK);

	const char *dropout_no_reason[] = { "member_id", member, "stage", "初中", "state", "辍学", "as_of", "2019-05-01", NULL };
	assert_int_equal(insert_row(f, "schooling", dropout_no_reason, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "辍学原因"));
	const char *in_school_reason[] = { "member_id", member, "stage", "初中", "state", "在校", "dropout_reason", "厌学", "as_of", "2019-05-01", NULL };
	assert_int_equal(insert_row(f, "schooling", in_school_reason, &err), TZ_OK);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM schooling WHERE dropout_reason IS NULL"), 1);

	const char *loan_due_before[] = { "household_id", f->household, "bank", "农商行", "amount_cents", "50000",
					  "issued_on", "2018-03-01", "term_months", "36", "due_on", "2018-02-01",
					  "state", "在贷", NULL };
	assert_int_equal(insert_row(f, "loans", loan_due_before, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "到期日期"));
	const char *loan_repaid_partly[] = { "household_id", f->household, "bank", "农商行", "amount_cents", "50000",
					     "issued_on", "2018-03-01", "term_months", "36", "due_on", "2021-03-01",
					     "repaid_cents", "20000", "state", "已还清", NULL };
	assert_int_equal(insert_row(f, "loans", loan_repaid_partly, &err), TZ_EFAIL);
	const char *loan_ok[] = { "household_id", f->household, "bank", "农商行", "amount_cents", "50000",
				  "issued_on", "2018-03-01", "term_months", "36", "due_on", "2021-03-01",
				  "state", "在贷", NULL };
	assert_int_equal(insert_row(f, "loans", loan_ok, &err), TZ_OK);
	assert_int_equal(fixture_int(f->fx.s, "SELECT repaid_cents FROM loans"), 0);

	char cadre_id[IDS_NCHARS + 1];
	const char *cadre[] = { "name", "刘干部", "unit", "县林业局", "role", "帮扶单位干部", NULL };
	assert_int_equal(fixture_insert(f->fx.s, "cadres", cadre, cadre_id, &err), TZ_OK);
	const char *visit_nothing[] = { "cadre_id", cadre_id, "household_id", f->household, "visited_on", "2019-05-10", NULL };
	assert_int_equal(insert_row(f, "visits", visit_nothing, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "六个认真"));
	const char *visit_ok[] = { "cadre_id", cadre_id, "household_id", f->household, "visited_on", "2019-05-10",
				   "explain_policy", "是", NULL };
	assert_int_equal(insert_row(f, "visits", visit_ok, &err), TZ_OK);
	assert_int_equal(fixture_int(f->fx.s, "SELECT collect_info + explain_policy FROM visits"), 1);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM visits WHERE (SELECT village_code FROM cadres) = '341522104201'"), 1);
}

UNIT_TEST(updates_only_touch_rows_of_this_store, setup, fixture_teardown)
{
	struct model_fixture *f = *state;
	struct tz_error err;
	assert_int_equal(store_tx_begin(f->fx.s, &err), TZ_OK);
	assert_int_equal(store_exec(f->fx.s, "UPDATE households SET owner = '341522104000'", &err), TZ_OK);
	assert_int_equal(store_tx_commit(f->fx.s, &err), TZ_OK);
	struct record r;
	assert_int_equal(record_load(f->fx.s, model_table("households"), f->household, &r, &err), TZ_OK);
	record_set(&r, "address", "张庄组 1 号", &err);
	assert_int_equal(update(f, &r, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "本村自己的记录"));
	record_free(&r);
	/* And nothing is written outside a transaction. */
	record_init(&r, model_table("villager_groups"));
	record_set(&r, "name", "李洼组", &err);
	assert_int_equal(record_insert(f->fx.s, &r, &err), TZ_EFAIL);
	record_free(&r);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM villager_groups"), 1);
}

UNIT_TEST(projects_move_through_their_stages_in_order, setup, fixture_teardown)
{
	struct model_fixture *f = *state;
	struct tz_error err;
	char project[IDS_NCHARS + 1];
	const char *row[] = { "name", "光伏电站扩建", "kind", "产业发展", "year", "2019", "funds_cents", "300000",
			      "performance_target", "带动 30 户年增收 3000 元", NULL };
	if (fixture_insert(f->fx.s, "projects", row, project, &err) != TZ_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM projects WHERE stage = 'applied' AND stage_on = '" TODAY "'"), 1);
	assert_int_equal(project_move(f->fx.s, project, "部门审核", NULL, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "逐级审批"));
	assert_int_equal(project_move(f->fx.s, project, "镇初审", "2019-05-01", NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "不能早于"));
	assert_int_equal(project_move(f->fx.s, project, "镇初审", NULL, "材料齐全", &err), TZ_OK);
	assert_int_equal(project_move(f->fx.s, project, "rejected", NULL, "资金来源不明", &err), TZ_OK);
	assert_int_equal(project_move(f->fx.s, project, "dept_review", NULL, NULL, &err), TZ_EFAIL);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM project_stages WHERE by_user = '" FIXTURE_USER "'"), 3);
	assert_int_equal(fixture_int(f->fx.s, "SELECT count(*) FROM projects WHERE stage = 'rejected'"), 1);
}

int main(void)
{
	return unit_run("model", NULL, NULL);
}
