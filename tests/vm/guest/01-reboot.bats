#!/usr/bin/env bats
# Reboot proof, part 1: leave a marker and an enabled unit, request a reboot.
# Part 2 is 01-reboot.after-reboot.bats.

load lib

@test "leave a marker and an enabled unit, then request a reboot" {
	cat /proc/sys/kernel/random/boot_id >"$VM_STATE/reboot-marker"
	cat >/etc/systemd/system/vm-reboot-probe.service <<'UNIT'
[Unit]
Description=started at boot after the VM reboot test enabled it

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true

[Install]
WantedBy=multi-user.target
UNIT
	systemctl daemon-reload
	systemctl enable vm-reboot-probe.service
	run ! systemctl is-active vm-reboot-probe.service
	vm_request_reboot
	[ -f "$VM_STATE/reboot-requested" ]
}
