/*
 * cmd_unit.c — `taizhang unit list|show UNIT`: the accountable units and one
 * unit's sheet (include/taizhang/campaign.h): the tasks it leads or joins, the
 * problems, measures, projects and deliverables that name it, done and late.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/cli.h"
#include "taizhang/money.h"
#include "taizhang/utf8.h"
#include "cli_help.h"

static const char *kind_label(const char *kind)
{
	return strcmp(kind, "town_unit") == 0 ? "镇直单位" : strcmp(kind, "village") == 0 ? "村（居）"
											     : "其他";
}

static int run_list(struct store *s, struct tz_error *err)
{
	struct unit *v;
	size_t n;
	int rc = unit_list(s, &v, &n, err);
	if (rc != TZ_OK)
		return rc;
	char b1[64], b2[96];
	for (size_t i = 0; i < n; i++)
		printf("%s  %s  %s  牵头任务 %d 项\n", utf8_pad(b1, sizeof b1, v[i].code, 14),
		       utf8_pad(b2, sizeof b2, v[i].name, 28), kind_label(v[i].kind), v[i].leads);
	printf("共 %zu 个单位。\n", n);
	unit_list_free(v, n);
	return TZ_OK;
}

static void print_sheet(const struct unit_sheet *sh)
{
	printf("%s（%s，%s）\n", sh->unit.name, sh->unit.code, kind_label(sh->unit.kind));
	printf("任务：\n");
	for (size_t i = 0; i < sh->ntasks; i++)
		printf("  %s 任务%d %s\n", sh->tasks[i].lead ? "牵头" : "参加", sh->tasks[i].task,
		       sh->tasks[i].name);
	char money[MONEY_TEXT_NBYTES];
	printf("问题：%d 个，已销号 %d，逾期未整改 %d\n", sh->problems, sh->problems_closed,
	       sh->problems_late);
	printf("边缘户帮扶措施：%d 项\n", sh->measures);
	printf("项目：%d 个，资金 %s 元\n", sh->projects, money_format(sh->project_funds_cents, 0, money));
	printf("交付事项：%zu 项，已完成 %d，未到期 %d，逾期 %d\n", sh->ndeliverables, sh->done, sh->open,
	       sh->late);
	for (size_t i = 0; i < sh->ndeliverables; i++) {
		const struct deliverable *d = &sh->deliverables[i];
		printf("  %s  %s  %s%s%s\n", d->due, deliverable_state_label(d->state), d->what,
		       d->handed_in_on ? "；提交于 " : "", d->handed_in_on ? d->handed_in_on : "");
	}
}

static int unit_run(const struct cli_args *a)
{
	int list = a->argc == 1 && strcmp(a->argv[0], "list") == 0;
	int show = a->argc == 2 && strcmp(a->argv[0], "show") == 0;
	if (!list && !show)
		return cli_args_usage_error(a, "请写 list，或 show 单位");
	struct store *s;
	int rc = cli_open(a, STORE_OPEN_READONLY, &s);
	if (rc != TZ_OK)
		return rc;
	struct tz_error err = { 0 };
	if (list) {
		rc = run_list(s, &err);
	} else {
		struct unit_sheet sh;
		rc = unit_sheet_load(s, a->argv[1], &sh, &err);
		if (rc == TZ_OK)
			print_sheet(&sh);
		unit_sheet_free(&sh);
	}
	store_close(s);
	return cli_status(a, rc, &err);
}

CLI_COMMAND(unit, "责任单位和每个单位的台账（牵头任务、问题、交付事项）",
	    CLI_HELP_unit, NULL, NULL, CLI_STORE, 2, unit_run);
