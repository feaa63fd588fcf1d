#!/usr/bin/env bash
# Debian 12's own kernel by PVH (configs/tests/linux.cfg, Bochs 3.0): two
# partitions, with 2 vCPUs and with 1 (the Hyper-V interface: linux-hyperv.sh), to /init,
# all their CPUs online, the TSC as clocksource and the posted LAPIC
# TSC-deadline timer as clockevent, the workload done (with 2 vCPUs its TLB
# shootdowns counted), the console's interrupts, the region they share in their
# ACPI tables (and in /proc/iomem), and ACPI power-off ending each with
# status 0; beside them the timer guest, whose checks must all pass. The guest is
# prepared by `make linux-guest` (apt-get download, once, into the cache).
# Prints the figures: TSC ticks (= Bochs instructions) from Tessera's entry to
# /init, and the exits by reason of the whole run.
source "$(dirname "$0")/lib/checks.sh"
test_begin linux
prepare_linux_guest
# The script types a line when /init asks for one (tessera.echo on the command line);
# its steps may wait as long as the boot.
export SCRIPT_STEP_S=${SCRIPT_STEP_S:-${LINUX_TIMEOUT:-300}}
run_config_bochs linux 5 --timeout "${LINUX_TIMEOUT:-300}" --quiet-info --script tests/system/data/linux.script
expect_guest_results neighbour
for p in linux-smp2 linux-smp1; do
	n=${p#linux-smp}
	g() { log_text | grep -a "^\[$p\] " | sed "s/^\[$p\] //"; }
	# has PATTERN: grep reads to the end (no -q: see checks.sh's expect_line).
	has() { g | grep -a -E -- "$1" >/dev/null; }
	has 'ACPI: RSDP 0x00000000000E0000 ' || fail "$p: Linux found no RSDP"
	has "smpboot: Allowing $n CPUs" || fail "$p: Linux did not find $n CPUs in the MADT"
	has "smp: Brought up 1 node, $n CPU" || fail "$p: $n CPUs not brought up"
	has 'tessera-linux: init reached' || fail "$p: /init did not run"
	has "tessera-linux: cpus online 0$([ "$n" = 1 ] || echo "-$((n - 1))") \\($n\\)" ||
		fail "$p: /init did not see $n CPUs online"
	expect_line "partition $p: timer posted "
	has 'tessera-linux: clocksource tsc$' || fail "$p: the clocksource is not the TSC"
	has 'tessera-linux: clockevent clockevent0 lapic-deadline' ||
		fail "$p: the clockevent is not the LAPIC's TSC-deadline timer"
	has 'tessera-linux: workload done' || fail "$p: the workload did not finish"
	has 'tessera-linux: workload: shootdown 200 rounds' || fail "$p: the shootdown loop did not finish"
	if [ "$n" = 2 ]; then # the shootdown loop flushed remotely: TLB shootdown IPIs counted
		tlb=$(g | grep -a 'tessera-linux: interrupts: TLB:' | tail -n 1 | sed 's/.*TLB: //' | awk '{ print $1 + $2 }')
		[ "${tlb:-0}" -gt 0 ] || fail "$p: no TLB shootdown interrupts counted"
		echo "    $p: TLB shootdown IPIs: $tlb"
	fi
	# The vUART's interrupt: userspace output through the tty, IRQ 4 counted, input typed.
	has '^tessera-linux: tty output through /dev/ttyS0$' ||
		fail "$p: userspace output through /dev/ttyS0 did not appear"
	uart=$(g | grep -a 'tessera-linux: interrupts: .*ttyS0' | tail -n 1 | sed 's/.*interrupts: [0-9]*: //' | awk '{ for (i = 1; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s + 0 }')
	[ "${uart:-0}" -gt 0 ] || fail "$p: no ttyS0 interrupt counted in /proc/interrupts"
	echo "    $p: ttyS0 interrupts at the end: ${uart:-0}"
	if [ "$n" = 2 ]; then # the console's input goes to the first partition
		has 'tessera-linux: typed: tessera-typed-42$' || fail "$p: the line typed on the console did not reach /init"
	fi
	# The shared region: its DSDT device, a platform device with the region and its doorbell page.
	has 'tessera-linux: shmem device TSRA0001:00 uid 0$' || fail "$p: no ACPI device for the shared region"
	[ "$(g | grep -a -c -E 'tessera-linux: iomem: [0-9a-f]+-[0-9a-f]+ : TSRA0001:00$')" = 2 ] ||
		fail "$p: /proc/iomem does not list the shared region and its doorbell page"
	g | grep -a -E 'tessera-linux: iomem: ' | sed "s/^/    $p: /"
	has 'unchecked MSR|ACPI Error|ACPI BIOS Error|tessera-linux: problem:' &&
		fail "$p: $(g | grep -a -E -m1 'unchecked MSR|ACPI Error|ACPI BIOS Error|tessera-linux: problem:')"
	expect_line "partition $p: vCPU 0: ACPI power-off \(S5\)"
	expect_line "partition $p: result: ended with status 0"
	# Figures: Tessera's entry to the first VM entry (TSC ticks), then Linux's
	# own clock (the guest TSC, from 0 at the partition's start) at "Run /init".
	entry=$(hv_text | grep -a -o "partition $p: first VM entry [0-9]*" | grep -o '[0-9]*$')
	init_s=$(g | grep -a -m1 'Run /init' | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
	khz=$(hv_text | grep -a -o 'tsc: [0-9]* kHz' | head -n 1 | grep -o '[0-9]*')
	if [ -n "$entry" ] && [ -n "$init_s" ] && [ -n "$khz" ]; then
		echo "    $p: Tessera's entry to /init: $(awk -v e="$entry" -v s="$init_s" -v k="$khz" \
			'BEGIN { printf "%.0f", e + s * k * 1000 }') TSC ticks (first VM entry at $entry, /init at $init_s s of guest time)"
	fi
	hv_text | grep -a "partition $p: exits: " | sed "s/^\[cpu[0-9]*\] partition /    /"
done
expect_status 0
test_end
