/*
 * cmd_export.c — `taizhang export pg 目录 --unencrypted`: a town store's
 * ledgers as files PostgreSQL loads (schema.sql, a COPY file per table,
 * load.sh; src/export/, export_pg.h), for a county that keeps many towns in one
 * database.
 *
 * Thin on purpose: parse, open the store, call export_pg_write, print what was
 * written. The files are not encrypted, so nothing is written without
 * --unencrypted, and a warning follows every export.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/export_pg.h"
#include "cli_help.h"

static const struct cli_option options[] = {
	{ "unencrypted", 0, NULL, "确认导出不加密的文件（必须写明）" },
	{ NULL, 0, NULL, NULL },
};

static const char warning[] =
	"注意：%s 中的文件不加密，内含姓名、身份证号、电话、住址等个人信息。"
	"装入数据库后请删除，不要拷到 U 盘或通过网络发送。\n";

static int run(const struct cli_args *a)
{
	if (a->argc < 1 || strcmp(a->argv[0], "pg") != 0)
		return cli_usage_error("export", "请写明导出格式：taizhang export pg 目录（目前只有 pg，即 PostgreSQL）");
	if (a->argc < 2)
		return cli_usage_error("export", "请写明导出到哪个目录：taizhang export pg 目录");
	const char *dir = a->argv[1];
	if (!cli_args_has(a, "unencrypted"))
		return cli_usage_error("export",
				       "导出的文件不加密，内含姓名、身份证号等个人信息：确认要导出，请加 --unencrypted");
	struct tz_error err;
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	struct export_pg_summary sum;
	rc = export_pg_write(s, dir, &sum, &err);
	store_close(s);
	if (rc != TZ_OK)
		return cli_status(a, rc, &err);
	printf("已导出镇 %s 到 %s：schema.sql、%zu 张表共 %lld 行（每表一个 .copy 文件）、load.sh。\n",
	       sum.town_code, dir, sum.ntables, sum.nrows);
	printf("装入 PostgreSQL：sh %s/load.sh [psql 的连接选项，如 -h 主机 -d 数据库]\n", dir);
	fprintf(stderr, warning, dir);
	export_pg_summary_free(&sum);
	return TZ_OK;
}

/* CLI_STORE, not CLI_TOWN_ONLY: a village store is refused by export_pg_write */
CLI_COMMAND(export, "导出镇台账供 PostgreSQL 装入（不加密，须 --unencrypted）",
	    CLI_HELP_export, CLI_HELP_export_notes, options, CLI_STORE, 2, run);
