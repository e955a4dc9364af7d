#!/usr/bin/env bats
# The Debian package, which tests/vm/run installed into the image
# (LEFT4ME_VM_INSTALL=deb, the default; the .deb is kept in the image): what
# it installed, a reinstall of the same .deb and an upgrade to a newer version
# that leave a running server alone, removal and purge. Then make install's tree (made on the host with
# DESTDIR, kept in the image), put where make install puts it, runs a server
# too. The package is installed again at the end, for the suites after this.
#
# The tests build on each other and run in order.

load lib
load instances

DEB=$VM_TESTS/left4me-host.deb
TREE=$VM_TESTS/make-install
N=19
PORT=27019
CONFFILES=(/etc/left4me/left4me.conf /etc/left4me/sandbox-resolv.conf /etc/sudoers.d/left4me)

have_package() { [[ -f $DEB ]]; }

setup_file() {
	have_package || return 0
	# A root-owned layer: the instance's overlay needs root's view of overlays/.
	make_layer overlays/190 root "overlay 190"
}

setup() {
	have_package || skip "no package in the image (LEFT4ME_VM_INSTALL=make)"
}

# The removal of make install's files: every file of the tree, then the
# directories only it makes.
remove_make_install() {
	[[ -d $TREE ]] || return 0
	(cd "$TREE" && find . ! -type d) | while read -r f; do rm -f "/${f#./}"; done
	rmdir /usr/libexec/left4me /usr/lib/systemd/journald@left4me.conf.d \
		/usr/lib/systemd/system/systemd-journald-sync@left4me.service.d 2>/dev/null || true
}

teardown_file() {
	have_package || return 0
	remove_make_install
	if [[ $(package_status) != "ii " ]]; then
		DEBIAN_FRONTEND=noninteractive dpkg --force-confnew -i "$DEB" >&3 2>&1 || true
	fi
	forget_instance "$N"
	rm -rf "$STATE/overlays/190"
	systemctl daemon-reload
}

# dpkg's two-letter state and error flag: "ii " installed, "rc " removed
# with its conffiles kept, empty (or "un ") once purged.
package_status() { dpkg-query -W -f='${db:Status-Abbrev}' left4me-host 2>/dev/null || true; }

# Failed units of left4me (mounts of the state tree included).
failed_left4me_units() { systemctl list-units --state=failed --plain --no-legend --full | grep left4me || true; }

# newer_package DEST: the same package as a newer version whose server
# template's Description differs, so that a test can tell which unit file
# PID 1 has loaded. Made with dpkg-deb from the installed .deb, as a
# rebuild with a new changelog entry would make it.
newer_package() {
	local dir=$BATS_FILE_TMPDIR/newer unit=usr/lib/systemd/system/left4me@.service
	rm -rf "$dir"
	dpkg-deb -R "$DEB" "$dir"
	sed -i "s/^Version: .*/&+newer1/" "$dir/DEBIAN/control"
	sed -i 's/^Description=.*/& (newer package)/' "$dir/$unit"
	sed -i "s|^[0-9a-f]*  $unit\$|$(cd "$dir" && md5sum "$unit")|" "$dir/DEBIAN/md5sums"
	dpkg-deb -b "$dir" "$1" >/dev/null
}

# When the generator last wrote instance N's environment, in nanoseconds.
generated_at() { date -r "/run/systemd/generator/left4me/$N.env" +%s%N; }

@test "dpkg installed the users, the state tree, the generator, the units, the man pages and the conffiles" {
	[ "$(package_status)" = "ii " ]
	for u in left4me l4d2-server l4d2-sandbox; do getent passwd "$u"; done
	[ "$(stat -c %U:%a "$STATE")" = root:711 ]
	[ "$(stat -c %U "$STATE/installation")" = left4me ]
	for d in overlays global_overlay_cache workshop_cache runtime trash; do
		[ "$(stat -c %U "$STATE/$d")" = root ]
	done
	[ "$(stat -c %U "$INSTANCES")" = left4me ]

	gen=/usr/lib/systemd/system-generators/left4me-generator
	[ -x "$gen" ]
	[ "$(dpkg -S "$gen")" = "left4me-host: $gen" ]
	# It ran: its link that starts the trash at boot is there.
	[ "$(readlink /run/systemd/generator/multi-user.target.wants/left4me-trash.path)" = \
		/usr/lib/systemd/system/left4me-trash.path ]

	# Each unit of the package is the one PID 1 loads (a template by an instance).
	units=$(dpkg -L left4me-host | grep '^/usr/lib/systemd/system/[^/]*$' | grep -v '\.d$')
	[ "$(wc -l <<<"$units")" -ge 13 ]
	for f in $units; do
		u=${f##*/}
		[[ $u != *@.* ]] || u=${u/@./@$N.}
		[ "$(systemctl show -P FragmentPath "$u")" = "$f" ]
	done

	pages=$(dpkg -L left4me-host | grep -c '^/usr/share/man/man[58]/left4me.*\.[58]\.gz$')
	[ "$pages" -ge 17 ]
	zcat /usr/share/man/man8/left4me-sandbox.8.gz | grep -qF /usr/libexec/left4me/left4me-sandbox

	run dpkg-query -W -f='${Conffiles}\n' left4me-host
	for f in "${CONFFILES[@]}"; do [[ $output == *" $f "* ]]; done
	sudo -l -U left4me | grep -qF '/usr/libexec/left4me/left4me-sandbox build *'
	[ -f /usr/share/polkit-1/rules.d/50-left4me.rules ]
}

@test "an instance starts from the package's units" {
	write_instance "$N" "L4D2_LOWERDIRS=$STATE/overlays/190:$STATE/installation" "L4D2_PORT=$PORT"
	systemctl daemon-reload
	systemctl start "left4me@$N.service"
	is_active "left4me@$N.service"
	vm_wait_for 60 log_has "$N" "listening udp 0.0.0.0:$PORT" -b
	findmnt -n -o FSTYPE "$(merged_of "$N")" | grep -qx overlay
	findmnt -n "$(view_of root overlays)" >/dev/null
	vm_wait_for 30 test -f "$STATE/runtime/$N/upper/left4dead2/cfg/standin-written.cfg"
}

@test "reinstalling the same .deb leaves the running server alone; PID 1 reloads and the generator runs again" {
	is_active "left4me@$N.service"
	pid=$(systemctl show -P MainPID "left4me@$N.service")
	invocation=$(systemctl show -P InvocationID "left4me@$N.service")
	[ "$pid" -gt 0 ]
	before=$(generated_at)

	run dpkg -i "$DEB"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(package_status)" = "ii " ]

	[ "$(systemctl show -P MainPID "left4me@$N.service")" = "$pid" ]
	[ "$(systemctl show -P InvocationID "left4me@$N.service")" = "$invocation" ]
	[ "$(systemctl show -P NRestarts "left4me@$N.service")" = 0 ]
	is_active "left4me@$N.service"
	[ -d "/proc/$pid" ]
	findmnt -n "$(merged_of "$N")" >/dev/null
	[ "$(generated_at)" -gt "$before" ]
	[ "$(systemctl show -P NeedDaemonReload "left4me@$N.service")" = no ]
}

@test "upgrading to a newer version leaves the running server alone; PID 1 loads the new units, which apply from the server's next start" {
	is_active "left4me@$N.service"
	pid=$(systemctl show -P MainPID "left4me@$N.service")
	invocation=$(systemctl show -P InvocationID "left4me@$N.service")
	old_version=$(dpkg-query -W -f='${Version}' left4me-host)
	old_description=$(systemctl show -P Description "left4me@$N.service")
	newer_package "$BATS_FILE_TMPDIR/newer.deb"
	before=$(generated_at)

	run dpkg -i "$BATS_FILE_TMPDIR/newer.deb"
	echo "$output"
	[ "$status" -eq 0 ]
	# dpkg ran the maintainer scripts of an upgrade, not of a reinstall.
	[[ $output == *"Unpacking left4me-host ($old_version+newer1) over ($old_version)"* ]]
	[ "$(dpkg-query -W -f='${Version}' left4me-host)" = "$old_version+newer1" ]
	[ "$(package_status)" = "ii " ]

	[ "$(systemctl show -P MainPID "left4me@$N.service")" = "$pid" ]
	[ "$(systemctl show -P InvocationID "left4me@$N.service")" = "$invocation" ]
	[ "$(systemctl show -P NRestarts "left4me@$N.service")" = 0 ]
	[ -d "/proc/$pid" ]
	findmnt -n "$(merged_of "$N")" >/dev/null
	[ "$(generated_at)" -gt "$before" ]
	# PID 1 has the new template loaded and nothing waits for a reload.
	[ "$(systemctl show -P Description "left4me@$N.service")" = "$old_description (newer package)" ]
	[ "$(systemctl show -P NeedDaemonReload "left4me@$N.service")" = no ]
	[ -z "$(failed_left4me_units)" ]

	# The next start is the new version's.
	since=$(date +%s)
	systemctl restart "left4me@$N.service"
	is_active "left4me@$N.service"
	[ "$(systemctl show -P MainPID "left4me@$N.service")" != "$pid" ]
	vm_wait_for 60 log_has "$N" "listening udp 0.0.0.0:$PORT" --since "@$since"
}

@test "dpkg -r stops the server and unmounts the instance, leaves no unit failed, keeps the configuration, the instance file and the state" {
	is_active "left4me@$N.service"
	run dpkg -r left4me-host
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(package_status)" = "rc " ]

	# Stopped and unmounted by the time dpkg returns, not later.
	no_mounts_of "$N"
	# the view the overlay was on too: prerm's stop returns when every mount is gone
	[ -z "$(state_mounts)" ]
	run pgrep -u l4d2-server
	[ "$status" -eq 1 ]
	[ "$(systemctl show -P LoadState "left4me@$N.service")" = not-found ]
	[ -z "$(failed_left4me_units)" ]
	[ ! -e "/run/left4me/console/$N" ]

	[ ! -e /usr/lib/systemd/system-generators/left4me-generator ]
	[ ! -e /usr/lib/systemd/system/left4me@.service ]
	[ ! -e /run/systemd/generator/left4me-journald.conf ]
	for f in "${CONFFILES[@]}"; do [ -f "$f" ]; done
	[ -f "$INSTANCES/$N.env" ]
	[ -f "$STATE/runtime/$N/upper/left4dead2/cfg/standin-written.cfg" ]
	[ -x "$STATE/installation/srcds_run" ]
	for u in left4me l4d2-server l4d2-sandbox; do getent passwd "$u"; done
}

@test "dpkg -P removes the configuration and the servers' logs, keeps the users, the instance file and the state" {
	[ -d "/var/log/journal/$(cat /etc/machine-id).left4me" ]
	run dpkg -P left4me-host
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $(package_status) == "" || $(package_status) == "un " ]]

	for f in "${CONFFILES[@]}"; do [ ! -e "$f" ]; done
	[ ! -e "/var/log/journal/$(cat /etc/machine-id).left4me" ]
	[ -z "$(failed_left4me_units)" ]
	[ -f "$INSTANCES/$N.env" ]
	[ -f "$STATE/runtime/$N/upper/left4dead2/cfg/standin-written.cfg" ]
	[ -x "$STATE/installation/srcds_run" ]
	for u in left4me l4d2-server l4d2-sandbox; do getent passwd "$u"; done
}

@test "make install's tree, where make install puts it, runs the instance too" {
	[[ -d $TREE ]] || skip "no make install tree in the image"
	[ "$(package_status)" != "ii " ]
	# What make install does with DESTDIR=/ (the tree was made with DESTDIR
	# on the host, which has no build here), then the users and the state tree.
	tar -C "$TREE" -cf - . | tar -C / -xf - --keep-directory-symlink --no-overwrite-dir
	systemd-sysusers
	systemd-tmpfiles --create left4me.conf
	systemctl daemon-reload
	sudo -l -U left4me | grep -qF '/usr/libexec/left4me/left4me-sandbox build *'

	since=$(date +%s)
	systemctl start "left4me@$N.service"
	is_active "left4me@$N.service"
	vm_wait_for 60 log_has "$N" "listening udp 0.0.0.0:$PORT" --since "@$since"
	systemctl stop "left4me@$N.service"
	wait_unmounted "$N"

	remove_make_install
	systemctl daemon-reload
	[ "$(systemctl show -P LoadState "left4me@$N.service")" = not-found ]
}
