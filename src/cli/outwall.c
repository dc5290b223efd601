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
 * control sequences (the colours of a QR code, the progress bar's line
 * rewrites) go to cli_out_raw() and cli_err_raw().
 *
 * A write may end inside a UTF-8 sequence (the stream's buffer is cut
 * anywhere): up to three trailing bytes of an unfinished sequence wait for the
 * next write. Uses glibc's fopencookie.
 *
 * Standard error has the same wall, unbuffered as standard error is, so that a
 * message naming stored text cannot drive the terminal either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "taizhang/cli.h"
#include "taizhang/csv.h"
#include "taizhang/text_hygiene.h"
#include "taizhang/xalloc.h"

/* One wall: the stream it stands in for, and what it holds back. */
struct wall {
	FILE **stream;  /* &stdout or &stderr */
	FILE *real;     /* the stream it replaced, while it is up */
	char carry[4];  /* an unfinished UTF-8 sequence from the last write */
	size_t ncarry;
};

static struct wall walls[2] = { { .stream = &stdout }, { .stream = &stderr } };
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
 * sanitized to the wall's real stream. */
static void put_clean(FILE *real, const char *text, size_t n)
{
	char *copy = xmalloc(n + 1);
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && text[i] != '\0')
			continue;
		memcpy(copy, text + start, i - start);
		copy[i - start] = '\0';
		char *clean = text_sanitize(copy, TEXT_ALLOW_NEWLINE);
		fputs(clean, real);
		free(clean);
		if (i < n)
			fputs("\xEF\xBF\xBD", real);
		start = i + 1;
	}
	free(copy);
}

static ssize_t wall_write(void *cookie, const char *buf, size_t size)
{
	struct wall *w = cookie;
	char *joined = xmalloc(w->ncarry + size);
	memcpy(joined, w->carry, w->ncarry);
	memcpy(joined + w->ncarry, buf, size);
	size_t n = w->ncarry + size;
	size_t tail = unfinished_tail(joined, n);
	put_clean(w->real, joined, n - tail);
	memcpy(w->carry, joined + n - tail, tail);
	w->ncarry = tail;
	free(joined);
	return (ssize_t)size;
}

static int wall_close(void *cookie)
{
	struct wall *w = cookie;
	if (w->ncarry > 0)
		put_clean(w->real, w->carry, w->ncarry);
	w->ncarry = 0;
	return fflush(w->real);
}

void cli_out_sanitize_begin(void)
{
	static const cookie_io_functions_t io = { .write = wall_write, .close = wall_close };
	for (size_t i = 0; i < sizeof walls / sizeof walls[0]; i++) {
		struct wall *w = &walls[i];
		if (w->real != NULL)
			continue;
		fflush(*w->stream);
		FILE *cookie = fopencookie(w, "w", io);
		if (cookie == NULL)
			xalloc_die(sizeof(FILE));
		if (w->stream == &stderr)
			setvbuf(cookie, NULL, _IONBF, 0);
		w->real = *w->stream;
		*w->stream = cookie;
	}
}

/* The stream behind wall w, after flushing what it holds; the stream itself
 * when the wall is not up. */
static FILE *raw_behind(struct wall *w)
{
	if (w->real == NULL)
		return *w->stream;
	fflush(*w->stream);
	return w->real;
}

FILE *cli_out_raw(void)
{
	return raw_behind(&walls[0]);
}

FILE *cli_err_raw(void)
{
	return raw_behind(&walls[1]);
}

void cli_out_csv_bom(void)
{
	fputs(CSV_UTF8_BOM, cli_out_raw());
}

void cli_out_sanitize_end(void)
{
	for (size_t i = 0; i < sizeof walls / sizeof walls[0]; i++) {
		struct wall *w = &walls[i];
		if (w->real == NULL)
			continue;
		fclose(*w->stream);
		*w->stream = w->real;
		w->real = NULL;
	}
}
