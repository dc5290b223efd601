/*
 * cmd_tui.c — `taizhang` with no command: the officer's screen (src/tui/).
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "taizhang/cli.h"
#include "taizhang/tui.h"

static const char usage[] =
	"用法：taizhang [--store 文件] [--user 用户名]\n"
	"打开台账的操作界面（需要在 80x24 以上的 UTF-8 终端中运行）。\n\n"
	"  --store 文件            台账文件（也可用环境变量 TAIZHANG_STORE）\n"
	"  --user 用户名           默认选中的用户\n";

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
			return cli_print_usage(&cmd_tui_entry);
		return cli_bad_option(NULL, argv);
	}
	if (optind < argc)
		return cli_usage_error(NULL, "没有“%s”这个命令", argv[optind]);
	if (cli_common_finish(&c, &err) != TZ_OK)
		return cli_usage_error(NULL, "%s", err.msg);
	if (c.passphrase_file != NULL)
		return cli_usage_error(NULL, "操作界面在屏幕上输入口令，不用 --passphrase-file");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_usage_error(NULL, "操作界面需要在终端中运行；脚本请用 taizhang status 等命令");
	if (tui_main(c.store, c.user, &err) != TZ_OK)
		return cli_fail(&err);
	return TZ_OK;
}

const struct cli_command cmd_tui_entry = {
	.name = "tui",
	.summary = "打开操作界面（不带命令时就是它）",
	.usage = usage,
	.run = run,
};
