#!/usr/bin/env bats
# Bad-input catalogue: each test puts one bad instance (or one bad file name)
# beside a good instance 1 and checks that the generator fails closed: exit
# status 1, exactly one error naming the file, the line where one applies and
# the reason, nothing written for the bad instance, and instance 1 generated.

load lib/world

setup() {
        world_create
        layer installation
        layer overlays/1 "$SERVICE_UID"
        instance 1 "L4D2_LOWERDIRS=@STATE@/overlays/1:@STATE@/installation"
}

teardown() {
        if [ -n "${STATE:-}" ] && mountpoint -q "$STATE/overlays/m" 2>/dev/null; then
                umount "$STATE/overlays/m"
        fi
        world_destroy
}

flunk() {
        printf '%s\n' "$@" "--- stderr:" "$stderr"
        return 1
}

# Files in $OUT other than instance 1's (with the two idmapped views its
# layers need) and those written once per run.
stray_files() {
        (cd "$OUT" && find . -mindepth 1 ! -type d) |
                grep -Ev -e '-runtime-1-' -e '-runtime-idmap-0-installation\.mount$' \
                        -e "-runtime-idmap-$SERVICE_UID-overlays\.mount\$" -e '@1\.service' -e '@\.service\.d/' -e '^\./left4me/1\.env$' \
                        -e '^\./left4me-trash\.(service|path)\.d/' \
                        -e '^\./left4me-console@\.socket\.d/' -e '^\./left4me(-sandbox)?\.slice\.d/' -e '^\./left4me-journald\.conf$' -e '^\./multi-user\.target\.wants/left4me-trash\.path$' ||
                true
}

# expect_skipped WHERE REASON: runs the generator; WHERE is the bad file's
# name in $INST, followed by ":LINE" when the message must point at a line;
# REASON is a fragment of the message's reason.
expect_skipped() {
        local where=$1 reason=$2 file=${1%%:*} mentions message stray
        run_generator
        [ "$status" -eq 1 ] || flunk "exit status $status, expected 1"
        mentions=$(grep -cF -- "$INST/$file:" <<<"$stderr" || true)
        [ "$mentions" -eq 1 ] || flunk "$mentions messages name $file, expected exactly 1"
        message=$(grep -F -- "$INST/$file:" <<<"$stderr")
        [[ "$message" == "left4me-generator: $INST/$where: error: "*"$reason"* ]] ||
                flunk "message does not name \"$where\" with reason \"$reason\""
        [[ "$stderr" == *"1 instance(s) generated, 1 skipped"* ]] || flunk "summary line missing or wrong"
        assert_instance_generated 1
        assert_instance_absent 2
        stray=$(stray_files)
        [ -z "$stray" ] || flunk "files written for the bad instance:" "$stray"
}

# expect_generated: controls, where the input at a boundary is accepted.
expect_generated() {
        run_generator
        [ "$status" -eq 0 ] || flunk "exit status $status, expected 0"
        assert_instance_generated 1
        assert_instance_generated 2
}

# bad_lowerdirs VALUE: instance 2 with L4D2_LOWERDIRS=VALUE on line 1.
bad_lowerdirs() { instance 2 "L4D2_LOWERDIRS=$1"; }

# ---- Instance file names: ignored with one message each ----

@test "name: leading zero (02.env)" {
        instance 02 "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 02.env "invalid instance file name"
}

@test "name: instance 0 (0.env)" {
        instance 0 "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 0.env "invalid instance file name"
}

@test "name: instance 65536 (65536.env)" {
        instance 65536 "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 65536.env "invalid instance file name"
}

@test "name: wrong suffix (2.conf)" {
        echo "L4D2_LOWERDIRS=$STATE/installation" >"$INST/2.conf"
        expect_skipped 2.conf "invalid instance file name"
}

@test "name: not a number (abc.env)" {
        instance abc "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped abc.env "invalid instance file name"
}

@test "name: backup file (2.env.bak)" {
        echo "L4D2_LOWERDIRS=$STATE/installation" >"$INST/2.env.bak"
        expect_skipped 2.env.bak "invalid instance file name"
}

# ---- The instance file itself: type, owner, mode, size, content ----

@test "file: a symlink to a valid instance file" {
        echo "L4D2_LOWERDIRS=$STATE/installation" >"$ROOT/elsewhere.env"
        ln -s "$ROOT/elsewhere.env" "$INST/2.env"
        expect_skipped 2.env "is a symlink"
}

@test "file: a FIFO" {
        mkfifo "$INST/2.env"
        expect_skipped 2.env "is not a regular file"
}

@test "file: a directory" {
        mkdir "$INST/2.env"
        expect_skipped 2.env "is not a regular file"
}

@test "file: larger than 64 KiB" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation"
        head -c 65536 /dev/zero | tr '\0' '#' >>"$INST/2.env"
        expect_skipped 2.env "is larger than 64 KiB"
}

@test "file: a NUL byte on line 2" {
        printf 'L4D2_LOWERDIRS=%s/installation\nL4D2_ARGS=a\0b\n' "$STATE" >"$INST/2.env"
        expect_skipped 2.env:2 "contains a NUL byte"
}

@test "file: owned by another uid" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation"
        chown "$OTHER_UID" "$INST/2.env"
        expect_skipped 2.env "is owned by someone other than root or the service user"
}

@test "file: owned by the sandbox user" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation"
        chown "$SANDBOX_UID" "$INST/2.env"
        expect_skipped 2.env "is owned by someone other than root or the service user"
}

@test "file: group-writable" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation"
        chmod 0664 "$INST/2.env"
        expect_skipped 2.env "is writable by group or others"
}

@test "file: world-writable" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation"
        chmod 0646 "$INST/2.env"
        expect_skipped 2.env "is writable by group or others"
}

# ---- Keys: required, unique, valid values ----

@test "key: L4D2_LOWERDIRS missing" {
        instance 2 "L4D2_PORT=27015"
        expect_skipped 2.env:1 "L4D2_LOWERDIRS is missing"
}

@test "key: L4D2_LOWERDIRS empty (line 2)" {
        instance 2 "L4D2_PORT=27015" "L4D2_LOWERDIRS="
        expect_skipped 2.env:2 "L4D2_LOWERDIRS is empty"
}

@test "key: L4D2_LOWERDIRS set twice (line 3)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=27015" "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 2.env:3 "L4D2_LOWERDIRS is set twice"
}

@test "key: LEFT4ME_AUTOSTART=maybe (line 2)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "LEFT4ME_AUTOSTART=maybe"
        expect_skipped 2.env:2 "LEFT4ME_AUTOSTART=maybe: must be yes or no"
}

@test "key: L4D2_PORT=0" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=0"
        expect_skipped 2.env:2 "L4D2_PORT=0: must be a number in 1..65535"
}

@test "key: L4D2_PORT=65536" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "# port" "L4D2_PORT=65536"
        expect_skipped 2.env:3 "L4D2_PORT=65536: must be a number in 1..65535"
}

@test "key: L4D2_PORT=27015x" {
        instance 2 "L4D2_PORT=27015x" "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 2.env:1 "L4D2_PORT=27015x: must be a number in 1..65535"
}

# ---- Line syntax: only what systemd's EnvironmentFile= reads literally ----

@test "syntax: a line that is not KEY=VALUE (line 2)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "just some words"
        expect_skipped 2.env:2 "not a KEY=VALUE line"
}

@test "syntax: a space before '=' (line 3)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "# comment" "L4D2_PORT =27015"
        expect_skipped 2.env:3 "not a KEY=VALUE line"
}

@test "syntax: a path broken by a newline" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/over" "lays/1:@STATE@/installation"
        expect_skipped 2.env:2 "not a KEY=VALUE line"
}

@test "syntax: a double quote in a value (line 2)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" 'L4D2_ARGS="+map c1m1_hotel"'
        expect_skipped 2.env:2 "contains a quote"
}

@test "syntax: a single quote in a value" {
        instance 2 "L4D2_LOWERDIRS='@STATE@/installation'"
        expect_skipped 2.env:1 "contains a quote"
}

@test "syntax: a backslash line continuation" {
        # shellcheck disable=SC1003 # a literal backslash ending line 1
        instance 2 'L4D2_LOWERDIRS=@STATE@/overlays/1\' ':@STATE@/installation'
        expect_skipped 2.env:1 "contains '\\' (escapes and line continuations"
}

@test "syntax: a carriage return (CRLF line, line 2)" {
        instance 2 "L4D2_PORT=27015" "L4D2_LOWERDIRS=@STATE@/installation"$'\r'
        expect_skipped 2.env:2 "contains a carriage return"
}

@test "syntax: a carriage return in a comment, where systemd would end the comment (line 2)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "# harmless"$'\r'"LD_PRELOAD=/tmp/x.so"
        expect_skipped 2.env:2 "comment line contains a carriage return"
}

@test "syntax: a backslash ending a comment, which systemd would continue onto the next line (line 1)" {
        # shellcheck disable=SC1003 # a literal backslash ending line 1
        instance 2 '# see below \' "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 2.env:1 "comment line contains '\\' (escapes and line continuations"
}

@test "syntax: a control byte in a comment (line 1)" {
        instance 2 "; a"$'\x1b'"[2J" "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 2.env:1 "comment line contains a control byte"
}

@test "control: quotes in a comment are only text" {
        instance 2 "# it's the \"second\" server" "L4D2_LOWERDIRS=@STATE@/installation"
        run_generator
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
}

@test "messages: a file name with a newline, an escape sequence and invalid UTF-8 is escaped, one line" {
        local name
        name=$(printf 'evil\n\033[2J\xff\xc2\x9b.env')
        printf 'L4D2_LOWERDIRS=%s/installation\n' "$STATE" >"$INST/$name"
        run_generator
        [ "$status" -eq 1 ]
        [[ "$stderr" == *"$INST/evil\\x0a\\x1b[2J\\xff\\xc2\\x9b.env: error: invalid instance file name"* ]]
        [ "$(grep -c 'invalid instance file name' <<<"$stderr")" -eq 1 ]
        [[ "$stderr" != *$'\033'* ]]
        # control: valid UTF-8 stays as it is
        rm "$INST/$name"
        : >"$INST/café.env"
        run_generator
        [[ "$stderr" == *"$INST/café.env: error: invalid instance file name"* ]]
}

@test "syntax: invalid UTF-8 in another key's value (line 3)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_PORT=27015" "L4D2_HOSTNAME=caf"$'\xe9'
        expect_skipped 2.env:3 "is not valid UTF-8"
}

@test "syntax: a control byte in another key's value (line 2)" {
        instance 2 "L4D2_LOWERDIRS=@STATE@/installation" "L4D2_HOSTNAME=a"$'\x1b'"[2Jb"
        expect_skipped 2.env:2 "contains a control byte"
}

# ---- Layer paths: absolute, canonical, nothing a unit or mount could misread ----

@test "path: relative" {
        bad_lowerdirs "overlays/1"
        expect_skipped 2.env:1 "layer \"overlays/1\" is not absolute"
}

@test "path: a '..' component" {
        bad_lowerdirs "@STATE@/overlays/../installation"
        expect_skipped 2.env:1 "contains a '.' or '..' component"
}

@test "path: a '.' component" {
        bad_lowerdirs "@STATE@/overlays/./1"
        expect_skipped 2.env:1 "contains a '.' or '..' component"
}

@test "path: '//'" {
        bad_lowerdirs "@STATE@//overlays/1"
        expect_skipped 2.env:1 "contains '//'"
}

@test "path: trailing '/'" {
        bad_lowerdirs "@STATE@/installation/"
        expect_skipped 2.env:1 "ends with '/'"
}

@test "path: the root directory" {
        bad_lowerdirs "/:@STATE@/installation"
        expect_skipped 2.env:1 "layer \"/\" is the root directory"
}

@test "path: '%' (a specifier)" {
        layer overlays/a%ib
        bad_lowerdirs "@STATE@/overlays/a%ib"
        expect_skipped 2.env:1 "contains '%'"
}

@test "path: ',' (a mount option separator)" {
        layer overlays/a,b
        bad_lowerdirs "@STATE@/overlays/a,b:@STATE@/installation"
        expect_skipped 2.env:1 "contains ','"
}

@test "path: a space inside (line 2)" {
        layer "overlays/a b"
        instance 2 "L4D2_PORT=27015" "L4D2_LOWERDIRS=@STATE@/overlays/a b:@STATE@/installation"
        expect_skipped 2.env:2 "contains whitespace"
}

@test "path: a tab inside" {
        layer "overlays/a"$'\t'"b"
        bad_lowerdirs "@STATE@/overlays/a"$'\t'"b"
        expect_skipped 2.env:1 "contains whitespace"
}

@test "path: a backslash inside" {
        layer 'overlays/a\x2cb'
        bad_lowerdirs '@STATE@/overlays/a\x2cb'
        expect_skipped 2.env:1 "contains '\\'"
}

@test "path: a control byte (0x01)" {
        bad_lowerdirs "@STATE@/overlays/a"$'\x01'"b"
        expect_skipped 2.env:1 "contains a control byte"
}

@test "path: a non-ASCII byte (valid UTF-8)" {
        layer "overlays/caf"$'\xc3\xa9'
        bad_lowerdirs "@STATE@/overlays/caf"$'\xc3\xa9'
        expect_skipped 2.env:1 "contains a non-ASCII byte"
}

@test "path: an empty layer (a::b)" {
        bad_lowerdirs "@STATE@/overlays/1::@STATE@/installation"
        expect_skipped 2.env:1 "layer \"\" is empty"
}

@test "path: a leading ':'" {
        bad_lowerdirs ":@STATE@/installation"
        expect_skipped 2.env:1 "layer \"\" is empty"
}

@test "path: a trailing ':'" {
        bad_lowerdirs "@STATE@/installation:"
        expect_skipped 2.env:1 "layer \"\" is empty"
}

@test "path: longer than 1023 bytes" {
        bad_lowerdirs "@STATE@/overlays/$(printf 'a/%.0s' {1..520})b"
        expect_skipped 2.env:1 "is longer than 1023 bytes"
}

@test "path: more than 500 layers" {
        mkdir -p "$STATE"/overlays/many/{1..501}
        bad_lowerdirs "$(printf "$STATE/overlays/many/%s:" {1..501} | sed 's/:$//')"
        expect_skipped 2.env:1 "layer \"$STATE/overlays/many/501\" is one layer too many"
}

# ---- Layer locations: below a lower root, never in the runtime tree ----

@test "location: outside every lower root (/etc)" {
        bad_lowerdirs "/etc:@STATE@/installation"
        expect_skipped 2.env:1 "layer \"/etc\" is outside every lower root"
}

@test "location: the state directory itself" {
        bad_lowerdirs "@STATE@"
        expect_skipped 2.env:1 "layer \"$STATE\" is outside every lower root"
}

@test "location: a sibling of the state directory" {
        mkdir "$ROOT/other"
        bad_lowerdirs "$ROOT/other"
        expect_skipped 2.env:1 "layer \"$ROOT/other\" is outside every lower root"
}

@test "location: a directory that only starts with a lower root's name" {
        layer installation2
        bad_lowerdirs "@STATE@/installation2"
        expect_skipped 2.env:1 "layer \"$STATE/installation2\" is outside every lower root"
}

@test "location: another instance's runtime upper directory (line 2)" {
        layer runtime/1
        layer runtime/1/upper "$SERVER_UID"
        instance 2 "# steal instance 1's files" "L4D2_LOWERDIRS=@STATE@/runtime/1/upper:@STATE@/installation"
        expect_skipped 2.env:2 "is under the runtime directory"
}

# ---- Layers on disk: existing directories, no symlinks, allowed owners ----

@test "disk: a layer listed twice" {
        bad_lowerdirs "@STATE@/overlays/1:@STATE@/installation:@STATE@/overlays/1"
        expect_skipped 2.env:1 "layer \"$STATE/overlays/1\" is listed twice"
}

@test "disk: a missing layer" {
        bad_lowerdirs "@STATE@/overlays/nothere:@STATE@/installation"
        expect_skipped 2.env:1 "$STATE/overlays/nothere does not exist"
}

@test "disk: a layer that is a regular file" {
        touch "$STATE/overlays/file"
        bad_lowerdirs "@STATE@/overlays/file"
        expect_skipped 2.env:1 "layer \"$STATE/overlays/file\" is not a directory"
}

@test "disk: a layer below a regular file" {
        touch "$STATE/overlays/file"
        bad_lowerdirs "@STATE@/overlays/file/x"
        expect_skipped 2.env:1 "$STATE/overlays/file is not a directory"
}

@test "disk: a layer that is a symlink to a valid directory" {
        ln -s 1 "$STATE/overlays/link"
        bad_lowerdirs "@STATE@/overlays/link:@STATE@/installation"
        expect_skipped 2.env:1 "$STATE/overlays/link is a symlink"
}

@test "disk: a layer below a symlinked directory" {
        layer overlays/real/x
        ln -s real "$STATE/overlays/link"
        bad_lowerdirs "@STATE@/overlays/link/x"
        expect_skipped 2.env:1 "$STATE/overlays/link is a symlink"
}

@test "disk: a layer owned by another uid (line 3)" {
        layer overlays/evil "$OTHER_UID"
        instance 2 "L4D2_PORT=27016" "LEFT4ME_AUTOSTART=yes" "L4D2_LOWERDIRS=@STATE@/overlays/evil:@STATE@/installation"
        expect_skipped 2.env:3 "is owned by uid $OTHER_UID, not by root, the service, the server or the sandbox user"
}

@test "disk: an ancestor that is not root-owned" {
        layer overlays/7 "$SERVICE_UID"
        layer overlays/7/sub
        bad_lowerdirs "@STATE@/overlays/7/sub"
        expect_skipped 2.env:1 "$STATE/overlays/7 is a parent of a mounted path but is not root-owned"
}

@test "disk: an ancestor writable by others without the sticky bit" {
        layer global_overlay_cache 0 0777
        layer global_overlay_cache/7
        bad_lowerdirs "@STATE@/global_overlay_cache/7"
        expect_skipped 2.env:1 "$STATE/global_overlay_cache is a parent of a mounted path but is not root-owned or is writable"
}

@test "disk: an ancestor writable by its group without the sticky bit" {
        layer overlays/x 0 0775
        layer overlays/x/7 "$SERVER_UID"
        bad_lowerdirs "@STATE@/overlays/x/7"
        expect_skipped 2.env:1 "$STATE/overlays/x is a parent of a mounted path but is not root-owned or is writable by group or others without the sticky bit"
}

# The sticky bit keeps others from renaming only entries they do not own.
@test "disk: a sticky ancestor holding a layer another user owns" {
        layer global_overlay_cache 0 1777
        layer global_overlay_cache/7 "$SERVER_UID"
        bad_lowerdirs "@STATE@/global_overlay_cache/7"
        expect_skipped 2.env:1 "$STATE/global_overlay_cache is a parent of a mounted path but is writable by group or others, and its sticky bit protects only entries that exist and are root's"
}

@test "disk: a layer missing from a sticky ancestor (anyone may make it first)" {
        layer global_overlay_cache 0 1777
        bad_lowerdirs "@STATE@/global_overlay_cache/7"
        expect_skipped 2.env:1 "$STATE/global_overlay_cache is a parent of a mounted path but is writable by group or others, and its sticky bit"
}

@test "disk: a sticky ancestor not owned by root" {
        layer global_overlay_cache "$SERVICE_UID" 1777
        layer global_overlay_cache/7
        bad_lowerdirs "@STATE@/global_overlay_cache/7"
        expect_skipped 2.env:1 "$STATE/global_overlay_cache is a parent of a mounted path but is not root-owned"
}

@test "disk: state_dir below a directory that is not root-owned: nothing is generated" {
        local parent=$ROOT/parent
        mkdir "$parent"
        mv "$STATE" "$parent/state"
        chown "$SERVICE_UID" "$parent"
        sed -i "s|^state_dir = .*|state_dir = $parent/state|" "$ROOT/left4me.conf"
        STATE=$parent/state
        bad_lowerdirs "@STATE@/installation"
        run_generator
        [ "$status" -eq 2 ] || flunk "exit status $status, expected 2 (nothing generated)"
        [[ $stderr == *"$parent is a parent of a mounted path but is not root-owned"* ]] || flunk "no message for $parent"
        assert_instance_absent 2
}

@test "disk: a sandbox-owned layer on another file system than its lower root" {
        layer overlays/m
        mount -t tmpfs -o mode=0755 left4me-test "$STATE/overlays/m"
        chown "$SANDBOX_UID:$SANDBOX_UID" "$STATE/overlays/m"
        bad_lowerdirs "@STATE@/overlays/m"
        expect_skipped 2.env:1 "layer \"$STATE/overlays/m\" is on another file system than its lower root $STATE/overlays, whose idmapped view (a bind of the root alone) would not show it"
}

# ---- runtime/N: checked when it exists (PID 1 creates it at first start) ----

@test "runtime: runtime/2 not root-owned (line 2)" {
        layer runtime/2 "$SERVICE_UID"
        instance 2 "L4D2_PORT=27016" "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 2.env:2 "runtime directory $STATE/runtime/2 is not root-owned"
}

@test "runtime: runtime/2 world-writable" {
        layer runtime/2 0 0777
        bad_lowerdirs "@STATE@/installation"
        expect_skipped 2.env:1 "runtime directory $STATE/runtime/2 is not root-owned or is writable by group or others"
}

@test "runtime: runtime/2 sticky and world-writable (its entries are made later)" {
        layer runtime/2 0 1777
        bad_lowerdirs "@STATE@/installation"
        expect_skipped 2.env:1 "runtime directory $STATE/runtime/2 is not root-owned or is writable by group or others (it holds entries made later, so a sticky bit is not enough)"
}

@test "runtime: runtime itself sticky and world-writable" {
        chmod 1777 "$STATE/runtime"
        bad_lowerdirs "@STATE@/installation"
        run_generator
        [ "$status" -eq 1 ] || flunk "exit status $status, expected 1"
        [[ $stderr == *"$INST/2.env:1: error: runtime directory $STATE/runtime is not root-owned or is writable by group or others (it holds entries made later"* ]] ||
                flunk "no message for $STATE/runtime"
}

@test "runtime: runtime/2 a symlink" {
        layer runtime/elsewhere
        ln -s elsewhere "$STATE/runtime/2"
        bad_lowerdirs "@STATE@/installation"
        expect_skipped 2.env:1 "runtime directory $STATE/runtime/2 is a symlink"
}

@test "runtime: runtime/2/upper a symlink" {
        layer runtime/2
        layer runtime/elsewhere "$SERVICE_UID"
        ln -s ../elsewhere "$STATE/runtime/2/upper"
        bad_lowerdirs "@STATE@/installation"
        expect_skipped 2.env:1 "runtime directory $STATE/runtime/2/upper is a symlink"
}

@test "runtime: runtime/2/upper owned by another uid (line 3)" {
        layer runtime/2
        layer runtime/2/upper "$OTHER_UID"
        instance 2 "L4D2_PORT=27016" "# layers" "L4D2_LOWERDIRS=@STATE@/installation"
        expect_skipped 2.env:3 "runtime directory $STATE/runtime/2/upper is not owned by the server user"
}

@test "runtime: runtime/2/upper still the service user's, from before servers had their own user" {
        layer runtime/2
        layer runtime/2/upper "$SERVICE_UID"
        bad_lowerdirs "@STATE@/installation"
        expect_skipped 2.env:1 "runtime directory $STATE/runtime/2/upper is owned by the service user, from before game servers had a user of their own: reset the instance"
}

@test "runtime: runtime/2/upper carrying a user.fuseoverlayfs.* xattr" {
        layer runtime/2
        layer runtime/2/upper "$SERVER_UID"
        setfattr -n user.fuseoverlayfs.foo -v 1 "$STATE/runtime/2/upper" ||
                skip "the file system of $STATE does not support user xattrs"
        bad_lowerdirs "@STATE@/installation"
        expect_skipped 2.env:1 "runtime directory $STATE/runtime/2/upper carries user.fuseoverlayfs.* extended attributes"
}

@test "runtime: runtime/2/work not a directory" {
        layer runtime/2
        touch "$STATE/runtime/2/work"
        bad_lowerdirs "@STATE@/installation"
        expect_skipped 2.env:1 "runtime directory $STATE/runtime/2/work is not a directory"
}

# The idmapped views' mount points, runtime/idmap/UID/ROOT: instance 1's
# views (root's and the service user's) stay usable, instance 2 needs the
# sandbox user's view of overlays/.
@test "runtime: runtime/idmap/SANDBOX group-writable, where a view is mounted" {
        layer runtime/idmap 0 0700
        layer "runtime/idmap/$SANDBOX_UID" 0 0775
        layer overlays/2 "$SANDBOX_UID"
        bad_lowerdirs "@STATE@/overlays/2"
        expect_skipped 2.env:1 "layer \"$STATE/overlays/2\" needs the idmapped view $STATE/runtime/idmap/$SANDBOX_UID/overlays of $STATE/overlays, which cannot be used: $STATE/runtime/idmap/$SANDBOX_UID is a parent of a mounted path but is not root-owned or is writable by group or others"
}

@test "runtime: a view's mount point a symlink" {
        layer runtime/idmap 0 0700
        layer "runtime/idmap/$SANDBOX_UID" 0 0700
        layer runtime/elsewhere
        ln -s ../../elsewhere "$STATE/runtime/idmap/$SANDBOX_UID/overlays"
        layer overlays/2 "$SANDBOX_UID"
        bad_lowerdirs "@STATE@/overlays/2"
        expect_skipped 2.env:1 "which cannot be used: $STATE/runtime/idmap/$SANDBOX_UID/overlays is a symlink"
}

# ---- Controls: the accepted side of the boundaries above (not bad input) ----

@test "control: same-named sandbox layers below two lower roots, each through its root's view" {
        layer overlays/x
        layer overlays/x/7 "$SANDBOX_UID"
        layer workshop_cache/x
        layer workshop_cache/x/7 "$SANDBOX_UID"
        instance 2 "L4D2_LOWERDIRS=@STATE@/overlays/x/7:@STATE@/workshop_cache/x/7"
        expect_generated
        grep -qx "Options=lowerdir+=$STATE/runtime/idmap/$SANDBOX_UID/overlays/x/7,lowerdir+=$STATE/runtime/idmap/$SANDBOX_UID/workshop_cache/x/7,upperdir=.*" "$OUT"/*-runtime-2-merged.mount
}

@test "control: a sandbox layer on its lower root's file system, with the views' directories in place" {
        layer runtime/idmap 0 0700
        layer "runtime/idmap/$SANDBOX_UID" 0 0700
        layer "runtime/idmap/$SANDBOX_UID/overlays" "$SANDBOX_UID" 0755
        layer overlays/2 "$SANDBOX_UID"
        instance 2 "L4D2_LOWERDIRS=@STATE@/overlays/2"
        expect_generated
        grep -qx "What=$STATE/overlays" "$OUT"/*-runtime-idmap-"$SANDBOX_UID"-overlays.mount
}
