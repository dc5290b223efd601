/*
 * report_units.c — the campaign's deliverables and the accountable units'
 * sheets in the report (db/009_campaign.sql, include/taizhang/campaign.h).
 *
 * 交付事项: the village's deliverables by the schedule — due, handed in on, by
 * whom, signed by, kept where, the town's confirmation — and their state at
 * the end of the period (:to): done when handed in by then, late when due
 * before it and not handed in, open otherwise. A town report stacks the
 * villages' rows.
 *
 * 责任单位台账: one row per unit of the town (and 各村(居)) — the tasks it
 * leads, the problems that name it (closed, past their deadline and not
 * rectified at :to), the marginal households' measures and projects it
 * carries out, its deliverables done and late at :to. A village's report
 * counts that village's rows (the same at the village and at the town); the
 * town's report counts the whole store, the units' own deliverables with it
 * (they exist only at the town); 各村(居) counts the villages'.
 *
 * Not here: the sections of the tasks and of the lead units' tasks
 * (report_town.c, report_work.c).
 */
#include "report_internal.h"

/* ---- deliverables ---- */

static const struct report_column_def deliverable_columns[] = {
	{ "交付事项", REPORT_TEXT }, { "截止日期", REPORT_DATE }, { "期末状态", REPORT_TEXT },
	{ "提交日期", REPORT_DATE }, { "提交人", REPORT_TEXT },   { "审签人", REPORT_TEXT },
	{ "存放位置", REPORT_TEXT }, { "镇确认收到", REPORT_DATE },
};

/* The state at :to of deliverable alias d, in Chinese. */
#define DELIVERABLE_STATE_AT_TO                                                     \
	"CASE WHEN d.handed_in_on IS NOT NULL AND d.handed_in_on <= :to THEN '已完成'" \
	" WHEN d.due < :to THEN '逾期' ELSE '未到期' END"

const struct report_section_def report_deliverables = {
	.key = "deliverables",
	.title = "交付事项",
	REPORT_COLUMNS(deliverable_columns),
	.nkeys = 1,
	.note = "按时间节点应交的材料；期末状态：期末前已登记提交为已完成，截止日期已过仍未提交为逾期。"
		"镇确认收到由镇扶贫办登记。",
	.build = report_build_sql,
	.town = REPORT_TOWN_STACK,
	.sql = "SELECT d.what, d.due, " DELIVERABLE_STATE_AT_TO ", d.handed_in_on, d.handed_in_by,"
	       " d.signed_by, d.kept_where, d.confirmed_on"
	       " FROM deliverables d LEFT JOIN deliverable_kinds k ON k.key = d.kind"
	       " WHERE d.village_code = :village ORDER BY d.due, k.sort, d.kind",
};

/* ---- the units' sheets ---- */

static const struct report_column_def unit_columns[] = {
	{ "责任单位", REPORT_TEXT },   { "牵头任务", REPORT_TEXT },   { "问题", REPORT_INT },
	{ "已销号", REPORT_INT },      { "逾期未整改", REPORT_INT }, { "帮扶措施", REPORT_INT },
	{ "项目", REPORT_INT },        { "项目资金", REPORT_MONEY }, { "交付事项", REPORT_INT },
	{ "已完成", REPORT_INT },      { "逾期", REPORT_INT },
};

/* Whether the report counts the whole store: a town's own report (:village
 * is then the town's code), not one village's. */
#define WHOLE_STORE                                                              \
	"((SELECT value FROM store_meta WHERE key = 'kind') = 'town'"            \
	" AND :village = (SELECT value FROM store_meta WHERE key = 'code'))"

/* The rows of alias.village_code in the report's scope, as a range an index
 * on the column serves: :village alone, or every text (village codes are not
 * NULL: a blob sorts after every text) for the whole store. An OR of the two
 * was a scan of the whole table for every village (db/017_report_scope.sql). */
#define IN_SCOPE(col)                                                            \
	"(" col " BETWEEN CASE WHEN " WHOLE_STORE " THEN '' ELSE :village END"   \
	" AND CASE WHEN " WHOLE_STORE " THEN x'ff' ELSE :village END)"

/* The deliverables a unit u owes: its own (at the town: they exist only
 * there), and for 各村(居) the villages'. */
#define UNIT_DELIVERABLES                                                        \
	"FROM deliverables d WHERE ((d.unit = u.code AND " WHOLE_STORE ")"      \
	" OR (u.kind = 'village' AND d.village_code IS NOT NULL AND " IN_SCOPE("d.village_code") "))"

#define UNIT_PROBLEMS "FROM problems p WHERE p.responsible_unit = u.code AND " IN_SCOPE("p.village_code")

const struct report_section_def report_unit_sheets = {
	.key = "units",
	.title = "责任单位台账",
	REPORT_COLUMNS(unit_columns),
	.nkeys = 1,
	.note = "问题、帮扶措施、项目按责任单位（单位代码）统计台账中的全部记录；逾期未整改为整改期限早于期末、"
		"仍未整改的问题；交付事项的已完成、逾期按期末判断。各村(居)的交付事项为各村的合计。",
	.build = report_build_sql_total,
	.town = REPORT_TOWN_NONE, /* the town builds its own, of the whole store (report_town.c) */
	.sql = "SELECT u.name,"
	       " COALESCE((SELECT group_concat(task, '、') FROM (SELECT tu.task FROM task_units tu"
	       "  WHERE tu.unit = u.code AND tu.role = 'lead' ORDER BY tu.task)), ''),"
	       " (SELECT count(*) " UNIT_PROBLEMS "),"
	       " (SELECT count(*) " UNIT_PROBLEMS " AND p.state = 'closed'),"
	       " (SELECT count(*) " UNIT_PROBLEMS
	       "  AND p.state NOT IN ('rectified', 'closed') AND p.deadline < :to),"
	       " (SELECT count(*) FROM marginal_measures m JOIN marginal_households mh"
	       "  ON mh.id = m.marginal_id WHERE m.unit = u.code AND " IN_SCOPE("mh.village_code") "),"
	       " (SELECT count(*) FROM projects j WHERE j.unit = u.code AND " IN_SCOPE("j.village_code") "),"
	       " (SELECT COALESCE(sum(j.funds_cents), 0) FROM projects j WHERE j.unit = u.code"
	       "  AND " IN_SCOPE("j.village_code") "),"
	       " (SELECT count(*) " UNIT_DELIVERABLES "),"
	       " (SELECT count(*) " UNIT_DELIVERABLES
	       "  AND d.handed_in_on IS NOT NULL AND d.handed_in_on <= :to),"
	       " (SELECT count(*) " UNIT_DELIVERABLES " AND d.due < :to"
	       "  AND (d.handed_in_on IS NULL OR d.handed_in_on > :to))"
	       " FROM units u WHERE u.kind IN ('town_unit', 'village') OR u.code = 'other'"
	       " ORDER BY u.kind <> 'town_unit', u.code",
};
