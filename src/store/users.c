/*
 * users.c — the store's users: one passphrase slot each in the keyring.
 *
 * Every change re-reads the keyring under an exclusive flock (another process may
 * have changed it since this store was opened), checks its MAC with our master
 * key, changes one slot and writes both copies (keyring_write). flock locks are
 * separate from SQLite's POSIX locks, so this never disturbs an open connection.
 * The database then records the keyring's new generation, so that the old
 * keyring copied back into the file no longer opens it (generation.c), and the
 * change is noted in the audit log.
 *
 * The recovery slot (the master key sealed to the town office's key, see
 * keyring.c) is changed the same way: store_recovery_seal writes it when a village
 * trusts its town, and store_recovery_grant, on a store opened through that slot,
 * gives a new officer a passphrase.
 */
#include <string.h>
#include <sys/file.h>

#include "store_internal.h"

enum user_op { USER_ADD, USER_PASSWD, USER_REMOVE, USER_SET, RECOVERY_SEAL };

/* One change of the keyring. name, pass, cost: the user ops; town_pk, label:
 * RECOVERY_SEAL (town_pk NULL removes the slot); existed: whether name was
 * there before (USER_ADD, USER_PASSWD, USER_SET). */
struct slot_change {
	enum user_op op;
	const char *name;
	const char *pass;
	size_t pass_nbytes;
	enum kdf_cost cost;
	const unsigned char *town_pk;
	const char *label;
	int existed;
};

/* The message when every slot is taken: how many users the store can hold,
 * one fewer when the town's recovery slot takes a slot. */
static int users_full(const struct keyring *kr, struct tz_error *err)
{
	if (keyring_find_recovery(kr) >= 0)
		return tz_error_set(err, TZ_EFAIL,
				    "用户已满（最多 %d 个：台账文件头的 %d 个槽位里有一个是镇恢复槽），"
				    "请先删除不用的用户",
				    KEYRING_MAX_SLOTS - 1, KEYRING_MAX_SLOTS);
	return tz_error_set(err, TZ_EFAIL, "用户已满（最多 %d 个），请先删除不用的用户",
			    KEYRING_MAX_SLOTS);
}

static int change_keyring(struct store *s, struct slot_change *c, struct tz_error *err)
{
	const char *name = c->name;
	if (s->flags & STORE_OPEN_READONLY)
		return tz_error_set(err, TZ_EFAIL, "台账以只读方式打开，不能修改用户");
	if (flock(s->fd, LOCK_EX) != 0)
		return tz_error_set(err, TZ_EFAIL, "无法锁定台账文件");
	struct keyring kr;
	int rc = keyring_read(s->fd, &kr, NULL, err);
	if (rc == TZ_OK)
		rc = keyring_check_mac(&kr, s->master, err);
	if (rc != TZ_OK)
		goto out;
	int index = name != NULL ? keyring_find_user(&kr, name) : -1;
	switch (c->op) {
	case USER_ADD:
	case USER_PASSWD:
	case USER_SET:
		/* add: a new name; passwd: an existing one; set: either. */
		c->existed = index >= 0;
		if (c->op == USER_ADD && index >= 0) {
			rc = tz_error_set(err, TZ_EFAIL, "用户“%s”已经存在", name);
			goto out;
		}
		if (c->op == USER_PASSWD && index < 0) {
			rc = tz_error_set(err, TZ_EFAIL, "没有名为“%s”的用户", name);
			goto out;
		}
		if (index < 0 && (index = keyring_free_slot(&kr)) < 0) {
			rc = users_full(&kr, err);
			goto out;
		}
		rc = keyring_set_passphrase(&kr, index, name, c->pass, c->pass_nbytes, c->cost,
					    s->master, err);
		break;
	case RECOVERY_SEAL:
		rc = keyring_set_recovery(&kr, c->town_pk, c->label, s->master, err);
		break;
	case USER_REMOVE:
		if (index < 0) {
			rc = tz_error_set(err, TZ_EFAIL, "没有名为“%s”的用户", name);
			goto out;
		}
		if (keyring_user_count(&kr) <= 1) {
			rc = tz_error_set(err, TZ_EFAIL,
					  "不能删除最后一个用户“%s”：否则就再也打不开这个台账了",
					  name);
			goto out;
		}
		memset(&kr.slots[index], 0, sizeof kr.slots[index]);
		break;
	}
	if (rc == TZ_OK)
		rc = keyring_write(s->fd, &kr, s->master, err);
	if (rc == TZ_OK)
		s->kr = kr;
out:
	flock(s->fd, LOCK_UN);
	/* After the keyring, never before: see generation.c. */
	if (rc == TZ_OK)
		rc = store_generation_record(s, err);
	return rc;
}

static int audit_change(struct store *s, const char *action, const char *name,
			const char *detail, struct tz_error *err)
{
	int rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	rc = store_audit(s, action, name, detail, err);
	if (rc != TZ_OK) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, err);
}

int store_user_add(struct store *s, const char *name, const char *pass,
		   size_t pass_nbytes, enum kdf_cost cost, struct tz_error *err)
{
	struct slot_change c = { .op = USER_ADD, .name = name, .pass = pass,
				 .pass_nbytes = pass_nbytes, .cost = cost };
	int rc = change_keyring(s, &c, err);
	return rc == TZ_OK ? audit_change(s, "user.add", name, NULL, err) : rc;
}

int store_user_passwd(struct store *s, const char *name, const char *pass,
		      size_t pass_nbytes, enum kdf_cost cost, struct tz_error *err)
{
	if (name == NULL)
		name = s->user;
	struct slot_change c = { .op = USER_PASSWD, .name = name, .pass = pass,
				 .pass_nbytes = pass_nbytes, .cost = cost };
	int rc = change_keyring(s, &c, err);
	return rc == TZ_OK ? audit_change(s, "user.passwd", name, NULL, err) : rc;
}

int store_user_remove(struct store *s, const char *name, struct tz_error *err)
{
	struct slot_change c = { .op = USER_REMOVE, .name = name, .cost = KDF_COST_MIN };
	int rc = change_keyring(s, &c, err);
	return rc == TZ_OK ? audit_change(s, "user.remove", name, NULL, err) : rc;
}

int store_recovery_seal(struct store *s, const unsigned char town_pk[KEYRING_TOWN_PK_NBYTES],
			const char *label, struct tz_error *err)
{
	struct slot_change c = { .op = RECOVERY_SEAL, .town_pk = town_pk,
				 .label = label ? label : "", .cost = KDF_COST_MIN };
	return change_keyring(s, &c, err);
}

int store_recovery_grant(struct store *s, const char *name, const char *pass,
			 size_t pass_nbytes, enum kdf_cost cost, const char *detail,
			 int *reset, struct tz_error *err)
{
	*reset = 0;
	if (strcmp(s->user, STORE_RECOVERY_ACTOR) != 0)
		return tz_error_set(err, TZ_EUSAGE, "内部错误：台账不是用镇恢复槽打开的");
	struct slot_change c = { .op = USER_SET, .name = name, .pass = pass,
				 .pass_nbytes = pass_nbytes, .cost = cost };
	int rc = change_keyring(s, &c, err);
	if (rc != TZ_OK)
		return rc;
	*reset = c.existed;
	return audit_change(s, "store.recover", name, detail, err);
}
