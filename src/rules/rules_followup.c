/*
 * rules_followup.c — work that must keep moving: assigned cadres' monthly
 * visits, measures for marginal households at risk, projects waiting in a
 * review stage, and problems past their deadline.
 *
 * Visits ("百名干部走基层", task 14). Each assigned cadre visits each household
 * they are assigned at least policy visits_per_month times a calendar month. The
 * months checked are the policy visit_lookback_months full calendar months before the
 * as-of month (the as-of month is not over yet: a cadre who has not visited in
 * it is not failing; rules_month_days_left says how long it still runs), and of those only the months
 * the assignment covers whole: a month that began before the assignment's start
 * (since) or ended after its end (until) is not counted against the cadre. One
 * finding per cadre, household and month; its ref is the assignment id and the
 * month (YYYY-MM), so each month missed is its own problem. The rule itself,
 * counted in one pass over the visits: rules_visits_missed.c.
 *
 * Marginal households (边缘户, task 1): state watching, at least one risk flag,
 * and no measure dated on or before as-of.
 *
 * Projects (task 8): in stage applied, town_review or dept_review for more than
 * policy project_stage_days days (as-of minus stage_on). The ref carries the
 * stage, so a project that moves on and stalls again is a new finding.
 *
 * Problems past their deadline (deadline before as-of, not closed) are findings
 * (their unit by name when the problem holds a unit code)
 * so that the officer sees them with the rest, but never become problems of
 * their own (RULE_NO_PROBLEMS): `problem list --overdue` is their ledger.
 */
#include "rules_internal.h"

const struct rule rule_marginal_no_measure = {
	.id = "marginal-no-measure",
	.sql = "SELECT mh.village_code, 'marginal_households', mh.id, mh.id, NULL,"
	       " '边缘户 户主 ' || mh.head_name || '（' || mh.head_idcard || '）有致贫风险（'"
	       " || COALESCE((SELECT group_concat(label, '、') FROM (SELECT cl.label FROM code_list cl"
	       "   WHERE cl.list = 'risk_flag' AND instr(',' || replace(mh.risk_flags, ' ', '') || ',',"
	       "   ',' || cl.code || ',') > 0 ORDER BY cl.sort)), mh.risk_flags)"
	       " || '），正在监测，但还没有任何帮扶措施'"
	       " FROM marginal_households mh"
	       " WHERE " RULES_IN_SCOPE("mh.village_code") " AND mh.state = 'watching'"
	       " AND trim(COALESCE(mh.risk_flags, ''), ' ,') <> ''"
	       " AND NOT EXISTS (SELECT 1 FROM marginal_measures mm WHERE mm.marginal_id = mh.id"
	       "  AND mm.on_date <= :as_of)"
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_project_stuck = {
	.id = "project-stuck",
	.sql = "SELECT p.village_code, 'projects', p.id, p.id || '/' || p.stage, NULL,"
	       " '项目“' || p.name || '”自 ' || p.stage_on || ' 起停留在“' || "
	       RULES_LABEL("project_stage", "p.stage")
	       " || '”环节 ' || p.ndays || ' 天，超过 ' || :policy_project_stage_days || ' 天'"
	       " FROM (SELECT x.*, CAST(julianday(:as_of) - julianday(x.stage_on) AS INTEGER)"
	       "  AS ndays FROM projects x) p"
	       " WHERE " RULES_IN_SCOPE("p.village_code")
	       " AND p.stage IN ('applied', 'town_review', 'dept_review')"
	       " AND p.ndays > :policy_project_stage_days"
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_problem_overdue = {
	.id = "problem-overdue",
	.flags = RULE_NO_PROBLEMS,
	.sql = "SELECT p.village_code, 'problems', p.id, p.id, p.household_id,"
	       " '问题“' || p.title || '”（责任单位 ' || COALESCE((SELECT CASE WHEN u.kind = 'village'"
	       "   THEN COALESCE((SELECT v.name FROM villages v WHERE v.code = p.village_code), u.name)"
	       "   ELSE u.name END FROM units u WHERE u.code = p.responsible_unit),"
	       "  p.responsible_unit) || '，责任人 '"
	       " || p.responsible_person || '）整改期限 ' || p.deadline || ' 已过，仍为“' || "
	       RULES_LABEL("problem_state", "p.state") " || '”'"
	       " FROM problems p"
	       " WHERE " RULES_IN_SCOPE("p.village_code") " AND p.state <> 'closed'"
	       " AND p.deadline < :as_of"
	       " ORDER BY 1, p.deadline, 6, 3",
};
