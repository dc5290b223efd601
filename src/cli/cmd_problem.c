/*
 * cmd_problem.c — `taizhang problem add|list|move|close|show`: the problem
 * ledger (src/model/problem.c) from the command line.
 *
 * The subcommands are the `subcommands` table: each names the options it takes
 * and how many arguments, and one function runs it with the store open. The
 * command's options (the union over its subcommands) are parsed by the one
 * parser (args.c) and gathered as bits into one struct; an option a subcommand
 * does not take is a usage error (exit 2), as is a missing required option or
 * an unknown state. A move the state machine refuses is exit 1 with the ledger's Chinese
 * message. Problem ids may be abbreviated to a unique prefix of 4+ digits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/csv.h"
#include "taizhang/date.h"
#include "taizhang/problem.h"
#include "taizhang/review.h"
#include "taizhang/rules.h"
#include "taizhang/utf8.h"
#include "cli_help.h"

/* The options, each once: its bit in enum opt_bit, its name, its value's name
 * (NULL: a flag) and its --help text (NULL: not listed; the usage shows it).
 * The order is the order in which check_options names a wrong one. */
#define PROBLEM_OPTIONS(X)                                                                     \
	X(O_AREA, "area", "方面", NULL)                                                        \
	X(O_TASK, "task", "任务", NULL)                                                        \
	X(O_TITLE, "title", "标题", NULL)                                                      \
	X(O_UNIT, "unit", "责任单位", NULL)                                                    \
	X(O_PERSON, "person", "责任人", NULL)                                                  \
	X(O_DEADLINE, "deadline", "整改期限", NULL)                                            \
	X(O_DESCRIPTION, "description", "描述", NULL)                                          \
	X(O_MEASURES, "measures", "整改措施", NULL)                                            \
	X(O_HOUSEHOLD, "household", "户编号", NULL)                                            \
	X(O_SOURCE, "source", "来源", NULL)                                                    \
	X(O_STATE, "state", "状态", NULL)                                                      \
	X(O_OVERDUE, "overdue", NULL, "只列超过整改期限、未销号的问题（按 --as-of 日期，默认今天）") \
	X(O_CSV, "csv", NULL, "以 CSV 输出（带 BOM 的 UTF-8，中文表头）")                               \
	X(O_NOTE, "note", "说明", NULL)                                                        \
	X(O_EVIDENCE, "evidence", "佐证材料", NULL)                                            \
	X(O_AS_OF, "as-of", "日期", NULL)                                                      \
	X(O_VILLAGE, "village", "村代码", NULL)

#define OPTION_ROW(bit, name, value, help) { name, 0, value, help },
static const struct cli_option options[] = { PROBLEM_OPTIONS(OPTION_ROW){ NULL, 0, NULL, NULL } };

/* Option i of options is bit 1 << i, so that each subcommand can say which it
 * takes. */
#define OPTION_INDEX(bit, name, value, help) bit##_INDEX,
enum { PROBLEM_OPTIONS(OPTION_INDEX) NOPTIONS };
#define OPTION_BIT(bit, name, value, help) bit = 1u << bit##_INDEX,
enum opt_bit { PROBLEM_OPTIONS(OPTION_BIT) };

struct problem_args {
	unsigned given; /* enum opt_bit */
	const char *value[NOPTIONS];
	int area, task; /* --area, --task as numbers; 0 when not given */
	char **argv;    /* the subcommand's arguments */
	int argc;
};

static const char *arg_of(const struct problem_args *a, unsigned bit)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (bit == 1u << i)
			return a->value[i];
	return NULL;
}

/* ---- output helpers ---- */

static void put_csv_row(const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			putchar(',');
		csv_write_text(stdout, fields[i], CSV_FOR_SPREADSHEET);
	}
	fputs("\r\n", stdout);
}

/* text padded with spaces to ncols terminal columns (cut if wider). */
static const char *padded(char *buf, size_t cap, const char *text, size_t ncols)
{
	return utf8_pad(buf, cap, text ? text : "", ncols);
}

static int is_overdue(const struct problem *p, const char *as_of)
{
	return strcmp(p->state, "closed") != 0 && strcmp(p->deadline, as_of) < 0;
}

/* ---- the subcommands ---- */

static int parse_range(const char *cmd, const char *name, const char *text, unsigned max,
		       int *out)
{
	unsigned long long v;
	if (text == NULL || cli_parse_unsigned(text, 1, max, &v) != 0)
		return cli_usage_error(cmd, "%s 应为 1 到 %u 的整数，不能是“%s”", name, max,
				       text ? text : "");
	*out = (int)v;
	return TZ_OK;
}

static int do_add(struct store *s, const struct problem_args *a, struct tz_error *err)
{
	struct problem_spec spec = {
		.title = arg_of(a, O_TITLE),
		.description = arg_of(a, O_DESCRIPTION),
		.source = arg_of(a, O_SOURCE),
		.household_id = arg_of(a, O_HOUSEHOLD),
		.village_code = arg_of(a, O_VILLAGE),
		.responsible_unit = arg_of(a, O_UNIT),
		.responsible_person = arg_of(a, O_PERSON),
		.deadline = arg_of(a, O_DEADLINE),
		.measures = arg_of(a, O_MEASURES),
	};
	spec.area = a->area;
	spec.task = a->task;
	char id[IDS_NCHARS + 1];
	int rc = problem_create(s, &spec, id, err);
	if (rc == TZ_OK)
		printf("已登记问题 %s：%s\n", id, spec.title);
	return rc;
}

static int do_list(struct store *s, const struct problem_args *a, struct tz_error *err)
{
	char as_of[DATE_NCHARS + 1];
	int32_t day;
	const char *as_of_text = arg_of(a, O_AS_OF);
	if (as_of_text != NULL && date_parse_loose(as_of_text, &day)) { /* checked in run() */
		date_format(day, as_of);
	} else {
		date_today_text(as_of);
	}
	struct problem_filter f = {
		.state = arg_of(a, O_STATE),
		.overdue_as_of = (a->given & O_OVERDUE) ? as_of : NULL,
		.area = a->area,
		.task = a->task,
	};
	struct problem_list l;
	int rc = problem_list(s, &f, &l, err);
	if (rc != TZ_OK)
		return rc;
	if (a->given & O_CSV) {
		/* For a spreadsheet an officer opens: Chinese headers and labels
		 * (the unit's name, the state's and the source's words), as check --csv. */
		static const char *const header[] = {
			"编号", "状态", "问题方面", "整改任务", "问题标题", "问题描述", "责任单位",
			"责任人", "整改期限", "村代码", "户编号", "来源", "核查规则", "发现记录编号",
			"整改措施", "整改佐证", "登记时间", "更新时间",
		};
		cli_out_csv_bom();
		put_csv_row(header, sizeof header / sizeof header[0]);
		for (size_t i = 0; i < l.n; i++) {
			const struct problem *p = &l.items[i];
			char area[8], task[8];
			snprintf(area, sizeof area, "%d", p->area);
			snprintf(task, sizeof task, "%d", p->task);
			const char *unit = p->responsible_unit_name && *p->responsible_unit_name
						   ? p->responsible_unit_name
						   : p->responsible_unit;
			const char *row[] = {
				p->id, p->state_label ? p->state_label : p->state, area, task, p->title,
				p->description, unit, p->responsible_person, p->deadline,
				p->village_code, p->household_id,
				p->source_label ? p->source_label : p->source, p->finding_rule,
				p->finding_ref, p->measures, p->evidence, p->created_at, p->updated_at,
			};
			put_csv_row(row, sizeof row / sizeof row[0]);
		}
	} else {
		char b1[64], b2[128], b3[128];
		printf("编号      状态      整改期限    方面 任务 %s %s 标题\n",
		       padded(b1, sizeof b1, "责任单位", 16), padded(b2, sizeof b2, "责任人", 8));
		size_t overdue = 0;
		for (size_t i = 0; i < l.n; i++) {
			const struct problem *p = &l.items[i];
			int late = is_overdue(p, as_of);
			overdue += late;
			printf("%.8s  %s  %s  %-4d %-4d %s %s %s%s\n", p->id,
			       padded(b1, sizeof b1, p->state_label, 8), p->deadline, p->area, p->task,
			       padded(b2, sizeof b2, p->responsible_unit_name, 16),
			       padded(b3, sizeof b3, p->responsible_person, 8), late ? "【逾期】" : "",
			       p->title);
		}
		printf("共 %zu 个问题", l.n);
		if (overdue > 0)
			printf("，其中 %zu 个已超过整改期限（%s）", overdue, as_of);
		printf("。\n");
	}
	problem_list_free(&l);
	return TZ_OK;
}

/* How a subcommand moves a problem: problem_move to state, or (close)
 * problem_request_close, which at a village asks the town for 销号 of a
 * problem it dispatched. */
typedef int (*move_fn)(struct store *s, const char *id, const char *state,
		       const struct problem_args *a, struct tz_error *err);

static int move_to(struct store *s, const char *id, const char *state,
		   const struct problem_args *a, struct tz_error *err)
{
	return problem_move(s, id, state, arg_of(a, O_NOTE), arg_of(a, O_EVIDENCE),
			    arg_of(a, O_MEASURES), err);
}

/* close: with --measures, the plain move (as before); else the request, which
 * is the plain move for a problem of the store's own or at the town. */
static int close_or_ask(struct store *s, const char *id, const char *state,
			const struct problem_args *a, struct tz_error *err)
{
	if (arg_of(a, O_MEASURES) != NULL)
		return move_to(s, id, state, a, err);
	return problem_request_close(s, id, arg_of(a, O_NOTE), arg_of(a, O_EVIDENCE), err);
}

/* Move problem id with move and print before → after; when a close ended
 * short of closed, the village asked the town: say so. */
static int show_move(struct store *s, const char *id, const char *state, move_fn move,
		     const struct problem_args *a, struct tz_error *err)
{
	struct problem before;
	int rc = problem_get(s, id, &before, err);
	if (rc != TZ_OK)
		return rc;
	rc = move(s, id, state, a, err);
	struct problem after;
	if (rc == TZ_OK && (rc = problem_get(s, id, &after, err)) == TZ_OK) {
		printf("问题 %.8s“%s”：%s → %s\n", id, after.title, before.state_label,
		       after.state_label);
		if (move == close_or_ask && strcmp(after.state, "closed") != 0)
			printf("这是镇里派的单，销号由镇扶贫办办理：已申请销号（状态为“%s”，附佐证材料），"
			       "请用 bundle export 上报，镇里验收后销号。\n",
			       after.state_label);
		problem_free(&after);
	}
	problem_free(&before);
	return rc;
}

static int do_move(struct store *s, const struct problem_args *a, struct tz_error *err)
{
	char id[IDS_NCHARS + 1];
	int rc = problem_resolve(s, a->argv[0], id, err);
	return rc == TZ_OK ? show_move(s, id, a->argv[1], move_to, a, err) : rc;
}

static int do_close(struct store *s, const struct problem_args *a, struct tz_error *err)
{
	char id[IDS_NCHARS + 1];
	int rc = problem_resolve(s, a->argv[0], id, err);
	return rc == TZ_OK ? show_move(s, id, "closed", close_or_ask, a, err) : rc;
}

static void show_field(const char *label, const char *value)
{
	if (value != NULL && value[0] != '\0')
		printf("%s：%s\n", label, value);
}

static int do_show(struct store *s, const struct problem_args *a, struct tz_error *err)
{
	char id[IDS_NCHARS + 1];
	int rc = problem_resolve(s, a->argv[0], id, err);
	struct problem p;
	if (rc != TZ_OK || (rc = problem_get(s, id, &p, err)) != TZ_OK)
		return rc;
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	printf("问题 %s\n", p.id);
	show_field("标题", p.title);
	printf("状态：%s%s\n", p.state_label, is_overdue(&p, today) ? "（已超过整改期限）" : "");
	printf("问题方面：%s\n", p.area_label ? p.area_label : "");
	printf("整改任务：%d. %s\n", p.task, p.task_name ? p.task_name : "");
	show_field("村", p.village_code);
	show_field("住户", p.household_id);
	printf("来源：%s", p.source_label ? p.source_label : p.source);
	if (p.finding_rule != NULL) {
		const struct rule *r = rules_find(p.finding_rule); /* by its Chinese title */
		printf("（规则“%s”，记录 %s）", r ? r->title : p.finding_rule, p.finding_ref);
	}
	printf("\n");
	show_field("责任单位", p.responsible_unit_name);
	show_field("责任人", p.responsible_person);
	show_field("整改期限", p.deadline);
	show_field("问题描述", p.description);
	show_field("整改措施", p.measures);
	show_field("整改佐证材料", p.evidence);
	printf("登记时间：%s，最后更新：%s\n", p.created_at, p.updated_at);
	struct problem_event *events;
	size_t n;
	rc = problem_events(s, id, &events, &n, err);
	if (rc == TZ_OK) {
		printf("整改进展：\n");
		for (size_t i = 0; i < n; i++) {
			const struct problem_event *e = &events[i];
			printf("  %s  %s  %s → %s%s%s\n", e->at, e->by_user,
			       e->from_label ? e->from_label : "（登记）", e->to_label,
			       e->note ? "：" : "", e->note ? e->note : "");
		}
		problem_events_free(events, n);
	}
	struct review_record *steps;
	if (rc == TZ_OK && (rc = review_history(s, REVIEW_PROBLEM, id, &steps, &n, err)) == TZ_OK) {
		if (n > 0)
			printf("镇里审核：\n");
		for (size_t i = 0; i < n; i++)
			printf("  %s  %s  %s%s%s\n", steps[i].on_date, steps[i].by_user, steps[i].what,
			       steps[i].opinion ? "：" : "", steps[i].opinion ? steps[i].opinion : "");
		review_records_free(steps, n);
	}
	problem_free(&p);
	return rc;
}

/* The subcommands: name, arguments, options taken and required, and what runs. */
static const struct subcommand {
	const char *name;
	int nargs;
	const char *args_text; /* for the message when they are wrong */
	unsigned allowed, required;
	int (*run)(struct store *s, const struct problem_args *a, struct tz_error *err);
} subcommands[] = {
	{ "add", 0, "不带参数（内容都用选项给出）",
	  O_AREA | O_TASK | O_TITLE | O_UNIT | O_PERSON | O_DEADLINE | O_DESCRIPTION | O_MEASURES |
		  O_HOUSEHOLD | O_SOURCE | O_VILLAGE,
	  O_AREA | O_TASK | O_TITLE | O_UNIT | O_PERSON | O_DEADLINE, do_add },
	{ "list", 0, "不带参数", O_STATE | O_OVERDUE | O_AS_OF | O_AREA | O_TASK | O_CSV, 0,
	  do_list },
	{ "move", 2, "需要问题编号和目标状态", O_NOTE | O_EVIDENCE | O_MEASURES, 0, do_move },
	{ "close", 1, "需要问题编号", O_NOTE | O_EVIDENCE | O_MEASURES, 0, do_close },
	{ "show", 1, "需要问题编号", 0, 0, do_show },
};

static int check_options(const struct subcommand *sc, const struct problem_args *a)
{
	for (size_t i = 0; i < NOPTIONS; i++) {
		unsigned bit = 1u << i;
		if ((a->given & bit) && !(sc->allowed & bit))
			return cli_usage_error("problem", "problem %s 不接受选项 --%s", sc->name,
					       options[i].name);
		if ((sc->required & bit) && !(a->given & bit))
			return cli_usage_error("problem", "problem %s 缺少选项 --%s", sc->name,
					       options[i].name);
	}
	return TZ_OK;
}

static int run(const struct cli_args *args)
{
	struct problem_args a = { 0 };
	struct tz_error err;
	for (size_t i = 0; i < NOPTIONS; i++) {
		if (cli_args_has(args, options[i].name))
			a.given |= 1u << i;
		a.value[i] = cli_args_get(args, options[i].name);
	}
	const struct subcommand *sc =
		CLI_VERB_PICK(args, subcommands, "请给出子命令：add、list、move、close 或 show",
			      "没有“%s”这个子命令（可用：add、list、move、close、show）");
	if (sc == NULL)
		return TZ_EUSAGE;
	a.argv = args->argv + 1;
	a.argc = args->argc - 1;
	if (a.argc != sc->nargs)
		return cli_usage_error("problem", "problem %s %s", sc->name, sc->args_text);
	if (check_options(sc, &a) != TZ_OK)
		return TZ_EUSAGE;
	if ((a.given & O_AREA) &&
	    parse_range("problem", "--area", arg_of(&a, O_AREA), 10, &a.area) != TZ_OK)
		return TZ_EUSAGE;
	if ((a.given & O_TASK) &&
	    parse_range("problem", "--task", arg_of(&a, O_TASK), 19, &a.task) != TZ_OK)
		return TZ_EUSAGE;
	int32_t day;
	const char *deadline = arg_of(&a, O_DEADLINE);
	if (deadline != NULL && !date_parse_loose(deadline, &day))
		return cli_usage_error("problem", "--deadline 的日期“%s”无效，请写成 2019-05-31 或 2019年5月31日",
				       deadline);
	const char *as_of = arg_of(&a, O_AS_OF);
	if (as_of != NULL && !date_parse_loose(as_of, &day))
		return cli_usage_error("problem", "--as-of 的日期“%s”无效，请写成 2019-05-31", as_of);
	struct store *s;
	int rc = cli_open(args, 0, &s);
	if (rc != TZ_OK)
		return rc;
	tz_error_clear(&err);
	rc = sc->run(s, &a, &err);
	store_close(s);
	return cli_status(args, rc, &err);
}

CLI_COMMAND(problem, "问题台账：新增、列出、整改、销号",
	    CLI_HELP_problem, NULL, options, CLI_STORE, CLI_ARGS_ANY, run);
