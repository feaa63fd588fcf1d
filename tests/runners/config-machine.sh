#!/usr/bin/env bash
# Prints the machine a partition config asks for: "CPUS MEGS", from its
# [machine] section (`cpus`, `memory`; docs/config.md), so that a runner can
# boot an emulator big enough for it. MEGS is `memory` in MiB, rounded up.
#
#   config-machine.sh CONFIG.cfg
#
# Only what a runner needs is read; cfgc (the build) is what checks a config.
# Exit status 1, with a message, when either key is missing or unreadable.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 CONFIG.cfg" >&2; exit 2; }
[ -f "$1" ] || { echo "config-machine: no such config: $1" >&2; exit 1; }

# key = value lines of [machine], comments and blanks dropped, quotes removed.
values=$(tr -d '\r' <"$1" | awk '
	{ sub(/#.*/, ""); gsub(/^[ \t]+|[ \t]+$/, "") }
	/^\[/ { in_machine = ($0 ~ /^\[[ \t]*machine[ \t]*\]$/); next }
	in_machine && /=/ {
		key = $0; sub(/[ \t]*=.*/, "", key)
		val = $0; sub(/^[^=]*=[ \t]*/, "", val); gsub(/"/, "", val)
		print key, val
	}')

get() {
	awk -v k="$1" '$1 == k { print $2; exit }' <<<"$values"
}

cpus=$(get cpus)
memory=$(get memory)

# A number (decimal or 0x hex) with an optional K/M/G suffix, in MiB rounded up.
to_mib() {
	local v=${1^^} unit=1 n
	case $v in
	*K) unit=1024; v=${v%K} ;;
	*M) unit=$((1024 * 1024)); v=${v%M} ;;
	*G) unit=$((1024 * 1024 * 1024)); v=${v%G} ;;
	esac
	[[ $v =~ ^(0X[0-9A-F]+|[0-9]+)$ ]] || return 1
	[ ${#v} -le 12 ] || return 1 # no overflow in bash arithmetic
	n=$((v * unit))
	echo $(((n + 1024 * 1024 - 1) / (1024 * 1024)))
}

[[ $cpus =~ ^[1-9][0-9]*$ ]] && [ "$cpus" -le 64 ] ||
	{ echo "config-machine: $1: [machine] cpus is missing or not 1-64: '$cpus'" >&2; exit 1; }
megs=$(to_mib "$memory") && [ "$megs" -gt 0 ] ||
	{ echo "config-machine: $1: [machine] memory is missing or not a size: '$memory'" >&2; exit 1; }
echo "$cpus $megs"
