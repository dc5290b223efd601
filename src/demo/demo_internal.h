/*
 * demo_internal.h — what the files of the demo village share (not a public
 * header; the public one is include/taizhang/demo.h). The demo is not part of
 * the model: it writes a store through the store's and the model's public
 * functions and its own SQL, and calls nothing above them (no tui/, no cli/).
 *
 * The files, each one part, in layers: a file calls only the files listed
 * below it, never one above, so no two parts call each other.
 *
 *   demo.c            the entry point (demo_populate): options, the store's
 *                     checks, the villager groups, the batches;
 *   demo_town.c       the demo town: its villages' codes and names;
 *   demo_village.c    the village's own people (planned before any household)
 *                     and records: cadres, staff, leaders, trainings, projects;
 *   demo_outside.c    households outside the register, between registered
 *                     ones: marginal households, 低保 households not registered;
 *   demo_last.c       the last batch: problems, complaints, typical cases, and
 *                     the anomalies that only make sense across households;
 *   demo_household.c  one household's campaign records: status history,
 *                     member changes, procedures, cadre, four lists, visits;
 *   demo_sectors.c    one household's rows in the sector ledgers: health,
 *                     schooling, housing, industry, jobs, loans, insurance,
 *                     social security and the 低保 roster;
 *   demo_people.c     one household and its people (who they are);
 *   demo_rows.c       writing rows (demo_insert), reading back households;
 *   demo_draw.c       small values drawn from a stream: days, money, names,
 *                     phones, row ids, ID numbers.
 *
 * Rows are written through demo_insert with a sticky error (struct demo's rc):
 * after the first failure every further insert is skipped, and the batch that
 * was running rolls back. So generators are void and check nothing; the batch
 * checks d->rc once per household.
 */
#ifndef TAIZHANG_DEMO_INTERNAL_H
#define TAIZHANG_DEMO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/date.h"
#include "taizhang/demo.h"
#include "taizhang/idcard.h"
#include "taizhang/ids.h"
#include "taizhang/rng.h"

#define DEMO_MAX_MEMBERS 6 /* the head and at most five others */
#define DEMO_MAX_GROUPS 10
#define DEMO_NAME_NBYTES 16  /* surname and 1-2 characters: at most 9 bytes */
#define DEMO_PHONE_NBYTES 12 /* 11 digits */
#define DEMO_HOME_REGION "341522" /* 霍邱县 */
#define YEAR_DAYS 365
#define DEMO_NO_DAY INT32_MIN /* a date left empty */
#define DEMO_VILLAGE_NAME_NCHARS 20 /* demo_options.village_name */
#define DEMO_POVERTY_LINE_YUAN 3700 /* the default of policy income_line_cents */

/* Streams of the seed (rng_seed_stream). Household i uses STREAM_HOUSEHOLD + i
 * (i < 100000); the others are far above. */
#define STREAM_GROUPS 0
#define STREAM_HOUSEHOLD 1
#define STREAM_VILLAGE (UINT64_C(1) << 40)
#define STREAM_MARGINAL (UINT64_C(2) << 40)   /* + index of the marginal household */
#define STREAM_DIBAO_ONLY (UINT64_C(3) << 40) /* + index of the 低保-only household */
#define STREAM_LAST (UINT64_C(4) << 40)       /* village records written last */

/* ---- the records being built ---- */

struct member {
	char id[IDS_NCHARS + 1];
	char name[DEMO_NAME_NBYTES];
	const char *region;        /* of the ID number */
	char idcard[IDCARD_NCHARS + 1];
	const char *relation;      /* code_list relation */
	char sex;                  /* 'M' or 'F' */
	int32_t birth;             /* day number */
	char birth_text[DATE_NCHARS + 1];
	const char *health;        /* code_list health */
	char disability[16];       /* "肢体三级"; empty unless disabled */
	int disability_grade;      /* 1..4; 0 unless disabled */
	const char *schooling;     /* code_list schooling */
	const char *work_ability;  /* code_list work_ability */
	char phone[DEMO_PHONE_NBYTES]; /* empty: none */
	const char *status;        /* code_list member_status */
};

struct household {
	unsigned index;            /* 0-based, in the order of creation */
	char id[IDS_NCHARS + 1];
	int group;
	char surname[8];
	int frail_head;            /* shape says the head is likely ill or disabled */
	char address[64];
	char phone[DEMO_PHONE_NBYTES]; /* empty: none */
	const char *status;
	const char *cause;
	int64_t income_cents;
	char identified_on[DATE_NCHARS + 1];
	char exited_on[DATE_NCHARS + 1]; /* empty: none */
	int exit_year;             /* exited, monitored, fell back: the year of exit */
	int back_year;             /* fell back: the year it fell back */
	char note[128];            /* empty: none */
	int nmembers;
	char member_ids[DEMO_MAX_MEMBERS][IDS_NCHARS + 1];
	struct member members[DEMO_MAX_MEMBERS];
};

struct group_name {
	const char *surname; /* NULL: not a family name */
	const char *name;
};

struct group {
	char id[IDS_NCHARS + 1];
	const struct group_name *name;
	unsigned weight;           /* relative size */
	int last_house_no;
	char leader[DEMO_NAME_NBYTES]; /* 村民小组长, who signs the group's reviews */
};

/* The ID numbers used so far (first 17 digits as an integer). */
struct idset {
	uint64_t *slots; /* open addressing; 0 marks an empty slot */
	size_t nslots;   /* a power of two */
	size_t count;
};

/* A 帮扶责任人 or other cadre of the village's books. */
struct cadre {
	char id[IDS_NCHARS + 1];
	char name[DEMO_NAME_NBYTES];
	const char *role;          /* code_list cadre_role */
	char unit[96];             /* free text: 县林业局, 示范村两委 ... */
	char title[32];            /* 村党总支书记, 驻村第一书记, 镇党委委员 ... */
	char phone[DEMO_PHONE_NBYTES];
};

/* Tables the demo writes with demo_insert (households, members and groups have
 * their own statements in demo_rows.c). */
enum demo_table {
	DEMO_T_VILLAGES,
	DEMO_T_STATUS_HISTORY,
	DEMO_T_MEMBER_CHANGES,
	DEMO_T_MARGINAL,
	DEMO_T_MARGINAL_MEASURES,
	DEMO_T_PROCEDURE_STEPS,
	DEMO_T_FOUR_LISTS,
	DEMO_T_FAMILY_DOCTOR,
	DEMO_T_CHRONIC,
	DEMO_T_REIMBURSEMENTS,
	DEMO_T_SCHOOLING,
	DEMO_T_YULU,
	DEMO_T_HOUSING,
	DEMO_T_INDUSTRY,
	DEMO_T_EMPLOYMENT,
	DEMO_T_LOANS,
	DEMO_T_INSURANCE,
	DEMO_T_SECURITY,
	DEMO_T_CADRES,
	DEMO_T_UNIT_ASSIGNMENTS,
	DEMO_T_CADRE_ASSIGNMENTS,
	DEMO_T_VISITS,
	DEMO_T_STAFF,
	DEMO_T_LEADERS,
	DEMO_T_BASES,
	DEMO_T_TRAININGS,
	DEMO_T_CASES,
	DEMO_T_COMPLAINTS,
	DEMO_T_PROJECTS,
	DEMO_T_PROJECT_STAGES,
	DEMO_T_MONITORING,
	DEMO_T_PROBLEMS,
	DEMO_T_PROBLEM_EVENTS,
	DEMO_T_ROSTER_IMPORTS,
	DEMO_T_DIBAO_ROSTER,
	DEMO_T_INSPECTIONS,
	DEMO_T_MEMBERS_RAW, /* a member written outside a household's batch */
	DEMO_T_COUNT
};

/* Running counts that decide where the planted findings go: every k-th
 * qualifying record gets one, so their number follows the village's size and
 * the first households of a village are the same whatever its size. */
struct demo_tally {
	unsigned households;       /* registered households so far */
	unsigned exited;           /* exited or monitored households */
	unsigned exited_schoolkids; /* of those, with a child of compulsory school age */
	unsigned poor;             /* households not exited (identified, helped, fell back) */
	unsigned poor_schoolkids;  /* of those, with a child of compulsory school age */
	unsigned assignments;      /* cadre assignments */
	unsigned dibao;            /* registered households on 低保 */
};

struct demo {
	struct store *s;
	sqlite3 *db;
	uint64_t seed;
	unsigned nhouseholds;
	int32_t today;
	char today_text[DATE_NCHARS + 1];
	char stamp[32];            /* created_at / updated_at */
	char village[KEYRING_CODE_NCHARS + 1];
	char village_name[64];     /* store_meta name, or demo_options.village_name */
	int in_town;               /* writing a village's rows into a town store */
	int ngroups;
	struct group groups[DEMO_MAX_GROUPS];
	unsigned group_weights[DEMO_MAX_GROUPS];
	struct idset used;
	sqlite3_stmt *insert_group;
	sqlite3_stmt *insert_household;
	sqlite3_stmt *insert_member;
	sqlite3_stmt *stmts[DEMO_T_COUNT];

	/* Policy numbers (db/003_reference.sql). */
	int notice_days;
	int school_age_min, school_age_max;
	int64_t income_line_cents;

	/* The village's people, planned before any household (demo_village.c). */
	struct cadre *cadres;
	size_t ncadres;
	size_t nhelpers;           /* cadres [0, nhelpers) are assigned households */
	char secretary[DEMO_NAME_NBYTES];   /* 村党总支书记 */
	char chairman[DEMO_NAME_NBYTES];    /* 村委会主任 */
	char first_secretary[DEMO_NAME_NBYTES]; /* 驻村第一书记 */
	char town_officer[DEMO_NAME_NBYTES];    /* 镇扶贫办 */
	char county_officer[DEMO_NAME_NBYTES];  /* 县扶贫办 */
	char doctors[3][40];       /* 家庭医生团队 */
	char units[2][32];         /* the two units assigned to the village */
	char roster_import_id[IDS_NCHARS + 1];
	int roster_line;           /* last line written to the 低保 roster */

	struct demo_tally tally;
	int rc;                    /* sticky: the first failure of demo_insert */
	struct tz_error *err;
};

/* The dates a household's records follow (demo_household.c). */
struct household_dates {
	int32_t identified;
	int32_t helped;   /* DEMO_NO_DAY: still newly identified */
	int32_t exited;   /* DEMO_NO_DAY: never exited */
	int32_t since;    /* the cadre's assignment */
};

/* A household already written, as demo_pick_household finds it. */
struct picked {
	char id[IDS_NCHARS + 1];
	char head[DEMO_NAME_NBYTES];
	char group[32];
	int32_t identified;
	int found;
};

/* ---- values of a row (demo_insert) ---- */

enum demo_val_kind { DEMO_V_NULL, DEMO_V_TEXT, DEMO_V_INT, DEMO_V_DAY };

struct demo_val {
	enum demo_val_kind kind;
	const char *text;          /* DEMO_V_TEXT: NULL or "" is written as NULL */
	int64_t num;               /* DEMO_V_INT; DEMO_V_DAY: a day number (DEMO_NO_DAY: NULL) */
};

#define DV_T(x) ((struct demo_val){ DEMO_V_TEXT, (x), 0 })
#define DV_I(x) ((struct demo_val){ DEMO_V_INT, NULL, (int64_t)(x) })
#define DV_D(x) ((struct demo_val){ DEMO_V_DAY, NULL, (int64_t)(x) })
#define DV_N ((struct demo_val){ DEMO_V_NULL, NULL, 0 })

/* ---- demo_rows.c: writing rows ---- */

/* Insert one row of table: id, then the table's columns in the order of its
 * entry in demo_rows.c (owner, created_at and updated_at are filled in). Does
 * nothing once d->rc is set; sets it (and d->err) on failure. */
void demo_insert(struct demo *d, enum demo_table table, const char *id,
		 const struct demo_val *values, size_t nvalues);
#define DEMO_ROW(d, table, id, ...)                                                   \
	demo_insert((d), (table), (id), (const struct demo_val[]){ __VA_ARGS__ },     \
		    sizeof((const struct demo_val[]){ __VA_ARGS__ }) / sizeof(struct demo_val))

/* Run sql (no result rows) with text parameters ?1.. (NULL ends them); sticky
 * error as demo_insert. */
void demo_exec(struct demo *d, const char *sql, const char *p1, const char *p2,
	       const char *p3);

/* Prepare sql on the store into *out (caller finalizes). Returns TZ_OK or
 * TZ_EFAIL with err set. */
int demo_prepare(struct demo *d, const char *sql, sqlite3_stmt **out, struct tz_error *err);
/* Prepare the statements of groups, households and members; demo_rows_finalize
 * finalizes them and those demo_insert prepared (also after a failure). */
int demo_rows_prepare(struct demo *d, struct tz_error *err);
void demo_rows_finalize(struct demo *d);
/* Write the villager groups d->groups; h's household row and its members.
 * Return TZ_OK or TZ_EFAIL with err set. */
int demo_insert_groups(struct demo *d, struct tz_error *err);
int demo_insert_household(struct demo *d, const struct household *h, struct tz_error *err);

/* One household of the village matching where (an SQL condition on h, the
 * head m and the group g, with the date ?1 = today), chosen with r; found = 0
 * when none or once d->rc is set. */
struct picked demo_pick_household(struct demo *d, struct rng *r, const char *where);

/* ---- demo_draw.c: small values drawn from a stream ---- */

/* A day in [lo, hi] (hi < lo gives lo). */
int32_t demo_day_between(struct rng *r, int32_t lo, int32_t hi);
/* A day in [lo, hi], never after today (an empty range gives its upper end). */
int32_t demo_past_day(const struct demo *d, struct rng *r, int32_t lo, int32_t hi);
/* A birth day for someone min_age..max_age years old on today. */
int32_t demo_birth_for_age(struct rng *r, int32_t today, int min_age, int max_age);
/* day plus months calendar months, the day of month kept (or the month's last). */
int32_t demo_add_months(int32_t day, int months);
/* The day someone born on birth turns years old. */
int32_t demo_birthday(int32_t birth, int years);
int32_t demo_max_day(int32_t a, int32_t b);
int32_t demo_min_day(int32_t a, int32_t b);
/* A whole number of yuan in [lo_yuan, hi_yuan], in 分. */
int64_t demo_money(struct rng *r, int lo_yuan, int hi_yuan);
/* A time on day, as the store writes times (UTC; 09:00-16:59 in China). */
void demo_time_on(struct rng *r, int32_t day, char out[32]);

/* A reproducible row id: 32 lowercase hex digits from r. */
void demo_id(struct rng *r, char out[IDS_NCHARS + 1]);
/* The same, beginning with DEMO_INVALID_ID_PREFIX: a row the demo leaves invalid
 * on purpose (demo.h). */
void demo_invalid_id(struct rng *r, char out[IDS_NCHARS + 1]);

void demo_pick_surname(struct rng *r, char out[8]);
void demo_pick_other_surname(struct rng *r, const char *avoid, char out[8]);
/* Append a given name fitting the birth year and sex to out. */
void demo_pick_given_name(struct rng *r, int birth_year, char sex, char *out,
			  size_t out_nbytes);
/* A whole name: a surname and a given name. */
void demo_pick_name(struct rng *r, int birth_year, char sex, char out[DEMO_NAME_NBYTES]);
/* The name of an adult born between first_year and last_year, a man with
 * male_percent percent chance (draws the sex, then the year, then the name). */
void demo_pick_adult_name(struct rng *r, int first_year, int last_year, unsigned male_percent,
			  char out[DEMO_NAME_NBYTES]);
void demo_pick_phone(struct rng *r, char out[DEMO_PHONE_NBYTES]);
/* An ID number of region for someone born on birth of sex, unique in the
 * village (struct idset). Sets d->rc on failure. */
void demo_make_idcard(struct demo *d, struct rng *r, const char *region, int32_t birth,
		      char sex, char out[IDCARD_NCHARS + 1]);
/* The code_list label of a relation code (户主, 配偶 ...). */
const char *demo_relation_label(const char *relation);
/* The second of the pair in pairs (n of them) whose first is key; otherwise
 * when none is. DEMO_LOOKUP counts the pairs of an array. */
const char *demo_lookup(const char *const (*pairs)[2], size_t n, const char *key,
			const char *otherwise);
#define DEMO_LOOKUP(pairs, key, otherwise) \
	demo_lookup(pairs, sizeof pairs / sizeof pairs[0], key, otherwise)

/* ---- demo_people.c: a household and its people ---- */

/* Build registered household number index (0-based) into h, from its own
 * stream, left in *r for the household's other records. Returns TZ_OK, or
 * d->rc when an ID number could not be made. */
int demo_make_household(struct demo *d, unsigned index, struct household *h, struct rng *r);
int demo_is_exited(const struct household *h); /* exited or monitored */
int demo_is_present(const struct member *m);   /* status present (在户) */
int demo_present_count(const struct household *h);
int demo_age(const struct demo *d, const struct member *m); /* on today */

/* ---- demo_sectors.c ---- */

/* h's rows in the sector ledgers, drawn from r after its campaign records;
 * the planted findings as demo_household.c chose them (dropout NULL: none). */
void demo_sector_records(struct demo *d, struct rng *r, const struct household *h,
			 const struct household_dates *t, int no_doctor, int unsafe,
			 const struct member *dropout);

/* ---- demo_household.c ---- */

/* Every record of h beyond the household and member rows, drawn from r (the
 * household's stream, after what built h). */
void demo_household_records(struct demo *d, struct rng *r, const struct household *h);

/* ---- demo_village.c ---- */

/* Plan the village's people (cadres, officials, doctors, units) before any
 * household is built. */
void demo_plan_village(struct demo *d);
void demo_free_village(struct demo *d);
/* The village's own records, written with the first batch. */
void demo_village_records(struct demo *d);

/* ---- demo_outside.c ---- */

/* The records written after registered household index (0-based): one marginal
 * household every 20, one 低保 household that is not registered every 25. */
void demo_between_households(struct demo *d, unsigned index);

/* ---- demo_last.c ---- */

/* The records written with the last batch: problems, complaints, typical
 * cases, the anomalies across households, the 低保 import's row count. */
void demo_last_records(struct demo *d);

/* ---- demo_town.c ---- */

/* Whether text is a division code: KEYRING_CODE_NCHARS ASCII digits. */

#endif
