/*
 * rules.c — the table of precision checks, the runner every rule uses, and the
 * step from findings to problems (see include/taizhang/rules.h).
 *
 * The rules themselves live one group to a file (rules_guarantee.c,
 * rules_procedure.c, rules_people.c, rules_village.c, rules_followup.c); each
 * is a const struct rule whose logic is one SQL statement (or, in
 * rules_procedure.c, a pass in C over the steps and a statement describing what
 * it found, handed over as :json). What each is called, says it checks, and
 * where its findings go (title, description, area, task, unit, guarantee) is
 * data, data/rules.ini, which this file reads once (libinih, from the copy the
 * binary carries) into the rules it hands out, joined by id. This file only
 * lists them, in the order the officer reads them, and runs them: rules_find_sql
 * binds the statement's named parameters by name (so a rule asks for exactly the
 * policy numbers it uses, and a policy number missing from the table is an
 * error, never a silent default) and collects its rows.
 *
 * After each rule has run, its findings get their area, task and responsible
 * unit (findings_place). Turning findings into problems names that unit's code
 * and the household's cadre.
 *
 * Deliberately not here: any rule logic, printing, the visit figure
 * (rules_visits.c) and the monitoring view (rules_watch.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "rules_data.h" /* RULES_DATA_rules: data/rules.ini (scripts/embed.sh) */
#include "rules_internal.h"
#include "taizhang/problem.h"
#include "taizhang/utf8.h"

#define POLICY_PREFIX ":policy_"

/* The order the rules run and are shown in: by the campaign's tasks. */
static const struct rule *const rule_logic[] = {
	&rule_procedure_step_missing,
	&rule_procedure_step_order,
	&rule_procedure_notice_short,
	&rule_duplicate_idcard,
	&rule_marginal_no_measure,
	&rule_household_unsafe_water,
	&rule_exited_low_income,
	&rule_exited_no_family_doctor,
	&rule_poor_no_family_doctor,
	&rule_household_no_medical_insurance,
	&rule_exited_dropout_child,
	&rule_poor_child_out_of_school,
	&rule_exited_unsafe_house,
	&rule_poor_unsafe_house,
	&rule_project_stuck,
	&rule_poor_village_few_leaders,
	&rule_village_few_bases,
	&rule_member_too_old,
	&rule_member_born_after_record,
	&rule_staff_out_of_range,
	&rule_cadre_missed_visit,
	&rule_problem_overdue,
};
#define NRULES (sizeof rule_logic / sizeof rule_logic[0])

/* ---- the rules' text and place (data/rules.ini) ---- */

/* The rules as they are handed out: each of rule_logic completed with its
 * section of data/rules.ini (rules_load); all_rules points at them. */
static struct rule loaded[NRULES];
static const struct rule *all_rules[NRULES];

static struct rule *loaded_rule(const char *id)
{
	for (size_t i = 0; i < NRULES; i++)
		if (strcmp(loaded[i].id, id) == 0)
			return &loaded[i];
	return NULL;
}

/* value as a whole number in min..max into *out; 0 when it is not one. */
static int whole_number(const char *value, int min, int max, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < min || n > max)
		return 0;
	*out = (int)n;
	return 1;
}

/* *text with more appended (libinih hands a value continued over indented
 * lines over line by line), in memory of its own. */
static void text_append(const char **text, const char *more)
{
	char *joined = xasprintf("%s%s", *text != NULL ? *text : "", more);
	free((char *)*text);
	*text = joined;
}

/* libinih's handler: one key of the section of a rule. 0 (an error) for a
 * section that names no rule, an unknown key or a number out of range. */
static int data_key(void *user, const char *section, const char *name, const char *value)
{
	(void)user;
	struct rule *r = loaded_rule(section);
	if (r == NULL)
		return 0;
	if (strcmp(name, "title") == 0)
		text_append(&r->title, value);
	else if (strcmp(name, "description") == 0)
		text_append(&r->description, value);
	else if (strcmp(name, "unit") == 0)
		text_append(&r->unit, value);
	else if (strcmp(name, "guarantee") == 0)
		text_append(&r->guarantee, value);
	else if (strcmp(name, "area") == 0)
		return whole_number(value, 1, 10, &r->area);
	else if (strcmp(name, "task") == 0)
		return whole_number(value, 1, 19, &r->task);
	else
		return 0;
	return 1;
}

/* Complete the rules from data/rules.ini (through rules_load: once, whichever
 * thread asks first). The file is part of the program: a mistake in it (a
 * line libinih refuses, a section that names no rule, a rule without its
 * title, description, area and task) is a broken invariant, said and aborted
 * on (test_rules runs every rule). */
static void rules_load_once(void)
{
	for (size_t i = 0; i < NRULES; i++) {
		loaded[i] = *rule_logic[i];
		all_rules[i] = &loaded[i];
	}
	int line = ini_parse_string(RULES_DATA_rules, data_key, NULL);
	for (size_t i = 0; line == 0 && i < NRULES; i++)
		if (loaded[i].title == NULL || loaded[i].description == NULL ||
		    loaded[i].area == 0 || loaded[i].task == 0) {
			fprintf(stderr, "内部错误：src/rules/data/rules.ini 缺少核查规则 %s 的名称、说明、方面或任务\n",
				loaded[i].id);
			abort();
		}
	if (line != 0) {
		fprintf(stderr, "内部错误：src/rules/data/rules.ini 第 %d 行有误\n", line);
		abort();
	}
}

static void rules_load(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, rules_load_once);
}

const struct rule *const *rules_all(size_t *n)
{
	rules_load();
	*n = NRULES;
	return all_rules;
}

const struct rule *rules_find(const char *id)
{
	rules_load();
	for (size_t i = 0; id != NULL && i < NRULES; i++)
		if (strcmp(all_rules[i]->id, id) == 0 || strcmp(all_rules[i]->title, id) == 0)
			return all_rules[i];
	return NULL;
}

/* ---- findings ---- */

static struct finding *findings_push(struct findings *f)
{
	struct finding *item = VEC_PUSH(f->items, f->n, f->cap);
	memset(item, 0, sizeof *item);
	return item;
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct finding *x = &f->items[i];
		free(x->village_code);
		free(x->table);
		free(x->row_id);
		free(x->ref);
		free(x->household_id);
		free(x->detail);
		free(x->unit);
		free(x->unit_name);
	}
	free(f->items);
	memset(f, 0, sizeof *f);
}

/* ---- the runner ---- */

int rules_policy(struct store *s, const char *key, sqlite3_int64 *value,
			struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT value FROM policy WHERE key = ?1", &st, "读取政策参数",
			       err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return tz_error_set(err, TZ_EFAIL,
				    "政策参数“%s”不在参数表（policy）中，无法核查；请向镇扶贫办索取最新参考数据",
				    key);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "读取政策参数", err);
	return TZ_OK;
}

static int bind_parameters(struct rules_ctx *ctx, const struct rule *r, sqlite3_stmt *st,
			   struct tz_error *err)
{
	int n = sqlite3_bind_parameter_count(st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		if (name == NULL)
			return tz_error_set(err, TZ_EFAIL, "内部错误：核查规则“%s”有未命名的参数", r->title);
		if (strcmp(name, ":village") == 0) {
			if (ctx->village != NULL)
				sqlite3_bind_text(st, i, ctx->village, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, i);
		} else if (strcmp(name, ":as_of") == 0) {
			sqlite3_bind_text(st, i, ctx->as_of, -1, SQLITE_STATIC);
		} else if (strcmp(name, ":json") == 0) {
			sqlite3_bind_text(st, i, ctx->json, -1, SQLITE_STATIC);
		} else if (strcmp(name, ":members") == 0) {
			int rc = rules_members_read(ctx, err);
			if (rc != TZ_OK)
				return rc;
			sqlite3_bind_pointer(st, i, ctx->members, RULES_MEMBERS_POINTER, NULL);
		} else if (strncmp(name, POLICY_PREFIX, strlen(POLICY_PREFIX)) == 0) {
			sqlite3_int64 value = 0;
			int rc = rules_policy(ctx->s, name + strlen(POLICY_PREFIX), &value, err);
			if (rc != TZ_OK)
				return rc;
			sqlite3_bind_int64(st, i, value);
		} else {
			return tz_error_set(err, TZ_EFAIL, "内部错误：核查规则 %s 的参数 %s 无法识别",
					    r->title, name);
		}
	}
	return TZ_OK;
}

int rules_find_sql(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
		   struct tz_error *err)
{
	return rules_run_sql(r, r->sql, ctx, out, err);
}

int rules_run_sql(const struct rule *r, const char *sql, struct rules_ctx *ctx,
		  struct findings *out, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(ctx->s, sql, &st, "运行核查规则", err);
	if (rc != TZ_OK)
		return rc;
	rc = bind_parameters(ctx, r, st, err);
	if (rc != TZ_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct finding *f = findings_push(out);
		f->rule = r;
		f->village_code = xstrdup((const char *)sqlite3_column_text(st, 0));
		f->table = xstrdup((const char *)sqlite3_column_text(st, 1));
		f->row_id = xstrdup((const char *)sqlite3_column_text(st, 2));
		f->ref = xstrdup((const char *)sqlite3_column_text(st, 3));
		f->household_id = xstrdup((const char *)sqlite3_column_text(st, 4));
		f->detail = xstrdup((const char *)sqlite3_column_text(st, 5));
		if (f->village_code == NULL || f->table == NULL || f->row_id == NULL ||
		    f->ref == NULL || f->detail == NULL) {
			sqlite3_finalize(st);
			return tz_error_set(err, TZ_EFAIL,
					    "核查规则“%s”的结果缺少必要的列（记录 %s），请检查数据", r->title,
					    f->row_id ? f->row_id : "?");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(ctx->s, rc, "运行核查规则", err);
	return TZ_OK;
}

int rules_run_json(const struct rule *r, const char *json, struct rules_ctx *ctx,
		   struct findings *out, struct tz_error *err)
{
	ctx->json = json;
	int rc = rules_run_sql(r, r->sql, ctx, out, err);
	ctx->json = NULL;
	return rc;
}

/* ---- the unit responsible ---- */

/* The unit of rule r's findings: r->unit among its task's lead units, else
 * the task's first lead unit; its code, name and kind into the caller's
 * buffers. TZ_EFAIL when the task has no such lead unit. */
static int rule_unit(struct store *s, const struct rule *r, char code[64], char name[256],
		     int *is_village, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT u.code, u.name, u.kind = 'village'"
				  " FROM task_units tu JOIN units u ON u.code = tu.unit"
				  " WHERE tu.task = ?1 AND tu.role = 'lead'"
				  " AND (?2 IS NULL OR tu.unit = ?2) ORDER BY tu.sort LIMIT 1",
			       &st, "读取牵头责任单位", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_int(st, 1, r->task);
	sqlite3_bind_text(st, 2, r->unit, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(code, 64, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(name, 256, "%s", (const char *)sqlite3_column_text(st, 1));
		*is_village = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return tz_error_set(err, TZ_EFAIL,
				    "任务 %d 没有%s牵头责任单位（参考数据 task_units 缺失），"
				    "请向镇扶贫办索取最新参考数据",
				    r->task, r->unit ? r->unit : "");
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "读取牵头责任单位", err);
	return TZ_OK;
}

/* Fill area, task and unit of rule r's findings out->items[from..n): the
 * village's own name for a unit of kind village (各村(居)). */
static int findings_place(struct store *s, const struct rule *r, struct findings *out,
			  size_t from, struct tz_error *err)
{
	if (from == out->n)
		return TZ_OK;
	char code[64], name[256];
	int is_village = 0;
	int rc = rule_unit(s, r, code, name, &is_village, err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_stmt *st = NULL;
	if (is_village &&
	    (rc = store_prepare(s, "SELECT COALESCE((SELECT v.name FROM villages v WHERE v.code = ?1),"
				   " (SELECT m.value FROM store_meta m WHERE m.key = 'name'"
				   "  AND (SELECT c.value FROM store_meta c WHERE c.key = 'code') = ?1),"
				   " ?1)",
				&st, "读取村名", err)) != TZ_OK)
		return rc;
	for (size_t i = from; i < out->n && rc == TZ_OK; i++) {
		struct finding *f = &out->items[i];
		f->area = r->area;
		f->task = r->task;
		f->unit = xstrdup(code);
		if (!is_village) {
			f->unit_name = xstrdup(name);
			continue;
		}
		if (i > from && strcmp(f->village_code, out->items[i - 1].village_code) == 0) {
			f->unit_name = xstrdup(out->items[i - 1].unit_name);
			continue;
		}
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, f->village_code, -1, SQLITE_STATIC);
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW)
			f->unit_name = xstrdup((const char *)sqlite3_column_text(st, 0));
		else
			rc = store_sqlite_error(s, src, "读取村名", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int rules_run_one(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
		  struct tz_error *err)
{
	size_t from = out->n;
	int rc = r->find != NULL ? r->find(r, ctx, out, err) : rules_find_sql(r, ctx, out, err);
	if (rc == TZ_OK)
		rc = findings_place(ctx->s, r, out, from, err);
	if (rc != TZ_OK)
		tz_error_prefix(err, "核查规则“%s”", r->title);
	return rc;
}

/* as_of (or today) as YYYY-MM-DD into out, and its day number. */
static int resolve_as_of(const struct rules_options *o, char out[DATE_NCHARS + 1],
			 int32_t *day, struct tz_error *err)
{
	if (o != NULL && o->as_of != NULL) {
		if (!date_parse_loose(o->as_of, day))
			return tz_error_set(err, TZ_EUSAGE,
					    "核查日期“%s”不是有效日期，请写成 2019-05-31 或 2019年5月31日",
					    o->as_of);
	} else {
		*day = date_today();
	}
	date_format(*day, out);
	return TZ_OK;
}

int rules_check(struct store *s, const struct rules_options *o, struct findings *out,
		struct tz_error *err)
{
	struct rules_ctx ctx = { .s = s };
	int32_t day;
	int rc = resolve_as_of(o, ctx.as_of, &day, err);
	if (rc != TZ_OK)
		return rc;
	const struct keyring *kr = store_keyring(s);
	ctx.village = kr->kind == STORE_KIND_TOWN ? NULL : kr->division_code;
	/* The rules look up each household's rows in the indexes of a dozen
	 * tables, in the households' order, not the indexes': once an index
	 * outgrows the 16 MiB cache nearly every lookup reads and decrypts a page
	 * again (a county's town store: 5 GB). */
	long long cache = store_cache_raise(s, STORE_BULK_CACHE_KIB);
	rules_load();
	int src = rules_members_functions(store_db(s));
	if (src != SQLITE_OK) {
		store_cache_restore(s, cache);
		return store_sqlite_error(s, src, "运行核查规则", err);
	}
	if (o == NULL || (o->only == NULL && !o->one_thread)) {
		/* Every rule: on two connections at once where it can. */
		int ran = 0;
		rc = rules_check_threads(&ctx, all_rules, NRULES, o, out, &ran, err);
		if (ran || rc != TZ_OK) {
			rules_steps_free(&ctx);
			rules_members_free(&ctx);
			rules_visits_missed_free(&ctx);
			store_cache_restore(s, cache);
			return rc;
		}
	}
	for (size_t i = 0; i < NRULES; i++) {
		const struct rule *r = all_rules[i];
		if (o != NULL && o->only != NULL && o->only != r)
			continue;
		rc = rules_run_one(r, &ctx, out, err);
		if (rc != TZ_OK)
			break;
		if (o != NULL && o->each != NULL) {
			rc = o->each(o->each_arg, r, out, err);
			findings_free(out);
			if (rc != TZ_OK)
				break;
		}
	}
	if (o != NULL && o->each != NULL)
		findings_free(out); /* what a rule that failed had found */
	rules_steps_free(&ctx);
	rules_members_free(&ctx);
	rules_visits_missed_free(&ctx);
	store_cache_restore(s, cache);
	return rc;
}

int rules_names(struct store *s, int area, int task, char area_name[RULES_NAME_NBYTES],
		char task_name[RULES_NAME_NBYTES], struct tz_error *err)
{
	/* Bound as text: compared with the INTEGER key columns, SQLite takes
	 * them as the numbers. */
	char area_text[16], task_text[16];
	snprintf(area_text, sizeof area_text, "%d", area);
	snprintf(task_text, sizeof task_text, "%d", task);
	const char *params[] = { area_text, task_text };
	sqlite3_stmt *row;
	int rc = store_query_one(s, "SELECT (SELECT label || name FROM problem_areas WHERE area = ?1),"
				    " (SELECT name FROM tasks WHERE task = ?2)",
				 params, 2, &row, "读取问题方面和任务", err);
	if (rc != TZ_OK)
		return rc;
	const char *a = row ? (const char *)sqlite3_column_text(row, 0) : NULL;
	const char *t = row ? (const char *)sqlite3_column_text(row, 1) : NULL;
	if (a == NULL || t == NULL)
		rc = tz_error_set(err, TZ_EFAIL, "参考数据中没有问题方面 %d 或任务 %d", area, task);
	else {
		snprintf(area_name, RULES_NAME_NBYTES, "%s", a);
		snprintf(task_name, RULES_NAME_NBYTES, "%s", t);
	}
	sqlite3_finalize(row);
	return rc;
}

/* ---- findings -> problems ---- */

/* The person responsible for a finding (see rules_to_problems): st is the
 * statement below, bound and stepped here; into out. */
#define PERSON_SQL \
	"SELECT COALESCE((SELECT c.name FROM cadre_assignments a JOIN cadres c ON c.id = a.cadre_id" \
	"  WHERE a.household_id = ?1 AND a.since <= ?3 AND (a.until IS NULL OR a.until >= ?3)" \
	"  ORDER BY a.since DESC, a.created_at DESC, a.id DESC LIMIT 1)," \
	" (SELECT st.name FROM staff st WHERE st.village_code = ?2 AND st.role = 'director'" \
	"  AND st.since <= ?3 AND (st.until IS NULL OR st.until > ?3)" \
	"  ORDER BY st.since DESC, st.id LIMIT 1), '待指定')"

static int finding_person(struct store *s, sqlite3_stmt *st, const struct finding *x,
			  const char *as_of, char *out, size_t cap, struct tz_error *err)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, x->household_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, x->village_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, as_of, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(s, rc, "读取帮扶责任人", err);
	snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
	return TZ_OK;
}

/* The deadline of the new problems into out: given, else the campaign's
 * rectification deadline if after as_of, else as_of + the policy's problem_deadline_days. */
static int problems_deadline(struct store *s, const char *given, int32_t as_of,
			     char out[DATE_NCHARS + 1], struct tz_error *err)
{
	int32_t day;
	if (given != NULL && given[0] != '\0') {
		if (!date_parse_loose(given, &day))
			return tz_error_set(err, TZ_EFAIL,
					    "整改期限“%s”不是有效日期，请写成 2019-05-31 或 2019年5月31日",
					    given);
		date_format(day, out);
		return TZ_OK;
	}
	sqlite3_int64 days;
	int prc = rules_policy(s, "problem_deadline_days", &days, err);
	if (prc != TZ_OK)
		return prc;
	day = as_of + (int32_t)days;
	sqlite3_stmt *st;
	int rc = store_prepare(s, "SELECT due FROM deadlines WHERE key = 'rectification'", &st,
			       "读取整改期限", err);
	if (rc != TZ_OK)
		return rc;
	rc = sqlite3_step(st);
	int32_t due;
	if (rc == SQLITE_ROW && date_parse((const char *)sqlite3_column_text(st, 0), &due) &&
	    due > as_of)
		day = due;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取整改期限", err);
	date_format(day, out);
	return TZ_OK;
}

/* Whether a problem not closed exists for (rule, ref). */
static int has_open_problem(struct store *s, sqlite3_stmt *st, const char *rule,
			    const char *ref, int *found, struct tz_error *err)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "检查已有问题", err);
	return TZ_OK;
}

static int make_problems(struct store *s, const struct findings *f, const char *person,
			 const char *as_of, const char *deadline,
			 struct rules_problems_result *result, struct tz_error *err)
{
	sqlite3_stmt *exists, *who = NULL;
	int rc = store_prepare(s, "SELECT 1 FROM problems WHERE finding_rule = ?1"
				  " AND finding_ref = ?2 AND state <> 'closed'",
				  &exists, "检查已有问题", err);
	if (rc != TZ_OK)
		return rc;
	if ((rc = store_prepare(s, PERSON_SQL, &who, "读取帮扶责任人", err)) != TZ_OK) {
		sqlite3_finalize(exists);
		return rc;
	}
	for (size_t i = 0; i < f->n && rc == TZ_OK; i++) {
		const struct finding *x = &f->items[i];
		if (x->rule->flags & RULE_NO_PROBLEMS)
			continue;
		result->findings++;
		int found;
		rc = has_open_problem(s, exists, x->rule->id, x->ref, &found, err);
		if (rc != TZ_OK)
			break;
		if (found) {
			result->skipped++;
			continue;
		}
		char own[256];
		if (person == NULL &&
		    (rc = finding_person(s, who, x, as_of, own, sizeof own, err)) != TZ_OK)
			break;
		int short_enough = utf8_nchars(x->detail) <= PROBLEM_TITLE_MAX_NCHARS;
		struct problem_spec spec = {
			.village_code = x->village_code,
			.area = x->rule->area,
			.task = x->rule->task,
			.title = short_enough ? x->detail : x->rule->title,
			.description = x->detail,
			.source = "finding",
			.finding_rule = x->rule->id,
			.finding_ref = x->ref,
			.household_id = x->household_id,
			.responsible_unit = x->unit,
			.responsible_person = person ? person : own,
			.deadline = deadline,
		};
		char id[IDS_NCHARS + 1];
		rc = problem_create(s, &spec, id, err);
		if (rc != TZ_OK) {
			tz_error_prefix(err, "为核查发现“%s”建立问题", x->detail);
			break;
		}
		result->created++;
	}
	sqlite3_finalize(exists);
	sqlite3_finalize(who);
	return rc;
}

int rules_to_problems(struct store *s, const struct rules_options *o,
		      const struct rules_problems_options *po,
		      struct rules_problems_result *result, struct tz_error *err)
{
	memset(result, 0, sizeof *result);
	char as_of[DATE_NCHARS + 1], deadline[DATE_NCHARS + 1];
	int32_t day;
	int rc = resolve_as_of(o, as_of, &day, err);
	if (rc != TZ_OK)
		return rc;
	rc = problems_deadline(s, po ? po->deadline : NULL, day, deadline, err);
	if (rc != TZ_OK)
		return rc;
	const char *person = po && po->person && po->person[0] ? po->person : NULL;
	int own_tx = !store_tx_active(s);
	if (own_tx && (rc = store_tx_begin(s, err)) != TZ_OK)
		return rc;
	struct findings f = { 0 };
	struct rules_options ro = { .as_of = as_of, .only = o ? o->only : NULL };
	rc = rules_check(s, &ro, &f, err);
	if (rc == TZ_OK)
		rc = make_problems(s, &f, person, as_of, deadline, result, err);
	findings_free(&f);
	if (rc == TZ_OK) {
		char detail[128];
		snprintf(detail, sizeof detail, "as_of=%s rule=%s created=%zu skipped=%zu", as_of,
			 ro.only ? ro.only->id : "*", result->created, result->skipped);
		rc = store_audit(s, "rules.to_problems", NULL, detail, err);
	}
	if (own_tx)
		rc = store_tx_end(s, rc, err);
	if (rc != TZ_OK) {
		result->created = 0;
		result->skipped = 0;
	}
	return rc;
}
