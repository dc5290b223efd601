/*
 * roster_source.c — which 低保 rows a village is compared with.
 *
 * A village store compares with its own last roster. A town store holds the
 * rosters its villages imported (their rows come with their bundles, owner =
 * the village) and may import one of its own: the county's roster, whose rows
 * were each assigned a village when imported (dibao_roster.roster_village,
 * roster_dibao_rows.c). A village of the town is compared with the newer of
 * the two: its own roster, or its rows of the town's. Rows of a county roster
 * that fell to no village are counted apart (roster_unassigned).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/keyring.h"
#include "taizhang/vec.h"

#include "roster_internal.h"

void roster_dibao_source_free(struct dibao_source *src)
{
	free(src->imported_at);
	free(src->file_name);
	src->imported_at = src->file_name = NULL;
}

void roster_dibao_source_bind(sqlite3_stmt *st, const struct dibao_source *src)
{
	sqlite3_bind_text(st, 1, src->import_id, -1, SQLITE_TRANSIENT);
	if (src->village[0] != '\0')
		sqlite3_bind_text(st, 2, src->village, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int(st, 3, src->own);
}

/* The last 低保 import of owner (with rows; of village when county: rows
 * assigned to it) into src; *found whether there is one. */
static int last_import(struct store *s, const char *owner, const char *village, int county,
		       struct dibao_source *src, int *found, struct tz_error *err)
{
	*found = 0;
	const char *params[] = { owner, county ? village : NULL };
	sqlite3_stmt *row;
	int rc = store_query_one(s, "SELECT r.id, r.imported_at, r.file_name FROM roster_imports r"
				    " WHERE r.kind = 'dibao' AND (?1 IS NULL OR r.owner = ?1)"
				    " AND EXISTS (SELECT 1 FROM dibao_roster d WHERE d.import_id = r.id"
				    "  AND (?2 IS NULL OR d.roster_village = ?2))"
				    " ORDER BY r.imported_at DESC, r.rowid DESC LIMIT 1",
				 params, 2, &row, "读取低保名册", err);
	if (row != NULL) {
		*found = 1;
		snprintf(src->import_id, sizeof src->import_id, "%s", roster_col_text(row, 0));
		src->imported_at = xstrdup(roster_col_text(row, 1));
		src->file_name = xstrdup(roster_col_text(row, 2));
		snprintf(src->village, sizeof src->village, "%s", village ? village : "");
		src->own = !county;
		src->county = county;
		sqlite3_finalize(row);
	}
	return rc;
}

int roster_dibao_source(struct store *s, const char *village, struct dibao_source *src,
			struct tz_error *err)
{
	*src = (struct dibao_source){ 0 };
	const struct keyring *k = store_keyring(s);
	int town = k->kind == STORE_KIND_TOWN;
	int found = 0, found_county = 0;
	int rc;
	if (!town) {
		/* Its own roster (any owner before: a village store has one). */
		rc = last_import(s, village, village ? village : k->division_code, 0, src, &found, err);
	} else {
		struct dibao_source county = { 0 };
		rc = last_import(s, village, village, 0, src, &found, err);
		if (rc == TZ_OK && village != NULL)
			rc = last_import(s, k->division_code, village, 1, &county, &found_county, err);
		if (rc == TZ_OK && found_county &&
		    (!found || strcmp(county.imported_at, src->imported_at) > 0)) {
			roster_dibao_source_free(src);
			*src = county;
			found = 1;
		} else {
			roster_dibao_source_free(&county);
		}
	}
	if (rc == TZ_OK && !found)
		rc = roster_no_roster(err);
	if (rc != TZ_OK)
		roster_dibao_source_free(src);
	return rc;
}

int roster_town_villages(struct store *s, char ***codes, char ***names, size_t *n,
			 struct tz_error *err)
{
	sqlite3_stmt *st;
	*codes = *names = NULL;
	*n = 0;
	int rc = store_prepare(s, "SELECT code, name FROM villages WHERE code <> ?1 ORDER BY code", &st,
			       "读取村名单", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, store_keyring(s)->division_code, -1, SQLITE_STATIC);
	size_t cap_c = 0, cap_n = 0, nn = 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*VEC_PUSH(*codes, *n, cap_c) = xstrdup(roster_col_text(st, 0));
		*VEC_PUSH(*names, nn, cap_n) = xstrdup(roster_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_sqlite_error(s, step, "读取村名单", err);
	return TZ_OK;
}

size_t roster_unassigned(struct store *s)
{
	const char *params[] = { store_keyring(s)->division_code };
	struct tz_error none;
	long long n;
	store_query_ints(s,
			 "SELECT count(DISTINCT upper(head_idcard)) FROM dibao_roster WHERE import_id ="
			 " (SELECT r.id FROM roster_imports r WHERE r.kind = 'dibao' AND r.owner = ?1"
			 "  AND EXISTS (SELECT 1 FROM dibao_roster d WHERE d.import_id = r.id)"
			 "  ORDER BY r.imported_at DESC, r.rowid DESC LIMIT 1)"
			 " AND (roster_village IS NULL OR roster_village = '')",
			 params, 1, &n, 1, "读取低保名册", &none);
	return (size_t)n;
}

int roster_no_roster(struct tz_error *err)
{
	return tz_error_set(err, TZ_EFAIL,
			    "还没有导入低保名册：请先用 taizhang roster import dibao 文件.csv 导入"
			    "民政部门的低保名册");
}

void roster_source_note(const struct dibao_source *src, char **imported_at, char **file_name)
{
	if (*imported_at == NULL || strcmp(src->imported_at, *imported_at) > 0) {
		free(*imported_at);
		*imported_at = xstrdup(src->imported_at);
	}
	if (*file_name == NULL || src->county) {
		free(*file_name);
		*file_name = xstrdup(src->county ? src->file_name : "各村导入的低保名册");
	}
}

void roster_town_villages_free(char **codes, char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(codes[i]);
		free(names[i]);
	}
	free(codes);
	free(names);
}

/* Every village of the town store s with the roster it is compared with. */
static int each_town_village(struct store *s, roster_village_fn *fn, void *ctx,
			     char **imported_at, char **file_name, struct tz_error *err)
{
	char **codes, **names;
	size_t n;
	int status = roster_town_villages(s, &codes, &names, &n, err);
	for (size_t i = 0; status == TZ_OK && i < n; i++) {
		struct dibao_source src;
		struct tz_error none;
		if (roster_dibao_source(s, codes[i], &src, &none) != TZ_OK) {
			status = fn(s, codes[i], names[i], NULL, ctx, err);
			continue;
		}
		roster_source_note(&src, imported_at, file_name);
		status = fn(s, codes[i], names[i], &src, ctx, err);
		roster_dibao_source_free(&src);
	}
	roster_town_villages_free(codes, names, n);
	if (status == TZ_OK && *imported_at == NULL)
		status = tz_error_set(err, TZ_EFAIL,
				      "还没有导入低保名册：请先用 taizhang roster import dibao 文件.csv 导入"
				      "民政部门的低保名册（县里的名册按“所在村”或“村代码”分到各村）");
	return status;
}

int roster_compare_each(struct store *s, const char *village, roster_village_fn *fn, void *ctx,
			char **imported_at, char **file_name, struct tz_error *err)
{
	if (village == NULL && store_keyring(s)->kind == STORE_KIND_TOWN)
		return each_town_village(s, fn, ctx, imported_at, file_name, err);
	struct dibao_source src;
	int status = roster_dibao_source(s, village, &src, err);
	if (status != TZ_OK)
		return status;
	*imported_at = xstrdup(src.imported_at);
	*file_name = xstrdup(src.file_name);
	status = fn(s, village, NULL, &src, ctx, err);
	roster_dibao_source_free(&src);
	return status;
}
