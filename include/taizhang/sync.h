/*
 * sync.h — moving ledgers between a village and the town office on USB sticks:
 * change capture into the outbox, writing bundles, importing them, receipts,
 * held bundles and forks, and the conflict ledger.
 *
 * The protocol (the details are in the files named):
 *  - Capture (src/sync/capture.c): every write transaction of a store records
 *    one SQLite session changeset into sync_outbox before COMMIT. A village
 *    captures every table with an owner column; the town captures the problem
 *    ledger, its review steps and answers (reviews, town_answers) and the
 *    reference tables, each change routed to the one village it concerns (or
 *    to all, for reference data).
 *  - Export (src/sync/exchange.c): one bundle per peer device holding the outbox
 *    entries not yet sent plus a receipt for the peer's bundles applied here;
 *    bundles not yet acknowledged are written again beside it, byte for byte,
 *    so a lost or damaged stick costs nothing.
 *  - Import: every file is verified (bundle.h: enrolled or trusted sender, not
 *    revoked, addressed to this device, signature) before anything is decrypted
 *    or parsed, then applied in one transaction: seq = last + 1 with the right
 *    prev-hash is applied; a seq already applied with the same hash is a
 *    duplicate (no-op); with another hash it is a fork (refused, alarm); a seq
 *    beyond last + 1 is held until the missing ones arrive.
 *  - Apply (src/sync/apply.c, authz.c): every change is judged on this store's
 *    own rows against what the sender may write (src/sync/README.md: the
 *    threat model and rules A0-A8): its own village's rows, children of its own
 *    rows, values a form would accept; at a village, the town's problems, its
 *    review steps and answers, and reference data. One change out of bounds
 *    refuses the whole bundle (the town answers the village, whose next
 *    export writes that bundle anew: refused.c). A village's change to what
 *    only the town writes (销号, review steps, reference data) is kept as a
 *    proposal for the town to accept or refuse (the answer goes back).
 *    Conflicts follow one deterministic rule and each is written to the
 *    conflict ledger.
 *
 * Every function needs the store open with SQL and writable (import, export)
 * or readable (the lists). Outcomes per file are reported, not printed: the
 * edge prints them.
 */
#ifndef TAIZHANG_SYNC_H
#define TAIZHANG_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/error.h"
#include "taizhang/secret.h"
#include "taizhang/store.h"
#include "taizhang/sync_keys.h"

#define SYNC_CODE_NCHARS 12
#define SYNC_STAMP_NCHARS 20 /* YYYY-MM-DDTHH:MM:SSZ */
#define SYNC_BUNDLE_SUFFIX ".tzb"
#define SYNC_SNAPSHOT_SUFFIX ".tzsnap"
#define SYNC_MAX_BUNDLE_NBYTES ((size_t)1 << 30)
#define SYNC_RECOVERY_CODE_NCHARS 47 /* 8 groups of 5 digits, spaces between */

/* ---- capture ---- */

/* Attach change capture to s (a store_open_hook_fn: main installs it with
 * store_set_open_hook). Returns TZ_OK or TZ_EFAIL. */
int sync_capture_attach(struct store *s, struct tz_error *err);

/* Pause (1) or resume (0) the capture of s, e.g. while a peer's changes are
 * applied (they are not ours to send back). No-op when none is attached. */
void sync_capture_pause(struct store *s, int paused);

/* Whether table is reference data the town sends to every village (code lists,
 * tasks, units, policy, deadlines...): what a town's export carries besides
 * the ledgers. */
int sync_table_is_reference(const char *table);

/* ---- export ---- */

struct sync_export_file {
	char *path;                         /* malloc'd */
	char village[SYNC_CODE_NCHARS + 1]; /* the village it concerns */
	uint64_t seq;
	size_t nbytes;
	size_t nentries; /* changesets carried */
	int again;       /* an unacknowledged bundle written again */
};

struct sync_export_result {
	struct sync_export_file *files;
	size_t nfiles;
	size_t nnew; /* new bundles (the rest were written again) */
	uint64_t rewound; /* at a village: the town refused our bundle of this seq
			     (its answer came back); it and the ones after it were
			     written anew from the data as it is now (0: none) */
};

/* Write to the folder dir every bundle this store owes: at a village, one to the
 * town; at the town, one per enrolled (not revoked) village device that has
 * something to receive (a receipt or changes). Each new bundle is recorded in
 * the same transaction that reserves its seq; files go through
 * bundle_file_write (part file, fsync, rename, read back). Returns TZ_OK
 * (out->nfiles == 0: nothing to send), TZ_EFAIL (e.g. no town key trusted yet,
 * the folder cannot be written; what was recorded stays consistent and the next
 * export writes it again), TZ_EDAMAGED. Free out with sync_export_result_free. */
int sync_export(struct store *s, const char *dir, struct sync_export_result *out,
		struct tz_error *err);
void sync_export_result_free(struct sync_export_result *r);

/* ---- import ---- */

enum sync_outcome {
	SYNC_APPLIED = 1,   /* applied now */
	SYNC_DUPLICATE,     /* applied before: nothing done (a replay) */
	SYNC_HELD,          /* an earlier bundle of its sender is missing: kept */
	SYNC_SKIPPED,       /* in a folder but not for this device (e.g. our own) */
	SYNC_FORK,          /* same seq, other content: refused, alarm recorded */
	SYNC_REFUSED,       /* damaged, altered, unverifiable or not allowed (exit 4) */
	SYNC_FROM_REVOKED,  /* signed by a revoked device (refused, exit 4) */
	SYNC_VERSION,       /* written by another database version: not applied */
	SYNC_FAILED,        /* could not be read or applied here (exit 1) */
};

struct sync_import_item {
	char *path;                         /* malloc'd */
	enum sync_outcome outcome;
	int status;                         /* the tz status of the outcome */
	char village[SYNC_CODE_NCHARS + 1]; /* "" when unknown */
	uint64_t seq;                       /* 0 when unknown */
	size_t changes;                     /* rows changed (applied) */
	size_t conflicts;                   /* conflict ledger rows added */
	size_t proposals;                   /* changes set aside for the town (sync_proposals_list) */
	size_t released;                    /* held bundles applied after this one */
	size_t acked;                       /* our bundles this receipt acknowledged */
	char message[TZ_ERROR_NBYTES];      /* one line, Chinese */
};

/* Where an import's time went (seconds of CLOCK_MONOTONIC): every moment
 * between the start and the end of sync_import is charged to exactly one
 * phase, the one it was in, so the phases add up to the whole. */
enum sync_import_phase {
	SYNC_PHASE_OTHER,     /* none of the below: listing, peers, keys, bookkeeping */
	SYNC_PHASE_READ,      /* reading the bundle files */
	SYNC_PHASE_VERIFY,    /* verifying and decrypting them (bundle_decode) */
	SYNC_PHASE_UNPACK,    /* inflating and parsing the payload */
	SYNC_PHASE_VALUES,    /* judging every value (rule A5) */
	SYNC_PHASE_AUTHZ,     /* who may write what: tables, rows, owners, proposals (A1, A2, A4) */
	SYNC_PHASE_APPLY,     /* SQLite applying the changesets */
	SYNC_PHASE_SEARCH,    /* refreshing the search index of the households written (db/015) */
	SYNC_PHASE_CONFLICTS, /* conflicts, merges and proposals: handled and recorded */
	SYNC_PHASE_PARENTS,   /* the parent chains of the rows written (A3) */
	SYNC_PHASE_LEDGER,    /* chain, receipt, received and audit rows */
	SYNC_PHASE_COMMIT,    /* committing each bundle (encryption, fsync) */
	SYNC_PHASE_AFTER,     /* after the bundles: the campaign's deliverables */
	SYNC_PHASES
};

struct sync_import_result {
	struct sync_import_item *items;
	size_t nitems;
	double seconds[SYNC_PHASES]; /* by enum sync_import_phase; they add up to the import */
};

/* Called after each file (done of total) with its item, e.g. for a progress bar. */
typedef void (*sync_progress_fn)(void *ctx, size_t done, size_t total,
				 const struct sync_import_item *item);

/* Import the bundle file at path, or every *.tzb file in the folder path (in
 * order of sender and seq). A single file is taken as meant for this store:
 * anything wrong with it is reported. In a folder, files this store wrote itself
 * and (at a village) files addressed to other devices are skipped. Returns the
 * worst status over all files: TZ_OK, TZ_EFAIL (held, another version, local
 * failure), TZ_EDAMAGED (refused: damaged, unverifiable, revoked sender, fork), or a usage
 * error for a path that is neither; out lists every file. Free it with
 * sync_import_result_free. */
int sync_import(struct store *s, const char *path, sync_progress_fn progress, void *ctx,
		struct sync_import_result *out, struct tz_error *err);
void sync_import_result_free(struct sync_import_result *r);

/* ---- state, for people ---- */

struct sync_village_state {
	char code[SYNC_CODE_NCHARS + 1];
	char *name;                          /* malloc'd; the code when unknown */
	char last_in[SYNC_STAMP_NCHARS + 1]; /* last bundle applied from it, "" never */
	uint64_t last_seq;                   /* its last seq applied */
	long long unsent;                    /* outbox entries not yet in any bundle */
	long long unacked;                   /* bundles sent, not yet acknowledged */
	long long held;                      /* its bundles held for a gap */
	long long conflicts;                 /* open conflict ledger rows */
	long long alarms;                    /* forks recorded */
};

/* The state of sync per village: at the town every village known (villages
 * table, enrolled devices); at a village one row for itself, the counts being
 * towards the town. Free with sync_village_states_free. */
int sync_village_states(struct store *s, struct sync_village_state **out, size_t *n,
			struct tz_error *err);
void sync_village_states_free(struct sync_village_state *v, size_t n);

/* The members every row of the sync ledgers (conflicts, refusals, proposals)
 * begins with, filled by their one reader (src/sync/ledger.c, SYNC_LIST_HEAD):
 * the row's id, when it was written, the village it came from or concerns,
 * and the seq of the bundle it came with. */
#define SYNC_LEDGER_ROW_HEAD                \
	long long id;                       \
	char at[SYNC_STAMP_NCHARS + 1];     \
	char village[SYNC_CODE_NCHARS + 1]; \
	uint64_t seq

struct sync_conflict {
	SYNC_LEDGER_ROW_HEAD;
	char *table_name, *row_key, *kind, *resolution, *detail; /* malloc'd */
	char *handled_at, *handled_by, *handled_note;            /* NULL while open */
};

/* The conflict ledger, open rows only unless all. Free with sync_conflicts_free. */
int sync_conflicts_list(struct store *s, int all, struct sync_conflict **out, size_t *n,
			struct tz_error *err);
void sync_conflicts_free(struct sync_conflict *c, size_t n);

/* Mark conflict id handled by the store's user with note (required: what was
 * done). TZ_EFAIL when there is no such open conflict. Audited. */
int sync_conflict_handle(struct store *s, long long id, const char *note, struct tz_error *err);

/* A bundle refused for what it carried (sync_refusals), newest last. */
struct sync_refusal {
	SYNC_LEDGER_ROW_HEAD;
	char *peer, *file_name, *reason; /* malloc'd, sanitized */
};

/* Every bundle refused for what it carried (a row not the sender's, a value
 * no form accepts, a dangling reference, a changeset that cannot be read),
 * once per sender, seq and reason. Free with sync_refusals_free. */
int sync_refusals_list(struct store *s, struct sync_refusal **out, size_t *n, struct tz_error *err);
void sync_refusals_free(struct sync_refusal *r, size_t n);

/* ---- proposals: a village's changes to what only the town writes ---- */

/* At the town, a village's change to a town-only field or state (销号 of a
 * dispatched problem, the town's review stages of a project, reference data,
 * policy numbers) is not applied but kept as a proposal (src/sync/apply.c,
 * rule A4 of src/sync/README.md) until a town officer accepts or refuses it. */
struct sync_proposal {
	SYNC_LEDGER_ROW_HEAD;
	char *table_name, *row_key, *op, *summary;                 /* malloc'd, sanitized */
	char *state;                                               /* open, accepted, refused */
	char *decided_at, *decided_by, *decided_note;              /* NULL while open */
};

/* The proposals, open ones only unless all, oldest first; every text passed
 * through text_sanitize. Free with sync_proposals_free. */
int sync_proposals_list(struct store *s, int all, struct sync_proposal **out, size_t *n,
			struct tz_error *err);
void sync_proposals_free(struct sync_proposal *p, size_t n);

/* Accept open proposal id at the town: write what the village asked as the
 * town's own change (so it is captured and reaches the village): a problem's
 * state through problem_move (its state machine and evidence rule hold), the
 * other columns as asked. note (optional) goes into the audit row and the
 * problem's history. TZ_OK; TZ_EUSAGE at a village store; TZ_EFAIL when there
 * is no such open proposal, or the move is not allowed now (nothing written). */
int sync_proposal_accept(struct store *s, long long id, const char *note, struct tz_error *err);

/* Refuse open proposal id with note (required: why). Nothing is written but
 * the decision. TZ_OK, TZ_EUSAGE (no note, or at a village), TZ_EFAIL. */
int sync_proposal_refuse(struct store *s, long long id, const char *note, struct tz_error *err);

/* The officer's word for an outcome (已导入, 重复, 暂存, 分叉 ...), and whether it
 * needs a person's attention (a refusal, a fork, a failure). */
const char *sync_outcome_label(enum sync_outcome o);
int sync_outcome_needs_attention(enum sync_outcome o);

/* Human labels for a conflict kind and resolution ("数据不一致", "以对方为准"). */
const char *sync_conflict_kind_label(const char *kind);
const char *sync_conflict_resolution_label(const char *resolution);

/* ---- snapshots: a replacement laptop (src/sync/snapshot.c) ---- */

/* At the town: write village's snapshot into the folder dir (file
 * VILLAGE-snapshot-DATE.tzsnap; an existing file is not overwritten), encrypted
 * to a fresh recovery code put in code, which the town hands to the officer
 * apart from the file. On TZ_OK *path_out (malloc'd) names the file and *rows
 * counts the rows in it. TZ_EUSAGE at a village store; TZ_EFAIL for a village
 * the town has no data of, or a write failure. Audited. */
int sync_snapshot_export(struct store *s, const char *village, const char *dir, char **path_out,
			 char code[SYNC_RECOVERY_CODE_NCHARS + 1], size_t *rows,
			 struct tz_error *err);

/* The town key a snapshot file claims it comes from, for the officer to compare
 * its fingerprint before restoring (not yet verified: restore does that).
 * TZ_OK or TZ_EDAMAGED. village is left empty (it is inside the encryption). */
int sync_snapshot_peek(const unsigned char *file, size_t nbytes, struct sync_public_key *town,
		       char village[SYNC_CODE_NCHARS + 1], struct tz_error *err);

/* On the new laptop: verify and decrypt the snapshot file with the recovery
 * code (spaces and dashes ignored), create a new village store at path with
 * user and passphrase, apply the snapshot into it and trust the town key it was
 * signed with. The new store has new device keys: the town must enroll them
 * (and revoke the old laptop). On TZ_OK *out is the open store. TZ_EAUTH for a
 * wrong code, TZ_EDAMAGED for a damaged or altered file, TZ_EFAIL otherwise
 * (an existing path is refused); on failure no store file is left behind. */
int sync_snapshot_restore(const unsigned char *file, size_t nbytes, const char *code,
			  const char *path, const char *user, const char *pass, size_t pass_nbytes,
			  enum kdf_cost cost, struct store **out, struct tz_error *err);

#endif
