#!/usr/bin/env bats
# After 15-wipe.bats rebooted with a reset's removal not done: the boot's
# left4me-trash.path finishes it, and the instance never saw the old files.

load lib
load instances

TRASH=$STATE/trash

trash_settled() { [ -z "$(ls -A "$TRASH")" ] && ! systemctl is-active -q left4me-trash.service; }

teardown_file() {
	rm -f "$VM_STATE/wipe-pending"
	forget_instance 53
	systemctl start left4me-trash.path
}

@test "the removal a reboot cut short is finished at boot, and nothing piles up" {
	[ "$(cat "$VM_STATE/wipe-pending")" = 53 ]
	[ "$(vm_previous_boot_id)" != "$(cat /proc/sys/kernel/random/boot_id)" ]
	systemctl is-active -q left4me-trash.path
	vm_wait_for 300 trash_settled
	! systemctl is-failed -q left4me-trash.service || false
	journalctl -b -u left4me-trash.service --no-pager -q -o cat | grep -q .
}

@test "the instance starts on an empty upper" {
	systemctl start left4me@53.service
	[ ! -e "$(merged_of 53)/many" ]
}
