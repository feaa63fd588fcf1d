#!/usr/bin/env bash
# configs/tests/guests-misc.cfg in Bochs 3.0, 5 CPUs: the misc_exits guest
# (I/O pass-through vs. blocked ports, VMX instructions #UD, INVD/WBINVD
# counted) and the debug guest (breakpoints, single-step, RF) pass; two halt guests end their partitions by HLT, one with
# interrupts disabled and one enabled, each logged as such, and neither runs
# on after its HLT. Two partitions end without a status, so the run's status
# is 3 (guest-failed).
source "$(dirname "$0")/lib/checks.sh"
test_begin guests-misc
run_config_bochs guests-misc 5
expect_guest_results misc
expect_guest_results debug
expect_line '^\[halt-cli\] halt: halting with interrupts disabled'
expect_line '^\[halt-sti\] halt: halting with interrupts enabled'
expect_line 'partition halt-cli: vCPU 0 halted with interrupts disabled at RIP'
expect_line 'partition halt-sti: vCPU 0 halted with interrupts enabled at RIP'
expect_line 'partition halt-cli: result: halted without a status'
expect_line 'partition halt-sti: result: halted without a status'
expect_no_line 'resumed-after-hlt'
expect_status 3
test_end
