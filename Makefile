# taizhang — build, test and benchmark.
#
#   make            build build/release/taizhang
#   make run        install missing packages, build, open the demo village store
#   make test       every test: unit (cmocka) and command-line tests, built by
#                   clang with AddressSanitizer + UndefinedBehaviorSanitizer, a
#                   short fuzz run against the same build, and part of the unit
#                   tests under valgrind on a gcc build (so both compilers build
#                   everything with -Werror); one line per test file, "total: N
#                   passed, N failed"
#   make test-fast  the edit-compile loop: release build, unit tests only
#   make bench      benchmarks (not tests): print times and ratios
#   make valgrind   every unit test under valgrind
#   make golden     rewrite tests/golden/*.txt from what the screens show now
#                   (after an intended change; review with git diff)
#   make fuzz       every fuzz target (tests/fuzz/) under libFuzzer, FUZZ_SECONDS
#                   each (default 20); make test runs them for a fixed number of inputs
#
# BUILD=release|asan|debug|clang|fuzz picks the variant; each lives in
# build/$(BUILD)/. Unless CC is given, asan, clang and fuzz are built by clang,
# release and debug by cc (gcc).
# V=1 shows the compiler's command lines (otherwise "CC file").

PKGS      := sqlite3 libsodium ncursesw inih xlsxwriter libqrencode zlib libzstd
BUILD     ?= release
ifeq ($(origin CC),default)
CC        := $(if $(filter asan clang fuzz,$(BUILD)),clang,cc)
endif
O         := build/$(BUILD)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

# Which SQLite (README.md, "Which SQLite the product uses, and why"):
#   SQLITE=auto          (default) the SQLite amalgamation that
#                        scripts/sqlite-fetch.sh fetches once into build/sqlite/
#                        and checks by its SHA-256, compiled with SQLITE_OPTS into
#                        build/sqlite/sqlite3.o and linked into every program;
#                        when it cannot be fetched (offline, no npm), Debian's
#                        libsqlite3, with a note
#   SQLITE=system        Debian's libsqlite3 (libsqlite3-dev), always
#   SQLITE=amalgamation  the amalgamation, or stop
# `make sqlite-fetch` tries the fetch again after it failed once. The release
# build (the product, and the benchmarks) links build/sqlite/sqlite3.o, compiled
# -O2; the test variants (asan, debug, clang, fuzz) link build/sqlite/sqlite3-O1.o,
# the same source with the same options at -O1. Each is compiled once, without
# sanitizers, as Debian's library is. Why two: the amalgamation is one
# translation unit of 9 MB that no -j can split; at -O2 it compiles for 60-80 s
# of one core, at -O1 in less than half that, and make test waits for it before
# any test can link (measured 2026-12-07: 79 s against 34 s of CPU). The tests'
# running time hardly depends on SQLite's optimisation (sanitizers and process
# starts dominate), and the two objects differ in nothing else.
SQLITE     ?= auto
# The debug build (gcc; the valgrind subset of make test and make valgrind run
# it) links Debian's libsqlite3 whatever SQLITE says: the fallback above is then
# built and tested by every make test, beside the amalgamation the ASan build
# links. (Until it was, the fallback failed every write of a household, from
# db/015 to session 10, and no test saw it.)
ifeq ($(BUILD),debug)
override SQLITE := system
endif
SQLITE_DIR := build/sqlite
ifneq ($(SQLITE),system)
SQLITE_HAVE := $(shell scripts/sqlite-fetch.sh $(SQLITE_DIR) && echo yes)
ifeq ($(SQLITE)$(SQLITE_HAVE),amalgamation)
$(error SQLITE=amalgamation: the amalgamation could not be fetched (scripts/sqlite-fetch.sh))
endif
endif
# What Debian's libsqlite3 enables, so that the product behaves the same on
# either (features, limits, defaults), and what makes it faster (memory
# statistics off by default, no shared cache, alloca for small buffers;
# lookaside stays on, which Debian's build omits; localtime_r, which Debian's
# configure finds: without it every 'localtime' conversion stats /etc/localtime).
SQLITE_OPTS := -DSQLITE_THREADSAFE=1 -DSQLITE_DEFAULT_MEMSTATUS=0 \
               -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK \
               -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB \
               -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS \
               -DSQLITE_ENABLE_FTS3_TOKENIZER -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
               -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_STMTVTAB \
               -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT \
               -DSQLITE_DEFAULT_RECURSIVE_TRIGGERS -DSQLITE_LIKE_DOESNT_MATCH_BLOBS \
               -DSQLITE_SECURE_DELETE -DSQLITE_SOUNDEX -DSQLITE_USE_URI \
               -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DSQLITE_MAX_SCHEMA_RETRY=25 \
               -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_USE_ALLOCA -DHAVE_LOCALTIME_R=1
SQLITE_CC  ?= cc
ifeq ($(SQLITE_HAVE),yes)
SQLITE_OBJ := $(SQLITE_DIR)/sqlite3$(if $(filter release,$(BUILD)),,-O1).o
SQLITE_CPPFLAGS := -I$(SQLITE_DIR)
SQLITE_LIBS := $(SQLITE_OBJ) -lm
PKG_LIBS   := $(filter-out -lsqlite3,$(PKG_LIBS))
else
SQLITE_OBJ :=
SQLITE_CPPFLAGS :=
SQLITE_LIBS :=
endif

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CPPFLAGS  += -Iinclude -I$(O)/gen $(SQLITE_CPPFLAGS) -D_GNU_SOURCE \
             -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK -DTZ_HAVE_QRENCODE \
             -DTZ_VERSION=\"$(VERSION)\"
CFLAGS_release := -O2 -g
# The sanitizer build (clang) also carries the edge counters libFuzzer reads, so
# that make test's short fuzz runs link the fuzz targets against this very
# library instead of compiling a third variant (tests/fuzz/run.sh, FUZZ_LIB).
# Only the counters: comparison tracing, which would slow every test, is left to
# the fuzz variant that make fuzz's long runs use.
CFLAGS_asan    := -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=address,undefined -fno-sanitize-recover=all \
                  -fsanitize-coverage=inline-8bit-counters,pc-table
# The debug build (gcc, no sanitizers) is the gcc -Werror check of make test and
# the build valgrind runs.
CFLAGS_debug   := -O1 -g -gdwarf-4
# The clang build without sanitizers (make clang-check; DWARF 4: Debian 12's
# valgrind cannot read clang's default DWARF 5).
CFLAGS_clang   := -O1 -g -gdwarf-4
LDFLAGS_asan   := -fsanitize=address,undefined
# BUILD=fuzz: the library instrumented for libFuzzer (make fuzz: tests/fuzz/run.sh
# links each target against build/fuzz/libtaizhang.a)
CFLAGS_fuzz    := -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
CFLAGS    += -std=c11 $(WARN) $(CFLAGS_$(BUILD)) $(PKG_CFLAGS)
LDFLAGS   += $(LDFLAGS_$(BUILD))
LDLIBS    += $(SQLITE_LIBS) $(PKG_LIBS) -lpthread
VERSION   := 0.1.0

# Every .c below a folder of src/ is the library (doc/ARCHITECTURE.md says what
# each folder owns), except the commands (src/cli/cmd_*.c), which link into the
# program with src/main.c.
LIB_SRCS  := $(filter-out src/cli/cmd_%.c, $(sort $(shell find src -mindepth 2 -name '*.c')))
MAIN_SRCS := $(sort $(wildcard src/*.c) $(wildcard src/cli/cmd_*.c))
MIGRATIONS := $(sort $(wildcard db/[0-9][0-9][0-9]_*.sql))
# The fuzz targets call the store, sync, roster, form, demo and model layers and
# the key files of src/cli only: their library leaves out the screens, reports,
# exports, rules and the rest of src/cli (40% fewer files to compile in make test).
ifeq ($(BUILD),fuzz)
LIB_SRCS  := $(filter-out src/tui/% src/report/% src/export/% src/rules/% \
                 $(filter-out src/cli/keyfile.c, $(wildcard src/cli/*.c)), $(LIB_SRCS))
endif
LIB_OBJS  := $(LIB_SRCS:%.c=$(O)/%.o) $(O)/gen/migrations.o $(O)/gen/schema_snapshot.o
MAIN_OBJS := $(MAIN_SRCS:%.c=$(O)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
FIXTURE_OBJ := $(O)/tests/unit/fixture.o $(O)/tests/unit/sync_fixture.o
.SECONDARY: $(FIXTURE_OBJ)
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(O)/tools/%)

DEMO_STORE ?= demo/village.tzs

ifeq ($(V),1)
Q :=
SAY := @:
else
Q := @
SAY ?= @printf '  %-4s %s\n'
endif

.PHONY: all run test test-fast test-builds unit cli clang-check bench valgrind deps clean \
        demo fuzz all-tests golden sqlite-fetch print-sqlite FORCE
all: $(O)/taizhang

deps:
	@scripts/install-deps.sh

$(O)/taizhang: $(MAIN_OBJS) $(O)/libtaizhang.a
	$(SAY) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJS) $(O)/libtaizhang.a $(LDLIBS)

$(O)/libtaizhang.a: $(LIB_OBJS) $(SQLITE_OBJ)
	@rm -f $@
	$(SAY) AR $@
	$(Q)ar rcs $@ $(LIB_OBJS)

# The amalgamation, compiled once for every variant; renamed into place, since
# the variants of make test are built side by side.
$(SQLITE_DIR)/.opts: FORCE
	@mkdir -p $(dir $@)
	@echo '$(SQLITE_CC) $(SQLITE_OPTS)' | cmp -s - $@ || echo '$(SQLITE_CC) $(SQLITE_OPTS)' >$@

$(SQLITE_DIR)/sqlite3.o: $(SQLITE_DIR)/sqlite3.c $(SQLITE_DIR)/.opts
	$(SAY) CC $<
	$(Q)$(SQLITE_CC) -O2 -w $(SQLITE_OPTS) -c -o $@.$$$$.tmp $< && mv -f $@.$$$$.tmp $@

$(SQLITE_DIR)/sqlite3-O1.o: $(SQLITE_DIR)/sqlite3.c $(SQLITE_DIR)/.opts
	$(SAY) CC "$< (-O1)"
	$(Q)$(SQLITE_CC) -O1 -w $(SQLITE_OPTS) -c -o $@.$$$$.tmp $< && mv -f $@.$$$$.tmp $@

sqlite-fetch:
	@rm -f $(SQLITE_DIR)/.unavailable
	@SQLITE_FETCH_RETRY=1 scripts/sqlite-fetch.sh $(SQLITE_DIR)

# What to link instead of -lsqlite3 (bench/Makefile, tests/fuzz/run.sh ask).
print-sqlite:
	@echo '$(if $(SQLITE_OBJ),-I$(abspath $(SQLITE_DIR)) $(abspath $(SQLITE_OBJ)))'

# The flags a variant was compiled with: when they change, everything is rebuilt.
$(O)/.flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)' >$@
FORCE:

$(O)/%.o: %.c $(O)/.flags
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/gen/migrations.c: $(MIGRATIONS) scripts/embed.sh
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)scripts/embed.sh sql $@ $(MIGRATIONS)

$(O)/gen/migrations.o: $(O)/gen/migrations.c $(O)/.flags
	$(SAY) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# A new store's schema and reference rows as a database image (store.c copies
# it into a new store), generated from the migrations by a host program linked
# with the SQLite the build uses (scripts/schema-snapshot.c says why;
# test_schema compares the two).
$(O)/gen/schema-snapshot: scripts/schema-snapshot.c $(O)/gen/migrations.c $(SQLITE_OBJ)
	$(SAY) LD $@
	$(Q)$(SQLITE_CC) -std=c11 -O1 $(WARN) -D_GNU_SOURCE -Iinclude $(SQLITE_CPPFLAGS) \
		$(shell pkg-config --cflags libsodium libzstd) -o $@ \
		scripts/schema-snapshot.c $(O)/gen/migrations.c \
		$(if $(SQLITE_OBJ),$(SQLITE_OBJ) -lm,-lsqlite3) \
		$(shell pkg-config --libs libzstd) -lpthread -ldl

$(O)/gen/schema_snapshot.c: $(O)/gen/schema-snapshot
	$(SAY) GEN $@
	$(Q)$(O)/gen/schema-snapshot $@

$(O)/gen/schema_snapshot.o: $(O)/gen/schema_snapshot.c $(O)/.flags
	$(SAY) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The forms are carried in the binary too (form_load_default falls back to them).
FORMS := $(sort $(wildcard forms/*.form))
$(O)/gen/forms_builtin.inc: $(FORMS) scripts/embed.sh
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)scripts/embed.sh forms $@ $(FORMS)

$(O)/src/form/form_builtin.o: $(O)/gen/forms_builtin.inc

# The help texts, one file a text, as string literals LAYER_HELP_NAME
# (scripts/embed.sh help): the screens' F1 help (src/tui/help/NAME.txt), which
# their screen_ops name, and the commands' usage texts and notes
# (src/cli/help/CMD.txt, CMD_notes.txt), which their CLI_COMMAND names. The
# folder is a prerequisite too: a text taken away rebuilds the header, and the
# build fails on the name it no longer defines.
.SECONDEXPANSION:
$(O)/gen/%_help.h: $$(sort $$(wildcard src/%/help/*.txt)) src/%/help scripts/embed.sh
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)scripts/embed.sh help $@ $(filter %.txt,$^)

# A layer's data files, likewise as string literals LAYER_DATA_NAME
# (scripts/embed.sh data): the rules' titles, descriptions and places
# (src/rules/data/rules.ini), which rules.c reads with libinih.
$(O)/gen/%_data.h: $$(sort $$(wildcard src/%/data/*.ini)) src/%/data scripts/embed.sh
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)scripts/embed.sh data $@ $(filter %.ini,$^)

$(O)/src/rules/rules.o: $(O)/gen/rules_data.h
$(filter $(O)/src/tui/%.o,$(LIB_OBJS)): $(O)/gen/tui_help.h
$(filter $(O)/src/cli/%.o,$(MAIN_OBJS)): $(O)/gen/cli_help.h

# Every unit test links the fixtures (tests/unit/fixture.c, sync_fixture.c).
$(O)/tests/%: tests/unit/%.c $(FIXTURE_OBJ) $(O)/libtaizhang.a $(O)/.flags
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -MMD -MP -MF $(dir $@).$(notdir $@).d -o $@ $< $(FIXTURE_OBJ) \
		$(O)/libtaizhang.a $(LDLIBS) $(CMOCKA_LIBS)

$(O)/tools/%: tests/tools/%.c $(O)/libtaizhang.a $(O)/.flags
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libtaizhang.a $(LDLIBS)

# The demo store the README's `make run` opens. Its passphrase is the documented
# demo passphrase (README.md); it is created once and kept.
demo: $(O)/taizhang
	@mkdir -p $(dir $(DEMO_STORE))
	@if [ ! -f $(DEMO_STORE) ]; then \
	  echo "正在创建演示台账 $(DEMO_STORE) ..."; \
	  TAIZHANG_TODAY=$${TAIZHANG_TODAY:-2019-04-20} $(O)/taizhang demo --store $(DEMO_STORE) --households 120 --seed 1; fi

run: deps
	@$(MAKE) --no-print-directory BUILD=release demo
	@TAIZHANG_TODAY=$${TAIZHANG_TODAY:-2019-04-20} TAIZHANG_STORE=$(DEMO_STORE) build/release/taizhang

# make test: the sanitizer build (clang) and the debug build (gcc; valgrind runs
# it) are made side by side, then tests/run-all.sh runs every test file as a job of a
# pool of nproc jobs (TEST_JOBS=N to change; the screen tests, which mostly wait
# for the program to redraw, run beside them in a lane of TEST_SCREEN_JOBS=2,
# tests/run-jobs.sh): the unit tests and the
# command-line tests on the ASan+UBSan build, every fuzz target for a fixed
# number of inputs from a fixed seed (one job each, linked against the sanitizer
# build) and the valgrind subset below. It prints one line per
# test file, a failing file's whole output, and "total: N passed, N failed".
# Nothing here writes outside build/ and the tests' own mkdtemp directories, so
# it is `make -j` safe; without -j it still builds with nproc jobs.
#
# Valgrind: the code must be valgrind-clean, and it is (`make valgrind`: all 482
# unit tests pass under it, on Debian's libsqlite3 since the debug build links it, 5.0 min wall on this machine idle, 2026-12-07). But valgrind is 20-50x slower than a native run, and
# ASan+UBSan, which every test in make test runs under, already catch the
# out-of-bounds accesses, use-after-free and leaks valgrind would; what valgrind
# adds is reads of uninitialised memory. Measured on this 2-core machine (shared,
# load 7-9, 2026-12-06), every unit test under valgrind took 10.8 min wall, 5.5
# min CPU; test_form (317 s) and test_demo (233 s) alone are more than the whole
# budget of make test. So make test runs valgrind only on the tests of the code
# that handles raw bytes itself, where an uninitialised byte would go unnoticed
# by ASan and end up encrypted, signed or on disk: the store's encrypting VFS and
# key slots (test_store, test_keys), bundles (test_bundle), the worker pool
# (test_workers), the ID-card, CSV and text decoders (test_idcard, test_csv,
# test_textenc): about 150 s wall at that load (43 s of CPU idle on 2026-12-07,
# since a new store is copied from its schema image), run beside the other jobs. Run
# `make valgrind` (every unit test) before merging a change to anything else.
VALGRIND_TESTS ?= test_store test_keys test_bundle test_workers test_idcard test_textenc test_csv
NPROC     := $(shell nproc 2>/dev/null || echo 2)
TEST_JOBS ?= $(NPROC)
# -jN for a sub-make unless this make already runs with a jobserver (make -j).
SUBJOBS    = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))

test: deps
	@$(MAKE) --no-print-directory $(SUBJOBS) test-builds
	@VALGRIND_TESTS="$(VALGRIND_TESTS)" TEST_JOBS=$(TEST_JOBS) tests/run-all.sh

# The builds make test needs, side by side (each compiles with the jobs it is
# given): ASan+UBSan by clang (which the fuzz targets link too) and the debug
# build by gcc (valgrind runs it). Each variant's objects compile while the one
# SQLite object does (half a minute on one core); the links wait for it.
test-builds: test-build-asan test-build-debug
test-build-asan: test-objs-asan test-sqlite
	@$(MAKE) --no-print-directory -s BUILD=asan SAY=@: all-tests
test-build-debug: test-objs-debug test-sqlite
	@$(MAKE) --no-print-directory -s BUILD=debug SAY=@: all-tests
test-objs-asan:
	@$(MAKE) --no-print-directory -s BUILD=asan SAY=@: objs
test-objs-debug:
	@$(MAKE) --no-print-directory -s BUILD=debug SAY=@: objs
test-sqlite:
	@$(if $(SQLITE_OBJ),$(MAKE) --no-print-directory -s BUILD=asan SAY=@: $(SQLITE_DIR)/sqlite3-O1.o,:)
.PHONY: test-build-asan test-build-debug test-objs-asan test-objs-debug test-sqlite objs

# A variant's library and program objects, without linking (make test compiles
# them while SQLite compiles).
objs: $(LIB_OBJS) $(if $(filter fuzz,$(BUILD)),,$(MAIN_OBJS) $(FIXTURE_OBJ))

# The edit-compile loop: a release build and the unit tests, in parallel, no
# sanitizers, fuzzing or valgrind.
test-fast:
	@$(MAKE) --no-print-directory $(SUBJOBS) BUILD=release all-tests
	@TEST_JOBS=$(TEST_JOBS) tests/run-all.sh --fast

# Every fuzz target for FUZZ_SECONDS each (clang); e.g. make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 20
fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

all-tests: $(O)/taizhang $(UNIT_BINS) $(TOOL_BINS)

unit: all-tests
	@tests/run-unit.sh $(O)

cli: all-tests
	@tests/run-cli.sh $(O)

golden: all-tests
	@tests/cli/golden.sh --refresh $(O)

clang-check:
	@$(MAKE) --no-print-directory $(SUBJOBS) BUILD=clang SAY=@: all-tests
	@echo "clang build: OK"

valgrind:
	@$(MAKE) --no-print-directory $(SUBJOBS) BUILD=debug all-tests
	@tests/run-unit.sh build/debug valgrind

bench:
	@$(MAKE) --no-print-directory $(SUBJOBS) BUILD=release all
	@$(MAKE) --no-print-directory -C bench

clean:
	rm -rf build

# Only this variant's dependency files: another variant may be writing its own.
-include $(shell find $(O) -name '*.d' 2>/dev/null)

# ---- make install, make uninstall -------------------------------------------
#
#   make install [PREFIX=/usr/local] [DESTDIR=]
#       $(DESTDIR)$(PREFIX)/bin/taizhang
#       $(DESTDIR)$(PREFIX)/share/taizhang/forms/*.form
#       $(DESTDIR)$(PREFIX)/share/man/man1/taizhang.1
#   make uninstall [PREFIX=...] [DESTDIR=...] removes exactly those files.
#
# The installed binary looks for forms in $(PREFIX)/share/taizhang/forms (after
# $TAIZHANG_FORMS and ./forms, before its built-in copies: form_load_default).
# That path is compiled into one object, $(O)/install/form_set.o, linked ahead of
# libtaizhang.a so that it stands in for the library's form_set.o: the build
# tree's own binary (the one the tests run) never reads an installed forms
# directory, and a change of PREFIX recompiles one file, not the build.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
FORMSDIR  = $(PREFIX)/share/taizhang/forms
MAN1DIR   = $(PREFIX)/share/man/man1
INSTALL  ?= install

.PHONY: install uninstall install-prefix-force

# Holds FORMSDIR; rewritten only when it changes, so that a new PREFIX rebuilds.
$(O)/install/forms-dir: install-prefix-force
	@mkdir -p $(dir $@)
	@echo '$(FORMSDIR)' | cmp -s - $@ || echo '$(FORMSDIR)' >$@

$(O)/install/form_set.o: src/form/form_set.c $(O)/install/forms-dir
	$(CC) $(CPPFLAGS) -DTZ_FORMS_DIR='"$(FORMSDIR)"' $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/install/taizhang: $(MAIN_OBJS) $(O)/install/form_set.o $(O)/libtaizhang.a
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJS) $(O)/install/form_set.o $(O)/libtaizhang.a $(LDLIBS)

# The man page's FILES section names the default forms directory; the installed
# page names the one this binary reads.
$(O)/install/taizhang.1: man/taizhang.1 $(O)/install/forms-dir
	sed 's|/usr/local/share/taizhang/forms|$(FORMSDIR)|g' man/taizhang.1 >$@

install: $(O)/install/taizhang $(O)/install/taizhang.1
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(FORMSDIR)' '$(DESTDIR)$(MAN1DIR)'
	$(INSTALL) -m 755 $(O)/install/taizhang '$(DESTDIR)$(BINDIR)/taizhang'
	$(INSTALL) -m 644 $(FORMS) '$(DESTDIR)$(FORMSDIR)/'
	$(INSTALL) -m 644 $(O)/install/taizhang.1 '$(DESTDIR)$(MAN1DIR)/taizhang.1'

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/taizhang' '$(DESTDIR)$(MAN1DIR)/taizhang.1'
	rm -f $(foreach f,$(notdir $(FORMS)),'$(DESTDIR)$(FORMSDIR)/$(f)')
	-rmdir '$(DESTDIR)$(FORMSDIR)' '$(DESTDIR)$(PREFIX)/share/taizhang' 2>/dev/null
