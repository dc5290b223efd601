/*
 * main.c — taizhang's entry point: the table of commands (one src/cli/cmd_NAME.c
 * each, struct cli_command in cli.h), the top-level help generated from it, and
 * the dispatch: cli_run parses the command's options against its entry and runs
 * it. With no subcommand (or only options) it opens the officer's screen.
 *
 * Exit codes (include/taizhang/error.h): 0 ok, 1 failed, 2 usage, 3 wrong
 * passphrase / not authorised, 4 store or bundle damaged or altered.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/store.h"
#include "taizhang/sync.h"

static const struct cli_command *const commands[] = {
	&cmd_tui_entry,
	&cmd_init_entry,
	&cmd_user_entry,
	&cmd_verify_entry,
	&cmd_keys_entry,
	&cmd_trust_entry,
	&cmd_enroll_entry,
	&cmd_revoke_entry,
	&cmd_recover_entry,
	&cmd_bundle_entry,
	&cmd_snapshot_entry,
	&cmd_restore_entry,
	&cmd_policy_entry,
	&cmd_query_entry,
	&cmd_demo_entry,
	&cmd_status_entry,
	&cmd_record_entry,
	&cmd_check_entry,
	&cmd_notice_entry,
	&cmd_problem_entry,
	&cmd_deliverable_entry,
	&cmd_unit_entry,
	&cmd_review_entry,
	&cmd_import_entry,
	&cmd_roster_entry,
	&cmd_compare_entry,
	&cmd_report_entry,
	&cmd_export_entry,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* What runs when no subcommand is named. */
static const struct cli_command *const default_command = &cmd_tui_entry;

static void print_help(void)
{
	printf("taizhang（台账）— 扶贫“重精准、补短板、促攻坚”专项整改台账，离线、加密。\n"
	       "taizhang — the offline, encrypted ledger of a township's poverty-alleviation\n"
	       "rectification campaign.\n\n"
	       "用法：taizhang [命令] [选项]\n"
	       "不带命令时打开操作界面。\n\n"
	       "命令：\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-8s %s\n", commands[i]->name, commands[i]->summary);
	printf("\n每个命令的选项：taizhang 命令 --help\n"
	       "台账文件：--store 文件，或环境变量 TAIZHANG_STORE。\n"
	       "退出码：0 成功，1 失败，2 用法错误，3 口令错误或无权限，4 台账或数据包损坏、被篡改。\n"
	       "  --help     显示本帮助\n"
	       "  --version  显示版本\n");
}

int main(int argc, char **argv)
{
	store_library_init(); /* SQLite's configuration, before anything touches SQLite */
	setlocale(LC_ALL, "");
	/* every store this program opens for writing records its changes for sync */
	store_set_open_hook(sync_capture_attach);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "help") == 0)) {
		if (argc >= 3 && strcmp(argv[1], "help") == 0) {
			for (size_t i = 0; i < NCOMMANDS; i++)
				if (strcmp(argv[2], commands[i]->name) == 0)
					return cli_print_usage(commands[i]);
			return cli_usage_error(NULL, "没有“%s”这个命令", argv[2]);
		}
		print_help();
		return 0;
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("taizhang %s\n", TZ_VERSION);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-')
		return cli_run(default_command, argc, argv);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i]->name) == 0)
			return cli_run(commands[i], argc - 1, argv + 1);
	return cli_usage_error(NULL, "没有“%s”这个命令", argv[1]);
}
