bats_require_minimum_version 1.5.0

# A throw-away world for generator tests: a fake state tree, a config file,
# an instances directory and an output directory under one temporary root.
# Ids are numeric, so no passwd entries are needed.

GEN=${GENERATOR:-$BATS_TEST_DIRNAME/../build/left4me-generator}
SERVICE_UID=64990
SANDBOX_UID=64991
SERVER_UID=64993
OTHER_UID=64992

world_create() {
        # Letters and digits only, so the escaped unit-name form is predictable.
        ROOT=$(mktemp -d /tmp/l4mXXXXXXXX)
        chmod 0755 "$ROOT"
        STATE=$ROOT/state
        INST=$ROOT/instances
        OUT=$ROOT/out
        mkdir -p "$STATE"/{installation,overlays,global_overlay_cache,workshop_cache,runtime} "$INST" "$OUT"
        chmod 0711 "$STATE" "$STATE/runtime"
        cat >"$ROOT/left4me.conf" <<CONF
[paths]
state_dir = $STATE
instances_dir = $INST

[users]
service = $SERVICE_UID
server = $SERVER_UID
sandbox = $SANDBOX_UID
CONF
}

world_destroy() {
        [ -n "${ROOT:-}" ] && [ -d "$ROOT" ] && rm -rf -- "$ROOT"
}

# layer REL [OWNER_UID [MODE]]: a directory under the state tree.
layer() {
        mkdir -p "$STATE/$1"
        chown "${2:-0}:${2:-0}" "$STATE/$1"
        chmod "${3:-0755}" "$STATE/$1"
}

# instance N LINE...: writes instances/N.env; @STATE@ stands for the state dir.
instance() {
        local n=$1
        shift
        printf '%s\n' "$@" | sed "s|@STATE@|$STATE|g" >"$INST/$n.env"
}

# run_generator [ARGS...]: runs the generator into $OUT (or with ARGS).
run_generator() {
        if [ $# -eq 0 ]; then set -- "$OUT"; fi
        LEFT4ME_CONF=$ROOT/left4me.conf LEFT4ME_LOG_TARGET=stderr run --separate-stderr "$GEN" "$@"
}

escaped_root() {
        local r=${ROOT#/}
        echo "${r//\//-}"
}

# normalize SRC DST: copies a generated tree with the world's root replaced
# by @ROOT@ in file names, symlink targets and contents.
normalize() {
        local src=$1 dst=$2 esc f rel new
        esc=$(escaped_root)
        mkdir -p "$dst"
        (cd "$src" && find . -mindepth 1 | LC_ALL=C sort) | while read -r rel; do
                rel=${rel#./}
                new=${rel//$esc/@ESCROOT@}
                f=$src/$rel
                if [ -L "$f" ]; then
                        ln -s "$(readlink "$f" | sed "s|$ROOT|@ROOT@|g")" "$dst/$new"
                elif [ -d "$f" ]; then
                        mkdir -p "$dst/$new"
                else
                        sed -e "s|$ROOT|@ROOT@|g" -e "s|$esc|@ESCROOT@|g" "$f" >"$dst/$new"
                fi
        done
}

# Files the generator wrote for instance N (units, drop-ins, env, link).
files_of_instance() {
        local n=$1
        find "$OUT" \( -name "*-runtime-$n-*" -o -name "left4me@$n.service*" -o -name "left4me-*@$n.service*" \
                -o -path "*/left4me/$n.env" \) | LC_ALL=C sort
}

assert_instance_generated() {
        local n=$1 esc
        esc=$(escaped_root)
        [ -f "$OUT/$esc-state-runtime-$n-merged.mount" ] || { echo "instance $n: no overlay mount"; return 1; }
        [ -f "$OUT/left4me/$n.env" ] || { echo "instance $n: no environment"; return 1; }
}

assert_instance_absent() {
        local files
        files=$(files_of_instance "$1")
        [ -z "$files" ] || { echo "files for instance $1 exist:"; echo "$files"; return 1; }
}
