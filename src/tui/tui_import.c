/*
 * tui_import.c — importing a roster from the screen: ask for the CSV file,
 * import it all-or-nothing through the model (roster.h), and show either the
 * counts or every bad row with its line number. A 低保 roster whose header is
 * not found may be retried with column mappings typed in ("身份证号=证件号码",
 * as `--column` on the command line); one that would replace the roster
 * there shows the difference (added / removed / changed) and asks first.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/roster.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"
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
		if (tui_next_key(t, &k) != TUI_KEY)
			continue;
		if (k.is_code && k.ch == KEY_DOWN && top + 1 < n)
			top++;
		else if (k.is_code && k.ch == KEY_UP && top > 0)
			top--;
		else
			return;
	}
}

/* text cut into lines of at most ncols columns, also at each "；" (malloc'd
 * array of malloc'd strings, *n of them). */
static char **wrap_lines(const char *text, size_t ncols, size_t *n)
{
	char **lines = NULL;
	size_t cap = 0;
	*n = 0;
	const char *p = text;
	while (*p != '\0') {
		size_t used = 0, cols = 0;
		while (p[used] != '\0') {
			uint32_t cp;
			size_t len = utf8_decode(p + used, strlen(p + used), &cp);
			if (len == 0)
				len = 1;
			int w = utf8_cp_ncols(cp);
			if (cols + (size_t)(w > 0 ? w : 0) > ncols)
				break;
			cols += (size_t)(w > 0 ? w : 0);
			used += len;
			if (strncmp(p + used - len, "；", len) == 0)
				break;
		}
		if (used == 0)
			used = 1;
		*VEC_PUSH(lines, *n, cap) = xasprintf("%.*s", (int)used, p);
		p += used;
	}
	return lines;
}

/* Ask for column mappings after a header was not found ("身份证号=证件号码
 * 姓名=对象"), into map (at most cap); returns how many, 0 when none given. */
static size_t ask_mappings(struct tui *t, struct roster_column_map *map, size_t cap)
{
	char line[512];
	if (!tui_prompt(t, "列名对应（如 身份证号=证件号码，几个用空格隔开；直接回车放弃）：", line,
			sizeof line))
		return 0;
	size_t n = 0;
	for (char *save = NULL, *tok = strtok_r(line, " ", &save); tok != NULL && n < cap;
	     tok = strtok_r(NULL, " ", &save)) {
		struct tz_error err;
		if (roster_column_map_parse(tok, &map[n], &err) != TZ_OK) {
			tui_say(t, 1, "%s", err.msg);
			return 0;
		}
		n++;
	}
	return n;
}

/* Import a 低保 roster from data: with the mappings asked for when its header
 * is not found, and the difference shown and confirmed before it replaces one. */
static int import_dibao(struct tui *t, const char *name, const char *data, size_t nbytes,
			struct roster_report *rep, struct tz_error *err)
{
	struct roster_column_map map[8];
	struct roster_dibao_options o = { map, 0, 0 };
	for (;;) {
		int rc = roster_import_dibao_with(t->s, name, data, nbytes, &o, rep, err);
		if (rc == TZ_OK)
			return rc;
		if (rep->header_missing) {
			size_t n;
			char **lines = wrap_lines(err->msg, (size_t)(t->cols > 12 ? t->cols - 4 : 8), &n);
			show_lines(t, " 没有导入：找不到表头（看完按任一键，再填写列名对应）", lines, n);
			for (size_t i = 0; i < n; i++)
				free(lines[i]);
			free(lines);
			size_t nmap = ask_mappings(t, map, sizeof map / sizeof map[0]);
			if (nmap == 0)
				return rc;
			o.nmap = nmap;
		} else if (rep->needs_replace && rep->diff != NULL) {
			size_t n;
			char **lines = roster_diff_text(rep->diff, rep->month, &n);
			show_lines(t, " 新的低保名册与原来的相比（看完按任一键）", lines, n);
			for (size_t i = 0; i < n; i++)
				free(lines[i]);
			free(lines);
			if (!tui_confirm(t, "用新名册替换原来的低保名册吗？")) {
				tz_error_set(err, TZ_EFAIL, "没有替换：原来的低保名册不变");
				return TZ_EFAIL;
			}
			o.replace = 1;
		} else {
			return rc;
		}
		roster_report_free(rep);
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
	int rc = dibao ? import_dibao(t, slash ? slash + 1 : path, data, nbytes, &rep, &err)
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
		tui_say(t, 0, "已导入低保名册（%s）：%zu 户，保障 %zu 人（文件编码 %s）。", rep.layout,
			rep.households, rep.persons, rep.encoding ? rep.encoding : "");
	} else {
		tui_say(t, 0, "已导入建档立卡户 %zu 户、成员 %zu 人（文件编码 %s）。", rep.households,
			rep.members, rep.encoding ? rep.encoding : "");
	}
	roster_report_free(&rep);
}
