/*
 * xlsx_file.h — an Excel workbook on disk the way every report file is put
 * there (report_file.c: FILE.part, mode 0600, flushed and renamed at the end),
 * shared by the report (report_xlsx.c) and the notices (notice_xlsx.c).
 *
 * libxlsxwriter writes each part of the workbook through a temporary file
 * before zipping; those go in the directory of the output (its tmpdir option),
 * so the plain text never lands anywhere the officer did not choose.
 *
 * Writing goes: xlsx_file_open, the sheets (each libxlsxwriter call's status
 * kept by xlsx_check in first), xlsx_file_close.
 */
#ifndef TAIZHANG_REPORT_XLSX_FILE_H
#define TAIZHANG_REPORT_XLSX_FILE_H

#include <xlsxwriter.h>

#include "report_internal.h"

struct xlsx_file {
	struct report_file file;
	char *tmpdir;      /* the output's directory */
	lxw_workbook *wb;  /* the workbook, writing to file.part_path */
	lxw_error first;   /* the first error of a call while writing it */
};

/* Keep e in *first when it is the first error. */
void xlsx_check(lxw_error e, lxw_error *first);

/* Create path's part file and a workbook writing to it (x->wb). TZ_EFAIL
 * (saying so) when either cannot be made; x holds nothing then. */
int xlsx_file_open(struct xlsx_file *x, const char *path, struct tz_error *err);

/* Close the workbook (written to the part file) and, when rc and every call
 * kept in x->first succeeded, flush it and rename it over the path; remove the
 * part otherwise. Returns rc, or the first failure after it. */
int xlsx_file_close(struct xlsx_file *x, int rc, struct tz_error *err);

#endif
