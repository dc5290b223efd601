/*
 * rules_guarantee.c — "两不愁三保障" for every registered household, not only
 * the exited ones: the family-doctor contract, school-age children in school
 * (控辍保学), a safe house, safe drinking water and basic medical insurance.
 *
 * Households still poor (status identified, helped, fell_back) are checked
 * here for what rules_exit.c checks of exited ones (family doctor, children in
 * school, house), with the same statements (rules_internal.h) where they are
 * the same: a poor household's failing guarantee is a policy not delivered
 * (area 七), an exited household's an exit that was not accurate (area 一), and
 * each is its own problem. Drinking water and medical insurance had no exit
 * rule; they are checked here for every registered household whatever its
 * status.
 *
 * Children in school: a member present whose age on as-of (whole years) is
 * between policy school_age_min and school_age_max, and whose latest
 * schooling record on or before as-of says dropped out or not enrolled. A
 * child with no schooling record at all is not reported (the education office
 * keeps that list); one record saying so is.
 *
 * Drinking water: the latest house assessment on or before as-of that looked at
 * the water (housing.drinking_water not NULL, db/011_rules.sql) says unsafe.
 *
 * Medical insurance: no insurance row of kind basic_medical (城乡居民基本医疗
 * 保险) for the year of as-of.
 *
 * Each rule names the guarantee it checks (rule->guarantee): the monitoring
 * view (rules_watch.c) lists them per household.
 */
#include "rules_internal.h"

#define POOR_IN_SCOPE RULES_POOR_STATUS("h") " AND " RULES_IN_SCOPE("h.village_code")
#define ANY_IN_SCOPE RULES_IN_SCOPE("h.village_code")

const struct rule rule_poor_no_family_doctor = {
	.id = "poor-no-family-doctor",
	.title = "贫困户没有家庭医生签约",
	.description = "未脱贫的建档立卡户（新识别、帮扶中、返贫）在核查日没有有效的家庭医生签约"
		       "（签约日不晚于核查日，且未到期）。贫困户家庭医生签约服务应全覆盖。",
	.area = 7,
	.task = 5,
	.guarantee = "家庭医生签约",
	.find = rules_find_sql,
	.sql = RULES_NO_FAMILY_DOCTOR_SQL(POOR_IN_SCOPE, RULES_WHO("h")),
};

const struct rule rule_poor_child_out_of_school = {
	.id = "poor-child-out-of-school",
	.title = "贫困户义务教育阶段子女失学辍学",
	.description = "未脱贫的建档立卡户中，年龄在政策参数 school_age_min 到 school_age_max"
		       " 之间的在户成员，最近一条就学记录为“辍学”或“未入学”。控辍保学，应劝返复学。",
	.area = 7,
	.task = 6,
	.guarantee = "义务教育",
	.find = rules_find_sql,
	/* From the few records out of school (cand) to their members of school
	 * age and households, each kept when it is its member's latest. */
	.sql = "WITH cand AS MATERIALIZED (SELECT id, member_id, state, dropout_reason FROM schooling"
	       "  WHERE state IN ('dropped_out', 'not_enrolled') AND as_of <= :as_of)"
	       " SELECT h.village_code, 'members', m.id, m.id, h.id, " RULES_WHO("h")
	       " || '家的' || " RULES_LABEL("relation", "m.relation") " || ' ' || m.name"
	       " || '（' || m.age || ' 岁）' || " RULES_LABEL("school_state", "sc.state")
	       " || COALESCE('（原因：' || NULLIF(trim(sc.dropout_reason), '') || '）', '')"
	       " || '，义务教育阶段应在校'"
	       " FROM cand sc"
	       " CROSS JOIN (SELECT x.*, " RULES_AGE_ON_AS_OF("x.birth_date") " AS age FROM members x"
	       "  WHERE x.status = 'present') m ON m.id = sc.member_id"
	       " CROSS JOIN households h ON h.id = m.household_id"
	       " WHERE " POOR_IN_SCOPE
	       " AND m.age BETWEEN :policy_school_age_min AND :policy_school_age_max"
	       " AND sc.id = (SELECT x.id FROM schooling x"
	       "  WHERE x.member_id = sc.member_id AND x.as_of <= :as_of"
	       "  ORDER BY x.as_of DESC, x.created_at DESC, x.id DESC LIMIT 1)"
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_poor_unsafe_house = {
	.id = "poor-unsafe-house",
	.title = "贫困户住房仍是危房",
	.description = "未脱贫的建档立卡户最近一次住房鉴定为 C 级或 D 级危房，且危房改造尚未完成。"
		       "保障每个贫困户都有安全住房。",
	.area = 7,
	.task = 7,
	.guarantee = "住房安全",
	.find = rules_find_sql,
	.sql = RULES_UNSAFE_HOUSE_SQL(POOR_IN_SCOPE, RULES_WHO("h")),
};

const struct rule rule_household_unsafe_water = {
	.id = "household-unsafe-water",
	.title = "建档立卡户饮水不安全",
	.description = "建档立卡户（不论是否脱贫）最近一次看过饮水的住房鉴定记为“饮水不安全”。"
		       "饮水安全有保障。",
	.area = 7,
	.task = 2,
	.unit = "shuili",
	.guarantee = "饮水安全",
	.find = rules_find_sql,
	.sql = "WITH cand AS MATERIALIZED (SELECT id, household_id, assessed_on FROM housing"
	       "  WHERE drinking_water = 'unsafe' AND assessed_on <= :as_of)"
	       " SELECT h.village_code, 'housing', hs.id, h.id, h.id, " RULES_WHO("h")
	       " || '饮水不安全（' || hs.assessed_on || ' 鉴定）'"
	       " FROM cand hs CROSS JOIN households h ON h.id = hs.household_id"
	       " WHERE " ANY_IN_SCOPE
	       " AND hs.id = (SELECT x.id FROM housing x"
	       "  WHERE x.household_id = hs.household_id AND x.assessed_on <= :as_of"
	       "  AND x.drinking_water IS NOT NULL"
	       "  ORDER BY x.assessed_on DESC, x.created_at DESC, x.id DESC LIMIT 1)"
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_household_no_medical_insurance = {
	.id = "household-no-medical-insurance",
	.title = "建档立卡户未参加基本医疗保险",
	.description = "建档立卡户（不论是否脱贫）在保险台账中没有核查日所在年度的城乡居民基本医疗保险。"
		       "基本医疗有保障。",
	.area = 7,
	.task = 5,
	.guarantee = "基本医疗保险",
	.find = rules_find_sql,
	.sql = "SELECT h.village_code, 'households', h.id, h.id || '/' || substr(:as_of, 1, 4), h.id, "
	       RULES_WHO("h") " || '没有参加 ' || substr(:as_of, 1, 4)"
	       " || ' 年度城乡居民基本医疗保险（保险台账中没有这一年的登记）'"
	       " FROM households h"
	       " WHERE " ANY_IN_SCOPE
	       " AND NOT EXISTS (SELECT 1 FROM insurance i WHERE i.household_id = h.id"
	       "  AND i.kind = 'basic_medical' AND i.year = CAST(substr(:as_of, 1, 4) AS INTEGER))"
	       " ORDER BY 1, 6, 3",
};
