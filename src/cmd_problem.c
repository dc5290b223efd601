/*
 * cmd_problem.c — `taizhang problem`: placeholder until its issue's work lands.
 */
#include <stdio.h>

#include "taizhang/cli.h"

static const char usage[] = "用法：taizhang problem（尚在开发）\n";

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("problem", "这个命令尚在开发");
}

const struct cli_command cmd_problem_entry = {
	.name = "problem",
	.summary = "问题台账：新增、列出、整改、销号",
	.usage = usage,
	.run = run,
};
