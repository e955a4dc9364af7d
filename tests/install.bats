#!/usr/bin/env bats
# make install: every installed file that names an install directory names
# the one it was built for (PREFIX, SYSCONFDIR, LIBEXECDIR), and with the
# defaults the installed text files are the sources themselves.

REPO=$BATS_TEST_DIRNAME/..

setup() {
        command -v make >/dev/null || skip "make missing"
        D=$BATS_TEST_TMPDIR/dest
}

# unit_dir: where make installs units on this host (pkg-config systemd).
unit_dir() { pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /usr/lib/systemd/system; }

@test "defaults: the installed units, sudoers entry, configuration, tmpfiles.d and man pages are the sources" {
        run make -s -C "$REPO" install DESTDIR="$D"
        echo "$output"
        [ "$status" -eq 0 ]
        u=$D$(unit_dir)
        # the units and the drop-in for systemd's own unit
        run find "$REPO/templates" -type f -printf '%P\n'
        [ "${#lines[@]}" -ge 14 ]
        for f in "${lines[@]}"; do
                cmp "$REPO/templates/$f" "$u/$f"
        done
        cmp "$REPO/conf/sudoers.d/left4me" "$D/etc/sudoers.d/left4me"
        cmp "$REPO/conf/left4me.conf" "$D/etc/left4me/left4me.conf"
        cmp "$REPO/conf/sandbox-resolv.conf" "$D/etc/left4me/sandbox-resolv.conf"
        cmp "$REPO/conf/tmpfiles.d/left4me.conf" "$D/usr/lib/tmpfiles.d/left4me.conf"
        cmp "$REPO/conf/polkit/50-left4me.rules" "$D/usr/share/polkit-1/rules.d/50-left4me.rules"
        cmp "$REPO/man/left4me-sandbox.8" "$D/usr/share/man/man8/left4me-sandbox.8"
        [ -x "$D/usr/libexec/left4me/left4me-sandbox" ]
        [ "$(stat -c %a "$D/etc/sudoers.d/left4me")" = 440 ]
}

@test "PREFIX=/usr/local SYSCONFDIR=/usr/local/etc: what names a helper or the configuration names where they are" {
        run make -s -C "$REPO" BUILD="$BATS_TEST_TMPDIR/build" PREFIX=/usr/local SYSCONFDIR=/usr/local/etc \
                install DESTDIR="$D"
        echo "$output"
        [ "$status" -eq 0 ]
        lx=/usr/local/libexec/left4me
        for h in left4me-sandbox left4me-console left4me-quota; do [ -x "$D$lx/$h" ]; done

        # sudo and polkitd read only /etc (and polkitd /usr/share): the
        # sudoers entry and the polkit rule go there whatever the prefix.
        s=$D/etc/sudoers.d/left4me
        grep -qxF "left4me ALL=(root) NOPASSWD: NOEXEC: $lx/left4me-sandbox build *" "$s"
        grep -q "^Defaults!$lx/left4me-sandbox " "$s"
        run grep -c /usr/libexec "$s"
        [ "$output" = 0 ]
        [ -f "$D/etc/polkit-1/rules.d/50-left4me.rules" ]
        [ ! -e "$D/usr/local/share/polkit-1" ]

        # Every program a unit runs from LIBEXECDIR is installed there.
        u=$D$(unit_dir)
        run grep -ho '/[^ ]*/libexec/[^ ]*' "$u"/*
        [ "${#lines[@]}" -gt 0 ]
        for p in "${lines[@]}"; do [[ $p == "$lx/"* ]] && [ -x "$D$p" ]; done
        # and the generator's runtime drop-in names left4me-quota there.
        grep -qaF "$lx/left4me-quota instance" "$BATS_TEST_TMPDIR/build/left4me-generator"

        # The configuration: installed in SYSCONFDIR, the programs' default,
        # the state tree's directories and the documentation say so.
        [ -f "$D/usr/local/etc/left4me/left4me.conf" ]
        [ -f "$D/usr/local/etc/left4me/sandbox-resolv.conf" ]
        run "$BATS_TEST_TMPDIR/build/left4me-generator" --help
        [[ $output == *"(default /usr/local/etc/left4me/left4me.conf)"* ]]
        grep -q '^d /usr/local/etc/left4me/instances ' "$D/usr/lib/tmpfiles.d/left4me.conf"
        grep -qxF '#instances_dir = /usr/local/etc/left4me/instances' "$D/usr/local/etc/left4me/left4me.conf"
        grep -qF "$lx/left4me" "$D/usr/local/share/man/man8/left4me-sandbox.8"
        # Nothing names the default directories any more (/usr/local/etc/left4me
        # has "/etc/left4me" in it, hence the character before).
        run grep -rlE '/usr/libexec/left4me|(^|[^a-z])/etc/left4me' "$D/usr/local/share/man" "$u" \
                "$D/usr/lib/tmpfiles.d" "$D/usr/local/etc" "$D/etc"
        echo "$output"
        [ "$status" -eq 1 ]
}
