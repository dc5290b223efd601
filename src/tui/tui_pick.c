/*
 * tui_pick.c — the picker: a list in a box with a find line. Whatever is typed
 * (Chinese, pinyin initials such as "wf" for 王芳, or a number) narrows the list
 * to the rows that hold it (form_choices_find); Up, Down, PgUp and PgDn move,
 * Enter picks (Tab too, and the form goes on to its next field), Esc cancels. Every choice of a form (codes, 是/否, references,
 * 问题方面 and 对应任务) is picked here, by its Chinese label.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/xalloc.h"
#include "tui_internal.h"

int tui_pick(struct tui *t, const char *title, const struct browse_row *rows, size_t n,
	     const char *query, int *tabbed)
{
	if (tabbed != NULL)
		*tabbed = 0;
	if (n == 0) {
		tui_say(t, 1, "没有可以选择的项目");
		return -1;
	}
	struct editor find;
	editor_init(&find, 40);
	if (query != NULL)
		editor_set_text(&find, query, strlen(query));
	editor_end(&find);
	size_t *shown = xcalloc(n, sizeof *shown);
	size_t nshown = form_choices_find(rows, n, editor_text(&find), shown);
	size_t pick = 0, top = 0;
	int chosen = -2;
	while (chosen == -2) {
		int height = t->rows - 6, width = t->cols - 10, y0 = 3, x0 = 5;
		int visible = height - 5;
		tui_draw_box(y0, x0, height, width);
		tui_put(y0, x0 + 2, title, width - 4);
		tui_list_scroll(pick, &top, visible);
		for (int i = 0; i < visible && top + (size_t)i < nshown; i++) {
			int selected = top + (size_t)i == pick;
			if (selected)
				attron(tui_attr_select(t));
			tui_put_padded(y0 + 3 + i, x0 + 2, rows[shown[top + (size_t)i]].cells[0], width - 4);
			if (selected)
				attroff(tui_attr_select(t));
		}
		if (nshown == 0)
			tui_put(y0 + 3, x0 + 2, "（没有找到，请删掉几个字再试）", width - 4);
		tui_put(y0 + height - 2, x0 + 2, "输入汉字、拼音首字母或序号查找  上下键 选择  Enter 确定  Esc 取消",
			width - 4);
		tui_put(y0 + 1, x0 + 2, "查找：", 6);
		tui_draw_editor(&find, y0 + 1, x0 + 8, width - 12, 1, 0); /* last: the cursor */
		refresh(); /* the cursor stays in the find line, where typing (and an IME) goes */
		struct tui_key k;
		int got = tui_next_key(t, &k);
		if (got == TUI_RESIZED)
			erase(); /* drawn again at the new size */
		if (got != TUI_KEY)
			continue;
		int tab = !k.is_code && k.ch == '\t';
		if (tui_is_enter(k) || tab) {
			chosen = nshown > 0 ? (int)shown[pick] : -2;
			if (tabbed != NULL)
				*tabbed = tab;
		} else if (!k.is_code && k.ch == 27) {
			chosen = -1;
		} else if (!tui_list_key(k, &pick, nshown, visible)) {
			size_t before = find.nbytes;
			char *old = xstrdup(editor_text(&find));
			tui_edit_key(t, &find, k);
			if (before != find.nbytes || strcmp(old, editor_text(&find)) != 0) {
				nshown = form_choices_find(rows, n, editor_text(&find), shown);
				pick = top = 0;
			}
			free(old);
		}
	}
	free(shown);
	editor_free(&find);
	return chosen;
}
