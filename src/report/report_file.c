/*
 * report_file.c — putting a report on disk without ever leaving half of one:
 * each file is written as FILE.part, flushed to disk, and renamed over FILE;
 * and the one entry point that picks the writer by the file's name.
 *
 * A report holds personal data (names in problem titles, the village's
 * figures) taken out of the encrypted store, so its files are created mode
 * 0600; the officer may share them as they see fit. A stale FILE.part from an
 * interrupted run is replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_internal.h"
#include "taizhang/utf8.h"
#include "taizhang/os_error.h"

int report_file_open(struct report_file *f, const char *path, int open_stream,
		     struct tz_error *err)
{
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	f->part_path = xasprintf("%s.part", path);
	int fd = open(f->part_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return tz_error_set(err, TZ_EFAIL, "无法写入 %s：%s", f->part_path, os_error_text(errno));
	if (fchmod(fd, 0600) != 0) {
		int e = errno;
		close(fd);
		return tz_error_set(err, TZ_EFAIL, "无法设置 %s 的权限：%s", f->part_path, os_error_text(e));
	}
	if (!open_stream) {
		close(fd);
		return TZ_OK;
	}
	f->fp = fdopen(fd, "wb");
	if (f->fp == NULL) {
		close(fd);
		abort(); /* out of memory: fdopen on a good descriptor fails no other way */
	}
	return TZ_OK;
}

int report_file_finish(struct report_file *f, struct tz_error *err)
{
	int ok = 1, e = 0;
	if (f->fp != NULL) {
		if (fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0) {
			ok = 0;
			e = errno;
		}
		if (fclose(f->fp) != 0 && ok) {
			ok = 0;
			e = errno;
		}
		f->fp = NULL;
	} else {
		int fd = open(f->part_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0) {
			ok = 0;
			e = errno;
		}
		if (fd >= 0)
			close(fd);
	}
	if (!ok)
		return tz_error_set(err, TZ_EFAIL, "写入 %s 失败：%s", f->part_path,
				    os_error_text(e ? e : EIO));
	return TZ_OK;
}

int report_file_commit(struct report_file *f, struct tz_error *err)
{
	if (rename(f->part_path, f->path) != 0)
		return tz_error_set(err, TZ_EFAIL, "无法把 %s 改名为 %s：%s", f->part_path, f->path,
				    os_error_text(errno));
	f->committed = 1;
	/* Make the rename itself durable. */
	char *copy = xstrdup(f->path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(copy);
	return TZ_OK;
}

void report_file_discard(struct report_file *f)
{
	if (f->fp != NULL)
		fclose(f->fp);
	if (f->part_path != NULL && !f->committed)
		unlink(f->part_path);
	free(f->path);
	free(f->part_path);
	memset(f, 0, sizeof *f);
}

enum report_format report_format_of(const char *path)
{
	if (strcmp(path, "-") == 0 || utf8_has_suffix(path, ".txt", 1))
		return REPORT_FORMAT_TEXT;
	if (utf8_has_suffix(path, ".csv", 1))
		return REPORT_FORMAT_CSV;
	if (utf8_has_suffix(path, ".xlsx", 1))
		return REPORT_FORMAT_XLSX;
	return REPORT_FORMAT_NONE;
}

int report_csv_path(const char *path, const char *key, char *out, size_t cap,
		    struct tz_error *err)
{
	if (!utf8_has_suffix(path, ".csv", 1))
		return tz_error_set(err, TZ_EFAIL, "CSV 报表的文件名应以 .csv 结尾：%s", path);
	size_t stem = strlen(path) - 4;
	int n = snprintf(out, cap, "%.*s-%s%s", (int)stem, path, key, path + stem);
	if (n < 0 || (size_t)n >= cap)
		return tz_error_set(err, TZ_EFAIL, "文件名太长：%s", path);
	return TZ_OK;
}

static int write_text_file(const struct report *r, const char *path, struct tz_error *err)
{
	if (strcmp(path, "-") == 0) {
		int rc = report_write_text(r, stdout, err);
		if (rc == TZ_OK && fflush(stdout) != 0)
			rc = tz_error_set(err, TZ_EFAIL, "写出报表失败：%s", os_error_text(errno));
		return rc;
	}
	struct report_file f;
	int rc = report_file_open(&f, path, 1, err);
	if (rc == TZ_OK)
		rc = report_write_text(r, f.fp, err);
	if (rc == TZ_OK)
		rc = report_file_finish(&f, err);
	if (rc == TZ_OK)
		rc = report_file_commit(&f, err);
	report_file_discard(&f);
	return rc;
}

int report_write(const struct report *r, const char *path, struct tz_error *err)
{
	switch (report_format_of(path)) {
	case REPORT_FORMAT_TEXT:
		return write_text_file(r, path, err);
	case REPORT_FORMAT_CSV:
		return report_write_csv(r, path, err);
	case REPORT_FORMAT_XLSX:
		return report_write_xlsx(r, path, err);
	case REPORT_FORMAT_NONE:
		break;
	}
	return tz_error_set(err, TZ_EUSAGE,
			    "不认识报表文件“%s”的类型：文件名请以 .xlsx、.csv 或 .txt 结尾，"
			    "或用 - 把文字报表输出到屏幕",
			    path);
}
