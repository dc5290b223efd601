/*
 * cmd_roster.c — `taizhang roster`: placeholder until its issue's work lands.
 */
#include <stdio.h>

#include "taizhang/cli.h"

static const char usage[] = "用法：taizhang roster（尚在开发）\n";

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("roster", "这个命令尚在开发");
}

const struct cli_command cmd_roster_entry = {
	.name = "roster",
	.summary = "导入其他部门的名册（如民政低保名册）",
	.usage = usage,
	.run = run,
};
