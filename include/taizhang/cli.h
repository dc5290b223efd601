/*
 * cli.h — the command-line edge: the subcommands (one src/cmd_*.c each), and the
 * helpers they share for options, passphrases and opening the store.
 *
 * Only this layer (and the TUI) prints: library layers return a status and a
 * struct tz_error, and a command turns them into one line on stderr and an exit
 * code (error.h).
 */
#ifndef TAIZHANG_CLI_H
#define TAIZHANG_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/error.h"
#include "taizhang/secret.h"
#include "taizhang/store.h"

/* One subcommand: name, one-line summary for `taizhang --help`, usage text for
 * `taizhang NAME --help`, and the function that runs it (argv[0] is the name). */
struct cli_command {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cmd_init_entry, cmd_user_entry, cmd_verify_entry,
	cmd_query_entry, cmd_demo_entry, cmd_status_entry, cmd_check_entry,
	cmd_import_entry, cmd_roster_entry, cmd_compare_entry, cmd_problem_entry,
	cmd_record_entry, cmd_tui_entry, cmd_report_entry;
extern const struct cli_command cmd_keys_entry, cmd_trust_entry, cmd_enroll_entry,
	cmd_revoke_entry, cmd_recover_entry, cmd_bundle_entry, cmd_snapshot_entry,
	cmd_restore_entry, cmd_policy_entry;
extern const struct cli_command cmd_export_entry; /* src/cli/cmd_export.c */

#define CLI_DEMO_PASSPHRASE "taizhang-demo"
#define CLI_DEFAULT_USER "管理员"
#define CLI_PASSPHRASE_MIN_NCHARS 8
#define CLI_PASSPHRASE_MAX_NBYTES 1024

/* Options every store command takes. */
struct cli_common {
	const char *store;           /* --store, else $TAIZHANG_STORE */
	const char *user;            /* --user, else $TAIZHANG_USER, else first user */
	const char *passphrase_file; /* --passphrase-file (- = stdin) */
};

/* The long options of struct cli_common, for getopt_long tables: their values
 * are 's', 'u' and 'p'. cli_common_option() stores one; returns 1 if opt was one
 * of them. */
#define CLI_COMMON_OPTIONS \
	{ "store", required_argument, NULL, 's' }, \
	{ "user", required_argument, NULL, 'u' }, \
	{ "passphrase-file", required_argument, NULL, 'p' }, \
	{ "help", no_argument, NULL, 'h' }
int cli_common_option(struct cli_common *c, int opt, const char *arg);

/* Fill c's defaults from the environment; TZ_EUSAGE when no store is named. */
int cli_common_finish(struct cli_common *c, struct tz_error *err);

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

/* Print "taizhang: 错误：MSG" on stderr and return err->code. */
int cli_fail(const struct tz_error *err);

/* A usage error about cmd: prints the message and a pointer to --help; returns
 * TZ_EUSAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* For getopt_long's '?' and ':' results: the message for the offending option. */
int cli_bad_option(const char *cmd, char **argv);

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

/* Print usage of a command to stdout; returns TZ_OK. */
int cli_print_usage(const struct cli_command *cmd);

/* Parse a whole unsigned number within [min, max]; 0 on success. */
int cli_parse_unsigned(const char *text, unsigned long long min, unsigned long long max,
		       unsigned long long *out);

#endif
