# The "restart" row of bench/vm-rows (issue 20, row 4), from the samples of
# bench/vm/60-restart.bats in results/bench-restart.txt:
#   restart LIMIT KIND MS | ratelimit LIMIT KIND TIMES | burst LIMIT VALUE
# Sourced by bench/vm-rows, whose say, cell, why_missing, results, WORK and
# where it uses.
# shellcheck shell=bash
# shellcheck disable=SC2154 # results, where and WORK are bench/vm-rows's

# shellcheck source=bench/rows/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"

restart_row() {
	local f=$results/bench-restart.txt l k r mn mx v burst servers missed=""
	row_start Restart "$f" 60-restart || return 0
	servers=${BENCH_RESTART_COUNT:-20}
	say "$servers running servers restarted back to back (\`systemctl restart\` of each in turn, as an installation update does), from the first command to the last server active again (the greatest ActiveEnterTimestamp), beside $servers running plain services on fstab mounts (standin-fstab@.service, as in the reload row). An instance's overlay is PartOf= it: its restart unmounts and mounts it again (2 changes of the mount table) and reruns left4me-runtime@N; the sandbox user's idmapped view of overlays/ under every overlay is shared and stays mounted, as the fstab mounts (an idmapped bind and an overlay per server) do. Measured with PID 1's default mount rate limit, and again with the burst raised through system.conf and \`systemctl daemon-reexec\`. Rounds interleaved; ratios are the median of the per-round ratios (min–max). Milliseconds: median (min–max)."
	say ""
	say "| mount rate limit | left4me: $servers restarts ms | fstab: $servers restarts ms | rounds | instances/fstab | target ≤ 1.5 | per restart ms (left4me; fstab) | rate limit entered in one round (left4me; fstab) |"
	say "|---|---:|---:|---:|---:|---|---:|---:|"
	for l in default raised; do
		for k in instance fstab; do
			awk -v l="$l" -v k="$k" '$1 == "restart" && $2 == l && $3 == k { print $4 }' "$f" >"$WORK/rs.$l.$k"
		done
		[ -s "$WORK/rs.$l.instance" ] || [ -s "$WORK/rs.$l.fstab" ] || continue
		burst=$(awk -v l="$l" '$1 == "burst" && $2 == l { print $3 }' "$f" | tail -n 1)
		read -r r mn mx < <(paired_ratio "$WORK/rs.$l.instance" "$WORK/rs.$l.fstab" 1)
		v=$(verdict "$r" 1.5)
		[ "$v" != FAIL ] || missed+=" $l"
		say "| $l: burst ${burst:-?} in 1 s | $(cell "$WORK/rs.$l.instance" 1) | $(cell "$WORK/rs.$l.fstab" 1) | $(wc -l <"$WORK/rs.$l.instance") | **$r** ($mn–$mx) | $v | $(restart_per "$l" instance "$servers"); $(restart_per "$l" fstab "$servers") | $(restart_hits "$l" instance); $(restart_hits "$l" fstab) |"
	done
	say ""
	restart_knob "$servers"
	if [ -n "$missed" ]; then
		say ""
		restart_bounds "$missed" "$servers"
	fi
	say ""
}

restart_per() { # LIMIT KIND SERVERS: the median round per server, ms
	local m
	[ -s "$WORK/rs.$1.$2" ] || { printf -- '-'; return; }
	read -r m _ < <(stats "$WORK/rs.$1.$2" 1)
	awk -v m="$m" -v n="$3" 'BEGIN { printf "%.0f", m / n }'
}

restart_hits() { # LIMIT KIND: times the mount monitor entered its rate limit in the counted round
	local h
	h=$(awk -v l="$1" -v k="$2" '$1 == "ratelimit" && $2 == l && $3 == k { print $4 }' "$results/bench-restart.txt" | tail -n 1)
	printf '%s' "${h:--}"
}

median_of() { # FILE: the median of its first column, or -
	if [ -s "$1" ]; then stats "$1" 1 | cut -d' ' -f1; else echo -; fi
}

# restart_knob SERVERS: PID 1's mount rate limit and its knob, with the
# figures of this run.
restart_knob() {
	local d r
	d=$(median_of "$WORK/rs.default.instance")
	r=$(median_of "$WORK/rs.raised.instance")
	say "PID 1's mount rate limit: systemd 257 watches the mount table (libmount's monitor of /proc/self/mountinfo) from an sd-event source with a rate limit, set in mount_enumerate() (src/core/mount.c) to SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST rereads (default 5) in SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_INTERVAL_SEC (default 1 s), both read from PID 1's own environment when it starts. Over the burst, the source sleeps until the interval ends and PID 1 holds mount units' jobs (the mount subsystem is \"rate limited\"), so mounts and unmounts made in the meantime wait for the next interval. $1 instance restarts change the mount table $(( $1 * 2 )) times; the fstab servers' restarts not once. The knob: \`ManagerEnvironment=SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST=N\` in a system.conf.d drop-in, then \`systemctl daemon-reexec\` (a daemon-reload does not set the monitor up again), or SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST=N on the kernel command line. Measured here: the $1 instance restarts took $d ms with the default and $r ms with the burst raised; the counts of \"entered rate limit state\" (sd-event, PID 1 at log level debug, in one untimed round) are in the last column."
}

# restart_bounds LIMITS SERVERS: what bounds a missed target, from the
# per-restart figures of both settings: the default's excess over the
# raised burst is the rate limit's wait; the raised burst's over the plain
# server is what the instance's restart does besides.
restart_bounds() {
	local l d r f
	d=$(restart_per default instance "$2")
	r=$(restart_per raised instance "$2")
	f=$(restart_per raised fstab "$2")
	[ "$f" != - ] || f=$(restart_per default fstab "$2")
	for l in $1; do
		if [ "$l" = default ] && [ "$r" != - ] && [ "$d" != - ]; then
			say "Target missed with the default rate limit. What bounds it: the rate limit, $((d - r)) ms of each instance restart's $d ms (the default's per-restart time less the raised burst's), the wait for the next interval once the burst of 5 rereads is spent; the rest, $((r - f)) ms over the plain server's $f ms, is what PartOf= makes of a restart: the overlay's unmount, left4me-runtime@N (systemd-tmpfiles and left4me-quota) and its mount, each a process PID 1 forks and waits for. What would move it: the raised burst, shipped as a system.conf.d drop-in (in effect from the next boot or daemon-reexec), gives the raised row."
		else
			say "Target missed ($l rate limit). What bounds it: an instance's restart, $(restart_per "$l" instance "$2") ms, against the plain server's $(restart_per "$l" fstab "$2") ms, adds what PartOf= makes of it: the overlay's unmount, left4me-runtime@N (systemd-tmpfiles and left4me-quota) and its mount, each a process PID 1 forks and waits for. What would move it: a restart that keeps the mounts when the layers did not change, at the price of new layers taking effect at the next stop instead of the next restart."
		fi
	done
}
