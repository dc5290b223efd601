/*
 * demo_household.c — everything the ledgers keep about one registered household
 * of the demo village beyond its household and member rows (see demo.c for how
 * the household itself is built, demo_internal.h for how the files fit).
 *
 * Each household's records are drawn from the household's own stream, after
 * what built the household, so they follow the household and nothing else: the
 * first households of a village of 50 have the same records as in a village of
 * 120. Only three things are shared across households, all deterministic: the
 * set of ID numbers, the running counts (struct demo_tally) that decide where the
 * planted findings go, and the cadre the next assignment goes to.
 *
 * What is kept, and how it fits the household:
 *   - status history: one row per status it went through (identified, helped,
 *     exited, monitored or fell back), the last one its households.status, on
 *     its identification and exit dates;
 *   - member changes: a death, a marriage out, a move for members whose status
 *     says so, a birth for children born after identification, a marriage in
 *     for a young daughter-in-law;
 *   - the identification procedure (all six steps of code_list procedure_step,
 *     in order, the last on the identification date) and, for households that
 *     exited, the exit procedure ending on the exit date; notices last the
 *     policy's notice_days or a little longer;
 *   - for households still helped (identified, helped, monitored, fell back): a
 *     cadre (assigned round robin), the four lists, and visits in every month of
 *     the four full months before today and sometimes this month;
 *   - a family-doctor contract, chronic illness and reimbursements for the ill,
 *     a schooling row for every child of compulsory school age (policy
 *     school_age_min..school_age_max) and for some older students, 雨露计划 for
 *     vocational students, a housing rating, industry, jobs, a microcredit loan,
 *     insurance, 低保 / 特困 / pensions / disability subsidies, and the
 *     household's rows on the imported 低保 roster.
 *
 * Planted findings (every k-th qualifying household, struct demo_tally): among
 * exited or monitored households, one in 25 has no family-doctor contract, one
 * in 25 an unsafe house not yet renovated, one in 10 of those with a school-age
 * child a dropout; among all, one in 40 lacks the last identification steps,
 * one in 40 has its village review dated before the group review, one in 40 a
 * village notice shorter than notice_days (these two rows are invalid and get
 * DEMO_INVALID_ID_PREFIX ids); every fifth cadre (the 4th, 9th, ...) made no
 * visit in the last full month to their second household; one registered 低保
 * household in 10 is missing from the roster.
 */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"

/* ---- days ---- */

static int32_t day_of(const char *text)
{
	int32_t day;
	return text[0] != '\0' && date_parse(text, &day) ? day : DEMO_NO_DAY;
}

static int32_t max_day(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

static int32_t min_day(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

/* A day in [lo, hi], never after today (an empty range gives its upper end). */
static int32_t past_day(const struct demo *d, struct rng *r, int32_t lo, int32_t hi)
{
	if (hi > d->today)
		hi = d->today;
	if (lo > hi)
		lo = hi;
	return demo_day_between(r, lo, hi);
}

/* The day someone born on birth turns years old. */
static int32_t birthday(int32_t birth, int years)
{
	return demo_add_months(birth, 12 * years);
}

/* The start of the school year today is in (the last 1 September). */
static int32_t school_year_start(const struct demo *d)
{
	int y = date_year(d->today);
	int32_t sept = date_from_civil(y, 9, 1);
	return sept <= d->today ? sept : date_from_civil(y - 1, 9, 1);
}

static int is_present(const struct member *m)
{
	return strcmp(m->status, "present") == 0;
}

static int age(const struct demo *d, const struct member *m)
{
	return date_age_on(m->birth, d->today);
}

static int64_t money(struct rng *r, int lo_yuan, int hi_yuan)
{
	return (int64_t)rng_range(r, lo_yuan, hi_yuan) * 100;
}

/* ---- status history and member changes ---- */

struct dates {
	int32_t identified;
	int32_t helped;   /* DEMO_NO_DAY: still newly identified */
	int32_t exited;   /* DEMO_NO_DAY: never exited */
	int32_t since;    /* the cadre's assignment */
};

static void status_row(struct demo *d, struct rng *r, const struct household *h,
		       const char *status, int32_t on, const char *reason)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_STATUS_HISTORY, id, DV_T(h->id), DV_T(status), DV_D(on), DV_T(reason));
}

static void write_status_history(struct demo *d, struct rng *r, const struct household *h,
				 struct dates *t)
{
	int fell_back = strcmp(h->status, "fell_back") == 0;
	t->identified = day_of(h->identified_on);
	t->exited = day_of(h->exited_on);
	if (fell_back) /* its exit is only in the note: an exit at a year's end */
		t->exited = past_day(d, r, max_day(date_from_civil(h->exit_year, 11, 15), t->identified + 15),
				     min_day(date_from_civil(h->exit_year, 12, 31), d->today - 1));
	status_row(d, r, h, "identified", t->identified, "经两评议两公示一比对一公告，纳入建档立卡");
	t->helped = DEMO_NO_DAY;
	if (strcmp(h->status, "identified") == 0)
		return;
	t->helped = t->identified + rng_range(r, 7, 60);
	if (t->exited != DEMO_NO_DAY && t->helped > t->exited - 40)
		t->helped = t->identified + (t->exited - t->identified) / 4;
	t->helped = min_day(t->helped, d->today);
	status_row(d, r, h, "helped", t->helped, "落实帮扶责任人和帮扶措施");
	if (t->exited == DEMO_NO_DAY)
		return;
	status_row(d, r, h, "exited", t->exited,
		   "年人均纯收入稳定超过标准，“两不愁三保障”实现，经民主评议退出");
	if (strcmp(h->status, "monitored") == 0)
		status_row(d, r, h, "monitored", past_day(d, r, t->exited + 30, t->exited + 400),
			   "脱贫不稳定，纳入动态监测");
	if (fell_back) {
		int32_t lo = max_day(date_from_civil(h->back_year, 1, 1), t->exited + 30);
		int32_t hi = date_from_civil(h->back_year, 12, 31);
		status_row(d, r, h, "fell_back", max_day(past_day(d, r, lo, hi), t->exited + 1), h->note);
	}
}

static void change_row(struct demo *d, struct rng *r, const struct household *h,
		       const struct member *m, const char *kind, int32_t on, const char *note)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_MEMBER_CHANGES, id, DV_T(h->id), DV_T(m->id), DV_T(kind), DV_D(on),
		 DV_T(note));
}

static void write_member_changes(struct demo *d, struct rng *r, const struct household *h,
				 const struct dates *t)
{
	static const char *const moved_notes[] = { "户口迁至务工地", "考入大学，户口迁出",
						   "户口随配偶迁出" };
	int32_t first_grandchild = DEMO_NO_DAY;
	for (int i = 0; i < h->nmembers; i++)
		if (strcmp(h->members[i].relation, "grandchild") == 0 &&
		    (first_grandchild == DEMO_NO_DAY || h->members[i].birth < first_grandchild))
			first_grandchild = h->members[i].birth;
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		if (strcmp(m->status, "deceased") == 0)
			change_row(d, r, h, m, "death", past_day(d, r, t->identified + 30, d->today - 1),
				   rng_percent(r, 70) ? "因病去世" : "年老去世");
		else if (strcmp(m->status, "married_out") == 0)
			change_row(d, r, h, m, "marry_out",
				   past_day(d, r, max_day(t->identified + 30, birthday(m->birth, 20)),
					    d->today - 1),
				   "出嫁，户口迁往配偶家");
		else if (strcmp(m->status, "moved_out") == 0)
			change_row(d, r, h, m, "move_out",
				   past_day(d, r, max_day(t->identified + 30, birthday(m->birth, 18)),
					    d->today - 1),
				   rng_pick(r, moved_notes));
		else if (m->birth > t->identified)
			change_row(d, r, h, m, "birth", m->birth, "新生儿落户");
		else if (strcmp(m->relation, "child_in_law") == 0 && age(d, m) <= 32) {
			int32_t lo = max_day(t->identified + 30, birthday(m->birth, 20));
			int32_t hi = d->today - 30;
			if (first_grandchild != DEMO_NO_DAY)
				hi = min_day(hi, first_grandchild - 300);
			if (lo <= hi)
				change_row(d, r, h, m, "marry_in", demo_day_between(r, lo, hi),
					   "婚入，户口迁入");
		}
	}
}

/* ---- 两评议两公示一比对一公告 ---- */

static const struct {
	const char *code;
	int notice;
	const char *identify_evidence;
	const char *exit_evidence;
} steps[6] = {
	{ "group_review", 0, "村民小组评议会议记录、签到表和现场照片",
	  "村民小组退出评议会议记录，贫困户签字认可" },
	{ "village_review", 0, "村两委和驻村工作队评议会议记录",
	  "村两委和驻村工作队核实退出条件的会议记录" },
	{ "village_notice", 1, "村务公开栏公示照片，公示期间无异议",
	  "拟退出名单村内公示照片，公示期间无异议" },
	{ "comparison", 0,
	  "与公安、民政、住建、市场监管、车管等部门数据比对，无财政供养人员、商品房、车辆和经营实体",
	  "收入核算表和“两不愁三保障”核查表，部门数据比对无异常" },
	{ "town_notice", 1, "乡镇人民政府公示照片，公示期间无异议",
	  "拟退出名单乡镇公示照片，公示期间无异议" },
	{ "announcement", 0, "县扶贫开发领导小组公告", "县扶贫开发领导小组退出公告" },
};

struct step_day {
	int32_t on, end; /* end: DEMO_NO_DAY unless a notice */
};

/* Six steps ending on last, none before earliest when the time allows: notices
 * of notice_days to notice_days + 2 days, a few days between steps. */
static void lay_out_steps(const struct demo *d, struct rng *r, int32_t earliest, int32_t last,
			  struct step_day out[6])
{
	for (int tight = 0; tight < 2; tight++) {
		int32_t at = last;
		for (int i = 5; i >= 0; i--) {
			if (steps[i].notice) {
				out[i].end = at;
				out[i].on = at - (d->notice_days - 1) - (tight ? 0 : rng_range(r, 0, 2));
			} else {
				out[i].on = at;
				out[i].end = DEMO_NO_DAY;
			}
			at = out[i].on - (tight || i == 0 ? 0 : rng_range(r, 0, 4));
		}
		if (out[0].on >= earliest)
			return;
	}
}

static void signer_of(const struct demo *d, const struct household *h, int step, char *out,
		      size_t out_nbytes)
{
	const struct group *g = &d->groups[h->group];
	switch (step) {
	case 0:
		snprintf(out, out_nbytes, "%s组长 %s", g->name->name, g->leader);
		break;
	case 1:
		snprintf(out, out_nbytes, "村党总支书记 %s、驻村第一书记 %s", d->secretary,
			 d->first_secretary);
		break;
	case 2:
		snprintf(out, out_nbytes, "村委会主任 %s", d->chairman);
		break;
	case 3:
		snprintf(out, out_nbytes, "镇扶贫办 %s", d->town_officer);
		break;
	case 4:
		snprintf(out, out_nbytes, "镇人民政府（镇扶贫办 %s）", d->town_officer);
		break;
	default:
		snprintf(out, out_nbytes, "县扶贫开发领导小组办公室 %s", d->county_officer);
		break;
	}
}

enum step_flaw { FLAW_NONE, FLAW_MISSING, FLAW_OUT_OF_ORDER, FLAW_SHORT_NOTICE };

static void write_procedure(struct demo *d, struct rng *r, const struct household *h,
			    const char *procedure, int32_t earliest, int32_t last,
			    enum step_flaw flaw)
{
	struct step_day days[6];
	lay_out_steps(d, r, earliest, last, days);
	int nsteps = 6;
	if (flaw == FLAW_MISSING)
		nsteps = rng_range(r, 3, 5); /* the township's notice and the rest never filed */
	if (flaw == FLAW_OUT_OF_ORDER)
		days[1].on = days[0].on - rng_range(r, 2, 6);
	if (flaw == FLAW_SHORT_NOTICE)
		days[2].end = days[2].on + d->notice_days - 1 - rng_range(r, 2, 4);
	int identify = strcmp(procedure, "identify") == 0;
	for (int i = 0; i < nsteps; i++) {
		char id[IDS_NCHARS + 1], signer[128], evidence[256];
		int invalid = (flaw == FLAW_OUT_OF_ORDER && i == 1) ||
			      (flaw == FLAW_SHORT_NOTICE && i == 2);
		if (invalid)
			demo_invalid_id(r, id);
		else
			demo_id(r, id);
		signer_of(d, h, i, signer, sizeof signer);
		snprintf(evidence, sizeof evidence, "%s%s",
			 identify ? steps[i].identify_evidence : steps[i].exit_evidence,
			 invalid ? "（原系统导入）" : "");
		DEMO_ROW(d, DEMO_T_PROCEDURE_STEPS, id, DV_T(h->id), DV_T(procedure), DV_I(1),
			 DV_T(steps[i].code), DV_D(days[i].on), DV_D(days[i].end), DV_T("passed"),
			 DV_T(signer), DV_T(evidence));
	}
}

static void write_procedures(struct demo *d, struct rng *r, const struct household *h,
			     const struct dates *t)
{
	static const enum step_flaw flaws[40] = { [7] = FLAW_MISSING, [19] = FLAW_OUT_OF_ORDER,
						  [31] = FLAW_SHORT_NOTICE };
	enum step_flaw flaw = flaws[d->tally.households % 40];
	write_procedure(d, r, h, "identify", t->identified - 60, t->identified, flaw);
	if (t->exited != DEMO_NO_DAY)
		write_procedure(d, r, h, "exit", t->identified + 1, t->exited, FLAW_NONE);
}

/* ---- cadre, four lists, visits ---- */

struct need {
	const char *cause;
	const char *need;
	const char *measure;
	const char *visit_note;
};

static const struct need needs[] = {
	{ "illness", "医疗费用负担重，需要健康扶贫政策支持", "落实“351”“180”政策和家庭医生签约服务",
	  "督促按时服药，联系家庭医生随访" },
	{ "disability", "需要残疾人补贴和康复服务", "申请困难残疾人生活补贴和重度残疾人护理补贴",
	  "核实残疾人两项补贴发放情况" },
	{ "schooling", "子女上学费用负担重", "落实教育资助和雨露计划补助",
	  "了解孩子就学情况，落实教育资助" },
	{ "disaster", "房屋受灾受损，需要修缮", "申请危房改造补助", "查看房屋安全状况" },
	{ "no_land", "耕地少，需要就业门路", "推荐到扶贫车间就业", "帮助联系扶贫车间岗位" },
	{ "no_water", "饮水不安全", "纳入安全饮水管网延伸工程", "查看饮水管网入户情况" },
	{ "no_skill", "缺少劳动技能", "参加柳编和家政技能培训，推荐就业", "动员参加技能培训" },
	{ "no_labour", "缺少劳动力，需要兜底保障", "纳入低保，落实光伏收益分配",
	  "核实低保金和光伏收益发放情况" },
	{ "no_capital", "缺少发展资金", "申请扶贫小额信贷 5 万元，发展特色养殖",
	  "了解小额信贷使用和养殖情况" },
	{ "transport", "出行不便，农产品运不出去", "纳入组道硬化项目", "了解组道硬化进度" },
	{ "no_drive", "发展意愿不强", "开展扶志扶智教育，安排公益性岗位",
	  "宣讲扶志政策，鼓励勤劳致富" },
};

static const struct need *need_of(const char *cause)
{
	for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++)
		if (cause != NULL && strcmp(needs[i].cause, cause) == 0)
			return &needs[i];
	return &needs[6];
}

static int present_count(const struct household *h)
{
	int n = 0;
	for (int i = 0; i < h->nmembers; i++)
		n += is_present(&h->members[i]);
	return n;
}

static void list_row(struct demo *d, struct rng *r, const struct household *h, const char *list,
		     const char *item, const char *responsible, int32_t due, int32_t done)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_FOUR_LISTS, id, DV_T(h->id), DV_T(list), DV_T(item), DV_T(responsible),
		 DV_D(due), DV_D(done));
}

static void write_four_lists(struct demo *d, struct rng *r, const struct household *h,
			     const struct dates *t, const struct cadre *c)
{
	static const char *const cause_labels[][2] = {
		{ "illness", "因病" },	  { "disability", "因残" },    { "schooling", "因学" },
		{ "disaster", "因灾" },	  { "no_land", "缺土地" },     { "no_water", "缺水" },
		{ "no_skill", "缺技术" }, { "no_labour", "缺劳力" },   { "no_capital", "缺资金" },
		{ "transport", "交通条件落后" }, { "no_drive", "自身发展动力不足" },
	};
	const char *label = "缺资金";
	for (size_t i = 0; i < sizeof cause_labels / sizeof cause_labels[0]; i++)
		if (strcmp(cause_labels[i][0], h->cause) == 0)
			label = cause_labels[i][1];
	const struct need *n = need_of(h->cause);
	char item[256];
	snprintf(item, sizeof item, "户主%s，家庭人口 %d 人，主要致贫原因：%s", h->members[0].name,
		 present_count(h), label);
	list_row(d, r, h, "object", item, NULL, DEMO_NO_DAY, DEMO_NO_DAY);
	list_row(d, r, h, "need", n->need, NULL, DEMO_NO_DAY, DEMO_NO_DAY);
	int32_t due = d->today + rng_range(r, -60, 70);
	int32_t done = rng_percent(r, 60) ? past_day(d, r, t->identified + 30, d->today)
					   : DEMO_NO_DAY;
	list_row(d, r, h, "measure", n->measure, c->name, due, done);
	snprintf(item, sizeof item, "帮扶责任人%s（%s），每月至少走访一次，落实帮扶措施", c->name,
		 c->unit);
	list_row(d, r, h, "responsibility", item, c->name, DEMO_NO_DAY, DEMO_NO_DAY);
}

static void visit_row(struct demo *d, struct rng *r, const struct household *h,
		      const struct cadre *c, int32_t on, const struct need *n)
{
	static const char *const general[] = {
		"了解家庭收入和务工情况", "核对扶贫手册和明白卡", "宣讲健康扶贫和教育资助政策",
		"听取对帮扶工作的意见", "了解“两不愁三保障”落实情况",
	};
	static const unsigned percent[6] = { 95, 70, 90, 60, 85, 45 };
	int ticks[6], any = 0;
	for (int i = 0; i < 6; i++)
		any |= ticks[i] = rng_percent(r, percent[i]);
	if (!any)
		ticks[0] = 1;
	char id[IDS_NCHARS + 1], notes[256];
	demo_id(r, id);
	if (rng_percent(r, 50))
		snprintf(notes, sizeof notes, "%s；%s", rng_pick(r, general), n->visit_note);
	else
		snprintf(notes, sizeof notes, "%s", rng_pick(r, general));
	DEMO_ROW(d, DEMO_T_VISITS, id, DV_T(c->id), DV_T(h->id), DV_D(on), DV_I(ticks[0]),
		 DV_I(ticks[1]), DV_I(ticks[2]), DV_I(ticks[3]), DV_I(ticks[4]), DV_I(ticks[5]),
		 DV_T(notes));
}

/* A visit in every month from four full months back, while the assignment ran;
 * this month's only sometimes (it is not over). skip_last_full: none in the last
 * full month (a planted finding). */
static void write_visits(struct demo *d, struct rng *r, const struct household *h,
			 const struct cadre *c, int32_t since, int skip_last_full)
{
	const struct need *n = need_of(h->cause);
	int32_t this_month = date_month_start(d->today);
	int32_t last_full = demo_add_months(this_month, -1);
	for (int32_t month = demo_add_months(this_month, -4); month <= d->today;
	     month = date_next_month(month)) {
		int32_t lo = max_day(month, since);
		int32_t hi = min_day(date_next_month(month) - 1, d->today);
		if (lo > hi || (skip_last_full && month == last_full))
			continue;
		if (month == this_month && !rng_percent(r, 60))
			continue;
		int count = rng_percent(r, 15) && hi - lo > 10 ? 2 : 1;
		int32_t first = demo_day_between(r, lo, count == 2 ? lo + (hi - lo) / 2 : hi);
		visit_row(d, r, h, c, first, n);
		if (count == 2)
			visit_row(d, r, h, c, demo_day_between(r, first + 1, hi), n);
	}
}

/* The cadre of the assignment number k: round robin over the cadres. */
static const struct cadre *write_assignment(struct demo *d, struct rng *r, unsigned k,
					    const struct household *h, struct dates *t)
{
	const struct cadre *c = &d->cadres[k % d->nhelpers];
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	t->since = min_day(t->identified + rng_range(r, 0, 10), d->today);
	DEMO_ROW(d, DEMO_T_CADRE_ASSIGNMENTS, id, DV_T(c->id), DV_T(h->id), DV_D(t->since), DV_N);
	return c;
}

/* ---- health ---- */

static void write_health(struct demo *d, struct rng *r, const struct household *h,
			 int no_doctor)
{
	static const char *const chronic[] = { "高血压", "2 型糖尿病", "冠心病", "慢性阻塞性肺疾病",
					       "类风湿性关节炎", "脑卒中后遗症", "慢性乙型肝炎",
					       "帕金森病" };
	static const char *const serious[] = { "慢性肾衰竭（血液透析）", "恶性肿瘤术后",
					       "重症精神病" };
	char id[IDS_NCHARS + 1];
	if (!no_doctor && (demo_is_exited(h) || rng_percent(r, 97))) {
		demo_id(r, id);
		int32_t signed_on = past_day(d, r, d->today - 300, d->today - 3);
		DEMO_ROW(d, DEMO_T_FAMILY_DOCTOR, id, DV_T(h->id), DV_D(signed_on),
			 DV_D(signed_on + 364), DV_T(d->doctors[rng_below(r, 3)]));
	}
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int is_chronic = strcmp(m->health, "chronic") == 0;
		int is_serious = strcmp(m->health, "serious") == 0;
		if (!is_present(m) || !(is_chronic || is_serious))
			continue;
		if (is_chronic || rng_percent(r, 30)) {
			char card[24];
			snprintf(card, sizeof card, "MB%s%06d", DEMO_HOME_REGION, rng_range(r, 0, 999999));
			demo_id(r, id);
			DEMO_ROW(d, DEMO_T_CHRONIC, id, DV_T(m->id),
				 DV_T(is_chronic ? rng_pick(r, chronic) : rng_pick(r, serious)),
				 DV_T(card),
				 DV_D(past_day(d, r, max_day(birthday(m->birth, 30), d->today - 15 * YEAR_DAYS),
					       d->today - 60)));
		}
		int nclaims = is_serious ? rng_range(r, 2, 3) : rng_percent(r, 50) ? rng_range(r, 1, 2) : 0;
		for (int k = 0; k < nclaims; k++) {
			const char *policy = "180";
			int64_t total = money(r, 400, 4000), paid = total * 8 / 10;
			if (is_serious) {
				total = money(r, 15000, 120000);
				unsigned which = (unsigned)rng_below(r, 100);
				policy = which < 60 ? "351" : which < 85 ? "大病保险" : "医疗救助";
				paid = which < 60 ? total - (total / 10 < 300000 ? total / 10 : 300000)
				       : which < 85 ? total * rng_range(r, 50, 70) / 100 : total / 5;
			}
			demo_id(r, id);
			DEMO_ROW(d, DEMO_T_REIMBURSEMENTS, id, DV_T(m->id),
				 DV_D(past_day(d, r, d->today - 700, d->today - 3)), DV_T(policy),
				 DV_I(total), DV_I(paid));
		}
	}
}

/* ---- schooling and 雨露计划 ---- */

static void school_row(struct demo *d, struct rng *r, const struct member *m, const char *stage,
		       const char *state, const char *school, const char *reason, int32_t as_of)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_SCHOOLING, id, DV_T(m->id), DV_T(stage), DV_T(state), DV_T(school),
		 DV_T(reason), DV_D(as_of));
}

static void yulu_rows(struct demo *d, struct rng *r, const struct member *m, int grade,
		      int32_t year_start)
{
	int last = date_year(year_start);
	for (int y = last - grade; y <= last; y++) {
		int32_t paid = demo_day_between(r, date_from_civil(y, 11, 1), date_from_civil(y, 12, 20));
		if (paid > d->today && y != last)
			continue;
		char id[IDS_NCHARS + 1];
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_YULU, id, DV_T(m->id), DV_I(y), DV_I(300000),
			 DV_D(paid > d->today ? DEMO_NO_DAY : paid));
	}
}

static void write_schooling(struct demo *d, struct rng *r, const struct household *h,
			    const struct member *dropout)
{
	static const char *const reasons[] = { "厌学，随父母外出务工", "家庭困难，在家照顾生病的老人",
					       "沉迷网络，多次劝返未果" };
	static const char *const colleges[] = { "六安职业技术学院", "安徽职业技术学院", "皖西学院",
						"合肥学院" };
	int32_t year_start = school_year_start(d);
	char school[128];
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int a = age(d, m);
		if (!is_present(m) || a < 3 || a > 22)
			continue;
		int32_t as_of = past_day(d, r, year_start, year_start + 25);
		if (a < d->school_age_min) {
			if (rng_percent(r, 40)) {
				snprintf(school, sizeof school, "%s", rng_percent(r, 50) ? "镇中心幼儿园" : "");
				if (school[0] == '\0')
					snprintf(school, sizeof school, "%s幼儿园", d->village_name);
				school_row(d, r, m, "preschool", "in_school", school, NULL, as_of);
			}
		} else if (a <= d->school_age_max) {
			const char *stage = strcmp(m->schooling, "primary") == 0 ? "primary"
					    : strcmp(m->schooling, "junior") == 0 ? "junior"
					    : rng_percent(r, 80) ? "senior" : "vocational";
			if (strcmp(stage, "primary") == 0 && rng_percent(r, 60))
				snprintf(school, sizeof school, "%s小学", d->village_name);
			else
				snprintf(school, sizeof school, "%s",
					 strcmp(stage, "primary") == 0 ? "镇中心小学"
					 : strcmp(stage, "junior") == 0 ? "镇初级中学"
					 : strcmp(stage, "senior") == 0 ? "霍邱县第一中学"
									: "霍邱县职业高级中学");
			if (m == dropout) {
				school_row(d, r, m, stage, "in_school", school, NULL,
					   past_day(d, r, year_start - 365, year_start - 340));
				school_row(d, r, m, stage, "dropped_out", school, rng_pick(r, reasons),
					   past_day(d, r, year_start + 30, d->today - 1));
			} else {
				school_row(d, r, m, stage, "in_school", school, NULL, as_of);
			}
			if (strcmp(stage, "vocational") == 0)
				yulu_rows(d, r, m, 0, year_start);
		} else if (a <= 18 && strcmp(m->schooling, "senior") == 0) {
			int vocational = rng_percent(r, 30);
			school_row(d, r, m, vocational ? "vocational" : "senior", "in_school",
				   vocational ? "霍邱县职业高级中学" : "霍邱县第二中学", NULL, as_of);
			if (vocational)
				yulu_rows(d, r, m, a - 16 < 0 ? 0 : a - 16 > 2 ? 2 : a - 16, year_start);
		} else if (a <= 18 && strcmp(m->schooling, "junior") == 0 && rng_percent(r, 50)) {
			school_row(d, r, m, "junior", "graduated", "镇初级中学", NULL, as_of);
		} else if (a >= 19 && strcmp(m->schooling, "college") == 0) {
			size_t k = (size_t)rng_below(r, 4);
			school_row(d, r, m, "college", "in_school", colleges[k], NULL, as_of);
			if (k < 2) /* 高职: 雨露计划 too */
				yulu_rows(d, r, m, a - 19 > 2 ? 2 : a - 19, year_start);
		}
	}
}

/* ---- housing ---- */

static void write_housing(struct demo *d, struct rng *r, const struct household *h,
			  const struct dates *t, int unsafe)
{
	static const char *const ratings[] = { "A", "B", "C", "D" };
	static const unsigned exited_weights[] = { 60, 36, 3, 1 };
	static const unsigned other_weights[] = { 45, 40, 10, 5 };
	const char *rating = ratings[rng_weighted(r, demo_is_exited(h) ? exited_weights : other_weights, 4)];
	if (unsafe)
		rating = rng_percent(r, 70) ? "C" : "D";
	int32_t assessed = past_day(d, r, max_day(t->identified, date_from_civil(2016, 3, 1)),
				    d->today - 30);
	const char *renovation = "none";
	int32_t renovated = DEMO_NO_DAY;
	int64_t subsidy = -1;
	if (rating[0] == 'C' || rating[0] == 'D') {
		unsigned x = (unsigned)rng_below(r, 100);
		renovation = unsafe ? (x < 60 ? "planned" : "in_progress")
			     : demo_is_exited(h) || x < 50 ? "done"
			     : x < 75 ? "in_progress" : "planned";
		if (unsafe)
			assessed = past_day(d, r, d->today - 200, d->today - 20);
		if (strcmp(renovation, "planned") != 0)
			subsidy = rating[0] == 'D' ? money(r, 20000, 30000) : money(r, 8000, 12000);
		if (strcmp(renovation, "done") == 0)
			renovated = past_day(d, r, assessed + 60, assessed + 300);
	}
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_HOUSING, id, DV_T(h->id), DV_T(rating), DV_D(assessed), DV_T(renovation),
		 DV_D(renovated), subsidy < 0 ? DV_N : DV_I(subsidy));
}

/* ---- industry, jobs, loans, insurance ---- */

static int labourer(const struct demo *d, const struct member *m)
{
	int a = age(d, m);
	return is_present(m) && a >= 18 && a < 60 &&
	       (strcmp(m->work_ability, "ordinary") == 0 || strcmp(m->work_ability, "skilled") == 0);
}

static int household_has_labour(const struct demo *d, const struct household *h)
{
	for (int i = 0; i < h->nmembers; i++)
		if (labourer(d, &h->members[i]))
			return 1;
	return 0;
}

/* Returns whether the household farms or breeds (for agricultural insurance). */
static int write_industry(struct demo *d, struct rng *r, const struct household *h)
{
	static const char *const planting[] = { "虾稻共养 %d 亩", "种植中药材（白术）%d 亩",
						"蔬菜大棚 %d 亩", "种植油茶 %d 亩" };
	static const char *const breeding[] = { "养殖肉牛 %d 头", "养殖山羊 %d 只",
						"养殖鸡鸭 %d 只", "养殖黄鳝网箱 %d 口" };
	static const int breeding_scale[][2] = { { 2, 8 }, { 10, 40 }, { 100, 500 }, { 10, 40 } };
	char id[IDS_NCHARS + 1], text[128];
	int year = date_year(d->today) - (rng_percent(r, 70) ? 1 : 0);
	int farms = 0;
	if (household_has_labour(d, h) && rng_percent(r, 65)) {
		farms = 1;
		const char *kind = "planting";
		unsigned x = (unsigned)rng_below(r, 100);
		if (x < 45) {
			snprintf(text, sizeof text, rng_pick(r, planting), rng_range(r, 2, 15));
		} else if (x < 90) {
			size_t k = (size_t)rng_below(r, 4);
			kind = "breeding";
			snprintf(text, sizeof text, breeding[k],
				 rng_range(r, breeding_scale[k][0], breeding_scale[k][1]));
		} else if (x < 95) {
			kind = "ecommerce";
			snprintf(text, sizeof text, "网店销售柳编制品");
		} else {
			kind = "tourism";
			snprintf(text, sizeof text, "农家乐");
		}
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_INDUSTRY, id, DV_T(h->id), DV_T(kind), DV_T(text), DV_I(year),
			 DV_I(money(r, 1000, 5000)), DV_I(money(r, 3000, 25000)));
	}
	if (rng_percent(r, 35)) {
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_INDUSTRY, id, DV_T(h->id), DV_T("solar"), DV_T("户用光伏电站 3 千瓦"),
			 DV_I(year), DV_N, DV_I(money(r, 2800, 3200)));
	}
	return farms;
}

static void write_jobs(struct demo *d, struct rng *r, const struct household *h,
		       const struct dates *t)
{
	static const char *const away[] = { "江苏省苏州市电子厂", "上海市建筑工地", "浙江省宁波市服装厂",
					    "广东省东莞市玩具厂", "合肥市物流公司" };
	static const char *const near[] = { "本镇虾稻合作社", "县经济开发区食品厂", "镇建筑队" };
	static const char *const posts[] = { "村公益性岗位（保洁员）", "村公益性岗位（护林员）",
					     "村公益性岗位（河道巡查员）", "村公益性岗位（光伏电站管护员）" };
	char employer[128];
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int a = age(d, m);
		if (!is_present(m) || a < 18 || a >= 60)
			continue;
		unsigned x = (unsigned)rng_below(r, 100);
		const char *kind = NULL;
		int64_t monthly = 0;
		int32_t lo = max_day(birthday(m->birth, 18), d->today - 6 * YEAR_DAYS);
		if (labourer(d, m)) {
			if (x < 55) {
				kind = "migrant";
				snprintf(employer, sizeof employer, "%s", rng_pick(r, away));
				monthly = money(r, 3000, 6000);
			} else if (x < 75) {
				kind = "local";
				snprintf(employer, sizeof employer, "%s", rng_pick(r, near));
				monthly = money(r, 2000, 3500);
			} else if (x < 83) {
				kind = "workshop";
				snprintf(employer, sizeof employer, "%s柳编扶贫车间", d->village_name);
				monthly = money(r, 1500, 2500);
			}
		} else if (strcmp(m->work_ability, "weak") == 0) {
			if (x < 30) {
				kind = "welfare_post";
				snprintf(employer, sizeof employer, "%s", rng_pick(r, posts));
				monthly = money(r, 400, 800);
				lo = max_day(lo, t->identified);
			} else if (x < 40) {
				kind = "workshop";
				snprintf(employer, sizeof employer, "%s柳编扶贫车间", d->village_name);
				monthly = money(r, 1000, 1800);
			}
		}
		if (kind == NULL)
			continue;
		int32_t start = past_day(d, r, lo, d->today - 15);
		int32_t end = DEMO_NO_DAY;
		if (rng_percent(r, 12) && start + 60 < d->today - 1)
			end = demo_day_between(r, start + 60, d->today - 1);
		char id[IDS_NCHARS + 1];
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_EMPLOYMENT, id, DV_T(m->id), DV_T(kind), DV_T(employer), DV_D(start),
			 DV_D(end), DV_I(monthly));
	}
}

/* 扶贫小额信贷: 5 万元 for most, three years, interest paid by the state at
 * 4.35% a year, the principal repaid at the end ("户贷户用户还"). */
static void write_loan(struct demo *d, struct rng *r, const struct household *h,
		       const struct dates *t)
{
	if (!household_has_labour(d, h) || !rng_percent(r, 28) || t->identified > d->today - 60)
		return;
	static const int amounts[] = { 50000, 30000, 20000, 10000 };
	static const unsigned amount_weights[] = { 70, 15, 10, 5 };
	static const int terms[] = { 36, 24, 12 };
	static const unsigned term_weights[] = { 80, 10, 10 };
	int64_t amount = (int64_t)amounts[rng_weighted(r, amount_weights, 4)] * 100;
	int term = terms[rng_weighted(r, term_weights, 3)];
	int32_t issued = past_day(d, r, max_day(t->identified + 30, date_from_civil(2015, 6, 1)),
				  d->today - 20);
	int32_t due = demo_add_months(issued, term);
	const char *state = "active";
	int64_t repaid = 0;
	int32_t repaid_on = DEMO_NO_DAY;
	if (due <= d->today) {
		if (rng_percent(r, 92)) {
			state = "repaid";
			repaid = amount;
			repaid_on = past_day(d, r, due - 30, due);
		} else {
			state = "overdue";
			repaid = amount * rng_range(r, 0, 5) / 10;
		}
	} else if (rng_percent(r, 12) && issued + 180 < d->today - 1) {
		state = "repaid";
		repaid = amount;
		repaid_on = demo_day_between(r, issued + 180, d->today - 1);
	}
	int32_t interest_until = repaid_on != DEMO_NO_DAY ? repaid_on : min_day(due, d->today);
	int64_t subsidy = amount * 435 / 10000 * (interest_until - issued) / 365;
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_LOANS, id, DV_T(h->id),
		 DV_T(rng_percent(r, 75) ? "霍邱农商银行" : "中国邮政储蓄银行霍邱县支行"),
		 DV_I(amount), DV_D(issued), DV_I(term), DV_D(due), DV_I(subsidy), DV_I(repaid),
		 DV_D(repaid_on), DV_T(state));
}

static void write_insurance(struct demo *d, struct rng *r, const struct household *h, int farms)
{
	int year = date_year(d->today);
	int persons = present_count(h);
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_INSURANCE, id, DV_T(h->id), DV_T("medical"), DV_T("中国人寿霍邱县支公司"),
		 DV_I(year), DV_I((int64_t)persons * 10000));
	if (rng_percent(r, 60)) {
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_INSURANCE, id, DV_T(h->id), DV_T("accident"),
			 DV_T("人保财险霍邱支公司"), DV_I(year), DV_I((int64_t)persons * 5000));
	}
	if (farms) {
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_INSURANCE, id, DV_T(h->id), DV_T("agriculture"),
			 DV_T("国元农业保险霍邱支公司"), DV_I(year), DV_I(money(r, 20, 120)));
	}
}

/* ---- social security and the 低保 roster ---- */

static void security_row(struct demo *d, struct rng *r, const struct household *h,
			 const struct member *m, const char *kind, int32_t start, int32_t end,
			 int64_t monthly)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_SECURITY, id, DV_T(h->id), DV_T(m ? m->id : NULL), DV_T(kind),
		 DV_D(start), DV_D(end), DV_I(monthly));
}

/* Returns the household's monthly 低保 in 分, 0 when not on 低保. */
static int64_t write_security(struct demo *d, struct rng *r, const struct household *h,
			      const struct dates *t)
{
	const struct member *head = &h->members[0];
	int persons = present_count(h);
	int labour = household_has_labour(d, h);
	int64_t dibao = 0;
	if (h->nmembers == 1 && age(d, head) >= 60 && !labour && rng_percent(r, 60)) {
		security_row(d, r, h, head, "tekun",
			     past_day(d, r, max_day(t->identified - 1000, birthday(head->birth, 60)),
				      d->today - 30),
			     DEMO_NO_DAY, money(r, 450, 560));
	} else {
		unsigned percent = strcmp(h->status, "exited") == 0 ? 8
				   : strcmp(h->status, "monitored") == 0 ? 25
				   : strcmp(h->status, "fell_back") == 0 ? 50 : 40;
		if (!labour)
			percent += 25;
		if (rng_percent(r, percent)) {
			dibao = (int64_t)persons * rng_range(r, 240, 360) * 100;
			security_row(d, r, h, NULL, "dibao",
				     past_day(d, r, max_day(t->identified - 700, date_from_civil(2013, 1, 1)),
					      d->today - 30),
				     DEMO_NO_DAY, dibao);
		}
	}
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		if (!is_present(m))
			continue;
		if (age(d, m) >= 60)
			security_row(d, r, h, m, "pension",
				     min_day(max_day(birthday(m->birth, 60), date_from_civil(2012, 1, 1)),
					     d->today),
				     DEMO_NO_DAY, 10500 + rng_range(r, 0, 45) * 100);
		if (m->disability_grade == 1 || m->disability_grade == 2)
			security_row(d, r, h, m, "disability_subsidy",
				     past_day(d, r, max_day(birthday(m->birth, 16),
							    date_from_civil(2016, 1, 1)),
					      d->today - 30),
				     DEMO_NO_DAY, money(r, 50, 80));
	}
	if (rng_percent(r, 4)) {
		int32_t on = past_day(d, r, d->today - 400, d->today - 5);
		security_row(d, r, h, head, "relief", on, on, money(r, 500, 3000));
	}
	return dibao;
}

static void roster_row(struct demo *d, struct rng *r, const struct member *roster_head,
		       const struct member *m, const char *relation, int size, int64_t monthly)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	d->roster_line++;
	DEMO_ROW(d, DEMO_T_DIBAO_ROSTER, id, DV_T(d->roster_import_id), DV_I(d->roster_line + 1),
		 DV_T(d->village_name), DV_T(roster_head->name), DV_T(roster_head->idcard),
		 DV_T(m->name), DV_T(m->idcard), DV_T(relation), DV_I(size), DV_I(monthly));
}

/* The household as the civil-affairs roster lists it: mostly the whole
 * household under its head; sometimes under the spouse (who applied); sometimes
 * only one ill or disabled member (单人保), who is then the roster's head. */
static void write_roster(struct demo *d, struct rng *r, const struct household *h,
			 int64_t dibao)
{
	const struct member *single = NULL, *spouse = NULL;
	for (int i = 1; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		if (!is_present(m))
			continue;
		if (strcmp(m->relation, "spouse") == 0)
			spouse = m;
		if (single == NULL && (strcmp(m->health, "disabled") == 0 ||
				       strcmp(m->health, "serious") == 0))
			single = m;
	}
	int persons = present_count(h);
	int64_t each = dibao / (persons > 0 ? persons : 1);
	unsigned x = (unsigned)rng_below(r, 100);
	if (single != NULL && x < 25) {
		roster_row(d, r, single, single, "户主", 1, each);
		return;
	}
	const struct member *roster_head = spouse != NULL && x < 45 ? spouse : &h->members[0];
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		if (!is_present(m))
			continue;
		const char *relation = m == roster_head ? "户主"
				       : roster_head == spouse && i == 0 ? "配偶"
				       : demo_relation_label(m->relation);
		roster_row(d, r, roster_head, m, relation, persons, each);
	}
}

/* ---- the household ---- */

/* The oldest present member of compulsory school age, or NULL. */
static const struct member *school_age_child(const struct demo *d, const struct household *h)
{
	const struct member *found = NULL;
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int a = age(d, m);
		if (is_present(m) && a >= d->school_age_min && a <= d->school_age_max &&
		    (found == NULL || m->birth < found->birth))
			found = m;
	}
	return found;
}

void demo_household_records(struct demo *d, struct rng *r, const struct household *h)
{
	struct dates t;
	write_status_history(d, r, h, &t);
	write_member_changes(d, r, h, &t);
	write_procedures(d, r, h, &t);

	int no_doctor = 0, unsafe = 0;
	const struct member *dropout = NULL;
	if (demo_is_exited(h)) {
		unsigned k = d->tally.exited++;
		no_doctor = k % 25 == 11;
		unsafe = k % 25 == 17;
		const struct member *child = school_age_child(d, h);
		if (child != NULL && d->tally.exited_schoolkids++ % 10 == 3)
			dropout = child;
	}
	if (strcmp(h->status, "exited") != 0) {
		/* Planted: every fifth cadre, from the fourth, skips the last full
		 * month at their second household. */
		unsigned k = d->tally.assignments++;
		const struct cadre *c = write_assignment(d, r, k, h, &t);
		int32_t last_full = demo_add_months(date_month_start(d->today), -1);
		int skip = k / d->nhelpers == 1 && k % d->nhelpers % 5 == 3 && t.since < last_full;
		write_four_lists(d, r, h, &t, c);
		write_visits(d, r, h, c, t.since, skip);
	}
	write_health(d, r, h, no_doctor);
	write_schooling(d, r, h, dropout);
	write_housing(d, r, h, &t, unsafe);
	int farms = write_industry(d, r, h);
	write_jobs(d, r, h, &t);
	write_loan(d, r, h, &t);
	write_insurance(d, r, h, farms);
	int64_t dibao = write_security(d, r, h, &t);
	if (dibao > 0 && d->tally.dibao++ % 10 != 6)
		write_roster(d, r, h, dibao);
	d->tally.households++;
}
