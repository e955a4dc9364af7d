#!/usr/bin/env bats
# Reboot proof, part 2: runs on the boot after 01-reboot.bats asked for one.

load lib

@test "the boot id changed across the requested reboot" {
	[ -s "$VM_STATE/reboot-marker" ]
	now=$(cat /proc/sys/kernel/random/boot_id)
	[ "$(cat "$VM_STATE/reboot-marker")" != "$now" ]
	[ "$(vm_previous_boot_id)" = "$(cat "$VM_STATE/reboot-marker")" ]
}

@test "a unit enabled before the reboot was started at boot" {
	run systemctl is-active vm-reboot-probe.service
	[ "$output" = active ]
}

@test "the persistent journal holds the previous boot" {
	prev=$(vm_previous_boot_id | tr -d -)
	journalctl --list-boots --no-pager | grep -q "$prev"
	journalctl -b -1 --no-pager -o cat | grep -q "requested a reboot"
}
