/*
 * report_ledgers.c — the sections of the ledgers that are not about one
 * household's sector record: the project library and its funds (tasks 3, 8),
 * marginal households and the watch on exited ones (area 六), complaints and
 * leads (task 18, 有报必查), trainings held (task 12), typical cases (task 19)
 * and inspections (task 17, db/013_report.sql). Each is one statement over the
 * village's rows, as every section is (report_internal.h): by village_code
 * where the table has one, else by owner (trainings, cases and complaints are
 * the store's own rows: the village's, or at the town the town's, which no
 * village section counts).
 *
 * How each counts:
 *   - projects, by their stage on `to` (the last project_stages move dated on
 *     or before it; the current stage when the period reaches today, or when a
 *     project has no moves), every stage shown, zero too: how many, their funds
 *     (资金规模), the spending of each project's latest monitoring record on or
 *     before `to` (已支出), those with a monitoring record by then (绩效执行监控)
 *     and those evaluated by then (事后绩效评价). A project entered after `to`
 *     (its local entry day) is not counted;
 *   - marginal households as the ledger holds them at the end (they carry no
 *     date but their entry), those at risk (watching, with a risk flag) and of
 *     them those with a measure dated by `to`; the measures of the period and
 *     their money; then the registered households that exited (已脱贫 or
 *     脱贫监测 on `to`), those monitored, and those that fell back in the period;
 *   - complaints and leads by kind: received in the period, received by `to`,
 *     investigated (no longer only 已受理, or concluded by `to`), concluded by
 *     `to`, and the rate investigated of received (有报必查);
 *   - trainings, typical cases and inspections by kind, those of the period
 *     (with participants, and problems found).
 *
 * The targets these are held against (every project monitored, every risk
 * helped, every complaint investigated, trainings, inspections and cases at
 * least the policy numbers) are the task figures' (report_town.c).
 *
 * Deliberately not here: judging (the task figures), the town's own rows.
 */
#include "report_internal.h"

/* ---- projects and funds ---- */

static const struct report_column_def project_columns[] = {
	{ "审批环节（期末）", REPORT_TEXT },
	{ "项目数", REPORT_INT },
	{ "资金规模（元）", REPORT_MONEY },
	{ "已支出（元）", REPORT_MONEY },
	{ "支出进度", REPORT_PERCENT },
	{ "开展绩效监控", REPORT_INT },
	{ "完成绩效评价", REPORT_INT },
};

const struct report_section_def report_projects = {
	.key = "projects",
	.title = "项目与资金",
	REPORT_COLUMNS(project_columns),
	.note = "项目按期末所处审批环节计（村申请 → 镇初审 → 部门审核 → 领导组审定）；已支出为每个项目"
		"期末前最后一次绩效执行监控记录的已支出资金，支出进度为已支出除以资金规模；开展绩效监控为"
		"期末前有监控记录的项目，完成绩效评价为期末前已做事后绩效评价的项目。",
	REPORT_PER_CODE("project_stage"),
	.sql = "WITH pj AS (SELECT p.*,"
	       "  CASE WHEN :cutoff IS NULL THEN p.stage ELSE COALESCE((SELECT s.stage"
	       "   FROM project_stages s WHERE s.project_id = p.id AND s.on_date <= :to"
	       "   ORDER BY s.on_date DESC, s.created_at DESC, s.id DESC LIMIT 1), p.stage) END AS st,"
	       "  (SELECT m.spent_cents FROM project_monitoring m WHERE m.project_id = p.id"
	       "   AND m.on_date <= :to ORDER BY m.on_date DESC, m.created_at DESC, m.id DESC"
	       "   LIMIT 1) AS spent"
	       "  FROM projects p WHERE p.village_code = :village"
	       "  AND (:cutoff IS NULL OR " REPORT_LOCAL_DATE("p.created_at") " <= :cutoff))"
	       " SELECT cl.label, count(pj.id), COALESCE(sum(pj.funds_cents), 0),"
	       "  COALESCE(sum(pj.spent), 0), COALESCE(sum(pj.spent), 0),"
	       "  COALESCE(sum(pj.funds_cents), 0), count(pj.spent),"
	       "  count(CASE WHEN pj.evaluated_on <= :to THEN 1 END)"
	       " FROM code_list cl LEFT JOIN pj ON pj.st = cl.code"
	       REPORT_PER_CODE_ROWS("project_stage"),
};

/* ---- marginal households, exited households watched ---- */

static const struct report_column_def marginal_columns[] = {
	{ "指标", REPORT_TEXT },
	{ "数量", REPORT_INT },
	{ "基数", REPORT_INT },
	{ "比例", REPORT_PERCENT },
	{ "金额（元）", REPORT_MONEY },
};

/* The section's statement, with fb: the number of the village's households
 * that fell back in the period (one column, n). */
#define MARGINAL_SQL(fb) \
	"WITH m AS (SELECT x.*, EXISTS (SELECT 1 FROM marginal_measures mm" \
	"  WHERE mm.marginal_id = x.id AND mm.on_date <= :to) AS helped" \
	"  FROM marginal_households x WHERE x.village_code = :village" \
	"  AND (:cutoff IS NULL OR " REPORT_LOCAL_DATE("x.created_at") " <= :cutoff))," \
	" mp AS (SELECT mm.amount_cents FROM m JOIN marginal_measures mm ON mm.marginal_id = m.id" \
	"  WHERE mm.on_date BETWEEN :from AND :to)," \
	" r AS (SELECT * FROM m WHERE m.state = 'watching' AND COALESCE(m.risk_flags, '') <> '')," \
	" " REPORT_HH_CTE "," \
	" ex AS (SELECT count(*) AS n, sum(st = 'monitored') AS monitored," \
	"  (SELECT count(*) FROM hh) AS registered FROM hh WHERE st IN ('exited', 'monitored'))," \
	" fb AS (" fb ")" \
	" SELECT '" REPORT_L_MARGINAL "', (SELECT count(*) FROM m), NULL, NULL, NULL, NULL" \
	" UNION ALL SELECT '其中监测中', (SELECT count(*) FROM m WHERE state = 'watching')," \
	"  (SELECT count(*) FROM m), (SELECT count(*) FROM m WHERE state = 'watching')," \
	"  (SELECT count(*) FROM m), NULL" \
	" UNION ALL SELECT '其中风险消除', (SELECT count(*) FROM m WHERE state = 'risk_removed')," \
	"  NULL, NULL, NULL, NULL" \
	" UNION ALL SELECT '其中已纳入建档立卡', (SELECT count(*) FROM m WHERE state = 'registered')," \
	"  NULL, NULL, NULL, NULL" \
	" UNION ALL SELECT '" REPORT_L_MARGINAL_HELPED "', (SELECT count(*) FROM r WHERE helped)," \
	"  (SELECT count(*) FROM r), (SELECT count(*) FROM r WHERE helped)," \
	"  (SELECT count(*) FROM r), NULL" \
	" UNION ALL SELECT '本期边缘户帮扶措施（条）', (SELECT count(*) FROM mp), NULL, NULL, NULL," \
	"  (SELECT COALESCE(sum(amount_cents), 0) FROM mp)" \
	" UNION ALL SELECT '" REPORT_L_EXITED "', ex.n, ex.registered, ex.n, ex.registered, NULL" \
	"  FROM ex" \
	" UNION ALL SELECT '其中脱贫监测户', ex.monitored, ex.n, ex.monitored, ex.n, NULL FROM ex" \
	" UNION ALL SELECT '" REPORT_L_FELL_BACK "', fb.n, NULL, NULL, NULL, NULL FROM fb"

/* In a town whose status records were read in one pass (report_hh.c), those
 * of the period come as rowids (:changes, as for the changes section). */
static const char marginal_from_pass_sql[] = MARGINAL_SQL(
	"SELECT count(DISTINCT x.household_id) AS n FROM json_each(:changes) j"
	" JOIN household_status_history x ON x.rowid = j.value ->> 0"
	" WHERE x.status = 'fell_back'");

static int build_marginal(const struct report_section_def *d, struct report_ctx *c,
			  struct report_section *sec, struct tz_error *err)
{
	return report_sql_rows(c, sec, c->changes != NULL ? marginal_from_pass_sql : d->sql, err);
}

const struct report_section_def report_marginal = {
	.key = "marginal",
	.title = "边缘户与返贫监测",
	REPORT_COLUMNS(marginal_columns),
	.nkeys = 1,
	.note = "边缘户按台账现有登记计（期末前登记的）；有致贫风险为监测中且标有风险的边缘户，已落实"
		"帮扶措施为期末前有帮扶措施记录的；脱贫户为期末状态已脱贫或脱贫监测的建档立卡户，返贫"
		"为本期内状态变为返贫的户。",
	.build = build_marginal,
	.sql = MARGINAL_SQL(
		"SELECT count(DISTINCT x.household_id) AS n FROM hh"
		" CROSS JOIN household_status_history x ON x.household_id = hh.id"
		" WHERE x.status = 'fell_back' AND x.on_date BETWEEN :from AND :to"),
	.town_heavy = 1,
};

/* ---- complaints and leads ---- */

static const struct report_column_def complaint_columns[] = {
	{ "类型", REPORT_TEXT },
	{ "本期受理", REPORT_INT },
	{ "期末累计受理", REPORT_INT },
	{ "已查办", REPORT_INT },
	{ "已办结", REPORT_INT },
	{ "未办结", REPORT_INT },
	{ "查办率", REPORT_PERCENT },
};

const struct report_section_def report_complaints = {
	.key = "complaints",
	.title = "信访与问题线索",
	REPORT_COLUMNS(complaint_columns),
	.note = "有报必查：已查办为期末已在调查或已办结的，已办结为期末前办结的，查办率为已查办除以期末"
		"累计受理。",
	REPORT_PER_CODE("complaint_kind"),
	.sql = "WITH x AS (SELECT c.*, c.state = 'concluded' AND c.closed_on <= :to AS done"
	       "  FROM complaints c WHERE c.owner = :village AND c.received_on <= :to)"
	       " SELECT cl.label, count(CASE WHEN x.received_on >= :from THEN 1 END), count(x.id),"
	       "  count(CASE WHEN x.state <> 'received' OR x.done THEN 1 END),"
	       "  count(CASE WHEN x.done THEN 1 END), count(CASE WHEN NOT x.done THEN 1 END),"
	       "  count(CASE WHEN x.state <> 'received' OR x.done THEN 1 END), count(x.id)"
	       " FROM code_list cl LEFT JOIN x ON x.kind = cl.code"
	       REPORT_PER_CODE_ROWS("complaint_kind"),
};

/* ---- trainings, typical cases, inspections ---- */

static const struct report_column_def training_columns[] = {
	{ "培训类型", REPORT_TEXT },
	{ "本期举办（次）", REPORT_INT },
	{ "参训人次", REPORT_INT },
};

const struct report_section_def report_trainings = {
	.key = "trainings",
	.title = "业务培训",
	REPORT_COLUMNS(training_columns),
	.note = "培训日期在本期内的培训；要求见“任务12”（政策参数“每村（居）统计期间至少举办业务培训次数”）。",
	REPORT_PER_CODE("training_kind"),
	.sql = "SELECT cl.label, count(t.id), COALESCE(sum(t.participants), 0)"
	       " FROM code_list cl LEFT JOIN trainings t ON t.kind = cl.code AND t.owner = :village"
	       "  AND t.held_on BETWEEN :from AND :to"
	       REPORT_PER_CODE_ROWS("training_kind"),
};

static const struct report_column_def case_columns[] = {
	{ "类型", REPORT_TEXT },
	{ "本期总结（条）", REPORT_INT },
	{ "期末累计（条）", REPORT_INT },
};

const struct report_section_def report_cases = {
	.key = "cases",
	.title = "典型经验",
	REPORT_COLUMNS(case_columns),
	.note = "按记录日期计；要求见“任务19”（政策参数“每村（居）统计期间至少总结典型经验条数”）。",
	REPORT_PER_CODE("case_kind"),
	.sql = "SELECT cl.label, count(CASE WHEN t.recorded_on >= :from THEN 1 END), count(t.id)"
	       " FROM code_list cl LEFT JOIN typical_cases t ON t.kind = cl.code AND t.owner = :village"
	       "  AND t.recorded_on <= :to"
	       REPORT_PER_CODE_ROWS("case_kind"),
};

static const struct report_column_def inspection_columns[] = {
	{ "检查方式", REPORT_TEXT },
	{ "本期检查（次）", REPORT_INT },
	{ "发现问题（个）", REPORT_INT },
};

const struct report_section_def report_inspections = {
	.key = "inspections",
	.title = "督查检查",
	REPORT_COLUMNS(inspection_columns),
	.note = "检查日期在本期内、被检查的是本村（居）的督查、巡查、暗访、考核和自查；要求见“任务17”"
		"（政策参数“每村（居）统计期间至少接受督查检查次数”）。",
	REPORT_PER_CODE("inspection_kind"),
	.sql = "SELECT cl.label, count(i.id), COALESCE(sum(i.problems_found), 0)"
	       " FROM code_list cl LEFT JOIN inspections i ON i.kind = cl.code"
	       "  AND i.village_code = :village AND i.inspected_on BETWEEN :from AND :to"
	       REPORT_PER_CODE_ROWS("inspection_kind"),
};
