/*
 * form_schema.c — the reference copy of the schema a form loader checks against.
 *
 * A form is loaded before any store is open (it is checked at start-up, and the
 * same forms serve every store), yet two of its checks need the schema rather
 * than the model: telling a column that does not exist from one that exists
 * but is not entered by officers (id, owner, village_code, a project's stage
 * ...: "该列不能在表单中录入"), and checking the codes a visible_if names
 * against their code list. Both come from the migrations embedded in the binary
 * (db/NNN_*.sql, migrate.h), applied to a private in-memory SQLite database:
 * the schema and the seeded code lists exactly as every new store gets them.
 *
 * This is the only SQL in form/, and it never touches a store. It is not a
 * source of truth for validation: values are checked by the model (model.h)
 * against the store's own code lists. A code the town adds to a code list later
 * is unknown here, so a form cannot name it in a visible_if until a migration
 * seeds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "form_internal.h"
#include "taizhang/migrate.h"
#include "taizhang/xalloc.h"

struct form_schema {
	sqlite3 *db;
};

struct form_schema *form_schema_open(void)
{
	struct form_schema *sc = xcalloc(1, sizeof *sc);
	if (sqlite3_open_v2(":memory:", &sc->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		goto fail;
	for (int i = 0; i < migrations_count; i++)
		if (sqlite3_exec(sc->db, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	return sc;
fail:
	form_schema_close(sc);
	return NULL;
}

void form_schema_close(struct form_schema *sc)
{
	if (sc == NULL)
		return;
	sqlite3_close(sc->db);
	free(sc);
}

int form_schema_has_column(struct form_schema *sc, const char *table, const char *column)
{
	if (sc == NULL)
		return 0;
	return sqlite3_table_column_metadata(sc->db, "main", table, column, NULL, NULL, NULL, NULL,
					     NULL) == SQLITE_OK;
}

int form_schema_code(struct form_schema *sc, const char *list, const char *text, char **label)
{
	*label = NULL;
	if (sc == NULL)
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(sc->db, "SELECT label FROM code_list WHERE list = ?1 AND code = ?2", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	int found = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*label = xstrdup((const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

void form_schema_codes(struct form_schema *sc, const char *list, char *buf, size_t cap)
{
	buf[0] = '\0';
	sqlite3_stmt *st;
	if (sc == NULL ||
	    sqlite3_prepare_v2(sc->db, "SELECT code FROM code_list WHERE list = ?1 ORDER BY sort", -1,
			       &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
	size_t used = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int n = snprintf(buf + used, cap - used, "%s%s", used ? "、" : "",
				 (const char *)sqlite3_column_text(st, 0));
		if (n < 0 || (size_t)n >= cap - used) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
	sqlite3_finalize(st);
}
