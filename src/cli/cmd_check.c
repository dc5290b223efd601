/*
 * cmd_check.c — `taizhang check`: run the precision checks (src/rules/) and show
 * the findings, as text grouped by rule or as CSV; or turn them into problems
 * (--to-problems); or list the rules (--list-rules, no store needed); or show
 * the monitoring view of the watched households (--monitor).
 *
 * What the officer reads names a rule by its Chinese title, never its id
 * (--rule takes either). Every finding shows the unit responsible. The as-of
 * line says how many days the month in progress still runs: visits are
 * checked over the months that have ended.
 *
 * Findings are data, not errors: the command exits 0 whatever it finds. The
 * output is written to memory as each rule finishes (its findings then freed:
 * a county checked on today's date finds over a million) and printed once
 * every rule has run, so a failure halfway prints nothing but its error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/csv.h"
#include "taizhang/date.h"
#include "taizhang/money.h"
#include "taizhang/rules.h"
#include "taizhang/xalloc.h"
#include "cli_help.h"

static const struct cli_option options[] = {
	{ "csv", 0, NULL, "以 CSV 输出（带 BOM 的 UTF-8，Excel 可直接打开；中文表头：核查规则,问题方面,整改任务,责任单位,\n"
	  "村代码,表,记录编号,户编号,发现内容）" },
	{ "rule", 0, "规则", "只运行这一条规则（规则名称见 --list-rules）" },
	{ "as-of", 0, "日期", "按这一天核查（默认今天）" },
	{ "to-problems", 0, NULL, "把每条发现登记为问题台账中的问题（已有未销号问题的发现跳过）" },
	{ "deadline", 0, "日期", "新问题的整改期限（默认整改行动期限，已过则核查日后 30 天）" },
	{ "person", 0, "姓名", "新问题的责任人（默认该户的帮扶责任人；没有的，村扶贫工作室主任）" },
	{ "monitor", 0, NULL, "监测：脱贫监测户、返贫户和边缘户，每户未保障的项目、收入与标准、\n"
	  "帮扶措施和帮扶责任人" },
	{ "list-rules", 0, NULL, "列出全部核查规则（不需要打开台账）" },
	{ NULL, 0, NULL, NULL },
};

static const char *const chinese_numbers[] = { "一", "二", "三", "四", "五",
					       "六", "七", "八", "九", "十" };

/* One CSV field and the separator after it (last: the line's end). */
static void csv_field(FILE *out, const char *text, int last)
{
	csv_write_text(out, text, CSV_FOR_SPREADSHEET);
	fputs(last ? "\r\n" : ",", out);
}

#define CSV_HEADER "核查规则,问题方面,整改任务,责任单位,村代码,表,记录编号,户编号,发现内容\r\n"

static void write_csv_rows(FILE *out, const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->items[i];
		csv_field(out, x->rule->title, 0);
		fprintf(out, "%d,%d,", x->area, x->task);
		csv_field(out, x->unit_name, 0);
		csv_field(out, x->village_code, 0);
		csv_field(out, x->table, 0);
		csv_field(out, x->row_id, 0);
		csv_field(out, x->household_id, 0);
		csv_field(out, x->detail, 1);
	}
}

/* The unit responsible for the findings of one rule: their unit's name when
 * all have the same (a town unit; one village), else "各村(居)". */
static const char *unit_of(const struct findings *f)
{
	const char *name = NULL;
	for (size_t i = 0; i < f->n; i++) {
		if (name != NULL && strcmp(name, f->items[i].unit_name) != 0)
			return "各村(居)";
		name = f->items[i].unit_name;
	}
	return name ? name : "";
}

/* The findings being written, a rule at a time (rules_options.each): the
 * text or CSV so far, and how many each rule found (for the totals line). */
struct findings_out {
	FILE *out;
	struct store *s;
	int csv;
	const struct rule *const *rules;
	size_t nrules;
	size_t *counts; /* by the rule's place in rules */
	size_t total;
};

static int write_rule(void *arg, const struct rule *r, const struct findings *f,
		      struct tz_error *err)
{
	struct findings_out *o = arg;
	for (size_t i = 0; i < o->nrules; i++)
		if (o->rules[i] == r)
			o->counts[i] += f->n;
	o->total += f->n;
	if (o->csv) {
		write_csv_rows(o->out, f);
		return TZ_OK;
	}
	if (f->n == 0)
		return TZ_OK;
	char area[RULES_NAME_NBYTES], task[RULES_NAME_NBYTES];
	int rc = rules_names(o->s, r->area, r->task, area, task, err);
	if (rc != TZ_OK)
		return rc;
	fprintf(o->out, "\n【%s】（%zu 条）\n  问题方面：%s\n  整改任务：%d. %s\n  责任单位：%s\n",
		r->title, f->n, area, r->task, task, unit_of(f));
	for (size_t j = 0; j < f->n; j++)
		fprintf(o->out, "  - %s\n", f->items[j].detail);
	return TZ_OK;
}

static void write_text_totals(const struct findings_out *o, const struct rule *only)
{
	fprintf(o->out, "\n%s合计 %zu 条发现", o->total ? "" : "没有发现问题。", o->total);
	const char *sep = "：";
	for (size_t i = 0; i < o->nrules; i++) {
		if (only != NULL && o->rules[i] != only)
			continue;
		fprintf(o->out, "%s%s %zu", sep, o->rules[i]->title, o->counts[i]);
		sep = "，";
	}
	fputs("。\n", o->out);
}

/* Run the rules of o on s and write what they find into out, a rule at a
 * time (each rule's findings freed once written). */
static int write_findings(FILE *out, struct store *s, struct rules_options *o, int csv,
			  const char *as_of, struct tz_error *err)
{
	struct findings_out w = { .out = out, .s = s, .csv = csv };
	w.rules = rules_all(&w.nrules);
	w.counts = xcalloc(w.nrules, sizeof *w.counts);
	if (csv)
		fputs(CSV_HEADER, out);
	else
		fprintf(out, "核查日期：%s（本月尚余 %d 天；走访只核查已结束的月份）\n", as_of,
			rules_month_days_left(as_of));
	o->each = write_rule;
	o->each_arg = &w;
	struct findings scratch = { 0 };
	int rc = rules_check(s, o, &scratch, err);
	findings_free(&scratch);
	if (rc == TZ_OK && !csv)
		write_text_totals(&w, o->only);
	free(w.counts);
	return rc;
}

static void list_rules(void)
{
	size_t n;
	const struct rule *const *rules = rules_all(&n);
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rules[i];
		printf("%s  （%s）任务 %d\n    %s\n", r->title,
		       r->area >= 1 && r->area <= 10 ? chinese_numbers[r->area - 1] : "?", r->task,
		       r->description);
	}
}

static int unknown_rule(const char *id)
{
	cli_usage_error("check", "没有“%s”这条核查规则。可用的规则如下（说明见 taizhang check --list-rules）：", id);
	size_t n;
	const struct rule *const *rules = rules_all(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", rules[i]->title);
	return TZ_EUSAGE;
}

/* Write the text in memory to stdout, all or nothing. */
static int flush_output(char *text, size_t nbytes, struct tz_error *err)
{
	if (fwrite(text, 1, nbytes, stdout) != nbytes || fflush(stdout) != 0)
		return tz_error_set(err, TZ_EFAIL, "写出核查结果失败");
	return TZ_OK;
}

/* ---- the monitoring view (--monitor) ---- */

static void write_watch_csv(FILE *out, const struct rules_watch_list *w)
{
	fputs("村,户类型,户主,人均纯收入与标准,未保障项目,致贫风险,帮扶措施,帮扶责任人\r\n", out);
	for (size_t i = 0; i < w->n; i++) {
		const struct rules_watched *x = &w->items[i];
		char income[160];
		csv_field(out, x->village_name, 0);
		csv_field(out, x->kind, 0);
		csv_field(out, x->head, 0);
		csv_field(out, rules_watch_income(x, w->income_line_cents, income, sizeof income), 0);
		csv_field(out, x->fails, 0);
		csv_field(out, x->risks, 0);
		csv_field(out, x->measures, 0);
		csv_field(out, x->cadre, 1);
	}
}

static void write_watch_text(FILE *out, const struct rules_watch_list *w)
{
	char line[MONEY_TEXT_NBYTES];
	size_t nfail = 0, nkind[3] = { 0 };
	for (size_t i = 0; i < w->n; i++) {
		nfail += w->items[i].fails[0] != '\0';
		nkind[w->items[i].marginal ? 2 : strcmp(w->items[i].kind, "返贫户") == 0]++;
	}
	fprintf(out, "监测日期：%s（本月尚余 %d 天）；脱贫收入标准 %s 元（年人均纯收入）\n", w->as_of,
		rules_month_days_left(w->as_of), money_format(w->income_line_cents, MONEY_SHORT, line));
	fprintf(out, "共监测 %zu 户：脱贫监测户 %zu 户，返贫户 %zu 户，边缘户 %zu 户；"
		     "其中有未保障项目的 %zu 户。\n",
		w->n, nkind[0], nkind[1], nkind[2], nfail);
	for (size_t i = 0; i < w->n; i++) {
		const struct rules_watched *x = &w->items[i];
		char income[160];
		if (i == 0 || strcmp(x->village_code, w->items[i - 1].village_code) != 0)
			fprintf(out, "\n%s\n", x->village_name);
		fprintf(out, "  %s %s\n", x->kind, x->head);
		fprintf(out, "    未保障：%s\n", x->fails[0] ? x->fails : "无");
		fprintf(out, "    人均纯收入：%s\n",
			rules_watch_income(x, w->income_line_cents, income, sizeof income));
		if (x->marginal)
			fprintf(out, "    致贫风险：%s\n", x->risks[0] ? x->risks : "未登记");
		fprintf(out, "    帮扶措施：%s\n", x->measures[0] ? x->measures : "无");
		if (!x->marginal)
			fprintf(out, "    帮扶责任人：%s\n", x->cadre[0] ? x->cadre : "未指定");
	}
}

/* Run the checks the options args ask for on s, as of as_of (only: one rule,
 * or NULL), and print what they find or make. */
static int run_check(struct store *s, const struct cli_args *args, const struct rule *only,
		     const char *as_of, struct tz_error *err)
{
	struct rules_options o = { .as_of = as_of, .only = only };
	int monitor = cli_args_has(args, "monitor"), csv = cli_args_has(args, "csv");
	if (cli_args_has(args, "to-problems")) {
		struct rules_problems_options po = { .person = cli_args_get(args, "person"),
						     .deadline = cli_args_get(args, "deadline") };
		struct rules_problems_result res;
		int rc = rules_to_problems(s, &o, &po, &res, err);
		if (rc != TZ_OK)
			return rc;
		printf("核查日期：%s\n已根据 %zu 条核查发现建立问题 %zu 个；%zu 条已有未销号的问题，未重复建立。\n",
		       as_of, res.findings, res.created, res.skipped);
		return TZ_OK;
	}
	struct rules_watch_list w = { 0 };
	int rc = monitor ? rules_watch(s, &o, &w, err) : TZ_OK;
	char *text = NULL;
	size_t nbytes = 0;
	FILE *out = rc == TZ_OK ? open_memstream(&text, &nbytes) : NULL;
	if (rc == TZ_OK && out == NULL)
		xalloc_die(0);
	if (rc == TZ_OK) {
		if (monitor && csv)
			write_watch_csv(out, &w);
		else if (monitor)
			write_watch_text(out, &w);
		else
			rc = write_findings(out, s, &o, csv, as_of, err);
		if (fclose(out) != 0) /* a memory stream fails only for memory */
			xalloc_die(0);
		if (rc == TZ_OK && csv)
			cli_out_csv_bom();
		if (rc == TZ_OK)
			rc = flush_output(text, nbytes, err);
	}
	free(text);
	rules_watch_free(&w);
	return rc;
}

/* Whether any option of the table but list-rules was given. */
static int other_than_list(const struct cli_args *args)
{
	for (const struct cli_option *o = options; o->name != NULL; o++)
		if (strcmp(o->name, "list-rules") != 0 && cli_args_has(args, o->name))
			return 1;
	return 0;
}

/* The date option name of args, if given, into *day. TZ_EUSAGE (saying so) when
 * it is not a date. */
static int date_option(const struct cli_args *args, const char *name, int32_t *day)
{
	const char *text = cli_args_get(args, name);
	if (text != NULL && !date_parse_loose(text, day))
		return cli_usage_error("check", "--%s 的日期“%s”无效，请写成 2019-05-31", name, text);
	return TZ_OK;
}

static int run(const struct cli_args *args)
{
	if (cli_args_has(args, "list-rules")) {
		if (other_than_list(args))
			return cli_usage_error("check", "--list-rules 不能和其他核查选项一起用");
		list_rules();
		return TZ_OK;
	}
	const char *rule = cli_args_get(args, "rule");
	const struct rule *only = NULL;
	if (rule != NULL && (only = rules_find(rule)) == NULL)
		return unknown_rule(rule);
	int to_problems = cli_args_has(args, "to-problems");
	if (cli_args_has(args, "monitor") && (rule || to_problems))
		return cli_usage_error("check", "--monitor 不能和 --rule、--to-problems 一起用");
	if ((cli_args_has(args, "deadline") || cli_args_has(args, "person")) && !to_problems)
		return cli_usage_error("check", "--deadline 和 --person 只能和 --to-problems 一起用");
	if (cli_args_has(args, "csv") && to_problems)
		return cli_usage_error("check", "--csv 不能和 --to-problems 一起用");
	int32_t day;
	char as_of[DATE_NCHARS + 1];
	int rc = date_option(args, "as-of", &day);
	if (rc != TZ_OK)
		return rc;
	if (cli_args_has(args, "as-of"))
		date_format(day, as_of);
	else
		date_today_text(as_of);
	rc = date_option(args, "deadline", &day);
	if (rc != TZ_OK)
		return rc;
	struct store *s;
	rc = cli_open(args, 0, &s);
	if (rc != TZ_OK)
		return rc;
	struct tz_error err;
	rc = run_check(s, args, only, as_of, &err);
	store_close(s);
	return cli_status(args, rc, &err);
}

CLI_COMMAND(check, "运行精准核查规则，列出问题线索（发现）",
	    CLI_HELP_check, NULL, options, CLI_STORE, 0, run);
