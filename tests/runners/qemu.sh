#!/usr/bin/env bash
# Boots Tessera in QEMU TCG (no VMX: good for boot, memory, ACPI, SMP).
#
#   qemu.sh --kernel ELF [--append CMDLINE] [--initrd "FILE ARGS,FILE2"]   (PVH)
#   qemu.sh --iso ISO                                                      (GRUB, -cdrom)
#   qemu.sh --iso ISO --uefi             (the same ISO booted by UEFI: OVMF, GRUB x86_64-efi)
#   options: --smp N (1)  --mem MiB (256)  --timeout S (30)  --log FILE  --stream
#            -- EXTRA QEMU ARGS...
#
# COM1 goes to the log file (default: a temp file, kept and named on failure);
# --stream also copies it to stdout as it arrives. QEMU's -initrd for PVH
# delivers one module; "f1 args,f2" is passed through as QEMU takes it.
#
# Exit status: Tessera's own status (drivers/machine_exit.h: 0 ok, 1 panic,
# 2 no-vmx, 3 guest-failed), decoded from QEMU's isa-debug-exit status
# ((status << 1) | 1); 124 on timeout; 125 when QEMU ended without Tessera's
# end line (reset, triple fault, QEMU error).
set -euo pipefail

die() {
	echo "qemu.sh: $*" >&2
	exit 125
}

kernel="" append="" initrd="" iso="" smp=1 mem=256 timeout_s=30 log="" stream=0 uefi=0
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--iso) iso=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--stream) stream=1; shift ;;
	--uefi) uefi=1; shift ;;
	--) shift; extra=("$@"); break ;;
	*) die "unknown option $1 (see the header of $0)" ;;
	esac
done
[ -n "$kernel" ] || [ -n "$iso" ] || die "give --kernel ELF or --iso ISO"
[ -z "$kernel" ] || [ -z "$iso" ] || die "--kernel and --iso exclude each other"
for n in "$smp" "$mem" "$timeout_s"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "not a positive number: $n"
done

temp_log=0
if [ -z "$log" ]; then
	log=$(mktemp "${TMPDIR:-/tmp}/tessera-qemu.XXXXXX.log")
	temp_log=1
fi
mkdir -p "$(dirname "$log")"
: >"$log"

# shellcheck disable=SC2054 # the commas belong to QEMU option values
args=(-accel tcg -m "$mem" -smp "$smp" -display none -no-reboot -monitor none
	-chardev "file,id=com1,path=$log" -serial chardev:com1
	-device isa-debug-exit,iobase=0xf4,iosize=4)
if [ -n "$kernel" ]; then
	[ -f "$kernel" ] || die "no such kernel: $kernel"
	args+=(-kernel "$kernel" -append "$append")
	[ -z "$initrd" ] || args+=(-initrd "$initrd")
else
	[ -f "$iso" ] || die "no such ISO: $iso"
	[ -z "$append$initrd" ] || die "--append/--initrd need --kernel (an ISO has its own grub.cfg)"
	args+=(-cdrom "$iso" -boot d)
fi
# Debian's ovmf: the firmware read-only, a scratch copy of its variable store
# (OVMF writes boot entries there). Secure Boot is off in this build.
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
vars=""
if [ $uefi = 1 ]; then
	[ -n "$iso" ] || die "--uefi boots the ISO: give --iso"
	[ -f "$OVMF_CODE" ] && [ -f "$OVMF_VARS" ] || die "no OVMF at $OVMF_CODE (the ovmf package: make deps)"
	vars=$(mktemp "${TMPDIR:-/tmp}/tessera-ovmf-vars.XXXXXX")
	cp "$OVMF_VARS" "$vars"
	args+=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE"
		-drive "if=pflash,format=raw,file=$vars")
fi

tail_pid=""
if [ "$stream" = 1 ]; then
	tail -n +1 -F "$log" 2>/dev/null &
	tail_pid=$!
fi

set +e
timeout -k 5 "$timeout_s" qemu-system-x86_64 "${args[@]}" "${extra[@]}" </dev/null
rc=$?
set -e
[ -z "$vars" ] || rm -f "$vars"

if [ -n "$tail_pid" ]; then
	sleep 0.2 # let tail print the last lines
	kill "$tail_pid" 2>/dev/null || true
	wait "$tail_pid" 2>/dev/null || true
	[ -z "$(tail -c 1 "$log")" ] || echo
fi

last_lines() {
	echo "--- last 30 lines of $log ---"
	tail -n 30 "$log" | tr -d '\r'
}

if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "TIMEOUT after $timeout_s s"
	last_lines
	exit 124
fi

# Only Tessera's own line counts: it begins "[cpuN] " (a guest's lines begin
# "[NAME] ", and config names like cpuN are refused), so a guest printing the
# same words cannot decide the status.
end_line=$(tr -d '\r' <"$log" | grep -a -E -o '^\[cpu[0-9]+\] tessera: end, status [0-9]+' | tail -n 1 || true)
if [ $((rc & 1)) -eq 1 ] && [ -n "$end_line" ]; then
	status=$((rc >> 1))
	logged=${end_line##* }
	[ "$logged" = "$status" ] ||
		echo "qemu.sh: warning: exit code says status $status, the log says $logged" >&2
	[ $temp_log = 0 ] || [ $status != 0 ] || rm -f "$log"
	exit $status
fi
if [ -n "$end_line" ]; then
	echo "qemu.sh: Tessera printed \"$end_line\" but QEMU exited with $rc (isa-debug-exit missed?)"
else
	echo "qemu.sh: QEMU exited with $rc and Tessera never printed its end line (reset, triple fault or QEMU error)"
fi
last_lines
exit 125
