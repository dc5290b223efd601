/*
 * fuzz_apply.c — a libFuzzer target for the town judging a village's changes
 * (apply_changeset, src/sync/apply.c and authz.c), behind a valid signature:
 * what an enrolled village could send after editing its own store with plain
 * SQL, or what a stolen village laptop could sign.
 *
 * Set up once per process, in a temporary folder: a town store and two
 * enrolled villages filled by the demo (3 and 2 households), each exported
 * and imported at the town, so the town holds rows of both. Each input then
 * goes to the town inside a transaction that is rolled back afterwards, so
 * inputs are independent. The first byte picks how:
 *   bit 0  the sender: village 1 (0) or village 2 (1);
 *   bit 1  the rest is one changeset (0), or a payload (payload.c, packed or
 *          not) whose entries are applied in turn (1), as an import does.
 * Any outcome (refused, conflicts, applied) is fine; a crash, a sanitizer
 * report or a transaction left open is a finding.
 *
 * Seeds (TZ_FUZZ_SEEDS=DIR), each bare and in a payload: the changesets both
 * villages' stores recorded in their outboxes (edits and deletions made after
 * the first export; the demo's own, too long, left out), and per table with
 * rows a deletion, an insertion and an update of one real row, as a session
 * records them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sync/sync_internal.h"
#include "fuzz_common.h"
#include "taizhang/demo.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"

#define V1 "341522104201"
#define V2 "341522104202"
#define TOWN "341522104000"

struct world {
	struct store *town, *v1, *v2;
	char peer1[SYNC_DEVICE_ID_NCHARS + 1], peer2[SYNC_DEVICE_ID_NCHARS + 1];
};

static void fail(const char *what, const struct tz_error *err)
{
	fprintf(stderr, "fuzz_apply setup: %s: %s\n", what, err->msg);
	exit(1);
}

/* A village store of code filled by the demo (its own seed: row ids differ
 * between villages), trusting town and enrolled
 * there; its device id (hex) into peer. */
static struct store *village(struct store *town, const char *name, const char *code,
			     unsigned households, uint64_t demo_seed, char peer[SYNC_DEVICE_ID_NCHARS + 1])
{
	struct store *v = fuzz_store_create(name, STORE_KIND_VILLAGE, code, "村");
	struct sync_public_key vk, tk;
	enum sync_change change;
	struct tz_error err;
	if (sync_keys_public(v, &vk, &err) != TZ_OK || sync_keys_public(town, &tk, &err) != TZ_OK ||
	    sync_trust_town(v, &tk, 0, &change, &err) != TZ_OK ||
	    sync_enroll(town, &vk, 0, &change, &err) != TZ_OK)
		fail("link", &err);
	sync_device_id_hex(vk.device_id, peer);
	struct demo_options o = { .households = households, .seed = demo_seed };
	if (demo_populate(v, &o, &err) != TZ_OK)
		fail("demo", &err);
	return v;
}

/* Export v into a fresh folder and import that at the town. */
static void village_to_town(struct world *w, struct store *v)
{
	const char *dir = fuzz_path("stick");
	tree_remove(dir);
	if (mkdir(dir, 0700) != 0) {
		perror(dir);
		exit(1);
	}
	struct sync_export_result er;
	struct sync_import_result ir;
	struct tz_error err;
	if (sync_export(v, dir, &er, &err) != TZ_OK)
		fail("export", &err);
	if (er.nfiles == 0) {
		fprintf(stderr, "fuzz_apply setup: nothing to export\n");
		exit(1);
	}
	sync_export_result_free(&er);
	if (sync_import(w->town, dir, NULL, NULL, &ir, &err) != TZ_OK) {
		for (size_t i = 0; i < ir.nitems; i++)
			fprintf(stderr, "%s\n", ir.items[i].message);
		fail("import", &err);
	}
	sync_import_result_free(&ir);
}

static struct world *world_get(void)
{
	static struct world w;
	if (w.town != NULL)
		return &w;
	store_set_open_hook(sync_capture_attach); /* as main does: writes are captured */
	w.town = fuzz_store_create("town.tzs", STORE_KIND_TOWN, TOWN, "城关镇");
	w.v1 = village(w.town, "v1.tzs", V1, 3, 1, w.peer1);
	w.v2 = village(w.town, "v2.tzs", V2, 2, 2, w.peer2);
	village_to_town(&w, w.v1);
	village_to_town(&w, w.v2);
	return &w;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size < 1)
		return 0;
	struct world *w = world_get();
	int second = data[0] & 1;
	struct apply_context a = { .s = w->town, .at_town = 1, .sender_code = second ? V2 : V1,
				   .village = second ? V2 : V1,
				   .peer = second ? w->peer2 : w->peer1, .seq = 1 };
	struct tz_error err;
	sync_capture_pause(w->town, 1);
	if (store_tx_begin(w->town, &err) != TZ_OK)
		abort();
	/* exact-size copy: a read past the end is caught */
	size_t n = size - 1;
	unsigned char *body = malloc(n ? n : 1);
	if (body == NULL)
		abort();
	memcpy(body, data + 1, n);
	if (data[0] & 2) {
		struct payload p;
		if (payload_decode(body, n, &p, &err) == TZ_OK) {
			for (size_t i = 0; i < p.nentries; i++)
				if (apply_changeset(&a, p.entries[i].changeset,
						    p.entries[i].changeset_nbytes, &err) != TZ_OK)
					break;
			payload_free(&p);
		}
	} else {
		apply_changeset(&a, body, n, &err);
	}
	apply_context_free(&a);
	if (!store_tx_active(w->town))
		abort(); /* apply must leave the caller's transaction to the caller */
	store_tx_rollback(w->town);
	sync_capture_pause(w->town, 0);
	free(body);
	return 0;
}

/* cs as two seeds of sender: bare, and in a packed payload. */
static void changeset_seeds(const char *dir, const char *name, int sender, const char *code,
			    uint64_t id, const void *cs, size_t n)
{
	if (n > 8000)
		return; /* longer than run.sh's -max_len */
	fuzz_seed_write_mode(dir, name, (unsigned char)sender, cs, n);
	struct payload_entry e = { .outbox_id = id, .changeset = cs, .changeset_nbytes = n };
	struct payload p = { .kind = PAYLOAD_KIND_CHANGES, .from_kind = STORE_KIND_VILLAGE,
			     .outbox_from = id, .outbox_upto = id, .entries = &e, .nentries = 1 };
	snprintf(p.from_code, sizeof p.from_code, "%s", code);
	snprintf(p.village, sizeof p.village, "%s", code);
	unsigned char *plain, *packed;
	size_t plain_n, packed_n;
	struct tz_error err;
	if (payload_encode(&p, &plain, &plain_n, &err) != TZ_OK)
		exit(1);
	payload_pack(plain, plain_n, &packed, &packed_n);
	char pname[128];
	snprintf(pname, sizeof pname, "%s-payload", name);
	fuzz_seed_write_mode(dir, pname, (unsigned char)(sender | 2), packed, packed_n);
	free(plain);
	free(packed);
}

/* Every changeset in v's outbox that is small enough, as seeds. */
static void outbox_seeds(const char *dir, struct store *v, const char *code, int sender)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(v), "SELECT id, changeset FROM sync_outbox ORDER BY id", -1,
			       &st, NULL) != SQLITE_OK)
		exit(1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		char name[64];
		snprintf(name, sizeof name, "%s-outbox-%lld", code, id);
		changeset_seeds(dir, name, sender, code, (uint64_t)id, sqlite3_column_blob(st, 1),
				(size_t)sqlite3_column_bytes(st, 1));
	}
	sqlite3_finalize(st);
}

/* The changeset of sql run on v's database (a session on every table), rolled
 * back; NULL when it records nothing. */
static void *session_changeset(struct store *v, const char *sql, int *n)
{
	sqlite3 *db = store_db(v);
	sqlite3_session *session;
	void *cs = NULL;
	*n = 0;
	sqlite3_exec(db, "PRAGMA defer_foreign_keys = ON; BEGIN", NULL, NULL, NULL);
	if (sqlite3session_create(db, "main", &session) != SQLITE_OK)
		exit(1);
	sqlite3session_attach(session, NULL);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		sqlite3session_changeset(session, n, &cs);
	sqlite3session_delete(session);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	if (*n == 0) {
		sqlite3_free(cs);
		return NULL;
	}
	return cs;
}

/* Per table of the village that has rows: a deletion of one row, its
 * inverse (the row inserted), and an update of the row's updated_at. */
static void table_seeds(const char *dir, struct store *v, const char *code, int sender)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(v),
			       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE"
			       " 'sync\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'"
			       " AND name NOT IN ('audit_log', 'store_meta') ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		exit(1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		char sql[512], name[128];
		int n;
		snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE rowid = (SELECT min(rowid) FROM \"%s\")",
			 t, t);
		void *cs = session_changeset(v, sql, &n);
		if (cs == NULL)
			continue;
		snprintf(name, sizeof name, "%s-%s-delete", code, t);
		changeset_seeds(dir, name, sender, code, 1, cs, (size_t)n);
		int in;
		void *inv;
		if (sqlite3changeset_invert(n, cs, &in, &inv) == SQLITE_OK) {
			snprintf(name, sizeof name, "%s-%s-insert", code, t);
			changeset_seeds(dir, name, sender, code, 1, inv, (size_t)in);
			sqlite3_free(inv);
		}
		sqlite3_free(cs);
		snprintf(sql, sizeof sql, "UPDATE \"%s\" SET updated_at = '2019-05-01T00:00:00Z'"
			 " WHERE rowid = (SELECT min(rowid) FROM \"%s\")", t, t);
		cs = session_changeset(v, sql, &n);
		if (cs == NULL)
			continue;
		snprintf(name, sizeof name, "%s-%s-update", code, t);
		changeset_seeds(dir, name, sender, code, 1, cs, (size_t)n);
		sqlite3_free(cs);
	}
	sqlite3_finalize(st);
}

static int write_seeds(const char *dir)
{
	struct world *w = world_get();
	/* edits after the first export: updates and deletions the town has rows for */
	fuzz_sql(w->v1, "UPDATE households SET address = address || '（新址）'"
			" WHERE rowid = (SELECT min(rowid) FROM households)");
	fuzz_sql(w->v1, "DELETE FROM visits WHERE rowid = (SELECT max(rowid) FROM visits)");
	fuzz_sql(w->v1, "DELETE FROM family_doctor WHERE rowid = (SELECT max(rowid) FROM family_doctor)");
	fuzz_sql(w->v2, "UPDATE villager_groups SET name = name || '甲'");
	outbox_seeds(dir, w->v1, V1, 0);
	outbox_seeds(dir, w->v2, V2, 1);
	table_seeds(dir, w->v1, V1, 0);
	table_seeds(dir, w->v2, V2, 1);
	return 0;
}

FUZZ_SEEDS_FROM(write_seeds)
