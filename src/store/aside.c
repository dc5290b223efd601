/*
 * aside.c — a new store is built in a temporary file beside its final name and
 * renamed into place only when complete (store_create, store_publish in
 * store.c).
 *
 * Why: `init`, `demo` and `snapshot restore` fill a store for a while after
 * creating it (seconds for a demo town). If that is cut short — an error, ^C, a
 * kill, a power cut — a half-made file at the store's name would be taken for a
 * store by every later command (and would block the next `init`, which never
 * overwrites). So the file is made as ".NAME.tmp-XXXXXX" (mkostemp: mode 0600,
 * a name no one else has) in the same directory, so that the rename is atomic
 * and stays on one filesystem. Publishing syncs the file, renames it without
 * replacing anything (renameat2 RENAME_NOREPLACE; where the filesystem lacks it,
 * link + unlink, and on one without hard links a check just before rename), then
 * syncs the directory so the new name survives a power cut.
 *
 * Cleanup: store_close of an unpublished store removes the file and its journal.
 * While one is pending, SIGINT, SIGTERM and SIGHUP remove it too (those the
 * process was started ignoring stay ignored: they end nothing): the handler
 * only calls unlink (async-signal-safe) on names prepared beforehand, puts back
 * the previous disposition and raises the signal again. kill -9 and power cuts
 * leave the hidden temporary file; it never stands in the way of the store's
 * name, and the next store made under that name removes it: a file being built
 * holds a write lock on its byte 0 (an open-file-description lock, F_OFD_SETLK,
 * which dies with its builder and does not touch SQLite's own locks, far beyond;
 * users.c's flock is another kind), so a leftover is one whose lock can be taken.
 * The sweep skips this process's own files. A builder caught between mkostemp
 * and its lock could lose its file to a sweeper: its publish then fails with a
 * message, and nothing half-made is left either way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_internal.h"
#include "taizhang/os_error.h"

#define PENDING_MAX 4

/* Temporary files not yet published or removed; "" marks a free entry. */
static struct {
	char path[PATH_MAX + 1];
	char journal[PATH_MAX + 16];
} pending[PENDING_MAX];
static volatile sig_atomic_t npending;
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGNALS (sizeof cleanup_signals / sizeof cleanup_signals[0])
static struct sigaction previous[NSIGNALS];

static void on_signal(int sig)
{
	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending[i].path[0] != '\0') {
			unlink(pending[i].path);
			unlink(pending[i].journal);
		}
	}
	for (size_t i = 0; i < NSIGNALS; i++)
		if (cleanup_signals[i] == sig)
			sigaction(sig, &previous[i], NULL);
	raise(sig);
}

/* Block the cleanup signals while the table changes. */
static void block(sigset_t *old, int how_block)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaddset(&set, cleanup_signals[i]);
	if (how_block)
		sigprocmask(SIG_BLOCK, &set, old);
	else
		sigprocmask(SIG_SETMASK, old, NULL);
}

static void remember(const char *path)
{
	sigset_t old;
	block(&old, 1);
	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending[i].path[0] != '\0')
			continue;
		snprintf(pending[i].journal, sizeof pending[i].journal, "%s-journal", path);
		snprintf(pending[i].path, sizeof pending[i].path, "%s", path);
		if (npending++ == 0) {
			struct sigaction sa;
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = on_signal;
			sigemptyset(&sa.sa_mask);
			for (size_t k = 0; k < NSIGNALS; k++) {
				sigaction(cleanup_signals[k], &sa, &previous[k]);
				/* A signal the process was started ignoring (a
				 * job run in the background by a script) stays
				 * ignored: it would not end the process. */
				if (previous[k].sa_handler == SIG_IGN)
					sigaction(cleanup_signals[k], &previous[k], NULL);
			}
		}
		break;
	}
	block(&old, 0);
}

static void forget(const char *path)
{
	sigset_t old;
	block(&old, 1);
	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending[i].path[0] == '\0' || strcmp(pending[i].path, path) != 0)
			continue;
		pending[i].path[0] = '\0';
		if (--npending == 0)
			for (size_t k = 0; k < NSIGNALS; k++)
				sigaction(cleanup_signals[k], &previous[k], NULL);
		break;
	}
	block(&old, 0);
}

/* Lock byte 0 of fd for as long as this open file lives: "being built". */
static int hold_building(int fd)
{
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	return fcntl(fd, F_OFD_SETLK, &l);
}

static int ours(const char *path)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (pending[i].path[0] != '\0' && strcmp(pending[i].path, path) == 0)
			return 1;
	return 0;
}

/* Remove the leftovers of builds of dir/base that died (kill -9, power cut). */
static void sweep(const char *dir, const char *base)
{
	char prefix[PATH_MAX + 1];
	int prefix_n = snprintf(prefix, sizeof prefix, ".%s.tmp-", base);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[PATH_MAX + 1], journal[PATH_MAX + 16];
		if (strncmp(e->d_name, prefix, (size_t)prefix_n) != 0 ||
		    strlen(e->d_name) != (size_t)prefix_n + 6 ||
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
		    ours(path))
			continue;
		int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (hold_building(fd) == 0) {
			snprintf(journal, sizeof journal, "%s-journal", path);
			unlink(journal);
			unlink(path);
		}
		close(fd);
	}
	if (d != NULL)
		closedir(d);
}

int store_aside_open(const char *target, char *tmp, size_t tmp_nbytes, int *fd,
		     struct tz_error *err)
{
	*fd = -1;
	struct stat st;
	if (lstat(target, &st) == 0)
		return tz_error_set(err, TZ_EFAIL, "文件 %s 已经存在，不会覆盖它", target);
	char dir_buf[PATH_MAX + 1], base_buf[PATH_MAX + 1];
	snprintf(dir_buf, sizeof dir_buf, "%s", target);
	snprintf(base_buf, sizeof base_buf, "%s", target);
	const char *dir = dirname(dir_buf), *base = basename(base_buf);
	if ((size_t)snprintf(tmp, tmp_nbytes, "%s/.%s.tmp-XXXXXX", dir, base) >= tmp_nbytes)
		return tz_error_set(err, TZ_EFAIL, "台账文件的路径太长：%s", target);
	sweep(dir, base);
	*fd = mkostemp(tmp, O_CLOEXEC);
	if (*fd < 0)
		return tz_error_set(err, TZ_EFAIL, "无法在 %s 建立台账文件：%s", dir, os_error_text(errno));
	remember(tmp);
	if (hold_building(*fd) != 0) {
		int e = errno;
		store_aside_discard(tmp);
		close(*fd);
		*fd = -1;
		return tz_error_set(err, TZ_EFAIL, "无法锁定新建的台账文件：%s", os_error_text(e));
	}
	return TZ_OK;
}

void store_aside_discard(const char *tmp)
{
	char journal[PATH_MAX + 16];
	snprintf(journal, sizeof journal, "%s-journal", tmp);
	unlink(tmp);
	unlink(journal);
	forget(tmp);
}

/* Rename tmp to target, never replacing a file at target. */
static int rename_noreplace(const char *tmp, const char *target)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(tmp, target) == 0)
		return unlink(tmp) == 0 || errno == ENOENT ? 0 : -1;
	if (errno == EEXIST)
		return -1;
	/* No hard links either (FAT): a check, then rename. */
	struct stat st;
	if (lstat(target, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(tmp, target);
}

int store_aside_publish(int fd, const char *tmp, const char *target, struct tz_error *err)
{
	if (fsync(fd) != 0)
		return tz_error_set(err, TZ_EFAIL, "写入台账文件失败：%s", os_error_text(errno));
	if (rename_noreplace(tmp, target) != 0)
		return tz_error_set(err, TZ_EFAIL,
				    errno == EEXIST ? "文件 %s 已经存在，不会覆盖它（新台账未保存）"
						    : "无法把台账文件放到 %s：%s",
				    target, os_error_text(errno));
	forget(tmp);
	struct flock l = { .l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	fcntl(fd, F_OFD_SETLK, &l); /* built: no longer "being built" */
	char dir_buf[PATH_MAX + 1];
	snprintf(dir_buf, sizeof dir_buf, "%s", target);
	int dfd = open(dirname(dir_buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		return tz_error_set(err, TZ_EFAIL, "台账已建立，但同步目录失败：%s", os_error_text(e));
	}
	close(dfd);
	return TZ_OK;
}
