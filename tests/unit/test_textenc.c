/*
 * test_textenc.c — encoding detection and conversion, and the folding of
 * full-width characters (src/util/textenc.c).
 *
 * GB18030 fixtures are made from UTF-8 text with iconv(3) (fixture_gb18030), so the test
 * shows that a file Excel saved as "CSV（逗号分隔）" on a Chinese Windows comes
 * back as the same text.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/textenc.h"

#include "fixture.h"
#include "unit.h"

static const char roster_utf8[] =
	"户编号,姓名,身份证号,地址\r\n"
	"0001,张三,341522199001011234,霍邱县城关镇“东街”3号\r\n"
	"0002,李四,11010519491231002X,冯瓴乡\r\n";

static void assert_converts(const char *data, size_t nbytes, const char *expected,
			    const char *encoding)
{
	char *out = NULL;
	size_t out_nbytes = 0;
	const char *enc = NULL;
	struct tz_error err = { 0 };
	int rc = textenc_to_utf8(data, nbytes, &out, &out_nbytes, &enc, &err);
	if (rc != TZ_OK)
		fail_msg("refused: %s", err.msg);
	assert_string_equal(enc, encoding);
	assert_int_equal(out_nbytes, strlen(expected));
	assert_memory_equal(out, expected, out_nbytes);
	assert_int_equal(out[out_nbytes], '\0');
	free(out);
}

/* data is refused and the message contains each fragment (NULL-terminated). */
static void assert_refused(const char *data, size_t nbytes, ...)
{
	char *out = (char *)1;
	size_t out_nbytes = 0;
	const char *enc = NULL;
	struct tz_error err = { 0 };
	assert_int_equal(textenc_to_utf8(data, nbytes, &out, &out_nbytes, &enc, &err), TZ_EFAIL);
	assert_null(out);
	va_list ap;
	va_start(ap, nbytes);
	const char *fragment;
	while ((fragment = va_arg(ap, const char *)) != NULL)
		if (strstr(err.msg, fragment) == NULL)
			fail_msg("message \"%s\" lacks \"%s\"", err.msg, fragment);
	va_end(ap);
}

UNIT_TEST(utf8_without_bom_is_kept_as_it_is, NULL, NULL)
{
	assert_converts(roster_utf8, strlen(roster_utf8), roster_utf8, "UTF-8");
	assert_converts("a,b\n", 4, "a,b\n", "UTF-8");
	assert_converts("", 0, "", "UTF-8");
}

UNIT_TEST(utf8_bom_is_stripped_and_named, NULL, NULL)
{
	char buf[512];
	memcpy(buf, "\xEF\xBB\xBF", 3);
	memcpy(buf + 3, roster_utf8, strlen(roster_utf8));
	assert_converts(buf, 3 + strlen(roster_utf8), roster_utf8, "UTF-8（带 BOM）");
	assert_converts("\xEF\xBB\xBF", 3, "", "UTF-8（带 BOM）");
}

UNIT_TEST(gb18030_is_converted_to_the_same_text, NULL, NULL)
{
	size_t n;
	char *gb = fixture_gb18030(roster_utf8, &n);
	assert_true(n < strlen(roster_utf8)); /* 2 bytes a character, not 3 */
	assert_converts(gb, n, roster_utf8, "GB18030");
	free(gb);
	/* Characters outside GBK, in GB18030's four-byte range, convert too. */
	gb = fixture_gb18030("姓名\n𠀀,€,·\n", &n);
	assert_converts(gb, n, "姓名\n𠀀,€,·\n", "GB18030");
	free(gb);
}

UNIT_TEST(utf16_with_either_bom_is_refused_saying_how_to_save, NULL, NULL)
{
	assert_refused("\xFF\xFE" "a\0,\0b\0", 8, "UTF-16", "CSV UTF-8", "CSV（逗号分隔）", NULL);
	assert_refused("\xFE\xFF\0a\0,\0b", 8, "UTF-16", "另存为", NULL);
	/* Without a BOM, the zero bytes give it away. */
	assert_refused("a\0,\0b\0", 6, "UTF-16", NULL);
}

UNIT_TEST(bytes_neither_utf8_nor_gb18030_are_refused_with_offset_and_line, NULL, NULL)
{
	size_t n;
	char *gb = fixture_gb18030("姓名,地址\r\n张三,东街\r\n李四,", &n);
	char *bad = malloc(n + 8);
	assert_non_null(bad);
	memcpy(bad, gb, n);
	/* 0xFF is never part of a GB18030 character. */
	bad[n] = '\xFF';
	bad[n + 1] = '\n';
	char where[64];
	snprintf(where, sizeof where, "第 3 行（文件第 %zu 字节）", n);
	assert_refused(bad, n + 2, where, "0xFF", NULL);
	/* A lead byte cut off by the end of the file. */
	bad[n] = '\x81';
	snprintf(where, sizeof where, "第 3 行（文件第 %zu 字节）", n);
	assert_refused(bad, n + 1, where, "不完整", NULL);
	free(bad);
	free(gb);
}

UNIT_TEST(a_bom_followed_by_bad_utf8_is_refused_with_its_line, NULL, NULL)
{
	const char data[] = "\xEF\xBB\xBF" "a\nb\n\xC0\xAF\n";
	assert_refused(data, sizeof data - 1, "第 3 行（文件第 7 字节）", "UTF-8", NULL);
}

UNIT_TEST(nul_bytes_pass_through_for_the_csv_reader_to_report, NULL, NULL)
{
	const char data[] = "abc,d\ne\0f\n";
	char *out;
	size_t out_nbytes;
	const char *enc;
	struct tz_error err = { 0 };
	assert_int_equal(textenc_to_utf8(data, sizeof data - 1, &out, &out_nbytes, &enc, &err),
			 TZ_OK);
	assert_int_equal(out_nbytes, sizeof data - 1);
	assert_memory_equal(out, data, out_nbytes);
	free(out);
}

UNIT_TEST(full_width_digits_letters_and_spaces_fold_to_ascii, NULL, NULL)
{
	char id[] = "３４１５２２１９４９１２３１００２Ｘ";
	assert_string_equal(textenc_fold_ascii(id), "34152219491231002X");
	char phone[] = "\xE3\x80\x80" "１３９－１２３４ ５６７８\xC2\xA0 ";
	assert_string_equal(textenc_fold_ascii(phone), "139-1234 5678");
	char money[] = "１，２３４．５０";
	assert_string_equal(textenc_fold_ascii(money), "1,234.50");
	/* Chinese text and half-width text are left alone. */
	char name[] = "张三ｘ（ａ）";
	assert_string_equal(textenc_fold_ascii(name), "张三x(a)");
	char plain[] = "abc 123";
	assert_string_equal(textenc_fold_ascii(plain), "abc 123");
	char empty[] = "\xE3\x80\x80 \t";
	assert_string_equal(textenc_fold_ascii(empty), "");
	/* U+FF00 and U+FF5F are outside the ASCII forms. */
	char edge[] = "\xEF\xBC\x80\xEF\xBD\x9F";
	assert_string_equal(textenc_fold_ascii(edge), "\xEF\xBC\x80\xEF\xBD\x9F");
}

UNIT_TEST(trim_removes_only_the_spaces_at_the_ends, NULL, NULL)
{
	char a[] = "\xE3\x80\x80 张 三\t\xE3\x80\x80";
	assert_string_equal(textenc_trim(a), "张 三");
	char b[] = "３４";
	assert_string_equal(textenc_trim(b), "３４"); /* trim does not fold */
	char c[] = "   ";
	assert_string_equal(textenc_trim(c), "");
}

int main(void)
{
	return unit_run("textenc", NULL, NULL);
}
