/*
 * apply.c — applying one of a peer's changesets to this store, inside the
 * caller's transaction. Who may write what, and why, is the threat model in
 * src/sync/README.md; the rules named here (A1 ...) are its lines.
 *
 * Order of work for one changeset:
 *  0. Its framing is walked (changeset.c) and every table header resolved
 *     against this schema. When each is a table of this store as it is and
 *     none is reference data, 1. and 2. are one reading of the changeset
 *     (sqlite3changeset_apply_v3, SQLite 3.54 and later): each change is
 *     judged just before SQLite applies it, on the rows as they then stand
 *     (a change only ever meets rows earlier changes of the sender were
 *     allowed to write, and the code lists do not move); a refusal stops
 *     the applying. Otherwise every change is judged before anything is
 *     applied, as below, and SQLite reads the changeset again.
 *  1. Judge every change (authz.c): the table is
 *     resolved against this schema in any case, an unknown one refuses the
 *     bundle (A2); the row the change would touch is looked up here by its
 *     primary key — an update or delete of a row that is not the sender's
 *     refuses the bundle (A1); an insert whose key is another owner's row
 *     refuses it too, judged when SQLite meets that row (a CONFLICT) rather
 *     than by looking every inserted key up first;
 *     every value must be one the forms would store (A5). A change to what
 *     only the town writes (A4: 销号 or reopening of a dispatched problem, or
 *     changing what the town set on it; the town's review stages of a project,
 *     also of one new to the town, which lands at 村申请; the town's review
 *     steps and answers; the town's confirmation of receipt of a deliverable;
 *     reference data and policy numbers) is not refused but
 *     set aside as a proposal: its row is read as it stands now.
 *  2. sqlite3changeset_apply, with the conflict rule below. A proposal's
 *     change that meets a conflict is simply left out.
 *  3. The columns a DATA conflict kept ("ours") but only the sender changed are
 *     merged in; every proposal's row is put back as it stood before (1.), so
 *     nothing of a proposal is applied; the proposals are recorded
 *     (setaside.c, sync_proposals) for a town officer to accept or refuse
 *     (proposal.c).
 *  4. Every inserted or updated row's parents, found through the schema's
 *     foreign keys, must be rows of the sender's village (A3), judged on the
 *     rows as they now stand (a parent may come in the same changeset); the
 *     foreign keys each change writes were kept when it was judged.
 *  5. The conflicts are written to the conflict ledger.
 *
 * Policy for a change that breaks a rule (A1, A2, A3, A5, and a changeset
 * SQLite cannot read or apply): the whole bundle is refused (TZ_EDAMAGED, exit
 * 4) with a message naming the village, table, row and field, and the caller
 * rolls back: nothing of the bundle is applied, nothing half-applied. A
 * village's own program never writes such a change (every value it stores
 * passed the same field checks, and it writes only its own rows), so a
 * refusal means a store edited by hand or a forged bundle; the officer is told
 * to call the village. Only the checks that do not depend on the receiver's
 * clock or rows are applied to values (not NOT_FUTURE, not table-wide rules
 * such as one head per household, which the precision checks report).
 *
 * The conflict rule (SQLite calls the handler when a change does not fit):
 *  - the row was changed here too (DATA), or an inserted row exists (CONFLICT,
 *    only ever the sender's own row: see A1): the sender's version wins
 *    ("theirs": REPLACE), except at the town for the problem ledger, where the
 *    town's version stands ("ours": OMIT) for the columns both sides changed,
 *    while the columns only the village changed (measures written during
 *    rectification) are merged in after the apply.
 *  - the row is not here (NOTFOUND), or the change breaks a constraint
 *    (CONSTRAINT, e.g. a second device of a village naming a group the first
 *    one named): the change is left out ("ours").
 * Every one of them becomes a sync_conflicts row, shown to a person.
 *  - foreign keys left dangling at the end (FOREIGN_KEY: the iterator then
 *    names no table): the changeset is aborted and the bundle refused, naming
 *    the table whose rows point at nothing — a row kept dangling could later
 *    hang under another village's row of that id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_internal.h"
#include "taizhang/browse.h"
#include "taizhang/model.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#define MAX_COLS SYNC_MAX_COLS

struct pending_conflict {
	char *table_name, *row_key, *detail;
	const char *kind, *resolution;
};

/* A change the town keeps its own version of, whose other columns still merge
 * in: col's value becomes want where it still is was. */
struct pending_merge {
	const struct sync_table *t;
	sqlite3_value *key[MAX_COLS];                  /* primary key values (dup'd) */
	sqlite3_value *was[MAX_COLS], *want[MAX_COLS]; /* NULL: column not changed */
};

/* What rule A3 needs of a change, kept from judging it (check_change) for
 * after the apply, so that the changeset is not read again. */
struct pending_chain {
	const struct sync_table *t;
	sqlite3_value *fk[SYNC_MAX_FKS]; /* what it writes to t->fks[k].col (dup'd); NULL: nothing */
	size_t ordinal;                  /* the change's place in the changeset (0: first),
					    to find its key again for a refusal */
};

struct apply_state {
	struct apply_context *a;
	struct sync_tables *tables; /* the bundle's (a->tables) */
	struct pending_chain *chains;
	size_t nchains, chains_cap;
	int status;           /* a refusal met while SQLite applies (filter, conflict) */
	struct tz_error *err; /* where that refusal is told */
	size_t changes;       /* changes judged */
	size_t ordinal;       /* the place of the change being judged (0: first) */
	const unsigned char *changeset; /* the changeset applied, nbytes long */
	size_t nbytes;
	int has_reference;    /* a table of reference data in the changeset */
	int needs_triggers;   /* a table that needs the store's triggers (search_note.c) */
	struct pending_merge *merges;
	size_t nmerges, merges_cap;
	struct sync_setaside aside; /* rule A4 (setaside.c) */
	struct pending_conflict *conflicts;
	size_t nconflicts, cap;
	char fk_detail[256]; /* set when foreign keys were left dangling */
	int touched_codes;   /* a change to code_list: the codes kept are stale */
};

/* Refuse the bundle: a message naming the village, table, row and what is
 * wrong, every part of it sanitized (it may carry the sender's text). */
static int refuse(struct apply_state *st, const char *table, const char *row, const char *why,
		  struct tz_error *err)
{
	char msg[TZ_ERROR_NBYTES];
	snprintf(msg, sizeof msg,
		 "村 %s 的数据包有不允许的修改（表 %s，记录 %s：%s），整个数据包已拒绝，没有导入任何内容；"
		 "请与该村核实",
		 st->a->village, table ? table : "?", row && row[0] ? row : "-", why);
	char *clean = text_sanitize(msg, 0);
	int rc = tz_error_set(err, TZ_EDAMAGED, "%s", clean ? clean : "数据包有不允许的修改，已拒绝");
	free(clean);
	return rc;
}

static int is_problem_table(const char *table)
{
	return strcmp(table, "problems") == 0 || strcmp(table, "problem_events") == 0;
}

/* The town's review steps and answers (db/010_review.sql): written at the
 * town only, sent to the village they name. */
static int is_town_word_table(const char *table)
{
	return strcmp(table, "reviews") == 0 || strcmp(table, "town_answers") == 0;
}

/* The problem states a village moves a dispatched problem to (problem.h);
 * open, closed (销号) and reopened are the town's. */
static int village_problem_state(const char *state)
{
	return state != NULL && (strcmp(state, "rectifying") == 0 || strcmp(state, "rectified") == 0);
}

/* The columns of a dispatched problem a village writes while rectifying. */
static int village_problem_column(const char *column)
{
	static const char *const cols[] = { "state", "measures", "evidence", "updated_at" };
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (strcmp(cols[i], column) == 0)
			return 1;
	return 0;
}

static const char *new_text(sqlite3_changeset_iter *it, const struct sync_table *t,
			    const char *column)
{
	int c = sync_table_column(t, column);
	sqlite3_value *v = NULL;
	if (c < 0 || sqlite3changeset_new(it, c, &v) != SQLITE_OK)
		return NULL;
	return sync_value_text(v);
}

/* Whether the change writes want into column col: its bytes exactly, or its
 * text for a value that is not text (as new_text compares). */
static int new_is(sqlite3_changeset_iter *it, int col, const char *want)
{
	sqlite3_value *v = NULL;
	if (col < 0 || sqlite3changeset_new(it, col, &v) != SQLITE_OK || v == NULL)
		return 0;
	if (sqlite3_value_type(v) != SQLITE_TEXT) {
		const char *text = sync_value_text(v);
		return text != NULL && strcmp(text, want) == 0;
	}
	size_t n = strlen(want);
	return (size_t)sqlite3_value_bytes(v) == n && (n == 0 || memcmp(sqlite3_value_blob(v), want, n) == 0);
}

static const char *row_col_text(const struct sync_row *row, const struct sync_table *t,
				const char *column)
{
	int c = sync_table_column(t, column);
	return c >= 0 && c < row->ncol ? sync_value_text(row->v[c]) : NULL;
}

/* The owner of the problem id here, into owner ("" when there is none). */
static void problem_owner(struct sync_tables *ts, const char *id, char owner[SYNC_CODE_NCHARS + 1])
{
	owner[0] = '\0';
	sqlite3_stmt *q = id ? sync_stmt(ts, "SELECT owner FROM problems WHERE id = ?1") : NULL;
	if (q == NULL)
		return;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
		snprintf(owner, SYNC_CODE_NCHARS + 1, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
}

enum verdict { ALLOW, PROPOSE };

void apply_context_free(struct apply_context *a)
{
	search_note_free(a);
	if (a->tables != NULL)
		sync_tables_free(a->tables);
	free(a->tables);
	a->tables = NULL;
}

/* The label of project stage code (镇初审 ...), or the code itself. */
static const char *stage_label(struct apply_state *st, const char *code, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", code ? code : "");
	sqlite3_stmt *q = code ? sync_stmt(st->tables, "SELECT label FROM code_list"
							" WHERE list = 'project_stage' AND code = ?1")
			       : NULL;
	if (q == NULL)
		return buf;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
		snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
	return buf;
}

/* Whether a village's change of a deliverable writes the town's confirmation
 * of receipt: an insert with one set, an update that changes one (to NULL
 * too: a village never un-confirms). */
static int touches_confirmation(sqlite3_changeset_iter *it, const struct sync_table *t, int op)
{
	static const char *const cols[] = { "confirmed_on", "confirmed_by" };
	for (size_t i = 0; op != SQLITE_DELETE && i < sizeof cols / sizeof cols[0]; i++) {
		int c = sync_table_column(t, cols[i]);
		sqlite3_value *v = NULL;
		if (c >= 0 && sqlite3changeset_new(it, c, &v) == SQLITE_OK && v != NULL &&
		    (op == SQLITE_UPDATE || sqlite3_value_type(v) != SQLITE_NULL))
			return 1;
	}
	return 0;
}

/* Rule A4, at the town: whether a village's change is one only the town
 * makes; *summary says what was asked. row: the row as it stands here. */
static enum verdict town_only(struct apply_state *st, sqlite3_changeset_iter *it,
			      const struct sync_table *t, int op, const struct sync_row *row,
			      char *summary, size_t cap)
{
	if (t->reference) {
		snprintf(summary, cap, "村里要求修改基础数据（%s）", t->name);
		return PROPOSE;
	}
	if (is_town_word_table(t->name)) {
		const char *step = new_text(it, t, "step");
		snprintf(summary, cap, "村里登记了%s（%s由镇扶贫办办理）",
			 strcmp(t->name, "reviews") == 0 ? "镇里的审核记录" : "镇里的答复",
			 step ? "审核" : "答复");
		return PROPOSE;
	}
	int staged = strcmp(t->name, "projects") == 0 || strcmp(t->name, "project_stages") == 0;
	const char *stage = op == SQLITE_DELETE || !staged ? NULL : new_text(it, t, "stage");
	char label[64];
	if (strcmp(t->name, "projects") == 0 && op == SQLITE_INSERT) {
		/* a project new to the town is applied for (村申请) by the village;
		 * any later stage it arrives at is the town's to give (issue 13):
		 * the project lands at 村申请 and the stage waits as a proposal */
		if (stage == NULL || strcmp(stage, "applied") == 0)
			return ALLOW;
		snprintf(summary, cap, "村里上报的新项目已登记为“%s”（镇初审、部门审核、领导组审定由镇里办理），"
			 "镇里先按“村申请”登记", stage_label(st, stage, label, sizeof label));
		sqlite3_stmt *q = sync_stmt(st->tables, "SELECT 'applied'");
		if (q != NULL && sqlite3_step(q) == SQLITE_ROW)
			sync_setaside_add_column(&st->aside, it, t, sync_table_column(t, "stage"),
						 sqlite3_column_value(q, 0), summary);
		if (q != NULL)
			sqlite3_reset(q);
		return ALLOW;
	}
	if (strcmp(t->name, "projects") == 0 && op == SQLITE_UPDATE && stage != NULL) {
		snprintf(summary, cap, "村里把项目的审批环节改为“%s”（镇初审、部门审核、领导组审定由镇里办理）",
			 stage_label(st, stage, label, sizeof label));
		return PROPOSE;
	}
	if (strcmp(t->name, "project_stages") == 0 && op == SQLITE_INSERT && stage != NULL &&
	    strcmp(stage, "applied") != 0) {
		snprintf(summary, cap, "村里登记了项目审批记录“%s”（应由镇里办理）",
			 stage_label(st, stage, label, sizeof label));
		return PROPOSE;
	}
	if (strcmp(t->name, "deliverables") == 0 && touches_confirmation(it, t, op)) {
		snprintf(summary, cap, "村里登记了交付事项的“确认收到”（只有镇扶贫办能确认收到）");
		return PROPOSE;
	}
	if (strcmp(t->name, "problem_events") == 0 && op == SQLITE_INSERT) {
		char owner[SYNC_CODE_NCHARS + 1];
		problem_owner(st->tables, new_text(it, t, "problem_id"), owner);
		const char *to = new_text(it, t, "to_state");
		if (owner[0] && strcmp(owner, st->a->sender_code) != 0 && !village_problem_state(to)) {
			snprintf(summary, cap, "村里为派单问题记录了“%s”（销号、重新整改由镇里办理）",
				 to ? to : "");
			return PROPOSE;
		}
	}
	if (strcmp(t->name, "problems") == 0 && op == SQLITE_UPDATE && row->found) {
		const char *owner = row_col_text(row, t, "owner");
		if (owner == NULL || strcmp(owner, st->a->sender_code) == 0)
			return ALLOW; /* the village's own problem */
		char others[160] = "";
		size_t used = 0;
		for (int i = 0; i < t->ncol; i++) {
			sqlite3_value *v = NULL;
			if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || v == NULL ||
			    village_problem_column(t->colname[i]))
				continue;
			int n = snprintf(others + used, sizeof others - used, "%s%s", used ? "、" : "",
					 t->colname[i]);
			if (n > 0 && (size_t)n < sizeof others - used)
				used += (size_t)n;
		}
		const char *state = new_text(it, t, "state");
		int town_state = state != NULL && !village_problem_state(state);
		if (!town_state && others[0] == '\0')
			return ALLOW;
		if (town_state && strcmp(state, "closed") == 0)
			snprintf(summary, cap, "村里申请销号（派单问题改为“已销号”）%s%s",
				 others[0] ? "，并修改" : "", others);
		else if (town_state)
			snprintf(summary, cap, "村里要求把派单问题改为“%s”%s%s", state,
				 others[0] ? "，并修改" : "", others);
		else
			snprintf(summary, cap, "村里要求修改镇里派单的内容：%s", others);
		return PROPOSE;
	}
	return ALLOW;
}

/* Rule A5: every value the change would write. */
static int check_values(struct apply_state *st, sqlite3_changeset_iter *it,
			const struct sync_table *t, int op, struct tz_error *err)
{
	if (op == SQLITE_DELETE)
		return TZ_OK;
	for (int i = 0; i < t->ncol; i++) {
		sqlite3_value *v = NULL;
		if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || v == NULL)
			continue; /* an update leaves this column alone */
		struct tz_error why;
		if (sync_check_value(st->a->s, st->tables, t, i, v, &why) != TZ_OK) {
			char *key = sync_row_key(it, t, op);
			int rc = refuse(st, t->name, key, why.msg, err);
			free(key);
			return rc;
		}
	}
	return TZ_OK;
}

/* Rules A1 and A7: why the sender may not make this change to the row as it
 * stands here (row), or NULL when it may. */
static const char *ownership(const struct apply_context *a, sqlite3_changeset_iter *it,
			     const struct sync_table *t, int op, const struct sync_row *row)
{
	if (!a->at_town && !t->reference && !is_problem_table(t->name) &&
	    !is_town_word_table(t->name))
		return "镇里只能下发问题和基础数据（以及审核结果、答复）";
	if (a->at_town && !t->reference && t->owner_col < 0)
		return "村里不能修改这张表";
	if (t->reference) /* the town's at a village; a proposal at the town (A4) */
		return NULL;
	/* the row's owner and village, when it was found (t's owner and
	 * village_code columns) */
	const char *cur_owner = t->owner_col >= 0 && t->owner_col < row->ncol
					? sync_value_text(row->v[t->owner_col]) : NULL;
	const char *cur_village = t->village_col >= 0 && t->village_col < row->ncol
					  ? sync_value_text(row->v[t->village_col]) : NULL;
	sqlite3_value *v = NULL;
	if (op == SQLITE_INSERT) {
		if (!new_is(it, t->owner_col, a->sender_code))
			return "新记录的所属单位不是发送方";
		if (t->village_col >= 0 && !new_is(it, t->village_col, a->village))
			return "新记录属于别的村";
		if (strcmp(t->name, "villages") == 0 &&
		    !new_is(it, sync_table_column(t, "code"), a->village))
			return "只能登记本村";
		if (row->found && /* a key already taken is never a takeover */
		    (cur_owner == NULL || strcmp(cur_owner, a->sender_code) != 0 ||
		     (t->village_col >= 0 && (cur_village == NULL || strcmp(cur_village, a->village) != 0))))
			return "新记录的编号与别的单位已有的记录相同";
		return NULL;
	}
	if (op == SQLITE_UPDATE) {
		if (t->owner_col >= 0 && sqlite3changeset_new(it, t->owner_col, &v) == SQLITE_OK && v != NULL)
			return "不能改记录的所属单位";
		v = NULL;
		if (t->village_col >= 0 && sqlite3changeset_new(it, t->village_col, &v) == SQLITE_OK &&
		    v != NULL)
			return "不能把记录改到别的村";
		if (!row->found)
			return NULL; /* a NOTFOUND conflict */
	}
	if (op == SQLITE_DELETE && !row->found) { /* judge by the values the sender deleted */
		if (t->owner_col >= 0 && sqlite3changeset_old(it, t->owner_col, &v) == SQLITE_OK)
			cur_owner = sync_value_text(v);
		v = NULL;
		if (t->village_col >= 0 && sqlite3changeset_old(it, t->village_col, &v) == SQLITE_OK)
			cur_village = sync_value_text(v);
	}
	int own = cur_owner != NULL && strcmp(cur_owner, a->sender_code) == 0;
	int their_village =
		t->village_col < 0 || (cur_village != NULL && strcmp(cur_village, a->village) == 0);
	/* the shared problem ledger: each side may move the other's problems of
	 * this village (at the town, within rule A4), never delete them */
	int shared = strcmp(t->name, "problems") == 0 && op == SQLITE_UPDATE && their_village &&
		     t->village_col >= 0;
	return (own && their_village) || shared ? NULL : "修改了不属于发送方的记录";
}

/* Keep what rule A3 will judge of the change at it (check_chains): the
 * foreign keys an insert or update writes into a table that hangs on others.
 * (An update's unchanged ones were judged when the row came.) */
static void note_chain(struct apply_state *st, sqlite3_changeset_iter *it,
		       const struct sync_table *t, int op)
{
	if (op == SQLITE_DELETE || t->reference || t->nfk == 0)
		return;
	sqlite3_value *fk[SYNC_MAX_FKS] = { 0 };
	int writes_fk = 0;
	for (int k = 0; k < t->nfk; k++) {
		sqlite3_value *v = NULL;
		if (sqlite3changeset_new(it, t->fks[k].col, &v) == SQLITE_OK && v != NULL) {
			fk[k] = sync_value_dup(v);
			writes_fk = 1;
		}
	}
	if (!writes_fk)
		return;
	struct pending_chain *c = VEC_PUSH(st->chains, st->nchains, st->chains_cap);
	c->t = t;
	memcpy(c->fk, fk, sizeof c->fk);
	c->ordinal = st->ordinal;
}

/* The primary key, sanitized, of the change at ordinal in the changeset (the
 * refusal's message; read again only then, not kept for every change); ""
 * when it is not found. */
static char *key_at(const struct apply_state *st, const struct sync_table *t, size_t ordinal)
{
	sqlite3_changeset_iter *it;
	char *key = NULL;
	if (sqlite3changeset_start(&it, (int)st->nbytes, (void *)st->changeset) != SQLITE_OK)
		return xstrdup("");
	for (size_t i = 0; key == NULL && sqlite3changeset_next(it) == SQLITE_ROW; i++) {
		const char *table;
		int ncol, op, indirect;
		if (i == ordinal && sqlite3changeset_op(it, &table, &ncol, &op, &indirect) == SQLITE_OK &&
		    ncol == t->ncol)
			key = sync_row_key(it, t, op);
		else if (i >= ordinal)
			break;
	}
	sqlite3changeset_finalize(it);
	return key != NULL ? key : xstrdup("");
}

/* Whether the change is one the sender may make (see the file comment); a
 * change to what only the town writes is set aside as a proposal (rule A4).
 * TZ_OK, or the refusal of the bundle. */
static int check_change(struct apply_state *st, sqlite3_changeset_iter *it, struct tz_error *err)
{
	const char *table;
	int ncol, op, indirect;
	if (sqlite3changeset_op(it, &table, &ncol, &op, &indirect) != SQLITE_OK)
		return refuse(st, NULL, NULL, "修改无法读取", err);
	const struct apply_context *a = st->a;
	const struct sync_table *t = sync_tables_resolve(st->tables, table);
	int rc = TZ_OK;
	if (t == NULL) { /* rule A2 */
		char *clean_name = text_sanitize(table, 0);
		rc = refuse(st, clean_name, NULL, "本机没有这张表", err);
		free(clean_name);
		return rc;
	}
	unsigned char *pk = NULL;
	int npk = 0;
	sqlite3changeset_pk(it, &pk, &npk);
	if (ncol != t->ncol || npk != t->ncol)
		return refuse(st, t->name, NULL, "列数与本机不同", err);
	for (int i = 0; i < ncol; i++)
		if ((pk[i] != 0) != t->pk[i])
			return refuse(st, t->name, NULL, "主键与本机不同", err);
	if (strcmp(t->name, "code_list") == 0)
		st->touched_codes = 1;
	if (a->snapshot) /* the town's signed copy of this village: all of it */
		return TZ_OK;
	int back = sync_phase(a->phases, SYNC_PHASE_VALUES);
	rc = check_values(st, it, t, op, err);
	sync_phase(a->phases, back);
	if (rc != TZ_OK)
		return rc;

	/* the row as it stands here; an insert's only when it is set aside: a
	 * key already taken is judged (A1) when SQLite meets that row
	 * (on_conflict), and no row means no takeover */
	struct sync_row row = { 0 };
	int src = op == SQLITE_INSERT ? SQLITE_OK : sync_current_row(st->tables, it, t, op, &row);
	if (src != SQLITE_OK)
		return store_sqlite_error(a->s, src, "检查数据包", err);
	const char *why = ownership(a, it, t, op, &row);
	int aside = 0;
	if (why == NULL && a->at_town) { /* rule A4: only after A1 passed */
		char summary[256];
		if (town_only(st, it, t, op, &row, summary, sizeof summary) == PROPOSE) {
			if (op == SQLITE_INSERT &&
			    (src = sync_current_row(st->tables, it, t, op, &row)) != SQLITE_OK)
				return store_sqlite_error(a->s, src, "检查数据包", err);
			if (op == SQLITE_INSERT)
				why = ownership(a, it, t, op, &row);
			if (why == NULL)
				sync_setaside_add(&st->aside, it, t, op, &row, summary);
			aside = why == NULL;
		}
	}
	if (why == NULL && !aside)
		note_chain(st, it, t, op);
	sync_row_free(&row);
	if (why != NULL) {
		char *key = sync_row_key(it, t, op);
		rc = refuse(st, t->name, key, why, err);
		free(key);
	}
	return rc;
}

static void note_conflict(struct apply_state *st, sqlite3_changeset_iter *it, const char *kind,
			  const char *resolution)
{
	const char *table = NULL;
	int ncol = 0, op = 0, indirect;
	if (sqlite3changeset_op(it, &table, &ncol, &op, &indirect) != SQLITE_OK)
		table = NULL;
	const struct sync_table *t = sync_tables_resolve(st->tables, table);
	struct pending_conflict *c = VEC_PUSH(st->conflicts, st->nconflicts, st->cap);
	memset(c, 0, sizeof *c);
	c->table_name = text_sanitize(t ? t->name : table ? table : "?", 0);
	c->row_key = t ? sync_row_key(it, t, op) : xstrdup("");
	c->kind = kind;
	c->resolution = resolution;

	char detail[600];
	const char *opname = op == SQLITE_INSERT ? "新增" : op == SQLITE_UPDATE ? "修改" : "删除";
	size_t used = (size_t)snprintf(detail, sizeof detail, "对方%s", opname);
	if (t != NULL && (strcmp(kind, "data") == 0 || strcmp(kind, "conflict") == 0)) {
		/* the columns where this store's row differs from what the sender expected */
		const char *sep = "；本机不同的列：";
		for (int i = 0; i < t->ncol && used < sizeof detail - 80; i++) {
			sqlite3_value *mine = NULL, *expect = NULL;
			if (sqlite3changeset_conflict(it, i, &mine) != SQLITE_OK || mine == NULL)
				continue;
			if (op == SQLITE_INSERT)
				sqlite3changeset_new(it, i, &expect);
			else
				sqlite3changeset_old(it, i, &expect);
			if (expect == NULL || sync_values_equal(mine, expect))
				continue;
			/* the field's Chinese label where the model has one */
			const struct table_def *def = model_table(t->name);
			const struct field_def *fd = def ? model_field(def, t->colname[i]) : NULL;
			const char *name = fd ? fd->label
					   : strcmp(t->colname[i], "updated_at") == 0 ? "最后修改时间"
					   : t->colname[i];
			int n = snprintf(detail + used, sizeof detail - used, "%s%s", sep, name);
			if (n > 0)
				used += (size_t)n;
			sep = "、";
		}
	}
	c->detail = xstrdup(detail);
}

/* Whether the row here already holds every value the change would write: the
 * change was applied before (e.g. the same rows reached us twice), so there is
 * nothing to decide and nothing to record. */
static int already_there(sqlite3_changeset_iter *it, int ncol, int op)
{
	if (op == SQLITE_DELETE)
		return 0;
	for (int i = 0; i < ncol; i++) {
		sqlite3_value *mine = NULL, *want = NULL;
		if (sqlite3changeset_new(it, i, &want) != SQLITE_OK || want == NULL)
			continue; /* an update leaves this column alone */
		if (sqlite3changeset_conflict(it, i, &mine) != SQLITE_OK || mine == NULL)
			return 0;
		if (!sync_values_equal(mine, want))
			return 0;
	}
	return 1;
}

/* Remember the columns of an update the town keeps its version of, to merge in
 * those the town did not change itself (merge_pending, after the apply). */
static void note_merge(struct apply_state *st, sqlite3_changeset_iter *it, const char *table)
{
	const struct sync_table *t = sync_tables_resolve(st->tables, table);
	if (t == NULL)
		return;
	struct pending_merge *m = VEC_PUSH(st->merges, st->nmerges, st->merges_cap);
	memset(m, 0, sizeof *m);
	m->t = t;
	for (int i = 0; i < t->ncol; i++) {
		sqlite3_value *oldv = NULL, *newv = NULL;
		sqlite3changeset_old(it, i, &oldv);
		if (t->pk[i]) {
			m->key[i] = sync_value_dup(oldv);
			continue;
		}
		if (sqlite3changeset_new(it, i, &newv) != SQLITE_OK || newv == NULL)
			continue;
		m->was[i] = sync_value_dup(oldv);
		m->want[i] = sync_value_dup(newv);
	}
}

static void merge_free(struct pending_merge *m)
{
	for (int i = 0; i < MAX_COLS; i++) {
		sqlite3_value_free(m->key[i]);
		sqlite3_value_free(m->was[i]);
		sqlite3_value_free(m->want[i]);
	}
}

/* Apply the remembered merges: each column the sender changed and this store
 * did not (its value is still the sender's old one) takes the sender's value. */
static int merge_pending(struct apply_state *st, struct tz_error *err)
{
	for (size_t k = 0; k < st->nmerges; k++) {
		struct pending_merge *m = &st->merges[k];
		const struct sync_table *t = m->t;
		for (int i = 0; i < t->ncol; i++) {
			if (m->want[i] == NULL || m->was[i] == NULL)
				continue;
			char sql[1024];
			size_t used = (size_t)snprintf(sql, sizeof sql,
						       "UPDATE \"%s\" SET \"%s\" = ?1 WHERE \"%s\" IS ?2 AND ",
						       t->name, t->colname[i], t->colname[i]);
			used = sync_where_key(t, sql, sizeof sql, used, 3);
			sqlite3_stmt *q;
			int rc = used < sizeof sql ? sqlite3_prepare_v2(store_db(st->a->s), sql, -1, &q, NULL)
						   : SQLITE_TOOBIG;
			if (rc != SQLITE_OK)
				return store_sqlite_error(st->a->s, rc, "合并修改", err);
			sync_bind_value(q, 1, m->want[i]);
			sync_bind_value(q, 2, m->was[i]);
			sync_bind_key(q, t, m->key, 3);
			rc = sqlite3_step(q);
			sqlite3_finalize(q);
			if (rc != SQLITE_DONE)
				return store_sqlite_error(st->a->s, rc, "合并修改", err);
		}
	}
	return TZ_OK;
}

/* The first row left pointing at nothing, for the refusal message. Called
 * from the FOREIGN_KEY handler, while the changes are still in place. */
static void describe_dangling(struct apply_state *st)
{
	sqlite3_stmt *q;
	snprintf(st->fk_detail, sizeof st->fk_detail, "有记录引用的上级记录不存在");
	if (sqlite3_prepare_v2(store_db(st->a->s), "PRAGMA foreign_key_check", -1, &q, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(q, 0);
		const char *parent = (const char *)sqlite3_column_text(q, 2);
		snprintf(st->fk_detail, sizeof st->fk_detail, "表 %s 中有记录引用的 %s 记录不存在",
			 table ? table : "?", parent ? parent : "?");
	}
	sqlite3_finalize(q);
}

/* Rule A1 for an insert whose key SQLite found taken (a CONFLICT, the row
 * here at hand): a key already taken is never a takeover, the row must be
 * the sender's. Whether the bundle is refused for it (st->status). */
static int insert_takes_over(struct apply_state *st, sqlite3_changeset_iter *it,
			     const struct sync_table *t)
{
	struct sync_row row = { .found = 1, .ncol = t->ncol }; /* borrowed from it */
	for (int i = 0; i < t->ncol; i++)
		if (sqlite3changeset_conflict(it, i, &row.v[i]) != SQLITE_OK)
			row.v[i] = NULL;
	const char *why = ownership(st->a, it, t, SQLITE_INSERT, &row);
	if (why == NULL)
		return 0;
	char *key = sync_row_key(it, t, SQLITE_INSERT);
	st->status = refuse(st, t->name, key, why, st->err);
	free(key);
	return 1;
}

static int handle_conflict(struct apply_state *st, int kind, sqlite3_changeset_iter *it)
{
	if (st->status != TZ_OK) /* refused already: stop */
		return SQLITE_CHANGESET_ABORT;
	if (kind == SQLITE_CHANGESET_FOREIGN_KEY) {
		/* the iterator names no change here: never ask it for a table */
		describe_dangling(st);
		return SQLITE_CHANGESET_ABORT;
	}
	const char *table = NULL;
	int ncol = 0, op = 0, indirect;
	if (sqlite3changeset_op(it, &table, &ncol, &op, &indirect) != SQLITE_OK || table == NULL)
		return SQLITE_CHANGESET_ABORT;
	const struct sync_table *t = sync_tables_resolve(st->tables, table);
	if (kind == SQLITE_CHANGESET_CONFLICT && op == SQLITE_INSERT && t != NULL &&
	    !st->a->snapshot && insert_takes_over(st, it, t))
		return SQLITE_CHANGESET_ABORT;
	if (sync_setaside_has(&st->aside, st->tables, it))
		return SQLITE_CHANGESET_OMIT; /* set aside for the town, put back anyway */
	switch (kind) {
	case SQLITE_CHANGESET_DATA:
	case SQLITE_CHANGESET_CONFLICT: {
		if (already_there(it, ncol, op))
			return SQLITE_CHANGESET_OMIT;
		/* restoring a snapshot into a new store: the only rows there are the
		 * program's default reference data, which the town's replace */
		if (st->a->snapshot)
			return SQLITE_CHANGESET_REPLACE;
		int ours = st->a->at_town && t != NULL && is_problem_table(t->name);
		if (ours && kind == SQLITE_CHANGESET_DATA && op == SQLITE_UPDATE)
			note_merge(st, it, table);
		note_conflict(st, it, kind == SQLITE_CHANGESET_DATA ? "data" : "conflict",
			      ours ? "ours" : "theirs");
		return ours ? SQLITE_CHANGESET_OMIT : SQLITE_CHANGESET_REPLACE;
	}
	case SQLITE_CHANGESET_NOTFOUND:
		note_conflict(st, it, "notfound", "ours");
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_CONSTRAINT:
	default:
		note_conflict(st, it, "constraint", "ours");
		return SQLITE_CHANGESET_OMIT;
	}
}

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct apply_state *st = ctx;
	int back = sync_phase(st->a->phases, SYNC_PHASE_CONFLICTS);
	int verdict = handle_conflict(st, kind, it);
	sync_phase(st->a->phases, back);
	return verdict;
}

static int record_conflicts(struct apply_state *st, struct tz_error *err)
{
	struct apply_context *a = st->a;
	char now[SYNC_STAMP_NCHARS + 1];
	sync_now(now);
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(a->s),
				    "INSERT INTO sync_conflicts(at, peer, village, seq, table_name,"
				    " row_key, kind, resolution, detail)"
				    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
				    -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(a->s, rc, "记录冲突", err);
	for (size_t i = 0; i < st->nconflicts && rc == SQLITE_OK; i++) {
		const struct pending_conflict *c = &st->conflicts[i];
		sqlite3_bind_text(q, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, a->peer, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, a->village, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, (sqlite3_int64)a->seq);
		sqlite3_bind_text(q, 5, c->table_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, c->row_key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, c->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 8, c->resolution, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 9, c->detail, -1, SQLITE_STATIC);
		rc = sqlite3_step(q);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK)
		return store_sqlite_error(a->s, rc, "记录冲突", err);
	a->conflicts += st->nconflicts;
	return TZ_OK;
}

/* Rule A3 on the rows as they now stand: every inserted or updated row hangs
 * only on rows of the sender's village (the receiving village, for the town's
 * bundles). The changes' foreign keys were kept when they were judged
 * (note_chain). */
static int check_chains(struct apply_state *st, struct tz_error *err)
{
	for (size_t i = 0; i < st->nchains; i++) {
		const struct pending_chain *c = &st->chains[i];
		struct sync_row row = { .found = 1, .ncol = c->t->ncol };
		for (int k = 0; k < c->t->nfk; k++)
			row.v[c->t->fks[k].col] = c->fk[k];
		char why[160];
		int rc = sync_check_parents(st->tables, c->t, &row, st->a->village, why, sizeof why);
		if (rc == SQLITE_CONSTRAINT) {
			char *key = key_at(st, c->t, c->ordinal);
			rc = refuse(st, c->t->name, key, why, err);
			free(key);
			return rc;
		}
		if (rc != SQLITE_OK)
			return store_sqlite_error(st->a->s, rc, "检查数据包", err);
	}
	return TZ_OK;
}

static void chains_free(struct apply_state *st)
{
	for (size_t i = 0; i < st->nchains; i++) {
		for (int k = 0; k < SYNC_MAX_FKS; k++)
			sqlite3_value_free(st->chains[i].fk[k]);
	}
	free(st->chains);
}

/* An error of sqlite3changeset_apply: the changeset's fault (refuse the
 * bundle) or the store's. */
static int apply_failed(struct apply_state *st, int rc, struct tz_error *err)
{
	if (st->status != TZ_OK) /* refused while applying: err says why */
		return st->status;
	if (st->fk_detail[0])
		return refuse(st, NULL, NULL, st->fk_detail, err);
	int primary = rc & 0xFF;
	if (primary == SQLITE_CORRUPT || primary == SQLITE_MISUSE || primary == SQLITE_RANGE ||
	    primary == SQLITE_SCHEMA || primary == SQLITE_ERROR || primary == SQLITE_CONSTRAINT ||
	    primary == SQLITE_ABORT || primary == SQLITE_MISMATCH)
		return refuse(st, NULL, NULL, "修改无法导入本机（数据包内容不对）", err);
	return store_sqlite_error(st->a->s, rc, "导入修改", err);
}

static int filter_all(void *ctx, const char *table)
{
	(void)ctx;
	(void)table;
	return 1;
}

/* A table header of the changeset (sync_changeset_tables): a table of this
 * store with the same columns and key, noting reference data; nonzero for
 * any other, which check_change will refuse with its own words. */
static int header_fits(void *ctx, const char *name, int ncol, const unsigned char *pk)
{
	struct apply_state *st = ctx;
	const struct sync_table *t = sync_tables_resolve(st->tables, name);
	if (t == NULL || ncol != t->ncol)
		return 1;
	for (int i = 0; i < ncol; i++)
		if ((pk[i] != 0) != t->pk[i])
			return 1;
	st->has_reference |= t->reference;
	st->needs_triggers |= search_note_guarded(st->a, name);
	return 0;
}

/* Judge every change before anything of the changeset is applied. */
static int check_all(struct apply_state *st, const unsigned char *changeset, size_t nbytes,
		     struct tz_error *err)
{
	sqlite3_changeset_iter *it;
	if (sqlite3changeset_start(&it, (int)nbytes, (void *)changeset) != SQLITE_OK)
		return refuse(st, NULL, NULL, "修改无法读取", err);
	int status = TZ_OK, rc;
	while (status == TZ_OK && (rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
		st->ordinal = st->changes++;
		status = check_change(st, it, err);
	}
	int frc = sqlite3changeset_finalize(it);
	if (status == TZ_OK && (rc != SQLITE_DONE || frc != SQLITE_OK))
		status = refuse(st, NULL, NULL, "修改已损坏，无法读取", err);
	return status;
}

#if SQLITE_VERSION_NUMBER >= 3054000
#define ONE_PASS 1
/* sqlite3changeset_apply_v3's filter: judge the change SQLite is about to
 * apply; after a refusal, nothing more is applied. */
static int judge_then_apply(void *ctx, sqlite3_changeset_iter *it)
{
	struct apply_state *st = ctx;
	if (st->status != TZ_OK)
		return 0;
	st->ordinal = st->changes++;
	int back = sync_phase(st->a->phases, SYNC_PHASE_AUTHZ);
	st->status = check_change(st, it, st->err);
	sync_phase(st->a->phases, back);
	return st->status == TZ_OK;
}
#else
#define ONE_PASS 0
#endif

/* Judge and apply: in one reading of the changeset where this SQLite offers
 * it (every change judged just before SQLite applies it, on the rows as they
 * then stand), else judge all, then apply. One reading needs every table to
 * be this store's as it is (else SQLite would skip a table's changes
 * unjudged) and no reference data (the code lists a value is judged by stay
 * as they were before the changeset). */
static int judge_and_apply(struct apply_state *st, const unsigned char *changeset, size_t nbytes,
			   int one_pass, struct tz_error *err)
{
	sqlite3 *db = store_db(st->a->s);
	st->err = err;
	int rc, status = TZ_OK;
#if !ONE_PASS
	one_pass = 0;
#endif
	if (!one_pass && (status = check_all(st, changeset, nbytes, err)) != TZ_OK)
		return status;
	if (!st->a->search_deferred && (rc = browse_search_defer(st->a->s, 1)) != SQLITE_OK)
		return store_sqlite_error(st->a->s, rc, "准备查找索引", err);
	st->a->search_deferred = 1;
	if ((status = search_note_apply_with(st->a, st->needs_triggers, err)) != TZ_OK)
		return status;
	sync_phase(st->a->phases, SYNC_PHASE_APPLY);
	/* No savepoint of SQLite's own around the changeset: a changeset that
	 * fails refuses the bundle, and the caller rolls the whole bundle back
	 * (apply_changeset's contract), so the savepoint would only make SQLite
	 * copy every page the changeset writes into a statement journal first. */
#if ONE_PASS
	if (one_pass)
		rc = sqlite3changeset_apply_v3(db, (int)nbytes, (void *)changeset, judge_then_apply,
					       on_conflict, st, NULL, NULL,
					       SQLITE_CHANGESETAPPLY_NOSAVEPOINT);
	else
#endif
		rc = sqlite3changeset_apply_v2(db, (int)nbytes, (void *)changeset, filter_all,
					       on_conflict, st, NULL, NULL,
					       SQLITE_CHANGESETAPPLY_NOSAVEPOINT);
	if (rc != SQLITE_OK || st->status != TZ_OK)
		status = apply_failed(st, rc, err);
	return status;
}

int apply_context_finish(struct apply_context *a, struct tz_error *err)
{
	if (!a->search_deferred)
		return TZ_OK;
	int back = sync_phase(a->phases, SYNC_PHASE_SEARCH);
	int status = search_note_end(a, err);
	if (status != TZ_OK) {
		sync_phase(a->phases, back);
		return status;
	}
	int rc = browse_search_defer(a->s, 0);
	sync_phase(a->phases, back);
	a->search_deferred = 0;
	return rc == SQLITE_OK ? TZ_OK : store_sqlite_error(a->s, rc, "更新查找索引", err);
}

int apply_changeset(struct apply_context *a, const unsigned char *changeset, size_t nbytes,
		    struct tz_error *err)
{
	if (a->tables == NULL) {
		a->tables = xcalloc(1, sizeof *a->tables);
		a->tables->db = store_db(a->s);
	}
	struct apply_state st = { .a = a, .tables = a->tables, .changeset = changeset,
				  .nbytes = nbytes };
	if (nbytes > INT32_MAX)
		return refuse(&st, NULL, NULL, "修改太大", err);
	int back = sync_phase(a->phases, SYNC_PHASE_AUTHZ);
	int status = search_note_load(a, err);
	if (status != TZ_OK) {
		sync_phase(a->phases, back);
		return status;
	}
	int fits = 1; /* every table header is this store's table as it is */
	if (!sync_changeset_tables(changeset, nbytes, header_fits, &st)) {
		fits = 0;
		st.needs_triggers = 1;
		if (!sync_changeset_well_formed(changeset, nbytes)) { /* before SQLite reads it */
			sync_phase(a->phases, back);
			return refuse(&st, NULL, NULL, "修改已损坏，无法读取", err);
		}
	}
	status = judge_and_apply(&st, changeset, nbytes,
				     ONE_PASS && fits && !st.has_reference && !a->snapshot, err);
	sync_phase(a->phases, SYNC_PHASE_CONFLICTS);
	if (status == TZ_OK)
		status = merge_pending(&st, err);
	if (status == TZ_OK)
		status = sync_setaside_record(&st.aside, a, err);
	sync_phase(a->phases, SYNC_PHASE_PARENTS);
	if (status == TZ_OK && !a->snapshot)
		status = check_chains(&st, err);
	sync_phase(a->phases, SYNC_PHASE_CONFLICTS);
	if (status == TZ_OK)
		status = record_conflicts(&st, err);
	if (status == TZ_OK)
		a->changes += st.changes - (st.aside.n - st.aside.npartial);
	for (size_t i = 0; i < st.nconflicts; i++) {
		free(st.conflicts[i].table_name);
		free(st.conflicts[i].row_key);
		free(st.conflicts[i].detail);
	}
	free(st.conflicts);
	for (size_t i = 0; i < st.nmerges; i++)
		merge_free(&st.merges[i]);
	free(st.merges);
	chains_free(&st);
	sync_setaside_free(&st.aside);
	if (st.touched_codes)
		sync_codes_forget(a->tables);
	sync_phase(a->phases, back);
	return status;
}
