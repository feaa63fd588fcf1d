#!/usr/bin/env bash
# configs/tests/guests-apic.cfg in Bochs 3.0, 5 CPUs: the apic guest (the
# vLAPIC's registers, self-IPIs, priorities and timers, in xAPIC and x2APIC
# mode) and the smp guest on three vCPUs (started by its own INIT-SIPI-SIPI,
# then fixed, logical, broadcast and NMI IPIs among them). Every check is a
# line; both partitions end with status 0.
source "$(dirname "$0")/lib/checks.sh"
test_begin guests-apic
run_config_bochs guests-apic 5
expect_guest_results apic-x2
expect_guest_results smp3
expect_status 0
test_end
