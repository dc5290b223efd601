/*
 * cmd_roster.c — `taizhang roster import dibao FILE.csv`: bring in the
 * civil-affairs 低保 roster as exported by the county's system, replacing the
 * previous one (src/roster/ does the work).
 *
 * Subcommands are entries in a table; only `import dibao` exists so far. On
 * refusal the reason and every bad row go to stderr and the exit code is 1: the
 * previous roster is kept as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/roster.h"

static const char usage[] =
	"用法：taizhang roster import dibao 文件.csv [选项]\n"
	"导入民政部门的低保名册（每人一行），替换上一次导入的低保名册（导入记录保留）。\n"
	"文件可以是 UTF-8、带 BOM 的 UTF-8 或 GBK/GB18030 的 CSV，也可以是制表符分隔的文本。\n"
	"只要有一行有错，就一行也不导入，原来的低保名册不变，并列出所有出错的行。\n"
	"导入后用 taizhang compare dibao 与建档立卡户比对。\n\n"
	"表头按列名识别（顺序不限，不认识的列忽略并提示）：\n"
	"  户主姓名      必填\n"
	"  户主身份证号  必填（户主身份证号码、户主证件号码）\n"
	"  姓名          必填（成员姓名、家庭成员姓名、保障对象姓名）\n"
	"  身份证号      必填（身份证号码、证件号码、公民身份号码）\n"
	"  与户主关系    选填，照原样保存（户主关系）\n"
	"  家庭人口      选填，1 到 99（家庭人口数）\n"
	"  月保障金（元） 选填（保障金额、月保障金、月保障金额）\n"
	"  所在村        选填（村（居）、村居、村）\n"
	"同一身份证号出现两次、同一户主身份证号写了不同的户主姓名，都算错误。\n";

static int import_dibao(const struct cli_common *c, const char *path)
{
	struct roster_report rep;
	int rc = cli_import_file(c, path, roster_import_dibao, &rep);
	if (rc == TZ_OK) {
		printf("已导入低保名册：%zu 户 %zu 人（文件编码 %s）", rep.households, rep.members,
		       rep.encoding);
		if (rep.replaced > 0)
			printf("，替换了上一次导入的 %zu 人", rep.replaced);
		printf("。\n");
		if (fflush(stdout) != 0)
			rc = TZ_EFAIL;
	}
	roster_report_free(&rep);
	return rc;
}

/* What `roster import` can bring in. */
static const struct {
	const char *kind;
	int (*run)(const struct cli_common *c, const char *path);
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
	if (a->argc != 3)
		return cli_usage_error("roster", a->argc < 3 ? "请给出要导入的文件"
							     : "一次只能导入一个文件");
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;
	return imports[i].run(&c, a->argv[2]);
}

CLI_COMMAND(roster, "导入其他部门的名册（如民政低保名册）",
	    usage, NULL, NULL, CLI_STORE, CLI_ARGS_ANY, run);
