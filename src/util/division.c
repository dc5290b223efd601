/*
 * division.c — administrative-division codes (see include/taizhang/division.h).
 */
#include <stdio.h>
#include <string.h>

#include "taizhang/division.h"

int division_code_valid(const char *code)
{
	if (code == NULL || strlen(code) != DIVISION_CODE_NCHARS)
		return 0;
	for (int i = 0; i < DIVISION_CODE_NCHARS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return 1;
}

int division_code_is_town(const char *code)
{
	return division_code_valid(code) && strcmp(code + DIVISION_TOWN_NCHARS, "000") == 0;
}

void division_town_of(const char *village, char town[DIVISION_CODE_NCHARS + 1])
{
	snprintf(town, DIVISION_CODE_NCHARS + 1, "%.9s000", village);
}

int division_in_town(const char *village, const char *town)
{
	return division_code_valid(village) && division_code_valid(town) &&
	       strncmp(village, town, DIVISION_TOWN_NCHARS) == 0 && strcmp(village, town) != 0;
}
