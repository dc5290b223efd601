/*
 * tree.h — removing a temporary directory with everything below it: what the
 * unit tests' fixture (fixture.c) and the fuzz targets (tests/fuzz/) do when
 * they are done with their private folder.
 *
 * Header only, because each fuzz target is a single translation unit. Not for
 * the program: it follows no links and reports nothing, which only suits
 * folders a test made itself.
 */
#ifndef TZ_TEST_TREE_H
#define TZ_TEST_TREE_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Remove dir and everything below it (files, links and directories; a link
 * is removed, not followed). Errors are ignored. */
static inline void tree_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[512];
		struct stat st;
		if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
			continue; /* longer than any path a test makes */
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			tree_remove(p);
		else
			unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

#endif
