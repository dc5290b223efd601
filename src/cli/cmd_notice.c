/*
 * cmd_notice.c — `taizhang notice identify|exit`: the printable public notices
 * of the identification and exit procedure (两公示一公告, notice.h), one per
 * village: printed as text, or written with --out DIR as .txt and .xlsx files
 * ready to print.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "taizhang/cli.h"
#include "taizhang/notice.h"
#include "taizhang/os_error.h"
#include "cli_help.h"

static const struct cli_option options[] = {
	{ "stage", 0, "阶段", "village 村内公示（默认）、town 乡镇公示、announce 公告" },
	{ "from", 0, "日期", "公示开始日期（默认今天）；公示天数为政策参数 notice_days" },
	{ "out", 0, "文件夹", "把每份公示写成 .txt 和 .xlsx 文件放在这个文件夹（没有就新建）；\n"
	  "不给则把文字版打印出来" },
	{ NULL, 0, NULL, NULL },
};

static const struct {
	const char *name;
	enum notice_stage stage;
} stage_names[] = {
	{ "village", NOTICE_VILLAGE },
	{ "town", NOTICE_TOWN },
	{ "announce", NOTICE_ANNOUNCE },
};

static int write_all(const struct notice_set *set, const char *dir, struct tz_error *err)
{
	if (set->n == 0) {
		printf("没有需要公示的户：最近一轮已通过前一步骤、还没有这一公示的户一户也没有。\n");
		return TZ_OK;
	}
	for (size_t i = 0; i < set->n; i++) {
		if (dir == NULL) {
			if (i > 0)
				fputs("\n\f\n", stdout);
			notice_write_text(stdout, &set->items[i]);
			continue;
		}
		char *txt, *xlsx;
		int rc = notice_write_files(&set->items[i], dir, &txt, &xlsx, err);
		if (rc != TZ_OK)
			return rc;
		printf("已生成 %s（%zu 户）：%s、%s\n", set->items[i].village_name, set->items[i].n, txt,
		       xlsx);
		free(txt);
		free(xlsx);
	}
	return TZ_OK;
}

static int run(const struct cli_args *args)
{
	if (args->argc != 1 || (strcmp(args->argv[0], "identify") != 0 &&
				strcmp(args->argv[0], "exit") != 0))
		return cli_args_usage_error(args, "请说明是识别（identify）还是退出（exit）的公示");
	struct notice_options o = { .procedure = args->argv[0], .stage = NOTICE_VILLAGE,
				    .from = cli_args_get(args, "from") };
	const char *stage = cli_args_get(args, "stage");
	if (stage != NULL) {
		size_t i = 0;
		while (i < sizeof stage_names / sizeof stage_names[0] &&
		       strcmp(stage_names[i].name, stage) != 0)
			i++;
		if (i == sizeof stage_names / sizeof stage_names[0])
			return cli_args_usage_error(args, "--stage 应为 village、town 或 announce，不是“%s”",
						    stage);
		o.stage = stage_names[i].stage;
	}
	int32_t day;
	if (o.from != NULL && !date_parse_loose(o.from, &day))
		return cli_args_usage_error(args, "--from 的日期“%s”无效，请写成 2019-05-16", o.from);
	const char *dir = cli_args_get(args, "out");
	struct tz_error err;
	if (dir != NULL && mkdir(dir, 0700) != 0 && errno != EEXIST)
		return cli_status(args, tz_error_set(&err, TZ_EFAIL, "无法建立文件夹 %s：%s", dir,
						     os_error_text(errno)),
				  &err);
	struct store *s;
	int rc = cli_open(args, 0, &s);
	if (rc != TZ_OK)
		return rc;
	struct notice_set set;
	rc = notice_build(s, &o, &set, &err);
	store_close(s);
	if (rc == TZ_OK)
		rc = write_all(&set, dir, &err);
	notice_set_free(&set);
	return cli_status(args, rc, &err);
}

CLI_COMMAND(notice, "打印识别、退出程序的公示和公告（两公示一公告）",
	    CLI_HELP_notice, NULL, options, CLI_STORE, 1, run);
