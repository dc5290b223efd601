/*
 * demo_last.c — the demo village's records written with the last batch, once
 * every registered household is in the store: the ones that pick households
 * already written (see demo_internal.h for how the demo's files fit).
 *
 * Problems in every state with their history, complaints and leads, typical
 * cases, a death and a marriage out when no household had one (so that every
 * kind of member change appears), and, in a village of at least
 * DEMO_ANOMALY_MIN_HOUSEHOLDS households, the anomalies that need two
 * households or a member written apart: one person registered in two
 * households (both members rows invalid, DEMO_INVALID_ID_PREFIX), a member
 * over 110 (a 190x birth date typed for a 193x one) and a newborn entered
 * before being born (created_at before birth_date). Last of all the 低保
 * import's row count, now that its roster is complete.
 *
 * Planted here: problems past their deadline and not closed. Everything is
 * drawn from the stream STREAM_LAST.
 */
#include <stdio.h>
#include <string.h>

#include "demo_internal.h"

#define DEMO_ANOMALY_MIN_HOUSEHOLDS 20

/* A problem and its history: created `age` days before today, moved along
 * path (states after open, NULL-terminated), each move a few days later. */
struct problem_plan {
	int area, task;
	const char *where;    /* the household it is about (demo_pick_household), or NULL */
	const char *title;    /* %s: the head's name, or the village */
	const char *source;
	const char *unit;     /* a unit code (units); NULL: the village (villages) */
	int deadline_in;      /* days after today (negative: past) */
	const char *measures;
	const char *evidence;
	const char *path[4];
};

static const struct problem_plan problem_plans[] = {
	{ 7, 5, "h.status IN ('exited', 'monitored')", "%s户家庭医生签约服务未履约，随访记录缺失",
	  "inspection", "weishengyuan", -8, NULL, NULL, { NULL } },
	{ 1, 1, "1", "%s户家庭人口信息与公安户籍信息不一致", "self_check", NULL, 25,
	  "核对户口簿，更新家庭成员信息", NULL, { NULL } },
	{ 3, 3, NULL, "%s道路硬化项目资金拨付滞后", "dispatch", "caizheng", -3,
	  "督促施工方加快进度，按进度拨付资金", NULL, { "rectifying", NULL } },
	{ 9, 14, NULL, "部分帮扶责任人走访记录不完整，“六个认真”填写不全", "inspection", NULL, 20,
	  "逐户补齐走访记录，开展帮扶手册填写培训", NULL, { "rectifying", NULL } },
	{ 7, 7, "h.status <> 'identified'", "%s户危房改造竣工验收资料不全", "self_check", "weigai", 10,
	  "补齐竣工验收表和改造前后照片", "已补齐竣工验收表和改造前后对比照片",
	  { "rectifying", "rectified", NULL } },
	{ 2, 2, "h.status = 'helped'", "%s户“四个清单”未及时更新", "self_check", NULL, -20,
	  "帮扶责任人入户更新四个清单", "已更新四个清单并由户主签字确认，附照片 2 张",
	  { "rectifying", "rectified", "closed", NULL } },
	{ 7, 6, "1", "%s户适龄儿童教育资助未落实", "finding", "zhongxinxiao", -30, "补发教育资助",
	  "已补发秋季学期资助 1250 元，附发放花名册", { "rectified", "closed", NULL } },
	{ 6, 4, "h.status = 'monitored'", "%s户返贫风险监测帮扶措施未落实", "dispatch", NULL, -5,
	  "安排公益性岗位，落实产业奖补", "已安排公益性岗位（保洁员）",
	  { "rectifying", "rectified", "reopened", NULL } },
	{ 10, 18, NULL, "群众反映低保评定程序不公开", "complaint", "minzheng", 15, NULL, NULL, { NULL } },
	{ 8, 8, NULL, "虾稻共养基地带贫机制不明确", "self_check", "nongzong", 35,
	  "与合作社签订带贫协议，明确分红方式", NULL, { "rectifying", NULL } },
	{ 9, 13, NULL, "扶贫工作室专职人员配备不足", "dispatch", "zuzhi", -15,
	  "选配专职扶贫专干和信息员", "已配备 3 名专职人员，名单已报镇组织办",
	  { "rectifying", "rectified", "closed", NULL } },
	{ 5, 15, NULL, "部分脱贫户“等靠要”思想严重，内生动力不足", "inspection", "xuanchuan", -12,
	  "开展“扶志扶智”宣讲，评选脱贫光荣户", NULL, { NULL } },
};

static void event_row(struct demo *d, struct rng *r, const char *problem_id, const char *from,
		      const char *to, int32_t on, const char *note)
{
	char id[IDS_NCHARS + 1], at[32];
	demo_id(r, id);
	demo_time_on(r, on, at);
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
			h = demo_pick_household(d, r, p->where);
		char id[IDS_NCHARS + 1], title[256];
		demo_id(r, id);
		const char *subject = h.found ? h.head
				      : strstr(p->title, "道路") ? d->groups[0].name->name
				      : d->village_name;
		snprintf(title, sizeof title, p->title, subject);
		int32_t deadline = d->today + p->deadline_in;
		int32_t created = demo_past_day(d, r, deadline - 50, deadline - 20);
		const char *state = "open";
		for (int k = 0; p->path[k] != NULL; k++)
			state = p->path[k];
		char person[DEMO_NAME_NBYTES];
		if (p->unit == NULL)
			snprintf(person, sizeof person, "%s", d->chairman);
		else
			demo_pick_adult_name(r, 1965, 1990, 60, person);
		DEMO_ROW(d, DEMO_T_PROBLEMS, id, DV_T(d->village), DV_I(p->area), DV_I(p->task),
			 DV_T(title), DV_T(title), DV_T(p->source), DV_N, DV_N,
			 DV_T(h.found ? h.id : NULL), DV_T(p->unit ? p->unit : "villages"),
			 DV_T(person), DV_D(deadline), DV_T(p->measures), DV_T(p->evidence), DV_T(state));
		event_row(d, r, id, NULL, "open", created, "新增问题");
		const char *from = "open";
		int32_t on = created;
		for (int k = 0; p->path[k] != NULL; k++) {
			on = demo_past_day(d, r, on + 2, on + 12);
			event_row(d, r, id, from, p->path[k], on, event_note(p->path[k]));
			from = p->path[k];
		}
	}
}

static void write_complaints(struct demo *d, struct rng *r)
{
	char id[IDS_NCHARS + 1], summary[256], handler[DEMO_NAME_NBYTES + 16];
	struct picked h = demo_pick_household(d, r, "h.status IN ('helped', 'exited')");
	snprintf(summary, sizeof summary,
		 "来信反映%s%s户家有小轿车、在县城购房，不应评为贫困户", h.found ? h.group : "",
		 h.found ? h.head : "某");
	snprintf(handler, sizeof handler, "%s", d->town_officer);
	int32_t received = demo_past_day(d, r, d->today - 90, d->today - 60);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("letter"), DV_D(received), DV_T("县信访局转办"),
		 DV_T(summary), DV_T(handler), DV_T("concluded"),
		 DV_T("经入户核查和部门比对，车辆和房产为其已分户的儿子所有，该户符合建档立卡条件，反映问题不属实，已向来信人反馈"),
		 DV_D(demo_past_day(d, r, received + 15, received + 30)));

	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("lead"), DV_D(demo_past_day(d, r, d->today - 25, d->today - 10)),
		 DV_T("县纪委转办"), DV_T("反映村干部在危房改造补助发放中优亲厚友"), DV_T("镇纪委"),
		 DV_T("investigating"), DV_N, DV_N);

	h = demo_pick_household(d, r, "EXISTS (SELECT 1 FROM social_security s WHERE s.household_id = h.id"
				 " AND s.kind = 'dibao')");
	snprintf(summary, sizeof summary, "来电反映%s户低保金发放不及时", h.found ? h.head : "某");
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("letter"), DV_D(demo_past_day(d, r, d->today - 3, d->today)),
		 DV_T("12345 热线"), DV_T(summary), DV_N, DV_T("received"), DV_N, DV_N);

	received = demo_past_day(d, r, d->today - 150, d->today - 100);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_COMPLAINTS, id, DV_T("lead"), DV_D(received), DV_T("镇纪委"),
		 DV_T("反映扶贫车间虚报用工人数，套取就业补贴"), DV_T("镇纪委"), DV_T("concluded"),
		 DV_T("经核查，车间实际用工 18 人，其中贫困劳动力 9 人，与台账一致，线索不属实，予以了结"),
		 DV_D(demo_past_day(d, r, received + 20, received + 40)));
}

static void write_cases(struct demo *d, struct rng *r)
{
	char id[IDS_NCHARS + 1], title[128], summary[512];
	struct picked h = demo_pick_household(d, r, "h.status = 'exited'");
	snprintf(title, sizeof title, "%s：养牛脱贫的“领头雁”", h.found ? h.head : d->chairman);
	snprintf(summary, sizeof summary,
		 "%s一家曾因病致贫。在帮扶干部帮助下申请扶贫小额信贷 5 万元发展肉牛养殖，"
		 "存栏从 2 头发展到 12 头，年收入超过 4 万元，主动申请脱贫，并带动 5 户贫困户养牛。",
		 h.found ? h.head : d->chairman);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_CASES, id, DV_T("person"), DV_T(title), DV_T(summary),
		 DV_D(demo_past_day(d, r, d->today - 60, d->today - 10)));

	snprintf(summary, sizeof summary,
		 "驻村第一书记%s雨夜走访时发现独居老人突发疾病，及时联系家庭医生并送医，"
		 "事后推动全村建立独居老人每日联络制度。",
		 d->first_secretary);
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_CASES, id, DV_T("event"), DV_T("帮扶干部雨夜送医"), DV_T(summary),
		 DV_D(demo_past_day(d, r, d->today - 120, d->today - 30)));

	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_CASES, id, DV_T("practice"), DV_T("“积分超市”激发内生动力"),
		 DV_T("村里设立扶贫“积分超市”，贫困户参加环境整治、技能培训、公益劳动可获得积分，"
		      "凭积分兑换生活用品，变“要我脱贫”为“我要脱贫”。"),
		 DV_D(demo_past_day(d, r, d->today - 45, d->today - 5)));
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

/* How many of the village's members have status (deceased, married_out). */
static sqlite3_int64 members_in_status(struct demo *d, const char *status)
{
	sqlite3_stmt *st;
	sqlite3_int64 n = 0;
	if (d->rc != TZ_OK)
		return 0;
	int rc = sqlite3_prepare_v2(d->db,
				    "SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id"
				    " WHERE h.village_code = ?1 AND m.status = ?2",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, d->village, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	}
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_ROW)
		d->rc = store_sqlite_error(d->s, rc, "统计演示数据", d->err);
	sqlite3_finalize(st);
	return n;
}

/* A woman of household, born on birth, who has left it: her member row, with
 * what[] = { relation, health, education, occupation, status }; her id into mid. */
static void gone_woman(struct demo *d, struct rng *r, const char *household, const char *name,
		       int32_t birth, const char *const what[5], char mid[IDS_NCHARS + 1])
{
	char idcard[IDCARD_NCHARS + 1];
	demo_make_idcard(d, r, DEMO_HOME_REGION, birth, 'F', idcard);
	demo_id(r, mid);
	DEMO_ROW(d, DEMO_T_MEMBERS_RAW, mid, DV_T(household), DV_T(name), DV_T(idcard),
		 DV_T(what[0]), DV_T("F"), DV_D(birth), DV_T(what[1]), DV_N, DV_T(what[2]),
		 DV_T(what[3]), DV_N, DV_T(what[4]));
}

/* Deaths and marriages out are rare among the household shapes; a village
 * without one gets one of each, so that every kind of member change appears:
 * an old parent who died after the household was registered, a daughter who
 * married out (both kept as members, with their member_changes row). */
static void write_departures(struct demo *d, struct rng *r)
{
	char where[512], name[DEMO_NAME_NBYTES];
	if (members_in_status(d, "deceased") == 0) {
		head_aged(where, sizeof where, 45, 62, "");
		struct picked p = demo_pick_household(d, r, where);
		if (p.found) {
			int32_t birth = demo_birth_for_age(r, d->today, 82, 92);
			demo_pick_name(r, date_year(birth), 'F', name);
			char mid[IDS_NCHARS + 1];
			gone_woman(d, r, p.id, name, birth,
				   (const char *const[]){ "parent", "serious", "illiterate", "none", "deceased" },
				   mid);
			change(d, r, p.id, mid, "death", demo_past_day(d, r, p.identified + 30, d->today - 1),
			       "因病去世");
		}
	}
	if (members_in_status(d, "married_out") == 0) {
		head_aged(where, sizeof where, 46, 62, "");
		struct picked p = demo_pick_household(d, r, where);
		if (p.found) {
			int32_t birth = demo_birth_for_age(r, d->today, 20, 27);
			memcpy(name, p.head, 3);
			name[3] = '\0';
			demo_pick_given_name(r, date_year(birth), 'F', name, sizeof name);
			char mid[IDS_NCHARS + 1];
			gone_woman(d, r, p.id, name, birth,
				   (const char *const[]){ "child", "healthy", "senior", "ordinary", "married_out" },
				   mid);
			int32_t adult = demo_add_months(birth, 12 * 20);
			change(d, r, p.id, mid, "marry_out",
			       demo_past_day(d, r, adult > p.identified ? adult : p.identified + 30, d->today - 1),
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
	struct picked a = demo_pick_household(d, r, where);
	struct picked b = demo_pick_household(d, r,
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
		change(d, r, b.id, second, "marry_in", demo_past_day(d, r, d->today - 400, d->today - 30),
		       "婚入（娘家户口未迁出）");
	}

	/* Over 110: a grandmother born 193x, entered as 190x. */
	head_aged(where, sizeof where, 55, 72, "");
	struct picked c = demo_pick_household(d, r, where);
	if (c.found) {
		int day = rng_range(r, 1, 28);
		int month = rng_range(r, 1, 12);
		int year = rng_range(r, 1901, 1904);
		int32_t birth = date_from_civil(year, month, day);
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
	struct picked e = demo_pick_household(d, r, where);
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
		demo_time_on(r, birth - rng_range(r, 20, 60), stamp);
		demo_exec(d, "UPDATE members SET created_at = ?1, updated_at = ?1 WHERE id = ?2", stamp,
			  mid, NULL);
	}
}

/* Task 17: the town's special inspection of the village and the village's
 * own monthly self-check (drawn last: nothing before changes). */
static void write_inspections(struct demo *d, struct rng *r)
{
	char id[IDS_NCHARS + 1];
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_INSPECTIONS, id, DV_D(demo_past_day(d, r, d->today - 40, d->today - 20)),
		 DV_T("special"), DV_T("镇纪委"), DV_T(d->village),
		 DV_T("扶贫领域作风问题专项督查：查台账、查程序、入户核实帮扶措施"), DV_I(2),
		 DV_T("发现走访记录不全、一户四个清单未更新，已派单限期整改"));
	demo_id(r, id);
	DEMO_ROW(d, DEMO_T_INSPECTIONS, id, DV_D(demo_past_day(d, r, d->today - 12, d->today - 2)),
		 DV_T("self_check"), DV_T("村扶贫工作室"), DV_T(d->village),
		 DV_T("月度自查：建档立卡信息、两不愁三保障、项目资金"), DV_I(1),
		 DV_T("一户家庭医生签约到期未续签，已通知村医续签"));
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
	write_inspections(d, &r);
	demo_exec(d,
		  "UPDATE roster_imports SET rows = (SELECT count(*) FROM dibao_roster"
		  " WHERE import_id = ?1) WHERE id = ?1",
		  d->roster_import_id, NULL, NULL);
}
