/*
 * test_outwall.c — the command line's second wall (src/cli/outwall.c): while
 * it is up, what a command writes to standard output reaches the terminal
 * through text_sanitize, whatever stored text it prints, and however the
 * stream cuts its writes.
 *
 * Each test points file descriptor 1 at a temporary file, puts the wall up,
 * writes, takes it down and reads back what reached the "terminal".
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "taizhang/cli.h"

static int saved_fd = -1;
static char path[] = "/tmp/tz-outwall-XXXXXX";

/* From now on fd 1 is a temporary file, behind the wall. */
static void capture_begin(void)
{
	fflush(stdout);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	saved_fd = dup(STDOUT_FILENO);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	close(fd);
	cli_out_sanitize_begin();
}

/* Take the wall down, give fd 1 back and return what was written (caller frees). */
static char *capture_end(void)
{
	cli_out_sanitize_end();
	fflush(stdout);
	dup2(saved_fd, STDOUT_FILENO);
	close(saved_fd);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *text = calloc(1, 4096);
	size_t n = fread(text, 1, 4095, f);
	text[n] = '\0';
	fclose(f);
	unlink(path);
	strcpy(path + strlen(path) - 6, "XXXXXX");
	return text;
}

static void controls_overrides_and_zero_width_characters_become_replacement_characters(void **state)
{
	(void)state;
	capture_begin();
	printf("标题：A\033[31mB\xE2\x80\xAE" "C\xE2\x80\x8B" "D\tE\n第二行\n");
	char *out = capture_end();
	assert_string_equal(out, "标题：A\xEF\xBF\xBD[31mB\xEF\xBF\xBD" "C\xEF\xBF\xBD" "D E\n第二行\n");
	free(out);
}

static void a_character_cut_between_two_writes_comes_out_whole(void **state)
{
	(void)state;
	capture_begin();
	/* 村 is E6 9D 91: the stream is flushed in the middle of it */
	fwrite("一\xE6\x9D", 1, 5, stdout);
	fflush(stdout);
	fwrite("\x91二", 1, 4, stdout);
	char *out = capture_end();
	assert_string_equal(out, "一村二");
	free(out);
}

static void bytes_that_are_no_utf8_and_nul_bytes_are_replaced(void **state)
{
	(void)state;
	capture_begin();
	fwrite("a\xFF" "b\0c\xE6", 1, 6, stdout); /* ends inside a sequence that never ends */
	char *out = capture_end();
	assert_string_equal(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD");
	free(out);
}

static void the_programs_own_colours_pass_through_cli_out_raw_in_order(void **state)
{
	(void)state;
	capture_begin();
	printf("前");
	fputs("\033[0m", cli_out_raw());
	printf("后\033\n");
	char *out = capture_end();
	assert_string_equal(out, "前\033[0m后\xEF\xBF\xBD\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls_overrides_and_zero_width_characters_become_replacement_characters),
		cmocka_unit_test(a_character_cut_between_two_writes_comes_out_whole),
		cmocka_unit_test(bytes_that_are_no_utf8_and_nul_bytes_are_replaced),
		cmocka_unit_test(the_programs_own_colours_pass_through_cli_out_raw_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
