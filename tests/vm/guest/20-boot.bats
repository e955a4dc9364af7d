#!/usr/bin/env bats
# Boot, part 1: enabled and autostart instances, one that must stay off, and
# an enabled one whose file is then deleted. 20-boot.after-reboot.bats checks.

load lib
load instances

@test "set up instances for the reboot" {
	write_instance 21 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27021"
	write_instance 22 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27022" "LEFT4ME_AUTOSTART=yes"
	write_instance 23 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27023"
	write_instance 24 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27024"
	systemctl daemon-reload
	systemctl enable left4me@21.service left4me@24.service
	[ -L /run/systemd/generator/multi-user.target.wants/left4me@22.service ]
	rm "$INSTANCES/24.env"
	systemctl daemon-reload
	# a line in the servers' journal, for the web app to read after the reboot
	systemctl start left4me@22.service
	vm_wait_for 60 log_has 22 "standin: listening udp"
	echo "previous-boot-$(cat /proc/sys/kernel/random/boot_id)" >"$VM_STATE/logs-marker"
	console 22 "echo $(cat "$VM_STATE/logs-marker")"
	vm_wait_for 30 log_has 22 "echo $(cat "$VM_STATE/logs-marker")"
	vm_request_reboot
}
