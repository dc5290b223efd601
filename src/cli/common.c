/*
 * common.c — what every subcommand shares: the common options, opening the store
 * with a passphrase, and printing errors and usage (see include/taizhang/cli.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"

int cli_common_option(struct cli_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 's':
		c->store = arg;
		return 1;
	case 'u':
		c->user = arg;
		return 1;
	case 'p':
		c->passphrase_file = arg;
		return 1;
	default:
		return 0;
	}
}

int cli_common_finish(struct cli_common *c, struct tz_error *err)
{
	if (c->store == NULL)
		c->store = getenv("TAIZHANG_STORE");
	if (c->user == NULL)
		c->user = getenv("TAIZHANG_USER");
	if (c->store == NULL || c->store[0] == '\0')
		return tz_error_set(err, TZ_EUSAGE,
				    "没有指定台账文件：请用 --store 文件名，或设置环境变量 TAIZHANG_STORE");
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

int cli_fail(const struct tz_error *err)
{
	fprintf(stderr, "taizhang: 错误：%s\n", err->msg);
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

int cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = argv[optind - 1];
	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		return cli_usage_error(cmd, "选项 -%c 无效或缺少参数", optopt);
	return cli_usage_error(cmd, "选项 %s 无效或缺少参数", arg);
}

int cli_print_usage(const struct cli_command *cmd)
{
	fputs(cmd->usage, stdout);
	return TZ_OK;
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
