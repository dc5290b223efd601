/*
 * scr_household.c — one household: a header with its head, group, status and
 * income, and tabs for its members, procedure steps, four lists, sector records,
 * visits, loans, problems and history. Each tab is a list of the rows of one
 * ledger; Enter edits a row, F3 adds one, F5 edits the household itself.
 * Read-only (the town looking at a village's household): Enter shows a row,
 * nothing is added or edited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/problem.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_internal.h"

struct tab {
	const char *label;
	const char *table; /* NULL: the problems of the household */
	const char *columns[5];
	const char *headers[5];
	int widths[5];
};

static const struct tab tabs[] = {
	{ "家庭成员", "members", { "name", "relation", "idcard", "health", "status" },
	  { "姓名", "关系", "身份证号", "健康", "状态" }, { 12, 10, 20, 12, 8 } },
	{ "识别退出", "procedure_steps", { "procedure", "step", "on_date", "outcome", "signer" },
	  { "程序", "步骤", "日期", "结果", "签字人" }, { 14, 24, 12, 8, 10 } },
	{ "四个清单", "four_lists", { "list", "item", "responsible", "due_date", NULL },
	  { "清单", "内容", "责任人", "时限", NULL }, { 10, 36, 10, 12, 0 } },
	{ "就学", "schooling", { "member_id", "stage", "state", "dropout_reason", "as_of" },
	  { "学生", "学段", "状态", "辍学原因", "核实日期" }, { 10, 10, 8, 20, 12 } },
	{ "住房", "housing", { "rating", "renovation", "assessed_on", "renovated_on", "drinking_water" },
	  { "等级", "改造", "鉴定日期", "完成日期", "饮水" }, { 18, 12, 12, 12, 12 } },
	{ "医疗", "family_doctor", { "signed_on", "doctor", "valid_until", NULL, NULL },
	  { "签约日期", "签约医生", "有效期至", NULL, NULL }, { 12, 16, 12, 0, 0 } },
	{ "走访", "visits", { "visited_on", "cadre_id", "notes", NULL, NULL },
	  { "日期", "帮扶责任人", "走访情况", NULL, NULL }, { 12, 12, 48, 0, 0 } },
	{ "信贷", "loans", { "bank", "amount_cents", "issued_on", "due_on", "state" },
	  { "银行", "金额（元）", "放款", "到期", "状态" }, { 14, 12, 12, 12, 8 } },
	{ "保障", "social_security", { "kind", "member_id", "start_on", "monthly_cents", NULL },
	  { "类型", "享受人", "开始", "月额（元）", NULL }, { 12, 10, 12, 12, 0 } },
	{ "问题", NULL, { NULL }, { "状态", "期限", "问题", NULL, NULL }, { 10, 12, 50, 0, 0 } },
	{ "历史", "household_status_history", { "on_date", "status", "reason", NULL, NULL },
	  { "日期", "状态", "原因", NULL, NULL }, { 12, 12, 40, 0, 0 } },
};
#define NTABS (sizeof tabs / sizeof tabs[0])

struct household {
	char id[IDS_NCHARS + 1];
	char header[512];
	size_t tab;
	struct browse_row *rows;
	size_t n, pick, top;
	int view; /* read-only */
};

static size_t ncolumns(const struct tab *tb)
{
	size_t n = 0;
	while (n < 5 && tb->headers[n])
		n++;
	return n;
}

static void load(struct tui *t, void *st)
{
	struct household *h = st;
	struct tz_error err;
	browse_rows_free(h->rows, h->n);
	h->rows = NULL;
	h->n = 0;
	/* The header: the household as the list shows it. */
	h->header[0] = '\0';
	struct record r;
	if (record_load(t->s, model_table("households"), h->id, &r, &err) == TZ_OK) {
		char group[80] = "";
		const char *gid = record_get(&r, "group_id");
		if (gid)
			browse_ref_label(t->s, "villager_groups", gid, group, sizeof group, &err);
		const char *income = record_get(&r, "income_cents");
		struct browse_row *heads;
		size_t nh;
		char head[160] = "（未登记户主）";
		if (browse_ref_choices(t->s, "members", h->id, &heads, &nh, &err) == TZ_OK) {
			if (nh > 0) {
				snprintf(head, sizeof head, "%s", heads[0].cells[0]);
				char *gap = strstr(head, "  ");
				if (gap != NULL)
					*gap = '\0'; /* the name, without the ID number */
			}
			browse_rows_free(heads, nh);
		}
		struct browse_row *codes;
		size_t nc;
		char status[40] = "";
		if (browse_codes(t->s, "household_status", &codes, &nc, &err) == TZ_OK) {
			for (size_t i = 0; i < nc; i++)
				if (strcmp(codes[i].id, record_get(&r, "status")) == 0)
					snprintf(status, sizeof status, "%s", codes[i].cells[0]);
			browse_rows_free(codes, nc);
		}
		snprintf(h->header, sizeof h->header, "户主：%s  村民小组：%s  状态：%s  人均纯收入：%s 元",
			 head, group, status, income ? income : "未填");
		record_free(&r);
	}
	const struct tab *tb = &tabs[h->tab];
	if (tb->table != NULL) {
		if (browse_children(t->s, model_table(tb->table), h->id, tb->columns, ncolumns(tb), &h->rows,
				    &h->n, &err) != TZ_OK)
			tui_say(t, 1, "%s", err.msg);
	} else {
		struct problem_filter f = { .household_id = h->id };
		struct problem_list l;
		if (problem_list(t->s, &f, &l, &err) != TZ_OK) {
			tui_say(t, 1, "%s", err.msg);
		} else {
			h->rows = xcalloc(l.n, sizeof *h->rows);
			for (size_t i = 0; i < l.n; i++) {
				snprintf(h->rows[i].id, sizeof h->rows[i].id, "%s", l.items[i].id);
				h->rows[i].cells[0] = xstrdup(l.items[i].state_label ? l.items[i].state_label : "");
				h->rows[i].cells[1] = xstrdup(l.items[i].deadline ? l.items[i].deadline : "");
				h->rows[i].cells[2] = xstrdup(l.items[i].title ? l.items[i].title : "");
			}
			h->n = l.n;
			problem_list_free(&l);
		}
	}
	if (h->pick >= h->n)
		h->pick = h->n ? h->n - 1 : 0;
}

static void draw(struct tui *t, void *p)
{
	struct household *h = p;
	tui_put(TUI_TOP, 2, h->header, t->cols - 4);
	int x = 2, y = TUI_TOP + 1;
	for (size_t i = 0; i < NTABS; i++) {
		char label[32];
		snprintf(label, sizeof label, " %s ", tabs[i].label);
		int w = (int)utf8_ncols(label);
		if (x + w > t->cols - 2) {
			y++;
			x = 2;
		}
		if (i == h->tab)
			attron(tui_attr_select(t));
		tui_put(y, x, label, w);
		if (i == h->tab)
			attroff(tui_attr_select(t));
		x += w + 1;
	}
	y += 2;
	const struct tab *tb = &tabs[h->tab];
	y = tui_draw_table(t, y, tb->headers, tb->widths, ncolumns(tb), h->rows, h->n, h->pick, &h->top);
	if (h->n == 0)
		tui_put(y, 2, !tb->table ? "（这一户没有问题）" : h->view ? "（没有记录）" : "（没有记录，按 F3 新增）",
			t->cols - 4);
	move(h->n ? y + (int)(h->pick - h->top) : y, 2);
}

static int key(struct tui *t, void *p, struct tui_key k)
{
	struct household *h = p;
	const struct tab *tb = &tabs[h->tab];
	if (k.is_code) {
		switch (k.ch) {
		case KEY_LEFT:
			h->tab = (h->tab + NTABS - 1) % NTABS;
			h->pick = h->top = 0;
			load(t, h);
			return TUI_STAY;
		case KEY_RIGHT:
			h->tab = (h->tab + 1) % NTABS;
			h->pick = h->top = 0;
			load(t, h);
			return TUI_STAY;
		case KEY_UP:
		case KEY_DOWN:
		case KEY_PPAGE:
		case KEY_NPAGE:
		case KEY_HOME:
		case KEY_END:
			tui_list_key(k, &h->pick, h->n, t->rows - 10);
			return TUI_STAY;
		case KEY_F(3):
			if (h->view)
				tui_say(t, 0, "只读：这里只能查看，不能新增或修改");
			else if (tb->table != NULL && strcmp(tb->table, "household_status_history") != 0)
				screen_form_push(t, tb->table, NULL, "household_id", h->id);
			return TUI_STAY;
		case KEY_F(5):
			if (h->view)
				tui_say(t, 0, "只读：这里只能查看，不能新增或修改");
			else
				screen_form_push(t, "households", h->id, NULL, NULL);
			return TUI_STAY;
		case KEY_ENTER:
			break;
		default:
			return TUI_STAY;
		}
	}
	if (!k.is_code && k.ch == '\t') {
		h->tab = (h->tab + 1) % NTABS;
		h->pick = h->top = 0;
		load(t, h);
	} else if (tui_is_enter(k)) {
		if (h->n == 0)
			return TUI_STAY;
		if (h->view && tb->table == NULL)
			screen_problem_view_push(t, h->rows[h->pick].id);
		else if (h->view && tb->table != NULL && strcmp(tb->table, "household_status_history") != 0)
			screen_form_view_push(t, tb->table, h->rows[h->pick].id);
		else if (h->view)
			return TUI_STAY;
		else if (tb->table != NULL && strcmp(tb->table, "household_status_history") != 0)
			screen_form_push(t, tb->table, h->rows[h->pick].id, NULL, NULL);
		else if (tb->table == NULL)
			tui_say(t, 0, "请在“问题台账”中处理这个问题");
	}
	return TUI_STAY;
}

static void destroy(void *p)
{
	struct household *h = p;
	browse_rows_free(h->rows, h->n);
	free(h);
}

static const struct screen_ops ops = {
	.title = "住户",
	.keys = " F1 帮助  左右键/Tab 换页  Enter 修改  F3 新增  F5 修改本户信息  Esc 返回",
	.help = "这是一户的全部台账，分页显示：家庭成员、识别退出程序、四个清单、\n"
		"就学、住房、医疗、走访、信贷、保障、问题和状态历史。\n"
		"左右键或 Tab 换页，上下键选择，Enter 修改选中的记录，\n"
		"F3 在本页新增一条记录，F5 修改本户的基本信息（状态、收入等）。",
	.draw = draw, .key = key, .resume = load, .destroy = destroy,
};

static const struct screen_ops view_ops = {
	.title = "住户（只读）",
	.keys = " F1 帮助  只读  左右键/Tab 换页  Enter 查看  Esc 返回",
	.help = "只读：这是村里上报的一户的全部台账，这里只能查看，不能修改。\n"
		"分页显示：家庭成员、识别退出程序、四个清单、就学、住房、医疗、\n"
		"走访、信贷、保障、问题和状态历史。左右键或 Tab 换页，\n"
		"上下键选择，Enter 查看选中记录的每一项。",
	.draw = draw, .key = key, .resume = load, .destroy = destroy,
};

/* A household's state, not yet loaded (the push loads it). */
static struct household *household_new(const char *household_id, int view)
{
	struct household *h = xcalloc(1, sizeof *h);
	snprintf(h->id, sizeof h->id, "%s", household_id);
	h->view = view;
	return h;
}

int screen_household_push(struct tui *t, const char *household_id)
{
	return tui_push_loaded(t, &ops, household_new(household_id, 0), load);
}

int screen_household_view_push(struct tui *t, const char *household_id)
{
	return tui_push_loaded(t, &view_ops, household_new(household_id, 1), load);
}

int screen_household_replace(struct tui *t, const char *household_id)
{
	return tui_replace_loaded(t, &ops, household_new(household_id, 0), load);
}
