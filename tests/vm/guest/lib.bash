# Helpers for the in-guest bats suites.  Load with:  load lib
# shellcheck shell=bash
# shellcheck disable=SC2034 # used by the suites

bats_require_minimum_version 1.5.0

VM_STATE=/var/lib/left4me-vm
VM_TESTS=/usr/lib/left4me-vm-tests
STANDIN_INSTALL=/var/lib/left4me/installation

# Ask the runner to reboot the VM once the current suite has finished.  The
# next boot continues with the next suite in order (normally this suite's
# NN-name.after-reboot.bats counterpart).  Stores the current boot id, so the
# after-reboot suite can compare: see vm_previous_boot_id.
vm_request_reboot() {
	local boot_id
	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	mkdir -p "$VM_STATE"
	printf '%s %s\n' "$boot_id" "${BATS_TEST_FILENAME##*/}" >"$VM_STATE/reboot-requested"
	sync
}

# With vm_request_reboot: run this same suite again after the reboot instead
# of going on to the next one (a benchmark that measures several boots).
vm_repeat_after_reboot() {
	: >"$VM_STATE/repeat-requested"
	sync
}

# In an after-reboot suite: the boot id of the boot that requested the reboot.
vm_previous_boot_id() {
	cut -d' ' -f1 "$VM_STATE/rebooted-from"
}

# Wait until CMD... succeeds, up to SECONDS of wall time (TCG is slow: be
# generous); a slow CMD does not stretch the wait.
vm_wait_for() {
	local timeout=$1 end
	shift
	end=$((SECONDS + timeout))
	while ((SECONDS < end)); do
		"$@" && return 0
		sleep 0.2
	done
	"$@"
}

# project_blocks PROJID: "USED HARD" of a project on /, in KiB, as repquota
# reports them (independent of the project's own code); "0 0" when unknown.
project_blocks() {
	repquota -P -n / | awk -v p="#$1" '$1 == p { print $3, $5; found = 1 } END { if (!found) print 0, 0 }'
}
