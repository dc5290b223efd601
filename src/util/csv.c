/*
 * csv.c — an RFC 4180 reader for hostile files (see include/taizhang/csv.h).
 *
 * The reader is a small state machine over the bytes of one record at a time:
 * at the start of a field it decides whether the field is quoted; an unquoted
 * field runs to the next separator or line end and may not contain a quote; a
 * quoted field runs to a quote that is not doubled, and must then be followed by
 * a separator, a line end or the end of the buffer. The unquoted bytes of the
 * record's fields are copied, NUL-terminated, into one growing buffer that the
 * reader owns and reuses, so a record costs no allocation once the buffer has
 * grown to the size of the longest record.
 *
 * Every limit is checked as the bytes arrive, before anything grows past it, so
 * a hostile file (a million commas, a gigabyte in one cell) costs at most
 * CSV_MAX_FIELDS fields of CSV_MAX_FIELD_NBYTES each.
 *
 * Deliberately not here: encodings (textenc.c), what the columns mean (the
 * importers in model/), and any attempt to resynchronise after an error — after
 * an unclosed quote, nothing that follows can be trusted to be where it seems.
 */
#include <stdlib.h>
#include <string.h>

#include "taizhang/csv.h"
#include "taizhang/vec.h"

/* Whether the header line — the first line with a tab or a comma, so that a
 * title row above the header does not decide — has a tab and no comma. */
static int header_is_tab_separated(const char *text, size_t nbytes)
{
	size_t i = 0;
	while (i < nbytes) {
		int tabs = 0, commas = 0;
		for (; i < nbytes && text[i] != '\r' && text[i] != '\n'; i++) {
			commas |= text[i] == ',';
			tabs |= text[i] == '\t';
		}
		if (tabs || commas)
			return tabs && !commas;
		while (i < nbytes && (text[i] == '\r' || text[i] == '\n'))
			i++;
	}
	return 0;
}

int csv_open(struct csv_reader *r, const char *text, size_t nbytes, struct tz_error *err)
{
	memset(r, 0, sizeof *r);
	r->text = text;
	r->line = 1;
	r->sep = ',';
	if (nbytes > CSV_MAX_FILE_NBYTES) {
		r->nbytes = 0;
		return tz_error_set(err, TZ_EFAIL,
				    "文件太大（%zu 字节），最多只能读 %u MB；请把表格分成几个文件",
				    nbytes, CSV_MAX_FILE_NBYTES / (1024u * 1024u));
	}
	r->nbytes = nbytes;
	if (header_is_tab_separated(text, nbytes))
		r->sep = '\t';
	return TZ_OK;
}

char csv_separator(const struct csv_reader *r)
{
	return r->sep;
}

void csv_close(struct csv_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->buf_nbytes = r->buf_cap = 0;
}

size_t csv_line_of(const char *text, size_t nbytes, size_t offset)
{
	size_t line = 1;
	if (offset > nbytes)
		offset = nbytes;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n')
			line++;
		else if (text[i] == '\r' && !(i + 1 < nbytes && text[i + 1] == '\n'))
			line++;
	}
	return line;
}

/* Stop reading: later calls to csv_next see the end. Returns TZ_EFAIL. */
static int refuse(struct csv_reader *r)
{
	r->pos = r->nbytes;
	return TZ_EFAIL;
}

/* Make room for one more byte in r->buf. */
static void reserve(struct csv_reader *r)
{
	VEC_RESERVE(r->buf, r->buf_cap, r->buf_nbytes + 1);
}

/* Append one byte to the current field; field_nbytes counts the field so far. */
static int put_byte(struct csv_reader *r, char c, size_t *field_nbytes, size_t line,
		    struct tz_error *err)
{
	if (*field_nbytes >= CSV_MAX_FIELD_NBYTES) {
		tz_error_set(err, TZ_EFAIL,
			     "第 %zu 行：有一格内容超过 %u KB，不像是名册里的数据；请检查文件是否正确",
			     line, CSV_MAX_FIELD_NBYTES / 1024u);
		return refuse(r);
	}
	reserve(r);
	r->buf[r->buf_nbytes++] = c;
	(*field_nbytes)++;
	return TZ_OK;
}

/* Consume a line end at r->pos (CRLF, LF or CR) if there is one; returns 1 if so. */
static int eat_line_end(struct csv_reader *r)
{
	if (r->pos >= r->nbytes)
		return 0;
	char c = r->text[r->pos];
	if (c == '\n') {
		r->pos++;
	} else if (c == '\r') {
		r->pos++;
		if (r->pos < r->nbytes && r->text[r->pos] == '\n')
			r->pos++;
	} else {
		return 0;
	}
	r->line++;
	return 1;
}

static int nul_byte(struct csv_reader *r, struct tz_error *err)
{
	tz_error_set(err, TZ_EFAIL,
		     "第 %zu 行：文件里有空字符（NUL），不是正常的文本表格；"
		     "如果是 Excel 文件，请另存为“CSV UTF-8（逗号分隔）”后再导入",
		     r->line);
	return refuse(r);
}

/* Read a quoted field whose opening quote is at r->pos. */
static int read_quoted(struct csv_reader *r, size_t *field_nbytes, struct tz_error *err)
{
	size_t start_line = r->line;
	r->pos++; /* the opening quote */
	for (;;) {
		if (r->pos >= r->nbytes) {
			tz_error_set(err, TZ_EFAIL,
				     "第 %zu 行：这一行有个引号（\"）开头的格子，直到文件末尾都没有"
				     "配对的结束引号；请检查这一行的引号",
				     start_line);
			return refuse(r);
		}
		char c = r->text[r->pos];
		if (c == '\0')
			return nul_byte(r, err);
		if (c == '"') {
			if (r->pos + 1 < r->nbytes && r->text[r->pos + 1] == '"') {
				if (put_byte(r, '"', field_nbytes, start_line, err) != TZ_OK)
					return TZ_EFAIL;
				r->pos += 2;
				continue;
			}
			r->pos++; /* the closing quote */
			break;
		}
		if (c == '\r' || c == '\n') {
			/* Line ends inside quotes belong to the field, verbatim. */
			size_t from = r->pos;
			eat_line_end(r);
			for (size_t i = from; i < r->pos; i++)
				if (put_byte(r, r->text[i], field_nbytes, start_line, err) != TZ_OK)
					return TZ_EFAIL;
			continue;
		}
		if (put_byte(r, c, field_nbytes, start_line, err) != TZ_OK)
			return TZ_EFAIL;
		r->pos++;
	}
	if (r->pos < r->nbytes) {
		char c = r->text[r->pos];
		if (c != r->sep && c != '\r' && c != '\n') {
			tz_error_set(err, TZ_EFAIL,
				     "第 %zu 行：引号（\"）结束后紧跟着别的字符；格子内容里的引号"
				     "要写成两个（\"\"），或者整格不用引号",
				     r->line);
			return refuse(r);
		}
	}
	return TZ_OK;
}

/* Read an unquoted field starting at r->pos. */
static int read_plain(struct csv_reader *r, size_t *field_nbytes, struct tz_error *err)
{
	while (r->pos < r->nbytes) {
		char c = r->text[r->pos];
		if (c == r->sep || c == '\r' || c == '\n')
			break;
		if (c == '\0')
			return nul_byte(r, err);
		if (c == '"') {
			tz_error_set(err, TZ_EFAIL,
				     "第 %zu 行：有个格子中间出现了引号（\"）；带引号的内容要整格"
				     "用引号括起来，里面的引号写成两个（\"\"）",
				     r->line);
			return refuse(r);
		}
		if (put_byte(r, c, field_nbytes, r->line, err) != TZ_OK)
			return TZ_EFAIL;
		r->pos++;
	}
	return TZ_OK;
}

int csv_next(struct csv_reader *r, struct csv_record *rec, int *more, struct tz_error *err)
{
	*more = 0;
	/* Skip empty lines. */
	while (eat_line_end(r))
		;
	if (r->pos >= r->nbytes)
		return TZ_OK;
	rec->line = r->line;
	rec->nfields = 0;
	r->buf_nbytes = 0;
	for (;;) {
		if (rec->nfields >= CSV_MAX_FIELDS) {
			tz_error_set(err, TZ_EFAIL,
				     "第 %zu 行：这一行超过 %d 列，不像是名册；请检查分隔符是否正确",
				     rec->line, CSV_MAX_FIELDS);
			return refuse(r);
		}
		r->starts[rec->nfields++] = r->buf_nbytes;
		size_t field_nbytes = 0;
		int rc;
		if (r->pos < r->nbytes && r->text[r->pos] == '"')
			rc = read_quoted(r, &field_nbytes, err);
		else
			rc = read_plain(r, &field_nbytes, err);
		if (rc != TZ_OK)
			return rc;
		/* The terminating NUL (not content: put_byte's limit is not for it). */
		reserve(r);
		r->buf[r->buf_nbytes++] = '\0';
		if (r->pos < r->nbytes && r->text[r->pos] == r->sep) {
			r->pos++;
			continue; /* a separator at the very end starts one empty field */
		}
		eat_line_end(r);
		break;
	}
	for (size_t i = 0; i < rec->nfields; i++)
		rec->fields[i] = r->buf + r->starts[i];
	*more = 1;
	return TZ_OK;
}

/* A signed number as figures are written (-1, +2.5, -12.5%): no formula. */
static int is_number(const char *text, size_t nbytes)
{
	size_t i = 1, digits = 0, dots = 0;
	if (nbytes < 2 || (text[0] != '-' && text[0] != '+'))
		return 0;
	for (; i < nbytes; i++) {
		if (text[i] >= '0' && text[i] <= '9')
			digits++;
		else if (text[i] == '.' && dots++ == 0)
			continue;
		else if (text[i] == '%' && i == nbytes - 1)
			continue;
		else
			return 0;
	}
	return digits > 0;
}

void csv_write_field(FILE *out, const char *text, size_t nbytes, unsigned flags)
{
	int quote = 0;
	for (size_t i = 0; i < nbytes && !quote; i++)
		quote = text[i] == ',' || text[i] == '"' || text[i] == '\n' || text[i] == '\r';
	int guard = (flags & CSV_FOR_SPREADSHEET) && nbytes > 0 &&
		    strchr("=+-@\t\r", text[0]) != NULL && !is_number(text, nbytes);
	if (quote)
		putc('"', out);
	if (guard)
		putc('\'', out);
	for (size_t i = 0; i < nbytes; i++) {
		if (quote && text[i] == '"')
			putc('"', out);
		putc(text[i], out);
	}
	if (quote)
		putc('"', out);
}

void csv_write_text(FILE *out, const char *text, unsigned flags)
{
	if (text != NULL)
		csv_write_field(out, text, strlen(text), flags);
}
