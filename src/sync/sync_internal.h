/*
 * sync_internal.h — what the files of src/sync/ share and nothing else sees: the
 * payload codec (payload.c), applying a peer's changesets (apply.c), and small
 * helpers.
 */
#ifndef TAIZHANG_SYNC_INTERNAL_H
#define TAIZHANG_SYNC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "taizhang/error.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"

/* ---- payload (payload.c) ---- */

#define PAYLOAD_VERSION 1
#define PAYLOAD_KIND_CHANGES 1
#define PAYLOAD_KIND_SNAPSHOT 2 /* snapshot.c: a whole village, to restore */

struct payload_entry {
	uint64_t outbox_id;          /* the sender's outbox id, > the previous entry's */
	const unsigned char *changeset; /* borrowed from the payload bytes / the encoder's input */
	size_t changeset_nbytes;
};

struct payload {
	uint8_t kind;                             /* PAYLOAD_KIND_CHANGES */
	uint8_t from_kind;                        /* enum store_kind of the sender */
	char from_code[SYNC_CODE_NCHARS + 1];     /* the sender store's division code */
	char village[SYNC_CODE_NCHARS + 1];       /* the village the bundle concerns */
	uint64_t ack_seq;                         /* receipt: the receiver's seqs applied */
	uint64_t outbox_from, outbox_upto;        /* entries carried lie in from..upto */
	struct payload_entry *entries;
	size_t nentries;
	unsigned char *inflated; /* decoder's own copy of a packed payload (internal) */
	size_t inflated_nbytes;
};

/* Encode p into *out (malloc'd, *out_nbytes). TZ_OK or TZ_EFAIL (memory). */
int payload_encode(const struct payload *p, unsigned char **out, size_t *out_nbytes,
		   struct tz_error *err);

/* Pack an encoded payload for a bundle: compressed (zstd; payload_decode
 * also reads the zlib form of older bundles) when that makes it smaller,
 * else as it is. *out is malloc'd (caller frees). */
void payload_pack(const unsigned char *plain, size_t nbytes, unsigned char **out,
		  size_t *out_nbytes);
/* payload_encode then payload_pack, the encoded plaintext wiped and freed:
 * what a bundle or snapshot carries. */
int payload_encode_packed(const struct payload *p, unsigned char **out, size_t *out_nbytes,
			  struct tz_error *err);

/* Parse nbytes of data (an encoded payload, packed or not) into p; p->entries (malloc'd, free with payload_free)
 * point into data (or into p's own inflated copy), which must outlive p. TZ_OK or TZ_EDAMAGED naming what is
 * wrong. */
int payload_decode(const unsigned char *data, size_t nbytes, struct payload *p,
		   struct tz_error *err);
void payload_free(struct payload *p);

/* ---- where an import's time goes (phases.c) ---- */

/* The clock of one import: seconds charged to each enum sync_import_phase. */
struct sync_phases {
	double *seconds; /* SYNC_PHASES of them */
	int current;
	double since;
};

/* Start charging to phase (now). */
void sync_phases_start(struct sync_phases *p, double *seconds, int phase);
/* Charge the time since the last switch to the current phase and go on in
 * phase next; returns the phase left, to come back to. Does nothing (and
 * returns next) when p is NULL. */
int sync_phase(struct sync_phases *p, int next);

/* ---- judging a peer's change (authz.c) ---- */

#define SYNC_MAX_COLS 64
#define SYNC_MAX_FKS 8

struct sync_fk {
	int col;             /* the child's column */
	char parent[64];     /* the parent table, as the schema names it */
	char parent_col[64]; /* its column the child's points at */
};

/* A table of this store, as its schema has it (name in its own case). */
struct field_def; /* taizhang/model.h */

struct sync_table {
	char name[64];
	int ncol, npk;
	unsigned char pk[SYNC_MAX_COLS];
	char *colname[SYNC_MAX_COLS];
	int owner_col, village_col; /* -1 when absent */
	int reference;              /* reference data, written by the town only */
	struct sync_fk fks[SYNC_MAX_FKS];
	int nfk;
	/* How each column's values are judged (rule A5), looked up once:
	 * the model's field, else the code list of a state column, else NULL. */
	const struct field_def *field[SYNC_MAX_COLS];
	const char *state_list[SYNC_MAX_COLS];
};

struct sync_village_slot {
	char *key; /* "table\x1fcolumn\x1fvalue"; NULL: free slot */
	char village[SYNC_CODE_NCHARS + 1];
};

/* A text value a column of a table accepted (rule A5), remembered. */
#define SYNC_MEMO_MAX_NBYTES 40
struct sync_memo_slot {
	const struct sync_table *t; /* NULL: empty */
	int col;
	unsigned nbytes;
	unsigned char bytes[SYNC_MEMO_MAX_NBYTES];
};

/* The statement reading a parent row of t by col (one of stmts). */
struct sync_chain_stmt {
	const struct sync_table *t;
	char col[64];
	sqlite3_stmt *st;
};

struct sync_cached_stmt {
	char *sql;
	sqlite3_stmt *st;
};

/* What judging a bundle's changes reads over and over, kept for the bundle:
 * the tables met so far (each loaded once), prepared statements, the code
 * lists. Zero it and set db; free with sync_tables_free (before the store
 * closes). */
struct sync_tables {
	sqlite3 *db;
	struct sync_table **v;
	size_t n, cap;
	struct sync_cached_stmt *stmts;
	size_t nstmts, stmts_cap;
	char **codes; /* "list\x1fcode", sorted; loaded on first use */
	size_t ncodes, codes_cap;
	int codes_loaded;
	struct sync_village_slot *slots; /* villages of parent rows (authz.c) */
	size_t nslots, nused;            /* nslots: 0 or a power of two */
	const struct sync_table *last;   /* the table resolved last (changes come
					    table by table) */
	struct sync_memo_slot *memo;     /* values a column accepted (authz.c) */
	struct sync_chain_stmt *chain_stmts; /* parent rows by (table, column) (authz.c) */
	size_t nchain_stmts, chain_stmts_cap;
};

/* A copy of v (NULL for NULL), freed with sqlite3_value_free; aborts on out
 * of memory as xalloc.h does. */
sqlite3_value *sync_value_dup(const sqlite3_value *v);

/* The table of this store named name in any case (rule A2), or NULL when
 * there is none. Valid until sync_tables_free. */
const struct sync_table *sync_tables_resolve(struct sync_tables *ts, const char *name);
void sync_tables_free(struct sync_tables *ts);
/* The statement for sql, prepared once per bundle, reset and without
 * bindings; the caller steps it and resets it, never finalizes it. NULL when
 * it cannot be prepared. */
sqlite3_stmt *sync_stmt(struct sync_tables *ts, const char *sql);
/* Forget the code lists read so far, and every value judged by them (a
 * change to code_list was applied). */
void sync_codes_forget(struct sync_tables *ts);
/* The position of column name in t, or -1. */
int sync_table_column(const struct sync_table *t, const char *name);

/* Append to sql (cap bytes, used so far) the primary key condition of t,
 * '"k1" IS ?first AND "k2" IS ?first+1 ...'. Returns the new length (>= cap:
 * did not fit). */
size_t sync_where_key(const struct sync_table *t, char *sql, size_t cap, size_t used, int first);

/* A row as it stands here: values dup'd (free with sync_row_free). */
struct sync_row {
	int found;
	int ncol;
	sqlite3_value *v[SYNC_MAX_COLS];
};

/* The row of t the change at it names by its primary key (new values of an
 * insert, old of an update or delete), into row. SQLITE_OK or an error. */
int sync_current_row(struct sync_tables *ts, sqlite3_changeset_iter *it, const struct sync_table *t,
		     int op, struct sync_row *row);
void sync_row_free(struct sync_row *row);

/* The village row of t belongs to, following its foreign keys up to a row
 * that names its village (village_code; a village's code; else the owner),
 * into village ("" when a parent is missing); *reference when it is reference
 * data. depth: 0. SQLITE_OK or an error. */
int sync_row_village(struct sync_tables *ts, const struct sync_table *t, const struct sync_row *row,
		     int depth, char village[SYNC_CODE_NCHARS + 1], int *reference);

/* Rule A3: every parent row of row (by the schema's foreign keys) exists and
 * belongs to village (reference data aside). SQLITE_OK; SQLITE_CONSTRAINT with
 * why (the column, and whose the parent is); another code on a read error. */
int sync_check_parents(struct sync_tables *ts, const struct sync_table *t, const struct sync_row *row,
		       const char *village, char *why, size_t cap);

/* Rule A5: value v of column col of t is one the forms would store (the
 * model's field, a procedure's code list, a 12-digit code, the text rule).
 * TZ_OK or TZ_EFAIL naming the field. */
int sync_check_value(struct store *s, struct sync_tables *ts, const struct sync_table *t, int col,
		     sqlite3_value *v, struct tz_error *err);

/* Column col of the change's key: the new value of an insert, the old one of
 * an update or delete (borrowed from the iterator). */
sqlite3_value *sync_key_value(sqlite3_changeset_iter *it, int op, int col);
/* The primary key of the change as text ("a|b"), sanitized, malloc'd. */
char *sync_row_key(sqlite3_changeset_iter *it, const struct sync_table *t, int op);
/* The same text not sanitized yet (text_sanitize before it is shown or
 * stored), malloc'd: to keep for a message that may never be needed. */
char *sync_row_key_raw(sqlite3_changeset_iter *it, const struct sync_table *t, int op);
const char *sync_value_text(sqlite3_value *v);
/* Bind v to parameter i of q; SQL NULL when v is NULL. */
void sync_bind_value(sqlite3_stmt *q, int i, sqlite3_value *v);
int sync_values_equal(sqlite3_value *a, sqlite3_value *b);

/* ---- listings (ledger.c) ---- */

/* A ledger an officer reads (conflicts, refusals, proposals): every row of
 * sql (?1 = all) is id, at, village, seq, then texts; each item a struct with
 * those fields at the offsets given, the texts as malloc'd, sanitized char *
 * (NULL for SQL NULL), declared one after the other in column order. One
 * reader and one free for all of them (ledger.c). */
struct sync_list {
	size_t item_nbytes;
	size_t id_at, stamp_at, village_at, seq_at; /* offsetof: long long, char[], char[], uint64_t */
	size_t texts_at, ntexts;                    /* offsetof the first char *, how many */
	const char *what;                           /* for a message: 读取冲突台账 */
	const char *sql;                            /* the rows, ?1 = all */
};

/* The layout part of a struct sync_list for struct type, whose texts are the
 * char * members first .. last (declared together, in column order). */
#define SYNC_LIST_HEAD(type, first, last)                                                    \
	sizeof(struct type), offsetof(struct type, id), offsetof(struct type, at),           \
		offsetof(struct type, village), offsetof(struct type, seq),                  \
		offsetof(struct type, first),                                                \
		(offsetof(struct type, last) - offsetof(struct type, first)) / sizeof(char *) + 1

/* Run how->sql (?1 = all) and collect one item per row into *out (malloc'd
 * array of *n items; on failure freed and NULL). TZ_OK or the error. */
int sync_list_rows(struct store *s, int all, const struct sync_list *how, void **out, size_t *n,
		   struct tz_error *err);
/* Free n items read by sync_list_rows with how, and their texts. */
void sync_list_free(const struct sync_list *how, void *items, size_t n);

/* Mark open row id of an officer's ledger decided (ledger.c): sql is the
 * UPDATE, with ?1 id, ?2 now, ?3 the store's user, ?4 note and, when extra is
 * not NULL, ?5 extra (a proposal's new state). *found: whether a row was open
 * (and is now marked). An error names what. */
int sync_ledger_mark(struct store *s, const char *sql, long long id, const char *now,
		     const char *note, const char *extra, int *found, const char *what,
		     struct tz_error *err);
/* store_audit with subject id, as the ledgers' decisions are audited. */
int sync_ledger_audit(struct store *s, const char *action, long long id, const char *note,
		      struct tz_error *err);

/* Define the public pair of a ledger of struct type read as how says:
 * int list_fn(struct store *s, int all, struct type **out, size_t *n, struct tz_error *err)
 * and void free_fn(struct type *items, size_t n). */
#define SYNC_LIST_DEFINE(list_fn, free_fn, type, how)                                         \
	int list_fn(struct store *s, int all, struct type **out, size_t *n, struct tz_error *err) \
	{                                                                                     \
		void *items;                                                                  \
		int rc = sync_list_rows(s, all, &(how), &items, n, err);                      \
		*out = items;                                                                 \
		return rc;                                                                    \
	}                                                                                     \
	void free_fn(struct type *items, size_t n)                                            \
	{                                                                                     \
		sync_list_free(&(how), items, n);                                             \
	}


/* ---- changes set aside for the town (setaside.c) ---- */

struct pending_proposal;
struct apply_context;

/* The changes of one changeset set aside; zero it. */
struct sync_setaside {
	struct pending_proposal *v;
	size_t n, cap;
	size_t npartial; /* of n, those of a change applied in part (add_column) */
};

/* Set aside the change at it to t (op), with the row as it stands here (row,
 * whose values it takes over) and what is asked (summary, sanitized here).
 * Aborts on out of memory (xalloc.h). */
void sync_setaside_add(struct sync_setaside *sa, sqlite3_changeset_iter *it, const struct sync_table *t,
		      int op, struct sync_row *row, const char *summary);
/* Set aside one column of the insert at it to t: the insert is applied (it
 * is not set aside itself), but with column col put back to value (dup'd)
 * afterwards, and the column's inserted value kept as a proposal to update it
 * (e.g. a project new to the town that arrives at a stage only the town
 * gives). Aborts on out of memory. */
void sync_setaside_add_column(struct sync_setaside *sa, sqlite3_changeset_iter *it,
			      const struct sync_table *t, int col, const sqlite3_value *value,
			      const char *summary);
/* Whether the change at it was set aside (same table, op and key). */
int sync_setaside_has(const struct sync_setaside *sa, struct sync_tables *ts,
		      sqlite3_changeset_iter *it);
/* After the apply: put every set-aside row back as it stood, and record each
 * change as a proposal of a's sender (a->proposals counts them). TZ_OK or
 * the store's error. */
int sync_setaside_record(const struct sync_setaside *sa, struct apply_context *a, struct tz_error *err);
void sync_setaside_free(struct sync_setaside *sa);

/* Bind the values key[] of t's primary key columns from parameter first on. */
void sync_bind_key(sqlite3_stmt *q, const struct sync_table *t, sqlite3_value *const *key, int first);

/* ---- refused bundles (refused.c, rule A8) ---- */

/* At the town: answer village about its bundle seq (file_name, hash) refused
 * for reason, inside the caller's transaction; once per file. TZ_OK or the
 * store's error. */
int sync_refused_answer(struct store *s, const char *village, uint64_t seq, const char *file_name,
			const char *reason, const unsigned char hash[32], struct tz_error *err);
/* At the town: whether the bundle file of hash was refused here. */
int sync_refused_known(struct store *s, const unsigned char hash[32]);
/* At a village: when the town refused one of our unacknowledged bundles to
 * peer, drop it and the ones after it and combine their outbox entries into
 * one, in one transaction; *rewound gets the refused seq (0: none). */
int sync_refused_rewind(struct store *s, const char *peer, uint64_t *rewound, struct tz_error *err);

/* ---- apply (apply.c) ---- */

/* Who sent the changes being applied, and where they land. */
struct apply_context {
	struct store *s;
	int at_town;                            /* this store is the town's */
	int snapshot;                           /* restoring a town-signed snapshot:
						   every synced table allowed */
	const char *sender_code;                /* the sender store's division code */
	const char *village;                    /* the village concerned */
	const char *peer;                       /* sender device id, hex */
	uint64_t seq;
	size_t changes;                         /* out: rows changed */
	size_t conflicts;                       /* out: conflict ledger rows added */
	size_t proposals;                       /* out: changes set aside for the town */
	struct sync_tables *tables;             /* kept across the bundle's changesets
						   (apply.c; free with apply_context_free) */
	struct sync_phases *phases;             /* the import's clock, or NULL */
	int search_deferred;                    /* the search index waits for
						   apply_context_finish (apply.c) */
	char *guarded;                          /* search_note.c: the tables that need
						   the store's triggers, each NUL-ended,
						   an empty name last */
	int noting;                             /* its TEMP triggers are made */
	int store_triggers_off;                 /* the store's triggers are off */
};

/* Whether changeset (n bytes) is framed as SQLite's session extension writes
 * one: every table header and value ends inside it (changeset.c). SQLite may
 * loop for ever on one that is not; a patchset is not. */
int sync_changeset_well_formed(const unsigned char *changeset, size_t n);

/* A table header of a changeset: its name (NUL-terminated inside the
 * changeset), its ncol columns and their primary-key flags. Nonzero stops
 * the walk. */
typedef int (*sync_changeset_table_fn)(void *ctx, const char *name, int ncol,
				       const unsigned char *pk);
/* sync_changeset_well_formed, calling table (when not NULL) for each table
 * header met on the way, before the changes under it are walked: 0 when the
 * changeset is not well formed or table stopped the walk. */
int sync_changeset_tables(const unsigned char *changeset, size_t n, sync_changeset_table_fn table,
			  void *ctx);

/* Check every change of changeset against what the sender may write, then
 * apply it inside the caller's open transaction, recording conflicts. Returns
 * TZ_OK; TZ_EDAMAGED when a change is not the sender's to make or the changeset
 * does not fit this database; TZ_EFAIL otherwise. After a failure part of the
 * changeset may be applied: the caller rolls its transaction back (every
 * caller does: a bundle is applied whole or not at all). */
int apply_changeset(struct apply_context *a, const unsigned char *changeset,
		    size_t nbytes, struct tz_error *err);

/* After the last changeset of a bundle applied (each TZ_OK), before the
 * commit: refresh the search index (db/015) of the households the bundle
 * wrote, once for the bundle; apply_changeset only notes them. Every caller
 * of apply_changeset that commits calls it (else the index stays deferred).
 * TZ_OK, or TZ_EFAIL (the caller rolls back). */
int apply_context_finish(struct apply_context *a, struct tz_error *err);

/* Free what apply_changeset kept in a across the changesets of a bundle. */
void apply_context_free(struct apply_context *a);

/* ---- the search index while a bundle is applied (search_note.c) ---- */

/* Read which tables need the store's own triggers when written (a trigger
 * other than the search index's noting ones, or a foreign-key action reaching
 * one), once per bundle. TZ_OK or TZ_EFAIL. */
int search_note_load(struct apply_context *a, struct tz_error *err);

/* Whether writing table needs the store's own triggers (1 for every table
 * before search_note_load). */
int search_note_guarded(const struct apply_context *a, const char *table);

/* Before SQLite applies a changeset (search_state.deferred already 1): with
 * store_triggers_needed 0, the store's triggers are switched off and TEMP
 * triggers note the households written in search_dirty (made the first
 * time); with 1, the store's triggers are on. TZ_OK or TZ_EFAIL. */
int search_note_apply_with(struct apply_context *a, int store_triggers_needed,
			   struct tz_error *err);

/* After the bundle's last changeset, before the refresh: the store's
 * triggers on and the TEMP triggers dropped. TZ_OK or TZ_EFAIL. */
int search_note_end(struct apply_context *a, struct tz_error *err);

/* The store's triggers on, whatever happened; what search_note_load read
 * freed (apply_context_free). */
void search_note_free(struct apply_context *a);

/* A snapshot's recovery-code key pair (snapshot.c): from the code's 40 digits
 * and the snapshot's salt, the X25519 pair its payload is sealed to. sk may
 * be secret memory; the seed is wiped. */
#define SYNC_SNAPSHOT_SALT_NBYTES 16
void sync_snapshot_code_keypair(const char digits[41],
				const unsigned char salt[SYNC_SNAPSHOT_SALT_NBYTES],
				unsigned char pk[32], unsigned char *sk);

/* The current UTC time as YYYY-MM-DDTHH:MM:SSZ. */
void sync_now(char out[SYNC_STAMP_NCHARS + 1]);

#endif
