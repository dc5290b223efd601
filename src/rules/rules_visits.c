/*
 * rules_visits.c — visit compliance (task 14, "百名干部走基层") over the months
 * that have ended, for whoever shows a rate (the report, the monitoring view),
 * and the days the month in progress still runs.
 *
 * A month counts only once it is over: on 2019-05-15 May still has 17 days
 * (the 15th included) and a cadre who has not been yet is not failing. The
 * months and assignments are the ones cadre-missed-visit reads
 * (RULES_VISITS_DUE_CTE, rules_internal.h), so that the rate and the findings
 * agree: due minus met is the number of cadre-missed-visit findings over the
 * same months.
 *
 * Not here: the per-cadre table of the report (src/report/report_work.c).
 */
#include <string.h>

#include "rules_internal.h"

int rules_month_days_left(const char *as_of)
{
	int32_t day;
	if (as_of == NULL || !date_parse(as_of, &day))
		return 0;
	return (int)(date_next_month(day) - day);
}

/* The months from the month of :from while they end before :to's month. */
#define ENDED_MONTHS \
	"WITH RECURSIVE months(start, next, last) AS MATERIALIZED (" \
	" SELECT date(:from, 'start of month'), date(:from, 'start of month', '+1 month')," \
	"  date(:from, 'start of month', '+1 month', '-1 day')" \
	" WHERE date(:from, 'start of month') < date(:to, 'start of month')" \
	" UNION ALL SELECT next, date(next, '+1 month'), date(next, '+1 month', '-1 day')" \
	" FROM months WHERE next < date(:to, 'start of month')),"

int rules_visit_compliance(struct store *s, const char *village, const char *from,
			   const char *to, struct rules_visit_compliance *out,
			   struct tz_error *err)
{
	memset(out, 0, sizeof *out);
	int32_t d0, d1;
	if (from == NULL || to == NULL || !date_parse(from, &d0) || !date_parse(to, &d1))
		return tz_error_set(err, TZ_EUSAGE, "走访统计的起止日期无效，请写成 2019-05-01");
	sqlite3_int64 per_month = 0;
	sqlite3_stmt *st;
	int rc = rules_policy(s, "visits_per_month", &per_month, err);
	if (rc != TZ_OK)
		return rc;
	rc = store_prepare(s,
			   ENDED_MONTHS " " RULES_VISITS_DUE_CTE
			   " SELECT count(*), COALESCE(sum(n >= :per_month), 0) FROM due",
			   &st, "统计走访", err);
	if (rc != TZ_OK)
		return rc;
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":from"), from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":to"), to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":village"), village, -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":per_month"), per_month);
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		out->due = sqlite3_column_int64(st, 0);
		out->met = sqlite3_column_int64(st, 1);
		out->days_left = rules_month_days_left(to);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_ROW)
		return store_sqlite_error(s, src, "统计走访", err);
	return TZ_OK;
}
