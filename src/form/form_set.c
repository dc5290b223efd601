/*
 * form_set.c — finding forms: one file, a directory of them, the copies built
 * into the binary, and the search the program makes at start-up.
 *
 * Loading is all or nothing at every level: a set is returned only when every
 * form in it loaded, so a broken form file is reported once, at start-up, and
 * never shows up later as half a screen.
 *
 * The search (form_load_default), per form name, first found wins:
 *   1. $TAIZHANG_FORMS (a directory; when set it must exist),
 *   2. ./forms, when it exists,
 *   3. TZ_FORMS_DIR, when the binary was built with it and it exists: the
 *      binary `make install` installs is built with
 *      -DTZ_FORMS_DIR="$(PREFIX)/share/taizhang/forms", next to the forms it
 *      installs; the build tree's binary has no such directory,
 *   4. the copies built in by scripts/embed.sh forms.
 * So an installed binary needs no forms folder, a developer running from the
 * source tree sees the edited forms/ at once, and a village overrides one
 * screen by dropping one file into a folder.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "form_internal.h"
#include "taizhang/file.h"
#include "taizhang/os_error.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

static int load_path(struct form_schema *sc, const char *path, struct form **out, struct tz_error *err)
{
	char *data = NULL;
	size_t n = 0;
	*out = NULL;
	int rc = file_read_all(path, FORM_MAX_FILE_NBYTES, &data, &n, err);
	if (rc != TZ_OK)
		return rc;
	rc = form_load_text(sc, path, data, n, out, err);
	free(data);
	return rc;
}

int form_load_file(const char *path, struct form **out, struct tz_error *err)
{
	struct form_schema *sc = form_schema_open();
	int rc = load_path(sc, path, out, err);
	form_schema_close(sc);
	return rc;
}

void form_set_free(struct form_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->nforms; i++)
		form_free(set->forms[i]);
	free(set->forms);
	set->forms = NULL;
	set->nforms = 0;
}

static void add_form(struct form_set *set, struct form *f)
{
	set->forms = xreallocarray(set->forms, set->nforms + 1, sizeof *set->forms);
	set->forms[set->nforms++] = f;
}

static int by_form_name(const void *a, const void *b)
{
	const struct form *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_form_file_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".form") == 0;
}

static int load_dir(struct form_schema *sc, const char *dir, struct form_set *out, struct tz_error *err)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return tz_error_set(err, TZ_EFAIL, "表单目录 %s：%s", dir, os_error_text(errno));
	char **names = NULL;
	size_t nnames = 0, names_cap = 0;
	int rc = TZ_OK;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (is_form_file_name(e->d_name))
			*VEC_PUSH(names, nnames, names_cap) = xstrdup(e->d_name);
	closedir(d);
	if (rc == TZ_OK && nnames > 1)
		qsort(names, nnames, sizeof *names, by_string);
	for (size_t i = 0; i < nnames && rc == TZ_OK; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		struct form *f;
		rc = load_path(sc, path, &f, err);
		free(path);
		if (rc == TZ_OK)
			add_form(out, f);
	}
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (rc != TZ_OK)
		form_set_free(out);
	return rc;
}

int form_load_dir(const char *dir, struct form_set *out, struct tz_error *err)
{
	out->forms = NULL;
	out->nforms = 0;
	struct form_schema *sc = form_schema_open();
	int rc = load_dir(sc, dir, out, err);
	form_schema_close(sc);
	return rc;
}

static int load_builtin(struct form_schema *sc, struct form_set *out, struct tz_error *err)
{
	size_t n;
	const struct form_source *src = form_builtin_sources(&n);
	int rc = TZ_OK;
	for (size_t i = 0; i < n && rc == TZ_OK; i++) {
		struct form *f;
		rc = form_load_text(sc, src[i].origin, src[i].text, src[i].nbytes, &f, err);
		if (rc == TZ_OK)
			add_form(out, f);
	}
	if (rc != TZ_OK) {
		tz_error_prefix(err, "内置表单");
		form_set_free(out);
		return rc;
	}
	if (out->nforms > 1)
		qsort(out->forms, out->nforms, sizeof *out->forms, by_form_name);
	return TZ_OK;
}

int form_load_builtin(struct form_set *out, struct tz_error *err)
{
	out->forms = NULL;
	out->nforms = 0;
	struct form_schema *sc = form_schema_open();
	int rc = load_builtin(sc, out, err);
	form_schema_close(sc);
	return rc;
}

/* Move every form of upper into set, replacing the form of the same name;
 * upper is emptied. */
static void overlay(struct form_set *set, struct form_set *upper)
{
	for (size_t i = 0; i < upper->nforms; i++) {
		struct form *f = upper->forms[i];
		upper->forms[i] = NULL;
		size_t j = 0;
		while (j < set->nforms && strcmp(set->forms[j]->name, f->name) != 0)
			j++;
		if (j < set->nforms) {
			form_free(set->forms[j]);
			set->forms[j] = f;
		} else {
			add_form(set, f);
		}
	}
	free(upper->forms);
	upper->forms = NULL;
	upper->nforms = 0;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Lay every form of the directory dir over set (see overlay). */
static int overlay_dir(struct form_schema *sc, const char *dir, struct form_set *set,
		       struct tz_error *err)
{
	struct form_set layer = { NULL, 0 };
	int rc = load_dir(sc, dir, &layer, err);
	if (rc == TZ_OK)
		overlay(set, &layer);
	form_set_free(&layer);
	return rc;
}

int form_load_default(struct form_set *out, struct tz_error *err)
{
	out->forms = NULL;
	out->nforms = 0;
	const char *env = getenv("TAIZHANG_FORMS");
	struct form_schema *sc = form_schema_open();
	int rc = load_builtin(sc, out, err);
#ifdef TZ_FORMS_DIR
	if (rc == TZ_OK && is_dir(TZ_FORMS_DIR))
		rc = overlay_dir(sc, TZ_FORMS_DIR, out, err);
#endif
	if (rc == TZ_OK && is_dir("forms"))
		rc = overlay_dir(sc, "forms", out, err);
	if (rc == TZ_OK && env != NULL && env[0] != '\0') {
		rc = overlay_dir(sc, env, out, err);
		if (rc != TZ_OK)
			tz_error_prefix(err, "环境变量 TAIZHANG_FORMS 指定的表单");
	}
	form_schema_close(sc);
	if (rc == TZ_OK && out->nforms == 0)
		rc = tz_error_set(err, TZ_EFAIL,
				  "找不到任何表单：程序没有内置表单，当前目录下也没有 forms 目录；请设置 TAIZHANG_FORMS 指向表单目录");
	if (rc != TZ_OK) {
		form_set_free(out);
		return rc;
	}
	if (out->nforms > 1)
		qsort(out->forms, out->nforms, sizeof *out->forms, by_form_name);
	return TZ_OK;
}

const struct form *form_set_find(const struct form_set *set, const char *name)
{
	for (size_t i = 0; i < set->nforms; i++)
		if (strcmp(set->forms[i]->name, name) == 0)
			return set->forms[i];
	return NULL;
}

const struct form *form_set_for_table(const struct form_set *set, const char *table)
{
	for (size_t i = 0; i < set->nforms; i++)
		if (strcmp(set->forms[i]->table->table, table) == 0)
			return set->forms[i];
	return NULL;
}
