#!/usr/bin/env bats
# left4me.conf is read by one loader (lib/config.c) in both programs: the
# generator and the sandbox helper accept the same file and refuse a bad
# value with the same file:line: reason.

load lib/world

HELPER=${LEFT4ME_SANDBOX:-$BATS_TEST_DIRNAME/../build/left4me-sandbox}

setup() {
        [ -x "$HELPER" ] || skip "build/left4me-sandbox not built"
        [ "$(id -u)" -eq 0 ] || skip "needs root (the helper refuses everyone else)"
        world_create
        layer installation 0
        instance 1 "L4D2_LOWERDIRS=@STATE@/installation"
        # A script over script_max is the helper's first refusal after the
        # configuration is loaded, and comes before anything is set up.
        head -c 1025 /dev/zero | tr '\0' x >"$BATS_TEST_TMPDIR/script"
}
teardown() { world_destroy; }

# A new world for each value a test loops over: one instance, no [sandbox] yet.
fresh_world() {
        world_destroy
        world_create
        layer installation 0
        instance 1 "L4D2_LOWERDIRS=@STATE@/installation"
}

sandbox_conf() { # LINE...: a [sandbox] section ending left4me.conf
        printf '[sandbox]\nscript_max = 1K\n' >>"$ROOT/left4me.conf"
        printf '%s\n' "$@" >>"$ROOT/left4me.conf"
}

# The message naming left4me.conf, without the program's name.
conf_message() { # STDERR
        grep -F "$ROOT/left4me.conf" <<<"$1" | sed 's/^left4me-[a-z]*: //'
}

run_helper() {
        LEFT4ME_CONF=$ROOT/left4me.conf run --separate-stderr "$HELPER" build 1 <"$BATS_TEST_TMPDIR/script"
}

@test "a bad deny_networks entry: both programs refuse it with the same file:line: reason" {
        for bad in 1.2.3.999/8 10.0.0.0/33 1.2.3 ::1/129 10.0.0.0/08 fe80::1%lo 2001:db8::/-1; do
                fresh_world
                sandbox_conf "deny_networks = 198.51.100.0/24 $bad"
                run_generator --verify "$INST/1.env"
                echo "generator: status=$status stderr=[$stderr]"
                [ "$status" -eq 2 ]
                local generator_message
                generator_message=$(conf_message "$stderr")
                [ "$generator_message" = "$ROOT/left4me.conf:11: error: deny_networks=$bad: is not an IP address or prefix (ADDRESS or ADDRESS/LENGTH)" ]
                run_helper
                echo "helper: status=$status stderr=[$stderr]"
                [ "$status" -eq 125 ]
                [ "${#stderr_lines[@]}" -eq 1 ]
                [ "$(conf_message "$stderr")" = "$generator_message" ]
        done
}

@test "control: good deny_networks entries are accepted by both programs" {
        sandbox_conf "deny_networks = 198.51.100.0/24 2001:db8::/32 203.0.113.7 ::ffff:192.0.2.0/120"
        run_generator --verify "$INST/1.env"
        echo "generator: status=$status stderr=[$stderr]"
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
        run_helper
        echo "helper: status=$status stderr=[$stderr]"
        [ "$status" -eq 125 ]
        [ "$stderr" = "left4me-sandbox: stdin: error: the script is larger than script_max (1024 bytes)" ]
}

@test "the generator's own rules (unit names, lower roots) refuse a file the helper loads" {
        local long # short enough for one line of left4me.conf, each '-' four bytes (\x2d) of a unit name
        long=$STATE/$(printf -- '-%.0s' {1..60})
        sed -i "s|^state_dir = .*|state_dir = $long|" "$ROOT/left4me.conf"
        sandbox_conf
        run_generator --verify "$INST/1.env"
        echo "generator: status=$status stderr=[$stderr]"
        [ "$status" -eq 2 ]
        [[ $stderr == *"$ROOT/left4me.conf: error: [paths] state_dir=$long: too long, the unit name of $long/runtime/65535/merged would exceed 255 bytes"* ]]
        run_helper
        [ "$stderr" = "left4me-sandbox: stdin: error: the script is larger than script_max (1024 bytes)" ]

        sed -i "s|^state_dir = .*|state_dir = $STATE|" "$ROOT/left4me.conf"
        printf '[overlay]\nlower_roots = installation trash\n' >>"$ROOT/left4me.conf"
        run_generator --verify "$INST/1.env"
        [ "$status" -eq 2 ]
        [[ $stderr == *"$ROOT/left4me.conf: error: [overlay] lower_roots: $STATE/trash overlaps the trash directory $STATE/trash"* ]]
        run_helper
        [ "$stderr" = "left4me-sandbox: stdin: error: the script is larger than script_max (1024 bytes)" ]
}

# One bad [sandbox] budget line: both programs refuse it with the same message.
assert_both_refuse() { # LINE MESSAGE (after "file:11: error: ")
        fresh_world
        sandbox_conf "$1"
        run_generator --verify "$INST/1.env"
        echo "generator: status=$status stderr=[$stderr]"
        [ "$status" -eq 2 ]
        [ "$(conf_message "$stderr")" = "$ROOT/left4me.conf:11: error: $2" ]
        run_helper
        echo "helper: status=$status stderr=[$stderr]"
        [ "$status" -eq 125 ]
        [ "${#stderr_lines[@]}" -eq 1 ]
        [ "$(conf_message "$stderr")" = "$ROOT/left4me.conf:11: error: $2" ]
}

SIZE_REASON="not a size (bytes, or a number with K, M, G or T, powers of 1024) or infinity"

@test "[sandbox] disk_max and max_builds: bad values are refused by both programs with file:line: key=value: reason" {
        for bad in 50Q -1 0 1.5G '50 M' 50m; do
                assert_both_refuse "disk_max = $bad" "disk_max=$bad: $SIZE_REASON"
        done
        for bad in 0 1001 four 04 -1; do
                assert_both_refuse "max_builds = $bad" "max_builds=$bad: not a number in 1..1000"
        done
}

@test "[sandbox] total_memory_max, total_cpu_quota, total_tasks_max: bad values are refused by both programs" {
        for bad in 2Q 0 -1G; do
                assert_both_refuse "total_memory_max = $bad" "total_memory_max=$bad: $SIZE_REASON"
        done
        for bad in 150 0% 100001% 1.5% %; do
                assert_both_refuse "total_cpu_quota = $bad" \
                        "total_cpu_quota=$bad: not a percentage of one CPU (1% to 100000%, as CPUQuota= writes it) or infinity"
        done
        for bad in 0 4194305 many; do
                assert_both_refuse "total_tasks_max = $bad" \
                        "total_tasks_max=$bad: not a number of tasks (1 to 4194304) or infinity"
        done
}

@test "control: good [sandbox] budgets and infinity are accepted by both programs" {
        for line in 'disk_max = 50M' 'disk_max = 1073741824' 'disk_max = infinity' 'max_builds = 1' \
                'max_builds = 1000' 'total_memory_max = 8G' 'total_memory_max = infinity' 'total_cpu_quota = 1%' \
                'total_cpu_quota = 400%' 'total_cpu_quota = infinity' 'total_tasks_max = 4194304' \
                'total_tasks_max = infinity'; do
                fresh_world
                sandbox_conf "$line"
                run_generator --verify "$INST/1.env"
                echo "$line: generator: status=$status stderr=[$stderr]"
                [ "$status" -eq 0 ]
                [ -z "$stderr" ]
                run_helper
                echo "$line: helper: status=$status stderr=[$stderr]"
                [ "$stderr" = "left4me-sandbox: stdin: error: the script is larger than script_max (1024 bytes)" ]
        done
}
