/*
 * fuzz_form.c — a libFuzzer target for form definitions (src/form/): the INI
 * text of a forms/NAME.form file, parsed by libinih (ini_parse_string) into a
 * form and checked against the model's schema (form_load_text, what
 * form_load_string and form_load_dir call; the schema, an in-memory database
 * made by every migration, is made once per process here). A form file
 * is data an officer or a county may edit, so any text must give a form or a
 * message, never a crash.
 *
 * A loaded form must hold what screens rely on: at most FORM_MAX_FIELDS
 * fields, each with a label, a model field for a column, list and key indices
 * inside the form, visible_if and computed sources inside the form; and every
 * field's visibility and computed value must evaluate for empty values and
 * for sample ones.
 *
 * Seeds (TZ_FUZZ_SEEDS=DIR): the real form files of forms/ (run.sh gives
 * their folder in TZ_FUZZ_FORMS).
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/form/form_internal.h"
#include "fuzz_common.h"
#include "taizhang/form.h"

static void evaluate(const struct form *f, const char *const *values)
{
	for (size_t i = 0; i < f->nfields; i++) {
		char out[32];
		form_field_visible(f, i, values);
		if (form_field_computed(f, i, values, out, sizeof out) == 0 && out[0] != '\0')
			abort(); /* "0 (out = "")" */
	}
	form_field_visible(f, f->nfields, values); /* out of range: 0, no read */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size ? size : 1); /* exact size, no NUL: a read past the end is caught */
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	static struct form_schema *schema;
	if (schema == NULL && (schema = form_schema_open()) == NULL)
		abort();
	struct form *f = NULL;
	struct tz_error err;
	if (form_load_text(schema, "forms/fuzz.form", text, size, &f, &err) != TZ_OK) {
		if (f != NULL || err.msg[0] == '\0')
			abort();
		free(text);
		return 0;
	}
	if (f->nfields == 0 || f->nfields > FORM_MAX_FIELDS || f->table == NULL ||
	    (f->nfields > 0 && f->key >= f->nfields))
		abort();
	for (size_t i = 0; i < f->nlist; i++)
		if (f->list[i] >= f->nfields)
			abort();
	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *ff = &f->fields[i];
		if (ff->label == NULL || (ff->column != NULL && ff->model == NULL) ||
		    (ff->visible_if.op != FORM_COND_ALWAYS && ff->visible_if.field >= f->nfields) ||
		    (ff->compute != FORM_COMPUTE_NONE && ff->compute_from >= f->nfields))
			abort();
	}
	static const char *const samples[] = { "340000198405011234", "1", "是", "dropout",
					       "2019-04-01", "男" };
	const char *values[FORM_MAX_FIELDS];
	for (size_t i = 0; i < f->nfields; i++)
		values[i] = "";
	evaluate(f, values);
	for (size_t i = 0; i < f->nfields; i++)
		values[i] = samples[i % (sizeof samples / sizeof samples[0])];
	evaluate(f, values);
	form_free(f);
	free(text);
	return 0;
}

static int write_seeds(const char *dir)
{
	const char *forms = getenv("TZ_FUZZ_FORMS");
	DIR *d = opendir(forms != NULL ? forms : "forms");
	if (d == NULL) {
		perror("TZ_FUZZ_FORMS");
		return 1;
	}
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".form") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", forms != NULL ? forms : "forms", e->d_name);
		FILE *fp = fopen(path, "rb");
		if (fp == NULL)
			continue;
		static char buf[FORM_MAX_FILE_NBYTES];
		size_t got = fread(buf, 1, sizeof buf, fp);
		fclose(fp);
		fuzz_seed_write(dir, e->d_name, buf, got);
		n++;
	}
	closedir(d);
	return n == 0;
}

FUZZ_SEEDS_FROM(write_seeds)
