/*
 * csv.h — reading CSV (RFC 4180) and tab-separated text from a memory buffer.
 *
 * The rosters officers bring in come from Excel and from other departments'
 * systems, and are hostile input: the reader accepts what those programs write
 * and refuses, with the line number, anything it cannot read without guessing.
 *
 * Accepted:
 *   - fields separated by ',' — or by TAB when the header line (the first line
 *     with a tab or a comma in it, so that a title row such as "某村低保名册"
 *     above the header does not count) has a tab and no comma, as the county
 *     systems' "文本文件（制表符分隔）" exports do; the same quoting rules apply
 *     to both;
 *   - quoted fields ("...") holding separators, line ends and doubled quotes
 *     (""), kept verbatim apart from the quoting;
 *   - CRLF, LF or CR line ends, mixed; a last record with or without a line end;
 *   - empty lines (no bytes at all between two line ends), which are skipped.
 * Refused (TZ_EFAIL, the message starting "第 N 行："): a quote never closed
 * (N = the line where the quoted field starts), a quote inside an unquoted field,
 * text after a closing quote, a NUL byte, a record of more than CSV_MAX_FIELDS
 * fields, a field of more than CSV_MAX_FIELD_NBYTES bytes; and a buffer over
 * CSV_MAX_FILE_NBYTES (no line number).
 *
 * Line numbers count line ends in the buffer (CRLF is one), from 1, the way a
 * text editor numbers lines; a record with quoted line ends spans several lines
 * and is reported at the line where it starts.
 *
 * Deliberately not here: character encodings (textenc.h converts first: the
 * reader is byte-oriented and only looks at the ASCII bytes , TAB " CR LF, so
 * UTF-8 passes through intact), header matching, and trimming of spaces (a
 * field's spaces are its own; the caller decides).
 */
#ifndef TAIZHANG_CSV_H
#define TAIZHANG_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "taizhang/error.h"

#define CSV_MAX_FIELDS 200
#define CSV_MAX_FIELD_NBYTES (64u * 1024u)
#define CSV_MAX_FILE_NBYTES (100u * 1024u * 1024u)

/* A reader over a buffer the caller keeps alive and unchanged while reading. */
struct csv_reader {
	const char *text;     /* the buffer (not owned) */
	size_t nbytes;
	size_t pos;           /* next byte to read */
	size_t line;          /* line of text[pos], from 1 */
	char sep;             /* ',' or '\t' */
	/* The current record: fields' bytes, each NUL-terminated, in buf. */
	char *buf;
	size_t buf_nbytes, buf_cap;
	size_t starts[CSV_MAX_FIELDS];
};

/* One record; valid until the next csv_next() or csv_close() on its reader. */
struct csv_record {
	size_t line;          /* line where the record starts, from 1 */
	size_t nfields;       /* at least 1 */
	const char *fields[CSV_MAX_FIELDS]; /* NUL-terminated, never NULL */
};

/* Start reading text (nbytes bytes, NUL not required). Picks the separator from
 * the header line (see above). Returns TZ_OK, or TZ_EFAIL when the buffer is
 * larger than CSV_MAX_FILE_NBYTES. Always pair with csv_close(). */
int csv_open(struct csv_reader *r, const char *text, size_t nbytes, struct tz_error *err);

/* Read the next record into *rec. Returns TZ_OK with *more = 1 and the record
 * filled, TZ_OK with *more = 0 at the end of the buffer, or TZ_EFAIL with a
 * message "第 N 行：..." when the text cannot be read (the reader then stays at
 * the end: later calls return *more = 0). */
int csv_next(struct csv_reader *r, struct csv_record *rec, int *more, struct tz_error *err);

/* The separator in use: ',' or '\t'. */
char csv_separator(const struct csv_reader *r);

/* Free what the reader holds (not the text). */
void csv_close(struct csv_reader *r);

/* The 1-based line number of byte offset in text (CRLF, LF and CR each end a
 * line), for messages about positions found outside the reader. */
size_t csv_line_of(const char *text, size_t nbytes, size_t offset);

/* ---- writing ---- */

/* The UTF-8 byte-order mark that starts every CSV written for people to open
 * (reports, check --csv, problem list --csv, compare dibao --csv): without it
 * Excel and WPS read UTF-8 as the local code page and show the Chinese garbled.
 * Machine output (query) goes without it. */
#define CSV_UTF8_BOM "\xEF\xBB\xBF"

enum csv_write_flags {
	/* For files people open in a spreadsheet: a field beginning with = + - @ or
	 * a tab or CR gets a leading apostrophe, so that Excel shows it as text and
	 * never runs it as a formula (names and notes may come from hostile files).
	 * A signed number (-1, +2.5, -3%) is left as it is. */
	CSV_FOR_SPREADSHEET = 1 << 0,
};

/* Write nbytes of text as one RFC 4180 field: quoted (quotes doubled) when it
 * holds a comma, a quote or a line end. */
void csv_write_field(FILE *out, const char *text, size_t nbytes, unsigned flags);

/* The same for a NUL-terminated text; NULL writes an empty field. */
void csv_write_text(FILE *out, const char *text, unsigned flags);

#endif
