#!/usr/bin/env bash
# Builds the GRUB ISO for a partition config: Tessera plus the modules its
# sidecar file lists (configs/NAME.modules next to configs/NAME.cfg).
#
#   config-iso.sh OUT.iso TESSERA.elf "CMDLINE" MODULES_FILE GUEST_DIR [MODULE...]
#   config-iso.sh --images MODULES_FILE GUEST_DIR    (the image files, one a line)
#
# A sidecar line is
#     MODULE_NAME  IMAGE  [ARGS...]
# MODULE_NAME is the name the config's `image`/`modules` keys use (the first word
# of the module's command line, ARGS the rest). IMAGE is a file name in GUEST_DIR
# (what `make guests` builds, e.g. entry_pvh.pvh.elf), or, when it holds a '/',
# a path from the repository root (a data module, your own kernel). '#' starts
# a comment; blank lines are ignored. MODULES_FILE may be "" (no modules).
# Further MODULE arguments are passed to mkiso.sh as they are (FILE[=NAME ARGS]).
# Errors name the file and line; the ISO is not built then.
set -euo pipefail

die() {
	echo "config-iso: $*" >&2
	exit 1
}

specs=()  # mkiso.sh module arguments: FILE=NAME ARGS...
images=() # the files, for --images

# Reads MODULES_FILE into specs[] and images[].
read_sidecar() {
	local file=$1 guest_dir=$2 line n=0 name image args seen=" "
	[ -n "$file" ] || return 0
	[ -f "$file" ] || die "no such modules file: $file"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		line=${line//$'\r'/}
		read -r name image args <<<"$line" || true
		[ -n "$name" ] || continue
		[ -n "$image" ] || die "$file:$n: module $name: no image file (MODULE_NAME IMAGE [ARGS...])"
		[[ $name =~ ^[[:graph:]]+$ ]] || die "$file:$n: module name '$name' is not printable ASCII"
		case $seen in
		*" $name "*) die "$file:$n: module $name is listed twice" ;;
		esac
		seen+="$name "
		case $image in
		*/*) ;;
		*) image=$guest_dir/$image ;;
		esac
		[[ $image != *=* ]] || die "$file:$n: an image path cannot hold '=': $image"
		images+=("$image")
		specs+=("$image=$name${args:+ $args}")
	done <"$file"
}

if [ "${1:-}" = --images ]; then
	[ $# -eq 3 ] || die "usage: $0 --images MODULES_FILE GUEST_DIR"
	read_sidecar "$2" "$3"
	[ ${#images[@]} -eq 0 ] || printf '%s\n' "${images[@]}"
	exit 0
fi

[ $# -ge 5 ] || die "usage: $0 OUT.iso TESSERA.elf \"CMDLINE\" MODULES_FILE GUEST_DIR [MODULE...]"
out=$1 elf=$2 cmdline=$3 modules_file=$4 guest_dir=$5
shift 5
read_sidecar "$modules_file" "$guest_dir"
for image in "${images[@]}"; do
	[ -f "$image" ] || die "$modules_file: no such image: $image (make guests builds the test guests)"
done
exec bash "$(dirname "$0")/mkiso.sh" "$out" "$elf" "$cmdline" "${specs[@]}" "$@"
