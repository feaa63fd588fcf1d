#!/usr/bin/env bash
# configs/tests/timer.cfg in Bochs 3.0, 5 CPUs, quantum=1 (the TSC the guests
# read is their own instruction count, see bench.sh): the timer guest in the
# posted, emulated and halt=passthrough configurations side by side, and
# the lapic_pt guest on its CPU's own LAPIC (lapic = passthrough: 0 exits to
# arm and to fire, its latency next to the others'). Every
# guest check is a line (one-shot, periodic, TSC-deadline, re-arm, disarm,
# mode change, masked LVT, software disable, current count, HLT wake, and the
# exit counts: none per period and one per one-shot when posted); the boot
# line of each partition's timer choice is checked, and the figures (exits
# per period, latency from deadline to handler) are printed.
source "$(dirname "$0")/lib/checks.sh"
test_begin timer
run_config_bochs timer 5 --quantum 1
expect_line "partition posted: timer posted \(housekeeping CPU 0; config: posted\), halt exit, pause passthrough"
expect_line "partition emulated: timer emulated \(VMX-preemption timer on CPU 2; config: emulated\), halt exit"
expect_line "partition hlt-pass: timer posted \(housekeeping CPU 0; config: auto\), halt passthrough, pause exit"
expect_guest_results posted
expect_guest_results emulated
expect_line "partition lapic-pt: lapic passthrough \(timer and interrupts the guest's own, Tessera's kicks by NMI\), halt passthrough"
expect_guest_results hlt-pass
expect_guest_results lapic-pt
for p in posted emulated hlt-pass lapic-pt; do
	log_text | grep -a "^\[$p\] bench: " | sed "s/^\[$p\] /    $p: /"
done
# halt = passthrough: the guest's HLTs never exit.
expect_no_line "partition hlt-pass: exits: hlt "
expect_status 0
test_end
