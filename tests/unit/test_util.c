/*
 * test_util.c — the small shared helpers of src/util: money, whole numbers,
 * division codes, byte order, whole-file reads, growable arrays and text, and
 * maps from strings.
 *
 * Each test states one behaviour the rest of taizhang relies on; the money tests
 * pin the sign of amounts under one 元 (-0.50 once printed as "0.-50").
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/bytes.h"
#include "taizhang/date.h"
#include "taizhang/decimal.h"
#include "taizhang/division.h"
#include "taizhang/file.h"
#include "taizhang/money.h"
#include "taizhang/os_error.h"
#include "taizhang/strmap.h"
#include "taizhang/threads.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#include "fixture.h"
#include "unit.h"

/* ---- money_format ---- */

static const char *fmt(long long cents, unsigned flags)
{
	static char buf[MONEY_TEXT_NBYTES];
	return money_format(cents, flags, buf);
}

UNIT_TEST(money_is_formatted_as_yuan_with_two_decimals, NULL, NULL)
{
	assert_string_equal(fmt(0, 0), "0.00");
	assert_string_equal(fmt(5, 0), "0.05");
	assert_string_equal(fmt(50, 0), "0.50");
	assert_string_equal(fmt(123456, 0), "1234.56");
	assert_string_equal(fmt(370000, 0), "3700.00");
}

UNIT_TEST(negative_money_keeps_its_sign_in_front_even_under_one_yuan, NULL, NULL)
{
	assert_string_equal(fmt(-50, 0), "-0.50");
	assert_string_equal(fmt(-5, 0), "-0.05");
	assert_string_equal(fmt(-100, 0), "-1.00");
	assert_string_equal(fmt(-123456, MONEY_GROUPED), "-1,234.56");
	assert_string_equal(fmt(-50, MONEY_SHORT), "-0.50");
	assert_string_equal(fmt(-300, MONEY_SHORT), "-3");
}

UNIT_TEST(grouped_money_has_a_comma_every_three_digits, NULL, NULL)
{
	assert_string_equal(fmt(99999, MONEY_GROUPED), "999.99");
	assert_string_equal(fmt(100000, MONEY_GROUPED), "1,000.00");
	assert_string_equal(fmt(123456789, MONEY_GROUPED), "1,234,567.89");
	assert_string_equal(fmt(0, MONEY_GROUPED), "0.00");
}

UNIT_TEST(short_money_drops_only_zero_fen, NULL, NULL)
{
	assert_string_equal(fmt(370000, MONEY_SHORT), "3700");
	assert_string_equal(fmt(307087, MONEY_SHORT), "3070.87");
	assert_string_equal(fmt(307050, MONEY_SHORT), "3070.50");
	assert_string_equal(fmt(0, MONEY_SHORT), "0");
}

UNIT_TEST(the_largest_amounts_are_formatted_whole, NULL, NULL)
{
	assert_string_equal(fmt(LLONG_MAX, 0), "92233720368547758.07");
	assert_string_equal(fmt(LLONG_MIN, 0), "-92233720368547758.08");
	assert_string_equal(fmt(LLONG_MIN, MONEY_GROUPED), "-92,233,720,368,547,758.08");
}

/* ---- money_parse ---- */

static long long parsed(const char *text, unsigned flags)
{
	long long cents = -777;
	assert_int_equal(money_parse(text, flags, &cents), MONEY_OK);
	return cents;
}

UNIT_TEST(plain_yuan_text_is_read_into_fen, NULL, NULL)
{
	assert_int_equal(parsed("0", 0), 0);
	assert_int_equal(parsed("50000", 0), 5000000);
	assert_int_equal(parsed("0.5", 0), 50);
	assert_int_equal(parsed("0.05", 0), 5);
	assert_int_equal(parsed("1234.56", 0), 123456);
}

UNIT_TEST(loose_yuan_text_takes_what_officers_type, NULL, NULL)
{
	assert_int_equal(parsed("¥1,234.5", MONEY_LOOSE), 123450);
	assert_int_equal(parsed("￥12元", MONEY_LOOSE), 1200);
	assert_int_equal(parsed("+3", MONEY_LOOSE), 300);
	assert_int_equal(parsed("5.", MONEY_LOOSE), 500);
	assert_int_equal(parsed(".5", MONEY_LOOSE), 50);
	assert_int_equal(parsed("1,234,567", MONEY_LOOSE), 123456700);
}

UNIT_TEST(negative_amounts_are_read_only_when_signed, NULL, NULL)
{
	long long cents = 1;
	assert_int_equal(money_parse("-0.50", 0, &cents), MONEY_ENEGATIVE);
	assert_int_equal(money_parse("¥-3", MONEY_LOOSE, &cents), MONEY_ENEGATIVE);
	assert_int_equal(cents, 1);
	assert_int_equal(parsed("-0.50", MONEY_SIGNED), -50);
	assert_int_equal(parsed("-1,234.56", MONEY_SIGNED | MONEY_LOOSE), -123456);
	assert_int_equal(parsed("-0", MONEY_SIGNED), 0);
}

UNIT_TEST(formatted_money_reads_back_to_the_same_fen, NULL, NULL)
{
	static const long long amounts[] = { 0, 1, -1, 50, -50, 99999, -123456789, LLONG_MAX, LLONG_MIN };
	for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
		char buf[MONEY_TEXT_NBYTES];
		assert_int_equal(parsed(money_format(amounts[i], 0, buf), MONEY_SIGNED), amounts[i]);
		assert_int_equal(parsed(money_format(amounts[i], MONEY_GROUPED, buf),
					MONEY_SIGNED | MONEY_LOOSE),
				 amounts[i]);
	}
}

UNIT_TEST(text_that_is_not_an_amount_is_refused_with_its_reason, NULL, NULL)
{
	long long cents = 42;
	assert_int_equal(money_parse("1.234", MONEY_LOOSE, &cents), MONEY_EDECIMALS);
	assert_int_equal(money_parse("1.234", 0, &cents), MONEY_EDECIMALS);
	assert_int_equal(money_parse("1,0", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("1,0000", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("1234,567", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse(",123", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("1,234", 0, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("abc", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse(".", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("元", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("12元", 0, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("5.", 0, &cents), MONEY_EBAD);
	assert_int_equal(money_parse(".5", 0, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("+5", 0, &cents), MONEY_EBAD);
	assert_int_equal(money_parse("1 2", MONEY_LOOSE, &cents), MONEY_EBAD);
	assert_int_equal(cents, 42);
}

UNIT_TEST(amounts_beyond_a_long_long_of_fen_are_out_of_range, NULL, NULL)
{
	long long cents = 42;
	assert_int_equal(money_parse("99999999999999999999", 0, &cents), MONEY_ERANGE);
	assert_int_equal(money_parse("92233720368547758.08", 0, &cents), MONEY_ERANGE);
	assert_int_equal(money_parse("-92233720368547758.09", MONEY_SIGNED, &cents), MONEY_ERANGE);
	assert_int_equal(cents, 42);
	assert_int_equal(parsed("92233720368547758.07", 0), LLONG_MAX);
}

/* ---- decimal_parse ---- */

UNIT_TEST(whole_numbers_are_read_with_an_optional_sign, NULL, NULL)
{
	long long v = 0;
	assert_true(decimal_parse("0", 0, &v));
	assert_int_equal(v, 0);
	assert_true(decimal_parse("-17", 0, &v));
	assert_int_equal(v, -17);
	assert_true(decimal_parse("9223372036854775807", 0, &v));
	assert_int_equal(v, LLONG_MAX);
	assert_false(decimal_parse("+5", 0, &v));
	assert_true(decimal_parse("+5", DECIMAL_PLUS, &v));
	assert_int_equal(v, 5);
}

UNIT_TEST(anything_but_a_whole_number_is_refused, NULL, NULL)
{
	long long v = 42;
	static const char *const bad[] = { "", "-", "+", "1.5", "1,000", " 1", "1 ", "abc", "0x10",
					   "99999999999999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(decimal_parse(bad[i], DECIMAL_PLUS, &v));
	assert_int_equal(v, 42);
}

/* ---- division codes ---- */

UNIT_TEST(division_codes_are_exactly_twelve_ascii_digits, NULL, NULL)
{
	assert_true(division_code_valid("530102001001"));
	assert_true(division_code_valid("530102001000"));
	assert_false(division_code_valid(NULL));
	assert_false(division_code_valid(""));
	assert_false(division_code_valid("53010200100"));
	assert_false(division_code_valid("5301020010011"));
	assert_false(division_code_valid("53010200100a"));
	assert_false(division_code_valid("５30102001001"));
}

UNIT_TEST(a_village_belongs_to_the_town_with_its_first_nine_digits, NULL, NULL)
{
	char town[DIVISION_CODE_NCHARS + 1];
	division_town_of("530102001007", town);
	assert_string_equal(town, "530102001000");
	assert_true(division_in_town("530102001007", "530102001000"));
	assert_false(division_in_town("530102001000", "530102001000"));
	assert_false(division_in_town("530102002007", "530102001000"));
	assert_false(division_in_town("53010200100", "530102001000"));
}

/* ---- byte order ---- */

/* store(b, value) writes exactly the bytes of the string literal bytes. */
#define STORES(store, value, bytes)                                    \
	do {                                                           \
		unsigned char b[8];                                    \
		store(b, value);                                       \
		assert_memory_equal(b, bytes, sizeof bytes - 1);       \
	} while (0)

UNIT_TEST(integers_are_stored_little_and_big_endian, NULL, NULL)
{
	STORES(bytes_store_le16, 0x1234, "\x34\x12");
	STORES(bytes_store_le32, 0x12345678, "\x78\x56\x34\x12");
	STORES(bytes_store_le64, 0x0102030405060708ULL, "\x08\x07\x06\x05\x04\x03\x02\x01");
	STORES(bytes_store_be16, 0x1234, "\x12\x34");
	STORES(bytes_store_be32, 0x12345678, "\x12\x34\x56\x78");
	STORES(bytes_store_be64, 0x0102030405060708ULL, "\x01\x02\x03\x04\x05\x06\x07\x08");
}

UNIT_TEST(stored_integers_load_back_unchanged, NULL, NULL)
{
	const unsigned char b[8] = { 0xF1, 0xE2, 0xD3, 0xC4, 0xB5, 0xA6, 0x97, 0x88 };
	assert_int_equal(bytes_load_le16(b), 0xE2F1);
	assert_int_equal(bytes_load_le32(b), 0xC4D3E2F1u);
	assert_true(bytes_load_le64(b) == 0x8897A6B5C4D3E2F1ULL);
	assert_int_equal(bytes_load_be16(b), 0xF1E2);
	assert_int_equal(bytes_load_be32(b), 0xF1E2D3C4u);
	assert_true(bytes_load_be64(b) == 0xF1E2D3C4B5A69788ULL);
	unsigned char c[8];
	bytes_store_le64(c, UINT64_MAX - 1);
	assert_true(bytes_load_le64(c) == UINT64_MAX - 1);
	bytes_store_be64(c, UINT64_MAX - 1);
	assert_true(bytes_load_be64(c) == UINT64_MAX - 1);
}

/* ---- file_read_all ---- */

UNIT_TEST(a_whole_file_is_read_with_a_nul_after_it, fixture_setup_dir, fixture_teardown)
{
	char path[FIXTURE_PATH_NBYTES];
	fixture_write_file(fixture_file(*state, "f.csv", path), "a\0b,c", 5);
	char *data;
	size_t n;
	struct tz_error err = { 0 };
	assert_int_equal(file_read_all(path, 5, &data, &n, &err), TZ_OK);
	assert_int_equal(n, 5);
	assert_memory_equal(data, "a\0b,c", 6);
	free(data);
	fixture_write_file(path, "", 0);
	assert_int_equal(file_read_all(path, 5, &data, &n, &err), TZ_OK);
	assert_int_equal(n, 0);
	assert_string_equal(data, "");
	free(data);
}

UNIT_TEST(a_file_over_the_limit_is_refused_naming_it, fixture_setup_dir, fixture_teardown)
{
	char path[FIXTURE_PATH_NBYTES];
	fixture_write_file(fixture_file(*state, "f.csv", path), "123456", 6);
	char *data = (char *)1;
	size_t n = 9;
	struct tz_error err = { 0 };
	assert_int_equal(file_read_all(path, 5, &data, &n, &err), TZ_EFAIL);
	assert_null(data);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.msg, "太大"));
	assert_non_null(strstr(err.msg, path));
}

UNIT_TEST(a_missing_file_or_a_folder_is_refused_in_chinese, NULL, NULL)
{
	char *data;
	size_t n;
	struct tz_error err = { 0 };
	assert_int_equal(file_read_all("/nonexistent/tz/x.csv", 100, &data, &n, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "/nonexistent/tz/x.csv"));
	assert_non_null(strstr(err.msg, "找不到文件"));
	assert_int_equal(file_read_all("/tmp", 100, &data, &n, &err), TZ_EFAIL);
	assert_non_null(strstr(err.msg, "不是普通文件"));
}

/* ---- os_error_text ---- */

/* Whether text has an English word, two Latin letters in a row (strerror's
 * text would; "U 盘" does not). */
static int has_english_word(const char *text)
{
	int run = 0;
	for (const char *p = text; *p; p++) {
		int letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
		run = letter ? run + 1 : 0;
		if (run == 2)
			return 1;
	}
	return 0;
}

UNIT_TEST(every_os_error_an_officer_can_meet_is_said_in_chinese, NULL, NULL)
{
	static const int seen[] = { ENOENT, EACCES, EPERM, ENOSPC, EDQUOT, EROFS, EIO, EEXIST,
				    ENOTDIR, EISDIR, ENAMETOOLONG, ELOOP, EMFILE, ENFILE, EXDEV,
				    EBUSY, ETXTBSY, ENOTEMPTY, EFBIG, ENXIO, ENODEV, ENOMEM,
				    EINVAL, EAGAIN, EINTR, ETIMEDOUT, ENOLCK, EOVERFLOW, ESTALE };
	for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++) {
		const char *text = os_error_text(seen[i]);
		assert_non_null(text);
		if (has_english_word(text) || strstr(text, "错误号") != NULL)
			fail_msg("errno %d is said as \"%s\"", seen[i], text);
	}
	/* The ones a USB stick gives say what to do about it. */
	assert_non_null(strstr(os_error_text(ENOSPC), "已满"));
	assert_non_null(strstr(os_error_text(EROFS), "只读"));
	assert_non_null(strstr(os_error_text(ENOENT), "不存在"));
	assert_non_null(strstr(os_error_text(EACCES), "没有权限"));
	assert_string_not_equal(os_error_text(EEXIST), os_error_text(EISDIR));
}

UNIT_TEST(an_unexpected_os_error_is_said_with_its_number, NULL, NULL)
{
	assert_string_equal(os_error_text(EBADF), "系统错误（错误号 9）");
	assert_string_equal(os_error_text(12345), "系统错误（错误号 12345）");
	assert_false(has_english_word(os_error_text(EPROTO)));
}

/* ---- growable arrays and text ---- */

UNIT_TEST(pushed_elements_stay_in_order_as_the_array_grows, NULL, NULL)
{
	long long *items = NULL;
	size_t n = 0, cap = 0;
	for (long long i = 0; i < 1000; i++)
		*VEC_PUSH(items, n, cap) = i * i;
	assert_int_equal(n, 1000);
	assert_true(cap >= 1000 && cap < 2048);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(items[i], (long long)(i * i));
	size_t before = cap;
	VEC_RESERVE(items, cap, 10);
	assert_int_equal(cap, before);
	free(items);
}

/* ---- strmap ---- */

UNIT_TEST(a_string_map_keeps_every_key_apart, NULL, NULL)
{
	struct strmap m;
	strmap_init(&m);
	assert_null(strmap_get(&m, "a", 1));
	char key[40];
	for (size_t i = 0; i < 5000; i++) { /* grows from 64 slots many times */
		int n = snprintf(key, sizeof key, "%032zx", i * 7919);
		int added;
		size_t *v = strmap_put(&m, key, (size_t)n, &added);
		assert_true(added);
		*v = i;
	}
	assert_int_equal(m.n, 5000);
	for (size_t i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "%032zx", i * 7919);
		const size_t *v = strmap_get(&m, key, (size_t)n);
		assert_non_null(v);
		assert_int_equal(*v, i);
		int added;
		assert_int_equal(*strmap_put(&m, key, (size_t)n, &added), i);
		assert_false(added);
	}
	assert_null(strmap_get(&m, "00000000000000000000000000000001", 32));
	/* Keys are their bytes, NULs included, and their length: none is another's prefix. */
	*strmap_put(&m, "a\0b", 3, NULL) = 1;
	*strmap_put(&m, "a\0c", 3, NULL) = 2;
	*strmap_put(&m, "a", 1, NULL) = 3;
	*strmap_put(&m, "", 0, NULL) = 4;
	assert_int_equal(*strmap_get(&m, "a\0b", 3), 1);
	assert_int_equal(*strmap_get(&m, "a\0c", 3), 2);
	assert_null(strmap_get(&m, "a\0", 2));
	assert_int_equal(*strmap_get(&m, "a", 1), 3);
	assert_int_equal(*strmap_get(&m, "", 0), 4);
	strmap_free(&m);
	assert_null(strmap_get(&m, "a", 1));
}

UNIT_TEST(a_reserved_string_map_holds_that_many_without_moving_its_slots, NULL, NULL)
{
	struct strmap m;
	strmap_init(&m);
	strmap_reserve(&m, 1000);
	const void *slots = m.slots;
	size_t mask = m.mask;
	assert_true(mask + 1 >= 1000);
	char key[16];
	for (size_t i = 0; i < 1000; i++) {
		int n = snprintf(key, sizeof key, "k%zu", i);
		*strmap_put(&m, key, (size_t)n, NULL) = i;
	}
	assert_ptr_equal(m.slots, slots);
	assert_int_equal(m.mask, mask);
	*strmap_put(&m, "one more", 8, NULL) = 7;
	assert_int_equal(*strmap_get(&m, "k999", 4), 999);
	assert_int_equal(*strmap_get(&m, "one more", 8), 7);
	strmap_free(&m);
}

UNIT_TEST(text_is_appended_and_always_nul_terminated, NULL, NULL)
{
	struct vec_text t = { 0 };
	vec_text_puts(&t, "村");
	vec_text_add(&t, "abc", 2);
	vec_text_printf(&t, "%d户", 42);
	assert_string_equal(t.text, "村ab42户");
	assert_int_equal(t.n, strlen("村ab42户"));
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	vec_text_printf(&t, "%s", big);
	assert_int_equal(t.n, strlen("村ab42户") + sizeof big - 1);
	char *taken = vec_text_take(&t);
	assert_null(t.text);
	assert_int_equal(t.n, 0);
	assert_int_equal(strlen(taken), strlen("村ab42户") + sizeof big - 1);
	free(taken);
	taken = vec_text_take(&t);
	assert_string_equal(taken, "");
	free(taken);
}

UNIT_TEST(allocation_helpers_copy_and_zero, NULL, NULL)
{
	char *s = xstrndup("台账abc", 6);
	assert_string_equal(s, "台账");
	free(s);
	int *z = xcalloc(4, sizeof *z);
	for (int i = 0; i < 4; i++)
		assert_int_equal(z[i], 0);
	z = xreallocarray(z, 8, sizeof *z);
	assert_int_equal(z[3], 0);
	free(z);
}

/* ---- the one clock ---- */

UNIT_TEST(timestamps_take_their_date_from_taizhang_today, NULL, NULL)
{
	setenv("TAIZHANG_TODAY", "2019-05-20", 1);
	char stamp[DATE_STAMP_NCHARS + 1], local[DATE_LOCAL_NCHARS + 1];
	date_now_stamp(stamp);
	date_now_local(local);
	assert_int_equal(strlen(stamp), DATE_STAMP_NCHARS);
	assert_memory_equal(stamp, "2019-05-20T", 11);
	assert_int_equal(stamp[19], 'Z');
	assert_int_equal(strlen(local), DATE_LOCAL_NCHARS);
	assert_memory_equal(local, "2019-05-20 ", 11);
	unsetenv("TAIZHANG_TODAY");
}

UNIT_TEST(without_taizhang_today_timestamps_follow_the_system_clock, NULL, NULL)
{
	unsetenv("TAIZHANG_TODAY");
	time_t before = time(NULL);
	char stamp[DATE_STAMP_NCHARS + 1];
	date_now_stamp(stamp);
	time_t after = time(NULL);
	struct tm tm;
	int y, mo, d, h, mi, sec;
	assert_int_equal(sscanf(stamp, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &sec), 6);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t when = timegm(&tm);
	assert_true(when >= before && when <= after);
}

/* ---- threads ---- */

/* The cores counted are the ones the process may run on: pinned to one, one
 * (a check then runs its rules on one connection, and the page cipher starts
 * no workers). */
UNIT_TEST(cores_available_follow_the_processs_cpu_affinity, NULL, NULL)
{
	int all = tz_cores_available();
	assert_true(all >= 1);
	assert_true(all <= sysconf(_SC_NPROCESSORS_CONF));
	cpu_set_t old, one;
	assert_int_equal(sched_getaffinity(0, sizeof old, &old), 0);
	int first = 0;
	while (first < CPU_SETSIZE && !CPU_ISSET(first, &old))
		first++;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
	int pinned = tz_cores_available();
	assert_int_equal(sched_setaffinity(0, sizeof old, &old), 0);
	assert_int_equal(pinned, 1);
	assert_int_equal(tz_cores_available(), all);
}

/* TAIZHANG_CORES, when a number 1..TZ_CORES_MAX, is the count (one on a
 * laptop that must stay responsive; two on one core for the tests); anything
 * else is ignored. */
UNIT_TEST(cores_available_can_be_set_by_the_environment, NULL, NULL)
{
	unsetenv("TAIZHANG_CORES");
	int own = tz_cores_available();
	setenv("TAIZHANG_CORES", "1", 1);
	assert_int_equal(tz_cores_available(), 1);
	setenv("TAIZHANG_CORES", "3", 1);
	assert_int_equal(tz_cores_available(), 3);
	static const char *const ignored[] = { "", "0", "-2", "2x", "x", "257", "99999999999999999999" };
	for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
		setenv("TAIZHANG_CORES", ignored[i], 1);
		assert_int_equal(tz_cores_available(), own);
	}
	unsetenv("TAIZHANG_CORES");
	assert_int_equal(tz_cores_available(), own);
}

static void *signals_blocked(void *arg)
{
	sigset_t now;
	pthread_sigmask(SIG_SETMASK, NULL, &now);
	*(int *)arg = sigismember(&now, SIGINT) == 1 && sigismember(&now, SIGTERM) == 1 &&
		      sigismember(&now, SIGWINCH) == 1;
	return NULL;
}

/* A thread of the program's own leaves the signals to the thread that
 * started it, whose mask is as it was. */
UNIT_TEST(a_started_thread_leaves_signals_to_the_caller, NULL, NULL)
{
	int blocked = 0;
	pthread_t t;
	assert_int_equal(tz_thread_start(&t, signals_blocked, &blocked), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(blocked);
	sigset_t now;
	pthread_sigmask(SIG_SETMASK, NULL, &now);
	assert_false(sigismember(&now, SIGINT));
}

int main(void)
{
	return unit_run("util", NULL, NULL);
}
