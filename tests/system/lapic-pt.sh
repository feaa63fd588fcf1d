#!/usr/bin/env bash
# LAPIC passthrough (docs/interrupts.md): configs/tests/lapic-pt.cfg in Bochs
# 3.0 with 5 CPUs. First boot of rt: a fixed IPI to its vCPU 1 by virtual ID
# arrives, ICRs to every destination outside the partition reach nobody;
# vCPU 1 then runs with IF = 0, TPR 0xf0 and a timer interrupt left in
# service, vCPU 0 software-disables its LAPIC and triple-faults. With
# on_crash = restart, Tessera must stop vCPU 1, dump its registers and
# restart the partition, all by NMI (nothing else reaches these CPUs), and
# reset both LAPICs (what vCPU 1 left dropped, logged). Second boot: both
# LAPICs as after reset, vCPU 1 started again by INIT-SIPI-SIPI, status 0.
# The neighbour takes no interrupt or NMI, sees no kick and keeps its speed
# across all of it; Tessera's CPU 0 logs no stray interrupt or NMI.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"
test_begin lapic-pt
run_config_bochs lapic-pt 5 --timeout "${LAPIC_PT_TIMEOUT:-120}"
expect_status 0
expect_end
expect_line "partition rt: lapic passthrough \(timer and interrupts the guest's own, Tessera's kicks by NMI\)"
expect_line '^\[rt\] guest lapic_pt: restarts = 0$'
expect_line '^\[rt\] guest lapic_pt: attack done: [0-9]+ ICRs'
first_fails=$(log_text | sed -n '/partition rt: restart 1/q; /^\[rt\] FAIL: /p')
[ -z "$first_fails" ] || fail "first boot: $first_fails"
expect_before '^\[rt\] PASS: guest/lapic_pt/vcpu1-unreachable-by-interrupts$' 'partition rt: restart 1'
expect_line "partition rt: vCPU 0: triple fault at RIP 0x[0-9a-f]+; restarting it"
# vCPU 1, unreachable but by NMI: its register dump, its stop, its LAPIC reset.
expect_line "partition rt: vCPU 1: register dump on request \(running\) at RIP"
expect_line "partition rt: vCPU 1: LAPIC of CPU 2 reset: [1-9][0-9]* interrupt\(s\) the guest left dropped"
expect_before "partition rt: vCPU 1: register dump on request" "partition rt: restart 1"
expect_line "partition rt: restart 1: reloading image"
expect_no_line "partition rt: restart 2"
expect_line '^\[rt\] guest lapic_pt: restarts = 1$'
expect_line "partition rt: result: ended with status 0 \(after restarts\)$"
for c in vcpu0 vcpu1; do
	for r in lvt-timer tmict tpr svr isr irr; do
		expect_line "^\[rt\] PASS: guest/lapic_pt/$c-lapic-reset-$r$"
	done
done
expect_line '^\[rt\] PASS: guest/lapic_pt/ap-started-again$'
expect_no_line '^\[rt\] FAIL: '
# The neighbour: untouched, and running before the crash and after the restart.
expect_guest_results neighbour
expect_before '^\[neighbour\] guest ipi_neighbour: pass 0: ' 'partition rt: vCPU 0: triple fault'
expect_last_after_first '^\[neighbour\] guest ipi_neighbour: pass [0-9]*: ' \
	'partition rt: restart 1' "the neighbour's passes and rt's restart"
expect_no_line 'traps: (NMI on cpu|interrupt vector)'
expect_line 'partitions: 2 of 2 ended with status 0'
log_text | grep -a -E '^\[(rt|neighbour)\] guest [a-z_]+: (attack done|pass)|partition rt: (vCPU 1: (register dump|LAPIC)|restart)' | sed 's/^/    /'
test_end
