#!/usr/bin/env bats
# make bench, row 5: a reset of an instance with COUNT files in its upper
# layer (0, 1,000 and 100,000, written by the server user through merged),
# beside `rm -rf` of a tree of as many files on the same file system. Reset:
# from `systemctl start left4me-reset@N` to its return (the layer out of the
# instance's reach); removed: from the same start until the trash is empty
# again (left4me-trash.service done). Samples go to results/bench-reset.txt:
#   COUNT reset|removed|rm-rf MS

load lib
load instances
load bench

INST=56
COUNTS="0 1000 100000"
SCRATCH=$STATE/bench-rm

trash_settled() { [ -z "$(ls -A "$STATE/trash")" ] && ! systemctl is-active -q left4me-trash.service; }

fill_upper() { # COUNT: files written by the server through its game directory
	systemctl start "left4me@$INST.service"
	runuser -u l4d2-server -- sh -ec "mkdir -p '$(merged_of "$INST")/many' && cd '$(merged_of "$INST")/many' &&
		seq 1 $1 | xargs -r touch"
	systemctl stop "left4me@$INST.service"
	wait_unmounted "$INST"
	sync
}

setup_file() {
	record_guest
	bench_layers
	bench_instance "$INST"
	systemctl daemon-reload
	vm_wait_for 120 trash_settled
}

teardown_file() {
	forget_instance "$INST"
	rm -rf "$SCRATCH"
	systemctl daemon-reload
}

@test "reset with 0, 1,000 and 100,000 files beside rm -rf of as many" {
	local run count t0 t1 t2
	for run in $(seq 1 "$BENCH_RESET_RUNS"); do
		for count in $COUNTS; do
			fill_upper "$count"
			t0=$(now_us)
			systemctl start "left4me-reset@$INST.service"
			t1=$(now_us)
			vm_wait_for 900 trash_settled
			t2=$(now_us)
			[ ! -e "$STATE/runtime/$INST/upper" ]
			record reset "$count" reset "$(ms_between "$t0" "$t1")"
			record reset "$count" removed "$(ms_between "$t0" "$t2")"
			mkdir -p "$SCRATCH/many"
			(cd "$SCRATCH/many" && seq 1 "$count" | xargs -r touch)
			sync
			t0=$(now_us)
			rm -rf "$SCRATCH"
			t1=$(now_us)
			record reset "$count" rm-rf "$(ms_between "$t0" "$t1")"
		done
	done
}
