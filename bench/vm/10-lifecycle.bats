#!/usr/bin/env bats
# make bench, row 2: start latency and stop-to-unmounted latency of an
# instance with three layers (one idmapped) beside a plain service running
# the same stand-in without mounts, and 100 start/stop cycles of each.
# Start: from the command to the unit's ActiveEnterTimestamp. Stop: from the
# command to the mounts gone, polled every 10 ms. Samples go to
# results/bench-lifecycle.txt:
#   latency KIND START_MS STOP_MS       (KIND: instance | plain)
#   cycle KIND MS                       (one start/stop-to-unmounted cycle)

load lib
load instances
load bench

INST=51

setup_file() {
	record_guest
	bench_layers
	bench_instance "$INST"
	bench_plain_template
	bench_plain "$INST"
	systemctl daemon-reload
	# The instance's runtime unit stays active once it ran (RemainAfterExit),
	# as on a host where the server has run before; the first cycle also
	# warms the page cache for both.
	cycle instance
	cycle plain
}

teardown_file() {
	systemctl stop "standin-plain@$INST.service" || true
	forget_instance "$INST"
	rm -f "/etc/standin-plain/$INST.env"
	systemctl daemon-reload
}

unit_of() { # KIND
	case $1 in
	instance) echo "left4me@$INST.service" ;;
	plain) echo "standin-plain@$INST.service" ;;
	esac
}

cycle() { # KIND: start, stop, wait until unmounted
	systemctl start "$(unit_of "$1")"
	systemctl stop "$(unit_of "$1")"
	[ "$1" = plain ] || wait_unmounted_builtin "$INST"
}

# start KIND: ms from `systemctl start` to the unit's ActiveEnterTimestamp.
start_ms() {
	local unit t0
	unit=$(unit_of "$1")
	t0=$(now_us)
	systemctl start "$unit"
	ms_between "$t0" "$(unit_us "$unit" ActiveEnterTimestamp)"
}

# stop KIND: ms from `systemctl stop` to the service inactive and, for the
# instance, its last mount gone (they go after stop returns). PID 1 forgets
# a stopped unit's timestamps when it unloads it, so the end is polled.
stop_ms() {
	local t0
	t0=$(now_us)
	systemctl stop "$(unit_of "$1")"
	[ "$1" = plain ] || wait_unmounted_builtin "$INST"
	ms_between "$t0" "$(now_us)"
}

@test "lifecycle: the instance has its overlay and one idmapped bind, the plain service none" {
	[ "$(mount_units_of "$INST" | wc -l)" -eq 2 ]
	systemctl start "left4me@$INST.service"
	findmnt -n -o FSTYPE "$(merged_of "$INST")" | grep -qx overlay
	systemctl stop "left4me@$INST.service"
	wait_unmounted_builtin "$INST"
	systemctl start "standin-plain@$INST.service"
	[[ $(systemctl show -P RequiresMountsFor "standin-plain@$INST.service") != *"$STATE/runtime"* ]]
	no_mounts_of "$INST"
	systemctl stop "standin-plain@$INST.service"
}

@test "lifecycle: start and stop-to-unmounted latency, $BENCH_RUNS interleaved runs" {
	local r kind s t
	for ((r = 0; r < BENCH_RUNS; r++)); do
		for kind in instance plain; do
			s=$(start_ms "$kind")
			t=$(stop_ms "$kind")
			record lifecycle latency "$kind" "$s" "$t"
		done
	done
	no_mounts_of "$INST"
}

@test "lifecycle: $BENCH_CYCLES start/stop cycles of each" {
	local i kind t0
	for kind in instance plain; do
		for ((i = 0; i < BENCH_CYCLES; i++)); do
			t0=$(now_us)
			cycle "$kind"
			record lifecycle cycle "$kind" "$(ms_between "$t0" "$(now_us)")"
		done
	done
	no_mounts_of "$INST"
	[ -z "$(systemctl list-units --failed --plain --no-legend 'left4me*' 'standin-plain*' '*left4me*.mount')" ]
}
