/*
 * scr_bundles.c — the USB-stick exchange from the screen, at a village and at
 * the town alike (include/taizhang/sync.h does the work):
 *
 *  - 导入数据包: ask for a folder (a USB stick holds several villages' bundles)
 *    or one bundle file, import it with a progress bar drawn from sync_import's
 *    per-file callback, then list one result line per bundle (outcome, village,
 *    seq, what happened) with the selected one's file and whole message below.
 *    The result is a screen of its own: it stays until the officer leaves it,
 *    never a message that the next key wipes.
 *  - 导出数据包: ask for a folder, write what this store owes (sync_export) and
 *    list the files written, new or written again.
 *  - 数据包: the village home's one entry for both, and the conflict ledger.
 *
 * The folder asked for starts as the one used last in this session, else
 * /media (where a USB stick appears). What this file deliberately is not: the
 * sync itself, or any reading of the store beyond the villages' names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/sync.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

#define DEFAULT_DIR "/media"


static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int tui_ask_folder(struct tui *t, const char *question, char *out, size_t out_nbytes)
{
	if (!tui_prompt_with(t, question, t->bundle_dir[0] ? t->bundle_dir : DEFAULT_DIR, out,
			     out_nbytes) ||
	    out[0] == '\0')
		return 0;
	snprintf(t->bundle_dir, sizeof t->bundle_dir, "%s", out);
	return 1;
}

/* ---- the two result pages' pieces ---- */

/* Row TUI_TOP of a result page: what (从：, 写到：) and the folder. */
static void put_where(struct tui *t, const char *what, const char *path)
{
	char line[1200];
	snprintf(line, sizeof line, "%s%s", what, path);
	tui_put(TUI_TOP, 2, line, t->cols - 4);
}

/* What came of it, wrapped over at most three rows from row y, in red when
 * is_error; the rows used. */
static int put_outcome(struct tui *t, int y, const char *text, int is_error)
{
	if (is_error)
		attron(tui_attr_error(t));
	int used = tui_put_wrapped(y, 2, text, t->cols - 4, 3);
	if (is_error)
		attroff(tui_attr_error(t));
	return used;
}

/* The selected row's file (its name), above the message line and key bar. */
static void put_file(struct tui *t, const char *name)
{
	char line[400];
	snprintf(line, sizeof line, "文件：%s", name);
	tui_put(t->rows - 5, 2, line, t->cols - 4);
}

/* ---- import ---- */

struct import_row {
	enum sync_outcome outcome;
	char village[SYNC_CODE_NCHARS + 1];
	unsigned long long seq;
	size_t conflicts; /* conflict ledger rows it added */
	char file[256];
	char message[TZ_ERROR_NBYTES];
};

struct import_screen {
	struct tui *t;          /* for the progress callback */
	char path[1024];
	int running;            /* the import is under way: the progress bar shows */
	size_t done, total;
	struct import_row *rows;
	size_t n, cap;
	size_t count[SYNC_FAILED + 1];
	char error[TZ_ERROR_NBYTES + 1100]; /* nothing could be imported: why */
	size_t pick, top;
	int visible; /* the rows shown when last drawn (under the fork alert or not): the page */
};

static void add_row(struct import_screen *im, const struct sync_import_item *it)
{
	struct import_row *r = VEC_PUSH(im->rows, im->n, im->cap);
	r->outcome = it->outcome;
	snprintf(r->village, sizeof r->village, "%s", it->village);
	r->seq = (unsigned long long)it->seq;
	r->conflicts = it->conflicts;
	snprintf(r->file, sizeof r->file, "%s", base_name(it->path ? it->path : ""));
	snprintf(r->message, sizeof r->message, "%s", it->message);
}

static void on_progress(void *ctx, size_t done, size_t total, const struct sync_import_item *it)
{
	struct import_screen *im = ctx;
	im->done = done;
	im->total = total;
	if (it != NULL) {
		add_row(im, it);
		im->pick = im->n - 1;
	}
	tui_redraw(im->t);
}

/* Run the import of im->path, drawing progress; the rows are then the result's. */
static void run_import(struct tui *t, struct import_screen *im)
{
	im->running = 1;
	im->done = im->total = 0;
	im->n = im->pick = im->top = 0;
	im->error[0] = '\0';
	memset(im->count, 0, sizeof im->count);
	tui_say(t, 0, "正在导入，请稍候……");
	tui_redraw(t);
	struct sync_import_result r;
	struct tz_error err;
	int rc = sync_import(t->s, im->path, on_progress, im, &r, &err);
	im->running = 0;
	im->n = 0; /* the result's list is the whole truth */
	size_t conflicts = 0;
	for (size_t i = 0; i < r.nitems; i++) {
		add_row(im, &r.items[i]);
		conflicts += r.items[i].conflicts;
		if (r.items[i].outcome >= SYNC_APPLIED && r.items[i].outcome <= SYNC_FAILED)
			im->count[r.items[i].outcome]++;
	}
	if (rc != TZ_OK && r.nitems == 0)
		snprintf(im->error, sizeof im->error, "没有导入：%s", err.msg);
	else if (r.nitems == 0)
		snprintf(im->error, sizeof im->error, "“%s”里没有数据包（*%s 文件）。", im->path,
			 SYNC_BUNDLE_SUFFIX);
	sync_import_result_free(&r);
	im->pick = 0;
	/* Names of villages first heard of in this import. */
	if (tui_village_names_load(t, &err) != TZ_OK)
		tui_say(t, 1, "%s", err.msg);
	else if (im->error[0])
		tui_say(t, 1, "%s", im->error);
	else if (im->count[SYNC_FORK] + im->count[SYNC_REFUSED] + im->count[SYNC_FROM_REVOKED] +
			 im->count[SYNC_FAILED] + im->count[SYNC_VERSION] >
		 0)
		tui_say(t, 1, "有数据包没有导入，请看红色的行。");
	else if (conflicts > 0)
		tui_say(t, 0, "导入完成。有 %zu 处冲突记进了冲突台账，请核实。", conflicts);
	else
		tui_say(t, 0, "导入完成。");
}

static int import_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	const struct import_screen *im = st;
	const struct import_row *r = &im->rows[i];
	char a[64], b[80], c[32], seq[40] = "";
	if (r->seq)
		snprintf(seq, sizeof seq, "第 %llu 号", r->seq);
	snprintf(line, nbytes, "%s%s%s%s", utf8_pad(a, sizeof a, sync_outcome_label(r->outcome), 10),
		 utf8_pad(b, sizeof b, r->village[0] ? tui_village_name(t, r->village, r->village) : "",
			  14),
		 utf8_pad(c, sizeof c, seq, 10), r->message);
	return sync_outcome_needs_attention(r->outcome) ? tui_attr_error(t) : 0;
}

static void draw_import(struct tui *t, void *st)
{
	struct import_screen *im = st;
	char line[1400];
	int w = t->cols - 4, y = TUI_TOP + 1;
	put_where(t, "从：", im->path);
	if (im->running) {
		const int width = 30;
		int filled = im->total ? (int)(im->done * (size_t)width / im->total) : 0;
		char bar[64];
		for (int i = 0; i < width; i++)
			bar[i] = i < filled ? '#' : '.';
		bar[width] = '\0';
		if (im->total)
			snprintf(line, sizeof line, "正在导入 [%s] %zu/%zu", bar, im->done, im->total);
		else
			snprintf(line, sizeof line, "正在导入 [%s] 正在核对签名、导入第一个数据包……", bar);
		tui_put(y++, 2, line, w);
	} else if (im->error[0]) {
		y += put_outcome(t, y, im->error, 1);
	} else {
		size_t refused = im->count[SYNC_REFUSED] + im->count[SYNC_FORK] +
				 im->count[SYNC_FROM_REVOKED];
		snprintf(line, sizeof line, "共 %zu 个：已导入 %zu，重复 %zu，暂存 %zu，跳过 %zu，拒绝 %zu，失败 %zu。",
			 im->n, im->count[SYNC_APPLIED], im->count[SYNC_DUPLICATE], im->count[SYNC_HELD],
			 im->count[SYNC_SKIPPED], refused,
			 im->count[SYNC_FAILED] + im->count[SYNC_VERSION]);
		tui_put(y++, 2, line, w);
		if (im->count[SYNC_FORK] > 0) {
			attron(tui_attr_error(t));
			tui_put(y++, 2, "警报：有数据包与已导入的同号数据包不同，请核实那台电脑（见“各村上报情况”）。", w);
			attroff(tui_attr_error(t));
		}
	}
	y++;
	im->visible = tui_list_header(t, y++, "结果      村            号数      说明", 5, im->pick,
				      &im->top);
	tui_draw_rows(t, y, im->visible, im->n, im->running ? im->n : im->pick, &im->top, import_row,
		      im);
	/* The selected bundle in full: its file and its whole message. */
	if (!im->running && im->n > 0) {
		const struct import_row *r = &im->rows[im->pick];
		put_file(t, r->file);
		tui_put_wrapped(t->rows - 4, 2, r->message, w, 2);
	}
	move(im->n && !im->running ? y + (int)(im->pick - im->top) : TUI_TOP, 2);
}

static int key_import(struct tui *t, void *st, struct tui_key k)
{
	struct import_screen *im = st;
	if (tui_list_key(k, &im->pick, im->n, im->visible))
		return TUI_STAY;
	if (k.is_code && k.ch == KEY_F(5)) {
		char path[sizeof im->path];
		if (tui_ask_folder(t, "再导入：数据包所在的文件夹或文件（如 U 盘上的文件夹）：", path, sizeof path)) {
			snprintf(im->path, sizeof im->path, "%s", path);
			run_import(t, im);
		}
	}
	return TUI_STAY;
}

static void destroy_import(void *st)
{
	struct import_screen *im = st;
	free(im->rows);
}

TUI_SCREEN(import_ops, "导入数据包",
	   " F1 帮助  上下键 看每个数据包  F5 再导入  Esc 返回", bundles_import,
	   .draw = draw_import, .key = key_import, .destroy = destroy_import);

int screen_bundle_import_push(struct tui *t)
{
	char path[1024];
	if (!tui_ask_folder(t, "数据包所在的文件夹或文件（如 U 盘上的文件夹）：", path, sizeof path))
		return 0;
	struct import_screen *im = xcalloc(1, sizeof *im);
	im->t = t;
	snprintf(im->path, sizeof im->path, "%s", path);
	if (tui_push(t, &import_ops, im) != 0)
		return -1;
	run_import(t, im);
	return 0;
}

/* ---- export ---- */

struct export_screen {
	char dir[1024];
	struct sync_export_result res;
	char summary[1200];
	int failed;
	size_t pick, top;
	int visible; /* the rows shown when last drawn (under the summary's lines): the page */
};

static int export_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct export_screen *ex = st;
	const struct sync_export_file *f = &ex->res.files[i];
	char a[80], b[32], c[32], seq[32], changes[32];
	snprintf(seq, sizeof seq, "第 %llu 号", (unsigned long long)f->seq);
	snprintf(changes, sizeof changes, "%zu 项", f->nentries);
	snprintf(line, nbytes, "%s  %s%s%s%zu%s", f->again ? "重写" : "新写",
		 utf8_pad(a, sizeof a, tui_village_name(t, f->village, f->village), 14),
		 utf8_pad(b, sizeof b, seq, 12), utf8_pad(c, sizeof c, changes, 8), f->nbytes,
		 f->again ? "  （对方还没确认收到，再写一份）" : "");
	return 0;
}

static void draw_export(struct tui *t, void *st)
{
	struct export_screen *ex = st;
	int y = TUI_TOP + 1;
	put_where(t, "写到：", ex->dir);
	y += put_outcome(t, y, ex->summary, ex->failed);
	y++;
	if (ex->res.nfiles == 0) {
		move(TUI_TOP, 2);
		return;
	}
	ex->visible = tui_list_header(t, y++, "      村            号数        修改    字节数", 5,
				      ex->pick, &ex->top);
	put_file(t, base_name(ex->res.files[ex->pick].path));
	tui_draw_rows(t, y, ex->visible, ex->res.nfiles, ex->pick, &ex->top, export_row, ex);
}

static int key_export(struct tui *t, void *st, struct tui_key k)
{
	(void)t;
	struct export_screen *ex = st;
	tui_list_key(k, &ex->pick, ex->res.nfiles, ex->visible);
	return TUI_STAY;
}

TUI_DESTROY_MEMBER(destroy_export, export_screen, sync_export_result_free, res)

TUI_SCREEN(export_ops, "导出数据包",
	   " F1 帮助  上下键 选择  Esc 返回", bundles_export,
	   .draw = draw_export, .key = key_export, .destroy = destroy_export);

int screen_bundle_export_push(struct tui *t)
{
	char dir[1024];
	if (!tui_keys_ready(t))
		return 0;
	if (!tui_ask_folder(t, "把数据包写到哪个文件夹（如 U 盘上的文件夹）：", dir, sizeof dir))
		return 0;
	struct export_screen *ex = xcalloc(1, sizeof *ex);
	snprintf(ex->dir, sizeof ex->dir, "%s", dir);
	tui_say(t, 0, "正在写出数据包，请稍候……");
	tui_redraw(t);
	struct tz_error err;
	int rc = sync_export(t->s, dir, &ex->res, &err);
	if (rc != TZ_OK) {
		ex->failed = 1;
		snprintf(ex->summary, sizeof ex->summary, "没有写出：%s", err.msg);
		tui_say(t, 1, "%s", err.msg);
	} else if (ex->res.nfiles == 0) {
		snprintf(ex->summary, sizeof ex->summary, "没有要发送的修改：对方已确认收到全部数据包。");
		tui_say(t, 0, "没有要发送的修改。");
	} else {
		snprintf(ex->summary, sizeof ex->summary, "已写出 %zu 个数据包（新 %zu 个），已逐个读回核对。",
			 ex->res.nfiles, ex->res.nnew);
		tui_say(t, 0, "已写出 %zu 个数据包。", ex->res.nfiles);
	}
	tui_village_names_load(t, &err); /* none: the codes are shown */
	return tui_push(t, &export_ops, ex);
}

/* ---- the village's menu: the exchange, its conflicts, what the town said ---- */

TUI_MENU(bundle_menu,
	{ "1  导出数据包（把本村的修改写到U盘，交给镇扶贫办）", screen_bundle_export_push },
	{ "2  导入数据包（镇扶贫办发回的回执、派单和基础数据）", screen_bundle_import_push },
	{ "3  冲突台账（导入时与本村记录对不上的修改）", screen_conflicts_push },
	{ "4  密钥（本机指纹、导入镇扶贫办的公钥）", screen_keys_push },
	{ "5  镇里的审核结果和答复（销号、重新整改、项目审批、被拒收的数据包）", screen_review_push });


static void draw_menu(struct tui *t, void *st)
{
	struct tui_villages *m = st;
	char line[512], when[40];
	int y = TUI_TOP, w = t->cols - 4;
	tui_put(y++, 2, "台账用U盘交换：导出的数据包签名、加密，只有镇扶贫办能解开。", w);
	if (m->n > 0) {
		const struct sync_village_state *v = &m->v[0];
		tui_local_time(v->last_in, when, sizeof when);
		snprintf(line, sizeof line, "还没写进数据包的修改 %lld 项；已交出、镇里还没确认收到的数据包 %lld 个。",
			 v->unsent, v->unacked);
		tui_put(y++, 2, line, w);
		snprintf(line, sizeof line, "最近一次导入镇里的数据包：%s；未处理的冲突 %lld 条。",
			 when[0] ? when : "从未导入", v->conflicts);
		tui_put_attr(y++, 2, line, w, v->conflicts > 0 ? tui_attr_error(t) : 0);
	}
	tui_menu_draw(t, y + 1, w, &bundle_menu, m->menu_pick);
}

static int key_menu(struct tui *t, void *st, struct tui_key k)
{
	struct tui_villages *m = st;
	tui_menu_key(t, &bundle_menu, &m->menu_pick, k);
	return TUI_STAY;
}

TUI_VILLAGES_SCREEN_OPEN(screen_bundles_push, "数据包",
			 " F1 帮助  上下键 选择  Enter 打开  数字键 直接打开  Esc 返回", bundles_menu,
			 .draw = draw_menu, .key = key_menu)
