/*
 * notice.h — the printable public notices of the identification and exit
 * procedure "两评议两公示一比对一公告": the 村内公示 for the village board, the
 * 乡镇公示 at the township, and the 公告, each listing the households, the
 * dates and the objection period (policy notice_days), as text and as an A4
 * Excel sheet ready to print.
 *
 * A notice is built from the ledger (procedure_steps, households, members):
 * for the procedure asked (identify or exit), the households whose latest
 * round has passed the step the notice follows (村内公示 follows the village
 * review, 乡镇公示 the comparison, 公告 the 乡镇公示), and that either have
 * not had this notice yet or had it starting on the notice's first day (so a
 * notice already posted prints again with its recorded dates). One notice per
 * village: a town store builds one for each of its villages that has
 * households to list.
 *
 * ID numbers are printed masked (first 6 and last 4 digits): a notice hangs
 * on a public board.
 *
 * Not here: recording the notice as a procedure step (the procedure form),
 * and checking its length afterwards (rules_procedure.c, procedure-notice-short).
 */
#ifndef TAIZHANG_NOTICE_H
#define TAIZHANG_NOTICE_H

#include <stdio.h>

#include "taizhang/date.h"
#include "taizhang/error.h"
#include "taizhang/store.h"

enum notice_stage {
	NOTICE_VILLAGE,  /* 村内公示, after village_review */
	NOTICE_TOWN,     /* 乡镇公示, after comparison */
	NOTICE_ANNOUNCE, /* 公告, after town_notice: no objection period */
};

struct notice_row {
	char *household_id;
	char *group_name;  /* 村民小组, "" when not recorded */
	char *head_name;   /* 户主 */
	char *idcard;      /* the head's, masked: 341522********1234 */
	int size;          /* members present */
	char *basis;       /* identify: 致贫原因; exit: 人均纯收入 "5000 元" ("" none) */
	char *prior_on;    /* the date of the step the notice follows */
};

struct notice {
	char *village_code, *village_name;
	const char *procedure;        /* "identify" or "exit" (static) */
	enum notice_stage stage;
	char from[DATE_NCHARS + 1];   /* the notice's first day */
	char to[DATE_NCHARS + 1];     /* its last day (from for an announcement) */
	int days;                     /* its length in days, both ends counted */
	char *issuer;                 /* who signs it: "示范村村民委员会", "××镇扶贫开发领导小组" */
	struct notice_row *rows;
	size_t n, cap;
	long long persons;            /* the rows' sizes added up */
};

struct notice_set {
	struct notice *items;
	size_t n, cap;
};

struct notice_options {
	const char *procedure;   /* "identify" or "exit" */
	enum notice_stage stage;
	const char *from;        /* the first day (as typed: 2019-05-16, 2019年5月16日); NULL: today */
};

/* Build the notices of s (one per village with households to list, by
 * village code) into out. A notice runs policy notice_days days from o->from
 * (both ends counted), or to the recorded end date of a notice already
 * recorded from that day when that is later (a recorded notice shorter than
 * the policy prints with the period the policy requires). Returns TZ_OK (an empty set when
 * nothing is due); TZ_EUSAGE for a procedure or date that is not one; TZ_EFAIL
 * when notice_days is missing from the policy table or reading fails. Free out
 * with notice_set_free anyway. */
int notice_build(struct store *s, const struct notice_options *o, struct notice_set *out,
		 struct tz_error *err);
void notice_set_free(struct notice_set *set);

/* The notice's heading: "示范村贫困户识别（纳入）村内公示", into a malloc'd string. */
char *notice_title(const struct notice *n);

/* Write n as plain text (UTF-8, columns aligned for a fixed-width font). */
void notice_write_text(FILE *out, const struct notice *n);

/* Write n into dir as 公示_<title>_<from>.txt and .xlsx (A4, landscape, the
 * table with borders and the header repeated on every page), each atomically
 * and mode 0600. *txt_path and *xlsx_path (malloc'd, caller frees) name the
 * files written. Returns TZ_OK or TZ_EFAIL (nothing half-written is left). */
int notice_write_files(const struct notice *n, const char *dir, char **txt_path,
		       char **xlsx_path, struct tz_error *err);

#endif
