/*
 * village.h — a store's own village: its row in the villages table, which the
 * town's aggregation and the village-level checks (poor village, staff, bases)
 * read.
 */
#ifndef TAIZHANG_VILLAGE_H
#define TAIZHANG_VILLAGE_H

#include "taizhang/error.h"
#include "taizhang/store.h"

/* Write (or update) the villages row of s's own village: name, kind (a code or
 * label of code_list village_kind: poor / non_poor), town code = the first nine
 * digits of the village code followed by 000. Opens its own transaction unless
 * one is open. */
int village_register(struct store *s, const char *name, const char *kind, struct tz_error *err);

#endif
