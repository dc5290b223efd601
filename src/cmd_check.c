/*
 * cmd_check.c — `taizhang check`: placeholder until its issue's work lands.
 */
#include <stdio.h>

#include "taizhang/cli.h"

static const char usage[] = "用法：taizhang check（尚在开发）\n";

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("check", "这个命令尚在开发");
}

const struct cli_command cmd_check_entry = {
	.name = "check",
	.summary = "运行精准核查规则，列出问题线索（发现）",
	.usage = usage,
	.run = run,
};
