#!/usr/bin/env bash
# Builds Tessera for one partition config in a build directory of its own, so
# that the main build (and its config) stays as it is.
#
#   build-config.sh MAIN_BUILD CONFIG.cfg DIR [MAKE TARGETS (all)] [-- MAKE VARS...]
#
# Only the config differs between builds: the main build is brought up to date
# first (make all guests, under a lock so that parallel tests do not build it
# twice at once), then its objects, cfgc and guest images are copied into DIR
# with their times (cp -a --update: only what is newer), so make in DIR
# compiles just the config table and links. Header dependencies are the main
# build's business: DIR's copies carry the main build's .d files, which is why
# the main build is always made first. Make's output goes to DIR/build.txt;
# on failure its last lines are printed and the exit status is 1.
set -uo pipefail

[ $# -ge 3 ] || { echo "usage: $0 MAIN_BUILD CONFIG.cfg DIR [TARGETS...] [-- VARS...]" >&2; exit 2; }
main=$1 config=$2 dir=$3
shift 3
targets=() vars=()
while [ $# -gt 0 ]; do
	[ "$1" = -- ] && { shift; vars=("$@"); break; }
	targets+=("$1")
	shift
done
[ ${#targets[@]} -gt 0 ] || targets=(all)
[ -f "$config" ] || { echo "build-config: no such config: $config" >&2; exit 1; }
[ "$(realpath -m "$main")" != "$(realpath -m "$dir")" ] ||
	{ echo "build-config: DIR must differ from the main build $main" >&2; exit 2; }

cd "$(dirname "$0")/../.." || exit 1
mkdir -p "$main" "$dir"
out=$dir/build.txt
: >"$out"

failed() {
	echo "build-config: $1 failed for $config; last lines of $out:"
	grep -a -v '^make.*Entering\|^make.*Leaving' "$out" | tail -n 15 | sed 's/^/    /'
	exit 1
}

# The main build, once at a time.
flock "$main/.build-lock" make --no-print-directory BUILD="$main" all guests >>"$out" 2>&1 ||
	failed "the main build ($main)"
for sub in hv tools guests; do
	[ -d "$main/$sub" ] || continue
	cp -a --update "$main/$sub" "$dir/" || failed "copying $main/$sub"
done
# DIR, once at a time too: several tests may share a config.
flock "$dir/.build-lock" make --no-print-directory BUILD="$dir" CONFIG="$config" "${vars[@]}" \
	"${targets[@]}" >>"$out" 2>&1 ||
	failed "make ${targets[*]}"
exit 0
