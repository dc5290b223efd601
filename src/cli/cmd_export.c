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

static const char usage[] =
	"用法：taizhang export pg 目录 --unencrypted [选项]\n"
	"把镇台账导出为 PostgreSQL 能装入的文件，供县、市把各镇的台账装进同一个数据库：\n"
	"  schema.sql    建表语句（字段类型、主键、外键、唯一和检查约束、索引），\n"
	"                每张表多一列镇代码 town_code，各镇的行在同一张表里互不冲突\n"
	"  表名.copy     每张表一个数据文件（PostgreSQL COPY 文本格式，UTF-8）\n"
	"  load.sh       装入脚本：sh 目录/load.sh [psql 的连接选项]，\n"
	"                在一个事务里建表（已有则跳过），删去本镇原有的行再装入；\n"
	"                重复装入同一个镇只会替换这个镇的数据\n"
	"目录不存在时新建（权限 700）；已存在时必须只有本用户能进入。文件权限为 600。\n"
	"只导出台账和参考数据；用户、口令、密钥、同步记录和审计日志不导出。\n";

static const char notes[] =
	"导出的文件不加密，内含住户和人员的姓名、身份证号、电话、住址等个人信息：\n"
	"装入数据库后请删除，不要拷到 U 盘或通过网络发送。\n";

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
	    usage, notes, options, CLI_STORE, 2, run);
