/*
 * scr_users.c — the store's users: list them, add one, change a passphrase.
 * Several officers may share the village laptop; each has a passphrase of their
 * own, and changing one touches no other user and no data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/secret.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

#define PASS_NBYTES 1024

struct users {
	size_t pick;
};

static int nusers(const struct keyring *kr, int *slots)
{
	int n = 0;
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++)
		if (kr->slots[i].kind == SLOT_PASSPHRASE)
			slots[n++] = i;
	return n;
}

static void draw(struct tui *t, void *p)
{
	struct users *u = p;
	const struct keyring *kr = store_keyring(t->s);
	int slots[KEYRING_MAX_SLOTS];
	int n = nusers(kr, slots);
	tui_put(TUI_TOP, 2, "能打开这个台账的用户（每人用自己的口令）：", t->cols - 4);
	for (int i = 0; i < n; i++) {
		char line[128];
		snprintf(line, sizeof line, "%s%s", kr->slots[slots[i]].name,
			 strcmp(kr->slots[slots[i]].name, store_user(t->s)) == 0 ? "（当前用户）" : "");
		if ((size_t)i == u->pick)
			attron(tui_attr_select(t));
		tui_put_padded(TUI_TOP + 2 + i, 4, line, 40);
		if ((size_t)i == u->pick)
			attroff(tui_attr_select(t));
	}
	if (keyring_find_recovery(kr) >= 0)
		tui_put(TUI_TOP + 3 + n, 2,
			"另有一个镇恢复槽（不是用户）：本村人员离岗时，镇扶贫办可凭它重新打开这个台账。",
			t->cols - 4);
	move(TUI_TOP + 2 + (int)u->pick, 4);
}

/* Ask for a new passphrase twice into pass (secret memory); 1 when given. */
static int ask_new_passphrase(struct tui *t, const char *who, char *pass)
{
	char *again = secret_alloc(PASS_NBYTES);
	char question[160];
	int ok = 0;
	snprintf(question, sizeof question, "为“%s”设置新口令（至少 8 个字符）：", who);
	if (again != NULL && tui_prompt_secret(t, question, pass, PASS_NBYTES) &&
	    tui_prompt_secret(t, "请再输入一次新口令：", again, PASS_NBYTES)) {
		if (strcmp(pass, again) != 0)
			tui_say(t, 1, "两次输入的口令不一致，没有修改");
		else if (utf8_nchars(pass) < 8)
			tui_say(t, 1, "口令太短：至少要 8 个字符");
		else
			ok = 1;
	}
	secret_free(again);
	return ok;
}

static void change(struct tui *t, const char *name, int adding)
{
	char *pass = secret_alloc(PASS_NBYTES);
	if (pass == NULL)
		return;
	if (ask_new_passphrase(t, name, pass)) {
		tui_say(t, 0, "正在设置口令，请稍候……");
		struct tz_error err;
		int rc = adding ? store_user_add(t->s, name, pass, strlen(pass), KDF_COST_MODERATE, &err)
				: store_user_passwd(t->s, name, pass, strlen(pass), KDF_COST_MODERATE, &err);
		if (rc != TZ_OK)
			tui_say(t, 1, "%s", err.msg);
		else
			tui_say(t, 0, adding ? "已增加用户“%s”。" : "已修改“%s”的口令。", name);
	}
	secret_free(pass);
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct users *u = p;
	const struct keyring *kr = store_keyring(t->s);
	int slots[KEYRING_MAX_SLOTS];
	int n = nusers(kr, slots);
	if (k.is_code && k.ch == KEY_UP && u->pick > 0)
		u->pick--;
	else if (k.is_code && k.ch == KEY_DOWN && u->pick + 1 < (size_t)n)
		u->pick++;
	else if (k.is_code && k.ch == KEY_F(3)) {
		char name[KEYRING_NAME_MAX_NBYTES * 2];
		if (tui_prompt(t, "新用户的用户名（如 李明）：", name, sizeof name) && name[0])
			change(t, name, 1);
	} else if (k.is_code && k.ch == KEY_F(5) && n > 0) {
		char name[KEYRING_NAME_MAX_NBYTES + 1];
		snprintf(name, sizeof name, "%s", kr->slots[slots[u->pick]].name);
		change(t, name, 0);
	}
	return TUI_STAY;
}

static const struct screen_ops ops = {
	.title = "用户",
	.keys = " F1 帮助  上下键 选择  F3 增加用户  F5 修改选中用户的口令  Esc 返回",
	.help = TUI_HELP_users,
	.draw = draw, .key = key,
};

int screen_users_push(struct tui *t)
{
	return tui_push(t, &ops, xcalloc(1, sizeof(struct users)));
}
