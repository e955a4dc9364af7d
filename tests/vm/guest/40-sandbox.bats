#!/usr/bin/env bats
# left4me-sandbox(8) under a real systemd: builds from a simulated worker (a
# PrivateTmp=yes service running as the service user, calling through sudo),
# exit statuses, ownership, streaming, interruption and crash clean-up.
# Then escape attempts, each with a control showing the same attempt working
# outside the sandbox, so no test passes because its target is missing.

load lib
load sandbox

# --- helpers -----------------------------------------------------------------

# The host's own services survived what the build did.
host_is_fine() {
	systemctl is-active --quiet dbus.service systemd-journald.service systemd-logind.service
	[ "$(echo ok)" = ok ]
}

listen() { # ADDR PORT [NETNS]: a listener kept until teardown
	local six= in=()
	[[ $1 == *:* ]] && six=-6
	[ -n "${3:-}" ] && in=(ip netns exec "$3")
	"${in[@]}" nc $six -l -k "$1" "$2" >/dev/null 2>&1 &
	echo $! >>"$BATS_FILE_TMPDIR/pids"
	vm_wait_for 10 sh -c "${3:+ip netns exec $3 }ss -ltn | grep -qF '$1]:$2 ' || ${3:+ip netns exec $3 }ss -ltn | grep -qF '$1:$2 '"
}

# Connecting from inside must fail, and the same from outside must work.
assert_unreachable() { # ADDR PORT [NETNS]
	listen "$1" "$2" "${3:-}"
	as_sandbox nc -z -w 5 "$1" "$2"
	run worker_build 120 <<<"if nc -z -w 5 $1 $2; then echo CONNECTED; else echo BLOCKED; fi"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *BLOCKED* ]]
}

# Addresses of another host: a network namespace behind a veth pair, so that
# what blocks them is the deny list, not the rule on the host's own addresses.
NET=l4msbxnet
OTHER_HOST_ADDRS="10.77.0.1 172.16.77.1 192.168.77.1 100.64.77.1 169.254.77.1 198.51.100.77 240.0.0.77"
OTHER_HOST_ADDRS6="fd00::77 64:ff9b::77"

make_other_host() {
	ip netns add "$NET"
	ip link add l4msbxv0 type veth peer name l4msbxv1
	ip link set l4msbxv1 netns "$NET"
	ip addr add 192.0.2.1/24 dev l4msbxv0
	ip -6 addr add 2001:db8:77::1/64 dev l4msbxv0 nodad
	ip link set l4msbxv0 up
	ip -n "$NET" link set lo up
	ip -n "$NET" addr add 192.0.2.2/24 dev l4msbxv1
	ip -n "$NET" -6 addr add 2001:db8:77::2/64 dev l4msbxv1 nodad
	ip -n "$NET" link set l4msbxv1 up
	ip -n "$NET" route add default via 192.0.2.1
	ip -n "$NET" -6 route add default via 2001:db8:77::1
	for a in $OTHER_HOST_ADDRS; do
		ip -n "$NET" addr add "$a/32" dev l4msbxv1
		ip route add "$a/32" via 192.0.2.2
	done
	for a in $OTHER_HOST_ADDRS6; do
		ip -n "$NET" -6 addr add "$a/128" dev l4msbxv1 nodad
		ip -6 route add "$a/128" via 2001:db8:77::2
	done
}

setup_file() {
	# Idempotent: the users and the state tree as the package's sysusers.d
	# and tmpfiles.d define them, in case first boot did not apply them.
	systemd-sysusers
	systemd-tmpfiles --create left4me.conf
	cp "$CONF" "$BATS_FILE_TMPDIR/left4me.conf.orig"
	: >"$BATS_FILE_TMPDIR/pids"
	# one of the host's own addresses, outside every denied range
	ip link add l4msbx0 type dummy
	ip link set l4msbx0 up
	ip addr add 203.0.113.77/32 dev l4msbx0
	make_other_host
}

teardown_file() {
	ip link del l4msbx0 || true
	ip link del l4msbxv0 || true
	ip netns del "$NET" || true
	cp "$BATS_FILE_TMPDIR/left4me.conf.orig" "$CONF"
}

teardown() {
	cp "$BATS_FILE_TMPDIR/left4me.conf.orig" "$CONF"
	while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$BATS_FILE_TMPDIR/pids"
	: >"$BATS_FILE_TMPDIR/pids"
	pkill -u "$SBX" 2>/dev/null || true
	for u in $(sandbox_units_any); do systemctl stop "$u" || true; done
	if [[ -e /etc/left4me/instances/46.env ]]; then
		systemctl stop left4me@46 || true
		rm -f /etc/left4me/instances/46.env
		systemctl daemon-reload
	fi
	rm -f /etc/sudoers.d/zz-l4m-sandbox-test /usr/local/bin/l4m-suid-id
}

@test "the helper, sudoers entry, slice and resolv.conf are installed" {
	[ -x "$HELPER" ]
	[ "$(stat -c %a /etc/sudoers.d/left4me)" = 440 ]
	visudo -c -f /etc/sudoers.d/left4me
	systemctl cat left4me-sandbox.slice >/dev/null
	grep -q '^nameserver' /etc/left4me/sandbox-resolv.conf
}

@test "exit status 0 comes back through the worker" {
	run worker_build 101 <<<'echo hello; exit 0'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *hello* ]]
}

@test "exit status 3 comes back through the worker, stderr too" {
	run worker_build 101 <<<'echo to-stderr >&2; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[[ $output == *to-stderr* ]]
}

@test "a script killed by a signal gives 128+N" {
	run worker_build 101 <<<'kill -USR1 $$; sleep 5'
	echo "$output"
	[ "$status" -eq $((128 + 10)) ]
}

@test "the script runs in the shell that is PID 1 of the build, and its kill \$\$ gives 143" {
	run worker_build 101 <<<'echo "pid $$"; kill $$; echo after-kill'
	echo "$output"
	[ "$status" -eq 143 ]
	[[ $output == *"pid 1"* ]]
	[[ $output != *after-kill* ]]
}

@test "a script past the time limit gives 124" {
	sandbox_conf 'time_limit = 3'
	run worker_build 101 <<<'echo before; sleep 60; echo after'
	echo "$output"
	[ "$status" -eq 124 ]
	[[ $output == *before* ]]
	[[ $output != *after* ]]
}

@test "a script over memory_max is killed (137) and the host is fine" {
	sandbox_conf 'memory_max = 64M'
	run worker_build 101 <<<'perl -e "\$x = q(a) x (400 * 1024 * 1024); print qq(survived\n)"'
	echo "$output"
	[ "$status" -eq 137 ]
	[[ $output != *survived* ]]
	host_is_fine
}

@test "output streams back while the script still runs" {
	out=$(mktemp)
	worker_build 102 >"$out" 2>&1 <<<'echo first-line; sleep 30; echo last-line' &
	pid=$!
	vm_wait_for 60 grep -q first-line "$out"
	# The build is still running: the last line has not come.
	ls /run/left4me-sandbox/102 >/dev/null
	! grep -q last-line "$out" || false
	wait "$pid"
	grep -q last-line "$out"
	rm -f "$out"
}

@test "the script does not see the caller's stdin beyond itself" {
	run worker_build 101 <<<'if read -r line; then echo "READ:$line"; else echo NOTHING; fi
: this-line-is-part-of-the-script-file'
	echo "$output"
	[[ $output == *NOTHING* ]]
}

@test "files the script makes are owned by the server user, 0644 and 0755" {
	rm -rf /var/lib/left4me/overlays/103
	run worker_build 103 <<<'mkdir -p maps/sub && echo content >maps/sub/file.txt && touch top.txt && id -un'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *l4d2-sandbox* ]]
	d=/var/lib/left4me/overlays/103
	[ "$(stat -c '%U:%G %a' "$d")" = "l4d2-server:l4d2-server 755" ]
	[ "$(stat -c '%U:%G %a' "$d/maps")" = "l4d2-server:l4d2-server 755" ]
	[ "$(stat -c '%U:%G %a' "$d/maps/sub")" = "l4d2-server:l4d2-server 755" ]
	[ "$(stat -c '%U:%G %a' "$d/maps/sub/file.txt")" = "l4d2-server:l4d2-server 644" ]
	[ "$(stat -c '%U:%G %a' "$d/top.txt")" = "l4d2-server:l4d2-server 644" ]
	# The web app (the service user) reads them, as others.
	[ "$(runuser -u left4me -- cat "$d/maps/sub/file.txt")" = content ]
	[ "$(stat -c '%U %a' /var/lib/left4me/overlays)" = "root 755" ]
}

@test "a second build into the same overlay is refused, not queued" {
	worker_build 104 >/dev/null 2>&1 <<<'sleep 30' &
	pid=$!
	vm_wait_for 60 sandbox_units_for 104
	run worker_build 104 <<<'echo second'
	echo "$output"
	[ "$status" -eq 125 ]
	[[ $output == *busy* ]]
	[[ $output != *second* ]]
	# Another overlay is not blocked.
	run worker_build 105 <<<'echo other'
	[ "$status" -eq 0 ]
	kill "$pid" 2>/dev/null || true
	wait "$pid" || true
}

@test "a game server using the overlay as a layer reads the build's files" {
	rm -rf /var/lib/left4me/overlays/106
	run worker_build 106 <<<'mkdir -p left4dead2/addons && echo from-build >left4dead2/addons/built.vpk'
	[ "$status" -eq 0 ]
	echo 'L4D2_LOWERDIRS=/var/lib/left4me/overlays/106:/var/lib/left4me/installation' \
		>/etc/left4me/instances/46.env
	systemctl daemon-reload
	systemctl start left4me@46
	merged=/var/lib/left4me/runtime/46/merged
	vm_wait_for 60 systemctl is-active --quiet left4me@46
	pid=$(systemctl show -P MainPID left4me@46)
	[ "$pid" -gt 0 ]
	# Through the server's own mount namespace, as the server's user.
	[ "$(nsenter -t "$pid" -m -S "$(id -u l4d2-server)" -G "$(id -g l4d2-server)" cat "$merged/left4dead2/addons/built.vpk")" = from-build ]
	[ "$(runuser -u left4me -- cat "$merged/left4dead2/addons/built.vpk")" = from-build ]
}

@test "SIGTERM to the helper stops the unit and removes the staging mount" {
	out=$(mktemp)
	"$HELPER" build 107 >"$out" 2>&1 <<<'echo started; sleep 300; echo after-sleep' &
	pid=$!
	vm_wait_for 60 grep -q started "$out"
	findmnt /run/left4me-sandbox/107
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	cat "$out"
	[ "$status" -eq 143 ]
	grep -q 'interrupted by signal' "$out"
	# The stop's SIGTERM ended the script's shell too, not just its sleep.
	! grep -q after-sleep "$out" || false
	! sandbox_units_for 107 || false
	! findmnt /run/left4me-sandbox/107 || false
	rm -f "$out"
}

# A build into overlay ID whose helper was killed by SIGKILL while the
# script ran: its unit and its staging mount stay behind.
kill_helper_mid_build() { # ID
	local out pid
	out=$(mktemp)
	"$HELPER" build "$1" >"$out" 2>&1 <<<'echo started; sleep 300' &
	pid=$!
	vm_wait_for 60 grep -q started "$out"
	kill -KILL "$pid"
	wait "$pid" || true
	rm -f "$out"
	sandbox_units_for "$1"
	findmnt "/run/left4me-sandbox/$1"
}

@test "after SIGKILL of the helper, the next run cleans up" {
	kill_helper_mid_build 108
	# Any next run, here into another overlay, reaps them.
	run worker_build 109 <<<'echo next'
	echo "$output"
	[ "$status" -eq 0 ]
	! sandbox_units_for 108 || false
	! findmnt /run/left4me-sandbox/108 || false
	! [ -e /run/left4me-sandbox/108 ] || false
}

@test "after SIGKILL of the helper, a run into the same overlay stops the old unit first" {
	kill_helper_mid_build 111
	old=$(sandbox_units_for 111)
	run worker_build 111 <<<'echo next'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *next* ]]
	[[ $output == *"stopped $old"* ]]
	! sandbox_units_for 111 || false
	! findmnt /run/left4me-sandbox/111 || false
}

@test "50 builds in a row leave no mount and no unit behind" {
	for i in $(seq 1 50); do
		run worker_build 110 <<<"echo \$((\$(cat n 2>/dev/null || echo 0) + 1)) >n"
		[ "$status" -eq 0 ] || { echo "build $i: $output"; false; }
	done
	[ "$(cat /var/lib/left4me/overlays/110/n)" -ge 50 ]
	! findmnt -rn -o TARGET | grep -q '^/run/left4me-sandbox' || false
	[ "$(grep -c left4me-sandbox /proc/self/mountinfo || true)" -eq 0 ]
	! sandbox_units_any || false
	[ -z "$(find /run/left4me-sandbox -mindepth 1 -type d)" ]
}

@test "each build is logged to the journal with structured fields" {
	run worker_build 111 <<<'exit 7'
	[ "$status" -eq 7 ]
	journalctl --sync 2>/dev/null || true
	vm_wait_for 30 sh -c 'journalctl -o export SYSLOG_IDENTIFIER=left4me-sandbox LEFT4ME_OVERLAY_ID=111 | grep -q "^LEFT4ME_EXIT_STATUS=7"'
	rec=$(journalctl -o export SYSLOG_IDENTIFIER=left4me-sandbox LEFT4ME_OVERLAY_ID=111)
	grep -q "^LEFT4ME_CALLER_UID=$(id -u left4me)$" <<<"$rec"
	grep -q '^LEFT4ME_UNIT=left4me-sandbox-111-' <<<"$rec"
	grep -q '^LEFT4ME_DURATION_USEC=[0-9]' <<<"$rec"
}

@test "a caller other than root or the service user is refused by sudo and by the helper" {
	useradd -r -M l4m-intruder 2>/dev/null || true
	run runuser -u l4m-intruder -- sudo -n "$HELPER" build 1 </dev/null
	[ "$status" -ne 0 ]
	run env SUDO_UID="$(id -u l4m-intruder)" "$HELPER" build 1 </dev/null
	echo "$output"
	[ "$status" -eq 125 ]
	[[ $output == *"only root and the service user"* ]]
	userdel l4m-intruder
}

@test "sudo passes no environment: LEFT4ME_CONF from the worker is refused or ignored" {
	run systemd-run --quiet --wait --pipe --collect -p User=left4me -p PrivateTmp=yes -- \
		sudo -n LEFT4ME_CONF=/tmp/evil.conf "$HELPER" build 101 <<<'echo ran'
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output != *ran* ]]
}

@test "systemd-analyze security of a running build unit" {
	worker_build 112 >/dev/null 2>&1 <<<'sleep 60' &
	pid=$!
	vm_wait_for 60 sandbox_units_for 112
	unit=$(sandbox_units_for 112 | head -1)
	vm_wait_for 30 systemctl is-active --quiet "$unit"
	systemctl show "$unit" -p PrivatePIDs -p IPAddressDeny -p IPAddressAllow -p User | sed "s/^/# /" >&3
	systemd-analyze security --no-pager "$unit" >"$VM_STATE/sandbox-security.txt" 2>&1 || true
	score=$(grep -i 'overall exposure' "$VM_STATE/sandbox-security.txt")
	echo "# $unit: $score" >&3
	grep -E '^ *✗' "$VM_STATE/sandbox-security.txt" | sed 's/^/# /' >&3 || true
	systemctl stop "$unit"
	wait "$pid" || true
	[ -n "$score" ]
}

# --- escape attempts -----------------------------------------------------------

@test "escape: 127.0.0.1 is unreachable" {
	assert_unreachable 127.0.0.1 8101
}

@test "escape: ::1 is unreachable" {
	assert_unreachable ::1 8102
}

@test "escape: 10.0.0.0/8 is unreachable" {
	assert_unreachable 10.77.0.1 8103 "$NET"
}

@test "escape: 172.16.0.0/12 is unreachable" {
	assert_unreachable 172.16.77.1 8104 "$NET"
}

@test "escape: 192.168.0.0/16 is unreachable" {
	assert_unreachable 192.168.77.1 8105 "$NET"
}

@test "escape: 100.64.0.0/10 is unreachable" {
	assert_unreachable 100.64.77.1 8106 "$NET"
}

@test "escape: 169.254.0.0/16 is unreachable" {
	assert_unreachable 169.254.77.1 8107 "$NET"
}

@test "escape: fd00::/8 is unreachable" {
	assert_unreachable fd00::77 8108 "$NET"
}

@test "escape: 240.0.0.0/4 is unreachable" {
	assert_unreachable 240.0.0.77 8111 "$NET"
}

@test "escape: 64:ff9b::/96 (NAT64) is unreachable" {
	assert_unreachable 64:ff9b::77 8112 "$NET"
}

@test "escape: the host's own address, outside every denied range, is unreachable" {
	assert_unreachable 203.0.113.77 8113
}

@test "an address outside the denied ranges (198.51.100.77, another host) is reachable" {
	listen 198.51.100.77 8109 "$NET"
	run worker_build 120 <<<'if nc -z -w 5 198.51.100.77 8109; then echo CONNECTED; else echo BLOCKED; fi'
	echo "$output"
	[[ $output == *CONNECTED* ]]
}

@test "escape: extra deny_networks from the config are enforced" {
	sandbox_conf 'deny_networks = 198.51.100.0/24'
	assert_unreachable 198.51.100.77 8110 "$NET"
}

@test "escape: no port can be bound" {
	run as_sandbox timeout 2 nc -l 0.0.0.0 27015
	[ "$status" -eq 124 ]
	run worker_build 120 <<<'timeout 2 nc -l 0.0.0.0 27015; echo "TCP=$?"; timeout 2 nc -u -l 0.0.0.0 27015; echo "UDP=$?"'
	echo "$output"
	[[ $output == *TCP=1* ]]
	[[ $output == *UDP=1* ]]
}

@test "escape: the host's /dev/shm is not shared" {
	as_sandbox touch /dev/shm/l4m-sbx-control
	rm /dev/shm/l4m-sbx-control
	run worker_build 120 <<<'touch /dev/shm/l4m-sbx-planted && echo SHM-WRITABLE; ls -A /dev/shm | wc -l | sed "s/^/SHM-ENTRIES=/"'
	echo "$output"
	[ ! -e /dev/shm/l4m-sbx-planted ]
	[[ $output == *SHM-WRITABLE* ]]
	[[ $output == *SHM-ENTRIES=1* ]]
}

@test "escape: no socket under /run is reachable: the system bus, the journal" {
	as_sandbox test -S /run/dbus/system_bus_socket
	as_sandbox test -S /run/systemd/journal/socket
	as_sandbox busctl --system list >/dev/null
	# control: outside, the sandbox user's logger reaches the journal
	as_sandbox logger -t l4m-sbx-control "from outside"
	vm_wait_for 30 sh -c 'journalctl -q -t l4m-sbx-control -o cat | grep -q "from outside"'
	run worker_build 120 <<<'for s in /run/dbus/system_bus_socket /run/systemd/journal/socket /run/systemd/journal/stdout /run/systemd/notify /dev/log; do [ -e "$s" ] && echo "FOUND $s"; done; busctl --system list >/dev/null 2>&1 && echo BUS-ANSWERS; logger -t l4m-sbx-forged "forged record" 2>/dev/null; echo done'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *done* ]]
	[[ $output != *FOUND* ]]
	[[ $output != *BUS-ANSWERS* ]]
	journalctl --sync 2>/dev/null || true
	sleep 2
	[ -z "$(journalctl -q -t l4m-sbx-forged -o cat)" ]
}

@test "escape: nothing under /var/lib is readable (stand-in database)" {
	mkdir -p /var/lib/l4m-standin-app
	echo secret-row >/var/lib/l4m-standin-app/app.db
	chmod 0644 /var/lib/l4m-standin-app/app.db
	[ "$(as_sandbox cat /var/lib/l4m-standin-app/app.db)" = secret-row ]
	run worker_build 120 <<<'cat /var/lib/l4m-standin-app/app.db; ls -A /var/lib | wc -l | sed "s/^/ENTRIES=/"'
	echo "$output"
	[[ $output != *secret-row* ]]
	[[ $output == *ENTRIES=0* ]]
	rm -rf /var/lib/l4m-standin-app
}

@test "escape: nothing but /overlay is writable" {
	install -d -o "$SBX" -g "$SBX" /srv/l4m-sbx-writable
	as_sandbox touch /srv/l4m-sbx-writable/control
	run worker_build 120 <<<'for p in /srv/l4m-sbx-writable/x /etc/l4m-x /usr/l4m-x /var/cache/l4m-x /run/l4m-x /home/l4m-x /root/l4m-x; do
	if touch "$p" 2>/dev/null; then echo "WROTE $p"; fi; done
	touch /var/tmp/l4m-private-marker && echo PRIVATE-TMP-OK
	touch /overlay/l4m-ok && echo OVERLAY-OK'
	echo "$output"
	[[ $output != *WROTE* ]]
	[[ $output == *OVERLAY-OK* ]]
	! [ -e /srv/l4m-sbx-writable/x ] || false
	! [ -e /var/tmp/l4m-private-marker ] || false
	rm -rf /srv/l4m-sbx-writable
}

@test "escape: host processes can be neither seen nor signalled" {
	as_sandbox sleep 600 &
	echo $! >>"$BATS_FILE_TMPDIR/pids"
	vm_wait_for 10 pgrep -u "$SBX" -x sleep
	target=$(pgrep -u "$SBX" -x sleep | head -1)
	as_sandbox kill -0 "$target"
	as_sandbox test -e "/proc/$target"
	run worker_build 120 <<<"kill -0 $target 2>/dev/null && echo SIGNALLED; [ -e /proc/$target ] && echo SEEN; echo PROCS=\$(ls -d /proc/[0-9]* | wc -l)"
	echo "$output"
	[[ $output != *SIGNALLED* ]]
	[[ $output != *SEEN* ]]
	kill -0 "$target"
}

@test "escape: sudo does not work" {
	echo "$SBX ALL=(root) NOPASSWD: /usr/bin/id" >/etc/sudoers.d/zz-l4m-sandbox-test
	chmod 0440 /etc/sudoers.d/zz-l4m-sandbox-test
	[ "$(as_sandbox sudo -n /usr/bin/id -u)" = 0 ]
	run worker_build 120 <<<'sudo -n /usr/bin/id -u; echo END'
	echo "$output"
	[[ $output != *$'\n0\n'* && $output != 0* ]]
	[[ $output == *END* ]]
}

@test "escape: su does not work" {
	# root has an empty password in the test VM, so su works outside.
	[ "$(as_sandbox su -c 'id -u' root </dev/null)" = 0 ]
	run worker_build 120 <<<'su -c "id -u" root </dev/null; echo END'
	echo "$output"
	[[ $output != 0* && $output != *$'\n0\n'* ]]
}

@test "escape: a setuid-root binary gives no root" {
	install -m 4755 -o root -g root /usr/bin/id /usr/local/bin/l4m-suid-id
	[ "$(as_sandbox /usr/local/bin/l4m-suid-id -u)" = 0 ]
	run worker_build 120 <<<'echo "EUID=$(/usr/local/bin/l4m-suid-id -u)"'
	echo "$output"
	[[ $output == *"EUID=$(id -u "$SBX")"* ]]
}

@test "escape: unshare of a user namespace fails" {
	as_sandbox unshare -U true
	run worker_build 120 <<<'unshare -U true && echo UNSHARED; echo END'
	echo "$output"
	[[ $output != *UNSHARED* ]]
	[[ $output == *END* ]]
}

@test "escape: mount fails" {
	[ "$(as_sandbox unshare -Urm sh -c 'mount -t tmpfs none /mnt && echo MOUNTED')" = MOUNTED ]
	run worker_build 120 <<<'mkdir -p /tmp/m; mount -t tmpfs none /tmp/m && echo MOUNTED
	unshare -Urm sh -c "mount -t tmpfs none /mnt && echo MOUNTED"; echo END'
	echo "$output"
	[[ $output != *MOUNTED* ]]
	[[ $output == *END* ]]
}

PTRACE='print syscall(101, 0, 0, 0, 0) == 0 ? "TRACED\n" : "DENIED $!\n"'
BPF='my $a = pack("LLLL", 2, 4, 4, 1) . "\0" x 112; my $fd = syscall(321, 0, $a, length $a); print $fd >= 0 ? "BPF-OK\n" : "DENIED $!\n"'
KEYCTL='my $k = syscall(250, 1, 0); print $k > 0 ? "KEYRING-OK\n" : "DENIED $!\n"'

@test "escape: ptrace fails" {
	[ "$(as_sandbox perl -e "$PTRACE")" = TRACED ]
	run worker_build 120 <<<"perl -e '$PTRACE'"
	echo "$output"
	[[ $output == *DENIED* ]]
}

@test "escape: bpf fails" {
	# Unprivileged bpf is off on Debian anyway: the control runs as root.
	[ "$(perl -e "$BPF")" = BPF-OK ]
	run worker_build 120 <<<"perl -e '$BPF'"
	echo "$output"
	[[ $output == *DENIED* ]]
}

@test "escape: keyctl fails" {
	[ "$(as_sandbox perl -e "$KEYCTL")" = KEYRING-OK ]
	run worker_build 120 <<<"perl -e '$KEYCTL'"
	echo "$output"
	[[ $output == *DENIED* ]]
}

@test "escape: a fork bomb is held by TasksMax" {
	sandbox_conf 'tasks_max = 40' 'time_limit = 60'
	loop='i=0; while [ $i -lt 100 ]; do sleep 120 & i=$((i+1)); echo "forked $i"; done; echo ALL-FORKED'
	run as_sandbox sh -c "$loop"
	pkill -u "$SBX" -x sleep || true
	[[ $output == *ALL-FORKED* ]]
	run worker_build 120 <<<"$loop"
	echo "${lines[@]: -3}"
	[[ $output != *ALL-FORKED* ]]
	last=$(grep -o 'forked [0-9]*' <<<"$output" | tail -1 | cut -d' ' -f2)
	[ "$last" -lt 40 ]
	! sandbox_units_for 120 || false
	host_is_fine
}

@test "escape: a memory bomb is killed and the host is fine" {
	sandbox_conf 'memory_max = 64M'
	[ "$(as_sandbox perl -e '$x = "a" x (300 * 1024 * 1024); print "survived\n"')" = survived ]
	run worker_build 120 <<<'perl -e "\$x = q(a) x (300 * 1024 * 1024); print qq(survived\n)"'
	echo "$output"
	[ "$status" -eq 137 ]
	[[ $output != *survived* ]]
	host_is_fine
}

@test "escape: filling /tmp is bounded and does not touch the host's /tmp" {
	sandbox_conf 'memory_max = 64M'
	as_sandbox dd if=/dev/zero of=/var/tmp/l4m-fill-control bs=1M count=200 status=none
	rm -f /var/tmp/l4m-fill-control
	before=$(df -k --output=avail /tmp | tail -1)
	run worker_build 120 <<<'dd if=/dev/zero of=/tmp/fill bs=1M count=200 status=none && echo FILLED'
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output != *FILLED* ]]
	after=$(df -k --output=avail /tmp | tail -1)
	[ $((before - after)) -lt 10240 ]
	! ls /tmp/systemd-private-*/tmp/fill 2>/dev/null || false
}
