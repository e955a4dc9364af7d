# make bench: the generator benchmark (issue 5, row 1), printed as one table.
# make bench SAVE=1 also writes bench/results/<date>.md.
# Included from the top Makefile; uses its CC, CFLAGS, LDFLAGS and BUILD.
# Rows 2-4 (lifecycle, sandbox, boot) run in the VM suite.

BENCH_TOOLS := $(BUILD)/bench/timeit $(BUILD)/bench/floor

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

bench: all $(BENCH_TOOLS)
	GENERATOR=$(CURDIR)/$(BUILD)/left4me-generator BENCH_TOOLS=$(CURDIR)/$(BUILD)/bench \
		SAVE='$(SAVE)' bench/run

.PHONY: bench
