/*
 * dibao_dispatch.c — the town's 低保 comparison sent to the villages as
 * dispatched problems (派单), one per mismatch, which the next bundle export
 * carries to each village (task 11, 建档立卡与低保比对).
 *
 * At a town store the county's civil-affairs 低保 roster is imported once
 * (`roster import dibao`, owner = the town). For every village the town knows:
 *  - a registered household none of whose present members' ID numbers is on
 *    the roster: "建档立卡户 X 不在低保名册：请核实是否符合低保条件" (with the
 *    household, so the village sees it on the household's page);
 *  - a 低保 household (by 户主身份证号) assigned to the village when imported
 *    (dibao_roster.roster_village: its 村代码 or 所在村; before 012, its
 *    所在村 naming the village) and none of
 *    whose people is a member of the village's registered households:
 *    "低保户 X 未识别为建档立卡户：请核实是否应纳入".
 * ID numbers compare as roster_idcard_key makes them (full-width digits, x/X).
 * A mismatch that already has an open problem (finding_rule "dibao-compare",
 * finding_ref the household id or "dibao:" + the head's ID number) is not sent
 * twice. One transaction per village (a town transaction concerns one village:
 * src/sync/capture.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/keyring.h"
#include "taizhang/problem.h"
#include "taizhang/roster.h"
#include "taizhang/vec.h"
#include "taizhang/xalloc.h"

#include "roster_internal.h"

#define RULE "dibao-compare"

static void idkey_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	if (text == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	char key[64];
	roster_idcard_key(text, key, sizeof key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

/* The registered households of village missing from the roster, then the
 * roster's households of the village missing from the registered: rows of
 * (kind, ref, name, idcard, household_id). */
static const char mismatch_sql[] =
	"WITH roster AS (SELECT tz_idkey(idcard) AS k, tz_idkey(head_idcard) AS head,"
	"                       head_name, village, roster_village FROM dibao_roster"
	"                WHERE import_id = ?1),"
	" mine AS (SELECT tz_idkey(m.idcard) AS k FROM members m JOIN households h"
	"          ON h.id = m.household_id WHERE h.village_code = ?2 AND m.status = 'present')"
	" SELECT 'registered', h.id,"
	"  coalesce((SELECT name FROM members WHERE household_id = h.id AND relation = 'head'),"
	"           (SELECT name FROM members WHERE household_id = h.id ORDER BY name LIMIT 1), ''),"
	"  coalesce((SELECT idcard FROM members WHERE household_id = h.id AND relation = 'head'), ''),"
	"  h.id"
	" FROM households h WHERE h.village_code = ?2"
	"  AND EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id AND m.status = 'present')"
	"  AND NOT EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id"
	"                  AND m.status = 'present' AND tz_idkey(m.idcard) IN (SELECT k FROM roster))"
	" UNION ALL"
	" SELECT 'dibao', 'dibao:' || r.head, min(r.head_name), r.head, NULL"
	" FROM roster r WHERE r.roster_village = ?2 OR (r.roster_village IS NULL"
	"  AND r.village IS NOT NULL AND (r.village = ?3 OR instr(r.village, ?3) > 0))"
	" GROUP BY r.head"
	" HAVING sum(r.k IN (SELECT k FROM mine)) = 0";

static int town_roster(struct store *s, char id[IDS_NCHARS + 1], struct tz_error *err)
{
	const char *params[] = { store_keyring(s)->division_code };
	sqlite3_stmt *row;
	int rc = store_query_one(s, "SELECT id FROM roster_imports WHERE kind = 'dibao' AND owner = ?1"
				    " ORDER BY imported_at DESC, rowid DESC LIMIT 1",
				 params, 1, &row, "读取低保名册", err);
	if (rc != TZ_OK)
		return rc;
	if (row == NULL)
		return tz_error_set(err, TZ_EFAIL,
				    "镇扶贫办还没有导入低保名册：请先运行 taizhang roster import dibao 文件");
	snprintf(id, IDS_NCHARS + 1, "%s", (const char *)sqlite3_column_text(row, 0));
	sqlite3_finalize(row);
	return TZ_OK;
}

struct mismatch {
	int dibao;
	char *ref, *name, *idcard, *household;
};

static int dispatch_village(struct store *s, const char *roster, const char *code,
			    const char *vname, const struct dibao_dispatch_options *o,
			    struct dibao_dispatch_result *r, struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, mismatch_sql, &st, "低保比对", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, 1, roster, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, vname, -1, SQLITE_STATIC);
	struct mismatch *m = NULL;
	size_t n = 0, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct mismatch *x = VEC_PUSH(m, n, cap);
		x->dibao = strcmp((const char *)sqlite3_column_text(st, 0), "dibao") == 0;
		x->ref = xstrdup((const char *)sqlite3_column_text(st, 1));
		x->name = xstrdup((const char *)sqlite3_column_text(st, 2));
		x->idcard = xstrdup((const char *)sqlite3_column_text(st, 3));
		x->household = xstrdup((const char *)sqlite3_column_text(st, 4));
	}
	int status = rc == SQLITE_DONE ? TZ_OK : store_sqlite_error(s, rc, "低保比对", err);
	sqlite3_finalize(st);
	if (status == TZ_OK && n > 0)
		status = store_tx_begin(s, err);
	for (size_t i = 0; status == TZ_OK && i < n; i++) {
		int found = 0;
		if (sqlite3_prepare_v2(store_db(s),
				       "SELECT 1 FROM problems WHERE finding_rule = '" RULE "'"
				       " AND finding_ref = ?1 AND state <> 'closed'",
				       -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, m[i].ref, -1, SQLITE_STATIC);
			found = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_finalize(st);
		}
		if (found) {
			r->already++;
			continue;
		}
		char title[256], description[512];
		if (m[i].dibao) {
			snprintf(title, sizeof title, "低保比对：低保户%s未识别为建档立卡户，请核实是否应纳入",
				 m[i].name);
			snprintf(description, sizeof description,
				 "镇扶贫办低保名册中的户主%s（身份证号 %s）所在村为本村，但本村建档立卡户的成员中没有这一户的任何人。",
				 m[i].name, m[i].idcard);
		} else {
			snprintf(title, sizeof title, "低保比对：建档立卡户%s不在低保名册，请核实是否符合低保条件",
				 m[i].name);
			snprintf(description, sizeof description,
				 "建档立卡户%s（户主身份证号 %s）的在户成员都不在镇扶贫办导入的低保名册中。",
				 m[i].name, m[i].idcard[0] ? m[i].idcard : "未登记");
		}
		struct problem_spec spec = { .village_code = code, .area = 1, .task = 11,
					     .title = title, .description = description,
					     .source = "dispatch", .finding_rule = RULE,
					     .finding_ref = m[i].ref, .household_id = m[i].household,
					     .responsible_unit = o->unit, .responsible_person = o->person,
					     .deadline = o->deadline };
		char id[IDS_NCHARS + 1];
		status = problem_create(s, &spec, id, err);
		if (status == TZ_OK)
			r->dispatched++;
	}
	if (n > 0 && store_tx_active(s))
		status = store_tx_end(s, status, err);
	for (size_t i = 0; i < n; i++) {
		free(m[i].ref);
		free(m[i].name);
		free(m[i].idcard);
		free(m[i].household);
	}
	free(m);
	if (status == TZ_OK && n > 0)
		r->villages++;
	return status;
}

int dibao_dispatch(struct store *s, const struct dibao_dispatch_options *o,
		   struct dibao_dispatch_result *r, struct tz_error *err)
{
	memset(r, 0, sizeof *r);
	if (store_keyring(s)->kind != STORE_KIND_TOWN)
		return tz_error_set(err, TZ_EUSAGE, "比对结果派单只能在镇扶贫办的台账上做");
	char roster[IDS_NCHARS + 1];
	int rc = town_roster(s, roster, err);
	if (rc != TZ_OK)
		return rc;
	rc = sqlite3_create_function(store_db(s), "tz_idkey", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				     NULL, idkey_fn, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(s, rc, "低保比对", err);
	char **codes, **names;
	size_t n;
	rc = roster_town_villages(s, &codes, &names, &n, err);
	for (size_t i = 0; i < n && rc == TZ_OK; i++)
		rc = dispatch_village(s, roster, codes[i], names[i], o, r, err);
	roster_town_villages_free(codes, names, n);
	return rc;
}
