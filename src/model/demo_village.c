/*
 * demo_village.c — the demo village's own records, and those that span its
 * households (see demo_internal.h for how the demo's files fit).
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
 * Written between households (demo_between_households): one marginal household
 * (边缘户) for every 20 registered ones, with risk flags and measures, and one
 * 低保 household that is neither registered nor marginal for every 25; both go
 * on the 低保 roster when on 低保, so the comparison finds 低保 households that
 * are not registered.
 *
 * Written with the last batch (demo_last_records): problems in every state
 * with their history, complaints and leads, typical cases, a death and a
 * marriage out when no household had one (so that every kind of member change
 * appears), and, in a village of
 * at least DEMO_ANOMALY_MIN_HOUSEHOLDS households, the anomalies that need two
 * households or a member written apart: one person registered in two households
 * (both members rows invalid, DEMO_INVALID_ID_PREFIX), a member over 110 (a
 * 190x birth date typed for a 193x one) and a newborn entered before being born
 * (created_at before birth_date).
 *
 * Village-level precision rules by design: the village is poor and has three
 * business leaders, under the policy's five, so that rule has its finding; it
 * has a training base and four staff (within staff_min..staff_max), so the
 * training-base and staffing rules have none — a rule that fires on every
 * village would teach the officer to ignore it. Also planted here: a project
 * stuck in 镇初审 for 45 days (over project_stage_days), problems past their
 * deadline and not closed, and one marginal household in six watched with risk
 * flags but no measure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"
#include "taizhang/division.h"
#include "taizhang/xalloc.h"

#define DEMO_ANOMALY_MIN_HOUSEHOLDS 20
#define MARGINAL_EVERY 20
#define DIBAO_ONLY_EVERY 25

/* ---- small helpers ---- */

static int32_t clamp_past(const struct demo *d, int32_t day)
{
	return day > d->today ? d->today : day;
}

/* A day in [lo, hi], never after today. */
static int32_t past_day(const struct demo *d, struct rng *r, int32_t lo, int32_t hi)
{
	if (hi > d->today)
		hi = d->today;
	if (lo > hi)
		lo = hi;
	return demo_day_between(r, lo, hi);
}

static int64_t money(struct rng *r, int lo_yuan, int hi_yuan)
{
	return (int64_t)rng_range(r, lo_yuan, hi_yuan) * 100;
}

/* A time on day, as the store writes times (UTC; 09:00-16:59 in China). */
static void time_on(struct rng *r, int32_t day, char out[32])
{
	char text[DATE_NCHARS + 1];
	date_format(day, text);
	snprintf(out, 32, "%sT%02d:%02d:00Z", text, rng_range(r, 1, 8), rng_range(r, 0, 59));
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
		demo_pick_name(r, rng_range(r, 1965, 1992), rng_percent(r, 70) ? 'M' : 'F', c->name);
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
	demo_pick_name(&r, rng_range(&r, 1975, 1990), rng_percent(&r, 60) ? 'M' : 'F', d->town_officer);
	demo_pick_name(&r, rng_range(&r, 1970, 1985), 'M', d->county_officer);
	for (int i = 0; i < 3; i++) {
		char name[DEMO_NAME_NBYTES];
		demo_pick_name(&r, rng_range(&r, 1965, 1990), rng_percent(&r, 50) ? 'M' : 'F', name);
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
			 DV_D(past_day(d, r, date_from_civil(2015, 10, 1), date_from_civil(2017, 3, 31))),
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
			demo_pick_name(r, rng_range(r, 1980, 1996), rng_percent(r, 50) ? 'M' : 'F', name);
		demo_pick_phone(r, phone);
		int32_t since = staff[i].left ? past_day(d, r, d->today - 900, d->today - 600)
					      : past_day(d, r, d->today - 700, d->today - 20);
		int32_t until = staff[i].left ? past_day(d, r, since + 200, since + 400) : DEMO_NO_DAY;
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
		 DV_D(past_day(d, r, date_from_civil(2018, 3, 1), d->today - 60)));
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
		int32_t on = past_day(d, r, d->today - trainings[i].days_ago - 10,
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
		int32_t entered = last_year ? past_day(d, r, date_from_civil(this_year - 1, 4, 1),
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
			 DV_T(p->target), DV_T(p->stage), DV_D(entered), DV_T(evaluation), DV_D(evaluated));
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
	time_on(&r, d->today - rng_range(&r, 3, 10), at);
	DEMO_ROW(d, DEMO_T_ROSTER_IMPORTS, d->roster_import_id, DV_T("dibao"), DV_T(file),
		 DV_T("GB18030"), DV_I(0), DV_T(at), DV_T(store_user(d->s)));
}

/* ---- between households: marginal households, 低保 households not registered ---- */

struct person {
	char name[DEMO_NAME_NBYTES];
	char idcard[IDCARD_NCHARS + 1];
	const char *relation; /* label, as the roster writes it */
};

/* A family of size around a head of sex born on birth: a spouse, children. */
static int make_family(struct demo *d, struct rng *r, char sex, int32_t birth, int size,
		       struct person *out)
{
	demo_pick_name(r, date_year(birth), sex, out[0].name);
	demo_make_idcard(d, r, DEMO_HOME_REGION, birth, sex, out[0].idcard);
	out[0].relation = "户主";
	int n = 1;
	if (size >= 2) {
		int32_t b = birth + rng_range(r, -3 * YEAR_DAYS, 3 * YEAR_DAYS);
		char s = sex == 'M' ? 'F' : 'M';
		demo_pick_name(r, date_year(b), s, out[n].name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, b, s, out[n].idcard);
		out[n++].relation = "配偶";
	}
	char surname[8];
	memcpy(surname, out[0].name, 3);
	surname[3] = '\0';
	int32_t born = birth + rng_range(r, 22 * YEAR_DAYS, 28 * YEAR_DAYS);
	while (n < size && born < d->today - 60) {
		char s = rng_percent(r, 52) ? 'M' : 'F';
		snprintf(out[n].name, sizeof out[n].name, "%s", sex == 'M' ? surname : "");
		if (sex != 'M')
			demo_pick_surname(r, out[n].name);
		demo_pick_given_name(r, date_year(born), s, out[n].name, sizeof out[n].name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, born, s, out[n].idcard);
		out[n++].relation = "子女";
		born += rng_range(r, YEAR_DAYS + 60, 4 * YEAR_DAYS);
	}
	return n;
}

static void roster_family(struct demo *d, struct rng *r, const struct person *people, int n,
			  int64_t monthly_each)
{
	for (int i = 0; i < n; i++) {
		char id[IDS_NCHARS + 1];
		demo_id(r, id);
		d->roster_line++;
		DEMO_ROW(d, DEMO_T_DIBAO_ROSTER, id, DV_T(d->roster_import_id), DV_I(d->roster_line + 1),
			 DV_T(d->village_name), DV_T(people[0].name), DV_T(people[0].idcard),
			 DV_T(people[i].name), DV_T(people[i].idcard), DV_T(people[i].relation), DV_I(n),
			 DV_I(monthly_each));
	}
}

static const struct risk {
	const char *flags;
	const char *difficulty;
	const char *measures[2];
} risks[] = {
	{ "illness,income_drop", "户主突发脑梗住院，医疗费用高，收入骤减", { "医疗救助", "纳入低保" } },
	{ "disability", "家中有重度残疾人需长期照料，劳动力不足", { "纳入低保", "残疾人两项补贴" } },
	{ "disaster", "房屋受暴雨损毁，需要修缮", { "临时救助", "危房改造补助" } },
	{ "school_cost", "两个孩子分别上高中和大学，就学负担重", { "落实教育资助", "临时救助" } },
	{ "accident,income_drop", "主要劳动力务工受伤，暂时丧失劳动能力", { "临时救助", "安排公益性岗位" } },
};

static void write_marginal(struct demo *d, unsigned index)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_MARGINAL + index);
	char id[IDS_NCHARS + 1], address[64], phone[DEMO_PHONE_NBYTES] = "";
	demo_id(&r, id);
	const struct group *g = &d->groups[rng_below(&r, (uint64_t)d->ngroups)];
	char sex = rng_percent(&r, 70) ? 'M' : 'F';
	int32_t birth = demo_birth_for_age(&r, d->today, 35, 72);
	int size = rng_range(&r, 1, 5);
	struct person people[5];
	size = make_family(d, &r, sex, birth, size, people);
	snprintf(address, sizeof address, "%s %d 号", g->name->name, rng_range(&r, 60, 99));
	if (rng_percent(&r, 80))
		demo_pick_phone(&r, phone);
	const struct risk *risk = &risks[rng_below(&r, sizeof risks / sizeof risks[0])];
	int no_measure = index % 6 == 1; /* planted: watched, at risk, nothing done */
	const char *state = no_measure || rng_percent(&r, 75) ? "watching" : "risk_removed";
	int64_t income = money(&r, 3800, 5600) + rng_range(&r, 0, 99);
	DEMO_ROW(d, DEMO_T_MARGINAL, id, DV_T(d->village), DV_T(g->id), DV_T(people[0].name),
		 DV_T(people[0].idcard), DV_I(size), DV_T(address), DV_T(phone), DV_I(income),
		 DV_T(risk->difficulty), DV_T(risk->flags), DV_T(state));
	if (no_measure)
		return;
	int nmeasures = rng_range(&r, 1, 2);
	int64_t dibao = 0;
	for (int k = 0; k < nmeasures; k++) {
		const char *measure = risk->measures[k];
		int64_t amount = -1;
		if (strcmp(measure, "纳入低保") == 0)
			amount = dibao = (int64_t)size * rng_range(&r, 240, 360) * 100;
		else if (strcmp(measure, "临时救助") == 0 || strcmp(measure, "医疗救助") == 0)
			amount = money(&r, 1000, 5000);
		else if (strcmp(measure, "落实教育资助") == 0)
			amount = 200000;
		else if (strcmp(measure, "危房改造补助") == 0)
			amount = money(&r, 8000, 20000);
		char mid[IDS_NCHARS + 1];
		demo_id(&r, mid);
		DEMO_ROW(d, DEMO_T_MARGINAL_MEASURES, mid, DV_T(id), DV_T(measure),
			 DV_D(past_day(d, &r, d->today - 300, d->today - 5)),
			 amount < 0 ? DV_N : DV_I(amount));
	}
	if (dibao > 0)
		roster_family(d, &r, people, size, dibao / size);
}

/* A 低保 household the village never registered: an old couple, a widow, a
 * disabled man living alone. */
static void write_dibao_only(struct demo *d, unsigned index)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_DIBAO_ONLY + index);
	struct person people[3];
	int32_t birth = demo_birth_for_age(&r, d->today, 45, 85);
	int n = make_family(d, &r, rng_percent(&r, 60) ? 'M' : 'F', birth, rng_range(&r, 1, 2), people);
	roster_family(d, &r, people, n, rng_range(&r, 260, 380) * 100);
}

void demo_between_households(struct demo *d, unsigned index)
{
	if (index % MARGINAL_EVERY == MARGINAL_EVERY / 2)
		write_marginal(d, index / MARGINAL_EVERY);
	if (index % DIBAO_ONLY_EVERY == 5)
		write_dibao_only(d, index / DIBAO_ONLY_EVERY);
}

/* ---- the last batch ---- */

struct picked {
	char id[IDS_NCHARS + 1];
	char head[DEMO_NAME_NBYTES];
	char group[32];
	int32_t identified;
	int found;
};

/* One household of the village matching where (an SQL condition on h, the
 * head m and the group g, with the date ?1 = today), chosen with r; found = 0
 * when none. (The village's own: a town store holds other villages too.) */
static struct picked pick_household(struct demo *d, struct rng *r, const char *where)
{
	struct picked p;
	memset(&p, 0, sizeof p);
	if (d->rc != TZ_OK)
		return p;
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "SELECT h.id, m.name, g.name, h.identified_on FROM households h"
		 " JOIN members m ON m.household_id = h.id AND m.relation = 'head'"
		 " JOIN villager_groups g ON g.id = h.group_id"
		 " WHERE h.village_code = ?2 AND (%s) ORDER BY h.rowid",
		 where);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		d->rc = store_sqlite_error(d->s, rc, "选择演示住户", d->err);
		return p;
	}
	sqlite3_bind_text(st, 1, d->today_text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->village, -1, SQLITE_STATIC);
	/* Reservoir sampling: one pass, every row equally likely. */
	uint64_t seen = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rng_below(r, ++seen) != 0)
			continue;
		snprintf(p.id, sizeof p.id, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(p.head, sizeof p.head, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(p.group, sizeof p.group, "%s", (const char *)sqlite3_column_text(st, 2));
		if (!date_parse((const char *)sqlite3_column_text(st, 3), &p.identified))
			p.identified = d->today - YEAR_DAYS;
		p.found = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		d->rc = store_sqlite_error(d->s, rc, "选择演示住户", d->err);
	return p;
}

/* A problem and its history: created `age` days before today, moved along
 * path (states after open, NULL-terminated), each move a few days later. */
struct problem_plan {
	int area, task;
	const char *where;    /* the household it is about (pick_household), or NULL */
	const char *title;    /* %s: the head's name, or the village */
	const char *source;
	const char *unit;     /* NULL: the village */
	int deadline_in;      /* days after today (negative: past) */
	const char *measures;
	const char *evidence;
	const char *path[4];
};

static const struct problem_plan problem_plans[] = {
	{ 7, 5, "h.status IN ('exited', 'monitored')", "%s户家庭医生签约服务未履约，随访记录缺失",
	  "inspection", "镇卫生院", -8, NULL, NULL, { NULL } },
	{ 1, 1, "1", "%s户家庭人口信息与公安户籍信息不一致", "self_check", NULL, 25,
	  "核对户口簿，更新家庭成员信息", NULL, { NULL } },
	{ 3, 3, NULL, "%s道路硬化项目资金拨付滞后", "dispatch", "镇财政所", -3,
	  "督促施工方加快进度，按进度拨付资金", NULL, { "rectifying", NULL } },
	{ 9, 14, NULL, "部分帮扶责任人走访记录不完整，“六个认真”填写不全", "inspection", NULL, 20,
	  "逐户补齐走访记录，开展帮扶手册填写培训", NULL, { "rectifying", NULL } },
	{ 7, 7, "h.status <> 'identified'", "%s户危房改造竣工验收资料不全", "self_check", "镇危改办", 10,
	  "补齐竣工验收表和改造前后照片", "已补齐竣工验收表和改造前后对比照片",
	  { "rectifying", "rectified", NULL } },
	{ 2, 2, "h.status = 'helped'", "%s户“四个清单”未及时更新", "self_check", NULL, -20,
	  "帮扶责任人入户更新四个清单", "已更新四个清单并由户主签字确认，附照片 2 张",
	  { "rectifying", "rectified", "closed", NULL } },
	{ 7, 6, "1", "%s户适龄儿童教育资助未落实", "finding", "镇中心校", -30, "补发教育资助",
	  "已补发秋季学期资助 1250 元，附发放花名册", { "rectified", "closed", NULL } },
	{ 6, 4, "h.status = 'monitored'", "%s户返贫风险监测帮扶措施未落实", "dispatch", NULL, -5,
	  "安排公益性岗位，落实产业奖补", "已安排公益性岗位（保洁员）",
	  { "rectifying", "rectified", "reopened", NULL } },
	{ 10, 18, NULL, "群众反映低保评定程序不公开", "complaint", "镇民政办", 15, NULL, NULL, { NULL } },
	{ 8, 8, NULL, "虾稻共养基地带贫机制不明确", "self_check", "镇农综站", 35,
	  "与合作社签订带贫协议，明确分红方式", NULL, { "rectifying", NULL } },
	{ 9, 13, NULL, "扶贫工作室专职人员配备不足", "dispatch", "镇组织办", -15,
	  "选配专职扶贫专干和信息员", "已配备 3 名专职人员，名单已报镇组织办",
	  { "rectifying", "rectified", "closed", NULL } },
	{ 5, 15, NULL, "部分脱贫户“等靠要”思想严重，内生动力不足", "inspection", "镇宣传办", -12,
	  "开展“扶志扶智”宣讲，评选脱贫光荣户", NULL, { NULL } },
};

static void event_row(struct demo *d, struct rng *r, const char *problem_id, const char *from,
		      const char *to, int32_t on, const char *note)
{
	char id[IDS_NCHARS + 1], at[32];
	demo_id(r, id);
	time_on(r, on, at);
	DEMO_ROW(d, DEMO_T_PROBLEM_EVENTS, id, DV_T(problem_id), DV_T(from), DV_T(to),
		 DV_T(store_user(d->s)), DV_T(at), DV_T(note));
}

static const char *event_note(const char *to)
{
	static const char *const notes[][2] = {
		{ "rectifying", "开始整改" },
		{ "rectified", "整改完成，提交佐证材料" },
		{ "closed", "镇扶贫办复核通过，予以销号" },
		{ "reopened", "镇扶贫办复核：措施未实际落实，重新整改" },
	};
	for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
		if (strcmp(notes[i][0], to) == 0)
			return notes[i][1];
	return NULL;
}

static void write_problems(struct demo *d, struct rng *r)
{
	for (size_t i = 0; i < sizeof problem_plans / sizeof problem_plans[0]; i++) {
		const struct problem_plan *p = &problem_plans[i];
		struct picked h;
		memset(&h, 0, sizeof h);
		if (p->where != NULL)
			h = pick_household(d, r, p->where);
		char id[IDS_NCHARS + 1], title[256];
		demo_id(r, id);
		const char *subject = h.found ? h.head
				      : strstr(p->title, "道路") ? d->groups[0].name->name
				      : d->village_name;
		snprintf(title, sizeof title, p->title, subject);
		int32_t deadline = d->today + p->deadline_in;
		int32_t created = past_day(d, r, deadline - 50, deadline - 20);
		const char *state = "open";
		for (int k = 0; p->path[k] != NULL; k++)
			state = p->path[k];
		char person[DEMO_NAME_NBYTES];
		if (p->unit == NULL)
			snprintf(person, sizeof person, "%s", d->chairman);
		else
			demo_pick_name(r, rng_range(r, 1965, 1990), rng_percent(r, 60) ? 'M' : 'F', person);
		DEMO_ROW(d, DEMO_T_PROBLEMS, id, DV_T(d->village), DV_I(p->area), DV_I(p->task),
			 DV_T(title), DV_T(title), DV_T(p->source), DV_N, DV_N,
			 DV_T(h.found ? h.id : NULL), DV_T(p->unit ? p->unit : d->village_name),
			 DV_T(person), DV_D(deadline), DV_T(p->measures), DV_T(p->evidence), DV_T(state));
		event_row(d, r, id, NULL, "open", created, "新增问题");
		const char *from = "open";
		int32_t on = created;
		for (int k = 0; p->path[k] != NULL; k++) {
			on = past_day(d, r, on + 2, on + 12);
			event_row(d, r, id, from, p->path[k], on, event_note(p->path[k]));
			from = p->path[k];
		}
	}
}

static void write_complaints(struct demo *d, struct rng *r)
{
	char id[IDS_NCHARS + 1], summary[256], handler[DEMO_NAME_NBYTES + 16];
	struct picked h = pick_household(d, r, "h.status IN ('helped', 'exited')");
	snprintf(summary, sizeof summary,
		 "来信反映%s%s户家有小轿车、在县城购房，不应评为贫困户", h.found ? h.group : "",
		 h.found ? h.head : "某");
	snprintf(handler, sizeof handler, "%s", d->town_officer);
	int32_t received = past_day(d, r, d->today - 90, d->today - 60);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("letter"), DV_D(received), DV_T("县信访局转办"),
		 DV_T(summary), DV_T(handler), DV_T("concluded"),
		 DV_T("经入户核查和部门比对，车辆和房产为其已分户的儿子所有，该户符合建档立卡条件，反映问题不属实，已向来信人反馈"),
		 DV_D(past_day(d, r, received + 15, received + 30)));

	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("lead"), DV_D(past_day(d, r, d->today - 25, d->today - 10)),
		 DV_T("县纪委转办"), DV_T("反映村干部在危房改造补助发放中优亲厚友"), DV_T("镇纪委"),
		 DV_T("investigating"), DV_N, DV_N);

	h = pick_household(d, r, "EXISTS (SELECT 1 FROM social_security s WHERE s.household_id = h.id"
				 " AND s.kind = 'dibao')");
	snprintf(summary, sizeof summary, "来电反映%s户低保金发放不及时", h.found ? h.head : "某");
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("letter"), DV_D(past_day(d, r, d->today - 3, d->today)),
		 DV_T("12345 热线"), DV_T(summary), DV_N, DV_T("received"), DV_N, DV_N);

	received = past_day(d, r, d->today - 150, d->today - 100);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("lead"), DV_D(received), DV_T("镇纪委"),
		 DV_T("反映扶贫车间虚报用工人数，套取就业补贴"), DV_T("镇纪委"), DV_T("concluded"),
		 DV_T("经核查，车间实际用工 18 人，其中贫困劳动力 9 人，与台账一致，线索不属实，予以了结"),
		 DV_D(past_day(d, r, received + 20, received + 40)));
}

static void write_cases(struct demo *d, struct rng *r)
{
	char id[IDS_NCHARS + 1], title[128], summary[512];
	struct picked h = pick_household(d, r, "h.status = 'exited'");
	snprintf(title, sizeof title, "%s：养牛脱贫的“领头雁”", h.found ? h.head : d->chairman);
	snprintf(summary, sizeof summary,
		 "%s一家曾因病致贫。在帮扶干部帮助下申请扶贫小额信贷 5 万元发展肉牛养殖，"
		 "存栏从 2 头发展到 12 头，年收入超过 4 万元，主动申请脱贫，并带动 5 户贫困户养牛。",
		 h.found ? h.head : d->chairman);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_CASES, id, DV_T("person"), DV_T(title), DV_T(summary),
		 DV_D(past_day(d, r, d->today - 60, d->today - 10)));

	snprintf(summary, sizeof summary,
		 "驻村第一书记%s雨夜走访时发现独居老人突发疾病，及时联系家庭医生并送医，"
		 "事后推动全村建立独居老人每日联络制度。",
		 d->first_secretary);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_CASES, id, DV_T("event"), DV_T("帮扶干部雨夜送医"), DV_T(summary),
		 DV_D(past_day(d, r, d->today - 120, d->today - 30)));

	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_CASES, id, DV_T("practice"), DV_T("“积分超市”激发内生动力"),
		 DV_T("村里设立扶贫“积分超市”，贫困户参加环境整治、技能培训、公益劳动可获得积分，"
		      "凭积分兑换生活用品，变“要我脱贫”为“我要脱贫”。"),
		 DV_D(past_day(d, r, d->today - 45, d->today - 5)));
}

/* ---- members written apart from a household's batch ---- */

/* A member written apart from a household's batch. */
static void raw_member(struct demo *d, const char *id, const char *household, const char *name,
		       const char *idcard, const char *relation, char sex, int32_t birth,
		       const char *health, const char *schooling, const char *work, const char *phone)
{
	char s[2] = { sex, '\0' };
	DEMO_ROW(d, DEMO_T_MEMBERS_RAW, id, DV_T(household), DV_T(name), DV_T(idcard),
		 DV_T(relation), DV_T(s), DV_D(birth), DV_T(health), DV_N, DV_T(schooling),
		 DV_T(work), DV_T(phone), DV_T("present"));
}

static void change(struct demo *d, struct rng *r, const char *household, const char *member,
		   const char *kind, int32_t on, const char *note)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_MEMBER_CHANGES, id, DV_T(household), DV_T(member), DV_T(kind), DV_D(on),
		 DV_T(note));
}

/* Condition: the head was born between ?1 minus hi and minus lo years. */
static void head_aged(char *out, size_t out_nbytes, int lo, int hi, const char *more)
{
	snprintf(out, out_nbytes,
		 "m.birth_date BETWEEN date(?1, '-%d years') AND date(?1, '-%d years')%s", hi, lo,
		 more);
}

/* ---- member changes of every kind ---- */

/* The count sql returns, ?1 bound to the village's code. */
static sqlite3_int64 count_rows(struct demo *d, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_int64 n = 0;
	if (d->rc != TZ_OK)
		return 0;
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		sqlite3_bind_text(st, 1, d->village, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_ROW)
		d->rc = store_sqlite_error(d->s, rc, "统计演示数据", d->err);
	sqlite3_finalize(st);
	return n;
}

/* Deaths and marriages out are rare among the household shapes; a village
 * without one gets one of each, so that every kind of member change appears:
 * an old parent who died after the household was registered, a daughter who
 * married out (both kept as members, with their member_changes row). */
static void write_departures(struct demo *d, struct rng *r)
{
	char where[512], name[DEMO_NAME_NBYTES], idcard[IDCARD_NCHARS + 1];
	if (count_rows(d, "SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id"
			  " WHERE h.village_code = ?1 AND m.status = 'deceased'") == 0) {
		head_aged(where, sizeof where, 45, 62, "");
		struct picked p = pick_household(d, r, where);
		if (p.found) {
			int32_t birth = demo_birth_for_age(r, d->today, 82, 92);
			demo_pick_name(r, date_year(birth), 'F', name);
			demo_make_idcard(d, r, DEMO_HOME_REGION, birth, 'F', idcard);
			char mid[IDS_NCHARS + 1];
			demo_id(r, mid);
			DEMO_ROW(d, DEMO_T_MEMBERS_RAW, mid, DV_T(p.id), DV_T(name), DV_T(idcard),
				 DV_T("parent"), DV_T("F"), DV_D(birth), DV_T("serious"), DV_N,
				 DV_T("illiterate"), DV_T("none"), DV_N, DV_T("deceased"));
			change(d, r, p.id, mid, "death", past_day(d, r, p.identified + 30, d->today - 1),
			       "因病去世");
		}
	}
	if (count_rows(d, "SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id"
			  " WHERE h.village_code = ?1 AND m.status = 'married_out'") == 0) {
		head_aged(where, sizeof where, 46, 62, "");
		struct picked p = pick_household(d, r, where);
		if (p.found) {
			int32_t birth = demo_birth_for_age(r, d->today, 20, 27);
			memcpy(name, p.head, 3);
			name[3] = '\0';
			demo_pick_given_name(r, date_year(birth), 'F', name, sizeof name);
			demo_make_idcard(d, r, DEMO_HOME_REGION, birth, 'F', idcard);
			char mid[IDS_NCHARS + 1];
			demo_id(r, mid);
			DEMO_ROW(d, DEMO_T_MEMBERS_RAW, mid, DV_T(p.id), DV_T(name), DV_T(idcard),
				 DV_T("child"), DV_T("F"), DV_D(birth), DV_T("healthy"), DV_N,
				 DV_T("senior"), DV_T("ordinary"), DV_N, DV_T("married_out"));
			int32_t adult = demo_add_months(birth, 12 * 20);
			change(d, r, p.id, mid, "marry_out",
			       past_day(d, r, adult > p.identified ? adult : p.identified + 30, d->today - 1),
			       "出嫁，户口迁往配偶家");
		}
	}
}

/* ---- anomalies across households ---- */

static void write_anomalies(struct demo *d, struct rng *r)
{
	char where[512], name[DEMO_NAME_NBYTES], idcard[IDCARD_NCHARS + 1], phone[DEMO_PHONE_NBYTES];

	/* One person in two households: a daughter who married into another
	 * household of the village without her registration moving out. */
	head_aged(where, sizeof where, 48, 65, "");
	struct picked a = pick_household(d, r, where);
	struct picked b = pick_household(d, r,
					 "EXISTS (SELECT 1 FROM members c WHERE c.household_id = h.id"
					 " AND c.relation = 'child' AND c.sex = 'M' AND c.status = 'present'"
					 " AND c.birth_date BETWEEN date(?1, '-34 years') AND date(?1, '-22 years'))"
					 " AND NOT EXISTS (SELECT 1 FROM members c WHERE c.household_id = h.id"
					 " AND c.relation = 'child_in_law')");
	if (a.found && b.found && strcmp(a.id, b.id) != 0) {
		int32_t birth = demo_birth_for_age(r, d->today, 21, 26);
		memcpy(name, a.head, 3);
		name[3] = '\0';
		demo_pick_given_name(r, date_year(birth), 'F', name, sizeof name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, birth, 'F', idcard);
		phone[0] = '\0';
		if (rng_percent(r, 60))
			demo_pick_phone(r, phone);
		char first[IDS_NCHARS + 1], second[IDS_NCHARS + 1];
		demo_invalid_id(r, first);
		demo_invalid_id(r, second);
		raw_member(d, first, a.id, name, idcard, "child", 'F', birth, "healthy", "senior",
			   "ordinary", phone);
		raw_member(d, second, b.id, name, idcard, "child_in_law", 'F', birth, "healthy",
			   "senior", "ordinary", phone);
		change(d, r, b.id, second, "marry_in", past_day(d, r, d->today - 400, d->today - 30),
		       "婚入（娘家户口未迁出）");
	}

	/* Over 110: a grandmother born 193x, entered as 190x. */
	head_aged(where, sizeof where, 55, 72, "");
	struct picked c = pick_household(d, r, where);
	if (c.found) {
		int32_t birth = date_from_civil(rng_range(r, 1901, 1904), rng_range(r, 1, 12),
						rng_range(r, 1, 28));
		demo_pick_name(r, date_year(birth), 'F', name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, birth, 'F', idcard);
		char mid[IDS_NCHARS + 1];
		demo_id(r, mid);
		raw_member(d, mid, c.id, name, idcard, "parent", 'F', birth, "chronic", "illiterate",
			   "none", NULL);
	}

	/* A newborn entered before being born: the record's created_at is weeks
	 * before the birth date. */
	head_aged(where, sizeof where, 24, 40, "");
	struct picked e = pick_household(d, r, where);
	if (e.found) {
		int32_t birth = d->today - rng_range(r, 30, 150);
		char sex = rng_percent(r, 52) ? 'M' : 'F';
		memcpy(name, e.head, 3);
		name[3] = '\0';
		demo_pick_given_name(r, date_year(birth), sex, name, sizeof name);
		demo_make_idcard(d, r, DEMO_HOME_REGION, birth, sex, idcard);
		char mid[IDS_NCHARS + 1], stamp[32];
		demo_id(r, mid);
		raw_member(d, mid, e.id, name, idcard, "child", sex, birth, "healthy", "preschool",
			   "none", NULL);
		change(d, r, e.id, mid, "birth", birth, "新生儿落户");
		time_on(r, birth - rng_range(r, 20, 60), stamp);
		demo_exec(d, "UPDATE members SET created_at = ?1, updated_at = ?1 WHERE id = ?2", stamp,
			  mid, NULL);
	}
}

void demo_last_records(struct demo *d)
{
	struct rng r;
	rng_seed_stream(&r, d->seed, STREAM_LAST);
	write_problems(d, &r);
	write_complaints(d, &r);
	write_cases(d, &r);
	write_departures(d, &r);
	if (d->nhouseholds >= DEMO_ANOMALY_MIN_HOUSEHOLDS)
		write_anomalies(d, &r);
	demo_exec(d,
		  "UPDATE roster_imports SET rows = (SELECT count(*) FROM dibao_roster"
		  " WHERE import_id = ?1) WHERE id = ?1",
		  d->roster_import_id, NULL, NULL);
}
