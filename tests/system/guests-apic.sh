#!/usr/bin/env bash
# configs/tests/guests-apic.cfg in Bochs 3.0, 6 CPUs: the apic guest (the
# vLAPIC's registers, self-IPIs, priorities and timers, in xAPIC and x2APIC
# mode, the writable xAPIC ID, the relocated window, the NMI latch), the same
# guest with x2apic = off, and the smp guest on three vCPUs (started by its
# own INIT-SIPI-SIPI, then fixed, logical, broadcast and NMI IPIs among them,
# two NMIs at once, the CPU count from fw_cfg). Every check is a line; all
# three partitions end with status 0.
source "$(dirname "$0")/lib/checks.sh"
test_begin guests-apic
run_config_bochs guests-apic 6
expect_guest_results apic-x2
expect_guest_results smp3
expect_guest_results apic-xapic
expect_status 0
test_end
