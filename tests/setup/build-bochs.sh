#!/usr/bin/env bash
# Builds Bochs 3.0 (VMX with posted interrupts) from Debian 13's source package
# into CACHE/bochs-3.0. Debian 12 ships only Bochs 2.7, which lacks posted
# interrupts. The .dsc may answer 404 (apt-get exits 100) while the tarballs
# still arrive, so we check for the tarballs, not the exit status.
set -euo pipefail
CACHE="${1:-${TESSERA_CACHE:-$HOME/.cache/tessera}}"
PREFIX="$CACHE/bochs-3.0"
WORK="$CACHE/bochs-3.0-src"
mkdir -p "$WORK"
cd "$WORK"

if ! ls bochs_3.0+dfsg.orig.tar.* >/dev/null 2>&1; then
    APTDIR="$WORK/apt"
    mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/sources.list.d"
    echo "deb-src http://deb.debian.org/debian trixie main" > "$APTDIR/sources.list"
    APTOPT=(-o Dir::Etc::SourceList="$APTDIR/sources.list"
            -o Dir::Etc::SourceParts="$APTDIR/sources.list.d"
            -o Dir::State::Lists="$APTDIR/lists"
            -o Dir::Cache::Archives="$APTDIR/archives"
            -o APT::Sandbox::User=root)
    apt-get "${APTOPT[@]}" update -qq || true
    apt-get "${APTOPT[@]}" source --download-only bochs=3.0+dfsg-1 || true
    if ! ls bochs_3.0+dfsg.orig.tar.* >/dev/null 2>&1; then
        echo "build-bochs: could not download the Debian 13 bochs 3.0 source" >&2
        exit 1
    fi
fi

rm -rf src && mkdir src
tar -xf bochs_3.0+dfsg.orig.tar.* -C src --strip-components=1
cd src
./configure --prefix="$PREFIX" --with-nogui --enable-x86-64 --enable-smp \
    --enable-vmx=2 --disable-debugger --enable-cpu-level=6 --enable-avx \
    --enable-evex --enable-all-optimizations --enable-fast-function-calls \
    --enable-handlers-chaining --enable-trace-linking --enable-repeat-speedups \
    --enable-pci --enable-x86-debugger=no --disable-docbook >/dev/null
make -j"$(nproc)" >/dev/null
make install >/dev/null
test -x "$PREFIX/bin/bochs"
echo "build-bochs: Bochs 3.0 installed in $PREFIX"
