#!/usr/bin/env bats
# Golden-directory tests: each tests/golden/CASE/setup.bash builds an input
# world; the generated tree must equal CASE/expected (with the temporary root
# replaced by @ROOT@), and the exit status and messages CASE/status and
# CASE/messages. UPDATE_GOLDEN=1 rewrites the expectations (review the diff!).

load lib/world

setup() { world_create; }
teardown() { world_destroy; }

golden() {
        local case_dir=$BATS_TEST_DIRNAME/golden/$1
        # shellcheck source=/dev/null
        source "$case_dir/setup.bash"
        run_generator
        normalize "$OUT" "$ROOT/actual"
        printf '%s\n' "$stderr" | sed "s|$ROOT|@ROOT@|g" >"$ROOT/messages"
        if [ -n "${UPDATE_GOLDEN:-}" ]; then
                rm -rf "$case_dir/expected"
                cp -a "$ROOT/actual" "$case_dir/expected"
                cp "$ROOT/messages" "$case_dir/messages"
                echo "$status" >"$case_dir/status"
        fi
        diff -r --no-dereference "$case_dir/expected" "$ROOT/actual"
        diff -u "$case_dir/messages" "$ROOT/messages"
        [ "$status" -eq "$(cat "$case_dir/status")" ]
}

@test "golden: one instance" { golden one-instance; }
@test "golden: many instances" { golden many-instances; }
@test "golden: idmapped layers" { golden idmapped-layers; }
@test "golden: autostart" { golden autostart; }
@test "golden: 100 layers with long paths" { golden hundred-layers; }
@test "golden: good and bad instances mixed" { golden mixed-good-bad; }
