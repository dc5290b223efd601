/*
 * model.h — the domain's records, described as data, validated by one rule set.
 *
 * Every ledger table is described by a struct table_def: its Chinese name and its
 * fields (column, Chinese label, type, required, limits, code list, the table a
 * reference points at). The TUI's forms, the command line and the CSV importers
 * all enter records through the same functions here, so a value refused in one is
 * refused in all, with the same message naming the field.
 *
 * A struct record holds the values of one row as text, the way an officer types
 * them ("1,234.5" 元, "2019年5月1日", "是", "已脱贫"). record_validate() checks every
 * field and normalises it to its stored form (分, YYYY-MM-DD, 1/0, the code);
 * record_insert() / record_update() then write it inside the caller's
 * transaction, stamping id, owner and times and writing the audit log.
 */
#ifndef TAIZHANG_MODEL_H
#define TAIZHANG_MODEL_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/ids.h"
#include "taizhang/store.h"

enum field_type {
	FIELD_TEXT,   /* one line; max = most characters (0: 200) */
	FIELD_NOTE,   /* several lines allowed; max = most characters (0: 2000) */
	FIELD_INT,    /* whole number within [min, max] */
	FIELD_MONEY,  /* 元 with at most two decimals, stored as 分 within [min, max] 分 */
	FIELD_DATE,   /* a real date, stored YYYY-MM-DD */
	FIELD_ENUM,   /* one code of code_list; the Chinese label is accepted too */
	FIELD_CODES,  /* several codes of code_list, stored comma-separated */
	FIELD_IDCARD, /* 18-digit resident ID number (GB 11643) */
	FIELD_PHONE,  /* mainland mobile (11 digits, 1[3-9]) or landline (0xxx-xxxxxxx) */
	FIELD_BOOL,   /* 是/否, y/n, 1/0, true/false; stored 1/0 */
	FIELD_REF,    /* the id of a row of ref_table */
};

enum field_flags {
	FIELD_REQUIRED = 1 << 0,   /* must not be empty */
	FIELD_NOT_FUTURE = 1 << 1, /* DATE: not after today (date_today()) */
	FIELD_NOT_PAST_1900 = 1 << 2,
};

struct field_def {
	const char *column;
	const char *label;      /* Chinese, used in every message about the field */
	enum field_type type;
	unsigned flags;         /* enum field_flags */
	long long min, max;     /* INT and MONEY ranges (0, 0: any >= 0); TEXT length */
	const char *code_list;  /* ENUM, CODES */
	/* REF: the table whose row's id the value is. INT: NULL, or a reference
	 * table whose rows are numbered by the value and name it (problem_areas,
	 * tasks): the number is stored, its name shown and picked. */
	const char *ref_table;
};

struct record;

enum table_flags {
	TABLE_VILLAGE_CODE = 1 << 0, /* has village_code, stamped with the store's code */
};

struct table_def {
	const char *table;
	const char *label; /* Chinese: 住户, 成员, 走访记录 ... */
	const struct field_def *fields;
	size_t nfields;
	unsigned flags; /* enum table_flags */
	/* Rules across fields and rows (e.g. dropout reason when dropped out, a
	 * member's sex agreeing with the ID number); NULL if none. Called after every
	 * field passed, with normalised values, which it may complete (computed
	 * values such as sex and birth date from the ID number). A refusal about
	 * one field names its column in r->refused_column. */
	int (*check)(struct store *s, struct record *r, struct tz_error *err);
	/* Called after the row is written, in the same transaction, to keep history
	 * (status changes, member changes); before is NULL for an insert. */
	int (*after_write)(struct store *s, const struct record *r, const struct record *before,
			   struct tz_error *err);
};

#define MODEL_MAX_FIELDS 32

struct record {
	const struct table_def *def;
	char *values[MODEL_MAX_FIELDS]; /* per field, malloc'd; NULL = empty */
	char id[IDS_NCHARS + 1];        /* set by record_insert, or for an update */
	/* After record_validate refused r: the column of the field the refusal is
	 * about, or NULL when it is about the row as a whole (a duplicate, a step out
	 * of order) or the store failed. A const string of the table_def. */
	const char *refused_column;
};

/* The table_def of a table, or NULL. */
const struct table_def *model_table(const char *table);

/* A table's Chinese name for people ("problems" -> 问题), else the name as given
 * ("" for NULL): what every listing shows instead of the table's code. */
const char *model_table_label(const char *table);
/* All table_defs, for listing (count in *n). */
const struct table_def *const *model_tables(size_t *n);
/* The field of def named column, or NULL. */
const struct field_def *model_field(const struct table_def *def, const char *column);

/* Start an empty record of def. */
void record_init(struct record *r, const struct table_def *def);
/* Set column to a copy of text (NULL or "" empties it). TZ_EFAIL if def has no
 * such column. */
int record_set(struct record *r, const char *column, const char *text, struct tz_error *err);
/* The current text of column, or NULL when empty or unknown. Valid until the next
 * change of r. */
const char *record_get(const struct record *r, const char *column);
/* Free every value. */
void record_free(struct record *r);

/* Check one value of field f and put its stored form in *normalized (malloc'd;
 * NULL for empty). Returns TZ_OK, or TZ_EFAIL with a message that names the
 * field's label and says how to fix the value. s is needed for ENUM/CODES (code
 * lists) and REF (the row must exist). */
int field_check(struct store *s, const struct field_def *f, const char *text,
		char **normalized, struct tz_error *err);

/* Check one value of field f as a store holds it (a peer's bundle, not an
 * officer's typing): integers for INT, MONEY (分) and BOOL (0/1) within the
 * field's range; for the other types the one stored form that field_check
 * gives (YYYY-MM-DD, an ID number with its check digit, a code of the list, a
 * normalised phone number, a well-formed id for REF — whether that row exists
 * is for the caller), and the text rule (util/text_hygiene.h) with the field's
 * length. NOT_FUTURE is not checked (the sender's clock is not ours), nor are
 * table-wide rules (def->check), which read this store. codes (may be NULL:
 * the store is asked) answers whether a code is in its list, for a caller
 * checking many values; what is refused, and the message, are the same. TZ_OK,
 * or TZ_EFAIL with a message naming the field's label. */
struct field_codes {
	/* 1 when code is a code of code_list list, 0 when not, -1 on an error.
	 * E.g. a lookup in the code lists read once for a whole bundle. */
	int (*known)(void *ctx, const char *list, const char *code);
	void *ctx;
};

int field_check_stored(struct store *s, const struct field_def *f, sqlite3_value *v,
		       const struct field_codes *codes, struct tz_error *err);

/* The text rule for a column no field describes (ids, stamps, states ...):
 * several lines allowed, at most 2000 characters. A BLOB is refused; numbers
 * and NULL pass. */
int field_check_stored_text(const char *label, sqlite3_value *v, struct tz_error *err);

/* Check every field of r, normalising the values in place to their stored form,
 * then def->check. On a refusal r->refused_column names the field it is about
 * (NULL: the row as a whole); r's values are then partly normalised. */
int record_validate(struct store *s, struct record *r, struct tz_error *err);

/* Write r, whose values are already validated and in their stored form (by
 * record_validate, or field by field with the same rules), without checking
 * them again, inside the caller's open transaction (TZ_EFAIL if none): an
 * INSERT as record_insert's when r->id is empty (the new id is put in r->id),
 * else an UPDATE of row r->id as record_update's. Writes the audit row and
 * runs def->after_write. On failure the caller rolls the transaction back. */
int record_write_validated(struct store *s, struct record *r, struct tz_error *err);

/* Validate a copy of r and INSERT it, inside the caller's open transaction
 * (TZ_EFAIL if none): a new id (returned in r->id), owner = the store's division
 * code, created_at = updated_at = now, and an audit row. r's values stay as
 * typed, so a refused record can be corrected and saved again. */
int record_insert(struct store *s, struct record *r, struct tz_error *err);

/* Validate a copy of r and UPDATE the row r->id with every field of r (empty
 * fields become NULL), inside the caller's transaction; updated_at = now; audit
 * row. TZ_EFAIL when the row does not exist or belongs to another owner. */
int record_update(struct store *s, struct record *r, struct tz_error *err);

/* Load row id of def into r (initialised by this call). TZ_EFAIL if absent. */
int record_load(struct store *s, const struct table_def *def, const char *id,
		struct record *r, struct tz_error *err);

/* Find the one row whose id begins with prefix (ids_prefix_valid): sql selects
 * (kind, id) with ?1 the prefix and ends in LIMIT 2. On TZ_OK *kind is the
 * row's column 0 and id_out its id. noun names what is looked for in the
 * messages ("问题"): TZ_EFAIL "没有编号为“…”的问题" when there is none,
 * "编号以“…”开头的问题不止一个，请多写几位" when there are more. */
int model_find_by_prefix(struct store *s, const char *sql, const char *prefix, const char *noun,
			 int *kind, char id_out[IDS_NCHARS + 1], struct tz_error *err);

/* The current time as the store writes it (UTC, YYYY-MM-DDTHH:MM:SSZ). */
void model_now(char out[32]);

/* A policy number (db/003_reference.sql, table policy), or fallback when absent. */
long long model_policy(struct store *s, const char *key, long long fallback);

#endif
