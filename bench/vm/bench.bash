# Helpers for the benchmark suites run in the VM (bench/vm/*.bats), loaded
# after the test suites' lib and instances. Raw samples go to
# results/bench-<row>.txt, one line each; bench/vm-rows reads them on the host.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the settings are used by the suites

# Settings written by bench/vm-rows next to the suites (defaults for a
# hand-started run).
BENCH_RUNS=11
BENCH_CYCLES=100
BENCH_BOOT_RUNS=3
BENCH_BOOT_COUNTS="1 20"
BENCH_RESET_RUNS=3
# shellcheck source=/dev/null
[ ! -f "$VM_TESTS/bench.env" ] || . "$VM_TESTS/bench.env"

# The three layers of every benchmark instance, topmost first: one
# sandbox-owned (read through the sandbox user's idmapped view of overlays/,
# one mount for every instance), one the server user's, and a copy of the
# installation that is the server user's too (the installation itself is the
# web app's, which would add the web app user's view of installation/).
BENCH_LAYERS="$STATE/overlays/951:$STATE/overlays/952:$STATE/overlays/955"
BENCH_PLAIN_DIR=/var/lib/standin-plain
BENCH_FLOOR_DIR=/var/lib/standin-floor
BENCH_SANDBOX_ID=953

record() { # ROW FIELD...: one sample line
	mkdir -p "$VM_STATE/results"
	echo "${*:2}" >>"$VM_STATE/results/bench-$1.txt"
}

record_guest() { # what the report's VM line names
	mkdir -p "$VM_STATE/results"
	{
		systemctl --version | head -n 1
		echo "kernel $(uname -r)"
	} >"$VM_STATE/results/bench-guest.txt"
}

now_us() { echo "${EPOCHREALTIME/./}"; }

# unit_us UNIT PROPERTY: a unit timestamp (ActiveEnterTimestamp, ...) in
# microseconds of CLOCK_REALTIME, the clock of now_us.
unit_us() {
	local v
	v=$(systemctl show --timestamp=us+utc -P "$2" "$1")
	[ -n "$v" ] || return 1
	date -u -d "${v#* }" +%s%6N
}

ms_between() { # FROM_US TO_US
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }'
}

# bench_layers: the layers of BENCH_LAYERS with a marker file each.
bench_layers() {
	make_layer overlays/951 l4d2-sandbox "bench layer 951 (sandbox-owned)"
	make_layer overlays/952 l4d2-server "bench layer 952 (the server user's)"
	rm -rf "$STATE/overlays/955"
	cp -a "$STATE/installation" "$STATE/overlays/955"
	chown -R l4d2-server:l4d2-server "$STATE/overlays/955"
}

bench_instance() { # N [LINE...]: an instance on the three bench layers
	write_instance "$1" "L4D2_LOWERDIRS=$BENCH_LAYERS" "L4D2_PORT=$((27000 + $1))" "${@:2}"
}

# The comparison: standin-plain@N.service runs the same stand-in from a copy
# of the installation, with left4me@.service's settings and hardening and
# without any mount; its port comes from /etc/standin-plain/N.env. The copy
# is bound writable, as the generator binds an instance's merged directory
# (ProtectSystem=strict makes the rest read-only: without it the stand-in
# failed at once, "mkdir left4dead2/logs: Read-only file system").
bench_plain_template() {
	rm -rf "$BENCH_PLAIN_DIR"
	cp -a "$STATE/installation" "$BENCH_PLAIN_DIR"
	chown -R l4d2-server:l4d2-server "$BENCH_PLAIN_DIR"
	mkdir -p /etc/standin-plain
	sed -e '/^RequiresMountsFor=/d' -e '/^AssertPathIsMountPoint=/d' \
		-e "s|%S/left4me/runtime/%i/merged|$BENCH_PLAIN_DIR|g" \
		-e "s|^WorkingDirectory=.*|&\nBindPaths=$BENCH_PLAIN_DIR|" \
		-e 's|^Environment=L4D2_PORT=.*|EnvironmentFile=/etc/standin-plain/%i.env|' \
		-e 's|^SocketBindDeny=any|&\nSocketBindAllow=31000-31999|' \
		-e 's|^Description=.*|Description=stand-in server %i without mounts (benchmark comparison)|' \
		-e 's|left4me-console@%i\.socket|standin-plain-console@%i.socket|g' \
		/usr/lib/systemd/system/left4me@.service >/etc/systemd/system/standin-plain@.service
	bench_console_socket standin-plain
}

# bench_console_socket NAME: NAME-console@.socket, left4me-console@.socket
# with the generator's drop-ins, bound to NAME@%i.service and listening in
# /run/NAME/console: left4me-console@N.socket is bound to left4me@N, and a
# start of another service through it is cancelled.
bench_console_socket() {
	local etc=/etc/systemd/system gen=/run/systemd/generator/left4me-console@.socket.d
	sed -e "s|left4me@%i\.service|$1@%i.service|g" -e "s|/run/left4me/console/|/run/$1/console/|" \
		-e "s|^Description=Console of|& $1,|" \
		/usr/lib/systemd/system/left4me-console@.socket >"$etc/$1-console@.socket"
	rm -rf "$etc/$1-console@.socket.d"
	if [ -d "$gen" ]; then
		mkdir -p "$etc/$1-console@.socket.d"
		cp "$gen"/*.conf "$etc/$1-console@.socket.d/"
	fi
}

forget_bench_console_socket() { # NAME
	rm -rf "/etc/systemd/system/$1-console@.socket" "/etc/systemd/system/$1-console@.socket.d"
}

# listening UNIT: the stand-in of UNIT's current run is up, its ports bound
# (every kind logs to the namespace left4me): a comparison that measures a
# server dying at its start measures nothing.
listening() {
	journalctl --namespace=left4me -u "$1" -q -o cat \
		_SYSTEMD_INVOCATION_ID="$(systemctl show -P InvocationID "$1")" |
		grep -qF "standin: listening udp"
}

bench_plain() { # N
	printf 'L4D2_PORT=%d\nL4D2_CLIENT_PORT=%d\nL4D2_TV_PORT=%d\nL4D2_STEAM_PORT=%d\n' \
		$((31000 + $1)) $((31200 + $1)) $((31400 + $1)) $((31600 + $1)) >"/etc/standin-plain/$1.env"
}

# The floor: standin-plain@N.service with one tmpfs mount unit, required and
# ordered by RequiresMountsFor= and stopped with the service as the
# generator's mounts are (StopWhenUnneeded=, PartOf=). Whatever PID 1 does to
# unmount after a stop, this pays too.
bench_floor_mount() { # N
	local where=$BENCH_FLOOR_DIR/$1 unit
	unit=$(systemd-escape --path --suffix=mount "$where")
	mkdir -p "$where" "/etc/systemd/system/standin-plain@$1.service.d"
	cat >"/etc/systemd/system/$unit" <<-EOF
		[Unit]
		Description=benchmark floor: one tmpfs mount of standin-plain@$1
		DefaultDependencies=no
		Conflicts=umount.target
		Before=umount.target
		After=local-fs.target
		StopWhenUnneeded=yes
		PartOf=standin-plain@$1.service

		[Mount]
		What=tmpfs
		Where=$where
		Type=tmpfs
		Options=mode=0755,size=1M
	EOF
	printf '[Unit]\nRequiresMountsFor=%s\n' "$where" >"/etc/systemd/system/standin-plain@$1.service.d/floor.conf"
}

forget_bench_floor_mount() { # N
	rm -rf "/etc/systemd/system/$(systemd-escape --path --suffix=mount "$BENCH_FLOOR_DIR/$1")" \
		"/etc/systemd/system/standin-plain@$1.service.d" "${BENCH_FLOOR_DIR:?}/$1"
}

# Mount units of instance N (the generator's files).
mount_units_of() { # N: instance N's generated mount units, the overlay and the views it requires
	local f
	for f in /run/systemd/generator/*-left4me-runtime-"$1"-*.mount; do
		[ -e "$f" ] || continue
		echo "${f##*/}"
		sed -n 's/^Requires=\(.*-runtime-idmap-.*\.mount\)$/\1/p' "$f"
	done
}

# Whether PID 1 still has a mount point starting with PREFIX, with builtins
# only: under TCG every exec costs tens of milliseconds, which polling would add.
has_mounts_builtin() {
	local _a _b _c _d mp _rest
	while read -r _a _b _c _d mp _rest; do
		[[ $mp == "$1"* ]] && return 0
	done </proc/1/mountinfo
	return 1
}

# Sleeps SECONDS (fractional) without an exec.
nap() {
	[ -n "${BENCH_NAP_FD:-}" ] || exec {BENCH_NAP_FD}<> <(:)
	read -r -t "$1" -u "$BENCH_NAP_FD" _ || true
}

runtime_prefix_of() { echo "$STATE/runtime/$1/"; } # N: instance N's mount points
# What an instance's start mounts when it runs alone: its overlay below
# runtime/N/ and the lower roots' idmapped views below runtime/idmap/, which
# it is then the only user of (PID 1 unmounts them after its stop).
started_prefix() { echo "$STATE/runtime/"; }

wait_unmounted_builtin() { # PREFIX: polls every 10 ms, up to 120 s
	local i
	for ((i = 0; i < 12000; i++)); do
		has_mounts_builtin "$1" || return 0
		nap 0.01
	done
	return 1
}

# PID 1 rereads the mount table at most 5 times a second (an sd-event rate
# limit on its mountinfo monitor, SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST)
# and holds mount and unmount jobs while over it. One start or stop alone
# stays far under it; back to back, the previous run's mounts and unmounts
# would hold this one's (10-lifecycle's back-to-back cycles show it).
quiet_second() { sleep 1.1; }

# timed_start_ms UNIT: ms from `systemctl start` to the unit's
# ActiveEnterTimestamp, after a quiet second.
timed_start_ms() {
	local unit=$1 t0 t1
	clear_start_limit "$unit"
	quiet_second
	t0=${EPOCHREALTIME/./}
	systemctl start "$unit"
	t1=$(unit_us "$unit" ActiveEnterTimestamp)
	# an older timestamp is not this start's: refuse it, never record it
	((t1 >= t0)) || { echo "$unit: ActiveEnterTimestamp before the start" >&2; return 1; }
	ms_between "$t0" "$t1"
}

# clear_start_limit UNIT: as left4me-start@ does, so that runs back to back
# do not meet the servers' crash-loop limit (5 starts in 60 s).
clear_start_limit() { systemctl reset-failed "$1" 2>/dev/null || true; }

# timed_stop_ms UNIT [PREFIX [gap]]: ms from `systemctl stop` until the command
# returned (the service is inactive) and, with a PREFIX of mount points, the
# last of them is gone from /proc/1/mountinfo (a generated mount goes after
# stop returns), as bench/unmounted sees it on the kernel's mount-table
# events. The watcher is started and ready before the clock starts. No fork
# inside the timed span but systemctl's.
# With "gap", also the ms from the command's return to the last mount gone.
timed_stop_ms() {
	local prefix=${2:-} t0 end returned gone fd
	quiet_second
	if [ -n "$prefix" ]; then
		exec {fd}< <(exec "$VM_TESTS/unmounted" /proc/1/mountinfo "$prefix")
		read -r _ <&"$fd"
	fi
	t0=${EPOCHREALTIME/./}
	systemctl stop "$1"
	end=${EPOCHREALTIME/./}
	returned=$end
	if [ -n "$prefix" ]; then
		read -r gone <&"$fd" || true
		exec {fd}<&-
		[ -n "$gone" ] || { echo "bench/unmounted saw $prefix stay mounted" >&2; return 1; }
		((gone < end)) || end=$gone
	fi
	if [ "${3:-}" = gap ]; then
		echo "$(ms_between "$t0" "$end") $(ms_between "$returned" "$end")"
	else
		ms_between "$t0" "$end"
	fi
}
