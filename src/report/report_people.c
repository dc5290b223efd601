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
	.sql = "WITH ev AS (SELECT x.household_id, x.status, x.on_date,"
	       "  LAG(x.status) OVER (PARTITION BY x.household_id"
	       "   ORDER BY x.on_date, x.created_at, x.id) AS prev"
	       "  FROM household_status_history x JOIN households h ON h.id = x.household_id"
	       "  WHERE h.village_code = :village)"
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

/* One group of rows: every code of a code list, counted over mm by column. */
#define MEMBERS_BY(group, list, column, g) \
	" UNION ALL SELECT '" group "', cl.label, (SELECT count(*) FROM mm WHERE mm." column \
	" = cl.code), " g ", cl.sort FROM code_list cl WHERE cl.list = '" list "'" \
	" UNION ALL SELECT '" group "', '未填写', (SELECT count(*) FROM mm WHERE mm." column \
	" IS NULL OR mm." column " = ''), " g ", 1000" \
	" WHERE EXISTS (SELECT 1 FROM mm WHERE mm." column " IS NULL OR mm." column " = '')"

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
	       " mm AS (SELECT m.* FROM members m JOIN hh ON hh.id = m.household_id"
	       "  WHERE hh.st IS NOT NULL AND m.status = 'present')"
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
	       " UNION ALL SELECT '本期人口变动', cl.label, (SELECT count(*) FROM member_changes mc"
	       "  JOIN hh ON hh.id = mc.household_id WHERE mc.kind = cl.code"
	       "  AND mc.on_date BETWEEN :from AND :to), 5, cl.sort"
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

/* How many of the village's steps of procedure pr and step sp also meet cond. */
#define STEPS_WHERE(cond) \
	"(SELECT count(*) FROM ps WHERE ps.procedure = pr.code AND ps.step = sp.code AND " cond ")"

const struct report_section_def report_procedures = {
	.key = "procedures",
	.title = "识别退出程序",
	REPORT_COLUMNS(procedure_columns),
	.nkeys = 2,
	.note = "“两评议两公示一比对一公告”各环节，按环节日期计；一户一次程序的一个环节为一户次。",
	.build = report_build_sql,
	.sql = "WITH ps AS (SELECT p.* FROM procedure_steps p JOIN households h"
	       "  ON h.id = p.household_id WHERE h.village_code = :village)"
	       " SELECT pr.label, sp.label,"
	       " " STEPS_WHERE("ps.on_date BETWEEN :from AND :to") ","
	       " " STEPS_WHERE("ps.on_date BETWEEN :from AND :to AND ps.outcome = 'passed'") ","
	       " " STEPS_WHERE("ps.on_date BETWEEN :from AND :to AND ps.outcome = 'failed'") ","
	       " " STEPS_WHERE("ps.on_date <= :to")
	       " FROM code_list pr, code_list sp"
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
	       " fl AS (SELECT f.* FROM four_lists f JOIN base b ON b.id = f.household_id"
	       "  WHERE :cutoff IS NULL OR " REPORT_LOCAL_DATE("f.created_at") " <= :cutoff),"
	       " per AS (SELECT cl.label, cl.sort,"
	       "  (SELECT count(DISTINCT fl.household_id) FROM fl WHERE fl.list = cl.code) AS k,"
	       "  (SELECT count(*) FROM fl WHERE fl.list = cl.code) AS items,"
	       "  (SELECT count(*) FROM fl WHERE fl.list = cl.code AND fl.done_date <= :to) AS done,"
	       "  (SELECT count(*) FROM fl WHERE fl.list = cl.code AND fl.due_date < :to"
	       "   AND (fl.done_date IS NULL OR fl.done_date > :to)) AS late"
	       "  FROM code_list cl WHERE cl.list = 'four_list'),"
	       " complete AS (SELECT count(*) AS k FROM base b"
	       "  WHERE (SELECT count(DISTINCT fl.list) FROM fl WHERE fl.household_id = b.id)"
	       "  = (SELECT count(*) FROM code_list WHERE list = 'four_list'))"
	       " SELECT label, n, k, k, n, items, done, late FROM ("
	       " SELECT per.label, nb.n, per.k, per.items, per.done, per.late, per.sort AS o"
	       "  FROM per, nb"
	       " UNION ALL SELECT '" REPORT_L_FOUR_ALL "', nb.n, complete.k, NULL, NULL, NULL, 1000"
	       "  FROM nb, complete)"
	       " ORDER BY o",
};
