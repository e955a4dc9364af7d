# What an operator would run instead of the generator, for the reload and
# restart rows (50-reload.bats, 60-restart.bats): plain services whose game
# directories are overlays written as /etc/fstab lines, which
# systemd-fstab-generator turns into mount units. Loaded after bench.
# shellcheck shell=bash

FSTAB_DIR=/var/lib/standin-fstab
FSTAB_ENV_DIR=/etc/standin-fstab
FSTAB_SAVED=/etc/fstab.before-bench
FSTAB_UNITS=/etc/systemd/system

# fstab_template: standin-fstab@.service, left4me@.service with the
# generator's own template drop-ins, every path of the state tree's runtime
# replaced by FSTAB_DIR: the same user, hardening, tenant view, networks
# and console handling, the game directory an fstab overlay
# (RequiresMountsFor= stays: it is what pulls the fstab mounts in). Its
# console is standin-fstab-console@.socket, a copy of left4me's bound to it.
# Needs the generator to have run once (any daemon-reload) for the drop-ins.
fstab_template() {
	local f gen=/run/systemd/generator
	mkdir -p "$FSTAB_DIR" "$FSTAB_ENV_DIR" "$FSTAB_UNITS/standin-fstab@.service.d"
	chmod 0755 "$FSTAB_DIR"
	fstab_paths </usr/lib/systemd/system/left4me@.service |
		sed -e 's|^Description=.*|Description=stand-in server %i on fstab mounts (benchmark comparison)|' \
			>"$FSTAB_UNITS/standin-fstab@.service"
	for f in "$gen"/left4me@.service.d/*.conf; do
		fstab_paths <"$f" >"$FSTAB_UNITS/standin-fstab@.service.d/${f##*/}"
	done
	bench_console_socket standin-fstab
	[ -f "$FSTAB_SAVED" ] || cp -a /etc/fstab "$FSTAB_SAVED"
}

fstab_paths() { # stdin to stdout: left4me's runtime paths and units to standin-fstab's
	sed -e "s|$STATE/runtime/%i/merged|$FSTAB_DIR/%i/merged|g" -e "s|%S/left4me/runtime/%i/merged|$FSTAB_DIR/%i/merged|g" \
		-e "s|^TemporaryFileSystem=$STATE:ro|TemporaryFileSystem=$FSTAB_DIR:ro|" \
		-e "s|^EnvironmentFile=.*/left4me/%i\.env|EnvironmentFile=$FSTAB_ENV_DIR/%i.env|" \
		-e 's|left4me-console@%i\.socket|standin-fstab-console@%i.socket|g'
}

fstab_port() { echo $((40000 + $1 % 1000)); } # M: server M's game port

# fstab_server M: server M's directories, environment (its ports) and the
# per-server drop-in the generator would write for an instance (ports and
# the ports it may bind), and its two fstab lines (printed, to be appended
# to /etc/fstab): the idmapped bind of the sandbox-owned layer, as
# util-linux 2.41's X-mount.idmap= makes it, and the overlay on it and the
# other two layers. noauto: the service's RequiresMountsFor= starts them.
fstab_server() {
	local m=$1 d=$FSTAB_DIR/$1 p k su sg ru rg
	p=$(fstab_port "$m")
	mkdir -p "$d/merged" "$d/upper" "$d/work" "$d/idmap/951"
	chmod 0711 "$d"
	chmod 0700 "$d/idmap"
	chown l4d2-server:l4d2-server "$d/upper" "$d/work"
	printf 'L4D2_PORT=%d\nL4D2_CLIENT_PORT=%d\nL4D2_TV_PORT=%d\nL4D2_STEAM_PORT=%d\n' \
		"$p" $((p + 1000)) $((p + 2000)) $((p + 3000)) >"$FSTAB_ENV_DIR/$m.env"
	mkdir -p "$FSTAB_UNITS/standin-fstab@$m.service.d"
	{
		printf '[Service]\nEnvironment=L4D2_PORT=%d L4D2_CLIENT_PORT=%d L4D2_TV_PORT=%d L4D2_STEAM_PORT=%d\n' \
			"$p" $((p + 1000)) $((p + 2000)) $((p + 3000))
		for k in 0 1000 2000 3000; do echo "SocketBindAllow=udp:$((p + k))"; done
		echo "SocketBindAllow=tcp:$p"
	} >"$FSTAB_UNITS/standin-fstab@$m.service.d/50-ports.conf"
	su=$(id -u l4d2-sandbox) sg=$(id -g l4d2-sandbox) ru=$(id -u l4d2-server) rg=$(id -g l4d2-server)
	printf '%s %s none bind,noauto,X-mount.idmap=u:%s:%s:1\\040g:%s:%s:1 0 0\n' \
		"$STATE/overlays/951" "$d/idmap/951" "$su" "$ru" "$sg" "$rg"
	printf 'overlay %s overlay noauto,x-systemd.requires-mounts-for=%s,lowerdir=%s:%s:%s,upperdir=%s,workdir=%s 0 0\n' \
		"$d/merged" "$d/idmap/951" "$d/idmap/951" "$STATE/overlays/952" "$STATE/overlays/955" "$d/upper" "$d/work"
}

# fstab_configure FIRST COUNT [enable]: servers FIRST..FIRST+COUNT-1 in
# /etc/fstab (on top of the guest's own lines) with their services;
# "enable" links each into multi-user.target.wants, as
# `systemctl enable` would, so PID 1 loads it and its mounts at every reload.
# No reload here.
fstab_configure() {
	local m
	cp -a "$FSTAB_SAVED" /etc/fstab.new
	for ((m = $1; m < $1 + $2; m++)); do
		fstab_server "$m" >>/etc/fstab.new
		[ "${3:-}" != enable ] ||
			ln -sfn ../standin-fstab@.service "$FSTAB_UNITS/multi-user.target.wants/standin-fstab@$m.service"
	done
	mv /etc/fstab.new /etc/fstab
}

# fstab_unconfigure: the guest's own fstab back, no standin-fstab server
# enabled or configured (their directories stay). No reload here.
fstab_unconfigure() {
	[ ! -f "$FSTAB_SAVED" ] || cp -a "$FSTAB_SAVED" /etc/fstab
	rm -f "$FSTAB_UNITS"/multi-user.target.wants/standin-fstab@*.service "$FSTAB_ENV_DIR"/*.env
	rm -rf "$FSTAB_UNITS"/standin-fstab@[0-9]*.service.d
}

# fstab_forget: fstab_unconfigure, and the templates and directories gone
# too (nothing may be mounted there any more).
fstab_forget() {
	fstab_unconfigure
	forget_bench_console_socket standin-fstab
	rm -rf "$FSTAB_UNITS/standin-fstab@.service" "$FSTAB_UNITS/standin-fstab@.service.d" \
		"$FSTAB_ENV_DIR" "$FSTAB_SAVED"
	! grep -q " $FSTAB_DIR/" /proc/1/mountinfo && rm -rf "${FSTAB_DIR:?}"
}

fstab_mounts_of() { # M: server M's mount points still in PID 1's mount table
	awk -v p="$FSTAB_DIR/$1/" 'index($5, p) == 1 { print $5 }' /proc/1/mountinfo
}

pid1_kib() { awk -v k="$1:" '$1 == k { print $2 }' /proc/1/status; } # FIELD: VmRSS, RssAnon

# wait_manager: after daemon-reexec, until the new PID 1 answers on the bus.
wait_manager() { vm_wait_for 120 systemctl show -P Version >/dev/null 2>&1; }
