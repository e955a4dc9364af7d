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
                world_destroy
                world_create
                layer installation 0
                instance 1 "L4D2_LOWERDIRS=@STATE@/installation"
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
