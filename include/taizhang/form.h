/*
 * form.h — data-entry screens described as data: forms/NAME.form files, loaded,
 * checked against the model and evaluated without a terminal.
 *
 * A form says which fields of one model table (model.h) a screen shows, in
 * which order, with which Chinese label and one-line help, when a field is
 * shown at all (visible_if) and which read-only values are derived from
 * others (computed). The file format is documented byte by byte at the top of
 * src/form/form.c.
 *
 * A form never validates on its own terms: every value goes through the
 * model's field_check with the model's type and code list. A form may only be
 * stricter than the model (required when the model is not, narrower limits);
 * a form that would be looser, or that names a column the model does not let
 * an officer enter, is refused when it is loaded, with file, line and reason.
 * So adding a field to a screen needs no C change when its column is in the
 * model.
 *
 * Saving is here too (form_save): the screen's values become a record, checked
 * once and written in one store transaction through the model; a refusal names
 * its field structurally (struct form_error), so screens never read messages.
 *
 * Deliberately not here: drawing, keys and the line editor (tui/), SQL on the
 * store (model/). Nothing here includes curses.
 */
#ifndef TAIZHANG_FORM_H
#define TAIZHANG_FORM_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/model.h"
#include "taizhang/store.h"

/* Limits a form file must keep (checked at load; longer text is refused, never
 * cut). Columns are terminal columns (utf8_ncols): a Chinese character is 2. */
#define FORM_TITLE_MAX_NCOLS 40  /* [form] title */
#define FORM_LABEL_MAX_NCOLS 20  /* a field's label */
#define FORM_HELP_MAX_NCOLS 76   /* one help line, on an 80-column screen */
#define FORM_WIDTH_MIN_NCOLS 2   /* a field's input box */
#define FORM_WIDTH_MAX_NCOLS 60
#define FORM_MAX_FIELDS 64
#define FORM_MAX_FILE_NBYTES (256 * 1024)

/* "No such field", from form_field_index. */
#define FORM_NONE ((size_t)-1)

/* visible_if: the field is shown only when another field of the form ... */
enum form_cond_op {
	FORM_COND_ALWAYS = 0, /* no visible_if: always shown */
	FORM_COND_EQ,         /* field = value */
	FORM_COND_NE,         /* field != value */
	FORM_COND_IN,         /* field in value,value,... */
};

struct form_cond {
	enum form_cond_op op;
	size_t field;   /* index of the field tested (ENUM or BOOL, or a computed sex) */
	char **codes;   /* stored forms: a code (ENUM) or "1"/"0" (BOOL) */
	char **labels;  /* per code, its Chinese label ("辍学"), also matched; may be NULL */
	size_t ncodes;
};

/* computed: a read-only value derived from another field of the form. */
enum form_compute {
	FORM_COMPUTE_NONE = 0,
	FORM_COMPUTE_AGE,   /* age_from = F: whole years from F's birth date to date_today() */
	FORM_COMPUTE_SEX,   /* sex_from = F: 男 or 女, from F's 17th digit */
	FORM_COMPUTE_BIRTH, /* birth_from = F: F's birth date, YYYY-MM-DD */
};

struct form_field {
	char *name;    /* from [field.NAME] */
	char *label;   /* Chinese, shown before the input box */
	char *help;    /* one line, shown while the field has focus */
	char *column;  /* the table's column; NULL for a display-only computed value */
	/* The model's field for column (NULL when column is NULL). */
	const struct field_def *model;
	/* What form_field_check applies: a copy of *model with the form's label,
	 * its required flag and its limits (never looser than the model's). For a
	 * display-only computed value, only type and label are meaningful. */
	struct field_def check;
	int required;        /* effective: the model's or the form's */
	int readonly;        /* shown, not editable (always for computed values) */
	size_t width_ncols;  /* the input box */
	size_t max_ncols;    /* text and note: the most columns a value takes (0: no limit) */
	const char *suggest; /* text: names F4 offers ("units"), typed freely too; NULL: none */
	struct form_cond visible_if;
	enum form_compute compute;
	size_t compute_from; /* index of the ID-number field computed from */
	int line;            /* line of [field.NAME] in the source */
};

struct form {
	char *name;    /* the file's name without directory and ".form": "members" */
	char *origin;  /* where it came from, as messages name it: "forms/members.form" */
	char *title;   /* Chinese, the screen's title */
	char *help;    /* one line, shown on the screen */
	const struct table_def *table;
	struct form_field *fields; /* in display order */
	size_t nfields;
	/* List screens: the fields shown as columns (indices into fields) and the
	 * field that names a record in lists and pickers. */
	size_t *list;
	size_t nlist;
	size_t key;
};

/* Several forms, sorted by name; owns them. */
struct form_set {
	struct form **forms;
	size_t nforms;
};

/* ---- loading ---- */

/* Load one form from text (NUL-terminated). name is how messages name the
 * source ("forms/members.form"); the form's own name is name without its
 * directory and a trailing ".form". On success *out is the form (free with
 * form_free). On failure *out is NULL and err says "<name> 第 N 行：<reason>"
 * for the first problem by line (and how many more there are); nothing is
 * half-loaded. */
int form_load_string(const char *name, const char *text, struct form **out,
		     struct tz_error *err);

/* Read and load the file at path; messages name it by path. Same contract. */
int form_load_file(const char *path, struct form **out, struct tz_error *err);

/* Load every *.form of dir (not hidden files), sorted by name, into out
 * (zeroed by this call; free with form_set_free). All or nothing: on the first
 * file that fails, out is empty and err names that file and line. */
int form_load_dir(const char *dir, struct form_set *out, struct tz_error *err);

/* Load the copies of forms/NAME.form carried in the binary (scripts/embed.sh forms).
 * A build without them gives an empty set and TZ_OK. */
int form_load_builtin(struct form_set *out, struct tz_error *err);

/* The forms the program uses, each looked up by name in order:
 *   1. the directory $TAIZHANG_FORMS, when that variable is set and not empty
 *      (it must then exist: a misspelt setting is reported, not ignored);
 *   2. ./forms, when it exists;
 *   3. the installed forms, $(PREFIX)/share/taizhang/forms, when it exists
 *      (only in the binary `make install` installs: built with TZ_FORMS_DIR);
 *   4. the built-in copies.
 * A form found earlier replaces the one of the same name found later, so a
 * village can override one screen by putting one file in ./forms. Every file
 * of those directories must load: one bad file fails the whole call (reported
 * at start-up, never half-loaded). */
int form_load_default(struct form_set *out, struct tz_error *err);

void form_free(struct form *f);
/* Free every form and empty the set; a zeroed set is fine. */
void form_set_free(struct form_set *set);

/* The form named name, or NULL. Valid while set lives. */
const struct form *form_set_find(const struct form_set *set, const char *name);
/* The first form (by name) for table, or NULL. */
const struct form *form_set_for_table(const struct form_set *set, const char *table);

/* ---- evaluating ----
 * values: one text per field of the form (f->nfields entries, by index), as
 * typed or as loaded; NULL or "" is empty. Computed fields' entries are
 * ignored. */

/* The index of the field named name, or FORM_NONE. */
size_t form_field_index(const struct form *f, const char *name);

/* The model's field_def of field i (NULL for a display-only computed value). */
const struct field_def *form_field_model(const struct form *f, size_t i);

/* Whether field i is shown for these values: its visible_if holds and the
 * field it tests is itself shown. A hidden field counts as empty: "=" and "in"
 * are then false, "!=" true. An ENUM value matches a code by code or label;
 * a BOOL value is read as the model reads it (是/否, 1/0, y/n ...); a computed
 * field is tested by its computed value. 0 for an index out of range. */
int form_field_visible(const struct form *f, size_t i, const char *const *values);

/* The value of computed field i into out (out_nbytes bytes: 32 is enough):
 * age "35", sex "男"/"女", birth "1984-05-01". Returns 1 when a value was
 * written, 0 (out = "") when the ID number is empty or not valid yet, or when
 * field i is not computed. */
int form_field_computed(const struct form *f, size_t i, const char *const *values,
			char *out, size_t out_nbytes);

/* Check the text of field i: the form's rules (required, limits), then the
 * model's field_check, with messages naming the form's label. *normalized gets
 * the stored form (caller frees; NULL when empty). s is needed for ENUM,
 * CODES and REF. Callers check only visible fields. */
int form_field_check(struct store *s, const struct form *f, size_t i, const char *text,
		     char **normalized, struct tz_error *err);

/* Build the record a screen saves: record_init(r, f->table), then each field
 * with a column that is shown and not computed gets its value as typed (the
 * model normalises it again at record_insert / record_update); hidden fields are
 * left empty. Each shown field is checked with form_field_check first; on the
 * first refusal err names the field and r is left empty (a record_free on it
 * is harmless). Caller record_free()s r after TZ_OK. */
int form_to_record(struct store *s, const struct form *f, const char *const *values,
		   struct record *r, struct tz_error *err);

/* ---- saving ---- */

/* Why a save was refused. err is the message for the officer (Chinese, naming
 * the field's label and how to fix the value). field and column say which
 * field, structurally, so that nobody reads the message to find it. */
struct form_error {
	struct tz_error err;
	/* The field of the form to correct: the one showing column, or for a
	 * computed column (sex, birth date) the field it is computed from; FORM_NONE
	 * when there is no form, the form does not show column, or the refusal is
	 * about the row as a whole. The screen decides whether it can go there. */
	size_t field;
	/* The model column refused (a const string of the table_def); NULL when the
	 * refusal is about the row as a whole (a duplicate, a step out of order) or
	 * the store failed. */
	const char *column;
};

/* Where a screen's values go. Every pointer is borrowed; NULL or "" is absent. */
struct form_target {
	const char *id;            /* the row changed; absent: a new row */
	const char *preset_column; /* a column set without being typed (the household */
	const char *preset_value;  /* of a new member), when the table has it */
	/* Town only, a new problem: dispatched (派单) to this village, written
	 * through problem_create (a plain insert would file it under the town). */
	const char *village_code;
};

/* Save what was typed on form f (values: one text per field, as typed) to the
 * row to->id, or a new row. The record is built as the screen shows it: for a
 * new row each shown, not computed field with a column; for a change, the row
 * as stored with each shown, not computed, not read-only field replaced (a
 * hidden one emptied); then the preset column. It is validated once
 * (form_save_record) and written in one transaction. On TZ_OK the row's id is
 * in id_out; on a refusal nothing is written and err says which field. values
 * are never changed. No transaction may be open. */
int form_save(struct store *s, const struct form *f, const char *const *values,
	      const struct form_target *to, char id_out[IDS_NCHARS + 1], struct form_error *err);

/* Validate r once and write it in one transaction (store_tx_begin ... commit,
 * so change capture sees it): an INSERT when r->id is empty, else an UPDATE of
 * row r->id. r holds values as typed (or as record_load gives them). Each field
 * shown on form f for r's values (f may be NULL: no form) is checked by
 * form_field_check, every other one by the model's field_check, then the
 * table's rules across fields (def->check) run; nothing is checked twice.
 * village_code: as form_target's (NULL for none). On TZ_OK r holds the stored
 * values and r->id the row's id; on failure nothing is written (a failed write
 * rolls back whole) and err says which field, when one is to blame. No
 * transaction may be open. */
int form_save_record(struct store *s, const struct form *f, struct record *r,
		     const char *village_code, struct form_error *err);

/* Fill values (f->nfields entries) from a loaded record: the stored text of
 * each field's column, NULL for computed and empty ones. The pointers are r's
 * and valid until r changes. */
void form_values_from_record(const struct form *f, const struct record *r,
			     const char **values);

/* ---- labels and choices (form_label.c) ----
 * What an officer reads and picks: never a code. The stored value stays the
 * code, id or number; the label is what screens show and put in edit boxes. */

struct browse_row;

/* Where a picker's references are narrowed to: a household's members, a
 * village's households (the town choosing for a village). Both may be NULL. */
struct form_scope {
	const char *household_id;
	const char *village_code;
};

/* 1 when field i is chosen from a list only, never typed: a reference, or a
 * number named by a reference table (问题方面, 对应任务). */
int form_field_picked(const struct form *f, size_t i);

/* The choices of field i (ENUM and CODES: the code list; BOOL: 是/否; a
 * reference or a numbered field: the rows it may point at, narrowed by
 * scope, which may be NULL; a text field with suggest: the names it offers,
 * cells[0] being what is put in the box): id = the stored value, cells[0] =
 * the label.
 * Caller frees with browse_rows_free. TZ_EFAIL for a field that is typed. */
int form_field_choices(struct store *s, const struct form *f, size_t i,
		       const struct form_scope *scope, struct browse_row **rows, size_t *n,
		       struct tz_error *err);

/* The text an officer reads for stored, the stored value of field i, into
 * out: an ENUM's label, CODES' labels joined by 、, 是/否, a reference's or a
 * numbered value's name; any other value (and a code no list names) as it is.
 * "" for NULL or "". */
int form_field_label(struct store *s, const struct form *f, size_t i, const char *stored,
		     char *out, size_t out_nbytes, struct tz_error *err);

/* Type-to-find in a list of choices: the indices (into found, room for n) of
 * the rows whose label holds query, or whose pinyin initials do (util/pinyin.h),
 * or whose id is query (a number typed: that one first). Returns how many. */
size_t form_choices_find(const struct browse_row *rows, size_t n, const char *query, size_t *found);

/* The form file name of a field type ("money"), and back (-1 when unknown). */
const char *form_type_name(enum field_type t);
int form_type_parse(const char *name);

#endif
