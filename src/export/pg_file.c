/*
 * pg_file.c — one file of a PostgreSQL export put on disk whole or not at all:
 * written as DIR/.NAME.part (mode 0600: it holds personal data taken out of the
 * encrypted store), flushed to disk, then renamed to DIR/NAME. A stale .part
 * of an interrupted run is replaced; a symbolic link in its place is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_internal.h"
#include "taizhang/os_error.h"

int pg_file_open(struct pg_file *f, const char *dir, const char *name, struct tz_error *err)
{
	memset(f, 0, sizeof *f);
	f->path = xasprintf("%s/%s", dir, name);
	f->part_path = xasprintf("%s/.%s.part", dir, name);
	int fd = open(f->part_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return tz_error_set(err, TZ_EFAIL, "无法写入 %s：%s", f->part_path, os_error_text(errno));
	if (fchmod(fd, 0600) != 0) {
		int e = errno;
		close(fd);
		unlink(f->part_path);
		return tz_error_set(err, TZ_EFAIL, "无法设置 %s 的权限：%s", f->part_path, os_error_text(e));
	}
	f->fp = fdopen(fd, "wb");
	if (f->fp == NULL)
		abort(); /* out of memory: fdopen on a good descriptor fails no other way */
	return TZ_OK;
}

int pg_file_commit(struct pg_file *f, struct tz_error *err)
{
	int failed = fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0;
	int e = errno;
	if (fclose(f->fp) != 0 && !failed) {
		failed = 1;
		e = errno;
	}
	f->fp = NULL;
	if (failed)
		return tz_error_set(err, TZ_EFAIL, "写入 %s 失败：%s", f->part_path, os_error_text(e));
	if (rename(f->part_path, f->path) != 0)
		return tz_error_set(err, TZ_EFAIL, "无法把 %s 改名为 %s：%s", f->part_path, f->path,
				    os_error_text(errno));
	free(f->part_path);
	f->part_path = NULL; /* committed: nothing to remove */
	return TZ_OK;
}

void pg_file_discard(struct pg_file *f)
{
	if (f->fp != NULL)
		fclose(f->fp);
	if (f->part_path != NULL)
		unlink(f->part_path);
	free(f->path);
	free(f->part_path);
	memset(f, 0, sizeof *f);
}
