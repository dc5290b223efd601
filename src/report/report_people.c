/*
 * report_people.c — the sections about the registered households and their
 * people (task 1, task 2): households by status at the start and end of the
 * period, the status changes within it, the members, the steps of the
 * identification and exit procedures, and the four lists.
 *
 * A household's status on a day comes from its status history
 * (REPORT_STATUS_ON): households.status is only the latest, and a report for
 * last quarter must say what was true then. A household not registered yet on a
 * day has no status on it and is not counted.
 *
 * Members are counted as they are now (present, by their current record): the
 * ledger keeps their departures as member_changes but not a history of their
 * other fields. The members of households registered at the end of the period
 * are counted; the period's changes (births, deaths, marriages, moves) are
 * listed by kind.
 *
 * The four lists are due for every household being helped or watched at the
 * end of the period (status other than exited: identified, helped, monitored,
 * fell back), as the village keeps them; an item counts from the day it was
 * entered (:cutoff, report_internal.h).
 */
#include <stdio.h>

#include "report_internal.h"

/* ---- households by status ---- */

static const struct report_column_def household_columns[] = {
	{ "户状态", REPORT_TEXT },
	{ "期初户数", REPORT_INT },
	{ "期末户数", REPORT_INT },
	{ "增减", REPORT_INT },
};

static int build_households(const struct report_section_def *d, struct report_ctx *c,
			    struct report_section *sec, struct tz_error *err)
{
	int rc = report_sql_rows(c, sec, d->sql, err);
	if (rc != TZ_OK)
		return rc;
	report_add_total(sec);
	int32_t day;
	char before[DATE_NCHARS + 1];
	date_parse(c->from, &day);
	date_format(day - 1, before);
	report_set_note(sec, "期初为 %s 的户状态，期末为 %s 的户状态，均按户状态记录推算；"
			     "期初尚未建档的户不计入期初。",
			before, c->to);
	return TZ_OK;
}

const struct report_section_def report_households = {
	.key = "households",
	.title = "户数与变化",
	REPORT_COLUMNS(household_columns),
	.nkeys = 1,
	.build = build_households,
	.sql = "WITH " REPORT_HH_CTE
	       " SELECT cl.label,"
	       " (SELECT count(*) FROM hh WHERE hh.st0 = cl.code),"
	       " (SELECT count(*) FROM hh WHERE hh.st = cl.code),"
	       " (SELECT count(*) FROM hh WHERE hh.st = cl.code)"
	       " - (SELECT count(*) FROM hh WHERE hh.st0 = cl.code)"
	       " FROM code_list cl WHERE cl.list = 'household_status' ORDER BY cl.sort",
};

/* ---- status changes in the period ---- */

static const struct report_column_def change_columns[] = {
	{ "原状态", REPORT_TEXT },
	{ "新状态", REPORT_TEXT },
	{ "户次", REPORT_INT },
};

static int build_changes(const struct report_section_def *d, struct report_ctx *c,
			 struct report_section *sec, struct tz_error *err)
{
	int rc = report_sql_rows(c, sec, d->sql, err);
	if (rc == TZ_OK)
		report_add_total(sec);
	return rc;
}

const struct report_section_def report_changes = {
	.key = "changes",
	.title = "本期户状态变化",
	REPORT_COLUMNS(change_columns),
	.nkeys = 2,
	.note = "按户状态记录中日期在本期内的变化计；“" REPORT_L_NEW "”为本期新建档立卡的户。"
		"一户在本期变化两次计两户次。",
	.build = build_changes,
	.town_keys_sql = "SELECT a, b FROM (SELECT '" REPORT_L_NEW "' AS a, n.label AS b,"
			 " 0 AS o1, n.sort AS o2 FROM code_list n WHERE n.list = 'household_status'"
			 " UNION ALL SELECT o.label, n.label, o.sort, n.sort FROM code_list o, code_list n"
			 " WHERE o.list = 'household_status' AND n.list = 'household_status')"
			 " ORDER BY o1, o2",
	.sql = "WITH ev AS (SELECT x.household_id, x.status, x.on_date,"
	       "  LAG(x.status) OVER (PARTITION BY x.household_id"
	       "   ORDER BY x.on_date, x.created_at, x.id) AS prev"
	       "  FROM " REPORT_HH_TABLE " h CROSS JOIN household_status_history x"
	       "  ON x.household_id = h.id WHERE h.village_code = :village)"
	       " SELECT CASE WHEN prev IS NULL THEN '" REPORT_L_NEW "' ELSE "
	       REPORT_LABEL("household_status", "prev") " END,"
	       " " REPORT_LABEL("household_status", "status") ", count(*)"
	       " FROM ev WHERE on_date BETWEEN :from AND :to"
	       " AND (prev IS NULL OR prev <> status)"
	       " GROUP BY prev, status"
	       " ORDER BY COALESCE((SELECT sort FROM code_list WHERE list = 'household_status'"
	       "  AND code = prev), 0),"
	       " (SELECT sort FROM code_list WHERE list = 'household_status' AND code = status)",
};

/* ---- members ---- */

static const struct report_column_def member_columns[] = {
	{ "分类", REPORT_TEXT },
	{ "项目", REPORT_TEXT },
	{ "人数", REPORT_INT },
};

/* One group of rows: every code of a code list, with the count of mm by that
 * column (from cnt, counted once), then 未填写 when some have none. */
#define MEMBERS_BY(group, list, column, g) \
	" UNION ALL SELECT '" group "', cl.label, COALESCE((SELECT n FROM cnt WHERE cnt.col = '" \
	column "' AND cnt.code = cl.code), 0), " g ", cl.sort FROM code_list cl WHERE cl.list = '" \
	list "'" \
	" UNION ALL SELECT '" group "', '未填写', sum(n), " g ", 1000 FROM cnt" \
	" WHERE cnt.col = '" column "' AND (cnt.code IS NULL OR cnt.code = '') HAVING count(*) > 0"

#define MEMBERS_COUNT(column) \
	" SELECT '" column "' AS col, " column " AS code, count(*) AS n FROM mm GROUP BY " column

const struct report_section_def report_members = {
	.key = "members",
	.title = "家庭成员",
	REPORT_COLUMNS(member_columns),
	.nkeys = 2,
	.note = "在户人口为期末已建档立卡户中状态为“在户”的成员，按成员现有信息统计；"
		"义务教育年龄段按政策参数（school_age_min、school_age_max）计算到期末的周岁；"
		"本期人口变动按成员变动记录中日期在本期内的计。",
	.build = report_build_sql,
	.sql = "WITH " REPORT_HH_CTE ","
	       " mm AS MATERIALIZED (SELECT m.sex, m.health, m.work_ability, m.birth_date"
	       "  FROM hh CROSS JOIN members m ON m.household_id = hh.id"
	       "  WHERE hh.st IS NOT NULL AND m.status = 'present'),"
	       " cnt AS MATERIALIZED (" MEMBERS_COUNT("sex") " UNION ALL" MEMBERS_COUNT("health")
	       "  UNION ALL" MEMBERS_COUNT("work_ability") "),"
	       " mc AS (SELECT mc.kind FROM hh CROSS JOIN member_changes mc"
	       "  ON mc.household_id = hh.id WHERE mc.on_date BETWEEN :from AND :to)"
	       " SELECT g, item, n FROM ("
	       " SELECT '在户人口' AS g, '" REPORT_L_TOTAL "' AS item, (SELECT count(*) FROM mm) AS n,"
	       "  0 AS o1, 0 AS o2"
	       MEMBERS_BY("性别", "sex", "sex", "1")
	       MEMBERS_BY("健康状况", "health", "health", "2")
	       MEMBERS_BY("劳动能力", "work_ability", "work_ability", "3")
	       " UNION ALL SELECT '年龄', '义务教育年龄段（' || :policy_school_age_min || '至'"
	       "  || :policy_school_age_max || '周岁）', (SELECT count(*) FROM mm WHERE "
	       REPORT_AGE_ON_TO("mm.birth_date") " BETWEEN :policy_school_age_min"
	       "  AND :policy_school_age_max), 4, 0"
	       " UNION ALL SELECT '本期人口变动', cl.label, (SELECT count(*) FROM mc"
	       "  WHERE mc.kind = cl.code), 5, cl.sort"
	       "  FROM code_list cl WHERE cl.list = 'member_change'"
	       ") ORDER BY o1, o2",
};

/* ---- identification and exit procedures ---- */

static const struct report_column_def procedure_columns[] = {
	{ "程序", REPORT_TEXT },
	{ "环节", REPORT_TEXT },
	{ "本期办理（户次）", REPORT_INT },
	{ "其中通过", REPORT_INT },
	{ "其中未通过", REPORT_INT },
	{ "累计办理（至期末）", REPORT_INT },
};

const struct report_section_def report_procedures = {
	.key = "procedures",
	.title = "识别退出程序",
	REPORT_COLUMNS(procedure_columns),
	.nkeys = 2,
	.note = "“两评议两公示一比对一公告”各环节，按环节日期计；一户一次程序的一个环节为一户次。",
	.build = report_build_sql,
	.sql = "WITH " REPORT_HH_CTE ","
	       " agg AS (SELECT p.procedure, p.step,"
	       "  sum(p.on_date BETWEEN :from AND :to) AS n,"
	       "  sum(p.on_date BETWEEN :from AND :to AND p.outcome = 'passed') AS passed,"
	       "  sum(p.on_date BETWEEN :from AND :to AND p.outcome = 'failed') AS failed,"
	       "  sum(p.on_date <= :to) AS total"
	       "  FROM hh CROSS JOIN procedure_steps p ON p.household_id = hh.id"
	       "  GROUP BY p.procedure, p.step)"
	       " SELECT pr.label, sp.label, COALESCE(a.n, 0), COALESCE(a.passed, 0),"
	       " COALESCE(a.failed, 0), COALESCE(a.total, 0)"
	       " FROM code_list pr CROSS JOIN code_list sp"
	       " LEFT JOIN agg a ON a.procedure = pr.code AND a.step = sp.code"
	       " WHERE pr.list = 'procedure' AND sp.list = 'procedure_step'"
	       " ORDER BY pr.sort, sp.sort",
};

/* ---- the four lists ---- */

static const struct report_column_def four_list_columns[] = {
	{ "清单", REPORT_TEXT },
	{ "应建户数", REPORT_INT },
	{ "已建户数", REPORT_INT },
	{ "覆盖率", REPORT_PERCENT },
	{ "条目数", REPORT_INT },
	{ "已完成条目", REPORT_INT },
	{ "逾期未完成条目", REPORT_INT },
};

const struct report_section_def report_four_lists = {
	.key = "four-lists",
	.title = "四个清单",
	REPORT_COLUMNS(four_list_columns),
	.nkeys = 1,
	.note = "应建户为期末状态为新识别、帮扶中、脱贫监测或返贫的户（已脱贫户不计）；"
		"条目按录入日期计到期末；已完成为完成日期不晚于期末，逾期未完成为期限早于期末而到期末仍未完成。",
	.build = report_build_sql,
	.sql = "WITH " REPORT_HH_CTE ","
	       " base AS (SELECT id FROM hh WHERE st IS NOT NULL AND st <> 'exited'),"
	       " nb AS (SELECT count(*) AS n FROM base),"
	       " fl AS MATERIALIZED (SELECT f.household_id, f.list, f.due_date, f.done_date"
	       "  FROM base b CROSS JOIN four_lists f ON f.household_id = b.id"
	       "  WHERE :cutoff IS NULL OR " REPORT_LOCAL_DATE("f.created_at") " <= :cutoff),"
	       " agg AS (SELECT list, count(DISTINCT household_id) AS k, count(*) AS items,"
	       "  sum(done_date <= :to) AS done,"
	       "  sum(due_date < :to AND (done_date IS NULL OR done_date > :to)) AS late"
	       "  FROM fl GROUP BY list),"
	       " per AS (SELECT cl.label, cl.sort, COALESCE(a.k, 0) AS k, COALESCE(a.items, 0) AS items,"
	       "  COALESCE(a.done, 0) AS done, COALESCE(a.late, 0) AS late"
	       "  FROM code_list cl LEFT JOIN agg a ON a.list = cl.code WHERE cl.list = 'four_list'),"
	       " complete AS (SELECT count(*) AS k FROM (SELECT household_id FROM fl"
	       "  GROUP BY household_id HAVING count(DISTINCT list)"
	       "  = (SELECT count(*) FROM code_list WHERE list = 'four_list')))"
	       " SELECT label, n, k, k, n, items, done, late FROM ("
	       " SELECT per.label, nb.n, per.k, per.items, per.done, per.late, per.sort AS o"
	       "  FROM per, nb"
	       " UNION ALL SELECT '" REPORT_L_FOUR_ALL "', nb.n, complete.k, NULL, NULL, NULL, 1000"
	       "  FROM nb, complete)"
	       " ORDER BY o",
};
