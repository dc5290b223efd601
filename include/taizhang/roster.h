/*
 * roster.h — rosters brought in as spreadsheets: the bulk load of registered
 * households and their members, the civil-affairs 低保 roster, and the
 * comparison of the two (task 11: 建档立卡与低保比对). src/roster/ (its files:
 * src/roster/roster_internal.h).
 *
 * Both imports take the bytes of a CSV (or tab-separated) file in UTF-8, UTF-8
 * with a BOM or GB18030 (textenc.h), match its header row by column name
 * (order free, common synonyms accepted, unknown columns ignored and listed),
 * check every row through the model's one rule set (model.h) and write all or
 * nothing in one transaction: when any row is bad, every bad row is listed with
 * its line number and nothing is written.
 *
 * Deliberately not here: reading the terminal or printing (the commands in
 * src/cli/cmd_import.c, cmd_roster.c and cmd_compare.c do that), and deciding who
 * qualifies for 低保 — the comparison lists differences for a person to judge.
 */
#ifndef TAIZHANG_ROSTER_H
#define TAIZHANG_ROSTER_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/store.h"

/* What an import found and did. Zero it before the first use; free with
 * roster_report_free. */
struct roster_report {
	const char *encoding;    /* the file's encoding (textenc.h names), or NULL */
	size_t rows;             /* data rows read (blank rows not counted) */
	/* Written, on success: */
	size_t households;       /* households (the 低保 roster: distinct 户主身份证号) */
	size_t members;          /* people */
	size_t groups_created;   /* villager groups that did not exist before */
	size_t replaced;         /* 低保 roster rows of the previous import removed */
	/* Bad rows, on refusal: "第 N 行：..." each, in line order. */
	char **problems;
	size_t nproblems;
	/* Header cells that matched no column, "序号、备注" (NULL: none). */
	char *ignored_columns;
	/* The 低保 roster only (roster_import_dibao_with): */
	const char *layout;      /* "每人一行" or "每户一行" */
	char *month;             /* "2019-04" from the title row, or NULL */
	size_t persons;          /* 保障人数 in all (household rows: their 保障人数) */
	size_t skipped;          /* 合计 / note rows below the data, skipped */
	size_t outside;          /* households assigned to no village of this store */
	int header_missing;      /* refused: no header row found (a mapping may help) */
	int needs_replace;       /* refused: a roster exists and replacing was not allowed */
	struct roster_diff *diff; /* against the roster replaced (or not), or NULL */
};

/* What a new 低保 roster changes against the one it replaces: households by
 * 户主身份证号, persons by 身份证号, amounts in cents. lines: one per household
 * added, removed or changed ("新增：王五（3415…）2 人，月保障金 600.00 元"). */
struct roster_diff {
	char *old_file_name, *old_imported_at, *old_month; /* old_month may be NULL */
	size_t old_households, old_persons, new_households, new_persons;
	size_t added_households, removed_households, changed_households;
	size_t added_persons, removed_persons;
	long long old_amount_cents, new_amount_cents; /* 月保障金 in all */
	char **lines;
	size_t nlines;
};

void roster_diff_free(struct roster_diff *d);

/* d as lines to show (malloc'd array of malloc'd strings, *n of them; free
 * each and the array): what it is compared with, the totals before and after,
 * the counts, a warning when new_month (the new roster's, may be NULL) is
 * earlier than the old one's, then d->lines. */
char **roster_diff_text(const struct roster_diff *d, const char *new_month, size_t *n);

/* One column mapping: the import's column (its name in messages, "身份证号")
 * is read from the header cell named header ("证件号码"). */
struct roster_column_map {
	char column[64];
	char header[128];
};

/* Parse "身份证号=证件号码" (full-width ＝ accepted, spaces trimmed) into m.
 * TZ_EUSAGE with a Chinese message when it is not of that form. */
int roster_column_map_parse(const char *spec, struct roster_column_map *m, struct tz_error *err);

/* How a 低保 roster is imported. */
struct roster_dibao_options {
	const struct roster_column_map *map; /* nmap mappings, applied before the synonyms */
	size_t nmap;
	int replace; /* 0: when the store has a roster of its own already, compute
			the difference into rep->diff, write nothing and refuse
			(rep->needs_replace); 1: replace it (rep->diff still set) */
};

void roster_report_free(struct roster_report *rep);

/* Read the file at path into memory (caller frees *data). Refuses a file over
 * CSV_MAX_FILE_NBYTES before reading it. Returns TZ_OK or TZ_EFAIL. */
int roster_read_file(const char *path, char **data, size_t *nbytes, struct tz_error *err);

/* Load registered households and their members from data (nbytes bytes of the
 * file; file_name is for the audit log) into the village store s: one row per
 * member, grouped into households by 户编号 (columns: see the comment block at
 * the top of src/roster/roster_households.c, and `taizhang import --help`).
 * Villager groups are found by name or created. Returns TZ_OK with the counts in rep;
 * TZ_EFAIL with err saying why and, when rows are bad, every one of them in
 * rep->problems — nothing is written then. s must not be in a transaction. */
int roster_import_households(struct store *s, const char *file_name, const char *data,
			     size_t nbytes, struct roster_report *rep, struct tz_error *err);

/* Replace the 低保 roster with the one in data, keeping a roster_imports row
 * for each import. Same contract as above, replacing without asking
 * (roster_import_dibao_with, replace = 1, no mapping). */
int roster_import_dibao(struct store *s, const char *file_name, const char *data,
			size_t nbytes, struct roster_report *rep, struct tz_error *err);

/* The 低保 roster as county systems export it (src/roster/roster_dibao.c):
 * one row per person or one per household, found by its Chinese headers
 * (columns named by o->map first), title rows above the header and 合计 or
 * note rows below the data skipped. Each row is assigned to a village of the
 * store (village-code column, else its 村 name). Refuses with
 * rep->header_missing when no header is found (err lists the header cells
 * seen and how to map them), with rep->needs_replace when a roster of this
 * store's exists and o->replace is 0 (rep->diff says what would change).
 * Otherwise as roster_import_households. */
int roster_import_dibao_with(struct store *s, const char *file_name, const char *data,
			     size_t nbytes, const struct roster_dibao_options *o,
			     struct roster_report *rep, struct tz_error *err);

/* ---- comparison ---- */

/* One household, as the comparison shows it. */
struct roster_household {
	char *head_name;      /* 户主 (or the first member when none is marked) */
	char *head_idcard;
	char *place;          /* registered: the villager group; 低保: the village */
	char *status;         /* registered: the status label; 低保: NULL */
	size_t nmembers;      /* registered: members present; 低保: its 保障人数 (the
				 roster's column, else its rows) */
	int ledger_dibao;     /* registered: the ledger records 低保 now (social_security) */
	/* For a matched household: the person found on both sides. */
	char *matched_name;
	char *matched_idcard;
};

struct roster_household_list {
	struct roster_household *items;
	size_t n;
};

struct roster_comparison {
	char *imported_at;    /* when the 低保 roster was imported (UTC) */
	char *file_name;      /* and from which file */
	size_t registered;    /* registered households in the store */
	size_t dibao;         /* 低保 households in the roster */
	/* Registered households with a member on the 低保 roster, by registered
	 * household; 低保 households with a member among the registered, by 低保
	 * household. */
	struct roster_household_list registered_matched, dibao_matched;
	/* Registered households none of whose members is on the roster. */
	struct roster_household_list registered_only;
	/* 低保 households none of whose people is a registered member. */
	struct roster_household_list dibao_only;
	/* Registered households whose ledger records 低保 now (social_security,
	 * kind dibao, started, not ended) but none of whose members is on the
	 * roster; and households on the roster whose ledger does not record it. */
	struct roster_household_list ledger_not_on_roster, roster_not_in_ledger;
	size_t ledger_dibao;  /* registered households whose ledger records 低保 */
	size_t dibao_persons; /* 保障人数 of the roster's households, in all */
	/* At a town (village NULL): each village compared with its own roster,
	 * the lists above are theirs together; and how many households of the
	 * town's own (county) roster fell to no village. */
	struct roster_village_comparison *villages;
	size_t nvillages;
	size_t unassigned;
};

/* One village of a town's comparison: where its roster came from and counts. */
struct roster_village_comparison {
	char code[13];
	char *name;
	char *file_name;   /* NULL: the village has no roster */
	char *imported_at;
	int county;        /* 1: its rows of the town's (county) roster */
	size_t registered, dibao, dibao_persons, registered_only, dibao_only;
	size_t ledger_not_on_roster;
};

/* Compare the registered households of s with its 低保 roster, matching by the
 * ID number of any member on either side (full-width digits folded, x read as
 * X). Lists are ordered by place, then head's name. At a town store every
 * village is compared with its own roster (roster_compare_dibao_village) and
 * the results put together, with a summary per village. Returns TZ_OK;
 * TZ_EFAIL when no 低保 roster has been imported. Free with
 * roster_comparison_free. */
int roster_compare_dibao(struct store *s, struct roster_comparison *out, struct tz_error *err);

/* The same for one village of s (a town store holds many): its registered
 * households (households.village_code) against its roster: the newer of the
 * 低保 roster it imported last (roster_imports.owner: an import comes with the
 * rows of the store that made it) and the rows of the town's own (county)
 * roster assigned to it (dibao_roster.roster_village). village NULL: at a
 * village store every household against its roster; at a town, as
 * roster_compare_dibao. Returns as roster_compare_dibao. */
int roster_compare_dibao_village(struct store *s, const char *village,
				 struct roster_comparison *out, struct tz_error *err);

void roster_comparison_free(struct roster_comparison *c);

/* Only the counts of roster_compare_dibao_village (what a report shows): the
 * same numbers, without the lists, names or order, and so much cheaper. */
struct roster_comparison_counts {
	char *imported_at;      /* as in struct roster_comparison */
	char *file_name;
	size_t registered;      /* registered households */
	size_t dibao;           /* 低保 households in the roster */
	size_t registered_only; /* registered_only.n of the comparison */
	size_t dibao_only;      /* dibao_only.n of the comparison */
	size_t ledger_dibao;          /* as in struct roster_comparison */
	size_t ledger_not_on_roster;  /* ledger_not_on_roster.n */
	size_t roster_not_in_ledger;  /* roster_not_in_ledger.n */
	size_t dibao_persons;
};

/* Returns as roster_compare_dibao_village. Free with
 * roster_comparison_counts_free (also after a failure). */
int roster_compare_dibao_counts(struct store *s, const char *village,
				struct roster_comparison_counts *out, struct tz_error *err);
void roster_comparison_counts_free(struct roster_comparison_counts *c);

/* The registered side of those counts for every village of the store (its
 * households, whether the ledger records 低保 for each, and their present
 * members' ID numbers), read in one pass over each of those tables in its
 * stored order: for counting many villages of a town, which read one by one
 * look their households' members up all over the store. Free with
 * roster_registered_free. */
struct roster_registered;
int roster_registered_read(struct store *s, struct roster_registered **out, struct tz_error *err);
void roster_registered_free(struct roster_registered *reg);

/* roster_compare_dibao_counts of village (not NULL) with its registered side
 * from reg (NULL: read it). */
int roster_compare_dibao_counts_with(struct store *s, const char *village,
				     const struct roster_registered *reg,
				     struct roster_comparison_counts *out, struct tz_error *err);

/* The ID number text as compared: full-width folded, spaces trimmed, x upper
 * case; into out (cap bytes). For matching only: it does not check the number. */
void roster_idcard_key(const char *text, char *out, size_t cap);

/* ---- the town's comparison, dispatched (src/roster/dibao_dispatch.c) ---- */

struct dibao_dispatch_options {
	const char *deadline; /* required: the problems' deadline, as typed */
	const char *person;   /* required: who is responsible */
	const char *unit;     /* required: which unit (e.g. 民政办) */
};

struct dibao_dispatch_result {
	size_t villages;   /* villages with a mismatch */
	size_t dispatched; /* problems created now */
	size_t already;    /* mismatches that already had an open problem */
};

/* At a town store: compare every village's registered households with the
 * town's latest 低保 roster and dispatch one problem per mismatch (see
 * dibao_dispatch.c), one transaction per village. TZ_EUSAGE at a village store;
 * TZ_EFAIL when the town has no roster or a problem is refused (nothing of that
 * village is written). */
int dibao_dispatch(struct store *s, const struct dibao_dispatch_options *o,
		   struct dibao_dispatch_result *r, struct tz_error *err);

#endif
