/*
 * file.c — whole-file reads with a size limit (see include/taizhang/file.h).
 *
 * The size is checked on the open descriptor (fstat) before anything is read,
 * and again while reading, so a file that grows underneath is refused rather
 * than cut short. file_pread_all / file_pwrite_all are the positioned loops
 * that go on after a short read or write and an interrupted call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/file.h"
#include "taizhang/os_error.h"
#include "taizhang/xalloc.h"

static int too_big(const char *path, unsigned long long have, size_t max_nbytes,
		   struct tz_error *err)
{
	if (max_nbytes >= 1024u * 1024u)
		return tz_error_set(err, TZ_EFAIL, "文件“%s”太大（%llu 字节），最多只能读 %zu MB", path,
				    have, max_nbytes / (1024u * 1024u));
	return tz_error_set(err, TZ_EFAIL, "文件“%s”太大（%llu 字节），最多只能读 %zu 字节", path, have,
			    max_nbytes);
}

int file_read_all(const char *path, size_t max_nbytes, char **data, size_t *nbytes,
		  struct tz_error *err)
{
	*data = NULL;
	*nbytes = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return tz_error_set(err, TZ_EFAIL, "找不到文件“%s”", path);
	if (fd < 0)
		return tz_error_set(err, TZ_EFAIL, "打不开文件“%s”：%s", path, os_error_text(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return tz_error_set(err, TZ_EFAIL, "“%s”不是普通文件", path);
	}
	if ((unsigned long long)st.st_size > max_nbytes) {
		close(fd);
		return too_big(path, (unsigned long long)st.st_size, max_nbytes, err);
	}
	size_t cap = (size_t)st.st_size;
	char *buf = xmalloc(cap + 1);
	size_t got = 0;
	for (;;) {
		if (got == cap + 1) {
			/* it grew while we read: one more byte than fstat said */
			if (cap >= max_nbytes) {
				close(fd);
				free(buf);
				return too_big(path, (unsigned long long)got, max_nbytes, err);
			}
			cap = cap * 2 + 1 < max_nbytes ? cap * 2 + 1 : max_nbytes;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + got, cap + 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			free(buf);
			return tz_error_set(err, TZ_EFAIL, "读取文件“%s”出错：%s", path, os_error_text(e));
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf = xrealloc(buf, got + 1);
	buf[got] = '\0';
	*data = buf;
	*nbytes = got;
	return TZ_OK;
}

/* The loop of file_pread_all and file_pwrite_all: buf is only written to when
 * reading. */
static int pio_all(int fd, void *buf, size_t nbytes, off_t offset, int writing)
{
	size_t done = 0;
	while (done < nbytes) {
		char *at = (char *)buf + done;
		off_t where = offset + (off_t)done;
		ssize_t n = writing ? pwrite(fd, at, nbytes - done, where)
				    : pread(fd, at, nbytes - done, where);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int file_pread_all(int fd, void *buf, size_t nbytes, off_t offset)
{
	return pio_all(fd, buf, nbytes, offset, 0);
}

int file_pwrite_all(int fd, const void *buf, size_t nbytes, off_t offset)
{
	return pio_all(fd, (void *)buf, nbytes, offset, 1);
}
