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

int cli_import_file(const struct cli_common *c, const char *path, cli_import_fn import,
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
	int rc = import(s, slash ? slash + 1 : path, data, nbytes, rep, &err);
	store_close(s);
	free(data);
	if (rep->ignored_columns != NULL)
		fprintf(stderr, "taizhang: 提示：以下列不认识，已忽略：%s\n", rep->ignored_columns);
	if (rc != TZ_OK) {
		cli_fail(&err);
		for (size_t i = 0; i < rep->nproblems; i++)
			fprintf(stderr, "  %s\n", rep->problems[i]);
		return err.code == TZ_OK ? TZ_EFAIL : err.code;
	}
	return TZ_OK;
}
