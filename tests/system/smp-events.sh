#!/usr/bin/env bash
# configs/tests/smp-events.cfg in Bochs 3.0 (posted interrupts), 4 CPUs: the
# smp_events guest on three vCPUs (IPIs by every kind of destination in xAPIC
# and x2APIC mode, NMI delivery and blocking, INIT to a running AP and its
# restart, HLT woken by IPI and NMI, the STI shadow, TPR/PPR masking, EOI).
# Every check is a line; status 0. smp-events-bochs27.sh runs the same guest
# without posted interrupts.
source "$(dirname "$0")/lib/checks.sh"
test_begin smp-events
run_config_bochs smp-events 4
expect_line 'vmx: +posted interrupts +yes'
expect_guest_results events
expect_status 0
test_end
