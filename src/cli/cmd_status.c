/*
 * cmd_status.c — `taizhang status`: the store at a glance, in plain text — the
 * same figures as the home screen (browse_home), for scripts and terminals
 * without the screen.
 */
#include <stdio.h>

#include "taizhang/browse.h"
#include "taizhang/cli.h"
#include "taizhang/utf8.h"
#include "cli_help.h"

static void print_line(const char *label, int count, const char *unit)
{
	char padded[64];
	printf("  %s %6d%s\n", utf8_pad(padded, sizeof padded, label, 10), count, unit);
}

static int run(const struct cli_args *a)
{
	struct tz_error err;
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	struct home_summary sum;
	rc = browse_home(s, &sum, &err);
	if (rc == TZ_OK) {
		printf("%s：%s（%s）\n", store_keyring(s)->kind == STORE_KIND_TOWN ? "镇扶贫办" : "村",
		       sum.village, sum.code);
		printf("当前用户：%s\n\n建档立卡户：\n", store_user(s));
		for (int i = 0; i < sum.nstatuses; i++)
			print_line(sum.statuses[i].label, sum.statuses[i].count, " 户");
		print_line("合计", sum.households, "");
		print_line("在户人口", sum.members, "");
	}
	store_close(s);
	return rc == TZ_OK ? TZ_OK : cli_fail(&err);
}

CLI_COMMAND(status, "显示台账概况（不带命令时也显示它）",
	    CLI_HELP_status, NULL, NULL, CLI_STORE | CLI_ARGS_ARE_COMMANDS, 0, run);
