/*
 * args.c — the one option parser of the program, and the help it generates.
 *
 * Every command is a row of main.c's table (struct cli_command, cli.h) with a
 * declarative table of the options it takes. cli_run() parses the command line
 * against that table into a struct cli_args and hands it to the command's run
 * function, which reads it with cli_args_get() / cli_args_has() and its argv.
 * The rules are those the commands had under getopt_long: --name VALUE,
 * --name=VALUE, a unique prefix of a long name, -L VALUE and -LVALUE for the
 * options with a letter, bundled flag letters, options and arguments in any
 * order, "--" ending the options. Usage errors are one Chinese line and exit 2.
 *
 * Not here: what an option's value means (each command checks its own), and the
 * store options' fallbacks (cli_store_choose in common.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/utf8.h"
#include "taizhang/xalloc.h"

/* The options every CLI_STORE command takes, unless its own table names them. */
static const struct cli_option store_options[] = {
	CLI_STORE_OPTION(""),
	{ "user", 'u', "用户名", "用谁的口令打开（默认第一个用户）" },
	{ "passphrase-file", 'p', "文件", "口令从文件第一行读（- 为标准输入）" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_option help_option = { "help", 'h', NULL, NULL };

/* The name usage errors give for cmd: NULL for the top-level command. */
static const char *error_name(const struct cli_command *cmd)
{
	return (cmd->flags & CLI_TOP) ? NULL : cmd->name;
}

static int has_own(const struct cli_command *cmd, const char *name)
{
	for (const struct cli_option *o = cmd->options; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return 1;
	return 0;
}

/* Append o to out[*n]; a command with more than CLI_MAX_OPTIONS options is a
 * broken invariant. */
static void add_option(const struct cli_command *cmd, const struct cli_option **out, size_t *n,
		       const struct cli_option *o)
{
	if (*n == CLI_MAX_OPTIONS) {
		fprintf(stderr, "taizhang: %s 的选项超过 %d 个\n", cmd->name, CLI_MAX_OPTIONS);
		abort();
	}
	out[(*n)++] = o;
}

/* Every option cmd takes, in --help order: its own, then the store options it
 * does not replace, then --help. Returns how many (at most CLI_MAX_OPTIONS). */
static size_t collect_options(const struct cli_command *cmd, const struct cli_option **out)
{
	size_t n = 0;
	for (const struct cli_option *o = cmd->options; o && o->name; o++)
		add_option(cmd, out, &n, o);
	if (cmd->flags & CLI_STORE)
		for (const struct cli_option *o = store_options; o->name; o++)
			if (!has_own(cmd, o->name))
				add_option(cmd, out, &n, o);
	add_option(cmd, out, &n, &help_option);
	return n;
}

static int bad_long(const struct cli_command *cmd, const char *arg)
{
	return cli_usage_error(error_name(cmd), "选项 %s 无效或缺少参数", arg);
}

static int bad_short(const struct cli_command *cmd, char letter)
{
	return cli_usage_error(error_name(cmd), "选项 -%c 无效或缺少参数", letter);
}

/* The option --text names (text without "--", up to any '='): an exact name,
 * else the one option it is a prefix of. Returns its index, or -1. */
static int find_long(const struct cli_args *a, const char *text, size_t nbytes)
{
	int found = -1;
	for (size_t i = 0; i < a->nopts; i++) {
		const char *name = a->opts[i]->name;
		if (strncmp(name, text, nbytes) != 0)
			continue;
		if (name[nbytes] == '\0')
			return (int)i;
		found = found == -1 ? (int)i : -2;
	}
	return found < 0 ? -1 : found;
}

static int find_short(const struct cli_args *a, char letter)
{
	for (size_t i = 0; i < a->nopts; i++)
		if (a->opts[i]->letter == letter)
			return (int)i;
	return -1;
}

/* Record option i as given, with value; --help sets *help. */
static void take(struct cli_args *a, int i, const char *value, int *help)
{
	if (a->opts[i] == &help_option)
		*help = 1;
	a->given[i] = 1;
	a->values[i] = value;
	if (value != NULL) {
		if (a->nvalues < CLI_MAX_VALUES) {
			a->value_opt[a->nvalues] = (unsigned char)i;
			a->all_values[a->nvalues] = value;
		}
		a->nvalues++;
	}
}

/* One "--name[=value]" at argv[*k]; advances *k past a separate value. */
static int parse_long(struct cli_args *a, int argc, char **argv, int *k, int *help)
{
	const char *text = argv[*k] + 2;
	const char *eq = strchr(text, '=');
	int i = find_long(a, text, eq ? (size_t)(eq - text) : strlen(text));
	if (i < 0)
		return bad_long(a->cmd, argv[*k]);
	if (a->opts[i]->value == NULL) {
		if (eq != NULL)
			return bad_long(a->cmd, argv[*k]);
		take(a, i, NULL, help);
	} else if (eq != NULL) {
		take(a, i, eq + 1, help);
	} else if (*k + 1 < argc) {
		*k += 1;
		take(a, i, argv[*k], help);
	} else {
		return bad_long(a->cmd, argv[*k]);
	}
	return TZ_OK;
}

/* One "-abc" or "-sVALUE" at argv[*k]; advances *k past a separate value. */
static int parse_short(struct cli_args *a, int argc, char **argv, int *k, int *help)
{
	for (const char *p = argv[*k] + 1; *p != '\0' && !*help; p++) {
		int i = find_short(a, *p);
		if (i < 0)
			return bad_short(a->cmd, *p);
		if (a->opts[i]->value == NULL) {
			take(a, i, NULL, help);
			continue;
		}
		if (p[1] != '\0') {
			take(a, i, p + 1, help);
		} else if (*k + 1 < argc) {
			*k += 1;
			take(a, i, argv[*k], help);
		} else {
			return bad_short(a->cmd, *p);
		}
		break;
	}
	return TZ_OK;
}

/* Parse argv[1..] into a (whose argv the caller frees), stopping at --help,
 * which sets *help. Returns TZ_OK, or TZ_EUSAGE after printing the error. */
static int parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *a,
		 int *help)
{
	int rc = TZ_OK, only_args = 0;
	for (int k = 1; k < argc && rc == TZ_OK && !*help; k++) {
		const char *arg = argv[k];
		if (only_args || arg[0] != '-' || arg[1] == '\0')
			a->argv[a->argc++] = argv[k];
		else if (strcmp(arg, "--") == 0)
			only_args = 1;
		else if (arg[1] == '-')
			rc = parse_long(a, argc, argv, &k, help);
		else
			rc = parse_short(a, argc, argv, &k, help);
	}
	if (rc != TZ_OK || *help)
		return rc;
	if (cmd->max_args != CLI_ARGS_ANY && a->argc > cmd->max_args)
		return cli_usage_error(error_name(cmd),
				       (cmd->flags & (CLI_TOP | CLI_ARGS_ARE_COMMANDS))
					       ? "没有“%s”这个命令" : "多余的参数“%s”",
				       a->argv[cmd->max_args]);
	return TZ_OK;
}

int cli_run(const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_args a;
	memset(&a, 0, sizeof a);
	a.cmd = cmd;
	a.nopts = collect_options(cmd, a.opts);
	a.argv = xcalloc((size_t)argc + 1, sizeof *a.argv);
	int help = 0;
	int rc = parse(cmd, argc, argv, &a, &help);
	if (rc == TZ_OK && !(cmd->flags & CLI_RAW_STDOUT))
		cli_out_sanitize_begin();
	if (rc == TZ_OK)
		rc = help ? cli_print_usage(cmd) : cmd->run(&a);
	cli_out_sanitize_end();
	free(a.argv);
	return rc;
}

static int index_of(const struct cli_args *a, const char *name)
{
	for (size_t i = 0; i < a->nopts; i++)
		if (strcmp(a->opts[i]->name, name) == 0)
			return (int)i;
	fprintf(stderr, "taizhang: %s 没有选项 --%s\n", a->cmd->name, name);
	abort();
}

const char *cli_args_get(const struct cli_args *args, const char *name)
{
	return args->values[index_of(args, name)];
}

size_t cli_args_all(const struct cli_args *args, const char *name, const char **out, size_t cap)
{
	int index = index_of(args, name);
	size_t n = 0;
	for (size_t i = 0; i < args->nvalues; i++) {
		if (i >= CLI_MAX_VALUES)
			return args->nvalues; /* some not kept: more than any command takes */
		if (args->value_opt[i] != index)
			continue;
		if (n < cap)
			out[n] = args->all_values[i];
		n++;
	}
	return n;
}

int cli_args_has(const struct cli_args *args, const char *name)
{
	return args->given[index_of(args, name)];
}

int cli_args_usage_error(const struct cli_args *args, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cli_usage_error(error_name(args->cmd), "%s", msg);
}

const void *cli_verb_pick(const struct cli_args *args, const void *rows, size_t n, size_t size,
			  const char *none, const char *unknown)
{
	if (args->argc == 0) {
		cli_args_usage_error(args, "%s", none);
		return NULL;
	}
	const char *name = args->argv[0];
	for (size_t i = 0; i < n; i++) {
		const void *row = (const char *)rows + i * size;
		if (strcmp(*(const char *const *)row, name) == 0)
			return row;
	}
	cli_args_usage_error(args, unknown != NULL ? unknown : none, name);
	return NULL;
}

/* "--name value" as --help shows it, into buf. */
static const char *option_synopsis(char *buf, size_t cap, const struct cli_option *o)
{
	snprintf(buf, cap, "--%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
	return buf;
}

int cli_print_usage(const struct cli_command *cmd)
{
	const struct cli_option *opts[CLI_MAX_OPTIONS];
	size_t n = collect_options(cmd, opts), ncols = 22, nshown = 0;
	char syn[128], pad[192];
	for (size_t i = 0; i < n; i++) {
		if (opts[i]->help == NULL)
			continue;
		size_t w = utf8_ncols(option_synopsis(syn, sizeof syn, opts[i]));
		ncols = w > ncols ? w : ncols;
		nshown++;
	}
	fputs(cmd->usage, stdout);
	if (nshown > 0)
		putchar('\n');
	for (size_t i = 0; i < n; i++) {
		if (opts[i]->help == NULL)
			continue;
		option_synopsis(syn, sizeof syn, opts[i]);
		printf("  %s  ", utf8_pad(pad, sizeof pad, syn, ncols));
		for (const char *line = opts[i]->help; line != NULL;) {
			const char *nl = strchr(line, '\n');
			int nbytes = nl ? (int)(nl - line) : (int)strlen(line);
			printf("%.*s\n", nbytes, line);
			line = nl ? nl + 1 : NULL;
			if (line != NULL)
				printf("  %*s  ", (int)ncols, "");
		}
	}
	if (cmd->notes != NULL)
		fputs(cmd->notes, stdout);
	return TZ_OK;
}
