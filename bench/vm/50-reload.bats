#!/usr/bin/env bats
# make bench, row "reload": `systemctl daemon-reload` with N left4me
# instances (three layers each, one sandbox-owned: an overlay each, on the
# sandbox user's idmapped view of overlays/, one mount unit for all), N from
# BENCH_RELOAD_COUNTS, beside N plain services (standin-fstab@, fstab.bash)
# whose overlays and idmapped binds, one of each per server, are /etc/fstab
# lines turned into mount units by systemd-fstab-generator. The
# servers are set to start at boot (LEFT4ME_AUTOSTART=yes; the plain ones
# linked into multi-user.target.wants), so PID 1 has every server, its
# console socket and its mounts loaded, and none of them running: the cost
# of reloading with the units loaded, not of running servers. Before each
# measurement PID 1 is re-executed (daemon-reexec) with no server, so that
# both kinds start from a fresh heap and its resident size is that of their
# units, not what an earlier run left in the allocator. Kinds interleaved, run by run.
# Samples go to results/bench-reload.txt:
#   N KIND MS RSS_KIB UNITS ANON_KIB CPU_MS CHILDREN_CPU_MS
#     KIND: instance | fstab | none (N = 0, no server); MS: the command
#     until it returned; RSS_KIB and ANON_KIB: VmRSS and RssAnon of PID 1
#     after it (/proc/1/status); UNITS: NNames, the units PID 1 had loaded;
#     CPU_MS and CHILDREN_CPU_MS: the CPU time PID 1 used during the reload,
#     its own and that of the processes it waited for (the generators)
# and to results/bench-reload-units.txt, the units of one server of each kind,
# and to results/bench-reload-slices.txt, the slice each of them is in:
#   KIND UNIT...
#   KIND UNIT=SLICE...

load lib
load instances
load bench
load fstab

FIRST=1001
COUNTS=${BENCH_RELOAD_COUNTS:-100 1000}
BENCH_RELOAD_RUNS=${BENCH_RELOAD_RUNS:-5}

# configure KIND N: only KIND's first N servers exist (no reload).
configure() {
	local i
	rm -f "$INSTANCES"/*.env
	fstab_unconfigure
	case $1 in
	instance)
		for ((i = FIRST; i < FIRST + $2; i++)); do bench_instance "$i" LEFT4ME_AUTOSTART=yes; done
		;;
	fstab) fstab_configure "$FIRST" "$2" enable ;;
	esac
}

# measure KIND N: one sample. PID 1 first drops the previous kind's units
# (a reload without them) and is re-executed with no server, so its heap
# is fresh; then it loads KIND's servers (a reload), and the next reload is
# the one timed.
measure() {
	local t0 t1 c0 c1
	configure none 0
	systemctl daemon-reload
	systemctl daemon-reexec
	wait_manager
	configure "$1" "$2"
	systemctl daemon-reload
	sleep 1
	c0=$(pid1_cpu_ticks)
	t0=$(now_us)
	systemctl daemon-reload
	t1=$(now_us)
	c1=$(pid1_cpu_ticks)
	record reload "$2" "$1" "$(ms_between "$t0" "$t1")" "$(pid1_kib VmRSS)" "$(systemctl show -P NNames)" "$(pid1_kib RssAnon)" \
		"$(cpu_ms "${c0% *}" "${c1% *}")" "$(cpu_ms "${c0#* }" "${c1#* }")"
}

# record_units KIND: the units PID 1 has loaded for server FIRST, its number
# written N, into results/bench-reload-units.txt ("KIND UNIT...").
record_units() {
	local list u slices=""
	list=$(systemctl list-units --all --plain --no-legend "*$FIRST*" | awk '{ print $1 }' | sort)
	for u in $list; do slices+=" ${u//$FIRST/N}=$(systemctl show -P Slice "$u")"; done
	list=$(paste -sd' ' <<<"${list//$FIRST/N}")
	echo "# units of $1 $FIRST: $list; slices:$slices" >&3
	record reload-units "$1" "$list"
	record reload-slices "$1" "${slices# }"
}

# pid1_cpu_ticks: "OWN CHILDREN", PID 1's user+system CPU time and that of
# its waited-for children, in clock ticks (/proc/1/stat fields 14-17).
pid1_cpu_ticks() {
	local stat
	stat=$(</proc/1/stat)
	read -r -a f <<<"${stat##*) }" # f[0] is field 3
	echo "$((f[11] + f[12])) $((f[13] + f[14]))"
}

cpu_ms() { echo $((($2 - $1) * 1000 / $(getconf CLK_TCK))); } # TICKS0 TICKS1

setup_file() {
	record_guest
	bench_layers
	systemctl daemon-reload
	fstab_template
}

teardown_file() {
	configure none 0
	rm -f "$INSTANCES"/*.env
	fstab_forget
	systemctl daemon-reload
}

@test "reload: both kinds load their servers, console sockets and mounts, and nothing of them runs" {
	local n=3 u
	configure instance "$n"
	systemctl daemon-reload
	for u in "left4me@$FIRST.service" "left4me-console@$FIRST.socket" "$(systemd-escape --path --suffix=mount "$(merged_of "$FIRST")")"; do
		[ "$(systemctl show -P LoadState "$u")" = loaded ]
		[ "$(systemctl show -P ActiveState "$u")" = inactive ]
	done
	[ "$(mount_units_of "$FIRST" | wc -l)" -eq 2 ]
	record_units instance
	configure fstab "$n"
	systemctl daemon-reload
	for u in "standin-fstab@$FIRST.service" "standin-fstab-console@$FIRST.socket" \
		"$(systemd-escape --path --suffix=mount "$FSTAB_DIR/$FIRST/merged")" \
		"$(systemd-escape --path --suffix=mount "$FSTAB_DIR/$FIRST/idmap/951")"; do
		[ "$(systemctl show -P LoadState "$u")" = loaded ]
		[ "$(systemctl show -P ActiveState "$u")" = inactive ]
	done
	record_units fstab
	[ "$(systemctl show -P LoadState "left4me@$FIRST.service")" != loaded ] ||
		[ "$(systemctl show -P ActiveState "left4me@$FIRST.service")" = inactive ]
}

@test "reload: the plain server on fstab mounts runs from its idmapped overlay" {
	local m=$FIRST
	configure fstab 1
	systemctl daemon-reload
	systemctl start "standin-fstab@$m.service"
	[ "$(findmnt -n -o FSTYPE "$FSTAB_DIR/$m/merged")" = overlay ]
	# the sandbox-owned layer's file reads as the server user's
	[ "$(stat -c %U "$FSTAB_DIR/$m/merged/left4dead2/layer.txt")" = l4d2-server ]
	[ "$(cat "$FSTAB_DIR/$m/merged/left4dead2/layer.txt")" = "bench layer 951 (sandbox-owned)" ]
	systemctl stop "standin-fstab@$m.service"
	systemctl stop "$(systemd-escape --path --suffix=mount "$FSTAB_DIR/$m/merged")" \
		"$(systemd-escape --path --suffix=mount "$FSTAB_DIR/$m/idmap/951")"
	[ -z "$(fstab_mounts_of "$m")" ]
}

@test "reload: daemon-reload and PID 1's memory with $COUNTS servers of each kind, $BENCH_RELOAD_RUNS interleaved runs" {
	local r n
	for ((r = 0; r < BENCH_RELOAD_RUNS; r++)); do
		measure none 0
		for n in $COUNTS; do
			if ((r % 2)); then
				measure fstab "$n"
				measure instance "$n"
			else
				measure instance "$n"
				measure fstab "$n"
			fi
		done
	done
}
