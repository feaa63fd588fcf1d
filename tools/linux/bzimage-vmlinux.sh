#!/usr/bin/env bash
# Writes the uncompressed vmlinux (the ELF file, PVH note included) that an
# x86 bzImage carries as its xz payload.
#
#   bzimage-vmlinux.sh BZIMAGE OUT
#
# The boot protocol's setup header says where the payload is: setup_sects
# (offset 0x1f1; 0 means 4) 512-byte sectors of real-mode setup follow the boot
# sector, and the protected-mode part begins after them; payload_offset
# (0x248) and payload_length (0x24c) place the compressed kernel inside that
# part (boot protocol 2.08 and later, "HdrS" at 0x202). Only an xz payload is
# taken (Debian's kernels); the system's xz decompresses it. Exit status 1 with
# one line on anything unexpected.
set -euo pipefail

die() {
	echo "bzimage-vmlinux: $*" >&2
	exit 1
}

[ $# -eq 2 ] || die "usage: $0 BZIMAGE OUT"
in=$1 out=$2
[ -f "$in" ] || die "no such file: $in"

# Unsigned little-endian integer of $2 bytes at offset $1.
le() {
	od -An -tu"$2" -j "$1" -N "$2" "$in" | tr -d ' \n'
}
# $2 bytes at offset $1 as hex, no spaces.
hex() {
	od -An -tx1 -j "$1" -N "$2" "$in" | tr -d ' \n'
}

[ "$(hex 0x1fe 2)" = 55aa ] || die "$in: no boot sector signature 0xaa55 at 0x1fe"
[ "$(hex 0x202 4)" = 48647253 ] || die "$in: no setup header ('HdrS' at 0x202)"
version=$(le 0x206 2)
[ "$version" -ge $((0x208)) ] || die "$in: boot protocol $(printf '%#x' "$version") has no payload fields (2.08+)"
setup_sects=$(le 0x1f1 1)
[ "$setup_sects" != 0 ] || setup_sects=4
offset=$(((setup_sects + 1) * 512 + $(le 0x248 4)))
length=$(le 0x24c 4)
size=$(stat -c %s "$in")
if [ "$length" -eq 0 ] || [ $((offset + length)) -gt "$size" ]; then
	die "$in: payload $offset+$length lies outside the $size-byte file"
fi
[ "$(hex "$offset" 6)" = fd377a585a00 ] ||
	die "$in: the payload at $offset is not xz (only xz-compressed kernels are handled)"

# The payload is one xz stream followed by the kernel's 4-byte size: --single-stream stops there.
dd if="$in" iflag=skip_bytes,count_bytes skip="$offset" count="$length" bs=1M status=none |
	xz -dc --single-stream >"$out.tmp" ||
	die "$in: xz could not decompress the payload"
[ "$(od -An -tx1 -N 4 "$out.tmp" | tr -d ' \n')" = 7f454c46 ] ||
	die "$in: the payload is not an ELF file"
mv "$out.tmp" "$out"
