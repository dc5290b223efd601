/*
 * cmd_import.c — `taizhang import`: placeholder until its issue's work lands.
 */
#include <stdio.h>

#include "taizhang/cli.h"

static const char usage[] = "用法：taizhang import（尚在开发）\n";

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("import", "这个命令尚在开发");
}

const struct cli_command cmd_import_entry = {
	.name = "import",
	.summary = "批量导入建档立卡户及成员花名册（CSV）",
	.usage = usage,
	.run = run,
};
