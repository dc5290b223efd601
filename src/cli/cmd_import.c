/*
 * cmd_import.c — `taizhang import households FILE.csv`: bulk load of an existing
 * roster of registered households and their members (src/roster/roster_households.c
 * does the work; this file reads the command line and prints).
 *
 * On success one line of counts goes to stdout. On refusal the reason goes to
 * stderr, followed by every bad row, one a line, and the exit code is 1:
 * nothing was written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/roster.h"
#include "cli_help.h"

static int import_households(const struct cli_common *c, const char *path)
{
	struct roster_report rep;
	int rc = cli_import_file(c, path, roster_import_households, &rep);
	if (rc == TZ_OK) {
		printf("已导入建档立卡户 %zu 户、成员 %zu 人，新建村民小组 %zu 个（文件编码 %s）。\n",
		       rep.households, rep.members, rep.groups_created, rep.encoding);
		if (fflush(stdout) != 0)
			rc = TZ_EFAIL;
	}
	roster_report_free(&rep);
	return rc;
}

static int run(const struct cli_args *a)
{
	struct cli_common c;
	if (a->argc == 0)
		return cli_usage_error("import", "请说明导入什么：taizhang import households 文件.csv");
	if (strcmp(a->argv[0], "households") != 0)
		return cli_usage_error("import", "不能导入“%s”；目前只能导入 households（建档立卡户花名册）",
				       a->argv[0]);
	int rc = cli_import_choose(a, 1, &c);
	if (rc != TZ_OK)
		return rc;
	return import_households(&c, a->argv[1]);
}

CLI_COMMAND(import, "批量导入建档立卡户及成员花名册（CSV）",
	    CLI_HELP_import, NULL, NULL, CLI_STORE, CLI_ARGS_ANY, run);
