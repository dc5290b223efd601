/*
 * demo_sectors.c — one registered household's rows in the sector ledgers of
 * the demo village: what the health, education, housing, agriculture, labour,
 * finance and civil-affairs offices keep about it (see demo_internal.h for how
 * the demo's files fit; demo_household.c writes the campaign's own records of
 * the household and calls demo_sector_records).
 *
 * A family-doctor contract, chronic illness and reimbursements for the ill, a
 * schooling row for every child of compulsory school age (policy
 * school_age_min..school_age_max) and for some older students, 雨露计划 for
 * vocational students, a housing rating (with the drinking water), industry,
 * jobs, a microcredit loan, insurance (basic medical insurance every year), 低保 / 特困 / pensions / disability subsidies, and the household's
 * rows on the imported 低保 roster. All drawn from the household's stream, in
 * that order, after its campaign records.
 *
 * Planted findings, chosen by the caller (struct demo_tally): no family-doctor
 * contract, an unsafe house not yet renovated (its water unsafe too), a dropout child; and here, one
 * registered 低保 household in 10 missing from the roster.
 */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"

/* The start of the school year today is in (the last 1 September). */
static int32_t school_year_start(const struct demo *d)
{
	int y = date_year(d->today);
	int32_t sept = date_from_civil(y, 9, 1);
	return sept <= d->today ? sept : date_from_civil(y - 1, 9, 1);
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
		int32_t signed_on = demo_past_day(d, r, d->today - 300, d->today - 3);
		DEMO_ROW(d, DEMO_T_FAMILY_DOCTOR, id, DV_T(h->id), DV_D(signed_on),
			 DV_D(signed_on + 364), DV_T(d->doctors[rng_below(r, 3)]));
	}
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int is_chronic = strcmp(m->health, "chronic") == 0;
		int is_serious = strcmp(m->health, "serious") == 0;
		if (!demo_is_present(m) || !(is_chronic || is_serious))
			continue;
		if (is_chronic || rng_percent(r, 30)) {
			char card[24];
			snprintf(card, sizeof card, "MB%s%06d", DEMO_HOME_REGION, rng_range(r, 0, 999999));
			demo_id(r, id);
			const char *disease = is_chronic ? rng_pick(r, chronic) : rng_pick(r, serious);
			int32_t since = demo_past_day(d, r,
						      demo_max_day(demo_birthday(m->birth, 30),
								   d->today - 15 * YEAR_DAYS),
						      d->today - 60);
			DEMO_ROW(d, DEMO_T_CHRONIC, id, DV_T(m->id), DV_T(disease), DV_T(card),
				 DV_D(since));
		}
		int nclaims = is_serious ? rng_range(r, 2, 3) : rng_percent(r, 50) ? rng_range(r, 1, 2) : 0;
		for (int k = 0; k < nclaims; k++) {
			const char *policy = "180";
			int64_t total = demo_money(r, 400, 4000), paid = total * 8 / 10;
			if (is_serious) {
				total = demo_money(r, 15000, 120000);
				unsigned which = (unsigned)rng_below(r, 100);
				policy = which < 60 ? "351" : which < 85 ? "大病保险" : "医疗救助";
				paid = which < 60 ? total - (total / 10 < 300000 ? total / 10 : 300000)
				       : which < 85 ? total * rng_range(r, 50, 70) / 100 : total / 5;
			}
			demo_id(r, id);
			DEMO_ROW(d, DEMO_T_REIMBURSEMENTS, id, DV_T(m->id),
				 DV_D(demo_past_day(d, r, d->today - 700, d->today - 3)), DV_T(policy),
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
		int a = demo_age(d, m);
		if (!demo_is_present(m) || a < 3 || a > 22)
			continue;
		int32_t as_of = demo_past_day(d, r, year_start, year_start + 25);
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
					   demo_past_day(d, r, year_start - 365, year_start - 340));
				int32_t left = demo_past_day(d, r, year_start + 30, d->today - 1);
				const char *reason = rng_pick(r, reasons);
				school_row(d, r, m, stage, "dropped_out", school, reason, left);
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
			  const struct household_dates *t, int unsafe)
{
	static const char *const ratings[] = { "A", "B", "C", "D" };
	static const unsigned exited_weights[] = { 60, 36, 3, 1 };
	static const unsigned other_weights[] = { 45, 40, 10, 5 };
	const char *rating = ratings[rng_weighted(r, demo_is_exited(h) ? exited_weights : other_weights, 4)];
	if (unsafe)
		rating = rng_percent(r, 70) ? "C" : "D";
	int32_t assessed = demo_past_day(d, r, demo_max_day(t->identified, date_from_civil(2016, 3, 1)),
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
			assessed = demo_past_day(d, r, d->today - 200, d->today - 20);
		if (strcmp(renovation, "planned") != 0)
			subsidy = rating[0] == 'D' ? demo_money(r, 20000, 30000) : demo_money(r, 8000, 12000);
		if (strcmp(renovation, "done") == 0)
			renovated = demo_past_day(d, r, assessed + 60, assessed + 300);
	}
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_HOUSING, id, DV_T(h->id), DV_T(rating), DV_D(assessed), DV_T(renovation),
		 DV_D(renovated), subsidy < 0 ? DV_N : DV_I(subsidy), DV_T(unsafe ? "unsafe" : "safe"));
}

/* ---- industry, jobs, loans, insurance ---- */

static int labourer(const struct demo *d, const struct member *m)
{
	int a = demo_age(d, m);
	return demo_is_present(m) && a >= 18 && a < 60 &&
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
			int mu = rng_range(r, 2, 15);
			snprintf(text, sizeof text, rng_pick(r, planting), mu);
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
		int64_t subsidy = demo_money(r, 1000, 5000);
		int64_t income = demo_money(r, 3000, 25000);
		DEMO_ROW(d, DEMO_T_INDUSTRY, id, DV_T(h->id), DV_T(kind), DV_T(text), DV_I(year),
			 DV_I(subsidy), DV_I(income));
	}
	if (rng_percent(r, 35)) {
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_INDUSTRY, id, DV_T(h->id), DV_T("solar"), DV_T("户用光伏电站 3 千瓦"),
			 DV_I(year), DV_N, DV_I(demo_money(r, 2800, 3200)));
	}
	return farms;
}

static void write_jobs(struct demo *d, struct rng *r, const struct household *h,
		       const struct household_dates *t)
{
	static const char *const away[] = { "江苏省苏州市电子厂", "上海市建筑工地", "浙江省宁波市服装厂",
					    "广东省东莞市玩具厂", "合肥市物流公司" };
	static const char *const near[] = { "本镇虾稻合作社", "县经济开发区食品厂", "镇建筑队" };
	static const char *const posts[] = { "村公益性岗位（保洁员）", "村公益性岗位（护林员）",
					     "村公益性岗位（河道巡查员）", "村公益性岗位（光伏电站管护员）" };
	char employer[128];
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		int a = demo_age(d, m);
		if (!demo_is_present(m) || a < 18 || a >= 60)
			continue;
		unsigned x = (unsigned)rng_below(r, 100);
		const char *kind = NULL;
		int64_t monthly = 0;
		int32_t lo = demo_max_day(demo_birthday(m->birth, 18), d->today - 6 * YEAR_DAYS);
		if (labourer(d, m)) {
			if (x < 55) {
				kind = "migrant";
				snprintf(employer, sizeof employer, "%s", rng_pick(r, away));
				monthly = demo_money(r, 3000, 6000);
			} else if (x < 75) {
				kind = "local";
				snprintf(employer, sizeof employer, "%s", rng_pick(r, near));
				monthly = demo_money(r, 2000, 3500);
			} else if (x < 83) {
				kind = "workshop";
				snprintf(employer, sizeof employer, "%s柳编扶贫车间", d->village_name);
				monthly = demo_money(r, 1500, 2500);
			}
		} else if (strcmp(m->work_ability, "weak") == 0) {
			if (x < 30) {
				kind = "welfare_post";
				snprintf(employer, sizeof employer, "%s", rng_pick(r, posts));
				monthly = demo_money(r, 400, 800);
				lo = demo_max_day(lo, t->identified);
			} else if (x < 40) {
				kind = "workshop";
				snprintf(employer, sizeof employer, "%s柳编扶贫车间", d->village_name);
				monthly = demo_money(r, 1000, 1800);
			}
		}
		if (kind == NULL)
			continue;
		int32_t start = demo_past_day(d, r, lo, d->today - 15);
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
		       const struct household_dates *t)
{
	if (!household_has_labour(d, h) || !rng_percent(r, 28) || t->identified > d->today - 60)
		return;
	static const int amounts[] = { 50000, 30000, 20000, 10000 };
	static const unsigned amount_weights[] = { 70, 15, 10, 5 };
	static const int terms[] = { 36, 24, 12 };
	static const unsigned term_weights[] = { 80, 10, 10 };
	int64_t amount = (int64_t)amounts[rng_weighted(r, amount_weights, 4)] * 100;
	int term = terms[rng_weighted(r, term_weights, 3)];
	int32_t issued = demo_past_day(d, r, demo_max_day(t->identified + 30, date_from_civil(2015, 6, 1)),
				  d->today - 20);
	int32_t due = demo_add_months(issued, term);
	const char *state = "active";
	int64_t repaid = 0;
	int32_t repaid_on = DEMO_NO_DAY;
	if (due <= d->today) {
		if (rng_percent(r, 92)) {
			state = "repaid";
			repaid = amount;
			repaid_on = demo_past_day(d, r, due - 30, due);
		} else {
			state = "overdue";
			repaid = amount * rng_range(r, 0, 5) / 10;
		}
	} else if (rng_percent(r, 12) && issued + 180 < d->today - 1) {
		state = "repaid";
		repaid = amount;
		repaid_on = demo_day_between(r, issued + 180, d->today - 1);
	}
	int32_t interest_until = repaid_on != DEMO_NO_DAY ? repaid_on : demo_min_day(due, d->today);
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
	int persons = demo_present_count(h);
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_INSURANCE, id, DV_T(h->id), DV_T("basic_medical"), DV_T("霍邱县医疗保障局"),
		 DV_I(year), DV_I((int64_t)persons * 10000));
	if (rng_percent(r, 60)) {
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_INSURANCE, id, DV_T(h->id), DV_T("accident"),
			 DV_T("人保财险霍邱支公司"), DV_I(year), DV_I((int64_t)persons * 5000));
	}
	if (farms) {
		demo_id(r, id);
		DEMO_ROW(d, DEMO_T_INSURANCE, id, DV_T(h->id), DV_T("agriculture"),
			 DV_T("国元农业保险霍邱支公司"), DV_I(year), DV_I(demo_money(r, 20, 120)));
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
			      const struct household_dates *t)
{
	const struct member *head = &h->members[0];
	int persons = demo_present_count(h);
	int labour = household_has_labour(d, h);
	int64_t dibao = 0;
	if (h->nmembers == 1 && demo_age(d, head) >= 60 && !labour && rng_percent(r, 60)) {
		int64_t monthly = demo_money(r, 450, 560);
		int32_t since = demo_past_day(d, r,
					      demo_max_day(t->identified - 1000,
							   demo_birthday(head->birth, 60)),
					      d->today - 30);
		security_row(d, r, h, head, "tekun", since, DEMO_NO_DAY, monthly);
	} else {
		unsigned percent = strcmp(h->status, "exited") == 0 ? 8
				   : strcmp(h->status, "monitored") == 0 ? 25
				   : strcmp(h->status, "fell_back") == 0 ? 50 : 40;
		if (!labour)
			percent += 25;
		if (rng_percent(r, percent)) {
			dibao = (int64_t)persons * rng_range(r, 240, 360) * 100;
			security_row(d, r, h, NULL, "dibao",
				     demo_past_day(d, r, demo_max_day(t->identified - 700, date_from_civil(2013, 1, 1)),
					      d->today - 30),
				     DEMO_NO_DAY, dibao);
		}
	}
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		if (!demo_is_present(m))
			continue;
		if (demo_age(d, m) >= 60)
			security_row(d, r, h, m, "pension",
				     demo_min_day(demo_max_day(demo_birthday(m->birth, 60), date_from_civil(2012, 1, 1)),
					     d->today),
				     DEMO_NO_DAY, 10500 + rng_range(r, 0, 45) * 100);
		if (m->disability_grade == 1 || m->disability_grade == 2) {
			int64_t monthly = demo_money(r, 50, 80);
			int32_t since = demo_past_day(d, r,
						      demo_max_day(demo_birthday(m->birth, 16),
								   date_from_civil(2016, 1, 1)),
						      d->today - 30);
			security_row(d, r, h, m, "disability_subsidy", since, DEMO_NO_DAY, monthly);
		}
	}
	if (rng_percent(r, 4)) {
		int32_t on = demo_past_day(d, r, d->today - 400, d->today - 5);
		security_row(d, r, h, head, "relief", on, on, demo_money(r, 500, 3000));
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
		if (!demo_is_present(m))
			continue;
		if (strcmp(m->relation, "spouse") == 0)
			spouse = m;
		if (single == NULL && (strcmp(m->health, "disabled") == 0 ||
				       strcmp(m->health, "serious") == 0))
			single = m;
	}
	int persons = demo_present_count(h);
	int64_t each = dibao / (persons > 0 ? persons : 1);
	unsigned x = (unsigned)rng_below(r, 100);
	if (single != NULL && x < 25) {
		roster_row(d, r, single, single, "户主", 1, each);
		return;
	}
	const struct member *roster_head = spouse != NULL && x < 45 ? spouse : &h->members[0];
	for (int i = 0; i < h->nmembers; i++) {
		const struct member *m = &h->members[i];
		if (!demo_is_present(m))
			continue;
		const char *relation = m == roster_head ? "户主"
				       : roster_head == spouse && i == 0 ? "配偶"
				       : demo_relation_label(m->relation);
		roster_row(d, r, roster_head, m, relation, persons, each);
	}
}

void demo_sector_records(struct demo *d, struct rng *r, const struct household *h,
			 const struct household_dates *t, int no_doctor, int unsafe,
			 const struct member *dropout)
{
	write_health(d, r, h, no_doctor);
	write_schooling(d, r, h, dropout);
	write_housing(d, r, h, t, unsafe);
	int farms = write_industry(d, r, h);
	write_jobs(d, r, h, t);
	write_loan(d, r, h, t);
	write_insurance(d, r, h, farms);
	int64_t dibao = write_security(d, r, h, t);
	if (dibao > 0 && d->tally.dibao++ % 10 != 6)
		write_roster(d, r, h, dibao);
}
