#!/bin/sh
# sqlite-fetch.sh — fetch the SQLite amalgamation the product is built with, and
# check it is exactly the one chosen (README.md, "Which SQLite").
#
#   scripts/sqlite-fetch.sh DIR
#
# Puts sqlite3.c and sqlite3.h into DIR (build/sqlite/ from the Makefile) and a
# stamp DIR/.verified once their SHA-256 sums are the ones below. The source
# comes from the npm registry (the package better-sqlite3 carries the plain
# amalgamation in deps/sqlite3/; only those two files are kept), fetched with
# curl (or npm pack when curl is missing). It is never
# committed. Exit status 0 when DIR holds the checked files (fetched now or
# before), 1 when they cannot be had (no curl or npm, no registry, a sum that does not
# match): the Makefile then builds with Debian's libsqlite3 instead, so an
# offline build still works. A failure is remembered (DIR/.unavailable) so that
# later makes do not wait for the registry again; SQLITE_FETCH_RETRY=1 (what
# `make sqlite-fetch` sets) tries anyway.
set -eu

PKG=better-sqlite3@13.2.0 # SQLite 3.54.1
SQLITE_C_SHA256=75a4760a7b9727a4c4c877aec92eacf39e52a8f2921ce00bd33be6d3a8e8e254
SQLITE_H_SHA256=d6c84557261893439b341d2e6c35187ae3ea24fbfd843ad94616f72d89242b8c

dir=${1:?usage: sqlite-fetch.sh DIR}

sums_match() {
	printf '%s  %s\n%s  %s\n' "$SQLITE_C_SHA256" "$1/sqlite3.c" "$SQLITE_H_SHA256" "$1/sqlite3.h" |
		sha256sum --check --status 2>/dev/null
}

if [ -f "$dir/.verified" ] && [ -s "$dir/sqlite3.c" ]; then
	exit 0
fi
# Tried before and could not: do not wait for the registry on every make
# (`make sqlite-fetch` tries again).
if [ -f "$dir/.unavailable" ] && [ -z "${SQLITE_FETCH_RETRY:-}" ]; then
	exit 1
fi
mkdir -p "$dir"
unavailable() {
	echo "sqlite-fetch: $1; building with the system's libsqlite3" >&2
	touch "$dir/.unavailable"
	exit 1
}
if [ -s "$dir/sqlite3.c" ] && sums_match "$dir"; then
	rm -f "$dir/.unavailable"
	touch "$dir/.verified"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sqlite-fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The package's tarball straight from the registry with curl; npm pack when
# there is no curl. Either way the sums below decide.
name=${PKG%@*}
version=${PKG##*@}
url="https://registry.npmjs.org/$name/-/$name-$version.tgz"
if command -v curl >/dev/null 2>&1; then
	curl -fsSL --retry 1 --max-time 120 -o "$tmp/package.tgz" "$url" ||
		unavailable "cannot fetch $url"
elif command -v npm >/dev/null 2>&1; then
	(cd "$tmp" && npm pack --silent --fetch-retries=1 --fetch-timeout=30000 "$PKG" >/dev/null 2>&1) ||
		unavailable "cannot fetch $PKG from the npm registry"
else
	unavailable "neither curl nor npm is installed"
fi
tar xzf "$tmp"/*.tgz -C "$tmp" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
if ! sums_match "$tmp/package/deps/sqlite3"; then
	unavailable "$PKG's sqlite3.c or sqlite3.h does not have the expected SHA-256"
fi
# Renamed into place, so that two makes fetching at once never see half a file.
mv -f "$tmp/package/deps/sqlite3/sqlite3.h" "$dir/sqlite3.h"
mv -f "$tmp/package/deps/sqlite3/sqlite3.c" "$dir/sqlite3.c"
rm -f "$dir/.unavailable"
touch "$dir/.verified"
