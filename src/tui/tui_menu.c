/*
 * tui_menu.c — the menus of the officer's screen (numbered items, each
 * opening a screen: the home screens, 数据包, the town's 交付事项 menu) and
 * the frame the two home screens share: the campaign's summary read for
 * them, the nearest deadlines down to the menu, which stands at the bottom,
 * and leaving the program from there. What each home shows above that is its
 * own (scr_home.c, scr_town.c).
 */
#include <curses.h>

#include "taizhang/xalloc.h"
#include "tui_internal.h"

void tui_menu_draw(struct tui *t, int y, int ncols, const struct tui_menu *m, int pick)
{
	for (int i = 0; i < m->n; i++) {
		if (i == pick)
			attron(tui_attr_select(t));
		tui_put_padded(y + i, 2, m->items[i].label, ncols);
		if (i == pick)
			attroff(tui_attr_select(t));
	}
	move(y + pick, 2);
}

int tui_menu_key(struct tui *t, const struct tui_menu *m, int *pick, struct tui_key k)
{
	if (k.is_code && k.ch == KEY_UP) {
		if (*pick > 0)
			(*pick)--;
	} else if (k.is_code && k.ch == KEY_DOWN) {
		if (*pick + 1 < m->n)
			(*pick)++;
	} else if (!k.is_code && ((k.ch >= '1' && k.ch < (wint_t)('1' + m->n) && k.ch <= '9') ||
				  (k.ch == '0' && m->n >= 10))) {
		*pick = k.ch == '0' ? 9 : (int)(k.ch - '1');
		m->items[*pick].open(t);
	} else if (tui_is_enter(k)) {
		m->items[*pick].open(t);
	} else {
		return 0;
	}
	return 1;
}

int tui_home_open(struct tui *t, const struct screen_ops *ops, size_t size,
		  const struct tui_menu *menu, void (*load)(struct tui *t, void *st))
{
	struct tui_home *h = xcalloc(1, size);
	h->menu = menu;
	return tui_replace_loaded(t, ops, h, load);
}

void tui_home_load(struct tui *t, struct tui_home *h)
{
	struct tz_error err;
	h->loaded = tui_say_failure(t, browse_home(t->s, &h->sum, &err), &err) == TZ_OK;
}

void tui_home_draw_menu(struct tui *t, const struct tui_home *h, int y)
{
	int menu_y = t->rows - 3 - h->menu->n;
	if (h->loaded)
		tui_draw_deadlines(t, y, menu_y - 1, t->cols - 4, &h->sum);
	tui_menu_draw(t, menu_y, t->cols - 4, h->menu, h->pick);
}

int tui_home_key(struct tui *t, void *st, struct tui_key k)
{
	struct tui_home *h = st;
	if (tui_menu_key(t, h->menu, &h->pick, k))
		return TUI_STAY;
	if (!k.is_code && (k.ch == 'q' || k.ch == 17))
		return tui_confirm(t, "退出台账程序？") ? TUI_QUIT : TUI_STAY;
	return TUI_STAY;
}

int tui_home_can_leave(struct tui *t, void *st)
{
	(void)st;
	if (tui_confirm(t, "退出台账程序？"))
		t->quit = 1;
	return 0;
}
