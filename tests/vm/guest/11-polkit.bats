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
	systemctl reset-failed l4m-probe-root.service 2>/dev/null || true
	rm -f /etc/systemd/system/polkit-probe.service
	systemctl daemon-reload
}

as_service() { runuser -u left4me -- "$@"; }

@test "the service user can start, restart and stop an instance through the units that act for it" {
	as_service systemctl start left4me-start@6.service
	is_active left4me@6.service
	pid=$(systemctl show -P MainPID left4me@6.service)
	as_service systemctl start left4me-restart@6.service
	is_active left4me@6.service
	[ "$(systemctl show -P MainPID left4me@6.service)" != "$pid" ]
	as_service systemctl start left4me-stop@6.service
	run systemctl is-active left4me@6.service
	[ "$output" = inactive ]
}

@test "the service user can reset and delete an instance" {
	as_service systemctl start left4me-start@6.service
	as_service systemctl start left4me-reset@6.service
	no_mounts_of 6
	as_service systemctl start left4me-delete@6.service
	[ ! -e "$STATE/runtime/6" ]
}

@test "the service user regenerates after writing an instance file, through left4me-reload.service" {
	write_instance 8 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27008"
	run systemctl cat left4me@8.service
	[[ $output != *50-left4me-instance.conf* ]]
	as_service systemctl start left4me-reload.service
	systemctl cat left4me@8.service | grep -q 50-left4me-instance.conf
	forget_instance 8
	systemctl daemon-reload
}

@test "the service user can neither reload nor re-execute PID 1 itself" {
	run as_service systemctl --no-ask-password daemon-reload
	echo "$output"
	[ "$status" -ne 0 ]
	# PID 1 logs "Reexecuting." at every re-execution
	execs() { journalctl -b --no-pager -q -o cat -u init.scope -g '^Reexecut' | wc -l; }
	before=$(execs)
	run as_service systemctl --no-ask-password daemon-reexec
	echo "$output"
	[ "$status" -ne 0 ]
	sleep 2
	[ "$(execs)" -eq "$before" ]
	# control: root's re-execution shows in that count
	systemctl daemon-reexec
	vm_wait_for 60 sh -c "[ \"\$(journalctl -b --no-pager -q -o cat -u init.scope -g '^Reexecut' | wc -l)\" -gt $before ]"
	# control: the same reload through the unit that acts for it works
	as_service systemctl start left4me-reload.service
}

@test "the service user cannot start, stop, restart, freeze, thaw, kill or change left4me@N itself" {
	systemctl start left4me@6.service
	local cmd
	for cmd in "stop left4me@6.service" "restart left4me@6.service" "freeze left4me@6.service" \
		"kill left4me@6.service" "set-property --runtime left4me@6.service CPUWeight=1" \
		"reload-or-restart left4me@6.service"; do
		# shellcheck disable=SC2086
		run as_service systemctl --no-ask-password $cmd
		echo "$cmd: $status $output"
		[ "$status" -ne 0 ]
		[[ $output == *"Access denied"* || $output == *"Interactive authentication required"* ]]
		is_active left4me@6.service
	done
	[ "$(systemctl show -P CPUWeight left4me@6.service)" != 1 ]
	# control: root can freeze it, and then the service user cannot thaw it
	systemctl freeze left4me@6.service
	[ "$(systemctl show -P FreezerState left4me@6.service)" = frozen ]
	run as_service systemctl --no-ask-password thaw left4me@6.service
	[ "$status" -ne 0 ]
	[ "$(systemctl show -P FreezerState left4me@6.service)" = frozen ]
	systemctl thaw left4me@6.service
	systemctl stop left4me@6.service
	run as_service systemctl --no-ask-password start left4me@6.service
	[ "$status" -ne 0 ]
	run systemctl is-active left4me@6.service
	[ "$output" = inactive ]
}

@test "the service user cannot start a transient unit, not even under an approved name" {
	local name
	for name in left4me-start@7.service left4me-reset@7.service left4me-reload.service left4me@7.service l4m-probe.service; do
		run as_service systemd-run --no-ask-password --unit="$name" --service-type=oneshot /bin/true
		echo "$name: $status $output"
		[ "$status" -ne 0 ]
	done
	# control: root can start a transient unit
	systemd-run --wait --unit=l4m-probe-root.service --service-type=oneshot /bin/true
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
	run as_service systemctl stop left4me-stop@6.service
	[ "$status" -ne 0 ]
}

@test "the service user cannot enable, disable or mask an instance" {
	run as_service systemctl enable left4me@6.service
	[ "$status" -ne 0 ]
	run as_service systemctl mask left4me@6.service
	[ "$status" -ne 0 ]
	run as_service systemctl reload-or-restart systemd-logind.service
	[ "$status" -ne 0 ]
}

@test "the service user cannot start units on a name outside the numeric range" {
	run as_service systemctl start 'left4me-reset@65536.service'
	[ "$status" -ne 0 ]
	run as_service systemctl start 'left4me-start@0.service'
	[ "$status" -ne 0 ]
	run as_service systemctl start 'left4me-start@06.service'
	[ "$status" -ne 0 ]
}

@test "left4me-reload.service holds a loop of reloads to one a second, and starts in that second join one reload" {
	local t0 t1 before after
	reloads() { journalctl -b --no-pager -q -o cat -u init.scope -g '^Reloading finished' | wc -l; }
	t0=$(now_ms)
	for i in 1 2 3 4 5; do as_service systemctl start left4me-reload.service; done
	t1=$(now_ms)
	figure "left4me-reload.service: 5 starts in a row took $((t1 - t0)) ms"
	[ $((t1 - t0)) -ge 5000 ]
	before=$(reloads)
	for i in 1 2 3 4 5; do as_service systemctl start --no-block left4me-reload.service; done
	# the starts are queued when systemctl returns: wait for the jobs to go
	vm_wait_for 60 sh -c '[ -z "$(systemctl list-jobs --no-legend left4me-reload.service)" ] &&
		[ "$(systemctl show -P ActiveState left4me-reload.service)" = inactive ]'
	after=$(reloads)
	figure "left4me-reload.service: 5 starts at once gave $((after - before)) reload(s)"
	[ $((after - before)) -ge 1 ]
	[ $((after - before)) -lt 5 ]
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
	# runtime/9 exists then, and the root-only runtime/idmap with the view
	# of overlays/ mounted in it: the checks of the state tree must still
	# pass for the web app's user.
	local g=/usr/lib/systemd/system-generators/left4me-generator dir
	make_layer overlays/911 l4d2-sandbox "overlay 911 (sandbox-owned)"
	write_instance 9 "L4D2_LOWERDIRS=$STATE/overlays/911:$STATE/installation" "L4D2_PORT=27009"
	systemctl daemon-reload
	as_service systemctl start left4me-start@9.service
	[ "$(stat -c %a "$STATE/runtime/idmap")" = 700 ]
	mountpoint -q "$(view_of l4d2-sandbox overlays)"
	dir=$(as_service mktemp -d)
	as_service cp "$INSTANCES/9.env" "$dir/9.env"
	run as_service "$g" --verify "$dir/9.env"
	rm -rf "$dir"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
