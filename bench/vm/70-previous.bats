#!/usr/bin/env bats
# make bench, issue 20 row 3: one instance's start and stop-to-unmounted
# beside the previous implementation's approach (bench/vm/previous/): the
# same stand-in, the same three layers (one sandbox-owned, so one idmapped
# bind, then the overlay), with the mounts made by PID 1's generated mount
# units (ours) or by the previous Python helper run through nsenter from
# ExecStartPre= and ExecStopPost= (previous@N.service). The same pair once
# more with three layers of the server user (the overlay alone).
# Start: from the command to the unit's ActiveEnterTimestamp. Stop: from the
# command until it returned and every mount of the instance is gone from
# /proc/1/mountinfo. Each timed start and stop begins after a quiet second.
# Samples go to results/bench-previous.txt:
#   latency KIND START_MS STOP_MS    (KIND: ours | previous | ours-overlay-only | previous-overlay-only)
#   phase KIND LEAD_MS RUNTIME_MS MOUNTS_MS SERVICE_MS
# where a start's phases are: the command to the first unit's activation
# (LEAD), left4me-runtime@N from its start to active (RUNTIME, ours only),
# from there to the server's start job (MOUNTS: PID 1's mount units; ours
# only), and the server's start job to active (SERVICE: its ExecStartPre=
# steps, the previous helper among them, and the server's exec).
#   units KIND SOCKET_MS BIND_MS OVERLAY_MS REST_MS
# where SOCKET is the command to the console socket's activation; BIND and
# OVERLAY (ours) each mount unit from its start job to mounted ("-": none);
# REST (ours) the overlay mounted to the server's start job.
#   stopgap KIND MS                  (from stop's return to the last mount gone; 0 when none was left)
#   helper VERB MS                   (the previous helper run alone through nsenter, untimed runs apart)

load lib
load instances
load bench
load previous/previous

OURS=71
OURS_OVERLAY_ONLY=72
PREVIOUS=73
PREVIOUS_OVERLAY_ONLY=74
KINDS="ours previous ours-overlay-only previous-overlay-only"
SERVER_LAYERS="$STATE/overlays/974:$STATE/overlays/952:$STATE/overlays/955"

setup_file() {
	local kind
	record_guest
	bench_layers
	make_layer overlays/974 l4d2-server "bench layer 974 (the server user's)"
	bench_instance "$OURS"
	write_instance "$OURS_OVERLAY_ONLY" "L4D2_PORT=$((27000 + OURS_OVERLAY_ONLY))" "L4D2_LOWERDIRS=$SERVER_LAYERS"
	systemctl daemon-reload
	previous_template
	previous_instance "$PREVIOUS" "$BENCH_LAYERS"
	previous_instance "$PREVIOUS_OVERLAY_ONLY" "$SERVER_LAYERS"
	previous_budget "$PREVIOUS" "$OURS"
	previous_budget "$PREVIOUS_OVERLAY_ONLY" "$OURS_OVERLAY_ONLY"
	systemctl daemon-reload
	# As on a host where the servers have run before; warms the page cache.
	for kind in $KINDS; do
		start_or_say "$(unit_of "$kind")"
		systemctl stop "$(unit_of "$kind")"
		wait_unmounted_builtin "$(mounts_prefix_of "$kind")"
	done
}

# Where KIND's mounts are: ours' views are outside runtime/N/ (bench.bash).
mounts_prefix_of() {
	case $1 in
	ours*) started_prefix ;;
	*) runtime_prefix_of "$(instance_of "$1")" ;;
	esac
}

teardown_file() {
	forget_previous "$PREVIOUS" || true
	forget_previous "$PREVIOUS_OVERLAY_ONLY" || true
	forget_previous_template
	forget_instance "$OURS"
	forget_instance "$OURS_OVERLAY_ONLY"
	rm -rf "$STATE/overlays/974"
	systemctl daemon-reload
}

# start_or_say UNIT: starts it, or prints what it and the server wrote.
start_or_say() {
	systemctl start "$1" && return 0
	journalctl -u "$1" -n 20 --no-pager -q
	journalctl --namespace=left4me -u "$1" -n 20 --no-pager -q
	return 1
}

instance_of() {
	case $1 in
	ours) echo "$OURS" ;;
	ours-overlay-only) echo "$OURS_OVERLAY_ONLY" ;;
	previous) echo "$PREVIOUS" ;;
	previous-overlay-only) echo "$PREVIOUS_OVERLAY_ONLY" ;;
	esac
}

unit_of() {
	case $1 in
	ours*) echo "left4me@$(instance_of "$1").service" ;;
	previous*) echo "previous@$(instance_of "$1").service" ;;
	esac
}

# phases KIND T0_US: the start's phases (see the head of the file), in ms.
phases() {
	local n unit t0=$2 rt_in rt_up svc_in svc_up
	n=$(instance_of "$1")
	unit=$(unit_of "$1")
	svc_in=$(unit_us "$unit" InactiveExitTimestamp)
	svc_up=$(unit_us "$unit" ActiveEnterTimestamp)
	case $1 in
	ours*)
		rt_in=$(unit_us "left4me-runtime@$n.service" InactiveExitTimestamp)
		rt_up=$(unit_us "left4me-runtime@$n.service" ActiveEnterTimestamp)
		echo "$(ms_between "$t0" "$rt_in") $(ms_between "$rt_in" "$rt_up") $(ms_between "$rt_up" "$svc_in") $(ms_between "$svc_in" "$svc_up")"
		;;
	*) echo "$(ms_between "$t0" "$svc_in") - - $(ms_between "$svc_in" "$svc_up")" ;;
	esac
}

# units KIND T0_US: the console socket and, for ours, the mount units (see
# the head of the file), in ms.
units() {
	local n unit t0=$2 sock bind=- ovl=- rest=- m m_in m_up svc_in
	n=$(instance_of "$1")
	unit=$(unit_of "$1")
	case $1 in
	ours*) sock=$(unit_us "left4me-console@$n.socket" ActiveEnterTimestamp) ;;
	*) sock=$(unit_us "previous-console@$n.socket" ActiveEnterTimestamp) ;;
	esac
	if [[ $1 == ours* ]]; then
		svc_in=$(unit_us "$unit" InactiveExitTimestamp)
		for m in $(mount_units_of "$n"); do
			m_in=$(unit_us "$m" InactiveExitTimestamp)
			m_up=$(unit_us "$m" ActiveEnterTimestamp)
			if [[ $m == *-merged.mount ]]; then
				ovl=$(ms_between "$m_in" "$m_up")
				rest=$(ms_between "$m_up" "$svc_in")
			else
				bind=$(ms_between "$m_in" "$m_up")
			fi
		done
	fi
	echo "$(ms_between "$t0" "$sock") $bind $ovl $rest"
}

@test "previous: both kinds mount the same layers, the previous helper's idmapped bind maps the sandbox user to the server's, its stop leaves nothing mounted" {
	local kind n merged
	for kind in $KINDS; do
		n=$(instance_of "$kind")
		merged=$(merged_of "$n")
		start_or_say "$(unit_of "$kind")"
		is_active "$(unit_of "$kind")"
		vm_wait_for 60 listening "$(unit_of "$kind")"
		findmnt -n -o FSTYPE "$merged" | grep -qx overlay
		case $kind in
		*overlay-only) [ "$(mounts_of "$n")" = "$merged" ] ;;
		ours)
			[ "$(state_mounts | sort)" = "$(printf '%s\n' "$merged" "$(view_of l4d2-sandbox overlays)" | sort)" ]
			[ "$(cat "$merged/left4dead2/layer.txt")" = "bench layer 951 (sandbox-owned)" ]
			[ "$(stat -c %U "$merged/left4dead2/layer.txt")" = l4d2-server ]
			;;
		*)
			[ "$(mounts_of "$n" | wc -l)" -eq 2 ]
			[ "$(cat "$merged/left4dead2/layer.txt")" = "bench layer 951 (sandbox-owned)" ]
			[ "$(stat -c %U "$merged/left4dead2/layer.txt")" = l4d2-server ]
			;;
		esac
		systemctl stop "$(unit_of "$kind")"
		case $kind in
		previous*) no_mounts_of "$n" ;; # ExecStopPost= unmounted before stop returned
		*) wait_unmounted_builtin "$(started_prefix)" ;;
		esac
	done
	# the previous helper's bind, through nsenter as its unit runs it: the
	# sandbox-owned layer seen as the server user's
	nsenter --mount=/proc/1/ns/mnt -- "$PREVIOUS_HELPER" mount "$PREVIOUS"
	[ "$(stat -c %U "$STATE/runtime/$PREVIOUS/idmap/overlays_951/left4dead2/layer.txt")" = l4d2-server ]
	[ "$(stat -c %U "$STATE/overlays/951/left4dead2/layer.txt")" = l4d2-sandbox ]
	nsenter --mount=/proc/1/ns/mnt -- "$PREVIOUS_HELPER" mount "$PREVIOUS" # idempotent
	[ "$(mounts_of "$PREVIOUS" | wc -l)" -eq 2 ]
	nsenter --mount=/proc/1/ns/mnt -- "$PREVIOUS_HELPER" umount "$PREVIOUS"
	nsenter --mount=/proc/1/ns/mnt -- "$PREVIOUS_HELPER" umount "$PREVIOUS"
	no_mounts_of "$PREVIOUS"
}

@test "previous: start and stop-to-unmounted latency beside the previous helper, $BENCH_RUNS interleaved runs" {
	local r kind s t gap t0 unit
	for ((r = 0; r < BENCH_RUNS; r++)); do
		for kind in $KINDS; do
			unit=$(unit_of "$kind")
			quiet_second
			t0=$(now_us)
			systemctl start "$unit"
			s=$(ms_between "$t0" "$(unit_us "$unit" ActiveEnterTimestamp)")
			record previous phase "$kind" "$(phases "$kind" "$t0")"
			record previous units "$kind" "$(units "$kind" "$t0")"
			read -r t gap < <(timed_stop_ms "$unit" "$(mounts_prefix_of "$kind")" gap)
			record previous latency "$kind" "$s" "$t"
			[ -n "$gap" ]
			record previous stopgap "$kind" "$gap"
		done
	done
	for kind in $KINDS; do no_mounts_of "$(instance_of "$kind")"; done
	no_failed_units 'left4me*' 'previous*' '*left4me*.mount'
}

@test "previous: the previous helper alone, run through nsenter as its unit runs it" {
	local r verb t0
	for ((r = 0; r < 11; r++)); do
		for verb in mount umount; do
			quiet_second
			t0=$(now_us)
			nsenter --mount=/proc/1/ns/mnt -- "$PREVIOUS_HELPER" "$verb" "$PREVIOUS"
			record previous helper "$verb" "$(ms_between "$t0" "$(now_us)")"
		done
		t0=$(now_us)
		python3 -c pass
		record previous helper python3-c-pass "$(ms_between "$t0" "$(now_us)")"
	done
	no_mounts_of "$PREVIOUS"
}
