/*
 * scr_problems.c — the problem ledger: every problem with its state and
 * deadline (overdue ones marked), filtered by state; a problem's page with its
 * history and the moves 整改中 → 已整改 → 销号 (with evidence), or 重新整改.
 *
 * At the town the ledger holds every village's problems: the list names each
 * one's village, the town moves and closes them off as a village does, and F3
 * dispatches a new one (派单: choose the village first). The same screens also
 * show one village's ledger read-only (the town looking at a village): no
 * edit or move keys offered or accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/date.h"
#include "taizhang/problem.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

static const char *const filters[] = { "未销号", "逾期", "全部" };

struct problems {
	struct problem_list list;
	int filter;
	int area;           /* 0: every area, else 1..10 */
	int task;           /* 0: every task, else 1..19 */
	char search[200];   /* '/': only problems whose title contains it */
	size_t pick, top;
	char village[13];   /* read-only view of this village's problems; "" all, editable */
	char title[128];
};

/* The name of village code (the code itself when unknown): at the town, the
 * villages' names were read when the ledger opened. */
static const char *village_name(const struct tui *t, const char *code)
{
	return code ? tui_village_name(t, code, code) : "";
}

static void load(struct tui *t, void *st)
{
	struct problems *p = st;
	problem_list_free(&p->list);
	memset(&p->list, 0, sizeof p->list);
	char today[DATE_NCHARS + 1];
	date_today_text(today);
	struct problem_filter f = { 0 };
	if (p->filter == 0)
		f.unclosed = 1;
	else if (p->filter == 1)
		f.overdue_as_of = today;
	f.area = p->area;
	f.task = p->task;
	f.village_code = p->village[0] ? p->village : NULL;
	struct tz_error err;
	tui_say_failure(t, problem_list(t->s, &f, &p->list, &err), &err);
	if (p->search[0]) {
		size_t kept = 0;
		for (size_t i = 0; i < p->list.n; i++) {
			if (p->list.items[i].title && strstr(p->list.items[i].title, p->search))
				p->list.items[kept++] = p->list.items[i];
			else
				problem_free(&p->list.items[i]);
		}
		p->list.n = kept;
	}
	tui_list_clamp(&p->pick, p->list.n);
}

/* At the town, and not looking at one village: each problem's village too. */
static int by_village(struct tui *t, const struct problems *p)
{
	return tui_is_town(t) && !p->village[0];
}

static int problem_row(struct tui *t, const void *st, size_t i, char *line, size_t nbytes)
{
	const struct problems *p = st;
	const struct problem *x = &p->list.items[i];
	char a[64], b[64], c[64], today[DATE_NCHARS + 1];
	date_today_text(today);
	int overdue = strcmp(x->state, "closed") != 0 && strcmp(x->deadline, today) < 0;
	snprintf(line, nbytes, "%s%s", utf8_pad(a, sizeof a, x->state_label, 10),
		 utf8_pad(b, sizeof b, x->deadline, 12));
	size_t used = strlen(line);
	if (by_village(t, p))
		used += (size_t)snprintf(line + used, nbytes - used, "%s",
					 utf8_pad(a, sizeof a, village_name(t, x->village_code), 12));
	used += (size_t)snprintf(line + used, nbytes - used, "%s",
				 utf8_pad(c, sizeof c, overdue ? "逾期 " : "", 5));
	snprintf(line + used, nbytes - used, "%s", x->title);
	return overdue ? tui_attr_error(t) : 0;
}

static const struct tui_list_look village_look = {
	"状态      期限        村          问题", 3, problem_row
};
static const struct tui_list_look own_look = { "状态      期限        问题", 3, problem_row };

static const struct tui_list_look *look_of(struct tui *t, const struct problems *p)
{
	return by_village(t, p) ? &village_look : &own_look;
}

static void draw(struct tui *t, void *st)
{
	struct problems *p = st;
	char line[512];
	char area[24] = "各方面", task[24] = "各任务";
	/* An area as the seed numbers it: （一）...（十）. */
	static const char *const numerals[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
	if (p->area >= 1 && p->area <= 10)
		snprintf(area, sizeof area, "方面（%s）", numerals[p->area - 1]);
	if (p->task)
		snprintf(task, sizeof task, "任务 %d", p->task);
	/* The count first: a long search word must not push it off the line. */
	snprintf(line, sizeof line, "共 %zu 个  显示：%s（F5） %s（F6） %s（F7）%s%s%s", p->list.n,
		 filters[p->filter], area, task, p->search[0] ? "  含“" : "",
		 p->search[0] ? p->search : "", p->search[0] ? "”" : "");
	tui_draw_list(t, look_of(t, p), p, p->list.n, p->pick, &p->top, line, "（没有问题）");
}

/* F6 / F7: the ten areas or the nineteen tasks (table) by name, with "all"
 * first, in the picker; *number becomes the one chosen (0: all). 1 when
 * chosen, 0 on Esc. */
static int pick_number(struct tui *t, const char *table, const char *title, int *number)
{
	struct browse_row *rows;
	size_t n;
	struct tz_error err;
	if (browse_ref_choices(t->s, table, NULL, &rows, &n, &err) != TZ_OK) {
		tui_say(t, 1, "%s", err.msg);
		return 0;
	}
	struct browse_row *all = xcalloc(n + 1, sizeof *all);
	snprintf(all[0].id, sizeof all[0].id, "0");
	all[0].cells[0] = xstrdup(strcmp(table, "tasks") == 0 ? "全部任务" : "全部方面");
	memcpy(all + 1, rows, n * sizeof *rows);
	free(rows); /* its cells now belong to all */
	int chosen = tui_pick(t, title, all, n + 1, NULL, NULL);
	if (chosen >= 0)
		*number = atoi(all[chosen].id);
	browse_rows_free(all, n + 1);
	return chosen >= 0;
}

static int key(struct tui *t, void *st, struct tui_key k)
{
	struct problems *p = st;
	int view = p->village[0] != '\0';
	if (tui_list_key(k, &p->pick, p->list.n, tui_list_visible(t, look_of(t, p))))
		return TUI_STAY;
	if (!k.is_code && k.ch == '/') {
		char text[200];
		if (tui_prompt(t, "查找问题（输入问题中的字词，留空显示全部）：", text, sizeof text)) {
			snprintf(p->search, sizeof p->search, "%s", text);
			p->pick = p->top = 0;
			load(t, p);
		}
	} else if (k.is_code && (k.ch == KEY_F(6) || k.ch == KEY_F(7))) {
		int *which = k.ch == KEY_F(6) ? &p->area : &p->task;
		if (pick_number(t, k.ch == KEY_F(6) ? "problem_areas" : "tasks",
				k.ch == KEY_F(6) ? "按方面筛选" : "按任务筛选", which)) {
			p->pick = p->top = 0;
			load(t, p);
		}
	} else if (k.is_code && k.ch == KEY_F(3) && view) {
		tui_say(t, 0, "只读：这里只能查看，不能登记问题；派单请回首页选“派单”");
	} else if (k.is_code && k.ch == KEY_F(3) && tui_is_town(t)) {
		screen_dispatch_push(t); /* the town files a problem by dispatching it */
	} else if (k.is_code && k.ch == KEY_F(3))
		screen_form_push(t, "problems", NULL, NULL, NULL);
	else if (k.is_code && k.ch == KEY_F(5)) {
		p->filter = (p->filter + 1) % 3;
		p->pick = p->top = 0;
		load(t, p);
	} else if (tui_is_enter(k) &&
		   p->list.n > 0) {
		screen_problem_open(t, p->list.items[p->pick].id, view ? TUI_PAGE_VIEW : TUI_PAGE_EDIT);
	}
	return TUI_STAY;
}

TUI_DESTROY_MEMBER(destroy, problems, problem_list_free, list)

static const char *title_of(void *st)
{
	struct problems *p = st;
	return p->title[0] ? p->title : "问题台账";
}

/* The ledger's faces: a village's own, the town's (F3 dispatches), and a
 * village's seen from the town (read-only); one set of functions. */
enum { LIST_VILLAGE, LIST_TOWN, LIST_VIEW };
#define LIST_FUNCTIONS .title_of = title_of, .draw = draw, .key = key, .resume = load, .destroy = destroy
static const struct screen_ops list_faces[] = {
	[LIST_VILLAGE] = TUI_SCREEN_OPS("问题台账",
		" F1 帮助  Enter 打开  F3 登记  F5 状态  F6 方面  F7 任务  / 查找  Esc 返回", problems_list,
		LIST_FUNCTIONS),
	[LIST_TOWN] = TUI_SCREEN_OPS("问题台账",
		" F1 帮助  Enter 打开  F3 派单  F5 状态  F6 方面  F7 任务  / 查找  Esc 返回", problems_town_list,
		LIST_FUNCTIONS),
	[LIST_VIEW] = TUI_SCREEN_OPS("问题台账",
		" F1 帮助  只读  Enter 查看  F5 状态  F6 方面  F7 任务  / 查找  Esc 返回", problems_view_list,
		LIST_FUNCTIONS),
};


/* The ledger of village (NULL: the store's own) on top. */
static int problems_open(struct tui *t, const char *village)
{
	struct problems *p = xcalloc(1, sizeof *p);
	struct tz_error err;
	if (tui_is_town(t))
		tui_say_failure(t, tui_village_names_load(t, &err), &err);
	if (village != NULL) {
		snprintf(p->village, sizeof p->village, "%s", village);
		snprintf(p->title, sizeof p->title, "问题台账（%s，只读）", village_name(t, village));
	} else if (tui_is_town(t)) {
		snprintf(p->title, sizeof p->title, "问题台账（全镇）");
	}
	load(t, p);
	return tui_push(t, &list_faces[village ? LIST_VIEW : tui_is_town(t) ? LIST_TOWN : LIST_VILLAGE], p);
}

int screen_problems_push(struct tui *t)
{
	return problems_open(t, NULL);
}

int screen_problems_view_push(struct tui *t, const char *village_code)
{
	return problems_open(t, village_code);
}

/* ---- one problem ---- */

struct one {
	struct tui_page page;  /* the problem, and whether read-only */
	struct problem pr;
	struct problem_event *events;
	size_t nevents;
	int loaded;
	char village[160];     /* at the town: the problem's village, as read */
	int top;               /* the first wrapped line shown */
	char keys[160];        /* the key bar, for the state (keys_of_one) */
};

static void load_one(struct tui *t, void *st)
{
	struct one *o = st;
	if (o->loaded)
		problem_free(&o->pr);
	problem_events_free(o->events, o->nevents);
	o->events = NULL;
	o->nevents = 0;
	struct tz_error err;
	o->loaded = problem_get(t->s, o->page.id, &o->pr, &err) == TZ_OK &&
		    problem_events(t->s, o->page.id, &o->events, &o->nevents, &err) == TZ_OK;
	if (!o->loaded)
		tui_say(t, 1, "%s", err.msg);
	o->village[0] = '\0';
	if (o->loaded && tui_is_town(t) && o->pr.village_code != NULL) {
		char name[64] = "";
		browse_ref_label(t->s, "villages", o->pr.village_code, name, sizeof name, &err);
		snprintf(o->village, sizeof o->village, "%s（%s）%s", name[0] ? name : o->pr.village_code,
			 o->pr.village_code,
			 o->pr.owner && strcmp(o->pr.owner, o->pr.village_code) != 0 ? "  镇派单" : "");
	}
}

/* The page as paragraphs (malloc'd, caller frees each), wrapped and scrolled
 * by tui_draw_detail: long titles, measures and notes are never cut. */
static size_t page_paragraphs(const struct one *o, char **out, size_t cap)
{
	const struct problem *x = &o->pr;
	char line[4096];
	size_t n = 0;
#define PARA(...) \
	do { \
		snprintf(line, sizeof line, __VA_ARGS__); \
		if (n < cap) \
			out[n++] = xstrdup(line); \
	} while (0)
	PARA("问题：%s", x->title);
	PARA("状态：%s    整改期限：%s", x->state_label, x->deadline);
	if (o->village[0])
		PARA("村：%s", o->village);
	PARA("方面：%s", x->area_label ? x->area_label : "");
	PARA("任务：%d. %s", x->task, x->task_name ? x->task_name : "");
	PARA("责任单位：%s    责任人：%s", x->responsible_unit_name, x->responsible_person);
	PARA("整改措施：%s", x->measures ? x->measures : "");
	PARA("整改佐证：%s", x->evidence ? x->evidence : "");
	PARA("%s", "");
	PARA("%s", "经过：");
	for (size_t i = 0; i < o->nevents; i++) {
		const struct problem_event *e = &o->events[i];
		PARA("  %.16s  %s  %s → %s  %s", e->at ? e->at : "", e->by_user ? e->by_user : "",
		     e->from_label ? e->from_label : "（新建）", e->to_label ? e->to_label : "",
		     e->note ? e->note : "");
	}
#undef PARA
	return n;
}

static void draw_one(struct tui *t, void *st)
{
	struct one *o = st;
	if (!o->loaded)
		return;
	char *paras[64];
	size_t n = page_paragraphs(o, paras, sizeof paras / sizeof paras[0]);
	tui_draw_detail(TUI_TOP, t->rows - 3, t->cols - 6, (const char *const *)paras, n, &o->top);
	for (size_t i = 0; i < n; i++)
		free(paras[i]);
	move(TUI_TOP, 2);
}

/* Up, Down, PgUp, PgDn scroll the page (its bottom end is kept by
 * tui_draw_detail); 1 when k was one of them. */
static int scroll_one(struct tui *t, struct one *o, struct tui_key k)
{
	int page = t->rows - 3 - TUI_TOP;
	int step = !k.is_code ? 0 : k.ch == KEY_UP ? -1 : k.ch == KEY_DOWN ? 1
			  : k.ch == KEY_PPAGE ? -page : k.ch == KEY_NPAGE ? page : 0;
	o->top += step;
	if (o->top < 0)
		o->top = 0;
	return step != 0;
}

static int move_to(struct tui *t, struct one *o, const char *state, const char *question,
		   int needs_evidence)
{
	char note[800] = "", evidence[800] = "";
	if (needs_evidence && !tui_prompt(t, "整改佐证（如照片、会议记录的存放位置）：", evidence, sizeof evidence))
		return TUI_STAY;
	if (!tui_prompt(t, question, note, sizeof note))
		return TUI_STAY;
	struct tz_error err;
	/* 销号 goes through problem_request_close: at a village, on a problem the
	 * town dispatched, it asks the town (rectified, with evidence) */
	int closing = strcmp(state, "closed") == 0;
	int rc = closing ? problem_request_close(t->s, o->page.id, note[0] ? note : NULL,
						 evidence[0] ? evidence : NULL, &err)
			 : problem_move(t->s, o->page.id, state, note[0] ? note : NULL,
					evidence[0] ? evidence : NULL, NULL, &err);
	load_one(t, o);
	if (rc != TZ_OK)
		tui_say(t, 1, "%s", err.msg);
	else if (closing && o->loaded && strcmp(o->pr.state, "closed") != 0)
		tui_say(t, 0, "已申请销号：问题改为“%s”。请导出数据包交镇里，由镇扶贫办验收销号。",
			o->pr.state_label);
	else
		tui_say(t, 0, "已登记。");
	return TUI_STAY;
}

/* Whether problem o is one the town dispatched and this is a village: its 销号
 * is asked of the town (src/sync/README.md, rule A4). */
static int dispatched_here(struct tui *t, const struct one *o)
{
	return !tui_is_town(t) && o->loaded && o->pr.owner != NULL &&
	       strcmp(o->pr.owner, store_keyring(t->s)->division_code) != 0;
}

static int key_one(struct tui *t, void *st, struct tui_key k)
{
	struct one *o = st;
	if (scroll_one(t, o, k))
		return TUI_STAY;
	if (o->page.view) {
		if ((k.is_code && k.ch >= KEY_F(2) && k.ch <= KEY_F(12)) || (!k.is_code && k.ch >= 0x20))
			tui_say(t, 0, "只读：这里只能查看，不能修改");
		return TUI_STAY;
	}
	if (!k.is_code)
		return TUI_STAY;
	switch (k.ch) {
	case KEY_F(4):
		screen_form_push(t, "problems", o->page.id, NULL, NULL);
		return TUI_STAY;
	case KEY_F(6):
		return move_to(t, o, "rectifying", "说明（可不填）：", 0);
	case KEY_F(7):
		return move_to(t, o, "rectified", "整改情况说明：", 0);
	case KEY_F(8):
		if (dispatched_here(t, o)) {
			if (!tui_confirm(t, "这是镇里派的单，由镇扶贫办销号。整改已到位，向镇里申请销号？"))
				return TUI_STAY;
			return move_to(t, o, "closed", "申请销号说明：", o->pr.evidence == NULL);
		}
		if (!tui_confirm(t, "确认这个问题已经整改到位、核实无误，予以销号？"))
			return TUI_STAY;
		return move_to(t, o, "closed", "销号说明：", o->pr.evidence == NULL);
	case KEY_F(9):
		return move_to(t, o, "reopened", "重新整改的原因：", 0);
	default:
		return TUI_STAY;
	}
}

static void destroy_one(void *st)
{
	struct one *o = st;
	if (o->loaded)
		problem_free(&o->pr);
	problem_events_free(o->events, o->nevents);
}

/* The key bar: only the moves the problem's state allows (problem.h). */
static const char *keys_of_one(void *st)
{
	struct one *o = st;
	static const struct {
		const char *to, *key;
	} moves[] = {
		{ "rectifying", "  F6 整改中" }, { "rectified", "  F7 已整改" },
		{ "closed", "  F8 销号" },       { "reopened", "  F9 重新整改" },
	};
	size_t used = (size_t)snprintf(o->keys, sizeof o->keys, " F1 帮助  F4 修改");
	for (size_t i = 0; o->loaded && i < sizeof moves / sizeof moves[0]; i++)
		if (problem_move_allowed(o->pr.state, moves[i].to) && used < sizeof o->keys)
			used += (size_t)snprintf(o->keys + used, sizeof o->keys - used, "%s", moves[i].key);
	if (used < sizeof o->keys)
		snprintf(o->keys + used, sizeof o->keys - used, "  Esc 返回");
	return o->keys;
}

/* The page editable and read-only (nothing moved or edited): one screen, two faces. */
static const struct screen_ops one_faces[] = {
	[TUI_PAGE_EDIT] = TUI_SCREEN_OPS("问题",
		" F1 帮助  F4 修改  F6 整改中  F7 已整改  F8 销号  F9 重新整改  Esc 返回", problems_one,
		.keys_of = keys_of_one, .resume = load_one, .draw = draw_one, .key = key_one,
		.destroy = destroy_one),
	[TUI_PAGE_VIEW] = TUI_SCREEN_OPS("问题（只读）", " F1 帮助  只读  Esc 返回", problems_view_one,
		.resume = load_one, .draw = draw_one, .key = key_one, .destroy = destroy_one),
};

int screen_problem_open(struct tui *t, const char *id, enum tui_page_mode how)
{
	return tui_page_open(t, one_faces, sizeof(struct one), load_one, id, how);
}
