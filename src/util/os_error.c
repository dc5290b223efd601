/*
 * os_error.c — errno in plain Chinese (include/taizhang/os_error.h).
 *
 * One table, errno → phrase, searched in order. The phrases are written to
 * follow a path or an action after a full-width colon, and say what the officer
 * can do when there is something to do (a full or write-protected USB stick, a
 * damaged disk). Values a user cannot meet (EFAULT, EBADF …) fall through to the
 * numbered fallback: they mean a bug, and the number is what a developer needs.
 *
 * Deliberately not here: messages of libraries that have their own error codes
 * (SQLite, libxlsxwriter), which their callers translate.
 */
#include <errno.h>
#include <stdio.h>

#include "taizhang/os_error.h"

static const struct {
	int e;
	const char *text;
} phrases[] = {
	{ ENOENT, "文件或文件夹不存在" },
	{ EACCES, "没有权限（请换一个文件夹，或请管理员开放权限）" },
	{ EPERM, "不允许这样操作（没有权限）" },
	{ ENOSPC, "磁盘或 U 盘已满，请腾出空间后再试" },
	{ EDQUOT, "超出了磁盘配额，请腾出空间后再试" },
	{ EROFS, "磁盘或 U 盘是只读的（请检查 U 盘的写保护开关）" },
	{ EIO, "读写出错（U 盘或磁盘可能损坏，请换一个再试）" },
	{ EEXIST, "已经有同名的文件" },
	{ ENOTDIR, "路径中有一段不是文件夹" },
	{ EISDIR, "这是文件夹，不是文件" },
	{ ENAMETOOLONG, "路径或文件名太长" },
	{ ELOOP, "路径中的链接太多（可能循环链接）" },
	{ EMFILE, "打开的文件太多，请关闭一些程序后再试" },
	{ ENFILE, "系统打开的文件太多，请关闭一些程序后再试" },
	{ EXDEV, "不能跨磁盘移动文件" },
	{ EBUSY, "文件或设备正在使用中" },
	{ ETXTBSY, "文件正在使用中" },
	{ ENOTEMPTY, "文件夹不是空的" },
	{ EFBIG, "文件太大（U 盘的格式可能不支持这么大的文件）" },
	{ ENXIO, "设备不存在（U 盘可能已拔出）" },
	{ ENODEV, "设备不存在（U 盘可能已拔出）" },
	{ ENOMEM, "内存不足" },
	{ EINVAL, "参数不对" },
	{ EAGAIN, "暂时无法完成，请稍后再试" },
	{ EINTR, "操作被打断，请再试一次" },
	{ ETIMEDOUT, "操作超时" },
	{ ENOTTY, "不是终端" },
	{ ENOLCK, "无法给文件加锁" },
	{ EOVERFLOW, "文件太大，无法处理" },
	{ ESTALE, "文件已失效（网络或 U 盘上的文件被别处改动），请重新打开" },
};

const char *os_error_text(int e)
{
	static _Thread_local char other[64];
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		if (phrases[i].e == e)
			return phrases[i].text;
	snprintf(other, sizeof other, "系统错误（错误号 %d）", e);
	return other;
}
