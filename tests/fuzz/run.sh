#!/bin/sh
# Build the libFuzzer targets (the bundle decoder, the payload decoder) with clang
# (ASan + UBSan), write their seed corpora, and fuzz each for half the time:
#   tests/fuzz/run.sh [SECONDS]      default 20; CI runs the default
#   tests/fuzz/run.sh SECONDS NAME   only fuzz_NAME, for SECONDS (make test runs
#                                    each target so, side by side)
# Everything goes to build/fuzz/. Inputs the fuzzer finds interesting accumulate
# in build/fuzz/corpus-NAME (kept between runs); a crash leaves crash-* there
# too and makes this script fail. Ends with "fuzz: N passed, N failed".
set -eu
seconds=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/fuzz"
mkdir -p "$out"

cc=${FUZZ_CC:-clang}
flags="-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -I$root/include
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	$(pkg-config --cflags libsodium sqlite3 zlib)"
libs=$(pkg-config --libs libsodium sqlite3 zlib)
passed=0
failed=0

# fuzz NAME SECONDS SOURCES...: build fuzz_NAME and its seed writer, run it.
fuzz() {
	name=$1 secs=$2
	shift 2
	upper=$(echo "$name" | tr a-z A-Z)
	mkdir -p "$out/seeds-$name" "$out/corpus-$name"
	# shellcheck disable=SC2086
	$cc $flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$out/fuzz_$name" "$here/fuzz_$name.c" "$@" $libs
	# shellcheck disable=SC2086
	$cc $flags -fsanitize=address,undefined -DFUZZ_${upper}_MAKE_SEEDS \
		-o "$out/fuzz_${name}_seeds" "$here/fuzz_$name.c" "$@" $libs
	rm -f "$out/seeds-$name"/*
	"$out/fuzz_${name}_seeds" "$out/seeds-$name"
	if (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "$out/fuzz_$name" -max_total_time="$secs" \
		-max_len=4096 -print_final_stats=1 "corpus-$name" "seeds-$name" >"$out/fuzz_$name.log" 2>&1); then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_$name.log")
		echo "fuzz_$name: ${runs:-?} inputs in ${secs}s, no crash"
		passed=$((passed + 1))
	else
		tail -n 60 "$out/fuzz_$name.log"
		echo "fuzz_$name: FAILED (log: $out/fuzz_$name.log; reproduce with $out/fuzz_$name CRASH-FILE)"
		failed=$((failed + 1))
	fi
}

only=${2:-}
half=$(( (seconds + 1) / 2 ))
[ -n "$only" ] && half=$seconds
case $only in ''|bundle)
	fuzz bundle "$half" "$root/src/sync/bundle.c" "$root/src/crypto/secret.c" "$root/src/util/error.c" ;;
esac
case $only in ''|payload)
	fuzz payload "$half" "$root/src/sync/payload.c" "$root/src/util/error.c" ;;
esac
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
