/*
 * cmd_deliverable.c — `taizhang deliverable list|counts|record|confirm|generate`:
 * the campaign's deliverables (include/taizhang/campaign.h) from the command
 * line.
 *
 *   taizhang deliverable list [--village CODE] [--unit UNIT] [--kind KIND]
 *                             [--state done|open|late]
 *   taizhang deliverable counts                done / open / late per party
 *   taizhang deliverable record KIND [--unit UNIT|--village CODE] --on DATE
 *                               [--by NAME] [--signed-by NAME] [--kept-where WHERE]
 *   taizhang deliverable confirm KIND --village CODE|--unit UNIT [--on DATE]
 *   taizhang deliverable generate              make the rows still missing
 *
 * A deliverable is named by its kind and its party: a village store's own
 * village when neither is given. The subcommands are the `subcommands` table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/cli.h"
#include "taizhang/keyring.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"

static const char usage[] =
	"用法：taizhang deliverable list [--village 村代码] [--unit 单位] [--kind 事项]\n"
	"                                [--state done|open|late]\n"
	"       taizhang deliverable counts\n"
	"       taizhang deliverable record 事项 [--village 村代码|--unit 单位] --on 提交日期\n"
	"                                [--by 提交人] [--signed-by 审签人] [--kept-where 存放位置]\n"
	"       taizhang deliverable confirm 事项 --village 村代码|--unit 单位 [--on 确认日期]\n"
	"       taizhang deliverable generate\n"
	"交付事项：按时间节点各村（居）、各牵头单位要交的实施方案、人员名单、整改总结、\n"
	"项目录入等。村里登记本村的提交情况（提交日期、提交人、审签人、存放位置），\n"
	"镇扶贫办登记各单位的提交情况，并确认收到。状态：done 已完成、open 未到期、\n"
	"late 逾期（按今天，或环境变量 TAIZHANG_TODAY）。\n"
	"事项：plans 实施方案、staff 人员名单、summary 整改总结、summary_town 镇汇总总结、\n"
	"      rectification 整改到位、projects 项目录入、leaders 致富带头人录入\n";

static const struct cli_option options[] = {
	{ "village", 0, "村代码", NULL },
	{ "unit", 0, "单位", NULL },
	{ "kind", 0, "事项", NULL },
	{ "state", 0, "状态", NULL },
	{ "on", 0, "日期", NULL },
	{ "by", 0, "提交人", NULL },
	{ "signed-by", 0, "审签人", NULL },
	{ "kept-where", 0, "存放位置", NULL },
	{ "note", 0, "说明", NULL },
	{ NULL, 0, NULL, NULL },
};

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static int run_list(struct store *s, const struct cli_args *a, struct tz_error *err)
{
	static const char *const states[] = { "open", "done", "late" };
	struct deliverable_filter f = { .village_code = cli_args_get(a, "village"),
					.kind = cli_args_get(a, "kind"), .state = -1 };
	const char *state = cli_args_get(a, "state");
	for (int i = 0; state != NULL && i < 3; i++)
		if (strcmp(state, states[i]) == 0)
			f.state = i; /* the order of enum deliverable_state */
	if (state != NULL && f.state < 0)
		return tz_error_set(err, TZ_EUSAGE, "状态“%s”不对：只能是 done、open 或 late", state);
	char *unit = cli_args_get(a, "unit") ? xstrdup(cli_args_get(a, "unit")) : NULL;
	int rc = unit_code_normalize(s, "--unit", &unit, err);
	f.unit = unit;
	struct deliverable *v = NULL;
	size_t n = 0;
	if (rc == TZ_OK)
		rc = deliverable_list(s, &f, &v, &n, err);
	char b1[64], b2[256];
	for (size_t i = 0; rc == TZ_OK && i < n; i++) {
		const struct deliverable *d = &v[i];
		printf("%s  %s  %s  %s  %s", d->due, utf8_pad(b1, sizeof b1, d->party_name, 16),
		       utf8_pad(b2, sizeof b2, deliverable_state_label(d->state), 6), d->kind, d->what);
		if (d->handed_in_on)
			printf("；%s 由 %s 提交，审签 %s，存于 %s", d->handed_in_on,
			       or_dash(d->handed_in_by), or_dash(d->signed_by), or_dash(d->kept_where));
		if (d->confirmed_on)
			printf("；镇扶贫办 %s 确认收到（%s）", d->confirmed_on, or_dash(d->confirmed_by));
		printf("\n");
	}
	if (rc == TZ_OK)
		printf("共 %zu 项。\n", n);
	deliverable_list_free(v, n);
	free(unit);
	return rc;
}

static int run_counts(struct store *s, const struct cli_args *a, struct tz_error *err)
{
	(void)a;
	struct deliverable_count *v, total;
	size_t n;
	int rc = deliverable_counts(s, &v, &n, &total, err);
	if (rc != TZ_OK)
		return rc;
	char pad[64];
	printf("%s  已完成  未到期  逾期  镇已确认\n", utf8_pad(pad, sizeof pad, "村（居）或单位", 28));
	for (size_t i = 0; i < n; i++)
		printf("%s  %6d  %6d  %4d  %8d\n", utf8_pad(pad, sizeof pad, v[i].name, 28), v[i].done,
		       v[i].open, v[i].late, v[i].confirmed);
	printf("%s  %6d  %6d  %4d  %8d\n", utf8_pad(pad, sizeof pad, "合计", 28), total.done,
	       total.open, total.late, total.confirmed);
	deliverable_counts_free(v, n);
	return TZ_OK;
}

/* The id of the deliverable a record or confirm names: KIND and --unit, or
 * --village, or the store's own village. */
static int named(struct store *s, const struct cli_args *a, char id[IDS_NCHARS + 1],
		 struct tz_error *err)
{
	if (a->argc != 2)
		return tz_error_set(err, TZ_EUSAGE, "请写明事项，如 plans");
	const char *party = cli_args_get(a, "unit") ? cli_args_get(a, "unit")
			    : cli_args_get(a, "village") ? cli_args_get(a, "village")
			    : store_keyring(s)->kind == STORE_KIND_VILLAGE ? store_keyring(s)->division_code
									   : NULL;
	if (party == NULL)
		return tz_error_set(err, TZ_EUSAGE, "请用 --village 或 --unit 写明是哪个村或单位的");
	return deliverable_find(s, a->argv[1], party, id, err);
}

static int run_record(struct store *s, const struct cli_args *a, struct tz_error *err)
{
	char id[IDS_NCHARS + 1];
	int rc = named(s, a, id, err);
	if (rc != TZ_OK)
		return rc;
	if (cli_args_get(a, "on") == NULL)
		return tz_error_set(err, TZ_EUSAGE, "请用 --on 写提交日期，如 --on 2019-04-30");
	struct deliverable_handin h = {
		.on = cli_args_get(a, "on"),
		.by = cli_args_get(a, "by"),
		.signed_by = cli_args_get(a, "signed-by"),
		.kept_where = cli_args_get(a, "kept-where"),
		.note = cli_args_get(a, "note"),
	};
	rc = deliverable_record(s, id, &h, err);
	if (rc == TZ_OK)
		printf("已登记提交：%s，%s。\n", a->argv[1], h.on);
	return rc;
}

static int run_confirm(struct store *s, const struct cli_args *a, struct tz_error *err)
{
	char id[IDS_NCHARS + 1];
	int rc = store_keyring(s)->kind == STORE_KIND_TOWN
			 ? named(s, a, id, err)
			 : deliverable_confirm(s, "", NULL, err); /* its refusal at a village */
	if (rc == TZ_OK)
		rc = deliverable_confirm(s, id, cli_args_get(a, "on"), err);
	if (rc == TZ_OK)
		printf("已确认收到：%s。\n", a->argv[1]);
	return rc;
}

static int run_generate(struct store *s, const struct cli_args *a, struct tz_error *err)
{
	(void)a;
	size_t added;
	int rc = deliverable_generate(s, &added, err);
	if (rc == TZ_OK)
		printf("新生成交付事项 %zu 项（已有的不变）。\n", added);
	return rc;
}

static const struct subcommand {
	const char *name;
	int nargs; /* positional arguments with the name */
	unsigned open_flags;
	int (*run)(struct store *s, const struct cli_args *a, struct tz_error *err);
} subcommands[] = {
	{ "list", 1, STORE_OPEN_READONLY, run_list },
	{ "counts", 1, STORE_OPEN_READONLY, run_counts },
	{ "record", 2, 0, run_record },
	{ "confirm", 2, 0, run_confirm },
	{ "generate", 1, 0, run_generate },
};

static int deliverable_run(const struct cli_args *a)
{
	const struct subcommand *sub =
		CLI_VERB_PICK(a, subcommands, "请写 list、counts、record、confirm 或 generate", NULL);
	if (sub == NULL)
		return TZ_EUSAGE;
	if (a->argc > sub->nargs)
		return cli_args_usage_error(a, "多余的参数“%s”", a->argv[sub->nargs]);
	struct store *s;
	int rc = cli_open(a, sub->open_flags, &s);
	if (rc != TZ_OK)
		return rc;
	struct tz_error err = { 0 };
	rc = sub->run(s, a, &err);
	store_close(s);
	return cli_status(a, rc, &err);
}

CLI_COMMAND(deliverable, "交付事项：实施方案、总结等的提交登记和镇里确认收到", usage, NULL, options,
	    CLI_STORE, CLI_ARGS_ANY, deliverable_run);
