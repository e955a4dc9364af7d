# The container's boot row of bench/vm-rows (issue 20, row 2), from the
# samples of bench/vm/55-boot*.bats in results/bench-boot-container.txt:
#   KIND N ALL_ACTIVE_MS FINISHED_MS MOUNTS LAST_MOUNT_MS RUNTIME_MS LAST_RUNTIME_MS FIRST_START_MS
#   (KIND: instance | fstab; "-" where a kind has no such figure)
# and results/bench-boot-container-KIND.txt (critical chain and blame of the
# last boot of each kind at the largest N). Sourced by bench/vm-rows, whose
# say, cell, why_missing, results, WORK and where it uses.
# shellcheck shell=bash
# shellcheck disable=SC2154 # results, where and WORK are bench/vm-rows's

# shellcheck source=bench/rows/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# shellcheck source=bench/plot.bash
declare -F plot_sizes >/dev/null || . "$(dirname "${BASH_SOURCE[0]}")/../plot.bash"

CBOOT_RUNS=${BENCH_CONTAINER_BOOT_RUNS:-3}
CBOOT_COUNTS=${BENCH_CONTAINER_BOOT_COUNTS:-20 100}

# boot_container_env: its settings for the suites' bench.env
boot_container_env() {
	printf 'BENCH_CONTAINER_BOOT_RUNS=%s\nBENCH_CONTAINER_BOOT_COUNTS="%s"\n' "$CBOOT_RUNS" "$CBOOT_COUNTS"
}

# boot_container_suite LIST MAX: when the array LIST names 55-boot, the
# boots it plans (a pair per count and run) are added to the boots MAX
# allows; with no run planned, 55-boot leaves LIST.
boot_container_suite() {
	local -n list=$1 maxb=$2
	local s keep=()
	[[ " ${list[*]} " == *" 55-boot "* ]] || return 0
	if ((CBOOT_RUNS > 0)); then
		maxb=$((maxb + 2 * $(wc -w <<<"$CBOOT_COUNTS") * CBOOT_RUNS + 1))
		return 0
	fi
	for s in "${list[@]}"; do [ "$s" = 55-boot ] || keep+=("$s"); done
	list=("${keep[@]}")
}

# cboot_split KIND N: the samples of KIND at N into $WORK/cb.KIND.N, a boot a line
cboot_split() {
	awk -v k="$1" -v n="$2" '$1 == k && $2 == n { $1 = ""; $2 = ""; sub(/^  /, ""); print }' \
		"$results/bench-boot-container.txt" >"$WORK/cb.$1.$2"
}

cboot_median() { # KIND N COLUMN: the median of COLUMN, or -
	if [ -s "$WORK/cb.$1.$2" ] && [ "$(cut -d' ' -f"$3" "$WORK/cb.$1.$2" | head -n 1)" != - ]; then
		stats "$WORK/cb.$1.$2" "$3" | cut -d' ' -f1
	else
		echo -
	fi
}

boot_container_row() {
	local f=$results/bench-boot-container.txt n k r mn mx v missed=""
	if ((CBOOT_RUNS == 0)); then
		say "## Boot$where"
		say ""
		say "not measured: BENCH_CONTAINER_BOOT_RUNS=0"
		say ""
		return 0
	fi
	row_start Boot "$f" 55-boot || return 0
	say "Each boot of the container starts either N left4me instances with LEFT4ME_AUTOSTART=yes (three layers, one sandbox-owned: an overlay each, on the sandbox user's idmapped view of overlays/ that all share; the runtime unit runs at every boot) or N plain services on fstab mounts (standin-fstab@.service, as in the reload row: the same overlay and idmapped bind as two /etc/fstab lines each, made into mount units by systemd-fstab-generator), enabled into multi-user.target.wants; the kinds alternate boot by boot, a pair of boots per run. Time: from PID 1's start to the last server's ActiveEnterTimestampMonotonic. The container has no kernel or initrd of its own: PID 1's start is its UserspaceTimestampMonotonic, which systemd takes as its main() begins, on the host's CLOCK_MONOTONIC like every unit timestamp, so it counts nothing of systemd-nspawn's own setup. Also: to \"Startup finished\" (FinishTimestampMonotonic), the mount units active after the boot (the guest's own too), and to the last of the servers' mounts active. Ratios are the median of the per-pair ratios (min–max). Milliseconds: median (min–max)."
	say ""
	say "| servers | left4me: PID 1 → all active ms | fstab: PID 1 → all active ms | boots each | instances/fstab | target ≤ 1.2 | PID 1 → startup finished ms (left4me; fstab) | mount units active (left4me; fstab) | PID 1 → last server mount active ms (left4me; fstab) |"
	say "|---:|---:|---:|---:|---:|---|---:|---:|---:|"
	: >"$WORK/cb.plot.instance"
	: >"$WORK/cb.plot.fstab"
	for n in $(awk '{ print $2 }' "$f" | sort -nu); do
		for k in instance fstab; do
			cboot_split "$k" "$n"
			[ ! -s "$WORK/cb.$k.$n" ] || echo "$n $(stats "$WORK/cb.$k.$n" 1)" >>"$WORK/cb.plot.$k"
		done
		read -r r mn mx < <(paired_ratio "$WORK/cb.instance.$n" "$WORK/cb.fstab.$n" 1)
		v=$(verdict "$r" 1.2)
		[ "$v" != FAIL ] || missed+=" $n"
		say "| $n | $(cell "$WORK/cb.instance.$n" 1) | $(cell "$WORK/cb.fstab.$n" 1) | $(wc -l <"$WORK/cb.instance.$n"); $(wc -l <"$WORK/cb.fstab.$n") | **$r** ($mn–$mx) | $v | $(cboot_median instance "$n" 2); $(cboot_median fstab "$n" 2) | $(cboot_median instance "$n" 3); $(cboot_median fstab "$n" 3) | $(cboot_median instance "$n" 4); $(cboot_median fstab "$n" 4) |"
	done
	say ""
	[ -z "$missed" ] || boot_container_bounds "$missed"
	boot_container_profile
	say "$(plot_sizes boot-container "Boot: PID 1 to every server active, against servers" servers "ms (median, min-max)" \
		"left4me instances" "$WORK/cb.plot.instance" "plain services on fstab mounts" "$WORK/cb.plot.fstab")"
	say ""
}

# boot_container_bounds SIZES: what bounds a missed target, from the same
# boots: when the servers began to start, the instances' runtime units (a
# oneshot each, before their mounts) and the mounts, beside the fstab
# servers'; then the critical chain of the last server of each kind.
boot_container_bounds() {
	local n k si sf ri rf rt rl mi mf c
	for n in $1; do
		si=$(cboot_median instance "$n" 7)
		sf=$(cboot_median fstab "$n" 7)
		rt=$(cboot_median instance "$n" 5)
		rl=$(cboot_median instance "$n" 6)
		mi=$(cboot_median instance "$n" 4)
		mf=$(cboot_median fstab "$n" 4)
		ri=$(cboot_median instance "$n" 1)
		rf=$(cboot_median fstab "$n" 1)
		say "Target missed at $n servers. What bounds it (medians of the same boots, ms after PID 1's start): the first server began to start at $si (left4me) and $sf (fstab); the instances' $n runtime units (left4me-runtime@N, a oneshot that runs systemd-tmpfiles and left4me-quota, which an instance's mounts wait for) ran $rt ms in all, the last done at $rl; the last of the servers' mounts was active at $mi against $mf, and the last server at $ri against $rf."
		say ""
	done
	for k in instance fstab; do
		c=$results/bench-boot-container-$k.txt
		[ -s "$c" ] || continue
		say "$([ "$k" = instance ] && echo "left4me instances" || echo "Plain services on fstab mounts"), the last boot at the largest size: \`systemd-analyze critical-chain\` of the last server active, and the head of \`systemd-analyze blame\`:"
		say ""
		sed 's/^/    /' "$c"
		say ""
	done
}

# boot_container_profile: where a boot's time goes at 100 servers, for both
# kinds, from a profile taken once.
boot_container_profile() {
	say "Where the time goes, for both kinds (a profile taken once: 2026-12-02, this container, the instances' boot at 100 servers, perf record -e cpu-clock -F 199 -a -g on the host for 15 s while the servers started, 5,859 samples on both CPUs, a qemu VM of another test suite running beside it): 65 % of the samples were the children PID 1 forks to start the servers, before they exec (comm \"(-console)\", named after the first command, the ExecStartPre= of left4me-console, 45 %, and \"(sd-pidns-child)\", the PrivatePIDs= child, 20 %); PID 1 itself 0.3 %, the qemu VM 31 %. Of the first, 81 % were read() of /proc/self/mountinfo (seq_read_iter → show_mountinfo, the kernel printing the mount table), most of the rest libc and libmount parsing it, under systemd-executor's namespace set-up (its /run/systemd/mount-rootfs in the frames): each server's sandbox (ProtectSystem=strict, TemporaryFileSystem=, BindPaths=, InaccessiblePaths=, PrivateTmp=) is built from a mount table that holds every other server's mounts too, and read again and again while it is built, so each start costs more as the servers grow, and a boot faster than linearly (the table and the plot). Both kinds have the same mounts in the same table (the mount units column), the fstab servers the same sandbox (left4me@.service's settings), so both pay it: it sets the boot's length, not the ratio. What would move it, for both: fewer entries in the mount table when the servers' sandboxes are set up, or sandboxes that read it less often (systemd's, not the generator's)."
	say ""
}
