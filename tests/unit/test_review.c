/*
 * test_review.c — the town's review (model/review.c) between a real village
 * store and a real town store, over stick trips (sync_fixture.c): a dispatched
 * problem reported rectified goes through 镇初审, 部门审核 and 领导组审定 to
 * 销号, and the village sees it; sent back, the reason reaches the village; a
 * project goes through every stage; a village that records a town step in its
 * own store gets a proposal, never a step; a project new to the town at a
 * town's stage lands at 村申请; a refused bundle is answered, corrected and
 * accepted; every step is in the audit chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/problem.h"
#include "taizhang/review.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"

#include "fixture.h"
#include "sync_fixture.h"

#define V FIXTURE_VILLAGE
#define TOWN FIXTURE_TOWN
#define T0 "'2019-04-01T00:00:00Z'"
#define PROJECT "a100000000000000000000000000000f"

struct review_fixture {
	struct fixture fx; /* its directory only */
	struct store *v, *town;
	char problem[IDS_NCHARS + 1]; /* dispatched to the village, received there */
};

/* One stick trip that must be applied. */
static void trip(struct review_fixture *f, struct store *from, struct store *to)
{
	char msg[TZ_ERROR_NBYTES];
	if (sync_fixture_trip(f->fx.dir, from, to, NULL, msg, sizeof msg) != TZ_OK)
		fail_msg("stick trip: %s", msg);
}

static sqlite3_int64 count(struct store *s, const char *fmt, const char *arg)
{
	char q[512];
	snprintf(q, sizeof q, fmt, arg);
	return fixture_int(s, q);
}

/* A village with a household and a project applied for (村申请), known at the
 * town, and a problem the town dispatched to it, received there. */
static int setup(void **state)
{
	struct review_fixture *f = fixture_new(sizeof *f, NULL);
	if (f == NULL)
		return -1;
	char path[FIXTURE_PATH_NBYTES];
	f->v = fixture_create(fixture_file(&f->fx, "v.tzs", path), &fixture_village_id);
	f->town = fixture_create(fixture_file(&f->fx, "t.tzs", path), &fixture_town_id);
	sync_fixture_link(f->v, f->town);
	fixture_sql(f->v,
		    "INSERT OR IGNORE INTO villages(code, owner, name, created_at, updated_at)"
		    " VALUES ('" V "', '" V "', '示范村', " T0 ", " T0 ");"
		    "INSERT INTO villager_groups(id, owner, village_code, name, created_at, updated_at)"
		    " VALUES ('b1000000000000000000000000000001', '" V "', '" V "', '一组', " T0 ", " T0 ");"
		    "INSERT INTO households(id, owner, village_code, group_id, status, address, created_at,"
		    " updated_at) VALUES ('b1000000000000000000000000000002', '" V "', '" V "',"
		    " 'b1000000000000000000000000000001', 'helped', '一组一号', " T0 ", " T0 ");"
		    "INSERT INTO projects(id, owner, village_code, name, kind, year, funds_cents,"
		    " performance_target, stage, stage_on, created_at, updated_at) VALUES"
		    " ('" PROJECT "', '" V "', '" V "', '道路硬化', 'infrastructure', 2019, 100000,"
		    " '修路一公里', 'applied', '2019-04-01', " T0 ", " T0 ")");
	trip(f, f->v, f->town);
	struct tz_error err;
	struct problem_spec spec = { .village_code = V, .area = 2, .task = 7, .title = "危房未改造",
				     .responsible_unit = "镇危改办", .responsible_person = "李四",
				     .deadline = "2019-05-30" };
	if (problem_create(f->town, &spec, f->problem, &err) != TZ_OK)
		fail_msg("dispatch: %s", err.msg);
	trip(f, f->town, f->v);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct review_fixture *f = *state;
	store_close(f->v);
	store_close(f->town);
	f->fx.s = NULL;
	fixture_fini(&f->fx);
	free(f);
	return 0;
}

/* The step problem or project id waits for at the town ("" when none). */
static void waits_for(struct review_fixture *f, const char *id, char step[REVIEW_STEP_NBYTES])
{
	struct review_item *items;
	size_t n;
	struct tz_error err;
	assert_int_equal(review_pending(f->town, &items, &n, &err), TZ_OK);
	step[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].id, id) == 0)
			snprintf(step, REVIEW_STEP_NBYTES, "%s", items[i].step);
	review_items_free(items, n);
}

static void pass(struct review_fixture *f, enum review_subject s, const char *id, const char *opinion)
{
	struct tz_error err;
	if (review_pass(f->town, s, id, opinion, &err) != TZ_OK)
		fail_msg("review_pass: %s", err.msg);
}

/* The village reports the problem rectified with evidence. */
static void village_reports(struct review_fixture *f, const char *evidence)
{
	struct tz_error err;
	if (problem_request_close(f->v, f->problem, "已完工", evidence, &err) != TZ_OK)
		fail_msg("request close: %s", err.msg);
}

static void the_audit_chain_holds(struct store *s)
{
	struct store_audit_report r;
	assert_int_equal(store_audit_verify(store_db(s), &r), SQLITE_OK);
	if (r.broken)
		fail_msg("audit chain broken at %lld: %s", (long long)r.bad_seq, r.why);
}

static void a_dispatched_problem_goes_from_village_through_review_to_closing_over_two_trips(void **state)
{
	struct review_fixture *f = *state;
	char step[REVIEW_STEP_NBYTES];
	waits_for(f, f->problem, step);
	assert_string_equal(step, ""); /* open: nothing to review yet */
	village_reports(f, "改造后照片三张");
	trip(f, f->v, f->town); /* stick trip 1 */
	waits_for(f, f->problem, step);
	assert_string_equal(step, "town_review");
	pass(f, REVIEW_PROBLEM, f->problem, "材料齐全");
	waits_for(f, f->problem, step);
	assert_string_equal(step, "dept_review");
	pass(f, REVIEW_PROBLEM, f->problem, NULL);
	assert_int_equal(count(f->town, "SELECT count(*) FROM problems WHERE id = '%s' AND state = 'rectified'",
			       f->problem), 1);
	pass(f, REVIEW_PROBLEM, f->problem, "同意销号");
	assert_int_equal(count(f->town, "SELECT count(*) FROM problems WHERE id = '%s' AND state = 'closed'",
			       f->problem), 1);
	waits_for(f, f->problem, step);
	assert_string_equal(step, "");
	trip(f, f->town, f->v); /* stick trip 2 */
	assert_int_equal(count(f->v, "SELECT count(*) FROM problems WHERE id = '%s' AND state = 'closed'",
			       f->problem), 1);
	/* who, when and the opinion of each step, at both ends */
	assert_int_equal(count(f->v, "SELECT count(*) FROM reviews WHERE subject_id = '%s' AND outcome = 'pass'"
				     " AND by_user = '" FIXTURE_USER "' AND on_date <> ''", f->problem), 3);
	assert_int_equal(count(f->v, "SELECT count(*) FROM reviews WHERE subject_id = '%s'"
				     " AND step = 'approved' AND opinion = '同意销号'", f->problem), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM audit_log WHERE action = 'review.pass'"), 3);
	the_audit_chain_holds(f->town);
	the_audit_chain_holds(f->v);
}

static void a_problem_sent_back_reaches_the_village_with_the_reason(void **state)
{
	struct review_fixture *f = *state;
	struct tz_error err;
	village_reports(f, "改造后照片三张");
	trip(f, f->v, f->town);
	pass(f, REVIEW_PROBLEM, f->problem, NULL);
	assert_int_equal(review_return(f->town, REVIEW_PROBLEM, f->problem, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "理由"));
	assert_int_equal(review_return(f->town, REVIEW_PROBLEM, f->problem, "照片看不清", &err), TZ_OK);
	trip(f, f->town, f->v);
	assert_int_equal(count(f->v, "SELECT count(*) FROM problems WHERE id = '%s' AND state = 'reopened'",
			       f->problem), 1);
	assert_int_equal(count(f->v, "SELECT count(*) FROM problem_events WHERE problem_id = '%s'"
				     " AND to_state = 'reopened' AND note LIKE '%%照片看不清%%'", f->problem), 1);
	struct review_record *r;
	size_t n;
	assert_int_equal(review_outcomes(f->v, &r, &n, &err), TZ_OK);
	assert_int_equal(n, 2);
	assert_string_equal(r[1].what, "部门审核退回，重新整改");
	assert_string_equal(r[1].opinion, "照片看不清");
	review_records_free(r, n);
	/* rectified again, the review starts over at 镇初审 */
	village_reports(f, "补拍照片五张");
	trip(f, f->v, f->town);
	char step[REVIEW_STEP_NBYTES];
	waits_for(f, f->problem, step);
	assert_string_equal(step, "town_review");
}

static void a_project_goes_through_every_stage_and_the_village_follows(void **state)
{
	struct review_fixture *f = *state;
	static const char *const stages[] = { "town_review", "dept_review", "approved" };
	for (size_t i = 0; i < 3; i++) {
		char step[REVIEW_STEP_NBYTES];
		waits_for(f, PROJECT, step);
		assert_string_equal(step, stages[i]);
		pass(f, REVIEW_PROJECT, PROJECT, "同意");
		assert_int_equal(count(f->town, "SELECT count(*) FROM projects WHERE stage = '%s'", stages[i]), 1);
	}
	struct tz_error err;
	assert_int_equal(review_pass(f->town, REVIEW_PROJECT, PROJECT, NULL, &err), TZ_EFAIL);
	trip(f, f->town, f->v);
	assert_int_equal(fixture_int(f->v, "SELECT count(*) FROM projects WHERE stage = 'approved'"), 1);
	assert_int_equal(fixture_int(f->v, "SELECT count(*) FROM project_stages WHERE owner = '" TOWN "'"), 3);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM audit_log WHERE action = 'review.pass'"
					      " AND subject = 'project:" PROJECT "'"), 3);
	/* the village's next hand-in sends no step back */
	trip(f, f->v, f->town);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals"), 0);
}

static void a_project_sent_back_is_not_passed(void **state)
{
	struct review_fixture *f = *state;
	struct tz_error err;
	assert_int_equal(review_return(f->town, REVIEW_PROJECT, PROJECT, "选址未定", &err), TZ_OK);
	trip(f, f->town, f->v);
	assert_int_equal(fixture_int(f->v, "SELECT count(*) FROM projects WHERE stage = 'rejected'"), 1);
	assert_int_equal(review_pass(f->town, REVIEW_PROJECT, PROJECT, NULL, &err), TZ_EFAIL);
}

static void only_the_town_reviews(void **state)
{
	struct review_fixture *f = *state;
	struct tz_error err;
	struct review_item *items;
	size_t n;
	assert_int_equal(review_pass(f->v, REVIEW_PROJECT, PROJECT, NULL, &err), TZ_EUSAGE);
	assert_int_equal(review_return(f->v, REVIEW_PROBLEM, f->problem, "x", &err), TZ_EUSAGE);
	assert_int_equal(review_pending(f->v, &items, &n, &err), TZ_EUSAGE);
	/* an open problem, and a problem the village found itself, wait for no step */
	assert_int_equal(review_pass(f->town, REVIEW_PROBLEM, f->problem, NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "已整改"));
}

static void a_village_recording_a_town_step_gets_a_proposal_never_a_step(void **state)
{
	struct review_fixture *f = *state;
	village_reports(f, "改造后照片三张");
	/* the village's store, edited by hand: a review row, the project's stage and
	 * its stage record, and its problem closed */
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "INSERT INTO reviews(id, owner, village_code, subject, subject_id, step, outcome,"
		 " by_user, on_date, created_at, updated_at) VALUES ('c1000000000000000000000000000001',"
		 " '" V "', '" V "', 'problem', '%s', 'approved', 'pass', 'x', '2019-05-01', " T0 ", " T0 ");"
		 "UPDATE projects SET stage = 'approved' WHERE id = '" PROJECT "';"
		 "INSERT INTO project_stages(id, owner, project_id, stage, on_date, by_user, created_at,"
		 " updated_at) VALUES ('c1000000000000000000000000000002', '" V "', '" PROJECT "',"
		 " 'approved', '2019-05-01', 'x', " T0 ", " T0 ");"
		 "UPDATE problems SET state = 'closed' WHERE id = '%s'",
		 f->problem, f->problem);
	fixture_sql(f->v, sql);
	trip(f, f->v, f->town);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM reviews"), 0);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM projects WHERE stage = 'applied'"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM project_stages"), 0);
	assert_int_equal(count(f->town, "SELECT count(*) FROM problems WHERE id = '%s' AND state = 'rectified'",
			       f->problem), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals WHERE state = 'open'"), 4);
	/* a hand-made step is never accepted as it came; refused, the note goes back */
	long long id = fixture_int(f->town, "SELECT id FROM sync_proposals WHERE table_name = 'reviews'");
	struct tz_error err;
	assert_int_equal(sync_proposal_accept(f->town, id, NULL, &err), TZ_EFAIL);
	assert_int_equal(sync_proposal_refuse(f->town, id, "审核由镇里办理", &err), TZ_OK);
	trip(f, f->town, f->v);
	assert_int_equal(fixture_int(f->v, "SELECT count(*) FROM town_answers WHERE kind = 'proposal'"
					   " AND decision = 'refused' AND note = '审核由镇里办理'"), 1);
	struct review_record *r;
	size_t n;
	assert_int_equal(review_outcomes(f->v, &r, &n, &err), TZ_OK);
	assert_int_equal(n, 1); /* the answer; the village's own row is no step */
	assert_string_equal(r[0].what, "申请未同意");
	review_records_free(r, n);
}

static void a_project_new_to_the_town_at_a_town_stage_lands_at_applied(void **state)
{
	struct review_fixture *f = *state;
	fixture_sql(f->v, "INSERT INTO projects(id, owner, village_code, name, kind, year, funds_cents,"
			  " performance_target, stage, stage_on, created_at, updated_at) VALUES"
			  " ('a200000000000000000000000000000f', '" V "', '" V "', '光伏电站', 'industry', 2019,"
			  " 300000, '带动 30 户', 'dept_review', '2019-04-10', " T0 ", " T0 ");"
			  "INSERT INTO project_stages(id, owner, project_id, stage, on_date, by_user, created_at,"
			  " updated_at) VALUES ('c2000000000000000000000000000001', '" V "',"
			  " 'a200000000000000000000000000000f', 'applied', '2019-04-01', 'x', " T0 ", " T0 "),"
			  " ('c2000000000000000000000000000002', '" V "', 'a200000000000000000000000000000f',"
			  " 'town_review', '2019-04-05', 'x', " T0 ", " T0 ")");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(sync_fixture_trip(f->fx.dir, f->v, f->town, &o, msg, sizeof msg), TZ_OK);
	assert_non_null(strstr(msg, "待镇里决定"));
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM projects WHERE id = 'a200000000000000000000000000000f'"
					      " AND stage = 'applied' AND name = '光伏电站'"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM project_stages WHERE stage = 'applied'"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_proposals WHERE state = 'open'"), 2);
	char step[REVIEW_STEP_NBYTES];
	waits_for(f, "a200000000000000000000000000000f", step);
	assert_string_equal(step, "town_review");
	/* the town may take the village's word: accepting writes the stage */
	long long id = fixture_int(f->town, "SELECT id FROM sync_proposals WHERE table_name = 'projects'");
	struct tz_error err;
	assert_int_equal(sync_proposal_accept(f->town, id, NULL, &err), TZ_OK);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM projects WHERE stage = 'dept_review'"), 1);
}

static void a_refused_bundle_is_answered_corrected_and_accepted(void **state)
{
	struct review_fixture *f = *state;
	fixture_sql(f->v, "UPDATE households SET address = '一组' || char(27) || '[2J'");
	enum sync_outcome o;
	char msg[TZ_ERROR_NBYTES];
	assert_int_equal(sync_fixture_trip(f->fx.dir, f->v, f->town, &o, msg, sizeof msg), TZ_EDAMAGED);
	assert_int_equal(o, SYNC_REFUSED);
	/* the village writes more before it learns: that bundle chains to the refused one */
	fixture_sql(f->v, "UPDATE households SET income_cents = 500000");
	assert_int_equal(sync_fixture_trip(f->fx.dir, f->v, f->town, &o, msg, sizeof msg), TZ_EDAMAGED);
	/* the town's answer goes back; the village reads why */
	trip(f, f->town, f->v);
	struct review_record *r;
	size_t n;
	struct tz_error err;
	assert_int_equal(review_outcomes(f->v, &r, &n, &err), TZ_OK);
	assert_true(n >= 1);
	assert_string_equal(r[0].what, "数据包被镇里拒收");
	assert_non_null(strstr(r[0].opinion, "households"));
	review_records_free(r, n);
	/* corrected, the next hand-in is accepted, both changes in it */
	fixture_sql(f->v, "UPDATE households SET address = '一组二号'");
	assert_int_equal(sync_fixture_trip(f->fx.dir, f->v, f->town, &o, msg, sizeof msg), TZ_OK);
	assert_int_equal(o, SYNC_APPLIED);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '一组二号'"
					      " AND income_cents = 500000"), 1);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM sync_alarms"), 0);
	/* and the chain goes on */
	trip(f, f->town, f->v);
	fixture_sql(f->v, "UPDATE households SET address = '一组三号'");
	trip(f, f->v, f->town);
	assert_int_equal(fixture_int(f->town, "SELECT count(*) FROM households WHERE address = '一组三号'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(a_dispatched_problem_goes_from_village_through_review_to_closing_over_two_trips),
		T(a_problem_sent_back_reaches_the_village_with_the_reason),
		T(a_project_goes_through_every_stage_and_the_village_follows),
		T(a_project_sent_back_is_not_passed),
		T(only_the_town_reviews),
		T(a_village_recording_a_town_step_gets_a_proposal_never_a_step),
		T(a_project_new_to_the_town_at_a_town_stage_lands_at_applied),
		T(a_refused_bundle_is_answered_corrected_and_accepted),
#undef T
	};
	store_set_open_hook(sync_capture_attach); /* as main does: every store captures */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
