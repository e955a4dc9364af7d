#!/usr/bin/env bats
# `make demo`, part 1: three game servers sharing one installation, each with
# its own addon layer (one built by the sandbox user), two set to start at
# boot. Every step prints what an operator would look at.

load lib
load instances

show() { "$@" 2>&1 | sed 's/^/  /' >&3; }
show_mounts() { show sh -c "findmnt -rn -o TARGET,FSTYPE,SOURCE | grep '^$STATE/runtime/' || echo '(no mounts under $STATE/runtime)'"; }

@test "three addon layers beside the shared game installation" {
	make_layer overlays/931 left4me "addons of server 31"
	make_layer overlays/932 l4d2-sandbox "maps built by the sandbox for server 32"
	make_layer overlays/933 left4me "config of server 33"
	show ls -ld "$STATE/installation" "$STATE"/overlays/93?
}

@test "three instance files, as the web app writes them" {
	write_instance 31 "L4D2_LOWERDIRS=$STATE/overlays/931:$STATE/installation" "L4D2_PORT=27031" \
		"LEFT4ME_AUTOSTART=yes" "L4D2_ARGS=+map c1m1_hotel"
	write_instance 32 "L4D2_LOWERDIRS=$STATE/overlays/932:$STATE/installation" "L4D2_PORT=27032" \
		"L4D2_ARGS=+map c2m1_highway"
	write_instance 33 "L4D2_LOWERDIRS=$STATE/overlays/933:$STATE/installation" "L4D2_PORT=27033"
	for n in 31 32 33; do
		echo "  $INSTANCES/$n.env:" >&3
		sed 's/^/    /' "$INSTANCES/$n.env" >&3
	done
}

@test "systemctl daemon-reload: the generator writes their units" {
	/usr/lib/systemd/system-generators/left4me-generator --verify "$INSTANCES"/3[123].env
	systemctl daemon-reload
	show sh -c "cd /run/systemd/generator && ls -d *-runtime-3[123]-* left4me/3[123].env multi-user.target.wants/left4me@3* left4me*@.service.d"
}

@test "server 31 starts at boot from its file; server 32 is enabled with systemctl" {
	systemctl enable left4me@32.service
	show systemctl is-enabled left4me@31.service left4me@32.service left4me@33.service
}

@test "start all three: PID 1 mounts each overlay first" {
	systemctl start left4me@31.service left4me@32.service left4me@33.service
	show systemctl list-units --no-pager --no-legend 'left4me@3*'
}

@test "their mounts" {
	show_mounts
	for n in 31 32 33; do [ "$(findmnt -n -o FSTYPE "$(merged_of "$n")")" = overlay ]; done
}

@test "who runs what: the servers as l4d2-server, the web app's user left4me only calls systemctl" {
	show ps -o user:14,pid,args -C srcds_run
	[ -z "$(ps -o user= -C srcds_run | grep -vx l4d2-server)" ]
	[ -n "$(ps -o user= -C srcds_run)" ]
}

@test "their files' owners: every layer reads as the server user's, its writes land as its own" {
	vm_wait_for 30 test -f "$STATE/runtime/32/upper/left4dead2/cfg/standin-written.cfg"
	show stat -c '%U:%G %n' "$STATE/installation/srcds_run" "$(merged_of 32)/srcds_run" \
		"$STATE/overlays/932/left4dead2/addons/932.txt" \
		"$(merged_of 32)/left4dead2/addons/932.txt" \
		"$STATE/runtime/32/upper/left4dead2/cfg/standin-written.cfg"
	[ "$(stat -c %U "$(merged_of 32)/left4dead2/addons/932.txt")" = l4d2-server ]
	[ "$(stat -c %U "$STATE/runtime/32/upper/left4dead2/cfg/standin-written.cfg")" = l4d2-server ]
}

@test "reboot" {
	vm_request_reboot
}
