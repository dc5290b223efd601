/*
 * village.c — the store's own row in the villages table (include/taizhang/village.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/division.h"
#include "taizhang/model.h"
#include "taizhang/village.h"

static int write_row(struct store *s, const char *name, const char *kind, struct tz_error *err)
{
	const char *code = store_keyring(s)->division_code;
	char town[DIVISION_CODE_NCHARS + 1], now[32];
	division_town_of(code, town);
	model_now(now);
	const char *params[] = { code, name, town, kind, now };
	int rc = store_exec_params(s,
				   "INSERT INTO villages(code, owner, name, town_code, kind, created_at, updated_at)"
				   " VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?5)"
				   " ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
				   " updated_at = excluded.updated_at",
				   params, 5, "登记本村", err);
	if (rc != TZ_OK)
		return rc;
	return store_audit(s, "village.register", code, kind, err);
}

int village_register(struct store *s, const char *name, const char *kind, struct tz_error *err)
{
	static const struct field_def kind_field = { "kind", "村类型", FIELD_ENUM, FIELD_REQUIRED,
						     0, 0, "village_kind", NULL };
	static const struct field_def name_field = { "name", "村名", FIELD_TEXT, FIELD_REQUIRED,
						     0, 40, NULL, NULL };
	char *code = NULL, *clean = NULL;
	int rc = field_check(s, &kind_field, kind, &code, err);
	if (rc == TZ_OK)
		rc = field_check(s, &name_field, name, &clean, err);
	int own_tx = !store_tx_active(s);
	if (rc == TZ_OK && own_tx)
		rc = store_tx_begin(s, err);
	if (rc == TZ_OK) {
		rc = write_row(s, clean, code, err);
		if (own_tx)
			rc = store_tx_end(s, rc, err);
	}
	free(code);
	free(clean);
	return rc;
}
