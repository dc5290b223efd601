#!/bin/sh
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang against the
# library built for fuzzing (make BUILD=fuzz: ASan + UBSan + coverage), write
# each target's seed corpus, and run every target:
#   tests/fuzz/run.sh            a fixed number of inputs per target from a fixed
#                                seed (what make test runs: deterministic, bounded)
#   tests/fuzz/run.sh SECONDS    each target for SECONDS (make fuzz FUZZ_SECONDS=N)
# FUZZ_TARGETS="apply roster" runs only those targets. FUZZ_LIB=asan links them
# against the ASan build's library (build/asan, already built: it carries
# libFuzzer's edge counters but no comparison tracing), as make test does,
# instead of building and linking the fuzz variant (build/fuzz).
# Everything goes to build/fuzz/. A timed run keeps the inputs the fuzzer finds
# interesting in build/fuzz/corpus-NAME between runs; a crash leaves crash-*
# in build/fuzz/ and makes this script fail. One line per target, then
# "fuzz: N passed, N failed".
#
# A target writes its own seeds when started with TZ_FUZZ_SEEDS=DIR (see
# fuzz_seeds.h): they are made by the library's real code (a store's header, a
# key file, a village's changesets, a town's snapshot, the forms/ files), so
# they follow the formats as they change.
set -eu
seconds=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/fuzz"
mkdir -p "$out"

cc=${FUZZ_CC:-clang}
variant=${FUZZ_LIB:-fuzz}
lib="$root/build/$variant/libtaizhang.a"
if ! make -s -C "$root" BUILD="$variant" CC="$cc" "build/$variant/libtaizhang.a" >/dev/null; then
	echo "fuzz: the library did not build for fuzzing"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
pkgs="sqlite3 libsodium ncursesw inih xlsxwriter libqrencode zlib libzstd"
# The SQLite the library was built with: the top Makefile's amalgamation
# ("-Idir object"), or nothing for the system's libsqlite3.
sqlite=$(make -s --no-print-directory -C "$root" BUILD="$variant" print-sqlite)
# shellcheck disable=SC2086
flags="-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -I$root/include
	${sqlite%% *} -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	$(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -lpthread"
if [ -n "$sqlite" ]; then
	libs="${sqlite#* } -lm $(echo "$libs" | sed 's/-lsqlite3//')"
fi
passed=0
failed=0

# fuzz NAME RUNS [LIBFUZZER-OPTIONS]: build fuzz_NAME, write its seeds, run it
# for RUNS inputs (no SECONDS) or for SECONDS.
fuzz() {
	name=$1 runs=$2
	shift 2
	case " ${FUZZ_TARGETS:-$name} " in *" $name "*) ;; *) return ;; esac
	bin="$out/fuzz_$name"
	seeds="$out/seeds-$name"
	# shellcheck disable=SC2086
	if ! $cc $flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$bin" "$here/fuzz_$name.c" "$lib" $libs; then
		echo "fuzz_$name: FAILED to build"
		failed=$((failed + 1))
		return
	fi
	rm -rf "$seeds"
	mkdir -p "$seeds"
	if ! TZ_FUZZ_SEEDS="$seeds" TZ_FUZZ_FORMS="$root/forms" "$bin" >"$out/fuzz_$name.seeds.log" 2>&1; then
		cat "$out/fuzz_$name.seeds.log"
		echo "fuzz_$name: FAILED writing its seeds"
		failed=$((failed + 1))
		return
	fi
	if [ -n "$seconds" ]; then
		corpus="$out/corpus-$name"
		budget="-max_total_time=$seconds"
	else
		corpus="$out/scratch-$name"
		rm -rf "$corpus"
		budget="-runs=$runs -seed=1"
	fi
	mkdir -p "$corpus"
	# shellcheck disable=SC2086
	if (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "$bin" $budget -print_final_stats=1 \
		"$@" "$corpus" "$seeds" >"$out/fuzz_$name.log" 2>&1); then
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_$name.log")
		cov=$(sed -n 's/^#[0-9]*[ 	]*DONE *cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p' \
			"$out/fuzz_$name.log")
		echo "fuzz_$name: ${n:-?} inputs${seconds:+ in ${seconds}s}, ${cov:-cov ?}, no crash"
		passed=$((passed + 1))
	else
		tail -n 60 "$out/fuzz_$name.log"
		echo "fuzz_$name: FAILED (log: $out/fuzz_$name.log; reproduce with $bin CRASH-FILE)"
		failed=$((failed + 1))
	fi
	[ -n "$seconds" ] || rm -rf "$corpus"
}

# The input counts keep the whole deterministic run under a minute here.
fuzz bundle 4000 -max_len=4096
fuzz payload 4000 -max_len=4096
fuzz apply 200 -max_len=8192
fuzz roster 600 -max_len=8192
fuzz keyring 4000 -max_len=8193
fuzz keyfile 4000 -max_len=512
fuzz snapshot 150 -max_len=16384
fuzz form 4000 -max_len=8192
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
