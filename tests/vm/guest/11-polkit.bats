#!/usr/bin/env bats
# The service user drives the lifecycle through polkit, no sudo, and can do
# nothing else with systemd; it checks instance files with the generator's
# --verify before installing them.

load lib
load instances

setup_file() {
	write_instance 6 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27006"
	systemctl daemon-reload
	cat >/etc/systemd/system/polkit-probe.service <<'UNIT'
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
UNIT
	systemctl daemon-reload
}

teardown_file() {
	forget_instance 6
	forget_instance 9
	rm -rf "$STATE/overlays/911"
	systemctl stop polkit-probe.service || true
	rm -f /etc/systemd/system/polkit-probe.service
	systemctl daemon-reload
}

as_service() { runuser -u left4me -- "$@"; }

@test "the service user can start, restart and stop an instance" {
	as_service systemctl start left4me@6.service
	is_active left4me@6.service
	as_service systemctl restart left4me@6.service
	is_active left4me@6.service
	as_service systemctl stop left4me@6.service
	run systemctl is-active left4me@6.service
	[ "$output" = inactive ]
}

@test "the service user can reset and delete an instance" {
	as_service systemctl start left4me@6.service
	as_service systemctl start left4me-reset@6.service
	no_mounts_of 6
	as_service systemctl start left4me-delete@6.service
	[ ! -e "$STATE/runtime/6" ]
}

@test "the service user can reload the daemon" {
	as_service systemctl daemon-reload
}

@test "the service user cannot start or stop any other unit" {
	run as_service systemctl start polkit-probe.service
	[ "$status" -ne 0 ]
	run systemctl is-active polkit-probe.service
	[ "$output" = inactive ]
	systemctl start polkit-probe.service
	run as_service systemctl stop polkit-probe.service
	[ "$status" -ne 0 ]
	is_active polkit-probe.service
	run as_service systemctl stop systemd-journald.service
	[ "$status" -ne 0 ]
	run as_service systemctl start left4me-runtime@6.service
	[ "$status" -ne 0 ]
}

@test "the service user cannot enable, disable, kill or mask an instance" {
	run as_service systemctl enable left4me@6.service
	[ "$status" -ne 0 ]
	run as_service systemctl mask left4me@6.service
	[ "$status" -ne 0 ]
	as_service systemctl start left4me@6.service
	run as_service systemctl kill left4me@6.service
	[ "$status" -ne 0 ]
	is_active left4me@6.service
	run as_service systemctl reload-or-restart systemd-logind.service
	[ "$status" -ne 0 ]
}

@test "the service user cannot start reset on a name outside the numeric range" {
	run as_service systemctl start 'left4me-reset@65536.service'
	[ "$status" -ne 0 ]
	run as_service systemctl start 'left4me@0.service'
	[ "$status" -ne 0 ]
}

@test "the service user checks instance files with left4me-generator --verify, as the web app does" {
	local g=/usr/lib/systemd/system-generators/left4me-generator dir
	dir=$(as_service mktemp -d)
	printf 'L4D2_LOWERDIRS=%s\nL4D2_PORT=27007\n' "$STATE/installation" | as_service tee "$dir/7.env" >/dev/null
	printf 'L4D2_LOWERDIRS=%s/overlays/../installation\n' "$STATE" | as_service tee "$dir/8.env" >/dev/null
	as_service "$g" --verify "$dir/7.env"
	run as_service "$g" --verify "$dir/7.env" "$dir/8.env"
	rm -rf "$dir"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"$dir/8.env:1: error: L4D2_LOWERDIRS"* ]]
	[[ $output != *"7.env"* ]]
	# a check writes nothing, wherever it runs
	[ ! -e "/run/systemd/generator/left4me/7.env" ]
}

@test "--verify as the service user passes a running instance with a sandbox-owned layer" {
	# runtime/9 exists then, with its root-only idmap directory and the
	# idmapped bind in it: the checks of the state tree must still pass
	# for the web app's user.
	local g=/usr/lib/systemd/system-generators/left4me-generator dir
	make_layer overlays/911 l4d2-sandbox "overlay 911 (sandbox-owned)"
	write_instance 9 "L4D2_LOWERDIRS=$STATE/overlays/911:$STATE/installation" "L4D2_PORT=27009"
	systemctl daemon-reload
	as_service systemctl start left4me@9.service
	[ "$(stat -c %a "$STATE/runtime/9/idmap")" = 700 ]
	mountpoint -q "$STATE/runtime/9/idmap/overlays_911"
	dir=$(as_service mktemp -d)
	as_service cp "$INSTANCES/9.env" "$dir/9.env"
	run as_service "$g" --verify "$dir/9.env"
	rm -rf "$dir"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
