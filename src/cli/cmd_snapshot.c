/*
 * cmd_snapshot.c — a replacement laptop for a village, over src/sync/snapshot.c:
 *
 *   taizhang snapshot export --village CODE --to DIR   (at the town) write the
 *                  village's whole ledger as a snapshot file, encrypted to a
 *                  one-time recovery code printed here
 *   taizhang restore FILE --store NEW                  (on the new laptop) make
 *                  a new village store from the snapshot, with the code
 *
 * restore shows the town key's fingerprint and asks the officer to compare it
 * (--yes in scripts), reads the recovery code from the terminal or
 * --code-file, and the new store's passphrase like init does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "taizhang/bundle.h"
#include "taizhang/cli.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"

static const char snapshot_usage[] =
	"用法：taizhang snapshot export --village 村代码 --to 文件夹\n"
	"在镇扶贫办的台账上，把一个村的全部台账写成快照文件，用于给该村换新电脑\n"
	"（旧电脑丢失或损坏时）。快照用一次性的恢复码加密，恢复码只显示在屏幕上：\n"
	"请抄下来，与快照文件分开交给村信息员。新电脑上用 taizhang restore 恢复。\n"
	"旧电脑的设备请用 taizhang revoke 吊销，新电脑恢复后用 taizhang enroll 登记。\n";

static const struct cli_option snapshot_options[] = {
	{ "village", 0, "村代码", "要导出的村（12 位行政区划代码）" },
	{ "to", 0, "文件夹", "快照写到哪个文件夹（不覆盖已有文件）" },
	CLI_STORE_OPTION("镇的"),
	{ NULL, 0, NULL, NULL },
};

static const char restore_usage[] =
	"用法：taizhang restore 快照文件 --store 新台账文件 [--user 用户名] [--yes]\n"
	"在新电脑上用镇扶贫办导出的快照建立新的村台账。会显示镇公钥的指纹：请打电话请\n"
	"镇扶贫办运行 taizhang keys show 逐组核对；再输入镇扶贫办给的恢复码（8 组数字），\n"
	"然后为新台账设口令（输入两次）。恢复后请用 taizhang keys export 导出新电脑的公钥，\n"
	"交镇扶贫办登记。\n";

static const struct cli_option restore_options[] = {
	{ "store", 's', "文件", "新台账文件（不能已存在）" },
	{ "user", 'u', "用户名", "新台账的用户名，默认“管理员”" },
	{ "code-file", 0, "文件", "恢复码从文件第一行读（- 为标准输入），代替在终端输入" },
	{ "passphrase-file", 'p', "文件", "新口令从文件第一行读（- 为标准输入）" },
	{ "kdf-cost", 0, "级别", "口令密钥推导强度（见 taizhang init --help）" },
	{ "yes", 0, NULL, "不在终端询问（只在已经用别的办法核对过指纹时使用）" },
	{ NULL, 0, NULL, NULL },
};

static const char restore_notes[] =
	"退出码：0 成功，1 失败或取消，2 用法错误，3 恢复码不对，4 快照损坏或被篡改。\n";

static int snapshot_run(const struct cli_args *a)
{
	const char *village = cli_args_get(a, "village"), *to = cli_args_get(a, "to");
	struct tz_error err;
	if (a->argc == 0 || strcmp(a->argv[0], "export") != 0)
		return cli_usage_error("snapshot", "请写 taizhang snapshot export --village 村代码 --to 文件夹");
	if (a->argc > 1)
		return cli_usage_error("snapshot", "多余的参数“%s”", a->argv[1]);
	if (village == NULL || to == NULL)
		return cli_usage_error("snapshot", "请用 --village 给出村代码，用 --to 给出文件夹");
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	char *path = NULL;
	char code[SYNC_RECOVERY_CODE_NCHARS + 1];
	size_t rows = 0;
	rc = sync_snapshot_export(s, village, to, &path, code, &rows, &err);
	store_close(s);
	if (rc == TZ_EUSAGE)
		return cli_usage_error("snapshot", "%s", err.msg);
	if (rc != TZ_OK)
		return cli_fail(&err);
	printf("已写出村 %s 的快照：%s（%zu 条记录）\n", village, path, rows);
	printf("恢复码：%s\n", code);
	printf("请把恢复码抄给该村信息员（不要和快照文件放在一起）；新电脑上运行\n"
	       "  taizhang restore %s --store 新台账文件\n", path);
	sodium_memzero(code, sizeof code);
	free(path);
	return TZ_OK;
}

/* CLI_ARGS_ANY: the verb is checked before the count */
CLI_COMMAND(snapshot, "镇：导出一个村的全部台账（给村里换新电脑）",
	    snapshot_usage, NULL, snapshot_options, CLI_STORE, CLI_ARGS_ANY, snapshot_run);

static int restore_run(const struct cli_args *a)
{
	struct cli_common c;
	const char *code_file = cli_args_get(a, "code-file");
	int yes = cli_args_has(a, "yes");
	enum kdf_cost cost = KDF_COST_MODERATE;
	struct tz_error err;
	if (cli_kdf_cost(a, &cost) != TZ_OK)
		return TZ_EUSAGE;
	if (a->argc == 0)
		return cli_usage_error("restore", "请给出快照文件");
	const char *file = a->argv[0];
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;

	unsigned char *data = NULL;
	size_t nbytes = 0;
	if (bundle_file_read(file, SYNC_MAX_BUNDLE_NBYTES, &data, &nbytes, &err) != TZ_OK)
		return cli_fail(&err);
	struct sync_public_key town;
	char village[SYNC_CODE_NCHARS + 1];
	rc = sync_snapshot_peek(data, nbytes, &town, village, &err);
	if (rc != TZ_OK) {
		free(data);
		return cli_fail(&err);
	}
	printf("快照来自%s %s，公钥指纹：\n", cli_kind_name(town.kind), town.division_code);
	cli_print_key("  ", &town);
	if (!yes) {
		fflush(stdout);
		rc = cli_confirm_on_tty("指纹与镇扶贫办念的完全一致吗？一致请输入 yes：", &err);
		if (rc != TZ_OK) {
			free(data);
			return rc == TZ_EUSAGE ? cli_usage_error("restore", "%s", err.msg) : cli_fail(&err);
		}
	}
	struct cli_passphrase code, pass;
	rc = cli_read_passphrase(code_file, "请输入恢复码（8 组数字）：", 0, 0, &code, &err);
	if (rc != TZ_OK) {
		free(data);
		return cli_fail(&err);
	}
	rc = cli_read_passphrase(c.passphrase_file, "请为新台账设口令：", 1, 1, &pass, &err);
	if (rc != TZ_OK) {
		cli_passphrase_free(&code);
		free(data);
		return cli_fail(&err);
	}
	struct store *s = NULL;
	rc = sync_snapshot_restore(data, nbytes, code.text, c.store, c.user ? c.user : CLI_DEFAULT_USER,
				   pass.text, pass.nbytes, cost, &s, &err);
	cli_passphrase_free(&code);
	cli_passphrase_free(&pass);
	free(data);
	if (rc == TZ_EUSAGE)
		return cli_usage_error("restore", "%s", err.msg);
	if (rc != TZ_OK)
		return cli_fail(&err);
	const struct keyring *kr = store_keyring(s);
	printf("已恢复村 %s 的台账到 %s，并信任了镇扶贫办的公钥。\n", kr->division_code, c.store);
	printf("下一步：用 taizhang keys export 导出新电脑的公钥，交镇扶贫办用 taizhang enroll 登记。\n");
	store_close(s);
	return TZ_OK;
}

CLI_COMMAND(restore, "村：在新电脑上用镇里导出的快照恢复台账",
	    restore_usage, restore_notes, restore_options, CLI_STORE, 1, restore_run);
