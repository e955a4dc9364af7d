# The "reload" row of bench/vm-rows (issue 20, row 1), from the samples of
# bench/vm/50-reload.bats in results/bench-reload.txt:
#   N KIND MS RSS_KIB UNITS ANON_KIB CPU_MS CHILDREN_CPU_MS
#   (KIND: instance | fstab | none, N = 0)
# Sourced by bench/vm-rows, whose say, cell, why_missing, results, WORK and
# where it uses.
# shellcheck shell=bash
# shellcheck disable=SC2154 # results, where and WORK are bench/vm-rows's

# shellcheck source=bench/rows/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# shellcheck source=bench/plot.bash
declare -F plot_sizes >/dev/null || . "$(dirname "${BASH_SOURCE[0]}")/../plot.bash"

# reload_split N KIND: the samples of KIND at N into $WORK/rl.N.KIND (ms
# rss_kib units anon_kib cpu_ms children_cpu_ms, a run a line) and $WORK/rl.N.KIND.mib (PID 1's
# RSS in MiB).
reload_split() {
	awk -v n="$1" -v k="$2" '$1 == n && $2 == k { print $3, $4, $5, $6, $7, $8 }' "$results/bench-reload.txt" >"$WORK/rl.$1.$2"
	awk '{ printf "%.1f\n", $2 / 1024 }' "$WORK/rl.$1.$2" >"$WORK/rl.$1.$2.mib"
}

# reload_per_server N KIND COLUMN: the median of COLUMN (3: units, 4:
# RssAnon KiB) at N above the median with no server, per server.
reload_per_server() {
	local m0 m
	read -r m0 _ < <(stats "$WORK/rl.0.none" "$3")
	read -r m _ < <(stats "$WORK/rl.$1.$2" "$3")
	awk -v a="$m" -v b="$m0" -v n="$1" 'BEGIN { printf "%.1f", (a - b) / n }'
}

reload_row() {
	local f=$results/bench-reload.txt n k rt mnt mxt rm mnm mxm missed=""
	row_start Reload "$f" 50-reload || return 0
	say "\`systemctl daemon-reload\` with N left4me instances (three layers each, one sandbox-owned: an overlay per instance, on the sandbox user's idmapped view of overlays/, one mount unit for all instances) beside N plain services (standin-fstab@.service: left4me@.service with the generator's template drop-ins, its paths moved, and a drop-in with its ports, as the generator writes one per instance) whose overlay and idmapped bind (\`X-mount.idmap=\`, util-linux 2.41) are two /etc/fstab lines each, made into mount units by systemd-fstab-generator. State: every server enabled to start at boot (LEFT4ME_AUTOSTART=yes; the plain ones linked into multi-user.target.wants), so PID 1 has each server, its console socket and its mounts loaded, and none of them is running or mounted. Time: from the command until it returned. Memory: PID 1's resident size, VmRSS of /proc/1/status, after the reload (not a cgroup's MemoryCurrent, which counts the page cache and other processes); before each sample PID 1 drops the other kind's units (a reload), is re-executed (daemon-reexec) with no server, so that each kind starts from a fresh heap, and loads its servers (a reload before the timed one). Per server: units PID 1 has loaded (NNames) and its anonymous memory (RssAnon), above the same with no server, divided by N. Kinds interleaved run by run; ratios are the median of the per-run ratios (min–max). Milliseconds and MiB: median (min–max)."
	say ""
	say "| servers | left4me: reload ms | fstab: reload ms | runs | time instances/fstab | left4me: PID 1 RSS MiB | fstab: PID 1 RSS MiB | memory instances/fstab | target ≤ 1.1 (time; memory) | units loaded per server (left4me; fstab) | PID 1 RssAnon KiB per server (left4me; fstab) |"
	say "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
	reload_split 0 none
	if [ -s "$WORK/rl.0.none" ]; then
		say "| 0 | $(cell "$WORK/rl.0.none" 1) | | $(wc -l <"$WORK/rl.0.none") | | $(cell "$WORK/rl.0.none.mib" 1) | | | | $(stats "$WORK/rl.0.none" 3 | cut -d' ' -f1) units in all | |"
	fi
	: >"$WORK/rl.plot.instance"
	: >"$WORK/rl.plot.fstab"
	for n in $(awk '$1 != 0 { print $1 }' "$f" | sort -nu); do
		for k in instance fstab; do
			reload_split "$n" "$k"
			if [ -s "$WORK/rl.$n.$k" ]; then
				read -r m mn mx _ < <(stats "$WORK/rl.$n.$k" 1)
				echo "$n $m $mn $mx" >>"$WORK/rl.plot.$k"
			fi
		done
		read -r rt mnt mxt < <(paired_ratio "$WORK/rl.$n.instance" "$WORK/rl.$n.fstab" 1)
		read -r rm mnm mxm < <(paired_ratio "$WORK/rl.$n.instance" "$WORK/rl.$n.fstab" 2)
		local per_units="" per_rss=""
		if [ -s "$WORK/rl.0.none" ] && [ -s "$WORK/rl.$n.instance" ] && [ -s "$WORK/rl.$n.fstab" ]; then
			per_units="$(reload_per_server "$n" instance 3); $(reload_per_server "$n" fstab 3)"
			per_rss="$(reload_per_server "$n" instance 4); $(reload_per_server "$n" fstab 4)"
		fi
		local v
		v="$(verdict "$rt" 1.1); $(verdict "$rm" 1.1)"
		[[ $v != *FAIL* ]] || missed+=" $n"
		say "| $n | $(cell "$WORK/rl.$n.instance" 1) | $(cell "$WORK/rl.$n.fstab" 1) | $(wc -l <"$WORK/rl.$n.instance") | **$rt** ($mnt–$mxt) | $(cell "$WORK/rl.$n.instance.mib" 1) | $(cell "$WORK/rl.$n.fstab.mib" 1) | **$rm** ($mnm–$mxm) | $v | $per_units | $per_rss |"
	done
	say ""
	if [ -n "$missed" ]; then
		reload_bounds "$missed"
		say ""
	fi
	say "$(plot_sizes reload "daemon-reload: wall time against servers" servers "ms (median, min-max)" \
		"left4me instances" "$WORK/rl.plot.instance" "plain services on fstab mounts" "$WORK/rl.plot.fstab")"
	say ""
}

# reload_cpu N: where the reload's time went at N, when the samples have
# PID 1's CPU times: its own (loading units) and its children's (the
# generators), medians in ms.
reload_cpu() {
	local k own child out=""
	for k in instance fstab; do
		[ -n "$(cut -d' ' -f6 "$WORK/rl.$1.$k" | head -n 1)" ] || return 0
		own=$(stats "$WORK/rl.$1.$k" 5 | cut -d' ' -f1)
		child=$(stats "$WORK/rl.$1.$k" 6 | cut -d' ' -f1)
		out+="${out:+; }$k: $own ms of PID 1's own CPU time, $child ms of its children's (the generators)"
	done
	printf ' Of the time of a reload (medians): %s.' "$out"
}

# reload_bounds SIZES: what bounds a missed target, from the same samples:
# PID 1's reload reads, loads and keeps every unit of every server, so its
# cost follows the units per server, which the table counts and
# bench-reload-units.txt names.
reload_bounds() {
	local n ui uf names slices
	for n in $1; do
		[ -s "$WORK/rl.0.none" ] || continue
		ui=$(reload_per_server "$n" instance 3)
		uf=$(reload_per_server "$n" fstab 3)
		say "Target missed at $n servers. What bounds it: a reload makes PID 1 read and load again every unit it has loaded, so its time and memory follow the units per server, $ui per instance against $uf per plain server, $(awk -v a="$ui" -v b="$uf" 'BEGIN { printf "%.2f", a / b }') times as many; per server PID 1's heap (RssAnon) holds $(reload_per_server "$n" instance 4) KiB against $(reload_per_server "$n" fstab 4) KiB.$(reload_cpu "$n")"
		say ""
	done
	say "Two profiles, each taken once (2026-12-02, this container, 1,000 servers of each kind, perf -e cpu-clock with DWARF call graphs from the host on the container's PID 1, libsystemd-core's exported symbols). In a reload, manager_reload() frees every unit before loading it again, and each unit_free() queues its slice's family for cgroup realization (unit_add_family_to_cgroup_realize_queue, src/core/cgroup.c): the slice's members mask is invalidated and recomputed over every member of that slice, work quadratic in the members of one slice. In the first profile, with the instances' mounts in system.slice where mount units go by default, that took 81 % of PID 1's samples with the instances and 65 % with the fstab servers, some 4,000 members of system.slice against 3,000. The mounts are now in a slice of their own, system-left4me.slice (generator/units.c); in the second profile that path took 6 % of PID 1's samples with the instances and 9 % with the fstab servers, and PID 1 used as much CPU time for either kind (3,000 samples each at 999 Hz). What is left is one unit more per instance (left4me-runtime@N, which the mounts require: it makes their directories and applies the disk budget), and the noise of a shared host: the same pair of kinds measured again and again in one container ranged from 0.88 to 2.0 times (14 pairs of reloads at 1,000 servers)."
	slices=$results/bench-reload-slices.txt
	if [ -s "$slices" ]; then
		say ""
		say "The slice of each unit of one server, in this run:"
		say ""
		awk '{ k = $1; $1 = ""; sub(/^ /, ""); gsub(/=/, " in ", $0); printf "- %s: %s\n", (k == "instance" ? "instance" : "plain server on fstab mounts"), $0 }' "$slices" | sed 's/[^ :]*\.[a-z]*/`&`/g'
	fi
	names=$results/bench-reload-units.txt
	[ -s "$names" ] || return 0
	say ""
	say "The units PID 1 had loaded for one server:"
	say ""
	awk '{ k = $1; $1 = ""; sub(/^ /, ""); printf "- %s: %s\n", (k == "instance" ? "instance" : "plain server on fstab mounts"), $0 }' "$names" | sed 's/[^ :]*\.[a-z]*/`&`/g'
	if grep -q 'left4me-reset@N.service' "$names"; then
		say ""
		say "What would move it: left4me-reset@N and left4me-delete@N are loaded only because left4me-runtime@.service orders itself after them (After=); the same order written in those two templates (Before=left4me-runtime@%i.service) would leave them unloaded until started, two units fewer per instance. The runtime unit, which the mounts require, and the console socket stay. Measured once (2026-12-02, this container, 1,000 servers, 3 interleaved runs, left4me-runtime@.service without that After= and the two templates given Before= by drop-ins): 5.0 units per instance; a reload 4.3–6.2 s (median 5.4 s) against 7.2–16.2 s as shipped and 3.1–4.1 s for the fstab servers, 1.66 (1.06–1.72) times theirs against 2.31 (2.25–3.99); PID 1's RSS 76.3 MiB against 90.9 MiB as shipped and 69.1 MiB for the fstab servers, 1.10 times theirs. It meets the memory target, not the time target."
	fi
}
