/*
 * tui.h — the officer's screen (src/tui/): `taizhang` with no command.
 */
#ifndef TAIZHANG_TUI_H
#define TAIZHANG_TUI_H

#include "taizhang/error.h"

/* Run the screen on the store at path: unlock (as user, or pick one), then the
 * village at a glance and every ledger. Refuses to start when the locale is not
 * UTF-8 or a form file is malformed (err says which file and line). Returns
 * TZ_OK when the officer quits. */
int tui_main(const char *path, const char *user, struct tz_error *err);

#endif
