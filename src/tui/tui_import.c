/*
 * tui_import.c — importing a roster from the screen: ask for the CSV file,
 * import it all-or-nothing through the model (roster.h), and show either the
 * counts or every bad row with its line number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/roster.h"
#include "tui_internal.h"

/* Show lines in a box that scrolls; any key but the arrows closes it. */
static void show_lines(struct tui *t, const char *title, char **lines, size_t n)
{
	size_t top = 0;
	for (;;) {
		erase();
		attron(tui_attr_title(t));
		tui_put_padded(0, 0, title, t->cols);
		attroff(tui_attr_title(t));
		int visible = t->rows - 3;
		for (int i = 0; i < visible && top + (size_t)i < n; i++)
			tui_put(1 + i, 1, lines[top + (size_t)i], t->cols - 2);
		attron(tui_attr_keybar(t));
		tui_put_padded(t->rows - 1, 0, " 上下键 翻动  其他键 返回", t->cols);
		attroff(tui_attr_keybar(t));
		refresh();
		struct tui_key k;
		if (tui_read_key(&k) != 0)
			continue;
		if (k.is_code && k.ch == KEY_RESIZE)
			getmaxyx(stdscr, t->rows, t->cols);
		else if (k.is_code && k.ch == KEY_DOWN && top + 1 < n)
			top++;
		else if (k.is_code && k.ch == KEY_UP && top > 0)
			top--;
		else
			return;
	}
}

void tui_import_file(struct tui *t, const char *kind)
{
	int dibao = strcmp(kind, "dibao") == 0;
	char path[1024];
	if (!tui_prompt(t, dibao ? "低保名册 CSV 文件的位置（如 /media/u盘/低保名册.csv）："
				 : "花名册 CSV 文件的位置（如 /media/u盘/花名册.csv）：",
			path, sizeof path) ||
	    path[0] == '\0')
		return;
	struct tz_error err;
	char *data;
	size_t nbytes;
	if (roster_read_file(path, &data, &nbytes, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return;
	}
	const char *slash = strrchr(path, '/');
	struct roster_report rep = { 0 };
	int rc = dibao ? roster_import_dibao(t->s, slash ? slash + 1 : path, data, nbytes, &rep, &err)
		       : roster_import_households(t->s, slash ? slash + 1 : path, data, nbytes, &rep, &err);
	free(data);
	if (rc != TZ_OK && rep.nproblems > 0) {
		char title[256];
		snprintf(title, sizeof title, " 没有导入：%zu 行有问题，请在表格中改正后再导入", rep.nproblems);
		show_lines(t, title, rep.problems, rep.nproblems);
		tui_say(t, 1, "%s", err.msg);
	} else if (rc != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
	} else if (dibao) {
		tui_say(t, 0, "已导入低保名册：%zu 户 %zu 人（文件编码 %s）。", rep.households, rep.members,
			rep.encoding ? rep.encoding : "");
	} else {
		tui_say(t, 0, "已导入建档立卡户 %zu 户、成员 %zu 人（文件编码 %s）。", rep.households,
			rep.members, rep.encoding ? rep.encoding : "");
	}
	roster_report_free(&rep);
}
