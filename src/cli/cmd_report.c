/*
 * cmd_report.c — `taizhang report --out FILE [--village CODE] [--from D] [--to D]`:
 * the village's report for a period, or in a town store the township report
 * (every village side by side, the tasks, the lead units) or with --village
 * one village's report (src/report/, report.h), written as a spreadsheet, CSV
 * files or aligned text according to FILE's name.
 *
 * The store is opened as by every other command (so that a store from an older
 * version is brought up to date), but the report only reads it, in one read
 * transaction. The whole report is built before anything is written, and every
 * file is written beside its name and renamed into place, so a failure leaves
 * nothing half-written.
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/date.h"
#include "taizhang/division.h"
#include "taizhang/report.h"
#include "cli_help.h"

static const struct cli_option options[] = {
	{ "out", 0, "文件", "报表文件，类型由文件名决定（已有同名文件会被覆盖）：\n"
	  "  *.xlsx  Excel 工作簿，封面加每表一个工作表\n"
	  "  *.csv   CSV（带 BOM 的 UTF-8）：概况写入该文件，其余各表\n"
	  "          写入同目录的“文件名-表名.csv”\n"
	  "  *.txt   对齐的文字报表，适合打印\n"
	  "  -       文字报表输出到屏幕" },
	{ "from", 0, "日期", "统计起始日（默认截止日所在年的 1 月 1 日）" },
	{ "to", 0, "日期", "统计截止日（默认今天）" },
	{ "village", 0, "村代码", "镇台账中只生成这个村的报表（与该村自己生成的相同）" },
	{ NULL, 0, NULL, NULL },
};

/* Check a date option; its canonical text goes to out. */
static int parse_date_option(const char *option, const char *text, char out[DATE_NCHARS + 1])
{
	int32_t day;
	if (!date_parse_loose(text, &day))
		return cli_usage_error("report", "%s 的日期“%s”无效，请写成 2019-05-31", option, text);
	date_format(day, out);
	return TZ_OK;
}

/* What was written, for the officer. */
static void print_written(const struct report *r, const char *path)
{
	switch (report_format_of(path)) {
	case REPORT_FORMAT_XLSX:
		printf("已生成报表 %s：%s%s，%s 至 %s，%zu 个工作表。\n", path, r->village_name,
		       r->town ? "（全镇）" : "", r->from, r->to, r->nsections);
		break;
	case REPORT_FORMAT_CSV:
		printf("已生成报表 %s：%s%s，%s 至 %s，共 %zu 个 CSV 文件：\n", path, r->village_name,
		       r->town ? "（全镇）" : "", r->from, r->to, r->nsections);
		for (size_t i = 0; i < r->nsections; i++) {
			char name[4096];
			struct tz_error err;
			if (strcmp(r->sections[i].key, "summary") == 0)
				printf("  %s  %s\n", path, r->sections[i].title);
			else if (report_csv_path(path, r->sections[i].key, name, sizeof name, &err) ==
				 TZ_OK)
				printf("  %s  %s\n", name, r->sections[i].title);
		}
		break;
	case REPORT_FORMAT_TEXT:
		printf("已生成报表 %s：%s%s，%s 至 %s。\n", path, r->village_name,
		       r->town ? "（全镇）" : "", r->from, r->to);
		break;
	case REPORT_FORMAT_NONE:
		break;
	}
}

static int run(const struct cli_args *a)
{
	const char *out = cli_args_get(a, "out"), *from = cli_args_get(a, "from");
	const char *to = cli_args_get(a, "to"), *village = cli_args_get(a, "village");
	struct tz_error err;
	if (out == NULL)
		return cli_usage_error("report", "请用 --out 指定报表文件（.xlsx、.csv、.txt，或 - 输出到屏幕）");
	if (report_format_of(out) == REPORT_FORMAT_NONE)
		return cli_usage_error("report", "不认识报表文件“%s”的类型：文件名请以 .xlsx、.csv 或 .txt 结尾，或用 -",
				       out);
	char from_text[DATE_NCHARS + 1], to_text[DATE_NCHARS + 1];
	if (from != NULL && parse_date_option("--from", from, from_text) != TZ_OK)
		return TZ_EUSAGE;
	if (to != NULL && parse_date_option("--to", to, to_text) != TZ_OK)
		return TZ_EUSAGE;
	if (from != NULL && to != NULL && strcmp(from_text, to_text) > 0)
		return cli_usage_error("report", "--from %s 晚于 --to %s", from_text, to_text);
	if (village != NULL && !division_code_valid(village))
		return cli_usage_error("report", "--village 应为 12 位村代码，不能是“%s”", village);
	struct store *s;
	int rc = cli_open(a, 0, &s);
	if (rc != TZ_OK)
		return rc;
	struct report_options o = {
		.from = from ? from_text : NULL,
		.to = to ? to_text : NULL,
		.village = village,
	};
	struct report r;
	rc = report_build(s, &o, &r, &err);
	store_close(s);
	if (rc == TZ_OK)
		rc = report_write(&r, out, &err);
	if (rc == TZ_OK && strcmp(out, "-") != 0)
		print_written(&r, out);
	report_free(&r);
	return cli_status(a, rc, &err);
}

CLI_COMMAND(report, "生成整改报表（Excel、CSV 或文字）",
	    CLI_HELP_report, CLI_HELP_report_notes, options, CLI_STORE, 0, run);
