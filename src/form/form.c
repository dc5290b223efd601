/*
 * form.c — the form file format, and loading one form from it.
 *
 * A form file describes one data-entry screen for one table of the model
 * (model.h). It is data: a field whose column the model already has is added
 * to a screen by editing the file, with no C change, because every value is
 * still validated by the model. Loading checks the whole file against the
 * model and either returns the form or refuses it with "<file> 第 N 行：<reason>"
 * (the first problem by line, and how many more there are) — never a part of
 * it. This file is the format's one definition; keep it and the parser in step.
 *
 * FORMAT, version 1
 *
 * Bytes. UTF-8 text (a UTF-8 byte order mark at the very start is allowed);
 * lines end with LF or CR LF; no NUL byte; at most FORM_MAX_FILE_NBYTES bytes
 * in all. A line holds at most 198 bytes before its line end: libinih reads
 * lines into a 200-byte buffer (its INI_MAX_LINE, which also holds the line end
 * and a NUL) and would split a longer one, so such a line is refused here
 * rather than cut. 198 bytes is 60 Chinese characters after "help = ".
 *
 * Syntax. INI, read by libinih (ini_parse_stream with a line reader of ours,
 * which counts lines for messages; there is no parser of our own):
 *   - a line whose first non-blank character is ';' or '#' is a comment;
 *   - ';' after a space or tab starts a comment that ends the line, so inside a
 *     help text write the full-width '；', never " ;";
 *   - blank lines are ignored;
 *   - "[NAME]" starts a section;
 *   - "key = value" sets a key: blanks around key and value are dropped, and
 *     the value is the rest of the line (it may contain '=' itself);
 *   - every key starts at the beginning of its line: libinih would take an
 *     indented line as the continuation of the previous value, so an indented
 *     key is refused.
 * Keys are lower case and written once per section; an unknown key, an empty
 * value, a key outside a section and a section without keys are errors.
 *
 * Sections, in this order:
 *   [form]          once, first in the file
 *   [field.NAME]    one per field, in display order, 1 to FORM_MAX_FIELDS of
 *                   them; NAME matches [a-z][a-z0-9_]*, at most 40 bytes, and
 *                   is unique in the file
 * Any other section name is an error.
 *
 * [form] keys
 *   title    required. The screen's title: Chinese, at most 40 columns.
 *   table    required. A table of model_tables(): households, members ...
 *   help     required. One line shown on the screen, at most 76 columns.
 *   list     optional. The fields a list screen shows as its columns, by NAME,
 *            separated by ',': "list = name, idcard, relation".
 *   key      optional. The field, with a column, that names a record in lists
 *            and pickers ("key = name"). Default: the first field of list that
 *            has a column, else the first field that has one.
 *
 * [field.NAME] keys
 *   label       required. Chinese, at most 20 columns, shown before the box.
 *   help        required. One line shown while the field has focus, at most
 *               76 columns: what to enter and in what form, in plain words.
 *   column      The table's column the field enters. Required unless the field
 *               is computed. It must be a field of the model's table_def
 *               (model_field): a column the table has but the model does not
 *               let officers enter (id, owner, village_code, created_at, a
 *               project's stage ...) is refused with "该列不能在表单中录入". Two
 *               fields may not enter the same column.
 *   type        text, note, int, money, date, enum, codes, idcard, phone, bool
 *               or ref. Optional; when written it must be the model's type: a
 *               form cannot change how a value is checked.
 *   required    yes or no. Default: the model's. "no" on a column the model
 *               requires is refused; "yes" on one it does not is the form being
 *               stricter, and holds while the field is shown.
 *   min, max    Narrower limits than the model's (never wider): int, whole
 *               numbers; money, 元 with at most two decimals ("50000", "0.5");
 *               text and note, max only, in characters. min <= max, max >= 1.
 *   max_ncols   text and note only: the most terminal columns the value may
 *               take (a Chinese character is 2, a letter or digit 1), 1 to
 *               4000; with max it bounds a name both ways ("max = 20",
 *               "max_ncols = 30": at most 15 Chinese characters or 20 letters
 *               and digits, whichever comes first). Checked by
 *               form_field_check, so every caller of the form (the screens,
 *               `taizhang record`) refuses a longer value, naming the field.
 *   code_list   enum and codes only. Optional; must be the model's code list.
 *   ref         ref only. Optional; must be the model's table.
 *   visible_if  The field is shown only while a condition on another field of
 *               this form holds (GRAMMAR below). Not allowed on a column the
 *               model requires, which must always be entered.
 *   computed    A read-only value derived from an idcard field F of this form:
 *                 age_from = F    whole years from F's birth date to date_today()
 *                 sex_from = F    男 or 女, from F's 17th digit
 *                 birth_from = F  F's birth date, YYYY-MM-DD
 *               (so the line reads "computed = age_from = idcard"). Without a
 *               column the value is shown only, and the field takes none of
 *               type, required, min, max, code_list, ref. With a column (sex_from:
 *               an enum of code list sex; birth_from: a date; age_from: an int)
 *               the column must not be required by the model, which completes it
 *               itself when the record is saved.
 *   width       The input box, in columns, 2 to 60. Default by type: text
 *               2 per character of max within 10..40, note 40, int 8, money 14,
 *               date 12, enum 20, codes 30, idcard 20, phone 14, bool 4, ref 30;
 *               computed age 4, sex 4, birth 12.
 *   readonly    yes or no (default no): shown, not editable. Computed fields
 *               are always read-only.
 *
 * Text of title, label and help: no control characters, and no character of
 * East Asian Width "Ambiguous" (“ ” ‘ ’ — … · × ※ • ① ■ ◆ ★, box drawing,
 * Greek, Cyrillic ...): terminals disagree whether those take one column or
 * two, which misaligns the screen. Write 「」 for quotes; full-width （）：；，、
 * and ASCII are fine.
 *
 * GRAMMAR of visible_if (blanks around tokens are optional, except around in)
 *   cond   = NAME "=" VALUE
 *          | NAME "!=" VALUE
 *          | NAME " in " VALUE { "," VALUE }
 *   NAME   = a field of this form whose type is enum or bool, not itself
 *            (a computed sex_from counts, with its value 男/女: codes M, F)
 *   VALUE  = [A-Za-z0-9_]+ : a code of NAME's code list (as seeded by db/), or
 *            yes / no for a bool field
 * A condition compares NAME's current value (its code, or its Chinese label)
 * with the codes. A field whose NAME is itself hidden counts NAME as empty:
 * "=" and "in" are then false and "!=" true. Conditions may chain; they may not
 * loop.
 *
 * Whole form: every column the model requires has a field, or records entered
 * with the form could never be saved.
 *
 * EXAMPLE (forms/schooling.form, with its comments)
 *
 *   ; 就学情况：每个上学年龄的孩子一条
 *   [form]
 *   title = 就学情况
 *   table = schooling
 *   help = 每个上学年龄的孩子登记一条；辍学的孩子要写明原因
 *   list = member_id, stage, state, as_of
 *   key = member_id
 *
 *   [field.member_id]
 *   label = 学生
 *   column = member_id
 *   type = ref
 *   help = 从家庭成员中选这个孩子
 *
 *   [field.stage]
 *   label = 学段
 *   column = stage
 *   type = enum
 *   help = 孩子现在该上或正在上的学段：学前、小学、初中、高中、中职、大学
 *
 *   [field.state]
 *   label = 就学状态
 *   column = state
 *   type = enum
 *   help = 按核实的情况选：在校、辍学、毕业或未入学
 *
 *   [field.school]
 *   label = 学校
 *   column = school
 *   max = 40
 *   help = 学校全称，如：城关镇第一小学
 *
 *   [field.dropout_reason]
 *   label = 辍学原因
 *   column = dropout_reason
 *   max = 30
 *   max_ncols = 60
 *   required = yes
 *   visible_if = state = dropped_out
 *   help = 写明为什么不上学了，如：因病休学、外出打工、厌学
 *
 *   [field.as_of]
 *   label = 核实日期
 *   column = as_of
 *   type = date
 *   help = 哪天核实的，如 2019-05-01
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "form_internal.h"
#include "taizhang/decimal.h"
#include "taizhang/money.h"
#include "taizhang/names.h"
#include "taizhang/utf8.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#define NAME_MAX_NBYTES 40
#define MONEY_DEFAULT_MAX_CENTS 100000000000LL /* as src/model/field.c: 10 亿元 */
#define TEXT_DEFAULT_MAX_NCHARS 200            /* as src/model/field.c */
#define NOTE_DEFAULT_MAX_NCHARS 2000

/* ---- the vocabulary ---- */

static const char *const type_names[] = {
	[FIELD_TEXT] = "text",   [FIELD_NOTE] = "note",     [FIELD_INT] = "int",
	[FIELD_MONEY] = "money", [FIELD_DATE] = "date",     [FIELD_ENUM] = "enum",
	[FIELD_CODES] = "codes", [FIELD_IDCARD] = "idcard", [FIELD_PHONE] = "phone",
	[FIELD_BOOL] = "bool",   [FIELD_REF] = "ref",
};
#define NTYPES (sizeof type_names / sizeof type_names[0])
#define TYPE_LIST "text、note、int、money、date、enum、codes、idcard、phone、bool、ref"

const char *form_type_name(enum field_type t)
{
	return (size_t)t < NTYPES ? type_names[t] : "?";
}

int form_type_parse(const char *name)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (strcmp(name, type_names[i]) == 0)
			return (int)i;
	return -1;
}

enum form_key { H_TITLE, H_TABLE, H_HELP, H_LIST, H_KEY, NFORM_KEYS };
static const char *const form_keys[NFORM_KEYS] = { "title", "table", "help", "list", "key" };
#define FORM_KEY_LIST "title、table、help、list、key"

enum field_key {
	K_LABEL, K_HELP, K_COLUMN, K_TYPE, K_REQUIRED, K_MIN, K_MAX, K_CODE_LIST, K_REF,
	K_VISIBLE_IF, K_COMPUTED, K_WIDTH, K_READONLY, K_MAX_NCOLS, K_SUGGEST, NFIELD_KEYS
};
static const char *const field_keys[NFIELD_KEYS] = {
	"label", "help", "column", "type", "required", "min", "max", "code_list", "ref",
	"visible_if", "computed", "width", "readonly", "max_ncols", "suggest",
};
#define FIELD_KEY_LIST \
	"label、help、column、type、required、min、max、code_list、ref、visible_if、computed、width、readonly、max_ncols、suggest"

static const struct name_value computes[] = {
	{ "age_from", FORM_COMPUTE_AGE },
	{ "sex_from", FORM_COMPUTE_SEX },
	{ "birth_from", FORM_COMPUTE_BIRTH },
};

/* Characters of East Asian Width "Ambiguous" (Unicode 14 EastAsianWidth.txt,
 * generated with Python's unicodedata.east_asian_width(c) == 'A'). */
static const struct {
	uint32_t lo, hi;
} ambiguous[] = {
	{ 0x00A1, 0x00A1 }, { 0x00A4, 0x00A4 }, { 0x00A7, 0x00A8 }, { 0x00AA, 0x00AA },
	{ 0x00AD, 0x00AE }, { 0x00B0, 0x00B4 }, { 0x00B6, 0x00BA }, { 0x00BC, 0x00BF },
	{ 0x00C6, 0x00C6 }, { 0x00D0, 0x00D0 }, { 0x00D7, 0x00D8 }, { 0x00DE, 0x00E1 },
	{ 0x00E6, 0x00E6 }, { 0x00E8, 0x00EA }, { 0x00EC, 0x00ED }, { 0x00F0, 0x00F0 },
	{ 0x00F2, 0x00F3 }, { 0x00F7, 0x00FA }, { 0x00FC, 0x00FC }, { 0x00FE, 0x00FE },
	{ 0x0101, 0x0101 }, { 0x0111, 0x0111 }, { 0x0113, 0x0113 }, { 0x011B, 0x011B },
	{ 0x0126, 0x0127 }, { 0x012B, 0x012B }, { 0x0131, 0x0133 }, { 0x0138, 0x0138 },
	{ 0x013F, 0x0142 }, { 0x0144, 0x0144 }, { 0x0148, 0x014B }, { 0x014D, 0x014D },
	{ 0x0152, 0x0153 }, { 0x0166, 0x0167 }, { 0x016B, 0x016B }, { 0x01CE, 0x01CE },
	{ 0x01D0, 0x01D0 }, { 0x01D2, 0x01D2 }, { 0x01D4, 0x01D4 }, { 0x01D6, 0x01D6 },
	{ 0x01D8, 0x01D8 }, { 0x01DA, 0x01DA }, { 0x01DC, 0x01DC }, { 0x0251, 0x0251 },
	{ 0x0261, 0x0261 }, { 0x02C4, 0x02C4 }, { 0x02C7, 0x02C7 }, { 0x02C9, 0x02CB },
	{ 0x02CD, 0x02CD }, { 0x02D0, 0x02D0 }, { 0x02D8, 0x02DB }, { 0x02DD, 0x02DD },
	{ 0x02DF, 0x02DF }, { 0x0300, 0x036F }, { 0x0391, 0x03A1 }, { 0x03A3, 0x03A9 },
	{ 0x03B1, 0x03C1 }, { 0x03C3, 0x03C9 }, { 0x0401, 0x0401 }, { 0x0410, 0x044F },
	{ 0x0451, 0x0451 }, { 0x2010, 0x2010 }, { 0x2013, 0x2016 }, { 0x2018, 0x2019 },
	{ 0x201C, 0x201D }, { 0x2020, 0x2022 }, { 0x2024, 0x2027 }, { 0x2030, 0x2030 },
	{ 0x2032, 0x2033 }, { 0x2035, 0x2035 }, { 0x203B, 0x203B }, { 0x203E, 0x203E },
	{ 0x2074, 0x2074 }, { 0x207F, 0x207F }, { 0x2081, 0x2084 }, { 0x20AC, 0x20AC },
	{ 0x2103, 0x2103 }, { 0x2105, 0x2105 }, { 0x2109, 0x2109 }, { 0x2113, 0x2113 },
	{ 0x2116, 0x2116 }, { 0x2121, 0x2122 }, { 0x2126, 0x2126 }, { 0x212B, 0x212B },
	{ 0x2153, 0x2154 }, { 0x215B, 0x215E }, { 0x2160, 0x216B }, { 0x2170, 0x2179 },
	{ 0x2189, 0x2189 }, { 0x2190, 0x2199 }, { 0x21B8, 0x21B9 }, { 0x21D2, 0x21D2 },
	{ 0x21D4, 0x21D4 }, { 0x21E7, 0x21E7 }, { 0x2200, 0x2200 }, { 0x2202, 0x2203 },
	{ 0x2207, 0x2208 }, { 0x220B, 0x220B }, { 0x220F, 0x220F }, { 0x2211, 0x2211 },
	{ 0x2215, 0x2215 }, { 0x221A, 0x221A }, { 0x221D, 0x2220 }, { 0x2223, 0x2223 },
	{ 0x2225, 0x2225 }, { 0x2227, 0x222C }, { 0x222E, 0x222E }, { 0x2234, 0x2237 },
	{ 0x223C, 0x223D }, { 0x2248, 0x2248 }, { 0x224C, 0x224C }, { 0x2252, 0x2252 },
	{ 0x2260, 0x2261 }, { 0x2264, 0x2267 }, { 0x226A, 0x226B }, { 0x226E, 0x226F },
	{ 0x2282, 0x2283 }, { 0x2286, 0x2287 }, { 0x2295, 0x2295 }, { 0x2299, 0x2299 },
	{ 0x22A5, 0x22A5 }, { 0x22BF, 0x22BF }, { 0x2312, 0x2312 }, { 0x2460, 0x24E9 },
	{ 0x24EB, 0x254B }, { 0x2550, 0x2573 }, { 0x2580, 0x258F }, { 0x2592, 0x2595 },
	{ 0x25A0, 0x25A1 }, { 0x25A3, 0x25A9 }, { 0x25B2, 0x25B3 }, { 0x25B6, 0x25B7 },
	{ 0x25BC, 0x25BD }, { 0x25C0, 0x25C1 }, { 0x25C6, 0x25C8 }, { 0x25CB, 0x25CB },
	{ 0x25CE, 0x25D1 }, { 0x25E2, 0x25E5 }, { 0x25EF, 0x25EF }, { 0x2605, 0x2606 },
	{ 0x2609, 0x2609 }, { 0x260E, 0x260F }, { 0x261C, 0x261C }, { 0x261E, 0x261E },
	{ 0x2640, 0x2640 }, { 0x2642, 0x2642 }, { 0x2660, 0x2661 }, { 0x2663, 0x2665 },
	{ 0x2667, 0x266A }, { 0x266C, 0x266D }, { 0x266F, 0x266F }, { 0x269E, 0x269F },
	{ 0x26BF, 0x26BF }, { 0x26C6, 0x26CD }, { 0x26CF, 0x26D3 }, { 0x26D5, 0x26E1 },
	{ 0x26E3, 0x26E3 }, { 0x26E8, 0x26E9 }, { 0x26EB, 0x26F1 }, { 0x26F4, 0x26F4 },
	{ 0x26F6, 0x26F9 }, { 0x26FB, 0x26FC }, { 0x26FE, 0x26FF }, { 0x273D, 0x273D },
	{ 0x2776, 0x277F }, { 0x2B56, 0x2B59 }, { 0x3248, 0x324F }, { 0xE000, 0xF8FF },
	{ 0xFE00, 0xFE0F }, { 0xFFFD, 0xFFFD }, { 0x1F100, 0x1F10A }, { 0x1F110, 0x1F12D },
	{ 0x1F130, 0x1F169 }, { 0x1F170, 0x1F18D }, { 0x1F18F, 0x1F190 }, { 0x1F19B, 0x1F1AC },
	{ 0xE0100, 0xE01EF }, { 0xF0000, 0xFFFFD }, { 0x100000, 0x10FFFD },
};

static int is_ambiguous(uint32_t cp)
{
	size_t lo = 0, hi = sizeof ambiguous / sizeof ambiguous[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < ambiguous[mid].lo)
			hi = mid;
		else if (cp > ambiguous[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* ---- the loader's state ---- */

/* A section header line, as the reader saw it. */
struct header {
	int line;
	char *name; /* between '[' and ']' */
	int used;   /* a key was read in it */
};

/* One section's settings, as written: value[k] and its line (0: not written).
 * [form] uses enum form_key, [field.NAME] enum field_key. */
struct raw_section {
	char *name; /* NAME of [field.NAME]; NULL for [form] */
	int line;   /* the header's line */
	char *value[NFIELD_KEYS];
	int vline[NFIELD_KEYS];
};

struct problem {
	int line;
	size_t seq;
	char *msg;
};

enum section_kind { SEC_NONE, SEC_FORM, SEC_FIELD, SEC_SKIP };

struct loader {
	const char *origin;
	struct form_schema *sc;
	/* the reader */
	const char *text;
	size_t nbytes, pos;
	int lineno;          /* of the line last handed to libinih */
	int indented;        /* that line starts with a blank and is not blank */
	int stopped;         /* the reader refused a line; the rest is unread */
	struct header *headers;
	size_t nheaders, headers_cap;
	int form_header_line; /* first "[form]" header seen, 0: none yet */
	/* the handler */
	size_t cur_header;   /* headers index of the section being read; SIZE_MAX: none */
	enum section_kind cur_kind;
	struct raw_section *cur;
	struct raw_section form;
	int have_form;
	struct raw_section *fields;
	size_t nfields, fields_cap;
	/* what is wrong */
	struct problem *problems;
	size_t nproblems, problems_cap;
};

_Static_assert((int)NFORM_KEYS <= (int)NFIELD_KEYS, "raw_section holds both kinds of section");

/* Note a problem at line (1-based). Returns 0, so the libinih handler can
 * `return problem(...)`. */
__attribute__((format(printf, 3, 4))) static int problem(struct loader *ld, int line,
							   const char *fmt, ...)
{
	char buf[TZ_ERROR_NBYTES];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	size_t seq = ld->nproblems;
	*VEC_PUSH(ld->problems, ld->nproblems, ld->problems_cap) =
		(struct problem){ .line = line > 0 ? line : 1, .seq = seq, .msg = xstrdup(buf) };
	return 0;
}

static int has_problem_at(const struct loader *ld, int line)
{
	for (size_t i = 0; i < ld->nproblems; i++)
		if (ld->problems[i].line == line)
			return 1;
	return 0;
}

/* ---- reading lines for libinih ---- */

static int is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Remember a "[name]" line (the same test libinih makes: first non-blank
 * character '[', name up to the first ']'). */
static void note_header(struct loader *ld, const char *line)
{
	const char *p = line;
	while (is_blank_char(*p))
		p++;
	if (*p != '[')
		return;
	const char *end = strchr(p + 1, ']');
	if (end == NULL)
		return; /* libinih reports the line */
	struct header *h = VEC_PUSH(ld->headers, ld->nheaders, ld->headers_cap);
	*h = (struct header){ .line = ld->lineno, .name = xstrndup(p + 1, (size_t)(end - p - 1)) };
	if (ld->form_header_line == 0 && strcmp(h->name, "form") == 0)
		ld->form_header_line = ld->lineno;
}

/* An fgets-style reader over ld->text: one line per call (libinih counts on
 * that), so ld->lineno is the line of every key libinih hands the handler. */
static char *read_line(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	if (ld->stopped || ld->pos >= ld->nbytes)
		return NULL;
	const char *start = ld->text + ld->pos;
	size_t avail = ld->nbytes - ld->pos;
	const char *nl = memchr(start, '\n', avail);
	size_t nbytes = nl ? (size_t)(nl - start) + 1 : avail;
	size_t content = nl ? nbytes - 1 : nbytes;
	if (content > 0 && start[content - 1] == '\r')
		content--;
	ld->lineno++;
	if (memchr(start, '\0', nbytes) != NULL) {
		problem(ld, ld->lineno, "这一行含有空字节（0），不是文本；表单文件必须是 UTF-8 文本");
		ld->stopped = 1;
		return NULL;
	}
	if (!utf8_valid(start, nbytes)) {
		problem(ld, ld->lineno,
			"这一行不是 UTF-8 编码的文字；请用 UTF-8 保存表单文件（不要存成 GBK 或 ANSI）");
		ld->stopped = 1;
		return NULL;
	}
	if (num < 2 || nbytes + 1 > (size_t)num) {
		problem(ld, ld->lineno, "这一行太长：%zu 字节，最多 %d 字节（约 %d 个汉字），请写短一些",
			content, num - 2, (num - 2) / 3);
		ld->stopped = 1;
		return NULL;
	}
	memcpy(str, start, nbytes);
	str[nbytes] = '\0';
	ld->pos += nbytes;

	const char *p = str;
	if (ld->lineno == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	ld->indented = is_blank_char(*p);
	const char *q = p;
	while (is_blank_char(*q))
		q++;
	if (*q == '\n' || *q == '\0')
		ld->indented = 0;
	note_header(ld, p);
	return str;
}

/* ---- the libinih handler: collect settings ---- */

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAME_MAX_NBYTES || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* The first key of a new section: say what kind it is. */
static void open_section(struct loader *ld, const char *section, int line)
{
	ld->cur = NULL;
	ld->cur_kind = SEC_SKIP;
	if (strcmp(section, "form") == 0) {
		if (ld->have_form) {
			problem(ld, line, "[form] 写了两次（第 %d 行已有），一个表单文件只能有一个 [form]",
				ld->form.line);
			return;
		}
		if (ld->nfields > 0) {
			problem(ld, line, "[form] 必须写在所有 [field.字段名] 之前");
			return;
		}
		ld->have_form = 1;
		ld->form.line = line;
		ld->cur = &ld->form;
		ld->cur_kind = SEC_FORM;
		return;
	}
	if (strncmp(section, "field.", 6) != 0) {
		problem(ld, line, "未知的节“[%s]”：只能是 [form] 或 [field.字段名]", section);
		return;
	}
	const char *name = section + 6;
	if (!valid_name(name)) {
		problem(ld, line,
			"字段名“%s”不对：只能用小写英文字母、数字和下划线，以字母开头，最多 %d 个字符",
			name, NAME_MAX_NBYTES);
		return;
	}
	if (ld->form_header_line == 0 || ld->form_header_line > line) {
		problem(ld, line, "[field.%s] 写在了 [form] 之前：文件要先写 [form]（标题、表、说明），再写各个字段",
			name);
		return;
	}
	for (size_t i = 0; i < ld->nfields; i++)
		if (strcmp(ld->fields[i].name, name) == 0) {
			problem(ld, line, "字段“%s”重复：第 %d 行已有 [field.%s]", name,
				ld->fields[i].line, name);
			return;
		}
	if (ld->nfields >= FORM_MAX_FIELDS) {
		problem(ld, line, "字段太多：一个表单最多 %d 个字段", FORM_MAX_FIELDS);
		return;
	}
	/* ld->cur points into ld->fields: only the newest section is open */
	struct raw_section *f = VEC_PUSH(ld->fields, ld->nfields, ld->fields_cap);
	*f = (struct raw_section){ .name = xstrdup(name), .line = line };
	ld->cur = f;
	ld->cur_kind = SEC_FIELD;
}

/* The libinih handler, as <ini.h> declares it by default (no line number:
 * ld->lineno, counted by read_line, is the line whatever libinih was built
 * with). Called once per "key = value". */
static int handle(void *user, const char *section, const char *name, const char *value)
{
	struct loader *ld = user;
	int line = ld->lineno;
	if (name == NULL)
		return 1; /* a new section announced (a libinih build option): nothing to do */
	if (ld->indented)
		return problem(ld, line,
			       "行首不能有空格或制表符：每个设置顶格写成一行“名称 = 值”（缩进的行会被当成上一行的续行）");
	if (ld->nheaders == 0)
		return problem(ld, line, "“%s”写在了所有节之前：文件应以 [form] 开头", name);
	size_t h = ld->nheaders - 1;
	if (h != ld->cur_header) {
		ld->cur_header = h;
		ld->headers[h].used = 1;
		open_section(ld, section, ld->headers[h].line);
	}
	if (ld->cur_kind != SEC_FORM && ld->cur_kind != SEC_FIELD)
		return 1; /* the section is already reported */

	const char *const *keys = ld->cur_kind == SEC_FORM ? form_keys : field_keys;
	size_t nkeys = ld->cur_kind == SEC_FORM ? NFORM_KEYS : NFIELD_KEYS;
	size_t k = 0;
	while (k < nkeys && strcmp(keys[k], name) != 0)
		k++;
	if (k == nkeys)
		return ld->cur_kind == SEC_FORM
			       ? problem(ld, line, "[form] 中没有“%s”这个设置（可用：%s）", name, FORM_KEY_LIST)
			       : problem(ld, line, "字段中没有“%s”这个设置（可用：%s）", name, FIELD_KEY_LIST);
	if (ld->cur->vline[k] != 0)
		return problem(ld, line, "“%s”写了两次（第 %d 行已写过）", name, ld->cur->vline[k]);
	if (value == NULL || value[0] == '\0')
		return problem(ld, line, "“%s”没有写值：应写成“%s = 值”，不需要就删掉这一行", name, name);
	ld->cur->value[k] = xstrdup(value);
	ld->cur->vline[k] = line;
	return 1;
}

/* ---- checking values ---- */

/* Title, label and help: display text that must fit and not misalign. */
static int check_display_text(struct loader *ld, int line, const char *what, const char *text,
			      size_t max_ncols)
{
	size_t n = strlen(text);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(text + i, n - i, &cp);
		if (len == 0)
			return problem(ld, line, "%s不是有效的 UTF-8 文字", what);
		if (cp < 0x20 || cp == 0x7F)
			return problem(ld, line, "%s含有控制字符（如制表符），请删掉", what);
		if (is_ambiguous(cp))
			return problem(ld, line,
				       "%s中的“%.*s”（U+%04X）在有的终端上占一列、有的占两列，会让屏幕错位，请换一种写法（引号请用「」）",
				       what, (int)len, text + i, (unsigned)cp);
		i += len;
	}
	size_t ncols = utf8_ncols(text);
	if (ncols > max_ncols)
		return problem(ld, line, "%s太长：占 %zu 列，最多 %zu 列（一个汉字占 2 列）", what, ncols,
			       max_ncols);
	return 1;
}

static int parse_yes_no(struct loader *ld, const struct raw_section *rs, enum field_key k, int *out)
{
	const char *v = rs->value[k];
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return problem(ld, rs->vline[k], "“%s”只能写 yes 或 no，不能是“%s”", field_keys[k], v);
	return 1;
}

/* The model's limits of m as a closed range, the way src/model/field.c reads
 * min and max (INT 0,0: any >= 0; MONEY max 0: 10 亿元; TEXT/NOTE max 0: the
 * default length). */
static void model_range(const struct field_def *m, long long *lo, long long *hi)
{
	switch (m->type) {
	case FIELD_INT:
		*lo = m->min;
		*hi = m->min == 0 && m->max == 0 ? LLONG_MAX : m->max;
		break;
	case FIELD_MONEY:
		*lo = m->min;
		*hi = m->max > 0 ? m->max : MONEY_DEFAULT_MAX_CENTS;
		break;
	case FIELD_TEXT:
		*lo = 0;
		*hi = m->max > 0 ? m->max : TEXT_DEFAULT_MAX_NCHARS;
		break;
	case FIELD_NOTE:
		*lo = 0;
		*hi = m->max > 0 ? m->max : NOTE_DEFAULT_MAX_NCHARS;
		break;
	default:
		*lo = *hi = 0;
		break;
	}
}

/* A limit as an officer reads it: "5000.00 元", "30 个字", "120". */
static void limit_text(enum field_type t, long long v, char *buf, size_t cap)
{
	char yuan[MONEY_TEXT_NBYTES];
	if (t == FIELD_MONEY)
		snprintf(buf, cap, "%s 元", money_format(v, 0, yuan));
	else if (t == FIELD_TEXT || t == FIELD_NOTE)
		snprintf(buf, cap, "%lld 个字", v);
	else if (v == LLONG_MAX)
		snprintf(buf, cap, "无上限");
	else
		snprintf(buf, cap, "%lld", v);
}

/* min and max of a field with a model field: within the model's, into check. */
static void resolve_limits(struct loader *ld, const struct raw_section *rs, struct form_field *ff)
{
	const struct field_def *m = ff->model;
	if (rs->vline[K_MIN] == 0 && rs->vline[K_MAX] == 0)
		return;
	enum field_type t = m->type;
	if (t != FIELD_INT && t != FIELD_MONEY && t != FIELD_TEXT && t != FIELD_NOTE) {
		problem(ld, rs->vline[K_MIN] ? rs->vline[K_MIN] : rs->vline[K_MAX],
			"只有 int、money、text、note 字段能设 min 和 max，%s是 %s", ff->label ? ff->label : rs->name,
			form_type_name(t));
		return;
	}
	if ((t == FIELD_TEXT || t == FIELD_NOTE) && rs->vline[K_MIN]) {
		problem(ld, rs->vline[K_MIN], "文字字段只能设 max（最多几个字），不能设 min");
		return;
	}
	long long mlo, mhi;
	model_range(m, &mlo, &mhi);
	long long lo = mlo, hi = mhi;
	static const enum field_key which[2] = { K_MIN, K_MAX };
	for (int w = 0; w < 2; w++) {
		enum field_key k = which[w];
		if (rs->vline[k] == 0)
			continue;
		long long v;
		int ok = t == FIELD_MONEY ? money_parse(rs->value[k], 0, &v) == MONEY_OK
					 : decimal_parse(rs->value[k], 0, &v);
		if (!ok) {
			problem(ld, rs->vline[k], t == FIELD_MONEY
							  ? "“%s = %s”不对：金额按元写，最多两位小数，如 50000 或 0.5"
							  : "“%s = %s”不对：应为整数",
				field_keys[k], rs->value[k]);
			return;
		}
		char mine[48], model[48];
		limit_text(t, v, mine, sizeof mine);
		if (k == K_MIN && v < mlo) {
			limit_text(t, mlo, model, sizeof model);
			problem(ld, rs->vline[k], "“min = %s”比模型宽松：列 %s 在模型中最小是 %s，表单只能更严格",
				rs->value[k], m->column, model);
			return;
		}
		if (k == K_MAX && v > mhi) {
			limit_text(t, mhi, model, sizeof model);
			problem(ld, rs->vline[k], "“max = %s”比模型宽松：列 %s 在模型中最大是 %s，表单只能更严格",
				rs->value[k], m->column, model);
			return;
		}
		if (k == K_MAX && v < 1) {
			problem(ld, rs->vline[k], "“max = %s”不对：max 至少是 1", rs->value[k]);
			return;
		}
		if (k == K_MIN)
			lo = v;
		else
			hi = v;
	}
	if (lo > hi) {
		problem(ld, rs->vline[K_MAX], "min 大于 max：这一项怎么填都不对");
		return;
	}
	ff->check.min = lo;
	ff->check.max = hi;
}

static size_t default_width(const struct form_field *ff)
{
	switch (ff->compute) {
	case FORM_COMPUTE_AGE:
	case FORM_COMPUTE_SEX:
		return 4;
	case FORM_COMPUTE_BIRTH:
		return 12;
	case FORM_COMPUTE_NONE:
		break;
	}
	switch (ff->check.type) {
	case FIELD_TEXT: {
		long long max = ff->check.max > 0 ? ff->check.max : TEXT_DEFAULT_MAX_NCHARS;
		return max >= 20 ? 40 : max <= 5 ? 10 : (size_t)max * 2;
	}
	case FIELD_NOTE:
		return 40;
	case FIELD_INT:
		return 8;
	case FIELD_MONEY:
		return 14;
	case FIELD_DATE:
		return 12;
	case FIELD_ENUM:
		return 20;
	case FIELD_CODES:
		return 30;
	case FIELD_IDCARD:
		return 20;
	case FIELD_PHONE:
		return 14;
	case FIELD_BOOL:
		return 4;
	case FIELD_REF:
		return 30;
	}
	return 20;
}

/* "age_from = idcard": the function and (malloc'd) the source's name. */
static int parse_computed(const char *v, enum form_compute *fn, char **src)
{
	const char *p = v;
	size_t n = 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
		n++;
	int compute = FORM_COMPUTE_NONE;
	names_find(computes, NAMES_COUNT(computes), p, n, &compute);
	*fn = (enum form_compute)compute;
	if (*fn == FORM_COMPUTE_NONE)
		return 0;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	*src = xstrdup(p);
	if (!valid_name(*src)) {
		free(*src);
		*src = NULL;
		return 0;
	}
	return 1;
}

/* Is the model's type t what a form typing "form_t" would loosen? */
static int type_looser(int form_t, enum field_type t)
{
	if (form_t == FIELD_NOTE)
		return t != FIELD_NOTE;
	if (form_t == FIELD_TEXT)
		return t != FIELD_TEXT && t != FIELD_NOTE;
	if (form_t == FIELD_CODES)
		return t == FIELD_ENUM;
	return 0;
}

/* The enterable columns of table, "a、b、c", for a message. */
static void model_columns(const struct table_def *t, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < t->nfields; i++) {
		int n = snprintf(buf + used, cap - used, "%s%s", used ? "、" : "", t->fields[i].column);
		if (n < 0 || (size_t)n >= cap - used) {
			buf[used] = '\0';
			return;
		}
		used += (size_t)n;
	}
}

/* Everything of one field that needs no other field. */
static void resolve_field(struct loader *ld, struct form *f, const struct raw_section *rs,
			  struct form_field *ff)
{
	ff->line = rs->line;
	ff->name = xstrdup(rs->name);
	if (rs->vline[K_LABEL] == 0)
		problem(ld, rs->line, "[field.%s] 缺少 label（输入框前显示的中文名称）", rs->name);
	else if (check_display_text(ld, rs->vline[K_LABEL], "label", rs->value[K_LABEL],
				    FORM_LABEL_MAX_NCOLS))
		ff->label = xstrdup(rs->value[K_LABEL]);
	if (rs->vline[K_HELP] == 0)
		problem(ld, rs->line, "[field.%s] 缺少 help（光标停在这一项时显示的一行说明）", rs->name);
	else if (check_display_text(ld, rs->vline[K_HELP], "help", rs->value[K_HELP], FORM_HELP_MAX_NCOLS))
		ff->help = xstrdup(rs->value[K_HELP]);
	const char *label = ff->label ? ff->label : rs->name;
	ff->check.label = label;

	if (rs->vline[K_COMPUTED]) {
		char *src = NULL;
		if (!parse_computed(rs->value[K_COMPUTED], &ff->compute, &src))
			problem(ld, rs->vline[K_COMPUTED],
				"computed 看不懂：“%s”；应写成“age_from = 字段名”“sex_from = 字段名”或“birth_from = 字段名”",
				rs->value[K_COMPUTED]);
		free(src); /* resolved once every field is known: resolve_computed_source */
		ff->readonly = 1;
	}

	/* column */
	const char *column = rs->value[K_COLUMN];
	if (column == NULL) {
		if (!rs->vline[K_COMPUTED])
			problem(ld, rs->line, "[field.%s] 缺少 column（它录入的是表中的哪一列）", rs->name);
	} else if (f->table != NULL) {
		ff->model = model_field(f->table, column);
		if (ff->model == NULL) {
			char cols[400];
			model_columns(f->table, cols, sizeof cols);
			if (form_schema_has_column(ld->sc, f->table->table, column))
				problem(ld, rs->vline[K_COLUMN],
					"表 %s 虽有“%s”这一列，但该列不能在表单中录入：它由程序自动填写，或只能通过专门的操作修改（可录入的列：%s）",
					f->table->table, column, cols);
			else
				problem(ld, rs->vline[K_COLUMN], "表 %s（%s）没有“%s”这一列（可录入的列：%s）",
					f->table->table, f->table->label, column, cols);
		} else {
			ff->column = xstrdup(column);
		}
	}

	/* A display-only computed value takes no checking keys. */
	if (column == NULL && rs->vline[K_COMPUTED]) {
		static const enum field_key none[] = { K_TYPE, K_REQUIRED, K_MIN, K_MAX, K_CODE_LIST, K_REF };
		for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
			if (rs->vline[none[i]])
				problem(ld, rs->vline[none[i]],
					"没有 column 的计算字段只用来显示，不能设置“%s”", field_keys[none[i]]);
		ff->check.type = ff->compute == FORM_COMPUTE_AGE   ? FIELD_INT
				 : ff->compute == FORM_COMPUTE_SEX ? FIELD_ENUM
								   : FIELD_DATE;
		ff->check.code_list = ff->compute == FORM_COMPUTE_SEX ? "sex" : NULL;
	}

	/* type */
	int t = -1;
	if (rs->vline[K_TYPE]) {
		t = form_type_parse(rs->value[K_TYPE]);
		if (t < 0)
			problem(ld, rs->vline[K_TYPE], "未知的字段类型“%s”（可用：%s）", rs->value[K_TYPE],
				TYPE_LIST);
	}
	const struct field_def *m = ff->model;
	if (m == NULL)
		goto common;
	ff->check = *m;
	ff->check.label = label;
	ff->required = (m->flags & FIELD_REQUIRED) != 0;
	if (t >= 0 && (enum field_type)t != m->type) {
		if (type_looser(t, m->type))
			problem(ld, rs->vline[K_TYPE],
				"类型“%s”比模型宽松：列 %s（%s）在模型中是 %s，表单只能比模型严格，不能放宽校验",
				rs->value[K_TYPE], m->column, m->label, form_type_name(m->type));
		else
			problem(ld, rs->vline[K_TYPE],
				"类型“%s”与模型不符：列 %s（%s）在模型中是 %s，表单不能改变字段类型",
				rs->value[K_TYPE], m->column, m->label, form_type_name(m->type));
	}

	/* required */
	int req;
	if (rs->vline[K_REQUIRED] && parse_yes_no(ld, rs, K_REQUIRED, &req)) {
		if (!req && (m->flags & FIELD_REQUIRED))
			problem(ld, rs->vline[K_REQUIRED],
				"“required = no”比模型宽松：列 %s（%s）在模型中必填，表单不能改成选填", m->column,
				m->label);
		if (req) {
			ff->required = 1;
			ff->check.flags |= FIELD_REQUIRED;
		}
	}

	resolve_limits(ld, rs, ff);

	/* code_list, ref */
	if (rs->vline[K_CODE_LIST]) {
		if (m->type != FIELD_ENUM && m->type != FIELD_CODES)
			problem(ld, rs->vline[K_CODE_LIST], "只有 enum 和 codes 字段能写 code_list，列 %s 是 %s",
				m->column, form_type_name(m->type));
		else if (strcmp(rs->value[K_CODE_LIST], m->code_list) != 0)
			problem(ld, rs->vline[K_CODE_LIST],
				"代码表“%s”与模型不符：列 %s（%s）在模型中用代码表 %s，表单不能改变代码表",
				rs->value[K_CODE_LIST], m->column, m->label, m->code_list);
	}
	if (rs->vline[K_REF]) {
		if (m->type != FIELD_REF)
			problem(ld, rs->vline[K_REF], "只有 ref 字段能写 ref，列 %s 是 %s", m->column,
				form_type_name(m->type));
		else if (strcmp(rs->value[K_REF], m->ref_table) != 0)
			problem(ld, rs->vline[K_REF],
				"ref“%s”与模型不符：列 %s（%s）在模型中指向表 %s，表单不能改变", rs->value[K_REF],
				m->column, m->label, m->ref_table);
	}

	/* A computed column: its type must fit, and the model completes it. */
	if (ff->compute != FORM_COMPUTE_NONE) {
		int fits = ff->compute == FORM_COMPUTE_AGE     ? m->type == FIELD_INT
			   : ff->compute == FORM_COMPUTE_BIRTH ? m->type == FIELD_DATE
							       : m->type == FIELD_ENUM &&
									 strcmp(m->code_list, "sex") == 0;
		if (!fits)
			problem(ld, rs->vline[K_COMPUTED], "列 %s 是 %s，放不下“%s”算出的值", m->column,
				form_type_name(m->type), rs->value[K_COMPUTED]);
		if (ff->required)
			problem(ld, rs->vline[K_COMPUTED],
				"列 %s 是必填的，不能设为计算字段（计算字段由程序在保存时补上，不由人填）", m->column);
	}

common:
	if (rs->vline[K_READONLY]) {
		int ro;
		if (parse_yes_no(ld, rs, K_READONLY, &ro)) {
			if (!ro && ff->compute != FORM_COMPUTE_NONE)
				problem(ld, rs->vline[K_READONLY], "计算字段总是只读的，不能写“readonly = no”");
			ff->readonly = ff->readonly || ro;
		}
	}
	if (rs->vline[K_MAX_NCOLS]) {
		long long w;
		if (ff->check.type != FIELD_TEXT && ff->check.type != FIELD_NOTE)
			problem(ld, rs->vline[K_MAX_NCOLS], "只有 text 和 note 字段能设 max_ncols（最多占几列）");
		else if (!decimal_parse(rs->value[K_MAX_NCOLS], 0, &w) || w < 1 || w > 4000)
			problem(ld, rs->vline[K_MAX_NCOLS], "max_ncols 应为 1 到 4000 之间的整数（最多占几列），不能是“%s”",
				rs->value[K_MAX_NCOLS]);
		else
			ff->max_ncols = (size_t)w;
	}
	if (rs->vline[K_SUGGEST]) {
		if (ff->check.type != FIELD_TEXT)
			problem(ld, rs->vline[K_SUGGEST], "只有 text 字段能设 suggest（按 F4 可选的名称）");
		else if (strcmp(rs->value[K_SUGGEST], "units") != 0)
			problem(ld, rs->vline[K_SUGGEST], "suggest 只能写 units（镇里的单位），不能是“%s”",
				rs->value[K_SUGGEST]);
		else
			ff->suggest = "units";
	}
	ff->width_ncols = default_width(ff);
	if (rs->vline[K_WIDTH]) {
		long long w;
		if (!decimal_parse(rs->value[K_WIDTH], 0, &w) || w < FORM_WIDTH_MIN_NCOLS || w > FORM_WIDTH_MAX_NCOLS)
			problem(ld, rs->vline[K_WIDTH], "width 应为 %d 到 %d 之间的整数（输入框占几列），不能是“%s”",
				FORM_WIDTH_MIN_NCOLS, FORM_WIDTH_MAX_NCOLS, rs->value[K_WIDTH]);
		else
			ff->width_ncols = (size_t)w;
	}
}

/* ---- visible_if and computed: links between fields ---- */

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* A NAME or VALUE token into buf (cap bytes); 0 when none or too long. */
static int take_token(const char **p, char *buf, size_t cap, int value)
{
	size_t n = 0;
	const char *s = *p;
	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
	       (value && s[n] >= 'A' && s[n] <= 'Z'))
		n++;
	if (n == 0 || n >= cap)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*p = s + n;
	return 1;
}

/* Append code (copied) and label (taken) to c. */
static void add_code(struct form_cond *c, const char *code, char *label)
{
	c->codes = xreallocarray(c->codes, c->ncodes + 1, sizeof *c->codes);
	c->labels = xreallocarray(c->labels, c->ncodes + 1, sizeof *c->labels);
	c->codes[c->ncodes] = xstrdup(code);
	c->labels[c->ncodes++] = label;
}

#define COND_GRAMMAR "应写成“字段 = 代码”“字段 != 代码”或“字段 in 代码,代码”"

static void resolve_visible_if(struct loader *ld, struct form *f, const struct raw_section *rs,
			       size_t i)
{
	struct form_field *ff = &f->fields[i];
	int line = rs->vline[K_VISIBLE_IF];
	const char *p = rs->value[K_VISIBLE_IF];
	char name[NAME_MAX_NBYTES + 1];
	skip_blanks(&p);
	if (!take_token(&p, name, sizeof name, 0)) {
		problem(ld, line, "visible_if 看不懂：“%s”；%s", rs->value[K_VISIBLE_IF], COND_GRAMMAR);
		return;
	}
	int blank = *p == ' ' || *p == '\t';
	skip_blanks(&p);
	enum form_cond_op op;
	if (strncmp(p, "!=", 2) == 0) {
		op = FORM_COND_NE;
		p += 2;
	} else if (*p == '=') {
		op = FORM_COND_EQ;
		p++;
	} else if (blank && strncmp(p, "in", 2) == 0 && (p[2] == ' ' || p[2] == '\t')) {
		op = FORM_COND_IN;
		p += 2;
	} else {
		problem(ld, line, "visible_if 看不懂：“%s”；%s", rs->value[K_VISIBLE_IF], COND_GRAMMAR);
		return;
	}
	char values[8][64];
	size_t nvalues = 0;
	for (;;) {
		skip_blanks(&p);
		if (nvalues == sizeof values / sizeof values[0] ||
		    !take_token(&p, values[nvalues], sizeof values[0], 1)) {
			problem(ld, line, "visible_if 看不懂：“%s”；%s（最多 8 个代码）", rs->value[K_VISIBLE_IF],
				COND_GRAMMAR);
			return;
		}
		nvalues++;
		skip_blanks(&p);
		if (*p == '\0')
			break;
		if (*p != ',' || op != FORM_COND_IN) {
			problem(ld, line, "visible_if 看不懂：“%s”；%s", rs->value[K_VISIBLE_IF], COND_GRAMMAR);
			return;
		}
		p++;
	}

	size_t src = form_field_index(f, name);
	if (src == FORM_NONE) {
		problem(ld, line, "visible_if 中的字段“%s”不在这个表单里（要写 [field.名称] 中的名称）", name);
		return;
	}
	if (src == i) {
		problem(ld, line, "visible_if 不能依据字段自己");
		return;
	}
	/* The field tested: its check is the model's field, or for a shown-only
	 * computed sex the code list sex (the other computed values are no codes). */
	const struct form_field *sf = &f->fields[src];
	const struct field_def *sd = &sf->check;
	int codes = sd->type == FIELD_ENUM && (sf->model != NULL || sf->compute == FORM_COMPUTE_SEX);
	if (!codes && !(sd->type == FIELD_BOOL && sf->model != NULL)) {
		problem(ld, line, "visible_if 只能依据 enum（代码选择）或 bool（是否）字段，“%s”不是", name);
		return;
	}
	if (ff->model && (ff->model->flags & FIELD_REQUIRED)) {
		problem(ld, line, "列 %s（%s）在模型中必填，必须一直显示，不能设 visible_if", ff->model->column,
			ff->model->label);
		return;
	}
	struct form_cond c = { .op = op, .field = src };
	int ok = 1;
	for (size_t v = 0; v < nvalues && ok; v++) {
		char *label = NULL;
		if (sd->type == FIELD_BOOL) {
			if (strcmp(values[v], "yes") != 0 && strcmp(values[v], "no") != 0) {
				problem(ld, line, "“%s”是是否字段，visible_if 中只能写 yes 或 no，不能是“%s”", name,
					values[v]);
				ok = 0;
				break;
			}
			add_code(&c, values[v][0] == 'y' ? "1" : "0", NULL);
			continue;
		}
		int found = form_schema_code(ld->sc, sd->code_list, values[v], &label);
		if (found == 0) {
			char list[400];
			form_schema_codes(ld->sc, sd->code_list, list, sizeof list);
			problem(ld, line, "“%s”不是%s的代码（代码表 %s：%s）", values[v], sd->label, sd->code_list,
				list);
			ok = 0;
			break;
		}
		add_code(&c, values[v], label);
	}
	if (ok) {
		ff->visible_if = c;
		return;
	}
	for (size_t v = 0; v < c.ncodes; v++) {
		free(c.codes[v]);
		free(c.labels[v]);
	}
	free(c.codes);
	free(c.labels);
}

static void resolve_computed_source(struct loader *ld, struct form *f,
				    const struct raw_section *rs, size_t i)
{
	struct form_field *ff = &f->fields[i];
	enum form_compute fn;
	char *src = NULL;
	if (!parse_computed(rs->value[K_COMPUTED], &fn, &src))
		return; /* already reported */
	size_t from = form_field_index(f, src);
	if (from == FORM_NONE)
		problem(ld, rs->vline[K_COMPUTED], "computed 中的字段“%s”不在这个表单里", src);
	else if (f->fields[from].model == NULL || f->fields[from].model->type != FIELD_IDCARD)
		problem(ld, rs->vline[K_COMPUTED], "computed 只能从身份证号（idcard）字段算出，“%s”不是", src);
	else
		ff->compute_from = from;
	free(src);
}

/* A loop of visible_if (a -> b -> a) would make visibility undefined. */
static void check_cond_loops(struct loader *ld, struct form *f, const struct raw_section *raws)
{
	for (size_t i = 0; i < f->nfields; i++) {
		size_t at = i;
		for (size_t steps = 0; steps <= f->nfields; steps++) {
			if (f->fields[at].visible_if.op == FORM_COND_ALWAYS)
				break;
			at = f->fields[at].visible_if.field;
			if (at == i) {
				problem(ld, raws[i].vline[K_VISIBLE_IF], "visible_if 绕成了圈：字段“%s”最终又依据了自己",
					f->fields[i].name);
				f->fields[i].visible_if.op = FORM_COND_ALWAYS; /* report once */
				break;
			}
		}
	}
}

/* ---- the [form] section and the whole form ---- */

static void resolve_list(struct loader *ld, struct form *f)
{
	const char *v = ld->form.value[H_LIST];
	int line = ld->form.vline[H_LIST];
	if (v != NULL) {
		f->list = xcalloc(f->nfields, sizeof *f->list);
		const char *p = v;
		for (;;) {
			char name[NAME_MAX_NBYTES + 1];
			skip_blanks(&p);
			if (!take_token(&p, name, sizeof name, 0)) {
				problem(ld, line, "list 看不懂：“%s”；应写成用逗号隔开的字段名，如“name, idcard”", v);
				return;
			}
			size_t at = form_field_index(f, name);
			if (at == FORM_NONE) {
				problem(ld, line, "list 中的字段“%s”不在这个表单里", name);
				return;
			}
			for (size_t j = 0; j < f->nlist; j++)
				if (f->list[j] == at) {
					problem(ld, line, "list 中的字段“%s”写了两次", name);
					return;
				}
			f->list[f->nlist++] = at;
			skip_blanks(&p);
			if (*p == '\0')
				break;
			if (*p++ != ',') {
				problem(ld, line, "list 看不懂：“%s”；应写成用逗号隔开的字段名，如“name, idcard”", v);
				return;
			}
		}
	}
	f->key = FORM_NONE;
	if (ld->form.value[H_KEY] != NULL) {
		size_t at = form_field_index(f, ld->form.value[H_KEY]);
		if (at == FORM_NONE || f->fields[at].column == NULL)
			problem(ld, ld->form.vline[H_KEY], "key“%s”应是这个表单里一个有 column 的字段",
				ld->form.value[H_KEY]);
		else
			f->key = at;
		return;
	}
	for (size_t j = 0; j < f->nlist && f->key == FORM_NONE; j++)
		if (f->fields[f->list[j]].column != NULL)
			f->key = f->list[j];
	for (size_t j = 0; j < f->nfields && f->key == FORM_NONE; j++)
		if (f->fields[j].column != NULL)
			f->key = j;
}

static const char *base_name(const char *origin, size_t *nbytes)
{
	const char *slash = strrchr(origin, '/');
	const char *base = slash ? slash + 1 : origin;
	size_t n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".form") == 0)
		n -= 5;
	*nbytes = n;
	return base;
}

/* Build the form from what was read; problems go to ld. */
static struct form *build(struct loader *ld)
{
	struct form *f = xcalloc(1, sizeof *f);
	size_t n;
	const char *base = base_name(ld->origin, &n);
	f->name = xstrndup(base, n);
	f->origin = xstrdup(ld->origin);
	f->key = FORM_NONE;

	const struct raw_section *fs = &ld->form;
	if (fs->vline[H_TITLE] == 0)
		problem(ld, fs->line, "[form] 缺少 title（屏幕上方显示的标题）");
	else if (check_display_text(ld, fs->vline[H_TITLE], "title", fs->value[H_TITLE], FORM_TITLE_MAX_NCOLS))
		f->title = xstrdup(fs->value[H_TITLE]);
	if (fs->vline[H_HELP] == 0)
		problem(ld, fs->line, "[form] 缺少 help（屏幕上显示的一行说明）");
	else if (check_display_text(ld, fs->vline[H_HELP], "help", fs->value[H_HELP], FORM_HELP_MAX_NCOLS))
		f->help = xstrdup(fs->value[H_HELP]);
	if (fs->vline[H_TABLE] == 0) {
		problem(ld, fs->line, "[form] 缺少 table（录入到哪张表，如 households）");
	} else {
		f->table = model_table(fs->value[H_TABLE]);
		if (f->table == NULL)
			problem(ld, fs->vline[H_TABLE],
				"表“%s”不在模型中：table 应是 model_tables() 中的表名，如 households、members、visits",
				fs->value[H_TABLE]);
	}
	if (ld->nfields == 0) {
		problem(ld, fs->line, "表单没有任何字段：请在 [form] 之后写 [field.字段名]");
		return f;
	}

	f->fields = xcalloc(ld->nfields, sizeof *f->fields);
	f->nfields = ld->nfields;
	for (size_t i = 0; i < f->nfields; i++)
		resolve_field(ld, f, &ld->fields[i], &f->fields[i]);
	for (size_t i = 0; i < f->nfields; i++) {
		if (ld->fields[i].vline[K_VISIBLE_IF])
			resolve_visible_if(ld, f, &ld->fields[i], i);
		if (ld->fields[i].vline[K_COMPUTED])
			resolve_computed_source(ld, f, &ld->fields[i], i);
		for (size_t j = 0; j < i; j++)
			if (f->fields[i].column && f->fields[j].column &&
			    strcmp(f->fields[i].column, f->fields[j].column) == 0)
				problem(ld, ld->fields[i].vline[K_COLUMN],
					"列 %s 已由字段“%s”（第 %d 行）录入，两个字段不能录入同一列",
					f->fields[i].column, f->fields[j].name, f->fields[j].line);
	}
	check_cond_loops(ld, f, ld->fields);
	resolve_list(ld, f);

	/* Only for an otherwise sound form: a misspelt column would explain it. */
	if (f->table != NULL && ld->nproblems == 0)
		for (size_t c = 0; c < f->table->nfields; c++) {
			const struct field_def *m = &f->table->fields[c];
			if (!(m->flags & FIELD_REQUIRED))
				continue;
			size_t j = 0;
			while (j < f->nfields && !(f->fields[j].column && strcmp(f->fields[j].column, m->column) == 0))
				j++;
			if (j == f->nfields)
				problem(ld, fs->line,
					"表单缺少列 %s（%s）：它在模型中必填，没有它记录无法保存，请加一个字段", m->column,
					m->label);
		}
	return f;
}

/* ---- loading ---- */

static void loader_free(struct loader *ld)
{
	for (size_t i = 0; i < ld->nheaders; i++)
		free(ld->headers[i].name);
	free(ld->headers);
	for (size_t k = 0; k < NFIELD_KEYS; k++)
		free(ld->form.value[k]);
	for (size_t i = 0; i < ld->nfields; i++) {
		free(ld->fields[i].name);
		for (size_t k = 0; k < NFIELD_KEYS; k++)
			free(ld->fields[i].value[k]);
	}
	free(ld->fields);
	for (size_t i = 0; i < ld->nproblems; i++)
		free(ld->problems[i].msg);
	free(ld->problems);
}

static int by_line(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* err: the first problem by line, and how many more. */
static int report(struct loader *ld, struct tz_error *err)
{
	qsort(ld->problems, ld->nproblems, sizeof ld->problems[0], by_line);
	const struct problem *p = &ld->problems[0];
	char more[64] = "";
	if (ld->nproblems > 1)
		snprintf(more, sizeof more, "（另有 %zu 处问题）", ld->nproblems - 1);
	return tz_error_set(err, TZ_EFAIL, "%s 第 %d 行：%s%s", ld->origin, p->line, p->msg, more);
}

int form_load_text(struct form_schema *sc, const char *origin, const char *text, size_t nbytes,
		   struct form **out, struct tz_error *err)
{
	*out = NULL;
	struct loader ld = { .origin = origin, .sc = sc, .text = text, .nbytes = nbytes,
			     .cur_header = SIZE_MAX };
	if (nbytes > FORM_MAX_FILE_NBYTES)
		return tz_error_set(err, TZ_EFAIL, "%s：文件太大（%zu 字节，最多 %d 字节），不像是表单文件", origin,
				    nbytes, FORM_MAX_FILE_NBYTES);
	int rc = ini_parse_stream(read_line, &ld, handle, &ld);
	if (rc == -2)
		xalloc_die(0); /* libinih's own allocation failed */
	if (rc > 0 && !has_problem_at(&ld, rc))
		problem(&ld, rc, "这一行看不懂：应写成“名称 = 值”“[节名]”或以 ; 开头的注释");
	for (size_t i = 0; i < ld.nheaders; i++) {
		/* Empty, unless a line of it could not be read (reported already). */
		int from = ld.headers[i].line, to = i + 1 < ld.nheaders ? ld.headers[i + 1].line : INT_MAX;
		int explained = 0;
		for (size_t p = 0; p < ld.nproblems; p++)
			explained |= ld.problems[p].line > from && ld.problems[p].line < to;
		if (!ld.headers[i].used && !explained)
			problem(&ld, from, "节 [%s] 是空的：下面没有任何设置", ld.headers[i].name);
	}
	if (!ld.stopped && ld.nproblems == 0 && ld.nheaders == 0)
		problem(&ld, 1, "文件是空的（或只有注释）：至少要有 [form] 节和一个 [field.字段名] 节");
	if (!ld.stopped && ld.nproblems == 0 && !ld.have_form)
		problem(&ld, 1, "缺少 [form] 节");

	struct form *f = NULL;
	if (ld.nproblems == 0)
		f = build(&ld);
	if (ld.nproblems > 0) {
		int status = report(&ld, err);
		form_free(f);
		loader_free(&ld);
		return status;
	}
	loader_free(&ld);
	*out = f;
	return TZ_OK;
}

int form_load_string(const char *name, const char *text, struct form **out, struct tz_error *err)
{
	struct form_schema *sc = form_schema_open();
	int rc = form_load_text(sc, name, text, strlen(text), out, err);
	form_schema_close(sc);
	return rc;
}

void form_free(struct form *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nfields; i++) {
		struct form_field *ff = &f->fields[i];
		free(ff->name);
		free(ff->label);
		free(ff->help);
		free(ff->column);
		for (size_t v = 0; v < ff->visible_if.ncodes; v++) {
			free(ff->visible_if.codes[v]);
			free(ff->visible_if.labels[v]);
		}
		free(ff->visible_if.codes);
		free(ff->visible_if.labels);
	}
	free(f->fields);
	free(f->list);
	free(f->name);
	free(f->origin);
	free(f->title);
	free(f->help);
	free(f);
}
