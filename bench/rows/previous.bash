# Issue 20 row 3, printed by bench/vm-rows from bench/vm/70-previous.bats's
# samples (results/bench-previous.txt): one instance's start and
# stop-to-unmounted, ours beside the previous implementation's helper.
# Sourced by bench/vm-rows; uses its say, cell, why_missing, WORK, results
# and where.
# shellcheck shell=bash
# shellcheck disable=SC2154 # results, WORK and where are bench/vm-rows's
# shellcheck source=bench/rows/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# previous_median FILE COLUMN: the median, or "-" without samples (or where
# the samples say "-": not measured for that kind).
previous_median() {
	if [ -s "$1" ] && [ "$(cut -d' ' -f"$2" "$1" | head -1)" != - ]; then
		stats "$1" "$2" | cut -d' ' -f1
	else
		echo -
	fi
}

# previous_units KIND COLUMN: a median of the units lines.
previous_units() { previous_median "$WORK/prev.units.$1" "$2"; }

previous_row() {
	local f=$results/bench-previous.txt k p
	row_start "Start and stop beside the previous helper" "$f" 70-previous || return 0
	for k in ours previous ours-overlay-only previous-overlay-only; do
		awk -v k="$k" '$1 == "latency" && $2 == k { print $3, $4 }' "$f" >"$WORK/prev.lat.$k"
		awk -v k="$k" '$1 == "phase" && $2 == k { print $3, $4, $5, $6 }' "$f" >"$WORK/prev.phase.$k"
		awk -v k="$k" '$1 == "stopgap" && $2 == k { print $3 }' "$f" >"$WORK/prev.gap.$k"
		awk -v k="$k" '$1 == "units" && $2 == k { print $3, $4, $5, $6 }' "$f" >"$WORK/prev.units.$k"
	done
	for p in mount umount python3-c-pass; do
		awk -v p="$p" '$1 == "helper" && $2 == p { print $3 }' "$f" >"$WORK/prev.helper.$p"
	done
	say "Issue 20 row 3. Ours: left4me@71.service, three layers, one sandbox-owned, so PID 1 mounts the sandbox user's idmapped view of overlays/ (one bind of the lower root that every instance shares; here 71 is its only user, so its start mounts it and its stop unmounts it, and both are measured) and the overlay from the generated mount units (left4me-runtime@71 runs first at each start, PartOf=). Previous: previous@73.service, the same stand-in on the same layers with left4me@.service's settings and the generator's drop-ins minus the generated mounts, whose ExecStartPre=+ runs the previous implementation's Python helper (bench/vm/previous/left4me-overlay, rebuilt from its history) through \`nsenter --mount=/proc/1/ns/mnt\`: it makes the idmapped bind with \`mount --bind --map-users= --map-groups=\`, then the overlay; its ExecStopPost=+ unmounts them, so its stop returns unmounted. The same pair with three layers of the server user (the overlay alone): left4me@72, previous@74. Start: from the command to the service's ActiveEnterTimestamp. Stop: from the command until it returned and /proc/1/mountinfo has none of the instance's mounts left (bench/unmounted). Each timed start and stop after a quiet second; the four kinds interleaved; ratios are the median of the per-run ratios (min–max). Milliseconds: median (min–max)."
	say ""
	say "| layers | measure | ours | previous | runs | ours/previous | target ≤ 1.0 |"
	say "|---|---|---:|---:|---:|---:|---|"
	previous_latency "" "idmapped bind + overlay" 1 "start: \`systemctl start\` to active"
	previous_latency "" "idmapped bind + overlay" 2 "stop: \`systemctl stop\` to inactive and every mount gone"
	previous_latency -overlay-only "overlay only" 1 "start: \`systemctl start\` to active"
	previous_latency -overlay-only "overlay only" 2 "stop: \`systemctl stop\` to inactive and every mount gone"
	say ""
	previous_phases
	previous_bounds
}

previous_latency() { # KIND_SUFFIX LAYERS_LABEL COLUMN MEASURE_LABEL
	local r mn mx a=$WORK/prev.lat.ours$1 b=$WORK/prev.lat.previous$1
	read -r r mn mx < <(paired_ratio "$a" "$b" "$3")
	say "| $2 | $4 | $(cell "$a" "$3") | $(cell "$b" "$3") | $(wc -l <"$a") | **$r** ($mn–$mx) | $(verdict "$r" 1.0) |"
}

# Where a start's time goes (medians of each phase, ms), from the units'
# timestamps; and a stop's time after systemctl stop returned.
previous_phases() {
	local k
	say "Where the time goes, idmapped bind + overlay (medians, ms): the command to the first unit's start job (ours: left4me-runtime@N's; previous: its server's, after its console socket); left4me-runtime@N (systemd-tmpfiles, left4me-quota) from its start to active; from there to the server's start job (PID 1's mount units, one spawn of mount(8) each, and the console socket); the server's start job to active (its ExecStartPre= steps, the previous helper among them, and the server's exec); after a stop returned, until its last mount was gone; the command to the console socket active; ours' two mount units, each from its start job to mounted, and from the overlay mounted to the server's start job. The previous helper alone, run through nsenter as its unit runs it, and \`python3 -c pass\`. Ours' stop is timed until its view is gone too."
	say ""
	say "| kind | command → first start job | left4me-runtime@N | → server's start job (mounts, socket) | server's start job → active | stop returned → last mount gone | command → console socket active | bind mount unit | overlay mount unit | overlay mounted → server's start job |"
	say "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for k in ours previous; do
		say "| $k | $(previous_median "$WORK/prev.phase.$k" 1) | $(previous_median "$WORK/prev.phase.$k" 2) | $(previous_median "$WORK/prev.phase.$k" 3) | $(previous_median "$WORK/prev.phase.$k" 4) | $(previous_median "$WORK/prev.gap.$k" 1) | $(previous_units "$k" 1) | $(previous_units "$k" 2) | $(previous_units "$k" 3) | $(previous_units "$k" 4) |"
	done
	say ""
	say "Previous helper alone: mount $(cell "$WORK/prev.helper.mount" 1), umount $(cell "$WORK/prev.helper.umount" 1), \`python3 -c pass\` $(cell "$WORK/prev.helper.python3-c-pass" 1) ($(wc -l <"$WORK/prev.helper.mount") runs)."
	say ""
}

# A missed target, said with what bounds it, from this run's figures.
previous_bounds() {
	local r rt mnt svc_o svc_p gap hm hu py bind ovl rest lead_p sock_p start_missed="" stop_missed=""
	read -r r _ < <(paired_ratio "$WORK/prev.lat.ours" "$WORK/prev.lat.previous" 1)
	[ "$(verdict "$r" 1.0)" != FAIL ] || start_missed=$r
	read -r r _ < <(paired_ratio "$WORK/prev.lat.ours" "$WORK/prev.lat.previous" 2)
	[ "$(verdict "$r" 1.0)" != FAIL ] || stop_missed=$r
	[ -n "$start_missed$stop_missed" ] || return 0
	rt=$(previous_median "$WORK/prev.phase.ours" 2)
	mnt=$(previous_median "$WORK/prev.phase.ours" 3)
	svc_o=$(previous_median "$WORK/prev.phase.ours" 4)
	svc_p=$(previous_median "$WORK/prev.phase.previous" 4)
	lead_p=$(previous_median "$WORK/prev.phase.previous" 1)
	gap=$(previous_median "$WORK/prev.gap.ours" 1)
	hm=$(previous_median "$WORK/prev.helper.mount" 1)
	hu=$(previous_median "$WORK/prev.helper.umount" 1)
	py=$(previous_median "$WORK/prev.helper.python3-c-pass" 1)
	bind=$(previous_units ours 2)
	ovl=$(previous_units ours 3)
	rest=$(previous_units ours 4)
	sock_p=$(previous_units previous 1)
	[ -z "$start_missed" ] ||
		say "Start missed (ours/previous $start_missed), bound: what ours does and the previous kind does not is left4me-runtime@N, which PartOf= runs again at every start (systemd-tmpfiles, left4me-quota): $rt ms, and its two mount units, $bind ms (idmapped view) and $ovl ms (overlay), one spawn of mount(8) each, in order. What the previous kind does in its server's start job instead, the helper through nsenter, makes that job $svc_p ms against ours' $svc_o ms; alone it takes $hm ms to mount ($py ms of it Python's start). Both then wait alike before the server's start job: ours $rest ms from the overlay mounted, previous $(awk -v a="$lead_p" -v b="$sock_p" 'BEGIN { printf "%.1f", a - b }') ms from its console socket active (units started with the server, the journal namespace's among them; not measured apart): that wait, not the mounts, is most of the $mnt ms ours spends between the runtime unit and the server's start job. What would move it: no runtime unit run at a start whose directories and budget are in place already ($rt ms)."
	[ -z "$stop_missed" ] ||
		say "Stop missed (ours/previous $stop_missed), bound: ours' last mount goes $gap ms after \`systemctl stop\` returned (the mount units' stop jobs, one umount spawn each, after the service's), where the previous helper unmounts within the stop, $hu ms alone."
	say ""
}
