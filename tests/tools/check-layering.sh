#!/usr/bin/env bash
# Checks that the include arrows between the layers run one way
# (docs/architecture.md). Prints one line per forbidden include,
# "FILE:LINE: includes HEADER: RULE", and exits 1 when there is any.
#
#   tests/tools/check-layering.sh [ROOT]
#
# The rules, by the folder of the including file:
#   lib/          only lib/ (and the compiler's own headers): nothing above it;
#   arch/, drivers/   never hv/ or tools/ (mechanisms know no policy), and of
#                 boot/ only boot_info.h, the loader-neutral machine description;
#   guest-abi/    only guest-abi/: usable by any guest;
#   tests/guests/ only guest-abi/ and tests/guests/;
#   hv/policy/    only lib/, guest-abi/, the hardware definitions of arch/
#                 and hv/policy/ itself: pure rules, built for host tests.
set -uo pipefail
root=${1:-.}
cd "$root" || exit 2

allowed() { # FILE HEADER -> 0 when FILE may include HEADER, else prints the rule
	local file=$1 hdr=$2
	case $file in
	lib/*) [[ $hdr == lib/* ]] || { echo "lib includes nothing above it"; return 1; } ;;
	arch/* | drivers/*)
		[[ $hdr != hv/* && $hdr != tools/* && ($hdr != boot/* || $hdr == boot/boot_info.h) ]] ||
			{ echo "arch and drivers never include hv, tools or boot beyond boot_info.h"; return 1; } ;;
	guest-abi/*) [[ $hdr == guest-abi/* ]] || { echo "guest-abi includes only guest-abi"; return 1; } ;;
	tests/guests/*)
		[[ $hdr == guest-abi/* || $hdr == tests/guests/* ]] ||
			{ echo "test guests use only guest-abi and their own library"; return 1; } ;;
	hv/policy/*)
		case $hdr in
		lib/* | guest-abi/* | hv/policy/* | arch/x86/cpu.h | arch/x86/cpuid.h | arch/x86/msr.h | \
			arch/x86/apic.h | arch/x86/exception.h | arch/x86/vmx/vmx_defs.h | \
			arch/x86/vmx/vmcs_fields.h | arch/x86/vmx/vmx_exit.h | hv/partition/partition_config.h) ;;
		*) echo "policy rules are pure: lib, guest-abi, hardware definitions, the config table"; return 1 ;;
		esac ;;
	esac
	return 0
}

bad=0
while IFS= read -r file; do
	while IFS=: read -r line hdr; do
		if ! rule=$(allowed "$file" "$hdr"); then
			echo "$file:$line: includes $hdr: $rule"
			bad=1
		fi
	done < <(grep -n -o -E '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[^"]+"' "$file" |
		sed -E 's/^([0-9]+):.*"([^"]+)"/\1:\2/')
done < <(find lib arch drivers guest-abi tests/guests hv/policy -name '*.[chS]' 2>/dev/null | sort)
exit $bad
