#!/usr/bin/env bats
# Budgets held by the kernel: a server's disk (project quotas on the VM's
# ext4 root, mounted prjquota), memory, tasks and CPU (its cgroup), and the
# slices' totals; on a file system without project quotas a budgeted
# instance is refused and the others start. Builds' budgets are in
# 41-sandbox-budgets.bats.

load lib
load instances

CONF=/etc/left4me/left4me.conf
PROJID_BASE=1073741824
MiB=1048576

start_server() { # N [instance lines]
	write_instance "$1" "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=$((27000 + $1))" "${@:2}"
	systemctl daemon-reload
	systemctl start "left4me@$1.service"
	vm_wait_for 60 log_has "$1" "standin: listening udp" _SYSTEMD_INVOCATION_ID="$(invocation "$1")"
}

invocation() { systemctl show -P InvocationID "left4me@$1.service"; }

# The bytes project ID holds on /, and its hard limit (lib.bash's repquota).
project_usage() { local used hard; read -r used hard < <(project_blocks "$1"); echo $((used * 1024)); }
project_limit() { local used hard; read -r used hard < <(project_blocks "$1"); echo $((hard * 1024)); }
free_bytes() { sync; df -B1 --output=avail / | tail -1 | tr -d ' '; }

# console_result N COMMAND PREFIX: runs a stand-in command on server N's
# console and prints the first line of its result, which begins with PREFIX.
console_result() {
	local inv
	inv=$(invocation "$1")
	console "$1" "$2"
	vm_wait_for 300 log_has "$1" "$3" _SYSTEMD_INVOCATION_ID="$inv"
	server_log "$1" _SYSTEMD_INVOCATION_ID="$inv" | grep -F -- "$3" | tail -1
}

setup_file() {
	cp "$CONF" "$BATS_FILE_TMPDIR/left4me.conf"
}

teardown_file() {
	cp "$BATS_FILE_TMPDIR/left4me.conf" "$CONF"
	for n in 81 82 83 84 85 86; do forget_instance "$n"; done
	systemctl daemon-reload
	umount /srv/noquota 2>/dev/null || true
}

@test "the root file system enforces project quotas (the precondition of this suite)" {
	findmnt -no OPTIONS / | tr , '\n' | grep -qx prjquota
	quotaon -Ppv / | grep -q "is on"
}

@test "a server writing 100M into a 30M budget is held there and keeps running; one without a budget writes 60M" {
	local before after line inv
	before=$(free_bytes)
	start_server 81 "LEFT4ME_DISK_MAX=30M"
	start_server 82
	inv=$(invocation 81)
	# the writable layer has the instance's project ID, inherited by what is made in it
	lsattr -pd "$STATE/runtime/81/upper" | grep -Eq "^ *$((PROJID_BASE + 81)) .*P"
	[ "$(project_limit $((PROJID_BASE + 81)))" -eq $((30 * MiB)) ]
	line=$(console_result 81 "standin_write big 100" "standin: write big: wrote")
	echo "$line"
	[[ $line == *": Disk quota exceeded" ]]
	written=$(sed -E 's/.*wrote ([0-9]+) bytes.*/\1/' <<<"$line")
	((written <= 30 * MiB && written >= 20 * MiB))
	usage=$(project_usage $((PROJID_BASE + 81)))
	echo "project usage $usage"
	((usage <= 30 * MiB))
	# still running, the same process, and it answers
	is_active left4me@81.service
	[ "$(invocation 81)" = "$inv" ]
	line=$(console_result 81 "echo after-quota-$$" "standin: console: echo after-quota-$$")
	# the neighbour without a budget writes all it asks for
	line=$(console_result 82 "standin_write big 60" "standin: write big: wrote")
	echo "$line"
	[[ $line == *"wrote $((60 * MiB)) bytes: ok" ]]
	after=$(free_bytes)
	figure "disk: 100M into a 30M budget: $written bytes written (EDQUOT), project usage $usage; neighbour 60M; free space fell by $((before - after)) bytes"
	# the host lost no more than the budget and what the unbudgeted neighbour
	# wrote, beside what the rest of the system wrote meanwhile (its journal:
	# measured 8 MiB more in a freshly booted VM); the 70M held back is not there
	((before - after <= 30 * MiB + 60 * MiB + 16 * MiB))
}

@test "a server cannot move its files out of its budget (project ID), root can" {
	local f=$STATE/runtime/81/upper/left4dead2/big
	[ -f "$f" ]
	line=$(console_result 81 "standin_setprojid big 0" "standin: setprojid big 0:")
	echo "$line"
	[[ $line != *": ok" ]]
	lsattr -p "$f" | grep -Eq "^ *$((PROJID_BASE + 81)) "
	# control: the same change by root on the host works (and is undone)
	chattr -p 0 "$f"
	lsattr -p "$f" | grep -Eq "^ *0 "
	chattr -p $((PROJID_BASE + 81)) "$f"
}

@test "a new budget takes effect at the server's next start" {
	write_instance 81 "L4D2_LOWERDIRS=$STATE/installation" "L4D2_PORT=27081" "LEFT4ME_DISK_MAX=50M"
	systemctl daemon-reload
	[ "$(project_limit $((PROJID_BASE + 81)))" -eq $((30 * MiB)) ]
	systemctl restart left4me@81.service
	[ "$(project_limit $((PROJID_BASE + 81)))" -eq $((50 * MiB)) ]
}

@test "a reset frees the budget" {
	local line
	systemctl start left4me-reset@81.service
	vm_wait_for 120 sh -c "[ -z \"\$(ls -A $STATE/trash)\" ]"
	vm_wait_for 60 sh -c "[ \"\$(systemctl is-active left4me-trash.service)\" != activating ]"
	usage=$(project_usage $((PROJID_BASE + 81)))
	echo "usage after reset: $usage"
	((usage < 1 * MiB))
	systemctl start left4me@81.service
	vm_wait_for 60 log_has 81 "standin: listening udp" _SYSTEMD_INVOCATION_ID="$(invocation 81)"
	line=$(console_result 81 "standin_write again 40" "standin: write again: wrote")
	echo "$line"
	[[ $line == *"wrote $((40 * MiB)) bytes: ok" ]]
}

@test "a server allocating past its memory budget is killed and restarted by its rules; its neighbour runs on" {
	local inv neighbour restarts
	start_server 83 "LEFT4ME_MEMORY_MAX=64M"
	[ "$(systemctl show -P MemoryMax left4me@83.service)" = $((64 * MiB)) ]
	[ "$(cat "/sys/fs/cgroup$(systemctl show -P ControlGroup left4me@83.service)/memory.max")" = $((64 * MiB)) ]
	[ "$(cat "/sys/fs/cgroup$(systemctl show -P ControlGroup left4me@83.service)/memory.swap.max")" = 0 ]
	inv=$(invocation 83)
	neighbour=$(invocation 82)
	restarts=$(systemctl show -P NRestarts left4me@83.service)
	console 83 "standin_alloc 400"
	vm_wait_for 120 sh -c "[ \"\$(systemctl show -P NRestarts left4me@83.service)\" -gt $restarts ]"
	journalctl -b -u left4me@83.service --no-pager -q | tail -5
	journalctl -b -u left4me@83.service --no-pager -q -o cat | grep -q "killed by the OOM killer"
	! log_has 83 "standin: alloc: done" _SYSTEMD_INVOCATION_ID="$inv" || false
	vm_wait_for 60 is_active left4me@83.service
	[ "$(invocation 83)" != "$inv" ]
	# the neighbour: same process, still answering
	[ "$(invocation 82)" = "$neighbour" ]
	console_result 82 "echo neighbour-$$" "standin: console: echo neighbour-$$"
	# control: within its budget the same allocation succeeds
	console_result 83 "standin_alloc 16" "standin: alloc: done 16 MiB"
}

@test "a fork loop is held by the task budget; the server keeps running" {
	local line inv
	start_server 84 "LEFT4ME_TASKS_MAX=24"
	inv=$(invocation 84)
	line=$(console_result 84 "standin_fork 200" " started")
	echo "$line"
	[[ $line == *"started, then Resource temporarily unavailable" ]]
	started=$(sed -E 's/.*fork: ([0-9]+) started.*/\1/' <<<"$line")
	((started > 0 && started < 24))
	vm_wait_for 30 log_has 84 "standin: fork: children gone" _SYSTEMD_INVOCATION_ID="$inv"
	is_active left4me@84.service
	[ "$(invocation 84)" = "$inv" ]
	# control: a server with the default budget (512) forks 200
	line=$(console_result 82 "standin_fork 200" " started")
	[[ $line == *"fork: 200 started" ]]
}

@test "CPU quotas and the slices' totals reach the cgroups" {
	start_server 85 "LEFT4ME_CPU_QUOTA=50%"
	[ "$(systemctl show -P CPUQuotaPerSecUSec left4me@85.service)" = 500ms ]
	printf '\n[server]\ntotal_memory_max = 1G\ntotal_tasks_max = 4000\n' >>"$CONF"
	printf '\n[sandbox]\ntotal_memory_max = 768M\n' >>"$CONF"
	systemctl daemon-reload
	# PID 1's settings of the slices; measured: right after daemon-reload
	# the running slice's memory.max did not yet show the new total
	[ "$(systemctl show -P MemoryMax left4me.slice)" = $((1024 * MiB)) ]
	[ "$(systemctl show -P TasksMax left4me.slice)" = 4000 ]
	[ "$(systemctl show -P MemoryMax left4me-sandbox.slice)" = $((768 * MiB)) ]
	# the kernel holds them from the next start of a server (measured: not
	# yet right after daemon-reload)
	local after_reload
	after_reload=$(cat /sys/fs/cgroup/left4me.slice/memory.max)
	systemctl restart left4me@85.service
	figure "left4me.slice memory.max (total_memory_max = 1G): $after_reload after daemon-reload, $(cat /sys/fs/cgroup/left4me.slice/memory.max) after a server's restart"
	[ "$(cat /sys/fs/cgroup/left4me.slice/memory.max)" = $((1024 * MiB)) ]
	[ "$(cat /sys/fs/cgroup/left4me.slice/pids.max)" = 4000 ]
	cp "$BATS_FILE_TMPDIR/left4me.conf" "$CONF"
	systemctl daemon-reload
	[ "$(systemctl show -P MemoryMax left4me.slice)" = infinity ]
}

@test "on a file system without project quotas a budgeted instance is refused with its message; the others start" {
	local nq=/srv/noquota/left4me
	# tmpfs: quotas for users and groups, none for projects
	mkdir -p /srv/noquota
	mount -t tmpfs -o mode=0755 tmpfs /srv/noquota
	mkdir -p "$nq"
	cp -a "$STATE/installation" "$nq/"
	for d in overlays global_overlay_cache workshop_cache; do
		install -d -o left4me -g left4me "$nq/$d"
	done
	sed -i "s|^#*state_dir *=.*|state_dir = $nq|" "$CONF"
	grep -qx "state_dir = $nq" "$CONF"
	printf '%s\n' "L4D2_LOWERDIRS=$nq/installation" "L4D2_PORT=27086" "LEFT4ME_DISK_MAX=30M" >"$INSTANCES/86.env"
	chown left4me:left4me "$INSTANCES/86.env"
	for n in 81 82 83 84 85; do systemctl stop "left4me@$n.service"; done
	write_instance 85 "L4D2_LOWERDIRS=$nq/installation" "L4D2_PORT=27085"
	for n in 81 82 83 84; do rm -f "$INSTANCES/$n.env"; done
	systemctl daemon-reload
	journalctl -b -q -o cat --since "-2min" | grep -F left4me-generator | tail -5
	journalctl -b -q -o cat --since "-2min" |
		grep -F "$INSTANCES/86.env:3: error: LEFT4ME_DISK_MAX (31457280 bytes) cannot be held"
	run runuser -u left4me -- /usr/lib/systemd/system-generators/left4me-generator --verify "$INSTANCES/86.env"
	[ "$status" -eq 1 ]
	[[ $output == *"86.env:3: error: LEFT4ME_DISK_MAX (31457280 bytes) cannot be held"* ]]
	run systemctl start left4me@86.service
	[ "$status" -ne 0 ]
	! is_active left4me@86.service || false
	# the other starts, on the same file system
	systemctl start left4me@85.service
	vm_wait_for 60 log_has 85 "standin: start cwd=$nq/runtime/85/merged"
	systemctl stop left4me@85.service
	vm_wait_for 60 sh -c "! grep -qF ' $nq/runtime/85/' /proc/1/mountinfo"
	rm -f "$INSTANCES/85.env" "$INSTANCES/86.env"
	cp "$BATS_FILE_TMPDIR/left4me.conf" "$CONF"
	systemctl daemon-reload
	umount /srv/noquota
}
