#!/usr/bin/env bats
# make bench, row 3: an empty build script, and one that prints a line,
# through left4me-sandbox beside `systemd-run --pipe --wait` given the same
# unit properties, both run by root; and through sudo as the web app's user,
# as the web app runs it. Samples go to results/bench-sandbox.txt:
#   SCRIPT KIND FIRST_BYTE_MS WALL_MS      (SCRIPT: empty | echo; FIRST_BYTE_MS
#                                           is - when nothing was printed)

load lib
load instances
load bench

HELPER=/usr/libexec/left4me/left4me-sandbox
FIRSTBYTE=$VM_TESTS/firstbyte
OVERLAY=$STATE/overlays/$BENCH_SANDBOX_ID

# left4me-sandbox's unit, property by property (helpers/sandbox/transient_unit.c
# with left4me.conf's defaults), for systemd-run. What systemd-run cannot be
# given the same way: the overlay is bound without the helper's idmapped
# staging mount (so files written would be owned by the sandbox user), the
# script comes on stdin instead of a sealed file on fd 3, and there is no
# lock, no clean-up of earlier runs and no exit-status mapping.
SYSTEMD_RUN_PROPS=(
	-p Type=exec -p User=l4d2-sandbox -p Group=l4d2-sandbox -p Slice=left4me-sandbox.slice
	-p CollectMode=inactive-or-failed -p WorkingDirectory=/overlay -p UMask=0022
	-p Environment="HOME=/tmp LANG=C.UTF-8 LEFT4ME_OVERLAY=/overlay LEFT4ME_OVERLAY_ID=$BENCH_SANDBOX_ID"
	-p RuntimeMaxSec=3600 -p TimeoutStopSec=10 -p MemoryMax=2G -p MemorySwapMax=0 -p TasksMax=512
	-p CPUWeight=10 -p IOWeight=10 -p OOMScoreAdjust=1000 -p OOMPolicy=kill
	-p ProtectSystem=strict -p ProtectHome=yes -p PrivateTmpEx=disconnected -p PrivateDevices=yes
	-p TemporaryFileSystem=/var/lib:ro -p TemporaryFileSystem=/run:ro
	-p TemporaryFileSystem=/dev/shm:mode=1777,nosuid,nodev,noexec -p InaccessiblePaths=-/etc/left4me/instances
	-p BindPaths="$OVERLAY:/overlay" -p BindReadOnlyPaths=/etc/left4me/sandbox-resolv.conf:/etc/resolv.conf
	-p NoNewPrivileges=yes -p ProtectKernelTunables=yes -p ProtectKernelModules=yes
	-p ProtectKernelLogs=yes -p ProtectControlGroups=yes -p ProtectClock=yes -p ProtectHostname=yes
	-p RestrictSUIDSGID=yes -p LockPersonality=yes -p MemoryDenyWriteExecute=yes
	-p RestrictRealtime=yes -p PrivateIPC=yes -p RemoveIPC=yes -p ProtectProc=invisible
	-p ProcSubset=pid -p PrivatePIDs=yes -p KeyringMode=private -p CapabilityBoundingSet=
	-p AmbientCapabilities= -p RestrictNamespaces=yes
	-p "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" -p SystemCallArchitectures=native
	-p SystemCallFilter=@system-service
	-p "SystemCallFilter=~@privileged @resources @mount @debug @keyring @module @raw-io @reboot @swap @obsolete @cpu-emulation"
	-p SystemCallErrorNumber=EPERM -p SocketBindDeny=any -p RestrictNetworkInterfaces=~lo
	-p "IPAddressDeny=127.0.0.0/8 ::1/128 169.254.0.0/16 fe80::/10 224.0.0.0/4 ff00::/8 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 fc00::/7 0.0.0.0/8 240.0.0.0/4 64:ff9b::/96"
)

setup_file() {
	record_guest
	mkdir -p "$OVERLAY"
	chown l4d2-server:l4d2-server "$OVERLAY"
	: >"$BATS_FILE_TMPDIR/empty.sh"
	echo 'echo first' >"$BATS_FILE_TMPDIR/echo.sh"
	[ -x "$FIRSTBYTE" ]
}

teardown_file() {
	rm -rf "$OVERLAY"
}

run_kind() { # KIND SCRIPTFILE: "FIRST_NS WALL_NS STATUS" of one run
	case $1 in
	sandbox) "$FIRSTBYTE" "$HELPER" build "$BENCH_SANDBOX_ID" <"$2" ;;
	sandbox-sudo) "$FIRSTBYTE" runuser -u left4me -- sudo -n "$HELPER" build "$BENCH_SANDBOX_ID" <"$2" ;;
	systemd-run) "$FIRSTBYTE" systemd-run --quiet --pipe --wait "${SYSTEMD_RUN_PROPS[@]}" -- /bin/sh <"$2" ;;
	esac
}

@test "sandbox: each way runs the script as the sandbox user in /overlay, output streamed back" {
	local script='echo "$(id -un) $(pwd) $LEFT4ME_OVERLAY_ID"' want="l4d2-sandbox /overlay $BENCH_SANDBOX_ID"
	[ "$("$HELPER" build "$BENCH_SANDBOX_ID" <<<"$script")" = "$want" ]
	[ "$(runuser -u left4me -- sudo -n "$HELPER" build "$BENCH_SANDBOX_ID" <<<"$script")" = "$want" ]
	[ "$(systemd-run --quiet --pipe --wait "${SYSTEMD_RUN_PROPS[@]}" -- /bin/sh <<<"$script")" = "$want" ]
	# and firstbyte passes the output through its pipe
	read -r first wall status < <("$FIRSTBYTE" "$HELPER" build "$BENCH_SANDBOX_ID" <<<'echo x')
	[ "$status" -eq 0 ] && [ "$first" -gt 0 ] && [ "$wall" -ge "$first" ]
}

@test "sandbox: empty and one-line scripts, $BENCH_RUNS interleaved runs of each way" {
	local r script kind first wall status
	for ((r = 0; r < BENCH_RUNS; r++)); do
		for script in empty echo; do
			for kind in sandbox systemd-run sandbox-sudo; do
				read -r first wall status < <(run_kind "$kind" "$BATS_FILE_TMPDIR/$script.sh")
				[ "$status" -eq 0 ] || { echo "$kind $script: exit $status"; return 1; }
				if [ "$first" -lt 0 ]; then first=-; else first=$(ms_between 0 "$((first / 1000))"); fi
				record sandbox "$script" "$kind" "$first" "$(ms_between 0 "$((wall / 1000))")"
			done
		done
	done
	[ -z "$(systemctl list-units --all --plain --no-legend 'left4me-sandbox-*' | grep -v '\.slice')" ]
}
