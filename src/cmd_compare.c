/*
 * cmd_compare.c — `taizhang compare`: placeholder until its issue's work lands.
 */
#include <stdio.h>

#include "taizhang/cli.h"

static const char usage[] = "用法：taizhang compare（尚在开发）\n";

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("compare", "这个命令尚在开发");
}

const struct cli_command cmd_compare_entry = {
	.name = "compare",
	.summary = "比对建档立卡与低保名册",
	.usage = usage,
	.run = run,
};
