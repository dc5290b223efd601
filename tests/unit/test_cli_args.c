/*
 * test_cli_args.c — the one option parser of the command line (src/cli/args.c)
 * and the one way a command chooses its store (cli_store_choose in common.c).
 *
 * Each test runs a small command entry through cli_run with an argv, as main.c
 * does, and looks at what its run function was handed, or at the exit status
 * when the parser refused the line (usage errors are exit 2 and never reach
 * run). The messages themselves are checked by the scripts in tests/cli/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taizhang/cli.h"
#include "unit.h"

/* What the last run saw. */
static struct {
	int calls;
	const char *to, *store, *user;
	int yes, has_to;
	int argc;
	const char *argv[8];
} seen;

static int record_run(const struct cli_args *a)
{
	seen.calls++;
	seen.to = cli_args_get(a, "to");
	seen.has_to = cli_args_has(a, "to");
	seen.yes = cli_args_has(a, "yes");
	seen.store = cli_args_get(a, "store");
	seen.user = cli_args_get(a, "user");
	seen.argc = a->argc;
	for (int i = 0; i < a->argc && i < 8; i++)
		seen.argv[i] = a->argv[i];
	return 7; /* a status only run returns */
}

static const struct cli_option options[] = {
	{ "to", 't', "文件夹", "写到哪里" },
	{ "town", 0, "代码", "镇的代码" },
	{ "yes", 'y', NULL, "不询问" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_command cmd = {
	.name = "probe",
	.summary = "test",
	.usage = "用法：taizhang probe",
	.options = options,
	.flags = CLI_STORE,
	.max_args = 2,
	.run = record_run,
};

/* cli_run on a NULL-terminated list of words after the command's name. */
static int run_words(const struct cli_command *c, const char *const *words)
{
	char *argv[16] = { (char *)c->name };
	int argc = 1;
	for (; words[argc - 1] != NULL; argc++)
		argv[argc] = (char *)words[argc - 1];
	memset(&seen, 0, sizeof seen);
	return cli_run(c, argc, argv);
}

#define RUN(...) run_words(&cmd, (const char *const[]){ __VA_ARGS__, NULL })

UNIT_TEST(options_and_arguments_come_in_any_order, NULL, NULL)
{
	assert_int_equal(RUN("a", "--to", "/mnt", "b", "-y"), 7);
	assert_int_equal(seen.calls, 1);
	assert_string_equal(seen.to, "/mnt");
	assert_true(seen.yes);
	assert_int_equal(seen.argc, 2);
	assert_string_equal(seen.argv[0], "a");
	assert_string_equal(seen.argv[1], "b");
}

UNIT_TEST(a_value_may_be_joined_and_the_last_one_wins, NULL, NULL)
{
	assert_int_equal(RUN("--to=/a", "-t/b"), 7);
	assert_string_equal(seen.to, "/b");
	assert_int_equal(RUN("-t", "/c", "--to", "/d"), 7);
	assert_string_equal(seen.to, "/d");
}

UNIT_TEST(an_option_not_given_reads_as_absent, NULL, NULL)
{
	assert_int_equal(RUN("x"), 7);
	assert_null(seen.to);
	assert_false(seen.has_to);
	assert_false(seen.yes);
}

UNIT_TEST(a_unique_prefix_names_a_long_option, NULL, NULL)
{
	assert_int_equal(RUN("--ye", "--sto", "f.tz"), 7);
	assert_true(seen.yes);
	assert_string_equal(seen.store, "f.tz");
}

UNIT_TEST(an_ambiguous_prefix_is_a_usage_error, NULL, NULL)
{
	assert_int_equal(RUN("--to", "/a", "--t", "x"), TZ_EUSAGE); /* --to or --town */
	assert_int_equal(seen.calls, 0);
	assert_int_equal(RUN("--tow", "x"), 7);
}

UNIT_TEST(double_dash_ends_the_options_and_dash_is_an_argument, NULL, NULL)
{
	assert_int_equal(RUN("-", "--", "--yes"), 7);
	assert_false(seen.yes);
	assert_int_equal(seen.argc, 2);
	assert_string_equal(seen.argv[0], "-");
	assert_string_equal(seen.argv[1], "--yes");
}

UNIT_TEST(unknown_options_are_usage_errors_and_nothing_runs, NULL, NULL)
{
	assert_int_equal(RUN("--nosuch"), TZ_EUSAGE);
	assert_int_equal(RUN("-z"), TZ_EUSAGE);
	assert_int_equal(RUN("-yz"), TZ_EUSAGE);
	assert_int_equal(seen.calls, 0);
}

UNIT_TEST(a_missing_or_unwanted_value_is_a_usage_error, NULL, NULL)
{
	assert_int_equal(RUN("--to"), TZ_EUSAGE);
	assert_int_equal(RUN("-t"), TZ_EUSAGE);
	assert_int_equal(RUN("--yes=1"), TZ_EUSAGE);
	assert_int_equal(seen.calls, 0);
}

UNIT_TEST(one_argument_too_many_is_a_usage_error, NULL, NULL)
{
	assert_int_equal(RUN("a", "b"), 7);
	assert_int_equal(RUN("a", "b", "c"), TZ_EUSAGE);
	assert_int_equal(seen.calls, 0);
}

UNIT_TEST(help_answers_zero_without_running, NULL, NULL)
{
	assert_int_equal(RUN("--help", "--nosuch"), TZ_OK);
	assert_int_equal(RUN("-h"), TZ_OK);
	assert_int_equal(RUN("a", "b", "c", "--he"), TZ_OK);
	assert_int_equal(seen.calls, 0);
	/* an error before --help is still the error */
	assert_int_equal(RUN("--nosuch", "--help"), TZ_EUSAGE);
}

UNIT_TEST(store_options_come_with_cli_store_only, NULL, NULL)
{
	assert_int_equal(RUN("-s", "v.tz", "-u", "张三", "--passphrase-file", "-"), 7);
	assert_string_equal(seen.store, "v.tz");
	assert_string_equal(seen.user, "张三");
	struct cli_command bare = cmd;
	bare.flags = 0;
	assert_int_equal(run_words(&bare, (const char *const[]){ "--store", "v.tz", NULL }),
			 TZ_EUSAGE);
}

/* Runs cli_store_choose as a command would; remembers what it chose. */
static struct cli_common chosen;
static int choose_run(const struct cli_args *a)
{
	memset(&chosen, 0, sizeof chosen);
	return cli_store_choose(a, &chosen);
}

UNIT_TEST(the_store_comes_from_the_option_else_the_environment, NULL, NULL)
{
	struct cli_command c = cmd;
	c.run = choose_run;
	setenv("TAIZHANG_STORE", "env.tz", 1);
	setenv("TAIZHANG_USER", "李四", 1);
	assert_int_equal(run_words(&c, (const char *const[]){ "--store", "opt.tz", NULL }), TZ_OK);
	assert_string_equal(chosen.store, "opt.tz");
	assert_string_equal(chosen.user, "李四");
	assert_int_equal(run_words(&c, (const char *const[]){ "-p", "pw", NULL }), TZ_OK);
	assert_string_equal(chosen.store, "env.tz");
	assert_string_equal(chosen.passphrase_file, "pw");
	unsetenv("TAIZHANG_STORE");
	assert_int_equal(run_words(&c, (const char *const[]){ "x", NULL }), TZ_EUSAGE);
	unsetenv("TAIZHANG_USER");
}

int main(void)
{
	return unit_run("cli_args", NULL, NULL);
}
