#!/usr/bin/env bats
# left4me-sandbox(8) on the host, without systemd as PID 1: the command line,
# the configuration, the caller checks and every refusal that comes before
# the helper talks to systemd. Each refusal is exit 125 with one line on
# stderr. The builds themselves are tested in tests/vm/guest/40-sandbox.bats.

bats_require_minimum_version 1.5.0

HELPER=${LEFT4ME_SANDBOX:-$BATS_TEST_DIRNAME/../build/left4me-sandbox}
SERVICE_UID=4242
SANDBOX_UID=4243
SERVER_UID=4245

setup() {
	[ -x "$HELPER" ] || skip "build/left4me-sandbox not built"
	[ "$(id -u)" -eq 0 ] || skip "needs root (the helper refuses everyone else)"
	T=$(mktemp -d)
	write_conf ''
	export LEFT4ME_CONF=$T/left4me.conf
}

teardown() {
	[ -n "${T:-}" ] && rm -rf "$T"
	return 0
}

write_conf() { # extra lines for [sandbox]
	cat >"$T/left4me.conf" <<-EOF2
	[paths]
	state_dir = $T/state
	[users]
	service = $SERVICE_UID
	server = $SERVER_UID
	sandbox = $SANDBOX_UID
	[sandbox]
	script_max = 1K
	$1
	EOF2
}

# run_helper ARGS... < stdin: status, $output = stdout, $stderr = stderr.
run_helper() {
	run --separate-stderr "$HELPER" "$@"
}

# The refusal contract: 125, nothing on stdout, exactly one line on stderr.
assert_refused() { # SUBSTRING
	echo "status=$status stdout=[$output] stderr=[$stderr]"
	[ "$status" -eq 125 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == left4me-sandbox:* ]]
	[[ $stderr == *"$1"* ]]
}

# Runs the helper with /etc/left4me replaced by a directory holding FILE as
# left4me.conf, in a private mount namespace (sudo ignores LEFT4ME_CONF).
run_with_system_conf() { # FILE ARGS...
	local conf=$1 created=
	shift
	[ -d /etc/left4me ] || { mkdir /etc/left4me && created=1; }
	run --separate-stderr unshare --mount --propagation private sh -c '
		mount -t tmpfs tmpfs /etc/left4me && { [ -z "$1" ] || cp "$1" /etc/left4me/left4me.conf; } &&
		shift && exec "$@"' sh "$conf" "$@"
	[ -z "$created" ] || rmdir /etc/left4me
}

@test "no arguments" {
	run_helper </dev/null
	assert_refused "expected 2 arguments, got 0"
}

@test "wrong verb" {
	run_helper run 1 </dev/null
	assert_refused "unknown verb"
	run_helper BUILD 1 </dev/null
	assert_refused "unknown verb"
}

@test "extra arguments" {
	run_helper build 1 2 </dev/null
	assert_refused "expected 2 arguments, got 3"
	run_helper build 1 --foo </dev/null
	assert_refused "expected 2 arguments"
}

@test "ID not decimal" {
	for id in abc 1a -1 +1 ' 1' '1 ' 0x10 1.0 '' ../1 1/2; do
		run_helper build "$id" </dev/null
		assert_refused "is not a decimal number"
	done
}

@test "ID with leading zeros, zero, or too large" {
	for id in 01 007 0 2147483648 99999999999999999999 184467440737095516160; do
		run_helper build "$id" </dev/null
		assert_refused "not a decimal number in 1..2147483647"
	done
}

@test "a long hostile ID is not echoed" {
	run_helper build "$(printf 'x%.0s' {1..5000})" </dev/null
	assert_refused "overlay ID is not a decimal number"
	[ "${#stderr}" -lt 200 ]
}

@test "not root: refused (setpriv --reuid)" {
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$HELPER" build 1 </dev/null
	assert_refused "must be run as root"
}

@test "not root: refused (runuser)" {
	run --separate-stderr runuser -u nobody -- "$HELPER" build 1 </dev/null
	assert_refused "must be run as root"
}

@test "through sudo by a user who is not the service user: refused" {
	run_with_system_conf "$T/left4me.conf" env SUDO_UID=4244 "$HELPER" build 1 </dev/null
	assert_refused "called by uid 4244 through sudo; only root and the service user"
}

@test "SUDO_UID that is not a uid: refused" {
	run_with_system_conf "$T/left4me.conf" env SUDO_UID=abc "$HELPER" build 1 </dev/null
	assert_refused "SUDO_UID is not a user id"
}

@test "through sudo, LEFT4ME_CONF is ignored: only the system file counts" {
	# LEFT4ME_CONF names a valid file, but the system file is missing.
	run_with_system_conf "" env SUDO_UID=$SERVICE_UID LEFT4ME_CONF="$T/left4me.conf" "$HELPER" build 1 </dev/null
	assert_refused "/etc/left4me/left4me.conf: error: cannot open"
}

@test "bad config: missing file" {
	LEFT4ME_CONF=$T/nope.conf run_helper build 1 </dev/null
	assert_refused "nope.conf: error: cannot open"
}

@test "bad config: not a number" {
	write_conf 'time_limit = soon'
	run_helper build 1 </dev/null
	assert_refused "time_limit=soon: not a number"
}

@test "bad config: bad size" {
	write_conf 'memory_max = 2Q'
	run_helper build 1 </dev/null
	assert_refused "memory_max=2Q"
}

@test "bad config: deny_networks entry that is not a prefix" {
	write_conf 'deny_networks = 198.51.100.0/24 10.0.0.0/33'
	run_helper build 1 </dev/null
	assert_refused 'deny_networks=10.0.0.0/33: is not an IP address or prefix'
	write_conf 'deny_networks = 1.2.3'
	run_helper build 1 </dev/null
	assert_refused 'deny_networks=1.2.3:'
}

@test "bad config: resolv_conf that is not a safe path" {
	write_conf 'resolv_conf = /etc/../etc/resolv.conf'
	run_helper build 1 </dev/null
	assert_refused "resolv_conf"
}

@test "bad config: service and sandbox are the same user" {
	sed -i "s/^sandbox = .*/sandbox = $SERVICE_UID/" "$T/left4me.conf"
	run_helper build 1 </dev/null
	assert_refused "three different users"
}

@test "bad config: the server user is the service user" {
	sed -i "s/^server = .*/server = $SERVICE_UID/" "$T/left4me.conf"
	run_helper build 1 </dev/null
	assert_refused "three different users"
}

@test "script larger than script_max: refused before anything is set up" {
	head -c 1025 /dev/zero | tr '\0' x >"$T/script"
	run_helper build 1 <"$T/script"
	assert_refused "larger than script_max (1024 bytes)"
	[ ! -e "$T/state" ]
}

@test "script of exactly script_max is read" {
	head -c 1024 /dev/zero | tr '\0' x >"$T/script"
	run_helper build 1 <"$T/script"
	# It gets past the script: what fails next is set-up, not the size.
	[ "$status" -eq 125 ]
	[[ $stderr != *script_max* ]]
}

@test "stdout closed: refused" {
	run --separate-stderr sh -c 'exec "$0" build 1 </dev/null >&-' "$HELPER"
	[ "$status" -eq 125 ]
	[[ $stderr == *"file descriptor 1 is not open"* ]]
}

@test "stdout or stderr a terminal: refused, so no build is handed the caller's terminal" {
	command -v script >/dev/null || skip "script(1) not installed"
	run script -qec "\"$HELPER\" build 1 </dev/null 2>/dev/null; echo rc=\$?" /dev/null
	echo "$output"
	[[ $output == *rc=125* ]]
	run script -qec "\"$HELPER\" build 1 </dev/null >/dev/null; echo rc=\$?" /dev/null
	echo "$output"
	[[ $output == *"stderr is a terminal"* ]]
	[[ $output == *rc=125* ]]
	# control: the same call with both piped gets past the check (to the next refusal)
	run --separate-stderr sh -c '"$0" build 1 </dev/null | cat' "$HELPER"
	[[ $stderr != *"a terminal"* ]]
}

# ---- The overlay directory: the same walk and ownership rule as the
# generator's (lib/safe_walk.c), from "/" down to state_dir/overlays/ID; the
# trees mirror those of generator-bad-input.bats ("disk: ...", "control: ...").

# Runs the helper in its own PID and mount namespaces, under a shell that is
# their PID 1, with a private /run: it gets as far as the overlay directory
# and stops at the system bus, which is not there. State left in $T shows how
# far it got; what it left in /run/left4me-sandbox is listed in $T/run-left.
# With HOLD="NAME..." (at most 6) the shell holds an flock on each of those
# files in /run/left4me-sandbox while the helper runs, as running builds
# would: ID.lock, slot.N.
run_helper_as_init() {
	unshare --mount --pid --fork true 2>/dev/null || skip "unshare --pid not permitted here"
	rm -f "$T/run-left"
	run --separate-stderr env HOLD="${HOLD:-}" RUN_LEFT="$T/run-left" \
		unshare --mount --pid --fork --mount-proc --propagation private sh -c '
		mount -t tmpfs tmpfs /run && mkdir -m 0700 /run/left4me-sandbox || exit 99
		fd=4
		for name in $HOLD; do
			eval "exec $fd>/run/left4me-sandbox/$name" && flock -n $fd || exit 99
			fd=$((fd + 1))
		done
		"$@"
		s=$?
		ls -A /run/left4me-sandbox >"$RUN_LEFT"
		exit $s' sh "$HELPER" "$@"
}

# Whether the run left NAME in /run/left4me-sandbox. (A bare "! grep" in a
# test's body would not fail it: set -e ignores negated commands.)
left_in_run_dir() { grep -qx "$1" "$T/run-left"; }
not_left_in_run_dir() { ! left_in_run_dir "$1"; }

# The helper got past the overlay directory and every check before the build
# (it stopped at the system bus), and left nothing behind: the directory
# overlays/ID it made for a build that then failed is gone, and so is the
# ID's lock file.
assert_tree_accepted() { # ID
	assert_refused "D-Bus: error: cannot connect to the system bus"
	[ ! -e "$T/state/overlays/$1" ]
	not_left_in_run_dir "$1.lock"
}

@test "a second build into a busy overlay is refused, not queued, and leaves the holder's lock file" {
	mkdir -m 0711 "$T/state"
	SECONDS=0
	HOLD=2147483000.lock run_helper_as_init build 2147483000 <<<'echo hi'
	assert_refused "overlay 2147483000 is busy: another build into it is running"
	[ "$SECONDS" -lt 5 ]
	left_in_run_dir 2147483000.lock
	# control: another overlay is not blocked; it gets past the lock, and its
	# own lock file goes with it
	HOLD=2147483000.lock run_helper_as_init build 2147482999 <<<'echo hi'
	assert_tree_accepted 2147482999
	left_in_run_dir 2147483000.lock
}

# This host's file systems enforce no project quotas (the VM's root does:
# tests/vm/guest/41-sandbox-budgets.bats).
@test "[sandbox] disk_max on a file system without project quotas: refused, naming the directory and why" {
	mkdir -m 0711 "$T/state"
	write_conf 'disk_max = 50M'
	run_helper_as_init build 7 <<<'echo hi'
	assert_refused "left4me-sandbox: $T/state/overlays/7: error: cannot hold overlay 7's disk budget ([sandbox] disk_max): its file system"
	[[ $stderr == *"project quotas"* ]]
	# The directory made for the build and the lock file went with it.
	[ ! -e "$T/state/overlays/7" ]
	not_left_in_run_dir 7.lock
}

@test "control: without [sandbox] disk_max (or infinity) the same build gets past the budget" {
	mkdir -m 0711 "$T/state"
	run_helper_as_init build 7 <<<'echo hi'
	assert_tree_accepted 7
	write_conf 'disk_max = infinity'
	run_helper_as_init build 7 <<<'echo hi'
	assert_tree_accepted 7
}

@test "[sandbox] max_builds: one build more is refused at once, not queued" {
	mkdir -m 0711 "$T/state"
	write_conf 'max_builds = 1'
	SECONDS=0
	HOLD=slot.0 run_helper_as_init build 7 <<<'echo hi'
	assert_refused "left4me-sandbox: error: 1 build is running, the most [sandbox] max_builds allows: try again later"
	[ "$SECONDS" -lt 5 ]
	# It took the overlay's lock first, and let it go with its file.
	not_left_in_run_dir 7.lock
	[ ! -e "$T/state/overlays/7" ]
	write_conf 'max_builds = 2'
	HOLD="slot.0 slot.1" run_helper_as_init build 7 <<<'echo hi'
	assert_refused "error: 2 builds are running, the most [sandbox] max_builds allows: try again later"
}

@test "control: [sandbox] max_builds with a slot free (or released) gets past the check" {
	mkdir -m 0711 "$T/state"
	write_conf 'max_builds = 2'
	HOLD=slot.0 run_helper_as_init build 7 <<<'echo hi'
	assert_tree_accepted 7
	write_conf 'max_builds = 1'
	run_helper_as_init build 7 <<<'echo hi'
	assert_tree_accepted 7
	# The slot files stay: at most max_builds of them.
	left_in_run_dir slot.0
}

@test "overlay tree: root-owned 0711 and 0755 parents are accepted, overlays and the ID are made" {
	mkdir -m 0711 "$T/state"
	run_helper_as_init build 7 <<<'true'
	assert_tree_accepted 7
	[ "$(stat -c %u:%a "$T/state/overlays")" = "0:755" ]
}

@test "an existing overlay directory is kept after a failed build, empty or not" {
	mkdir -m 0711 "$T/state"
	mkdir -p -m 0755 "$T/state/overlays/7" "$T/state/overlays/8/maps"
	chown "$SERVER_UID:$SERVER_UID" "$T/state/overlays/7" "$T/state/overlays/8"
	run_helper_as_init build 7 <<<'true'
	assert_refused "D-Bus: error: cannot connect to the system bus"
	[ "$(stat -c %u:%a "$T/state/overlays/7")" = "$SERVER_UID:755" ]
	run_helper_as_init build 8 <<<'true'
	assert_refused "D-Bus: error: cannot connect to the system bus"
	[ -d "$T/state/overlays/8/maps" ]
}

@test "overlay tree: a parent writable by its group without the sticky bit is refused" {
	mkdir -m 0711 "$T/state"
	mkdir -m 0775 "$T/state/overlays"
	run_helper_as_init build 7 <<<'true'
	assert_refused "$T/state/overlays: error: is a parent of a mounted path but is not root-owned or is writable by group or others without the sticky bit"
	[ ! -e "$T/state/overlays/7" ]
}

@test "overlay tree: a sticky world-writable state_dir holding root's overlays is accepted" {
	mkdir -m 1777 "$T/state"
	mkdir -m 0755 "$T/state/overlays"
	run_helper_as_init build 7 <<<'true'
	assert_tree_accepted 7
}

# The sticky bit keeps others from renaming only entries they do not own.
@test "overlay tree: a sticky overlays directory holding the server user's ID is refused" {
	mkdir -m 0711 "$T/state"
	mkdir -m 1777 "$T/state/overlays"
	mkdir -m 0755 "$T/state/overlays/7"
	chown "$SERVER_UID:$SERVER_UID" "$T/state/overlays/7"
	run_helper_as_init build 7 <<<'true'
	assert_refused "$T/state/overlays: error: is a parent of a mounted path but is writable by group or others, and its sticky bit protects only entries that exist and are root's"
}

@test "overlay tree: nothing is made in a sticky directory (anyone may make it first)" {
	mkdir -m 1777 "$T/state"
	run_helper_as_init build 7 <<<'true'
	assert_refused "$T/state: error: is a parent of a mounted path but is writable by group or others, and its sticky bit"
	[ ! -e "$T/state/overlays" ]
}

@test "overlay tree: a state_dir not owned by root is refused" {
	mkdir -m 0711 "$T/state"
	chown "$SERVICE_UID" "$T/state"
	run_helper_as_init build 7 <<<'true'
	assert_refused "$T/state: error: is a parent of a mounted path but is not root-owned"
	[ ! -e "$T/state/overlays" ]
}

@test "overlay tree: an ancestor of state_dir not owned by root is refused (checked from /)" {
	mkdir -p "$T/parent/state"
	chown "$SERVICE_UID" "$T/parent"
	sed -i "s|^state_dir = .*|state_dir = $T/parent/state|" "$T/left4me.conf"
	run_helper_as_init build 7 <<<'true'
	assert_refused "$T/parent: error: is a parent of a mounted path but is not root-owned"
	[ ! -e "$T/parent/state/overlays" ]
}

@test "overlay tree: a symlink anywhere on the way is refused" {
	mkdir -p "$T/real/state/overlays/7"
	ln -s real "$T/link"
	sed -i "s|^state_dir = .*|state_dir = $T/link/state|" "$T/left4me.conf"
	run_helper_as_init build 7 <<<'true'
	assert_refused "$T/link: error: is a symlink"
	sed -i "s|^state_dir = .*|state_dir = $T/real/state|" "$T/left4me.conf"
	mv "$T/real/state/overlays" "$T/real/state/elsewhere"
	ln -s elsewhere "$T/real/state/overlays"
	run_helper_as_init build 7 <<<'true'
	assert_refused "$T/real/state/overlays: error: is a symlink"
	rm "$T/real/state/overlays"
	mv "$T/real/state/elsewhere" "$T/real/state/overlays"
	ln -s 7 "$T/real/state/overlays/8"
	run_helper_as_init build 8 <<<'true'
	assert_refused "$T/real/state/overlays/8: error: is a symlink"
}

@test "sudoers file passes visudo" {
	command -v visudo >/dev/null || skip "visudo missing (apt-get install sudo)"
	run visudo -c -f "$BATS_TEST_DIRNAME/../conf/sudoers.d/left4me"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "sudoers entry: the service user, this helper, the build verb, no environment" {
	f=$BATS_TEST_DIRNAME/../conf/sudoers.d/left4me
	grep -Eq '^left4me ALL=\(root\) NOPASSWD: NOEXEC: /usr/libexec/left4me/left4me-sandbox build ' "$f"
	grep -q 'env_reset' "$f"
	! grep -Eq 'SETENV|env_keep|!env_reset' "$f" || false
}
