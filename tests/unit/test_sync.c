/*
 * test_sync.c — sync as a specification, against real store files: change
 * capture into the outbox, a round trip village → town → village with the
 * receipt clearing the outbox, every single-byte flip and every truncation of a
 * small bundle refused with nothing applied, a bundle whose contents claim
 * another village than its signing device refused, a town transaction that
 * would mix two villages' problems refused, and packed payloads (zstd; the
 * zlib ones of older bundles still read).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "../../src/sync/sync_internal.h"
#include "taizhang/bundle.h"
#include "taizhang/demo.h"
#include "taizhang/problem.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"
#include "taizhang/sync_keys.h"

#include "fixture.h"
#include "sync_fixture.h"

static const struct store_identity v2_id = { STORE_KIND_VILLAGE, "341522104202", "李庄村" };

/* Two villages and their town, each trusting the other (sync_fixture.h). */
static int setup(void **state)
{
	*state = sync_fixture_new(sizeof(struct sync_stores), &v2_id);
	return *state != NULL ? 0 : -1;
}

#define teardown sync_fixture_teardown

static char *export_one(struct sync_stores *f, struct store *s, const char *name)
{
	const char *dir = sync_fixture_folder(f->fx.dir, name);
	struct sync_export_result r;
	struct tz_error err;
	if (sync_export(s, dir, &r, &err) != TZ_OK)
		fail_msg("export: %s", err.msg);
	assert_int_equal(r.nfiles, 1);
	char *path = strdup(r.files[0].path);
	sync_export_result_free(&r);
	return path;
}

static int import_path(struct store *s, const char *path, enum sync_outcome *outcome,
		       char *message, size_t cap)
{
	struct sync_import_result r;
	struct tz_error err;
	int rc = sync_import(s, path, NULL, NULL, &r, &err);
	if (r.nitems > 0) {
		if (outcome)
			*outcome = r.items[0].outcome;
		if (message)
			snprintf(message, cap, "%s", r.items[0].message);
	}
	sync_import_result_free(&r);
	return rc;
}

static void capture_records_committed_transactions_only(void **state)
{
	struct sync_stores *f = *state;
	long long before = fixture_int(f->v1, "SELECT count(*) FROM sync_outbox");
	fixture_sql(f->v1, "INSERT INTO villager_groups(id, owner, village_code, name, created_at,"
		       " updated_at) VALUES ('aa', '341522104201', '341522104201', '一组', 'x', 'x')");
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM sync_outbox"), before + 1);

	struct tz_error err;
	assert_int_equal(store_tx_begin(f->v1, &err), TZ_OK);
	assert_int_equal(store_exec(f->v1, "UPDATE villager_groups SET name = '二组'", &err), TZ_OK);
	store_tx_rollback(f->v1);
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM sync_outbox"), before + 1);

	/* local tables (no owner column) are never captured */
	fixture_sql(f->v1, "INSERT INTO store_meta(key, value) VALUES ('test', '1')");
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM sync_outbox"), before + 1);
}

/* Found by tests/fuzz/fuzz_apply's setup: a folder without bundles once
 * passed NULL to qsort (undefined behaviour, caught by UBSan). */
static void an_empty_folder_imports_nothing(void **state)
{
	struct sync_stores *f = *state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s/empty", f->fx.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	struct sync_import_result r;
	struct tz_error err;
	assert_int_equal(sync_import(f->town, dir, NULL, NULL, &r, &err), TZ_OK);
	assert_int_equal(r.nitems, 0);
	sync_import_result_free(&r);
}

/* Found by tests/fuzz/fuzz_apply: SQLite 3.40 loops for ever reading a
 * changeset whose table name runs to the end without its NUL, and crashes
 * applying an UPDATE whose old primary key is undefined. The framing is
 * checked first (changeset.c): such changesets, or one cut inside a value,
 * are refused at once; every changeset SQLite itself records passes. */
static void a_changeset_framed_wrong_is_refused_not_looped_on(void **state)
{
	struct sync_stores *f = *state;
	struct demo_options o = { .households = 3, .seed = 5 };
	struct tz_error err;
	assert_int_equal(demo_populate(f->v1, &o, &err), TZ_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->v1), "SELECT changeset FROM sync_outbox", -1,
					    &st, NULL),
			 SQLITE_OK);
	int n = 0;
	for (; sqlite3_step(st) == SQLITE_ROW; n++) {
		const unsigned char *cs = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		assert_true(sync_changeset_well_formed(cs, len));
		assert_false(sync_changeset_well_formed(cs, len - 1)); /* cut in its last value */
	}
	sqlite3_finalize(st);
	assert_true(n > 0);

	static const unsigned char unterminated[] = "T\x09\x01\0\0\0\0\0\0\0\0projects";
	static const unsigned char patchset[] = "P\x01\x01t\0\x12\0\x05";
	/* an UPDATE of insurance whose old primary key is undefined (type 0):
	 * sqlite3changeset_apply read through a NULL pointer */
	static const unsigned char undefined_key[] =
		"T\011\001\000\000\000\000\000\000\000\000insurance\000\027\000\000\003 "
		"\000\000\000\000\003\0242019-04-20T0105eaab336355\000\000\000\000\000"
		"\000\000\003\0242019-04-20T01:00:00Z\000\000\000\000\000\000\000\000\003"
		"\0242019-05-01T00:00:00Z";
	assert_false(sync_changeset_well_formed(unterminated, sizeof unterminated - 1));
	assert_false(sync_changeset_well_formed(undefined_key, sizeof undefined_key - 1));
	assert_false(sync_changeset_well_formed(patchset, sizeof patchset - 1));
	struct apply_context a = { .s = f->town, .at_town = 1, .sender_code = "341522104201",
				   .village = "341522104201", .peer = "0011223344556677", .seq = 1 };
	assert_int_equal(store_tx_begin(f->town, &err), TZ_OK);
	assert_int_equal(apply_changeset(&a, unterminated, sizeof unterminated - 1, &err), TZ_EDAMAGED);
	assert_non_null(strstr(err.msg, "无法读取"));
	assert_int_equal(apply_changeset(&a, undefined_key, sizeof undefined_key - 1, &err), TZ_EDAMAGED);
	assert_non_null(strstr(err.msg, "无法读取"));
	store_tx_rollback(f->town);
	apply_context_free(&a);
}

/* Found by tests/fuzz/fuzz_snapshot's seed writer: a town whose device keys
 * were not made yet could not export a snapshot (the keys were made inside
 * the export's read transaction). */
static void a_town_without_keys_yet_exports_a_snapshot(void **state)
{
	struct sync_stores *f = *state;
	struct store *town = fixture_create_in(&f->fx, "fresh-town.tzs", &fixture_town_id); /* enrolled no one: no keys */
	struct demo_options o = { .households = 1, .seed = 2, .village_code = "341522104201" };
	struct tz_error err;
	assert_int_equal(demo_populate(town, &o, &err), TZ_OK);
	char *path = NULL, code[SYNC_RECOVERY_CODE_NCHARS + 1];
	size_t rows = 0;
	if (sync_snapshot_export(town, "341522104201", f->fx.dir, &path, code, &rows, &err) != TZ_OK)
		fail_msg("snapshot export: %s", err.msg);
	assert_non_null(path);
	assert_true(rows > 0);
	free(path);
	store_close(town);
}

static void round_trip_applies_and_receipt_clears_outbox(void **state)
{
	struct sync_stores *f = *state;
	struct demo_options o = { .households = 5, .seed = 3 };
	struct tz_error err;
	assert_int_equal(demo_populate(f->v1, &o, &err), TZ_OK);
	assert_true(fixture_int(f->v1, "SELECT count(*) FROM sync_outbox") > 0);

	char *bundle = export_one(f, f->v1, "out1");
	enum sync_outcome outcome;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(import_path(f->town, bundle, &outcome, msg, sizeof msg), TZ_OK);
	assert_int_equal(outcome, SYNC_APPLIED);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM members"),
			 fixture_int(f->v1, "SELECT count(*) FROM members"));
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM visits"),
			 fixture_int(f->v1, "SELECT count(*) FROM visits"));
	/* applied changes are not captured again at the town */
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_outbox"), 0);

	/* the same file again: a replay, nothing done */
	assert_int_equal(import_path(f->town, bundle, &outcome, NULL, 0), TZ_OK);
	assert_int_equal(outcome, SYNC_DUPLICATE);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_received"), 1);
	free(bundle);

	char *receipt = export_one(f, f->town, "out2");
	assert_int_equal(import_path(f->v1, receipt, &outcome, NULL, 0), TZ_OK);
	assert_int_equal(outcome, SYNC_APPLIED);
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM sync_outbox"), 0);
	assert_int_equal(fixture_int(f->v1, "SELECT count(*) FROM sync_sent WHERE bytes IS NOT NULL"), 0);
	free(receipt);
}

static unsigned char *read_all(const char *path, size_t *n)
{
	unsigned char *data;
	struct tz_error err;
	assert_int_equal(bundle_file_read(path, 1 << 20, &data, n, &err), TZ_OK);
	return data;
}

/* The nbytes at data, written to path, are refused by f's town as damaged;
 * else the test fails naming what was done to the bundle (what, at). */
static void refused_as_damaged(struct sync_stores *f, const char *path, const void *data,
			       size_t nbytes, const char *what, size_t at)
{
	fixture_write_file(path, data, nbytes);
	enum sync_outcome outcome = 0;
	int rc = import_path(f->town, path, &outcome, NULL, 0);
	if (rc != TZ_EDAMAGED || outcome != SYNC_REFUSED)
		fail_msg("%s %zu: status %d outcome %d", what, at, rc, (int)outcome);
}

static void every_flip_and_truncation_is_refused(void **state)
{
	struct sync_stores *f = *state;
	fixture_sql(f->v2, "INSERT INTO villager_groups(id, owner, village_code, name, created_at,"
		       " updated_at) VALUES ('bb', '341522104202', '341522104202', '一组', 'x', 'x')");
	char *bundle = export_one(f, f->v2, "small");
	size_t n;
	unsigned char *good = read_all(bundle, &n);
	assert_true(n < 2048);
	unsigned char *bad = malloc(n);
	char path[160];
	snprintf(path, sizeof path, "%s/bad.tzb", f->fx.dir);
	size_t refused = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(bad, good, n);
		bad[i] ^= 1;
		refused_as_damaged(f, path, bad, n, "flip at", i);
		refused++;
	}
	for (size_t len = 1; len < n; len++) {
		refused_as_damaged(f, path, good, len, "truncated to", len);
		refused++;
	}
	assert_int_equal(refused, 2 * n - 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_received"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villager_groups"), 0);
	/* and the pristine file still goes in */
	enum sync_outcome outcome;
	assert_int_equal(import_path(f->town, bundle, &outcome, NULL, 0), TZ_OK);
	assert_int_equal(outcome, SYNC_APPLIED);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villager_groups"), 1);
	free(bad);
	free(good);
	free(bundle);
}

/* Sign and encrypt payload p from the village store `from` to the town, as
 * the first bundle of its chain. */
static void forge(struct sync_stores *f, struct store *from, const struct payload *p, const char *path)
{
	struct bundle_header h = { .seq = 1 };
	sync_fixture_forge(from, f->town, &h, p, path);
}

static void contents_claiming_another_village_are_refused(void **state)
{
	struct sync_stores *f = *state;
	char path[160];
	snprintf(path, sizeof path, "%s/forged.tzb", f->fx.dir);
	char msg[TZ_ERROR_NBYTES];
	enum sync_outcome outcome;

	/* signed by village 1's device, claiming to be village 2 */
	struct payload p = { .kind = PAYLOAD_KIND_CHANGES, .from_kind = STORE_KIND_VILLAGE,
			     .outbox_from = 1, .outbox_upto = 0 };
	strcpy(p.from_code, "341522104202");
	strcpy(p.village, "341522104202");
	forge(f, f->v1, &p, path);
	assert_int_equal(import_path(f->town, path, &outcome, msg, sizeof msg), TZ_EDAMAGED);
	assert_int_equal(outcome, SYNC_REFUSED);
	assert_non_null(strstr(msg, "不符"));

	/* signed by village 1, honest header, but carrying village 2's rows */
	fixture_sql(f->v2, "INSERT INTO villager_groups(id, owner, village_code, name, created_at,"
		       " updated_at) VALUES ('cc', '341522104202', '341522104202', '二组', 'x', 'x')");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->v2),
					    "SELECT changeset FROM sync_outbox ORDER BY id DESC LIMIT 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	struct payload_entry e = { .outbox_id = 1,
				   .changeset = sqlite3_column_blob(st, 0),
				   .changeset_nbytes = (size_t)sqlite3_column_bytes(st, 0) };
	strcpy(p.from_code, "341522104201");
	strcpy(p.village, "341522104201");
	p.outbox_upto = 1;
	p.entries = &e;
	p.nentries = 1;
	forge(f, f->v1, &p, path);
	sqlite3_finalize(st);
	assert_int_equal(import_path(f->town, path, &outcome, msg, sizeof msg), TZ_EDAMAGED);
	assert_int_equal(outcome, SYNC_REFUSED);
	assert_non_null(strstr(msg, "不是发送方"));
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM villager_groups"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_received"), 0);
}

static void town_transaction_mixing_villages_is_refused(void **state)
{
	struct sync_stores *f = *state;
	fixture_sql(f->town, "INSERT INTO villages(code, owner, name, created_at, updated_at) VALUES"
			 " ('341522104201', '341522104201', '示范村', 'x', 'x'),"
			 " ('341522104202', '341522104202', '李庄村', 'x', 'x')");
	struct tz_error err;
	char id[IDS_NCHARS + 1];
	struct problem_spec spec = { .village_code = "341522104201", .area = 1, .task = 1,
				     .title = "派单一", .responsible_unit = "镇扶贫办",
				     .responsible_person = "张三", .deadline = "2019-05-30" };
	assert_int_equal(store_tx_begin(f->town, &err), TZ_OK);
	assert_int_equal(problem_create(f->town, &spec, id, &err), TZ_OK);
	spec.village_code = "341522104202";
	assert_int_equal(problem_create(f->town, &spec, id, &err), TZ_OK);
	assert_int_equal(store_tx_commit(f->town, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "一个村"));
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM problems"), 0);

	/* one village per transaction is fine, and routed to that village only */
	assert_int_equal(problem_create(f->town, &spec, id, &err), TZ_OK);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_outbox WHERE dest = '341522104202'"),
			 1);
}

static unsigned char repeating_cs[20000]; /* a changeset's bytes, repeating a text */

/* Encode a payload of village 341522104201 whose one entry (outbox id 5,
 * receipt 2) is repeating_cs filled with text (nbytes of it, repeated). */
static void encode_repeating(const char *text, size_t nbytes, unsigned char **plain,
			     size_t *plain_nbytes)
{
	for (size_t i = 0; i < sizeof repeating_cs; i++)
		repeating_cs[i] = (unsigned char)text[i % nbytes];
	struct payload_entry e = { .outbox_id = 5, .changeset = repeating_cs,
				   .changeset_nbytes = sizeof repeating_cs };
	struct payload p = { .kind = PAYLOAD_KIND_CHANGES, .from_kind = STORE_KIND_VILLAGE,
			     .ack_seq = 2, .outbox_from = 4, .outbox_upto = 6, .entries = &e,
			     .nentries = 1 };
	strcpy(p.from_code, "341522104201");
	strcpy(p.village, "341522104201");
	struct tz_error err;
	assert_int_equal(payload_encode(&p, plain, plain_nbytes, &err), TZ_OK);
}

static void packed_payloads_round_trip_and_lies_are_refused(void **state)
{
	(void)state;
	const unsigned char *cs = repeating_cs;
	unsigned char *plain, *packed;
	size_t plain_nbytes, packed_nbytes;
	struct tz_error err;
	encode_repeating("村民小组住户成员", 24, &plain, &plain_nbytes);
	payload_pack(plain, plain_nbytes, &packed, &packed_nbytes);
	assert_true(packed_nbytes < plain_nbytes / 10);
	struct payload q;
	assert_int_equal(payload_decode(packed, packed_nbytes, &q, &err), TZ_OK);
	assert_int_equal(q.nentries, 1);
	assert_int_equal(q.entries[0].outbox_id, 5);
	assert_int_equal(q.ack_seq, 2);
	assert_memory_equal(q.entries[0].changeset, cs, sizeof repeating_cs);
	payload_free(&q);
	/* a length claim that does not match the stream, either way, is refused */
	for (int delta = -1; delta <= 1; delta += 2) {
		unsigned char *lie = malloc(packed_nbytes);
		memcpy(lie, packed, packed_nbytes);
		uint64_t claimed = plain_nbytes + (uint64_t)(int64_t)delta;
		for (int i = 0; i < 8; i++)
			lie[4 + i] = (unsigned char)(claimed >> (8 * i));
		assert_int_equal(payload_decode(lie, packed_nbytes, &q, &err), TZ_EDAMAGED);
		free(lie);
	}
	/* and so is a stream cut short */
	assert_int_equal(payload_decode(packed, packed_nbytes - 1, &q, &err), TZ_EDAMAGED);
	free(plain);
	free(packed);
}

/* Bundles written before zstd carry a zlib stream ("TZPZ"): still read, and
 * a length that does not match the stream is still refused. */
static void zlib_payloads_of_older_bundles_are_still_read(void **state)
{
	(void)state;
	unsigned char *plain;
	size_t plain_nbytes;
	struct tz_error err;
	encode_repeating("户主配偶子女", 18, &plain, &plain_nbytes);
	uLongf zn = compressBound((uLong)plain_nbytes);
	unsigned char *old = malloc(12 + zn);
	assert_int_equal(compress2(old + 12, &zn, plain, (uLong)plain_nbytes, 6), Z_OK);
	memcpy(old, "TZPZ", 4);
	for (int i = 0; i < 8; i++)
		old[4 + i] = (unsigned char)((uint64_t)plain_nbytes >> (8 * i));
	struct payload q;
	assert_int_equal(payload_decode(old, 12 + zn, &q, &err), TZ_OK);
	assert_int_equal(q.entries[0].outbox_id, 5);
	assert_memory_equal(q.entries[0].changeset, repeating_cs, sizeof repeating_cs);
	payload_free(&q);
	old[4] ^= 1; /* the claimed length, one off */
	assert_int_equal(payload_decode(old, 12 + zn, &q, &err), TZ_EDAMAGED);
	free(old);
	free(plain);
}

/* Which tables a changeset may write with the store's triggers off
 * (search_note.c): read from the schema, so that a table with a trigger of
 * its own, or one a foreign-key action of a table reaches, keeps them on. */
static void tables_needing_the_stores_triggers_are_read_from_the_schema(void **state)
{
	struct sync_stores *f = *state;
	struct tz_error err;
	struct apply_context a = { .s = f->town };
	assert_int_equal(search_note_guarded(&a, "households"), 1); /* before loading: all */
	assert_int_equal(search_note_load(&a, &err), TZ_OK);
	assert_int_equal(search_note_guarded(&a, "reviews"), 1);
	assert_int_equal(search_note_guarded(&a, "audit_log"), 1);
	assert_int_equal(search_note_guarded(&a, "sync_device_keys"), 1);
	assert_int_equal(search_note_guarded(&a, "households"), 0);
	assert_int_equal(search_note_guarded(&a, "Members"), 0);
	assert_int_equal(search_note_guarded(&a, "villager_groups"), 0);
	assert_int_equal(search_note_guarded(&a, "visits"), 0);
	apply_context_free(&a);
	/* a table with a trigger, whose rows a cascade from households deletes */
	fixture_sql(f->town, "CREATE TABLE t_note(hid TEXT REFERENCES households(id) ON DELETE CASCADE);"
			     "CREATE TRIGGER t_note_guard BEFORE DELETE ON t_note BEGIN SELECT 1; END");
	struct apply_context b = { .s = f->town };
	assert_int_equal(search_note_load(&b, &err), TZ_OK);
	assert_int_equal(search_note_guarded(&b, "t_note"), 1);
	assert_int_equal(search_note_guarded(&b, "HOUSEHOLDS"), 1);
	assert_int_equal(search_note_guarded(&b, "members"), 0);
	apply_context_free(&b);
}

int main(void)
{
	if (sync_fixture_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(capture_records_committed_transactions_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(an_empty_folder_imports_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_town_without_keys_yet_exports_a_snapshot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_changeset_framed_wrong_is_refused_not_looped_on, setup,
						teardown),
		cmocka_unit_test_setup_teardown(round_trip_applies_and_receipt_clears_outbox, setup,
						teardown),
		cmocka_unit_test_setup_teardown(every_flip_and_truncation_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(contents_claiming_another_village_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(town_transaction_mixing_villages_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(tables_needing_the_stores_triggers_are_read_from_the_schema,
						setup, teardown),
		cmocka_unit_test(packed_payloads_round_trip_and_lies_are_refused),
		cmocka_unit_test(zlib_payloads_of_older_bundles_are_still_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
