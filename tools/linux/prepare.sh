#!/usr/bin/env bash
# Prepares Tessera's Linux guest: what `make linux-guest` runs.
#
#   tools/linux/prepare.sh BUILD
#
# 1. Downloads, once, Debian 12's current kernel image package
#    (linux-image-6.1.0-N-amd64, the package linux-image-amd64 depends on) and
#    busybox-static with `apt-get download` into $TESSERA_CACHE/linux/
#    (default ~/.cache/tessera/linux/), outside the work tree. A package
#    already there is reused: delete the cache to move to a newer kernel.
# 2. Extracts the uncompressed vmlinux (the ELF file with the PVH note) from
#    the package's bzImage (tools/linux/bzimage-vmlinux.sh) into the cache.
# 3. Builds the initramfs (a cpio archive written by tools/linux/mkcpio.c):
#    busybox, tests/guests/linux/init, the workload program
#    (tests/guests/linux/workload.c, linked static by the host's gcc) and the
#    kernel package's pvpanic modules (cached as modules-6.1.0-N-amd64/).
# Results: BUILD/guests/linux.vmlinux (a link to the cached file),
# BUILD/guests/linux-initramfs.cpio, BUILD/guests/linux.version.
# Quiet when all is there; one line per step otherwise; apt's output goes to
# $TESSERA_CACHE/setup.log. Exit status 1 with one line on failure.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
cd "$(dirname "$0")/../.."
build=$1
cache=${TESSERA_CACHE:-$HOME/.cache/tessera}
dl=$cache/linux
export TESSERA_SETUP_LOG="${TESSERA_SETUP_LOG:-$cache/setup.log}"
LOG=$TESSERA_SETUP_LOG
SETUP_NAME=linux-guest
# shellcheck source=tests/setup/log.sh
. tests/setup/log.sh
mkdir -p "$dl" "$build/guests/linux" "$build/tools"
# One at a time: the Linux tests (linux.sh, linux-power.sh) may run in
# parallel and share the cache and the build's guest files.
exec 9>"$build/guests/linux/prepare.lock"
flock 9

# The newest cached file matching a glob, or nothing.
cached() {
	find "$dl" -maxdepth 1 -name "$1" -printf '%f\n' 2>/dev/null | sort -V | tail -n 1
}

# Downloads package $1 into the cache unless a file matching $2 is there.
download() {
	[ -z "$(cached "$2")" ] || return 0
	echo "linux-guest: apt-get download $1 (into $dl)"
	(cd "$dl" && logged "apt-get download $1" apt-get download "$1") ||
		fail "apt-get download $1 failed (network? apt sources?)"
}

kernel_deb=$(cached 'linux-image-6.1.0-*-amd64_*_amd64.deb')
if [ -z "$kernel_deb" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1)
	if [ -z "$pkg" ]; then
		logged "apt-get update" env apt-get update || true
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1)
	fi
	[ -n "$pkg" ] || fail "apt-cache knows no linux-image-amd64 depending on linux-image-6.1.0-N-amd64 (is this Debian 12?)"
	download "$pkg" "${pkg}_*_amd64.deb"
	kernel_deb=$(cached 'linux-image-6.1.0-*-amd64_*_amd64.deb')
fi
download busybox-static 'busybox-static_*_amd64.deb'
busybox_deb=$(cached 'busybox-static_*_amd64.deb')

# linux-image-6.1.0-57-amd64_6.1.192-3_amd64.deb -> 6.1.0-57-amd64
abi=${kernel_deb#linux-image-}
abi=${abi%%_*}
vmlinux=$dl/vmlinux-$abi
if [ ! -f "$vmlinux" ]; then
	echo "linux-guest: extracting vmlinux-$abi from $kernel_deb"
	tmp=$(mktemp -d /tmp/tessera-linux.XXXXXX)
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb --fsys-tarfile "$dl/$kernel_deb" | tar -x -C "$tmp" "./boot/vmlinuz-$abi" ||
		fail "$kernel_deb holds no boot/vmlinuz-$abi"
	bash tools/linux/bzimage-vmlinux.sh "$tmp/boot/vmlinuz-$abi" "$vmlinux.tmp"
	mv "$vmlinux.tmp" "$vmlinux"
fi
ln -sfn "$vmlinux" "$build/guests/linux.vmlinux"
echo "$abi (${kernel_deb%.deb})" >"$build/guests/linux.version.tmp"
cmp -s "$build/guests/linux.version.tmp" "$build/guests/linux.version" 2>/dev/null ||
	mv "$build/guests/linux.version.tmp" "$build/guests/linux.version"
rm -f "$build/guests/linux.version.tmp"

busybox=$dl/busybox-static.bin
if [ ! -f "$busybox" ] || [ "$dl/$busybox_deb" -nt "$busybox" ]; then
	tmp2=$(mktemp -d /tmp/tessera-busybox.XXXXXX)
	dpkg-deb --fsys-tarfile "$dl/$busybox_deb" | tar -x -C "$tmp2" ./bin/busybox ||
		fail "$busybox_deb holds no bin/busybox"
	mv "$tmp2/bin/busybox" "$busybox"
	rm -rf "$tmp2"
fi

# The pvpanic driver, a module in Debian's kernel (CONFIG_PVPANIC_MMIO=m; it
# needs the common pvpanic.ko): /init loads both, so that a panic reaches
# Tessera as a crash (docs/linux.md).
modules=$dl/modules-$abi
if [ ! -f "$modules/pvpanic-mmio.ko" ]; then
	tmp3=$(mktemp -d /tmp/tessera-modules.XXXXXX)
	kdir=./lib/modules/$abi/kernel/drivers/misc/pvpanic
	dpkg-deb --fsys-tarfile "$dl/$kernel_deb" | tar -x -C "$tmp3" "$kdir/pvpanic.ko" "$kdir/pvpanic-mmio.ko" ||
		fail "$kernel_deb holds no pvpanic modules"
	mkdir -p "$modules"
	mv "$tmp3/$kdir/pvpanic.ko" "$tmp3/$kdir/pvpanic-mmio.ko" "$modules/"
	rm -rf "$tmp3"
fi

# The host tools and the initramfs (make decides whether they are out of date).
make --no-print-directory -s BUILD="$build" LINUX_BUSYBOX="$busybox" LINUX_MODULES="$modules" \
	"$build/guests/linux-initramfs.cpio"
