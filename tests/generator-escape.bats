#!/usr/bin/env bats
# Unit names must be exactly what `systemd-escape --path` makes of the mount
# point, for every byte a valid path may hold ([A-Za-z0-9._+@-] and "/").

load lib/world

setup() { world_create; }
teardown() { world_destroy; }

# Awkward but valid directory names: leading dots and dashes, '+', '@',
# runs of dots, digits only, a 120-byte component.
corpus=(
        .hidden -dash a-b a+b a@b ..dots dots.. a.b.c _under 0123 +plus @at x.-y
        "$(printf 'L%.0s' {1..120})"
)

# Points state_dir at a directory named $1 and adds one sandbox-owned layer
# per corpus entry. The state_dir's name is in every unit's name (the
# overlay's and the lower roots' idmapped views'); the layers' names are in
# the overlay's options only.
awkward_world() {
        local name=$1 n=0 layers="" entry
        STATE=$ROOT/$name/state
        mkdir -p "$ROOT/$name"
        mv "$ROOT/state" "$STATE"
        sed -i "s|^state_dir = .*|state_dir = $STATE|" "$ROOT/left4me.conf"
        layer installation 0
        for entry in "${corpus[@]}"; do
                n=$((n + 1))
                layer "overlays/$entry" "$SANDBOX_UID"
                layers="$layers$STATE/overlays/$entry:"
        done
        instance 1 "L4D2_LOWERDIRS=${layers}$STATE/installation"
}

@test "unit names equal systemd-escape --path over a corpus of awkward paths" {
        local name unit where expected bad=0 checked=0
        for name in "${corpus[@]:0:13}"; do
                world_destroy
                world_create
                awkward_world "$name"
                run_generator
                [ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
                for unit in "$OUT"/*.mount; do
                        where=$(sed -n 's/^Where=//p' "$unit")
                        expected=$(systemd-escape --path --suffix=mount "$where")
                        checked=$((checked + 1))
                        if [ "$expected" != "${unit##*/}" ]; then
                                echo "mismatch: $where -> ${unit##*/}, systemd-escape says $expected"
                                bad=1
                        fi
                done
        done
        echo "# $checked unit names checked" >&3
        # 13 worlds: an overlay and two views (root's installation, the sandbox's overlays) each
        [ "$checked" -eq 39 ]
        [ "$bad" -eq 0 ]
}

@test "dependencies name the same units the files are called" {
        awkward_world "odd-name+1"
        run_generator
        [ "$status" -eq 0 ]
        local dep
        for dep in $(sed -n 's/^Requires=\(.*\.mount\)$/\1/p' "$OUT"/*-merged.mount); do
                [ -f "$OUT/$dep" ] || { echo "missing $dep"; return 1; }
        done
}

@test "a 255-byte unit name is accepted, 256 bytes is refused" {
        # runtime/idmap/UID/<lower root>: a long state_dir (inih reads lines
        # of at most 200 bytes) and a lower root's name padded to hit the
        # limit exactly with the largest uid a view is named by.
        local uid dir base len ok_name long_name
        uid=$((SERVICE_UID > SANDBOX_UID ? SERVICE_UID : SANDBOX_UID))
        dir=$ROOT/$(printf 'd%.0s' {1..120})
        mkdir "$dir"
        mv "$STATE" "$dir/state"
        STATE=$dir/state
        sed -i "s|^state_dir = .*|state_dir = $STATE|" "$ROOT/left4me.conf"
        base=$(systemd-escape --path --suffix=mount "$STATE/runtime/idmap/$uid/x")
        len=$((${#base} - 1))
        ok_name=$(printf 'a%.0s' $(seq 1 $((255 - len))))
        long_name=${ok_name}b
        layer installation 0
        layer "$ok_name/7" "$uid"
        cp "$ROOT/left4me.conf" "$ROOT/base.conf"
        printf '[overlay]\nlower_roots = installation %s\n' "$ok_name" >>"$ROOT/left4me.conf"
        instance 1 "L4D2_LOWERDIRS=@STATE@/$ok_name/7:@STATE@/installation"
        run_generator
        [ "$status" -eq 0 ] || { echo "status $status: $stderr"; return 1; }
        [ "$(find "$OUT" -name "*-idmap-$uid-$ok_name.mount" -printf '%f' | wc -c)" -eq 255 ]
        cp "$ROOT/base.conf" "$ROOT/left4me.conf"
        printf '[overlay]\nlower_roots = installation %s\n' "$long_name" >>"$ROOT/left4me.conf"
        run_generator
        [ "$status" -eq 2 ] || { echo "status $status: $stderr"; return 1; }
        [[ "$stderr" == *"left4me.conf: error: [overlay] lower_roots: $STATE/$long_name: too long, the unit name of its idmapped view $STATE/runtime/idmap/$uid/$long_name would exceed 255 bytes"* ]]
}

@test "the reset and delete glob matches the escaped mount names of a dashed state_dir" {
        awkward_world "st-ate"
        layer overlays/2 "$SANDBOX_UID"
        instance 1 "L4D2_LOWERDIRS=$STATE/overlays/2:$STATE/installation"
        run_generator
        [ "$status" -eq 0 ]
        local line arg unit matched=0
        line=$(sed -n 's/^ExecStart=systemctl --job-mode=replace-irreversibly stop left4me@%i.service left4me-runtime@%i.service //p' "$OUT/left4me-reset@.service.d/50-left4me-generator.conf")
        [[ "$line" == *'\\\\x2d'* ]]
        # systemd C-unescapes the argument ("\\" -> "\"), then systemctl matches it with fnmatch()
        arg=${line//\\\\/\\}
        arg=${arg//%i/1}
        for unit in "$OUT"/*.mount; do
                # shellcheck disable=SC2053 # the pattern is meant to glob
                [[ "${unit##*/}" == $arg ]] && matched=$((matched + 1))
        done
        # The overlay alone: the lower roots' views are shared, never stopped for one instance.
        [ "$matched" -eq 1 ]
        [ "$(find "$OUT" -name '*-runtime-idmap-*.mount' | wc -l)" -eq 2 ]
}
