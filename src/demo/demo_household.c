/*
 * demo_household.c — the campaign's own records of one registered household of
 * the demo village, beyond its household and member rows (demo_people.c builds
 * the household; demo_internal.h says how the files fit).
 *
 * Each household's records are drawn from the household's own stream, after
 * what built the household, so they follow the household and nothing else: the
 * first households of a village of 50 have the same records as in a village of
 * 120. Only three things are shared across households, all deterministic: the
 * set of ID numbers, the running counts (struct demo_tally) that decide where the
 * planted findings go, and the cadre the next assignment goes to.
 *
 * What is kept here, and how it fits the household:
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
 *   - then the household's rows in the sector ledgers (demo_sectors.c).
 *
 * Planted findings (every k-th qualifying household, struct demo_tally): among
 * exited or monitored households, and apart among those still poor, one in 25
 * has no family-doctor contract, one in 25 an unsafe house not yet renovated
 * (its water unsafe too), one in 10 of those with a school-age child a dropout
 * (chosen here, written by demo_sectors.c); among all, one in
 * 40 lacks the last identification steps, one in 40 has its village review
 * dated before the group review, one in 40 a village notice shorter than
 * notice_days (these two rows are invalid and get DEMO_INVALID_ID_PREFIX ids);
 * every fifth cadre (the 4th, 9th, ...) made no visit in the last full month to
 * their second household.
 */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"

static int32_t day_of(const char *text)
{
	int32_t day;
	return text[0] != '\0' && date_parse(text, &day) ? day : DEMO_NO_DAY;
}

/* ---- status history and member changes ---- */

static void status_row(struct demo *d, struct rng *r, const struct household *h,
		       const char *status, int32_t on, const char *reason)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_STATUS_HISTORY, id, DV_T(h->id), DV_T(status), DV_D(on), DV_T(reason));
}

static void write_status_history(struct demo *d, struct rng *r, const struct household *h,
				 struct household_dates *t)
{
	int fell_back = strcmp(h->status, "fell_back") == 0;
	t->identified = day_of(h->identified_on);
	t->exited = day_of(h->exited_on);
	if (fell_back) /* its exit is only in the note: an exit at a year's end */
		t->exited = demo_past_day(d, r, demo_max_day(date_from_civil(h->exit_year, 11, 15), t->identified + 15),
				     demo_min_day(date_from_civil(h->exit_year, 12, 31), d->today - 1));
	status_row(d, r, h, "identified", t->identified, "经两评议两公示一比对一公告，纳入建档立卡");
	t->helped = DEMO_NO_DAY;
	if (strcmp(h->status, "identified") == 0)
		return;
	t->helped = t->identified + rng_range(r, 7, 60);
	if (t->exited != DEMO_NO_DAY && t->helped > t->exited - 40)
		t->helped = t->identified + (t->exited - t->identified) / 4;
	t->helped = demo_min_day(t->helped, d->today);
	status_row(d, r, h, "helped", t->helped, "落实帮扶责任人和帮扶措施");
	if (t->exited == DEMO_NO_DAY)
		return;
	status_row(d, r, h, "exited", t->exited,
		   "年人均纯收入稳定超过标准，“两不愁三保障”实现，经民主评议退出");
	if (strcmp(h->status, "monitored") == 0)
		status_row(d, r, h, "monitored", demo_past_day(d, r, t->exited + 30, t->exited + 400),
			   "脱贫不稳定，纳入动态监测");
	if (fell_back) {
		int32_t lo = demo_max_day(date_from_civil(h->back_year, 1, 1), t->exited + 30);
		int32_t hi = date_from_civil(h->back_year, 12, 31);
		status_row(d, r, h, "fell_back", demo_max_day(demo_past_day(d, r, lo, hi), t->exited + 1), h->note);
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
				 const struct household_dates *t)
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
		if (strcmp(m->status, "deceased") == 0) {
			const char *note = rng_percent(r, 70) ? "因病去世" : "年老去世";
			int32_t on = demo_past_day(d, r, t->identified + 30, d->today - 1);
			change_row(d, r, h, m, "death", on, note);
		} else if (strcmp(m->status, "married_out") == 0)
			change_row(d, r, h, m, "marry_out",
				   demo_past_day(d, r, demo_max_day(t->identified + 30, demo_birthday(m->birth, 20)),
					    d->today - 1),
				   "出嫁，户口迁往配偶家");
		else if (strcmp(m->status, "moved_out") == 0) {
			const char *note = rng_pick(r, moved_notes);
			int32_t on = demo_past_day(d, r,
						   demo_max_day(t->identified + 30, demo_birthday(m->birth, 18)),
						   d->today - 1);
			change_row(d, r, h, m, "move_out", on, note);
		} else if (m->birth > t->identified)
			change_row(d, r, h, m, "birth", m->birth, "新生儿落户");
		else if (strcmp(m->relation, "child_in_law") == 0 && demo_age(d, m) <= 32) {
			int32_t lo = demo_max_day(t->identified + 30, demo_birthday(m->birth, 20));
			int32_t hi = d->today - 30;
			if (first_grandchild != DEMO_NO_DAY)
				hi = demo_min_day(hi, first_grandchild - 300);
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
			     const struct household_dates *t)
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

static void list_row(struct demo *d, struct rng *r, const struct household *h, const char *list,
		     const char *item, const char *responsible, int32_t due, int32_t done)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_FOUR_LISTS, id, DV_T(h->id), DV_T(list), DV_T(item), DV_T(responsible),
		 DV_D(due), DV_D(done));
}

static void write_four_lists(struct demo *d, struct rng *r, const struct household *h,
			     const struct household_dates *t, const struct cadre *c)
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
		 demo_present_count(h), label);
	list_row(d, r, h, "object", item, NULL, DEMO_NO_DAY, DEMO_NO_DAY);
	list_row(d, r, h, "need", n->need, NULL, DEMO_NO_DAY, DEMO_NO_DAY);
	int32_t due = d->today + rng_range(r, -60, 70);
	int32_t done = rng_percent(r, 60) ? demo_past_day(d, r, t->identified + 30, d->today)
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
		int32_t lo = demo_max_day(month, since);
		int32_t hi = demo_min_day(date_next_month(month) - 1, d->today);
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
					    const struct household *h, struct household_dates *t)
{
	const struct cadre *c = &d->cadres[k % d->nhelpers];
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	t->since = demo_min_day(t->identified + rng_range(r, 0, 10), d->today);
	DEMO_ROW(d, DEMO_T_CADRE_ASSIGNMENTS, id, DV_T(c->id), DV_T(h->id), DV_D(t->since), DV_N);
	return c;
}

/* ---- the household ---- */

/* The oldest present member of compulsory school age, or NULL. */
static const struct member *school_age_child(const struct demo *d, const struct household *h)
{
	const struct member *found = NULL;
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int a = demo_age(d, m);
		if (demo_is_present(m) && a >= d->school_age_min && a <= d->school_age_max &&
		    (found == NULL || m->birth < found->birth))
			found = m;
	}
	return found;
}

void demo_household_records(struct demo *d, struct rng *r, const struct household *h)
{
	struct household_dates t;
	write_status_history(d, r, h, &t);
	write_member_changes(d, r, h, &t);
	write_procedures(d, r, h, &t);

	int no_doctor = 0, unsafe = 0;
	const struct member *dropout = NULL;
	int exited = demo_is_exited(h);
	unsigned nth = exited ? d->tally.exited++ : d->tally.poor++;
	no_doctor = nth % 25 == (exited ? 11u : 5u);
	unsafe = nth % 25 == (exited ? 17u : 13u);
	const struct member *child = school_age_child(d, h);
	if (child != NULL && (exited ? d->tally.exited_schoolkids++ : d->tally.poor_schoolkids++) % 10 == 3)
		dropout = child;
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
	demo_sector_records(d, r, h, &t, no_doctor, unsafe, dropout);
	d->tally.households++;
}
