/*
 * rules_procedure.c — the identification and exit procedure
 * "两评议两公示一比对一公告", as recorded in procedure_steps.
 *
 * The steps and their order are code_list procedure_step (sort 1..6); the
 * procedures are 'identify' (every registered household went through it) and
 * 'exit' (every exited or monitored household did). A household may go
 * through a procedure more than once (round); the latest round is the one that
 * must be complete. Three rules:
 *   - a step missing from the latest round (one finding per household and
 *     procedure, listing the missing steps in order);
 *   - a step dated before a step that comes earlier in the order (one finding
 *     per late step, naming the earlier step it precedes); equal dates are in
 *     order;
 *   - a public notice (village_notice, town_notice) without an end date, or
 *     lasting fewer than policy notice_days days, counting both ends
 *     (end_date - on_date + 1).
 */
#include "rules_internal.h"

/* " （第 2 轮）" for rounds after the first. */
#define ROUND_TEXT(r) "CASE WHEN " r " > 1 THEN '（第 ' || " r " || ' 轮）' ELSE '' END"

/* Whether step code st is absent from household n.hid's procedure n.proc, round
 * n.rnd. */
#define STEP_ABSENT \
	"NOT EXISTS (SELECT 1 FROM procedure_steps ps WHERE ps.household_id = n.hid" \
	" AND ps.procedure = n.proc AND ps.round = n.rnd AND ps.step = st.code)"

const struct rule rule_procedure_step_missing = {
	.id = "procedure-step-missing",
	.title = "识别或退出程序缺少步骤",
	.description = "建档立卡户的识别程序，以及已脱贫户的退出程序，应有“两评议两公示一比对一公告”"
		       "全部六个步骤的记录（最近一轮）。",
	.area = 1,
	.task = 1,
	.find = rules_find_sql,
	.sql = "WITH need AS ("
	       " SELECT h.id AS hid, h.village_code AS village, p.code AS proc, p.label AS plabel,"
	       "  COALESCE((SELECT max(ps.round) FROM procedure_steps ps"
	       "   WHERE ps.household_id = h.id AND ps.procedure = p.code), 1) AS rnd"
	       " FROM households h JOIN code_list p ON p.list = 'procedure'"
	       "  AND (p.code = 'identify' OR (p.code = 'exit' AND h.status IN ('exited', 'monitored')))"
	       " WHERE " RULES_IN_SCOPE("h.village_code") "),"
	       " counted AS ("
	       " SELECT n.*,"
	       "  (SELECT count(*) FROM procedure_steps ps WHERE ps.household_id = n.hid"
	       "   AND ps.procedure = n.proc AND ps.round = n.rnd AND ps.step IN"
	       "   (SELECT code FROM code_list WHERE list = 'procedure_step')) AS npresent"
	       " FROM need n),"
	       " nsteps AS (SELECT count(*) AS nsteps FROM code_list WHERE list = 'procedure_step')"
	       " SELECT village, 'households', hid, hid || '/' || proc, hid, " RULES_HEAD("hid")
	       " || '的' || plabel || '程序' || " ROUND_TEXT("rnd")
	       " || CASE WHEN npresent = 0 THEN '没有任何步骤的记录（应有：' ELSE '缺少：' END"
	       " || (SELECT group_concat(label, '、') FROM (SELECT st.label FROM code_list st"
	       "  WHERE st.list = 'procedure_step' AND " STEP_ABSENT " ORDER BY st.sort))"
	       " || CASE WHEN npresent = 0 THEN '）' ELSE '' END"
	       " FROM counted n, nsteps WHERE npresent < nsteps"
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_procedure_step_order = {
	.id = "procedure-step-order",
	.title = "识别或退出程序步骤顺序颠倒",
	.description = "程序中某一步的日期早于排在它前面的步骤（评议、公示、比对、公告须依次进行）。",
	.area = 1,
	.task = 1,
	.find = rules_find_sql,
	.sql = "WITH ordered AS ("
	       " SELECT s.id, s.household_id, s.procedure, s.round, s.on_date, ss.sort,"
	       "  max(s.on_date) OVER (PARTITION BY s.household_id, s.procedure, s.round"
	       "   ORDER BY ss.sort ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_max"
	       " FROM procedure_steps s"
	       " JOIN code_list ss ON ss.list = 'procedure_step' AND ss.code = s.step),"
	       " late AS ("
	       " SELECT o.*, (SELECT t.id FROM procedure_steps t"
	       "   JOIN code_list ts ON ts.list = 'procedure_step' AND ts.code = t.step"
	       "   WHERE t.household_id = o.household_id AND t.procedure = o.procedure"
	       "   AND t.round = o.round AND ts.sort < o.sort AND t.on_date = o.before_max"
	       "   ORDER BY ts.sort LIMIT 1) AS tid"
	       " FROM ordered o WHERE o.on_date < o.before_max)"
	       " SELECT h.village_code, 'procedure_steps', l.id, l.id, h.id, " RULES_HEAD("h.id")
	       " || '的' || " RULES_LABEL("procedure", "l.procedure") " || '程序' || "
	       ROUND_TEXT("l.round") " || '中，“' || " RULES_LABEL("procedure_step", "s.step")
	       " || '”（' || l.on_date || '）早于排在它前面的“' || "
	       RULES_LABEL("procedure_step", "t.step") " || '”（' || t.on_date || '）'"
	       " FROM late l JOIN procedure_steps s ON s.id = l.id"
	       " JOIN procedure_steps t ON t.id = l.tid"
	       " JOIN households h ON h.id = l.household_id AND " RULES_IN_SCOPE("h.village_code")
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_procedure_notice_short = {
	.id = "procedure-notice-short",
	.title = "公示天数不足",
	.description = "村内公示、乡镇公示没有登记结束日期，或公示天数（首尾两天都算）"
		       "少于政策参数 notice_days（公示天数）。",
	.area = 1,
	.task = 1,
	.find = rules_find_sql,
	.sql = "WITH notices AS ("
	       " SELECT s.*, h.village_code AS village,"
	       "  CAST(julianday(s.end_date) - julianday(s.on_date) AS INTEGER) + 1 AS ndays"
	       " FROM procedure_steps s"
	       " JOIN households h ON h.id = s.household_id AND " RULES_IN_SCOPE("h.village_code")
	       " WHERE s.step IN ('village_notice', 'town_notice'))"
	       " SELECT village, 'procedure_steps', n.id, n.id, n.household_id, "
	       RULES_HEAD("n.household_id")
	       " || '的' || " RULES_LABEL("procedure", "n.procedure") " || '程序' || "
	       ROUND_TEXT("n.round") " || '中，“' || " RULES_LABEL("procedure_step", "n.step")
	       " || '”' || CASE"
	       "  WHEN n.ndays IS NULL THEN '（' || n.on_date || ' 起）没有登记有效的结束日期，"
	       "无法确认公示满 ' || :policy_notice_days || ' 天'"
	       "  WHEN n.ndays <= 0 THEN '的结束日期 ' || n.end_date || ' 早于开始日期 ' || n.on_date"
	       "  ELSE '从 ' || n.on_date || ' 到 ' || n.end_date || ' 只有 ' || n.ndays"
	       "   || ' 天，少于规定的 ' || :policy_notice_days || ' 天' END"
	       " FROM notices n"
	       " WHERE n.ndays IS NULL OR n.ndays < :policy_notice_days"
	       " ORDER BY 1, 6, 3",
};
