# left4me-console: the game servers' console steps (blocking stdin, quit). Included by the top Makefile.
CONSOLE_SRC := $(wildcard helpers/console/*.c)
CONSOLE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CONSOLE_SRC))

$(BUILD)/left4me-console: $(CONSOLE_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEPS_LIBS)

install-console: $(BUILD)/left4me-console
	install -D -m 0755 $(BUILD)/left4me-console $(DESTDIR)$(LIBEXECDIR)/left4me-console

.PHONY: install-console
