# left4me-sandbox: the sandboxed build helper. Included by the top Makefile.
SANDBOX_SRC := $(wildcard helpers/sandbox/*.c)
SANDBOX_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(SANDBOX_SRC))

$(BUILD)/left4me-sandbox: $(SANDBOX_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEPS_LIBS)

install-sandbox: $(BUILD)/left4me-sandbox
	install -D -m 0755 $(BUILD)/left4me-sandbox $(DESTDIR)$(LIBEXECDIR)/left4me-sandbox
	install -D -m 0440 conf/sudoers.d/left4me $(DESTDIR)$(SYSCONFDIR)/sudoers.d/left4me
	install -D -m 0644 conf/sandbox-resolv.conf $(DESTDIR)$(SYSCONFDIR)/left4me/sandbox-resolv.conf

.PHONY: install-sandbox
