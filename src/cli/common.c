/*
 * common.c — what every subcommand shares: the one way to choose and open the
 * store (--store/--user/--passphrase-file and their environment fallbacks), and
 * printing errors (see include/taizhang/cli.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/text_hygiene.h"

/* The store must be of the kind cmd runs on (CLI_TOWN_ONLY / CLI_VILLAGE_ONLY):
 * read from its keyring before any passphrase, so the wrong kind is a usage
 * error at once. */
static int require_kind(const struct cli_command *cmd, const char *store)
{
	struct keyring kr;
	struct tz_error err;
	if (store_peek(store, &kr, &err) != TZ_OK)
		return cli_fail(&err);
	if ((cmd->flags & CLI_VILLAGE_ONLY) && kr.kind != STORE_KIND_VILLAGE)
		return cli_usage_error(cmd->name,
				       "%s 只能在村的台账上使用，%s 是镇扶贫办的台账（镇里请用 taizhang enroll 登记村设备）",
				       cmd->name, store);
	if ((cmd->flags & CLI_TOWN_ONLY) && kr.kind != STORE_KIND_TOWN)
		return cli_usage_error(cmd->name,
				       "%s 只能在镇扶贫办的台账上使用，%s 是村的台账（村里请用 taizhang trust 信任镇公钥）",
				       cmd->name, store);
	return TZ_OK;
}

int cli_store_choose(const struct cli_args *args, struct cli_common *c)
{
	c->store = cli_args_get(args, "store");
	c->user = cli_args_get(args, "user");
	c->passphrase_file = cli_args_get(args, "passphrase-file");
	if (c->store == NULL)
		c->store = getenv("TAIZHANG_STORE");
	if (c->user == NULL)
		c->user = getenv("TAIZHANG_USER");
	if (c->store == NULL || c->store[0] == '\0')
		return cli_args_usage_error(args,
					    "没有指定台账文件：请用 --store 文件名，或设置环境变量 TAIZHANG_STORE");
	if (args->cmd->flags & (CLI_TOWN_ONLY | CLI_VILLAGE_ONLY))
		return require_kind(args->cmd, c->store);
	return TZ_OK;
}

int cli_kdf_cost(const struct cli_args *args, enum kdf_cost *cost)
{
	const char *level = cli_args_get(args, "kdf-cost");
	struct tz_error err;
	if (level != NULL && kdf_cost_parse(level, cost, &err) != TZ_OK)
		return cli_args_usage_error(args, "%s", err.msg);
	return TZ_OK;
}

int cli_open_store(const struct cli_common *c, unsigned flags, struct store **out,
		   struct tz_error *err)
{
	struct keyring kr;
	int rc = store_peek(c->store, &kr, err);
	if (rc != TZ_OK)
		return rc;
	int slot = keyring_find_user(&kr, c->user);
	if (slot < 0)
		return tz_error_set(err, TZ_EAUTH, "台账中没有名为“%s”的用户",
				    c->user ? c->user : "");
	char prompt[160];
	snprintf(prompt, sizeof prompt, "请输入用户“%s”的口令：", kr.slots[slot].name);
	struct cli_passphrase pass;
	rc = cli_read_passphrase(c->passphrase_file, prompt, 0, 0, &pass, err);
	if (rc != TZ_OK)
		return rc;
	rc = store_open(c->store, kr.slots[slot].name, pass.text, pass.nbytes, flags, out,
			err);
	cli_passphrase_free(&pass);
	if (rc == TZ_OK && store_notice(*out) != NULL)
		fprintf(stderr, "taizhang: %s\n", store_notice(*out));
	return rc;
}

int cli_open(const struct cli_args *args, unsigned flags, struct store **out)
{
	struct cli_common c;
	int rc = cli_store_choose(args, &c);
	if (rc != TZ_OK)
		return rc;
	struct tz_error err;
	if (cli_open_store(&c, flags, out, &err) != TZ_OK)
		return cli_fail(&err);
	return TZ_OK;
}

int cli_status(const struct cli_args *args, int rc, const struct tz_error *err)
{
	if (rc == TZ_EUSAGE)
		return cli_args_usage_error(args, "%s", err->msg);
	return rc == TZ_OK ? TZ_OK : cli_fail(err);
}

int cli_fail(const struct tz_error *err)
{
	char *msg = text_sanitize(err->msg, TEXT_ALLOW_NEWLINE);
	fprintf(stderr, "taizhang: 错误：%s\n", msg);
	free(msg);
	return err->code == TZ_OK ? TZ_EFAIL : err->code;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "taizhang: 用法错误：%s\n", msg);
	fprintf(stderr, "运行 taizhang %s%s--help 查看用法。\n", cmd ? cmd : "", cmd ? " " : "");
	return TZ_EUSAGE;
}

int cli_parse_unsigned(const char *text, unsigned long long min, unsigned long long max,
		       unsigned long long *out)
{
	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
