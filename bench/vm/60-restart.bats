#!/usr/bin/env bats
# make bench, row "restart": BENCH_RESTART_COUNT (20) running servers
# restarted back to back, `systemctl restart` of each in turn as an
# installation update does, from the first command to the last server active
# again (the greatest ActiveEnterTimestamp), beside as many plain services on
# fstab mounts (standin-fstab@, fstab.bash: an idmapped bind and an overlay
# each). An instance's overlay is PartOf= it, so its restart unmounts and
# mounts it again and reruns its runtime unit; the idmapped view of overlays/
# under it is shared by all and stays mounted, as the fstab mounts do.
#
# PID 1 rereads /proc/self/mountinfo on every change of the mount table, at
# most SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST times (default 5) in
# SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_INTERVAL_SEC (default 1 s), an sd-event
# rate limit on its mount monitor (src/core/mount.c, mount_enumerate()); over
# it, the monitor sleeps until the interval ends and mount jobs wait. Both
# are read from PID 1's environment when it starts, which ManagerEnvironment=
# of system.conf sets, so the rows run once with the default and once with
# the burst raised to BENCH_RESTART_BURST (1000) and a daemon-reexec. An
# untimed round of each at log level debug counts how often the monitor
# entered its rate limit (sd-event's "entered rate limit state").
# Samples go to results/bench-restart.txt:
#   restart LIMIT KIND MS          (LIMIT: default | raised; KIND: instance | fstab)
#   ratelimit LIMIT KIND TIMES     (the untimed round)
#   burst LIMIT VALUE              (the burst of each setting)

load lib
load instances
load bench
load fstab

FIRST=2001
COUNT=${BENCH_RESTART_COUNT:-20}
BENCH_RESTART_RUNS=${BENCH_RESTART_RUNS:-5}
RAISED=${BENCH_RESTART_BURST:-1000}
RATE_CONF=/etc/systemd/system.conf.d/90-bench-mount-rate-limit.conf

units() { # KIND [PREFIX]: the servers of KIND (instance: with their runtime units for PREFIX=all)
	local m
	for ((m = FIRST; m < FIRST + COUNT; m++)); do
		case $1 in
		instance)
			echo "left4me@$m.service"
			[ "${2:-}" != all ] || echo "left4me-runtime@$m.service"
			;;
		fstab) echo "standin-fstab@$m.service" ;;
		esac
	done
}

fstab_mount_units() {
	local m
	for ((m = FIRST; m < FIRST + COUNT; m++)); do
		systemd-escape --path --suffix=mount "$FSTAB_DIR/$m/merged"
		systemd-escape --path --suffix=mount "$FSTAB_DIR/$m/idmap/951"
	done
}

all_active() { # KIND
	local u
	for u in $(units "$1"); do is_active "$u" || return 1; done
}

# restart_all KIND: restarts KIND's servers one after the other; prints the
# ms from the first command to the last server's ActiveEnterTimestamp.
restart_all() {
	local u t0 end=0 t
	mapfile -t us < <(units "$1")
	# Counters of the start limits (StartLimitBurst=5 in 60 s) of the
	# servers and runtime units, not part of what is measured.
	mapfile -t all < <(units "$1" all)
	systemctl reset-failed "${all[@]}"
	sleep 2 # PID 1's mount rate limit interval passes, whatever ran before
	t0=$(now_us)
	for u in "${us[@]}"; do systemctl restart "$u"; done
	for u in "${us[@]}"; do
		t=$(unit_us "$u" ActiveEnterTimestamp)
		((t > end)) || continue
		end=$t
	done
	all_active "$1"
	ms_between "$t0" "$end"
}

# rate_limit_hits KIND: an untimed round at log level debug; prints how
# often PID 1's mount monitor entered its rate limit during it.
rate_limit_hits() {
	local level since
	level=$(systemd-analyze log-level)
	since=$(date +%s.%N)
	systemd-analyze log-level debug
	restart_all "$1" >/dev/null
	systemd-analyze log-level "$level"
	journalctl --sync
	journalctl -q -o cat _PID=1 --since "@$since" | grep -c 'mount-monitor-dispatch) entered rate limit' || true
}

rounds() { # LIMIT: BENCH_RESTART_RUNS interleaved rounds of both kinds, and the counted round
	local r k
	for ((r = 0; r < BENCH_RESTART_RUNS; r++)); do
		for k in $( ((r % 2)) && echo fstab instance || echo instance fstab); do
			record restart restart "$1" "$k" "$(restart_all "$k")"
		done
	done
	for k in instance fstab; do record restart ratelimit "$1" "$k" "$(rate_limit_hits "$k")"; done
}

setup_file() {
	local m
	record_guest
	bench_layers
	rm -f "$RATE_CONF"
	systemctl daemon-reload
	fstab_template
	for ((m = FIRST; m < FIRST + COUNT; m++)); do bench_instance "$m"; done
	fstab_configure "$FIRST" "$COUNT"
	systemctl daemon-reload
	mapfile -t us < <(units instance; units fstab)
	systemctl start "${us[@]}"
}

teardown_file() {
	local m
	rm -f "$RATE_CONF"
	systemctl daemon-reexec
	wait_manager
	mapfile -t us < <(units fstab)
	systemctl stop "${us[@]}" || true
	mapfile -t us < <(fstab_mount_units)
	systemctl stop "${us[@]}" || true
	for ((m = FIRST; m < FIRST + COUNT; m++)); do forget_instance "$m"; done
	fstab_forget
	systemctl daemon-reload
}

@test "restart: $COUNT instances and $COUNT plain servers on fstab mounts run, each from its idmapped overlay" {
	local u
	all_active instance
	all_active fstab
	for u in $(units instance) $(units fstab); do vm_wait_for 60 listening "$u"; done
	# ours: the overlay, on the sandbox user's view of overlays/ that all share; theirs: two each
	[ "$(mounts_of "$FIRST")" = "$(merged_of "$FIRST")" ]
	mountpoint -q "$(view_of l4d2-sandbox overlays)"
	[ "$(fstab_mounts_of "$FIRST" | wc -l)" -eq 2 ]
	[ "$(findmnt -n -o FSTYPE "$FSTAB_DIR/$FIRST/merged")" = overlay ]
	[ "$(stat -c %U "$FSTAB_DIR/$FIRST/merged/left4dead2/layer.txt")" = l4d2-server ]
}

@test "restart: $COUNT servers back to back, default mount rate limit, $BENCH_RESTART_RUNS interleaved rounds" {
	record restart burst default 5
	rounds default
}

@test "restart: the same with ManagerEnvironment=SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST=$RAISED and daemon-reexec" {
	mkdir -p "${RATE_CONF%/*}"
	printf '[Manager]\nManagerEnvironment=SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST=%s\n' "$RAISED" >"$RATE_CONF"
	systemctl daemon-reexec
	wait_manager
	all_active instance
	all_active fstab
	record restart burst raised "$RAISED"
	rounds raised
	local hits
	hits=$(awk '$1 == "ratelimit" && $2 == "raised" && $3 == "instance" { print $4 }' "$VM_STATE/results/bench-restart.txt" | tail -n 1)
	echo "# rate limit entered $hits times in the raised round" >&3
}
