/*
 * rules_watch.c — the monitoring view (防止返贫致贫监测, area 六): every
 * household the campaign watches, with what of "两不愁三保障" and the income
 * line fails for it, its income against the line, the measures in place and
 * its assigned cadre (see rules_watch in rules.h).
 *
 * Watched are the registered households in status monitored (脱贫监测户) and
 * fell_back (返贫户), and the marginal households (边缘户) still watched
 * (state watching). What fails for a registered household is read from the
 * guarantee rules' own findings (every rule with rule->guarantee), so that the
 * view and `taizhang check` never disagree. A marginal household is not
 * registered and the sector ledgers keep nothing of it: what the view says of
 * it is its income against the line and the risks recorded for it.
 *
 * Measures in place on as-of: a registered household's 措施清单 items (four_lists
 * list measure, created by then) and its social-security benefits in force
 * (低保, 特困 …; one benefit of several members said once); a marginal household's measures dated on or before as-of.
 *
 * Not here: printing (cmd_check.c's --monitor, tui/scr_monitor.c).
 */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "rules_internal.h"
#include "taizhang/money.h"

/* Append text to a "、"-separated list *list unless it is already there (the
 * guarantees' names are none a part of another). */
static void list_add(char **list, const char *text)
{
	if (strstr(*list, text) != NULL)
		return;
	size_t n = strlen(*list), t = strlen(text);
	size_t sep = n ? strlen("、") : 0;
	*list = xrealloc(*list, n + sep + t + 1);
	if (sep)
		memcpy(*list + n, "、", sep);
	memcpy(*list + n + sep, text, t + 1);
}

void rules_watch_free(struct rules_watch_list *w)
{
	for (size_t i = 0; i < w->n; i++) {
		struct rules_watched *x = &w->items[i];
		free(x->id);
		free(x->village_code);
		free(x->village_name);
		free(x->kind);
		free(x->head);
		free(x->fails);
		free(x->risks);
		free(x->measures);
		free(x->cadre);
	}
	free(w->items);
	memset(w, 0, sizeof *w);
}

/* The village's name: the villages table's, else the store's own. */
#define VILLAGE_NAME(code) \
	"COALESCE((SELECT v.name FROM villages v WHERE v.code = " code ")," \
	" (SELECT m.value FROM store_meta m WHERE m.key = 'name'" \
	"  AND (SELECT c.value FROM store_meta c WHERE c.key = 'code') = " code "), " code ")"

/* Every watched household: marginal, id, village, village name, kind, head,
 * income, risks, measures, cadre; by village, kind, head. */
static const char watched_sql[] =
	"SELECT 0, h.id, h.village_code, " VILLAGE_NAME("h.village_code") ","
	" CASE h.status WHEN 'monitored' THEN '脱贫监测户' ELSE '返贫户' END,"
	" " RULES_HEAD_LOOKUP("h.id") ", COALESCE(h.income_cents, -1), '',"
	" COALESCE((SELECT group_concat(x, '；') FROM ("
	"  SELECT fl.item || COALESCE('（' || fl.done_date || ' 完成）', '') AS x FROM four_lists fl"
	"  WHERE fl.household_id = h.id AND fl.list = 'measure'"
	"  AND date(fl.created_at, '+8 hours') <= :as_of"
	"  UNION SELECT " RULES_LABEL("security_kind", "ss.kind") " || '（' || ss.start_on"
	"  || ' 起）' FROM social_security ss WHERE ss.household_id = h.id"
	"  AND ss.start_on <= :as_of AND (ss.end_on IS NULL OR ss.end_on >= :as_of))), ''),"
	" COALESCE((SELECT c.name FROM cadre_assignments a JOIN cadres c ON c.id = a.cadre_id"
	"  WHERE a.household_id = h.id AND a.since <= :as_of"
	"  AND (a.until IS NULL OR a.until >= :as_of)"
	"  ORDER BY a.since DESC, a.created_at DESC, a.id DESC LIMIT 1), ''),"
	" CASE h.status WHEN 'monitored' THEN 1 ELSE 2 END AS k"
	" FROM households h"
	" WHERE h.status IN ('monitored', 'fell_back') AND " RULES_IN_SCOPE("h.village_code")
	" UNION ALL"
	" SELECT 1, mh.id, mh.village_code, " VILLAGE_NAME("mh.village_code") ", '边缘户',"
	" '户主 ' || mh.head_name || '（' || mh.head_idcard || '）', COALESCE(mh.income_cents, -1),"
	" COALESCE((SELECT group_concat(label, '、') FROM (SELECT cl.label FROM code_list cl"
	"  WHERE cl.list = 'risk_flag' AND instr(',' || replace(COALESCE(mh.risk_flags, ''), ' ', '')"
	"  || ',', ',' || cl.code || ',') > 0 ORDER BY cl.sort)), ''),"
	" COALESCE((SELECT group_concat(x, '；') FROM (SELECT mm.measure || '（' || mm.on_date || '）'"
	"  AS x FROM marginal_measures mm WHERE mm.marginal_id = mh.id AND mm.on_date <= :as_of"
	"  ORDER BY mm.on_date, mm.id)), ''),"
	" '', 3 AS k"
	" FROM marginal_households mh"
	" WHERE mh.state = 'watching' AND " RULES_IN_SCOPE("mh.village_code")
	" ORDER BY 3, k, 6, 2";

static int read_watched(struct store *s, const char *village, struct rules_watch_list *out,
			struct tz_error *err)
{
	sqlite3_stmt *st;
	int rc = store_prepare(s, watched_sql, &st, "读取监测户", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":village"), village, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":as_of"), out->as_of, -1,
			  SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rules_watched *x = VEC_PUSH(out->items, out->n, out->cap);
		store_row_read(st, "itttttIttt", &x->marginal, &x->id, &x->village_code,
			       &x->village_name, &x->kind, &x->head, &x->income_cents, &x->risks,
			       &x->measures, &x->cadre);
		x->fails = xstrdup("");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(s, rc, "读取监测户", err);
	return TZ_OK;
}

int rules_watch(struct store *s, const struct rules_options *o, struct rules_watch_list *out,
		struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	int32_t day = date_today();
	if (o != NULL && o->as_of != NULL && !date_parse_loose(o->as_of, &day))
		return tz_error_set(err, TZ_EUSAGE,
				    "核查日期“%s”不是有效日期，请写成 2019-05-31 或 2019年5月31日",
				    o->as_of);
	date_format(day, out->as_of);
	sqlite3_int64 line;
	int rc = rules_policy(s, "income_line_cents", &line, err);
	if (rc != TZ_OK)
		return rc;
	out->income_line_cents = line;
	const struct keyring *kr = store_keyring(s);
	rc = read_watched(s, kr->kind == STORE_KIND_TOWN ? NULL : kr->division_code, out, err);
	struct findings f = { 0 };
	size_t nrules;
	const struct rule *const *rules = rules_all(&nrules);
	for (size_t i = 0; rc == TZ_OK && i < nrules; i++)
		if (rules[i]->guarantee != NULL)
			rc = rules_check(s, &(struct rules_options){ .as_of = out->as_of, .only = rules[i] },
					 &f, err);
	for (size_t i = 0; rc == TZ_OK && i < out->n; i++) {
		struct rules_watched *x = &out->items[i];
		for (size_t j = 0; !x->marginal && j < f.n; j++)
			if (f.items[j].household_id != NULL && strcmp(f.items[j].household_id, x->id) == 0)
				list_add(&x->fails, f.items[j].rule->guarantee);
		if (x->marginal && x->income_cents >= 0 && x->income_cents < line)
			list_add(&x->fails, "收入达标");
	}
	findings_free(&f);
	return rc;
}

char *rules_watch_income(const struct rules_watched *x, long long line, char *out,
			 size_t nbytes)
{
	char have[MONEY_TEXT_NBYTES], gap[MONEY_TEXT_NBYTES];
	if (x->income_cents < 0) {
		snprintf(out, nbytes, "未登记");
		return out;
	}
	money_format(x->income_cents, MONEY_SHORT, have);
	long long d = x->income_cents - line;
	money_format(d < 0 ? -d : d, MONEY_SHORT, gap);
	if (d == 0)
		snprintf(out, nbytes, "%s 元，达到标准", have);
	else
		snprintf(out, nbytes, "%s 元，%s标准 %s 元", have, d < 0 ? "低于" : "高于", gap);
	return out;
}
