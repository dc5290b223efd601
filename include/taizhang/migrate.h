/*
 * migrate.h — schema migrations from db/NNN_name.sql, embedded in the binary by
 * scripts/embed.sh sql and applied in order, tracked by PRAGMA user_version.
 */
#ifndef TAIZHANG_MIGRATE_H
#define TAIZHANG_MIGRATE_H

struct migration {
	int version;      /* NNN */
	const char *name; /* NNN_name */
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif
