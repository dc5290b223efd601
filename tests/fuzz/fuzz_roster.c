/*
 * fuzz_roster.c — a libFuzzer target for the CSV roster imports
 * (roster_import_households, roster_import_dibao: src/roster/): the
 * spreadsheets an officer brings from the county's systems, in whatever
 * encoding, layout and state they come. The first input byte picks the
 * import (even: households, odd: 低保; with bit 1 also set, the 低保 import
 * with a column mapping and without replacing); the rest is the file.
 *
 * Set up once per process: a village store in a temporary folder holding one
 * household (so that duplicates of the store's rows are met). Every input is
 * rolled back: a before-commit hook (store_set_tx_hooks) refuses the import's
 * commit, so its transaction is undone and the next input meets the same
 * store. Any outcome is fine, but a refusal must say why, and an import that
 * reaches its commit must have found no bad row.
 *
 * Seeds (TZ_FUZZ_SEEDS=DIR): real-looking rosters of both kinds, as the
 * command-line tests use them: UTF-8, UTF-8 with a BOM, GB18030 (converted
 * here with iconv), a title row above the header, CRLF line ends, tab
 * separated, quoted fields, full-width digits, and a few bad rows; 低保
 * rosters one row per household (with 合计 and signature rows below), one row
 * per person without 户主 columns, and one read through a column mapping.
 */
#include <iconv.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "taizhang/roster.h"

#define ROLLED_BACK "fuzz: rolled back"

static int refuse_commit(void *ctx, sqlite3 *db, struct tz_error *err)
{
	(void)db;
	*(int *)ctx = 1;
	return tz_error_set(err, TZ_EFAIL, ROLLED_BACK);
}

static struct store *village_get(int *reached_commit)
{
	static struct store *s;
	if (s != NULL)
		return s;
	s = fuzz_store_create("village.tzs", STORE_KIND_VILLAGE, "341522104201", "示范村");
	static const char first[] = "户编号,村民小组,姓名,身份证号,与户主关系,户状态\n"
				    "0009,红星组,钱九,341522195505050052,户主,帮扶中\n";
	struct roster_report rep = { 0 };
	struct tz_error err;
	if (roster_import_households(s, "first.csv", first, sizeof first - 1, &rep, &err) != TZ_OK) {
		fprintf(stderr, "fuzz_roster setup: %s\n", err.msg);
		exit(1);
	}
	roster_report_free(&rep);
	static const struct store_tx_hooks hooks = { .before_commit = refuse_commit };
	store_set_tx_hooks(s, &hooks, reached_commit);
	return s;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static int reached_commit;
	if (size < 1)
		return 0;
	struct store *s = village_get(&reached_commit);
	size_t n = size - 1;
	char *file = malloc(n ? n : 1); /* exact size: a read past the end is caught */
	if (file == NULL)
		return 0;
	memcpy(file, data + 1, n);
	struct roster_report rep = { 0 };
	struct tz_error err;
	reached_commit = 0;
	static const struct roster_column_map map[] = { { "身份证号", "证件号" }, { "户主姓名", "户名" } };
	static const struct roster_dibao_options mapped = { map, 2, 0 };
	int rc = (data[0] & 3) == 3 ? roster_import_dibao_with(s, "fuzz.csv", file, n, &mapped, &rep, &err)
		 : (data[0] & 1)    ? roster_import_dibao(s, "fuzz.csv", file, n, &rep, &err)
				    : roster_import_households(s, "fuzz.csv", file, n, &rep, &err);
	if (rc == TZ_OK || err.msg[0] == '\0' || store_tx_active(s))
		abort(); /* the hook refuses every commit: never TZ_OK, nothing left open */
	if (reached_commit && (strstr(err.msg, ROLLED_BACK) == NULL || rep.nproblems != 0))
		abort(); /* an import that reached its commit found no bad row */
	roster_report_free(&rep);
	free(file);
	return 0;
}

/* ---- seeds ---- */

static const char households[] =
	"户编号,村民小组,姓名,身份证号,与户主关系,户状态,性别,人均纯收入（元）,识别年月,脱贫日期,地址,序号\n"
	"0001,张庄组,张大山,341522196001010019,户主,已脱贫,男,\"4,500.5\",2014-10,2018-12-01,\"霍邱县,张庄\",1\n"
	"0001,,李秀英,341522196202020029,配偶,,女,,,,,2\n"
	"0001,,张小军,341522199003030033,之子,,,,,,,3\n"
	"0002,李洼组,李老四,341522196606060078,户主,帮扶中,,,2014年10月,,,4\n";

static const char households_wide[] =
	"户编号,组别,姓名,证件号码,户主关系,贫困户状态\r\n"
	"0003,张庄组,周七,３４１５２２１９６６０６０６００７８,本人,新识别\r\n";

static const char households_tabs[] =
	"户号\t所在组\t成员姓名\t公民身份号码\t与户主的关系\t脱贫状态\t健康状况\t劳动能力\t文化程度\t联系电话\t致贫原因\n"
	"0004\t红星组\t孙八\t341522197007070076\t户主\t帮扶中\t长期慢性病\t弱劳动力或半劳动力\t小学\t13800000000\t因病\n"
	"0004\t红星组\t吴九\t341522197208080086\t妻\t\t健康\t普通劳动力\t初中\t\t\n";

static const char households_bad[] =
	"户编号,村民小组,姓名,身份证号,与户主关系,户状态\n"
	"0005,张庄组,某某,341522197007070070,户主,帮扶中\n"
	"0005,张庄组,某某某,341522197007070076,户主,帮扶中\n"
	"0006,张庄组,\"未闭合,341522197208080086,户主,帮扶中\n";

static const char dibao[] =
	"某县农村低保对象花名册\n"
	"户主姓名,户主身份证号,成员姓名,身份证号,与户主关系,家庭人口,月保障金（元）,村（居）\n"
	"张小军,341522199003030033,张小军,341522199003030033,本人,1,250,示范村\n"
	"王五,341522197007070076,王五,341522197007070076,本人,2,300,示范村\n"
	"王五,341522197007070076,赵六,341522197208080086,妻,2,300,示范村\n";

static const char dibao_bad[] =
	"户主姓名,户主身份证号,成员姓名,身份证号,与户主关系,家庭人口,月保障金（元）,村（居）\r\n"
	"王五,341522197007070070,王五,341522197007070070,本人,二,-3,示范村\r\n";

static const char dibao_households[] =
	"XX县2019年4月农村低保花名册,,,,,,\r\n"
	",,,,,,\r\n"
	"序号,户主姓名,户主身份证号,家庭人口,保障人数,月保障金额,村代码\r\n"
	"1,张小军,341522199003030033,3,2,\"1,000.00\",341522104201\r\n"
	"2,王五,341522197007070076,4,4,1200,341522104202\r\n"
	"合计,,,7,6,2200,\r\n"
	"制表人：李会计,,,,,,\r\n";

static const char dibao_mapped[] =
	"户名,户主身份证号,姓名,证件号,与户主关系,保障金额(元),所在村\n"
	"王五,341522197007070076,王五,341522197007070076,户主,300,示范村\n"
	"王五,341522197007070076,赵六,341522197208080086,妻,300,示范村\n";

static const char dibao_no_heads[] =
	"姓名,公民身份号码,与户主关系\n"
	"王五,341522197007070076,户主\n"
	"赵六,341522197208080086,妻\n"
	"张小军,341522199003030033,本人\n";

/* One seed: mode byte, an optional prefix (a BOM), text converted to
 * encoding (NULL: kept UTF-8). */
static void seed(const char *dir, const char *name, unsigned char mode, const char *prefix,
		 const char *text, const char *encoding)
{
	static char buf[8192];
	size_t used = 0;
	buf[used++] = (char)mode;
	size_t pn = strlen(prefix);
	memcpy(buf + used, prefix, pn);
	used += pn;
	size_t tn = strlen(text);
	if (encoding == NULL) {
		memcpy(buf + used, text, tn);
		used += tn;
	} else {
		iconv_t cd = iconv_open(encoding, "UTF-8");
		char *in = (char *)text, *out = buf + used;
		size_t left = tn, room = sizeof buf - used;
		if (cd == (iconv_t)-1 || iconv(cd, &in, &left, &out, &room) == (size_t)-1) {
			perror("iconv");
			exit(1);
		}
		iconv_close(cd);
		used = (size_t)(out - buf);
	}
	fuzz_seed_write(dir, name, buf, used);
}

static int write_seeds(const char *dir)
{
	static const char bom[] = "\xEF\xBB\xBF";
	seed(dir, "households-utf8", 0, "", households, NULL);
	seed(dir, "households-bom", 0, bom, households, NULL);
	seed(dir, "households-gb18030", 0, "", households, "GB18030");
	seed(dir, "households-wide-crlf-gb18030", 0, "", households_wide, "GB18030");
	seed(dir, "households-tabs", 0, "", households_tabs, NULL);
	seed(dir, "households-bad", 0, "", households_bad, NULL);
	seed(dir, "dibao-title-utf8", 1, "", dibao, NULL);
	seed(dir, "dibao-title-gb18030", 1, "", dibao, "GB18030");
	seed(dir, "dibao-bom", 1, bom, dibao, NULL);
	seed(dir, "dibao-bad-crlf", 1, "", dibao_bad, NULL);
	seed(dir, "dibao-households-title-crlf-gb18030", 1, "", dibao_households, "GB18030");
	seed(dir, "dibao-households-utf8", 1, "", dibao_households, NULL);
	seed(dir, "dibao-mapped", 3, "", dibao_mapped, NULL);
	seed(dir, "dibao-no-heads-bom", 1, bom, dibao_no_heads, NULL);
	return 0;
}

FUZZ_SEEDS_FROM(write_seeds)
