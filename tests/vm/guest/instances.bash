# Helpers for the lifecycle suites: instance files, layers and mount checks
# on the real installed project (default left4me.conf).
# shellcheck shell=bash

STATE=/var/lib/left4me
INSTANCES=/etc/left4me/instances

# layer REL OWNER TEXT: a lower layer under the state tree whose
# left4dead2/layer.txt says TEXT (so precedence can be read back).
make_layer() {
	local dir=$STATE/$1 owner=$2
	mkdir -p "$dir/left4dead2/addons"
	echo "$3" >"$dir/left4dead2/layer.txt"
	echo "addon of $1" >"$dir/left4dead2/addons/$(basename "$1").txt"
	chown -R "$owner:$owner" "$dir"
}

# write_instance N LINE...: writes the instance file as the web app would.
write_instance() {
	local n=$1
	shift
	printf '%s\n' "$@" >"$INSTANCES/$n.env"
	chown left4me:left4me "$INSTANCES/$n.env"
}

merged_of() { echo "$STATE/runtime/$1/merged"; }

# view_of OWNER ROOT: where PID 1 mounts the idmapped view of lower root ROOT
# for the layers OWNER owns, one for every instance.
view_of() { echo "$STATE/runtime/idmap/$(id -u "$1")/$2"; }

# Mount points starting with PREFIX in PID 1's mount table.
mounts_under() { awk -v p="$1" 'index($5, p) == 1 { print $5 }' /proc/1/mountinfo; }

# Mount points under the state tree: all of them, or all but the views.
state_mounts() { mounts_under "$STATE/"; }
state_mounts_but_views() { state_mounts | grep -v "^$STATE/runtime/idmap/" || true; }
no_state_mounts() { [ -z "$(state_mounts)" ]; }

# Mount points of instance N still in PID 1's mount table.
mounts_of() { mounts_under "$STATE/runtime/$1/"; }

no_mounts_of() { [ -z "$(mounts_of "$1")" ]; }

# Waits until instance N has no mount left (stop returns before unmount).
wait_unmounted() { vm_wait_for 60 no_mounts_of "$1"; }

# explain_units UNIT...: their state and PID 1's last lines about them, for
# the output of a test that found them failed (or failing).
explain_units() {
	local u
	for u in "$@"; do
		echo "--- $u"
		systemctl status --no-pager -l "$u" || true
		journalctl -b -u "$u" --no-pager -q -n 40 || true
	done
}

# no_failed_units PATTERN...: no unit matching them is failed; the failed
# ones are explained (explain_units) when there are some.
no_failed_units() {
	local failed
	failed=$(systemctl list-units --failed --plain --no-legend "$@" | awk '{ print $1 }')
	[ -z "$failed" ] && return 0
	echo "failed: $failed"
	# shellcheck disable=SC2086 # one unit name per word
	explain_units $failed
	return 1
}

# server_log N [journalctl options]: what server N printed (its journal
# namespace; PID 1's messages about the unit are in the system journal).
server_log() {
	local n=$1
	shift
	journalctl --namespace=left4me -u "left4me@$n.service" --no-pager -q -o cat "$@"
}

# log_has N TEXT [journalctl options]: server N printed a line containing TEXT.
log_has() { server_log "$1" "${@:3}" | grep -qF -- "$2"; }

# console N LINE: writes LINE to server N's console as the web app does.
console() { runuser -u left4me -- sh -c 'printf "%s\n" "$2" >"$1"' sh "/run/left4me/console/$1" "$2"; }

is_active() { [ "$(systemctl is-active "$1")" = active ]; }

# Stops, resets and forgets instance N: used by teardown.
forget_instance() {
	local n=$1
	# Nothing of it exists: skip the half-dozen systemctl calls (seconds under TCG).
	if [[ ! -e $INSTANCES/$n.env && ! -e $STATE/runtime/$n ]] &&
		! compgen -G "/etc/systemd/system/*.wants/left4me@$n.service" >/dev/null &&
		! systemctl is-failed -q "left4me@$n.service"; then
		return 0
	fi
	systemctl stop "left4me@$n.service" 2>/dev/null || true
	wait_unmounted "$n" || true
	systemctl start "left4me-delete@$n.service" 2>/dev/null || true
	systemctl disable "left4me@$n.service" 2>/dev/null || true
	rm -f "$INSTANCES/$n.env"
	systemctl reset-failed "left4me@$n.service" 2>/dev/null || true
}

# Milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Records a figure for the closing report: printed as a TAP comment and kept
# in the results directory.
figure() {
	echo "# figure: $*" >&3
	mkdir -p "$VM_STATE/results"
	echo "$*" >>"$VM_STATE/results/figures.txt"
}
