/*
 * form_label.c — the words an officer reads for the values of a form's fields,
 * and the lists they pick them from: a code as its Chinese label (the code_list
 * table is the one place codes are named), several codes as labels joined by
 * 、, 1/0 as 是/否, a reference or a numbered value (问题方面, 对应任务) as the
 * name of what it points at. Stored values stay codes, ids and numbers; what is
 * shown is always the label, and what a screen puts back in an edit box is the
 * label too, which form_field_check reads back to the code.
 *
 * Deliberately not here: drawing a list (tui/), the SQL that names rows
 * (model/browse.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/browse.h"
#include "taizhang/form.h"
#include "taizhang/pinyin.h"
#include "taizhang/xalloc.h"

int form_field_picked(const struct form *f, size_t i)
{
	const struct field_def *m = form_field_model(f, i);
	return m != NULL && m->ref_table != NULL && (m->type == FIELD_REF || m->type == FIELD_INT);
}

/* Two rows, 是 (1) and 否 (0). */
static void yes_no_rows(struct browse_row **rows, size_t *n)
{
	*rows = xcalloc(2, sizeof **rows);
	snprintf((*rows)[0].id, sizeof (*rows)[0].id, "1");
	(*rows)[0].cells[0] = xstrdup("是");
	snprintf((*rows)[1].id, sizeof (*rows)[1].id, "0");
	(*rows)[1].cells[0] = xstrdup("否");
	*n = 2;
}

int form_field_choices(struct store *s, const struct form *f, size_t i,
		       const struct form_scope *scope, struct browse_row **rows, size_t *n,
		       struct tz_error *err)
{
	*rows = NULL;
	*n = 0;
	const struct field_def *m = i < f->nfields ? &f->fields[i].check : NULL;
	if (m == NULL || f->fields[i].compute != FORM_COMPUTE_NONE)
		return tz_error_set(err, TZ_EFAIL, "这一项不用选择");
	const char *household = scope && scope->household_id && scope->household_id[0]
					? scope->household_id : NULL;
	const char *village = scope && scope->village_code && scope->village_code[0]
				      ? scope->village_code : NULL;
	switch (m->type) {
	case FIELD_ENUM:
	case FIELD_CODES:
		return browse_codes(s, m->code_list, rows, n, err);
	case FIELD_BOOL:
		yes_no_rows(rows, n);
		return TZ_OK;
	case FIELD_TEXT:
		if (f->fields[i].suggest == NULL)
			break;
		return browse_ref_choices(s, f->fields[i].suggest, NULL, rows, n, err);
	case FIELD_REF:
	case FIELD_INT:
		if (m->ref_table == NULL)
			break;
		if (village != NULL && household == NULL)
			return browse_village_ref_choices(s, m->ref_table, village, rows, n, err);
		return browse_ref_choices(s, m->ref_table, household, rows, n, err);
	default:
		break;
	}
	return tz_error_set(err, TZ_EFAIL, "%s直接输入即可，不用选择", m->label);
}

int form_field_label(struct store *s, const struct form *f, size_t i, const char *stored,
		     char *out, size_t out_nbytes, struct tz_error *err)
{
	snprintf(out, out_nbytes, "%s", stored ? stored : "");
	const struct field_def *m = i < f->nfields ? &f->fields[i].check : NULL;
	if (stored == NULL || stored[0] == '\0' || m == NULL ||
	    (m->type != FIELD_ENUM && m->type != FIELD_CODES && m->type != FIELD_BOOL &&
	     !form_field_picked(f, i)))
		return TZ_OK;
	if (m->type == FIELD_REF || m->type == FIELD_INT) {
		int rc = browse_ref_label(s, m->ref_table, stored, out, out_nbytes, err);
		if (rc == TZ_OK && out[0] == '\0')
			snprintf(out, out_nbytes, "%s", stored); /* gone: what is stored, not nothing */
		return rc;
	}
	struct browse_row *rows;
	size_t n;
	int rc = form_field_choices(s, f, i, NULL, &rows, &n, err);
	if (rc != TZ_OK)
		return rc;
	/* One code, or (CODES) several joined by commas: each by its label. */
	char *copy = xstrdup(stored), *save = NULL;
	size_t used = 0;
	out[0] = '\0';
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char *label = tok;
		for (size_t k = 0; k < n; k++)
			if (strcmp(rows[k].id, tok) == 0)
				label = rows[k].cells[0];
		int w = snprintf(out + used, out_nbytes - used, "%s%s", used ? "、" : "", label);
		if (w < 0 || (size_t)w >= out_nbytes - used)
			break;
		used += (size_t)w;
	}
	free(copy);
	browse_rows_free(rows, n);
	return TZ_OK;
}

size_t form_choices_find(const struct browse_row *rows, size_t n, const char *query, size_t *found)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (query == NULL || query[0] == '\0' || strcmp(rows[i].id, query) == 0 ||
		    pinyin_matches(rows[i].cells[0] ? rows[i].cells[0] : "", query))
			found[k++] = i;
	/* A numbered choice typed by its number comes first ("5": task 5 before 15). */
	for (size_t j = 0; query && j < k; j++)
		if (strcmp(rows[found[j]].id, query) == 0) {
			size_t hit = found[j];
			memmove(found + 1, found, j * sizeof *found);
			found[0] = hit;
			break;
		}
	return k;
}
