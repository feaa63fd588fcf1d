#!/usr/bin/env bash
# Runs one guest image under Tessera in Bochs: what `make run-guest` calls.
#
#   run-guest.sh --image FILE [--cpus N (1)] [--mem MiB (64)] [--append "CMDLINE"]
#                [--modules "FILE..." ()] [--x2apic on|off (on)] [--fw-cfg on|off (on)]
#                [--build MAIN_BUILD (build)] [--bochs 3|2.7 (3)] [--timeout S (300)]
#
# Writes a config with a single partition "guest" (boot = auto: the PVH note if
# the ELF has one, else multiboot) on CPUs 1..N, CPU 0 kept by Tessera, MEM MiB
# (rounded up to 2 MiB), CMDLINE as the guest's command line, the MODULES files
# (at most 4, separated by blanks) as its boot modules in order, x2APIC offered
# in CPUID or not, and QEMU's fw_cfg ports (which kvm-unit-tests reads for the
# CPU count) or not, into
# MAIN_BUILD/run-guest/, builds Tessera there (tests/runners/build-config.sh: the
# main build keeps its own config), boots it in Bochs with N + 1 CPUs and streams
# the console. The serial log stays in MAIN_BUILD/run-guest/com1.log.
#
# Exit status, like QEMU's isa-debug-exit:
#   (S << 1) | 1   the guest ended by writing S to port 0xf4 (1: S = 0, passed);
#                  S above 127 does not fit and gives 255
# and even codes when it did not end that way (never a guest's status):
#   2    bad arguments, or the build or the ISO failed
#   4    the guest never wrote a status: it crashed, was stopped, halted for good,
#        or Tessera or Bochs failed before it ended (the reason is printed)
#   124  nothing ended within the timeout
set -uo pipefail

usage() {
	sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
die() {
	echo "run-guest: $*" >&2
	exit 2
}

main=build image="" cpus=1 mem=64 append="" modules="" x2apic=on fw_cfg=on version=3 timeout_s=300
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--build) main=$2 ;;
	--image) image=$2 ;;
	--cpus) cpus=$2 ;;
	--mem) mem=$2 ;;
	--append) append=$2 ;;
	--modules) modules=$2 ;;
	--x2apic) x2apic=$2 ;;
	--fw-cfg) fw_cfg=$2 ;;
	--bochs) version=$2 ;;
	--timeout) timeout_s=$2 ;;
	*) usage ;;
	esac
	shift 2
done

cd "$(dirname "$0")/../.." || exit 2
[ -n "$image" ] || die "give the guest image: make run-guest IMAGE=FILE (an ELF: PVH or multiboot)"
[ -f "$image" ] || die "no such image: $image"
[ "$(head -c 4 "$image" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
	die "$image is not an ELF file (Tessera loads PVH or multiboot ELF images)"
[[ $image != *=* ]] || die "an image path cannot hold '=' (GRUB module syntax): $image"
# A partition has at most 16 CPUs (docs/config.md).
[[ $cpus =~ ^[0-9]+$ ]] && [ "$cpus" -ge 1 ] && [ "$cpus" -le 16 ] ||
	die "CPUS must be 1-16 (the guest's vCPUs), not '$cpus'"
[[ $mem =~ ^[0-9]+$ ]] && [ ${#mem} -le 5 ] && [ "$mem" -ge 1 ] && [ "$mem" -le 1984 ] ||
	die "MEM must be 1-1984 (MiB), not '$mem'"
mem=$(((mem + 1) / 2 * 2))
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || die "TIMEOUT must be a number of seconds, not '$timeout_s'"
# cfgc takes printable ASCII up to 511 characters; say so before it does.
[ ${#append} -le 511 ] || die "APPEND is longer than 511 characters"
LC_ALL=C
[[ $append != *[^[:print:]]* ]] || die "APPEND must be printable ASCII"

[[ $x2apic =~ ^(on|off)$ ]] || die "X2APIC must be on or off, not '$x2apic'"
[[ $fw_cfg =~ ^(on|off)$ ]] || die "FW_CFG must be on or off, not '$fw_cfg'"
# The modules' GRUB names are mod1..modN; the guest sees them in that order.
read -ra module_files <<<"$modules"
[ ${#module_files[@]} -le 4 ] || die "MODULES takes at most 4 files, not ${#module_files[@]}"
module_names="" iso_modules=()
for ((i = 0; i < ${#module_files[@]}; i++)); do
	f=${module_files[$i]}
	[ -f "$f" ] || die "no such module file: $f"
	[[ $f != *=* ]] || die "a module path cannot hold '=' (GRUB module syntax): $f"
	module_names+="${module_names:+, }mod$((i + 1))"
	iso_modules+=("$f=mod$((i + 1))")
done

dir=$main/run-guest
mkdir -p "$dir" || exit 2
escaped=${append//\\/\\\\}
escaped=${escaped//\"/\\\"}
# Tessera keeps 32 MiB (CONFIG_HV_RESERVE); the rest is slack for the firmware.
megs=$((mem + 64))
[ "$cpus" = 1 ] && cpu_list=1 || cpu_list="1-$cpus"
config=$dir/guest.cfg
# Rewritten only when it changes, so that an unchanged run rebuilds nothing.
cat >"$config.new" <<EOF
# Written by tests/runners/run-guest.sh for $image (each run writes its own).
[machine]
cpus = $((cpus + 1))
memory = ${megs}M
housekeeping = 0

[partition guest]
cpus = $cpu_list
memory = ${mem}M
image = guest
cmdline = "$escaped"
boot = auto
x2apic = $x2apic
fw_cfg = $fw_cfg
${module_names:+modules = $module_names}
EOF
if cmp -s "$config.new" "$config"; then
	rm -f "$config.new"
else
	mv "$config.new" "$config"
fi

echo "run-guest: $image, $cpus vCPU(s) on CPU(s) $cpu_list, $mem MiB, cmdline \"$append\"${modules:+, modules $modules}, x2apic $x2apic, fw_cfg $fw_cfg; building in $dir"
bash tests/runners/build-config.sh "$main" "$config" "$dir" all || exit 2
bash tests/runners/mkiso.sh "$dir/tessera.iso" "$dir/tessera.elf" "" "$image=guest" "${iso_modules[@]}" >"$dir/mkiso.txt" 2>&1 ||
	{ cat "$dir/mkiso.txt"; exit 2; }

log=$dir/com1.log
bash tests/runners/bochs.sh --iso "$dir/tessera.iso" --cpus $((cpus + 1)) --megs "$megs" \
	--bochs "$version" --timeout "$timeout_s" --log "$log" --stream
bochs_rc=$?

# Tessera's own line ("[cpuN] "), never a guest's ("[guest] ...") with the same words.
result=$(tr -d '\r' <"$log" | grep -a -E '^\[cpu[0-9]+\] partition guest: result: ' | sed 's/^\[cpu[0-9]*\] //' | tail -n 1)
if [[ $result =~ ^partition\ guest:\ result:\ ended\ with\ status\ (-?[0-9]+) ]]; then
	status=${BASH_REMATCH[1]}
	if [ "$status" -ge 0 ] && [ "$status" -le 127 ]; then
		rc=$(((status << 1) | 1))
	else
		rc=255
	fi
	echo "run-guest: the guest ended with status $status: exit status $rc"
	exit $rc
fi
if [ -n "$result" ]; then
	echo "run-guest: the guest did not end with a status (${result#partition guest: result: }): exit status 4"
	exit 4
fi
if [ $bochs_rc = 124 ]; then
	echo "run-guest: nothing ended within $timeout_s s (TIMEOUT=): exit status 124"
	exit 124
fi
why=$(tr -d '\r' <"$log" | grep -a -E '^\[cpu[0-9]+\] .*(partition guest: (not started|image)|PANIC|panic|tessera: end)' | tail -n 3)
echo "run-guest: Tessera reported no result for the guest (Bochs runner status $bochs_rc)${why:+:}"
[ -z "$why" ] || echo "$why" | sed 's/^/    /'
echo "run-guest: exit status 4"
exit 4
