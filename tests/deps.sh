#!/bin/bash
# Makes sure every Debian package the build and the tests need is installed:
# installs the missing ones with apt-get when run as root, otherwise names
# them and fails.
set -euo pipefail

packages=(
        # build
        gcc make pkg-config libsystemd-dev libinih-dev systemd
        # host tests, sanitizers, fuzzers
        bats clang attr diffutils sudo util-linux strace
        # VM suite
        debootstrap qemu-system-x86 qemu-utils e2fsprogs
)

# libFuzzer's runtime comes with the compiler-rt package of the default clang.
clang_major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
packages+=("libclang-rt-${clang_major:-14}-dev")

missing=()
for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${missing[*]}" >&2
        echo "install them with: sudo apt-get install ${missing[*]}" >&2
        exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
