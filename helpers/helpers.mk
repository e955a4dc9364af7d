# The helpers: each left4me-NAME is helpers/NAME/*.c linked with lib/, and is
# installed into LIBEXECDIR. Included by the top Makefile.
HELPERS := sandbox console quota
HELPER_PROGRAMS := $(patsubst %,$(BUILD)/left4me-%,$(HELPERS))
HELPER_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(foreach h,$(HELPERS),$(wildcard helpers/$(h)/*.c)))

define helper_program
$$(BUILD)/left4me-$(1): $$(patsubst %.c,$$(BUILD)/%.o,$$(wildcard helpers/$(1)/*.c)) $$(LIB_OBJ)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(DEPS_LIBS)
endef
$(foreach h,$(HELPERS),$(eval $(call helper_program,$(h))))

# The sandbox's sudoers entry and resolv.conf come with it.
install-helpers: $(HELPER_PROGRAMS) $(DATA_FILES)
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -m 0755 $(HELPER_PROGRAMS) $(DESTDIR)$(LIBEXECDIR)/
	install -D -m 0440 $(BUILD)/data/conf/sudoers.d/left4me $(DESTDIR)$(SUDOERSDIR)/left4me
	install -D -m 0644 $(BUILD)/data/conf/sandbox-resolv.conf $(DESTDIR)$(SYSCONFDIR)/left4me/sandbox-resolv.conf

.PHONY: install-helpers
