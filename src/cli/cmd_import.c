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

static const char usage[] =
	"用法：taizhang import households 文件.csv [选项]\n"
	"把已有的建档立卡户花名册（每位成员一行）一次导入台账。文件可以是 Excel 另存的\n"
	"“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”（GBK/GB18030），也可以是制表符分隔的\n"
	"文本。只要有一行有错，就一行也不导入，并列出所有出错的行和原因。\n\n"
	"表头按列名识别（顺序不限，不认识的列忽略并提示）：\n"
	"  户编号        必填；户编号相同的行是同一户（也可写：户号、户编码、家庭编号）\n"
	"  村民小组      必填；台账里没有的小组会自动新建（组别、组、小组、村民组）\n"
	"  姓名          必填（成员姓名）\n"
	"  身份证号      必填；18 位，全角数字可以（身份证号码、证件号码、公民身份号码）\n"
	"  与户主关系    必填：户主、配偶、子女、儿媳或女婿、孙子女、父母、祖父母、兄弟姐妹、\n"
	"                其他（本人、妻、之子等常见写法也认）（户主关系）\n"
	"  户状态        必填：新识别、帮扶中、已脱贫、脱贫监测、返贫（贫困户状态）\n"
	"  性别          选填；须与身份证号一致\n"
	"  出生日期      选填；须与身份证号一致\n"
	"  健康状况      选填：健康、长期慢性病、患有大病、残疾\n"
	"  残疾类别和等级 选填，如 肢体三级\n"
	"  劳动能力      选填：普通劳动力、技能劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力\n"
	"  文化程度      选填：文盲或半文盲、学龄前儿童、小学、初中、高中或中专、大专及以上\n"
	"  联系电话      选填；户主那一行的电话也作为本户电话（电话、手机号）\n"
	"  致贫原因      选填：因病、因残、因学、因灾、缺土地、缺水、缺技术、缺劳力、缺资金、\n"
	"                交通条件落后、自身发展动力不足\n"
	"  人均纯收入（元） 选填；最多两位小数\n"
	"  识别年月      选填；日期，或年月（如 2014-10、2014年10月，记为当月 1 日）（识别日期）\n"
	"  脱贫日期      选填，写法同上；户状态为已脱贫、脱贫监测时必填（脱贫年月）\n"
	"  地址          选填（住址、家庭住址）\n"
	"本户的信息（村民小组、户状态、致贫原因、收入、日期、地址）可以每行都填，也可以只填\n"
	"在一行；同一户填了不同的值会报错。每户必须有且只有一位户主。台账里已有的身份证号、\n"
	"户编号，文件里重复的身份证号，都算错误。\n";

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
	    usage, NULL, NULL, CLI_STORE, CLI_ARGS_ANY, run);
