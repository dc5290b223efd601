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

#include "taizhang/cli.h"

static const char usage[] =
	"用法：taizhang user add 用户名       增加用户（设置其口令）\n"
	"       taizhang user passwd [用户名]  修改口令（默认修改自己的）\n"
	"       taizhang user list             列出用户；台账有镇恢复槽时，最后一行是\n"
	"                                      “(镇恢复槽，封给镇 代码 的公钥)”，它不是用户\n"
	"       taizhang user remove 用户名    删除用户（不能删除最后一个）\n"
	"每个命令都先用一个已有用户的口令打开台账。\n";

static const struct cli_option options[] = {
	CLI_STORE_OPTION(""),
	{ "user", 'u', "用户名", "用谁的口令打开台账（默认第一个用户）" },
	{ "passphrase-file", 'p', "文件", "打开台账的口令从文件第一行读（- 为标准输入）" },
	{ "new-passphrase-file", 0, "文件", "新口令从文件第一行读（- 为标准输入的下一行）" },
	{ "kdf-cost", 0, "级别", "新口令的密钥推导强度（见 taizhang init --help）" },
	{ NULL, 0, NULL, NULL },
};

/* What one `user` verb was given. */
struct user_request {
	const char *name;     /* the user named, or NULL */
	const char *new_file; /* --new-passphrase-file */
	enum kdf_cost cost;   /* --kdf-cost */
};

static int user_list(struct store *s, const struct user_request *q, struct tz_error *err)
{
	(void)q;
	(void)err;
	const struct keyring *kr = store_keyring(s);
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		if (kr->slots[i].kind == SLOT_PASSPHRASE)
			printf("%s\n", kr->slots[i].name);
	int r = keyring_find_recovery(kr);
	if (r >= 0)
		printf("(镇恢复槽，封给镇 %s 的公钥)\n",
		       kr->slots[r].name[0] ? kr->slots[r].name : "（未标明）");
	return TZ_OK;
}

static int user_remove(struct store *s, const struct user_request *q, struct tz_error *err)
{
	int rc = store_user_remove(s, q->name, err);
	if (rc == TZ_OK)
		printf("已删除用户“%s”。\n", q->name);
	return rc;
}

/* add (adding) or passwd: ask the new passphrase and set it. */
static int set_passphrase(struct store *s, const struct user_request *q, int adding,
			  struct tz_error *err)
{
	const char *target = q->name ? q->name : store_user(s);
	if (adding && keyring_find_user(store_keyring(s), target) >= 0)
		return tz_error_set(err, TZ_EFAIL, "用户“%s”已经存在", target);
	if (!adding && keyring_find_user(store_keyring(s), target) < 0)
		return tz_error_set(err, TZ_EFAIL, "没有名为“%s”的用户", target);
	char prompt[160];
	snprintf(prompt, sizeof prompt, "请为用户“%s”设置新口令（至少 %d 个字符）：", target,
		 CLI_PASSPHRASE_MIN_NCHARS);
	struct cli_passphrase pass;
	int rc = cli_read_passphrase(q->new_file, prompt, 1, 1, &pass, err);
	if (rc != TZ_OK)
		return rc;
	rc = adding ? store_user_add(s, target, pass.text, pass.nbytes, q->cost, err)
		    : store_user_passwd(s, target, pass.text, pass.nbytes, q->cost, err);
	cli_passphrase_free(&pass);
	if (rc == TZ_OK)
		printf(adding ? "已增加用户“%s”。\n" : "已修改用户“%s”的口令。\n", target);
	return rc;
}

static int user_add(struct store *s, const struct user_request *q, struct tz_error *err)
{
	return set_passphrase(s, q, 1, err);
}

static int user_passwd(struct store *s, const struct user_request *q, struct tz_error *err)
{
	return set_passphrase(s, q, 0, err);
}

/* The verbs: whether each takes a user name, and what runs with the store open. */
enum user_name_arg { NAME_NONE, NAME_OPTIONAL, NAME_REQUIRED };

static const struct user_verb {
	const char *name;
	enum user_name_arg takes;
	int (*run)(struct store *s, const struct user_request *q, struct tz_error *err);
} verbs[] = {
	{ "add", NAME_REQUIRED, user_add },
	{ "passwd", NAME_OPTIONAL, user_passwd },
	{ "list", NAME_NONE, user_list },
	{ "remove", NAME_REQUIRED, user_remove },
};

static int run(const struct cli_args *a)
{
	struct user_request q = {
		.name = a->argc > 1 ? a->argv[1] : NULL,
		.new_file = cli_args_get(a, "new-passphrase-file"),
		.cost = KDF_COST_MODERATE,
	};
	if (cli_kdf_cost(a, &q.cost) != TZ_OK)
		return TZ_EUSAGE;
	const struct user_verb *v = CLI_VERB_PICK(a, verbs, "请给出子命令：add、passwd、list 或 remove",
						  "没有“%s”这个子命令（可用：add、passwd、list、remove）");
	if (v == NULL)
		return TZ_EUSAGE;
	const char *sub = v->name;
	if (v->takes == NAME_REQUIRED && q.name == NULL)
		return cli_usage_error("user", "user %s 需要用户名", sub);
	if (v->takes == NAME_NONE && q.name != NULL)
		return cli_usage_error("user", "user %s 不带参数", sub);
	struct store *s;
	struct tz_error err;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	rc = v->run(s, &q, &err);
	store_close(s);
	if (rc != TZ_OK)
		return err.code == TZ_EUSAGE ? cli_usage_error("user", "%s", err.msg) : cli_fail(&err);
	return TZ_OK;
}

CLI_COMMAND(user, "管理用户：add、passwd、list、remove",
	    usage, NULL, options, CLI_STORE, 2, run);
