/*
 * passphrase.c — reading passphrases without leaving copies behind.
 *
 * From the terminal: /dev/tty with echo off, read byte by byte with read(2) into
 * secret memory, so no stdio buffer ever holds the text. From a file (scripts):
 * the first line; "-" is standard input, where each read takes the next line so
 * that `user add` can read the unlocking and the new passphrase from one stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "taizhang/cli.h"
#include "taizhang/os_error.h"

/* Read one line from fd into buf (cap bytes incl. NUL). Returns the length, -1
 * on error, -2 when too long, -3 at end of input with nothing read. */
static long read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	int too_long = 0;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			if (n == 0 && !too_long)
				return -3;
			break;
		}
		if (c == '\n')
			break;
		if (n + 1 < cap)
			buf[n++] = c;
		else
			too_long = 1;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return too_long ? -2 : (long)n;
}

static size_t utf8_nchars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int read_from_tty(const char *prompt, char *buf, size_t cap, struct tz_error *err)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return tz_error_set(err, TZ_EUSAGE,
				    "没有终端可以输入口令：请用 --passphrase-file 文件（或 - 表示标准输入）");
	struct termios old, quiet;
	int have_termios = tcgetattr(fd, &old) == 0;
	if (have_termios) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t) ~(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	ssize_t ignored = write(fd, prompt, strlen(prompt));
	long n = read_line(fd, buf, cap);
	ignored = write(fd, "\n", 1);
	(void)ignored;
	if (have_termios)
		tcsetattr(fd, TCSAFLUSH, &old);
	close(fd);
	if (n == -2)
		return tz_error_set(err, TZ_EFAIL, "口令太长（最多 %d 字节）", CLI_PASSPHRASE_MAX_NBYTES - 1);
	if (n < 0)
		return tz_error_set(err, TZ_EFAIL, "没有读到口令");
	return TZ_OK;
}


static int read_from_file(const char *file, char *buf, size_t cap, struct tz_error *err)
{
	int fd;
	int is_stdin = strcmp(file, "-") == 0;
	if (is_stdin) {
		fd = STDIN_FILENO;
	} else {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return tz_error_set(err, TZ_EFAIL, "无法读取口令文件 %s：%s", file,
					    os_error_text(errno));
	}
	long n = read_line(fd, buf, cap);
	if (!is_stdin)
		close(fd);
	if (n == -2)
		return tz_error_set(err, TZ_EFAIL, "口令文件 %s 的第一行太长（最多 %d 字节）",
				    file, CLI_PASSPHRASE_MAX_NBYTES - 1);
	if (n == -1)
		return tz_error_set(err, TZ_EFAIL, "读取口令文件 %s 失败：%s", file,
				    os_error_text(errno));
	if (n == -3)
		return tz_error_set(err, TZ_EFAIL, "口令文件 %s 中没有口令（文件是空的或已读完）",
				    is_stdin ? "（标准输入）" : file);
	return TZ_OK;
}

void cli_passphrase_free(struct cli_passphrase *p)
{
	secret_free(p->text);
	p->text = NULL;
	p->nbytes = 0;
}

int cli_read_passphrase(const char *file, const char *prompt, int confirm, int is_new,
			struct cli_passphrase *out, struct tz_error *err)
{
	out->text = NULL;
	out->nbytes = 0;
	int rc = secret_init(err);
	if (rc != TZ_OK)
		return rc;
	char *buf = secret_alloc(CLI_PASSPHRASE_MAX_NBYTES);
	char *again = NULL;
	rc = file != NULL ? read_from_file(file, buf, CLI_PASSPHRASE_MAX_NBYTES, err)
			  : read_from_tty(prompt, buf, CLI_PASSPHRASE_MAX_NBYTES, err);
	if (rc != TZ_OK)
		goto fail;
	if (is_new && utf8_nchars(buf) < CLI_PASSPHRASE_MIN_NCHARS) {
		rc = tz_error_set(err, TZ_EFAIL, "口令太短：至少要 %d 个字符，现在只有 %zu 个",
				  CLI_PASSPHRASE_MIN_NCHARS, utf8_nchars(buf));
		goto fail;
	}
	if (confirm && file == NULL) {
		again = secret_alloc(CLI_PASSPHRASE_MAX_NBYTES); /* aborts when out of memory */
		rc = read_from_tty("请再输入一次口令：", again, CLI_PASSPHRASE_MAX_NBYTES, err);
		if (rc == TZ_OK && strcmp(buf, again) != 0)
			rc = tz_error_set(err, TZ_EFAIL, "两次输入的口令不一致，请重新运行命令");
		secret_free(again);
		if (rc != TZ_OK)
			goto fail;
	}
	out->text = buf;
	out->nbytes = strlen(buf);
	return TZ_OK;
fail:
	secret_free(buf);
	return rc;
}
