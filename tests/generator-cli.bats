#!/usr/bin/env bats
# The command line, the configuration file and logging of left4me-generator.

load lib/world

setup() {
        world_create
        layer installation 0
        instance 1 "L4D2_LOWERDIRS=@STATE@/installation"
}
teardown() { world_destroy; }

@test "--help prints usage and exits 0" {
        run_generator --help
        [ "$status" -eq 0 ]
        [[ "$output" == *"Usage: left4me-generator"*"--verify"* ]]
}

@test "--version prints the version" {
        run_generator --version
        [ "$status" -eq 0 ]
        [[ "$output" =~ ^left4me-generator\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "an unknown option is a usage error (exit 2)" {
        run_generator --bogus "$OUT"
        [ "$status" -eq 2 ]
        [ -z "$(ls -A "$OUT")" ]
}

@test "two output directories are a usage error (systemd passes one or three)" {
        run_generator "$OUT" "$OUT"
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"expected one or three output directories"* ]]
}

@test "a relative output directory is refused" {
        cd "$ROOT"
        run_generator out
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"out: output directory must be an absolute path"* ]]
}

@test "three output directories: units go to the first (normal) one" {
        mkdir "$ROOT/early" "$ROOT/late"
        run_generator "$OUT" "$ROOT/early" "$ROOT/late"
        [ "$status" -eq 0 ]
        assert_instance_generated 1
        [ -z "$(find "$ROOT/early" "$ROOT/late" -mindepth 1)" ]
}

@test "no temporary files are left in the output directory" {
        run_generator
        [ "$status" -eq 0 ]
        [ -z "$(find "$OUT" -name '.#*')" ]
}

@test "where linking an unnamed file by its fd is refused, it is linked through /proc/self/fd: same files" {
        layer overlays/3 "$SANDBOX_UID"
        instance 2 "L4D2_LOWERDIRS=@STATE@/overlays/3:@STATE@/installation" "LEFT4ME_AUTOSTART=yes"
        run_generator
        [ "$status" -eq 0 ]
        mv "$OUT" "$ROOT/by-fd"
        mkdir "$OUT"
        # Kernels before 6.10 refuse linkat(AT_EMPTY_PATH) without CAP_DAC_READ_SEARCH (ENOENT).
        # LeakSanitizer cannot run under ptrace: the sanitizer build skips its leak check here.
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
                LEFT4ME_CONF=$ROOT/left4me.conf LEFT4ME_LOG_TARGET=stderr run --separate-stderr \
                strace -f -qq -o "$ROOT/strace.log" -e trace=linkat -e inject=linkat:error=ENOENT:when=1 "$GEN" "$OUT"
        [ "$status" -eq 0 ]
        grep -q 'AT_EMPTY_PATH) = -1 ENOENT' "$ROOT/strace.log"
        grep -q '"/proc/self/fd/' "$ROOT/strace.log"
        ! grep -q 'AT_EMPTY_PATH) = 0' "$ROOT/strace.log" || false
        diff -r --no-dereference "$ROOT/by-fd" "$OUT"
        [ -z "$(find "$OUT" -name '.#*')" ]
}

@test "--dry-run prints every file after a line naming its path, and writes nothing" {
        layer overlays/3 "$SANDBOX_UID"
        instance 2 "L4D2_LOWERDIRS=@STATE@/overlays/3:@STATE@/installation" "LEFT4ME_AUTOSTART=yes"
        run_generator --dry-run
        [ "$status" -eq 0 ]
        [ -z "$(ls -A "$OUT")" ]
        local esc
        esc=$(escaped_root)
        [[ "$output" == *"==> /run/systemd/generator/$esc-state-runtime-1-merged.mount <=="$'\n'"# Automatically generated"* ]]
        [[ "$output" == *"==> /run/systemd/generator/$esc-state-runtime-idmap-$SANDBOX_UID-overlays.mount <=="* ]]
        [[ "$output" == *"==> /run/systemd/generator/left4me@.service.d/50-left4me-generator.conf <=="* ]]
        [[ "$output" == *"==> /run/systemd/generator/multi-user.target.wants/left4me@2.service -> "*"/left4me@.service <=="* ]]
        [ "$(grep -c '^==> /run/systemd/generator/' <<<"$output")" -eq 20 ]
}

@test "--dry-run output matches what a real run writes" {
        run_generator --dry-run "$OUT"
        dry=$output
        run_generator
        for f in "$OUT"/*.mount "$OUT"/*/*.conf "$OUT"/left4me/*.env; do
                [ -f "$f" ] || return 1
                [[ "$dry" == *"==> $f <=="$'\n'"$(cat "$f")"* ]]
        done
}

# The paths --dry-run names, one a line, as a real run creates them.
dry_run_paths() { # DRY_RUN_OUTPUT
        sed -n 's/^==> \(.*\) <==$/\1/p' <<<"$1" | sed 's/ -> .*//' | LC_ALL=C sort
}

@test "--dry-run: a separator forged in an instance file's comments does not make a second file" {
        instance 2 "# ==> $OUT/evil.mount <==" "L4D2_LOWERDIRS=@STATE@/installation" \
                "#==> $OUT/evil.mount <==" "# $OUT/evil.mount" "L4D2_PORT=27020" "# ==> $OUT/evil.mount <=="
        run_generator --dry-run "$OUT"
        [ "$status" -eq 0 ]
        local dry=$output
        [[ $dry == *"# $OUT/evil.mount"* ]] # the comments are in the copy of 2.env, as they are
        run_generator
        [ "$status" -eq 0 ]
        [ ! -e "$OUT/evil.mount" ]
        diff <(dry_run_paths "$dry") <(cd "$OUT" && find . \( -type f -o -type l \) | sed "s|^\.|$OUT|" | LC_ALL=C sort)
        [[ $(dry_run_paths "$dry") != *evil* ]]
}

@test "--dry-run: an instance line that is a separator is refused (file, line, reason)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "==> $OUT/evil.mount <=="
        run_generator --dry-run "$OUT"
        [ "$status" -eq 1 ]
        [[ $stderr == *"$INST/2.env:2: error: not a KEY=VALUE line"* ]]
        [[ $output != *evil* ]]
}

@test "an output directory that is not a safe path is refused: it is written into the units" {
        run_generator --dry-run "$ROOT/out"$'\n'"==> /run/x <=="
        [ "$status" -eq 2 ]
        [[ $stderr == *"output directory contains a newline"* ]]
        [ -z "$output" ]
        run_generator "$ROOT/o ut"
        [ "$status" -eq 2 ]
        [[ $stderr == *"output directory contains whitespace"* ]]
}

@test "config: a configuration path that is not a safe path is refused: it is written into the units" {
        mkdir "$ROOT/a"$'\n'"b"
        cp "$ROOT/left4me.conf" "$ROOT/a"$'\n'"b/left4me.conf"
        LEFT4ME_CONF=$ROOT/a$'\n'b/left4me.conf LEFT4ME_LOG_TARGET=stderr run --separate-stderr "$GEN" --dry-run "$OUT"
        [ "$status" -eq 2 ]
        [[ $stderr == *"$ROOT/a\\x0ab/left4me.conf: error: the configuration file's path contains a newline"* ]]
        [ -z "$output" ]
}

@test "--verify accepts a good file (exit 0) and writes nothing" {
        run_generator --verify "$INST/1.env"
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
        [ -z "$(ls -A "$OUT")" ]
}

@test "--verify checks files outside instances_dir, named N.env" {
        mkdir "$ROOT/staging"
        printf 'L4D2_LOWERDIRS=%s\n' "$STATE/installation" >"$ROOT/staging/12.env"
        printf 'L4D2_LOWERDIRS=%s\n' "$STATE/overlays/nothere" >"$ROOT/staging/13.env"
        run_generator --verify "$ROOT/staging/12.env" "$ROOT/staging/13.env"
        [ "$status" -eq 1 ]
        [[ "$stderr" == *"$ROOT/staging/13.env:1: error: L4D2_LOWERDIRS: layer \"$STATE/overlays/nothere\""*"does not exist"* ]]
        [[ "$stderr" != *"12.env"* ]]
}

@test "--verify refuses a file not named N.env" {
        cp "$INST/1.env" "$ROOT/draft.env"
        run_generator --verify "$ROOT/draft.env"
        [ "$status" -eq 1 ]
        [[ "$stderr" == *"$ROOT/draft.env: error: invalid instance file name"* ]]
}

@test "--verify without files is a usage error" {
        run_generator --verify
        [ "$status" -eq 2 ]
}

@test "no instances directory: only the template and slice drop-ins, the journal settings and the trash path unit's link, exit 0" {
        rm -rf "$INST"
        run_generator
        [ "$status" -eq 0 ]
        [ "$(cd "$OUT" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" = \
                "./left4me-console@.socket.d/50-left4me-generator.conf ./left4me-delete@.service.d/50-left4me-generator.conf ./left4me-journald.conf ./left4me-reset@.service.d/50-left4me-generator.conf ./left4me-runtime@.service.d/50-left4me-generator.conf ./left4me-sandbox.slice.d/50-left4me-generator.conf ./left4me-trash.path.d/50-left4me-generator.conf ./left4me-trash.service.d/50-left4me-generator.conf ./left4me.slice.d/50-left4me-generator.conf ./left4me@.service.d/50-left4me-generator.conf " ]
        [[ "$(readlink "$OUT/multi-user.target.wants/left4me-trash.path")" == /*/systemd/system/left4me-trash.path ]]
        [ "$(find "$OUT" -type l | wc -l)" -eq 1 ]
}

# Configuration: LEFT4ME_CONF, unknown keys, errors.

@test "an unknown key or section warns with file:line and changes nothing" {
        printf '[paths]\nbogus = 1\n[nosuch]\nkey = 2\n' >>"$ROOT/left4me.conf"
        run_generator
        [ "$status" -eq 0 ]
        [[ "$stderr" == *"$ROOT/left4me.conf:10: warning: unknown key \"bogus\" in [paths], ignored"* ]]
        [[ "$stderr" == *"$ROOT/left4me.conf:12: warning: unknown section [nosuch]"* ]]
        assert_instance_generated 1
}

config_error() {
        run_generator
        [ "$status" -eq 2 ]
        [[ "$stderr" == *"$1"* ]]
        [[ "$stderr" == *"configuration unusable, no units generated"* ]]
        [ -z "$(ls -A "$OUT")" ]
}

@test "config: a missing file is exit 2" {
        rm "$ROOT/left4me.conf"
        config_error "$ROOT/left4me.conf: error: cannot open: No such file or directory"
}

@test "config: a syntax error names the line" {
        printf '[paths\n' >>"$ROOT/left4me.conf"
        config_error "$ROOT/left4me.conf:9: error: syntax error"
}

@test "config: a relative state_dir names the line and reason" {
        printf '[paths]\nstate_dir = var/lib/left4me\n' >>"$ROOT/left4me.conf"
        config_error "$ROOT/left4me.conf:10: error: state_dir=var/lib/left4me: is not absolute"
}

@test "config: a state_dir with a comma is refused" {
        printf '[paths]\nstate_dir = /var/lib/a,b\n' >>"$ROOT/left4me.conf"
        config_error "left4me.conf:10: error: state_dir=/var/lib/a,b: contains ','"
}

@test "config: an unknown user name is exit 2" {
        printf '[users]\nservice = no-such-user-here\n' >>"$ROOT/left4me.conf"
        config_error "[users] service=no-such-user-here: no such user in /etc/passwd"
}

@test "config: service, server and sandbox must differ and not be root" {
        printf '[users]\nsandbox = %s\n' "$SERVICE_UID" >>"$ROOT/left4me.conf"
        config_error "service ($SERVICE_UID), server ($SERVER_UID) and sandbox ($SERVICE_UID) must be three different users"
}

@test "config: the game servers' user cannot be the web app's" {
        printf '[users]\nserver = %s\n' "$SERVICE_UID" >>"$ROOT/left4me.conf"
        config_error "service ($SERVICE_UID), server ($SERVICE_UID) and sandbox ($SANDBOX_UID) must be three different users"
}

@test "config: root cannot be the game servers' user" {
        printf '[users]\nserver = root\n' >>"$ROOT/left4me.conf"
        config_error "[users]: service, server and sandbox must not be root or in group root"
}

@test "config: a server network exception that is not a prefix names the line" {
        printf '[server]\nallow_networks = 10.0.0.5/32 1.2.3.999/8\n' >>"$ROOT/left4me.conf"
        config_error "left4me.conf:10: error: allow_networks=1.2.3.999/8: is not an IP address or prefix"
}

@test "config: a sandbox deny_networks entry is checked as the helper checks it" {
        printf '[sandbox]\ndeny_networks = 1.2.3.999/8\n' >>"$ROOT/left4me.conf"
        config_error "left4me.conf:10: error: deny_networks=1.2.3.999/8: is not an IP address or prefix"
}

@test "control: server network exceptions become IPAddressAllow= and lift the loopback interface rule" {
        printf '[server]\nallow_networks = 10.0.0.5/32 fd00::/8\n' >>"$ROOT/left4me.conf"
        run_generator
        [ "$status" -eq 0 ]
        local d=$OUT/left4me@.service.d/50-left4me-generator.conf
        grep -qx "IPAddressAllow=10.0.0.5/32" "$d"
        grep -qx "IPAddressAllow=fd00::/8" "$d"
        ! grep -q "^RestrictNetworkInterfaces=" "$d" || false
        grep -q "^IPAddressDeny=127.0.0.0/8 .* 240.0.0.0/4 64:ff9b::/96$" "$d"
}

@test "control: a network exception is written as ADDRESS/LENGTH, a bare address as a host prefix" {
        printf '[server]\nallow_networks = 10.0.0.6 2001:DB8:0:0::1\n' >>"$ROOT/left4me.conf"
        run_generator
        [ "$status" -eq 0 ]
        local d=$OUT/left4me@.service.d/50-left4me-generator.conf
        grep -qx "IPAddressAllow=10.0.0.6/32" "$d"
        grep -qx "IPAddressAllow=2001:db8::1/128" "$d"
}

@test "config: a lower root overlapping the runtime directory is refused" {
        printf '[overlay]\nlower_roots = installation runtime/x\n' >>"$ROOT/left4me.conf"
        config_error "overlaps the runtime directory"
}

@test "config: a lower root overlapping the trash directory is refused" {
        printf '[overlay]\nlower_roots = installation trash\n' >>"$ROOT/left4me.conf"
        config_error "lower_roots: $STATE/trash overlaps the trash directory $STATE/trash"
}

@test "config: a lower root with '..' is refused" {
        printf '[overlay]\nlower_roots = installation ../etc\n' >>"$ROOT/left4me.conf"
        config_error "left4me.conf:10: error: lower_roots=../etc: contains a '.' or '..' component"
}

@test "config: a sandbox number out of range names the line" {
        printf '[sandbox]\ntasks_max = 0\n' >>"$ROOT/left4me.conf"
        config_error "left4me.conf:10: error: tasks_max=0: not a number in 1..1000000"
}

@test "config: a missing state_dir is exit 2 with the remedy" {
        rm -rf "$STATE"
        config_error "state_dir $STATE cannot be inspected"
        [[ "$stderr" == *"keep state_dir on the root file system"* ]]
}

@test "config: user names are resolved from /etc/passwd" {
        local bin_uid daemon_uid sys_uid
        bin_uid=$(awk -F: '$1 == "bin" { print $3 }' /etc/passwd)
        daemon_uid=$(awk -F: '$1 == "daemon" { print $3 }' /etc/passwd)
        sys_uid=$(awk -F: '$1 == "sys" { print $3 }' /etc/passwd)
        sed -i -e "s/^service = .*/service = bin/" -e "s/^server = .*/server = sys/" \
                -e "s/^sandbox = .*/sandbox = daemon/" "$ROOT/left4me.conf"
        layer overlays/5 "$daemon_uid"
        instance 1 "L4D2_LOWERDIRS=@STATE@/overlays/5:@STATE@/installation"
        run_generator
        [ "$status" -eq 0 ]
        grep -qx "User=$sys_uid" "$OUT/left4me@.service.d/50-left4me-generator.conf"
        grep -q "X-mount.idmap=u:$daemon_uid:$sys_uid:1" "$OUT"/*-idmap-"$daemon_uid"-overlays.mount
}

@test "logging goes to /dev/kmsg when systemd runs the generator" {
        [ -w /dev/kmsg ] || skip "/dev/kmsg is not writable here"
        instance 2 "L4D2_LOWERDIRS=relative"
        SYSTEMD_SCOPE=system LEFT4ME_CONF=$ROOT/left4me.conf run --separate-stderr "$GEN" "$OUT"
        [ "$status" -eq 1 ]
        [ -z "$stderr" ]
        if [ -r /dev/kmsg ] && command -v dmesg >/dev/null && dmesg >/dev/null 2>&1; then
                dmesg | grep -q "left4me-generator\[[0-9]*\]: $INST/2.env:1: error: L4D2_LOWERDIRS"
        fi
}

# [logs]: the servers' journal namespace.

@test "logs: the budget and rate limit reach the namespace's settings and every server" {
        printf '[logs]\nmax_use = 64M\nrate_limit_interval = 10\nrate_limit_burst = 500\n' >>"$ROOT/left4me.conf"
        run_generator
        [ "$status" -eq 0 ]
        grep -qx 'Storage=persistent' "$OUT/left4me-journald.conf"
        grep -qx 'SystemMaxUse=67108864' "$OUT/left4me-journald.conf"
        grep -qx 'RateLimitIntervalSec=10s' "$OUT/left4me-journald.conf"
        grep -qx 'RateLimitBurst=500' "$OUT/left4me-journald.conf"
        grep -qx 'LogRateLimitIntervalSec=10s' "$OUT/left4me@.service.d/50-left4me-generator.conf"
        grep -qx 'LogRateLimitBurst=500' "$OUT/left4me@.service.d/50-left4me-generator.conf"
}

@test "logs: rate_limit_burst = 0 is no limit, which only the namespace can say" {
        printf '[logs]\nrate_limit_burst = 0\n' >>"$ROOT/left4me.conf"
        run_generator
        [ "$status" -eq 0 ]
        grep -qx 'RateLimitBurst=0' "$OUT/left4me-journald.conf"
        ! grep -q 'LogRateLimit' "$OUT/left4me@.service.d/50-left4me-generator.conf" || false
}

@test "logs: a budget below 16M, a zero interval and a size without a number are refused with file:line" {
        local n
        n=$(($(wc -l <"$ROOT/left4me.conf") + 2))
        for bad in "max_use = 8M" "max_use = lots" "rate_limit_interval = 0" "rate_limit_burst = -1"; do
                cp "$ROOT/left4me.conf" "$ROOT/left4me.conf.good"
                printf '[logs]\n%s\n' "$bad" >>"$ROOT/left4me.conf"
                run_generator
                echo "$bad -> $status: $stderr"
                [ "$status" -eq 2 ]
                [[ $stderr == *"$ROOT/left4me.conf:$n: error: ${bad%% *}=${bad##* }: "* ]]
                mv "$ROOT/left4me.conf.good" "$ROOT/left4me.conf"
        done
}
