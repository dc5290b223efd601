/*
 * cmd_compare.c — `taizhang compare dibao [--csv] [--all]`: the registered
 * households against the civil-affairs 低保 roster (task 11), matched by the ID
 * number of any member (src/roster/roster_compare.c, roster_compare_dibao).
 *
 * The text report lists the registered households with no member on the roster,
 * the 低保 households with nobody registered, the households whose ledger
 * records 低保 but who are not on the roster, and those on the roster whose
 * ledger does not record it, each with its 户主's name and ID number and how
 * many people it has (a 低保 household: its 保障人数), after the summary
 * counts and, at a town, a line per village (each compared with its own
 * roster); --all adds the households found on both sides and the person they
 * were matched by. --csv
 * writes the same rows as CSV (UTF-8 with a BOM, so that Excel opens it
 * directly) with a category column. Comparison subcommands are table entries;
 * only `dibao` exists so far.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/csv.h"
#include "taizhang/roster.h"
#include "taizhang/utf8.h"
#include "cli_help.h"

static const struct cli_option options[] = {
	{ "dispatch", 0, NULL, "（镇扶贫办）把比对结果派单给各村，须同时给出：" },
	{ "deadline", 0, "日期", "整改期限" },
	{ "person", 0, "姓名", "责任人" },
	{ "unit", 0, "单位", "责任单位（如 民政办）" },
	{ "csv", 0, NULL, "以 CSV（带 BOM 的 UTF-8，Excel 可直接打开）输出" },
	{ "all", 0, NULL, "也列出两边都有的户及比对上的成员" },
	{ NULL, 0, NULL, NULL },
};

#define CAT_REGISTERED_ONLY "建档立卡户未享受低保"
#define CAT_DIBAO_ONLY "低保户未建档立卡"
#define CAT_BOTH "两边都有"
#define CAT_LEDGER_ONLY "台账登记享受低保但不在低保名册"
#define CAT_NOT_IN_LEDGER "在低保名册但台账未登记低保"

/* ---- text ---- */

/* One line of a table, built cell by cell and printed without trailing spaces. */
struct line {
	char text[1024];
	size_t nbytes;
};

static void put_cell(struct line *l, const char *text, size_t ncols)
{
	char buf[256];
	utf8_pad(buf, sizeof buf, text ? text : "", ncols);
	size_t n = strlen(buf);
	if (l->nbytes + n + 3 > sizeof l->text)
		return;
	memcpy(l->text + l->nbytes, buf, n);
	memcpy(l->text + l->nbytes + n, "  ", 2);
	l->nbytes += n + 2;
}

static void end_line(struct line *l)
{
	while (l->nbytes > 0 && l->text[l->nbytes - 1] == ' ')
		l->nbytes--;
	printf("  %.*s\n", (int)l->nbytes, l->text);
	l->nbytes = 0;
}

static void put_list(const char *title, const struct roster_household_list *list,
		     int registered, int matched)
{
	printf("\n%s（%zu 户）\n", title, list->n);
	if (list->n == 0) {
		printf("  （无）\n");
		return;
	}
	struct line l = { .nbytes = 0 };
	put_cell(&l, registered ? "村民小组" : "所在村", 12);
	put_cell(&l, "户主", 10);
	put_cell(&l, "户主身份证号", 18);
	if (registered)
		put_cell(&l, "户状态", 10);
	put_cell(&l, registered ? "在户人数" : "名册人数", 8);
	if (matched)
		put_cell(&l, "比对上的成员", 30);
	end_line(&l);
	for (size_t i = 0; i < list->n; i++) {
		const struct roster_household *h = &list->items[i];
		char n[24], who[160];
		snprintf(n, sizeof n, "%zu", h->nmembers);
		put_cell(&l, h->place[0] ? h->place : "—", 12);
		put_cell(&l, h->head_name, 10);
		put_cell(&l, h->head_idcard, 18);
		if (registered)
			put_cell(&l, h->status, 10);
		put_cell(&l, n, 8);
		if (matched) {
			snprintf(who, sizeof who, "%s %s", h->matched_name, h->matched_idcard);
			put_cell(&l, who, 30);
		}
		end_line(&l);
	}
}

/* At a town: each village, where its roster came from, and its figures. */
static void put_villages(const struct roster_comparison *c)
{
	if (c->nvillages == 0)
		return;
	printf("\n各村比对（每村与本村的低保名册比对）\n");
	struct line l = { .nbytes = 0 };
	static const char *const head[] = { "村", "低保名册", "建档立卡户", "低保户", "保障人数",
					    "未享受低保", "未建档立卡", "台账低保不在名册" };
	static const size_t width[] = { 10, 24, 10, 8, 8, 10, 10, 16 };
	for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
		put_cell(&l, head[k], width[k]);
	end_line(&l);
	for (size_t i = 0; i < c->nvillages; i++) {
		const struct roster_village_comparison *v = &c->villages[i];
		char src[160], n[6][24];
		if (v->file_name == NULL)
			snprintf(src, sizeof src, "（没有低保名册）");
		else
			snprintf(src, sizeof src, "%s%s", v->county ? "县名册：" : "", v->file_name);
		size_t figures[6] = { v->registered, v->dibao, v->dibao_persons, v->registered_only,
				      v->dibao_only, v->ledger_not_on_roster };
		put_cell(&l, v->name, width[0]);
		put_cell(&l, src, width[1]);
		for (size_t k = 0; k < 6; k++) {
			if (v->file_name == NULL)
				snprintf(n[k], sizeof n[k], "—");
			else
				snprintf(n[k], sizeof n[k], "%zu", figures[k]);
			put_cell(&l, n[k], width[k + 2]);
		}
		end_line(&l);
	}
	if (c->unassigned > 0)
		printf("  镇扶贫办导入的县名册中，有 %zu 户没有分到本镇的村（所在村不是本镇的村，或没有写）。\n",
		       c->unassigned);
}

static void print_text(const struct roster_comparison *c, int all)
{
	printf("建档立卡户与低保名册比对（低保名册：%s，导入于 %s）\n", c->file_name, c->imported_at);
	printf("建档立卡户 %zu 户：有成员在低保名册中 %zu 户，没有 %zu 户。\n", c->registered,
	       c->registered_matched.n, c->registered_only.n);
	printf("低保户 %zu 户：有成员已建档立卡 %zu 户，没有 %zu 户。\n", c->dibao,
	       c->dibao_matched.n, c->dibao_only.n);
	printf("低保名册保障人数 %zu 人。\n", c->dibao_persons);
	printf("台账登记享受低保 %zu 户：不在低保名册 %zu 户；在低保名册但台账未登记低保 %zu 户。\n",
	       c->ledger_dibao, c->ledger_not_on_roster.n, c->roster_not_in_ledger.n);
	put_villages(c);
	put_list("一、" CAT_REGISTERED_ONLY, &c->registered_only, 1, 0);
	put_list("二、" CAT_DIBAO_ONLY, &c->dibao_only, 0, 0);
	put_list("三、" CAT_LEDGER_ONLY, &c->ledger_not_on_roster, 1, 0);
	put_list("四、" CAT_NOT_IN_LEDGER, &c->roster_not_in_ledger, 1, 1);
	if (all) {
		put_list("五、" CAT_BOTH "（按建档立卡户）", &c->registered_matched, 1, 1);
		put_list("六、" CAT_BOTH "（按低保户）", &c->dibao_matched, 0, 1);
	}
}

/* ---- CSV ---- */

static void put_csv_rows(const char *category, const struct roster_household_list *l,
			 int registered)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct roster_household *h = &l->items[i];
		char n[24];
		snprintf(n, sizeof n, "%zu", h->nmembers);
		const char *cells[] = { category,
					registered ? "建档立卡" : "低保名册",
					h->place,
					h->head_name,
					h->head_idcard,
					registered ? h->status : "",
					n,
					h->matched_name,
					h->matched_idcard };
		for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
			if (k > 0)
				putchar(',');
			csv_write_text(stdout, cells[k], CSV_FOR_SPREADSHEET);
		}
		putchar('\n');
	}
}

static void print_csv(const struct roster_comparison *c, int all)
{
	cli_out_csv_bom();
	fputs("类别,来源,村民小组或所在村,户主姓名,户主身份证号,户状态,人数,比对上的成员,"
	      "比对上的身份证号\n",
	      stdout);
	put_csv_rows(CAT_REGISTERED_ONLY, &c->registered_only, 1);
	put_csv_rows(CAT_DIBAO_ONLY, &c->dibao_only, 0);
	put_csv_rows(CAT_LEDGER_ONLY, &c->ledger_not_on_roster, 1);
	put_csv_rows(CAT_NOT_IN_LEDGER, &c->roster_not_in_ledger, 1);
	if (all) {
		put_csv_rows(CAT_BOTH, &c->registered_matched, 1);
		put_csv_rows(CAT_BOTH, &c->dibao_matched, 0);
	}
}

/* ---- the command ---- */

static int compare_dibao(const struct cli_common *cc, int csv, int all)
{
	struct tz_error err = { 0 };
	struct store *s;
	if (cli_open_store(cc, 0, &s, &err) != TZ_OK)
		return cli_fail(&err);
	struct roster_comparison c;
	int rc = roster_compare_dibao(s, &c, &err);
	store_close(s);
	if (rc != TZ_OK)
		return cli_fail(&err);
	if (csv)
		print_csv(&c, all);
	else
		print_text(&c, all);
	roster_comparison_free(&c);
	if (fflush(stdout) != 0) {
		tz_error_set(&err, TZ_EFAIL, "写出比对结果失败");
		return cli_fail(&err);
	}
	return TZ_OK;
}

static int dispatch_dibao(const struct cli_common *cc, const struct dibao_dispatch_options *o)
{
	struct tz_error err = { 0 };
	struct store *s;
	if (cli_open_store(cc, 0, &s, &err) != TZ_OK)
		return cli_fail(&err);
	struct dibao_dispatch_result r;
	int rc = dibao_dispatch(s, o, &r, &err);
	store_close(s);
	if (rc == TZ_EUSAGE)
		return cli_usage_error("compare", "%s", err.msg);
	printf("低保比对派单：%zu 个村有不一致，新派单 %zu 条，已有未销号问题的 %zu 处未重复派单。\n",
	       r.villages, r.dispatched, r.already);
	if (rc != TZ_OK)
		return cli_fail(&err);
	if (r.dispatched > 0)
		printf("下一次 taizhang bundle export 时发到各村。\n");
	return TZ_OK;
}

static const struct {
	const char *what;
	int (*run)(const struct cli_common *c, int csv, int all);
} comparisons[] = {
	{ "dibao", compare_dibao },
};

static int run(const struct cli_args *a)
{
	struct cli_common c;
	struct dibao_dispatch_options d = {
		.deadline = cli_args_get(a, "deadline"),
		.person = cli_args_get(a, "person"),
		.unit = cli_args_get(a, "unit"),
	};
	int csv = cli_args_has(a, "csv"), all = cli_args_has(a, "all");
	int dispatch = cli_args_has(a, "dispatch");
	if (a->argc == 0)
		return cli_usage_error("compare", "请说明比对什么：taizhang compare dibao");
	size_t i;
	for (i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++)
		if (strcmp(a->argv[0], comparisons[i].what) == 0)
			break;
	if (i == sizeof comparisons / sizeof comparisons[0])
		return cli_usage_error("compare", "不能比对“%s”；目前只能比对 dibao（低保名册）",
				       a->argv[0]);
	int rc = cli_store_choose(a, &c);
	if (rc != TZ_OK)
		return rc;
	if (!dispatch && (d.deadline || d.person || d.unit))
		return cli_usage_error("compare", "--deadline、--person、--unit 只与 --dispatch 一起用");
	if (dispatch) {
		if (csv || all)
			return cli_usage_error("compare", "--dispatch 不与 --csv、--all 一起用");
		if (!d.deadline || !d.person || !d.unit)
			return cli_usage_error("compare", "--dispatch 须同时给出 --deadline、--person 和 --unit");
		return dispatch_dibao(&c, &d);
	}
	return comparisons[i].run(&c, csv, all);
}

CLI_COMMAND(compare, "比对建档立卡与低保名册",
	    CLI_HELP_compare, NULL, options, CLI_STORE, 1, run);
