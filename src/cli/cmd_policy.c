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

static int policy_list(struct store *s, char **argv, struct tz_error *err)
{
	(void)argv;
	struct reference_list l;
	int rc = reference_list(s, &l, err);
	if (rc == TZ_OK)
		print_list(&l);
	reference_list_free(&l);
	return rc;
}

/* After set or deadline has changed KEY to VALUE (argv). */
static int changed(int rc, char **argv)
{
	if (rc == TZ_OK)
		printf("已修改 %s = %s；下一次 taizhang bundle export 时发到各村。\n", argv[0],
		       argv[1]);
	return rc;
}

static int policy_set(struct store *s, char **argv, struct tz_error *err)
{
	return changed(reference_policy_set(s, argv[0], argv[1], err), argv);
}

static int policy_deadline(struct store *s, char **argv, struct tz_error *err)
{
	return changed(reference_deadline_set(s, argv[0], argv[1], err), argv);
}

/* The verbs: how many arguments each takes after its name (the usage error
 * wrong_args when that is not what was given), how the store is opened, and
 * what runs with it open. */
static const struct policy_verb {
	const char *name;
	int nargs;
	const char *wrong_args;
	unsigned open_flags; /* enum store_open_flags */
	int (*run)(struct store *s, char **argv, struct tz_error *err);
} verbs[] = {
	{ "list", 0, "list 不带参数", STORE_OPEN_READONLY, policy_list },
	{ "set", 2, "set 需要项目和数值", 0, policy_set },
	{ "deadline", 2, "deadline 需要项目和日期", 0, policy_deadline },
};

static int policy_run(const struct cli_args *a)
{
	const struct policy_verb *v = CLI_VERB_PICK(a, verbs, "请写 list、set 或 deadline", NULL);
	if (v == NULL)
		return TZ_EUSAGE;
	if (a->argc - 1 != v->nargs)
		return cli_args_usage_error(a, "%s", v->wrong_args);
	struct store *s;
	int rc = cli_open(a, v->open_flags, &s);
	if (rc != TZ_OK)
		return rc;
	struct tz_error err;
	rc = v->run(s, a->argv + 1, &err);
	store_close(s);
	return cli_status(a, rc, &err);
}

CLI_COMMAND(policy, "政策数字和时间节点（镇扶贫办设定，随数据包发到各村）",
	    policy_usage, NULL, NULL, CLI_STORE, CLI_ARGS_ANY, policy_run);
