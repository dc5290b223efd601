/*
 * cmd_bundle.c — `taizhang bundle`: the USB-stick exchange between a village and
 * the town office, over src/sync/ (include/taizhang/sync.h).
 *
 *   taizhang bundle export --to DIR      write what this store owes (a village:
 *                                        its changes to the town; the town:
 *                                        receipts, dispatched problems, reference
 *                                        data, one bundle per village device)
 *   taizhang bundle import FILE|DIR      import one bundle or every bundle in a
 *                                        folder, with a progress bar on a terminal
 *                                        and one result line per bundle
 *   taizhang bundle status               per village: last hand-in, unsent,
 *                                        unacknowledged, held, conflicts, alarms
 *   taizhang bundle conflicts [--all]    the conflict ledger
 *   taizhang bundle resolve ID --note T  mark a conflict handled
 *   taizhang bundle proposals [--all]    (town) the villages' changes to what
 *                                        only the town writes (rule A4)
 *   taizhang bundle accept ID [--note T] (town) write one as the town's change
 *   taizhang bundle refuse ID --note T   (town) refuse one, saying why
 *   taizhang bundle refusals             bundles refused for what they carried
 *
 * Exit codes: import returns the worst over its files: 0 all applied (or
 * replays), 1 held for a gap / another version / a local failure, 4 a damaged,
 * altered, misaddressed or forked bundle, or one from an unknown or revoked device.
 * proposals, accept and refuse run only at the town (a village store: exit 2);
 * accept or refuse of no such open proposal, or an accept the problem's state
 * machine refuses now, exits 1 with nothing written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/cli.h"
#include "taizhang/model.h"
#include "taizhang/keyring.h"
#include "taizhang/sync.h"

static const char bundle_usage[] =
	"用法：taizhang bundle export --to 文件夹     写出要交给对方的数据包（例如U盘上的文件夹）\n"
	"       taizhang bundle import 文件或文件夹    导入对方的数据包\n"
	"       taizhang bundle status                 各村的上报情况\n"
	"       taizhang bundle conflicts [--all]      冲突台账（--all 含已处理的）\n"
	"       taizhang bundle resolve 编号 --note 说明  把一条冲突标为已处理\n"
	"       taizhang bundle proposals [--all]      村里待镇里决定的申请（镇扶贫办；--all 含已决定的）\n"
	"       taizhang bundle accept 编号 [--note 说明] 同意一条申请，由镇里写入并发回村里\n"
	"       taizhang bundle refuse 编号 --note 理由   不同意一条申请，写明理由\n"
	"       taizhang bundle refusals               被拒收的数据包及原因\n"
	"村里：export 把镇里还没确认收到的全部修改写成一个签名、加密的数据包（只有镇扶贫办\n"
	"能解开），以前写过但镇里还没确认的数据包也一并重写；import 导入镇里发来的回执、\n"
	"派单和基础数据。镇里：import 导入U盘上各村的数据包，export 为每个村写一个数据包\n"
	"（回执、派单、基础数据）。每个数据包先验证签名再解密，一个数据包一个事务。\n"
	"村里改了只有镇里能改的内容（派单问题的销号、项目的镇初审/部门审核/领导组审定、\n"
	"基础数据和政策标准），镇里导入时不直接写入，而是记为申请，由镇扶贫办同意或不同意。\n";

static const struct cli_option bundle_options[] = {
	{ "to", 0, "文件夹", "export 写到哪个文件夹" },
	{ "all", 0, NULL, "conflicts、proposals 也列出已处理的" },
	{ "note", 0, "说明", "resolve、accept、refuse 时写明怎么处理的、为什么" },
	{ NULL, 0, NULL, NULL },
};

static const char bundle_notes[] =
	"退出码：0 成功；1 有数据包暂存（缺前面的包）、版本不同或失败；accept、refuse 没有这条\n"
	"        待决定的申请，或问题现在不能这样改（什么都没写）；2 用法错误，或在村的台账上\n"
	"        用 proposals、accept、refuse（申请由镇扶贫办决定）；\n"
	"        4 数据包损坏、被篡改、不是发给本机的、发送设备未登记或已吊销，\n"
	"          或与已导入的同号数据包不同（分叉）。\n";

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

struct progress {
	int bar; /* draw a bar on stderr (a terminal) */
};

static void on_progress(void *ctx, size_t done, size_t total, const struct sync_import_item *it)
{
	struct progress *p = ctx;
	if (p->bar)
		fputs("\r\033[K", cli_err_raw());
	printf("%-8s %s  %s%s%s\n", sync_outcome_label(it->outcome), base_name(it->path),
	       it->village[0] ? "村 " : "", it->village, it->village[0] ? "  " : "");
	printf("         %s\n", it->message);
	fflush(stdout);
	if (p->bar) {
		const int width = 30;
		int filled = total ? (int)(done * width / total) : width;
		fputc('[', stderr);
		for (int i = 0; i < width; i++)
			fputc(i < filled ? '#' : '.', stderr);
		fprintf(stderr, "] %zu/%zu", done, total);
		fflush(stderr);
	}
}

/* What one `bundle` verb was given. */
struct bundle_request {
	const char *arg;        /* the verb's argument (a path, a conflict id), or NULL */
	const char *to, *note;  /* --to, --note */
	int all;                /* --all */
	unsigned long long id;  /* resolve: the conflict; accept, refuse: the proposal */
};

static int do_import(struct store *s, const struct bundle_request *q)
{
	const char *path = q->arg;
	struct progress p = { .bar = isatty(STDERR_FILENO) };
	struct sync_import_result r;
	struct tz_error err;
	int rc = sync_import(s, path, on_progress, &p, &r, &err);
	if (p.bar)
		fputs("\r\033[K", cli_err_raw());
	size_t count[SYNC_FAILED + 1] = { 0 };
	for (size_t i = 0; i < r.nitems; i++)
		count[r.items[i].outcome]++;
	if (r.nitems == 0 && rc == TZ_OK) {
		printf("“%s”里没有数据包（*.tzb）。\n", path);
	} else if (r.nitems > 0) {
		printf("共 %zu 个：已导入 %zu，重复 %zu，暂存 %zu，跳过 %zu，拒绝 %zu，失败 %zu。\n",
		       r.nitems, count[SYNC_APPLIED], count[SYNC_DUPLICATE], count[SYNC_HELD],
		       count[SYNC_SKIPPED],
		       count[SYNC_REFUSED] + count[SYNC_FORK] + count[SYNC_FROM_REVOKED],
		       count[SYNC_FAILED] + count[SYNC_VERSION]);
		if (count[SYNC_FORK] > 0)
			printf("警报：有数据包与已导入的同号数据包不同，请核实那台电脑（bundle status 列出）。\n");
	}
	sync_import_result_free(&r);
	if (rc != TZ_OK && r.nitems == 0)
		return cli_fail(&err);
	return rc;
}

static int do_export(struct store *s, const struct bundle_request *q)
{
	const char *dir = q->to;
	struct sync_export_result r;
	struct tz_error err;
	int rc = sync_export(s, dir, &r, &err);
	if (r.rewound > 0)
		printf("镇里拒收了第 %llu 号数据包（原因见 taizhang review list）：它和之后的数据包已按现在的数据重新写出。\n",
		       (unsigned long long)r.rewound);
	for (size_t i = 0; i < r.nfiles; i++) {
		const struct sync_export_file *f = &r.files[i];
		printf("%s  %s  第 %llu 号，%zu 项修改，%zu 字节%s\n", f->again ? "重写" : "新写",
		       f->path, (unsigned long long)f->seq, f->nentries, f->nbytes,
		       f->again ? "（对方还没确认收到）" : "");
	}
	if (rc == TZ_OK && r.nfiles == 0)
		printf("没有要发送的修改：对方已确认收到全部数据包。\n");
	else if (rc == TZ_OK)
		printf("已写出 %zu 个数据包（新 %zu 个）到 %s，已逐个读回核对。\n", r.nfiles, r.nnew,
		       dir);
	sync_export_result_free(&r);
	return rc == TZ_OK ? TZ_OK : cli_fail(&err);
}

static int do_status(struct store *s, const struct bundle_request *q)
{
	(void)q;
	struct sync_village_state *v;
	size_t n;
	struct tz_error err;
	if (sync_village_states(s, &v, &n, &err) != TZ_OK)
		return cli_fail(&err);
	printf("村代码        村名            最近上报              已导入号 未发送 未确认 暂存 冲突 警报\n");
	for (size_t i = 0; i < n; i++)
		printf("%s  %-14s  %-20s  %8llu %6lld %6lld %4lld %4lld %4lld\n", v[i].code, v[i].name,
		       v[i].last_in[0] ? v[i].last_in : "从未", (unsigned long long)v[i].last_seq,
		       v[i].unsent, v[i].unacked, v[i].held, v[i].conflicts, v[i].alarms);
	sync_village_states_free(v, n);
	return TZ_OK;
}

static int do_conflicts(struct store *s, const struct bundle_request *q)
{
	int all = q->all;
	struct sync_conflict *c;
	size_t n;
	struct tz_error err;
	if (sync_conflicts_list(s, all, &c, &n, &err) != TZ_OK)
		return cli_fail(&err);
	if (n == 0)
		printf(all ? "冲突台账是空的。\n" : "没有未处理的冲突。\n");
	for (size_t i = 0; i < n; i++) {
		printf("#%lld  %s  村 %s  第 %llu 号  %s  记录 %s\n", c[i].id, c[i].at, c[i].village,
		       (unsigned long long)c[i].seq, model_table_label(c[i].table_name), c[i].row_key);
		printf("     %s，%s：%s\n", sync_conflict_kind_label(c[i].kind),
		       sync_conflict_resolution_label(c[i].resolution), c[i].detail);
		if (c[i].handled_at != NULL)
			printf("     已处理（%s，%s）：%s\n", c[i].handled_at, c[i].handled_by,
			       c[i].handled_note);
	}
	sync_conflicts_free(c, n);
	return TZ_OK;
}

static int do_resolve(struct store *s, const struct bundle_request *q)
{
	struct tz_error err;
	if (sync_conflict_handle(s, (long long)q->id, q->note, &err) != TZ_OK)
		return cli_fail(&err);
	printf("冲突 #%llu 已标为处理过。\n", q->id);
	return TZ_OK;
}

static const char *op_label(const char *op)
{
	return strcmp(op, "insert") == 0 ? "新增" : strcmp(op, "update") == 0 ? "修改" : "删除";
}

static const char *decision_label(const char *state)
{
	return strcmp(state, "accepted") == 0 ? "已同意" : strcmp(state, "refused") == 0 ? "不同意" : "待决定";
}

/* The texts come sanitized from sync_proposals_list. */
static int do_proposals(struct store *s, const struct bundle_request *q)
{
	struct sync_proposal *p;
	size_t n;
	struct tz_error err;
	if (sync_proposals_list(s, q->all, &p, &n, &err) != TZ_OK)
		return cli_fail(&err);
	if (n == 0)
		printf(q->all ? "没有村里的申请。\n" : "没有待决定的申请。\n");
	for (size_t i = 0; i < n; i++) {
		printf("#%lld  %s  村 %s  第 %llu 号  %s  %s  记录 %s\n", p[i].id, p[i].at,
		       p[i].village, (unsigned long long)p[i].seq, op_label(p[i].op),
		       model_table_label(p[i].table_name), p[i].row_key);
		printf("     %s（%s）\n", p[i].summary, decision_label(p[i].state));
		if (p[i].decided_at != NULL)
			printf("     %s，%s：%s\n", p[i].decided_at, p[i].decided_by ? p[i].decided_by : "",
			       p[i].decided_note ? p[i].decided_note : "");
	}
	if (n > 0 && !q->all)
		printf("共 %zu 条待决定：bundle accept 编号 同意，bundle refuse 编号 --note 理由 不同意。\n", n);
	sync_proposals_free(p, n);
	return TZ_OK;
}

/* accept or refuse: decide proposal q->id (sync_proposal_accept or
 * sync_proposal_refuse), then say so (done: a format given the id). */
static int decide_proposal(struct store *s, const struct bundle_request *q,
			   int (*decide)(struct store *s, long long id, const char *note,
					 struct tz_error *err),
			   const char *done)
{
	struct tz_error err;
	if (decide(s, (long long)q->id, q->note, &err) != TZ_OK)
		return cli_fail(&err);
	printf(done, q->id);
	return TZ_OK;
}

static int do_accept(struct store *s, const struct bundle_request *q)
{
	return decide_proposal(s, q, sync_proposal_accept,
			       "申请 #%llu 已同意，已作为镇里的修改写入，下次 bundle export 发回村里。\n");
}

static int do_refuse(struct store *s, const struct bundle_request *q)
{
	return decide_proposal(s, q, sync_proposal_refuse, "申请 #%llu 已记为不同意，本机数据不变。\n");
}

/* Reasons come sanitized from sync_refusals_list. */
static int do_refusals(struct store *s, const struct bundle_request *q)
{
	(void)q;
	struct sync_refusal *r;
	size_t n;
	struct tz_error err;
	if (sync_refusals_list(s, &r, &n, &err) != TZ_OK)
		return cli_fail(&err);
	if (n == 0)
		printf("没有被拒收的数据包。\n");
	for (size_t i = 0; i < n; i++) {
		printf("#%lld  %s  村 %s  第 %llu 号  %s  %s\n", r[i].id, r[i].at, r[i].village,
		       (unsigned long long)r[i].seq, r[i].peer, r[i].file_name);
		printf("     %s\n", r[i].reason);
	}
	sync_refusals_free(r, n);
	return TZ_OK;
}

static int check_export(struct bundle_request *q)
{
	if (q->to == NULL)
		return cli_usage_error("bundle", "请用 --to 文件夹 指定写到哪里（例如U盘上的文件夹）");
	return TZ_OK;
}

static int check_resolve(struct bundle_request *q)
{
	if (cli_parse_unsigned(q->arg, 1, 1ULL << 62, &q->id) != 0)
		return cli_usage_error("bundle", "“%s”不是冲突编号", q->arg);
	if (q->note == NULL || q->note[0] == '\0')
		return cli_usage_error("bundle", "请用 --note 写明这条冲突是怎么处理的");
	return TZ_OK;
}

static int check_accept(struct bundle_request *q)
{
	if (cli_parse_unsigned(q->arg, 1, 1ULL << 62, &q->id) != 0)
		return cli_usage_error("bundle", "“%s”不是申请编号（bundle proposals 列出）", q->arg);
	return TZ_OK;
}

static int check_refuse(struct bundle_request *q)
{
	int rc = check_accept(q);
	if (rc == TZ_OK && (q->note == NULL || q->note[0] == '\0'))
		return cli_usage_error("bundle", "请用 --note 写明不同意的理由（会记入台账）");
	return rc;
}

/* The verbs: the message when the argument it needs is missing (NULL: it takes
 * none), how the store is opened, what checks the options before the store is
 * opened (or NULL), and what runs with it open. */
static const struct bundle_verb {
	const char *name;
	const char *missing_arg;
	unsigned open_flags; /* enum store_open_flags */
	int (*check)(struct bundle_request *q);
	int (*run)(struct store *s, const struct bundle_request *q);
	int town_only; /* refused at a village store (exit 2) before the passphrase */
} verbs[] = {
	{ "export", NULL, 0, check_export, do_export, 0 },
	{ "import", "请给出要导入的数据包文件或文件夹", 0, NULL, do_import, 0 },
	{ "status", NULL, STORE_OPEN_READONLY, NULL, do_status, 0 },
	{ "conflicts", NULL, STORE_OPEN_READONLY, NULL, do_conflicts, 0 },
	{ "resolve", "请给出冲突的编号（bundle conflicts 列出）", 0, check_resolve, do_resolve, 0 },
	{ "proposals", NULL, STORE_OPEN_READONLY, NULL, do_proposals, 1 },
	{ "accept", "请给出申请的编号（bundle proposals 列出）", 0, check_accept, do_accept, 1 },
	{ "refuse", "请给出申请的编号（bundle proposals 列出）", 0, check_refuse, do_refuse, 1 },
	{ "refusals", NULL, STORE_OPEN_READONLY, NULL, do_refusals, 0 },
};

/* A town-only verb on a village store: the usage error, read from the
 * keyring before any passphrase is asked. */
static int require_town(const struct bundle_verb *v, const char *store)
{
	struct keyring kr;
	struct tz_error err;
	if (store_peek(store, &kr, &err) != TZ_OK)
		return cli_fail(&err);
	if (kr.kind != STORE_KIND_TOWN)
		return cli_usage_error("bundle",
				       "bundle %s 只能在镇扶贫办的台账上使用，%s 是村的台账：村里的申请由镇里决定",
				       v->name, store);
	return TZ_OK;
}

static int bundle_run(const struct cli_args *a)
{
	struct bundle_request q = {
		.arg = a->argc > 1 ? a->argv[1] : NULL,
		.to = cli_args_get(a, "to"),
		.note = cli_args_get(a, "note"),
		.all = cli_args_has(a, "all"),
	};
	const struct bundle_verb *v = CLI_VERB_PICK(
		a, verbs,
		"请给出要做什么：export、import、status、conflicts、resolve、proposals、accept、refuse 或 refusals",
		"没有“%s”这个操作：可用 export、import、status、conflicts、resolve、proposals、accept、refuse、refusals");
	if (v == NULL)
		return TZ_EUSAGE;
	if (v->missing_arg != NULL && q.arg == NULL)
		return cli_usage_error("bundle", "%s", v->missing_arg);
	if (v->missing_arg == NULL && q.arg != NULL)
		return cli_usage_error("bundle", "多余的参数“%s”", q.arg);
	int rc = v->check ? v->check(&q) : TZ_OK;
	struct cli_common c;
	if (rc == TZ_OK)
		rc = cli_store_choose(a, &c);
	if (rc == TZ_OK && v->town_only)
		rc = require_town(v, c.store);
	if (rc != TZ_OK)
		return rc;
	struct store *s;
	struct tz_error err;
	if (cli_open_store(&c, v->open_flags, &s, &err) != TZ_OK)
		return cli_fail(&err);
	rc = v->run(s, &q);
	store_close(s);
	return rc;
}

CLI_COMMAND(bundle, "用U盘交换数据包：导出、导入、上报情况、冲突台账",
	    bundle_usage, bundle_notes, bundle_options, CLI_STORE, 2, bundle_run);
