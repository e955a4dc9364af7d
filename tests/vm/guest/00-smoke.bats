#!/usr/bin/env bats
# Proves the VM harness itself: the guest is the target platform (systemd 257,
# kernel 6.12, util-linux 2.41), the mount features the project relies on
# work, and the srcds stand-in behaves like a game server.

load lib

setup() {
	scratch=$(mktemp -d /var/tmp/smoke.XXXXXX)
}

teardown() {
	systemctl stop 'standin-smoke*.service' 2>/dev/null || true
	systemctl reset-failed 'standin-smoke*.service' 2>/dev/null || true
	if [[ -n ${unit:-} ]]; then
		systemctl stop "$unit" 2>/dev/null || true
		rm -f "/run/systemd/system/$unit"
		systemctl daemon-reload
	fi
	grep -F " $scratch" /proc/self/mountinfo | awk '{print $5}' | sort -r |
		while read -r m; do umount "$m"; done
	rm -rf "$scratch"
}

@test "PID 1 is systemd 257" {
	[ "$(cat /proc/1/comm)" = systemd ]
	run systemctl --version
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^systemd\ 257[.\ ] ]]
}

@test "kernel is 6.12" {
	[[ $(uname -r) == 6.12.* ]]
}

@test "util-linux mount is 2.41" {
	run mount --version
	[ "$status" -eq 0 ]
	[[ $output == *"util-linux 2.41"* ]]
}

@test "system finished booting without failed units" {
	run systemctl is-system-running
	echo "$output"
	systemctl --failed --no-pager
	[ "$output" = running ]
}

@test "overlay with one lowerdir+= per layer: precedence and copy-up" {
	cd "$scratch"
	mkdir l1 l2 up work merged
	echo top >l1/a
	echo bottom >l2/a
	echo only-l2 >l2/b
	mount -t overlay overlay \
		-o "lowerdir+=$scratch/l1,lowerdir+=$scratch/l2,upperdir=$scratch/up,workdir=$scratch/work" \
		"$scratch/merged"
	[ "$(cat merged/a)" = top ]
	[ "$(cat merged/b)" = only-l2 ]
	echo appended >>merged/b
	[ "$(cat up/b)" = "$(printf 'only-l2\nappended')" ]
	[ "$(cat l2/b)" = only-l2 ]
}

@test "overlay with 42 lowerdir+= layers (option string over 256 bytes)" {
	cd "$scratch"
	mkdir up work merged
	opts=
	for i in $(seq -w 1 42); do
		d=$scratch/layer-with-a-rather-long-directory-name-$i
		mkdir "$d"
		echo "$i" >"$d/f$i"
		opts+="lowerdir+=$d,"
	done
	opts+="upperdir=$scratch/up,workdir=$scratch/work"
	[ "${#opts}" -gt 256 ]
	mount -t overlay overlay -o "$opts" "$scratch/merged"
	[ "$(find merged -mindepth 1 | wc -l)" -eq 42 ]
	[ "$(cat merged/f42)" = 42 ]
}

@test "idmapped bind mount with mount(8) X-mount.idmap" {
	mkdir "$scratch/src" "$scratch/dst"
	touch "$scratch/src/f"
	chown 1000:1000 "$scratch/src/f"
	mount --bind -o "X-mount.idmap=u:1000:2000:1 g:1000:2000:1" "$scratch/src" "$scratch/dst"
	[ "$(stat -c %u:%g "$scratch/dst/f")" = 2000:2000 ]
	[ "$(stat -c %u:%g "$scratch/src/f")" = 1000:1000 ]
}

@test "idmapped bind .mount unit, and overlay copy-up through it keeps the mapped owner" {
	mkdir -p "$scratch/src/d" "$scratch/idmap" "$scratch/up" "$scratch/work" "$scratch/merged"
	echo data >"$scratch/src/d/f"
	chown -R 1000:1000 "$scratch/src/d"
	unit=$(systemd-escape --path --suffix=mount "$scratch/idmap")
	cat >"/run/systemd/system/$unit" <<UNIT
[Mount]
What=$scratch/src
Where=$scratch/idmap
Type=none
Options=bind,X-mount.idmap=u:1000:2000:1 g:1000:2000:1
UNIT
	systemctl daemon-reload
	systemctl start "$unit"
	[ "$(stat -c %u "$scratch/idmap/d/f")" = 2000 ]
	mount -t overlay overlay \
		-o "lowerdir+=$scratch/idmap,upperdir=$scratch/up,workdir=$scratch/work" "$scratch/merged"
	echo more >>"$scratch/merged/d/f"
	[ "$(stat -c %u:%g "$scratch/up/d/f")" = 2000:2000 ]
	umount "$scratch/merged"
	systemctl stop "$unit"
	run ! mountpoint -q "$scratch/idmap"
}

@test "srcds stand-in runs from an overlay merged directory" {
	mkdir -p "$scratch/top/left4dead2" "$scratch/up" "$scratch/work" "$scratch/merged"
	echo "top layer" >"$scratch/top/left4dead2/layer.txt"
	mount -t overlay overlay \
		-o "lowerdir+=$scratch/top,lowerdir+=$STANDIN_INSTALL,upperdir=$scratch/up,workdir=$scratch/work" \
		"$scratch/merged"
	systemd-run --unit=standin-smoke -p WorkingDirectory="$scratch/merged" \
		"$scratch/merged/srcds_run" -game left4dead2 -norestart -port 27015 +map c1m1_hotel +hostname smoke
	vm_wait_for 60 grep -q started "$scratch/up/left4dead2/logs/standin-27015.log"
	vm_wait_for 60 sh -c 'journalctl -u standin-smoke -o cat | grep -q "listening udp 0.0.0.0:27015"'
	run journalctl -u standin-smoke -o cat
	echo "$output"
	[[ $output == *"start cwd=$scratch/merged uid=0"*"+map c1m1_hotel +hostname smoke"* ]]
	[[ $output == *"layer.txt: top layer"* ]]
	[ -f "$scratch/up/left4dead2/cfg/standin-written.cfg" ]
	[ ! -e "$STANDIN_INSTALL/left4dead2/logs/standin-27015.log" ]
	[ -f "$scratch/merged/left4dead2/cfg/server.cfg" ]

	# A second server on the same port fails like srcds does.
	run systemd-run --wait --unit=standin-smoke-2 -p WorkingDirectory="$scratch/merged" \
		"$scratch/merged/srcds_run" -game left4dead2 -norestart -port 27015
	[ "$status" -ne 0 ]

	# SIGTERM ends it cleanly.
	systemctl stop standin-smoke
	vm_wait_for 30 sh -c 'journalctl -u standin-smoke -o cat | grep -q "stopping on signal port=27015"'
	vm_wait_for 30 sh -c 'journalctl -u standin-smoke -o cat | grep -q "Deactivated successfully"'

	umount "$scratch/merged"
}

@test "srcds stand-in refuses to start outside a game directory and crashes on request" {
	run systemd-run --wait --unit=standin-smoke-cwd -p WorkingDirectory=/ \
		"$STANDIN_INSTALL/srcds_run" -game left4dead2 -port 27016
	[ "$status" -ne 0 ]

	cp -a "$STANDIN_INSTALL/." "$scratch/"
	run systemd-run --wait --unit=standin-smoke-crash -p WorkingDirectory="$scratch" \
		-E STANDIN_CRASH_AFTER=1 "$scratch/srcds_run" -game left4dead2 -norestart -port 27017
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"status=6/ABRT"* ]]
}

@test "srcds stand-in without -norestart restarts a crashed server itself, as srcds_run does: PID 1 sees no crash" {
	cp -a "$STANDIN_INSTALL/." "$scratch/"
	systemd-run --unit=standin-smoke-loop -p WorkingDirectory="$scratch" \
		-E STANDIN_CRASH_AFTER=1 "$scratch/srcds_run" -game left4dead2 -timeout 1 -port 27018
	vm_wait_for 60 sh -c '[ "$(journalctl -u standin-smoke-loop -o cat | grep -c "Server restart in 1 seconds")" -ge 2 ]'
	[ "$(systemctl show -P NRestarts standin-smoke-loop.service)" = 0 ]
	[ "$(systemctl is-active standin-smoke-loop.service)" = active ]
	systemctl stop standin-smoke-loop.service
	run journalctl -u standin-smoke-loop -o cat
	[[ $output == *"restart loop (timeout 1 s)"* ]]
	[[ $output != *"status=6/ABRT"* ]]
}
