/*
 * scr_household.c — one household: a header with its head, group, status and
 * income, and a tab for each of its ledgers: members, procedure steps, four
 * lists, schooling, housing, the family doctor, visits, loans, social security,
 * industry, employment, insurance, chronic illness, the 351/180 medical
 * reimbursements, 雨露计划, its problems, member changes and its status
 * history. Each tab is a list of the rows of one ledger; Enter edits a row, F3
 * adds one, F5 edits the household itself. The status history is written by
 * the program: Enter shows a row, nothing is added there.
 * Read-only (the town looking at a village's household): Enter shows a row,
 * nothing is added or edited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "taizhang/browse.h"
#include "taizhang/model.h"
#include "taizhang/problem.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"
#include "tui_help.h"
#include "tui_internal.h"

struct tab {
	const char *label;
	const char *table; /* NULL: the problems of the household */
	const char *columns[5];
	/* Each column's header: NULL for its field's label in the model (so that
	 * the two say the same), else a shorter one for a narrow column. The
	 * problems tab names all of its headers. */
	const char *headers[5];
	int widths[5];
};

/* In the order of the seed's tasks (三、1-2 identification and the four lists,
 * 5 health, 6 education, 7 housing, 8 industry, 9 jobs, 10 finance, 11 social
 * security, 14 visits), then the household's problems and its history. */
static const struct tab tabs[] = {
	{ "家庭成员", "members", { "name", "relation", "idcard", "health", "status" },
	  { NULL, "关系", NULL, "健康", "状态" }, { 12, 10, 20, 12, 8 } },
	{ "识别退出", "procedure_steps", { "procedure", "step", "on_date", "outcome", "signer" },
	  { NULL }, { 14, 24, 12, 8, 10 } },
	{ "四个清单", "four_lists", { "list", "item", "responsible", "due_date", NULL },
	  { NULL, NULL, NULL, "时限" }, { 10, 36, 10, 12, 0 } },
	{ "医疗", "family_doctor", { "signed_on", "doctor", "valid_until", NULL, NULL },
	  { NULL }, { 12, 16, 12, 0, 0 } },
	{ "慢病", "chronic_illness", { "member_id", "disease", "card_no", "since", NULL },
	  { NULL }, { 10, 26, 20, 12, 0 } },
	{ "报销", "medical_reimbursements", { "member_id", "on_date", "policy", "total_cents", "reimbursed_cents" },
	  { NULL, "日期", NULL, "总费用（元）", "报销（元）" }, { 10, 12, 20, 14, 12 } },
	{ "就学", "schooling", { "member_id", "stage", "state", "dropout_reason", "as_of" },
	  { NULL, NULL, "状态" }, { 10, 10, 8, 20, 12 } },
	{ "雨露计划", "yulu_subsidies", { "member_id", "year", "amount_cents", "paid_on", NULL },
	  { NULL, NULL, "补助（元）" }, { 10, 8, 12, 12, 0 } },
	{ "住房", "housing", { "rating", "renovation", "assessed_on", "renovated_on", "drinking_water" },
	  { "等级", "改造", NULL, "完成日期", "饮水" }, { 18, 12, 12, 12, 12 } },
	{ "产业", "industry", { "year", "kind", "description", "subsidy_cents", NULL },
	  { NULL, NULL, NULL, "奖补（元）" }, { 8, 14, 36, 12, 0 } },
	{ "就业", "employment", { "member_id", "kind", "employer", "start_on", "monthly_income_cents" },
	  { NULL, NULL, "单位或地点", "开始", "月收入（元）" }, { 10, 12, 24, 12, 12 } },
	{ "信贷", "loans", { "bank", "amount_cents", "issued_on", "due_on", "state" },
	  { "银行", "金额（元）", "放款", "到期", "状态" }, { 14, 12, 12, 12, 8 } },
	{ "保险", "insurance", { "year", "kind", "insurer", "premium_cents", NULL },
	  { NULL, NULL, NULL, "保费（元）" }, { 8, 20, 28, 12, 0 } },
	{ "保障", "social_security", { "kind", "member_id", "start_on", "monthly_cents", NULL },
	  { "类型", NULL, "开始", "月额（元）" }, { 12, 10, 12, 12, 0 } },
	{ "走访", "visits", { "visited_on", "cadre_id", "notes", NULL, NULL },
	  { "日期" }, { 12, 12, 48, 0, 0 } },
	{ "问题", NULL, { NULL }, { "状态", "期限", "问题", NULL, NULL }, { 10, 12, 50, 0, 0 } },
	{ "成员变动", "member_changes", { "on_date", "kind", "member_id", "note", NULL },
	  { "日期" }, { 12, 10, 10, 40, 0 } },
	{ "历史", "household_status_history", { "on_date", "status", "reason", NULL, NULL },
	  { NULL, "状态" }, { 12, 12, 40, 0, 0 } },
};
#define NTABS (sizeof tabs / sizeof tabs[0])

struct household {
	struct tui_page page; /* the household, and whether read-only */
	char header[512];
	size_t tab;
	struct browse_row *rows;
	size_t n, pick, top;
	int visible; /* the table's rows shown when last drawn (under the tabs' lines): its page */
};

static size_t ncolumns(const struct tab *tb)
{
	size_t n = 0;
	while (n < 5 && (tb->columns[n] || tb->headers[n]))
		n++;
	return n;
}

/* The headers of tb's n columns, each as the tab names it or its field's
 * label (the column's own name should the model not know it). */
static void column_headers(const struct tab *tb, size_t n, const char **headers)
{
	for (size_t c = 0; c < n; c++) {
		const struct field_def *f = tb->table ? model_field(model_table(tb->table), tb->columns[c]) : NULL;
		headers[c] = tb->headers[c] ? tb->headers[c] : f ? f->label : tb->columns[c];
	}
}

/* The header: the household as the list shows it ("" when it cannot be read). */
static void load_header(struct tui *t, struct household *h)
{
	struct tz_error err;
	h->header[0] = '\0';
	struct record r;
	if (record_load(t->s, model_table("households"), h->page.id, &r, &err) == TZ_OK) {
		char group[80] = "";
		const char *gid = record_get(&r, "group_id");
		if (gid)
			browse_ref_label(t->s, "villager_groups", gid, group, sizeof group, &err);
		const char *income = record_get(&r, "income_cents");
		struct browse_row *heads;
		size_t nh;
		char head[160] = "（未登记户主）";
		if (browse_ref_choices(t->s, "members", h->page.id, &heads, &nh, &err) == TZ_OK) {
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
}

/* The problems of household_id as the 问题 tab's rows (state, deadline, title),
 * as a list function gives them: *rows and *n emptied first, left empty on
 * failure. */
static int problem_rows(struct tui *t, const char *household_id, struct browse_row **rows,
			size_t *n, struct tz_error *err)
{
	*rows = NULL;
	*n = 0;
	struct problem_filter f = { .household_id = household_id };
	struct problem_list l;
	int rc = problem_list(t->s, &f, &l, err);
	if (rc != TZ_OK)
		return rc;
	*rows = xcalloc(l.n, sizeof **rows);
	for (size_t i = 0; i < l.n; i++) {
		struct browse_row *r = &(*rows)[i];
		snprintf(r->id, sizeof r->id, "%s", l.items[i].id);
		r->cells[0] = xstrdup(l.items[i].state_label ? l.items[i].state_label : "");
		r->cells[1] = xstrdup(l.items[i].deadline ? l.items[i].deadline : "");
		r->cells[2] = xstrdup(l.items[i].title ? l.items[i].title : "");
	}
	*n = l.n;
	problem_list_free(&l);
	return TZ_OK;
}

static void load(struct tui *t, void *st)
{
	struct household *h = st;
	struct tz_error err;
	load_header(t, h);
	const struct tab *tb = &tabs[h->tab];
	browse_rows_free(h->rows, h->n);
	tui_say_failure(t,
			tb->table != NULL ? browse_children(t->s, model_table(tb->table), h->page.id,
							    tb->columns, ncolumns(tb), &h->rows, &h->n, &err)
					  : problem_rows(t, h->page.id, &h->rows, &h->n, &err),
			&err);
	tui_select_saved(t, h->rows, h->n, &h->pick);
	tui_list_clamp(&h->pick, h->n);
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
		tui_put_attr(y, x, label, w, i == h->tab ? tui_attr_select(t) : 0);
		x += w + 1;
	}
	y += 2;
	const struct tab *tb = &tabs[h->tab];
	const char *headers[5];
	column_headers(tb, ncolumns(tb), headers);
	const char *empty = !tb->table ? "（这一户没有问题）" : h->page.view ? "（没有记录）" : "（没有记录，按 F3 新增）";
	h->visible = tui_draw_table(t, y, headers, tb->widths, ncolumns(tb), h->rows, h->n, h->pick,
				    &h->top, empty);
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
			tui_list_key(k, &h->pick, h->n, h->visible);
			return TUI_STAY;
		case KEY_F(3):
			if (h->page.view)
				tui_say(t, 0, "只读：这里只能查看，不能新增或修改");
			else if (tb->table != NULL && strcmp(tb->table, "household_status_history") != 0)
				screen_form_push(t, tb->table, NULL, "household_id", h->page.id);
			else
				tui_say(t, 0, tb->table ? "状态历史由程序在改户状态时自动记下，不用新增"
							: "新问题请在“问题台账”中按 F3 登记");
			return TUI_STAY;
		case KEY_F(5):
			if (h->page.view)
				tui_say(t, 0, "只读：这里只能查看，不能新增或修改");
			else
				screen_form_push(t, "households", h->page.id, NULL, NULL);
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
		if (tb->table == NULL)
			screen_problem_open(t, h->rows[h->pick].id,
					    h->page.view ? TUI_PAGE_VIEW : TUI_PAGE_EDIT);
		else if (h->page.view || strcmp(tb->table, "household_status_history") == 0)
			screen_form_view_push(t, tb->table, h->rows[h->pick].id);
		else
			screen_form_push(t, tb->table, h->rows[h->pick].id, NULL, NULL);
	}
	return TUI_STAY;
}

TUI_DESTROY_LIST(destroy, household, browse_rows_free, rows, n)

/* The key bar: F3 only on the tabs where it adds a row. */
static const char *keys_of(void *p)
{
	const struct tab *tb = &tabs[((struct household *)p)->tab];
	if (tb->table == NULL)
		return " F1 帮助  左右键/Tab 换页  Enter 打开问题  F5 修改本户信息  Esc 返回";
	if (strcmp(tb->table, "household_status_history") == 0)
		return " F1 帮助  左右键/Tab 换页  Enter 查看  F5 修改本户信息  Esc 返回";
	return " F1 帮助  左右键/Tab 换页  Enter 修改  F3 新增  F5 修改本户信息  Esc 返回";
}

/* The page editable and read-only: one screen, two faces. */
static const struct screen_ops faces[] = {
	[TUI_PAGE_EDIT] = TUI_SCREEN_OPS("住户",
		" F1 帮助  左右键/Tab 换页  Enter 修改  F3 新增  F5 修改本户信息  Esc 返回", household,
		.keys_of = keys_of, .draw = draw, .key = key, .resume = load, .destroy = destroy),
	[TUI_PAGE_VIEW] = TUI_SCREEN_OPS("住户（只读）",
		" F1 帮助  只读  左右键/Tab 换页  Enter 查看  Esc 返回", household_view,
		.draw = draw, .key = key, .resume = load, .destroy = destroy),
};

int screen_household_open(struct tui *t, const char *household_id, enum tui_page_mode how)
{
	return tui_page_open(t, faces, sizeof(struct household), load, household_id, how);
}
