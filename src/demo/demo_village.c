/*
 * demo_village.c — the demo village's own people and records: planned before
 * any household, written with the first batch (see demo_internal.h for how the
 * demo's files fit; demo_outside.c writes the households outside the register,
 * demo_last.c the records across households).
 *
 * Planned before any household (demo_plan_village, stream STREAM_VILLAGE): the
 * village's officials (村党总支书记, 村委会主任, 驻村第一书记), the township's
 * and county's poverty officers who sign procedures, the family-doctor team, the
 * two units assigned to the village (单位包村) and the cadres who are assigned
 * households, about one for every four households still helped, so that their
 * names are known when households are built.
 *
 * Written with the first batch (demo_village_records): the villages row (kind
 * poor, name from store_meta, town code = the first 9 digits + 000), the unit
 * assignments, the cadres, the 扶贫工作室 (a director from the village committee,
 * three full-time officers and one who left), three business leaders and one
 * training base, trainings, projects in every stage with their stage history and
 * monitoring, and the 低保 import's roster_imports row.
 *
 * Village-level precision rules by design: the village is poor and has three
 * business leaders, under the policy's five, so that rule has its finding; it
 * has a training base and four staff (within staff_min..staff_max), so the
 * training-base and staffing rules have none — a rule that fires on every
 * village would teach the officer to ignore it. Also planted here: a project
 * stuck in 镇初审 for 45 days (over project_stage_days).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/division.h"
#include "taizhang/xalloc.h"

#include "demo_internal.h"

/* A day no later than today. */
static int32_t clamp_past(const struct demo *d, int32_t day)
{
	return day > d->today ? d->today : day;
}

/* ---- planning ---- */

static void cadre_at(struct demo *d, struct rng *r, size_t i, const char *role, const char *unit,
		     const char *title, const char *name)
{
	struct cadre *c = &d->cadres[i];
	demo_id(r, c->id);
	c->role = role;
	snprintf(c->unit, sizeof c->unit, "%s", unit);
	snprintf(c->title, sizeof c->title, "%s", title);
	if (name != NULL)
		snprintf(c->name, sizeof c->name, "%s", name);
	else
		demo_pick_adult_name(r, 1965, 1992, 70, c->name);
	demo_pick_phone(r, c->phone);
}

void demo_plan_village(struct demo *d)
{
	static const char *const units[] = { "县林业局", "县交通运输局", "县人社局", "县审计局",
					     "县供电公司", "县农商银行", "县卫健委" };
	static const char *const doctor_places[] = { "村卫生室", "镇卫生院", "镇卫生院" };
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_VILLAGE);
	demo_pick_name(&r, rng_range(&r, 1962, 1975), 'M', d->secretary);
	demo_pick_name(&r, rng_range(&r, 1965, 1980), 'M', d->chairman);
	demo_pick_name(&r, rng_range(&r, 1978, 1990), 'M', d->first_secretary);
	demo_pick_adult_name(&r, 1975, 1990, 60, d->town_officer);
	demo_pick_name(&r, rng_range(&r, 1970, 1985), 'M', d->county_officer);
	for (int i = 0; i < 3; i++) {
		char name[DEMO_NAME_NBYTES];
		demo_pick_adult_name(&r, 1965, 1990, 50, name);
		snprintf(d->doctors[i], sizeof d->doctors[i], "%s %s", doctor_places[i], name);
	}
	size_t first = (size_t)rng_below(&r, 7);
	size_t second = (first + 1 + (size_t)rng_below(&r, 6)) % 7;
	snprintf(d->units[0], sizeof d->units[0], "%s", units[first]);
	snprintf(d->units[1], sizeof d->units[1], "%s", units[second]);
	demo_id(&r, d->roster_import_id);

	/* About half the households are still helped; a cadre takes about four. */
	size_t helped = (size_t)d->nhouseholds * 52 / 100;
	size_t ncadres = helped / 4 + 1;
	if (ncadres < 12)
		ncadres = 12;
	d->cadres = xcalloc(ncadres, sizeof *d->cadres);
	d->ncadres = d->nhelpers = ncadres;
	char committee[96], team[96];
	snprintf(committee, sizeof committee, "%s两委", d->village_name);
	snprintf(team, sizeof team, "%s（驻村工作队）", d->units[0]);
	static const char *const committee_titles[] = { "村委会副主任", "村两委委员", "村报账员" };
	cadre_at(d, &r, 0, "village_committee", committee, "村党总支书记", d->secretary);
	cadre_at(d, &r, 1, "village_committee", committee, "村委会主任", d->chairman);
	for (size_t i = 2; i < 5; i++)
		cadre_at(d, &r, i, "village_committee", committee, committee_titles[i - 2], NULL);
	cadre_at(d, &r, 5, "work_team", team, "驻村第一书记", d->first_secretary);
	cadre_at(d, &r, 6, "work_team", team, "驻村工作队队员", NULL);
	cadre_at(d, &r, 7, "work_team", team, "驻村工作队队员", NULL);
	size_t town = 3 + (size_t)d->nhouseholds / 150;
	for (size_t i = 8; i < ncadres; i++) {
		if (i < 8 + town)
			cadre_at(d, &r, i, "town_cadre", "镇人民政府", "镇包村干部", NULL);
		else
			cadre_at(d, &r, i, "unit_cadre", d->units[i % 2], "帮扶单位干部", NULL);
	}
}

void demo_free_village(struct demo *d)
{
	free(d->cadres);
	d->cadres = NULL;
	d->ncadres = d->nhelpers = 0;
}

/* ---- the first batch: the village's own records ---- */

static void write_people(struct demo *d, struct rng *r)
{
	char id[IDS_NCHARS + 1];
	for (int i = 0; i < 2; i++) {
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_UNIT_ASSIGNMENTS, id, DV_T(d->units[i]), DV_T(d->village),
			 DV_D(demo_past_day(d, r, date_from_civil(2015, 10, 1), date_from_civil(2017, 3, 31))),
			 DV_N);
	}
	for (size_t i = 0; i < d->ncadres; i++) {
		const struct cadre *c = &d->cadres[i];
		DEMO_ROW(d, DEMO_T_CADRES, c->id, DV_T(d->village), DV_T(c->name), DV_T(c->unit),
			 DV_T(c->role), DV_T(c->phone));
	}

	/* The 扶贫工作室: headed by a committee member (not full time), three
	 * full-time officers, and one who has left. */
	static const struct {
		const char *role;
		int full_time;
		int left;
	} staff[] = {
		{ "director", 0, 0 },	     { "poverty_officer", 1, 0 }, { "info_officer", 1, 0 },
		{ "info_officer", 1, 0 }, { "info_officer", 1, 1 },
	};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
		char name[DEMO_NAME_NBYTES], phone[DEMO_PHONE_NBYTES];
		if (i == 0)
			snprintf(name, sizeof name, "%s", d->cadres[2].name);
		else
			demo_pick_adult_name(r, 1980, 1996, 50, name);
		demo_pick_phone(r, phone);
		int32_t since = staff[i].left ? demo_past_day(d, r, d->today - 900, d->today - 600)
					      : demo_past_day(d, r, d->today - 700, d->today - 20);
		int32_t until = staff[i].left ? demo_past_day(d, r, since + 200, since + 400) : DEMO_NO_DAY;
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_STAFF, id, DV_T(d->village), DV_T(name), DV_T(staff[i].role),
			 DV_I(staff[i].full_time), DV_T(phone), DV_D(since), DV_D(until));
	}

	/* Three business leaders, under the policy's five for a poor village. */
	static const char *const industries[] = { "虾稻共养", "柳编加工", "肉牛养殖" };
	for (int i = 0; i < 3; i++) {
		char name[DEMO_NAME_NBYTES], phone[DEMO_PHONE_NBYTES], idcard[IDCARD_NCHARS + 1];
		char sex = rng_percent(r, 75) ? 'M' : 'F';
		int32_t birth = demo_birth_for_age(r, d->today, 30, 50);
		demo_pick_name(r, date_year(birth), sex, name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, birth, sex, idcard);
		demo_pick_phone(r, phone);
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_LEADERS, id, DV_T(d->village), DV_T(name), DV_T(idcard), DV_T(phone),
			 DV_T(industries[i]), DV_I(i < 2), DV_I(i == 0), DV_I(rng_range(r, 3, 15)));
	}
	char base[128], address[128];
	snprintf(base, sizeof base, "%s柳编致富带头人培训基地", d->village_name);
	snprintf(address, sizeof address, "%s村部东侧", d->village_name);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_BASES, id, DV_T(d->village), DV_T(base), DV_T("柳编加工"), DV_T(address),
		 DV_D(demo_past_day(d, r, date_from_civil(2018, 3, 1), d->today - 60)));
}

static void write_trainings(struct demo *d, struct rng *r)
{
	static const struct {
		const char *title, *kind, *organiser;
		int lo, hi;    /* participants */
		int days_ago;  /* about */
	} trainings[] = {
		{ "“重精准、补短板、促攻坚”专项整改业务培训", "policy", "镇扶贫办", 12, 25, 7 },
		{ "扶贫政策和信息系统操作培训", "policy", "镇扶贫办", 8, 20, 120 },
		{ "柳编技能培训", "skills", "镇社保所", 30, 60, 60 },
		{ "家政服务技能培训", "skills", "县人社局", 20, 40, 150 },
		{ "致富带头人创业培训", "leaders", "县扶贫办", 3, 8, 90 },
	};
	for (size_t i = 0; i < sizeof trainings / sizeof trainings[0]; i++) {
		char id[IDS_NCHARS + 1];
		demo_id(r, id);
		int32_t on = demo_past_day(d, r, d->today - trainings[i].days_ago - 10,
				      d->today - trainings[i].days_ago + 3);
		DEMO_ROW(d, DEMO_T_TRAININGS, id, DV_D(on), DV_T(trainings[i].title),
			 DV_T(trainings[i].kind), DV_T(trainings[i].organiser),
			 DV_I(rng_range(r, trainings[i].lo, trainings[i].hi)));
	}
}

/* ---- projects ---- */

static const char *const stage_path[] = { "applied", "town_review", "dept_review", "approved" };

struct project_plan {
	const char *name;     /* %s: the village, or a group */
	int by_group;
	const char *kind;
	int yuan;
	const char *source;
	const char *target;
	const char *stage;    /* the stage it is in */
	int days_in_stage;    /* since it entered it; negative: last year's project */
	const char *note;     /* of the last stage move */
};

static const struct project_plan projects[] = {
	{ "%s村级光伏电站扩建（100 千瓦）", 0, "industry", 800000, "中央财政专项扶贫资金",
	  "年发电收益 8 万元以上，用于设置公益性岗位和贫困户收益分配", "approved", -1, "同意实施" },
	{ "%s道路硬化（1.2 公里）", 1, "infrastructure", 960000, "省级财政专项扶贫资金",
	  "新建 4.5 米宽水泥路 1.2 公里，解决 3 个村民小组出行难", "approved", 55, "同意实施" },
	{ "%s虾稻共养基地建设（300 亩）", 0, "industry", 450000, "县级统筹整合资金",
	  "带动 30 户贫困户参与，户均年增收 2000 元", "dept_review", 12, "镇初审通过，报县农业农村局审核" },
	{ "%s安全饮水管网延伸工程", 1, "infrastructure", 380000, "县级统筹整合资金",
	  "解决 86 户饮水安全问题，其中贫困户 23 户", "town_review", 45, "村申请已报镇" },
	{ "%s柳编扶贫车间建设", 0, "employment", 300000, "帮扶单位捐赠",
	  "吸纳 20 名贫困劳动力就近就业，月均收入 1500 元以上", "applied", 6, "村两委会议研究通过" },
	{ "%s村卫生室标准化建设", 0, "public_service", 150000, "县级统筹整合资金",
	  "村卫生室达到标准化建设要求", "rejected", 100, "已列入县卫健委统一建设计划，不重复立项" },
};

static void stage_row(struct demo *d, struct rng *r, const char *project_id, const char *stage,
		      int32_t on, const char *note)
{
	char id[IDS_NCHARS + 1], by[64];
	demo_id(r, id);
	if (strcmp(stage, "applied") == 0)
		snprintf(by, sizeof by, "村委会主任 %s", d->chairman);
	else if (strcmp(stage, "town_review") == 0 || strcmp(stage, "rejected") == 0)
		snprintf(by, sizeof by, "镇扶贫办 %s", d->town_officer);
	else if (strcmp(stage, "dept_review") == 0)
		snprintf(by, sizeof by, "县扶贫办 %s", d->county_officer);
	else
		snprintf(by, sizeof by, "镇扶贫开发领导小组");
	DEMO_ROW(d, DEMO_T_PROJECT_STAGES, id, DV_T(project_id), DV_T(stage), DV_D(on), DV_T(by),
		 DV_T(note));
}

static void monitoring_row(struct demo *d, struct rng *r, const char *project_id, int32_t on,
			   int percent, int64_t spent, const char *note)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_MONITORING, id, DV_T(project_id), DV_D(on), DV_I(percent), DV_I(spent),
		 DV_T(note));
}

/* The town unit that answers for a project of kind (units; task 8's leads). */
static const char *project_unit(const char *kind)
{
	static const char *const units[][2] = {
		{ "industry", "nongzong" },      { "infrastructure", "caizheng" },
		{ "public_service", "weishengyuan" }, { "employment", "shebao" },
		{ "finance", "nongzong" },
	};
	return DEMO_LOOKUP(units, kind, "fupin");
}

static void write_projects(struct demo *d, struct rng *r)
{
	int this_year = date_year(d->today);
	for (size_t i = 0; i < sizeof projects / sizeof projects[0]; i++) {
		const struct project_plan *p = &projects[i];
		char id[IDS_NCHARS + 1], name[128];
		demo_id(r, id);
		snprintf(name, sizeof name, p->name,
			 p->by_group ? d->groups[rng_below(r, (uint64_t)d->ngroups)].name->name
				     : d->village_name);
		int last_year = p->days_in_stage < 0;
		int32_t entered = last_year ? demo_past_day(d, r, date_from_civil(this_year - 1, 4, 1),
						       date_from_civil(this_year - 1, 5, 31))
					    : d->today - p->days_in_stage;
		int rejected = strcmp(p->stage, "rejected") == 0;
		int at = 0;
		while (at < 4 && strcmp(stage_path[at], rejected ? "dept_review" : p->stage) != 0)
			at++;
		if (rejected)
			at = 1; /* refused at the township's first review */
		/* The moves before the current stage, a week or three apart. */
		int32_t days[5];
		days[at] = entered;
		for (int k = at - 1; k >= 0; k--)
			days[k] = days[k + 1] - rng_range(r, 7, 25);
		int64_t funds = (int64_t)p->yuan * 100;
		int32_t evaluated = DEMO_NO_DAY;
		const char *evaluation = NULL;
		if (last_year) {
			evaluated = clamp_past(d, date_from_civil(this_year - 1, 12, rng_range(r, 10, 28)));
			evaluation = "项目按期建成并网，年发电收益 8.6 万元，设置公益性岗位 12 个，达到绩效目标";
		}
		DEMO_ROW(d, DEMO_T_PROJECTS, id, DV_T(d->village), DV_T(name), DV_T(p->kind),
			 DV_I(last_year ? this_year - 1 : this_year), DV_I(funds), DV_T(p->source),
			 DV_T(p->target), DV_T(p->stage), DV_D(entered), DV_T(evaluation), DV_D(evaluated),
			 DV_T(project_unit(p->kind)));
		for (int k = 0; k <= at; k++)
			stage_row(d, r, id, rejected && k == at ? "rejected" : stage_path[k], days[k],
				  k == at ? p->note : "");
		if (strcmp(p->stage, "approved") != 0)
			continue;
		if (last_year) {
			static const int progress[] = { 30, 70, 100 };
			for (int k = 0; k < 3; k++)
				monitoring_row(d, r, id, clamp_past(d, entered + 40 + 60 * k), progress[k],
					       funds * progress[k] / 100 * 9 / 10,
					       k == 2 ? "已建成并网发电" : "按进度施工");
		} else {
			int percent = rng_range(r, 20, 60);
			monitoring_row(d, r, id, clamp_past(d, entered + 30), percent,
				       funds * (percent - 10) / 100, "路基完成，正在浇筑路面");
		}
	}
}

void demo_village_records(struct demo *d)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_VILLAGE + 1);
	char town[KEYRING_CODE_NCHARS + 1];
	division_town_of(d->village, town);
	DEMO_ROW(d, DEMO_T_VILLAGES, d->village, DV_T(d->village_name), DV_T(town), DV_T("poor"),
		 DV_I((int64_t)d->nhouseholds * rng_range(&r, 18, 26)));
	write_people(d, &r);
	write_trainings(d, &r);
	write_projects(d, &r);
	char file[96], at[32];
	int y, m, dd;
	date_to_civil(demo_add_months(d->today, -1), &y, &m, &dd);
	snprintf(file, sizeof file, "霍邱县农村低保对象名册（%d年%d月）.csv", y, m);
	demo_time_on(&r, d->today - rng_range(&r, 3, 10), at);
	DEMO_ROW(d, DEMO_T_ROSTER_IMPORTS, d->roster_import_id, DV_T("dibao"), DV_T(file),
		 DV_T("GB18030"), DV_I(0), DV_T(at), DV_T(store_user(d->s)));
}

