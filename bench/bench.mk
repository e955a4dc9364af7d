# make bench: the benchmark of issue 5, printed as one table: the generator
# on this host (bench/run), then the lifecycle, sandbox and boot rows in the
# Debian 13 VM (bench/vm-rows, bench/vm/). make bench SAVE=1 also writes
# bench/results/<date>.md. BENCH_ROWS="generator reload ..." runs the rows named (README).
# Included from the top Makefile; uses its CC, CFLAGS, LDFLAGS and BUILD.

BENCH_TOOLS := $(BUILD)/bench/timeit $(BUILD)/bench/floor $(BUILD)/bench/firstbyte $(BUILD)/bench/unmounted

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

# Static: they run inside the VM, whose libc is not the host's.
$(BUILD)/bench/firstbyte $(BUILD)/bench/unmounted: $(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static-pie -o $@ $<

bench-tools: $(BENCH_TOOLS)

bench: all bench-tools
	tests/deps.sh bench
	GENERATOR=$(CURDIR)/$(BUILD)/left4me-generator BENCH_TOOLS=$(CURDIR)/$(BUILD)/bench \
		SAVE='$(SAVE)' bench/run

.PHONY: bench bench-tools
