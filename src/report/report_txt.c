/*
 * report_txt.c — the report as aligned plain text, for the screen and the
 * printer (report_write_text in report.h).
 *
 * Layout:
 *
 *	示范村“重精准、补短板、促攻坚”专项整改报表
 *	==========================================
 *	村（居）：示范村
 *	...                                    (the cover section, "label：value")
 *
 *	【户数与变化】
 *	  户状态    期初户数  期末户数  增减
 *	  --------  --------  --------  ----
 *	  新识别           3         1    -2
 *	  ...
 *	  注：...
 *
 * Widths are terminal columns (utf8_ncols: a CJK character is two), so the
 * columns line up in a terminal and in a monospaced font that draws CJK at
 * double width, which is how Chinese printers and editors draw them. Every
 * line of a table is padded to the table's full width, the rule line
 * included, so each column starts at the same column on every line. Text
 * wider than REPORT_TEXT_MAX_NCOLS wraps onto continuation lines within its
 * column; figures never wrap. Notes and cover lines wrap at NOTE_NCOLS.
 *
 * A town report puts every village's figures beside the town's: a table of
 * 30 villages would be a thousand columns wide. Such a table (its figures in
 * groups, struct report_section's group_ncolumns) is printed in parts no wider
 * than REPORT_TEXT_PAGE_NCOLS, each repeating the key columns, so that every
 * part is a table of its own that fits a landscape page. A town report lists
 * its sections after the cover (目录); a section flagged REPORT_SECTION_PAGE
 * (the sign-off page) starts after a form feed, on a sheet of its own, its
 * lines a blank line apart to sign on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "taizhang/utf8.h"

#define INDENT "  "
#define GAP "  "
#define NOTE_NCOLS 76

/* Whether cp may not begin a line (closing punctuation: ，。、）” ...). */
static int closes(uint32_t cp)
{
	static const uint32_t closing[] = {
		0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B,
		0x300D, 0x300F, 0x201D, 0x2019, 0x3011, 0xFF0E, ',', '.', ';', ':', '?', '!', ')',
	};
	for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++)
		if (cp == closing[i])
			return 1;
	return 0;
}

/* Whether the byte starts or continues an ASCII word (breaks go around it). */
static int wordish(unsigned char c)
{
	return c > ' ' && c < 0x80;
}

#define MAX_LINE_NCHARS 512

/* The byte length of the first line of text wrapped at ncols columns: as many
 * characters as fit (at least one), then moved back so that the next line
 * does not begin with closing punctuation and an ASCII word is not split,
 * when that leaves something on the line. */
static size_t fit_prefix(const char *text, size_t ncols)
{
	size_t starts[MAX_LINE_NCHARS + 1]; /* byte offset of each character on the line */
	size_t n = 0, used = 0, k = 0, nbytes = strlen(text);
	while (k < nbytes && n < MAX_LINE_NCHARS) {
		uint32_t cp;
		size_t len = utf8_decode(text + k, nbytes - k, &cp);
		if (len == 0) {
			len = 1; /* not UTF-8: one byte, one column */
			cp = '?';
		}
		int w = utf8_cp_ncols(cp);
		if (w < 0)
			w = 0;
		if (used + (size_t)w > ncols && n > 0)
			break;
		used += (size_t)w;
		starts[n++] = k;
		k += len;
	}
	if (k >= nbytes)
		return k;
	size_t greedy = k;
	/* Not before closing punctuation: character i begins the next line (i == n:
	 * the one at k, which did not fit). */
	size_t i = n;
	while (i > 1) {
		size_t at = i < n ? starts[i] : k;
		uint32_t next;
		if (utf8_decode(text + at, nbytes - at, &next) == 0 || !closes(next))
			break;
		i--;
	}
	k = i < n ? starts[i] : k;
	/* Not inside an ASCII word. */
	if (k > 0 && wordish((unsigned char)text[k]) && wordish((unsigned char)text[k - 1])) {
		size_t j = i;
		while (j > 0 && wordish((unsigned char)text[starts[j - 1]]))
			j--;
		if (j > 0)
			k = starts[j];
	}
	return k > 0 ? k : greedy;
}

/* Where the line after the one beginning at text starts (a space at the
 * break is dropped). */
static const char *next_line(const char *text, size_t ncols)
{
	text += fit_prefix(text, ncols);
	if (*text == ' ')
		text++;
	return text;
}

/* How many lines text takes wrapped at ncols. */
static size_t wrapped_lines(const char *text, size_t ncols)
{
	size_t n = 0;
	do {
		text = next_line(text, ncols);
		n++;
	} while (*text);
	return n;
}

/* Line `line` of text wrapped at ncols into out (cap bytes); "" past the end. */
static void wrapped_line(const char *text, size_t ncols, size_t line, char *out, size_t cap)
{
	for (size_t i = 0; i < line && *text; i++)
		text = next_line(text, ncols);
	size_t k = *text ? fit_prefix(text, ncols) : 0;
	if (k >= cap)
		k = cap - 1;
	memcpy(out, text, k);
	out[k] = '\0';
}

/* Write text padded with spaces to ncols columns, to the right or left. */
static void put_padded(FILE *out, const char *text, size_t ncols, int right)
{
	size_t w = utf8_ncols(text);
	size_t pad = w < ncols ? ncols - w : 0;
	if (right)
		fprintf(out, "%*s%s", (int)pad, "", text);
	else
		fprintf(out, "%s%*s", text, (int)pad, "");
}

/* Write text as lines of at most NOTE_NCOLS columns: first after first_prefix,
 * the rest after a prefix of as many spaces. */
static void put_wrapped(FILE *out, const char *first_prefix, const char *text)
{
	size_t prefix_ncols = utf8_ncols(first_prefix);
	size_t width = NOTE_NCOLS > prefix_ncols + 10 ? NOTE_NCOLS - prefix_ncols : 10;
	size_t n = wrapped_lines(text, width);
	char *line = xcalloc(1, strlen(text) + 1);
	for (size_t i = 0; i < n; i++) {
		wrapped_line(text, width, i, line, strlen(text) + 1);
		size_t k = strlen(line);
		while (k > 0 && line[k - 1] == ' ')
			line[--k] = '\0';
		if (i == 0)
			fputs(first_prefix, out);
		else
			fprintf(out, "%*s", (int)prefix_ncols, "");
		fprintf(out, "%s\n", line);
	}
	free(line);
}

/* The columns the group of columns [first, first + n) takes, gaps included. */
static size_t group_ncols(const size_t *w, size_t first, size_t n)
{
	size_t used = 0;
	for (size_t c = first; c < first + n; c++)
		used += w[c] + strlen(GAP);
	return used;
}

/* One row (cells given as texts, one per column of sec) of a table showing
 * the ncols columns cols of sec, with column widths w (per column of sec). */
static void put_row(FILE *out, const struct report_section *sec, const char *const *texts,
		    const size_t *w, const size_t *cols, size_t ncols)
{
	size_t nlines = 1;
	for (size_t i = 0; i < ncols; i++) {
		size_t c = cols[i], n = wrapped_lines(texts[c], w[c]);
		if (n > nlines)
			nlines = n;
	}
	for (size_t line = 0; line < nlines; line++) {
		fputs(INDENT, out);
		for (size_t i = 0; i < ncols; i++) {
			size_t c = cols[i], cap = strlen(texts[c]) + 1;
			char *part = xcalloc(1, cap);
			wrapped_line(texts[c], w[c], line, part, cap);
			if (i > 0)
				fputs(GAP, out);
			put_padded(out, part, w[c], report_is_figure(sec->columns[c].type));
			free(part);
		}
		fputc('\n', out);
	}
}

/* The line under the headers (and over a total): dashes as wide as each column. */
static void put_rule(FILE *out, const size_t *w, const size_t *cols, size_t ncols)
{
	fputs(INDENT, out);
	for (size_t i = 0; i < ncols; i++) {
		if (i > 0)
			fputs(GAP, out);
		for (size_t k = 0; k < w[cols[i]]; k++)
			fputc('-', out);
	}
	fputc('\n', out);
}

/* The table of sec showing columns cols. */
static void put_part(FILE *out, const struct report_section *sec, const size_t *w,
		     const size_t *cols, size_t ncols)
{
	const char **texts = xcalloc(sec->ncolumns, sizeof *texts);
	char(*bufs)[REPORT_NUMBER_NBYTES] = xcalloc(sec->ncolumns, sizeof *bufs);
	for (size_t c = 0; c < sec->ncolumns; c++)
		texts[c] = sec->columns[c].title;
	put_row(out, sec, texts, w, cols, ncols);
	put_rule(out, w, cols, ncols);
	for (size_t r = 0; r < sec->nrows; r++) {
		if (r + 1 == sec->nrows && r > 0 && (sec->flags & REPORT_SECTION_TOTAL))
			put_rule(out, w, cols, ncols);
		for (size_t i = 0; i < ncols; i++)
			texts[cols[i]] = report_cell_text(sec->columns[cols[i]].type,
							  report_at(sec, r, cols[i]),
							  REPORT_STYLE_DISPLAY, bufs[cols[i]]);
		put_row(out, sec, texts, w, cols, ncols);
	}
	free(bufs);
	free(texts);
}

/* A table; one whose figures come in groups (a town report's villages) and
 * that is wider than REPORT_TEXT_PAGE_NCOLS is printed in parts, each with
 * the key columns and as many whole groups as fit (at least one), every part
 * after the first under "【title（续）】". */
static void put_table(FILE *out, const struct report_section *sec)
{
	size_t *w = xcalloc(sec->ncolumns, sizeof *w);
	size_t *cols = xcalloc(sec->ncolumns, sizeof *cols);
	size_t total = 0;
	for (size_t c = 0; c < sec->ncolumns; c++) {
		w[c] = report_column_ncols(sec, c);
		if (!report_is_figure(sec->columns[c].type) && w[c] > REPORT_TEXT_MAX_NCOLS)
			w[c] = REPORT_TEXT_MAX_NCOLS;
		total += w[c] + strlen(GAP);
	}
	size_t group = sec->group_ncolumns;
	if (group == 0 || total <= REPORT_TEXT_PAGE_NCOLS ||
	    (sec->ncolumns - sec->nkeys) % group != 0) {
		for (size_t c = 0; c < sec->ncolumns; c++)
			cols[c] = c;
		put_part(out, sec, w, cols, sec->ncolumns);
	} else {
		size_t keys_ncols = strlen(INDENT);
		for (size_t c = 0; c < sec->nkeys; c++)
			keys_ncols += w[c] + strlen(GAP);
		for (size_t next = sec->nkeys, part = 0; next < sec->ncolumns; part++) {
			size_t n = 0, used = keys_ncols;
			for (size_t c = 0; c < sec->nkeys; c++)
				cols[n++] = c;
			do {
				for (size_t c = next; c < next + group; c++) {
					cols[n++] = c;
					used += w[c] + strlen(GAP);
				}
				next += group;
			} while (next < sec->ncolumns &&
				 used + group_ncols(w, next, group) <= REPORT_TEXT_PAGE_NCOLS);
			if (part > 0)
				fprintf(out, "\n【%s（续）】\n", sec->title);
			put_part(out, sec, w, cols, n);
		}
	}
	free(cols);
	free(w);
}

/* A form section (the cover): "label：value" lines. */
static void put_form(FILE *out, const struct report_section *sec)
{
	char buf[REPORT_NUMBER_NBYTES];
	for (size_t r = 0; r < sec->nrows; r++) {
		const char *label = report_cell_text(sec->columns[0].type, report_at(sec, r, 0),
						     REPORT_STYLE_DISPLAY, buf);
		char *prefix = xasprintf("%s：", label);
		char vbuf[REPORT_NUMBER_NBYTES];
		const char *value = sec->ncolumns > 1
					    ? report_cell_text(sec->columns[1].type, report_at(sec, r, 1),
							       REPORT_STYLE_DISPLAY, vbuf)
					    : "";
		put_wrapped(out, prefix, value);
		free(prefix);
		/* A page to sign: room to write between the lines. */
		if (sec->flags & REPORT_SECTION_PAGE)
			fputc('\n', out);
	}
}

/* The table of contents of a town report, long enough to need one: every
 * section after the cover, numbered, as "目录" lines (not a table). */
static void put_contents(FILE *out, const struct report *r)
{
	fputs("\n目录\n", out);
	for (size_t i = 1; i < r->nsections; i++)
		fprintf(out, INDENT "%2zu. %s\n", i, r->sections[i].title);
}

/* "【title】", then the table (a form: its lines) and the note. */
static void put_section(FILE *out, const struct report_section *sec)
{
	fprintf(out, "【%s】\n", sec->title);
	if (sec->flags & REPORT_SECTION_FORM)
		put_form(out, sec);
	else if (sec->nrows == 0)
		fputs(INDENT "（无）\n", out);
	else
		put_table(out, sec);
	if (sec->note != NULL)
		put_wrapped(out, INDENT "注：", sec->note);
}

int report_write_text(const struct report *r, FILE *out, struct tz_error *err)
{
	char *title = report_title(r);
	fprintf(out, "%s\n", title);
	for (size_t k = utf8_ncols(title); k > 0; k--)
		fputc('=', out);
	fputc('\n', out);
	free(title);
	for (size_t i = 0; i < r->nsections; i++) {
		const struct report_section *sec = &r->sections[i];
		if ((sec->flags & REPORT_SECTION_FORM) && i == 0) {
			put_form(out, sec);
			if (r->town)
				put_contents(out, r);
			continue;
		}
		/* A page of its own: a form feed starts it on a new sheet. */
		fputs(sec->flags & REPORT_SECTION_PAGE ? "\n\f" : "\n", out);
		put_section(out, sec);
	}
	if (ferror(out))
		return tz_error_set(err, TZ_EFAIL, "写出文字报表失败");
	return TZ_OK;
}

int report_write_section_text(const struct report_section *sec, FILE *out, struct tz_error *err)
{
	put_section(out, sec);
	if (ferror(out))
		return tz_error_set(err, TZ_EFAIL, "写出文字报表失败");
	return TZ_OK;
}
