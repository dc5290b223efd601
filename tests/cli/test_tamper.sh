# test_tamper.sh — one flipped byte anywhere in a store (keyring region
# included) makes `verify` exit 4 naming the page or the header copy, and every
# other command either fails cleanly (exit 4, a clear message) or, when it reads
# only undamaged data, prints exactly what it printed before. 200 offsets, chosen
# by a fixed seed (TAMPER_SEED to vary it), in a store with this machine's
# default page cipher, and 60 in a portable (XChaCha20-Poly1305) one.
. "$(dirname "$0")/lib.sh"
S="$WORK/v.tzs"
P="$WORK/p"
printf 'tamper passphrase\n' >"$P"
seed=${TAMPER_SEED:-20261128}
echo "# seed $seed"
# tamper PRISTINE NHEAD NPAGES LABEL: flip one byte at NHEAD offsets in the
# keyring region and NPAGES in the pages of a copy of PRISTINE, one at a time;
# verify must name each, and query fail cleanly or answer as before.
tamper() {
	pristine=$1 nhead=$2 npages=$3 label=$4
	"$TZ_BIN" query --store "$pristine" --passphrase-file "$P" \
		"SELECT name, idcard FROM members ORDER BY id" >"$WORK/pristine.csv"
	check "$label: pristine query has rows" test "$(wc -l <"$WORK/pristine.csv")" -gt 15
	size=$(stat -c %s "$pristine")
	awk -v size="$size" -v seed="$seed" -v nhead="$nhead" -v npages="$npages" 'BEGIN {
		srand(seed)
		for (i = 0; i < nhead; i++) print int(rand() * 8192)
		for (i = 0; i < npages; i++) print 8192 + int(rand() * (size - 8192))
	}' >"$WORK/offsets"
	total=$((nhead + npages))
	verify_named=0 verify_bad=0 clean=0 unclean=0 i=0
	# LeakSanitizer's check at exit costs each process about 14 ms (it reads
	# the sanitizer runtime's 9 MB of tables): it runs at one offset in ten,
	# ASan and UBSan at every one.
	asan_every=${ASAN_OPTIONS:-}
	while read -r off; do
		i=$((i + 1))
		if [ $((i % 10)) -eq 1 ]; then ASAN_OPTIONS=$asan_every
		else ASAN_OPTIONS="${asan_every:+$asan_every:}detect_leaks=0"; fi
		export ASAN_OPTIONS
		cp "$pristine" "$S"
		b=$(od -An -tu1 -j "$off" -N1 "$S" | tr -d ' ')
		printf "$(printf '\\%03o' $((b ^ 165)))" | dd of="$S" bs=1 seek="$off" conv=notrunc 2>/dev/null
		if [ "$off" -lt 4096 ]; then want="文件头副本 A"
		elif [ "$off" -lt 8192 ]; then want="文件头副本 B"
		else want="第 $(( (off - 8192) / 4096 + 1 )) 页"; fi

		"$TZ_BIN" verify --store "$S" --passphrase-file "$P" >"$WORK/out" 2>"$WORK/err"
		rc=$?
		if [ $rc -eq 4 ] && contains "$WORK/out" "$want" && ! grep -q -e Sanitizer -e 'runtime error' "$WORK/err"; then
			verify_named=$((verify_named + 1))
		else
			verify_bad=$((verify_bad + 1))
			not_ok "$label: verify at offset $off: exit $rc, wanted 4 naming $want"
			cat "$WORK/out" "$WORK/err"
		fi

		"$TZ_BIN" query --store "$S" --passphrase-file "$P" \
			"SELECT name, idcard FROM members ORDER BY id" >"$WORK/out" 2>"$WORK/err"
		rc=$?
		if grep -q -e Sanitizer -e 'runtime error' "$WORK/err"; then
			unclean=$((unclean + 1)); not_ok "$label: query at offset $off: sanitizer report"; cat "$WORK/err"
		elif [ $rc -eq 0 ] && cmp -s "$WORK/out" "$WORK/pristine.csv"; then
			clean=$((clean + 1))
		elif [ $rc -eq 4 ] && [ ! -s "$WORK/out" ] && contains "$WORK/err" "损坏"; then
			clean=$((clean + 1))
		else
			unclean=$((unclean + 1)); not_ok "$label: query at offset $off: exit $rc"; cat "$WORK/out" "$WORK/err"
		fi
	done <"$WORK/offsets"
	ASAN_OPTIONS=$asan_every
	check "$label: verify named the damage at all $total offsets ($verify_named)" test "$verify_named" -eq "$total"
	check "$label: query failed cleanly or stayed correct at all $total offsets ($clean)" test "$clean" -eq "$total"
}

# The store as made here (AES-256-GCM pages where the processor has AES-NI),
# then a portable one (XChaCha20-Poly1305, as every store made before).
run_tz 0 "demo store" demo --store "$WORK/pristine.tzs" --households 15 --seed 3 --passphrase-file "$P" --kdf-cost min
export TAIZHANG_PAGE_CIPHER=xchacha20-poly1305
run_tz 0 "portable demo store" demo --store "$WORK/portable.tzs" --households 15 --seed 3 \
	--passphrase-file "$P" --kdf-cost min
unset TAIZHANG_PAGE_CIPHER
tamper "$WORK/portable.tzs" 10 50 "XChaCha20-Poly1305"
tamper "$WORK/pristine.tzs" 40 160 "default cipher"

# Damage to both keyring copies is damage (exit 4), not a wrong passphrase.
cp "$WORK/pristine.tzs" "$S"
printf 'XX' | dd of="$S" bs=1 seek=100 conv=notrunc 2>/dev/null
printf 'XX' | dd of="$S" bs=1 seek=4196 conv=notrunc 2>/dev/null
run_tz 4 "both keyring copies damaged: exit 4" status --store "$S" --passphrase-file "$P"
check "says the header is damaged" contains "$WORK/err" "文件头"
run_tz 4 "verify too" verify --store "$S" --passphrase-file "$P"

# A truncated store (half a page gone) is damage.
cp "$WORK/pristine.tzs" "$S"
truncate -s $((size - 2000)) "$S"
run_tz 4 "truncated store: exit 4" status --store "$S" --passphrase-file "$P"
run_tz 4 "truncated store: verify exit 4" verify --store "$S" --passphrase-file "$P"

# Not a store at all.
printf 'just some text\n' >"$WORK/plain.txt"
run_tz 4 "a file that is not a store: exit 4" status --store "$WORK/plain.txt" --passphrase-file "$P"
run_tz 1 "a missing file: exit 1" status --store "$WORK/missing.tzs" --passphrase-file "$P"
finish
