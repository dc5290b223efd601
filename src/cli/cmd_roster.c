/*
 * cmd_roster.c — `taizhang roster import dibao FILE.csv [--column 列=表头]...
 * [--replace]`: bring in the civil-affairs 低保 roster as the county's system
 * exports it (one row per person or one per household, a title above the
 * header, GB18030, CRLF), replacing the previous one once the difference has
 * been seen (src/roster/ does the work).
 *
 * Subcommands are entries in a table; only `import dibao` exists so far. On
 * refusal the reason and every bad row go to stderr and the exit code is 1: the
 * previous roster is kept as it was. When this store has a roster already, the
 * new one's difference from it is printed, and it replaces it only with
 * --replace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/roster.h"

#define MAX_MAPPINGS 16

static const char usage[] =
	"用法：taizhang roster import dibao 文件.csv [--column 列名=表头]... [--replace] [选项]\n"
	"导入民政部门的低保名册，替换上一次导入的低保名册（导入记录保留）。\n"
	"文件可以是 UTF-8、带 BOM 的 UTF-8 或 GBK/GB18030 的 CSV，也可以是制表符分隔的文本；\n"
	"表头上面的标题行（如“XX县2019年4月农村低保花名册”）、表尾的合计和说明行自动跳过。\n"
	"只要有一行有错，就一行也不导入，原来的低保名册不变，并列出所有出错的行。\n"
	"已有低保名册时，先列出新名册与它相比新增、减少、变化的户和人；确认后加 --replace 才替换。\n"
	"导入后用 taizhang compare dibao 与建档立卡户比对。\n\n"
	"两种格式都认，按表头的列名识别（顺序不限，不认识的列忽略并提示）：\n"
	"  每人一行：姓名、身份证号（证件号码、身份证号码、公民身份号码），\n"
	"            及户主姓名、户主身份证号；没有户主列时，与户主关系为“户主”的行开始一户\n"
	"  每户一行：户主姓名、户主身份证号，及家庭人口、保障人数、月保障金额\n"
	"  选填：与户主关系、家庭人口、保障人数（保障人口、享受人数）、\n"
	"        月保障金（元）（保障金额、月保障金额）、所在村（村（居）、村）、村代码（行政区划代码）\n"
	"表头与上面的列名不同时，用 --column 指出哪一列是哪一列，如 --column 身份证号=证件号\n"
	"（可以写多次）。镇扶贫办导入全县的名册时，按村代码或所在村分到本镇各村。\n"
	"同一身份证号出现两次、同一户主身份证号写了不同的户主姓名，都算错误。\n";

static const struct cli_option options[] = {
	{ "column", 0, "列名=表头", "表头与所需列名不同时指出对应（可以写多次），如 身份证号=证件号" },
	{ "replace", 0, NULL, "已有低保名册时，确认用新名册替换" },
	{ NULL, 0, NULL, NULL },
};

/* The difference of the new roster from the one it replaces (or would). */
static void print_diff(const struct roster_diff *d, const char *new_month)
{
	size_t n;
	char **lines = roster_diff_text(d, new_month, &n);
	for (size_t i = 0; i < n; i++) {
		printf("%s%s\n", i > 0 ? "  " : "", lines[i]);
		free(lines[i]);
	}
	free(lines);
}

static void explain(const struct roster_report *rep)
{
	if (rep->needs_replace && rep->diff != NULL)
		print_diff(rep->diff, rep->month);
}

static int import_dibao(const struct cli_args *a, const struct cli_common *c, const char *path)
{
	const char *specs[MAX_MAPPINGS];
	size_t nspecs = cli_args_all(a, "column", specs, MAX_MAPPINGS);
	if (nspecs > MAX_MAPPINGS)
		return cli_usage_error("roster", "--column 最多写 %d 次", MAX_MAPPINGS);
	struct roster_column_map map[MAX_MAPPINGS];
	for (size_t i = 0; i < nspecs; i++) {
		struct tz_error err = { 0 };
		if (roster_column_map_parse(specs[i], &map[i], &err) != TZ_OK)
			return cli_usage_error("roster", "%s", err.msg);
	}
	struct roster_dibao_options o = { map, nspecs, cli_args_has(a, "replace") };
	const struct cli_import how = { NULL, &o, explain };
	struct roster_report rep;
	int rc = cli_import_file_as(c, path, &how, &rep);
	if (rc == TZ_OK) {
		printf("已导入低保名册：%zu 户 %zu 人（文件编码 %s）", rep.households, rep.persons,
		       rep.encoding);
		if (rep.replaced > 0)
			printf("，替换了上一次导入的 %zu 人", rep.replaced);
		printf("。\n名册格式：%s", rep.layout);
		if (rep.month != NULL)
			printf("；名册月份：%s", rep.month);
		printf("。\n");
		if (rep.skipped > 0)
			printf("表尾的合计、说明等 %zu 行已跳过。\n", rep.skipped);
		if (rep.outside > 0)
			printf("有 %zu 户的所在村（村代码）不是本台账的村，没有分到村，比对时不算。\n",
			       rep.outside);
		if (rep.diff != NULL)
			print_diff(rep.diff, rep.month);
		if (fflush(stdout) != 0)
			rc = TZ_EFAIL;
	}
	roster_report_free(&rep);
	return rc;
}

/* What `roster import` can bring in. */
static const struct {
	const char *kind;
	int (*run)(const struct cli_args *a, const struct cli_common *c, const char *path);
} imports[] = {
	{ "dibao", import_dibao },
};

static int run(const struct cli_args *a)
{
	struct cli_common c;
	if (a->argc == 0)
		return cli_usage_error("roster", "请给出子命令：taizhang roster import dibao 文件.csv");
	if (strcmp(a->argv[0], "import") != 0)
		return cli_usage_error("roster", "没有“%s”这个子命令；目前只有 import", a->argv[0]);
	if (a->argc < 2)
		return cli_usage_error("roster", "请说明导入哪种名册：taizhang roster import dibao 文件.csv");
	const char *kind = a->argv[1];
	size_t i;
	for (i = 0; i < sizeof imports / sizeof imports[0]; i++)
		if (strcmp(kind, imports[i].kind) == 0)
			break;
	if (i == sizeof imports / sizeof imports[0])
		return cli_usage_error("roster", "不能导入“%s”名册；目前只能导入 dibao（低保名册）", kind);
	int rc = cli_import_choose(a, 2, &c);
	if (rc != TZ_OK)
		return rc;
	return imports[i].run(a, &c, a->argv[2]);
}

CLI_COMMAND(roster, "导入其他部门的名册（如民政低保名册）",
	    usage, NULL, options, CLI_STORE, CLI_ARGS_ANY, run);
