/*
 * scr_form.c — the data-entry screen built from a form definition (a forms/NAME.form file):
 * one line editor per field, Tab and Shift-Tab (or the arrows) between fields,
 * F2 to save through the model, F4 to pick a value from a list, Esc with a
 * warning when something typed is not saved. What the officer typed is never
 * lost: a refused save keeps every value and puts the cursor on the field the
 * message names.
 *
 * Two variants share the screen: a read-only view of a row (the town looking at
 * a village's ledgers: every field shown as an officer reads it, nothing can be
 * typed or saved), and the town's dispatch (派单) of a new problem to a village
 * (form_save writes it through problem_create with that village).
 *
 * Validating and writing are form_save's (src/form/form_save.c): this screen
 * only paints, edits and moves the cursor to the field a refusal names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_internal.h"

#define LABEL_X 2
#define LABEL_NCOLS 20
#define INPUT_X 25

struct form_screen {
	const struct form *f;
	struct editor ed[FORM_MAX_FIELDS];
	char *ref_label[FORM_MAX_FIELDS]; /* what a reference field shows */
	char id[IDS_NCHARS + 1];          /* the row edited; "" for a new one */
	char preset_column[40];
	char preset_value[IDS_NCHARS + 1];
	char household_id[IDS_NCHARS + 1]; /* narrows member pickers */
	size_t focus;
	size_t top;
	int dirty;
	int view;                /* read-only: every field shown, nothing typed or saved */
	char village_code[13];   /* dispatch: the village a new problem goes to */
	char village_name[64];
	char title[160];         /* the title bar's, when not the form's */
};

static const char *value_of(struct form_screen *fs, size_t i)
{
	return editor_text(&fs->ed[i]);
}

static void values_of(struct form_screen *fs, const char **values)
{
	for (size_t i = 0; i < fs->f->nfields; i++)
		values[i] = value_of(fs, i);
}

static int is_preset(const struct form_screen *fs, size_t i)
{
	const struct form_field *ff = &fs->f->fields[i];
	return fs->preset_column[0] && ff->column && strcmp(ff->column, fs->preset_column) == 0;
}

static int editable(struct form_screen *fs, size_t i)
{
	const char *values[FORM_MAX_FIELDS];
	values_of(fs, values);
	const struct form_field *ff = &fs->f->fields[i];
	if (fs->view) /* the cursor visits every field shown */
		return form_field_visible(fs->f, i, values);
	return !ff->readonly && ff->compute == FORM_COMPUTE_NONE && !is_preset(fs, i) &&
	       form_field_visible(fs->f, i, values);
}

static void move_focus(struct form_screen *fs, int step)
{
	size_t n = fs->f->nfields;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (fs->focus + n + (size_t)(step > 0 ? (long)k : -(long)k)) % n;
		if (editable(fs, i)) {
			fs->focus = i;
			return;
		}
	}
}

static void set_ref_label(struct tui *t, struct form_screen *fs, size_t i)
{
	const struct field_def *m = form_field_model(fs->f, i);
	free(fs->ref_label[i]);
	fs->ref_label[i] = NULL;
	if (m == NULL || m->type != FIELD_REF || value_of(fs, i)[0] == '\0')
		return;
	char label[160];
	struct tz_error err;
	if (browse_ref_label(t->s, m->ref_table, value_of(fs, i), label, sizeof label, &err) == TZ_OK)
		fs->ref_label[i] = xstrdup(label);
}

static void draw(struct tui *t, void *p)
{
	struct form_screen *fs = p;
	const struct form *f = fs->f;
	const char *values[FORM_MAX_FIELDS];
	values_of(fs, values);
	char top_line[256];
	if (fs->view)
		snprintf(top_line, sizeof top_line, "只读：这里只能查看，不能修改。");
	else if (fs->village_code[0])
		snprintf(top_line, sizeof top_line, "派给 %s（%s）：保存后，下次导出数据包时带给该村",
			 fs->village_name, fs->village_code);
	else
		snprintf(top_line, sizeof top_line, "%s", f->help ? f->help : "");
	tui_put(TUI_TOP, LABEL_X, top_line, t->cols - 4);
	int first_row = TUI_TOP + 2, nrows = t->rows - 4 - first_row;
	/* Keep the focused field on screen. */
	size_t shown_before = 0;
	for (size_t i = 0; i < fs->focus; i++)
		shown_before += form_field_visible(f, i, values) != 0;
	if (shown_before < fs->top)
		fs->top = shown_before;
	if (shown_before >= fs->top + (size_t)nrows)
		fs->top = shown_before - (size_t)nrows + 1;
	int cy = -1, cx = 0;
	size_t row = 0;
	for (size_t i = 0; i < f->nfields; i++) {
		if (!form_field_visible(f, i, values))
			continue;
		if (row < fs->top || row >= fs->top + (size_t)nrows) {
			row++;
			continue;
		}
		int y = first_row + (int)(row - fs->top);
		row++;
		const struct form_field *ff = &f->fields[i];
		char label[64];
		snprintf(label, sizeof label, "%s%s", ff->required ? "*" : " ", ff->label);
		tui_put(y, LABEL_X, label, LABEL_NCOLS + 1);
		int width = (int)ff->width_ncols;
		if (width > t->cols - INPUT_X - 2)
			width = t->cols - INPUT_X - 2;
		if (fs->view && ff->compute == FORM_COMPUTE_NONE) {
			const char *shown = fs->ref_label[i] ? fs->ref_label[i] : value_of(fs, i);
			if (i == fs->focus)
				attron(A_UNDERLINE);
			tui_put_padded(y, INPUT_X, shown, width);
			if (i == fs->focus) {
				attroff(A_UNDERLINE);
				cy = y, cx = INPUT_X;
			}
		} else if (ff->compute != FORM_COMPUTE_NONE) {
			char out[32];
			form_field_computed(f, i, values, out, sizeof out);
			tui_put(y, INPUT_X, out, width);
		} else if (form_field_model(f, i)->type == FIELD_REF || is_preset(fs, i) || ff->readonly) {
			const char *shown = fs->ref_label[i] ? fs->ref_label[i] : value_of(fs, i);
			if (i == fs->focus)
				attron(A_UNDERLINE);
			tui_put_padded(y, INPUT_X, shown[0] ? shown : (i == fs->focus ? "（按 F4 选择）" : ""), width);
			if (i == fs->focus) {
				attroff(A_UNDERLINE);
				cy = y, cx = INPUT_X;
			}
		} else {
			tui_draw_editor(&fs->ed[i], y, INPUT_X, width, i == fs->focus, 0);
			if (i == fs->focus)
				getyx(stdscr, cy, cx);
		}
	}
	const struct form_field *ff = &f->fields[fs->focus];
	tui_put_padded(t->rows - 3, LABEL_X, ff->help ? ff->help : "", t->cols - 4);
	if (cy >= 0)
		move(cy, cx);
}

/* A list to pick from, in a box; returns the index chosen or -1. */
static int pick_from(struct tui *t, const char *title, struct browse_row *rows, size_t n)
{
	if (n == 0) {
		tui_say(t, 1, "没有可以选择的项目");
		return -1;
	}
	size_t pick = 0, top = 0;
	for (;;) {
		int height = t->rows - 6, width = t->cols - 10, y0 = 3, x0 = 5;
		tui_draw_box(y0, x0, height, width);
		tui_put(y0, x0 + 2, title, width - 4);
		int visible = height - 3;
		if (pick < top)
			top = pick;
		if (pick >= top + (size_t)visible)
			top = pick - (size_t)visible + 1;
		for (int i = 0; i < visible && top + (size_t)i < n; i++) {
			if (top + (size_t)i == pick)
				attron(tui_attr_select(t));
			tui_put_padded(y0 + 1 + i, x0 + 2, rows[top + (size_t)i].cells[0], width - 4);
			if (top + (size_t)i == pick)
				attroff(tui_attr_select(t));
		}
		tui_put(y0 + height - 2, x0 + 2, "上下键 选择  Enter 确定  Esc 取消", width - 4);
		move(y0 + 1 + (int)(pick - top), x0 + 2);
		refresh();
		wint_t ch;
		int r = get_wch(&ch);
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			getmaxyx(stdscr, t->rows, t->cols);
			erase();
		} else if (r == KEY_CODE_YES && ch == KEY_UP && pick > 0) {
			pick--;
		} else if (r == KEY_CODE_YES && ch == KEY_DOWN && pick + 1 < n) {
			pick++;
		} else if (r == KEY_CODE_YES && ch == KEY_NPAGE) {
			pick = pick + (size_t)visible < n ? pick + (size_t)visible : n - 1;
		} else if (r == KEY_CODE_YES && ch == KEY_PPAGE) {
			pick = pick > (size_t)visible ? pick - (size_t)visible : 0;
		} else if ((r == OK && (ch == '\r' || ch == '\n')) || (r == KEY_CODE_YES && ch == KEY_ENTER)) {
			return (int)pick;
		} else if (r == OK && ch == 27) {
			return -1;
		}
	}
}

static void pick_value(struct tui *t, struct form_screen *fs)
{
	size_t i = fs->focus;
	const struct field_def *m = form_field_model(fs->f, i);
	if (m == NULL)
		return;
	struct browse_row *rows = NULL;
	size_t n = 0;
	struct tz_error err;
	int rc;
	if (m->type == FIELD_REF && fs->village_code[0] && !fs->household_id[0])
		rc = browse_village_ref_choices(t->s, m->ref_table, fs->village_code, &rows, &n, &err);
	else if (m->type == FIELD_REF)
		rc = browse_ref_choices(t->s, m->ref_table, fs->household_id[0] ? fs->household_id : NULL,
					&rows, &n, &err);
	else if (m->type == FIELD_ENUM)
		rc = browse_codes(t->s, m->code_list, &rows, &n, &err);
	else if (m->type == FIELD_BOOL) {
		editor_set_text(&fs->ed[i], strcmp(value_of(fs, i), "是") == 0 ? "否" : "是", 3);
		fs->dirty = 1;
		return;
	} else {
		tui_say(t, 0, "这一项直接输入即可");
		return;
	}
	if (rc != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return;
	}
	int chosen = pick_from(t, fs->f->fields[i].label, rows, n);
	if (chosen >= 0) {
		const char *v = m->type == FIELD_REF ? rows[chosen].id : rows[chosen].cells[0];
		editor_set_text(&fs->ed[i], v, strlen(v));
		set_ref_label(t, fs, i);
		fs->dirty = 1;
	}
	browse_rows_free(rows, n);
}

/* F2: form_save validates and writes; a refusal keeps every value typed and
 * puts the cursor on the field it names, when that field can be typed in. */
static int save(struct tui *t, struct form_screen *fs)
{
	if (fs->view)
		return TUI_STAY;
	const struct form *f = fs->f;
	const char *values[FORM_MAX_FIELDS];
	values_of(fs, values);
	struct form_target to = {
		.id = fs->id,
		.preset_column = fs->preset_column,
		.preset_value = fs->preset_value,
		.village_code = fs->village_code,
	};
	char id[IDS_NCHARS + 1];
	struct form_error err;
	if (form_save(t->s, f, values, &to, id, &err) != TZ_OK) {
		if (err.field != FORM_NONE && editable(fs, err.field))
			fs->focus = err.field;
		tui_say(t, 1, "%s", err.err.msg);
		return TUI_STAY;
	}
	fs->dirty = 0;
	tui_say(t, 0, "已保存%s。", f->table->label);
	if (!fs->id[0] && strcmp(f->table->table, "households") == 0) {
		/* A new household: go on to its members. */
		tui_say(t, 0, "已保存建档立卡户。请按 F3 登记户主和家庭成员。");
		screen_household_replace(t, id);
		return TUI_STAY;
	}
	if (!fs->id[0] && strcmp(f->table->table, "problems") == 0) {
		/* A new problem: its page, where it is rectified and closed off. */
		if (fs->village_code[0])
			tui_say(t, 0, "已派单给%s。下次导出数据包时带给该村。", fs->village_name);
		screen_problem_replace(t, id);
		return TUI_STAY;
	}
	return TUI_POP;
}

/* The keys of the read-only view: move between fields, nothing else. */
static int key_view(struct tui *t, struct form_screen *fs, struct tui_key k)
{
	if ((k.is_code && (k.ch == KEY_DOWN || k.ch == KEY_ENTER || k.ch == KEY_NPAGE)) ||
	    (!k.is_code && (k.ch == '\t' || k.ch == '\r' || k.ch == '\n')))
		move_focus(fs, 1);
	else if (k.is_code && (k.ch == KEY_UP || k.ch == KEY_BTAB || k.ch == KEY_PPAGE))
		move_focus(fs, -1);
	else if ((k.is_code && k.ch >= KEY_F(2) && k.ch <= KEY_F(12)) || (!k.is_code && k.ch >= 0x20))
		tui_say(t, 0, "只读：这里只能查看，不能修改");
	return TUI_STAY;
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct form_screen *fs = p;
	if (fs->view)
		return key_view(t, fs, k);
	if (k.is_code) {
		switch (k.ch) {
		case KEY_DOWN:
		case KEY_ENTER:
			move_focus(fs, 1);
			return TUI_STAY;
		case KEY_UP:
		case KEY_BTAB:
			move_focus(fs, -1);
			return TUI_STAY;
		case KEY_F(2):
			return save(t, fs);
		case KEY_F(4):
			pick_value(t, fs);
			return TUI_STAY;
		default:
			break;
		}
	} else if (k.ch == '\t' || k.ch == '\r' || k.ch == '\n') {
		move_focus(fs, 1);
		return TUI_STAY;
	} else if (k.ch == 19) { /* Ctrl-S saves too */
		return save(t, fs);
	}
	const struct field_def *m = form_field_model(fs->f, fs->focus);
	if (m == NULL || m->type == FIELD_REF || is_preset(fs, fs->focus)) {
		if (!k.is_code && k.ch >= 0x20)
			tui_say(t, 0, "这一项请按 F4 从列表中选择");
		return TUI_STAY;
	}
	if (m->type == FIELD_BOOL && !k.is_code && k.ch == ' ') {
		pick_value(t, fs);
		return TUI_STAY;
	}
	size_t before = fs->ed[fs->focus].nbytes;
	const char *old = editor_text(&fs->ed[fs->focus]);
	char *copy = xstrdup(old);
	if (tui_edit_key(t, &fs->ed[fs->focus], k) &&
	    (before != fs->ed[fs->focus].nbytes || strcmp(copy, editor_text(&fs->ed[fs->focus])) != 0))
		fs->dirty = 1;
	free(copy);
	return TUI_STAY;
}

static int can_leave(struct tui *t, void *p)
{
	struct form_screen *fs = p;
	return !fs->dirty || tui_confirm(t, "有修改还没有保存（按 F2 保存）。放弃这些修改吗？");
}

static void destroy(void *p)
{
	struct form_screen *fs = p;
	for (size_t i = 0; i < FORM_MAX_FIELDS; i++) {
		editor_free(&fs->ed[i]);
		free(fs->ref_label[i]);
	}
	free(fs);
}

static const char *title_of(void *p)
{
	struct form_screen *fs = p;
	return fs->title[0] ? fs->title : fs->f->title;
}

static const struct screen_ops ops = {
	.title = "录入",
	.keys = " F1 帮助  Tab/上下键 换项  F2 保存  F4 选择  Esc 返回",
	.help = "逐项填写，带 * 的必须填写。\n"
		"Tab、Enter 或下箭头到下一项，Shift-Tab 或上箭头回上一项。\n"
		"有固定选项的项目（如户状态、与户主关系）可以直接输入中文，\n"
		"也可以按 F4 从列表中选择；是否项按空格切换。\n"
		"按 F2（或 Ctrl-S）保存。保存不成功时，已填写的内容都会保留，\n"
		"光标停在需要修改的项目上，按提示改正后再保存。\n"
		"按 Esc 返回；有未保存的修改时会先问您。",
	.title_of = title_of, .draw = draw, .key = key, .can_leave = can_leave, .destroy = destroy,
};

static const struct screen_ops view_ops = {
	.title = "查看",
	.keys = " F1 帮助  只读  Tab/上下键 换项  Esc 返回",
	.help = "只读：这是村里的一条记录，镇扶贫办在这里只能查看，不能修改。\n"
		"Tab、Enter 或上下键在各项之间移动，按 Esc 返回。",
	.title_of = title_of, .draw = draw, .key = key, .destroy = destroy,
};

/* The form screen for table (row id, or a new row), not yet pushed; NULL with
 * the reason said when there is no form or the row cannot be read. */
static struct form_screen *form_screen_new(struct tui *t, const char *table, const char *id,
					   const char *preset_column, const char *preset_value);

int screen_form_push(struct tui *t, const char *table, const char *id,
		     const char *preset_column, const char *preset_value)
{
	struct form_screen *fs = form_screen_new(t, table, id, preset_column, preset_value);
	return fs ? tui_push(t, &ops, fs) : -1;
}

/* The label of code in code list list into out ("" when none). */
static void code_label(struct tui *t, const char *list, const char *code, char *out,
		       size_t out_nbytes)
{
	struct browse_row *rows;
	size_t n;
	struct tz_error err;
	out[0] = '\0';
	if (browse_codes(t->s, list, &rows, &n, &err) != TZ_OK)
		return;
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].id, code) == 0)
			snprintf(out, out_nbytes, "%s", rows[i].cells[0]);
	browse_rows_free(rows, n);
}

int screen_form_view_push(struct tui *t, const char *table, const char *id)
{
	struct form_screen *fs = form_screen_new(t, table, id, NULL, NULL);
	if (fs == NULL)
		return -1;
	fs->view = 1;
	snprintf(fs->title, sizeof fs->title, "%s（只读）", fs->f->table->label);
	/* Every field as an officer reads it: codes by their labels, yes/no. */
	for (size_t i = 0; i < fs->f->nfields; i++) {
		const struct field_def *m = form_field_model(fs->f, i);
		const char *v = value_of(fs, i);
		if (m == NULL || v[0] == '\0' || fs->ref_label[i] != NULL)
			continue;
		char label[160] = "";
		if (m->type == FIELD_ENUM)
			code_label(t, m->code_list, v, label, sizeof label);
		else if (m->type == FIELD_BOOL)
			snprintf(label, sizeof label, "%s", strcmp(v, "1") == 0 ? "是" : strcmp(v, "0") == 0 ? "否" : v);
		if (label[0])
			fs->ref_label[i] = xstrdup(label);
	}
	fs->focus = fs->f->nfields - 1;
	move_focus(fs, 1);
	return tui_push(t, &view_ops, fs);
}

int screen_form_dispatch_push(struct tui *t, const char *village_code)
{
	struct form_screen *fs = form_screen_new(t, "problems", NULL, NULL, NULL);
	if (fs == NULL)
		return -1;
	struct tz_error err;
	snprintf(fs->village_code, sizeof fs->village_code, "%s", village_code);
	if (browse_ref_label(t->s, "villages", village_code, fs->village_name,
			     sizeof fs->village_name, &err) != TZ_OK || !fs->village_name[0])
		snprintf(fs->village_name, sizeof fs->village_name, "%s", village_code);
	snprintf(fs->title, sizeof fs->title, "派单：%s", fs->village_name);
	/* What a dispatch usually says: it comes from the town, the village rectifies. */
	char source[64], unit[64];
	code_label(t, "problem_source", "dispatch", source, sizeof source);
	code_label(t, "unit", "villages", unit, sizeof unit); /* 各村(居): the village rectifies */
	for (size_t i = 0; i < fs->f->nfields; i++) {
		const char *column = fs->f->fields[i].column;
		const char *preset = column == NULL ? NULL
				     : strcmp(column, "source") == 0 ? source
				     : strcmp(column, "responsible_unit") == 0 ? unit
									       : NULL;
		if (preset != NULL && preset[0]) {
			editor_set_text(&fs->ed[i], preset, strlen(preset));
			editor_home(&fs->ed[i]);
		}
	}
	return tui_push(t, &ops, fs);
}

static struct form_screen *form_screen_new(struct tui *t, const char *table, const char *id,
					   const char *preset_column, const char *preset_value)
{
	const struct form *f = form_set_for_table(&t->forms, table);
	if (f == NULL) {
		tui_say(t, 1, "没有“%s”的录入表单（forms/%s.form）", table, table);
		return NULL;
	}
	struct form_screen *fs = xcalloc(1, sizeof *fs);
	fs->f = f;
	for (size_t i = 0; i < f->nfields; i++)
		editor_init(&fs->ed[i], f->fields[i].check.max > 0 &&
						(f->fields[i].check.type == FIELD_TEXT ||
						 f->fields[i].check.type == FIELD_NOTE)
					? (size_t)f->fields[i].check.max
					: 200);
	if (preset_column && preset_value) {
		snprintf(fs->preset_column, sizeof fs->preset_column, "%s", preset_column);
		snprintf(fs->preset_value, sizeof fs->preset_value, "%s", preset_value);
		if (strcmp(preset_column, "household_id") == 0)
			snprintf(fs->household_id, sizeof fs->household_id, "%s", preset_value);
	}
	struct tz_error err;
	if (id != NULL) {
		struct record r;
		if (record_load(t->s, f->table, id, &r, &err) != TZ_OK) {
			tui_say(t, 1, "%s", err.msg);
			destroy(fs);
			return NULL;
		}
		snprintf(fs->id, sizeof fs->id, "%s", id);
		const char *values[FORM_MAX_FIELDS];
		form_values_from_record(f, &r, values);
		for (size_t i = 0; i < f->nfields; i++)
			if (values[i])
				editor_set_text(&fs->ed[i], values[i], strlen(values[i]));
		const char *hh = record_get(&r, "household_id");
		if (hh)
			snprintf(fs->household_id, sizeof fs->household_id, "%s", hh);
		record_free(&r);
	}
	for (size_t i = 0; i < f->nfields; i++) {
		if (is_preset(fs, i))
			editor_set_text(&fs->ed[i], fs->preset_value, strlen(fs->preset_value));
		set_ref_label(t, fs, i);
		editor_home(&fs->ed[i]);
	}
	fs->focus = f->nfields - 1;
	move_focus(fs, 1);
	return fs;
}
