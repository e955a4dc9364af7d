#!/usr/bin/env bats
# make bench, row 2: start latency and stop-to-unmounted latency of an
# instance with three layers beside a plain service running the same
# stand-in without mounts, and 100 start/stop cycles of each. Two instances:
# one has a sandbox-owned layer (the sandbox user's idmapped view of
# overlays/ under its overlay, its alone here: two
# mounts), the other three layers of the server user, as left4me-sandbox leaves
# its output (the overlay alone). A floor beside them: the plain service
# with one tmpfs mount unit bound to it as the generator binds an instance's
# mounts, which is the least any mount owned by PID 1 costs.
# Start: from the command to the unit's ActiveEnterTimestamp. Stop: from the
# command to the service inactive and its mounts gone, as bench/unmounted
# sees them go. Each timed start and stop begins after a quiet second (see
# quiet_second). Samples go to results/bench-lifecycle.txt:
#   latency KIND START_MS STOP_MS       (KIND: instance | overlay-only | one-mount | plain)
#   cycle KIND MS                       (one start/stop-to-unmounted cycle)

load lib
load instances
load bench

INST=51
INST_OVERLAY_ONLY=52
INST_FLOOR=61
KINDS="instance overlay-only one-mount plain"
CYCLE_KINDS="instance overlay-only plain"

setup_file() {
	local kind
	record_guest
	bench_layers
	make_layer overlays/954 l4d2-server "bench layer 954 (the server user's)"
	bench_instance "$INST"
	write_instance "$INST_OVERLAY_ONLY" "L4D2_PORT=$((27000 + INST_OVERLAY_ONLY))" \
		"L4D2_LOWERDIRS=$STATE/overlays/954:$STATE/overlays/952:$STATE/overlays/955"
	bench_plain_template
	bench_plain "$INST"
	bench_plain "$INST_FLOOR"
	bench_floor_mount "$INST_FLOOR"
	systemctl daemon-reload
	# An instance's runtime unit stays active once it ran (RemainAfterExit),
	# as on a host where the server has run before; the first cycle also
	# warms the page cache.
	for kind in $KINDS; do cycle "$kind"; done
}

teardown_file() {
	systemctl stop "standin-plain@$INST.service" "standin-plain@$INST_FLOOR.service" || true
	forget_bench_floor_mount "$INST_FLOOR"
	forget_instance "$INST"
	forget_instance "$INST_OVERLAY_ONLY"
	rm -rf "/etc/standin-plain/$INST.env" "/etc/standin-plain/$INST_FLOOR.env" "$STATE/overlays/954"
	systemctl daemon-reload
}

unit_of() { # KIND
	case $1 in
	instance) echo "left4me@$INST.service" ;;
	overlay-only) echo "left4me@$INST_OVERLAY_ONLY.service" ;;
	one-mount) echo "standin-plain@$INST_FLOOR.service" ;;
	plain) echo "standin-plain@$INST.service" ;;
	esac
}

# Where the mounts of KIND are: a prefix of their mount points (none: plain).
mount_prefix_of() {
	case $1 in
	instance | overlay-only) started_prefix ;;
	one-mount) echo "$BENCH_FLOOR_DIR/" ;;
	esac
}

# Waits until KIND has no mount left (plain: none to wait for).
wait_released() {
	local prefix
	prefix=$(mount_prefix_of "$1")
	[ -z "$prefix" ] || wait_unmounted_builtin "$prefix"
}

cycle() { # KIND: start, stop, wait until unmounted
	clear_start_limit "$(unit_of "$1")"
	systemctl start "$(unit_of "$1")"
	systemctl stop "$(unit_of "$1")"
	wait_released "$1"
}

# start KIND: ms from `systemctl start` to the unit's ActiveEnterTimestamp,
# after a quiet second (bench.bash).
start_ms() { timed_start_ms "$(unit_of "$1")"; }

# stop KIND: ms from `systemctl stop` until the command returned and every
# mount of KIND is gone (bench.bash).
stop_ms() { timed_stop_ms "$(unit_of "$1")" "$(mount_prefix_of "$1")"; }

@test "lifecycle: one instance has its overlay and the sandbox user's view of overlays/, one the overlay alone, the plain service none, the floor one tmpfs" {
	[ "$(mount_units_of "$INST" | wc -l)" -eq 2 ]
	[ "$(mount_units_of "$INST_OVERLAY_ONLY")" = "var-lib-left4me-runtime-$INST_OVERLAY_ONLY-merged.mount" ]
	systemctl start "left4me@$INST.service"
	findmnt -n -o FSTYPE "$(merged_of "$INST")" | grep -qx overlay
	[ "$(state_mounts | sort)" = "$(printf '%s\n' "$(merged_of "$INST")" "$(view_of l4d2-sandbox overlays)" | sort)" ]
	vm_wait_for 60 listening "left4me@$INST.service"
	systemctl stop "left4me@$INST.service"
	wait_released instance
	no_state_mounts
	systemctl start "left4me@$INST_OVERLAY_ONLY.service"
	findmnt -n -o FSTYPE "$(merged_of "$INST_OVERLAY_ONLY")" | grep -qx overlay
	[ "$(mounts_of "$INST_OVERLAY_ONLY")" = "$(merged_of "$INST_OVERLAY_ONLY")" ]
	systemctl stop "left4me@$INST_OVERLAY_ONLY.service"
	wait_released overlay-only
	systemctl start "standin-plain@$INST.service"
	[[ $(systemctl show -P RequiresMountsFor "standin-plain@$INST.service") != *"$STATE/runtime"* ]]
	no_mounts_of "$INST"
	# the comparisons run the server, as the instances do
	vm_wait_for 60 listening "standin-plain@$INST.service"
	systemctl is-active "standin-plain@$INST.service"
	systemctl stop "standin-plain@$INST.service"
	systemctl start "standin-plain@$INST_FLOOR.service"
	[ "$(findmnt -n -o FSTYPE "$BENCH_FLOOR_DIR/$INST_FLOOR")" = tmpfs ]
	vm_wait_for 60 listening "standin-plain@$INST_FLOOR.service"
	systemctl is-active "standin-plain@$INST_FLOOR.service"
	systemctl stop "standin-plain@$INST_FLOOR.service"
	wait_released one-mount
}

@test "lifecycle: start and stop-to-unmounted latency, $BENCH_RUNS interleaved runs" {
	local r kind s t
	for ((r = 0; r < BENCH_RUNS; r++)); do
		for kind in $KINDS; do
			s=$(start_ms "$kind")
			t=$(stop_ms "$kind")
			record lifecycle latency "$kind" "$s" "$t"
		done
	done
	no_mounts_of "$INST"
}

@test "lifecycle: $BENCH_CYCLES start/stop cycles of each" {
	local i kind t0
	for kind in $CYCLE_KINDS; do
		for ((i = 0; i < BENCH_CYCLES; i++)); do
			t0=$(now_us)
			cycle "$kind"
			record lifecycle cycle "$kind" "$(ms_between "$t0" "$(now_us)")"
		done
	done
	no_mounts_of "$INST"
	no_mounts_of "$INST_OVERLAY_ONLY"
	no_failed_units 'left4me*' 'standin-plain*' '*left4me*.mount'
}
