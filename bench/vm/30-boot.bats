#!/usr/bin/env bats
# make bench, row 4, part 1: plans the boots to measure and prepares the
# first. Each boot starts either N left4me instances set to autostart (three
# layers, one through the idmapped view of overlays/ that all share) or N
# plain stand-in services enabled with systemctl,
# N from BENCH_BOOT_COUNTS, BENCH_BOOT_RUNS times each, interleaved.
# 30-boot.after-reboot.bats measures a boot, prepares the next and reboots
# into itself until the plan is done.

load lib
load instances
load bench
load boot

@test "boot: plan $BENCH_BOOT_RUNS boots each of $BENCH_BOOT_COUNTS autostart instances and plain services" {
	local r n kind
	bench_layers
	bench_plain_template
	: >"$BOOT_PLAN"
	for ((r = 0; r < BENCH_BOOT_RUNS; r++)); do
		for n in $BENCH_BOOT_COUNTS; do
			for kind in instance plain; do echo "$kind $n" >>"$BOOT_PLAN"; done
		done
	done
	next_boot
	[ -s "$BOOT_CURRENT" ]
}
