# Helpers for the left4me-sandbox suites (40-sandbox, 41-sandbox-budgets).
# Load with:  load sandbox  (after load lib). setup_file copies left4me.conf
# to $BATS_FILE_TMPDIR/left4me.conf.orig; teardown copies it back.
# shellcheck shell=bash
# shellcheck disable=SC2034 # used by the suites

HELPER=/usr/libexec/left4me/left4me-sandbox
CONF=/etc/left4me/left4me.conf
SBX=l4d2-sandbox

# The web app's worker: a PrivateTmp=yes service as the service user, via sudo.
worker_build() {
	systemd-run --quiet --wait --pipe --collect -p User=left4me -p PrivateTmp=yes -- \
		sudo -n "$HELPER" build "$1"
}

# The same command as the sandbox user, outside the sandbox (the control).
as_sandbox() {
	setpriv --reuid="$SBX" --regid="$SBX" --clear-groups -- "$@"
}

sandbox_units_for() {
	systemctl list-units --all --plain --no-legend "left4me-sandbox-$1-*" | awk '{print $1}' | grep .
}

sandbox_units_any() {
	systemctl list-units --all --plain --no-legend 'left4me-sandbox-*.service' | awk '{print $1}' | grep .
}

# Replaces the [sandbox] settings for one test (teardown restores the file).
sandbox_conf() {
	{ cat "$BATS_FILE_TMPDIR/left4me.conf.orig"; echo '[sandbox]'; printf '%s\n' "$@"; } >"$CONF"
}
