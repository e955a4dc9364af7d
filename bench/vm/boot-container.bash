# The boot plan of the container's boot row (55-boot*.bats): N left4me
# instances with LEFT4ME_AUTOSTART=yes beside N plain services on fstab
# mounts (standin-fstab@, fstab.bash) enabled into multi-user.target.wants.
# Loaded after bench and fstab.
# shellcheck shell=bash

CBOOT_PLAN=$VM_STATE/bench-cboot-plan
CBOOT_CURRENT=$VM_STATE/bench-cboot-current
CBOOT_FIRST=3001 # servers CBOOT_FIRST, CBOOT_FIRST + 1, ...
BENCH_CONTAINER_BOOT_RUNS=${BENCH_CONTAINER_BOOT_RUNS:-3}
BENCH_CONTAINER_BOOT_COUNTS=${BENCH_CONTAINER_BOOT_COUNTS:-20 100}

cboot_unit() { # KIND M: server M's unit
	case $1 in
	instance) echo "left4me@$2.service" ;;
	fstab) echo "standin-fstab@$2.service" ;;
	esac
}

# cboot_mounts KIND M: server M's two mount units
cboot_mounts() {
	if [ "$1" = instance ]; then
		mount_units_of "$2"
	else
		systemd-escape --path --suffix=mount "$FSTAB_DIR/$2/merged"
		systemd-escape --path --suffix=mount "$FSTAB_DIR/$2/idmap/951"
	fi
}

# mono_ms UNIT PROPERTY SINCE_US: a monotonic timestamp of UNIT, in ms after SINCE_US
mono_ms() {
	local t
	t=$(systemctl show -P "$2" "$1")
	ms_between "$3" "$t"
}

cboot_configure() { # KIND N: the servers of the next boot (no reload: the generators run at boot)
	local m
	if [ "$1" = instance ]; then
		for ((m = CBOOT_FIRST; m < CBOOT_FIRST + $2; m++)); do bench_instance "$m" LEFT4ME_AUTOSTART=yes; done
	else
		fstab_configure "$CBOOT_FIRST" "$2" enable
	fi
	echo "$1 $2" >"$CBOOT_CURRENT"
}

# cboot_unconfigure: nothing of the current boot's servers starts at the
# next boot (their files gone; the reboot stops them).
cboot_unconfigure() {
	local kind n
	[ -s "$CBOOT_CURRENT" ] || return 0
	read -r kind n <"$CBOOT_CURRENT"
	if [ "$kind" = instance ]; then
		rm -f "$INSTANCES"/*.env
	else
		fstab_unconfigure
	fi
	rm -f "$CBOOT_CURRENT"
}

# cboot_forget: after the last boot, the current servers stopped, their
# mounts gone, and nothing of the plan left.
cboot_forget() {
	local kind n m
	if [ -s "$CBOOT_CURRENT" ]; then
		read -r kind n <"$CBOOT_CURRENT"
		mapfile -t us < <(for ((m = CBOOT_FIRST; m < CBOOT_FIRST + n; m++)); do cboot_unit "$kind" "$m"; done)
		systemctl stop "${us[@]}" || true
		if [ "$kind" = instance ]; then
			for ((m = CBOOT_FIRST; m < CBOOT_FIRST + n; m++)); do wait_unmounted_builtin "$(runtime_prefix_of "$m")" || true; done
		else
			mapfile -t us < <(for ((m = CBOOT_FIRST; m < CBOOT_FIRST + n; m++)); do cboot_mounts fstab "$m"; done)
			systemctl stop "${us[@]}" || true
		fi
	fi
	cboot_unconfigure
	rm -f "$CBOOT_PLAN"
	fstab_forget
	systemctl daemon-reload
}

# cboot_next: configures the next boot of the plan and asks for a reboot
# into 55-boot.after-reboot.bats; after the last, cleans up.
cboot_next() {
	local next
	next=$(head -n 1 "$CBOOT_PLAN")
	if [ -z "$next" ]; then
		cboot_forget
		return 0
	fi
	cboot_unconfigure
	sed -i 1d "$CBOOT_PLAN"
	# shellcheck disable=SC2086 # "KIND N"
	cboot_configure $next
	sync
	vm_request_reboot
	[[ $BATS_TEST_FILENAME != *.after-reboot.bats ]] || vm_repeat_after_reboot
}
