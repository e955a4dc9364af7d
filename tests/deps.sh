#!/bin/bash
# Makes sure every Debian package the build and the tests need is installed:
# installs the missing ones with apt-get when run as root, otherwise names
# them and fails.
#
#   tests/deps.sh          everything (make check)
#   tests/deps.sh deb      what make deb needs: the build, debhelper, lintian
#   tests/deps.sh bench    what make bench needs besides the VM: gnuplot for its plots, strace
#                          for the generator row's syscall counts
set -euo pipefail

build=(gcc make pkg-config libsystemd-dev libinih-dev systemd)
# debhelper 13.11.6 is the first whose systemd helpers see units under
# /usr/lib/systemd/system, where Debian 13 has them; Debian 12 has 13.11.4,
# so there it comes from bookworm-backports.
deb=(build-essential dpkg-dev debhelper lintian)
debhelper_min=13.11.6~

if [[ ${1:-} == deb ]]; then
        packages=("${build[@]}" "${deb[@]}")
elif [[ ${1:-} == bench ]]; then
        packages=("${build[@]}" gnuplot-nox strace debootstrap qemu-system-x86 qemu-utils e2fsprogs systemd-container)
else
        packages=(
                "${build[@]}" "${deb[@]}"
                # host tests, sanitizers, fuzzers
                bats clang attr diffutils sudo util-linux strace
                # VM suite
                debootstrap qemu-system-x86 qemu-utils e2fsprogs
        )
        # libFuzzer's runtime comes with the compiler-rt package of the default clang.
        clang_major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
        packages+=("libclang-rt-${clang_major:-14}-dev")
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
debhelper_new_enough() {
        local v
        v=$(dpkg-query -W -f='${Version}' debhelper 2>/dev/null) || return 1
        dpkg --compare-versions "$v" ge "$debhelper_min"
}

missing=()
for p in "${packages[@]}"; do
        installed "$p" || missing+=("$p")
done
old_debhelper=no
if ! debhelper_new_enough; then
        old_debhelper=yes
        [[ " ${missing[*]} " == *" debhelper "* ]] || missing+=(debhelper)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${missing[*]}" >&2
        echo "install them with: sudo apt-get install ${missing[*]}" >&2
        [[ $old_debhelper == no ]] || echo "(debhelper >= $debhelper_min: from bookworm-backports on Debian 12)" >&2
        exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

debhelper_new_enough && exit 0
# Debian 12: debhelper from bookworm-backports, through a sources list of
# this run only (the host's apt configuration is not changed); the rest of
# Debian 12's sources come along for its dependencies.
. /etc/os-release
if [[ ${VERSION_CODENAME:-} != bookworm ]]; then
        echo "debhelper >= $debhelper_min is needed; this apt has $(dpkg-query -W -f='${Version}' debhelper)" >&2
        exit 1
fi
apt_dir=$(mktemp -d)
trap 'rm -rf "$apt_dir"' EXIT
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial"
cp -a /etc/apt/sources.list.d/. "$apt_dir/sources.list.d/" 2>/dev/null || true
cat >"$apt_dir/sources.list.d/left4me-bookworm-backports.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_opts=(-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d" -o "Dir::State::Lists=$apt_dir/lists")
echo "installing debhelper from bookworm-backports (Debian 12's is older than $debhelper_min)"
apt-get "${apt_opts[@]}" update -q
apt-get "${apt_opts[@]}" install -y -q --no-install-recommends -t bookworm-backports debhelper
debhelper_new_enough
