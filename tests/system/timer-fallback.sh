#!/usr/bin/env bash
# configs/tests/timer-fallback.cfg in Debian's Bochs 2.7 (no posted
# interrupts), 3 CPUs: `timer = posted` falls back to the emulated timer with
# a boot line saying so, `timer = auto` chooses emulated; the timer guest's
# checks hold there as with posted interrupts.
source "$(dirname "$0")/lib/checks.sh"
test_begin timer-fallback
run_config_bochs timer-fallback 3 --bochs 2.7
expect_line "partition asked-posted: vCPU 0: timer = posted, but CPU 1 has no posted interrupts: the timer is emulated"
expect_line "partition asked-posted: timer emulated \(VMX-preemption timer on CPU 1; config: posted\)"
expect_line "partition auto: timer emulated \(VMX-preemption timer on CPU 2; config: auto\)"
expect_guest_results asked-posted
expect_guest_results auto
expect_status 0
test_end
