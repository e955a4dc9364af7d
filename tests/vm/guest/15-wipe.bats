#!/usr/bin/env bats
# Nothing left behind: a server fills its game directory with every kind of
# entry it can make; reset and delete, run as the web app's user, take the
# writable layer out of the instance's reach at once (a rename into the
# trash) and left4me-trash.service removes it, following no link and
# entering no other mount; what cannot be removed fails loudly. Then starts
# and stops at any pace, and a removal cut short by a reboot (the
# after-reboot suite).

load lib
load instances

TRASH=$STATE/trash
OUTSIDE=/var/tmp/l4m-wipe-outside

as_webapp() { runuser -u left4me -- "$@"; }
as_server() { runuser -u l4d2-server -- "$@"; }

trash_empty() { [ -z "$(ls -A "$TRASH")" ]; }
trash_settled() { trash_empty && ! systemctl is-active -q left4me-trash.service; }

wipe_instance() { # N
	write_instance "$1" "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=$((27000 + $1))"
}

# fill N: as the server, every kind of entry it can leave in its game
# directory (a whiteout and an opaque directory for lower files it deleted).
fill() {
	local m
	m=$(merged_of "$1")
	as_server sh -ec "
		cd '$m'
		mkdir -p junk && cd junk
		echo plain >regular
		echo s >sticky-file && chmod 1644 sticky-file
		mkdir sticky-dir && chmod 1777 sticky-dir && touch sticky-dir/inside
		echo z >mode0000 && chmod 0000 mode0000
		mkdir dir0000 && touch dir0000/inside && chmod 0000 dir0000
		mkfifo fifo
		ln regular hardlink
		ln -s / link-to-root
		ln -s '$OUTSIDE/keep' link-outside
		touch \"\$(printf 'new\nline')\"
		touch \"\$(printf 'esc\033[2Jape')\"
		d=deep; for i in \$(seq 1 200); do d=\$d/d; done; mkdir -p \$d && touch \$d/bottom
		nc -lU socket & pid=\$!; sleep 1; kill \$pid
		cd '$m'
		rm left4dead2/gameinfo.txt
		rm -r left4dead2/addons && mkdir left4dead2/addons
	"
	[ -S "$m/junk/socket" ]
	[ -c "$STATE/runtime/$1/upper/left4dead2/gameinfo.txt" ]
}

# filled_instance N: instance N running, started as the web app starts it,
# its game directory filled by the server.
filled_instance() {
	wipe_instance "$1"
	systemctl daemon-reload
	as_webapp systemctl start "left4me-start@$1.service"
	fill "$1"
}

# The trash emptied without a failure, and nothing outside it touched.
trash_done_cleanly() {
	vm_wait_for 120 trash_settled
	! systemctl is-failed -q left4me-trash.service || false
	[ "$(cat "$OUTSIDE/keep")" = keep ]
	[ -d /usr/bin ]
}

many_files() { # N COUNT
	as_server sh -ec "mkdir -p '$(merged_of "$1")/many' && cd '$(merged_of "$1")/many' && seq 1 $2 | xargs touch"
}

setup_file() {
	mkdir -p "$OUTSIDE"
	echo keep >"$OUTSIDE/keep"
	systemctl is-active -q left4me-trash.path
}

teardown() {
	# the last test leaves its removal for the next boot
	[ -e "$VM_STATE/wipe-pending" ] && return 0
	for n in 51 52 53 54; do
		chattr -R -i "$STATE/runtime/$n" "$TRASH" 2>/dev/null || true
		umount -R "$STATE/runtime/$n/upper/mnt" 2>/dev/null || true
		forget_instance "$n"
	done
	find "$TRASH" -mindepth 1 -maxdepth 1 -exec sh -c 'chattr -R -i "$1"; umount -R "$1"/*/mnt 2>/dev/null; true' _ {} \;
	systemctl reset-failed left4me-trash.service left4me-trash.path 2>/dev/null || true
	systemctl unmask --runtime left4me-trash.path 2>/dev/null || true
	systemctl start left4me-trash.path
	vm_wait_for 120 trash_settled || true
}

teardown_file() {
	rm -rf "$OUTSIDE"
}

@test "the trash is root's alone and watched by PID 1" {
	[ "$(stat -c '%U %a' "$TRASH")" = "root 700" ]
	systemctl is-active -q left4me-trash.path
	[ -L /run/systemd/generator/multi-user.target.wants/left4me-trash.path ]
	# control: the server user lists a directory beside it, not the trash
	as_server ls "$STATE/overlays" >/dev/null
	run as_server ls "$TRASH"
	[ "$status" -ne 0 ]
}

@test "reset as the web app: every kind of entry is gone, nothing followed, nothing left" {
	filled_instance 51
	as_webapp systemctl start left4me-reset@51.service
	# at once out of reach: no upper, and the next start sees an empty one
	[ ! -e "$STATE/runtime/51/upper" ]
	as_webapp systemctl start left4me-start@51.service
	[ -z "$(ls -A "$STATE/runtime/51/upper")" ] || [ "$(ls -A "$STATE/runtime/51/upper")" = left4dead2 ]
	[ ! -e "$(merged_of 51)/junk" ]
	[ -f "$(merged_of 51)/left4dead2/gameinfo.txt" ]
	trash_done_cleanly
}

@test "delete as the web app: the runtime directory is gone at once, then from the trash too" {
	filled_instance 52
	as_webapp systemctl start left4me-delete@52.service
	[ ! -e "$STATE/runtime/52" ]
	trash_done_cleanly
}

@test "reset with 100,000 files: out of reach at once, removed afterwards" {
	wipe_instance 53
	systemctl daemon-reload
	systemctl start left4me@53.service
	many_files 53 100000
	[ "$(find "$STATE/runtime/53/upper/many" -type f | wc -l)" -eq 100000 ]
	t0=$(now_ms)
	as_webapp systemctl start left4me-reset@53.service
	t1=$(now_ms)
	[ ! -e "$STATE/runtime/53/upper" ]
	vm_wait_for 600 trash_settled
	t2=$(now_ms)
	figure "reset with 100,000 files: returned in $((t1 - t0)) ms, trash removed $((t2 - t1)) ms later"
	! systemctl is-failed -q left4me-trash.service || false
}

@test "a layer that cannot be renamed (immutable upper) fails the reset with its message" {
	wipe_instance 54
	systemctl daemon-reload
	systemctl start left4me@54.service
	systemctl stop left4me@54.service
	wait_unmounted 54
	chattr +i "$STATE/runtime/54/upper"
	run as_webapp systemctl start left4me-reset@54.service
	[ "$status" -ne 0 ]
	journalctl -b -u left4me-reset@54.service --no-pager -q | grep -F "cannot move '$STATE/runtime/54/upper'"
	chattr -i "$STATE/runtime/54/upper"
	# control: without the flag the same reset succeeds
	as_webapp systemctl start left4me-reset@54.service
	[ ! -e "$STATE/runtime/54/upper" ]
}

@test "what the trash cannot remove (an immutable file) fails left4me-trash.service, naming it, and stays out of reach" {
	wipe_instance 54
	systemctl daemon-reload
	systemctl start left4me@54.service
	as_server sh -c "echo x >'$(merged_of 54)/stuck'"
	systemctl stop left4me@54.service
	wait_unmounted 54
	chattr +i "$STATE/runtime/54/upper/stuck"
	since=$(date '+%Y-%m-%d %H:%M:%S')
	as_webapp systemctl start left4me-reset@54.service
	vm_wait_for 60 systemctl is-failed -q left4me-trash.service
	journalctl --since "$since" -u left4me-trash.service --no-pager -q -o cat | grep -E "cannot remove '$TRASH/54\.[^/]+/upper/stuck'"
	# the instance does not see it
	systemctl start left4me@54.service
	[ ! -e "$(merged_of 54)/stuck" ]
	# control: once the flag is gone the trash empties
	find "$TRASH" -name stuck -exec chattr -i {} +
	systemctl reset-failed left4me-trash.service left4me-trash.path
	systemctl start left4me-trash.path
	vm_wait_for 120 trash_settled
}

@test "a mount left inside a layer is unmounted by the reset before the rename, and nothing beneath it is removed" {
	wipe_instance 54
	systemctl daemon-reload
	systemctl start left4me@54.service
	systemctl stop left4me@54.service
	wait_unmounted 54
	mkdir "$STATE/runtime/54/upper/mnt"
	mount --bind "$OUTSIDE" "$STATE/runtime/54/upper/mnt"
	# control: the file is reachable through the mount
	[ "$(cat "$STATE/runtime/54/upper/mnt/keep")" = keep ]
	systemctl start left4me-reset@54.service
	[ -z "$(state_mounts_but_views)" ]
	trash_done_cleanly
}

@test "the trash enters no other file system: what is mounted there is skipped, named, and kept" {
	systemctl mask --runtime --now left4me-trash.path
	mkdir -p "$TRASH/54.mounted/upper/mnt"
	mount -t tmpfs tmpfs "$TRASH/54.mounted/upper/mnt"
	echo kept >"$TRASH/54.mounted/upper/mnt/file"
	since=$(date '+%Y-%m-%d %H:%M:%S')
	systemctl unmask --runtime left4me-trash.path
	systemctl start left4me-trash.path
	vm_wait_for 60 systemctl is-failed -q left4me-trash.service
	journalctl --since "$since" -u left4me-trash.service --no-pager -q -o cat | grep -F "skipping '$TRASH/54.mounted/upper/mnt'"
	[ "$(cat "$TRASH/54.mounted/upper/mnt/file")" = kept ]
	# control: unmounted, the same directory goes
	umount "$TRASH/54.mounted/upper/mnt"
	systemctl reset-failed left4me-trash.service left4me-trash.path
	systemctl start left4me-trash.path
	vm_wait_for 120 trash_settled
}

# none_failed_of_51: no unit of instance 51, its mounts or the servers'
# journal namespace is failed (no_failed_units names those that are).
none_failed_of_51() { no_failed_units '*@51.*' '*-runtime-51-*' '*@left4me.*'; }

# Through the web app's units, started by root: the web app's right to start
# them is 11-polkit's, and polkit's check costs seconds per call under TCG.
@test "twenty start/stop cycles in a row through the web app's units: every start mounts, no unit left failed" {
	wipe_instance 51
	systemctl daemon-reload
	for i in $(seq 1 20); do
		systemctl start left4me-start@51.service
		mountpoint -q "$(merged_of 51)"
		systemctl start left4me-stop@51.service
	done
	wait_unmounted 51
	none_failed_of_51
}

@test "twenty direct start/stop cycles in a row, the server's own counter cleared as left4me-start@ does: every start mounts, no unit left failed" {
	wipe_instance 51
	systemctl daemon-reload
	for i in $(seq 1 20); do
		# as its "-": fails while the unit is not loaded
		systemctl reset-failed left4me@51.service 2>/dev/null || true
		systemctl start left4me@51.service
		mountpoint -q "$(merged_of 51)"
		systemctl stop left4me@51.service
	done
	wait_unmounted 51
	none_failed_of_51
}

# Every server start starts the namespace's sync unit and the stop of the
# last one stops it. At native speed (systemd-nspawn, without the drop-in)
# a server start failed on it within six quick start/stop cycles, with
# start-limit-hit; under TCG the cycles are too slow to reach the limit, so
# here the limit itself is checked, beside a namespace without the drop-in.
@test "the servers' journal namespace sync unit has no start limit; another namespace's has systemd's default" {
	d=/usr/lib/systemd/system/systemd-journald-sync@left4me.service.d/50-left4me.conf
	[[ " $(systemctl show -P DropInPaths systemd-journald-sync@left4me.service) " == *" $d "* ]]
	[ "$(systemctl show -P StartLimitIntervalUSec systemd-journald-sync@left4me.service)" = 0 ]
	# control: the same template, another namespace
	[ "$(systemctl show -P StartLimitIntervalUSec systemd-journald-sync@l4mother.service)" = 10s ]
	[ "$(systemctl show -P StartLimitBurst systemd-journald-sync@l4mother.service)" = 5 ]
}

@test "a removal cut short by a reboot: nothing visible, finished at the next boot" {
	wipe_instance 53
	systemctl daemon-reload
	systemctl start left4me@53.service
	many_files 53 20000
	# as if the removal had not got far: nothing starts it before the reboot
	systemctl mask --runtime --now left4me-trash.path
	as_webapp systemctl start left4me-reset@53.service
	[ ! -e "$STATE/runtime/53/upper" ]
	[ -n "$(ls -A "$TRASH")" ]
	# kept for the after-reboot suite: teardown must not clean this one
	echo 53 >"$VM_STATE/wipe-pending"
	vm_request_reboot
}
