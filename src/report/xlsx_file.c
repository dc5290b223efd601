/*
 * xlsx_file.c — an Excel workbook written atomically (see xlsx_file.h).
 */
#include <libgen.h>
#include <stdlib.h>

#include "xlsx_file.h"

void xlsx_check(lxw_error e, lxw_error *first)
{
	if (e != LXW_NO_ERROR && *first == LXW_NO_ERROR)
		*first = e;
}

int xlsx_file_open(struct xlsx_file *x, const char *path, struct tz_error *err)
{
	x->wb = NULL;
	x->tmpdir = NULL;
	x->first = LXW_NO_ERROR;
	int rc = report_file_open(&x->file, path, 0, err);
	if (rc != TZ_OK) {
		report_file_discard(&x->file);
		return rc;
	}
	x->tmpdir = xstrdup(path);
	lxw_workbook_options options = { .constant_memory = 0, .tmpdir = dirname(x->tmpdir) };
	x->wb = workbook_new_opt(x->file.part_path, &options);
	if (x->wb == NULL) {
		free(x->tmpdir);
		x->tmpdir = NULL;
		report_file_discard(&x->file);
		return tz_error_set(err, TZ_EFAIL, "无法建立 Excel 文件 %s", path);
	}
	return TZ_OK;
}

int xlsx_file_close(struct xlsx_file *x, int rc, struct tz_error *err)
{
	/* Always close: it frees the workbook, and writes the file. */
	lxw_error closed = workbook_close(x->wb);
	x->wb = NULL;
	free(x->tmpdir);
	x->tmpdir = NULL;
	const char *path = x->file.path;
	if (rc == TZ_OK && x->first != LXW_NO_ERROR)
		rc = tz_error_set(err, TZ_EFAIL, "写 Excel 文件 %s 出错：%s", path,
				  lxw_strerror(x->first));
	if (rc == TZ_OK && closed != LXW_NO_ERROR)
		rc = tz_error_set(err, TZ_EFAIL, "写 Excel 文件 %s 失败：%s", path,
				  lxw_strerror(closed));
	if (rc == TZ_OK)
		rc = report_file_finish(&x->file, err);
	if (rc == TZ_OK)
		rc = report_file_commit(&x->file, err);
	report_file_discard(&x->file);
	return rc;
}
