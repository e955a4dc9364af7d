#!/usr/bin/env bats
# make bench, row 2: start latency and stop-to-unmounted latency of an
# instance with three layers beside a plain service running the same
# stand-in without mounts, and 100 start/stop cycles of each. Two instances:
# one has a sandbox-owned layer (an idmapped bind under its overlay: two
# mounts), the other three service-owned layers, as left4me-sandbox leaves
# its output (the overlay alone).
# Start: from the command to the unit's ActiveEnterTimestamp. Stop: from the
# command to the mounts gone, polled every 10 ms. Each timed start and stop
# begins after a quiet second (see quiet_second). Samples go to
# results/bench-lifecycle.txt:
#   latency KIND START_MS STOP_MS       (KIND: instance | overlay-only | plain)
#   cycle KIND MS                       (one start/stop-to-unmounted cycle)

load lib
load instances
load bench

INST=51
INST_OVERLAY_ONLY=52
KINDS="instance overlay-only plain"

setup_file() {
	local kind
	record_guest
	bench_layers
	make_layer overlays/954 left4me "bench layer 954 (service-owned)"
	bench_instance "$INST"
	write_instance "$INST_OVERLAY_ONLY" "L4D2_PORT=$((27000 + INST_OVERLAY_ONLY))" \
		"L4D2_LOWERDIRS=$STATE/overlays/954:$STATE/overlays/952:$STATE/installation"
	bench_plain_template
	bench_plain "$INST"
	systemctl daemon-reload
	# An instance's runtime unit stays active once it ran (RemainAfterExit),
	# as on a host where the server has run before; the first cycle also
	# warms the page cache.
	for kind in $KINDS; do cycle "$kind"; done
}

teardown_file() {
	systemctl stop "standin-plain@$INST.service" || true
	forget_instance "$INST"
	forget_instance "$INST_OVERLAY_ONLY"
	rm -rf "/etc/standin-plain/$INST.env" "$STATE/overlays/954"
	systemctl daemon-reload
}

unit_of() { # KIND
	case $1 in
	instance) echo "left4me@$INST.service" ;;
	overlay-only) echo "left4me@$INST_OVERLAY_ONLY.service" ;;
	plain) echo "standin-plain@$INST.service" ;;
	esac
}

# Waits until the instance of KIND has no mount left (plain: none to wait for).
wait_released() {
	case $1 in
	instance) wait_unmounted_builtin "$INST" ;;
	overlay-only) wait_unmounted_builtin "$INST_OVERLAY_ONLY" ;;
	esac
}

cycle() { # KIND: start, stop, wait until unmounted
	systemctl start "$(unit_of "$1")"
	systemctl stop "$(unit_of "$1")"
	wait_released "$1"
}

# PID 1 rereads the mount table at most 5 times a second (an sd-event rate
# limit on its mountinfo monitor, SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST)
# and holds mount and unmount jobs while over it. One start or stop alone
# stays far under it; back to back, the previous run's mounts and unmounts
# would hold this one's. The cycles below measure that, back to back.
quiet_second() { sleep 1.1; }

# start KIND: ms from `systemctl start` to the unit's ActiveEnterTimestamp.
start_ms() {
	local unit t0
	unit=$(unit_of "$1")
	quiet_second
	t0=$(now_us)
	systemctl start "$unit"
	ms_between "$t0" "$(unit_us "$unit" ActiveEnterTimestamp)"
}

# stop KIND: ms from `systemctl stop` to the service inactive and, for the
# instance, its last mount gone (they go after stop returns). PID 1 forgets
# a stopped unit's timestamps when it unloads it, so the end is polled.
stop_ms() {
	local t0
	quiet_second
	t0=$(now_us)
	systemctl stop "$(unit_of "$1")"
	wait_released "$1"
	ms_between "$t0" "$(now_us)"
}

@test "lifecycle: one instance has its overlay and one idmapped bind, one the overlay alone, the plain service none" {
	[ "$(mount_units_of "$INST" | wc -l)" -eq 2 ]
	[ "$(mount_units_of "$INST_OVERLAY_ONLY")" = "var-lib-left4me-runtime-$INST_OVERLAY_ONLY-merged.mount" ]
	systemctl start "left4me@$INST.service"
	findmnt -n -o FSTYPE "$(merged_of "$INST")" | grep -qx overlay
	systemctl stop "left4me@$INST.service"
	wait_unmounted_builtin "$INST"
	systemctl start "left4me@$INST_OVERLAY_ONLY.service"
	findmnt -n -o FSTYPE "$(merged_of "$INST_OVERLAY_ONLY")" | grep -qx overlay
	[ "$(mounts_of "$INST_OVERLAY_ONLY")" = "$(merged_of "$INST_OVERLAY_ONLY")" ]
	systemctl stop "left4me@$INST_OVERLAY_ONLY.service"
	wait_unmounted_builtin "$INST_OVERLAY_ONLY"
	systemctl start "standin-plain@$INST.service"
	[[ $(systemctl show -P RequiresMountsFor "standin-plain@$INST.service") != *"$STATE/runtime"* ]]
	no_mounts_of "$INST"
	systemctl stop "standin-plain@$INST.service"
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
	for kind in $KINDS; do
		for ((i = 0; i < BENCH_CYCLES; i++)); do
			t0=$(now_us)
			cycle "$kind"
			record lifecycle cycle "$kind" "$(ms_between "$t0" "$(now_us)")"
		done
	done
	no_mounts_of "$INST"
	no_mounts_of "$INST_OVERLAY_ONLY"
	[ -z "$(systemctl list-units --failed --plain --no-legend 'left4me*' 'standin-plain*' '*left4me*.mount')" ]
}
