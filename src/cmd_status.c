/*
 * cmd_status.c — `taizhang status`: the store at a glance, in plain text. It is
 * what `taizhang` with no subcommand shows until the TUI takes its place.
 */
#include <getopt.h>
#include <stdio.h>

#include "taizhang/cli.h"
#include "taizhang/utf8.h"

static const char usage[] =
	"用法：taizhang status [--store 文件]\n"
	"显示台账概况：村（镇）、各状态户数、人数、用户。\n\n"
	"  --store 文件            台账文件（也可用环境变量 TAIZHANG_STORE）\n"
	"  --user 用户名           用谁的口令打开（默认第一个用户）\n"
	"  --passphrase-file 文件  口令从文件第一行读（- 为标准输入）\n";

static int print_rows(struct store *s, const char *sql, const char *fmt,
		      struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "读取概况", err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char label[64];
		utf8_pad(label, sizeof label, (const char *)sqlite3_column_text(st, 0), 10);
		printf(fmt, label, sqlite3_column_int(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取概况", err);
	return TZ_OK;
}

static int run(int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	struct cli_common c = { 0 };
	struct tz_error err;
	int opt;
	while ((opt = getopt_long(argc, argv, ":s:u:p:h", options, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg))
			continue;
		if (opt == 'h')
			return cli_print_usage(&cmd_status_entry);
		return cli_bad_option("status", argv);
	}
	if (optind < argc)
		return cli_usage_error("status", "没有“%s”这个命令", argv[optind]);
	if (cli_common_finish(&c, &err) != TZ_OK)
		return cli_usage_error("status", "%s", err.msg);
	struct store *s;
	if (cli_open_store(&c, 0, &s, &err) != TZ_OK)
		return cli_fail(&err);
	const struct keyring *kr = store_keyring(s);
	int rc = TZ_OK;
	sqlite3_stmt *st;
	const char *name = "";
	if (sqlite3_prepare_v2(store_db(s), "SELECT value FROM store_meta WHERE key = 'name'", -1,
			       &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			name = (const char *)sqlite3_column_text(st, 0);
		printf("%s：%s（%s）\n", kr->kind == STORE_KIND_TOWN ? "镇扶贫办" : "村",
		       name ? name : "", kr->division_code);
		sqlite3_finalize(st);
	}
	printf("当前用户：%s\n\n建档立卡户：\n", store_user(s));
	if (rc == TZ_OK)
		rc = print_rows(s,
				"SELECT c.label, count(h.id) FROM code_list c"
				" LEFT JOIN households h ON h.status = c.code"
				" WHERE c.list = 'household_status' GROUP BY c.code ORDER BY c.sort",
				"  %s %6d 户\n", &err);
	if (rc == TZ_OK)
		rc = print_rows(s,
				"SELECT '合计', (SELECT count(*) FROM households) UNION ALL "
				"SELECT '在户人口', (SELECT count(*) FROM members WHERE status = 'present')",
				"  %s %6d\n", &err);
	store_close(s);
	return rc == TZ_OK ? TZ_OK : cli_fail(&err);
}

const struct cli_command cmd_status_entry = {
	.name = "status",
	.summary = "显示台账概况（不带命令时也显示它）",
	.usage = usage,
	.run = run,
};
