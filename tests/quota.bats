#!/usr/bin/env bats
# left4me-quota(8) on the host, whose file systems enforce no project
# quotas: the command line, the safe opening of its directories, and that
# "no budget" changes nothing there while a budget fails. What it does where
# quotas are enforced is shown in tests/vm/guest/17-budgets.bats.

bats_require_minimum_version 1.5.0

QUOTA=${LEFT4ME_QUOTA:-$BATS_TEST_DIRNAME/../build/left4me-quota}

setup() {
	[ -x "$QUOTA" ] || skip "build/left4me-quota not built"
	T=$(mktemp -d)
	chmod 0755 "$T"
	mkdir -p "$T/runtime/7/upper/a" "$T/runtime/7/work"
	echo data >"$T/runtime/7/upper/a/f"
}

teardown() {
	[ -n "${T:-}" ] && rm -rf "$T"
	return 0
}

@test "quota: usage errors exit 2 with the usage line" {
	for args in "" "instance" "instance 7" "instance 7 0" "volume 7 0 $T/runtime/7/upper" \
		"instance 0 0 $T/runtime/7/upper" "instance 65536 0 $T/runtime/7/upper" "instance 7 30M $T/runtime/7/upper" \
		"instance 7 0 runtime/7/upper" "instance 7 0 /a /b /c /d /e"; do
		run -2 "$QUOTA" $args
		echo "$args -> $output"
		[[ $output == "left4me-quota: "* ]]
	done
}

@test "quota: no budget where quotas are not enforced does nothing and succeeds" {
	local before
	before=$(find "$T" -printf '%p %m %U %T@\n' | sort)
	run -0 "$QUOTA" instance 7 0 "$T/runtime/7/upper" "$T/runtime/7/work"
	[ -z "$output" ]
	[ "$(find "$T" -printf '%p %m %U %T@\n' | sort)" = "$before" ]
}

@test "quota: a budget where quotas are not enforced fails, naming the directory and why" {
	run -1 "$QUOTA" instance 7 31457280 "$T/runtime/7/upper" "$T/runtime/7/work"
	[[ $output == "left4me-quota: $T/runtime/7/upper: error: cannot hold instance 7's disk budget: its file system "* ]]
}

@test "quota: a directory reached through a symlink, or not a directory, is refused" {
	ln -s "$T/runtime/7/upper" "$T/runtime/7/link"
	run -1 "$QUOTA" instance 7 0 "$T/runtime/7/link"
	[[ $output == "left4me-quota: $T/runtime/7/link: error: "* ]]
	run -1 "$QUOTA" instance 7 0 "$T/runtime/7/upper/a/f"
	[[ $output == "left4me-quota: $T/runtime/7/upper/a/f: error: is not a directory" ]]
	run -1 "$QUOTA" instance 7 0 "$T/runtime/7/missing"
	[[ $output == "left4me-quota: $T/runtime/7/missing: error: "* ]]
	# control: the directory itself is accepted
	run -0 "$QUOTA" instance 7 0 "$T/runtime/7/upper"
}
