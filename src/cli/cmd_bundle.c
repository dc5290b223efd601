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
 *
 * Exit codes: import returns the worst over its files: 0 all applied (or
 * replays), 1 held for a gap / another version / a local failure, 4 a damaged,
 * altered, misaddressed or forked bundle, or one from an unknown or revoked device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/cli.h"
#include "taizhang/sync.h"

static const char bundle_usage[] =
	"用法：taizhang bundle export --to 文件夹     写出要交给对方的数据包（例如U盘上的文件夹）\n"
	"       taizhang bundle import 文件或文件夹    导入对方的数据包\n"
	"       taizhang bundle status                 各村的上报情况\n"
	"       taizhang bundle conflicts [--all]      冲突台账（--all 含已处理的）\n"
	"       taizhang bundle resolve 编号 --note 说明  把一条冲突标为已处理\n"
	"村里：export 把镇里还没确认收到的全部修改写成一个签名、加密的数据包（只有镇扶贫办\n"
	"能解开），以前写过但镇里还没确认的数据包也一并重写；import 导入镇里发来的回执、\n"
	"派单和基础数据。镇里：import 导入U盘上各村的数据包，export 为每个村写一个数据包\n"
	"（回执、派单、基础数据）。每个数据包先验证签名再解密，一个数据包一个事务。\n";

static const struct cli_option bundle_options[] = {
	{ "to", 0, "文件夹", "export 写到哪个文件夹" },
	{ "all", 0, NULL, "conflicts 列出已处理的冲突" },
	{ "note", 0, "说明", "resolve 时写明怎么处理的" },
	{ NULL, 0, NULL, NULL },
};

static const char bundle_notes[] =
	"退出码：0 成功；1 有数据包暂存（缺前面的包）、版本不同或失败；\n"
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
		fputs("\r\033[K", stderr);
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
	unsigned long long id;  /* resolve: the conflict */
};

static int do_import(struct store *s, const struct bundle_request *q)
{
	const char *path = q->arg;
	struct progress p = { .bar = isatty(STDERR_FILENO) };
	struct sync_import_result r;
	struct tz_error err;
	int rc = sync_import(s, path, on_progress, &p, &r, &err);
	if (p.bar)
		fputs("\r\033[K", stderr);
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
		printf("#%lld  %s  村 %s  第 %llu 号  表 %s  记录 %s\n", c[i].id, c[i].at, c[i].village,
		       (unsigned long long)c[i].seq, c[i].table_name, c[i].row_key);
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

/* The verbs: the message when the argument it needs is missing (NULL: it takes
 * none), how the store is opened, what checks the options before the store is
 * opened (or NULL), and what runs with it open. */
static const struct bundle_verb {
	const char *name;
	const char *missing_arg;
	unsigned open_flags; /* enum store_open_flags */
	int (*check)(struct bundle_request *q);
	int (*run)(struct store *s, const struct bundle_request *q);
} verbs[] = {
	{ "export", NULL, 0, check_export, do_export },
	{ "import", "请给出要导入的数据包文件或文件夹", 0, NULL, do_import },
	{ "status", NULL, STORE_OPEN_READONLY, NULL, do_status },
	{ "conflicts", NULL, STORE_OPEN_READONLY, NULL, do_conflicts },
	{ "resolve", "请给出冲突的编号（bundle conflicts 列出）", 0, check_resolve, do_resolve },
};

static int bundle_run(const struct cli_args *a)
{
	struct bundle_request q = {
		.arg = a->argc > 1 ? a->argv[1] : NULL,
		.to = cli_args_get(a, "to"),
		.note = cli_args_get(a, "note"),
		.all = cli_args_has(a, "all"),
	};
	if (a->argc == 0)
		return cli_usage_error("bundle", "请给出要做什么：export、import、status、conflicts 或 resolve");
	const struct bundle_verb *v = NULL;
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(a->argv[0], verbs[i].name) == 0)
			v = &verbs[i];
	if (v == NULL)
		return cli_usage_error("bundle", "没有“%s”这个操作：可用 export、import、status、conflicts、resolve",
				       a->argv[0]);
	if (v->missing_arg != NULL && q.arg == NULL)
		return cli_usage_error("bundle", "%s", v->missing_arg);
	if (v->missing_arg == NULL && q.arg != NULL)
		return cli_usage_error("bundle", "多余的参数“%s”", q.arg);
	int rc = v->check ? v->check(&q) : TZ_OK;
	struct store *s;
	if (rc == TZ_OK)
		rc = cli_open(a, v->open_flags, &s);
	if (rc != TZ_OK)
		return rc;
	rc = v->run(s, &q);
	store_close(s);
	return rc;
}

const struct cli_command cmd_bundle_entry = {
	.name = "bundle",
	.summary = "用U盘交换数据包：导出、导入、上报情况、冲突台账",
	.usage = bundle_usage,
	.notes = bundle_notes,
	.options = bundle_options,
	.flags = CLI_STORE,
	.max_args = 2,
	.run = bundle_run,
};
