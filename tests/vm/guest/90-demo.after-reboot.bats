#!/usr/bin/env bats
# `make demo`, part 2: after the reboot.

load lib
load instances

show() { "$@" 2>&1 | sed 's/^/  /' >&3; }
show_mounts() { show sh -c "findmnt -rn -o TARGET,FSTYPE,SOURCE | grep '^$STATE/runtime/' || echo '(no mounts under $STATE/runtime)'"; }

@test "after the reboot servers 31 and 32 came back on their own, 33 did not" {
	vm_wait_for 120 is_active left4me@31.service
	vm_wait_for 120 is_active left4me@32.service
	show systemctl list-units --all --no-pager --no-legend 'left4me@3*'
	run systemctl is-active left4me@33.service
	[ "$output" = inactive ]
}

@test "with their mounts" {
	show_mounts
	[ -n "$(mounts_of 31)" ]
	[ -n "$(mounts_of 32)" ]
	[ -z "$(mounts_of 33)" ]
}

@test "stop server 32: its mounts are gone" {
	systemctl stop left4me@32.service
	wait_unmounted 32
	show_mounts
	no_mounts_of 32
	for n in 31 32 33; do forget_instance "$n"; done
	systemctl daemon-reload
}
