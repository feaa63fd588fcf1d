#!/usr/bin/env bash
# Debian 12's kernel with the Hyper-V interface (configs/tests/linux-hyperv.cfg,
# Bochs 3.0): 2 vCPUs with hyperv = on beside the timer guest, which must
# finish untouched. Linux must see Hyper-V, flush remote TLBs and send IPIs by
# hypercall (the shootdown loop runs on them: VMCALL exits, no TLB IPIs), use
# the reference TSC page as clocksource and the posted LAPIC TSC-deadline
# timer, warn of no MSR, and power off with status 0. The console shell reads
# the exit counts twice around /init's idle time (tests/system/data/
# linux-hyperv.script): the test prints the exits per second of an idle Linux
# by reason.
source "$(dirname "$0")/lib/checks.sh"
test_begin linux-hyperv
prepare_linux_guest
export SCRIPT_STEP_S=${SCRIPT_STEP_S:-${LINUX_TIMEOUT:-300}}
run_config_bochs linux-hyperv 4 --timeout "${LINUX_TIMEOUT:-300}" --quiet-info \
	--script tests/system/data/linux-hyperv.script
expect_guest_results neighbour
p=linux-hv
g() { log_text | grep -a "^\[$p\] " | sed "s/^\[$p\] //"; }
has() { g | grep -a -E -- "$1" >/dev/null; }
for line in 'Hypervisor detected: Microsoft Hyper-V' 'Hyper-V: Using hypercall for remote TLB flush' \
	'Hyper-V: Using IPI hypercalls' 'smp: Brought up 1 node, 2 CPUs' 'tessera-linux: cpus online 0-1 \(2\)' \
	'tessera-linux: clocksource hyperv_clocksource_tsc_page$' \
	'tessera-linux: clockevent clockevent0 lapic-deadline' 'tessera-linux: idle: typed: tessera-idle-done$' \
	'tessera-linux: workload: shootdown 200 rounds' 'tessera-linux: workload done'; do
	has "$line" || fail "$p: no line '$line'"
done
expect_line "partition $p: timer posted "
has 'unchecked MSR|ACPI Error|ACPI BIOS Error|tessera-linux: problem:' &&
	fail "$p: $(g | grep -a -E -m1 'unchecked MSR|ACPI Error|ACPI BIOS Error|tessera-linux: problem:')"
# The shootdowns went by hypercall: no TLB IPI counted, VMCALL exits for them.
tlb=$(g | grep -a 'tessera-linux: interrupts: TLB:' | tail -n 1 | sed 's/.*TLB: //' | awk '{ print $1 + $2 }')
[ "${tlb:-x}" = 0 ] || fail "$p: ${tlb:-no} TLB shootdown IPIs counted, want 0 (flushes by hypercall)"
vmcall=$(hv_text | grep -a "partition $p: exits: VMCALL " | tail -n 1 | awk '{ print $NF }')
[ "${vmcall:-0}" -ge 200 ] || fail "$p: ${vmcall:-no} VMCALL exits, want the shootdown loop's flush hypercalls (>= 200)"
expect_line "partition $p: vCPU 0: ACPI power-off \(S5\)"
expect_line "partition $p: result: ended with status 0"
# Idle: the two samples of the shell's stats (a time line, then exits by reason).
idle=$(hv_text | awk -v p="$p" '
	index($0, "shell: " p ": time ") { n++; split($0, f, " time "); split(f[2], t, " "); tk[n] = t[1]
		khz = $(NF - 1) }
	n && index($0, "shell: " p ": exits: ") { r = $0; sub(/.*: exits: /, "", r); c = r
		sub(/.* /, "", c); sub(/ +[0-9]+$/, "", r); cnt[n, r] = c; if (n == 1) names[r] = 1 }
	END { if (n < 2) exit 1; s = (tk[2] - tk[1]) / (khz * 1000); if (s <= 0) exit 1
		printf "over %.2f s:", s
		for (r in names) if (cnt[2, r] - cnt[1, r] > 0 || r == "total")
			printf " %s %.1f;", r, (cnt[2, r] - cnt[1, r]) / s }')
if [ -n "$idle" ]; then
	echo "    $p: exits per second while idle at /init, $idle"
else
	fail "$p: the shell's two stats samples around the idle time were not found"
fi
hv_text | grep -a "partition $p: exits: " | sed "s/^\[cpu[0-9]*\] partition /    /"
expect_status 0
test_end
