#!/usr/bin/env bash
# Builds Bochs 3.0 (VMX with posted interrupts) from Debian 13's source package
# into CACHE/bochs-3.0 (CACHE: the argument, else $TESSERA_CACHE, else
# ~/.cache/tessera). Debian 12 ships only Bochs 2.7, which lacks posted
# interrupts. Prints one line per step; everything else goes to the log,
# $TESSERA_SETUP_LOG (default CACHE/setup.log), and a failure is one line
# "build-bochs: error: ...; see LOG" (exit status 1).
#
# Two expected oddities, not errors: the source package's .dsc answers 404
# (apt-get exits 100) while its tarballs still arrive, so we check for the
# tarballs, not the exit status; and the +dfsg tarball has none of the BIOS
# images Bochs's `make install` copies (Debian builds them from source), so we
# install only the programs: the BIOS comes from Debian 12's bochsbios and
# vgabios packages (tests/runners/bochs.sh).
#
# Tessera's own patches for Bochs bugs (tests/setup/bochs-patches/*.patch,
# each with its reason) are applied to the source; the installed build records
# their checksum in PREFIX/tessera-patches, and deps.sh rebuilds when the
# patches change.
set -euo pipefail
SETUP_NAME=build-bochs
# shellcheck source=tests/setup/log.sh
. "$(dirname "$0")/log.sh"
CACHE="${1:-${TESSERA_CACHE:-$HOME/.cache/tessera}}"
PREFIX="$CACHE/bochs-3.0"
WORK="$CACHE/bochs-3.0-src"
LOG="${TESSERA_SETUP_LOG:-$CACHE/setup.log}"
PATCHES="$(cd "$(dirname "$0")" && pwd)/bochs-patches"
mkdir -p "$WORK" "$(dirname "$LOG")"
cd "$WORK"

have_source() { ls bochs_3.0+dfsg.orig.tar.* >/dev/null 2>&1; }

echo "build-bochs: building Bochs 3.0 into $PREFIX (about two minutes; log: $LOG)"
if ! have_source; then
    APTDIR="$WORK/apt"
    mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/sources.list.d"
    echo "deb-src http://deb.debian.org/debian trixie main" > "$APTDIR/sources.list"
    APTOPT=(-o Dir::Etc::SourceList="$APTDIR/sources.list"
            -o Dir::Etc::SourceParts="$APTDIR/sources.list.d"
            -o Dir::State::Lists="$APTDIR/lists"
            -o Dir::Cache::Archives="$APTDIR/archives"
            -o APT::Sandbox::User=root)
    echo "== $(date '+%F %T') download (a 404 for the .dsc is expected)" >>"$LOG"
    apt-get "${APTOPT[@]}" update >>"$LOG" 2>&1 </dev/null || true
    apt-get "${APTOPT[@]}" source --download-only bochs=3.0+dfsg-1 >>"$LOG" 2>&1 </dev/null || true
    have_source || fail "could not download Debian 13's bochs 3.0 source"
fi

rm -rf src && mkdir src
logged "unpacking the source" tar -xf bochs_3.0+dfsg.orig.tar.* -C src --strip-components=1
cd src
for p in "$PATCHES"/*.patch; do
    logged "patch $(basename "$p")" patch -p1 -i "$p"
done
logged configure ./configure --prefix="$PREFIX" --with-nogui --enable-x86-64 --enable-smp \
    --enable-vmx=2 --disable-debugger --enable-cpu-level=6 --enable-avx \
    --enable-evex --enable-all-optimizations --enable-fast-function-calls \
    --enable-handlers-chaining --enable-trace-linking --enable-repeat-speedups \
    --enable-pci --enable-x86-debugger=no --disable-docbook
logged make make -j"$(nproc)"
logged "make install_bin" make install_bin
[ -x "$PREFIX/bin/bochs" ] || fail "$PREFIX/bin/bochs was not installed"
"$(dirname "$PATCHES")/bochs-patches.sh" > "$PREFIX/tessera-patches"
echo "build-bochs: Bochs 3.0 installed in $PREFIX"
