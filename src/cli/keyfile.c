/*
 * keyfile.c — what the commands that set up trust share: reading a public key
 * file given on the command line, showing a key so two officers can compare its
 * fingerprint over the phone, and asking on the terminal whether they matched.
 * Used by `trust` and `enroll` (cmd_keys.c) and `init --town-key` (cmd_init.c).
 *
 * The question goes to /dev/tty, never to standard input: a script that pipes
 * passphrases in must not be able to answer it by accident. Without a terminal
 * the answer is TZ_EUSAGE and the command says to use --yes, which only an
 * officer who has compared the fingerprint some other way should give.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/bundle.h"
#include "taizhang/cli.h"
#include "taizhang/sync_keys.h"

const char *cli_kind_name(uint8_t kind)
{
	return kind == STORE_KIND_TOWN ? "镇扶贫办" : "村";
}

void cli_print_key(const char *indent, const struct sync_public_key *k)
{
	char id[SYNC_DEVICE_ID_NCHARS + 1], fp[SYNC_FINGERPRINT_NCHARS + 1];
	sync_device_id_hex(k->device_id, id);
	sync_fingerprint(k, fp);
	printf("%s行政区划：%s（%s）\n", indent, k->division_code, cli_kind_name(k->kind));
	printf("%s设备号：  %s\n", indent, id);
	printf("%s指纹：    %s\n", indent, fp);
}

int cli_confirm_on_tty(const char *question, struct tz_error *err)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return tz_error_set(err, TZ_EUSAGE,
				    "没有终端可以确认指纹：请在终端中运行，或在电话核对指纹后加 --yes");
	ssize_t ignored = write(fd, question, strlen(question));
	(void)ignored;
	char answer[64];
	size_t n = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r <= 0 || ch == '\n')
			break;
		if (n + 1 < sizeof answer)
			answer[n++] = ch;
	}
	close(fd);
	while (n > 0 && (answer[n - 1] == '\r' || answer[n - 1] == ' '))
		n--;
	answer[n] = '\0';
	if (strcasecmp(answer, "yes") == 0 || strcasecmp(answer, "y") == 0 ||
	    strcmp(answer, "是") == 0)
		return TZ_OK;
	return tz_error_set(err, TZ_EFAIL, "已取消，什么也没有改");
}

int cli_read_key_file(const char *path, struct sync_public_key *out)
{
	struct tz_error err;
	if (sync_pubkey_read(path, out, &err) != TZ_OK)
		return cli_fail(&err);
	return TZ_OK;
}
