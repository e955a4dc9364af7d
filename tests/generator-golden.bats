#!/usr/bin/env bats
# Golden-directory tests: each tests/golden/CASE/setup.bash builds an input
# world; the generated tree must equal CASE/expected (with the temporary root
# replaced by @ROOT@), and the exit status and messages CASE/status and
# CASE/messages. UPDATE_GOLDEN=1 rewrites the expectations (review the diff!).

load lib/world

golden() {
        local case_dir=$1
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
        diff -r --no-dereference "$case_dir/expected" "$ROOT/actual" || return 1
        diff -u "$case_dir/messages" "$ROOT/messages" || return 1
        [ "$status" -eq "$(cat "$case_dir/status")" ] || { echo "status $status, expected $(cat "$case_dir/status")"; return 1; }
}

# bats 1.8 lists tests before running them, so the cases cannot each be a
# test of their own: one test runs them all, each in a world (and a
# subshell, for what its setup.bash sets) of its own.
@test "golden: every case in tests/golden/" {
        local case_dir failed=() n=0
        for case_dir in "$BATS_TEST_DIRNAME"/golden/*/; do
                case_dir=${case_dir%/}
                [ -f "$case_dir/setup.bash" ] || continue
                n=$((n + 1))
                # shellcheck disable=SC2030,SC2031
                (world_create && golden "$case_dir"; r=$?; world_destroy; exit $r) || failed+=("${case_dir##*/}")
        done
        echo "$n cases, failed: ${failed[*]:-none}"
        [ "$n" -gt 0 ]
        [ "${#failed[@]}" -eq 0 ]
}
