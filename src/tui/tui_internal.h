/*
 * tui_internal.h — the pieces of the officer's screen shared inside src/tui/: the
 * screen stack, the screens' vtable, and drawing helpers that measure text in
 * terminal columns. Screens know no SQL: they call model/, rules/ and form/.
 */
#ifndef TAIZHANG_TUI_INTERNAL_H
#define TAIZHANG_TUI_INTERNAL_H

#include <stddef.h>
#include <wchar.h>

#include "taizhang/browse.h"
#include "taizhang/editor.h"
#include "taizhang/form.h"
#include "taizhang/store.h"

#define TUI_MIN_ROWS 24
#define TUI_MIN_COLS 80
#define TUI_MAX_DEPTH 16

/* What a key handler asks of the loop. */
enum tui_action {
	TUI_STAY = 0,
	TUI_POP = 1,  /* leave this screen (after its can_leave agreed) */
	TUI_QUIT = 2, /* leave the program */
};

/* A key as read by get_wch: either a character or a KEY_* code. */
struct tui_key {
	int is_code;
	wint_t ch;
};

struct tui;

/* ---- the keyboard (tui_keys.c) ---- */
/* How long a digit may follow Esc to make an F-key (Esc 1 = F1 …, Esc 0 = F10),
 * unless TAIZHANG_ESC_MS says otherwise (TUI_ESC_MS_MIN … TUI_ESC_MS_MAX). */
#define TUI_ESC_DIGIT_MS 250
#define TUI_ESC_MS_MIN 10
#define TUI_ESC_MS_MAX 2000
/* Keypad mode, and the usual alternative sequences of the function and editing
 * keys taught to curses where terminfo leaves them free; reads TAIZHANG_ESC_MS.
 * After initscr. */
void tui_keys_init(void);
/* Read one key, waiting for it: F-keys from terminfo or the alternatives, Esc
 * and a digit as an F-key. 0 with *k filled, -1 when curses gave nothing. */
int tui_read_key(struct tui_key *k);
/* tui_read_key for a loop that draws before each key: TUI_KEY with *k filled;
 * TUI_RESIZED when the window changed size (t->rows and t->cols then hold the
 * new one: draw again); TUI_NO_KEY when curses gave nothing. */
enum { TUI_NO_KEY, TUI_KEY, TUI_RESIZED };
int tui_next_key(struct tui *t, struct tui_key *k);

/* A screen: a vtable and its state (owned by the stack once pushed). */
struct screen_ops {
	const char *title; /* for the title bar: "住户台账" */
	const char *(*title_of)(void *st); /* when the title depends on the state */
	const char *keys;  /* the key bar, e.g. "F1 帮助  F2 保存  Esc 返回" */
	/* When the keys that act depend on the state (a tab, a row): the key bar
	 * then, naming only keys that do something there. NULL: keys. */
	const char *(*keys_of)(void *st);
	/* F1: several lines, plain Chinese: TUI_HELP_NAME, the text of
	 * src/tui/help/NAME.txt (build/…/gen/tui_help.h, scripts/embed.sh). */
	const char *help;
	void (*draw)(struct tui *t, void *st);
	int (*key)(struct tui *t, void *st, struct tui_key k);
	/* Esc pressed: 1 to leave, 0 to stay (e.g. unsaved changes kept). NULL: 1. */
	int (*can_leave)(struct tui *t, void *st);
	/* Called when the screen above it was popped (refresh lists). */
	void (*resume)(struct tui *t, void *st);
	/* Free what the state holds (its lists, editors); the stack then frees
	 * the state itself, which is always malloc'd. NULL: it holds nothing. */
	void (*destroy)(void *st);
};

/* One screen's declaration, in the manner of tmux's cmd_entry: the screen_ops
 * NAME with what the officer sees first — its title, its key bar and its F1
 * help (HELP: the NAME of src/tui/help/NAME.txt) — then its functions as
 * designated initializers (.draw = draw, .key = key, …). Variants of a screen
 * (editable / read-only, village / town) are one TUI_SCREEN each, sharing
 * their functions: only what the officer sees differs. */
#define TUI_SCREEN(name, title_, keys_, help_, ...)                                             \
	static const struct screen_ops name = TUI_SCREEN_OPS(title_, keys_, help_, __VA_ARGS__)
/* The initializer TUI_SCREEN gives, for a table of a screen's faces. */
#define TUI_SCREEN_OPS(title_, keys_, help_, ...)                                               \
	{ .title = (title_), .keys = (keys_), .help = TUI_HELP_##help_, __VA_ARGS__ }
/* A screen with the usual push: declares it (TUI_SCREEN, as PUSH_ops) and
 * int PUSH(struct tui *t), which opens it with a zeroed STATE that its
 * .resume fills (tui_open). */
#define TUI_SCREEN_OPEN(push, state, title_, keys_, help_, ...)                                 \
	TUI_SCREEN(push##_ops, title_, keys_, help_, __VA_ARGS__);                              \
	int push(struct tui *t)                                                                 \
	{                                                                                       \
		return tui_open(t, &push##_ops, sizeof(state));                                 \
	}
/* The same for a screen without a .resume: PUSH fills the zeroed STATE with
 * LOAD(t, st) (tui_push_loaded). */
#define TUI_SCREEN_LOADED(push, state, load, title_, keys_, help_, ...)                         \
	TUI_SCREEN(push##_ops, title_, keys_, help_, __VA_ARGS__);                              \
	int push(struct tui *t)                                                                 \
	{                                                                                       \
		return tui_push_loaded(t, &push##_ops, xcalloc(1, sizeof(state)), load);        \
	}

/* static void NAME(void *st), the .destroy of a screen whose state (STATE, a
 * struct) holds one list, freed by FREE_LIST(st->ITEMS, st->N): what each such
 * screen wrote out by hand. */
#define TUI_DESTROY_LIST(name, state, free_list, items, n)                                      \
	static void name(void *st)                                                              \
	{                                                                                       \
		struct state *l = st;                                                           \
		free_list(l->items, l->n);                                                      \
	}
/* static void NAME(void *st), the .destroy of a screen whose state (STATE, a
 * struct) holds one thing that owns memory, freed by FREE(&st->MEMBER). */
#define TUI_DESTROY_MEMBER(name, state, free_fn, member)                                        \
	static void name(void *st)                                                              \
	{                                                                                       \
		struct state *s = st;                                                           \
		free_fn(&s->member);                                                            \
	}
/* A screen with the usual push whose state (struct STATE) holds one list: its
 * .destroy DESTROY_FN as TUI_DESTROY_LIST writes it, and the screen as
 * TUI_SCREEN_OPEN declares it with that .destroy. */
#define TUI_LIST_SCREEN_OPEN(push, destroy_fn, state, free_list, items, n, title_, keys_, help_, ...) \
	TUI_DESTROY_LIST(destroy_fn, state, free_list, items, n)                                   \
	TUI_SCREEN_OPEN(push, struct state, title_, keys_, help_, .destroy = destroy_fn, __VA_ARGS__)

struct tui {
	struct store *s;      /* NULL until unlocked */
	const char *path;     /* the store file */
	const char *user;     /* asked-for user, or NULL */
	struct keyring kr;    /* the store's keyring as read before unlocking */
	struct form_set forms;
	int rows, cols;
	int color;
	struct {
		const struct screen_ops *ops;
		void *st;
	} stack[TUI_MAX_DEPTH];
	int depth;
	char message[768];
	int message_is_error;
	int quit;
	char bundle_dir[1024]; /* the folder of the last bundle import or export */
	/* The row a form just added (its id), for the list below it to select
	 * when it reloads (tui_select_saved); "" when none. */
	char saved_id[IDS_NCHARS + 1];
	/* The villages' names (tui_village_names_load): browse_villages's rows,
	 * id the code and cells[0] the name. */
	struct {
		struct browse_row *rows;
		size_t n;
	} villages;
};

struct browse_row;
/* After a list reloaded its n rows: when a form just added one of them,
 * *pick becomes that row (and the mark is cleared), so the selection stays on
 * what was added however the list is ordered. */
void tui_select_saved(struct tui *t, const struct browse_row *rows, size_t n, size_t *pick);

/* The screen stack. push takes ownership of st, a malloc'd state (destroyed
 * and freed when popped or on failure). replace pops the top screen and
 * pushes another. */
int tui_push(struct tui *t, const struct screen_ops *ops, void *st);
/* Push ops with a new state of size bytes, zeroed, after ops->resume (its
 * reading of the store) has filled it: the usual screen_NAME_push. */
int tui_open(struct tui *t, const struct screen_ops *ops, size_t size);
/* The same after load(t, st) has filled st (a screen's reading of the store,
 * usually also its resume): the one shape of every screen_NAME_push. */
int tui_push_loaded(struct tui *t, const struct screen_ops *ops, void *st,
		    void (*load)(struct tui *t, void *st));
void tui_replace(struct tui *t, const struct screen_ops *ops, void *st);
/* tui_replace after load(t, st) has filled st (loaded before the screen on top
 * goes); 0. */
int tui_replace_loaded(struct tui *t, const struct screen_ops *ops, void *st,
		       void (*load)(struct tui *t, void *st));

/* A row's page (a household, a problem) opens editable on top, read-only on
 * top (a village's row seen from the town), or editable in place of the
 * screen on top (the page of a row its form just added). */
enum tui_page_mode { TUI_PAGE_EDIT, TUI_PAGE_VIEW, TUI_PAGE_REPLACE };
/* The first member of a row page's state: the row and whether it is read-only. */
struct tui_page {
	char id[IDS_NCHARS + 1];
	int view;
};
/* Open such a page: a zeroed state of size bytes whose struct tui_page says
 * id and how, filled by load, with faces[TUI_PAGE_VIEW] when read-only and
 * faces[TUI_PAGE_EDIT] otherwise. */
int tui_page_open(struct tui *t, const struct screen_ops *faces, size_t size,
		  void (*load)(struct tui *t, void *st), const char *id, enum tui_page_mode how);

/* Show a message on the message line until the next key (error: in red). */
void tui_say(struct tui *t, int is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* What a screen does with a failed reading or writing of the store: when rc
 * (what the call returned) is not TZ_OK, err's message on the message line as
 * an error. Returns rc. A screen reloading a list frees the rows it holds and
 * calls the list function straight into its fields: every list function of the
 * model and sync layers empties its outputs first and leaves them empty (NULL,
 * 0) when it fails. */
int tui_say_failure(struct tui *t, int rc, const struct tz_error *err);

/* Ask a yes/no question in a box; 1 for yes (Y, 是), 0 otherwise (N, Esc). */
int tui_confirm(struct tui *t, const char *question);
/* The same with nlines lines of text in the box (the last saying which keys
 * answer, e.g. "按 Y 确定，按 N 或 Esc 取消"). */
int tui_confirm_lines(struct tui *t, const char *const *lines, int nlines);

struct home_summary;
/* The campaign's deadlines of m (browse_home) under a 时间节点 heading from row
 * y, each with the days left or past, stopping before row y_end; ncols wide.
 * With room for one row only, that row names how many there are and the
 * earliest; with none, nothing. Returns the row after the last one drawn. */
int tui_draw_deadlines(struct tui *t, int y, int y_end, int ncols, const struct home_summary *m);
/* The problem ledger's line of a home screen at row y from column 2 (未销号 and
 * 逾期 of m, in red when some are overdue), and beside it the deliverables'
 * counts (tui_draw_deliverable_counts); ncols wide in all. */
void tui_draw_problem_counts(struct tui *t, int y, int ncols, const struct home_summary *m);
/* One deadline as a line into out: its due date, then in 12 columns the days
 * left or past ("还有 N 天", "今天到期", "已过 N 天"; blank when not known,
 * e.g. a date that does not parse), then its label. */
void tui_deadline_line(char *out, size_t nbytes, const char *due, int known, int days_left,
		       const char *label);

/* ---- menus and the home screens (tui_menu.c) ---- */
/* A menu of screens: numbered labels ("1  住户台账"), each opening a screen. */
struct tui_menu_item {
	const char *label;
	int (*open)(struct tui *t);
};
/* A menu: its items and how many. */
struct tui_menu {
	const struct tui_menu_item *items;
	int n;
};
/* static const struct tui_menu NAME of the items given (struct tui_menu_item
 * initializers), counted. */
#define TUI_MENU(name, ...)                                                                     \
	static const struct tui_menu_item name##_items[] = { __VA_ARGS__ };                        \
	static const struct tui_menu name = { name##_items,                                        \
					      (int)(sizeof name##_items / sizeof name##_items[0]) }
/* Draw menu m's items from row y, ncols wide, item pick highlighted and the
 * cursor on it. */
void tui_menu_draw(struct tui *t, int y, int ncols, const struct tui_menu *m, int pick);
/* The menu's keys: up/down move *pick, a digit 1..9 (0 for the tenth item; items
 * after it only by the arrows) or Enter opens the item.
 * Returns 1 when k was one of them, 0 otherwise. */
int tui_menu_key(struct tui *t, const struct tui_menu *m, int *pick, struct tui_key k);

/* A home screen (the village's, scr_home.c; the town's, scr_town.c): the
 * campaign's summary over the store, the nearest deadlines, and the menu at
 * the bottom of the screen; Esc, q or Ctrl-Q ask whether to leave the
 * program. The first member of its state. */
struct tui_home {
	const struct tui_menu *menu;
	struct home_summary sum; /* browse_home */
	int loaded;              /* sum was read */
	int pick;                /* the menu's selected item */
};
/* Open a home screen with ops in place of the screen on top: a zeroed state
 * of size bytes whose struct tui_home has menu, filled by load. */
int tui_home_open(struct tui *t, const struct screen_ops *ops, size_t size,
		  const struct tui_menu *menu, void (*load)(struct tui *t, void *st));
/* Read h->sum (h->loaded says whether it was read; a failure on the message
 * line): the first step of a home screen's load. */
void tui_home_load(struct tui *t, struct tui_home *h);
/* The rest of a home screen below its own lines, which end before row y: the
 * deadlines (when the summary was read) down to the menu, and the menu. */
void tui_home_draw_menu(struct tui *t, const struct tui_home *h, int y);
/* A home screen's key (the menu's, and q or Ctrl-Q) and its can_leave (Esc). */
int tui_home_key(struct tui *t, void *st, struct tui_key k);
int tui_home_can_leave(struct tui *t, void *st);

/* Ask for one line of text in a box; 1 with out filled on Enter, 0 on Esc. */
int tui_prompt(struct tui *t, const char *question, char *out, size_t out_nbytes);
/* The same with the editor starting as initial (NULL: empty), e.g. a default folder. */
int tui_prompt_with(struct tui *t, const char *question, const char *initial, char *out,
		    size_t out_nbytes);
/* The same for a passphrase: shown as *, kept in guarded memory while typed;
 * out should be secret memory too. */
int tui_prompt_secret(struct tui *t, const char *question, char *out, size_t out_nbytes);

/* Draw the screen on top of the stack and its chrome now, as the loop does
 * before each key: for a long operation that shows its progress (an import). */
void tui_redraw(struct tui *t);
/* 1 when the open store is the town office's (镇扶贫办), whose tables hold every
 * village's rows; 0 for a village store. */
int tui_is_town(const struct tui *t);

/* Draw text at (y, x) using at most ncols columns; never splits a character.
 * The one painter of text: every screen draws through it (or the two below),
 * and it draws text through text_sanitize (no control, bidi override or
 * zero-width character reaches the terminal). Returns the columns used. */
int tui_put(int y, int x, const char *text, int ncols);
/* tui_put in the attributes attr (tui_attr_error(t), A_BOLD ...; 0: as the
 * text around it), e.g. a line in red only when it reports something late. */
int tui_put_attr(int y, int x, const char *text, int ncols, int attr);
/* A list's first row shown (*top) so that row pick is among the visible ones. */
void tui_list_scroll(size_t pick, size_t *top, int visible);
/* A list's header in bold at row y, and the rows the list then has down to
 * bottom rows above the screen's end (at least one), *top scrolled so that
 * pick shows: the list's rows start at y + 1. */
int tui_list_header(struct tui *t, int y, const char *header, int bottom, size_t pick,
		    size_t *top);
/* One row of a list at (y, 2), padded to ncols, highlighted when selected. */
void tui_put_row(struct tui *t, int y, const char *line, int ncols, int selected);
struct browse_row;
/* A table of rows in columns: the headers in bold at row y, then the rows
 * scrolled (*top) so that pick shows, down to the key bar; each cell padded
 * to widths[c] - 1 columns and a space; row pick highlighted (tui_draw_rows),
 * or empty on the first row when there are none. Returns the rows it shows
 * (its page, what PgUp and PgDn move by). */
int tui_draw_table(struct tui *t, int y, const char *const *headers, const int *widths, size_t nc,
		   const struct browse_row *rows, size_t n, size_t pick, size_t *top, const char *empty);
/* Whether k is Enter (the character or the keypad's KEY_ENTER). */
int tui_is_enter(struct tui_key k);
/* The keys a ledger list drawn with look shares (冲突台账, 待审事项, 审核):
 * the list's moves, a page being the rows look shows (DONE); F5 between the open rows and all
 * (*all flips, the list starts again at its top: RELOAD); Enter on a row
 * (OPEN); any other key: OTHER on a row, DONE on an empty list. */
enum { TUI_LEDGER_DONE, TUI_LEDGER_RELOAD, TUI_LEDGER_OPEN, TUI_LEDGER_OTHER };
struct tui_list_look;
int tui_ledger_list_key(struct tui *t, const struct tui_list_look *look, struct tui_key k, int *all,
			size_t *pick, size_t *top, size_t n);
/* A box of height rows and width columns at (y, x): blanked, with a line border. */
void tui_draw_box(int y, int x, int height, int width);
/* Same as tui_put, padded with spaces to exactly ncols columns. */
void tui_put_padded(int y, int x, const char *text, int ncols);
/* Draw text from (y, x) over at most max_lines lines of ncols columns each,
 * breaking between characters (a double-width one is never split) and at each
 * newline. Returns the lines used. */
int tui_put_wrapped(int y, int x, const char *text, int ncols, int max_lines);
/* The same from its wrapped line skip on (a scrolled view); returns how many
 * wrapped lines text has in all. */
int tui_put_wrapped_from(int y, int x, const char *text, int ncols, int skip, int max_lines);
/* A detail view: the n paragraphs wrapped to ncols from column 2, scrolled to
 * wrapped line *top (kept in range), on rows y .. y_end - 1; a ^ or v at the
 * right edge says there is more above or below. Returns the wrapped lines in
 * all (for the scroll keys). */
int tui_draw_detail(int y, int y_end, int ncols, const char *const *paragraphs, size_t n,
		    int *top);
/* A stored UTC time (YYYY-MM-DDTHH:MM:SSZ) as local "YYYY-MM-DD HH:MM" into out;
 * "" for "", the text itself when it is not such a time. */
void tui_local_time(const char *utc_stamp, char *out, size_t out_nbytes);
/* A line editor's box at (y, x), ncols wide; focused shows the cursor;
 * masked draws '*' for each character. */
void tui_draw_editor(struct editor *ed, int y, int x, int ncols, int focused, int masked);
/* Move a list's selection for Up, Down, PgUp, PgDn, Home, End (visible rows
 * on screen); 1 when the key was one of them. */
int tui_list_key(struct tui_key k, size_t *pick, size_t n, int visible);
/* The same for a view without a selection: *top, its first row shown, moves a
 * row (Up, Down), page rows (PgUp, PgDn) or to an end (Home, End), kept within
 * 0..max_top (the top that shows the last row on the last line); 1 when the
 * key was one of them. */
int tui_scroll_key(struct tui_key k, size_t *top, size_t max_top, size_t page);
/* After a list reloaded its n rows: *pick kept among them (0 when none). */
void tui_list_clamp(size_t *pick, size_t n);
/* A screen's row i of its list (st its state) into line; returns the colour of
 * the row when it is not the selected one (e.g. tui_attr_error), 0 for none. */
typedef int (*tui_row_fn)(struct tui *t, const void *st, size_t i, char *line, size_t nbytes);
/* The n rows of a list from row y, visible of them, scrolled (*top) so that
 * pick shows, each written by row, the selected one highlighted, padded to
 * the screen's width from column 2; the cursor then on the selected row (on
 * row y when there are none). pick >= n: none selected, *top kept. The one
 * loop that draws a list. */
void tui_draw_rows(struct tui *t, int y, int visible, size_t n, size_t pick, size_t *top,
		   tui_row_fn row, const void *st);
/* A list screen's page: a line at the top, the columns' header in bold two
 * rows below it, then the rows (tui_draw_rows) down to bottom rows above the
 * screen's end, or the empty text on the first row when there are none. */
struct tui_list_look {
	const char *header; /* at TUI_TOP + 2 */
	int bottom;         /* rows kept below the list (message line, key bar, details) */
	tui_row_fn row;
};
/* Draw it for st's n rows, with status at TUI_TOP and empty (both may be
 * NULL for none); returns the row of the first one (TUI_TOP + 3). */
int tui_draw_list(struct tui *t, const struct tui_list_look *look, const void *st, size_t n,
		  size_t pick, size_t *top, const char *status, const char *empty);
/* How many rows such a page shows: the page its PgUp and PgDn move by. */
int tui_list_visible(const struct tui *t, const struct tui_list_look *look);

struct browse_row;
/* A list of n rows (cells[0] shown) to pick from in a box, with a find line
 * that narrows it as the officer types (Chinese, pinyin initials, a number);
 * query: what is typed already (NULL: nothing). The index into rows chosen,
 * or -1 on Esc (tui_pick.c); *tabbed (may be NULL) is 1 when Tab chose it
 * (the caller goes on to its next field). */
int tui_pick(struct tui *t, const char *title, const struct browse_row *rows, size_t n,
	     const char *query, int *tabbed);

/* Apply a key to a line editor; 1 when the key was an editing key. */
int tui_edit_key(struct tui *t, struct editor *ed, struct tui_key k);

/* Colour attributes (monochrome fallbacks when there is no colour). */
int tui_attr_title(const struct tui *t);
int tui_attr_keybar(const struct tui *t);
int tui_attr_error(const struct tui *t);
int tui_attr_select(const struct tui *t);
int tui_attr_field(const struct tui *t);

/* The first row and the number of rows of the content area. */
#define TUI_TOP 2
int tui_content_rows(const struct tui *t);

/* ---- screens ---- */
int screen_unlock_push(struct tui *t);
int screen_home_push(struct tui *t);
int screen_households_push(struct tui *t);
/* A household's page (scr_household.c). */
int screen_household_open(struct tui *t, const char *household_id, enum tui_page_mode how);
/* A form for table: id NULL to add a row (with preset column=value pairs, e.g.
 * household_id), else edit row id. */
int screen_form_push(struct tui *t, const char *table, const char *id,
		     const char *preset_column, const char *preset_value);
/* 问题台账: the store's problems, filtered and searched (scr_problems.c). */
int screen_problems_push(struct tui *t);
/* 精准核查: every finding grouped by rule, turned into problems by one key (scr_findings.c). */
int screen_findings_push(struct tui *t);
/* 返贫致贫监测: the watched households (scr_monitor.c). */
int screen_monitor_push(struct tui *t);
/* 村级台账: the village's own ledgers (scr_ledgers.c). */
int screen_ledgers_push(struct tui *t);
/* 攻坚任务: problems, deadlines, precision checks, complaints, typical cases
 * (and the deliverables screen's slot) (scr_ledgers.c). */
int screen_campaign_push(struct tui *t);
/* 时间节点: every deadline of the campaign with its due date and the days left
 * or past, its text wrapped (scr_deadlines.c). */
int screen_deadlines_push(struct tui *t);
/* 低保比对: the households against the 低保 roster (scr_dibao.c). */
int screen_dibao_push(struct tui *t);
/* The same for one village of a town (its households against its roster). */
int screen_dibao_village_push(struct tui *t, const char *village_code);
/* The store's users: list them, add one, change a passphrase (scr_users.c). */
int screen_users_push(struct tui *t);
/* The report with bar charts, of the village or the town (scr_report.c). */
int screen_report_push(struct tui *t);
/* The campaign's deliverables, the units and a unit's sheet; the town's
 * menu of the two (scr_campaign.c). */
int screen_deliverables_push(struct tui *t);
int screen_units_push(struct tui *t);
int screen_town_campaign_push(struct tui *t);
/* "交付事项 完成 N，未到期 N，逾期 N" at (y, x), at most ncols columns (in
 * red when some are late); the columns used. */
int tui_draw_deliverable_counts(struct tui *t, int y, int x, int ncols);
/* Ask for a CSV file and import it: kind "households" or "dibao". */
void tui_import_file(struct tui *t, const char *kind);

/* ---- the USB exchange (both kinds of store) and the town office ---- */
/* Ask for a folder (or a file) on the USB stick, starting at the one used last
 * in this session, else /media (scr_bundles.c); 1 with out filled, 0 when the
 * officer gave up. */
int tui_ask_folder(struct tui *t, const char *question, char *out, size_t out_nbytes);
/* Ask for a folder or a bundle file, import it with a progress bar, then list
 * the result of every bundle until the officer leaves (scr_bundles.c). */
int screen_bundle_import_push(struct tui *t);
/* Ask for a folder, write the bundles owed, list the files written. */
int screen_bundle_export_push(struct tui *t);
/* The village's menu of the two, with what is still to send. */
int screen_bundles_push(struct tui *t);
/* The town's home in place of the screen on top (scr_town.c). */
int screen_town_home_push(struct tui *t);
/* Per village: last hand-in, unsent / unacknowledged / held, conflicts, alarms. */
int screen_villages_push(struct tui *t);
/* The villages' names screens show beside their codes (tui_names.c), held
 * in t->villages for the session. Read them again (the ones held freed), as a
 * screen that shows them does when it loads: browse_villages's status; none
 * are held when it failed. */
int tui_village_names_load(struct tui *t, struct tz_error *err);
/* The name of village code, or unknown when it is not among them (the code
 * itself, or ""). */
const char *tui_village_name(const struct tui *t, const char *code, const char *unknown);
/* Free the names held (when the program leaves); none are held then. */
void tui_village_names_free(struct tui *t);

struct sync_village_state;
/* The villages' sync state a screen shows (the villages screen, scr_town.c;
 * the village's bundle menu, scr_bundles.c, where it is the one row towards
 * the town): every village at the town. */
struct tui_villages {
	struct sync_village_state *v;
	size_t n, pick, top; /* a list's selected and first shown row */
	int menu_pick;       /* a menu's selected item */
};
/* Reload vs in place from sync_village_states, pick kept within the rows; an
 * error goes to the message line. */
void tui_villages_load(struct tui *t, struct tui_villages *vs);
/* A screen_ops resume and destroy for a screen whose state is a malloc'd
 * struct tui_villages. */
void tui_villages_resume(struct tui *t, void *st);
void tui_villages_destroy(void *st);
/* Such a screen, declared and opened as TUI_SCREEN_OPEN does (int PUSH(struct
 * tui *t)) with that resume and destroy; then its other functions. */
#define TUI_VILLAGES_SCREEN_OPEN(push, title_, keys_, help_, ...)                                \
	TUI_SCREEN_OPEN(push, struct tui_villages, title_, keys_, help_,                          \
			.resume = tui_villages_resume, .destroy = tui_villages_destroy, __VA_ARGS__)
/* 密钥 / 密钥和设备: this device's fingerprint and QR code; a village imports
 * the town's key, the town enrols and revokes village devices (scr_keys.c). */
int screen_keys_push(struct tui *t);
/* Whether the store has someone to send bundles to (a village: the town's key;
 * the town: a device enrolled). When not, explains how to get one and offers
 * the keys screen; 1 ready, 0 not. */
int tui_keys_ready(struct tui *t);
/* Choose a village, then the problem form dispatching to it (派单). */
int screen_dispatch_push(struct tui *t);
/* Choose a village, then its ledgers, read-only. */
int screen_village_view_push(struct tui *t);
/* One village's ledgers, read-only: households and the problem ledger. */
int screen_village_ledgers_push(struct tui *t, const char *village_code);
/* The conflict ledger: open conflicts, each one's detail, marking handled (scr_conflicts.c). */
int screen_conflicts_push(struct tui *t);
/* 待审事项: the villages' changes to what only the town writes, each one's
 * detail, accepted or refused with a note (scr_proposals.c). */
int screen_proposals_push(struct tui *t);
/* 审核: at the town what waits for the town's review steps, passed (F6) or
 * sent back (F7) with an opinion; at a village the town's steps and answers
 * (scr_review.c). */
int screen_review_push(struct tui *t);

/* ---- a ledger screen of the town (tui_ledger.c): 冲突台账, 待审事项 ---- */
struct sync_conflict;
struct sync_proposal;
struct tui_ledger;
/* Which ledger: the kind of its entries. */
enum tui_ledger_kind { TUI_LEDGER_CONFLICTS, TUI_LEDGER_PROPOSALS };
/* The state of a ledger's two screens: its entries (all of them on a page),
 * and the list's choice of them or the entry a page shows. */
struct tui_ledger_list {
	const struct tui_ledger *ledger;
	int all;      /* the list: the closed entries too (F5) */
	long long id; /* a page: the entry shown; 0 on the list */
	union {       /* the entries, as sync_conflicts_list or sync_proposals_list gives them */
		struct sync_conflict *c;
		struct sync_proposal *p;
	} rows;
	size_t n, pick, top;
};
/* A ledger's screens, as TUI_LEDGER_SCREEN declares them. */
struct tui_ledger {
	struct screen_ops list, page;
	enum tui_ledger_kind kind;
	const char *what;                   /* an entry, in messages: "冲突", "申请" */
	const char *open_word;              /* the entries still open: "未处理" (F5: "全部") */
	const char *empty_open, *empty_all; /* what an empty list says, open or all */
	struct tui_list_look look;          /* the list's header and rows */
	/* A key (a KEY_* code) on entry i other than the screens' own (F6, F7 ...):
	 * 1 when it changed the ledger, which is then read again. */
	int (*act)(struct tui *t, struct tui_ledger_list *l, size_t i, struct tui_key k);
	/* Entry i's page from row TUI_TOP. */
	void (*draw_page)(struct tui *t, const struct tui_ledger_list *l, size_t i);
};
/* Open the ledger's list screen. */
int tui_ledger_open(struct tui *t, const struct tui_ledger *ledger);
/* The functions of its two screens: the list (its rows, F5 open/all, Enter an
 * entry's page, the ledger's act on the row picked) and an entry's page
 * (draw_page; F4 the problem the entry is about, the ledger's act). */
void tui_ledger_load(struct tui *t, void *st);
void tui_ledger_destroy(void *st);
void tui_ledger_draw_list(struct tui *t, void *st);
int tui_ledger_key_list(struct tui *t, void *st, struct tui_key k);
void tui_ledger_draw_page(struct tui *t, void *st);
int tui_ledger_key_page(struct tui *t, void *st, struct tui_key k);
#define TUI_LEDGER_LIST                                                                         \
	.draw = tui_ledger_draw_list, .key = tui_ledger_key_list, .resume = tui_ledger_load,    \
	.destroy = tui_ledger_destroy
#define TUI_LEDGER_PAGE                                                                         \
	.draw = tui_ledger_draw_page, .key = tui_ledger_key_page, .resume = tui_ledger_load,    \
	.destroy = tui_ledger_destroy
/* One ledger screen's declaration, in the manner of TUI_SCREEN_OPEN: int
 * PUSH(struct tui *t) opening the list of the ledger of KIND. The list is
 * TITLE (F1: HELP_list), an entry's page PAGE_TITLE (F1: HELP_one); WHAT is
 * an entry, OPEN_WORD what the open ones are called, KEYS the ledger's own
 * keys (its act) in both key bars. Then the rest of struct tui_ledger as
 * designated initializers (.look, .empty_all, .act, .draw_page). */
#define TUI_LEDGER_SCREEN(push, kind_, title_, page_title, help_, what_, open_word_, keys_, ...)  \
	static const struct tui_ledger push##_ledger = {                                         \
		.list = TUI_SCREEN_OPS(title_,                                                    \
				       " F1 帮助  Enter 详情  " keys_ "  F5 " open_word_           \
				       "/全部  Esc 返回",                                          \
				       help_##_list, TUI_LEDGER_LIST),                             \
		.page = TUI_SCREEN_OPS(page_title, " F1 帮助  " keys_ "  F4 打开这个问题  Esc 返回", \
				       help_##_one, TUI_LEDGER_PAGE),                              \
		.kind = kind_, .what = what_, .open_word = open_word_,                            \
		.empty_open = "没有" open_word_ "的" what_ "。", __VA_ARGS__                      \
	};                                                                                        \
	int push(struct tui *t)                                                                   \
	{                                                                                         \
		return tui_ledger_open(t, &push##_ledger);                                       \
	}
/* What row key of table is, as an officer reads it ("问题“…”（现在：已整改）",
 * else the table's Chinese name and the key) into out. */
void tui_describe_row(struct tui *t, const char *table, const char *key, char *out,
		      size_t out_nbytes);
/* The first lines of a ledger entry's page (a conflict, a proposal): what and
 * its number, when it came (its stamp, shown in local time) and its state;
 * the village and the bundle's number; the row it is about. */
struct tui_entry_head {
	const char *what;       /* "冲突", "申请" */
	long long id;
	const char *stamp_word; /* "记录时间", "导入时间" */
	const char *stamp;      /* UTC, as stored */
	const char *state;      /* "未处理", "待决定" ... */
	const char *village;    /* as shown */
	unsigned long long seq;
	const char *record;     /* tui_describe_row */
};
/* Draw them from row TUI_TOP; the row after them. */
int tui_draw_entry_head(struct tui *t, const struct tui_entry_head *h);
/* The last lines of such a page: who closed the entry, when and how, with
 * their note ("已由 张三 于 … 标为已处理：…"); while it is open, what to do. */
struct tui_entry_end {
	const char *at;      /* when it was closed (UTC, as stored); NULL: still open */
	const char *by_word; /* before the name: "已由 ", "" */
	const char *by;
	const char *done;    /* "标为已处理", "已同意" */
	const char *note;
	const char *hint;    /* while open: what to do (wrapped on 3 lines) */
};
/* Draw them from row y, wrapped on 4 lines at most. */
void tui_draw_entry_end(struct tui *t, int y, const struct tui_entry_end *e);

/* ---- read-only views of one village (the town looking at a village) ---- */
/* Its households (scr_households.c), its problem ledger (scr_problems.c), a
 * row (scr_form.c), and a household or a problem opened TUI_PAGE_VIEW: no
 * edit keys offered or accepted; the key bar says 只读. */
int screen_households_view_push(struct tui *t, const char *village_code);
int screen_problems_view_push(struct tui *t, const char *village_code);
int screen_form_view_push(struct tui *t, const char *table, const char *id);
/* A problem's page, where it is moved (整改、销号) as in the problem ledger
 * (scr_problems.c); read-only (TUI_PAGE_VIEW) from a village's ledgers. */
int screen_problem_open(struct tui *t, const char *problem_id, enum tui_page_mode how);
/* The problem form dispatching a new problem to village_code (the town's 派单):
 * saved through problem_create with that village, then the problem's page. */
int screen_form_dispatch_push(struct tui *t, const char *village_code);

#endif
