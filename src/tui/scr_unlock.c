/*
 * scr_unlock.c — the first screen: pick a user, type the passphrase (hidden),
 * wait while the key is derived; a wrong passphrase says so and lets the officer
 * try again. On success the store is open and the home screen replaces this one.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/keyring.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

struct unlock {
	struct keyring kr;
	int users[KEYRING_MAX_SLOTS];
	int nusers;
	int pick;
	struct editor pass;
};

static void draw(struct tui *t, void *p)
{
	struct unlock *u = p;
	int y = TUI_TOP + 1;
	tui_put(y++, 4, "打开加密台账", t->cols - 8);
	tui_put(y++, 4, t->path, t->cols - 8);
	y++;
	tui_put(y++, 4, "用户：", 10);
	for (int i = 0; i < u->nusers; i++) {
		if (i == u->pick)
			attron(tui_attr_select(t));
		tui_put_padded(y, 14, u->kr.slots[u->users[i]].name, 24);
		if (i == u->pick)
			attroff(tui_attr_select(t));
		y++;
	}
	y++;
	tui_put(y, 4, "口令：", 10);
	tui_draw_editor(&u->pass, y, 14, 30, 1, 1);
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct unlock *u = p;
	if (k.is_code && k.ch == KEY_UP && u->pick > 0) {
		u->pick--;
		return TUI_STAY;
	}
	if (k.is_code && k.ch == KEY_DOWN && u->pick + 1 < u->nusers) {
		u->pick++;
		return TUI_STAY;
	}
	if (tui_is_enter(k)) {
		if (u->pass.nchars == 0) {
			tui_say(t, 1, "请输入口令");
			return TUI_STAY;
		}
		tui_say(t, 0, "正在验证口令，请稍候……");
		int cy, cx;
		getyx(stdscr, cy, cx);
		attron(tui_attr_keybar(t));
		tui_put_padded(t->rows - 2, 0, t->message, t->cols);
		attroff(tui_attr_keybar(t));
		move(cy, cx);
		refresh();
		struct tz_error err;
		struct store *s;
		int rc = store_open(t->path, u->kr.slots[u->users[u->pick]].name, editor_text(&u->pass),
				    u->pass.nbytes, 0, &s, &err);
		editor_clear(&u->pass);
		if (rc != TZ_OK) {
			tui_say(t, 1, "%s%s", err.msg, rc == TZ_EAUTH ? "。请重新输入。" : "");
			return TUI_STAY;
		}
		t->s = s;
		t->message[0] = '\0';
		if (store_notice(s))
			tui_say(t, 0, "%s", store_notice(s));
		screen_home_push(t);
		return TUI_STAY;
	}
	if (!k.is_code && k.ch == 17) /* Ctrl-Q */
		return TUI_QUIT;
	tui_edit_key(t, &u->pass, k);
	return TUI_STAY;
}

static void destroy(void *p)
{
	struct unlock *u = p;
	editor_clear(&u->pass);
	editor_free(&u->pass);
}

static const struct screen_ops ops = {
	.title = "解锁",
	.keys = " F1 帮助  上下键 选用户  Enter 打开  Esc 退出",
	.help = TUI_HELP_unlock,
	.draw = draw, .key = key, .destroy = destroy,
};

int screen_unlock_push(struct tui *t)
{
	struct unlock *u = xcalloc(1, sizeof *u);
	if (editor_init_secret(&u->pass, 256) != EDIT_OK) {
		free(u);
		return -1;
	}
	u->kr = t->kr; /* read once by tui_main, before curses started */
	for (int i = 0; i < KEYRING_MAX_SLOTS; i++) {
		if (u->kr.slots[i].kind != SLOT_PASSPHRASE)
			continue;
		if (t->user && strcmp(t->user, u->kr.slots[i].name) == 0)
			u->pick = u->nusers;
		u->users[u->nusers++] = i;
	}
	if (u->nusers == 0) {
		destroy(u);
		free(u);
		return -1;
	}
	return tui_push(t, &ops, u);
}
