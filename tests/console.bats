#!/usr/bin/env bats
# left4me-console(8): its "quit" verb, the first step of a game server's
# stop, and its "blocking" verb, which a server's start runs first. A "server" here is
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
	[ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null
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
	run --separate-stderr "$TOOL" quit "$T/console" 20 "$SERVER"
	[ "$status" -eq 0 ]
	(($(elapsed_ms "$t0") < 10000))
	[ "$(cat "$T/read")" = quit ]
	[[ $stderr == *"server ended "*" ms after quit"* ]]
	! kill -0 "$SERVER" 2>/dev/null
}

@test "a server that ignores quit: waits the given seconds, warns, exits 0" {
	sleep 30 &
	SERVER=$!
	local t0
	t0=$(date +%s%N)
	run --separate-stderr "$TOOL" quit "$T/console" 1 "$SERVER"
	[ "$status" -eq 0 ]
	(($(elapsed_ms "$t0") >= 1000))
	[[ $stderr == *"server still running 1 s after quit; SIGTERM follows"* ]]
	kill -0 "$SERVER" # untouched: the signals are PID 1's business
	[ "$(timeout 2 head -n 1 <&7)" = quit ]
}

@test "no main process: nothing is written" {
	run --separate-stderr "$TOOL" quit "$T/console" 5
	[ "$status" -eq 0 ]
	[[ $stderr == *"no main process, nothing to ask"* ]]
	run timeout 1 head -c 1 <&7
	[ -z "$output" ]
}

@test "a main process already gone: nothing is written" {
	sh -c 'exit 0' &
	local gone=$!
	wait "$gone"
	run --separate-stderr "$TOOL" quit "$T/console" 5 "$gone"
	[ "$status" -eq 0 ]
	run timeout 1 head -c 1 <&7
	[ -z "$output" ]
}

@test "a console that is a regular file is not written" {
	sleep 30 &
	SERVER=$!
	: >"$T/file"
	run --separate-stderr "$TOOL" quit "$T/file" 5 "$SERVER"
	[ "$status" -eq 0 ]
	[[ $stderr == *"$T/file: cannot write quit: not a FIFO"* ]]
	[ ! -s "$T/file" ]
}

@test "a console that is a symlink to the FIFO is not followed" {
	sleep 30 &
	SERVER=$!
	ln -s "$T/console" "$T/link"
	run --separate-stderr "$TOOL" quit "$T/link" 5 "$SERVER"
	[ "$status" -eq 0 ]
	[[ $stderr == *"$T/link: cannot write quit: "* ]]
	run timeout 1 head -c 1 <&7
	[ -z "$output" ]
	# control: the FIFO itself is written
	run --separate-stderr "$TOOL" quit "$T/console" 0 "$SERVER"
	[ "$(timeout 2 head -n 1 <&7)" = quit ]
}

@test "a FIFO without a reader: refused at once, no hang" {
	mkfifo "$T/lonely"
	sleep 30 &
	SERVER=$!
	run --separate-stderr timeout 5 "$TOOL" quit "$T/lonely" 5 "$SERVER"
	[ "$status" -eq 0 ]
	[[ $stderr == *"$T/lonely: cannot write quit: No such device or address"* ]]
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
	for args in "" "$T/console" "$T/console 3601" "$T/console x" "$T/console 5 1" "$T/console 5 abc" "$T/console 5 1 2"; do
		# shellcheck disable=SC2086 # the words are the arguments
		run --separate-stderr "$TOOL" quit $args
		echo "args: $args -> $status $stderr"
		if [[ $args == "$T/console 5 1" || $args == "$T/console 5 abc" ]]; then
			[ "$status" -eq 0 ] # a MAINPID that is not a process ID: logged, the stop goes on
			[[ $stderr == *"is not a process ID"* ]]
		else
			[ "$status" -eq 2 ]
			[[ $stderr == *"usage: left4me-console blocking | left4me-console quit CONSOLE SECONDS"* ]]
		fi
	done
	for args in "" "nosuch" "blocking extra"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$TOOL" $args
		[ "$status" -eq 2 ]
	done
}
