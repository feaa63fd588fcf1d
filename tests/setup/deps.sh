#!/usr/bin/env bash
# Installs everything Tessera's build and tests need on a Debian 12 machine:
# the Debian packages, then Bochs 3.0 built from Debian 13's source package
# into a cache outside the work tree (reused when present).
# Idempotent: prints nothing and does nothing when all is there. Otherwise one
# line per step; the full output of apt and of the Bochs build goes to the log,
# $TESSERA_CACHE/setup.log (default ~/.cache/tessera/setup.log), and a failure
# is one line "deps: error: ...; see LOG" (exit status 1).
set -euo pipefail

# grub-efi-amd64-bin, mtools and ovmf: the ISO's UEFI half and its QEMU tests.
PKGS=(build-essential binutils qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common
      xorriso mtools ovmf bochs bochsbios vgabios dpkg-dev xz-utils ca-certificates
      clang-format clang libclang-rt-14-dev)
CACHE="${TESSERA_CACHE:-$HOME/.cache/tessera}"
BOCHS3="$CACHE/bochs-3.0/bin/bochs"
export TESSERA_SETUP_LOG="${TESSERA_SETUP_LOG:-$CACHE/setup.log}"
LOG=$TESSERA_SETUP_LOG

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

SETUP_NAME=deps
# shellcheck source=tests/setup/log.sh
. "$(dirname "$0")/log.sh"

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    mkdir -p "$(dirname "$LOG")"
    echo "deps: installing ${missing[*]} (log: $LOG)"
    logged "apt-get update" sudo_ apt-get update
    logged "apt-get install" sudo_ env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Built, and with the patches this tree has (tests/setup/bochs-patches/).
if [ -x "$BOCHS3" ] && [ "$(cat "$CACHE/bochs-3.0/tessera-patches" 2>/dev/null)" = \
     "$("$(dirname "$0")/bochs-patches.sh")" ]; then
    exit 0
fi
[ -x "$BOCHS3" ] && echo "deps: Bochs 3.0 was built without the current tests/setup/bochs-patches: rebuilding"
exec "$(dirname "$0")/build-bochs.sh" "$CACHE"
