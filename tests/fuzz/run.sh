#!/bin/sh
# Build the bundle decoder's libFuzzer target with clang (ASan + UBSan), write its
# seed corpus, and fuzz for a while:
#   tests/fuzz/run.sh [SECONDS]      default 20; CI runs the default
# Everything goes to build/fuzz/. Inputs the fuzzer finds interesting accumulate
# in build/fuzz/corpus-bundle (kept between runs); a crash leaves crash-* there
# too and makes this script fail. Ends with "fuzz: N passed, N failed".
set -eu
seconds=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/fuzz"
mkdir -p "$out/seeds-bundle" "$out/corpus-bundle"

cc=${FUZZ_CC:-clang}
flags="-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -I$root/include
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	$(pkg-config --cflags libsodium)"
srcs="$root/src/sync/bundle.c $root/src/crypto/secret.c $root/src/util/error.c"
libs=$(pkg-config --libs libsodium)

# shellcheck disable=SC2086
$cc $flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-o "$out/fuzz_bundle" "$here/fuzz_bundle.c" $srcs $libs
# shellcheck disable=SC2086
$cc $flags -fsanitize=address,undefined -DFUZZ_BUNDLE_MAKE_SEEDS \
	-o "$out/fuzz_bundle_seeds" "$here/fuzz_bundle.c" $srcs $libs
rm -f "$out"/seeds-bundle/*
"$out/fuzz_bundle_seeds" "$out/seeds-bundle"

cd "$out"
if ASAN_OPTIONS=detect_leaks=1 "$out/fuzz_bundle" -max_total_time="$seconds" -max_len=4096 \
	-print_final_stats=1 corpus-bundle seeds-bundle >"$out/fuzz_bundle.log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_bundle.log")
	echo "fuzz_bundle: ${runs:-?} inputs in ${seconds}s, no crash"
	echo "fuzz: 1 passed, 0 failed"
else
	tail -n 60 "$out/fuzz_bundle.log"
	echo "fuzz_bundle: FAILED (log: $out/fuzz_bundle.log; reproduce with $out/fuzz_bundle CRASH-FILE)"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
