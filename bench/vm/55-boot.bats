#!/usr/bin/env bats
# make bench, the container's boot row (issue 20, row 2), part 1: plans the
# boots and prepares the first. Each boot starts either N left4me instances
# set to autostart (three layers, one sandbox-owned: an overlay each, on the
# sandbox user's idmapped view of overlays/ that all share) or N plain
# services on fstab mounts (standin-fstab@, fstab.bash: the same overlay and
# an idmapped bind per server as /etc/fstab lines),
# enabled; N from BENCH_CONTAINER_BOOT_COUNTS, BENCH_CONTAINER_BOOT_RUNS
# pairs each, the kinds alternating boot by boot (which goes first swaps
# from run to run). 55-boot.after-reboot.bats measures a boot, prepares the
# next and reboots into itself until the plan is done.

load lib
load instances
load bench
load fstab
load boot-container

@test "container boot: plan $BENCH_CONTAINER_BOOT_RUNS boots each of $BENCH_CONTAINER_BOOT_COUNTS autostart instances and plain services on fstab mounts" {
	local r n
	record_guest
	bench_layers
	systemctl daemon-reload
	fstab_template
	: >"$CBOOT_PLAN"
	for ((r = 0; r < BENCH_CONTAINER_BOOT_RUNS; r++)); do
		for n in $BENCH_CONTAINER_BOOT_COUNTS; do
			if ((r % 2)); then
				printf 'fstab %s\ninstance %s\n' "$n" "$n" >>"$CBOOT_PLAN"
			else
				printf 'instance %s\nfstab %s\n' "$n" "$n" >>"$CBOOT_PLAN"
			fi
		done
	done
	cboot_next
	[ -s "$CBOOT_CURRENT" ]
}
