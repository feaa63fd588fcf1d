#!/usr/bin/env bash
# Installs everything Tessera's build and tests need on a Debian 12 machine:
# the Debian packages, then Bochs 3.0 built from Debian 13's source package
# into a cache outside the work tree (reused when present).
# Idempotent: does nothing when all is there.
set -euo pipefail

PKGS=(build-essential binutils qemu-system-x86 grub-pc-bin grub-common xorriso
      mtools bochs bochsbios vgabios dpkg-dev xz-utils ca-certificates clang-format)
CACHE="${TESSERA_CACHE:-$HOME/.cache/tessera}"
BOCHS3="$CACHE/bochs-3.0/bin/bochs"

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    sudo_ apt-get update -qq
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -x "$BOCHS3" ]; then
    exit 0
fi
exec "$(dirname "$0")/build-bochs.sh" "$CACHE"
