#!/usr/bin/env bash
# configs/tests/hyperv.cfg in Bochs 3.0, 5 CPUs, quantum=1 (the TSC the guest
# reads is its own instruction count, see bench.sh): the hyperv guest with
# hyperv = on and 3 vCPUs, and with hyperv = off. Every guest check is a line
# (CPUID leaves and their report, synthetic MSRs, the hypercall page, each
# flush call in memory and XMM fast form with the stale-translation probe,
# the halted target, the malformed inputs, PV IPIs, reference time and the
# TSC page; for "off" that none of it is there); the boot report of the
# offered leaves is checked, and the figures are printed.
source "$(dirname "$0")/lib/checks.sh"
test_begin hyperv
run_config_bochs hyperv 5 --quantum 1
expect_line "partition hv: hyperv: leaf 0x40000000: eax 40000006 ebx 7263694d ecx 666f736f edx 76482074 \(vendor and max leaf\)"
expect_line "partition hv: hyperv: leaf 0x40000001: eax 31237648 ebx 00000000 ecx 00000000 edx 00000000 \(interface\)"
expect_line "partition hv: hyperv: leaf 0x40000003: eax 00000a63 ebx 00000000 ecx 00000000 edx 00004110 \(features\)"
expect_line "partition hv: hyperv: leaf 0x40000004: eax 00000c24 ebx ffffffff ecx 00000000 edx 00000000 \(recommendations\)"
expect_line "partition hv: hyperv: leaf 0x40000005: eax 00000003 ebx 00000003 ecx 00000000 edx 00000000 \(limits\)"
expect_no_line "partition off: hyperv: leaf"
expect_guest_results hv
expect_guest_results off
log_text | grep -a "^\[hv\] bench: " | sed "s/^\[hv\] /    /"
expect_status 0
test_end
