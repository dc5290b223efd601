/*
 * report_sector.c — the sector figures (tasks 5, 6, 7, 10, 11), one row each,
 * in one table: family-doctor contracts, school-age children in school and
 * out of it, unsafe houses renovated and open, microcredit issued and repaid,
 * 低保 coverage and the comparison with the civil-affairs 低保 roster.
 *
 * Counted over the households registered at the end of the period (loans:
 * every household of the village), each figure "as of" the end as the precision
 * checks count it (src/rules/rules_guarantee.c), so that a figure and the findings
 * about it agree:
 *   - a family-doctor contract is valid on `to` when signed on or before it and
 *     not expired before it;
 *   - a child is of school age when their whole years on `to` are within policy
 *     school_age_min..school_age_max; their state is that of their latest
 *     schooling record dated on or before `to`;
 *   - a house is unsafe when its latest assessment on or before `to` rates it C
 *     or D; renovated when that record says done, renovated on or before `to`;
 *   - a loan is unpaid at the end when issued on or before `to` and not repaid
 *     on or before it; overdue when also due before `to`.
 * The roster comparison is roster_compare_dibao_village (roster.h), of which
 * only the counts are shown (roster_compare_dibao_counts: the same numbers
 * without building the lists): the village's households against the roster the
 * village imported last (a town store holds every village's imports; each is
 * the village's own). It has no period, and its rows say so. A town's report
 * reads the registered side of every village once (report_sectors_town).
 *
 * The figures are counted in C from a pass over each table, the village's
 * households and their rows together (a household's latest housing record is
 * the first of its rows dated by `to`); the school-age children are the
 * members section's (report_school), read once for both. A town counts every
 * village's contracts, houses, loans and 低保 entries in one pass over each
 * table (report_sectors_town).
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/roster.h"

static const struct report_column_def sector_columns[] = {
	{ "方面", REPORT_TEXT },
	{ "指标", REPORT_TEXT },
	{ "数量", REPORT_INT },
	{ "基数", REPORT_INT },
	{ "比例", REPORT_PERCENT },
	{ "金额（元）", REPORT_MONEY },
};

/* The loans of every household of the village (not only those registered):
 * issued and repaid in the period, not repaid on `to`, and of those, due
 * before it — counts and amounts. */
static const char loans_sql[] =
	"WITH ln AS (SELECT l.* FROM " REPORT_HH_TABLE " hh CROSS JOIN loans l"
	"  ON l.household_id = hh.id WHERE hh.village_code = :village),"
	" unpaid AS (SELECT * FROM ln WHERE issued_on <= :to"
	"  AND NOT (repaid_on IS NOT NULL AND repaid_on <= :to))"
	" SELECT"
	"  (SELECT count(*) FROM ln WHERE issued_on BETWEEN :from AND :to),"
	"  (SELECT COALESCE(sum(amount_cents), 0) FROM ln WHERE issued_on BETWEEN :from AND :to),"
	"  (SELECT count(*) FROM ln WHERE repaid_on BETWEEN :from AND :to),"
	"  (SELECT COALESCE(sum(repaid_cents), 0) FROM ln WHERE repaid_on BETWEEN :from AND :to),"
	"  (SELECT count(*) FROM unpaid),"
	"  (SELECT COALESCE(sum(amount_cents), 0) FROM unpaid),"
	"  (SELECT count(*) FROM unpaid WHERE due_on < :to),"
	"  (SELECT COALESCE(sum(amount_cents), 0) FROM unpaid WHERE due_on < :to)";

/* Registered households on 低保 on `to`: a 低保 entry of social security
 * running on that day. */
static const char dibao_sql[] =
	"SELECT count(*) FROM " REPORT_HH_TABLE " hh"
	" WHERE hh.village_code = :village AND hh.st IS NOT NULL"
	" AND EXISTS (SELECT 1 FROM social_security ss"
	"  WHERE ss.household_id = hh.id AND ss.kind = 'dibao' AND ss.start_on <= :to"
	"  AND (ss.end_on IS NULL OR ss.end_on >= :to))";

/* The registered households' family-doctor contracts, a household's rows
 * together: whether each is valid on `to` (signed on or before it, not
 * expired before it) and whether it was signed in the period. */
static const char doctor_sql[] =
	"SELECT hh.id, f.signed_on <= :to AND (f.valid_until IS NULL OR f.valid_until >= :to),"
	" f.signed_on BETWEEN :from AND :to"
	" FROM " REPORT_HH_TABLE " hh CROSS JOIN family_doctor f ON f.household_id = hh.id"
	" WHERE hh.village_code = :village AND hh.st IS NOT NULL ORDER BY hh.id";

/* The registered households' housing assessments, a household's latest first:
 * whether dated on or before `to`, rated C or D, renovated by `to` (done, on
 * its renovation date or else its assessment's), renovated in the period. */
static const char housing_sql[] =
	"SELECT hh.id, x.assessed_on <= :to, x.rating IN ('C', 'D'),"
	" x.renovation = 'done' AND COALESCE(x.renovated_on, x.assessed_on) <= :to,"
	" x.renovation = 'done' AND x.renovated_on BETWEEN :from AND :to"
	" FROM " REPORT_HH_TABLE " hh CROSS JOIN housing x ON x.household_id = hh.id"
	" WHERE hh.village_code = :village AND hh.st IS NOT NULL"
	" ORDER BY hh.id, x.assessed_on DESC, x.created_at DESC, x.id DESC";

/* The figures of the rows, before they are placed. */
struct sector_figures {
	long long registered;
	long long doctor_valid, doctor_signed;
	long long school[4]; /* children of school age; in school, dropped out, other */
	long long unsafe, unsafe_done, renovated;
	long long loans[8];  /* issued (count, 分), repaid, unpaid, of which late */
	long long dibao;
	int seen[2]; /* per_household: what the household being read has shown */
};

/* What a town's pass counts for each village (report_sectors_town): the
 * figures read from the contracts, the houses and the loans. */
struct report_sector_town {
	struct sector_figures f;
	int loans_other; /* a loan's amount was no integer: the village sums its own */
};

/* Rows of sql (one household's together, its id first) handed to add, with
 * whether the row starts a new household. */
static int per_household(struct report_ctx *c, const char *sql, struct sector_figures *f,
			 void (*add)(struct sector_figures *f, sqlite3_stmt *st, int first),
			 struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = report_prepare(c, sql, &st, err);
	if (rc != TZ_OK)
		return rc;
	char *last = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		int first = last == NULL || strcmp(last, id) != 0;
		if (first) {
			free(last);
			last = xstrdup(id);
		}
		add(f, st, first);
	}
	free(last);
	report_release(c, st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(c->s, rc, "生成报表", err);
	return TZ_OK;
}

/* A household counts once for a valid contract; every contract signed in the
 * period counts. */
static void add_doctor(struct sector_figures *f, sqlite3_stmt *st, int first)
{
	if (first)
		f->seen[0] = 0; /* a valid contract */
	if (sqlite3_column_int64(st, 1) == 1 && !f->seen[0]) {
		f->seen[0] = 1;
		f->doctor_valid++;
	}
	f->doctor_signed += sqlite3_column_int64(st, 2);
}

/* The first assessment on or before `to` is the household's latest; a
 * household counts once for a renovation in the period. */
static void add_housing(struct sector_figures *f, sqlite3_stmt *st, int first)
{
	if (first)
		f->seen[0] = f->seen[1] = 0; /* its latest assessment; a renovation */
	if (!f->seen[0] && sqlite3_column_int64(st, 1) == 1) {
		f->seen[0] = 1;
		if (sqlite3_column_int64(st, 2) == 1) {
			f->unsafe++;
			f->unsafe_done += sqlite3_column_int64(st, 3);
		}
	}
	if (!f->seen[1] && sqlite3_column_int64(st, 4) == 1) {
		f->seen[1] = 1;
		f->renovated++;
	}
}

/* One statement's single row of numbers into out. */
static int one_row(struct report_ctx *c, const char *sql, long long *out, int n,
		   struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = report_prepare(c, sql, &st, err);
	if (rc != TZ_OK)
		return rc;
	rc = sqlite3_step(st);
	for (int i = 0; rc == SQLITE_ROW && i < n; i++)
		out[i] = sqlite3_column_int64(st, i);
	report_release(c, st);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(c->s, rc, "生成报表", err);
	return TZ_OK;
}

static int sector_figures(struct report_ctx *c, struct sector_figures *f, struct tz_error *err)
{
	int rc = one_row(c,
			 "SELECT count(*) FROM " REPORT_HH_TABLE
			 " WHERE village_code = :village AND st IS NOT NULL",
			 &f->registered, 1, err);
	const struct report_sector_town *t = c->sector_town;
	if (rc == TZ_OK && t != NULL) {
		f->doctor_valid = t->f.doctor_valid;
		f->doctor_signed = t->f.doctor_signed;
		f->unsafe = t->f.unsafe;
		f->unsafe_done = t->f.unsafe_done;
		f->renovated = t->f.renovated;
	}
	if (rc == TZ_OK && t == NULL)
		rc = per_household(c, doctor_sql, f, add_doctor, err);
	if (rc == TZ_OK)
		rc = report_school(c, f->school, err);
	if (rc == TZ_OK && t == NULL)
		rc = per_household(c, housing_sql, f, add_housing, err);
	if (rc == TZ_OK && t != NULL && !t->loans_other)
		memcpy(f->loans, t->f.loans, sizeof f->loans);
	else if (rc == TZ_OK)
		rc = one_row(c, loans_sql, f->loans, 8, err);
	if (rc == TZ_OK && t != NULL)
		f->dibao = t->f.dibao;
	else if (rc == TZ_OK)
		rc = one_row(c, dibao_sql, &f->dibao, 1, err);
	return rc;
}

/* A row: group, label, count, base (has_base 0: none, and no rate), amount
 * (has_amount 0: none). */
static void sector_row(struct report_section *sec, const char *group, const char *label,
		       long long n, int has_base, long long base, int has_amount, long long amount)
{
	struct report_cell *row = report_add_row(sec);
	report_set_text(&row[0], group);
	report_set_text(&row[1], label);
	report_set_int(&row[2], n);
	if (has_base) {
		report_set_int(&row[3], base);
		report_set_percent(&row[4], n, base);
	}
	if (has_amount)
		report_set_int(&row[5], amount);
}

/* Append the rows of the 低保 roster comparison. */
static int comparison_rows(struct report_ctx *c, struct report_section *sec,
			   struct tz_error *err)
{
	const char *params[] = { c->village };
	sqlite3_stmt *count;
	int rc = store_query_one(c->s, "SELECT count(*) FROM roster_imports WHERE kind = 'dibao' AND owner = ?1",
				 params, 1, &count, "读取低保名册", err);
	if (rc != TZ_OK)
		return rc;
	int imported = count != NULL && sqlite3_column_int(count, 0) > 0;
	sqlite3_finalize(count);
	if (!imported) {
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], "保障性扶贫");
		report_set_text(&row[1], "低保名册比对（尚未导入低保名册）");
		return TZ_OK;
	}
	struct roster_comparison_counts cmp = { 0 };
	rc = roster_compare_dibao_counts_with(c->s, c->village, c->dibao_registered, &cmp, err);
	if (rc != TZ_OK) {
		roster_comparison_counts_free(&cmp);
		return rc;
	}
	struct {
		const char *label;
		size_t n, base;
		int has_base;
	} rows[] = {
		{ "低保名册户数（最近导入）", cmp.dibao, 0, 0 },
		{ REPORT_L_REGISTERED_ONLY, cmp.registered_only, cmp.registered, 1 },
		{ REPORT_L_DIBAO_ONLY, cmp.dibao_only, cmp.dibao, 1 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], "保障性扶贫");
		report_set_text(&row[1], rows[i].label);
		report_set_int(&row[2], (long long)rows[i].n);
		if (rows[i].has_base) {
			report_set_int(&row[3], (long long)rows[i].base);
			report_set_percent(&row[4], (long long)rows[i].n, (long long)rows[i].base);
		}
	}
	report_set_note(sec,
			"基数为期末已建档立卡户数（家庭医生、低保）、期末义务教育年龄段儿童数（%s）"
			"或期末 C、D 级危房户数；儿童其他情况为毕业、未入学或没有就学记录；"
			"金额：发放、未还清、已到期的为贷款金额，还清的为还款金额。"
			"低保名册比对用 %.10s 导入的名册（%s），与统计期间无关，比对户数为本村台账中全部建档立卡户。",
			"按政策参数“义务教育起始年龄”“义务教育结束年龄”", cmp.imported_at ? cmp.imported_at : "",
			cmp.file_name ? cmp.file_name : "");
	roster_comparison_counts_free(&cmp);
	return TZ_OK;
}

/* ---- a town's every village at once ---- */

/* The rows of sql (the household's id first, then the columns add reads, as
 * in the village's statement, a household's rows together) of the registered
 * households, each added to its village's figures in t. */
static int town_per_household(struct report_ctx *cs, const struct strmap *households,
			      const char *sql, struct report_sector_town *t,
			      void (*add)(struct sector_figures *f, sqlite3_stmt *st, int first),
			      struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = report_prepare(&cs[0], sql, &st, err);
	if (rc != TZ_OK)
		return rc;
	const size_t *last = NULL; /* the household being read (its map value) */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const size_t *v = report_village_of(households, st, 0);
		int first = v != last;
		last = v;
		if (v != NULL && REPORT_HH_REGISTERED(*v))
			add(&t[REPORT_HH_VILLAGE(*v)].f, st, first);
	}
	report_release(&cs[0], st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(cs[0].s, rc, "生成报表", err);
	return TZ_OK;
}

/* Add a to *sum unless it overflows; 0 when it would. */
static int add_checked(long long *sum, long long a)
{
	return !__builtin_add_overflow(*sum, a, sum);
}

/* The loans of every household of each village, summed as loans_sql sums
 * them; a village whose amounts are not all integers (sum() would give a real)
 * or whose sums overflow is left to loans_sql (loans_other). */
static int town_loans(struct report_ctx *cs, const struct strmap *households,
		      struct report_sector_town *t, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = report_prepare(&cs[0],
				"SELECT l.household_id,"
				" COALESCE(l.issued_on BETWEEN :from AND :to, 0), l.amount_cents,"
				" COALESCE(l.repaid_on BETWEEN :from AND :to, 0), l.repaid_cents,"
				" COALESCE(l.issued_on <= :to"
				"  AND NOT (l.repaid_on IS NOT NULL AND l.repaid_on <= :to), 0),"
				" COALESCE(l.due_on < :to, 0)"
				" FROM loans l",
				&st, err);
	if (rc != TZ_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const size_t *v = report_village_of(households, st, 0);
		if (v == NULL)
			continue;
		struct report_sector_town *x = &t[REPORT_HH_VILLAGE(*v)];
		int issued = sqlite3_column_int(st, 1) != 0, repaid = sqlite3_column_int(st, 3) != 0;
		int unpaid = sqlite3_column_int(st, 5) != 0, late = unpaid && sqlite3_column_int(st, 6) != 0;
		int amount_null = sqlite3_column_type(st, 2) == SQLITE_NULL;
		int repaid_null = sqlite3_column_type(st, 4) == SQLITE_NULL;
		if ((!amount_null && sqlite3_column_type(st, 2) != SQLITE_INTEGER) ||
		    (!repaid_null && sqlite3_column_type(st, 4) != SQLITE_INTEGER))
			x->loans_other = 1;
		long long amount = sqlite3_column_int64(st, 2), repaid_cents = sqlite3_column_int64(st, 4);
		long long *l = x->f.loans; /* issued, 分; repaid, 分; unpaid, 分; late, 分 */
		int ok = 1;
		if (issued) {
			l[0]++;
			ok &= add_checked(&l[1], amount);
		}
		if (repaid) {
			l[2]++;
			ok &= add_checked(&l[3], repaid_cents);
		}
		if (unpaid) {
			l[4]++;
			ok &= add_checked(&l[5], amount);
		}
		if (late) {
			l[6]++;
			ok &= add_checked(&l[7], amount);
		}
		if (!ok)
			x->loans_other = 1;
	}
	report_release(&cs[0], st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(cs[0].s, rc, "生成报表", err);
	return TZ_OK;
}

static int pointer_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const size_t *const *)a;
	uintptr_t y = (uintptr_t)*(const size_t *const *)b;
	return (x > y) - (x < y);
}

/* The registered households of each village on 低保 on `to`, counted as
 * dibao_sql counts them: the 低保 entries running on that day, each household
 * once (the address of its value in the map stands for it). */
static int town_dibao(struct report_ctx *cs, const struct strmap *households,
		      struct report_sector_town *t, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = report_prepare(&cs[0],
				"SELECT ss.household_id FROM social_security ss"
				" WHERE ss.kind = 'dibao' AND ss.start_on <= :to"
				" AND (ss.end_on IS NULL OR ss.end_on >= :to)",
				&st, err);
	if (rc != TZ_OK)
		return rc;
	const size_t **on = NULL;
	size_t n = 0, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const size_t *v = report_village_of(households, st, 0);
		if (v != NULL && REPORT_HH_REGISTERED(*v))
			*VEC_PUSH(on, n, cap) = v;
	}
	report_release(&cs[0], st);
	if (rc != SQLITE_DONE) {
		free(on);
		return store_sqlite_error(cs[0].s, rc, "生成报表", err);
	}
	if (n > 1)
		qsort(on, n, sizeof *on, pointer_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || on[i] != on[i - 1])
			t[REPORT_HH_VILLAGE(*on[i])].f.dibao++;
	free(on);
	return TZ_OK;
}

void report_sectors_town_free(struct report_ctx *c)
{
	free(c->sector_town);
	c->sector_town = NULL;
}

int report_sectors_town(struct report_ctx *cs, size_t ncs, const struct strmap *households,
			struct roster_registered **reg, struct tz_error *err)
{
	*reg = NULL;
	struct report_sector_town *t = xcalloc(ncs, sizeof *t);
	/* A household's rows together, as in doctor_sql and housing_sql (its
	 * latest assessment first: the index housing_latest read backwards). */
	int rc = town_per_household(cs, households,
					"SELECT f.household_id, f.signed_on <= :to AND (f.valid_until IS NULL"
					" OR f.valid_until >= :to), f.signed_on BETWEEN :from AND :to"
					" FROM family_doctor f ORDER BY f.household_id",
					t, add_doctor, err);
	if (rc == TZ_OK)
		rc = town_per_household(cs, households,
					"SELECT x.household_id, x.assessed_on <= :to, x.rating IN ('C', 'D'),"
					" x.renovation = 'done' AND COALESCE(x.renovated_on, x.assessed_on) <= :to,"
					" x.renovation = 'done' AND x.renovated_on BETWEEN :from AND :to"
					" FROM housing x ORDER BY x.household_id DESC, x.assessed_on DESC,"
					" x.created_at DESC, x.id DESC",
					t, add_housing, err);
	if (rc == TZ_OK)
		rc = town_loans(cs, households, t, err);
	if (rc == TZ_OK)
		rc = town_dibao(cs, households, t, err);
	for (size_t v = 0; rc == TZ_OK && v < ncs; v++) {
		report_sectors_town_free(&cs[v]);
		cs[v].sector_town = xmalloc(sizeof *cs[v].sector_town);
		*cs[v].sector_town = t[v];
	}
	free(t);
	if (rc != TZ_OK)
		return rc;
	long long any = 0;
	rc = store_query_ints(cs[0].s, "SELECT EXISTS (SELECT 1 FROM roster_imports"
					   " WHERE kind = 'dibao')",
				  NULL, 0, &any, 1, "读取低保名册", err);
	if (rc == TZ_OK && any)
		rc = roster_registered_read(cs[0].s, reg, err);
	for (size_t v = 0; rc == TZ_OK && v < ncs; v++)
		cs[v].dibao_registered = *reg;
	return rc;
}

static int build_sectors(const struct report_section_def *d, struct report_ctx *c,
			 struct report_section *sec, struct tz_error *err)
{
	(void)d;
	struct sector_figures f = { 0 };
	int rc = sector_figures(c, &f, err);
	if (rc != TZ_OK)
		return rc;
	const long long *s = f.school, *l = f.loans;
	sector_row(sec, "健康扶贫", REPORT_L_DOCTOR, f.doctor_valid, 1, f.registered, 0, 0);
	sector_row(sec, "健康扶贫", "本期新签家庭医生（份）", f.doctor_signed, 0, 0, 0, 0);
	sector_row(sec, "教育扶贫", REPORT_L_IN_SCHOOL, s[1], 1, s[0], 0, 0);
	sector_row(sec, "教育扶贫", REPORT_L_DROPOUT, s[2], 1, s[0], 0, 0);
	sector_row(sec, "教育扶贫", "义务教育阶段儿童其他情况", s[3], 1, s[0], 0, 0);
	sector_row(sec, "住房安全", REPORT_L_RENOVATED, f.unsafe_done, 1, f.unsafe, 0, 0);
	sector_row(sec, "住房安全", REPORT_L_UNDONE, f.unsafe - f.unsafe_done, 1, f.unsafe, 0, 0);
	sector_row(sec, "住房安全", "本期完成危房改造（户）", f.renovated, 0, 0, 0, 0);
	sector_row(sec, "金融扶贫", "本期发放小额信贷（笔）", l[0], 0, 0, 1, l[1]);
	sector_row(sec, "金融扶贫", "本期还清小额信贷（笔）", l[2], 0, 0, 1, l[3]);
	sector_row(sec, "金融扶贫", "期末未还清小额信贷（笔）", l[4], 0, 0, 1, l[5]);
	sector_row(sec, "金融扶贫", REPORT_L_LOANS_LATE, l[6], 0, 0, 1, l[7]);
	sector_row(sec, "保障性扶贫", REPORT_L_DIBAO, f.dibao, 1, f.registered, 0, 0);
	return comparison_rows(c, sec, err);
}

const struct report_section_def report_sectors = {
	.key = "sectors",
	.title = "行业部门指标",
	REPORT_COLUMNS(sector_columns),
	.nkeys = 2,
	.note = "基数为期末已建档立卡户数（家庭医生、低保）、期末义务教育年龄段儿童数"
		"或期末 C、D 级危房户数；儿童其他情况为毕业、未入学或没有就学记录；"
		"金额：发放、未还清、已到期的为贷款金额，还清的为还款金额。尚未导入低保名册，没有比对。",
	.build = build_sectors,
	.town_note = "基数为期末已建档立卡户数（家庭医生、低保）、期末义务教育年龄段儿童数"
		     "或期末 C、D 级危房户数；儿童其他情况为毕业、未入学或没有就学记录；"
		     "金额：发放、未还清、已到期的为贷款金额，还清的为还款金额。"
		     "低保名册比对用各村最近一次导入的名册，与统计期间无关，比对户数为该村全部建档立卡户；"
		     "尚未导入名册的村没有比对数。",
	.town_heavy = 1,
};
