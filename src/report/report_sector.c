/*
 * report_sector.c — the sector figures (tasks 5, 6, 7, 10, 11), one row each,
 * in one table: family-doctor contracts, school-age children in school and
 * out of it, unsafe houses renovated and open, microcredit issued and repaid,
 * 低保 coverage and the comparison with the civil-affairs 低保 roster.
 *
 * Counted over the households registered at the end of the period (loans:
 * every household of the village), each figure "as of" the end as the precision
 * checks count it (src/rules/rules_exit.c), so that a figure and the findings
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
 * The roster comparison is roster_compare_dibao_village (roster.h): the
 * village's households against the roster the village imported last (a town
 * store holds every village's imports; each is the village's own). It has no
 * period, and its rows say so.
 */
#include <stdio.h>
#include <stdlib.h>

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

/* One row: group, label, count, base (SQL NULL: none), amount (NULL: none). */
#define ROW(group, label, n, base, amount) \
	" SELECT '" group "', '" label "', " n ", " base ", " n ", " base ", " amount

static const char sector_sql[] =
	"WITH " REPORT_HH_CTE ","
	" reg AS MATERIALIZED (SELECT id FROM hh WHERE st IS NOT NULL),"
	" nreg AS (SELECT count(*) AS n FROM reg),"
	" doctor AS (SELECT"
	"  (SELECT count(*) FROM reg WHERE EXISTS (SELECT 1 FROM family_doctor f"
	"   WHERE f.household_id = reg.id AND f.signed_on <= :to"
	"   AND (f.valid_until IS NULL OR f.valid_until >= :to))) AS valid,"
	"  (SELECT count(*) FROM reg CROSS JOIN family_doctor f ON f.household_id = reg.id"
	"   WHERE f.signed_on BETWEEN :from AND :to) AS signed),"
	" kids AS (SELECT (SELECT x.state FROM schooling x WHERE x.member_id = m.id"
	"   AND x.as_of <= :to ORDER BY x.as_of DESC, x.created_at DESC, x.id DESC LIMIT 1) AS state"
	"  FROM reg CROSS JOIN members m ON m.household_id = reg.id WHERE m.status = 'present'"
	"  AND " REPORT_AGE_ON_TO("m.birth_date") " BETWEEN :policy_school_age_min"
	"  AND :policy_school_age_max),"
	" school AS (SELECT count(*) AS n, COALESCE(sum(state = 'in_school'), 0) AS inside,"
	"  COALESCE(sum(state = 'dropped_out'), 0) AS out,"
	"  COALESCE(sum(state IS NULL OR state NOT IN ('in_school', 'dropped_out')), 0) AS other"
	"  FROM kids),"
	" house AS (SELECT hs.* FROM reg JOIN housing hs ON hs.id = (SELECT x.id FROM housing x"
	"  WHERE x.household_id = reg.id AND x.assessed_on <= :to"
	"  ORDER BY x.assessed_on DESC, x.created_at DESC, x.id DESC LIMIT 1)),"
	" unsafe AS (SELECT count(*) AS n, COALESCE(sum(renovation = 'done'"
	"  AND COALESCE(renovated_on, assessed_on) <= :to), 0) AS done"
	"  FROM house WHERE rating IN ('C', 'D')),"
	" renovated AS (SELECT count(DISTINCT hs.household_id) AS n FROM reg"
	"  CROSS JOIN housing hs ON hs.household_id = reg.id WHERE hs.renovation = 'done'"
	"  AND hs.renovated_on BETWEEN :from AND :to),"
	" ln AS (SELECT l.* FROM hh CROSS JOIN loans l ON l.household_id = hh.id),"
	" unpaid AS (SELECT * FROM ln WHERE issued_on <= :to"
	"  AND NOT (repaid_on IS NOT NULL AND repaid_on <= :to)),"
	" loan AS (SELECT"
	"  (SELECT count(*) FROM ln WHERE issued_on BETWEEN :from AND :to) AS issued,"
	"  (SELECT COALESCE(sum(amount_cents), 0) FROM ln WHERE issued_on BETWEEN :from AND :to)"
	"   AS issued_cents,"
	"  (SELECT count(*) FROM ln WHERE repaid_on BETWEEN :from AND :to) AS repaid,"
	"  (SELECT COALESCE(sum(repaid_cents), 0) FROM ln WHERE repaid_on BETWEEN :from AND :to)"
	"   AS repaid_cents,"
	"  (SELECT count(*) FROM unpaid) AS open,"
	"  (SELECT COALESCE(sum(amount_cents), 0) FROM unpaid) AS open_cents,"
	"  (SELECT count(*) FROM unpaid WHERE due_on < :to) AS late,"
	"  (SELECT COALESCE(sum(amount_cents), 0) FROM unpaid WHERE due_on < :to) AS late_cents),"
	" dibao AS (SELECT count(*) AS n FROM reg WHERE EXISTS (SELECT 1 FROM social_security ss"
	"  WHERE ss.household_id = reg.id AND ss.kind = 'dibao' AND ss.start_on <= :to"
	"  AND (ss.end_on IS NULL OR ss.end_on >= :to)))"
	ROW("健康扶贫", REPORT_L_DOCTOR, "doctor.valid", "nreg.n", "NULL")
	" FROM doctor, nreg UNION ALL"
	ROW("健康扶贫", "本期新签家庭医生（份）", "doctor.signed", "NULL", "NULL")
	" FROM doctor UNION ALL"
	ROW("教育扶贫", REPORT_L_IN_SCHOOL, "school.inside", "school.n", "NULL")
	" FROM school UNION ALL"
	ROW("教育扶贫", REPORT_L_DROPOUT, "school.out", "school.n", "NULL")
	" FROM school UNION ALL"
	ROW("教育扶贫", "义务教育阶段儿童其他情况", "school.other", "school.n", "NULL")
	" FROM school UNION ALL"
	ROW("住房安全", REPORT_L_RENOVATED, "unsafe.done", "unsafe.n", "NULL")
	" FROM unsafe UNION ALL"
	ROW("住房安全", REPORT_L_UNDONE, "unsafe.n - unsafe.done", "unsafe.n", "NULL")
	" FROM unsafe UNION ALL"
	ROW("住房安全", "本期完成危房改造（户）", "renovated.n", "NULL", "NULL")
	" FROM renovated UNION ALL"
	ROW("金融扶贫", "本期发放小额信贷（笔）", "loan.issued", "NULL", "loan.issued_cents")
	" FROM loan UNION ALL"
	ROW("金融扶贫", "本期还清小额信贷（笔）", "loan.repaid", "NULL", "loan.repaid_cents")
	" FROM loan UNION ALL"
	ROW("金融扶贫", "期末未还清小额信贷（笔）", "loan.open", "NULL", "loan.open_cents")
	" FROM loan UNION ALL"
	ROW("金融扶贫", REPORT_L_LOANS_LATE, "loan.late", "NULL", "loan.late_cents")
	" FROM loan UNION ALL"
	ROW("保障性扶贫", REPORT_L_DIBAO, "dibao.n", "nreg.n", "NULL")
	" FROM dibao, nreg";

/* Append the rows of the 低保 roster comparison. */
static int comparison_rows(struct report_ctx *c, struct report_section *sec,
			   struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(c->s),
				    "SELECT count(*) FROM roster_imports WHERE kind = 'dibao' AND owner = ?1",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(c->s, rc, "读取低保名册", err);
	sqlite3_bind_text(st, 1, c->village, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	int imported = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(c->s, rc, "读取低保名册", err);
	if (!imported) {
		struct report_cell *row = report_add_row(sec);
		report_set_text(&row[0], "保障性扶贫");
		report_set_text(&row[1], "低保名册比对（尚未导入低保名册）");
		return TZ_OK;
	}
	struct roster_comparison cmp = { 0 };
	rc = roster_compare_dibao_village(c->s, c->village, &cmp, err);
	if (rc != TZ_OK) {
		roster_comparison_free(&cmp);
		return rc;
	}
	struct {
		const char *label;
		size_t n, base;
		int has_base;
	} rows[] = {
		{ "低保名册户数（最近导入）", cmp.dibao, 0, 0 },
		{ REPORT_L_REGISTERED_ONLY, cmp.registered_only.n, cmp.registered, 1 },
		{ REPORT_L_DIBAO_ONLY, cmp.dibao_only.n, cmp.dibao, 1 },
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
			"按政策参数 school_age_min、school_age_max", cmp.imported_at ? cmp.imported_at : "",
			cmp.file_name ? cmp.file_name : "");
	roster_comparison_free(&cmp);
	return TZ_OK;
}

static int build_sectors(const struct report_section_def *d, struct report_ctx *c,
			 struct report_section *sec, struct tz_error *err)
{
	int rc = report_sql_rows(c, sec, d->sql, err);
	if (rc != TZ_OK)
		return rc;
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
	.sql = sector_sql,
	.town_note = "基数为期末已建档立卡户数（家庭医生、低保）、期末义务教育年龄段儿童数"
		     "或期末 C、D 级危房户数；儿童其他情况为毕业、未入学或没有就学记录；"
		     "金额：发放、未还清、已到期的为贷款金额，还清的为还款金额。"
		     "低保名册比对用各村最近一次导入的名册，与统计期间无关，比对户数为该村全部建档立卡户；"
		     "尚未导入名册的村没有比对数。",
};
