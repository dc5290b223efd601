/*
 * cmd_tui.c — `taizhang` with no command: the officer's screen (src/tui/).
 */
#include <stdio.h>
#include <unistd.h>

#include "taizhang/cli.h"
#include "taizhang/tui.h"

static const char usage[] =
	"用法：taizhang [--store 文件] [--user 用户名]\n"
	"打开台账的操作界面（需要在 80x24 以上的 UTF-8 终端中运行）。\n";

/* --user names the user chosen at first; the screen asks for the passphrase. */
static const struct cli_option options[] = {
	CLI_STORE_OPTION(""),
	{ "user", 'u', "用户名", "默认选中的用户" },
	{ "passphrase-file", 'p', "文件", NULL },
	{ NULL, 0, NULL, NULL },
};

static int run(const struct cli_args *a)
{
	struct cli_common c;
	struct tz_error err;
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;
	if (c.passphrase_file != NULL)
		return cli_usage_error(NULL, "操作界面在屏幕上输入口令，不用 --passphrase-file");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_usage_error(NULL, "操作界面需要在终端中运行；脚本请用 taizhang status 等命令");
	if (tui_main(c.store, c.user, &err) != TZ_OK)
		return cli_fail(&err);
	return TZ_OK;
}

CLI_COMMAND(tui, "打开操作界面（不带命令时就是它）",
	    usage, NULL, options, CLI_STORE | CLI_TOP | CLI_RAW_STDOUT, 0, run);
