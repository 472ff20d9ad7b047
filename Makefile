# kmemsh — see README.md.  GNU make.
#
#   make [run|check|bench|install|uninstall|clean|deps]  [V=1] [WERROR=1] [SANITIZE=1]
#
# Every src/**/*.c except src/main.c goes into libkmemsh.a; the program, each
# tests/unit/test_*.c and each tests/bench/*.c is one file linked with it.
# SANITIZE=1 builds everything with ASan+UBSan into build-san/ instead of build/.

PREFIX  = /usr/local
BINDIR  = $(PREFIX)/bin
MANDIR  = $(PREFIX)/share/man
LOCALEDIR = $(PREFIX)/share/locale

OPT     = -O2 -g
WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  = -std=c11 $(OPT) $(WARN) $(if $(filter 1,$(WERROR)),-Werror)
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -Iinclude -DLOCALEDIR='"$(LOCALEDIR)"'
LDFLAGS =
LDLIBS  = -lreadline -lz -lm

# FUZZ=1: the library for the libFuzzer harnesses, built by clang with
# ASan+UBSan (halting on the first report) into build-fuzz/ (make fuzz-ci).
ifeq ($(FUZZ),1)
CC      = clang
endif

# Link-time optimization (LTO=1, the default with GCC): kmalloc/kfree go
# from the API through SLUB or SLAB into the slab arrays across several
# source files, and -flto lets GCC inline along the way (make bench: about
# 15% off a kmalloc+kfree pair).  The archive is made with gcc-ar so that
# it indexes the LTO objects.  Not for SANITIZE=1 builds.
LTO ?= 1
IS_GCC := $(shell $(CC) -v 2>&1 | grep -c '^gcc version')
ifeq ($(LTO)$(SANITIZE)$(IS_GCC),11)
ifneq ($(shell command -v gcc-ar 2>/dev/null),)
OPT     += -flto=auto
LDFLAGS += -O2 -flto=auto
AR       = gcc-ar
endif
endif

B = build
ifeq ($(SANITIZE),1)
B       = build-san
OPT     = -O1 -g
SAN     = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CFLAGS  += $(SAN)
LDFLAGS += $(SAN)
ASAN_OPTIONS  ?= detect_leaks=1
UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS
endif

ifeq ($(FUZZ),1)
B       = build-fuzz
OPT     = -O1 -g
CFLAGS  += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

SRC   = $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c src/*/*/*.c))
OBJ   = $(SRC:%.c=$(B)/%.o)
LIB   = $(B)/libkmemsh.a
BIN   = $(B)/kmemsh
UNIT  = $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
BENCH = $(patsubst tests/bench/%.c,$(B)/bench/%,$(wildcard tests/bench/*.c))
# po/LANG.po -> $(B)/locale/LANG/LC_MESSAGES/kmemsh.mo (i18n.c finds it there)
LINGUAS = $(patsubst po/%.po,%,$(wildcard po/*.po))
MO    = $(LINGUAS:%=$(B)/locale/%/LC_MESSAGES/kmemsh.mo)
ALLOBJ = $(OBJ) $(B)/src/main.o $(UNIT:$(B)/tests/%=$(B)/tests/unit/%.o) \
         $(BENCH:$(B)/bench/%=$(B)/tests/bench/%.o)

Q   = $(if $(filter 1,$(V)),,@)
say = $(if $(Q),@printf '  %-5s %s\n' $(1) $(2))

MAKEFLAGS += -r
.DELETE_ON_ERROR:
.PHONY: all deps run check bench install uninstall clean FORCE pot

all: $(BIN) $(MO)

$(B)/%.o: %.c $(B)/flags
	$(call say,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(OBJ)
	$(call say,AR,$@)
	@mkdir -p $(@D) && rm -f $@
	$(Q)$(AR) rcs $@ $(OBJ)

$(BIN): $(B)/src/main.o $(LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT): $(B)/tests/%: $(B)/tests/unit/%.o $(LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

$(BENCH): $(B)/bench/%: $(B)/tests/bench/%.o $(LIB)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The message catalogues (gettext: the explanatory layer only, see
# include/kmemsh/i18n.h).  `make pot` regenerates po/kmemsh.pot from the
# sources and merges it into each po/LANG.po; tests/check-po.sh checks that
# every message of a fresh .pot has a translation.
MSGFMT   = msgfmt
XGETTEXT = xgettext
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --no-location --sort-output \
	--omit-header \
	-k_ -kN_ -ksession_error:2 --flag=session_error:2:c-format -kstep:2 --flag=step:2:c-format -ksb_printf:2 --flag=sb_printf:2:c-format \
	-kmodel_err:2 --flag=model_err:2:c-format -kmodel_err_cat:2 --flag=model_err_cat:2:c-format \
	-kmodel_err_buf:3 --flag=model_err_buf:3:c-format -kset_err:3 --flag=set_err:3:c-format -kfail:6 --flag=fail:6:c-format \
	-kproblem:2 --flag=problem:2:c-format -knote:2 --flag=note:2:c-format -kset_bad:2
$(MO): $(B)/locale/%/LC_MESSAGES/kmemsh.mo: po/%.po
	@command -v $(MSGFMT) >/dev/null 2>&1 || \
	 { echo "make: msgfmt not found: install GNU gettext (Debian: apt-get install gettext, or make deps)"; exit 1; }
	$(call say,MSGFMT,$@)
	@mkdir -p $(@D)
	$(Q)$(MSGFMT) --check -o $@ $<

$(B)/kmemsh.pot: $(SRC) src/main.c
	$(call say,XGETTEXT,$@)
	@mkdir -p $(@D)
	$(Q)$(XGETTEXT) $(XGETTEXT_FLAGS) -o $@ $(sort $^)
pot: $(B)/kmemsh.pot
	$(Q)cp $(B)/kmemsh.pot po/kmemsh.pot
	$(Q)for l in $(LINGUAS); do msgmerge -q --update --backup=none --no-location --no-wrap --no-fuzzy-matching po/$$l.po po/kmemsh.pot; done

# Rewritten only when the flags change, so that a change (WERROR=1, CC=clang)
# rebuilds every object.
$(B)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)' | cmp -s - $@ || \
	 echo '$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(LDLIBS)' > $@

# Install what the build and the tests need, only when something is missing.
deps:
	@have() { printf "$$1" | $(CC) -E -x c -o /dev/null - >/dev/null 2>&1; }; \
	miss=; \
	command -v $(CC) >/dev/null 2>&1 || miss="$$miss build-essential"; \
	have '#include <stdio.h>\n#include <readline/readline.h>\n' || miss="$$miss readline.h"; \
	have '#include <stdarg.h>\n#include <stddef.h>\n#include <setjmp.h>\n#include <stdint.h>\n#include <cmocka.h>\n' || miss="$$miss cmocka.h"; \
	have '#include <zlib.h>\n' || miss="$$miss zlib.h"; \
	command -v groff >/dev/null 2>&1 || miss="$$miss groff"; \
	command -v msgfmt >/dev/null 2>&1 || miss="$$miss msgfmt"; \
	[ -z "$$miss" ] && exit 0; \
	echo "deps: missing:$$miss"; \
	command -v apt-get >/dev/null 2>&1 || { echo "deps: no apt-get; install them by hand"; exit 1; }; \
	sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	pkgs="libreadline-dev libcmocka-dev zlib1g-dev groff-base mandoc gettext"; \
	case $$miss in *build-essential*) pkgs="build-essential $$pkgs";; esac; \
	set -x; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$pkgs

# When deps is a goal, it runs before any compiler does (also with -j).
ifneq ($(filter deps run check,$(MAKECMDGOALS)),)
$(ALLOBJ) $(B)/flags $(MO): | deps
endif

run: deps $(BIN) $(MO)
	$(Q)$(BIN) $(ARGS)

check: deps $(BIN) $(MO) $(B)/kmemsh.pot $(UNIT) $(BENCH)
	@st=0; failed=; \
	for s in "unit tests/run-unit.sh $(UNIT)" \
	         "golden tests/run-golden.sh $(BIN)" \
	         "samples tests/run-samples.sh $(BIN)" \
	         "replay tests/run-replay.sh $(BIN)" \
	         "json tests/json-lines.sh $(BIN)" \
	         "tty tests/tty-tmux.sh $(BIN)" \
	         "man tests/lint-man.sh" \
	         "commands tests/check-commands.sh $(BIN)" \
	         "po tests/check-po.sh $(B)/kmemsh.pot po" \
	         "i18n tests/run-i18n.sh $(BIN)" \
	         "real61 tests/real-6.1.sh $(BIN)"; do \
		set -- $$s; n=$$1; shift; echo "== $$n"; \
		if "$$@"; then r=ok; else r=FAIL; st=1; failed="$$failed $$n"; fi; \
		echo "== $$n: $$r"; \
	done; \
	if [ $$st = 0 ]; then echo "check: all passed ($(B))"; \
	else echo "check: FAILED:$$failed ($(B))"; fi; \
	exit $$st

ifeq ($(SANITIZE),1)
bench:
	@echo "bench: benchmarks are built without sanitizers"
	@$(MAKE) --no-print-directory SANITIZE= bench
else
bench: $(BIN) $(BENCH)
	@for b in $(BENCH); do echo "== $$b"; $$b || exit 1; done
	@if [ -f tests/bench/run.sh ]; then echo "== tests/bench/run.sh"; \
	 sh tests/bench/run.sh $(BIN) $(BENCH); fi
endif

install: $(BIN) $(MO)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(B)/locale/$$l/LC_MESSAGES/kmemsh.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/kmemsh.mo || exit 1; \
	done
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/kmemsh
	install -m 644 man/kmemsh.1 $(DESTDIR)$(MANDIR)/man1/kmemsh.1
	install -m 644 man/kmemsh.7 $(DESTDIR)$(MANDIR)/man7/kmemsh.7

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kmemsh $(DESTDIR)$(MANDIR)/man1/kmemsh.1 \
	      $(DESTDIR)$(MANDIR)/man7/kmemsh.7 \
	      $(LINGUAS:%=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/kmemsh.mo)

clean:
	rm -rf build build-san build-fuzz

-include $(ALLOBJ:.o=.d)

# libFuzzer harnesses (not part of check; need clang and libclang-rt):
# tests/fuzz/fuzz_NAME.c, each with its seed corpus tests/fuzz/corpus/NAME/.
#   make fuzz-ci                  every harness for FUZZ_CI_SECONDS (CI)
#   make fuzz FUZZ_SECONDS=600    the same, longer (FUZZERS=session: one)
# New inputs go to build-fuzz/corpus-NAME/, crashers to
# build-fuzz/crash-NAME-*; add a crasher to the seed corpus with its fix.
FUZZERS         ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CI_SECONDS ?= 20
FUZZ_SECONDS    ?= 300
FUZZ_LINK = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
.PHONY: fuzz fuzz-ci
fuzz-ci:
	$(Q)$(MAKE) --no-print-directory fuzz-run FUZZ_TIME=$(FUZZ_CI_SECONDS)
fuzz:
	$(Q)$(MAKE) --no-print-directory fuzz-run FUZZ_TIME=$(FUZZ_SECONDS)
fuzz-run:
	$(Q)$(MAKE) --no-print-directory FUZZ=1 WERROR=$(WERROR) build-fuzz/libkmemsh.a
	@st=0; for n in $(FUZZERS); do \
		echo "== fuzz $$n: $(FUZZ_TIME) s"; \
		clang -std=c11 -O1 -g $(CPPFLAGS) $(FUZZ_LINK) -o build-fuzz/fuzz_$$n tests/fuzz/fuzz_$$n.c \
			build-fuzz/libkmemsh.a $(LDLIBS) || exit 1; \
		mkdir -p build-fuzz/corpus-$$n; seeds=; \
		for d in tests/fuzz/corpus/$$n tests/fuzz/$$n-corpus; do [ -d $$d ] && seeds="$$seeds $$d"; done; \
		if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		   build-fuzz/fuzz_$$n -max_total_time=$(FUZZ_TIME) -max_len=16384 -timeout=20 -rss_limit_mb=2048 \
		   -artifact_prefix=build-fuzz/crash-$$n- build-fuzz/corpus-$$n $$seeds >build-fuzz/fuzz-$$n.log 2>&1; \
		then tail -n 2 build-fuzz/fuzz-$$n.log; \
		else tail -n 40 build-fuzz/fuzz-$$n.log; echo "== fuzz $$n: FAILED"; st=1; fi; \
	done; exit $$st
.PHONY: fuzz-run
