/*
 * tui_names.c — the villages' names that screens show beside a village code
 * (the bundles imported or written, the conflict ledger, the enrolled
 * devices): one list for the session (struct tui), read again by each screen
 * that shows them when it loads, looked up by code. What it is not: the
 * villages' sync state (struct tui_villages, scr_town.c).
 */
#include <string.h>

#include "taizhang/browse.h"
#include "tui_internal.h"

int tui_village_names_load(struct tui *t, struct tz_error *err)
{
	tui_village_names_free(t);
	return browse_villages(t->s, &t->villages.rows, &t->villages.n, err);
}

const char *tui_village_name(const struct tui *t, const char *code, const char *unknown)
{
	for (size_t i = 0; i < t->villages.n; i++)
		if (strcmp(t->villages.rows[i].id, code) == 0)
			return t->villages.rows[i].cells[0];
	return unknown;
}

void tui_village_names_free(struct tui *t)
{
	browse_rows_free(t->villages.rows, t->villages.n);
	t->villages.rows = NULL;
	t->villages.n = 0;
}
