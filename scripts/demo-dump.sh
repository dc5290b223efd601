#!/bin/sh
# demo-dump.sh — check that `taizhang demo` makes the same data on every build.
#
#   scripts/demo-dump.sh TAIZHANG OUTDIR          dump the demo stores of one binary
#   scripts/demo-dump.sh TAIZHANG_A TAIZHANG_B    dump both binaries' and compare
#
# With TAIZHANG_TODAY=2019-04-20 it makes the demo stores of a fixed list of
# cases (villages and towns, seeds 1 and 3, 15 and 120 households), then dumps
# every table of each, in name order, each ordered by all its columns (rows are
# compared by content, not by insertion order), as CSV. Columns that differ
# between two runs of the same binary (times of now, random ids, salts) are left
# out: see VOLATILE. The second form prints the first differing lines and exits
# 1 when a dump differs; the demo's rule (src/demo/README.md) is that the same
# seed gives the same bytes whichever compiler built the program.
#
# Builds nothing: pass binaries, e.g. build/release/taizhang and
# build/clang/taizhang. Slow (about a minute per binary with 2 busy cores).
set -u
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TAIZHANG_TODAY=2019-04-20
unset TAIZHANG_STORE TAIZHANG_USER

# Cases: name and demo options.
CASES="v1_15:--households 15 --seed 1
v1_120:--households 120 --seed 1
v3_15:--households 15 --seed 3
v3_120:--households 120 --seed 3
t1_15:--town --villages 3 --households 15 --seed 1
t3_120:--town --villages 2 --households 120 --seed 3"

# table.column pairs that change from run to run of one binary (see the
# header); found by dumping two stores of the same binary and comparing.
# The audit chain's times are today's date with the clock's time of day, and its
# hashes cover them; store_meta's created_at row is left out by WHERE below.
VOLATILE="audit_log.at audit_log.prev_hash audit_log.hash sync_outbox.created_at"

usage() { echo "用法：$0 TAIZHANG 输出目录 | $0 TAIZHANG_A TAIZHANG_B" >&2; exit 2; }

# dump_one TAIZHANG OUTDIR: the dumps of every case into OUTDIR/CASE.csv.
dump_one() {
	bin=$1 out=$2
	mkdir -p "$out" || exit 1
	tmp=$(mktemp -d) || exit 1
	echo demo-dump >"$tmp/pass"
	echo "$CASES" | while IFS=: read -r name opts; do
		# shellcheck disable=SC2086 # opts is a list of words
		if ! "$bin" demo --store "$tmp/$name.tz" $opts --passphrase-file "$tmp/pass" \
			--kdf-cost min >/dev/null 2>"$tmp/err"; then
			echo "$name: taizhang demo failed:" >&2; cat "$tmp/err" >&2; exit 1
		fi
		dump_store "$bin" "$tmp/$name.tz" "$tmp/pass" >"$out/$name.csv" || exit 1
	done
	rc=$?
	rm -rf "$tmp"
	return $rc
}

# dump_store TAIZHANG STORE PASSFILE: every table, its rows ordered by all
# columns, the volatile columns left out.
dump_store() {
	q() { "$1" query --store "$2" --passphrase-file "$3" "$4"; }
	tables=$(q "$1" "$2" "$3" "SELECT name FROM sqlite_master WHERE type = 'table' \
		AND name NOT LIKE 'sqlite_%' ORDER BY name" | tail -n +2) || return 1
	for t in $tables; do
		cols=$(q "$1" "$2" "$3" "SELECT * FROM \"$t\" LIMIT 0" 2>/dev/null | head -n 1 | tr -d '\r')
		if [ -z "$cols" ]; then
			echo "== $t (not readable through query)"
			continue
		fi
		keep=""
		for c in $(echo "$cols" | tr ',' ' '); do
			case " $VOLATILE " in *" $t.$c "*) continue ;; esac
			keep="$keep${keep:+, }\"$c\""
		done
		n=$(echo "$keep" | tr ',' '\n' | wc -l)
		order=$(seq -s , 1 "$n")
		where=""
		[ "$t" = store_meta ] && where="WHERE key <> 'created_at'"
		echo "== $t"
		# The query guard refuses some tables whole (the search index's
		# full-text table): say so in the dump, which is still compared.
		q "$1" "$2" "$3" "SELECT $keep FROM \"$t\" $where ORDER BY $order" 2>/dev/null ||
			echo "(not readable through query)"
	done
}

[ $# -eq 2 ] || usage
if [ -x "$2" ] && [ ! -d "$2" ]; then
	work=$(mktemp -d) || exit 1
	dump_one "$1" "$work/a" || exit 1
	dump_one "$2" "$work/b" || exit 1
	if diff -r "$work/a" "$work/b" >"$work/diff"; then
		echo "same: $(cat "$work"/a/*.csv | wc -l) lines of dumps"
		rm -rf "$work"
		exit 0
	fi
	head -n 40 "$work/diff"
	echo "(the dumps differ; they are in $work)"
	exit 1
fi
dump_one "$1" "$2"
