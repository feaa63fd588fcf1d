#!/usr/bin/env bash
# configs/tests/memprot.cfg in Bochs 3.0, 6 CPUs, quantum=1 (the TSC the guests
# read is their instruction count, see bench.sh): the xom guest with xom = on,
# user and off (CPUID, execution through the alias, the #PF of a read and a
# write with error code and CR2, one exit each, no partition stopped), and the
# spp guest on two vCPUs. The boot lines of the alias are checked and the
# figures printed.
source "$(dirname "$0")/lib/checks.sh"
test_begin memprot
run_config_bochs memprot 6 --quantum 1
expect_line "partition xom-on: xom: execute-only alias at GPA bit 39 \(all modes\), guest physical address width 39"
expect_line "partition xom-user: xom: execute-only alias at GPA bit 39 \(user mode only\)"
expect_no_line "partition xom-off: xom:"
expect_guest_results xom-on
expect_guest_results xom-user
expect_guest_results xom-off
expect_guest_results spp
log_text | grep -a "\] bench: " | sed "s/^/    /"
expect_status 0
test_end
