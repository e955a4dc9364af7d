# left4me-quit: a game server's first stop step. Included by the top Makefile.
QUIT_SRC := $(wildcard helpers/quit/*.c)
QUIT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(QUIT_SRC))

$(BUILD)/left4me-quit: $(QUIT_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DEPS_LIBS)

install-quit: $(BUILD)/left4me-quit
	install -D -m 0755 $(BUILD)/left4me-quit $(DESTDIR)$(LIBEXECDIR)/left4me-quit

.PHONY: install-quit
