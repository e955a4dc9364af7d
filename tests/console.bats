#!/usr/bin/env bats
# left4me-console(8): its "quit" verb, the first steps of a game server's
# stop (quit, then SIGTERM), and its "blocking" verb, which a server's start runs first. A "server" here is
# a shell that reads the console FIFO, as the server reads its standard
# input; the FIFO is held open read-write by the test, as PID 1 holds it.
# The server's own stop in the VM: tests/vm/guest/16-logs.bats.

bats_require_minimum_version 1.5.0

TOOL=${LEFT4ME_CONSOLE:-$BATS_TEST_DIRNAME/../build/left4me-console}

setup() {
	[ -x "$TOOL" ] || skip "build/left4me-console not built"
	T=$(mktemp -d)
	mkfifo "$T/console"
	exec 7<>"$T/console"
}

teardown() {
	exec 7<&-
	[ -n "${SERVER:-}" ] && kill -KILL "$SERVER" 2>/dev/null
	rm -rf "$T"
	return 0
}

# A server that ends when it reads quit, after writing what it read to $T/read.
start_obedient_server() {
	sh -c 'while read -r line; do echo "$line" >>"$1/read"; [ "$line" = quit ] && exit 0; done' sh "$T" <&7 &
	SERVER=$!
}

elapsed_ms() { echo $((($(date +%s%N) - $1) / 1000000)); }

@test "writes quit and returns as soon as the server has ended" {
	start_obedient_server
	local t0
	t0=$(date +%s%N)
	run --separate-stderr "$TOOL" quit 20 20 "$SERVER" <&7
	[ "$status" -eq 0 ]
	(($(elapsed_ms "$t0") < 10000))
	[ "$(cat "$T/read")" = quit ]
	[[ $stderr == *"server ended "*" ms after quit"* ]]
	! kill -0 "$SERVER" 2>/dev/null || false
}

@test "a server that ignores quit: waits the given seconds, then SIGTERM ends it" {
	sleep 30 &
	SERVER=$!
	local t0
	t0=$(date +%s%N)
	run --separate-stderr "$TOOL" quit 1 20 "$SERVER" <&7
	[ "$status" -eq 0 ]
	(($(elapsed_ms "$t0") >= 1000 && $(elapsed_ms "$t0") < 10000))
	[[ $stderr == *"server still running 1 s after quit; SIGTERM follows"* ]]
	[[ $stderr == *"SIGTERM sent to 1 process of the server"* ]]
	[[ $stderr == *"server ended "*" ms after SIGTERM"* ]]
	! kill -0 "$SERVER" 2>/dev/null || false
	[ "$(timeout 2 head -n 1 <&7)" = quit ]
}

@test "a server that ignores quit and SIGTERM: waits both, warns, leaves it to systemd, exits 0" {
	sh -c 'trap "" TERM; exec sleep 30' &
	SERVER=$!
	local t0
	t0=$(date +%s%N)
	run --separate-stderr "$TOOL" quit 1 1 "$SERVER" <&7
	[ "$status" -eq 0 ]
	(($(elapsed_ms "$t0") >= 2000))
	[[ $stderr == *"SIGTERM sent to 1 process of the server"* ]]
	[[ $stderr == *"server still running 1 s after SIGTERM; systemd's SIGTERM and SIGKILL follow"* ]]
	kill -0 "$SERVER" # SIGKILL is systemd's business
}

# The server as the init of a PID namespace of its own, as PrivatePIDs=yes
# makes it: a shell that waits for its child, as srcds_run waits for srcds.
start_namespace_server() {
	unshare --user --map-root-user --pid --fork sh -c 'sleep 300 & wait; echo "init ended" >"$1/init"' sh "$T" &
	UNSHARE=$!
	for _ in $(seq 50); do
		SERVER=$(pgrep -P "$UNSHARE" -x sh) && pgrep -P "$SERVER" -x sleep >/dev/null && return 0
		sleep 0.1
	done
	return 1
}

@test "a server that is the init of its own PID namespace: SIGTERM reaches every process in it" {
	start_namespace_server
	# control: the kernel drops a SIGTERM sent to the namespace's init alone
	# (it has no handler), so the server would keep running
	kill -TERM "$SERVER"
	sleep 1
	kill -0 "$SERVER"
	run --separate-stderr "$TOOL" quit 0 20 "$SERVER" <&7
	[ "$status" -eq 0 ]
	[[ $stderr == *"SIGTERM sent to 2 processes of the server"* ]]
	[[ $stderr == *"server ended "*" ms after SIGTERM"* ]]
	wait "$UNSHARE" || true
	[ "$(cat "$T/init")" = "init ended" ]
}

@test "a console that cannot be written: SIGTERM at once" {
	sleep 30 &
	SERVER=$!
	run --separate-stderr "$TOOL" quit 20 20 "$SERVER" </dev/null
	[ "$status" -eq 0 ]
	[[ $stderr == *"cannot write quit: standard input is not the console FIFO"* ]]
	[[ $stderr == *"server ended "*" ms after SIGTERM"* ]]
	[[ $stderr != *"after quit"* ]]
}

@test "no main process: nothing is written" {
	run --separate-stderr "$TOOL" quit 5 5 <&7
	[ "$status" -eq 0 ]
	[[ $stderr == *"no main process, nothing to ask"* ]]
	run timeout 1 head -c 1 <&7
	[ -z "$output" ]
}

@test "a main process already gone: nothing is written" {
	sh -c 'exit 0' &
	local gone=$!
	wait "$gone"
	run --separate-stderr "$TOOL" quit 5 5 "$gone" <&7
	[ "$status" -eq 0 ]
	run timeout 1 head -c 1 <&7
	[ -z "$output" ]
}

@test "a standard input that is not a FIFO is not written" {
	sleep 30 &
	SERVER=$!
	: >"$T/file"
	run --separate-stderr "$TOOL" quit 5 0 "$SERVER" <"$T/file"
	[ "$status" -eq 0 ]
	[[ $stderr == *"cannot write quit: standard input is not the console FIFO"* ]]
	[ ! -s "$T/file" ]
}

@test "a full console fails the write at once instead of hanging the stop" {
	sleep 30 &
	SERVER=$!
	head -c 65536 /dev/zero >&7 # nobody reads: the FIFO's buffer is full
	local t0
	t0=$(date +%s%N)
	run --separate-stderr timeout 20 "$TOOL" quit 0 0 "$SERVER" <&7
	[ "$status" -eq 0 ]
	[[ $stderr == *"cannot write quit on the console: Resource temporarily unavailable"* ]]
	(($(elapsed_ms "$t0") < 10000))
}

@test "the write does not change how the server reads: its open file stays blocking" {
	start_obedient_server
	exec 9<>"$T/console" # bash opens blocking, as the server's console is after "blocking"
	run --separate-stderr "$TOOL" quit 20 20 "$SERVER" <&9
	[ "$status" -eq 0 ]
	[ "$(cat "$T/read")" = quit ]
	[ "$(perl -MFcntl -e 'open(my $f, "<&=", 9) or die; print((fcntl($f, F_GETFL, 0) & O_NONBLOCK) ? "nonblocking" : "blocking")')" = blocking ]
	exec 9<&-
}

# with_nonblocking_fifo CMD: runs CMD with the FIFO, opened O_NONBLOCK, as its
# standard input, and prints the open file's O_NONBLOCK before and after.
with_nonblocking_fifo() {
	perl -MFcntl -e '
		sysopen(my $f, $ARGV[0], O_RDWR | O_NONBLOCK) or die "open: $!";
		my $show = sub { (fcntl($f, F_GETFL, 0) & O_NONBLOCK) ? "nonblocking" : "blocking" };
		print "before: ", $show->(), "\n";
		open(STDIN, "<&", $f) or die "dup: $!";
		system($ARGV[1], @ARGV[2 .. $#ARGV]);
		print "status: ", $? >> 8, "\n", "after: ", $show->(), "\n";
	' "$T/console" "$@"
}

@test "blocking: clears O_NONBLOCK of the console that PID 1 opened, for the server started next" {
	run --separate-stderr with_nonblocking_fifo "$TOOL" blocking
	[ "${lines[0]}" = "before: nonblocking" ]
	[ "${lines[1]}" = "status: 0" ]
	[ "${lines[2]}" = "after: blocking" ]
	# control: without it the same open file stays non-blocking
	run --separate-stderr with_nonblocking_fifo true
	[ "${lines[2]}" = "after: nonblocking" ]
}

@test "blocking: a standard input that is not a FIFO is refused and left alone" {
	: >"$T/file"
	run --separate-stderr "$TOOL" blocking <"$T/file"
	[ "$status" -eq 1 ]
	[[ $stderr == *"standard input is not the console FIFO"* ]]
	run --separate-stderr "$TOOL" blocking </dev/null
	[ "$status" -eq 1 ]
}

@test "bad usage: status 2 with the usage line" {
	for args in "" "5" "3601 1" "x 1" "5 x" "5 3601" "5 1 1" "5 1 abc" "5 1 2 3"; do
		# shellcheck disable=SC2086 # the words are the arguments
		run --separate-stderr "$TOOL" quit $args <&7
		echo "args: $args -> $status $stderr"
		if [[ $args == "5 1 1" || $args == "5 1 abc" ]]; then
			[ "$status" -eq 0 ] # a MAINPID that is not a process ID: logged, the stop goes on
			[[ $stderr == *"is not a process ID"* ]]
		else
			[ "$status" -eq 2 ]
			[[ $stderr == *"usage: left4me-console blocking | left4me-console quit QUIT_SECONDS TERM_SECONDS"* ]]
		fi
	done
	for args in "" "nosuch" "blocking extra"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$TOOL" $args
		[ "$status" -eq 2 ]
	done
}
