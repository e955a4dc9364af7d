#!/usr/bin/env bats
# make bench's parts that run without the VM: the statistics, bench/firstbyte
# and bench/unmounted, row 1 at a small size, and rows 2-4 rendered from known samples or refused.

bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
TOOLS=$TOP/build/bench

setup() {
	# shellcheck source=bench/stats.bash
	. "$TOP/bench/stats.bash"
	T=$(mktemp -d)
}
teardown() {
	! mountpoint -q "$T/m/a" 2>/dev/null || umount "$T/m/a" || false
	rm -rf -- "$T"
}

@test "stats: median, min and max of a column, fractional values sorted as numbers" {
	printf '10 a\n9.5 b\n100 c\n' >"$T/s"
	[ "$(stats "$T/s" 1)" = "10 9.5 100 9.5 100" ]
	printf '4\n1\n3\n2\n' >"$T/e"
	read -r m mn mx _ < <(stats "$T/e" 1)
	[ "$m" = 2.5 ] && [ "$mn" = 1 ] && [ "$mx" = 4 ]
}

@test "paired_ratio: line by line, median with spread; no pair gives dashes" {
	printf '2\n9\n4\n' >"$T/a"
	printf '1\n3\n4\n' >"$T/b"
	[ "$(paired_ratio "$T/a" "$T/b" 1)" = "2.00 1.00 3.00" ]
	: >"$T/none"
	[ "$(paired_ratio "$T/a" "$T/none" 1)" = "- - -" ]
}

@test "verdict: at or under the limit passes, over fails, no number is n/a" {
	[ "$(verdict 1.5 1.5)" = PASS ]
	[ "$(verdict 1.51 1.5)" = FAIL ]
	[ "$(verdict - 1.0)" = n/a ]
}

@test "firstbyte: time to the first output byte, then to exit, and the exit status" {
	read -r first wall status < <("$TOOLS/firstbyte" sh -c 'sleep 0.2; echo x; sleep 0.3; exit 3')
	[ "$status" -eq 3 ]
	# Lower bounds the sleeps guarantee, however late a loaded host runs the
	# reader (the gap between the two times is not one of them).
	[ "$first" -ge 200000000 ]
	[ "$wall" -ge 500000000 ] && [ "$wall" -ge "$first" ]
	read -r first wall status < <("$TOOLS/firstbyte" true)
	[ "$first" -eq -1 ] && [ "$status" -eq 0 ]
	read -r first wall status < <("$TOOLS/firstbyte" sh -c 'kill -TERM $$')
	[ "$status" -eq 143 ]
}

@test "firstbyte: a command that cannot run exits 127" {
	read -r first wall status < <("$TOOLS/firstbyte" /nonexistent/cmd 2>/dev/null)
	[ "$status" -eq 127 ] && [ "$first" -eq -1 ]
}

@test "unmounted: ready at once, then the time the last mount under the prefix went" {
	[ "$(id -u)" = 0 ] || skip "needs root (mounts a tmpfs)"
	local fd ready t0 gone
	mkdir -p "$T/m/a"
	mount -t tmpfs -o size=1M tmpfs "$T/m/a"
	exec {fd}< <(exec "$TOOLS/unmounted" /proc/self/mountinfo "$T/m/")
	read -r ready <&"$fd"
	[ "$ready" = ready ]
	sleep 0.3 # still mounted: no time yet
	if read -r -t 0.1 gone <&"$fd"; then echo "a time while still mounted: $gone"; false; fi
	t0=${EPOCHREALTIME/./}
	umount "$T/m/a"
	read -r -t 10 gone <&"$fd"
	exec {fd}<&-
	((gone >= t0 && gone < t0 + 5000000))
	# nothing mounted there: the time at once
	run "$TOOLS/unmounted" /proc/self/mountinfo "$T/m/"
	[ "$status" -eq 0 ] && [ "${lines[0]}" = ready ] && [[ ${lines[1]} =~ ^[0-9]{16}$ ]]
}

@test "unmounted: a mount table it cannot read is an error" {
	run "$TOOLS/unmounted" /nonexistent/mountinfo /x/
	[ "$status" -eq 2 ] && [[ $output == *"/nonexistent/mountinfo"* ]]
}

@test "make bench row 1 at 10 instances: one row per program, ratios against systemd-fstab-generator" {
	[ "$(id -u)" = 0 ] || skip "needs root (chowns the fake layers)"
	run env BENCH_ROWS=generator BENCH_SIZES=10 BENCH_RUNS=2 GENERATOR="$TOP/build/left4me-generator" \
		BENCH_TOOLS="$TOOLS" "$TOP/bench/run"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"| 10 | left4me-generator | 2 |"* ]]
	[[ $output == *"| 10 | floor | 2 |"* ]]
	[[ $output == *"| 10 | atomic floor | 2 |"* ]]
	if [ -x /usr/lib/systemd/system-generators/systemd-fstab-generator ] ||
		[ -x /lib/systemd/system-generators/systemd-fstab-generator ]; then
		[[ $output == *"| 10 | systemd-fstab-generator | 2 |"* ]]
	fi
	# 10 instances, 5 autostart: 10 env copies, 10 instance drop-ins (ports),
	# 10 overlay mounts, 5 wants links; once: the sandbox user's idmapped view of overlays/,
	# 9 drop-ins (7 templates, 2 slices), the journal settings and the trash path unit's wants link
	[[ $output == *"| 10 | left4me-generator | 2 | "*" | 47 | "* ]]
	# issue 20's target beside issue 5's (measured at 1,000 only), and the plot or why there is none
	[[ $output == *"≤ 1.0 (issue 5) and ≤ 0.5 (issue 20) at 1,000 instances: not measured"* ]]
	[[ $output == *"![Generator: wall time against instances"*"-generator.png)"* || $output == *"(no plot: "* ]]
}

samples() { # the samples of a VM run with known ratios
	mkdir -p "$T/res"
	printf 'systemd 257 (257.13-1~deb13u1)\nkernel 6.12.0\n' >"$T/res/bench-guest.txt"
	{
		for r in 1 2 3; do
			echo "latency instance 300 500"
			echo "latency overlay-only 140 $((100 + r * 20))"
			echo "latency one-mount 105 180"
			echo "latency plain 100 100"
		done
		for c in 1 2; do echo "cycle instance 800"; echo "cycle overlay-only 500"; echo "cycle plain 400"; done
	} >"$T/res/bench-lifecycle.txt"
	{
		for r in 1 2 3; do
			echo "empty sandbox - 90"
			echo "empty systemd-run - 100"
			echo "empty sandbox-sudo - 150"
			echo "echo sandbox 80 95"
			echo "echo systemd-run 100 100"
			echo "echo sandbox-sudo 120 140"
		done
	} >"$T/res/bench-sandbox.txt"
	{
		echo "instance 1 1100 2000 500"
		echo "plain 1 1000 1900 500"
	} >"$T/res/bench-boot.txt"
	{
		for r in 1 2; do
			echo "0 reset 200"; echo "0 removed 300"; echo "0 rm-rf 10"
			echo "100000 reset 250"; echo "100000 removed 9000"; echo "100000 rm-rf $((4000 + r * 1000))"
		done
	} >"$T/res/bench-reset.txt"
}

container_samples() { # the same rows from the container, with other ratios
	mkdir -p "$T/res/container"
	printf 'systemd 257 (257.13-1~deb13u1)\nkernel 6.18.0\n' >"$T/res/container/bench-guest.txt"
	{
		for r in 1 2 3; do
			echo "latency instance 120 130"
			echo "latency overlay-only 110 120"
			echo "latency plain 100 100"
		done
		echo "cycle instance 300"
		echo "cycle overlay-only 250"
		echo "cycle plain 200"
	} >"$T/res/container/bench-lifecycle.txt"
	{
		for r in 1 2 3; do
			echo "empty sandbox - 110"
			echo "empty systemd-run - 100"
			echo "echo sandbox 120 130"
			echo "echo systemd-run 100 100"
		done
	} >"$T/res/container/bench-sandbox.txt"
}

@test "rows 2-4 from known samples: ratios and verdicts against the issue's targets" {
	samples
	run env BENCH_VM_SAMPLES="$T/res" BENCH_BOOT_RUNS=1 BENCH_BOOT_COUNTS="1 20" "$TOP/bench/vm-rows"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"systemd 257 (257.13-1~deb13u1), kernel 6.12.0"* ]]
	[[ $output == *"to active | 300 (300–300) | 140 (140–140) | 105 (105–105) | 100 (100–100) | 3 | **3.00** (3.00–3.00) | **1.40** (1.40–1.40) | 1.05 (1.05–1.05) | FAIL; PASS |"* ]]
	[[ $output == *"every mount gone | 500 (500–500) | 140 (120–160) | 180 (180–180) | 100 (100–100) | 3 | **5.00** (5.00–5.00) | **1.40** (1.20–1.60) | 1.80 (1.80–1.80) | FAIL; PASS |"* ]]
	[[ $output == *"| 2 start/stop-to-unmounted cycles each: total s; one cycle ms | 1.6 s; 800 (800–800) | 1.0 s; 500 (500–500) | — | 0.8 s; 400 (400–400) | 1 | 2.00 (totals) | 1.25 (totals) | — | — |"* ]]
	[[ $output == *"| empty (0 bytes) | to exit | 90 (90–90) | 100 (100–100) | 3 | **0.90** (0.90–0.90) | PASS | 150 (150–150) |"* ]]
	[[ $output == *"to first output byte | 80 (80–80) | 100 (100–100) | 3 | **0.80** (0.80–0.80) | PASS | 120 (120–120) |"* ]]
	[[ $output == *"| 1 | 1100 (1100–1100) | 1000 (1000–1000) | 1 | 1.10 (1.10–1.10) | 2000 (2000–2000) | 1900 (1900–1900) | 500 (500–500) |"* ]]
	# no sample for 20: said, not printed as a number
	[[ $output == *"| 20 | 0 of 1 boots measured | 0 of 1 |"* ]]
	[[ $output == *"## 5. Reset (VM)"* ]]
	# the commands are named, not run: a quoted backtick stays one
	[[ $output == *'reset with `systemctl start left4me-reset@N` (the layer'* ]]
	[[ $output == *'beside `rm -rf` of a tree'* ]]
	[[ $output == *"| 0 | 200 (200–200) | 300 (300–300) | 10 (10–10) | 2 | **20.00** (20.00–20.00) | 1.00 (1.00–1.00) |  |"* ]]
	[[ $output == *"| 100000 | 250 (250–250) | 9000 (9000–9000) | 5500 (5000–6000) | 2 | **0.05** (0.04–0.05) | 1.25 (1.25–1.25) | PASS; PASS |"* ]]
	[[ $output == *"## 2. Lifecycle (VM)"* && $output != *"(container)"* ]]
}

@test "rows 2-3 from the container's samples: a section of their own, no boot row" {
	samples
	container_samples
	run env BENCH_VM_SAMPLES="$T/res" BENCH_BOOT_RUNS=1 BENCH_BOOT_COUNTS="1" "$TOP/bench/vm-rows"
	echo "$output"
	[ "$status" -eq 0 ]
	local container=${output#*"## Container"}
	[ "$container" != "$output" ]
	[[ $container == *"kernel 6.18.0"* ]]
	[[ $container == *"## 2. Lifecycle (container)"* && $container == *"## 3. Sandbox (container)"* ]]
	[[ $container != *"## 4. Boot"* ]]
	# the reload and restart rows had no samples: said so
	[[ $container == *"## Reload (container)"*"not measured: no samples came back"* ]]
	[[ $container == *"## Restart (container)"*"not measured: no samples came back"* ]]
	# samples from before the floor was measured: said, not a number
	[[ $container == *"to active | 120 (120–120) | 110 (110–110) | no samples | 100 (100–100) | 3 | **1.20** (1.20–1.20) | **1.10** (1.10–1.10) | - (-–-) | PASS; PASS |"* ]]
	[[ $container == *"| empty (0 bytes) | to exit | 110 (110–110) | 100 (100–100) | 3 | **1.10** (1.10–1.10) | FAIL | no samples |"* ]]
	# the VM's rows are still there, before it
	[[ ${output%%"## Container"*} == *"to active | 300 (300–300)"* ]]
}

@test "rows 2-4 say why they were not measured: not root" {
	[ "$(id -u)" = 0 ] || skip "runs the check as nobody, from root"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups -- env TMPDIR=/tmp "$TOP/bench/vm-rows"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"Not measured: the VM needs root"* ]]
	[[ $output != *"| start"* ]]
}

reload_restart_samples() { # the container's reload and restart rows, with known ratios
	mkdir -p "$T/res/container"
	printf 'systemd 257 (257.13-1~deb13u1)\nkernel 6.18.0\n' >"$T/res/container/bench-guest.txt"
	{
		for r in 1 2 3; do
			echo "0 none 150 10240 175 4096"
			# 100: time 1.25 (FAIL), memory 1.10 (PASS)
			echo "100 instance 500 22528 875 16384 300 20"
			echo "100 fstab 400 20480 575 14336 250 60"
			# 1000: time 1.05 at the median (1.00-1.10), memory 1.00
			echo "1000 instance $((900 + r * 50)) 40960 7175 34816 800 40"
			echo "1000 fstab 950 40960 4175 34816 700 90"
		done
	} >"$T/res/container/bench-reload.txt"
	{
		echo "instance left4me-console@N.socket left4me-delete@N.service left4me-reset@N.service left4me-runtime@N.service left4me@N.service var-lib-left4me-runtime-N-merged.mount"
		echo "fstab standin-fstab-console@N.socket standin-fstab@N.service var-lib-standin\\x2dfstab-N-merged.mount"
	} >"$T/res/container/bench-reload-units.txt"
	{
		echo "instance left4me@N.service=left4me.slice var-lib-left4me-runtime-N-merged.mount=system-left4me.slice"
		echo "fstab var-lib-standin\\x2dfstab-N-merged.mount=system.slice"
	} >"$T/res/container/bench-reload-slices.txt"
	{
		echo "burst default 5"
		for r in 1 2 3; do
			echo "restart default instance $((7000 + r * 500))"
			echo "restart default fstab 4000"
		done
		echo "ratelimit default instance 12"
		echo "ratelimit default fstab 0"
		echo "burst raised 1000"
		for r in 1 2 3; do
			echo "restart raised instance 5000"
			echo "restart raised fstab 4000"
		done
		echo "ratelimit raised instance 0"
		echo "ratelimit raised fstab 0"
	} >"$T/res/container/bench-restart.txt"
}

# container_rows: bench/vm-rows from the samples in $T/res, with plots;
# sets container to what it prints of the container
container_rows() {
	run env BENCH_VM_SAMPLES="$T/res" BENCH_PLOT_DIR="$T/plots" BENCH_STAMP=s "$TOP/bench/vm-rows"
	echo "$output"
	[ "$status" -eq 0 ]
	container=${output#*"## Container"}
}

@test "reload and restart rows from the container's samples: ratios, verdicts, per-server figures and what bounds a miss" {
	reload_restart_samples
	container_rows
	[[ $container == *"## Reload (container)"* && $container == *"## Restart (container)"* ]]
	# the VM's section has neither
	[[ ${output%%"## Container"*} != *"## Reload"* && ${output%%"## Container"*} != *"## Restart"* ]]
	[[ $container == *"| 0 | 150 (150–150) | | 3 | | 10.0 (10.0–10.0) | | | | 175 units in all | |"* ]]
	# per server: (875 - 175) / 100 units, (16384 - 4096) / 100 KiB of RssAnon
	[[ $container == *"| 100 | 500 (500–500) | 400 (400–400) | 3 | **1.25** (1.25–1.25) | 22.0 (22.0–22.0) | 20.0 (20.0–20.0) | **1.10** (1.10–1.10) | FAIL; PASS | 7.0; 4.0 | 122.9; 102.4 |"* ]]
	[[ $container == *"| 1000 | 1000 (950–1050) | 950 (950–950) | 3 | **1.05** (1.00–1.11) | 40.0 (40.0–40.0) | 40.0 (40.0–40.0) | **1.00** (1.00–1.00) | PASS; PASS | 7.0; 4.0 |"* ]]
	# a miss says what bounds it, with the figures, at the size it was missed
	[[ $container == *"Target missed at 100 servers. What bounds it:"*"7.0 per instance"*"4.0 per plain server"*"1.75 times as many"* ]]
	[[ $container != *"Target missed at 1000 servers"* ]]
	[[ $container == *"Of the time of a reload (medians): instance: 300 ms of PID 1's own CPU time, 20 ms of its children's (the generators); fstab: 250 ms of PID 1's own CPU time, 60 ms of its children's (the generators)."* ]]
	[[ $container == *"- instance: \`left4me-console@N.socket\` \`left4me-delete@N.service\`"* ]]
	[[ $container == *'- plain server on fstab mounts: `standin-fstab-console@N.socket` `standin-fstab@N.service` `var-lib-standin\x2dfstab-N-merged.mount`'* ]]
	[[ $container == *"What would move it: left4me-reset@N and left4me-delete@N are loaded only because"* ]]
	[[ $container == *'- instance: `left4me@N.service` in `left4me.slice` `var-lib-left4me-runtime-N-merged.mount` in `system-left4me.slice`'* ]]
	[[ $container == *'- plain server on fstab mounts: `var-lib-standin\x2dfstab-N-merged.mount` in `system.slice`'* ]]
	[[ $container == *"![daemon-reload: wall time against servers](s-reload.png)"* || $container == *"(no plot: "* ]]
	# restart: both settings, the rate limit counted, the knob named with this run's figures
	[[ $container == *"| default: burst 5 in 1 s | 8000 (7500–8500) | 4000 (4000–4000) | 3 | **2.00** (1.88–2.12) | FAIL | 400; 200 | 12; 0 |"* ]]
	[[ $container == *"| raised: burst 1000 in 1 s | 5000 (5000–5000) | 4000 (4000–4000) | 3 | **1.25** (1.25–1.25) | PASS | 250; 200 | 0; 0 |"* ]]
	[[ $container == *"ManagerEnvironment=SYSTEMD_DEFAULT_MOUNT_RATE_LIMIT_BURST=N"*"daemon-reexec"* ]]
	[[ $container == *"took 8000 ms with the default and 5000 ms with the burst raised"* ]]
	# default 400 ms a restart, raised 250, plain 200
	[[ $container == *"Target missed with the default rate limit. What bounds it: the rate limit, 150 ms of each instance restart's 400 ms"*"the rest, 50 ms over the plain server's 200 ms"* ]]
	[[ $container != *"Target missed (raised"* ]]
}

@test "rows by name: BENCH_ROWS=reload prints the reload row alone; an unknown name is refused with the names" {
	reload_restart_samples
	run env BENCH_VM_SAMPLES="$T/res" BENCH_PLOT_DIR="$T/plots" BENCH_STAMP=s BENCH_ROWS=reload "$TOP/bench/vm-rows"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"## Reload (container)"* ]]
	[[ $output != *"## Restart"* && $output != *"Lifecycle"* && $output != *"## VM"* ]]
	# control: the same samples with every row print the restart row too
	run env BENCH_VM_SAMPLES="$T/res" BENCH_PLOT_DIR="$T/plots" BENCH_STAMP=s "$TOP/bench/vm-rows"
	[[ $output == *"## Reload (container)"* && $output == *"## Restart (container)"* && $output == *"## VM"* ]]
	run env BENCH_ROWS="reload rstart" "$TOP/bench/vm-rows" --check-rows
	[ "$status" -eq 2 ]
	[[ $output == *"unknown row 'rstart' (rows: generator lifecycle sandbox reset reload restart previous boot"* ]]
	run env BENCH_ROWS="reload restart" "$TOP/bench/vm-rows" --check-rows
	[ "$status" -eq 0 ]
}

previous_samples() { # issue 20 row 3 from the container: start missed, stop met (STOP: previous's stop ms)
	local stop=${1:-100}
	mkdir -p "$T/res/container"
	printf 'systemd 257 (257.13-1~deb13u1)\nkernel 6.18.0\n' >"$T/res/container/bench-guest.txt"
	{
		for r in 1 2 3; do
			echo "phase ours 30 20 100 90"
			echo "units ours 32 12 10 78"
			echo "latency ours 240 $((70 + r * 10))"
			echo "stopgap ours 30"
			echo "phase previous 110 - - 140"
			echo "units previous 30 - - -"
			echo "latency previous 200 $stop"
			echo "stopgap previous 0.0"
			echo "latency ours-overlay-only 180 60"
			echo "latency previous-overlay-only 200 100"
		done
		echo "helper mount 34"
		echo "helper umount 37"
		echo "helper python3-c-pass 12"
	} >"$T/res/container/bench-previous.txt"
}

@test "issue 20 row 3 from the container's samples: ours beside the previous helper, a missed target with what bounds it" {
	samples
	previous_samples
	run env BENCH_VM_SAMPLES="$T/res" BENCH_BOOT_RUNS=1 BENCH_BOOT_COUNTS="1" "$TOP/bench/vm-rows"
	echo "$output"
	[ "$status" -eq 0 ]
	local container=${output#*"## Container"} vm=${output%%"## Container"*}
	[[ $vm != *"beside the previous helper"* ]]
	[[ $container == *"## Start and stop beside the previous helper (container)"* ]]
	[[ $container == *"| idmapped bind + overlay | start: \`systemctl start\` to active | 240 (240–240) | 200 (200–200) | 3 | **1.20** (1.20–1.20) | FAIL |"* ]]
	[[ $container == *"| idmapped bind + overlay | stop: \`systemctl stop\` to inactive and every mount gone | 90 (80–100) | 100 (100–100) | 3 | **0.90** (0.80–1.00) | PASS |"* ]]
	[[ $container == *"| overlay only | start: \`systemctl start\` to active | 180 (180–180) | 200 (200–200) | 3 | **0.90** (0.90–0.90) | PASS |"* ]]
	[[ $container == *"| overlay only | stop: \`systemctl stop\` to inactive and every mount gone | 60 (60–60) | 100 (100–100) | 3 | **0.60** (0.60–0.60) | PASS |"* ]]
	[[ $container == *"| ours | 30 | 20 | 100 | 90 | 30 | 32 | 12 | 10 | 78 |"* ]]
	[[ $container == *"| previous | 110 | - | - | 140 | 0.0 | 30 | - | - | - |"* ]]
	[[ $container == *"Previous helper alone: mount 34 (34–34), umount 37 (37–37), \`python3 -c pass\` 12 (12–12) (1 runs)."* ]]
	# the missed start names its bound with this run's figures; the met stop says nothing
	[[ $container == *"Start missed (ours/previous 1.20), bound: "*"left4me-runtime@N"*": 20 ms, and its two mount units, 12 ms (idmapped view) and 10 ms (overlay)"*"that job 140 ms against ours' 90 ms"*"34 ms to mount (12 ms of it Python's start)"*"ours 78 ms from the overlay mounted, previous 80.0 ms from its console socket active"*"of the 100 ms ours spends"* ]]
	[[ $container != *"Stop missed"* ]]
	# a missed stop names its bound too
	previous_samples 60
	run env BENCH_VM_SAMPLES="$T/res" BENCH_BOOT_RUNS=1 BENCH_BOOT_COUNTS="1" "$TOP/bench/vm-rows"
	[[ $output == *"every mount gone | 90 (80–100) | 60 (60–60) | 3 | **1.50** (1.33–1.67) | FAIL |"* ]]
	[[ $output == *"Stop missed (ours/previous 1.50), bound: ours' last mount goes 30 ms after"*"37 ms alone."* ]]
}

@test "issue 20 row 3 without samples: said not measured" {
	samples
	container_samples
	run env BENCH_VM_SAMPLES="$T/res" BENCH_BOOT_RUNS=1 BENCH_BOOT_COUNTS="1" "$TOP/bench/vm-rows"
	[ "$status" -eq 0 ]
	[[ ${output#*"## Container"} == *"## Start and stop beside the previous helper (container)"$'\n\n'"not measured: no samples came back"* ]]
}

boot_container_samples() { # the container's boot row, with known ratios: met at 20, missed at 100
	mkdir -p "$T/res/container"
	printf 'systemd 257 (257.13-1~deb13u1)\nkernel 6.18.0\n' >"$T/res/container/bench-guest.txt"
	{
		for r in 0 1 2; do
			# 20: 1.10, 1.15, 1.20 (PASS)
			echo "instance 20 $((1100 + r * 50)) 1500 60 1000 200 800 300"
			echo "fstab 20 1000 1400 60 900 - - 350"
			# 100: 1.50, 1.65, 1.80 (FAIL)
			echo "instance 100 $((3000 + r * 300)) 3500 220 2900 1000 2500 400"
			echo "fstab 100 2000 2400 220 1900 - - 450"
		done
	} >"$T/res/container/bench-boot-container.txt"
	printf 'critical-chain left4me@3100.service\nleft4me@3100.service +5ms\n└─var-lib-left4me-runtime-3100-merged.mount @2.9s +10ms\nblame\n  1.0s left4me-runtime@3001.service\n' \
		>"$T/res/container/bench-boot-container-instance.txt"
}

@test "container boot row from known samples: pair ratios, verdicts against 1.2, what bounds the miss, the plot" {
	boot_container_samples
	container_rows
	[[ $container == *"## Boot (container)"*"UserspaceTimestampMonotonic"* ]]
	[[ ${output%%"## Container"*} != *"## Boot (container)"* ]]
	[[ $container == *"| 20 | 1150 (1100–1200) | 1000 (1000–1000) | 3; 3 | **1.15** (1.10–1.20) | PASS | 1500; 1400 | 60; 60 | 1000; 900 |"* ]]
	[[ $container == *"| 100 | 3300 (3000–3600) | 2000 (2000–2000) | 3; 3 | **1.65** (1.50–1.80) | FAIL | 3500; 2400 | 220; 220 | 2900; 1900 |"* ]]
	[[ $container == *"Target missed at 100 servers. What bounds it"*"began to start at 400 (left4me) and 450 (fstab)"*"100 runtime units"*"ran 1000 ms in all, the last done at 2500"*"active at 2900 against 1900, and the last server at 3300 against 2000"* ]]
	[[ $container != *"Target missed at 20 servers"* ]]
	[[ $container == *"    left4me@3100.service +5ms"* ]]
	[[ $container == *"Where the time goes, for both kinds (a profile taken once"* ]]
	[[ $container == *"![Boot: PID 1 to every server active, against servers](s-boot-container.png)"* || $container == *"(no plot: "* ]]
	! command -v gnuplot >/dev/null || [ -s "$T/plots/boot-container.png" ]
}

@test "container boot row: no runs planned is said, and the suite leaves the container's list" {
	run env BENCH_VM_SAMPLES="$T/res" BENCH_CONTAINER_BOOT_RUNS=0 bash -c '
		mkdir -p "$BENCH_VM_SAMPLES/container"
		say() { printf "%s\n" "$*"; }
		where=" (container)" WORK=$(mktemp -d) results=$BENCH_VM_SAMPLES/container
		. "$1/bench/stats.bash"; . "$1/bench/rows/boot-container.bash"
		l=(50-reload 55-boot 60-restart) m=3
		boot_container_suite l m
		echo "list ${l[*]} max $m"
		boot_container_row
		rm -rf "$WORK"' _ "$TOP"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"list 50-reload 60-restart max 3"* ]]
	[[ $output == *"## Boot (container)"*"not measured: BENCH_CONTAINER_BOOT_RUNS=0"* ]]
	run env BENCH_CONTAINER_BOOT_RUNS=3 BENCH_CONTAINER_BOOT_COUNTS="20 100" bash -c '
		. "$1/bench/rows/boot-container.bash"
		l=(55-boot) m=3
		boot_container_suite l m
		echo "list ${l[*]} max $m"; boot_container_env' _ "$TOP"
	[[ $output == *"list 55-boot max 16"* ]]
	[[ $output == *'BENCH_CONTAINER_BOOT_COUNTS="20 100"'* ]]
}
