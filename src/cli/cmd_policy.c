/*
 * cmd_policy.c — `taizhang policy`: the policy numbers and deadlines every
 * village follows (include/taizhang/reference.h).
 *
 *   taizhang policy list                  both tables, with units
 *   taizhang policy set KEY VALUE         (town) a policy number
 *   taizhang policy deadline KEY DATE     (town) a deadline
 *
 * Changes made at the town travel to every village with the next
 * `bundle export`.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/reference.h"
#include "taizhang/utf8.h"

static const char policy_usage[] =
	"用法：taizhang policy list\n"
	"       taizhang policy set 项目 数值          （镇扶贫办）修改一个政策数字\n"
	"       taizhang policy deadline 项目 日期     （镇扶贫办）修改一个时间节点\n"
	"政策数字（脱贫收入标准、公示天数、每月走访次数、工作室人数等）和时间节点由\n"
	"镇扶贫办统一设定；修改后随下一次 taizhang bundle export 发到各村。金额以分为单位。\n";

static void print_list(const struct reference_list *l)
{
	char pad[256];
	printf("政策数字：\n");
	for (size_t i = 0; i < l->npolicy; i++)
		printf("  %s  %s %s  %s\n", utf8_pad(pad, sizeof pad, l->policy[i].key, 26),
		       l->policy[i].value, l->policy[i].unit, l->policy[i].label);
	printf("时间节点：\n");
	for (size_t i = 0; i < l->ndeadlines; i++)
		printf("  %s  %s  %s\n", utf8_pad(pad, sizeof pad, l->deadlines[i].key, 26),
		       l->deadlines[i].value, l->deadlines[i].label);
}

static int policy_run(const struct cli_args *a)
{
	struct tz_error err;
	int nargs = a->argc;
	const char *what = nargs > 0 ? a->argv[0] : NULL;
	int want = what == NULL ? -1
		   : strcmp(what, "list") == 0 ? 1
		   : (strcmp(what, "set") == 0 || strcmp(what, "deadline") == 0) ? 3
										  : -1;
	if (want < 0)
		return cli_usage_error("policy", "请写 list、set 或 deadline");
	if (nargs != want)
		return cli_usage_error("policy", want == 1 ? "list 不带参数"
							   : "%s 需要项目和%s", what,
				       strcmp(what, "set") == 0 ? "数值" : "日期");
	struct store *s;
	int rc = cli_open(a, want == 1 ? STORE_OPEN_READONLY : 0, &s);
	if (rc != TZ_OK)
		return rc;
	if (want == 1) {
		struct reference_list l;
		rc = reference_list(s, &l, &err);
		if (rc == TZ_OK)
			print_list(&l);
		reference_list_free(&l);
	} else if (strcmp(what, "set") == 0) {
		rc = reference_policy_set(s, a->argv[1], a->argv[2], &err);
	} else {
		rc = reference_deadline_set(s, a->argv[1], a->argv[2], &err);
	}
	store_close(s);
	if (rc == TZ_EUSAGE)
		return cli_usage_error("policy", "%s", err.msg);
	if (rc != TZ_OK)
		return cli_fail(&err);
	if (want == 3)
		printf("已修改 %s = %s；下一次 taizhang bundle export 时发到各村。\n", a->argv[1],
		       a->argv[2]);
	return TZ_OK;
}

CLI_COMMAND(policy, "政策数字和时间节点（镇扶贫办设定，随数据包发到各村）",
	    policy_usage, NULL, NULL, CLI_STORE, CLI_ARGS_ANY, policy_run);
