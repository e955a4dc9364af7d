#!/usr/bin/env bats
# Logs and console for the web app, without sudo: servers log to the journal
# namespace "left4me", which only the web app's user (and root) may read;
# the console FIFO /run/left4me/console/N is written by that user only; a
# stop sends "quit" first. Every refusal has a control showing the same
# attempt working for the web app's user. The previous boot's log is read in
# 20-boot.after-reboot.bats.

load lib
load instances

CONF=/etc/left4me/left4me.conf
NS_DIR=/var/log/journal/$(cat /etc/machine-id).left4me

as_webapp() { runuser -u left4me -- "$@"; }
as_server() { setpriv --reuid=l4d2-server --regid=l4d2-server --clear-groups -- "$@"; }
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
as_sandbox() { setpriv --reuid=l4d2-sandbox --regid=l4d2-sandbox --clear-groups -- "$@"; }

# webapp_log N [options]: server N's log as the web app reads it.
webapp_log() {
	local n=$1
	shift
	as_webapp journalctl --namespace=left4me -u "left4me@$n.service" --no-pager -q -o cat "$@"
}
webapp_log_has() { webapp_log "$1" "${@:3}" | grep -qF -- "$2"; }

start_server() { # N [instance lines]
	write_instance "$1" "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=$((27000 + $1))" "${@:2}"
	systemctl daemon-reload
	systemctl start "left4me@$1.service"
	vm_wait_for 60 log_has "$1" "standin: listening udp"
}

invocation() { systemctl show -P InvocationID "left4me@$1.service"; }

setup_file() {
	cp "$CONF" "$BATS_FILE_TMPDIR/left4me.conf"
	start_server 71
}

teardown_file() {
	cp "$BATS_FILE_TMPDIR/left4me.conf" "$CONF"
	for n in 71 72 73; do forget_instance "$n"; done
	systemctl daemon-reload
	timeout 120 systemctl restart systemd-journald@left4me.service
}

@test "the web app's user reads a server's start line from its log" {
	webapp_log_has 71 "standin: start cwd=$(merged_of 71)"
	# left4me-console blocking ran first: the server reads its console blocking
	webapp_log_has 71 "standin: console is blocking"
	# not through the system journal: the server's output is in the namespace only
	! journalctl -u left4me@71.service --no-pager -q -o cat | grep -qF "standin: start" || false
}

@test "the web app follows the log and sees a console line's effect arrive" {
	local out=$BATS_TEST_TMPDIR/follow
	# bounded, and without bats's fd 3: a follower that outlived the test
	# would hold the suite open until the runner's timeout
	as_webapp timeout 120 journalctl --namespace=left4me -u left4me@71.service -f -n 0 -o cat \
		>"$out" 2>&1 3>&- &
	local follower=$!
	sleep 3
	console 71 "echo follow-$$"
	vm_wait_for 30 grep -qF "standin: console: echo follow-$$" "$out"
	# $! is the subshell running as_webapp: end the follower itself
	pkill -u left4me -x journalctl || true
	wait "$follower" || true
}

@test "the web app resumes from a cursor" {
	console 71 "echo before-cursor-$$"
	vm_wait_for 30 webapp_log_has 71 "echo before-cursor-$$"
	local cursor
	cursor=$(as_webapp journalctl --namespace=left4me -u left4me@71.service -n 1 -o export | sed -n 's/^__CURSOR=//p')
	[ -n "$cursor" ]
	console 71 "echo after-cursor-$$"
	vm_wait_for 30 webapp_log_has 71 "echo after-cursor-$$"
	run webapp_log 71 --after-cursor="$cursor"
	[[ $output == *"standin: console: echo after-cursor-$$"* ]]
	[[ $output != *"before-cursor-$$"* ]]
	run webapp_log 71 --cursor="$cursor"
	[ -n "$output" ]
}

@test "two writers in a row both reach the server, with no end of file between" {
	console 71 "echo first-writer-$$"
	console 71 "echo second-writer-$$"
	vm_wait_for 30 log_has 71 "echo second-writer-$$"
	log_has 71 "echo first-writer-$$"
	! log_has 71 "console closed" _SYSTEMD_INVOCATION_ID="$(invocation 71)" || false
}

@test "a line logged by a system unit or another namespace is not visible to the web app" {
	systemd-run --quiet --wait --collect -u l4m-logs-system -- echo "system-marker-$$"
	systemd-run --quiet --wait --collect -u l4m-logs-other -p LogNamespace=l4mother -- echo "other-marker-$$"
	journalctl --sync
	# controls: root sees both
	vm_wait_for 30 sh -c "journalctl -q -o cat -u l4m-logs-system | grep -qF system-marker-$$"
	vm_wait_for 30 sh -c "journalctl --namespace=l4mother -q -o cat | grep -qF other-marker-$$"
	for ns in "" --namespace=left4me --namespace=l4mother "--namespace=*" --namespace=+left4me; do
		run as_webapp journalctl $ns --no-pager -q -o cat
		echo "journalctl $ns: ${#output} bytes"
		[[ $output != *"system-marker-$$"* ]]
		[[ $output != *"other-marker-$$"* ]]
	done
	# the same reads do show the web app the servers' own lines
	as_webapp journalctl "--namespace=*" --no-pager -q -o cat | grep -qF "standin: start cwd=$(merged_of 71)"
	systemctl stop systemd-journald@l4mother.service systemd-journald@l4mother.socket \
		systemd-journald-varlink@l4mother.socket 2>/dev/null || true
}

@test "the server user, the build user and nobody cannot read the servers' log" {
	local file
	file=$(find "$NS_DIR" -name '*.journal' | head -1)
	[ -n "$file" ]
	as_webapp head -c 8 "$file" >/dev/null # control
	for who in as_server as_sandbox as_nobody; do
		run "$who" journalctl --namespace=left4me --no-pager -q -o cat
		[[ $output != *"standin:"* ]]
		run "$who" head -c 8 "$file"
		[ "$status" -ne 0 ]
		[[ $output == *"Permission denied"* ]]
	done
}

@test "the server user and nobody cannot write the console" {
	local fifo=/run/left4me/console/71
	[ -p "$fifo" ]
	[ "$(stat -c %U:%a "$fifo")" = left4me:200 ]
	for who in as_server as_nobody; do
		run "$who" sh -c "printf 'echo intruder-$who\n' >$fifo"
		[ "$status" -ne 0 ]
		[[ $output == *"Permission denied"* ]]
		run "$who" sh -c "printf x >/run/left4me/console/intruder"
		[ "$status" -ne 0 ]
	done
	console 71 "echo owner-wrote-$$" # control
	vm_wait_for 30 log_has 71 "echo owner-wrote-$$"
	! log_has 71 "intruder" || false
}

@test "stop sends quit on the console; the server ends on it" {
	local inv
	inv=$(invocation 71)
	systemctl stop left4me@71.service
	server_log 71 _SYSTEMD_INVOCATION_ID="$inv" | tail -5
	journalctl -b -u left4me@71.service --no-pager -q | tail -8
	systemctl show -p ExecStop left4me@71.service
	# the last lines reach the journal just after the unit has stopped
	vm_wait_for 30 log_has 71 "standin: quitting on console quit" _SYSTEMD_INVOCATION_ID="$inv"
	log_has 71 "standin: console: quit" _SYSTEMD_INVOCATION_ID="$inv"
	! log_has 71 "stopping on signal" _SYSTEMD_INVOCATION_ID="$inv" || false
	[ "$(systemctl show -P Result left4me@71.service)" = success ]
	[ ! -e /run/left4me/console/71 ]
}

@test "a line written while the server is stopped does not run at its next start" {
	! is_active left4me@71.service || false
	[ ! -e /run/left4me/console/71 ]
	run console 71 "echo while-stopped-$$"
	echo "$output"
	[ "$status" -ne 0 ]
	# the FIFO is gone and the directory is root's: no file can take its place
	[[ $output == *"Permission denied"* ]]
	[ ! -e /run/left4me/console/71 ]
	systemctl start left4me@71.service
	vm_wait_for 60 log_has 71 "standin: listening udp" _SYSTEMD_INVOCATION_ID="$(invocation 71)"
	console 71 "echo after-start-$$" # control: the console works again
	vm_wait_for 30 log_has 71 "echo after-start-$$"
	! log_has 71 "while-stopped-$$" || false
}

# stop_ignoring_quit N: stops server N, which ignores quit, and checks that
# it ended on the SIGTERM of left4me-console, within TimeoutStopSec=; prints
# how long the stop took, and whether PID 1 took the main process for "not
# our child" (left4me-console(8)): then PID 1's own SIGTERM is followed by
# SIGKILL at once, and only the helper's SIGTERM gives the server its time.
stop_ignoring_quit() {
	local n=$1 inv main t0 took alien
	touch "$(merged_of "$n")/left4dead2/IGNORE_QUIT"
	inv=$(invocation "$n")
	main=$(systemctl show -P MainPID "left4me@$n.service")
	t0=$(now_ms)
	systemctl stop "left4me@$n.service"
	took=$(($(now_ms) - t0))
	alien=no
	journalctl -b -q -o cat -u "left4me@$n.service" | grep -qF "Supervising process $main which is not our child" && alien=yes
	echo "stop: $took ms, main process $main taken for not our child: $alien"
	# the last lines reach the journal just after the unit has stopped
	vm_wait_for 30 log_has "$n" "standin: stopping on signal" _SYSTEMD_INVOCATION_ID="$inv"
	log_has "$n" "standin: ignoring quit" _SYSTEMD_INVOCATION_ID="$inv"
	log_has "$n" "server still running 10 s after quit; SIGTERM follows" _SYSTEMD_INVOCATION_ID="$inv"
	log_has "$n" "SIGTERM sent to " _SYSTEMD_INVOCATION_ID="$inv"
	server_log "$n" _SYSTEMD_INVOCATION_ID="$inv" | grep -qE "server ended [0-9]+ ms after SIGTERM"
	((took >= 10000 && took < 30000))
	rm -f "$STATE/runtime/$n/upper/left4dead2/IGNORE_QUIT"
	STOP_TOOK=$took STOP_ALIEN=$alien
}

@test "a server ignoring quit is still stopped within TimeoutStopSec=" {
	start_server 72
	[ "$(systemctl show -P TimeoutStopUSec left4me@72.service)" = 30s ]
	stop_ignoring_quit 72
	figure "stop of a server ignoring quit: $STOP_TOOK ms (TimeoutStopSec=30s; PID 1 took it for not our child: $STOP_ALIEN)"
}

# systemd 257's race with PrivatePIDs=yes (left4me-console(8)) makes some
# main processes alien to PID 1, at random: several stops, each of which
# must end on the helper's SIGTERM, whichever way the race went.
@test "a server ignoring quit ends on SIGTERM whether or not PID 1 took it for its child" {
	local round aliens=0 times=""
	for round in 1 2 3 4 5; do
		systemctl start left4me@72.service
		vm_wait_for 60 log_has 72 "standin: listening udp" _SYSTEMD_INVOCATION_ID="$(invocation 72)"
		stop_ignoring_quit 72
		[ "$STOP_ALIEN" = yes ] && aliens=$((aliens + 1))
		times+=" $STOP_TOOK"
	done
	figure "5 stops of a server ignoring quit:$times ms; main process not PID 1's child in $aliens of 5"
}

@test "a burst of 20,000 lines is rate limited" {
	start_server 73
	local inv stored
	inv=$(invocation 73)
	console 73 "standin_burst 20000"
	vm_wait_for 120 sh -c "journalctl --namespace=left4me -q -o cat | grep -E 'Suppressed [0-9]+ messages from left4me@73.service'"
	stored=$(server_log 73 _SYSTEMD_INVOCATION_ID="$inv" | grep -c "standin: burst [0-9]*/20000")
	figure "rate limit: $stored of 20000 burst lines stored; $(journalctl --namespace=left4me -q -o cat | grep -E 'Suppressed [0-9]+ messages from left4me@73.service' | tail -1)"
	((stored > 0 && stored < 20000))
}

@test "the namespace stays within its budget while a server writes past it" {
	printf '\n[logs]\nmax_use = 16M\nrate_limit_burst = 0\n' >>"$CONF"
	systemctl daemon-reload
	grep -qx "SystemMaxUse=16777216" /run/systemd/generator/left4me-journald.conf
	grep -qx "RateLimitBurst=0" /run/systemd/generator/left4me-journald.conf
	timeout 120 systemctl restart systemd-journald@left4me.service
	systemctl restart left4me@73.service
	vm_wait_for 60 log_has 73 "standin: listening udp" _SYSTEMD_INVOCATION_ID="$(invocation 73)"
	rm -f "$(merged_of 73)/left4dead2/burst-done"
	console 73 "standin_burst 3500 8000"
	vm_wait_for 600 test -f "$(merged_of 73)/left4dead2/burst-done"
	journalctl --namespace=left4me --sync
	local used stored
	# what journald counts: its files' allocated blocks, not the directory's
	used=$(du -c --block-size=1 "$NS_DIR"/*.journal* | tail -1 | cut -f1)
	stored=$(server_log 73 _SYSTEMD_INVOCATION_ID="$(invocation 73)" | grep -c "standin: burst [0-9]*/3500 ")
	figure "journal budget: 3500 lines of 8000 bytes written, $stored of them kept, namespace uses $used bytes of 16777216"
	journalctl --namespace=left4me -q -o cat | grep -E "Suppressed|Vacuum|rotat" | tail -3
	log_has 73 "standin: burst 3500/3500 "
	# the burst went through unthrottled and more than the budget was written:
	# the oldest lines of it are gone, the newest are there
	! log_has 73 "standin: burst 1/3500 " || false
	# journald vacuums when it rotates a file, so the active file may have
	# grown a few blocks past the budget since; measured 16,785,408 bytes
	# (directory included) against 16,777,216
	((used <= 16777216 + 65536))
}
