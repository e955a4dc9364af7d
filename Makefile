# left4me-host build, install and test.
# make            build everything
# make install    DESTDIR=... PREFIX=... SYSCONFDIR=... (systemd's directories from pkg-config)
# make deb        the Debian 13 package; its path is the last line printed
# make check      every test (installs its tools first when run as root)
# make check-host the fast host-side tests only

PREFIX ?= /usr
VERSION := 0.1.0
CC ?= cc
PKG_CONFIG ?= pkg-config

SYSTEMD_UNITDIR := $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null || echo /usr/lib/systemd/system)
SYSTEMD_GENERATORDIR := $(shell $(PKG_CONFIG) --variable=systemdsystemgeneratordir systemd 2>/dev/null || echo /usr/lib/systemd/system-generators)
# journald reads namespace drop-ins from here (journald.conf(5)).
SYSTEMD_CONFDIR := $(PREFIX)/lib/systemd
SYSUSERSDIR := $(shell $(PKG_CONFIG) --variable=sysusersdir systemd 2>/dev/null || echo /usr/lib/sysusers.d)
TMPFILESDIR := $(shell $(PKG_CONFIG) --variable=tmpfilesdir systemd 2>/dev/null || echo /usr/lib/tmpfiles.d)
LIBEXECDIR := $(PREFIX)/libexec/left4me
MANDIR := $(PREFIX)/share/man
# left4me.conf, the instance files and the sandbox's resolv.conf live in
# SYSCONFDIR/left4me (default /etc, whatever PREFIX is).
SYSCONFDIR ?= /etc
# Where sudo and polkitd look, which neither PREFIX nor SYSCONFDIR moves:
# polkitd reads /usr/share/polkit-1/rules.d (the distribution's) and
# /etc/polkit-1/rules.d (the administrator's), and nothing else.
SUDOERSDIR := /etc/sudoers.d
POLKITRULESDIR := $(if $(filter /usr,$(PREFIX)),/usr/share/polkit-1/rules.d,/etc/polkit-1/rules.d)

DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsystemd inih 2>/dev/null)
DEPS_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd inih 2>/dev/null)

HARDENING ?= -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
OPT ?= -O2 -g
override CFLAGS := -std=c11 $(OPT) $(WARNINGS) $(HARDENING) $(DEPS_CFLAGS) \
	-DL4M_VERSION='"$(VERSION)"' -DL4M_UNITDIR='"$(SYSTEMD_UNITDIR)"' -DL4M_LIBEXECDIR='"$(LIBEXECDIR)"' \
	-DL4M_SYSCONFDIR='"$(SYSCONFDIR)"' -Ilib $(CFLAGS)
override LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)

BUILD ?= build

# The directories compiled into the programs and written into the installed
# text files. The stamp changes only when they do, and everything that names
# them depends on it: a build for other directories reuses nothing made for
# the previous ones.
PATHS_STAMP := $(BUILD)/paths
PATHS_LINE := PREFIX=$(PREFIX) SYSCONFDIR=$(SYSCONFDIR) LIBEXECDIR=$(LIBEXECDIR) UNITDIR=$(SYSTEMD_UNITDIR)
$(PATHS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = '$(PATHS_LINE)' ] || echo '$(PATHS_LINE)' >$@
FORCE:

LIB_SRC := $(wildcard lib/*.c)
GEN_SRC := $(wildcard generator/*.c)
GEN_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out generator/main.c,$(GEN_SRC)))
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))

# The installed text files that name install directories. Their sources name
# the defaults (/usr/libexec/left4me, /etc/left4me), so that they read right
# as they are; the copies in $(BUILD)/data name LIBEXECDIR and SYSCONFDIR.
MAN_PAGES := $(wildcard man/*.[1-8])
UNIT_FILES := $(wildcard templates/*.service templates/*.socket templates/*.path templates/*.slice)
DATA_SRC := $(UNIT_FILES) $(MAN_PAGES) conf/left4me.conf conf/sudoers.d/left4me conf/tmpfiles.d/left4me.conf \
	conf/sandbox-resolv.conf conf/sysusers.d/left4me.conf conf/polkit/50-left4me.rules
DATA_FILES := $(patsubst %,$(BUILD)/data/%,$(DATA_SRC))

$(BUILD)/data/%: % $(PATHS_STAMP)
	@mkdir -p $(dir $@)
	sed -e 's|/usr/libexec/left4me|$(LIBEXECDIR)|g' -e 's|/etc/left4me|$(SYSCONFDIR)/left4me|g' $< >$@.tmp
	mv $@.tmp $@

.DEFAULT_GOAL := all
include helpers/helpers.mk

all: $(BUILD)/left4me-generator $(HELPER_PROGRAMS) $(DATA_FILES)

# -MMD -MP: each object's .d file names the headers it was built from.
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/left4me-generator: $(BUILD)/generator/main.o $(GEN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEPS_LIBS)

install: all install-helpers
	install -Dm0755 $(BUILD)/left4me-generator $(DESTDIR)$(SYSTEMD_GENERATORDIR)/left4me-generator
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR)
	install -m0644 $(patsubst %,$(BUILD)/data/%,$(UNIT_FILES)) $(DESTDIR)$(SYSTEMD_UNITDIR)/
	install -Dm0644 'templates/systemd-journald-sync@left4me.service.d/50-left4me.conf' \
		'$(DESTDIR)$(SYSTEMD_UNITDIR)/systemd-journald-sync@left4me.service.d/50-left4me.conf'
	install -d $(DESTDIR)$(SYSTEMD_CONFDIR)/journald@left4me.conf.d
	ln -sfn /run/systemd/generator/left4me-journald.conf $(DESTDIR)$(SYSTEMD_CONFDIR)/journald@left4me.conf.d/50-left4me.conf
	install -Dm0644 $(BUILD)/data/conf/left4me.conf $(DESTDIR)$(SYSCONFDIR)/left4me/left4me.conf
	install -Dm0644 $(BUILD)/data/conf/sysusers.d/left4me.conf $(DESTDIR)$(SYSUSERSDIR)/left4me.conf
	install -Dm0644 $(BUILD)/data/conf/tmpfiles.d/left4me.conf $(DESTDIR)$(TMPFILESDIR)/left4me.conf
	install -Dm0644 $(BUILD)/data/conf/polkit/50-left4me.rules $(DESTDIR)$(POLKITRULESDIR)/50-left4me.rules
	for page in $(MAN_PAGES); do \
		section=$${page##*.}; \
		install -Dm0644 "$(BUILD)/data/$$page" "$(DESTDIR)$(MANDIR)/man$$section/$${page##*/}" || exit 1; \
	done

# Tests. check-host runs in seconds to minutes; check adds the VM suite.
SAN_BUILD := build-asan
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 15

deps:
	tests/deps.sh

check: deps
	$(MAKE) check-host
	$(MAKE) check-deb
	LEFT4ME_VM_DEB=$(abspath $(DEB_FILE)) tests/vm/run

check-host: all bench-tools
	bats tests/*.bats
	$(MAKE) check-sanitizers
	$(MAKE) check-fuzz

check-sanitizers:
	$(MAKE) BUILD=$(SAN_BUILD) HARDENING= OPT="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" all
	GENERATOR=$(CURDIR)/$(SAN_BUILD)/left4me-generator LEFT4ME_SANDBOX=$(CURDIR)/$(SAN_BUILD)/left4me-sandbox \
		LEFT4ME_CONSOLE=$(CURDIR)/$(SAN_BUILD)/left4me-console LEFT4ME_QUOTA=$(CURDIR)/$(SAN_BUILD)/left4me-quota \
		$(SAN_ENV) bats tests/generator*.bats tests/sandbox.bats tests/config.bats tests/console.bats tests/quota.bats

# The fuzzers are built by the rules above, with clang and libFuzzer's
# instrumentation in OPT, into their own build directory.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(FUZZ_SRC))
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
FUZZ_TARGETS := $(patsubst %,$(BUILD)/fuzz_%,$(FUZZ_NAMES))

$(FUZZ_OBJ): override CFLAGS += -Igenerator

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(GEN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(DEPS_LIBS)

fuzz-targets: $(FUZZ_TARGETS)

fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang HARDENING= OPT="$(SAN_FLAGS) -fsanitize=fuzzer-no-link" \
		LDFLAGS="-fsanitize=address,undefined" fuzz-targets

# Each fuzzer runs briefly here; run one longer by hand with
#   build-fuzz/fuzz_instance_file -max_total_time=3600 tests/fuzz/corpus/instance_file
check-fuzz: fuzz
	for name in $(FUZZ_NAMES); do \
		t=$(FUZZ_BUILD)/fuzz_$$name; work=$(FUZZ_BUILD)/corpus-$$name; mkdir -p $$work; \
		$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -close_fd_mask=2 $$work tests/fuzz/corpus/$$name \
			2>$(FUZZ_BUILD)/$$name.log || { tail -50 $(FUZZ_BUILD)/$$name.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' $(FUZZ_BUILD)/$$name.log | sed "s/^/fuzz $$name: /"; \
	done

clean:
	rm -rf build build-*

# make deb: the Debian 13 package (debian/), built with dpkg-buildpackage
# from a copy of this tree in $(DEB_DIR), so that neither the tree's build/
# nor its parent directory is touched. The .deb's path is the last line
# printed. Installs its tools first when run as root (tests/deps.sh deb).
DEB_DIR := $(BUILD)/deb
DEB_VERSION = $(shell dpkg-parsechangelog -l debian/changelog -S Version)
DEB_ARCH = $(shell dpkg-architecture -q DEB_HOST_ARCH)
DEB_FILE = $(DEB_DIR)/left4me-host_$(DEB_VERSION)_$(DEB_ARCH).deb

deb-deps:
	@tests/deps.sh deb

deb: deb-deps
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	@tar -c --exclude-vcs --exclude=./build --exclude='./build-*' --exclude='./$(BUILD)' --exclude=./debian/build \
		--exclude=./debian/left4me-host --exclude=./debian/.debhelper . | tar -x -C $(DEB_DIR)/src
	cd $(DEB_DIR)/src && dpkg-buildpackage -b -us -uc -jauto
	@test -f $(DEB_FILE)
	@realpath $(DEB_FILE)

# The package builds and lintian finds nothing it was not told about
# (debian/left4me-host.lintian-overrides; --fail-on warning; lintian 2.116
# counts shown overrides as failures, so they are not shown). The version of
# the package is the Makefile's.
check-deb: deb-deps
	@[ "$(DEB_VERSION)" = "$(VERSION)" ] || { echo "debian/changelog is at $(DEB_VERSION), the Makefile at $(VERSION)"; exit 1; }
	$(MAKE) deb
	lintian --version
	lintian --fail-on error,warning $(DEB_FILE)

demo:
	tests/vm/demo

.PHONY: demo all clean install deps check check-host check-sanitizers fuzz fuzz-targets check-fuzz FORCE \
	deb deb-deps check-deb

include bench/bench.mk

ALL_OBJ := $(BUILD)/generator/main.o $(GEN_OBJ) $(LIB_OBJ) $(HELPER_OBJ) $(FUZZ_OBJ)
$(ALL_OBJ): $(PATHS_STAMP)
-include $(ALL_OBJ:.o=.d)
