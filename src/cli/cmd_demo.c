/*
 * cmd_demo.c — `taizhang demo`: create a demo village store full of realistic,
 * reproducible records (src/demo/), for trying the program and for tests;
 * with --town, a demo town office store holding several such villages as if
 * they had been synced (village i made with seed + i, so the first is exactly
 * the demo village of the same seed).
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/division.h"
#include "taizhang/sync.h"
#include "taizhang/demo.h"

#define DEMO_VILLAGE_CODE "341522104201"
#define DEMO_VILLAGE_NAME "示范村"
#define DEMO_TOWN_CODE "341522104000"
#define DEMO_TOWN_NAME "示范镇"
#define DEMO_TOWN_VILLAGES 3

static const char usage[] =
	"用法：taizhang demo --store 文件 [--households 户数] [--seed 种子] [--town [--villages 村数]]\n"
	"建立一个演示村台账（" DEMO_VILLAGE_NAME "，代码 " DEMO_VILLAGE_CODE "），填入虚构但逼真的数据：\n"
	"村民小组、建档立卡户及成员（身份证号有效），以及各类台账：识别退出程序、四个清单、\n"
	"家庭医生签约、就学、住房、产业、就业、信贷、保障、帮扶干部和走访、工作室人员、\n"
	"致富带头人、项目库、问题台账、低保名册等，其中有意留有少量问题供精准核查发现。\n"
	"数据日期以 2019-04-20 为“今天”。种子相同，数据相同。\n"
	"默认口令为 " CLI_DEMO_PASSPHRASE "，用户“" CLI_DEFAULT_USER "”。\n";

static const struct cli_option options[] = {
	{ "store", 's', "文件", "新台账文件（不能已存在）" },
	{ "households", 0, "户数", "户数，默认 120（1 到 100000）；建演示镇时为每村户数" },
	{ "seed", 0, "种子", "随机种子，默认 1" },
	{ "town", 0, NULL, "改为建立演示镇台账（" DEMO_TOWN_NAME "，代码 " DEMO_TOWN_CODE "），\n"
	  "内有几个村的数据，如同各村已同步上来；第 i 个村用种子“种子+i”，\n"
	  "第一个村就是同一种子的" DEMO_VILLAGE_NAME },
	{ "villages", 0, "村数", "演示镇的村数，默认 3（1 到 40）" },
	{ "code", 0, "镇代码", "演示镇的 12 位区划代码，末三位为 000，默认 " DEMO_TOWN_CODE "；\n"
	  "各村代码为其前九位加 201、202……（如把几个演示镇装进同一个数据库）" },
	{ "user", 'u', "用户名", "用户名，默认“" CLI_DEFAULT_USER "”" },
	{ "passphrase-file", 'p', "文件", "口令从文件第一行读，代替默认口令" },
	{ "kdf-cost", 0, "级别", "口令密钥推导强度（见 taizhang init --help）" },
	{ NULL, 0, NULL, NULL },
};

static int run(const struct cli_args *a)
{
	int town = cli_args_has(a, "town");
	unsigned nvillages = 0;
	struct cli_common c;
	struct demo_options o = { .households = 120, .seed = 1, .today = NULL };
	enum kdf_cost cost = KDF_COST_MODERATE;
	struct tz_error err;
	unsigned long long v;
	const char *value = cli_args_get(a, "households");
	if (value != NULL) {
		if (cli_parse_unsigned(value, 1, 100000, &v) != 0)
			return cli_usage_error("demo", "--households 应为 1 到 100000 的整数，不能是“%s”", value);
		o.households = (unsigned)v;
	}
	if ((value = cli_args_get(a, "seed")) != NULL) {
		if (cli_parse_unsigned(value, 0, UINT64_MAX, &v) != 0)
			return cli_usage_error("demo", "--seed 应为非负整数，不能是“%s”", value);
		o.seed = v;
	}
	if (cli_kdf_cost(a, &cost) != TZ_OK)
		return TZ_EUSAGE;
	if ((value = cli_args_get(a, "villages")) != NULL) {
		if (cli_parse_unsigned(value, 1, DEMO_TOWN_MAX_VILLAGES, &v) != 0)
			return cli_usage_error("demo", "--villages 应为 1 到 %d 的整数，不能是“%s”",
					       DEMO_TOWN_MAX_VILLAGES, value);
		nvillages = (unsigned)v;
	}
	const char *town_code = cli_args_get(a, "code");
	if (town_code != NULL && !division_code_is_town(town_code))
		return cli_usage_error("demo", "--code 应为末三位是 000 的 12 位镇代码，不能是“%s”", town_code);
	if (nvillages > 0 && !town)
		return cli_usage_error("demo", "--villages 只能和 --town 一起用");
	if (town_code != NULL && !town)
		return cli_usage_error("demo", "--code 只能和 --town 一起用");
	if (town_code == NULL)
		town_code = DEMO_TOWN_CODE;
	if (town && nvillages == 0)
		nvillages = DEMO_TOWN_VILLAGES;
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;
	struct cli_passphrase pass = { 0 };
	const char *text = CLI_DEMO_PASSPHRASE;
	size_t nbytes = sizeof CLI_DEMO_PASSPHRASE - 1;
	if (c.passphrase_file != NULL) {
		if (cli_read_passphrase(c.passphrase_file, NULL, 0, 1, &pass, &err) != TZ_OK)
			return cli_fail(&err);
		text = pass.text;
		nbytes = pass.nbytes;
	}
	struct store_identity id = { STORE_KIND_VILLAGE, DEMO_VILLAGE_CODE, DEMO_VILLAGE_NAME };
	if (town)
		id = (struct store_identity){ STORE_KIND_TOWN, town_code, DEMO_TOWN_NAME };
	struct store *s;
	rc = store_create_aside(c.store, &id, c.user ? c.user : CLI_DEFAULT_USER, text, nbytes,
			      cost, &s, &err);
	cli_passphrase_free(&pass);
	if (rc != TZ_OK)
		return cli_fail(&err);
	uint64_t seed = o.seed;
	if (!town) {
		rc = demo_populate(s, &o, &err);
	} else {
		/* The villages' rows stand for what their bundles brought: not the
		 * town's own changes, so nothing of them goes into the town's outbox. */
		sync_capture_pause(s, 1);
		char code[13];
		for (unsigned i = 0; rc == TZ_OK && i < nvillages; i++) {
			rc = demo_town_village(town_code, i, code, &o.village_name, &err);
			o.village_code = code;
			o.seed = seed + i;
			if (rc == TZ_OK)
				rc = demo_populate(s, &o, &err);
		}
	}
	if (rc == TZ_OK)
		rc = store_publish(s, &err);
	store_close(s);
	if (rc != TZ_OK)
		return cli_fail(&err);
	if (!town)
		printf("已建立演示台账 %s：%s，%u 户（种子 %llu）。\n", c.store, DEMO_VILLAGE_NAME,
		       o.households, (unsigned long long)seed);
	else
		printf("已建立演示镇台账 %s：%s，%u 个村，每村 %u 户（种子 %llu 起）。\n", c.store,
		       DEMO_TOWN_NAME, nvillages, o.households, (unsigned long long)seed);
	return TZ_OK;
}

CLI_COMMAND(demo, "建立演示村台账（虚构数据）",
	    usage, NULL, options, CLI_STORE, 0, run);
