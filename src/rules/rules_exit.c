/*
 * rules_exit.c — exited households that do not meet the exit standard.
 *
 * A household that has exited (status exited, or monitored after exit) must
 * still meet "两不愁三保障" and the income line: no child out of school, a safe
 * house, the family-doctor contract every registered household should have, and
 * a per-capita income at or above policy income_line_cents. Each failure is one
 * finding, since each goes to a different lead unit (中心校, 危改办, 卫生院,
 * the village).
 *
 * The same guarantees of households still poor are rules_guarantee.c's; the
 * statements both use are in rules_internal.h.
 *
 * "Latest" means the latest record dated on or before as-of (schooling.as_of,
 * housing.assessed_on), ties broken by creation: a child's history of schooling
 * rows is kept, and only the newest says whether they are in school now.
 */
#include "rules_internal.h"

#define EXITED_IN_SCOPE RULES_EXITED_STATUS("h") " AND " RULES_IN_SCOPE("h.village_code")

const struct rule rule_exited_dropout_child = {
	.id = "exited-dropout-child",
	.title = "已脱贫户家中有辍学子女",
	.description = "已脱贫（含脱贫监测）户中，在户成员最近一条就学记录为“辍学”。"
		       "义务教育有保障是脱贫标准之一，应劝返复学。",
	.area = 1,
	.task = 6,
	.guarantee = "义务教育",
	.find = rules_find_sql,
	/* From the few dropped-out records (cand) to their members and households,
	 * each kept when it is its member's latest: the same pairs as from every
	 * member of every exited household to their latest record, without
	 * looking up the records of every member. */
	.sql = "WITH cand AS MATERIALIZED (SELECT id, member_id, dropout_reason FROM schooling"
	       "  WHERE state = 'dropped_out' AND as_of <= :as_of)"
	       " SELECT h.village_code, 'members', m.id, m.id, h.id, " RULES_HEAD("h.id")
	       " || " RULES_EXITED("h") " || '，但家中' || " RULES_LABEL("relation", "m.relation")
	       " || ' ' || m.name || ' 辍学'"
	       " || COALESCE('（原因：' || NULLIF(trim(sc.dropout_reason), '') || '）', '')"
	       " FROM cand sc"
	       " CROSS JOIN members m ON m.id = sc.member_id AND m.status = 'present'"
	       " CROSS JOIN households h ON h.id = m.household_id"
	       " WHERE " EXITED_IN_SCOPE
	       " AND sc.id = (SELECT x.id FROM schooling x"
	       "  WHERE x.member_id = sc.member_id AND x.as_of <= :as_of"
	       "  ORDER BY x.as_of DESC, x.created_at DESC, x.id DESC LIMIT 1)"
	       " ORDER BY 1, 6, 3",
};

const struct rule rule_exited_unsafe_house = {
	.id = "exited-unsafe-house",
	.title = "已脱贫户住房仍是危房",
	.description = "已脱贫（含脱贫监测）户最近一次住房鉴定为 C 级或 D 级危房，"
		       "且危房改造尚未完成。住房安全有保障是脱贫标准之一。",
	.area = 1,
	.task = 7,
	.guarantee = "住房安全",
	.find = rules_find_sql,
	.sql = RULES_UNSAFE_HOUSE_SQL(EXITED_IN_SCOPE, RULES_HEAD("h.id") " || " RULES_EXITED("h")
				      " || '，但'"),
};

const struct rule rule_exited_no_family_doctor = {
	.id = "exited-no-family-doctor",
	.title = "已脱贫户没有家庭医生签约",
	.description = "已脱贫（含脱贫监测）户在核查日没有有效的家庭医生签约"
		       "（签约日不晚于核查日，且未到期）。贫困户家庭医生签约服务应全覆盖。",
	.area = 7,
	.task = 5,
	.guarantee = "家庭医生签约",
	.find = rules_find_sql,
	.sql = RULES_NO_FAMILY_DOCTOR_SQL(EXITED_IN_SCOPE, RULES_HEAD("h.id") " || "
					  RULES_EXITED("h") " || '，但'"),
};

const struct rule rule_exited_low_income = {
	.id = "exited-low-income",
	.title = "已脱贫户人均纯收入低于脱贫标准",
	.description = "已脱贫（含脱贫监测）户登记的年人均纯收入低于政策参数"
		       " income_line_cents（脱贫收入标准）。",
	.area = 1,
	.task = 4,
	.guarantee = "收入达标",
	.find = rules_find_sql,
	.sql = "SELECT h.village_code, 'households', h.id, h.id, h.id, " RULES_HEAD("h.id")
	       " || " RULES_EXITED("h") " || '，但人均纯收入 ' || " RULES_YUAN("h.income_cents")
	       " || ' 元，低于脱贫标准 ' || " RULES_YUAN(":policy_income_line_cents") " || ' 元'"
	       " FROM households h"
	       " WHERE " EXITED_IN_SCOPE " AND h.income_cents < :policy_income_line_cents"
	       " ORDER BY 1, 6, 3",
};
