#!/usr/bin/env bats
# The instance lifecycle under a real PID 1: mounts before start, unmount
# after stop, layers and ownership, daemon-reload, crashes, reset and delete.

load lib
load instances

setup_file() {
	make_layer installation-extra root "unused"
	make_layer overlays/901 left4me "overlay 901 (service-owned)"
	make_layer overlays/902 l4d2-sandbox "overlay 902 (sandbox-owned)"
	make_layer workshop_cache/7 left4me "workshop 7"
	echo "installation" >"$STATE/installation/left4dead2/layer.txt"
}

teardown() {
	for n in 1 2 3 4 5; do forget_instance "$n"; done
	rm -rf /run/systemd/system/left4me@[1-5].service.d
	systemctl daemon-reload
}

teardown_file() {
	rm -rf "$STATE/installation-extra" "$STATE/overlays/901" "$STATE/overlays/902" "$STATE/workshop_cache/7"
}

# slow_stop N: the server's stop takes 5 s longer (ExecStopPost=), so that
# a request can be made while a reset or delete is stopping it.
slow_stop() {
	mkdir -p "/run/systemd/system/left4me@$1.service.d"
	printf '[Service]\nExecStopPost=/bin/sleep 5\n' >"/run/systemd/system/left4me@$1.service.d/slow-stop.conf"
}

is_deactivating() { [ "$(systemctl is-active "$1")" = deactivating ]; }

three_layer_instance() {
	write_instance "$1" \
		"L4D2_LOWERDIRS=$STATE/overlays/902:$STATE/overlays/901:$STATE/installation" \
		"L4D2_PORT=$((27000 + $1))" "${@:2}"
}

@test "enable --now: overlay and the idmapped views of its layers' root mounted, server runs from merged" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl enable --now left4me@1.service
	is_active left4me@1.service
	findmnt -n -o FSTYPE "$(merged_of 1)" | grep -qx overlay
	findmnt -n "$(view_of l4d2-sandbox overlays)" >/dev/null
	findmnt -n "$(view_of left4me overlays)" >/dev/null
	local options
	options=$(findmnt -n -o OPTIONS "$(merged_of 1)")
	[[ $options == *"$(view_of l4d2-sandbox overlays)/902"* && $options == *"$(view_of left4me overlays)/901"* ]] ||
		{ echo "overlay options: $options"; false; }
	pid=$(systemctl show -P MainPID left4me@1.service)
	[ "$(readlink "/proc/$pid/cwd")" = "$(merged_of 1)" ]
	vm_wait_for 30 log_has 1 "standin: start cwd=$(merged_of 1)" -b
}

@test "the instance's mounts are in system-left4me.slice, out of system.slice where mounts go by default" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	local merged bind
	merged=$(systemd-escape --path --suffix=mount "$(merged_of 1)")
	bind=$(systemd-escape --path --suffix=mount "$(view_of l4d2-sandbox overlays)")
	[ "$(systemctl show -P Slice "$merged")" = system-left4me.slice ]
	[ "$(systemctl show -P Slice "$bind")" = system-left4me.slice ]
	[ "$(systemctl show -P ActiveState system-left4me.slice)" = active ]
	# control: a mount unit of no instance, mounted by PID 1 too, is in system.slice
	mkdir -p /run/l4m-control
	systemd-mount --type=tmpfs tmpfs /run/l4m-control
	local control
	control=$(systemctl show -P Slice "$(systemd-escape --path --suffix=mount /run/l4m-control)")
	systemd-umount /run/l4m-control
	[ "$control" = system.slice ]
}

@test "layers stack in the written order, highest priority first" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	[ "$(cat "$(merged_of 1)/left4dead2/layer.txt")" = "overlay 902 (sandbox-owned)" ]
	[ -f "$(merged_of 1)/left4dead2/addons/901.txt" ]
	[ -f "$(merged_of 1)/left4dead2/addons/902.txt" ]
	[ -x "$(merged_of 1)/srcds_run" ]
}

@test "the server's writes land in upper, owned by the server user" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	vm_wait_for 30 test -f "$STATE/runtime/1/upper/left4dead2/cfg/standin-written.cfg"
	[ "$(stat -c %U "$STATE/runtime/1/upper/left4dead2/cfg/standin-written.cfg")" = l4d2-server ]
	[ "$(stat -c %U "$STATE/runtime/1/upper")" = l4d2-server ]
	server_log 1 -b | grep -q "standin: start cwd=$(merged_of 1) uid=$(id -u l4d2-server) "
	[ "$(stat -c %U:%a "$STATE/runtime/1")" = root:711 ]
}

@test "a file of a sandbox-owned layer reads as the server user's" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	[ "$(stat -c %U "$STATE/overlays/902/left4dead2/addons/902.txt")" = l4d2-sandbox ]
	[ "$(stat -c %U "$(merged_of 1)/left4dead2/addons/902.txt")" = l4d2-server ]
	# and the server (running as l4d2-server) can copy it up by writing to it
	runuser -u l4d2-server -- sh -c "echo changed >>'$(merged_of 1)/left4dead2/addons/902.txt'"
	[ "$(stat -c %U "$STATE/runtime/1/upper/left4dead2/addons/902.txt")" = l4d2-server ]
}

@test "the idmapped views are root's alone: the server user cannot write a sandbox-owned layer through them" {
	install -d -m 0711 "$STATE/runtime" "$STATE/runtime/idmap" # too open: the runtime unit corrects it
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	[ "$(stat -c %U:%a "$STATE/runtime/idmap")" = root:700 ]
	# Through the view the layer's root reads as l4d2-server's own directory.
	[ "$(stat -c %U "$(view_of l4d2-sandbox overlays)/902/left4dead2")" = l4d2-server ]
	run runuser -u l4d2-server -- touch "$(view_of l4d2-sandbox overlays)/902/left4dead2/planted"
	[ "$status" -ne 0 ]
	[[ $output == *"Permission denied"* ]]
	[ ! -e "$STATE/overlays/902/left4dead2/planted" ]
	# The overlay, mounted by root, still reads the layer.
	[ "$(cat "$(merged_of 1)/left4dead2/layer.txt")" = "overlay 902 (sandbox-owned)" ]
}

@test "stop: service inactive, then every mount of the instance gone" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	[ -n "$(mounts_of 1)" ]
	systemctl stop left4me@1.service
	run systemctl is-active left4me@1.service
	[ "$output" = inactive ]
	wait_unmounted 1
}

# 25 cycles: each stop now waits for the server to read quit, which made
# 100 cycles outlast the suite's 30-minute limit (measured while a second VM
# shared the machine); make bench's lifecycle row runs 100.
@test "25 start/stop cycles leave no mount of the project and no failed unit" {
	three_layer_instance 1
	systemctl daemon-reload
	start=$(now_ms)
	for i in $(seq 1 25); do
		systemctl start left4me@1.service
		systemctl stop left4me@1.service
		wait_unmounted 1
	done
	elapsed=$(($(now_ms) - start))
	figure "25 start/stop cycles (3 layers, 2 through idmapped views): ${elapsed} ms, $((elapsed / 25)) ms per cycle"
	# the views, needed by no overlay now, go too
	vm_wait_for 60 no_state_mounts
	no_failed_units 'left4me*' '*left4me*.mount'
}

@test "daemon-reload: an added, changed and removed instance file is reflected" {
	merged_unit=$(systemd-escape --path --suffix=mount "$(merged_of 2)")
	write_instance 2 "L4D2_LOWERDIRS=$STATE/overlays/901:$STATE/installation"
	systemctl daemon-reload
	# layers not owned by the server user are used through their roots' idmapped views
	local ov inst ws
	ov=$(view_of left4me overlays) inst=$(view_of left4me installation) ws=$(view_of left4me workshop_cache)
	systemctl cat "$merged_unit" | grep -q "lowerdir+=$ov/901,lowerdir+=$inst,"
	systemctl start left4me@2.service
	[ "$(cat "$(merged_of 2)/left4dead2/layer.txt")" = "overlay 901 (service-owned)" ]

	# reorder and add a layer; a restart picks them up
	write_instance 2 "L4D2_LOWERDIRS=$STATE/workshop_cache/7:$STATE/installation:$STATE/overlays/901"
	systemctl daemon-reload
	# the unit changed; the active mount keeps its options until the restart
	systemctl cat "$merged_unit" | grep -q "lowerdir+=$ws/7,lowerdir+=$inst,lowerdir+=$ov/901,"
	systemctl restart left4me@2.service
	is_active left4me@2.service
	[ "$(cat "$(merged_of 2)/left4dead2/layer.txt")" = "workshop 7" ]
	findmnt -n -o OPTIONS "$(merged_of 2)" | grep -q "$ws/7"

	# removed: after stop and reload the units are gone
	systemctl stop left4me@2.service
	wait_unmounted 2
	rm "$INSTANCES/2.env"
	systemctl daemon-reload
	[ ! -e /run/systemd/generator/left4me/2.env ]
	run systemctl start left4me@2.service
	[ "$status" -ne 0 ]
	systemctl show -P AssertResult left4me@2.service | grep -qx no
}

@test "a bad instance file: journal names file, line and reason; no units; good ones start" {
	write_instance 3 "L4D2_PORT=27003" "L4D2_LOWERDIRS=$STATE/overlays/901:/etc"
	three_layer_instance 4
	systemctl daemon-reload
	vm_wait_for 20 journalctl -b -k --no-pager -q -g "$INSTANCES/3.env:2: error: L4D2_LOWERDIRS: layer \"/etc\" is outside every lower root"
	[ ! -e /run/systemd/generator/left4me/3.env ]
	[ -z "$(ls /run/systemd/generator | grep -- '-runtime-3-' || true)" ]
	run systemctl start left4me@3.service
	[ "$status" -ne 0 ]
	systemctl start left4me@4.service
	is_active left4me@4.service
}

@test "crashes are restarted; the fifth within 60 s (StartLimitBurst=5) ends the restarts, fails the unit, releases the mounts" {
	three_layer_instance 5 "STANDIN_CRASH_AFTER=1"
	systemctl daemon-reload
	systemctl start left4me@5.service
	vm_wait_for 120 systemctl is-failed -q left4me@5.service
	# PartOf= makes each automatic restart remount, which restarts systemd's
	# NRestarts count; the journal counts the crashes. StartLimitBurst=5: five
	# starts in 60 s, so five crashes, and the sixth start is refused.
	# The server is PID 1 of its own PID namespace (PrivatePIDs=), which its own
	# abort() cannot kill: glibc's abort then ends it with a fault, so the
	# journal names that signal, not SIGABRT. Either way a crash.
	crashes=$(journalctl -b -u left4me@5.service --no-pager -q -g "Main process exited, code=(killed|dumped|exited), status=[1-9]" | wc -l)
	journalctl -b -u left4me@5.service --no-pager -q -g "Main process exited" | head -1 >&3
	figure "crash loop: $crashes crashes, then: $(journalctl -b -u left4me@5.service --no-pager -q -o cat | grep -c 'Start request repeated too quickly') start refused"
	[ "$crashes" -eq 5 ]
	sleep 5
	systemctl is-failed -q left4me@5.service
	[ "$(journalctl -b -u left4me@5.service --no-pager -q -g 'Main process exited' | wc -l)" -eq 5 ]
	wait_unmounted 5
	journalctl -b -u left4me@5.service --no-pager -q | grep -q "Start request repeated too quickly"
}

@test "reset while the server runs: stopped, unmounted, upper and work wiped" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	vm_wait_for 30 test -f "$STATE/runtime/1/upper/left4dead2/cfg/standin-written.cfg"
	systemctl start left4me-reset@1.service
	run systemctl is-active left4me@1.service
	[ "$output" = inactive ]
	no_mounts_of 1
	[ ! -e "$STATE/runtime/1/upper" ]
	[ ! -e "$STATE/runtime/1/work" ]
	# and it starts again from a clean upper
	systemctl start left4me@1.service
	[ ! -e "$STATE/runtime/1/upper/left4dead2/addons/902.txt" ]
}

@test "a start racing a reset never cancels it, nor sees a half-wiped upper" {
	three_layer_instance 1
	systemctl daemon-reload
	for round in 1 2 3; do
		systemctl start left4me@1.service
		runuser -u l4d2-server -- sh -c "mkdir -p '$(merged_of 1)/left4dead2/junk' && cd '$(merged_of 1)/left4dead2/junk' && for i in \$(seq 1 3000); do : >f\$i; done"
		systemctl start left4me-reset@1.service &
		reset=$!
		sleep 0.$((round * 2))
		systemctl start left4me@1.service || true
		wait "$reset" || { explain_units left4me-reset@1.service left4me@1.service; false; }
		systemctl start left4me@1.service
		count=$(find "$STATE/runtime/1/upper/left4dead2/junk" -type f 2>/dev/null | wc -l)
		echo "# round $round: $count of 3000 files left" >&3
		[ "$count" -eq 0 ]
		systemctl stop left4me@1.service
		wait_unmounted 1
	done
}

# start_refused_while VERB: starts instance 1, slow to stop, with a file in
# its upper layer, then VERB (reset or delete) it; a start or restart by the
# web app while VERB stops the server is refused at once, and VERB still
# succeeds.
start_refused_while() {
	three_layer_instance 1
	slow_stop 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	runuser -u l4d2-server -- touch "$(merged_of 1)/left4dead2/junk"
	systemctl start "left4me-$1@1.service" &
	local job=$!
	vm_wait_for 60 is_deactivating left4me@1.service
	local verb
	for verb in start restart; do
		# as the web app does it: through the unit that acts for it
		run runuser -u left4me -- systemctl start "left4me-$verb@1.service"
		echo "$output"
		[ "$status" -ne 0 ]
		journalctl -b -u "left4me-$verb@1.service" --no-pager -q -o cat | grep -q "is destructive"
	done
	wait "$job"
	no_mounts_of 1
	# the refused calls are in the journal; their units are not kept as failed
	for verb in start restart; do
		vm_wait_for 30 sh -c "[ \"\$(systemctl show -P ActiveState left4me-$verb@1.service)\" != failed ]"
	done
}

@test "a start while a reset stops the server is refused at once; the reset still wipes" {
	start_refused_while reset
	[ ! -e "$STATE/runtime/1/upper" ]
	runuser -u left4me -- systemctl start left4me-start@1.service
	[ ! -e "$(merged_of 1)/left4dead2/junk" ]
}

@test "a start while a delete stops the server is refused at once; the delete still removes runtime/N" {
	start_refused_while delete
	[ ! -e "$STATE/runtime/1" ]
}

@test "delete: stopped, unmounted, runtime/N removed" {
	three_layer_instance 1
	systemctl daemon-reload
	systemctl start left4me@1.service
	systemctl start left4me-delete@1.service
	no_mounts_of 1
	[ ! -e "$STATE/runtime/1" ]
}

@test "reset and delete of an invalid instance name do nothing" {
	for name in -etc foo 0 01 65536 '..'; do
		unit=$(systemd-escape --template=left4me-reset@.service -- "$name")
		run systemctl start "$unit"
		[ "$status" -ne 0 ]
		unit=$(systemd-escape --template=left4me-delete@.service -- "$name")
		run systemctl start "$unit"
		[ "$status" -ne 0 ]
	done
	[ -d /etc ]
	[ -d "$STATE/runtime" ]
}
