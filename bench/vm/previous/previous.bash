# The previous implementation's approach beside ours, for bench/vm/70-previous.bats:
# previous@N.service runs the same stand-in as left4me@N.service, with
# left4me@.service's settings and hardening minus the generated mounts, and
# makes its mounts itself, as the previous host code did (its history is in
# ../shared/seed/): ExecStartPre= runs the Python helper left4me-overlay
# through nsenter into PID 1's mount namespace, which makes the idmapped
# binds and the overlay; ExecStopPost= runs it again, which unmounts them.
# Loaded after lib, instances and bench.
# shellcheck shell=bash

PREVIOUS_HELPER=/usr/local/libexec/left4me/left4me-overlay
PREVIOUS_ENV_DIR=/etc/left4me-previous

# previous_template: the helper where the previous units called it, and
# previous@.service from the installed left4me@.service and the generator's
# drop-in of it (the server's view of the file system, its networks): every
# setting but the generated mounts, ExecStartPre= and ExecStopPost= calling
# the helper. Its console is previous-console@N.socket, left4me-console@'s
# bound to it. Needs a generator run (an instance exists) first.
previous_template() {
	local gen=/run/systemd/generator etc=/etc/systemd/system
	install -D -m 0755 "$VM_TESTS/previous/left4me-overlay" "$PREVIOUS_HELPER"
	mkdir -p "$PREVIOUS_ENV_DIR" "$etc/previous@.service.d"
	sed -e '/^RequiresMountsFor=/d' -e '/^AssertPathIsMountPoint=/d' \
		-e 's|left4me-console@%i.socket|previous-console@%i.socket|g' \
		-e 's|^Environment=L4D2_PORT=.*|EnvironmentFile=/etc/left4me-previous/%i.env|' \
		-e 's|^SocketBindDeny=any|&\nSocketBindAllow=32000-32999|' \
		-e 's|^Description=.*|Description=stand-in server %i, mounts made by the previous helper (benchmark comparison)|' \
		-e "s|^ExecStartPre=+/usr/libexec/left4me/left4me-console blocking|ExecStartPre=+/usr/bin/nsenter --mount=/proc/1/ns/mnt -- $PREVIOUS_HELPER mount %i\n&\nExecStopPost=+/usr/bin/nsenter --mount=/proc/1/ns/mnt -- $PREVIOUS_HELPER umount %i|" \
		/usr/lib/systemd/system/left4me@.service >"$etc/previous@.service"
	grep -q "^ExecStopPost=.*$PREVIOUS_HELPER umount" "$etc/previous@.service"
	sed -e '/^RequiresMountsFor=/d' -e '/^AssertPathIsMountPoint=/d' \
		-e 's|^EnvironmentFile=.*|EnvironmentFile=/etc/left4me-previous/%i.env|' \
		"$gen"/left4me@.service.d/*.conf >"$etc/previous@.service.d/50-left4me.conf"
	bench_console_socket previous
}

# previous_budget N OURS: instance OURS's generated budget (its drop-in but
# the ports) for previous@N.
previous_budget() {
	mkdir -p "/etc/systemd/system/previous@$1.service.d"
	sed -e '/^Environment=/d' -e '/^SocketBindAllow=/d' \
		"/run/systemd/generator/left4me@$2.service.d/50-left4me-instance.conf" \
		>"/etc/systemd/system/previous@$1.service.d/50-left4me-instance.conf"
}

# previous_instance N LOWERDIRS: its env file (layers, ports) and its runtime
# directories as the previous web app left them before a first start.
previous_instance() {
	local n=$1 rt=$STATE/runtime/$1
	printf 'L4D2_LOWERDIRS=%s\nL4D2_PORT=%d\nL4D2_CLIENT_PORT=%d\nL4D2_TV_PORT=%d\nL4D2_STEAM_PORT=%d\n' \
		"$2" $((32000 + n)) $((32200 + n)) $((32400 + n)) $((32600 + n)) >"$PREVIOUS_ENV_DIR/$n.env"
	install -d -m 0711 "$rt"
	install -d -m 0700 "$rt/idmap"
	install -d -m 0755 "$rt/merged"
	install -d -m 0755 -o l4d2-server -g l4d2-server "$rt/upper"
	install -d -m 0700 -o l4d2-server -g l4d2-server "$rt/work"
}

forget_previous() { # N: never removes a tree with a mount left in it
	systemctl stop "previous@$1.service" 2>/dev/null || true
	systemctl reset-failed "previous@$1.service" 2>/dev/null || true
	no_mounts_of "$1" || return 1
	rm -rf --one-file-system "${STATE:?}/runtime/$1" "$PREVIOUS_ENV_DIR/$1.env" "/etc/systemd/system/previous@$1.service.d"
}

forget_previous_template() {
	forget_bench_console_socket previous
	rm -rf /etc/systemd/system/previous@.service /etc/systemd/system/previous@.service.d "$PREVIOUS_HELPER"
	rmdir "$PREVIOUS_ENV_DIR" 2>/dev/null || true
}
