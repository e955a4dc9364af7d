#!/usr/bin/env bats
# Budgets: each server's memory, CPU, tasks and disk (its instance file's,
# else [server] in left4me.conf), and the slices' totals. The kernel's part
# (cgroups, project quotas) is shown in tests/vm/guest/17-budgets.bats; the
# host's file systems here enforce no project quotas, which is what the
# refusals below rely on (the first test shows it).

load lib/world

setup() {
	world_create
	layer installation 0
	instance 1 "L4D2_LOWERDIRS=@STATE@/installation"
}
teardown() { world_destroy; }

dropin() { echo "$OUT/left4me@$1.service.d/50-left4me-instance.conf"; }
runtime_dropin() { echo "$OUT/left4me-runtime@$1.service.d/50-left4me-instance.conf"; }

@test "budgets: the test's state tree is on a file system without enforced project quotas" {
	# the precondition of the refusals: the same kernel query the generator makes
	instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "LEFT4ME_DISK_MAX=30M"
	run_generator --verify "$INST/2.env"
	[ "$status" -eq 1 ]
	[[ $stderr == *"no project quotas"* || $stderr == *"does not enforce"* || $stderr == *"does not count"* ]]
}

@test "budgets: the defaults bound memory (2G, no swap) and tasks (512), not CPU or disk" {
	run_generator
	[ "$status" -eq 0 ]
	grep -qx 'MemoryMax=2147483648' "$(dropin 1)"
	grep -qx 'MemorySwapMax=0' "$(dropin 1)"
	grep -qx 'TasksMax=512' "$(dropin 1)"
	! grep -q 'CPUQuota' "$(dropin 1)" || false
	[ ! -e "$(runtime_dropin 1)" ]
	# the runtime unit applies "no disk budget" to every instance
	grep -qx 'Environment=LEFT4ME_DISK_MAX_BYTES=0' "$OUT/left4me-runtime@.service.d/50-left4me-generator.conf"
	grep -q '^ExecStart=.*/left4me-quota instance %i ${LEFT4ME_DISK_MAX_BYTES} .*/runtime/%i/upper .*/runtime/%i/work$' \
		"$OUT/left4me-runtime@.service.d/50-left4me-generator.conf"
}

@test "budgets: an instance file's values win over [server]'s, infinity lifts one" {
	printf '[server]\nmemory_max = 1G\ncpu_quota = 50%%\ntasks_max = 64\n' >>"$ROOT/left4me.conf"
	instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=27016" "LEFT4ME_MEMORY_MAX=300M" \
		"LEFT4ME_CPU_QUOTA=150%" "LEFT4ME_TASKS_MAX=infinity"
	run_generator
	[ "$status" -eq 0 ]
	grep -qx 'MemoryMax=1073741824' "$(dropin 1)"
	grep -qx 'CPUQuota=50%' "$(dropin 1)"
	grep -qx 'TasksMax=64' "$(dropin 1)"
	grep -qx 'MemoryMax=314572800' "$(dropin 2)"
	grep -qx 'CPUQuota=150%' "$(dropin 2)"
	! grep -q 'TasksMax' "$(dropin 2)" || false
}

@test "budgets: bad values are refused with file:line and reason; the other instances are generated" {
	local bad
	for bad in "LEFT4ME_MEMORY_MAX=lots" "LEFT4ME_MEMORY_MAX=0" "LEFT4ME_CPU_QUOTA=150" "LEFT4ME_CPU_QUOTA=0%" \
		"LEFT4ME_TASKS_MAX=-1" "LEFT4ME_DISK_MAX=30MB" "LEFT4ME_DISK_MAX=30M LEFT4ME_DISK_MAX=40M"; do
		rm -rf "$OUT" && mkdir "$OUT"
		instance 2 "L4D2_PORT=27016" "L4D2_LOWERDIRS=@STATE@/installation" ${bad}
		run_generator
		echo "$bad -> $status: $stderr"
		[ "$status" -eq 1 ]
		[[ $stderr == *"$INST/2.env:"[34]": error: LEFT4ME_"* ]]
		assert_instance_generated 1
		assert_instance_absent 2
	done
}

@test "budgets: a disk budget where project quotas are not enforced refuses that instance alone, with file:line" {
	instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=27016" "LEFT4ME_DISK_MAX=30M"
	run_generator
	[ "$status" -eq 1 ]
	[[ $stderr == *"$INST/2.env:3: error: LEFT4ME_DISK_MAX (31457280 bytes) cannot be held: "*" under $STATE; instance skipped"* ]]
	assert_instance_generated 1
	assert_instance_absent 2
	# --verify says the same
	run_generator --verify "$INST/2.env"
	[ "$status" -eq 1 ]
	[[ $stderr == *"$INST/2.env:3: error: LEFT4ME_DISK_MAX (31457280 bytes) cannot be held"* ]]
	# control: the same instance without the budget is generated
	instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=27016"
	run_generator
	[ "$status" -eq 0 ]
	assert_instance_generated 2
}

@test "budgets: a default disk budget the file system cannot hold refuses the instances it applies to" {
	printf '[server]\ndisk_max = 10G\n' >>"$ROOT/left4me.conf"
	instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=27016" "LEFT4ME_DISK_MAX=infinity"
	run_generator
	[ "$status" -eq 1 ]
	[[ $stderr == *"$INST/1.env: error: the default disk budget ([server] disk_max of $ROOT/left4me.conf, 10737418240 bytes) cannot be held"* ]]
	assert_instance_absent 1
	# LEFT4ME_DISK_MAX=infinity lifts it
	assert_instance_generated 2
	[ ! -e "$(runtime_dropin 2)" ]
}

@test "budgets: the slices get the totals of left4me.conf; without them, none" {
	run_generator
	[ "$status" -eq 0 ]
	[ "$(grep -c '=' "$OUT/left4me.slice.d/50-left4me-generator.conf")" -eq 1 ] # SourcePath= only
	printf '[server]\ntotal_memory_max = 16G\ntotal_cpu_quota = 400%%\ntotal_tasks_max = 8192\n' >>"$ROOT/left4me.conf"
	printf '[sandbox]\ntotal_memory_max = 4G\ntotal_cpu_quota = 100%%\n' >>"$ROOT/left4me.conf"
	run_generator
	[ "$status" -eq 0 ]
	grep -qx 'MemoryMax=17179869184' "$OUT/left4me.slice.d/50-left4me-generator.conf"
	grep -qx 'CPUQuota=400%' "$OUT/left4me.slice.d/50-left4me-generator.conf"
	grep -qx 'TasksMax=8192' "$OUT/left4me.slice.d/50-left4me-generator.conf"
	grep -qx 'MemoryMax=4294967296' "$OUT/left4me-sandbox.slice.d/50-left4me-generator.conf"
	grep -qx 'CPUQuota=100%' "$OUT/left4me-sandbox.slice.d/50-left4me-generator.conf"
	! grep -q 'TasksMax' "$OUT/left4me-sandbox.slice.d/50-left4me-generator.conf" || false
}

@test "budgets: bad left4me.conf budgets are refused with file:line (a total disk budget is not a key)" {
	local n bad
	n=$(($(wc -l <"$ROOT/left4me.conf") + 2))
	cp "$ROOT/left4me.conf" "$ROOT/left4me.conf.good"
	for bad in "[server]|memory_max = 2GB" "[server]|cpu_quota = 2" "[server]|tasks_max = 0" "[sandbox]|total_memory_max = x" \
		"[sandbox]|max_builds = 0"; do
		cp "$ROOT/left4me.conf.good" "$ROOT/left4me.conf"
		printf '%s\n%s\n' "${bad%%|*}" "${bad#*|}" >>"$ROOT/left4me.conf"
		run_generator
		echo "$bad -> $status: $stderr"
		[ "$status" -eq 2 ]
		local kv=${bad#*|}
		[[ $stderr == *"$ROOT/left4me.conf:$n: error: ${kv%% *}=${kv##* }: "* ]]
	done
	cp "$ROOT/left4me.conf.good" "$ROOT/left4me.conf"
	printf '[server]\ntotal_disk_max = 1G\n' >>"$ROOT/left4me.conf"
	run_generator
	[ "$status" -eq 0 ]
	[[ $stderr == *"$ROOT/left4me.conf:$n: warning: unknown key \"total_disk_max\" in [server], ignored"* ]]
}
