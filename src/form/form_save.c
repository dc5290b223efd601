/*
 * form_save.c — saving a row: what a screen or a command typed, validated once
 * and written in one transaction, with a refusal that names its field.
 *
 * Three steps, each once:
 *   1. the record: for a screen, the values of its shown fields on a new row or
 *      on the row as stored (form_save); for a command, the record it built;
 *   2. validation: every field shown on the form by the form's rules
 *      (form_field_check, which is the model's field_check made stricter), every
 *      other field by the model's, each value put in its stored form, then the
 *      table's rules across fields (def->check);
 *   3. the write: store_tx_begin, record_write_validated (or problem_create for
 *      the town's dispatch), store_tx_commit; the sync module's change capture
 *      hangs on those. Any failure rolls the whole transaction back.
 *
 * A refusal says which field in struct form_error (the form's index and the
 * model's column), taken from where the check failed: the field being checked,
 * or the column the table's rules name in record.refused_column. Nobody reads
 * the message to find the field.
 *
 * Deliberately not here: drawing, moving a cursor (tui/scr_form.c), SQL
 * (model/).
 */
#include <stdlib.h>
#include <string.h>

#include "taizhang/form.h"
#include "taizhang/problem.h"

/* The field of f an officer corrects for column: the one showing it, or for a
 * computed column the field it is computed from; FORM_NONE when none. */
static size_t field_showing(const struct form *f, const char *column)
{
	if (f == NULL || column == NULL)
		return FORM_NONE;
	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		if (ff->column != NULL && strcmp(ff->column, column) == 0)
			return ff->compute != FORM_COMPUTE_NONE ? ff->compute_from : i;
	}
	return FORM_NONE;
}

/* Name column (NULL: the row as a whole) as what err->err is about; returns
 * the status in it. */
static int refused(const struct form *f, const char *column, struct form_error *err)
{
	err->column = column;
	err->field = field_showing(f, column);
	return err->err.code;
}

/* Replace r's value i by its stored form. */
static void take_normalized(struct record *r, size_t i, char *normalized)
{
	free(r->values[i]);
	r->values[i] = normalized;
}

/* Step 2: check every field of r once (f's rules for the fields f shows, the
 * model's for the others), normalising in place, then the table's rules. */
static int validate(struct store *s, const struct form *f, struct record *r,
		    struct form_error *err)
{
	const struct table_def *def = r->def;
	int checked[MODEL_MAX_FIELDS] = { 0 };
	r->refused_column = NULL;
	if (f != NULL) {
		/* Which fields are shown is decided on the values as typed, before
		 * any of them is put in its stored form. */
		const char *values[FORM_MAX_FIELDS];
		int shown[FORM_MAX_FIELDS];
		form_values_from_record(f, r, values);
		for (size_t i = 0; i < f->nfields; i++)
			shown[i] = form_field_visible(f, i, values);
		for (size_t i = 0; i < f->nfields; i++) {
			const struct form_field *ff = &f->fields[i];
			if (ff->column == NULL || ff->compute != FORM_COMPUTE_NONE || !shown[i])
				continue;
			size_t m = (size_t)(ff->model - def->fields);
			char *normalized = NULL;
			if (form_field_check(s, f, i, r->values[m], &normalized, &err->err) != TZ_OK)
				return refused(f, ff->column, err);
			take_normalized(r, m, normalized);
			checked[m] = 1;
		}
	}
	for (size_t m = 0; m < def->nfields; m++) {
		char *normalized = NULL;
		if (checked[m])
			continue;
		if (field_check(s, &def->fields[m], r->values[m], &normalized, &err->err) != TZ_OK)
			return refused(f, def->fields[m].column, err);
		take_normalized(r, m, normalized);
	}
	if (def->check != NULL && def->check(s, r, &err->err) != TZ_OK)
		return refused(f, r->refused_column, err);
	return TZ_OK;
}

/* The town's dispatch of a new problem to village_code: r (validated) as a
 * problem_spec, inside the open transaction. */
static int dispatch(struct store *s, struct record *r, const char *village_code,
		    struct tz_error *err)
{
	const char *area = record_get(r, "area"), *task = record_get(r, "task");
	struct problem_spec spec = {
		.village_code = village_code,
		.area = area ? atoi(area) : 0,
		.task = task ? atoi(task) : 0,
		.title = record_get(r, "title"),
		.description = record_get(r, "description"),
		.source = record_get(r, "source"),
		.household_id = record_get(r, "household_id"),
		.responsible_unit = record_get(r, "responsible_unit"),
		.responsible_person = record_get(r, "responsible_person"),
		.deadline = record_get(r, "deadline"),
		.measures = record_get(r, "measures"),
	};
	return problem_create(s, &spec, r->id, err);
}

/* Step 3: one transaction, committed whole or rolled back whole. */
static int write_row(struct store *s, struct record *r, const char *village_code,
		     struct tz_error *err)
{
	int rc = store_tx_begin(s, err);
	if (rc != TZ_OK)
		return rc;
	if (village_code != NULL && village_code[0] && r->id[0] == '\0')
		rc = dispatch(s, r, village_code, err);
	else
		rc = record_write_validated(s, r, err);
	return store_tx_end(s, rc, err);
}

int form_save_record(struct store *s, const struct form *f, struct record *r,
		     const char *village_code, struct form_error *err)
{
	tz_error_clear(&err->err);
	err->field = FORM_NONE;
	err->column = NULL;
	if (f != NULL && f->table != r->def)
		return tz_error_set(&err->err, TZ_EFAIL, "内部错误：表单 %s 不是%s的", f->name,
				    r->def->label);
	if (store_tx_active(s))
		return tz_error_set(&err->err, TZ_EFAIL, "内部错误：保存%s时已有未结束的事务",
				    r->def->label);
	int rc = validate(s, f, r, err);
	if (rc != TZ_OK)
		return rc;
	return write_row(s, r, village_code, &err->err);
}

/* Step 1 for a screen: the record as the screen shows it (see form_save). */
static int screen_record(struct store *s, const struct form *f, const char *const *values,
			 const struct form_target *to, struct record *r, struct tz_error *err)
{
	int change = to->id != NULL && to->id[0];
	int rc = change ? record_load(s, f->table, to->id, r, err) : (record_init(r, f->table), TZ_OK);
	for (size_t i = 0; rc == TZ_OK && i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		if (ff->column == NULL || ff->compute != FORM_COMPUTE_NONE || (change && ff->readonly))
			continue;
		int shown = form_field_visible(f, i, values);
		if (change || shown)
			rc = record_set(r, ff->column, shown ? values[i] : NULL, err);
	}
	if (rc == TZ_OK && to->preset_column != NULL && to->preset_column[0] &&
	    model_field(f->table, to->preset_column) != NULL)
		rc = record_set(r, to->preset_column, to->preset_value, err);
	return rc;
}

int form_save(struct store *s, const struct form *f, const char *const *values,
	      const struct form_target *to, char id_out[IDS_NCHARS + 1], struct form_error *err)
{
	static const struct form_target new_row = { 0 };
	if (to == NULL)
		to = &new_row;
	tz_error_clear(&err->err);
	err->field = FORM_NONE;
	err->column = NULL;
	id_out[0] = '\0';
	struct record r;
	int rc = screen_record(s, f, values, to, &r, &err->err);
	if (rc == TZ_OK)
		rc = form_save_record(s, f, &r, to->village_code, err);
	if (rc == TZ_OK)
		memcpy(id_out, r.id, IDS_NCHARS + 1);
	record_free(&r); /* initialised by record_load / record_init, even on failure */
	return rc;
}
