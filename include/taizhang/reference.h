/*
 * reference.h — the campaign's reference data that the town office sets for
 * every village: the policy numbers (policy table: income line, notice days,
 * visits per month, staffing targets ...) and the deadlines (deadlines table).
 * src/model/reference.c.
 *
 * Only a town store changes them; sync carries each change to every village
 * (src/sync/capture.c routes the reference tables to all of them), so a
 * village's checks and reports follow the town's numbers. A village store
 * reads them only.
 */
#ifndef TAIZHANG_REFERENCE_H
#define TAIZHANG_REFERENCE_H

#include <stddef.h>

#include "taizhang/error.h"
#include "taizhang/store.h"

struct reference_item {
	char *key;   /* policy or deadline key, ASCII */
	char *label; /* Chinese */
	char *value; /* policy: the whole number; deadline: YYYY-MM-DD */
	char *unit;  /* policy: 分, 天, 人 ...; deadline: NULL */
};

struct reference_list {
	struct reference_item *policy, *deadlines;
	size_t npolicy, ndeadlines;
};

/* Every policy number and deadline of s, ordered by key. Free with
 * reference_list_free. TZ_OK, or the store's status. */
int reference_list(struct store *s, struct reference_list *out, struct tz_error *err);
void reference_list_free(struct reference_list *l);

/* At a town store: set policy key to value (a whole number, >= 0; money in
 * 分). TZ_EUSAGE at a village store (the message says the town sets it);
 * TZ_EFAIL for an unknown key (the message lists them) or a bad value. Audited;
 * one transaction. */
int reference_policy_set(struct store *s, const char *key, const char *value,
			 struct tz_error *err);

/* At a town store: set deadline key to due (a real date as officers type it).
 * Same contract as reference_policy_set. The deliverables of that deadline not
 * handed in yet are then due on the new date (deliverable_generate). */
int reference_deadline_set(struct store *s, const char *key, const char *due,
			   struct tz_error *err);

#endif
