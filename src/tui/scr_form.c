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
#include "tui_help.h"
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

/* What a picked field (a reference, 问题方面, 对应任务) shows for its value. */
static void set_ref_label(struct tui *t, struct form_screen *fs, size_t i)
{
	free(fs->ref_label[i]);
	fs->ref_label[i] = NULL;
	if (!form_field_picked(fs->f, i) || value_of(fs, i)[0] == '\0')
		return;
	char label[160];
	struct tz_error err;
	if (form_field_label(t->s, fs->f, i, value_of(fs, i), label, sizeof label, &err) == TZ_OK)
		fs->ref_label[i] = xstrdup(label);
}

/* The read-only view: every field shown as "label：value", the value as an
 * officer reads it, long text wrapped and the page scrolled (fs->top is the
 * first wrapped line). */
static void draw_view(struct tui *t, struct form_screen *fs, const char *const *values)
{
	const struct form *f = fs->f;
	char *paras[FORM_MAX_FIELDS];
	size_t n = 0;
	for (size_t i = 0; i < f->nfields; i++) {
		if (!form_field_visible(f, i, values))
			continue;
		char computed[32] = "", text[4096];
		const char *shown = fs->ref_label[i] ? fs->ref_label[i] : value_of(fs, i);
		if (f->fields[i].compute != FORM_COMPUTE_NONE) {
			form_field_computed(f, i, values, computed, sizeof computed);
			shown = computed;
		}
		snprintf(text, sizeof text, "%s：%s", f->fields[i].label, shown);
		paras[n++] = xstrdup(text);
	}
	int top = (int)fs->top;
	tui_draw_detail(TUI_TOP + 2, t->rows - 3, t->cols - 6, (const char *const *)paras, n, &top);
	fs->top = (size_t)top;
	for (size_t i = 0; i < n; i++)
		free(paras[i]);
	move(TUI_TOP, LABEL_X);
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
	if (fs->view) {
		draw_view(t, fs, values);
		return;
	}
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
		} else if (form_field_picked(f, i) || is_preset(fs, i) || ff->readonly) {
			const char *shown = fs->ref_label[i] ? fs->ref_label[i] : value_of(fs, i);
			if (i == fs->focus)
				attron(A_UNDERLINE);
			tui_put_padded(y, INPUT_X, shown[0] ? shown : (i == fs->focus ? "（输入查找，或按 F4 选择）" : ""), width);
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

/* F4 (or typing in a field that is picked): the field's choices by their
 * labels, narrowed by what was typed (query, may be NULL). A reference keeps
 * its id (shown by its name); a code, 是/否 and several codes are put in the box
 * as their labels, which the save reads back. Tab chose: on to the next field. */
static void pick_value(struct tui *t, struct form_screen *fs, const char *query)
{
	size_t i = fs->focus;
	const struct field_def *m = form_field_model(fs->f, i);
	if (m == NULL)
		return;
	if (m->type == FIELD_BOOL && query == NULL) {
		editor_set_text(&fs->ed[i], strcmp(value_of(fs, i), "是") == 0 ? "否" : "是", 3);
		fs->dirty = 1;
		return;
	}
	struct form_scope scope = { fs->household_id, fs->village_code };
	struct browse_row *rows = NULL;
	size_t n = 0;
	struct tz_error err;
	if (form_field_choices(t->s, fs->f, i, &scope, &rows, &n, &err) != TZ_OK) {
		tui_say(t, 0, "%s", err.msg);
		return;
	}
	int tabbed;
	int chosen = tui_pick(t, fs->f->fields[i].label, rows, n, query, &tabbed);
	if (chosen >= 0) {
		const char *v = form_field_picked(fs->f, i) ? rows[chosen].id : rows[chosen].cells[0];
		if (m->type == FIELD_CODES && value_of(fs, i)[0] && strstr(value_of(fs, i), v) == NULL) {
			char joined[512];
			snprintf(joined, sizeof joined, "%s、%s", value_of(fs, i), v); /* one more */
			editor_set_text(&fs->ed[i], joined, strlen(joined));
		} else {
			editor_set_text(&fs->ed[i], v, strlen(v));
		}
		editor_end(&fs->ed[i]);
		set_ref_label(t, fs, i);
		fs->dirty = 1;
		if (tabbed)
			move_focus(fs, 1);
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
	if (!fs->id[0])
		snprintf(t->saved_id, sizeof t->saved_id, "%s", id); /* the list selects it */
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

/* The keys of the read-only view: scroll, nothing else. */
static int key_view(struct tui *t, struct form_screen *fs, struct tui_key k)
{
	int page = t->rows - 3 - (TUI_TOP + 2);
	if ((k.is_code && (k.ch == KEY_DOWN || k.ch == KEY_ENTER)) ||
	    (!k.is_code && (k.ch == '\t' || k.ch == '\r' || k.ch == '\n')))
		fs->top++; /* the bottom end is kept by tui_draw_detail */
	else if (k.is_code && k.ch == KEY_NPAGE)
		fs->top += (size_t)page;
	else if (k.is_code && (k.ch == KEY_UP || k.ch == KEY_BTAB))
		fs->top -= fs->top > 0;
	else if (k.is_code && k.ch == KEY_PPAGE)
		fs->top = fs->top > (size_t)page ? fs->top - (size_t)page : 0;
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
			pick_value(t, fs, NULL);
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
	if (m != NULL && form_field_picked(fs->f, fs->focus) && !is_preset(fs, fs->focus) &&
	    !k.is_code && k.ch > 0x20 && k.ch != 0x7F) {
		/* Typing in a picked field finds in its list. */
		char typed[8] = "";
		wchar_t wc = (wchar_t)k.ch;
		mbstate_t ps = { 0 };
		size_t len = wcrtomb(typed, wc, &ps);
		typed[len == (size_t)-1 ? 0 : len] = '\0';
		pick_value(t, fs, typed);
		return TUI_STAY;
	}
	if (m == NULL || form_field_picked(fs->f, fs->focus) || is_preset(fs, fs->focus)) {
		if (!k.is_code && k.ch >= 0x20)
			tui_say(t, 0, "这一项请按 F4 从列表中选择");
		return TUI_STAY;
	}
	if (m->type == FIELD_BOOL && !k.is_code && k.ch == ' ') {
		pick_value(t, fs, NULL);
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
}

static const char *title_of(void *p)
{
	struct form_screen *fs = p;
	return fs->title[0] ? fs->title : fs->f->title;
}

/* The key bar: F4 only on a field that has something to choose from. */
static const char *keys_of(void *p)
{
	struct form_screen *fs = p;
	const struct form_field *ff = &fs->f->fields[fs->focus];
	enum field_type t = ff->check.type;
	int choose = ff->column != NULL && ff->compute == FORM_COMPUTE_NONE && !is_preset(fs, fs->focus) &&
		     !ff->readonly &&
		     (t == FIELD_ENUM || t == FIELD_CODES || form_field_picked(fs->f, fs->focus) ||
		      ff->suggest != NULL);
	if (t == FIELD_BOOL && choose == 0 && !ff->readonly)
		return " F1 帮助  Tab/上下键 换项  空格/F4 是否  F2 保存  Esc 返回";
	return choose ? " F1 帮助  Tab/上下键 换项  F2 保存  F4 选择  Esc 返回"
		      : " F1 帮助  Tab/上下键 换项  F2 保存  Esc 返回";
}

static const struct screen_ops ops = {
	.title = "录入",
	.keys = " F1 帮助  Tab/上下键 换项  F2 保存  F4 选择  Esc 返回",
	.keys_of = keys_of,
	.help = TUI_HELP_form,
	.title_of = title_of, .draw = draw, .key = key, .can_leave = can_leave, .destroy = destroy,
};

static const struct screen_ops view_ops = {
	.title = "查看",
	.keys = " F1 帮助  只读  上下键/翻页键 滚动  Esc 返回",
	.help = TUI_HELP_form_view,
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

int screen_form_view_push(struct tui *t, const char *table, const char *id)
{
	struct form_screen *fs = form_screen_new(t, table, id, NULL, NULL);
	if (fs == NULL)
		return -1;
	fs->view = 1;
	snprintf(fs->title, sizeof fs->title, "%s（只读）", fs->f->table->label);
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
	char source[64] = "";
	size_t source_field = form_field_index(fs->f, "source");
	if (source_field != FORM_NONE)
		form_field_label(t->s, fs->f, source_field, "dispatch", source, sizeof source, &err);
	char unit[64] = ""; /* 各村(居): the village rectifies */
	size_t unit_field = form_field_index(fs->f, "responsible_unit");
	if (unit_field != FORM_NONE)
		form_field_label(t->s, fs->f, unit_field, "villages", unit, sizeof unit, &err);
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
	/* The boxes take more than a field allows: a paste too long is kept whole
	 * and refused at F2 with the field named (form_field_check), never cut. */
	for (size_t i = 0; i < f->nfields; i++)
		editor_init(&fs->ed[i], f->fields[i].check.type == FIELD_NOTE ? 0 : 1000);
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
			free(fs);
			return NULL;
		}
		snprintf(fs->id, sizeof fs->id, "%s", id);
		const char *values[FORM_MAX_FIELDS];
		form_values_from_record(f, &r, values);
		/* Codes and 1/0 as the officer reads them; a picked field keeps its
		 * id or number, shown by its name (set_ref_label). */
		for (size_t i = 0; i < f->nfields; i++) {
			char label[512];
			if (values[i] == NULL)
				continue;
			if (form_field_picked(f, i) ||
			    form_field_label(t->s, f, i, values[i], label, sizeof label, &err) != TZ_OK)
				snprintf(label, sizeof label, "%s", values[i]);
			editor_set_text(&fs->ed[i], label, strlen(label));
		}
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
