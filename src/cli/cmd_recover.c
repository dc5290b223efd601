/*
 * cmd_recover.c — `taizhang recover`, run at the town office (镇扶贫办): reopen a
 * village store whose officer is gone, through the recovery slot that trusting
 * the town's key wrote into the village keyring (src/store/keyring.c), and give
 * a new officer a passphrase.
 *
 *   taizhang recover --store VILLAGE.tzs --town-store TOWN.tzs [--user NAME]
 *
 * Order, and why: (1) both keyrings are read without any secret, so a store of
 * the wrong kind (usage, exit 2) or a village with no recovery slot (exit 3) is
 * told before anyone types a passphrase; (2) the town store is unlocked with a
 * town user's passphrase and its X25519 secret key loaded into secret memory;
 * (3) the slot must be sealed to exactly that key (another town's store: exit 3,
 * nothing opened); (4) the village store is opened with the unsealed master key
 * (store_open_recovery: the keyring MAC is checked as in every open); only then
 * is the new passphrase asked, so the officer never types one for nothing;
 * (5) the user NAME gets it (added, or its passphrase reset if it exists), the
 * one change made to the village store, audited there as store.recover; (6) the
 * town's audit log records that it opened that village (sync.recover).
 *
 * What it is not: no access to the village's data from the town store (the
 * village store is opened, changed by one slot and closed), no new recovery slot
 * (the slot stays sealed to the same town key), no removal of the old officer's
 * user (`taizhang user remove` afterwards, as the new officer).
 *
 * Unlike other commands, --user names the village user to create or reset, not
 * who unlocks: the town store is unlocked by --town-user (default its first
 * user). Neither store is taken from TAIZHANG_STORE: with two stores in play, an
 * environment default would too easily name the wrong one.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/sync_keys.h"
#include "cli_help.h"

#define DEFAULT_RECOVERY_USER "镇恢复"

static const struct cli_option options[] = {
	{ "store", 's', "文件", "村的台账文件（要恢复的）" },
	{ "town-store", 0, "文件", "镇扶贫办的台账文件" },
	{ "user", 'u', "用户名", "在村台账里增加的用户，默认“" DEFAULT_RECOVERY_USER "”；\n"
	  "已有这个用户时重设它的口令" },
	{ "town-user", 0, "用户名", "用镇台账的哪个用户的口令打开镇台账（默认第一个用户）" },
	{ "passphrase-file", 'p', "文件", "镇台账的口令从文件第一行读（- 为标准输入）" },
	{ "new-passphrase-file", 0, "文件", "村台账新用户的口令从文件第一行读（- 为标准输入的下一行）" },
	{ "kdf-cost", 0, "级别", "新口令的密钥推导强度（见 taizhang init --help）" },
	{ NULL, 0, NULL, NULL },
};

struct recover_options {
	const char *village;     /* --store */
	const char *town;        /* --town-store */
	const char *user;        /* --user: the village user to add or reset */
	const char *town_user;   /* --town-user */
	const char *pass_file;   /* --passphrase-file: the town's */
	const char *new_file;    /* --new-passphrase-file: the village user's */
	enum kdf_cost cost;
};

/* Read the command line into o; returns TZ_OK, or the exit status (message
 * printed). */
static int parse(const struct cli_args *a, struct recover_options *o)
{
	o->village = cli_args_get(a, "store");
	o->town = cli_args_get(a, "town-store");
	if (cli_args_has(a, "user"))
		o->user = cli_args_get(a, "user");
	o->town_user = cli_args_get(a, "town-user");
	o->pass_file = cli_args_get(a, "passphrase-file");
	o->new_file = cli_args_get(a, "new-passphrase-file");
	if (cli_kdf_cost(a, &o->cost) != TZ_OK)
		return TZ_EUSAGE;
	if (o->village == NULL || o->village[0] == '\0')
		return cli_usage_error("recover", "请用 --store 给出要恢复的村台账文件");
	if (o->town == NULL || o->town[0] == '\0')
		return cli_usage_error("recover", "请用 --town-store 给出镇扶贫办的台账文件");
	if (!keyring_name_valid(o->user))
		return cli_usage_error("recover",
				       "用户名“%s”不可用：须为 1 到 %d 字节，不含空格和控制字符",
				       o->user, KEYRING_NAME_MAX_NBYTES);
	return TZ_OK;
}

/* Read the keyring at path and require its kind; returns TZ_OK or the exit. */
static int peek_kind(const char *path, uint8_t kind, const char *option, struct keyring *kr)
{
	struct tz_error err;
	if (store_peek(path, kr, &err) != TZ_OK)
		return cli_fail(&err);
	if (kr->kind == kind)
		return TZ_OK;
	return cli_usage_error("recover", "%s 应当是%s的台账，%s 却是%s的台账", option,
			       cli_kind_name(kind), path, cli_kind_name(kr->kind));
}

/* Steps (4) and (5) with the town's keys loaded: open the village store through
 * its recovery slot, ask the new passphrase, give it to o->user. */
static int recover_village(const struct recover_options *o, struct sync_keys *k,
			   const char *detail, int *reset, struct tz_error *err)
{
	struct store *v;
	int rc = store_open_recovery(o->village, k->pub.box_pk, k->box_sk, 0, &v, err);
	if (rc != TZ_OK)
		return rc;
	char prompt[200];
	snprintf(prompt, sizeof prompt, "请为村台账的用户“%s”设置新口令（至少 %d 个字符）：",
		 o->user, CLI_PASSPHRASE_MIN_NCHARS);
	struct cli_passphrase pass;
	rc = cli_read_passphrase(o->new_file, prompt, 1, 1, &pass, err);
	if (rc == TZ_OK) {
		rc = store_recovery_grant(v, o->user, pass.text, pass.nbytes, o->cost, detail,
					  reset, err);
		cli_passphrase_free(&pass);
	}
	store_close(v);
	return rc;
}

/* Step (6): the town's own audit log says which village it opened. */
static int audit_town(struct store *t, const struct keyring *vkr, const char *user,
		      int reset, struct tz_error *err)
{
	char detail[96];
	snprintf(detail, sizeof detail, "%s user %s", reset ? "reset" : "added", user);
	int rc = store_tx_begin(t, err);
	if (rc != TZ_OK)
		return rc;
	rc = store_audit(t, "sync.recover", vkr->division_code, detail, err);
	if (rc != TZ_OK) {
		store_tx_rollback(t);
		return rc;
	}
	return store_tx_commit(t, err);
}

static int run(const struct cli_args *a)
{
	struct recover_options o = { .user = DEFAULT_RECOVERY_USER, .cost = KDF_COST_MODERATE };
	int rc = parse(a, &o);
	if (rc != TZ_OK)
		return rc;

	struct keyring vkr, tkr;
	rc = peek_kind(o.village, STORE_KIND_VILLAGE, "--store", &vkr);
	if (rc == TZ_OK)
		rc = peek_kind(o.town, STORE_KIND_TOWN, "--town-store", &tkr);
	if (rc != TZ_OK)
		return rc;
	struct tz_error err;
	int slot = keyring_find_recovery(&vkr);
	if (slot < 0) {
		tz_error_set(&err, TZ_EAUTH,
			     "村台账 %s 没有镇恢复槽：它从未信任过镇扶贫办的公钥（taizhang trust），镇里无法恢复它",
			     o.village);
		return cli_fail(&err);
	}

	struct cli_common tc = { .store = o.town, .user = o.town_user,
				 .passphrase_file = o.pass_file };
	struct store *t;
	if (cli_open_store(&tc, 0, &t, &err) != TZ_OK)
		return cli_fail(&err);
	struct sync_keys *k;
	rc = sync_keys_load(t, &k, &err);
	if (rc != TZ_OK) {
		store_close(t);
		return cli_fail(&err);
	}
	char town_id[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(k->pub.device_id, town_id);
	if (memcmp(vkr.slots[slot].town_pk, k->pub.box_pk, SYNC_BOX_NBYTES) != 0) {
		rc = tz_error_set(&err, TZ_EAUTH,
				  "村台账 %s 的镇恢复槽不是封给这个镇台账（%s，设备号 %s）的公钥的，无法恢复：只有这个村信任的镇扶贫办台账能恢复它（写入恢复槽时信任的镇：%s）",
				  o.village, tkr.division_code, town_id,
				  vkr.slots[slot].name[0] ? vkr.slots[slot].name : "未标明");
		sync_keys_free(k);
		store_close(t);
		return cli_fail(&err);
	}
	char detail[96];
	snprintf(detail, sizeof detail, "town %s device %s", tkr.division_code, town_id);
	int reset = 0;
	rc = recover_village(&o, k, detail, &reset, &err);
	sync_keys_free(k);
	if (rc != TZ_OK) {
		store_close(t);
		return rc == TZ_EUSAGE ? cli_usage_error("recover", "%s", err.msg) : cli_fail(&err);
	}
	printf("已用镇扶贫办（%s）的恢复槽打开村台账 %s（%s）。\n", tkr.division_code, o.village,
	       vkr.division_code);
	printf(reset ? "已重设用户“%s”的口令。\n" : "已增加用户“%s”并设置了口令。\n", o.user);
	printf("其他用户和台账中的数据都没有改动。请把口令交给新的信息员，请他（她）用\n"
	       "taizhang user passwd 改成自己的口令；原信息员的用户可用 taizhang user remove 删除。\n");
	rc = audit_town(t, &vkr, o.user, reset, &err);
	store_close(t);
	if (rc != TZ_OK) {
		tz_error_prefix(&err, "村台账已恢复，但镇台账的审计记录没有写入");
		return cli_fail(&err);
	}
	return TZ_OK;
}

CLI_COMMAND(recover, "镇：用镇恢复槽为村台账的新信息员设置口令",
	    CLI_HELP_recover, CLI_HELP_recover_notes, options, 0, 0, run);
