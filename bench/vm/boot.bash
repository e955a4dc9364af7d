# The boot plan of the boot benchmark (30-boot*.bats).
# shellcheck shell=bash

BOOT_PLAN=$VM_STATE/bench-boot-plan
BOOT_CURRENT=$VM_STATE/bench-boot-current
BOOT_FIRST=61 # servers BOOT_FIRST, BOOT_FIRST + 1, ...

boot_unit() { # KIND I: the unit of the I-th server of a boot
	case $1 in
	instance) echo "left4me@$((BOOT_FIRST + $2 - 1)).service" ;;
	plain) echo "standin-plain@$((BOOT_FIRST + $2 - 1)).service" ;;
	esac
}

boot_units() { # KIND N: the units of a boot's servers
	local i
	for ((i = 1; i <= $2; i++)); do boot_unit "$1" "$i"; done
}

# Takes the servers of the current boot off, so nothing of them starts at
# the next boot (in one go: every systemctl call costs seconds under TCG).
boot_unconfigure() {
	local kind n i
	[ -s "$BOOT_CURRENT" ] || return 0
	read -r kind n <"$BOOT_CURRENT"
	mapfile -t units < <(boot_units "$kind" "$n")
	if [ "$kind" = instance ]; then
		systemctl stop "${units[@]}"
		for ((i = 0; i < n; i++)); do
			wait_unmounted_builtin "$(runtime_prefix_of "$((BOOT_FIRST + i))")"
			rm -f "$INSTANCES/$((BOOT_FIRST + i)).env"
		done
	else
		systemctl disable --now --no-reload "${units[@]}"
		for ((i = 0; i < n; i++)); do rm -f "/etc/standin-plain/$((BOOT_FIRST + i)).env"; done
	fi
	rm -f "$BOOT_CURRENT"
}

boot_configure() { # KIND N
	local i
	for ((i = 0; i < $2; i++)); do
		if [ "$1" = instance ]; then
			bench_instance "$((BOOT_FIRST + i))" LEFT4ME_AUTOSTART=yes
		else
			bench_plain "$((BOOT_FIRST + i))"
		fi
	done
	[ "$1" = instance ] || systemctl enable --no-reload $(boot_units plain "$2")
	echo "$1 $2" >"$BOOT_CURRENT"
}

# Configures the next boot of the plan and asks for a reboot into
# 30-boot.after-reboot.bats; after the last, removes what the plan set up.
next_boot() {
	local next
	boot_unconfigure
	next=$(head -n 1 "$BOOT_PLAN")
	if [ -z "$next" ]; then
		rm -f "$BOOT_PLAN" /etc/systemd/system/standin-plain@.service
		forget_bench_console_socket standin-plain
		rm -rf "$BENCH_PLAIN_DIR" /etc/standin-plain "$STATE/overlays/951" "$STATE/overlays/952" "$STATE/overlays/955"
		systemctl daemon-reload
		return 0
	fi
	sed -i 1d "$BOOT_PLAN"
	# shellcheck disable=SC2086 # "KIND N"
	boot_configure $next
	systemctl daemon-reload
	vm_request_reboot
	[[ $BATS_TEST_FILENAME != *.after-reboot.bats ]] || vm_repeat_after_reboot
}
