#!/usr/bin/env bats
# Boot, part 2: what came back on its own after the reboot.

load lib
load instances

@test "an instance enabled with systemctl enable runs after the reboot, mounted" {
	vm_wait_for 120 is_active left4me@21.service
	findmnt -n -o FSTYPE "$(merged_of 21)" | grep -qx overlay
}

@test "an instance with LEFT4ME_AUTOSTART=yes runs after the reboot, mounted" {
	vm_wait_for 120 is_active left4me@22.service
	findmnt -n -o FSTYPE "$(merged_of 22)" | grep -qx overlay
}

@test "an instance neither enabled nor autostarted is not running" {
	run systemctl is-active left4me@23.service
	[ "$output" = inactive ]
	no_mounts_of 23
}

@test "an enabled instance whose file was deleted fails its start cleanly and does not loop" {
	systemctl show -P AssertResult left4me@24.service | grep -qx no
	[ "$(systemctl show -P NRestarts left4me@24.service)" -eq 0 ]
	sleep 5
	[ "$(systemctl show -P NRestarts left4me@24.service)" -eq 0 ]
	journalctl -b -u left4me@24.service --no-pager -q | grep -q "Assertion failed"
}

@test "the web app reads the previous boot's server log after the reboot" {
	local marker
	marker=$(cat "$VM_STATE/logs-marker")
	run runuser -u left4me -- journalctl --namespace=left4me -b -1 -u left4me@22.service --no-pager -q -o cat
	[[ $output == *"standin: console: echo $marker"* ]]
	# this boot's log of the same server is apart from it
	run runuser -u left4me -- journalctl --namespace=left4me -b 0 -u left4me@22.service --no-pager -q -o cat
	[[ $output == *"standin: start cwd="* ]]
	[[ $output != *"$marker"* ]]
}

@test "boot figures: PID 1 start to the autostart instances active" {
	local t21 t22
	t21=$(systemctl show -P ActiveEnterTimestampMonotonic left4me@21.service)
	t22=$(systemctl show -P ActiveEnterTimestampMonotonic left4me@22.service)
	figure "boot: $(systemd-analyze time | head -1)"
	figure "boot: instances 21 and 22 active at $((t21 / 1000)) ms and $((t22 / 1000)) ms after kernel start (monotonic)"
	for n in 21 22 23 24; do forget_instance "$n"; done
	systemctl daemon-reload
}
