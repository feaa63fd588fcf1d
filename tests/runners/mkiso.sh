#!/usr/bin/env bash
# Builds a hybrid GRUB ISO that boots Tessera by multiboot2, from BIOS (GRUB
# i386-pc, El Torito) and from UEFI (GRUB x86_64-efi in an EFI system partition
# image that xorriso also exposes in the ISO's partition table). Both GRUBs read
# the same /boot/grub/grub.cfg.
#
#   mkiso.sh OUT.iso TESSERA.elf "CMDLINE" [MODULE[=NAME ARGS...]...]
#
# Each MODULE is a file, loaded with `module2`; its multiboot2 command line is
# "NAME ARGS..." (the first word is the module's name; without "=...", the
# file's base name). GRUB stays quiet on the serial port: Tessera prints
# everything itself. Takes well under a second.
set -euo pipefail

usage() {
	echo "usage: $0 OUT.iso TESSERA.elf \"CMDLINE\" [MODULE[=NAME ARGS...]...]" >&2
	exit 2
}
[ $# -ge 3 ] || usage
out=$1 elf=$2 cmdline=$3
shift 3
[ -f "$elf" ] || { echo "mkiso: no such kernel: $elf" >&2; exit 1; }

# Only the modules GRUB needs to load a multiboot2 kernel from the CD; each
# platform's core image adds how it reads the disk (biosdisk on i386-pc, EFI's
# block I/O on x86_64-efi).
GRUB_MODULES="multiboot2 normal iso9660"
GRUB_DIRS=(/usr/lib/grub/i386-pc /usr/lib/grub/x86_64-efi)

# GRUB's script parser expands $, quotes and ';': hand it every word single-quoted.
grub_quote_words() {
	local word words out_words=() sq="'"
	read -ra words <<<"$1"
	for word in "${words[@]}"; do
		out_words+=("'${word//$sq/$sq\\$sq$sq}'")
	done
	echo "${out_words[*]}"
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-iso.XXXXXX")
trap 'rm -rf "$dir"' EXIT
# The ISO's files go in $tree; the log stays outside it (xorriso reads the tree
# while grub-mkrescue writes the log, which made the ISO fail at random).
tree=$dir/iso
mkdir -p "$tree/boot/grub" "$tree/boot/mods"
cp "$elf" "$tree/boot/tessera.elf"

cfg="$tree/boot/grub/grub.cfg"
{
	echo "set timeout=0"
	echo "set default=0"
	echo "menuentry \"Tessera\" {"
	echo "	multiboot2 /boot/tessera.elf $(grub_quote_words "$cmdline")"
} >"$cfg"

i=0
for spec in "$@"; do
	file=${spec%%=*}
	if [ "$file" = "$spec" ]; then
		args=$(basename "$file")
	else
		args=${spec#*=}
	fi
	[ -f "$file" ] || { echo "mkiso: no such module: $file" >&2; exit 1; }
	[ -n "${args// /}" ] || { echo "mkiso: module $file has an empty name" >&2; exit 1; }
	# The same file may be loaded twice (two partitions): keep the copies apart.
	name=$(basename "$file")
	[ -e "$tree/boot/mods/$name" ] && name="$i-$name"
	cp "$file" "$tree/boot/mods/$name"
	echo "	module2 /boot/mods/$name $(grub_quote_words "$args")" >>"$cfg"
	i=$((i + 1))
done
{
	echo "	boot"
	echo "}"
} >>"$cfg"

mkdir -p "$(dirname "$out")"
for d in "${GRUB_DIRS[@]}"; do
	[ -f "$d/moddep.lst" ] ||
		{ echo "mkiso: no GRUB for $(basename "$d") in $d (grub-pc-bin, grub-efi-amd64-bin: make deps)" >&2; exit 1; }
done
# grub-mkrescue makes one image for every platform under /usr/lib/grub, and
# checks --install-modules against each: only modules both platforms have go
# there; each core image gets its own disk module (biosdisk on i386-pc).
if ! grub-mkrescue --install-modules="$GRUB_MODULES" \
	--fonts= --locales= --themes= -o "$out.tmp" "$tree" >"$dir/mkrescue.log" 2>&1; then
	cat "$dir/mkrescue.log" >&2
	rm -f "$out.tmp"
	echo "mkiso: grub-mkrescue failed (are grub-pc-bin, grub-efi-amd64-bin, mtools and xorriso installed? make deps)" >&2
	exit 1
fi
mv "$out.tmp" "$out"
echo "mkiso: $out ($(($(stat -c %s "$out") / 1024)) KiB, $# module(s))"
