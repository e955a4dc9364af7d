#!/usr/bin/env bats
# systemd-analyze on the templates' instances and every generated unit, the
# exposure score, and the start/stop latency figures beside a plain service.

load lib
load instances

setup_file() {
	mkdir -p "$STATE/overlays/912"
	chown l4d2-sandbox:l4d2-sandbox "$STATE/overlays/912"
	write_instance 7 "L4D2_LOWERDIRS=$STATE/overlays/912:$STATE/installation" "L4D2_PORT=27007"
	systemctl daemon-reload
	# The same stand-in with no mounts and the same hardening, for comparison.
	rm -rf /var/lib/standin-plain
	cp -a "$STATE/installation" /var/lib/standin-plain
	chown -R left4me:left4me /var/lib/standin-plain
	sed -e '/^RequiresMountsFor=/d' -e '/^AssertPathIsMountPoint=/d' -e 's|%S/left4me/runtime/%i/merged|/var/lib/standin-plain|g' \
		-e 's/\${L4D2_PORT}/27099/' /usr/lib/systemd/system/left4me@.service >/etc/systemd/system/standin-plain.service
	systemctl daemon-reload
}

teardown_file() {
	forget_instance 7
	rm -rf "$STATE/overlays/912"
	rm -rf /etc/systemd/system/standin-plain.service /var/lib/standin-plain
	systemctl daemon-reload
}

@test "systemd-analyze verify: no warnings for the instances and every generated unit" {
	units=(left4me@7.service left4me-runtime@7.service left4me-reset@7.service left4me-delete@7.service left4me.slice)
	for f in /run/systemd/generator/*-left4me-runtime-*.mount; do units+=("${f##*/}"); done
	[ "${#units[@]}" -ge 7 ]
	# verify loads units itself: --generators=yes runs the generators for it;
	# the server runs, so its ExecStart= binary exists in merged; no man(1) here.
	systemctl start left4me@7.service
	run systemd-analyze verify --generators=yes --man=no -- "${units[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "systemd-analyze security left4me@7.service: print the exposure score" {
	systemctl start left4me@7.service
	run systemd-analyze security --no-pager left4me@7.service
	echo "$output" | tail -40 >&3
	score=$(sed -n 's/.*Overall exposure level for left4me@7.service: \([0-9.]*\).*/\1/p' <<<"$output")
	figure "systemd-analyze security left4me@7.service: $score"
	[ -n "$score" ]
	awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'
}

# median of the numbers on stdin
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

measure_start() { # UNIT: ms from `systemctl start` to active
	local t0
	t0=$(now_ms)
	systemctl start "$1"
	is_active "$1"
	echo $(($(now_ms) - t0))
}

measure_stop() { # UNIT INSTANCE: ms from `systemctl stop` to inactive and unmounted
	local t0
	t0=$(now_ms)
	systemctl stop "$1"
	[ -z "$2" ] || wait_unmounted "$2"
	echo $(($(now_ms) - t0))
}

@test "latency: start and stop-to-unmounted of an instance beside a plain service" {
	local i a b c d
	: >"$BATS_FILE_TMPDIR/inst-start"
	for i in $(seq 1 11); do
		measure_start left4me@7.service >>"$BATS_FILE_TMPDIR/inst-start"
		measure_stop left4me@7.service 7 >>"$BATS_FILE_TMPDIR/inst-stop"
		measure_start standin-plain.service >>"$BATS_FILE_TMPDIR/plain-start"
		measure_stop standin-plain.service "" >>"$BATS_FILE_TMPDIR/plain-stop"
	done
	a=$(median <"$BATS_FILE_TMPDIR/inst-start")
	b=$(median <"$BATS_FILE_TMPDIR/plain-start")
	c=$(median <"$BATS_FILE_TMPDIR/inst-stop")
	d=$(median <"$BATS_FILE_TMPDIR/plain-stop")
	figure "start latency (median of 11, TCG): instance ${a} ms, plain service ${b} ms"
	figure "stop-to-unmounted latency (median of 11, TCG): instance ${c} ms, plain service ${d} ms"
	[ "$a" -gt 0 ]
	[ "$b" -gt 0 ]
}
