/*
 * writer.c — a test tool that writes to a store the way the program does, for the
 * command-line tests that need a writer to kill or to hold.
 *
 *   writer STORE PASSFILE loop LOG   commit transactions forever; after each
 *                                    COMMIT returns, append "i" to LOG (fsync'd)
 *   writer STORE PASSFILE hold       open a write transaction that changes every
 *                                    member, print "holding", wait for EOF on stdin,
 *                                    then roll back
 *   writer STORE PASSFILE sql SQL    run SQL in one transaction, with change
 *                                    capture on: a store edited by hand, as a
 *                                    hostile or careless officer would
 *   writer STORE PASSFILE edit-audit SEQ  change audit row SEQ's detail as an
 *                                    attacker holding the key would: past the
 *                                    append-only trigger, leaving its hash
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/store.h"
#include "taizhang/sync.h"

static int die(const struct tz_error *err)
{
	fprintf(stderr, "writer: %s\n", err->msg);
	return err->code ? err->code : 1;
}

static int read_pass(const char *file, char *buf, size_t cap)
{
	FILE *fp = fopen(file, "r");
	if (fp == NULL || fgets(buf, (int)cap, fp) == NULL)
		return -1;
	fclose(fp);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int loop(struct store *s, const char *log_path)
{
	struct tz_error err;
	int log = open(log_path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (log < 0)
		return 1;
	if (store_tx_begin(s, &err) != TZ_OK ||
	    store_exec(s, "CREATE TABLE IF NOT EXISTS crash(i INTEGER PRIMARY KEY, pad TEXT)", &err) != TZ_OK ||
	    store_tx_commit(s, &err) != TZ_OK)
		return die(&err);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(store_db(s), "SELECT coalesce(max(i), 0) FROM crash", -1, &st, NULL);
	sqlite3_step(st);
	long long i = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (;;) {
		i++;
		char sql[200];
		snprintf(sql, sizeof sql,
			 "INSERT INTO crash(i, pad) VALUES (%lld, hex(randomblob(%lld)));"
			 "UPDATE crash SET pad = hex(randomblob(64)) WHERE i = %lld",
			 i, 200 + (i * 37) % 3000, i / 2);
		if (store_tx_begin(s, &err) != TZ_OK || store_exec(s, sql, &err) != TZ_OK ||
		    store_tx_commit(s, &err) != TZ_OK)
			return die(&err);
		char line[32];
		int n = snprintf(line, sizeof line, "%lld\n", i);
		if (write(log, line, (size_t)n) != n || fsync(log) != 0)
			return 1;
	}
}

static int hold(struct store *s)
{
	struct tz_error err;
	if (store_tx_begin(s, &err) != TZ_OK ||
	    store_exec(s, "UPDATE members SET phone = '13800000000', name = name || '一';"
			  " UPDATE households SET note = 'changed'", &err) != TZ_OK)
		return die(&err);
	printf("holding\n");
	fflush(stdout);
	char c;
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	store_tx_rollback(s);
	return 0;
}

/* Run sql in one transaction, as the program would write. */
static int run_in_tx(struct store *s, const char *sql)
{
	struct tz_error err;
	if (store_tx_begin(s, &err) != TZ_OK || store_exec(s, sql, &err) != TZ_OK ||
	    store_tx_commit(s, &err) != TZ_OK)
		return die(&err);
	return 0;
}

static int edit_audit(struct store *s, const char *seq)
{
	char sql[200];
	snprintf(sql, sizeof sql,
		 "DROP TRIGGER audit_log_no_update;"
		 " UPDATE audit_log SET detail = 'nothing happened' WHERE seq = %d",
		 atoi(seq));
	return run_in_tx(s, sql);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: writer STORE PASSFILE loop LOG | hold | sql SQL | edit-audit SEQ\n");
		return 2;
	}
	char pass[256];
	if (read_pass(argv[2], pass, sizeof pass) != 0)
		return 2;
	struct store *s;
	struct tz_error err;
	if (strcmp(argv[3], "sql") == 0) /* recorded for sync, as the program records */
		store_set_open_hook(sync_capture_attach);
	if (store_open(argv[1], NULL, pass, strlen(pass), 0, &s, &err) != TZ_OK)
		return die(&err);
	int rc = strcmp(argv[3], "loop") == 0 && argc == 5 ? loop(s, argv[4])
		 : strcmp(argv[3], "hold") == 0 ? hold(s)
		 : strcmp(argv[3], "sql") == 0 && argc == 5 ? run_in_tx(s, argv[4])
		 : strcmp(argv[3], "edit-audit") == 0 && argc == 5 ? edit_audit(s, argv[4]) : 2;
	store_close(s);
	return rc;
}
