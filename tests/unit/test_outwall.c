/*
 * test_outwall.c — the command line's second wall (src/cli/outwall.c): while
 * it is up, what a command writes to standard output and standard error
 * reaches the terminal through text_sanitize, whatever stored text it prints,
 * and however the stream cuts its writes.
 *
 * Each test points file descriptor 1 (or 2) at a temporary file, puts the
 * wall up, writes, takes it down and reads back what reached the "terminal".
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
#include "unit.h"

static int saved_fd = -1;
static int captured_fd = STDOUT_FILENO;
static char path[] = "/tmp/tz-outwall-XXXXXX";

/* From now on fd (1 or 2) is a temporary file, behind the wall. */
static void capture_fd_begin(int fd_captured)
{
	fflush(stdout);
	fflush(stderr);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	captured_fd = fd_captured;
	saved_fd = dup(captured_fd);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fd, captured_fd) >= 0);
	close(fd);
	cli_out_sanitize_begin();
}

static void capture_begin(void)
{
	capture_fd_begin(STDOUT_FILENO);
}

/* Take the wall down, give the fd back and return what was written (caller frees). */
static char *capture_end(void)
{
	cli_out_sanitize_end();
	fflush(stdout);
	fflush(stderr);
	dup2(saved_fd, captured_fd);
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

UNIT_TEST(controls_overrides_and_zero_width_characters_become_replacement_characters, NULL, NULL)
{
	capture_begin();
	printf("标题：A\033[31mB\xE2\x80\xAE" "C\xE2\x80\x8B" "D\tE\n第二行\n");
	char *out = capture_end();
	assert_string_equal(out, "标题：A\xEF\xBF\xBD[31mB\xEF\xBF\xBD" "C\xEF\xBF\xBD" "D E\n第二行\n");
	free(out);
}

UNIT_TEST(a_character_cut_between_two_writes_comes_out_whole, NULL, NULL)
{
	capture_begin();
	/* 村 is E6 9D 91: the stream is flushed in the middle of it */
	fwrite("一\xE6\x9D", 1, 5, stdout);
	fflush(stdout);
	fwrite("\x91二", 1, 4, stdout);
	char *out = capture_end();
	assert_string_equal(out, "一村二");
	free(out);
}

UNIT_TEST(bytes_that_are_no_utf8_and_nul_bytes_are_replaced, NULL, NULL)
{
	capture_begin();
	fwrite("a\xFF" "b\0c\xE6", 1, 6, stdout); /* ends inside a sequence that never ends */
	char *out = capture_end();
	assert_string_equal(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD");
	free(out);
}

UNIT_TEST(the_programs_own_colours_pass_through_cli_out_raw_in_order, NULL, NULL)
{
	capture_begin();
	printf("前");
	fputs("\033[0m", cli_out_raw());
	printf("后\033\n");
	char *out = capture_end();
	assert_string_equal(out, "前\033[0m后\xEF\xBF\xBD\n");
	free(out);
}

UNIT_TEST(standard_error_has_the_same_wall, NULL, NULL)
{
	capture_fd_begin(STDERR_FILENO);
	fprintf(stderr, "村名“A\033]0;x\007B”不对\n");
	char *out = capture_end();
	assert_string_equal(out, "村名“A\xEF\xBF\xBD]0;x\xEF\xBF\xBD" "B”不对\n");
	free(out);
}

int main(void)
{
	return unit_run("outwall", NULL, NULL);
}
