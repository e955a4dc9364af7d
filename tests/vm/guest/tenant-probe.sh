#!/bin/sh
# A hostile build's srcds_run (planted by 14-tenant.bats through the sandbox):
# run as the game server, it tries what a tenant must not do and what it
# must still do, and writes one line per attempt to ./probe.txt in its game
# directory: "NAME: done" when the attempt succeeded, "NAME: failed" when not.
# PROBE_* come from its instance file.
out=./probe.txt
: >"$out"

try() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "$name: done" >>"$out"
	else
		echo "$name: failed" >>"$out"
	fi
}

# Bound until the timeout: the bind worked. Refused at once: it did not.
listens() { # nc options...
	timeout 2 nc "$@" >/dev/null 2>&1
	[ $? -eq 124 ]
}

try stop-other systemctl start left4me-stop@62.service
try reset-other systemctl start left4me-reset@62.service
try delete-other systemctl start left4me-delete@62.service
try daemon-reload systemctl start left4me-reload.service
try system-bus test -e /run/dbus/system_bus_socket
try read-other-instance cat /etc/left4me/instances/62.env
try read-own-instance cat /etc/left4me/instances/61.env
try write-own-instance sh -c 'echo LD_PRELOAD=/x >>/etc/left4me/instances/61.env'
try read-config cat /etc/left4me/left4me.conf
try read-generated cat /run/systemd/generator/left4me/62.env
try list-generated ls /run/systemd/generator
try read-webapp-data cat /var/lib/left4me/webapp.db
try read-webapp-environ cat "/proc/$PROBE_WEBAPP_PID/environ"
try see-webapp test -e "/proc/$PROBE_WEBAPP_PID"
try signal-webapp kill -0 "$PROBE_WEBAPP_PID"
try signal-other-server kill -0 "$PROBE_OTHER_PID"
try signal-pid1-child kill -0 "$PROBE_JOURNALD_PID"
try env-has-other-secret sh -c 'env | grep -q secret-of-62'
try env-has-own-secret sh -c 'env | grep -q secret-of-61'
try list-layers ls /var/lib/left4me/overlays
try read-other-layer ls /var/lib/left4me/overlays/962
try list-other-runtime sh -c 'ls -A /var/lib/left4me/runtime | grep -vx 61 | grep -q .'
try list-state sh -c 'ls -A /var/lib/left4me | grep -vx runtime | grep -q .'
try read-other-upper ls /var/lib/left4me/runtime/62/upper
try write-installation touch /var/lib/left4me/installation/planted-by-tenant
try connect-loopback nc -z -w 3 127.0.0.1 8061
try connect-loopback6 nc -z -w 3 ::1 8061
try connect-private nc -z -w 3 10.77.61.1 8061
try connect-ula nc -z -w 3 fd00::61 8061
try connect-host-own nc -z -w 3 203.0.113.61 8061
try connect-public nc -z -w 5 198.51.100.2 8061
try bind-foreign-udp listens -u -l 0.0.0.0 27099
try bind-foreign-tcp listens -l 0.0.0.0 27099
try bind-own-udp listens -u -l 0.0.0.0 27061
try bind-own-tcp listens -l 0.0.0.0 27061
try write-shm touch /dev/shm/planted-by-tenant
try write-tmp touch /tmp/planted-by-tenant
try make-sysv-queue sh -c 'ipcmk -Q | grep -q .'
try read-own-layer test "$(cat left4dead2/layer.txt)" = "tenant layer 961"
try write-game-dir sh -c 'echo mine >left4dead2/cfg/tenant-written.cfg'
echo "processes-seen: $(ls /proc | grep -c '^[0-9]')" >>"$out"
echo "probe: finished" >>"$out"

trap 'exit 0' TERM INT
while :; do sleep 1; done
