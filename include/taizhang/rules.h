/*
 * rules.h — the precision checks (精准核查): rules that read the ledgers and
 * report findings, and the one step that turns findings into problems.
 *
 * A rule is an entry of a const table: a stable ASCII id ("exited-dropout-child"),
 * a Chinese title and description, the problem area (one of the ten) and task
 * (one of the 19) its findings belong to, and a function that produces them.
 * The words and the place are data (src/rules/data/rules.ini, carried in the
 * binary); the logic is C (src/rules/rules_*.c).
 * Every rule is one SQL statement (two, the order and completeness of the
 * procedure's steps, work out in C from one pass over the steps which ones to
 * describe, the statement describing them); the policy numbers it compares
 * against come from the policy table (db/003_reference.sql), never from
 * constants here.
 *
 * A finding names the rule, the village, the table and row it points at, the
 * household when there is one, and a Chinese sentence naming the household head
 * or person and what is wrong. Its ref is the stable key of what is wrong (a row
 * id, sometimes with a qualifier such as the month), which the problem ledger
 * keeps in problems.finding_ref so that the same finding never opens two
 * problems at once.
 *
 * A village store checks its own village; a town store checks every village it
 * holds. Everything is "as of" a date (default: date_today()): records dated
 * after it (a schooling status, a housing assessment, a visit, a measure) are
 * not counted.
 *
 * Every finding carries its area, task and the unit responsible: the code of
 * one of the task's lead units (task_units, units), the rule's own when the
 * task has several (water safety is 镇水利站's among task 2's), else the task's
 * first. Rule ids are internal keys (problems.finding_rule keeps them); what an
 * officer reads is the rule's Chinese title.
 *
 * Not here: printing (cmd_check.c), and the state machine of problems
 * (problem.h).
 */
#ifndef TAIZHANG_RULES_H
#define TAIZHANG_RULES_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/store.h"

struct rule;
struct findings;
struct rules_ctx; /* private to src/rules/ */

enum rule_flags {
	/* Findings of this rule are about problems already in the ledger (an overdue
	 * problem), so rules_to_problems never makes problems of them. */
	RULE_NO_PROBLEMS = 1 << 0,
};

struct rule {
	const char *id;          /* stable ASCII, e.g. "exited-dropout-child" */
	const char *title;       /* Chinese, one line */
	const char *description; /* Chinese: what is checked and against which policy */
	int area;                /* 1..10 (problem_areas) */
	int task;                /* 1..19 (tasks) */
	/* The responsible unit's code (units.code), one of the task's lead units;
	 * NULL: the task's first lead unit. */
	const char *unit;
	/* For the rules of 两不愁三保障 and the income line: the short Chinese name
	 * of the guarantee a finding says is not met ("住房安全"), which the
	 * monitoring view lists per household; NULL for other rules. */
	const char *guarantee;
	unsigned flags;          /* enum rule_flags */
	/* Append this rule's findings to out. Returns a tz status. NULL: the
	 * rule is its statement alone, run by rules_find_sql. */
	int (*find)(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
		    struct tz_error *err);
	const char *sql;         /* the statement find (or rules_find_sql) runs, or NULL */
};

struct finding {
	const struct rule *rule;
	char *village_code;
	char *table;        /* the table the row is in: households, members, ... */
	char *row_id;       /* that row's primary key */
	char *ref;          /* stable key of what is wrong (problems.finding_ref) */
	char *household_id; /* NULL when the finding is not about a household */
	char *detail;       /* Chinese, one line */
	int area, task;     /* the rule's */
	char *unit;         /* the responsible unit's code (units.code) */
	char *unit_name;    /* its name; for 各村(居), the finding's village's name */
};

/* A growing array of findings; zero-initialise, free with findings_free. */
struct findings {
	struct finding *items;
	size_t n, cap;
};
void findings_free(struct findings *f);

/* The rules, in the order they run and are shown (count in *n). */
const struct rule *const *rules_all(size_t *n);
/* The rule with this id or this Chinese title, or NULL. */
const struct rule *rules_find(const char *id);

struct rules_options {
	const char *as_of;       /* YYYY-MM-DD (or as typed: 2019年5月1日); NULL: today */
	const struct rule *only; /* run this rule only; NULL: every rule */
	/* When not NULL, rules_check hands each rule's findings to each as soon
	 * as the rule has run (one call per rule run, in order, also with none),
	 * then frees them: out is only its scratch and is left empty, and memory
	 * holds one rule's findings at a time (a county checked on today's date
	 * finds over a million). A status other than TZ_OK from each stops the
	 * check and is returned. */
	int (*each)(void *arg, const struct rule *r, const struct findings *found,
		    struct tz_error *err);
	void *each_arg;
	/* Every rule on the caller's connection and thread alone. Otherwise a
	 * check of every rule runs on a second connection at once where it can
	 * (rules_threads.c), with the same findings handed on in the same
	 * order, and each still called on the caller's thread only. */
	int one_thread;
};

/* Run the rules on s and append their findings to out (rule by rule, in table
 * order; within a rule by village, then detail). Returns TZ_OK; TZ_EUSAGE when
 * as_of is not a date; TZ_EFAIL when a policy number is missing from the policy
 * table or reading fails; TZ_EDAMAGED. On failure out keeps what was found
 * before (free it anyway). */
int rules_check(struct store *s, const struct rules_options *o, struct findings *out,
		struct tz_error *err);

/* The Chinese names of a problem area and a task, for display:
 * "（一）扶贫对象识别准确率、退出准确率不高" and "确保扶贫对象管理精准", into
 * buffers of RULES_NAME_NBYTES. Returns TZ_OK, or TZ_EFAIL when either is
 * missing from the reference data. */
#define RULES_NAME_NBYTES 256
int rules_names(struct store *s, int area, int task, char area_name[RULES_NAME_NBYTES],
		char task_name[RULES_NAME_NBYTES], struct tz_error *err);

struct rules_problems_options {
	const char *person;   /* responsible person for every new problem; NULL: each
				 finding's (see rules_to_problems) */
	const char *deadline; /* NULL: the 'rectification' deadline if after as-of,
				 else as-of + policy problem_deadline_days */
};

struct rules_problems_result {
	size_t findings; /* findings considered (rules with RULE_NO_PROBLEMS excluded) */
	size_t created;  /* problems created */
	size_t skipped;  /* findings that already had a problem not closed */
};

/* Run the rules (o as for rules_check) and make a problem of every finding that
 * has no problem in a state other than closed: source 'finding', finding_rule =
 * the rule id, finding_ref = the finding's ref, area and task of the rule,
 * responsible unit = the finding's unit code ('zhongxinxiao'; 'villages' for a
 * task led by 各村(居): the problem's village is the one), responsible person
 * = po->person when given, else the household's assigned cadre (帮扶责任人,
 * cadre_assignments in force on as-of, the latest begun), else the director of
 * the village's 扶贫工作室 in post, else “待指定”, never the login name;
 * title = the finding's detail (the rule's title
 * when the detail is too long for a title), description = the detail. All in one
 * transaction: on failure nothing is created. Running it twice creates nothing
 * the second time. Returns as rules_check, or TZ_EFAIL when a write fails or the
 * deadline given is not a date. */
int rules_to_problems(struct store *s, const struct rules_options *o,
		      const struct rules_problems_options *po,
		      struct rules_problems_result *result, struct tz_error *err);

/* The find function of rules whose whole logic is r->sql: runs it with its named
 * parameters bound — :village (the store's division code, NULL for a town
 * store: every village), :as_of (YYYY-MM-DD), and
 * :policy_KEY (the policy table's value of KEY) — and turns each result row
 * (village, table, row_id, ref, household_id, detail) into a finding. */
int rules_find_sql(const struct rule *r, struct rules_ctx *ctx, struct findings *out,
		   struct tz_error *err);

/* ---- visits: only months that have ended ---- */

/* Days left in the month of as_of (YYYY-MM-DD), as_of itself included: 17 on
 * 2019-05-15, 1 on 2019-05-31. A month counts in visit compliance only once
 * as_of is past its last day; until then the officer reads "本月尚余 N 天".
 * Returns 0 when as_of is not a date. */
int rules_month_days_left(const char *as_of);

/* Visit compliance (task 14) of the months that have ended: for every
 * calendar month from the month of from up to the month before to's (to's own
 * month is still running on to, even on its last day), every cadre assignment of a
 * household of village (NULL: every village in the store) that covers the
 * month whole is one household-month due; met when the cadre visited that
 * household at least policy visits_per_month times in it. days_left is
 * rules_month_days_left(to). The figure the report shows as 走访达标率.
 * Returns TZ_OK; TZ_EUSAGE for a date that is not one; TZ_EFAIL when the
 * policy number is missing or reading fails. */
struct rules_visit_compliance {
	long long due, met;
	int days_left;
};
int rules_visit_compliance(struct store *s, const char *village, const char *from,
			   const char *to, struct rules_visit_compliance *out,
			   struct tz_error *err);

/* ---- monitoring: 脱贫监测户, 返贫户 and 边缘户 ---- */

/* One household watched: a registered household in status monitored or
 * fell_back, or a marginal household (边缘户) still watched. */
struct rules_watched {
	int marginal;        /* 1: marginal_households row; 0: households row */
	char *id;            /* that row's id */
	char *village_code, *village_name;
	char *kind;          /* "脱贫监测户", "返贫户", "边缘户" */
	char *head;          /* 户主 name (ID number) */
	long long income_cents; /* per-capita net income; -1 not recorded */
	char *fails;         /* the guarantees not met, "、"-separated ("" none) */
	char *risks;         /* a marginal household's risk flags ("" none) */
	char *measures;      /* measures in place on as-of, "；"-separated ("" none) */
	char *cadre;         /* the assigned cadre (帮扶责任人), "" none */
};

struct rules_watch_list {
	struct rules_watched *items;
	size_t n, cap;
	long long income_line_cents; /* policy income_line_cents */
	char as_of[11];              /* YYYY-MM-DD */
};

/* The watched households in s's scope as of o->as_of (NULL o: today), by
 * village, then kind, then head: for each, which of 两不愁三保障 and the income
 * line fail (the guarantee rules' findings, rule->guarantee), its income
 * against the line, its measures (a marginal household's marginal_measures;
 * a registered household's 措施清单 items and social-security benefits in
 * force), and its cadre. Returns as rules_check; out holds what was read
 * (free it with rules_watch_free anyway). */
int rules_watch(struct store *s, const struct rules_options *o, struct rules_watch_list *out,
		struct tz_error *err);
void rules_watch_free(struct rules_watch_list *w);

/* x's income against line as the officer reads it, into out (nbytes):
 * "2800 元，低于标准 900 元", "5000 元，高于标准 1300 元", "3700 元，达到标准",
 * "未登记". Returns out. */
char *rules_watch_income(const struct rules_watched *x, long long line, char *out,
			 size_t nbytes);

#endif
