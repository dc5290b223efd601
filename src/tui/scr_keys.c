/*
 * scr_keys.c — trust between the offices on screen, what `keys show`, `keys
 * export`, `trust`, `enroll` and `revoke` do on the command line (the same
 * functions of include/taizhang/sync_keys.h, nothing of their own):
 *
 *  - 密钥: this device's fingerprint, in two lines of four groups to read over
 *    the phone, and a QR code of its digits when the terminal has room for it
 *    (else a line saying how much more it needs); at a village the town key it
 *    trusts, at the town every enrolled village device with its state.
 *  - F3 at a village imports the town office's key, at the town enrols a
 *    village device: a folder is asked (the USB stick), every key file in it
 *    and its subfolders is listed (found by content, not by name), and the one
 *    chosen is read, checked, and its fingerprint shown in a box that asks the
 *    officer to compare it group by group with the one the other office reads
 *    out. Nothing is trusted before Y.
 *  - F5 writes this device's public key file into a folder, for the other
 *    office; F8 at the town revokes the selected device (asked first).
 *
 * tui_keys_ready is the bundle export's guard: without a key to send to, it
 * says what to do and offers this screen, instead of an error naming a command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/qr.h"
#include "taizhang/sync_keys.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

#define FP_HALF_NCHARS 23 /* four groups of a fingerprint: "04719 88230 12345 67890" */
/* The columns left of the QR code: the key's lines at a village; at the town
 * also the list of devices, which runs beside it. */
#define VILLAGE_LEFT_NCOLS 44
#define TOWN_LEFT_NCOLS 66

struct keys_screen {
	int loaded;
	struct sync_public_key self;
	struct sync_peer *peers;
	size_t n, cap;
	size_t pick, top; /* the town's list of devices */
	int visible;      /* its rows at the last draw (one fewer when the QR code does not fit) */
	struct qr_text qr;
};

/* ---- shared pieces ---- */

static int at_town(const struct tui *t)
{
	return tui_is_town(t);
}

static int left_ncols(const struct tui *t)
{
	return at_town(t) ? TOWN_LEFT_NCOLS : VILLAGE_LEFT_NCOLS;
}

/* Fingerprint of k split into its two halves of four groups. */
static void fingerprint_halves(const struct sync_public_key *k, char first[FP_HALF_NCHARS + 1],
			       char second[FP_HALF_NCHARS + 1])
{
	char fp[SYNC_FINGERPRINT_NCHARS + 1];
	sync_fingerprint(k, fp);
	snprintf(first, FP_HALF_NCHARS + 1, "%.*s", FP_HALF_NCHARS, fp);
	snprintf(second, FP_HALF_NCHARS + 1, "%s", fp + FP_HALF_NCHARS + 1);
}

/* ---- the keys screen ---- */

static int collect_peer(void *ctx, const struct sync_peer *p)
{
	struct keys_screen *ks = ctx;
	*VEC_PUSH(ks->peers, ks->n, ks->cap) = *p;
	return 0;
}

static void load(struct tui *t, void *st)
{
	struct keys_screen *ks = st;
	struct tz_error err;
	ks->n = 0;
	ks->loaded = 0;
	qr_text_free(&ks->qr);
	if (sync_keys_public(t->s, &ks->self, &err) != TZ_OK ||
	    sync_peers_list(t->s, collect_peer, ks, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return;
	}
	ks->loaded = 1;
	tui_list_clamp(&ks->pick, ks->n);
	if (at_town(t))
		tui_village_names_load(t, &err); /* none: no names shown */
	/* The QR code carries the fingerprint's 40 digits (a phone reads them). */
	char fp[SYNC_FINGERPRINT_NCHARS + 1], digits[SYNC_FINGERPRINT_NCHARS + 1];
	sync_fingerprint(&ks->self, fp);
	size_t nd = 0;
	for (const char *c = fp; *c; c++)
		if (*c != ' ')
			digits[nd++] = *c;
	digits[nd] = '\0';
	if (qr_text_make(digits, &ks->qr, &err) != TZ_OK)
		memset(&ks->qr, 0, sizeof ks->qr);
}

/* A key's lines: code (and kind), device id, fingerprint in two halves. */
static int draw_key(int y, int ncols, const char *head, const struct sync_public_key *k)
{
	char line[256], id[SYNC_DEVICE_ID_NCHARS + 1], a[FP_HALF_NCHARS + 1], b[FP_HALF_NCHARS + 1];
	sync_device_id_hex(k->device_id, id);
	fingerprint_halves(k, a, b);
	tui_put(y++, 2, head, ncols);
	snprintf(line, sizeof line, "  行政区划 %s（%s）", k->division_code,
		 k->kind == STORE_KIND_TOWN ? "镇扶贫办" : "村");
	tui_put(y++, 2, line, ncols);
	snprintf(line, sizeof line, "  设备号   %s", id);
	tui_put(y++, 2, line, ncols);
	snprintf(line, sizeof line, "  指纹     %s", a);
	tui_put(y++, 2, line, ncols);
	snprintf(line, sizeof line, "           %s", b);
	tui_put(y++, 2, line, ncols);
	return y;
}

/* The QR code at the right when it fits beside the text, else a line at row
 * y saying what it needs. Returns the row after what was drawn at the left. */
static int draw_qr(struct tui *t, const struct keys_screen *ks, int y)
{
	if (ks->qr.nrows == 0)
		return y;
	int x = t->cols - 2 - ks->qr.ncols;
	int rows = tui_content_rows(t);
	/* Dark modules are the blocks: black on white, whatever the terminal's colours. */
	int attr = t->color ? tui_attr_field(t) : (int)A_REVERSE;
	if (x >= 2 + left_ncols(t) && ks->qr.nrows <= rows) {
		attron(attr);
		for (int i = 0; i < ks->qr.nrows; i++)
			tui_put(TUI_TOP + i, x, ks->qr.lines[i], ks->qr.ncols);
		attroff(attr);
		return y;
	}
	char line[200];
	snprintf(line, sizeof line, "（终端窗口太小，放不下指纹的二维码：要 %d 列 x %d 行，现在 %d x %d）",
		 2 + left_ncols(t) + ks->qr.ncols + 2, ks->qr.nrows + TUI_TOP + 2, t->cols, t->rows);
	tui_put(y++, 2, line, t->cols - 4);
	return y;
}

/* Lines of text from row y; returns the row after them. */
static int put_lines(int y, int ncols, const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tui_put(y++, 2, lines[i], ncols);
	return y;
}

static void draw_village(struct keys_screen *ks, int y)
{
	static const char *const how[] = {
		"镇扶贫办的公钥：还没有导入。",
		"交数据包之前，要先导入镇扶贫办的公钥：",
		"1. 请镇扶贫办在“密钥和设备”画面按 F5，",
		"   把它的公钥文件存到U盘上；",
		"2. U盘带回插好，在这里按 F3 导入，",
		"   并打电话逐组核对指纹。",
	};
	static const char *const own[] = {
		"镇扶贫办要登记本机的公钥才收本村的数据包：",
		"按 F5 把本机公钥存到U盘上交给镇扶贫办，",
		"并请对方核对上面的本机指纹。",
	};
	int w = VILLAGE_LEFT_NCOLS;
	y++;
	if (ks->n == 0) {
		y = put_lines(y, w, how, sizeof how / sizeof how[0]);
	} else {
		char when[40], head[120];
		tui_local_time(ks->peers[0].since, when, sizeof when);
		snprintf(head, sizeof head, "信任的镇扶贫办公钥（%s 起）：", when);
		y = draw_key(y, w, head, &ks->peers[0].key);
	}
	put_lines(y + 1, w, own, sizeof own / sizeof own[0]);
}

static int peer_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct keys_screen *ks = st;
	const struct sync_peer *p = &ks->peers[i];
	char who[80], name[64], id[SYNC_DEVICE_ID_NCHARS + 1], when[40], state[80];
	sync_device_id_hex(p->key.device_id, id);
	snprintf(who, sizeof who, "%s %s", p->key.division_code, tui_village_name(t, p->key.division_code, ""));
	tui_local_time(p->revoked ? p->revoked_at : p->since, when, sizeof when);
	snprintf(state, sizeof state, p->revoked ? "已吊销（%.10s）" : "有效（%.10s 登记）", when);
	snprintf(line, nbytes, "%s  %s  %s", utf8_pad(name, sizeof name, who, 22), id, state);
	return 0;
}

static void draw_town(struct tui *t, struct keys_screen *ks, int y)
{
	char line[300];
	int w = t->cols - 4;
	y++;
	snprintf(line, sizeof line, "已登记的村设备 %zu 台：", ks->n);
	tui_put(y++, 2, line, w);
	if (ks->n == 0) {
		tui_put_wrapped(y, 2,
				"还没有登记村的设备：请村里在“密钥”画面按 F5 把公钥文件存到U盘上，"
				"插好后在这里按 F3 登记，并打电话逐组核对指纹。",
				TOWN_LEFT_NCOLS, 4);
		move(y, 2);
		return;
	}
	ks->visible = tui_list_header(t, y++, "村                      设备号            状态", 6,
				      ks->pick, &ks->top);
	const struct sync_peer *p = &ks->peers[ks->pick];
	char a[FP_HALF_NCHARS + 1], b[FP_HALF_NCHARS + 1];
	fingerprint_halves(&p->key, a, b);
	snprintf(line, sizeof line, "选中设备的指纹：%s  %s", a, b);
	tui_put(t->rows - 4, 2, line, w);
	tui_draw_rows(t, y, ks->visible, ks->n, ks->pick, &ks->top, peer_row, ks);
}

static void draw(struct tui *t, void *st)
{
	struct keys_screen *ks = st;
	if (!ks->loaded)
		return;
	char head[120];
	snprintf(head, sizeof head, "本机（%s）的公钥，对方核对用：",
		 at_town(t) ? "镇扶贫办" : "村");
	int y = draw_key(TUI_TOP, left_ncols(t), head, &ks->self);
	y = draw_qr(t, ks, y);
	if (at_town(t))
		draw_town(t, ks, y);
	else
		draw_village(ks, y);
	if (!at_town(t) || ks->n == 0)
		move(TUI_TOP, 2);
}

static void export_own(struct tui *t)
{
	char dir[1024], path[1400], name[128];
	if (!tui_ask_folder(t, "把本机的公钥文件存到哪个文件夹（如 U 盘上的文件夹）：", dir, sizeof dir))
		return;
	struct sync_public_key pub;
	struct tz_error err;
	if (sync_keys_public(t->s, &pub, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return;
	}
	sync_pubkey_file_name(&pub, name, sizeof name);
	snprintf(path, sizeof path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	if (sync_pubkey_export(t->s, path, NULL, &err) != TZ_OK)
		tui_say(t, 1, "没有导出：%s", err.msg);
	else
		tui_say(t, 0, "已导出本机公钥，请交给%s并电话核对指纹：%s",
			at_town(t) ? "各村" : "镇扶贫办", path);
}

static void revoke_selected(struct tui *t, struct keys_screen *ks)
{
	if (ks->n == 0)
		return;
	const struct sync_peer *p = &ks->peers[ks->pick];
	char id[SYNC_DEVICE_ID_NCHARS + 1], question[300];
	sync_device_id_hex(p->key.device_id, id);
	if (p->revoked) {
		tui_say(t, 1, "设备 %s 早已吊销。", id);
		return;
	}
	snprintf(question, sizeof question, "吊销村 %s %s 的设备 %s？", p->key.division_code,
		 tui_village_name(t, p->key.division_code, ""), id);
	const char *lines[] = { question, "吊销后拒收它的数据包，它也不能再登记（例如电脑丢失或更换）。",
				"", "按 Y 吊销，按 N 或 Esc 取消" };
	if (!tui_confirm_lines(t, lines, 4))
		return;
	enum sync_change change;
	struct tz_error err;
	if (sync_revoke(t->s, p->key.device_id, &change, &err) != TZ_OK)
		tui_say(t, 1, "%s", err.msg);
	else
		tui_say(t, 0, "已吊销设备 %s：此后拒收它的数据包。", id);
	load(t, ks);
}

static int screen_key_files_push(struct tui *t);

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct keys_screen *ks = st;
	if (at_town(t) && tui_list_key(k, &ks->pick, ks->n, ks->visible))
		return TUI_STAY;
	if (!k.is_code)
		return TUI_STAY;
	if (k.ch == KEY_F(3))
		screen_key_files_push(t);
	else if (k.ch == KEY_F(5))
		export_own(t);
	else if (k.ch == KEY_F(8) && at_town(t))
		revoke_selected(t, ks);
	return TUI_STAY;
}

static void destroy(void *st)
{
	struct keys_screen *ks = st;
	free(ks->peers);
	qr_text_free(&ks->qr);
}

/* The village's face and the town's share the screen's functions. */
#define KEYS_FUNCTIONS .draw = draw, .key = key, .resume = load, .destroy = destroy
TUI_SCREEN(village_ops, "密钥", " F1 帮助  F3 导入镇扶贫办的公钥  F5 导出本机公钥  Esc 返回",
	   keys_village, KEYS_FUNCTIONS);
TUI_SCREEN(town_ops, "密钥和设备",
	   " F1 帮助  上下键 选择  F3 登记村设备  F5 导出本机公钥  F8 吊销  Esc 返回", keys_town,
	   KEYS_FUNCTIONS);

int screen_keys_push(struct tui *t)
{
	return tui_open(t, at_town(t) ? &town_ops : &village_ops, sizeof(struct keys_screen));
}

/* ---- choosing a key file, then confirming its fingerprint ---- */

struct key_files {
	char dir[1024];
	char **paths;
	size_t n, pick, top;
};

/* Trust (village) or enrol (town) key with flags; *change says what it did. */
static int apply(struct tui *t, const struct sync_public_key *key, unsigned flags,
		 enum sync_change *change, struct tz_error *err)
{
	return at_town(t) ? sync_enroll(t->s, key, flags, change, err)
			  : sync_trust_town(t->s, key, flags | SYNC_TRUST_REPLACE, change, err);
}

/* Show key's fingerprint and ask whether it matches what the other office
 * reads out; 1 for yes. */
static int confirm_fingerprint(struct tui *t, const char *path, const struct sync_public_key *key,
			       enum sync_change change)
{
	char l0[1200], l1[80], l2[80], l3[80], a[FP_HALF_NCHARS + 1], b[FP_HALF_NCHARS + 1];
	char id[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(key->device_id, id);
	fingerprint_halves(key, a, b);
	const char *slash = strrchr(path, '/');
	snprintf(l0, sizeof l0, "%s：%s", at_town(t) ? "村设备的公钥文件" : "镇扶贫办的公钥文件",
		 slash ? slash + 1 : path);
	snprintf(l1, sizeof l1, "行政区划 %s    设备号 %s", key->division_code, id);
	snprintf(l2, sizeof l2, "指纹  %s", a);
	snprintf(l3, sizeof l3, "      %s", b);
	const char *lines[10];
	int n = 0;
	lines[n++] = l0;
	lines[n++] = l1;
	lines[n++] = l2;
	lines[n++] = l3;
	lines[n++] = "";
	lines[n++] = at_town(t) ? "请打电话请村里读出本机指纹（“密钥”画面），逐组核对。"
				: "请打电话请镇扶贫办读出本机指纹（“密钥和设备”画面），逐组核对。";
	if (change == SYNC_REPLACED)
		lines[n++] = "注意：它将替换本村现在信任的镇公钥。";
	lines[n++] = "";
	lines[n++] = "指纹完全一致吗？一致按 Y，不一致按 N 或 Esc 取消";
	return tui_confirm_lines(t, lines, n);
}

/* Read the chosen file, confirm, trust or enrol. Returns 1 when done (leave
 * the list), 0 to stay on it. */
static int take(struct tui *t, const char *path)
{
	struct sync_public_key key;
	struct tz_error err;
	enum sync_change change;
	if (sync_pubkey_read(path, &key, &err) != TZ_OK ||
	    apply(t, &key, SYNC_TRUST_CHECK_ONLY, &change, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return 0;
	}
	char id[SYNC_DEVICE_ID_NCHARS + 1];
	sync_device_id_hex(key.device_id, id);
	if (change == SYNC_UNCHANGED) {
		tui_say(t, 0, at_town(t) ? "设备 %s 已经登记过，无需再做。"
					 : "本村已经信任这个镇公钥（设备号 %s），无需再做。",
			id);
		return 1;
	}
	if (change != SYNC_RESEALED && !confirm_fingerprint(t, path, &key, change)) {
		tui_say(t, 0, "已取消，什么也没有改。");
		return 0;
	}
	if (apply(t, &key, 0, &change, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return 0;
	}
	if (at_town(t))
		tui_say(t, 0, "已登记村 %s 的设备 %s：此后接收它的数据包。", key.division_code, id);
	else if (change == SYNC_REPLACED)
		tui_say(t, 0, "已换用这个镇公钥（设备号 %s），镇恢复槽已改封给它。", id);
	else
		tui_say(t, 0, "已信任镇扶贫办的公钥（设备号 %s），现在可以导出数据包了。", id);
	return 1;
}

/* A key file's path, relative to the folder asked for. */
static int file_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	(void)t;
	const struct key_files *kf = st;
	const char *p = kf->paths[i];
	size_t skip = strlen(kf->dir);
	if (strncmp(p, kf->dir, skip) == 0 && p[skip] == '/')
		p += skip + 1;
	snprintf(line, nbytes, "%s", p);
	return 0;
}

/* The rows the list of files shows, from TUI_TOP + 3 down to the message
 * line: also its page, what PgUp and PgDn move by. */
static int files_visible(const struct tui *t)
{
	return t->rows - 3 - (TUI_TOP + 3);
}

static void draw_files(struct tui *t, void *st)
{
	struct key_files *kf = st;
	char line[1200];
	int w = t->cols - 4;
	snprintf(line, sizeof line, "在“%s”里找到的公钥文件 %zu 个：", kf->dir, kf->n);
	tui_put(TUI_TOP, 2, line, w);
	tui_put(TUI_TOP + 1, 2, at_town(t) ? "选出村里导出的公钥文件，按 Enter 看它的指纹。"
					   : "选出镇扶贫办导出的公钥文件，按 Enter 看它的指纹。",
		w);
	tui_draw_rows(t, TUI_TOP + 3, files_visible(t), kf->n, kf->pick, &kf->top, file_row, kf);
}

static int key_files(struct tui *t, void *st, struct tui_key k)
{
	struct key_files *kf = st;
	if (tui_list_key(k, &kf->pick, kf->n, files_visible(t)))
		return TUI_STAY;
	if (tui_is_enter(k) && kf->n > 0 && take(t, kf->paths[kf->pick]))
		return TUI_POP;
	return TUI_STAY;
}

TUI_DESTROY_LIST(destroy_files, key_files, sync_key_files_free, paths, n)

TUI_SCREEN(files_ops, "选择公钥文件",
	   " F1 帮助  上下键 选择  Enter 核对指纹  Esc 返回", keys_files,
	   .draw = draw_files, .key = key_files, .destroy = destroy_files);

static int screen_key_files_push(struct tui *t)
{
	char dir[1024];
	if (!tui_ask_folder(t, at_town(t) ? "村的公钥文件在哪个文件夹（如 U 盘上的文件夹）："
				      : "镇扶贫办的公钥文件在哪个文件夹（如 U 盘上的文件夹）：",
			dir, sizeof dir))
		return 0;
	struct key_files *kf = xcalloc(1, sizeof *kf);
	snprintf(kf->dir, sizeof kf->dir, "%s", dir);
	size_t len = strlen(kf->dir);
	while (len > 1 && kf->dir[len - 1] == '/')
		kf->dir[--len] = '\0';
	struct tz_error err;
	if (sync_key_files_find(kf->dir, 2, &kf->paths, &kf->n, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		free(kf);
		return -1;
	}
	if (kf->n == 0) {
		tui_say(t, 1, "“%s”里没有公钥文件：请确认U盘已插好，对方已把公钥导出到这个U盘上。", kf->dir);
		destroy_files(kf);
		free(kf);
		return -1;
	}
	return tui_push(t, &files_ops, kf);
}

/* ---- the guard of the bundle export ---- */

static int count_live(void *ctx, const struct sync_peer *p)
{
	*(size_t *)ctx += !p->revoked;
	return 0;
}

int tui_keys_ready(struct tui *t)
{
	size_t live = 0;
	struct tz_error err;
	if (sync_peers_list(t->s, count_live, &live, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return 0;
	}
	if (live > 0)
		return 1;
	const char *village[] = {
		"还不能导出数据包：本机还没有导入镇扶贫办的公钥。",
		"数据包只有镇扶贫办能解开，所以要先有它的公钥：",
		"1. 请镇扶贫办在“密钥和设备”画面按 F5，把公钥文件存到U盘上；",
		"2. U盘带回插好，在“密钥”画面按 F3 导入，打电话逐组核对指纹；",
		"3. 同时按 F5 把本机公钥存到U盘上交给镇扶贫办登记。",
		"",
		"按 Y 现在打开“密钥”画面，按 N 或 Esc 返回",
	};
	const char *town[] = {
		"还不能导出数据包：还没有登记任何村的设备。",
		"请村里在“密钥”画面按 F5 把公钥文件存到U盘上，",
		"在“密钥和设备”画面按 F3 登记，并打电话逐组核对指纹。",
		"",
		"按 Y 现在打开“密钥和设备”画面，按 N 或 Esc 返回",
	};
	int yes = at_town(t) ? tui_confirm_lines(t, town, 5) : tui_confirm_lines(t, village, 7);
	if (yes)
		screen_keys_push(t);
	return 0;
}
