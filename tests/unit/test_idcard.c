/*
 * test_idcard.c — what idcard_check accepts and refuses, and what it says when
 * it refuses (src/util/idcard.c).
 *
 * Every refusal must name the field (身份证号) and say what is wrong; every rule
 * is shown with a number that passes next to one that fails, so a check that
 * refused everything would fail these tests as surely as one that accepted
 * everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "taizhang/idcard.h"
#include "taizhang/rng.h"
#include "unit.h"

#define TODAY "2019-04-20"

static void assert_accepted(const char *text, const char *today)
{
	struct tz_error err = { 0 };
	int rc = idcard_check(text, today, NULL, &err);
	if (rc != TZ_OK)
		fail_msg("%s was refused: %s", text, err.msg);
}

/* text is refused, and the message names 身份证号 and contains fragment. */
static void assert_refused(const char *text, const char *today, const char *fragment)
{
	struct tz_error err = { 0 };
	int rc = idcard_check(text, today, NULL, &err);
	if (rc != TZ_EFAIL)
		fail_msg("%s was not refused (rc %d)", text, rc);
	assert_int_equal(err.code, TZ_EFAIL);
	if (strstr(err.msg, "身份证号") == NULL || strstr(err.msg, fragment) == NULL)
		fail_msg("message for %s: \"%s\"; expected it to contain \"%s\"", text, err.msg,
			 fragment);
}

UNIT_TEST(textbook_example_is_valid_and_describes_a_woman_born_1949_12_31, NULL, NULL)
{
	struct idcard_info info;
	struct tz_error err = { 0 };
	assert_int_equal(idcard_check("11010519491231002X", TODAY, &info, &err), TZ_OK);
	assert_string_equal(info.normalized, "11010519491231002X");
	assert_int_equal(info.year, 1949);
	assert_int_equal(info.month, 12);
	assert_int_equal(info.day, 31);
	assert_int_equal(info.sex, 'F');
	assert_string_equal(info.region, "110105");
	assert_int_equal(idcard_check_char("11010519491231002"), 'X');
	assert_int_equal(idcard_check_char("34152219900101123"), '4');
}

UNIT_TEST(wrong_check_character_is_refused_naming_the_right_one, NULL, NULL)
{
	assert_accepted("341522199001011234", TODAY);
	assert_refused("341522199001011235", TODAY,
		       "身份证号最后一位校验码不对（应为 4），请核对是否抄错");
	/* A mistyped middle digit shows up as a wrong check character too. */
	assert_accepted("11010519491231002X", TODAY);
	assert_refused("11010519491231003X", TODAY, "校验码不对（应为 8）");
}

UNIT_TEST(lower_case_x_is_accepted_and_normalised_to_upper_case, NULL, NULL)
{
	struct idcard_info info;
	struct tz_error err = { 0 };
	assert_int_equal(idcard_check("11010519491231002x", TODAY, &info, &err), TZ_OK);
	assert_string_equal(info.normalized, "11010519491231002X");
	/* Only x: any other letter at the end is refused. */
	assert_refused("11010519491231002Y", TODAY, "最后一位“Y”不对，只能是数字或 X");
}

UNIT_TEST(length_other_than_18_is_refused_saying_how_many_were_given, NULL, NULL)
{
	assert_refused("11010519491231002", TODAY, "身份证号应为 18 位，现在是 17 位");
	assert_refused("11010519491231002X1", TODAY, "身份证号应为 18 位，现在是 19 位");
	assert_refused("110105194912310", TODAY, "现在是 15 位");
	/* Characters, not bytes: 18 full-width digits are 18 characters (54 bytes). */
	assert_refused("１１０１０５１９４９１２３１００２Ｘ", TODAY, "第 1 位“１”是全角字符");
	assert_refused("11010519491231002Ｘ", TODAY, "第 18 位“Ｘ”是全角字符");
}

UNIT_TEST(empty_text_is_refused, NULL, NULL)
{
	assert_refused("", TODAY, "身份证号不能为空");
	assert_refused(NULL, TODAY, "身份证号不能为空");
}

UNIT_TEST(spaces_are_named_as_spaces, NULL, NULL)
{
	assert_refused("110105 19491231002X", TODAY, "现在是 19 位（其中有空格，请删去空格）");
	assert_refused("110105 1949123102X", TODAY, "身份证号第 7 位是空格");
}

UNIT_TEST(non_digit_in_first_17_is_refused_with_its_position, NULL, NULL)
{
	assert_refused("1101051949A231002X", TODAY, "身份证号第 11 位“A”不是数字");
	assert_refused("X10105194912310021", TODAY, "身份证号第 1 位“X”不是数字");
	assert_refused("1101051949中231002X", TODAY, "身份证号第 11 位“中”不是数字");
	assert_refused("1101051949\x01" "231002X", TODAY, "第 11 位是无法显示的字符");
	assert_refused("1101051949\xff" "231002X", TODAY, "第 11 位是无法识别的字符");
}

UNIT_TEST(every_province_level_code_is_accepted, NULL, NULL)
{
	static const int valid[] = { 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
				     35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
				     53, 54, 61, 62, 63, 64, 65, 71, 81, 82 };
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		char region[7], id[IDCARD_NCHARS + 1];
		snprintf(region, sizeof region, "%02d0102", valid[i]);
		idcard_make(id, region, 1980, 6, 15, 123);
		assert_accepted(id, TODAY);
	}
}

UNIT_TEST(unknown_province_codes_are_refused, NULL, NULL)
{
	static const int invalid[] = { 0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60,
				       66, 70, 72, 80, 83, 90, 99 };
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		char region[7], id[IDCARD_NCHARS + 1], fragment[64];
		snprintf(region, sizeof region, "%02d0102", invalid[i]);
		idcard_make(id, region, 1980, 6, 15, 123);
		snprintf(fragment, sizeof fragment, "身份证号前两位“%02d”不是有效的省级",
			 invalid[i]);
		assert_refused(id, TODAY, fragment);
	}
}

/* A number made by idcard_make(region, year, month, day, sequence 123) and
 * what checking it against TODAY must say: refused with a message holding
 * refused, or accepted (refused NULL). */
struct made_id {
	const char *region;
	int year, month, day;
	const char *refused;
};

static void check_made(const struct made_id *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char id[IDCARD_NCHARS + 1];
		idcard_make(id, cases[i].region, cases[i].year, cases[i].month, cases[i].day, 123);
		if (cases[i].refused != NULL)
			assert_refused(id, TODAY, cases[i].refused);
		else
			assert_accepted(id, TODAY);
	}
}

UNIT_TEST(a_made_number_is_refused_for_the_rule_it_breaks, NULL, NULL)
{
	static const struct made_id cases[] = {
		/* Region digits 3 to 6 must not be 0000. */
		{ "340000", 1980, 6, 15, "身份证号第 3 至 6 位是“0000”" },
		{ "340001", 1980, 6, 15, NULL },
		/* Birth dates that do not exist are refused. */
		{ "341522", 1990, 2, 30, "身份证号中的出生日期 1990-02-30 不存在" },
		{ "341522", 1990, 13, 1, "出生日期 1990-13-01 不存在" },
		{ "341522", 1990, 4, 31, "出生日期 1990-04-31 不存在" },
		{ "341522", 1990, 1, 0, "出生日期 1990-01-00 不存在" },
		{ "341522", 1990, 4, 30, NULL },
		{ "341522", 1990, 12, 31, NULL },
		/* A birth before 1900 is refused. */
		{ "341522", 1899, 12, 31, "出生日期 1899-12-31 早于 1900 年" },
		{ "341522", 1900, 1, 1, NULL },
		/* A birth after today is refused. */
		{ "341522", 2019, 4, 21, "出生日期 2019-04-21 晚于今天（2019-04-20）" },
		{ "341522", 2019, 4, 20, NULL },
	};
	check_made(cases, sizeof cases / sizeof cases[0]);
}

UNIT_TEST(february_29_exists_only_in_leap_years, NULL, NULL)
{
	char id[IDCARD_NCHARS + 1];
	static const int leap[] = { 1904, 1960, 1996, 2000, 2016 };
	static const int common[] = { 1900, 1961, 1999, 2018, 2019 };
	for (size_t i = 0; i < 5; i++) {
		idcard_make(id, "341522", leap[i], 2, 29, 123);
		assert_accepted(id, TODAY);
		idcard_make(id, "341522", common[i], 2, 29, 123);
		assert_refused(id, TODAY, "-02-29 不存在");
	}
}

UNIT_TEST(without_today_the_system_date_bounds_the_birth_date, NULL, NULL)
{
	unsetenv("TAIZHANG_TODAY");
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char id[IDCARD_NCHARS + 1];
	idcard_make(id, "341522", tm.tm_year + 1900 + 1, 1, 1, 123);
	assert_refused(id, NULL, "晚于今天");
	idcard_make(id, "341522", tm.tm_year + 1900 - 1, 1, 1, 123);
	assert_accepted(id, NULL);
}

UNIT_TEST(without_today_taizhang_today_bounds_the_birth_date, NULL, NULL)
{
	setenv("TAIZHANG_TODAY", "2010-06-01", 1);
	char id[IDCARD_NCHARS + 1];
	idcard_make(id, "341522", 2010, 6, 2, 123);
	assert_refused(id, NULL, "晚于今天（2010-06-01）");
	idcard_make(id, "341522", 2010, 6, 1, 123);
	assert_accepted(id, NULL);
	unsetenv("TAIZHANG_TODAY");
}

UNIT_TEST(malformed_today_is_an_error_not_a_verdict, NULL, NULL)
{
	struct tz_error err = { 0 };
	assert_int_equal(idcard_check("11010519491231002X", "2019-02-30", NULL, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "2019-02-30"));
	assert_int_equal(idcard_check("11010519491231002X", "20190420", NULL, &err), TZ_EFAIL);
	assert_int_equal(idcard_check("11010519491231002X", "2019-04-20", NULL, &err), TZ_OK);
}

UNIT_TEST(refused_number_leaves_info_untouched, NULL, NULL)
{
	struct idcard_info info;
	memset(&info, 0x5A, sizeof info);
	struct idcard_info before = info;
	assert_int_equal(idcard_check("11010519491231003X", TODAY, &info, NULL), TZ_EFAIL);
	assert_memory_equal(&info, &before, sizeof info);
	assert_int_equal(idcard_check("11010519491231002X", TODAY, &info, NULL), TZ_OK);
	assert_memory_not_equal(&info, &before, sizeof info);
}

UNIT_TEST(sex_comes_from_the_parity_of_the_17th_digit, NULL, NULL)
{
	struct idcard_info info;
	char id[IDCARD_NCHARS + 1];
	idcard_make(id, "341522", 1980, 6, 15, 121);
	assert_int_equal(idcard_check(id, TODAY, &info, NULL), TZ_OK);
	assert_int_equal(info.sex, 'M');
	idcard_make(id, "341522", 1980, 6, 15, 120);
	assert_int_equal(idcard_check(id, TODAY, &info, NULL), TZ_OK);
	assert_int_equal(info.sex, 'F');
}

/* idcard_make's output passes for any real date, region and sequence, and only
 * its own check character passes: every other one is refused. */
UNIT_TEST(idcard_make_always_builds_numbers_that_pass, NULL, NULL)
{
	static const char *const regions[] = { "341522", "341521", "341523", "341524",
					       "110105", "650102", "810101" };
	static const char check_alphabet[] = "0123456789X";
	struct rng r;
	rng_seed(&r, 20190420);
	for (int n = 0; n < 5000; n++) {
		int year = rng_range(&r, 1900, 2018);
		int month = rng_range(&r, 1, 12);
		int day = rng_range(&r, 1, 28);
		int sequence = rng_range(&r, 0, 999);
		const char *region = rng_pick(&r, regions);
		char id[IDCARD_NCHARS + 1];
		idcard_make(id, region, year, month, day, sequence);

		struct idcard_info info;
		struct tz_error err = { 0 };
		if (idcard_check(id, TODAY, &info, &err) != TZ_OK)
			fail_msg("idcard_make gave %s, refused: %s", id, err.msg);
		assert_int_equal(info.year, year);
		assert_int_equal(info.month, month);
		assert_int_equal(info.day, day);
		assert_int_equal(info.sex, sequence % 2 ? 'M' : 'F');
		assert_string_equal(info.region, region);

		for (const char *c = check_alphabet; *c != '\0'; c++) {
			if (*c == id[17])
				continue;
			char altered[IDCARD_NCHARS + 1];
			memcpy(altered, id, sizeof altered);
			altered[17] = *c;
			assert_int_equal(idcard_check(altered, TODAY, NULL, NULL), TZ_EFAIL);
		}
	}
}

int main(void)
{
	return unit_run("idcard", NULL, NULL);
}
