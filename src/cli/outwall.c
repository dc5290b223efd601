/*
 * outwall.c — the command line's second wall for stored text (issue 13, rule
 * A5 of src/sync/README.md): while a command runs, its standard output is a
 * stream that passes every byte through text_sanitize, so a value that came
 * into a store around the text rule (a store edited with SQL, an old bundle)
 * cannot drive the officer's terminal: ESC and other C0/C1 controls, bidi
 * overrides and zero-width characters come out as U+FFFD, tabs as spaces;
 * line breaks pass.
 *
 * One place instead of a call at every printf: cli_run puts the wall up
 * around every command but those whose entry says CLI_RAW_STDOUT — the
 * screen (curses writes the terminal itself) and `query`, which puts it up
 * only when its output is a terminal (to a file or a pipe it writes the stored
 * bytes as they are: an extract must be what is stored). The program's own
 * control sequences (the colours of a QR code) go to cli_out_raw().
 *
 * A write may end inside a UTF-8 sequence (the stream's buffer is cut
 * anywhere): up to three trailing bytes of an unfinished sequence wait for the
 * next write. Uses glibc's fopencookie.
 *
 * Not here: standard error (cli_fail sanitizes the one message it prints).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "taizhang/cli.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/xalloc.h"

static FILE *real_stdout; /* while the wall is up */
static char carry[4];     /* an unfinished UTF-8 sequence from the last write */
static size_t ncarry;

/* How many bytes the UTF-8 sequence led by byte b has (1 for a byte that
 * leads none: the sanitizer replaces it). */
static size_t sequence_nbytes(unsigned char b)
{
	return b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

/* How many bytes at the end of text[0..n) are an unfinished sequence. */
static size_t unfinished_tail(const char *text, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char b = (unsigned char)text[n - back];
		if ((b & 0xC0) != 0x80) /* a lead (or ASCII) byte */
			return sequence_nbytes(b) > back ? back : 0;
	}
	return 0;
}

/* Write n bytes of text (no NUL inside it counts: a NUL becomes U+FFFD)
 * sanitized to the real stdout. */
static void put_clean(const char *text, size_t n)
{
	char *copy = xmalloc(n + 1);
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && text[i] != '\0')
			continue;
		memcpy(copy, text + start, i - start);
		copy[i - start] = '\0';
		char *clean = text_sanitize(copy, TEXT_ALLOW_NEWLINE);
		fputs(clean, real_stdout);
		free(clean);
		if (i < n)
			fputs("\xEF\xBF\xBD", real_stdout);
		start = i + 1;
	}
	free(copy);
}

static ssize_t wall_write(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	char *joined = xmalloc(ncarry + size);
	memcpy(joined, carry, ncarry);
	memcpy(joined + ncarry, buf, size);
	size_t n = ncarry + size;
	size_t tail = unfinished_tail(joined, n);
	put_clean(joined, n - tail);
	memcpy(carry, joined + n - tail, tail);
	ncarry = tail;
	free(joined);
	return (ssize_t)size;
}

static int wall_close(void *cookie)
{
	(void)cookie;
	if (ncarry > 0)
		put_clean(carry, ncarry);
	ncarry = 0;
	return fflush(real_stdout);
}

void cli_out_sanitize_begin(void)
{
	if (real_stdout != NULL)
		return;
	static const cookie_io_functions_t io = { .write = wall_write, .close = wall_close };
	fflush(stdout);
	FILE *wall = fopencookie(NULL, "w", io);
	if (wall == NULL)
		xalloc_die(sizeof(FILE));
	real_stdout = stdout;
	stdout = wall;
}

FILE *cli_out_raw(void)
{
	if (real_stdout == NULL)
		return stdout;
	fflush(stdout);
	return real_stdout;
}

void cli_out_sanitize_end(void)
{
	if (real_stdout == NULL)
		return;
	fclose(stdout);
	stdout = real_stdout;
	real_stdout = NULL;
}
