#!/bin/sh
# test_install.sh — `make install` and `make uninstall`, as a packager runs them
# (DESTDIR, PREFIX=/usr) and as an administrator does (PREFIX only): the binary,
# the forms and the man page land where they should, the installed binary runs
# and reads the installed forms, the man page renders without a warning and
# names every command, and uninstall takes back exactly what install put.
#
# make runs in the source tree with the build variant under test (TZ_BIN is
# build/VARIANT/taizhang), so it reuses that build: it compiles one object (the
# forms search with the installed directory) and links.
. "$(dirname "$0")/lib.sh"

src=$(cd "$(dirname "$0")/../.." && pwd)
variant=release
case $(cd "$(dirname "$TZ_BIN")" && pwd) in
"$src"/build/*) variant=$(basename "$(dirname "$TZ_BIN")") ;;
esac
# The compiler: the caller's CC if it gave one, else the variant's own (the
# Makefile builds asan, clang and fuzz with clang, release and debug with cc).
cc_arg=${CC:+CC=$CC}

# tz_make WHAT ARGS...: make in the source tree, not the caller's make (an outer
# `make cli` would hand down its own variables and job slots).
tz_make() {
	what=$1; shift
	if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -C "$src" --no-print-directory BUILD="$variant" $cc_arg "$@" \
		>"$WORK/make.log" 2>&1; then
		ok "$what"
	else
		not_ok "$what"; cat "$WORK/make.log"
	fi
}

# --- a package's staging tree: DESTDIR=$WORK/root PREFIX=/usr ---------------
root=$WORK/root
tz_make "make install DESTDIR=... PREFIX=/usr" install DESTDIR="$root" PREFIX=/usr

bin=$root/usr/bin/taizhang
forms=$root/usr/share/taizhang/forms
page=$root/usr/share/man/man1/taizhang.1
check "the binary is installed in PREFIX/bin, mode 755" \
	test -f "$bin" -a "$(stat -c %a "$bin")" = 755
check "the man page is installed in PREFIX/share/man/man1, mode 644" \
	test -f "$page" -a "$(stat -c %a "$page")" = 644

nforms=0
same=1
for f in "$src"/forms/*.form; do
	nforms=$((nforms + 1))
	cmp -s "$f" "$forms/$(basename "$f")" || same=0
done
check "every form of forms/ is installed in PREFIX/share/taizhang/forms, unchanged" \
	test "$nforms" -gt 0 -a "$same" -eq 1
check "nothing else is installed with the forms" \
	test "$(ls "$forms" | wc -l)" -eq "$nforms"
check "the forms are installed mode 644" \
	test "$(stat -c %a "$forms"/*.form | sort -u)" = 644

"$bin" --version >"$WORK/version" 2>&1
check "the installed binary runs: --version" test $? -eq 0
"$TZ_BIN" --version >"$WORK/version-built" 2>&1
check "it is the version just built" cmp -s "$WORK/version" "$WORK/version-built"
"$bin" --help >"$WORK/help" 2>&1
check "the installed binary's --help" test $? -eq 0
check "--help shows the usage" contains "$WORK/help" "用法：taizhang"

# --- the man page renders, without a single warning -------------------------
MANWIDTH=80 man -l "$page" >"$WORK/man" 2>"$WORK/man.err"
check "man -l renders the installed page" test $? -eq 0
check "... without a warning" test ! -s "$WORK/man.err"
cat "$WORK/man.err"
check "the page fits 80 columns (examples included)" test "$(wc -L <"$WORK/man")" -le 80
check "the installed man page names the installed forms directory" \
	contains "$WORK/man" "/usr/share/taizhang/forms/*.form"
check "... and no longer the default one" \
	sh -c '! grep -q -F /usr/local/share/taizhang "$1"' sh "$WORK/man"
for section in 名称 概要 描述 命令 操作界面 退出码 环境变量 文件 示例 安全 参见; do
	check "the page has its section $section" grep -q "^$section\$" "$WORK/man"
done
groff -k -man -Tutf8 -ww -z "$src/man/taizhang.1" >"$WORK/groff.err" 2>&1
check "groff -ww finds nothing to warn about in man/taizhang.1" \
	test $? -eq 0 -a ! -s "$WORK/groff.err"
cat "$WORK/groff.err"
check "the page's footer carries the version built" \
	grep -q "^$(cat "$WORK/version-built") " "$WORK/man"

# Every command `taizhang --help` lists is described in the page.
sed -n '/^命令：/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$WORK/help" >"$WORK/commands"
check "--help lists the commands (at least 20)" test "$(wc -l <"$WORK/commands")" -ge 20
missing=
for c in $(cat "$WORK/commands"); do
	grep -q "taizhang $c\b\|taizhang \[$c\]" "$WORK/man" || missing="$missing $c"
done
check "the page describes every command of --help${missing:+ (missing:$missing)}" \
	test -z "$missing"
for v in TAIZHANG_STORE TAIZHANG_USER TAIZHANG_TODAY TAIZHANG_FORMS NO_COLOR; do
	check "the page explains $v" grep -q "^       $v\$" "$WORK/man"
done
for code in 0 1 2 3 4; do
	check "the page explains exit code $code" grep -q "^       $code  " "$WORK/man"
done

# --- uninstall takes back exactly what install put ----------------------------
tz_make "make uninstall DESTDIR=... PREFIX=/usr" uninstall DESTDIR="$root" PREFIX=/usr
check "after uninstall no file is left" test -z "$(find "$root" -type f)"
check "... nor the forms directory" test ! -e "$root/usr/share/taizhang"

# --- an installed binary reads the installed forms: PREFIX=$WORK/usr ----------
# A broken form in PREFIX/share/taizhang/forms stops the screen at start-up,
# naming that file; from a folder with no ./forms and no TAIZHANG_FORMS, only
# the installed directory can have put it there.
prefix=$WORK/usr
tz_make "make install PREFIX=$prefix" install PREFIX="$prefix"
check "the man page installed there names that forms directory" \
	contains "$prefix/share/man/man1/taizhang.1" "$prefix/share/taizhang/forms"
mkdir -p "$WORK/elsewhere"
echo "passphrase-1" >"$WORK/pass"
run_tz 0 "a store to open" init --store "$WORK/elsewhere/v.tzs" --village 341522104201 \
	--name 示范村 --passphrase-file "$WORK/pass" --kdf-cost min
printf '[form]\ntitle = 坏表单\n[field' >"$prefix/share/taizhang/forms/members.form"
# script(1) gives the screen the terminal it asks for; timeout ends a screen
# that wrongly started and waits for keys.
(cd "$WORK/elsewhere" && unset TAIZHANG_FORMS && TERM=xterm timeout 20 \
	script -qec "$prefix/bin/taizhang --store v.tzs" /dev/null </dev/null) >"$WORK/tui" 2>&1
rc=$?
if [ $rc -eq 1 ] && contains "$WORK/tui" "$prefix/share/taizhang/forms/members.form 第 3 行"; then
	ok "the installed binary reads the installed forms: a broken one stops it, named"
else
	not_ok "the installed binary reads the installed forms (exit $rc)"; cat "$WORK/tui"
fi
tz_make "make uninstall PREFIX=$prefix" uninstall PREFIX="$prefix"
check "after uninstall the installed binary is gone" test ! -e "$prefix/bin/taizhang"

finish
