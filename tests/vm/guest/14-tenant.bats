#!/usr/bin/env bats
# Game servers are tenants: a build plants its own srcds_run (tenant-probe.sh)
# into an overlay, instance 61 runs it, and from inside it tries what a
# hostile server would. Each attempt that must fail has a control here,
# outside the server, showing the target exists and is reachable, so that no
# test passes because its target is missing. The same server still reaches a
# public address, binds its own ports, reads its layers and writes its game
# directory.

load lib
load instances

HELPER=/usr/libexec/left4me/left4me-sandbox
PROBE_OUT=$STATE/runtime/61/upper/probe.txt

as_server() { setpriv --reuid=l4d2-server --regid=l4d2-server --clear-groups -- "$@"; }
as_webapp() { runuser -u left4me -- "$@"; }

# The web app's worker: a PrivateTmp=yes service as the service user, via sudo.
worker_build() {
	systemd-run --quiet --wait --pipe --collect -p User=left4me -p PrivateTmp=yes -- \
		sudo -n "$HELPER" build "$1"
}

listen() { # ADDR PORT [netns]: a TCP listener kept until teardown_file
	local six=
	[[ $1 == *:* ]] && six=-6
	${3:+ip netns exec "$3"} nc $six -l -k "$1" "$2" >/dev/null 2>&1 &
	echo $! >>"$BATS_FILE_TMPDIR/pids"
}

probe_result() { # NAME: "done" or "failed"
	sed -n "s/^$1: //p" "$PROBE_OUT"
}

assert_probe() { # NAME done|failed
	local got
	got=$(probe_result "$1")
	echo "probe $1: $got (expected $2)"
	[ "$got" = "$2" ]
}

setup_file() {
	: >"$BATS_FILE_TMPDIR/pids"
	# Private and host-own addresses on a dummy device; a public one in a
	# network namespace behind a veth pair (a public address on the host itself
	# would be one of the host's own addresses, which servers may not reach).
	ip link add l4mten0 type dummy
	ip link set l4mten0 up
	ip addr add 10.77.61.1/32 dev l4mten0
	ip addr add 203.0.113.61/32 dev l4mten0
	ip -6 addr add fd00::61/128 dev l4mten0 nodad
	ip netns add l4mpub
	ip link add l4mpub0 type veth peer name l4mpub1
	ip link set l4mpub1 netns l4mpub
	ip addr add 198.51.100.1/24 dev l4mpub0
	ip link set l4mpub0 up
	ip -n l4mpub addr add 198.51.100.2/24 dev l4mpub1
	ip -n l4mpub link set l4mpub1 up
	ip -n l4mpub link set lo up
	for a in 127.0.0.1 ::1 10.77.61.1 fd00::61 203.0.113.61; do listen "$a" 8061; done
	listen 198.51.100.2 8061 l4mpub
	vm_wait_for 20 nc -z -w 2 198.51.100.2 8061

	# The web app: its data file and a process of its own with a secret.
	install -m 0600 -o left4me -g left4me /dev/null "$STATE/webapp.db"
	echo "webapp-secret-data" >"$STATE/webapp.db"
	systemd-run --unit=l4m-tenant-webapp -p User=left4me -p PrivateTmp=yes -E WEBAPP_TOKEN=webapp-secret sleep 3600

	# The hostile build: its srcds_run is the probe.
	rm -rf "$STATE/overlays/961"
	{
		echo "cat >srcds_run <<'PROBE'"
		cat "$BATS_TEST_DIRNAME/tenant-probe.sh"
		echo "PROBE"
		echo "chmod 0755 srcds_run"
		echo "mkdir -p left4dead2/cfg && echo 'tenant layer 961' >left4dead2/layer.txt"
	} >"$BATS_FILE_TMPDIR/build.sh"
	worker_build 961 <"$BATS_FILE_TMPDIR/build.sh"
	make_layer overlays/962 left4me "layer 962 of the other tenant"

	write_instance 62 "L4D2_LOWERDIRS=$STATE/overlays/962:$STATE/installation" "L4D2_PORT=27062" \
		"RCON_PASSWORD=secret-of-62"
	systemctl daemon-reload
	systemctl start left4me@62.service l4m-tenant-webapp.service
	vm_wait_for 30 is_active left4me@62.service
	write_instance 61 "L4D2_LOWERDIRS=$STATE/overlays/961:$STATE/installation" "L4D2_PORT=27061" \
		"RCON_PASSWORD=secret-of-61" \
		"PROBE_WEBAPP_PID=$(systemctl show -P MainPID l4m-tenant-webapp.service)" \
		"PROBE_OTHER_PID=$(systemctl show -P MainPID left4me@62.service)" \
		"PROBE_JOURNALD_PID=$(systemctl show -P MainPID systemd-journald.service)"
	systemctl daemon-reload
	systemctl start left4me@61.service
	vm_wait_for 120 grep -q "probe: finished" "$PROBE_OUT"
	cat "$PROBE_OUT" >&3
}

teardown_file() {
	while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$BATS_FILE_TMPDIR/pids"
	systemctl stop l4m-tenant-webapp.service 2>/dev/null || true
	for n in 61 62 63; do forget_instance "$n"; done
	rm -rf "$STATE/overlays/961" "$STATE/overlays/962" "$STATE/webapp.db" \
		"$STATE/installation/planted-by-tenant" /dev/shm/planted-by-tenant /tmp/planted-by-tenant
	ip link del l4mten0 || true
	ip link del l4mpub0 || true
	ip netns del l4mpub || true
	systemctl daemon-reload
}

@test "the planted srcds_run runs as the server user, from the build's layer" {
	[ "$(stat -c %U "$STATE/overlays/961/srcds_run")" = l4d2-server ]
	pid=$(systemctl show -P MainPID left4me@61.service)
	[ "$(ps -o user= -p "$pid")" = l4d2-server ]
	[ "$(id -u l4d2-server)" != "$(id -u left4me)" ]
	grep -qx "probe: finished" "$PROBE_OUT"
}

@test "no authority: it cannot stop, reset or delete another server, nor reload PID 1" {
	for a in stop-other reset-other delete-other daemon-reload system-bus; do assert_probe "$a" failed; done
	is_active left4me@62.service
	[ -d "$STATE/runtime/62/upper" ]
	# control: the bus is there and the web app's user may do all of it
	test -S /run/dbus/system_bus_socket
	as_webapp systemctl start left4me-reload.service
	as_webapp systemctl start left4me-restart@62.service
	vm_wait_for 30 is_active left4me@62.service
}

@test "no polkit action succeeds for the server user, even with the bus in reach" {
	local verb
	for verb in "stop left4me@62.service" "start left4me-stop@62.service" "start left4me-reset@62.service" \
		"start left4me-delete@62.service" "start left4me-reload.service" "daemon-reload"; do
		# shellcheck disable=SC2086
		run as_server systemctl --no-ask-password $verb
		echo "$verb: $status $output"
		[ "$status" -ne 0 ]
	done
	is_active left4me@62.service
	# control: the same calls as the web app's user (stop is undone by a start)
	as_webapp systemctl --no-ask-password start left4me-stop@62.service
	as_webapp systemctl --no-ask-password start left4me-start@62.service
	vm_wait_for 30 is_active left4me@62.service
}

@test "instance files, the configuration and the generated copies are hidden from it" {
	for a in read-other-instance read-own-instance write-own-instance read-config read-generated list-generated; do
		assert_probe "$a" failed
	done
	! grep -q LD_PRELOAD "$INSTANCES/61.env" || false
	# control: they exist, and the web app writes instance files
	grep -q secret-of-62 "$INSTANCES/62.env"
	grep -q secret-of-62 /run/systemd/generator/left4me/62.env
	[ -f /etc/left4me/left4me.conf ]
	as_webapp sh -c ": >>'$INSTANCES/61.env'"
}

@test "the generated environment copies are root's alone" {
	[ "$(stat -c '%U %a' /run/systemd/generator/left4me)" = "root 700" ]
	[ "$(stat -c '%U %a' /run/systemd/generator/left4me/62.env)" = "root 600" ]
	run as_webapp cat /run/systemd/generator/left4me/62.env
	[ "$status" -ne 0 ]
	run as_server cat /run/systemd/generator/left4me/62.env
	[ "$status" -ne 0 ]
	# control: root reads it
	grep -q secret-of-62 /run/systemd/generator/left4me/62.env
}

@test "its environment holds its own keys and nothing of another instance" {
	assert_probe env-has-other-secret failed
	assert_probe env-has-own-secret done
	grep -q secret-of-61 "/proc/$(systemctl show -P MainPID left4me@61.service)/environ"
}

@test "the web app's data and process environment are out of its reach" {
	for a in read-webapp-data read-webapp-environ see-webapp; do assert_probe "$a" failed; done
	# control: both exist; the web app reads its data, root its environment
	[ "$(as_webapp cat "$STATE/webapp.db")" = webapp-secret-data ]
	grep -q WEBAPP_TOKEN=webapp-secret "/proc/$(systemctl show -P MainPID l4m-tenant-webapp.service)/environ"
}

@test "it can neither see nor signal the web app, another server or PID 1's other children" {
	for a in signal-webapp signal-other-server signal-pid1-child; do assert_probe "$a" failed; done
	seen=$(probe_result processes-seen)
	echo "processes seen from inside: $seen"
	[ "$seen" -le 5 ]
	# control: the targets run, and the same user outside its unit sees another server
	kill -0 "$(systemctl show -P MainPID l4m-tenant-webapp.service)"
	other=$(systemctl show -P MainPID left4me@62.service)
	as_server kill -0 "$other"
}

@test "other tenants' layers and runtime directories, and the layer directories, are hidden" {
	for a in list-layers read-other-layer list-other-runtime list-state read-other-upper; do
		assert_probe "$a" failed
	done
	# control: the same user outside the server lists them
	as_server ls "$STATE/overlays/962" >/dev/null
	as_server ls "$STATE/overlays" >/dev/null
	[ -d "$STATE/runtime/62/upper" ]
}

@test "the shared installation cannot be written, its own game directory can" {
	assert_probe write-installation failed
	[ ! -e "$STATE/installation/planted-by-tenant" ]
	assert_probe write-game-dir done
	[ "$(cat "$STATE/runtime/61/upper/left4dead2/cfg/tenant-written.cfg")" = mine ]
	[ "$(stat -c %U "$STATE/runtime/61/upper/left4dead2/cfg/tenant-written.cfg")" = l4d2-server ]
	assert_probe read-own-layer done
	# control: the installation is writable by its owner, the web app
	as_webapp touch "$STATE/installation/planted-by-webapp"
	rm "$STATE/installation/planted-by-webapp"
}

@test "loopback, private, ULA and the host's own addresses are unreachable; a public one is reached" {
	for a in connect-loopback connect-loopback6 connect-private connect-ula connect-host-own; do
		assert_probe "$a" failed
	done
	assert_probe connect-public done
	# control: every listener answers the same user outside the server
	for a in 127.0.0.1 ::1 10.77.61.1 fd00::61 203.0.113.61 198.51.100.2; do as_server nc -z -w 3 "$a" 8061; done
}

@test "it binds its own ports and no other" {
	assert_probe bind-foreign-udp failed
	assert_probe bind-foreign-tcp failed
	assert_probe bind-own-udp done
	assert_probe bind-own-tcp done
	# control: the same user outside the server binds the foreign port
	run as_server timeout 2 nc -u -l 0.0.0.0 27099
	[ "$status" -eq 124 ]
}

@test "its /dev/shm is its own: nothing lands in the host's" {
	assert_probe write-shm done
	[ ! -e /dev/shm/planted-by-tenant ]
	# control: the same user outside the server writes the host's /dev/shm
	as_server touch /dev/shm/planted-by-control
	rm /dev/shm/planted-by-control
}

@test "/tmp, IPC and keyrings are private to each server" {
	local p
	assert_probe write-tmp done
	[ ! -e /tmp/planted-by-tenant ]
	assert_probe make-sysv-queue done
	# the queue made inside is not among the host's; control: one made here is
	[ -z "$(ipcs -q | awk '$1 ~ /^0x/')" ]
	qid=$(ipcmk -Q | awk '{ print $NF }')
	[ "$(ipcs -q | awk '$1 ~ /^0x/' | wc -l)" -eq 1 ]
	ipcrm -q "$qid"
	for p in PrivateTmp PrivateIPC PrivatePIDs; do [ "$(systemctl show -P "$p" left4me@61.service)" = yes ]; done
	[ "$(systemctl show -P KeyringMode left4me@61.service)" = private ]
	a=$(readlink "/proc/$(systemctl show -P MainPID left4me@61.service)/ns/mnt")
	[ "$a" != "$(readlink /proc/1/ns/mnt)" ]
	a=$(readlink "/proc/$(systemctl show -P MainPID left4me@61.service)/ns/ipc")
	# control: their IPC namespaces differ from each other and from the host's
	b=$(readlink "/proc/$(systemctl show -P MainPID left4me@62.service)/ns/ipc")
	[ "$a" != "$b" ]
	[ "$a" != "$(readlink /proc/1/ns/ipc)" ]
}

@test "-autoupdate in L4D2_ARGS is refused: srcds_run would restart the server itself" {
	write_instance 63 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27063" "L4D2_ARGS=+map c1m1_hotel -autoupdate"
	run /usr/lib/systemd/system-generators/left4me-generator --verify "$INSTANCES/63.env"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"63.env:3: error: L4D2_ARGS: -autoupdate is refused"* ]]
	systemctl daemon-reload
	run systemctl start left4me@63.service
	[ "$status" -ne 0 ]
	# control: the same file without it is accepted
	write_instance 63 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27063" "L4D2_ARGS=+map c1m1_hotel"
	/usr/lib/systemd/system-generators/left4me-generator --verify "$INSTANCES/63.env"
}
