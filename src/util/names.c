/*
 * names.c — looking a word up in a table of names for an enum's values or
 * texts (see include/taizhang/names.h).
 */
#include <string.h>

#include "taizhang/names.h"

int names_find(const struct name_value *table, size_t n, const char *text, size_t text_nbytes,
	       int *value)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(table[i].name) == text_nbytes &&
		    memcmp(table[i].name, text, text_nbytes) == 0) {
			*value = table[i].value;
			return 1;
		}
	}
	return 0;
}

const char *names_text(const struct name_text *table, size_t n, const char *name)
{
	for (size_t i = 0; name != NULL && i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return table[i].text;
	return NULL;
}
