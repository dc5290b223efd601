/*
 * cli.h — the command-line edge: the table of subcommands (one src/cli/cmd_*.c
 * each), the one option parser they all go through, and the helpers they share
 * for passphrases and opening the store.
 *
 * Only this layer (and the TUI) prints: library layers return a status and a
 * struct tz_error, and a command turns them into one line on stderr and an exit
 * code (error.h).
 */
#ifndef TAIZHANG_CLI_H
#define TAIZHANG_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "taizhang/error.h"
#include "taizhang/secret.h"
#include "taizhang/store.h"

/* ---- the command table and its one option parser (src/cli/args.c) ---- */

/* One option a command takes. Options are written --name VALUE, --name=VALUE,
 * or -L VALUE / -LVALUE when a letter is given; a long name may be shortened to
 * any unique prefix; options and arguments may come in any order, and "--" ends
 * the options. */
struct cli_option {
	const char *name;  /* long name, without "--" */
	char letter;       /* short letter, or 0 for none */
	const char *value; /* the value's name in --help ("文件"); NULL: a flag */
	const char *help;  /* the --help text ("\n" continues it on the next line,
			      under the first); NULL: not listed in --help */
};

/* What a command's entry says about it (cli_command.flags). */
enum cli_command_flags {
	/* Takes the store options --store, --user, --passphrase-file (cli_store_choose);
	 * an option of the same name in the command's own table replaces the common one. */
	CLI_STORE = 1 << 0,
	/* Runs only on a town store / a village store: cli_store_choose refuses
	 * the other kind, from the keyring, before any passphrase is asked. */
	CLI_TOWN_ONLY = 1 << 1,
	CLI_VILLAGE_ONLY = 1 << 2,
	/* The top-level command (the screen): its usage errors point at
	 * `taizhang --help`, and a stray argument is an unknown command. */
	CLI_TOP = 1 << 3,
	/* A stray argument is reported as an unknown command, not an extra one. */
	CLI_ARGS_ARE_COMMANDS = 1 << 4,
	/* cli_run does not put up the output wall (cli_out_sanitize_begin): the
	 * command writes its standard output itself (the screen, `query`). */
	CLI_RAW_STDOUT = 1 << 5,
};

/* The row of the --store option, its help naming whose store it is:
 * CLI_STORE_OPTION("镇的") for a command run on the town's store only,
 * CLI_STORE_OPTION("") for any (the common row, src/cli/args.c). */
#define CLI_STORE_OPTION(whose) \
	{ "store", 's', "文件", whose "台账文件（也可用环境变量 TAIZHANG_STORE）" }

#define CLI_ARGS_ANY (-1)
#define CLI_MAX_OPTIONS 32 /* per command, with the store options and --help */
#define CLI_MAX_VALUES 64  /* option values kept in order (cli_args_all) */

struct cli_args;

/* One subcommand, as a row of main.c's table: tmux's cmd_entry. */
struct cli_command {
	const char *name;
	const char *summary; /* one line for `taizhang --help` */
	/* The texts are lines without the final newline, as embedded from
	 * src/cli/help/NAME.txt (CLI_HELP_NAME, scripts/embed.sh). */
	const char *usage; /* `taizhang NAME --help`: synopsis and description; the
			      option list is generated from options after it */
	const char *notes; /* printed after the option list, or NULL */
	const struct cli_option *options; /* ended by a row with name NULL */
	unsigned flags;                   /* enum cli_command_flags */
	int max_args; /* positional arguments taken, or CLI_ARGS_ANY; one more is
			 the usage error "多余的参数“X”" before run is called */
	int (*run)(const struct cli_args *args); /* returns the exit status */
};

/* Defines cmd_NAME_entry, one row of main.c's table, with its fields in the
 * order of struct cli_command (NOTES and OPTIONS may be NULL):
 *   CLI_COMMAND(check, "运行核查规则", usage, NULL, options, CLI_STORE, 0, run); */
#define CLI_COMMAND(NAME, SUMMARY, USAGE, NOTES, OPTIONS, FLAGS, MAX_ARGS, RUN)              \
	const struct cli_command cmd_##NAME##_entry = {.name = #NAME, .summary = (SUMMARY),   \
						       .usage = (USAGE), .notes = (NOTES),        \
						       .options = (OPTIONS), .flags = (FLAGS),    \
						       .max_args = (MAX_ARGS), .run = (RUN)}

/* The command line of one command, parsed against its entry. */
struct cli_args {
	const struct cli_command *cmd;
	int argc;    /* positional arguments, in order, options taken out */
	char **argv; /* argv[argc] is NULL */
	size_t nopts;
	const struct cli_option *opts[CLI_MAX_OPTIONS]; /* the options it takes */
	const char *values[CLI_MAX_OPTIONS]; /* the last value given for opts[i], or NULL */
	unsigned char given[CLI_MAX_OPTIONS]; /* whether opts[i] was given */
	/* Every value given, in order, with its option's index (cli_args_all);
	 * nvalues counts them all, the first CLI_MAX_VALUES are kept. */
	size_t nvalues;
	unsigned char value_opt[CLI_MAX_VALUES];
	const char *all_values[CLI_MAX_VALUES];
};

/* Parse argc/argv (argv[0] is the command's name) against cmd's options and
 * run it. --help (or -h) prints the usage and returns 0; an unknown option, a
 * missing or unwanted value, or too many arguments prints the usage error and
 * returns TZ_EUSAGE (2). Otherwise returns what cmd->run returns. */
int cli_run(const struct cli_command *cmd, int argc, char **argv);

/* The value of option name ("to" for --to), or NULL when it was not given.
 * name must be one of the command's options (else a broken invariant: abort). */
const char *cli_args_get(const struct cli_args *args, const char *name);

/* Every value given for option name, in order, into out (at most cap);
 * returns how many were given (more than cap, or than CLI_MAX_VALUES kept,
 * means some were not stored: the command refuses so many). */
size_t cli_args_all(const struct cli_args *args, const char *name, const char **out, size_t cap);

/* Whether option name was given (a flag, or an option with a value). */
int cli_args_has(const struct cli_args *args, const char *name);

/* Print `taizhang NAME --help` to stdout: cmd->usage, then the options not
 * hidden, aligned, then cmd->notes; each text ended by a newline. Returns TZ_OK. */
int cli_print_usage(const struct cli_command *cmd);

/* A usage error from args' command (cli_usage_error with its name). */
int cli_args_usage_error(const struct cli_args *args, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- verbs: commands whose first argument says what to do (`keys show`) ---- */

/* Such a command keeps its verbs in a table of its own struct, whose first
 * member is the verb's name (const char *name), with what the verb needs
 * beside it (its arguments, how the store is opened, what runs). This picks
 * the row of rows (n rows of size bytes each) named by args' first argument.
 * Without one, prints the usage error none; with a name no row has, the usage
 * error unknown, a format given that name (NULL: none again). Returns the row,
 * or NULL with the usage error printed (the exit status is TZ_EUSAGE). */
const void *cli_verb_pick(const struct cli_args *args, const void *rows, size_t n, size_t size,
			  const char *none, const char *unknown);
/* cli_verb_pick over an array of rows: CLI_VERB_PICK(a, verbs, none, unknown). */
#define CLI_VERB_PICK(args, rows, none, unknown) \
	cli_verb_pick((args), (rows), sizeof(rows) / sizeof(rows)[0], sizeof(rows)[0], (none), (unknown))

/* The commands, one src/cli/cmd_NAME.c each; main.c lists them. */
extern const struct cli_command cmd_init_entry, cmd_user_entry, cmd_verify_entry,
	cmd_query_entry, cmd_demo_entry, cmd_status_entry, cmd_check_entry,
	cmd_import_entry, cmd_roster_entry, cmd_compare_entry, cmd_problem_entry,
	cmd_record_entry, cmd_tui_entry, cmd_report_entry;
extern const struct cli_command cmd_keys_entry, cmd_trust_entry, cmd_enroll_entry,
	cmd_revoke_entry, cmd_recover_entry, cmd_bundle_entry, cmd_snapshot_entry,
	cmd_restore_entry, cmd_policy_entry;
extern const struct cli_command cmd_export_entry; /* src/cli/cmd_export.c */
extern const struct cli_command cmd_deliverable_entry, cmd_unit_entry; /* campaign.h */
extern const struct cli_command cmd_review_entry; /* src/cli/cmd_review.c */
extern const struct cli_command cmd_notice_entry; /* src/cli/cmd_notice.c */

#define CLI_DEMO_PASSPHRASE "taizhang-demo"
#define CLI_DEFAULT_USER "管理员"
#define CLI_PASSPHRASE_MIN_NCHARS 8
#define CLI_PASSPHRASE_MAX_NBYTES 1024

/* The store a command works on: --store, --user, --passphrase-file. */
struct cli_common {
	const char *store;           /* --store, else $TAIZHANG_STORE */
	const char *user;            /* --user, else $TAIZHANG_USER, else first user */
	const char *passphrase_file; /* --passphrase-file (- = stdin) */
};

/* The one way a command learns its store (CLI_STORE): fill c from args' store
 * options, falling back on the environment. With no store named, prints the
 * usage error and returns TZ_EUSAGE. For a CLI_TOWN_ONLY / CLI_VILLAGE_ONLY
 * command, reads the store's keyring (no passphrase) and refuses the other
 * kind as a usage error. Returns TZ_OK or the exit status (message printed). */
int cli_store_choose(const struct cli_args *args, struct cli_common *c);

/* The --kdf-cost option's level into *cost (left alone when not given). Prints
 * the usage error and returns TZ_EUSAGE for an unknown level. */
int cli_kdf_cost(const struct cli_args *args, enum kdf_cost *cost);

/* A passphrase in secret memory. */
struct cli_passphrase {
	char *text; /* secret_alloc'd, NUL-terminated */
	size_t nbytes;
};

/* Read a passphrase: from file (first unread line; "-" is stdin, and successive
 * reads of "-" take successive lines), or else from the terminal with echo off,
 * prompting with prompt; with confirm, the terminal asks twice and the two must
 * match. A new passphrase (is_new) must have CLI_PASSPHRASE_MIN_NCHARS
 * characters. Free with cli_passphrase_free. */
int cli_read_passphrase(const char *file, const char *prompt, int confirm, int is_new,
			struct cli_passphrase *out, struct tz_error *err);
void cli_passphrase_free(struct cli_passphrase *p);

/* Ask for c's passphrase and open the store (flags: enum store_open_flags).
 * Prints the store's notice, if any, on stderr. */
int cli_open_store(const struct cli_common *c, unsigned flags, struct store **out,
		   struct tz_error *err);

/* The one store-opening path of a command: cli_store_choose, then
 * cli_open_store. Returns TZ_OK with *out open (the caller closes it), or the
 * exit status with the reason printed. */
int cli_open(const struct cli_args *args, unsigned flags, struct store **out);

/* The exit status of a command whose work returned rc with err filled:
 * TZ_EUSAGE prints err's message as a usage error of args' command, another
 * failure prints it as an error (cli_fail); TZ_OK stays TZ_OK. */
int cli_status(const struct cli_args *args, int rc, const struct tz_error *err);

struct roster_report;
/* An importer of roster.h (roster_import_households, roster_import_dibao). */
typedef int (*cli_import_fn)(struct store *s, const char *file_name, const char *data,
			     size_t nbytes, struct roster_report *rep, struct tz_error *err);

/* Read the CSV file at path and import it into c's store with import. On
 * success returns TZ_OK with the counts in *rep (the caller prints them and
 * frees rep with roster_report_free); otherwise prints the reason and every bad
 * row and returns the exit status. */
int cli_import_file(const struct cli_common *c, const char *path, cli_import_fn import,
		    struct roster_report *rep);

/* Before an import: that args' file to import is its last argument, at index
 * file_at (a usage error when it is missing or more follow), then its store
 * (cli_store_choose). Returns TZ_OK or the exit status (message printed). */
int cli_import_choose(const struct cli_args *args, int file_at, struct cli_common *c);

struct roster_dibao_options;
/* How cli_import_file_as imports: with import, or (dibao non-NULL) with
 * roster_import_dibao_with and those options; explain (may be NULL) prints
 * what rep holds to stdout before a refusal is printed. */
struct cli_import {
	cli_import_fn import;
	const struct roster_dibao_options *dibao;
	void (*explain)(const struct roster_report *rep);
};
int cli_import_file_as(const struct cli_common *c, const char *path, const struct cli_import *how,
		       struct roster_report *rep);

/* ---- the second wall for stored text on stdout and stderr (src/cli/outwall.c) ---- */

/* From now on, everything written to stdout and stderr passes through
 * text_sanitize (line breaks kept): no stored text can send the terminal a
 * control, bidi override or zero-width character. cli_run calls it around every command without
 * CLI_RAW_STDOUT. Aborts (as xalloc.h does) when the stream cannot be made. */
void cli_out_sanitize_begin(void);

/* The real stdout (after flushing what the wall holds), for the program's own
 * control sequences; stdout itself when the wall is not up. */
FILE *cli_out_raw(void);
/* The same for stderr. */
FILE *cli_err_raw(void);
/* Start a CSV for people on stdout with its byte-order mark (CSV_UTF8_BOM,
 * csv.h), past the wall, which would turn that zero-width character into
 * U+FFFD. Call before anything of the CSV is written. */
void cli_out_csv_bom(void);

/* Flush the walls and put the real stdout and stderr back (nothing when they
 * are not up). */
void cli_out_sanitize_end(void);

/* Print "taizhang: 错误：MSG" on stderr (sanitized) and return err->code. */
int cli_fail(const struct tz_error *err);

/* A usage error about cmd: prints the message and a pointer to --help; returns
 * TZ_EUSAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- public key files and fingerprints (src/cli/keyfile.c) ---- */

struct sync_public_key;

/* "镇扶贫办" or "村" for an enum store_kind. */
const char *cli_kind_name(uint8_t kind);

/* Print a key's division code, device id and fingerprint, one per line, each
 * line starting with indent. */
void cli_print_key(const char *indent, const struct sync_public_key *k);

/* Read and check the public key file at path into *out. On failure prints the
 * reason and returns the exit status (TZ_EDAMAGED for a file that is not a whole
 * key file: a file far too large is refused unread). */
int cli_read_key_file(const char *path, struct sync_public_key *out);

/* Ask question on the terminal (/dev/tty) and read the answer. Returns TZ_OK when
 * the officer typed yes (y, 是), TZ_EFAIL for anything else ("cancelled"),
 * TZ_EUSAGE when there is no terminal (the message says to use --yes). */
int cli_confirm_on_tty(const char *question, struct tz_error *err);

/* Parse a whole unsigned number within [min, max]; 0 on success. */
int cli_parse_unsigned(const char *text, unsigned long long min, unsigned long long max,
		       unsigned long long *out);

#endif
