/*
 * search_note.c — while SQLite applies a peer's changesets, the households
 * they write are noted for the search index (db/015) by TEMP triggers of the
 * import's own, with the store's triggers switched off.
 *
 * Why: the store's triggers on households, members and villager_groups note a
 * household by inserting into the view search_refresh, whose two INSTEAD OF
 * triggers each read search_state before one of them inserts into
 * search_dirty: five trigger programs and two subqueries for every row a
 * bundle writes (7% of an import's instructions). During an import the
 * answer is known (search_state.deferred is 1: note, refresh at the end), so
 * the TEMP triggers here insert into search_dirty directly, for exactly the
 * rows and columns the store's triggers watch. SQLite runs only TEMP triggers
 * while SQLITE_DBCONFIG_ENABLE_TRIGGER is off; foreign-key actions still run,
 * and the rows they change fire the TEMP triggers like any other.
 *
 * The store's other triggers must not be skipped: reviews_move_project moves
 * a village's project when the town's review arrives, and the guards of the
 * audit log and the device keys refuse what they refuse. So the store's
 * triggers stay on for a changeset that writes a table with any trigger other
 * than the nine noting ones (SEARCH_TRIGGERS), or a table whose foreign-key
 * actions can reach one (a cascade from it writes there); which tables those
 * are is read from the schema (guarded_sql), not listed here: a trigger a
 * later migration adds, or renames, keeps them on until this file knows it. A
 * changeset whose tables are not all this store's (its framing walk failed)
 * keeps them on too.
 *
 * Lifetime: the TEMP triggers are made inside the bundle's transaction when
 * its first changeset is applied and dropped by search_note_end before the
 * refresh; when the bundle is refused the rollback removes them with
 * everything else. The store's triggers are switched back on by
 * search_note_end and by apply_context_free, whatever happened between.
 * Switching costs SQLite a re-preparation of every statement, so it happens
 * when a changeset needs the other state than its predecessor, not per
 * changeset.
 */
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"
#include "taizhang/vec.h"

/* The store's triggers (db/015) that only note households for the search
 * index, which the TEMP triggers below stand in for. */
#define SEARCH_TRIGGERS                                                            \
	"'search_household_insert', 'search_household_delete', 'search_household_update'," \
	" 'search_member_insert', 'search_member_delete', 'search_member_update',"        \
	" 'search_group_insert', 'search_group_delete', 'search_group_update'"

/* The tables whose changes need the store's triggers: those with a trigger
 * other than SEARCH_TRIGGERS, and every table from which a foreign key's
 * action (cascade, set null, set default) reaches one of them. */
static const char guarded_sql[] =
	"WITH RECURSIVE guarded(name) AS ("
	" SELECT tbl_name FROM main.sqlite_schema WHERE type = 'trigger'"
	"  AND name NOT IN (" SEARCH_TRIGGERS ")"
	" UNION"
	" SELECT f.\"table\" FROM guarded g, pragma_foreign_key_list(g.name) f"
	"  WHERE f.on_delete NOT IN ('NO ACTION', 'RESTRICT')"
	"   OR f.on_update NOT IN ('NO ACTION', 'RESTRICT'))"
	" SELECT name FROM guarded";

/* The TEMP triggers: the store's SEARCH_TRIGGERS with search_state.deferred
 * = 1 taken as given (the import sets it: browse_search_defer). The same
 * events and columns. */
static const char note_sql[] =
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_household_insert AFTER INSERT ON main.households BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id) VALUES (NEW.id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_household_delete AFTER DELETE ON main.households BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id) VALUES (OLD.id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_household_update"
	" AFTER UPDATE OF id, village_code, status, group_id ON main.households BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id) SELECT OLD.id WHERE OLD.id IS NOT NEW.id;"
	" INSERT OR IGNORE INTO search_dirty(household_id) VALUES (NEW.id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_member_insert AFTER INSERT ON main.members BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id) VALUES (NEW.household_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_member_delete AFTER DELETE ON main.members BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id) VALUES (OLD.household_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_member_update"
	" AFTER UPDATE OF household_id, name, idcard, relation, status ON main.members BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id)"
	"  SELECT OLD.household_id WHERE OLD.household_id IS NOT NEW.household_id;"
	" INSERT OR IGNORE INTO search_dirty(household_id) VALUES (NEW.household_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_group_insert AFTER INSERT ON main.villager_groups BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id)"
	"  SELECT id FROM households WHERE group_id = NEW.id; END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_group_delete AFTER DELETE ON main.villager_groups BEGIN"
	" INSERT OR IGNORE INTO search_dirty(household_id)"
	"  SELECT id FROM households WHERE group_id = OLD.id; END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS tz_note_group_update AFTER UPDATE OF id, name ON main.villager_groups"
	" BEGIN INSERT OR IGNORE INTO search_dirty(household_id)"
	"  SELECT id FROM households WHERE group_id IN (OLD.id, NEW.id); END;";

static const char drop_sql[] =
	"DROP TRIGGER IF EXISTS temp.tz_note_household_insert;"
	"DROP TRIGGER IF EXISTS temp.tz_note_household_delete;"
	"DROP TRIGGER IF EXISTS temp.tz_note_household_update;"
	"DROP TRIGGER IF EXISTS temp.tz_note_member_insert;"
	"DROP TRIGGER IF EXISTS temp.tz_note_member_delete;"
	"DROP TRIGGER IF EXISTS temp.tz_note_member_update;"
	"DROP TRIGGER IF EXISTS temp.tz_note_group_insert;"
	"DROP TRIGGER IF EXISTS temp.tz_note_group_delete;"
	"DROP TRIGGER IF EXISTS temp.tz_note_group_update;";

static void store_triggers(struct apply_context *a, int on)
{
	if (a->store_triggers_off == !on)
		return;
	sqlite3_db_config(store_db(a->s), SQLITE_DBCONFIG_ENABLE_TRIGGER, on, (int *)NULL);
	a->store_triggers_off = !on;
}

int search_note_load(struct apply_context *a, struct tz_error *err)
{
	if (a->guarded != NULL)
		return TZ_OK;
	sqlite3_stmt *st;
	int rc = store_prepare(a->s, guarded_sql, &st, "准备导入修改", err);
	if (rc != TZ_OK)
		return rc;
	struct vec_text names = { 0 };
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		vec_text_puts(&names, name != NULL ? name : "");
		vec_text_add(&names, "", 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(names.text);
		return store_sqlite_error(a->s, rc, "准备导入修改", err);
	}
	vec_text_add(&names, "", 1); /* the list ends with an empty name */
	a->guarded = names.text;
	return TZ_OK;
}

int search_note_guarded(const struct apply_context *a, const char *table)
{
	for (const char *g = a->guarded; g != NULL && *g != '\0'; g += strlen(g) + 1)
		if (sqlite3_stricmp(g, table) == 0)
			return 1;
	return a->guarded == NULL; /* not loaded: every table is */
}

int search_note_apply_with(struct apply_context *a, int store_triggers_needed,
			   struct tz_error *err)
{
	if (!store_triggers_needed && !a->noting) {
		int rc = sqlite3_exec(store_db(a->s), note_sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return store_sqlite_error(a->s, rc, "准备查找索引", err);
		a->noting = 1;
	}
	/* With the store's triggers on, its own note the households too (the
	 * TEMP ones, when made, note them again: search_dirty keeps one). */
	store_triggers(a, store_triggers_needed);
	return TZ_OK;
}

int search_note_end(struct apply_context *a, struct tz_error *err)
{
	store_triggers(a, 1);
	if (!a->noting)
		return TZ_OK;
	a->noting = 0;
	int rc = sqlite3_exec(store_db(a->s), drop_sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? TZ_OK : store_sqlite_error(a->s, rc, "更新查找索引", err);
}

void search_note_free(struct apply_context *a)
{
	store_triggers(a, 1);
	free(a->guarded);
	a->guarded = NULL;
}
