/*
 * cmd_review.c — `taizhang review`: the town's review of dispatched problems
 * and projects (src/model/review.c), and, at a village, what the town said.
 *
 *   taizhang review list                 town: what waits at which step;
 *                                        village: the town's steps and answers
 *   taizhang review log                  every step and answer recorded here
 *   taizhang review pass ID [--opinion T] (town) pass the step ID waits for
 *   taizhang review return ID --opinion T (town) send it back, saying why
 *   taizhang review show ID              one problem's or project's steps
 *
 * ID is a problem's or a project's id, or its first 4+ digits. Exit codes:
 * pass and return at a village store are usage errors (2); a thing that waits
 * for no step, or a text the ledger refuses, is 1 with the ledger's message.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/keyring.h"
#include "taizhang/review.h"

static const char usage[] =
	"用法：taizhang review list                   镇里：待审核的问题和项目；村里：镇里的审核结果和答复\n"
	"       taizhang review log                    全部审核记录和答复\n"
	"       taizhang review pass 编号 [--opinion 意见]    通过当前环节（镇扶贫办）\n"
	"       taizhang review return 编号 --opinion 理由    退回（镇扶贫办；问题重新整改，项目未通过）\n"
	"       taizhang review show 编号              一个问题或项目的审核经过\n"
	"镇里派的单，村里整改完成上报“已整改”并附佐证材料后，由镇里按\n"
	"镇初审 → 部门审核 → 领导组审定 逐级审核，领导组审定通过即销号；任何一级可退回\n"
	"重新整改并写明理由。村里申请的项目（村申请）也按这三级审批，退回即未通过。\n"
	"每一步记下审核人、日期和意见，写入审计日志，随镇里下一次数据包发回村里。\n"
	"编号是问题或项目的编号，可只写前几位（至少 4 位）。\n";

static const struct cli_option options[] = {
	{ "opinion", 0, "意见", "pass 的审核意见（可不写），return 的退回理由（必写）" },
	{ NULL, 0, NULL, NULL },
};

static const char *subject_name(enum review_subject subject)
{
	return subject == REVIEW_PROBLEM ? "问题" : "项目";
}

static void print_records(const struct review_record *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%s  %-10s %s", r[i].on_date ? r[i].on_date : "", r[i].by_user ? r[i].by_user : "",
		       r[i].what);
		if (r[i].subject_id[0])
			printf("  %s %.8s“%s”", subject_name(r[i].subject), r[i].subject_id,
			       r[i].title ? r[i].title : "");
		else
			printf("  %s", r[i].title ? r[i].title : "");
		if (r[i].opinion)
			printf("：%s", r[i].opinion);
		printf("\n");
	}
}

static int do_log(struct store *s, const char *arg, const char *opinion, struct tz_error *err)
{
	(void)arg;
	(void)opinion;
	struct review_record *r;
	size_t n;
	int rc = review_outcomes(s, &r, &n, err);
	if (rc != TZ_OK)
		return rc;
	print_records(r, n);
	printf("共 %zu 条镇里的审核结果和答复。\n", n);
	review_records_free(r, n);
	return TZ_OK;
}

/* At the town what waits; at a village what the town said (the log). */
static int do_list(struct store *s, const char *arg, const char *opinion, struct tz_error *err)
{
	if (store_keyring(s)->kind != STORE_KIND_TOWN)
		return do_log(s, arg, opinion, err);
	struct review_item *items;
	size_t n;
	int rc = review_pending(s, &items, &n, err);
	if (rc != TZ_OK)
		return rc;
	printf("编号      类别 待办环节    等待自      村              名称\n");
	for (size_t i = 0; i < n; i++) {
		const struct review_item *it = &items[i];
		printf("%.8s  %s %-10s %-10s %s %s  %s\n", it->id, subject_name(it->subject),
		       it->step_label ? it->step_label : "", it->since ? it->since : "",
		       it->village_code, it->village_name ? it->village_name : "", it->title);
		if (it->detail && it->detail[0])
			printf("          %s：%s\n", it->subject == REVIEW_PROBLEM ? "佐证材料" : "项目",
			       it->detail);
	}
	printf("共 %zu 项待审核。\n", n);
	review_items_free(items, n);
	return TZ_OK;
}

static int do_show(struct store *s, const char *arg, const char *opinion, struct tz_error *err)
{
	(void)opinion;
	enum review_subject subject;
	char id[IDS_NCHARS + 1];
	int rc = review_resolve(s, arg, &subject, id, err);
	struct review_record *r;
	size_t n;
	if (rc == TZ_OK)
		rc = review_history(s, subject, id, &r, &n, err);
	if (rc != TZ_OK)
		return rc;
	printf("%s %s 的审核经过：\n", subject_name(subject), id);
	print_records(r, n);
	if (n == 0)
		printf("（还没有审核记录）\n");
	review_records_free(r, n);
	return TZ_OK;
}

/* pass or return: the step recorded, then what it now waits for. */
static int decide(struct store *s, const char *arg, const char *opinion, int pass,
		  struct tz_error *err)
{
	enum review_subject subject;
	char id[IDS_NCHARS + 1];
	int rc = review_resolve(s, arg, &subject, id, err);
	if (rc == TZ_OK)
		rc = pass ? review_pass(s, subject, id, opinion, err)
			  : review_return(s, subject, id, opinion, err);
	struct review_record *r;
	size_t n;
	if (rc == TZ_OK && (rc = review_history(s, subject, id, &r, &n, err)) == TZ_OK) {
		if (n > 0)
			printf("%s %.8s“%s”：%s%s%s\n", subject_name(subject), id, r[n - 1].title,
			       r[n - 1].what,
			       pass && subject == REVIEW_PROBLEM && strstr(r[n - 1].what, "领导组审定")
				       ? "，已销号"
				       : "",
			       "。镇里下一次写出数据包时发回村里。");
		review_records_free(r, n);
	}
	return rc;
}

static int do_pass(struct store *s, const char *arg, const char *opinion, struct tz_error *err)
{
	return decide(s, arg, opinion, 1, err);
}

static int do_return(struct store *s, const char *arg, const char *opinion, struct tz_error *err)
{
	return decide(s, arg, opinion, 0, err);
}

/* The verbs: whether they take an ID, whether they take --opinion, whether
 * they write (and so run only at the town), and what runs. */
enum opinion { OPINION_NONE, OPINION_OPTIONAL, OPINION_REQUIRED };

static const struct verb {
	const char *name;
	int takes_id;
	enum opinion opinion;
	int town_only;
	int (*run)(struct store *s, const char *arg, const char *opinion, struct tz_error *err);
} verbs[] = {
	{ "list", 0, OPINION_NONE, 0, do_list },
	{ "log", 0, OPINION_NONE, 0, do_log },
	{ "show", 1, OPINION_NONE, 0, do_show },
	{ "pass", 1, OPINION_OPTIONAL, 1, do_pass },
	{ "return", 1, OPINION_REQUIRED, 1, do_return },
};

static int run(const struct cli_args *args)
{
	const struct verb *v = CLI_VERB_PICK(args, verbs, "请给出要做什么：list、log、pass、return 或 show",
					     "没有“%s”这个操作：可用 list、log、pass、return、show");
	if (v == NULL)
		return TZ_EUSAGE;
	if (args->argc != 1 + v->takes_id)
		return cli_usage_error("review", v->takes_id ? "review %s 需要一个问题或项目的编号"
							     : "review %s 不带参数",
				       v->name);
	const char *opinion = cli_args_get(args, "opinion");
	if (opinion != NULL && v->opinion == OPINION_NONE)
		return cli_usage_error("review", "review %s 不接受 --opinion", v->name);
	if (v->opinion == OPINION_REQUIRED && (opinion == NULL || opinion[0] == '\0'))
		return cli_usage_error("review", "退回要用 --opinion 写明理由（哪里不合格、要怎么整改）");
	struct cli_common c;
	int rc = cli_store_choose(args, &c);
	if (rc != TZ_OK)
		return rc;
	if (v->town_only) {
		struct keyring kr;
		struct tz_error err;
		if (store_peek(c.store, &kr, &err) != TZ_OK)
			return cli_fail(&err);
		if (kr.kind != STORE_KIND_TOWN)
			return cli_usage_error("review",
					       "review %s 只能在镇扶贫办的台账上使用：审核由镇里办理，"
					       "村里用 review list 查看结果",
					       v->name);
	}
	struct store *s;
	struct tz_error err;
	if (cli_open_store(&c, v->town_only ? 0 : STORE_OPEN_READONLY, &s, &err) != TZ_OK)
		return cli_fail(&err);
	tz_error_clear(&err);
	rc = v->run(s, args->argc > 1 ? args->argv[1] : NULL, opinion, &err);
	store_close(s);
	return cli_status(args, rc, &err);
}

CLI_COMMAND(review, "镇里审核：派单问题销号、项目审批（镇初审、部门审核、领导组审定）",
	    usage, NULL, options, CLI_STORE, CLI_ARGS_ANY, run);
