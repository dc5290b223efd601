/*
 * schema_image.c — a new store's schema and reference rows, unpacked from the
 * image made at build time (scripts/schema-snapshot.c, migrate.h).
 *
 * store.c copies the image into a new store with SQLite's backup API: its
 * pages go through the encrypting VFS like any others, and nothing is parsed
 * until the store is first used. The image holds no personal data, only the
 * schema, code lists and rules every store starts with.
 */
#include <zstd.h>

#include "taizhang/migrate.h"

sqlite3 *schema_image_open(void)
{
	unsigned char *image = sqlite3_malloc64(schema_image_nbytes);
	if (image == NULL)
		return NULL;
	size_t n = ZSTD_decompress(image, schema_image_nbytes, schema_image_zst,
				   schema_image_zst_nbytes);
	sqlite3 *db = NULL;
	if (ZSTD_isError(n) || n != schema_image_nbytes ||
	    sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK) {
		sqlite3_free(image);
		sqlite3_close(db);
		return NULL;
	}
	/* the database owns the buffer from here, whatever the outcome */
	if (sqlite3_deserialize(db, "main", image, (sqlite3_int64)n, (sqlite3_int64)n,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}
