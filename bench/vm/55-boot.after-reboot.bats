#!/usr/bin/env bats
# make bench, the container's boot row, part 2 (runs once per planned boot):
# PID 1's start to the last of the boot's servers active. The container has
# no kernel of its own: PID 1's start is UserspaceTimestampMonotonic, which
# systemd takes as its main() begins, on the host's CLOCK_MONOTONIC like
# every unit timestamp. Samples go to results/bench-boot-container.txt:
#   KIND N ALL_ACTIVE_MS FINISHED_MS MOUNTS LAST_MOUNT_MS RUNTIME_MS LAST_RUNTIME_MS FIRST_START_MS
#     ALL_ACTIVE_MS: PID 1's start to the greatest ActiveEnterTimestampMonotonic
#     of the servers; FINISHED_MS: to FinishTimestampMonotonic (startup
#     finished); MOUNTS: mount units active; LAST_MOUNT_MS: to the last of the
#     servers' mounts active; RUNTIME_MS: the instances' left4me-runtime@
#     units, the sum of their run times (InactiveExit to ActiveEnter);
#     LAST_RUNTIME_MS: to the last of them active ("-" for fstab);
#     FIRST_START_MS: to the first server's InactiveExitTimestampMonotonic
# and, of the last boot of each kind at the largest N,
# results/bench-boot-container-KIND.txt: systemd-analyze critical-chain of
# its last server and the head of systemd-analyze blame.

load lib
load instances
load bench
load fstab
load boot-container

@test "container boot: every server of this boot is active from its overlay; record PID 1's start to the last one active" {
	local kind n m u t last=0 lastu first=0 lastmount=0 rt=- rtlast=- userspace finish
	read -r kind n <"$CBOOT_CURRENT"
	for ((m = CBOOT_FIRST; m < CBOOT_FIRST + n; m++)); do
		u=$(cboot_unit "$kind" "$m")
		vm_wait_for 300 is_active "$u"
		vm_wait_for 60 listening "$u"
		t=$(systemctl show -P ActiveEnterTimestampMonotonic "$u")
		((t > last)) && last=$t lastu=$u
		t=$(systemctl show -P InactiveExitTimestampMonotonic "$u")
		((first == 0 || t < first)) && first=$t
		for u in $(cboot_mounts "$kind" "$m"); do
			t=$(systemctl show -P ActiveEnterTimestampMonotonic "$u")
			((t > lastmount)) && lastmount=$t
		done
	done
	if [ "$kind" = instance ]; then
		findmnt -n -o FSTYPE "$(merged_of "$((CBOOT_FIRST + n - 1))")" | grep -qx overlay
		rt=0 rtlast=0
		for ((m = CBOOT_FIRST; m < CBOOT_FIRST + n; m++)); do
			u=left4me-runtime@$m.service
			t=$(systemctl show -P ActiveEnterTimestampMonotonic "$u")
			rt=$((rt + t - $(systemctl show -P InactiveExitTimestampMonotonic "$u")))
			((t > rtlast)) && rtlast=$t
		done
	else
		findmnt -n -o FSTYPE "$FSTAB_DIR/$((CBOOT_FIRST + n - 1))/merged" | grep -qx overlay
	fi
	userspace=$(systemctl show -P UserspaceTimestampMonotonic)
	finish=$(systemctl show -P FinishTimestampMonotonic)
	((userspace > 0 && last > userspace))
	echo "# $kind $n: $(systemd-analyze time | head -1)" >&3
	[ "$rt" = - ] || { rtlast=$(ms_between "$userspace" "$rtlast"); rt=$(ms_between 0 "$rt"); }
	record boot-container "$kind" "$n" "$(ms_between "$userspace" "$last")" "$(ms_between "$userspace" "$finish")" \
		"$(systemctl list-units --type=mount --state=active --no-legend --plain | wc -l)" \
		"$(ms_between "$userspace" "$lastmount")" "$rt" "$rtlast" "$(ms_between "$userspace" "$first")"
	local max
	max=$(tr ' ' '\n' <<<"$BENCH_CONTAINER_BOOT_COUNTS" | sort -n | tail -n 1)
	if [ "$n" = "$max" ]; then
		{
			echo "critical-chain $lastu"
			systemd-analyze critical-chain --no-pager "$lastu" 2>&1 | tail -n +3
			echo "blame"
			systemd-analyze blame --no-pager 2>&1 | head -n 12
		} >"$VM_STATE/results/bench-boot-container-$kind.txt"
	fi
}

@test "container boot: prepare the next planned boot, or clean up after the last" {
	cboot_next
}
