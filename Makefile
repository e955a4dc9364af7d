# left4me-host build, install and test.
# make            build everything
# make install    DESTDIR=... PREFIX=... (directories from pkg-config systemd)
# make check      every test (installs its tools first when run as root)
# make check-host the fast host-side tests only

PREFIX ?= /usr
VERSION := 0.1.0
CC ?= cc
PKG_CONFIG ?= pkg-config

SYSTEMD_UNITDIR := $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null || echo /usr/lib/systemd/system)
SYSTEMD_GENERATORDIR := $(shell $(PKG_CONFIG) --variable=systemdsystemgeneratordir systemd 2>/dev/null || echo /usr/lib/systemd/system-generators)
SYSUSERSDIR := $(shell $(PKG_CONFIG) --variable=sysusersdir systemd 2>/dev/null || echo /usr/lib/sysusers.d)
TMPFILESDIR := $(shell $(PKG_CONFIG) --variable=tmpfilesdir systemd 2>/dev/null || echo /usr/lib/tmpfiles.d)
LIBEXECDIR := $(PREFIX)/libexec/left4me
MANDIR := $(PREFIX)/share/man
SYSCONFDIR ?= /etc
POLKITRULESDIR := $(PREFIX)/share/polkit-1/rules.d

DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsystemd inih 2>/dev/null)
DEPS_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd inih 2>/dev/null)

HARDENING := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
OPT ?= -O2 -g
override CFLAGS := -std=c11 $(OPT) $(WARNINGS) $(HARDENING) $(DEPS_CFLAGS) \
	-DL4M_VERSION='"$(VERSION)"' -DL4M_UNITDIR='"$(SYSTEMD_UNITDIR)"' -Ilib $(CFLAGS)
override LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)

BUILD ?= build
LIB_SRC := $(wildcard lib/*.c)
GEN_SRC := $(wildcard generator/*.c)
GEN_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out generator/main.c,$(GEN_SRC)))
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))

all: $(BUILD)/left4me-generator

$(BUILD)/%.o: %.c $(wildcard lib/*.h generator/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/left4me-generator: $(BUILD)/generator/main.o $(GEN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEPS_LIBS)

clean:
	rm -rf build build-*

.PHONY: all clean install check check-host
