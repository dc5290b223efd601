/*
 * os_error.h — an operating-system error (errno) in plain Chinese.
 *
 * Every message that reaches an officer and carries an errno says it through
 * os_error_text, never strerror: strerror speaks the C library's language
 * (English under the C.UTF-8 locale the program runs in). The text is what went
 * wrong and, where there is one, what to do ("U 盘满了或磁盘空间不足" rather
 * than "No space left on device"), written to follow a path or an action:
 * "无法写入 /media/u/x.tzb：没有权限（请换一个文件夹，或请管理员开放权限）".
 */
#ifndef TAIZHANG_OS_ERROR_H
#define TAIZHANG_OS_ERROR_H

/* errno e as a short Chinese phrase. A static string for the values an officer
 * can meet (ENOENT, EACCES, ENOSPC, EROFS, EIO, EEXIST, ENOTDIR, EISDIR, ...);
 * for any other value "系统错误（错误号 N）", kept in a per-thread buffer that is
 * valid until the next call in the same thread. Never NULL, never English. */
const char *os_error_text(int e);

#endif
