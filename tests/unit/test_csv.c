/*
 * test_csv.c — what the CSV reader (src/util/csv.c) reads, and what it refuses
 * with which line number.
 *
 * Each test feeds a buffer and compares the records it gets, field by field,
 * with the line each record starts on; refusals must carry "第 N 行" of the line
 * at fault, and a refused buffer yields no further records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/csv.h"
#include "unit.h"

/* Read all of text (nbytes) and render it as "line:f1|f2|...\n" per record; the
 * rendering is compared with what the test expects. Returns the status of the
 * first failing csv_next (TZ_OK if none); *msg gets its message. */
static int render(const char *text, size_t nbytes, char *out, size_t cap, char *sep,
		  char msg[TZ_ERROR_NBYTES])
{
	struct csv_reader r;
	struct tz_error err = { 0 };
	assert_int_equal(csv_open(&r, text, nbytes, &err), TZ_OK);
	if (sep != NULL)
		*sep = csv_separator(&r);
	size_t used = 0;
	out[0] = '\0';
	int rc = TZ_OK, more;
	struct csv_record rec;
	while ((rc = csv_next(&r, &rec, &more, &err)) == TZ_OK && more) {
		used += (size_t)snprintf(out + used, cap - used, "%zu:", rec.line);
		for (size_t i = 0; i < rec.nfields; i++)
			used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "|" : "",
						 rec.fields[i]);
		used += (size_t)snprintf(out + used, cap - used, "\n");
		assert_true(used < cap);
	}
	if (rc != TZ_OK) {
		/* After a refusal the reader says there is nothing more. */
		assert_int_equal(csv_next(&r, &rec, &more, &err), TZ_OK);
		assert_int_equal(more, 0);
	}
	csv_close(&r);
	if (msg != NULL)
		snprintf(msg, TZ_ERROR_NBYTES, "%s", rc == TZ_OK ? "" : err.msg);
	return rc;
}

static void assert_reads(const char *text, const char *expected)
{
	char out[4096], msg[TZ_ERROR_NBYTES];
	int rc = render(text, strlen(text), out, sizeof out, NULL, msg);
	if (rc != TZ_OK)
		fail_msg("refused: %s", msg);
	assert_string_equal(out, expected);
}

/* A text of the table-driven tests (TEXT gives its bytes and their count,
 * NUL bytes included) with what is expected of it: the records read or the
 * line a refusal names (NULL: not checked), the reason a refusal gives (NULL:
 * none checked), and the separator chosen. */
struct csv_case {
	const char *text;
	size_t nbytes;
	const char *expect, *why;
	char sep;
};
#define TEXT(s) s, sizeof s - 1

static void assert_refused(const char *text, size_t nbytes, const char *fragment)
{
	char out[4096], msg[TZ_ERROR_NBYTES];
	int rc = render(text, nbytes, out, sizeof out, NULL, msg);
	if (rc != TZ_EFAIL)
		fail_msg("not refused; read:\n%s", out);
	if (strstr(msg, fragment) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", msg, fragment);
}

UNIT_TEST(simple_records_are_read_with_their_line_numbers, NULL, NULL)
{
	assert_reads("姓名,身份证号\n张三,341522199001011234\n李四,x\n",
		     "1:姓名|身份证号\n2:张三|341522199001011234\n3:李四|x\n");
}

UNIT_TEST(crlf_lf_and_cr_line_ends_are_all_line_ends, NULL, NULL)
{
	assert_reads("a,b\r\nc,d\r\ne,f\r\n", "1:a|b\n2:c|d\n3:e|f\n");
	assert_reads("a,b\rc,d\re,f", "1:a|b\n2:c|d\n3:e|f\n");
	assert_reads("a\r\nb\nc\rd", "1:a\n2:b\n3:c\n4:d\n");
}

UNIT_TEST(a_last_record_without_a_line_end_is_read, NULL, NULL)
{
	assert_reads("a,b\nc,d", "1:a|b\n2:c|d\n");
	assert_reads("a,b\nc,d\n", "1:a|b\n2:c|d\n");
	assert_reads("", "");
}

UNIT_TEST(empty_lines_are_skipped_but_counted, NULL, NULL)
{
	assert_reads("\n\na,b\n\r\n\nc,d\n\n", "3:a|b\n6:c|d\n");
}

UNIT_TEST(empty_fields_and_a_trailing_separator_are_fields, NULL, NULL)
{
	assert_reads(",a,,b,\n", "1:|a||b|\n");
	assert_reads(",,\n", "1:||\n");
}

UNIT_TEST(quoted_fields_hold_commas_quotes_and_line_ends, NULL, NULL)
{
	assert_reads("\"安徽省,霍邱县\",\"他说\"\"好\"\"\",\"\"\n",
		     "1:安徽省,霍邱县|他说\"好\"|\n");
	/* A quoted line end belongs to the field; the record is reported where it
	 * starts and the next record's line counts the embedded lines. */
	assert_reads("a,\"第一行\n第二行\r\n第三行\",b\nc,d\n",
		     "1:a|第一行\n第二行\r\n第三行|b\n4:c|d\n");
	assert_reads("\"x\"", "1:x\n");
	assert_reads("\"x\"\r\n\"y\",\"z\"", "1:x\n2:y|z\n");
}

/* Bad quoting and NUL bytes: each text is refused, the message naming the line
 * and, where given, what is wrong. */
UNIT_TEST(bad_quotes_and_nul_bytes_are_refused_at_their_line, NULL, NULL)
{
	static const struct csv_case cases[] = {
		/* an unterminated quote, at the line it opens */
		{ TEXT("a,b\nc,\"d\ne,f\ng,h\n"), "第 2 行：", "结束引号", 0 },
		/* a stray quote inside an unquoted field */
		{ TEXT("a,b\r\nc,d\r\ne,f\"g\r\n"), "第 3 行：", "引号", 0 },
		/* text after a closing quote */
		{ TEXT("a\n\"b\"c,d\n"), "第 2 行：引号（\"）结束后", NULL, 0 },
		/* a NUL byte, unquoted and quoted */
		{ TEXT("a,b\nc,d\ne,f\0g\n"), "第 3 行：", "空字符", 0 },
		{ TEXT("a\n\n\"x\0\"\n"), "第 3 行：", NULL, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_refused(cases[i].text, cases[i].nbytes, cases[i].expect);
		if (cases[i].why != NULL)
			assert_refused(cases[i].text, cases[i].nbytes, cases[i].why);
	}
}

UNIT_TEST(two_hundred_fields_are_read_and_201_refused, NULL, NULL)
{
	char text[1024];
	size_t n = 0;
	n += (size_t)snprintf(text + n, sizeof text - n, "h\n");
	for (int i = 0; i < CSV_MAX_FIELDS - 1; i++)
		text[n++] = ',';
	text[n++] = '\n';
	text[n] = '\0';
	char out[4096], msg[TZ_ERROR_NBYTES];
	assert_int_equal(render(text, n, out, sizeof out, NULL, msg), TZ_OK);
	text[n - 1] = ',';
	text[n++] = '\n';
	text[n] = '\0';
	assert_refused(text, n, "第 2 行：这一行超过 200 列");
}

UNIT_TEST(a_field_of_64_kib_is_read_and_one_byte_more_refused, NULL, NULL)
{
	size_t n = CSV_MAX_FIELD_NBYTES;
	char *text = malloc(n + 16);
	assert_non_null(text);
	memcpy(text, "a\nb,\"", 5);
	memset(text + 5, 'x', n);
	memcpy(text + 5 + n, "\"\n", 2);
	struct csv_reader r;
	struct csv_record rec;
	struct tz_error err = { 0 };
	int more;
	assert_int_equal(csv_open(&r, text, n + 7, &err), TZ_OK);
	assert_int_equal(csv_next(&r, &rec, &more, &err), TZ_OK);
	assert_int_equal(csv_next(&r, &rec, &more, &err), TZ_OK);
	assert_int_equal(more, 1);
	assert_int_equal(strlen(rec.fields[1]), n);
	csv_close(&r);

	/* One more byte, unquoted this time. */
	memcpy(text, "a\nb,", 4);
	memset(text + 4, 'x', n + 1);
	text[4 + n + 1] = '\n';
	assert_refused(text, n + 6, "第 2 行：有一格内容超过 64 KB");
	free(text);
}

UNIT_TEST(a_buffer_over_100_mib_is_refused_before_reading, NULL, NULL)
{
	/* The size alone decides: the bytes are never looked at. */
	static const char text[] = "a,b\n";
	struct csv_reader r;
	struct tz_error err = { 0 };
	assert_int_equal(csv_open(&r, text, CSV_MAX_FILE_NBYTES + 1, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "文件太大"));
	int more = 1;
	struct csv_record rec;
	assert_int_equal(csv_next(&r, &rec, &more, &err), TZ_OK);
	assert_int_equal(more, 0);
	csv_close(&r);
	assert_int_equal(csv_open(&r, text, CSV_MAX_FILE_NBYTES, &err), TZ_OK);
	csv_close(&r);
}

UNIT_TEST(tabs_separate_when_the_header_has_tabs_and_no_commas, NULL, NULL)
{
	static const struct csv_case cases[] = {
		{ TEXT("\n姓名\t身份证号\t地址\n张三\t1\t\"东街,3号\"\n"),
		  "2:姓名|身份证号|地址\n3:张三|1|东街,3号\n", NULL, '\t' },
		/* A header with both: commas win, and the tab is part of a field. */
		{ TEXT("姓名,身份\t证号\na,b\tc\n"), "1:姓名|身份\t证号\n2:a|b\tc\n", NULL, ',' },
		/* A title row with neither does not decide; the header under it does. */
		{ TEXT("低保名册\n姓名\t身份证号\na\tb\n"),
		  "1:低保名册\n2:姓名|身份证号\n3:a|b\n", NULL, '\t' },
		/* A one-column file has neither anywhere: commas. */
		{ TEXT("姓名\n张三\n"), NULL, NULL, ',' },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[1024], sep;
		assert_int_equal(render(cases[i].text, cases[i].nbytes, out, sizeof out, &sep, NULL), TZ_OK);
		assert_int_equal(sep, cases[i].sep);
		if (cases[i].expect != NULL)
			assert_string_equal(out, cases[i].expect);
	}
}

UNIT_TEST(line_of_counts_crlf_as_one_line_end, NULL, NULL)
{
	const char text[] = "a\r\nb\nc\rd";
	assert_int_equal(csv_line_of(text, 8, 0), 1);
	assert_int_equal(csv_line_of(text, 8, 2), 1);
	assert_int_equal(csv_line_of(text, 8, 3), 2);
	assert_int_equal(csv_line_of(text, 8, 5), 3);
	assert_int_equal(csv_line_of(text, 8, 7), 4);
}

/* What csv_write_text writes for text, with flags, as a NUL-terminated string. */
static char *written(const char *text, unsigned flags)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	csv_write_text(out, text, flags);
	fclose(out);
	return buf;
}

UNIT_TEST(written_fields_are_quoted_only_when_needed_and_formulas_are_defused, NULL, NULL)
{
	struct {
		const char *text;
		unsigned flags;
		const char *want;
	} cases[] = {
		{ "张三", 0, "张三" },
		{ "a,b", 0, "\"a,b\"" },
		{ "say \"hi\"", 0, "\"say \"\"hi\"\"\"" },
		{ "two\nlines", 0, "\"two\nlines\"" },
		{ "=HYPERLINK(\"x\")", 0, "\"=HYPERLINK(\"\"x\"\")\"" },
		{ "=HYPERLINK(\"x\")", CSV_FOR_SPREADSHEET, "\"'=HYPERLINK(\"\"x\"\")\"" },
		{ "+1", CSV_FOR_SPREADSHEET, "+1" },
		{ "-1.5", CSV_FOR_SPREADSHEET, "-1.5" },
		{ "-12%", CSV_FOR_SPREADSHEET, "-12%" },
		{ "-1+cmd|' /C calc'!A0", CSV_FOR_SPREADSHEET, "'-1+cmd|' /C calc'!A0" },
		{ "+", CSV_FOR_SPREADSHEET, "'+" },
		{ "@SUM(A1)", CSV_FOR_SPREADSHEET, "'@SUM(A1)" },
		{ "1234.50", CSV_FOR_SPREADSHEET, "1234.50" },
		{ "", CSV_FOR_SPREADSHEET, "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = written(cases[i].text, cases[i].flags);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
	char *none = written(NULL, 0);
	assert_string_equal(none, "");
	free(none);
}

int main(void)
{
	return unit_run("csv", NULL, NULL);
}
