/*
 * form_eval.c — a loaded form at work: which fields are shown, the values
 * computed from an ID number, checking what an officer typed, and turning a
 * screen's values into the model's struct record.
 *
 * Pure functions of a form and the values of its fields (one text per field,
 * by index, as typed or as loaded): no terminal, no store except where the
 * model needs one to check a code or a reference. Checking is the model's
 * field_check with the form's field_def (the model's, made stricter where the
 * form says so), so a screen, a command and an import refuse the same values
 * with the same words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_internal.h"
#include "taizhang/date.h"
#include "taizhang/idcard.h"
#include "taizhang/utf8.h"

size_t form_field_index(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (f->fields[i].name && strcmp(f->fields[i].name, name) == 0)
			return i;
	return FORM_NONE;
}

const struct field_def *form_field_model(const struct form *f, size_t i)
{
	return i < f->nfields ? f->fields[i].model : NULL;
}

static const char *value_of(const struct form *f, const char *const *values, size_t i)
{
	if (values == NULL || i >= f->nfields || values[i] == NULL)
		return NULL;
	const char *v = values[i];
	while (*v == ' ' || *v == '\t')
		v++;
	return *v ? values[i] : NULL;
}

/* Whether value (not empty) is one of the condition's codes. */
static int cond_matches(const struct form_field *src, const struct form_cond *c, const char *value)
{
	char *folded = utf8_fold_fullwidth(value); /* trims blanks, folds full-width */
	char *norm = NULL;
	if (src->check.type == FIELD_BOOL) {
		/* Read it as the model does; a value it refuses matches nothing. */
		if (field_check(NULL, &src->check, folded, &norm, NULL) != TZ_OK)
			norm = NULL;
	}
	const char *v = norm ? norm : folded;
	int hit = 0;
	for (size_t k = 0; k < c->ncodes && !hit; k++)
		hit = strcmp(v, c->codes[k]) == 0 || (c->labels[k] && strcmp(v, c->labels[k]) == 0);
	free(norm);
	free(folded);
	return hit;
}

int form_field_visible(const struct form *f, size_t i, const char *const *values)
{
	if (i >= f->nfields)
		return 0;
	const struct form_cond *c = &f->fields[i].visible_if;
	if (c->op == FORM_COND_ALWAYS)
		return 1;
	/* Loops are refused at load, so this recursion ends within nfields. A
	 * computed field is tested by its computed value (sex: 男/女, its labels). */
	char computed[32];
	const char *v = NULL;
	if (!form_field_visible(f, c->field, values))
		v = NULL;
	else if (f->fields[c->field].compute != FORM_COMPUTE_NONE)
		v = form_field_computed(f, c->field, values, computed, sizeof computed) ? computed : NULL;
	else
		v = value_of(f, values, c->field);
	int hit = v != NULL && cond_matches(&f->fields[c->field], c, v);
	return c->op == FORM_COND_NE ? !hit : hit;
}

int form_field_computed(const struct form *f, size_t i, const char *const *values, char *out,
			size_t out_nbytes)
{
	if (out_nbytes > 0)
		out[0] = '\0';
	if (i >= f->nfields || f->fields[i].compute == FORM_COMPUTE_NONE || out_nbytes == 0)
		return 0;
	const struct form_field *ff = &f->fields[i];
	size_t from = ff->compute_from;
	const char *text = form_field_visible(f, from, values) ? value_of(f, values, from) : NULL;
	if (text == NULL)
		return 0;
	char *folded = utf8_fold_fullwidth(text);
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	struct idcard_info info;
	int ok = idcard_check(folded, today, &info, NULL) == TZ_OK;
	free(folded);
	if (!ok)
		return 0;
	int n = 0;
	switch (ff->compute) {
	case FORM_COMPUTE_AGE:
		n = snprintf(out, out_nbytes, "%d",
			     date_age_on(date_from_civil(info.year, info.month, info.day), date_today()));
		break;
	case FORM_COMPUTE_SEX:
		n = snprintf(out, out_nbytes, "%s", info.sex == 'M' ? "男" : "女");
		break;
	case FORM_COMPUTE_BIRTH:
		n = snprintf(out, out_nbytes, "%04d-%02d-%02d", info.year, info.month, info.day);
		break;
	case FORM_COMPUTE_NONE:
		break;
	}
	if (n <= 0 || (size_t)n >= out_nbytes) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}

int form_field_check(struct store *s, const struct form *f, size_t i, const char *text,
		     char **normalized, struct tz_error *err)
{
	*normalized = NULL;
	if (i >= f->nfields)
		return tz_error_set(err, TZ_EFAIL, "内部错误：表单 %s 没有第 %zu 个字段", f->name, i);
	const struct form_field *ff = &f->fields[i];
	if (ff->column == NULL)
		return TZ_OK; /* shown only */
	int rc = field_check(s, &ff->check, text, normalized, err);
	size_t ncols = rc == TZ_OK && *normalized && ff->max_ncols ? utf8_ncols(*normalized) : 0;
	if (ncols > ff->max_ncols) {
		free(*normalized);
		*normalized = NULL;
		return tz_error_set(err, TZ_EFAIL,
				    "%s太长：最多占 %zu 列（一个汉字占 2 列，约 %zu 个汉字），现在占 %zu 列，请删减",
				    ff->label, ff->max_ncols, ff->max_ncols / 2, ncols);
	}
	return rc;
}

int form_to_record(struct store *s, const struct form *f, const char *const *values,
		   struct record *r, struct tz_error *err)
{
	record_init(r, f->table);
	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		if (ff->column == NULL || ff->compute != FORM_COMPUTE_NONE || !form_field_visible(f, i, values))
			continue;
		const char *text = values ? values[i] : NULL;
		char *norm = NULL;
		int rc = form_field_check(s, f, i, text, &norm, err);
		free(norm);
		if (rc == TZ_OK)
			rc = record_set(r, ff->column, text, err);
		if (rc != TZ_OK) {
			record_free(r);
			return rc;
		}
	}
	return TZ_OK;
}

void form_values_from_record(const struct form *f, const struct record *r, const char **values)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		values[i] = ff->column && ff->compute == FORM_COMPUTE_NONE ? record_get(r, ff->column) : NULL;
	}
}
