/*
 * import.c — what `import households` and `roster import` share: read the file,
 * open the store, import all-or-nothing through the model (roster.h), and say
 * so: ignored columns as a hint, and on refusal the reason and every bad row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/cli.h"
#include "taizhang/roster.h"

int cli_import_choose(const struct cli_args *args, int file_at, struct cli_common *c)
{
	if (args->argc != file_at + 1)
		return cli_args_usage_error(args, "%s",
					    args->argc <= file_at ? "请给出要导入的文件"
								  : "一次只能导入一个文件");
	return cli_store_choose(args, c);
}

int cli_import_file(const struct cli_common *c, const char *path, cli_import_fn import,
		    struct roster_report *rep)
{
	const struct cli_import how = { import, NULL, NULL };
	return cli_import_file_as(c, path, &how, rep);
}

int cli_import_file_as(const struct cli_common *c, const char *path, const struct cli_import *how,
		       struct roster_report *rep)
{
	struct tz_error err = { 0 };
	char *data;
	size_t nbytes;
	memset(rep, 0, sizeof *rep);
	if (roster_read_file(path, &data, &nbytes, &err) != TZ_OK)
		return cli_fail(&err);
	struct store *s;
	if (cli_open_store(c, 0, &s, &err) != TZ_OK) {
		free(data);
		return cli_fail(&err);
	}
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	int rc = how->dibao != NULL
			 ? roster_import_dibao_with(s, name, data, nbytes, how->dibao, rep, &err)
			 : how->import(s, name, data, nbytes, rep, &err);
	store_close(s);
	free(data);
	if (rep->ignored_columns != NULL)
		fprintf(stderr, "taizhang: 提示：以下列不认识，已忽略：%s\n", rep->ignored_columns);
	if (rc != TZ_OK) {
		if (how->explain != NULL) {
			how->explain(rep);
			fflush(stdout);
		}
		cli_fail(&err);
		for (size_t i = 0; i < rep->nproblems; i++)
			fprintf(stderr, "  %s\n", rep->problems[i]);
		return err.code == TZ_OK ? TZ_EFAIL : err.code;
	}
	return TZ_OK;
}
