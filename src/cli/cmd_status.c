/*
 * cmd_status.c — `taizhang status`: the store at a glance, in plain text — the
 * same figures as the home screen (browse_home), for scripts and terminals
 * without the screen.
 */
#include <getopt.h>
#include <stdio.h>

#include "taizhang/browse.h"
#include "taizhang/cli.h"
#include "taizhang/utf8.h"

static const char usage[] =
	"用法：taizhang status [--store 文件]\n"
	"显示台账概况：村（镇）、各状态户数、人数、用户。\n\n"
	"  --store 文件            台账文件（也可用环境变量 TAIZHANG_STORE）\n"
	"  --user 用户名           用谁的口令打开（默认第一个用户）\n"
	"  --passphrase-file 文件  口令从文件第一行读（- 为标准输入）\n";

static void print_line(const char *label, int count, const char *unit)
{
	char padded[64];
	printf("  %s %6d%s\n", utf8_pad(padded, sizeof padded, label, 10), count, unit);
}

static int run(int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	struct cli_common c = { 0 };
	struct tz_error err;
	int opt;
	while ((opt = getopt_long(argc, argv, ":s:u:p:h", options, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg))
			continue;
		if (opt == 'h')
			return cli_print_usage(&cmd_status_entry);
		return cli_bad_option("status", argv);
	}
	if (optind < argc)
		return cli_usage_error("status", "没有“%s”这个命令", argv[optind]);
	if (cli_common_finish(&c, &err) != TZ_OK)
		return cli_usage_error("status", "%s", err.msg);
	struct store *s;
	if (cli_open_store(&c, 0, &s, &err) != TZ_OK)
		return cli_fail(&err);
	struct home_summary sum;
	int rc = browse_home(s, &sum, &err);
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

const struct cli_command cmd_status_entry = {
	.name = "status",
	.summary = "显示台账概况（不带命令时也显示它）",
	.usage = usage,
	.run = run,
};
