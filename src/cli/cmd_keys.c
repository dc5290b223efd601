/*
 * cmd_keys.c — the commands that set up trust between the offices, all over
 * src/sync/keys.c (include/taizhang/sync_keys.h):
 *
 *   taizhang keys show [--qr]       this device's device id and fingerprint, and
 *                                   whom it trusts; --qr adds a terminal QR code
 *                                   of its public key file
 *   taizhang keys export FILE       write this device's public key file
 *   taizhang trust FILE             at a village: trust the town office's key
 *   taizhang enroll FILE            at the town: enroll a village device
 *   taizhang revoke DEVICE          at the town: revoke an enrolled device
 *
 * trust and enroll show the key's fingerprint and ask the officer, on the
 * terminal, to confirm that it matches the one the other office reads out over
 * the phone (`keys show` there); --yes skips the question for scripts, after the
 * officer has compared it some other way. Without a terminal and without --yes
 * they refuse: accepting a key unseen is the one mistake this step exists to
 * prevent. A store of the wrong kind is a usage error, found from the keyring
 * before any passphrase is asked (CLI_TOWN_ONLY / CLI_VILLAGE_ONLY, cli_store_choose).
 *
 * The QR code (qr.h: libqrencode, compiled in when TZ_HAVE_QRENCODE is
 * defined) is drawn two modules per character cell in black on white, so it is
 * about 61 columns wide and right on dark terminals. Those blocks are
 * East-Asian-ambiguous: a terminal set to draw ambiguous characters
 * double-width will stretch it; `keys export` is the fallback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "taizhang/bundle.h"
#include "taizhang/cli.h"
#include "taizhang/qr.h"
#include "taizhang/sync_keys.h"

static const char keys_usage[] =
	"用法：taizhang keys show [--qr]     显示本设备的设备号、指纹和信任的设备\n"
	"       taizhang keys export 文件     把本设备的公钥文件写到“文件”（不覆盖已有文件）\n"
	"每台电脑（每个台账）有自己的签名密钥和加密密钥，第一次用到时自动生成，\n"
	"私钥只保存在加密的台账里。公钥文件交给对方（村交给镇扶贫办，镇扶贫办交给各村），\n"
	"双方再打电话逐组核对指纹。\n";

static const struct cli_option keys_options[] = {
	{ "qr", 0, NULL, "同时在终端显示公钥文件内容的二维码" },
	{ NULL, 0, NULL, NULL },
};

/* What trust and enroll share: --yes, and the exit codes of a command that
 * reads a key file and runs on one kind of store (村 or 镇). */
#define YES_OPTION { "yes", 'y', NULL, "不在终端询问（只在已经用别的办法核对过指纹时使用）" }
#define KEY_FILE_NOTES(kind) \
	"退出码：0 成功，1 失败或取消，2 用法错误（例如不是" kind "的台账），\n" \
	"        4 公钥文件已损坏或被篡改。\n"

static const char trust_usage[] =
	"用法：taizhang trust 文件 [--yes] [--replace]\n"
	"在村的台账上信任镇扶贫办的公钥（镇里用 taizhang keys export 导出的文件）。\n"
	"会显示公钥的指纹：请打电话请镇扶贫办运行 taizhang keys show，逐组核对后输入 yes。\n"
	"以后只接收这个公钥签名的数据包，发往镇里的数据包也只有镇扶贫办能解开。\n"
	"同时把本台账的主密钥封给这个公钥，写入台账文件头的镇恢复槽：信息员离开后，\n"
	"镇扶贫办可用 taizhang recover 为新信息员打开本台账；--replace 时改封给新公钥。\n";

static const struct cli_option trust_options[] = {
	YES_OPTION,
	{ "replace", 0, NULL, "换掉已经信任的另一个镇公钥（例如镇里换了电脑）" },
	CLI_STORE_OPTION("村的"),
	{ NULL, 0, NULL, NULL },
};

static const char trust_notes[] = KEY_FILE_NOTES("村");

static const char enroll_usage[] =
	"用法：taizhang enroll 文件 [--yes]\n"
	"在镇扶贫办的台账上登记一个村的设备（村里用 taizhang keys export 导出的文件）。\n"
	"会显示公钥的指纹：请打电话请村里运行 taizhang keys show，逐组核对后输入 yes。\n"
	"以后接收这台设备签名的数据包，直到用 taizhang revoke 吊销它。\n";

static const struct cli_option enroll_options[] = {
	YES_OPTION,
	CLI_STORE_OPTION("镇的"),
	{ NULL, 0, NULL, NULL },
};

static const char enroll_notes[] = KEY_FILE_NOTES("镇");

static const char revoke_usage[] =
	"用法：taizhang revoke 设备号\n"
	"在镇扶贫办的台账上吊销一台村设备（例如电脑丢失或更换）。吊销后拒收它的数据包，\n"
	"且不能再登记。设备号是 16 位十六进制数，taizhang keys show 列出已登记的设备。\n";

static const struct cli_option revoke_options[] = {
	CLI_STORE_OPTION("镇的"),
	{ NULL, 0, NULL, NULL },
};

/* ---- keys show / export ---- */

/* Print text as a QR code on stdout (black on white on a terminal). */
static int print_qr(const char *text, struct tz_error *err)
{
	struct qr_text q;
	int rc = qr_text_make(text, &q, err);
	if (rc != TZ_OK)
		return rc;
	int colour = isatty(STDOUT_FILENO);
	for (int y = 0; y < q.nrows; y++)
		fprintf(cli_out_raw(), colour ? "\033[30;47m%s\033[0m\n" : "%s\n", q.lines[y]);
	qr_text_free(&q);
	return TZ_OK;
}

static int print_peer(void *ctx, const struct sync_peer *p)
{
	int *n = ctx;
	char id[SYNC_DEVICE_ID_NCHARS + 1], fp[SYNC_FINGERPRINT_NCHARS + 1];
	sync_device_id_hex(p->key.device_id, id);
	sync_fingerprint(&p->key, fp);
	if (p->key.kind == STORE_KIND_TOWN) {
		printf("\n信任的镇扶贫办公钥（%s 起）：\n", p->since);
		cli_print_key("  ", &p->key);
	} else {
		if (*n == 0)
			printf("\n已登记的村设备：\n");
		if (p->revoked)
			printf("  %s  设备号 %s  已吊销（%s）\n", p->key.division_code, id, p->revoked_at);
		else
			printf("  %s  设备号 %s  有效，%s 登记\n", p->key.division_code, id, p->since);
		printf("      指纹 %s\n", fp);
	}
	(*n)++;
	return 0;
}

static int keys_show(struct store *s, const char *path, int qr, struct tz_error *err)
{
	(void)path;
	int created = 0;
	int rc = sync_keys_ensure(s, &created, err);
	struct sync_public_key pub;
	if (rc == TZ_OK)
		rc = sync_keys_public(s, &pub, err);
	if (rc != TZ_OK)
		return rc;
	if (created)
		printf("已为本设备生成签名密钥和加密密钥。\n");
	printf("本设备（%s）：\n", cli_kind_name(pub.kind));
	cli_print_key("  ", &pub);
	int n = 0;
	rc = sync_peers_list(s, print_peer, &n, err);
	if (rc != TZ_OK)
		return rc;
	if (n == 0)
		printf(pub.kind == STORE_KIND_TOWN
			       ? "\n还没有登记村设备（用 taizhang enroll 村的公钥文件）。\n"
			       : "\n还没有信任镇扶贫办的公钥（用 taizhang trust 镇的公钥文件）。\n");
	if (!qr)
		return TZ_OK;
	struct sync_keys *k;
	rc = sync_keys_load(s, &k, err);
	if (rc != TZ_OK)
		return rc;
	char file[SYNC_PUBKEY_FILE_NBYTES + 1];
	sync_pubkey_file(k, file);
	sync_keys_free(k);
	printf("\n本设备公钥文件的二维码：\n");
	fflush(stdout);
	return print_qr(file, err);
}

static int keys_export(struct store *s, const char *path, int qr, struct tz_error *err)
{
	(void)qr;
	struct sync_public_key pub;
	int rc = sync_pubkey_export(s, path, &pub, err);
	if (rc != TZ_OK)
		return rc;
	printf("已把本设备的公钥导出到 %s：\n", path);
	cli_print_key("  ", &pub);
	printf("请把这个文件交给%s，并电话核对上面的指纹。\n",
	       pub.kind == STORE_KIND_TOWN ? "各村" : "镇扶贫办");
	return TZ_OK;
}

/* The verbs of keys: whether each takes a file name (the usage error
 * wrong_args when it is missing or extra), whether --qr goes with it, and what
 * runs with the store open. */
static const struct keys_verb {
	const char *name;
	int takes_file;
	const char *wrong_args;
	int qr;
	int (*run)(struct store *s, const char *path, int qr, struct tz_error *err);
} keys_verbs[] = {
	{ "show", 0, "keys show 不带参数", 1, keys_show },
	{ "export", 1, "keys export 需要一个文件名", 0, keys_export },
};

static int keys_run(const struct cli_args *a)
{
	int qr = cli_args_has(a, "qr");
	struct tz_error err;
	const struct keys_verb *v = CLI_VERB_PICK(a, keys_verbs, "请给出子命令：show 或 export",
						  "没有“%s”这个子命令（可用：show、export）");
	if (v == NULL)
		return TZ_EUSAGE;
	const char *path = a->argc > 1 ? a->argv[1] : NULL;
	if ((path != NULL) != v->takes_file)
		return cli_args_usage_error(a, "%s", v->wrong_args);
	if (qr && !v->qr)
		return cli_args_usage_error(a, "--qr 只用于 keys show");
	if (qr && qr_text_supported(&err) != TZ_OK)
		return cli_fail(&err);
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	rc = v->run(s, path, qr, &err);
	store_close(s);
	return rc == TZ_OK ? TZ_OK : cli_fail(&err);
}

CLI_COMMAND(keys, "本设备的密钥：show 显示指纹，export 导出公钥文件",
	    keys_usage, NULL, keys_options, CLI_STORE, 2, keys_run);

/* ---- trust / enroll ---- */

enum trust_mode { MODE_TRUST, MODE_ENROLL };

struct trust_command {
	const char *name;
	enum trust_mode mode;
};

static int trust_apply(const struct trust_command *tc, struct store *s,
		       const struct sync_public_key *key, unsigned flags,
		       enum sync_change *change, struct tz_error *err)
{
	if (tc->mode == MODE_TRUST)
		return sync_trust_town(s, key, flags, change, err);
	return sync_enroll(s, key, flags, change, err);
}

static int trust_or_enroll(const struct trust_command *tc, const struct cli_args *a)
{
	struct cli_common c;
	int yes = cli_args_has(a, "yes");
	unsigned flags = tc->mode == MODE_TRUST && cli_args_has(a, "replace") ? SYNC_TRUST_REPLACE : 0;
	struct tz_error err;
	if (a->argc == 0)
		return cli_usage_error(tc->name, "请给出公钥文件");
	const char *path = a->argv[0];
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;
	struct sync_public_key key;
	rc = cli_read_key_file(path, &key);
	if (rc != TZ_OK)
		return rc;

	struct store *s;
	if (cli_open_store(&c, 0, &s, &err) != TZ_OK)
		return cli_fail(&err);
	enum sync_change change;
	rc = trust_apply(tc, s, &key, flags | SYNC_TRUST_CHECK_ONLY, &change, &err);
	char id[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(key.device_id, id);
	if (rc == TZ_OK && change == SYNC_UNCHANGED) {
		printf(tc->mode == MODE_TRUST ? "本村已经信任这个镇公钥（设备号 %s），无需再做。\n"
					      : "设备 %s 已经登记过，无需再做。\n",
		       id);
		store_close(s);
		return TZ_OK;
	}
	/* Already trusted, only its recovery slot to write: confirmed back then. */
	if (rc == TZ_OK && change != SYNC_RESEALED) {
		printf(tc->mode == MODE_TRUST ? "镇扶贫办的公钥（%s）：\n" : "村设备的公钥（%s）：\n",
		       path);
		cli_print_key("  ", &key);
		if (change == SYNC_REPLACED)
			printf("注意：它将替换本村现在信任的镇公钥。\n");
		if (yes) {
			printf("已按 --yes 跳过终端确认。\n");
		} else {
			printf(tc->mode == MODE_TRUST
				       ? "请打电话请镇扶贫办运行 taizhang keys show，逐组核对上面的指纹。\n"
				       : "请打电话请村里运行 taizhang keys show，逐组核对上面的指纹。\n");
			fflush(stdout);
			rc = cli_confirm_on_tty("指纹完全一致吗？一致请输入 yes，其他任何输入都会取消：", &err);
		}
	}
	if (rc == TZ_OK)
		rc = trust_apply(tc, s, &key, flags, &change, &err);
	store_close(s);
	if (rc == TZ_EUSAGE)
		return cli_usage_error(tc->name, "%s", err.msg);
	if (rc != TZ_OK)
		return cli_fail(&err);
	if (tc->mode == MODE_TRUST && change == SYNC_RESEALED)
		printf("本村已经信任这个镇公钥（设备号 %s）；已补写镇恢复槽。\n", id);
	else if (tc->mode == MODE_TRUST && change == SYNC_REPLACED)
		printf("已换用这个镇公钥（设备号 %s）。镇恢复槽已改封给它：原来的镇公钥不能再恢复本台账。\n",
		       id);
	else if (tc->mode == MODE_TRUST)
		printf("已信任镇扶贫办的公钥（设备号 %s），并写入镇恢复槽：\n"
		       "本村的信息员不在时，镇扶贫办可以用 taizhang recover 为新信息员打开本台账。\n",
		       id);
	else
		printf("已登记村 %s 的设备 %s。\n", key.division_code, id);
	return TZ_OK;
}

static const struct trust_command trust_cmd = { "trust", MODE_TRUST };
static const struct trust_command enroll_cmd = { "enroll", MODE_ENROLL };

static int trust_run(const struct cli_args *a)
{
	return trust_or_enroll(&trust_cmd, a);
}

static int enroll_run(const struct cli_args *a)
{
	return trust_or_enroll(&enroll_cmd, a);
}

CLI_COMMAND(trust, "村：信任镇扶贫办的公钥（核对指纹）",
	    trust_usage, trust_notes, trust_options, CLI_STORE | CLI_VILLAGE_ONLY, 1, trust_run);

CLI_COMMAND(enroll, "镇：登记村的设备公钥（核对指纹）",
	    enroll_usage, enroll_notes, enroll_options, CLI_STORE | CLI_TOWN_ONLY, 1, enroll_run);

/* ---- revoke ---- */

static int revoke_run(const struct cli_args *a)
{
	struct tz_error err;
	if (a->argc == 0)
		return cli_usage_error("revoke", "请给出要吊销的设备号（taizhang keys show 列出已登记的设备）");
	const char *text = a->argv[0];
	unsigned char id[SYNC_DEVICE_ID_NBYTES];
	if (sync_device_id_parse(text, id) != 0)
		return cli_usage_error("revoke", "“%s”不是设备号：设备号是 16 位十六进制数", text);
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	enum sync_change change;
	rc = sync_revoke(s, id, &change, &err);
	store_close(s);
	if (rc != TZ_OK)
		return cli_status(a, rc, &err);
	char hex[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(id, hex);
	if (change == SYNC_UNCHANGED)
		printf("设备 %s 早已吊销。\n", hex);
	else
		printf("已吊销设备 %s：此后拒收它的数据包，它也不能再登记。\n", hex);
	return TZ_OK;
}

CLI_COMMAND(revoke, "镇：吊销村的设备（电脑丢失或更换时）",
	    revoke_usage, NULL, revoke_options, CLI_STORE | CLI_TOWN_ONLY, 1, revoke_run);
