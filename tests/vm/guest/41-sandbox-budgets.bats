#!/usr/bin/env bats
# left4me-sandbox(8)'s budgets under a real systemd, on a root file system
# with ext4 project quotas enforced: [sandbox] disk_max (each overlay's disk
# budget, across its builds), builds that cannot move their files out of it,
# [sandbox] max_builds, and what a failed build leaves behind. Every
# "cannot" has a control showing the same attempt working where it should.

load lib
load sandbox

OVERLAYS=/var/lib/left4me/overlays
MIB=$((1024 * 1024))
# Files past the budget fail; what the overlay holds may pass it by the
# blocks of metadata the kernel counts beside the data.
SLACK=$((256 * 1024))

projid_of() { echo $((2147483647 + $1)); }

# project_usage ID: "USED HARD" of overlay ID's project, in KiB (repquota).
project_usage() { project_blocks "$(projid_of "$1")"; }

avail_bytes() { df -B1 --output=avail / | tail -1; }

# The project ID that lsattr shows for PATH (a directory itself with -d).
projid_on_disk() { lsattr -p "$@" | awk '{ print $1 }'; }

budget_line() { # ID
	echo "left4me-sandbox: overlay $1 reached its disk budget of 50M ([sandbox] disk_max); files written past it failed with \"Disk quota exceeded\""
}

FILL_300M='dd if=/dev/zero of=fill bs=1M count=300 status=none || exit 7; echo WROTE-ALL'

setup_file() {
	systemd-sysusers
	systemd-tmpfiles --create left4me.conf
	cp "$CONF" "$BATS_FILE_TMPDIR/left4me.conf.orig"
	: >"$BATS_FILE_TMPDIR/pids"
}

teardown_file() {
	cp "$BATS_FILE_TMPDIR/left4me.conf.orig" "$CONF"
}

teardown() {
	cp "$BATS_FILE_TMPDIR/left4me.conf.orig" "$CONF"
	while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$BATS_FILE_TMPDIR/pids"
	: >"$BATS_FILE_TMPDIR/pids"
	for u in $(sandbox_units_any); do systemctl stop "$u" || true; done
	for id in $(seq 201 212); do
		rm -rf "${OVERLAYS:?}/$id"
		setquota -P "$(projid_of "$id")" 0 0 0 0 / 2>/dev/null || true
	done
}

@test "the root file system enforces project quotas (what the rest of this suite needs)" {
	run quotaon -Pp /
	echo "$output"
	[[ $output == *"is on"* ]]
	repquota -P -n / >/dev/null
}

@test "a build writing 300M into a 50M budget is held at it, fails with its own status and says why" {
	sandbox_conf 'disk_max = 50M'
	before=$(avail_bytes)
	run worker_build 201 <<<"$FILL_300M"
	echo "$output"
	[ "$status" -eq 7 ]
	[[ $output != *WROTE-ALL* ]]
	[[ $output == *"Disk quota exceeded"* ]]
	[[ $output == *"$(budget_line 201)"* ]]
	[ "$(grep -c 'reached its disk budget' <<<"$output")" -eq 1 ]
	sync
	read -r used hard < <(project_usage 201)
	echo "project $(projid_of 201): used ${used}K, hard ${hard}K"
	[ "$hard" -eq $((50 * 1024)) ]
	[ "$used" -le "$hard" ]
	du=$(du -s -B1 "$OVERLAYS/201" | cut -f1)
	echo "du: $du"
	[ "$du" -le $((50 * MIB + SLACK)) ]
	# The host lost no more than the budget (and a little for the journal).
	after=$(avail_bytes)
	echo "avail: $before -> $after"
	[ $((before - after)) -le $((50 * MIB + 4 * MIB)) ]
}

@test "control: without disk_max the same build writes all 300M and says nothing of a budget" {
	before=$(avail_bytes)
	run worker_build 202 <<<"$FILL_300M"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *WROTE-ALL* ]]
	[[ $output != *"disk budget"* ]]
	sync
	[ "$(du -s -B1 "$OVERLAYS/202" | cut -f1)" -ge $((300 * MIB)) ]
	[ $(($(avail_bytes) - before)) -le $((-300 * MIB + 4 * MIB)) ]
	# The overlay still has its project ID, with no limit.
	[ "$(projid_on_disk -d "$OVERLAYS/202")" = "$(projid_of 202)" ]
	read -r used hard < <(project_usage 202)
	[ "$hard" -eq 0 ]
	[ "$used" -ge $((300 * 1024)) ]
}

@test "the budget holds across builds: two of 30M into 50M, the second is held" {
	sandbox_conf 'disk_max = 50M'
	run worker_build 203 <<<'dd if=/dev/zero of=one bs=1M count=30 status=none || exit 7; echo FIRST'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *FIRST* ]]
	[[ $output != *"disk budget"* ]]
	run worker_build 203 <<<'dd if=/dev/zero of=two bs=1M count=30 status=none || exit 7; echo SECOND'
	echo "$output"
	[ "$status" -eq 7 ]
	[[ $output != *SECOND* ]]
	[[ $output == *"$(budget_line 203)"* ]]
	sync
	[ "$(du -s -B1 "$OVERLAYS/203" | cut -f1)" -le $((50 * MIB + SLACK)) ]
}

@test "without disk_max a stale limit is cleared" {
	sandbox_conf 'disk_max = 50M'
	run worker_build 204 <<<'true'
	[ "$status" -eq 0 ]
	read -r used hard < <(project_usage 204)
	[ "$hard" -eq $((50 * 1024)) ]
	sandbox_conf 'disk_max = infinity'
	run worker_build 204 <<<'dd if=/dev/zero of=fill bs=1M count=80 status=none || exit 7; echo WROTE-ALL'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *WROTE-ALL* ]]
	read -r used hard < <(project_usage 204)
	[ "$hard" -eq 0 ]
}

@test "a build cannot change its files' project ID (chattr -p), so cannot leave its budget" {
	sandbox_conf 'disk_max = 50M'
	run worker_build 205 <<<'echo x >f; if chattr -p 0 f; then echo CHANGED; else echo REFUSED; fi; lsattr -p f'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *REFUSED* ]]
	[[ $output != *CHANGED* ]]
	d=$OVERLAYS/205
	[ "$(projid_on_disk -d "$d")" = "$(projid_of 205)" ]
	[ "$(projid_on_disk "$d/f")" = "$(projid_of 205)" ]
}

@test "control: outside the build, the file's owner and root can change its project ID" {
	sandbox_conf 'disk_max = 50M'
	run worker_build 206 <<<'echo x >f; echo y >g'
	[ "$status" -eq 0 ]
	d=$OVERLAYS/206
	[ "$(projid_on_disk "$d/f")" = "$(projid_of 206)" ]
	# The server user owns the files on disk: in the host's user namespace
	# that is enough, which is why builds run in one of their own.
	setpriv --reuid=l4d2-server --regid=l4d2-server --clear-groups -- chattr -p 0 "$d/f"
	[ "$(projid_on_disk "$d/f")" = 0 ]
	chattr -p 0 "$d/g"
	[ "$(projid_on_disk "$d/g")" = 0 ]
}

@test "max_builds = 2: a third build is refused at once while two run; after they end one runs" {
	sandbox_conf 'max_builds = 2'
	worker_build 207 >/dev/null 2>&1 3>&- <<<'sleep 30' &
	echo $! >>"$BATS_FILE_TMPDIR/pids"
	worker_build 208 >/dev/null 2>&1 3>&- <<<'sleep 30' &
	echo $! >>"$BATS_FILE_TMPDIR/pids"
	vm_wait_for 60 sandbox_units_for 207
	vm_wait_for 60 sandbox_units_for 208
	SECONDS=0
	run worker_build 209 <<<'echo third'
	echo "$output"
	[ "$status" -eq 125 ]
	[[ $output == *"2 builds are running, the most [sandbox] max_builds allows: try again later"* ]]
	[[ $output != *third* ]]
	[ "$SECONDS" -lt 20 ]
	run ! sandbox_units_for 209
	for u in $(sandbox_units_any); do systemctl stop "$u"; done
	while read -r pid; do wait "$pid" || true; done <"$BATS_FILE_TMPDIR/pids"
	: >"$BATS_FILE_TMPDIR/pids"
	run worker_build 209 <<<'echo third'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *third* ]]
}

@test "a failed first build into a new overlay leaves neither its empty directory nor its lock file" {
	run worker_build 210 <<<'exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[ ! -e "$OVERLAYS/210" ]
	[ ! -e /run/left4me-sandbox/210.lock ]
	# control: one that succeeds keeps its directory, even empty
	run worker_build 210 <<<'exit 0'
	[ "$status" -eq 0 ]
	[ -d "$OVERLAYS/210" ]
	[ ! -e /run/left4me-sandbox/210.lock ]
	# control: one that fails after writing keeps what it wrote
	run worker_build 211 <<<'echo x >kept; exit 3'
	[ "$status" -eq 3 ]
	[ -f "$OVERLAYS/211/kept" ]
}

@test "control: the lock file exists while its build runs" {
	worker_build 212 >/dev/null 2>&1 3>&- <<<'sleep 30' &
	echo $! >>"$BATS_FILE_TMPDIR/pids"
	vm_wait_for 60 sandbox_units_for 212
	[ -e /run/left4me-sandbox/212.lock ]
	for u in $(sandbox_units_any); do systemctl stop "$u"; done
	while read -r pid; do wait "$pid" || true; done <"$BATS_FILE_TMPDIR/pids"
	: >"$BATS_FILE_TMPDIR/pids"
	[ ! -e /run/left4me-sandbox/212.lock ]
}
