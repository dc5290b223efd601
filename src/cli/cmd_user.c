/*
 * cmd_user.c — `taizhang user add|passwd|list|remove`: the store's users.
 *
 * `user list` prints one user name per line. A village store that trusts its town
 * also has the recovery slot (keyring.c); it is not a user and cannot be chosen
 * with --user, but hiding it would hide who else can open the store, so it is
 * listed last as "(镇恢复槽，封给镇 CODE 的公钥)". The spaces make that line
 * impossible as a user name, so scripts can tell it apart.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"

static const char usage[] =
	"用法：taizhang user add 用户名       增加用户（设置其口令）\n"
	"       taizhang user passwd [用户名]  修改口令（默认修改自己的）\n"
	"       taizhang user list             列出用户；台账有镇恢复槽时，最后一行是\n"
	"                                      “(镇恢复槽，封给镇 代码 的公钥)”，它不是用户\n"
	"       taizhang user remove 用户名    删除用户（不能删除最后一个）\n"
	"每个命令都先用一个已有用户的口令打开台账。\n";

static const struct cli_option options[] = {
	{ "store", 's', "文件", "台账文件（也可用环境变量 TAIZHANG_STORE）" },
	{ "user", 'u', "用户名", "用谁的口令打开台账（默认第一个用户）" },
	{ "passphrase-file", 'p', "文件", "打开台账的口令从文件第一行读（- 为标准输入）" },
	{ "new-passphrase-file", 0, "文件", "新口令从文件第一行读（- 为标准输入的下一行）" },
	{ "kdf-cost", 0, "级别", "新口令的密钥推导强度（见 taizhang init --help）" },
	{ NULL, 0, NULL, NULL },
};

static int run(const struct cli_args *a)
{
	struct cli_common c;
	const char *new_file = cli_args_get(a, "new-passphrase-file");
	enum kdf_cost cost = KDF_COST_MODERATE;
	struct tz_error err;
	if (cli_kdf_cost(a, &cost) != TZ_OK)
		return TZ_EUSAGE;
	if (a->argc == 0)
		return cli_usage_error("user", "请给出子命令：add、passwd、list 或 remove");
	const char *sub = a->argv[0];
	const char *name = a->argc > 1 ? a->argv[1] : NULL;
	int needs_name = strcmp(sub, "add") == 0 || strcmp(sub, "remove") == 0;
	int takes_name = needs_name || strcmp(sub, "passwd") == 0;
	if (!takes_name && strcmp(sub, "list") != 0)
		return cli_usage_error("user", "没有“%s”这个子命令（可用：add、passwd、list、remove）", sub);
	if (needs_name && name == NULL)
		return cli_usage_error("user", "user %s 需要用户名", sub);
	if (!takes_name && name != NULL)
		return cli_usage_error("user", "user %s 不带参数", sub);
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;

	struct store *s;
	if (cli_open_store(&c, 0, &s, &err) != TZ_OK)
		return cli_fail(&err);
	if (strcmp(sub, "list") == 0) {
		const struct keyring *kr = store_keyring(s);
		for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
			if (kr->slots[i].kind == SLOT_PASSPHRASE)
				printf("%s\n", kr->slots[i].name);
		int r = keyring_find_recovery(kr);
		if (r >= 0)
			printf("(镇恢复槽，封给镇 %s 的公钥)\n",
			       kr->slots[r].name[0] ? kr->slots[r].name : "（未标明）");
	} else if (strcmp(sub, "remove") == 0) {
		rc = store_user_remove(s, name, &err);
		if (rc == TZ_OK)
			printf("已删除用户“%s”。\n", name);
	} else {
		const char *target = name ? name : store_user(s);
		int adding = strcmp(sub, "add") == 0;
		if (adding && keyring_find_user(store_keyring(s), target) >= 0) {
			rc = tz_error_set(&err, TZ_EFAIL, "用户“%s”已经存在", target);
		} else if (!adding && keyring_find_user(store_keyring(s), target) < 0) {
			rc = tz_error_set(&err, TZ_EFAIL, "没有名为“%s”的用户", target);
		} else {
			char prompt[160];
			snprintf(prompt, sizeof prompt, "请为用户“%s”设置新口令（至少 %d 个字符）：",
				 target, CLI_PASSPHRASE_MIN_NCHARS);
			struct cli_passphrase pass;
			rc = cli_read_passphrase(new_file, prompt, 1, 1, &pass, &err);
			if (rc == TZ_OK) {
				rc = adding ? store_user_add(s, target, pass.text, pass.nbytes, cost, &err)
					    : store_user_passwd(s, target, pass.text, pass.nbytes, cost, &err);
				cli_passphrase_free(&pass);
			}
			if (rc == TZ_OK)
				printf(adding ? "已增加用户“%s”。\n" : "已修改用户“%s”的口令。\n", target);
		}
	}
	store_close(s);
	if (rc != TZ_OK)
		return err.code == TZ_EUSAGE ? cli_usage_error("user", "%s", err.msg) : cli_fail(&err);
	return TZ_OK;
}

const struct cli_command cmd_user_entry = {
	.name = "user",
	.summary = "管理用户：add、passwd、list、remove",
	.usage = usage,
	.options = options,
	.flags = CLI_STORE,
	.max_args = 2,
	.run = run,
};
