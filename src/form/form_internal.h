/*
 * form_internal.h — what the files of src/form/ share and nothing else sees.
 *
 *   form.c          the file format and the loader (parse with libinih, check
 *                   against the model, build struct form)
 *   form_eval.c     visible_if, computed values, checking values, a screen as a record
 *   form_save.c     saving a row: validated once, one transaction, the field refused
 *   form_set.c      directories, the built-in copies, the default search
 *   form_schema.c   the reference copy of the schema, to tell "not a column"
 *                   from "a column officers may not enter", and code lists
 *   form_builtin.c  the copies of forms/NAME.form embedded at build time
 */
#ifndef TAIZHANG_FORM_INTERNAL_H
#define TAIZHANG_FORM_INTERNAL_H

#include <stddef.h>

#include "taizhang/form.h"

/* ---- form_schema.c ---- */

struct form_schema;

/* Build the reference schema: an in-memory SQLite database with the embedded
 * migrations (db/NNN_*.sql) applied. Returns NULL when that fails (out of
 * memory); callers then give less precise messages, never wrong ones. */
struct form_schema *form_schema_open(void);
void form_schema_close(struct form_schema *sc);

/* Whether table has column in the schema (1/0; 0 when sc is NULL). */
int form_schema_has_column(struct form_schema *sc, const char *table, const char *column);

/* Find text as a code of code list list (by code only). Returns 1 and sets
 * *label (malloc'd, caller frees) to its Chinese label; 0 when not a code; -1
 * when unknown (sc NULL, or out of memory). */
int form_schema_code(struct form_schema *sc, const char *list, const char *text, char **label);

/* The codes of list as "a、b、c" into buf (cap bytes), for a message; "" when
 * none or unknown. */
void form_schema_codes(struct form_schema *sc, const char *list, char *buf, size_t cap);

/* ---- form.c ---- */

/* Load one form from text of nbytes bytes (need not be NUL-terminated; a NUL
 * byte inside is refused), naming it origin in messages. sc may be NULL. */
int form_load_text(struct form_schema *sc, const char *origin, const char *text, size_t nbytes,
		   struct form **out, struct tz_error *err);

/* ---- form_builtin.c ---- */

struct form_source {
	const char *origin; /* "forms/members.form" */
	const char *text;
	size_t nbytes;
};

/* The embedded copies (count in *n; 0 when the build has none). */
const struct form_source *form_builtin_sources(size_t *n);

#endif
