/*
 * xlsx_file.c — an Excel workbook written atomically (see xlsx_file.h).
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>

#include "xlsx_file.h"
#include "taizhang/os_error.h"

const char *report_xlsx_error_text(int e, char *buf, size_t nbytes)
{
	switch ((lxw_error)e) {
	case LXW_ERROR_MEMORY_MALLOC_FAILED:
		return os_error_text(ENOMEM);
	case LXW_ERROR_CREATING_XLSX_FILE:
	case LXW_ERROR_CREATING_TMPFILE:
	case LXW_ERROR_READING_TMPFILE:
	case LXW_ERROR_ZIP_FILE_OPERATION:
	case LXW_ERROR_ZIP_FILE_ADD:
	case LXW_ERROR_ZIP_CLOSE:
		return os_error_text(errno ? errno : EIO);
	default:
		snprintf(buf, nbytes, "Excel 写出库的内部错误（错误号 %d）", e);
		return buf;
	}
}

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
	char why[80];
	if (rc == TZ_OK && x->first != LXW_NO_ERROR)
		rc = tz_error_set(err, TZ_EFAIL, "写 Excel 文件 %s 出错：%s", path,
				  report_xlsx_error_text(x->first, why, sizeof why));
	if (rc == TZ_OK && closed != LXW_NO_ERROR)
		rc = tz_error_set(err, TZ_EFAIL, "写 Excel 文件 %s 失败：%s", path,
				  report_xlsx_error_text(closed, why, sizeof why));
	if (rc == TZ_OK)
		rc = report_file_finish(&x->file, err);
	if (rc == TZ_OK)
		rc = report_file_commit(&x->file, err);
	report_file_discard(&x->file);
	return rc;
}
