/*
 * cmd_init.c — `taizhang init`: create a new village or town store. A village
 * store can trust its town office's key at once (--town-key FILE, the same as a
 * `taizhang trust FILE` straight after): the key file is read, checked and its
 * fingerprint confirmed before any passphrase is asked. The store is built aside
 * (store_create_aside) and published only when complete, so the command makes
 * the whole thing or nothing. --portable makes a store whose pages are sealed
 * with XChaCha20-Poly1305, which opens on any processor (src/store/cipher.c).
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/campaign.h"
#include "taizhang/cli.h"
#include "taizhang/page_cipher.h"
#include "taizhang/sync_keys.h"
#include "taizhang/village.h"

static const char usage[] =
	"用法：taizhang init --store 文件 --village 代码 --name 村名 [--user 用户名]\n"
	"                    [--town-key 镇公钥文件 [--yes]] [--portable]\n"
	"       taizhang init --store 文件 --town 代码 --name 镇名 [--user 用户名] [--portable]\n"
	"建立新的加密台账。代码是 12 位行政区划代码。\n"
	"村级台账用 --village；镇扶贫办的台账用 --town。\n"
	"口令在终端输入两次（不回显），至少 8 个字符；脚本可用 --passphrase-file。\n";

static const struct cli_option options[] = {
	{ "store", 's', "文件", "台账文件（也可用环境变量 TAIZHANG_STORE），不能已存在" },
	{ "village", 0, "代码", "村（居）的 12 位代码" },
	{ "town", 0, "代码", "镇的 12 位代码（建立镇扶贫办台账）" },
	{ "name", 0, "名称", "村或镇的名称" },
	{ "town-key", 0, "文件", "（村）建立后立即信任镇扶贫办的公钥文件，同 taizhang trust：\n"
	  "先显示指纹，电话核对后输入 yes；并写入镇恢复槽" },
	{ "yes", 0, NULL, "不在终端询问指纹（只在已经用别的办法核对过时使用）" },
	{ "kind", 0, "类型", "村的类型：贫困村（poor，默认）或非贫困村（non_poor）" },
	{ "user", 'u', "用户名", "第一个用户，默认“" CLI_DEFAULT_USER "”" },
	{ "passphrase-file", 'p', "文件", "从文件第一行读口令（- 为标准输入）" },
	{ "portable", 0, NULL, "数据页用 XChaCha20-Poly1305 加密，台账在没有 AES 硬件指令（AES-NI）\n"
	  "的旧电脑上也能打开（读得稍慢）；默认在有 AES-NI 的电脑上用 AES-256-GCM" },
	{ "kdf-cost", 0, "级别", "口令密钥推导强度：moderate（默认，约 0.7 秒）、\n"
	  "interactive、sensitive；min 仅供测试" },
	{ NULL, 0, NULL, NULL },
};

/* For --town-key: read the town's key file, check it can be this village's
 * town, show its fingerprint and have it confirmed (or --yes), all before any
 * passphrase is asked or file made. Returns TZ_OK with *key, or the exit status
 * (the reason printed). */
static int confirm_town_key(const char *village, const char *path, int yes,
			    struct sync_public_key *key)
{
	struct tz_error err;
	int rc = cli_read_key_file(path, key);
	if (rc != TZ_OK)
		return rc;
	rc = sync_town_key_fits(village, key, &err);
	if (rc == TZ_EUSAGE)
		return cli_usage_error("init", "%s", err.msg);
	if (rc != TZ_OK)
		return cli_fail(&err);
	printf("镇扶贫办的公钥（%s）：\n", path);
	cli_print_key("  ", key);
	if (yes) {
		printf("已按 --yes 跳过终端确认。\n");
		return TZ_OK;
	}
	printf("请打电话请镇扶贫办运行 taizhang keys show，逐组核对上面的指纹。\n");
	fflush(stdout);
	rc = cli_confirm_on_tty("指纹完全一致吗？一致请输入 yes，其他任何输入都会取消：", &err);
	if (rc == TZ_EUSAGE)
		return cli_usage_error("init", "%s", err.msg);
	return rc == TZ_OK ? TZ_OK : cli_fail(&err);
}

static int run(const struct cli_args *a)
{
	struct cli_common c;
	const char *village = cli_args_get(a, "village"), *town = cli_args_get(a, "town");
	const char *name = cli_args_get(a, "name"), *kind = cli_args_get(a, "kind");
	const char *town_key = cli_args_get(a, "town-key");
	int yes = cli_args_has(a, "yes");
	enum kdf_cost cost = KDF_COST_MODERATE;
	struct tz_error err;
	if (kind == NULL)
		kind = "poor";
	if (cli_kdf_cost(a, &cost) != TZ_OK)
		return TZ_EUSAGE;
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;
	if ((village == NULL) == (town == NULL))
		return cli_usage_error("init", "请用 --village 或 --town 给出代码（二者选一）");
	if (name == NULL || name[0] == '\0')
		return cli_usage_error("init", "请用 --name 给出村或镇的名称");
	static const char *const kinds[] = { "poor", "non_poor", "贫困村", "非贫困村" };
	int kind_ok = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		kind_ok |= strcmp(kind, kinds[i]) == 0;
	if (!kind_ok)
		return cli_usage_error("init", "--kind 只能是 poor（贫困村）或 non_poor（非贫困村），不能是“%s”", kind);
	if (town_key != NULL && village == NULL)
		return cli_usage_error("init", "--town-key 只用于村的台账（--village）");
	if (yes && town_key == NULL)
		return cli_usage_error("init", "--yes 只和 --town-key 一起用");
	struct sync_public_key key;
	memset(&key, 0, sizeof key);
	if (town_key != NULL) {
		rc = confirm_town_key(village, town_key, yes, &key);
		if (rc != TZ_OK)
			return rc;
	}
	struct store_identity id = {
		.kind = village ? STORE_KIND_VILLAGE : STORE_KIND_TOWN,
		.code = village ? village : town,
		.name = name,
	};
	const char *user = c.user ? c.user : CLI_DEFAULT_USER;
	struct cli_passphrase pass;
	char prompt[160];
	snprintf(prompt, sizeof prompt, "请为用户“%s”设置口令（至少 %d 个字符）：", user,
		 CLI_PASSPHRASE_MIN_NCHARS);
	if (cli_read_passphrase(c.passphrase_file, prompt, 1, 1, &pass, &err) != TZ_OK)
		return cli_fail(&err);
	struct store *s;
	if (cli_args_has(a, "portable"))
		page_cipher_prefer(PAGE_CIPHER_XCHACHA20POLY1305);
	rc = store_create_aside(c.store, &id, user, pass.text, pass.nbytes, cost, &s, &err);
	cli_passphrase_free(&pass);
	if (rc != TZ_OK)
		return err.code == TZ_EUSAGE ? cli_usage_error("init", "%s", err.msg) : cli_fail(&err);
	if (id.kind == STORE_KIND_VILLAGE && village_register(s, name, kind, &err) != TZ_OK) {
		store_close(s);
		return cli_usage_error("init", "%s", err.msg);
	}
	if (deliverable_generate(s, NULL, &err) != TZ_OK) {
		store_close(s);
		return cli_fail(&err);
	}
	enum sync_change change = SYNC_UNCHANGED;
	if (town_key != NULL && sync_trust_town(s, &key, 0, &change, &err) != TZ_OK) {
		store_close(s);
		tz_error_prefix(&err, "信任镇公钥失败，未建立台账");
		return cli_fail(&err);
	}
	rc = store_publish(s, &err);
	enum page_cipher cipher = (enum page_cipher)store_keyring(s)->cipher;
	store_close(s);
	if (rc != TZ_OK)
		return cli_fail(&err);
	printf("已建立%s台账 %s：%s（%s），用户“%s”，数据页用 %s 加密%s。\n",
	       id.kind == STORE_KIND_TOWN ? "镇扶贫办" : "村级", c.store, name, id.code, user,
	       page_cipher_name(cipher),
	       cipher == PAGE_CIPHER_AES256GCM ? "（要在没有 AES-NI 的旧电脑上用，请加 --portable 重建）" : "");
	if (town_key != NULL) {
		char hex[SYNC_DEVICE_ID_NCHARS + 1];
		sync_device_id_hex(key.device_id, hex);
		printf("已信任镇扶贫办的公钥（设备号 %s），并写入镇恢复槽：\n"
		       "本村的信息员不在时，镇扶贫办可以用 taizhang recover 为新信息员打开本台账。\n",
		       hex);
	}
	return TZ_OK;
}

CLI_COMMAND(init, "建立新的加密台账（村级或镇扶贫办）",
	    usage, NULL, options, CLI_STORE, 0, run);
