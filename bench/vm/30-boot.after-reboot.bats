#!/usr/bin/env bats
# make bench, row 4, part 2 (runs once per planned boot): PID 1's start to
# the last of the boot's servers active, from the units' timestamps. Samples
# go to results/bench-boot.txt:
#   KIND N PID1_TO_ALL_ACTIVE_MS PID1_TO_STARTUP_FINISHED_MS KERNEL_MS

load lib
load instances
load bench
load boot

@test "boot: every server of this boot is active; record PID 1 start to the last one active" {
	local kind n i unit t last=0 userspace finish
	read -r kind n <"$BOOT_CURRENT"
	for ((i = 1; i <= n; i++)); do
		unit=$(boot_unit "$kind" "$i")
		vm_wait_for 300 is_active "$unit"
		vm_wait_for 60 listening "$unit"
		t=$(systemctl show -P ActiveEnterTimestampMonotonic "$unit")
		((t > last)) && last=$t
	done
	[ "$kind" = plain ] || findmnt -n -o FSTYPE "$(merged_of "$((BOOT_FIRST + n - 1))")" | grep -qx overlay
	userspace=$(systemctl show -P UserspaceTimestampMonotonic)
	finish=$(systemctl show -P FinishTimestampMonotonic)
	echo "# $kind $n: $(systemd-analyze time | head -1)" >&3
	record boot "$kind" "$n" "$(ms_between "$userspace" "$last")" "$(ms_between "$userspace" "$finish")" \
		"$(ms_between 0 "$userspace")"
}

@test "boot: prepare the next planned boot, or clean up after the last" {
	next_boot
}
