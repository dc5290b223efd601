/*
 * demo_rows.c — how the demo writes its rows, and reads back the households
 * it wrote (see demo_internal.h for how the demo's files fit).
 *
 * The demo writes with its own SQL, not through record_insert: it writes
 * rows the model's validation would refuse on purpose (ids beginning with
 * DEMO_INVALID_ID_PREFIX), and a village of 100000 households must be quick.
 * Groups, households and members have their own prepared statements; every
 * other table is an entry of demo_tables, its INSERT prepared on first use,
 * and is written with DEMO_ROW. owner is the village, created_at and
 * updated_at the demo's fixed stamp, so rows reproduce byte for byte.
 *
 * Errors are sticky (struct demo's rc): after the first failure every further
 * row is skipped, and the batch that was running rolls back (demo.c).
 */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"

static void bind_text(sqlite3_stmt *st, int index, const char *text)
{
	if (text == NULL || text[0] == '\0')
		sqlite3_bind_null(st, index);
	else
		sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC);
}

/* Step st (all parameters bound) and reset it for the next row. */
static int step_insert(struct demo *d, sqlite3_stmt *st, const char *what,
		       struct tz_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(d->s, rc, what, err);
	return TZ_OK;
}

/* The tables demo_insert writes: the primary key's column, then the columns
 * that follow it in a DEMO_ROW (owner, created_at and updated_at are added). */
static const struct {
	const char *table;
	const char *key;
	const char *columns;
	const char *what; /* for the error message: 写入演示... */
} demo_tables[DEMO_T_COUNT] = {
	[DEMO_T_VILLAGES] = { "villages", "code", "name, town_code, kind, population", "村庄" },
	[DEMO_T_STATUS_HISTORY] = { "household_status_history", "id",
				    "household_id, status, on_date, reason", "户状态记录" },
	[DEMO_T_MEMBER_CHANGES] = { "member_changes", "id",
				    "household_id, member_id, kind, on_date, note", "成员变动" },
	[DEMO_T_MARGINAL] = { "marginal_households", "id",
			      "village_code, group_id, head_name, head_idcard, size, address, phone,"
			      " income_cents, difficulty, risk_flags, state",
			      "边缘户" },
	[DEMO_T_MARGINAL_MEASURES] = { "marginal_measures", "id",
				       "marginal_id, measure, on_date, amount_cents, unit", "边缘户帮扶措施" },
	[DEMO_T_PROCEDURE_STEPS] = { "procedure_steps", "id",
				     "household_id, procedure, round, step, on_date, end_date, outcome,"
				     " signer, evidence",
				     "识别退出程序" },
	[DEMO_T_FOUR_LISTS] = { "four_lists", "id",
				"household_id, list, item, responsible, due_date, done_date", "四个清单" },
	[DEMO_T_FAMILY_DOCTOR] = { "family_doctor", "id", "household_id, signed_on, valid_until, doctor",
				   "家庭医生签约" },
	[DEMO_T_CHRONIC] = { "chronic_illness", "id", "member_id, disease, card_no, since", "慢性病" },
	[DEMO_T_REIMBURSEMENTS] = { "medical_reimbursements", "id",
				    "member_id, on_date, policy, total_cents, reimbursed_cents", "医疗报销" },
	[DEMO_T_SCHOOLING] = { "schooling", "id",
			       "member_id, stage, state, school, dropout_reason, as_of", "就学情况" },
	[DEMO_T_YULU] = { "yulu_subsidies", "id", "member_id, year, amount_cents, paid_on",
			  "雨露计划补助" },
	[DEMO_T_HOUSING] = { "housing", "id",
			     "household_id, rating, assessed_on, renovation, renovated_on, subsidy_cents,"
			     " drinking_water",
			     "住房安全" },
	[DEMO_T_INDUSTRY] = { "industry", "id",
			      "household_id, kind, description, year, subsidy_cents, income_cents",
			      "产业扶贫" },
	[DEMO_T_EMPLOYMENT] = { "employment", "id",
				"member_id, kind, employer, start_on, end_on, monthly_income_cents",
				"就业扶贫" },
	[DEMO_T_LOANS] = { "loans", "id",
			   "household_id, bank, amount_cents, issued_on, term_months, due_on,"
			   " interest_subsidy_cents, repaid_cents, repaid_on, state",
			   "扶贫小额信贷" },
	[DEMO_T_INSURANCE] = { "insurance", "id", "household_id, kind, insurer, year, premium_cents",
			       "保险" },
	[DEMO_T_SECURITY] = { "social_security", "id",
			      "household_id, member_id, kind, start_on, end_on, monthly_cents",
			      "社会保障" },
	[DEMO_T_CADRES] = { "cadres", "id", "village_code, name, unit, role, phone", "帮扶责任人" },
	[DEMO_T_UNIT_ASSIGNMENTS] = { "unit_assignments", "id", "unit, village_code, since, until",
				      "单位包村" },
	[DEMO_T_CADRE_ASSIGNMENTS] = { "cadre_assignments", "id",
				       "cadre_id, household_id, since, until", "干部包户" },
	[DEMO_T_VISITS] = { "visits", "id",
			    "cadre_id, household_id, visited_on, collect_info, check_documents,"
			    " explain_policy, carry_out_measures, hear_opinions, solve_difficulties,"
			    " notes",
			    "走访记录" },
	[DEMO_T_STAFF] = { "staff", "id", "village_code, name, role, full_time, phone, since, until",
			   "扶贫工作室人员" },
	[DEMO_T_LEADERS] = { "business_leaders", "id",
			     "village_code, name, idcard, phone, industry, trained,"
			     " in_national_system, poor_employed",
			     "致富带头人" },
	[DEMO_T_BASES] = { "training_bases", "id",
			   "village_code, name, industry, address, established_on", "培训基地" },
	[DEMO_T_TRAININGS] = { "trainings", "id", "held_on, title, kind, organiser, participants",
			       "业务培训" },
	[DEMO_T_CASES] = { "typical_cases", "id", "kind, title, summary, recorded_on", "典型经验" },
	[DEMO_T_COMPLAINTS] = { "complaints", "id",
				"kind, received_on, source, summary, handler, state, result, closed_on",
				"信访和问题线索" },
	[DEMO_T_INSPECTIONS] = { "inspections", "id",
				 "inspected_on, kind, inspector, village_code, scope, problems_found,"
				 " result",
				 "督查检查" },
	[DEMO_T_PROJECTS] = { "projects", "id",
			      "village_code, name, kind, year, funds_cents, funds_source,"
			      " performance_target, stage, stage_on, evaluation, evaluated_on, unit",
			      "扶贫项目" },
	[DEMO_T_PROJECT_STAGES] = { "project_stages", "id", "project_id, stage, on_date, by_user, note",
				    "项目审批环节" },
	[DEMO_T_MONITORING] = { "project_monitoring", "id",
				"project_id, on_date, progress_percent, spent_cents, note",
				"项目绩效监控" },
	[DEMO_T_PROBLEMS] = { "problems", "id",
			      "village_code, area, task, title, description, source, finding_rule,"
			      " finding_ref, household_id, responsible_unit, responsible_person,"
			      " deadline, measures, evidence, state",
			      "问题" },
	[DEMO_T_PROBLEM_EVENTS] = { "problem_events", "id",
				    "problem_id, from_state, to_state, by_user, at, note", "问题处理记录" },
	[DEMO_T_ROSTER_IMPORTS] = { "roster_imports", "id",
				    "kind, file_name, encoding, rows, imported_at, imported_by",
				    "名册导入记录" },
	[DEMO_T_DIBAO_ROSTER] = { "dibao_roster", "id",
				  "import_id, line, village, head_name, head_idcard, name, idcard,"
				  " relation, size, monthly_cents",
				  "低保名册" },
	[DEMO_T_MEMBERS_RAW] = { "members", "id",
				 "household_id, name, idcard, relation, sex, birth_date, health,"
				 " disability, schooling, work_ability, phone, status",
				 "家庭成员" },
};

static size_t count_columns(const char *columns)
{
	size_t n = 1;
	for (const char *p = columns; *p; p++)
		n += *p == ',';
	return n;
}

/* The statement of table, prepared on first use. */
static sqlite3_stmt *table_statement(struct demo *d, enum demo_table table)
{
	if (d->stmts[table] != NULL)
		return d->stmts[table];
	char sql[1024];
	size_t n = snprintf(sql, sizeof sql,
			    "INSERT INTO %s(%s, owner, created_at, updated_at, %s) VALUES (?1, ?2, ?3, ?3",
			    demo_tables[table].table, demo_tables[table].key,
			    demo_tables[table].columns);
	size_t ncolumns = count_columns(demo_tables[table].columns);
	for (size_t i = 0; i < ncolumns && n < sizeof sql; i++)
		n += snprintf(sql + n, sizeof sql - n, ", ?%zu", i + 4);
	if (n + 2 >= sizeof sql) {
		d->rc = tz_error_set(d->err, TZ_EFAIL, "内部错误：演示数据的语句太长");
		return NULL;
	}
	memcpy(sql + n, ")", 2);
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &d->stmts[table], NULL);
	if (rc != SQLITE_OK) {
		d->rc = store_sqlite_error(d->s, rc, "准备写入演示数据", d->err);
		return NULL;
	}
	return d->stmts[table];
}

void demo_insert(struct demo *d, enum demo_table table, const char *id,
		 const struct demo_val *values, size_t nvalues)
{
	if (d->rc != TZ_OK)
		return;
	sqlite3_stmt *st = table_statement(d, table);
	if (st == NULL)
		return;
	if (nvalues != count_columns(demo_tables[table].columns)) {
		d->rc = tz_error_set(d->err, TZ_EFAIL, "内部错误：演示数据%s的列数不对",
				     demo_tables[table].what);
		return;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, d->village, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->stamp, -1, SQLITE_STATIC);
	for (size_t i = 0; i < nvalues; i++) {
		int n = (int)i + 4;
		const struct demo_val *v = &values[i];
		char day[DATE_NCHARS + 1];
		if (v->kind == DEMO_V_TEXT && v->text != NULL && v->text[0] != '\0') {
			sqlite3_bind_text(st, n, v->text, -1, SQLITE_TRANSIENT);
		} else if (v->kind == DEMO_V_INT) {
			sqlite3_bind_int64(st, n, v->num);
		} else if (v->kind == DEMO_V_DAY && v->num != DEMO_NO_DAY) {
			date_format((int32_t)v->num, day);
			sqlite3_bind_text(st, n, day, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_null(st, n);
		}
	}
	char what[64];
	snprintf(what, sizeof what, "写入演示%s", demo_tables[table].what);
	d->rc = step_insert(d, st, what, d->err);
}

void demo_exec(struct demo *d, const char *sql, const char *p1, const char *p2,
	       const char *p3)
{
	if (d->rc != TZ_OK)
		return;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		d->rc = store_sqlite_error(d->s, rc, "写入演示数据", d->err);
		return;
	}
	const char *params[] = { p1, p2, p3 };
	for (int i = 0; i < 3 && params[i] != NULL; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		d->rc = store_sqlite_error(d->s, rc, "写入演示数据", d->err);
}

int demo_prepare(struct demo *d, const char *sql, sqlite3_stmt **out, struct tz_error *err)
{
	int rc = sqlite3_prepare_v2(d->db, sql, -1, out, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(d->s, rc, "准备写入演示数据", err);
	return TZ_OK;
}

int demo_rows_prepare(struct demo *d, struct tz_error *err)
{
	int rc = demo_prepare(d,
			 "INSERT INTO villager_groups(id, owner, village_code, name, created_at,"
			 " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
			 &d->insert_group, err);
	if (rc == TZ_OK)
		rc = demo_prepare(d,
			     "INSERT INTO households(id, owner, village_code, group_id,"
			     " household_no, address, phone, status, poverty_cause,"
			     " income_cents, identified_on, exited_on, note, created_at,"
			     " updated_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			     " ?13, ?14, ?15)",
			     &d->insert_household, err);
	if (rc == TZ_OK)
		rc = demo_prepare(d,
			     "INSERT INTO members(id, owner, household_id, name, idcard,"
			     " relation, sex, birth_date, health, disability, schooling,"
			     " work_ability, phone, status, created_at, updated_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			     " ?13, ?14, ?15, ?16)",
			     &d->insert_member, err);
	return rc;
}

void demo_rows_finalize(struct demo *d)
{
	sqlite3_finalize(d->insert_group);
	sqlite3_finalize(d->insert_household);
	sqlite3_finalize(d->insert_member);
	for (size_t i = 0; i < DEMO_T_COUNT; i++)
		sqlite3_finalize(d->stmts[i]);
}

int demo_insert_groups(struct demo *d, struct tz_error *err)
{
	sqlite3_stmt *st = d->insert_group;
	for (int i = 0; i < d->ngroups; i++) {
		bind_text(st, 1, d->groups[i].id);
		bind_text(st, 2, d->village);
		bind_text(st, 3, d->village);
		bind_text(st, 4, d->groups[i].name->name);
		bind_text(st, 5, d->stamp);
		int rc = step_insert(d, st, "写入演示村民小组", err);
		if (rc != TZ_OK)
			return rc;
	}
	return TZ_OK;
}

int demo_insert_household(struct demo *d, const struct household *h, struct tz_error *err)
{
	sqlite3_stmt *st = d->insert_household;
	bind_text(st, 1, h->id);
	bind_text(st, 2, d->village);
	bind_text(st, 3, d->village);
	bind_text(st, 4, d->groups[h->group].id);
	sqlite3_bind_null(st, 5); /* household_no */
	bind_text(st, 6, h->address);
	bind_text(st, 7, h->phone);
	bind_text(st, 8, h->status);
	bind_text(st, 9, h->cause);
	sqlite3_bind_int64(st, 10, h->income_cents);
	bind_text(st, 11, h->identified_on);
	bind_text(st, 12, h->exited_on);
	bind_text(st, 13, h->note);
	bind_text(st, 14, d->stamp);
	bind_text(st, 15, d->stamp);
	int rc = step_insert(d, st, "写入演示住户", err);

	st = d->insert_member;
	for (int i = 0; rc == TZ_OK && i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		char sex[2] = { m->sex, '\0' };
		bind_text(st, 1, m->id);
		bind_text(st, 2, d->village);
		bind_text(st, 3, h->id);
		bind_text(st, 4, m->name);
		bind_text(st, 5, m->idcard);
		bind_text(st, 6, m->relation);
		bind_text(st, 7, sex);
		bind_text(st, 8, m->birth_text);
		bind_text(st, 9, m->health);
		bind_text(st, 10, m->disability);
		bind_text(st, 11, m->schooling);
		bind_text(st, 12, m->work_ability);
		bind_text(st, 13, m->phone);
		bind_text(st, 14, m->status);
		bind_text(st, 15, d->stamp);
		bind_text(st, 16, d->stamp);
		rc = step_insert(d, st, "写入演示家庭成员", err);
	}
	return rc;
}

/* One household of the village matching where (an SQL condition on h, the
 * head m and the group g, with the date ?1 = today), chosen with r; found = 0
 * when none. (The village's own: a town store holds other villages too.) */
struct picked demo_pick_household(struct demo *d, struct rng *r, const char *where)
{
	struct picked p;
	memset(&p, 0, sizeof p);
	if (d->rc != TZ_OK)
		return p;
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "SELECT h.id, m.name, g.name, h.identified_on FROM households h"
		 " JOIN members m ON m.household_id = h.id AND m.relation = 'head'"
		 " JOIN villager_groups g ON g.id = h.group_id"
		 " WHERE h.village_code = ?2 AND (%s) ORDER BY h.rowid",
		 where);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		d->rc = store_sqlite_error(d->s, rc, "选择演示住户", d->err);
		return p;
	}
	sqlite3_bind_text(st, 1, d->today_text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->village, -1, SQLITE_STATIC);
	/* Reservoir sampling: one pass, every row equally likely. */
	uint64_t seen = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rng_below(r, ++seen) != 0)
			continue;
		snprintf(p.id, sizeof p.id, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(p.head, sizeof p.head, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(p.group, sizeof p.group, "%s", (const char *)sqlite3_column_text(st, 2));
		if (!date_parse((const char *)sqlite3_column_text(st, 3), &p.identified))
			p.identified = d->today - YEAR_DAYS;
		p.found = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		d->rc = store_sqlite_error(d->s, rc, "选择演示住户", d->err);
	return p;
}
