#!/usr/bin/env bats
# systemd-analyze on the templates' instances and every generated unit, the
# exposure score. (Latencies are measured by make bench: bench/vm/.)

load lib
load instances

setup_file() {
	mkdir -p "$STATE/overlays/912"
	chown l4d2-sandbox:l4d2-sandbox "$STATE/overlays/912"
	write_instance 7 "L4D2_LOWERDIRS=$STATE/overlays/912:$STATE/installation" "L4D2_PORT=27007"
	systemctl daemon-reload
}

teardown_file() {
	forget_instance 7
	rm -rf "$STATE/overlays/912"
	systemctl daemon-reload
}

@test "systemd-analyze verify: no warnings for the instances and every generated unit" {
	units=(left4me@7.service left4me-runtime@7.service left4me-reset@7.service left4me-delete@7.service left4me.slice system-left4me.slice
		left4me-start@7.service left4me-stop@7.service left4me-restart@7.service left4me-reload.service
		left4me-trash.service left4me-trash.path)
	for f in /run/systemd/generator/*-left4me-runtime-*.mount; do units+=("${f##*/}"); done
	[ "${#units[@]}" -ge 13 ]
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
	# what costs exposure, and the verdict
	grep -E '✗|Overall exposure' <<<"$output" >&3 || true
	score=$(sed -n 's/.*Overall exposure level for left4me@7.service: \([0-9.]*\).*/\1/p' <<<"$output")
	figure "systemd-analyze security left4me@7.service: $score"
	[ -n "$score" ]
	awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }'
}
