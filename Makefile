# taizhang — build, test and benchmark.
#
#   make            build build/release/taizhang
#   make run        install missing packages, build, open the demo village store
#   make test       every test: unit (cmocka) and command-line tests, built with
#                   AddressSanitizer + UndefinedBehaviorSanitizer, plus a clang build
#   make bench      benchmarks (not tests): print times and ratios
#   make valgrind   unit tests under valgrind
#   make fuzz       every fuzz target (tests/fuzz/) under libFuzzer, FUZZ_SECONDS
#                   each (default 20); make test runs them for a fixed number of inputs
#
# BUILD=release|asan picks the variant; each lives in build/$(BUILD)/.

PKGS      := sqlite3 libsodium ncursesw inih xlsxwriter libqrencode zlib
BUILD     ?= release
CC        ?= cc
O         := build/$(BUILD)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CPPFLAGS  += -Iinclude -I$(O)/gen -D_GNU_SOURCE \
             -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_PREUPDATE_HOOK -DTZ_HAVE_QRENCODE \
             -DTZ_VERSION=\"$(VERSION)\"
CFLAGS_release := -O2 -g
CFLAGS_asan    := -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS_asan   := -fsanitize=address,undefined
# BUILD=fuzz CC=clang: the library instrumented for libFuzzer (tests/fuzz/run.sh
# links each target against build/fuzz/libtaizhang.a)
CFLAGS_fuzz    := -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
CFLAGS    += -std=c11 $(WARN) $(CFLAGS_$(BUILD)) $(PKG_CFLAGS)
LDFLAGS   += $(LDFLAGS_$(BUILD))
LDLIBS    += $(PKG_LIBS) -lpthread
VERSION   := 0.1.0

# every layer's folder under src/ (doc/ARCHITECTURE.md says what each owns); the
# commands (src/cli/cmd_*.c) are linked into the program, not the library
LIB_SRCS  := $(filter-out src/cli/cmd_%.c, $(sort $(wildcard src/*/*.c)))
MAIN_SRCS := src/main.c $(sort $(wildcard src/cli/cmd_*.c))
MIGRATIONS := $(sort $(wildcard db/[0-9][0-9][0-9]_*.sql))
LIB_OBJS  := $(LIB_SRCS:%.c=$(O)/%.o) $(O)/gen/migrations.o
MAIN_OBJS := $(MAIN_SRCS:%.c=$(O)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(O)/tools/%)

DEMO_STORE ?= demo/village.tzs

.PHONY: all run test unit cli clang-check bench valgrind deps clean demo fuzz
all: $(O)/taizhang

deps:
	@scripts/install-deps.sh

$(O)/taizhang: $(MAIN_OBJS) $(O)/libtaizhang.a
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJS) $(O)/libtaizhang.a $(LDLIBS)

$(O)/libtaizhang.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $(LIB_OBJS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $@ $(MIGRATIONS)

$(O)/gen/migrations.o: $(O)/gen/migrations.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The forms are carried in the binary too (form_load_default falls back to them).
FORMS := $(sort $(wildcard forms/*.form))
$(O)/gen/forms_builtin.inc: $(FORMS) scripts/embed-forms.sh
	@mkdir -p $(dir $@)
	scripts/embed-forms.sh $@ $(FORMS)

$(O)/src/form/form_builtin.o: $(O)/gen/forms_builtin.inc

$(O)/tests/%: tests/unit/%.c $(O)/libtaizhang.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libtaizhang.a $(LDLIBS) $(CMOCKA_LIBS)

$(O)/tools/%: tests/tools/%.c $(O)/libtaizhang.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libtaizhang.a $(LDLIBS)

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

# make test: a clang -Werror build, sanitizer and release builds of everything,
# then every test (tests/run-all.sh ends with the total).
test: deps
	@$(MAKE) --no-print-directory clang-check
	@$(MAKE) --no-print-directory BUILD=release all-tests
	@$(MAKE) --no-print-directory BUILD=asan all-tests
	@tests/fuzz/run.sh
	@tests/run-all.sh

# Every fuzz target for FUZZ_SECONDS each (clang); e.g. make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 20
fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

all-tests: $(O)/taizhang $(UNIT_BINS) $(TOOL_BINS)

unit: all-tests
	@tests/run-unit.sh $(O)

cli: all-tests
	@tests/run-cli.sh $(O)

clang-check:
	@echo "== clang -Werror build =="
	@$(MAKE) --no-print-directory BUILD=clang CC=clang all-tests >/dev/null
	@echo "clang build: OK"

valgrind:
	@$(MAKE) --no-print-directory BUILD=release all-tests
	@tests/run-unit.sh build/release valgrind

bench:
	@$(MAKE) --no-print-directory BUILD=release all
	@$(MAKE) --no-print-directory -C bench

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

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
