#!/usr/bin/env bash
# The CPU-interface guests in Bochs 3.0 (configs/tests/guests-cpu.cfg, 6 CPUs):
# CPUID filtering (PVH), the MSR allow/deny list (multiboot), every hypercall
# (PVH; its RAM two adjacent regions, with a console line written across the
# boundary), exceptions and control_regs (multiboot), one partition each. Every
# guest check is a line of its own; the run must end with status 0.
source "$(dirname "$0")/lib/checks.sh"
test_begin guests-cpu
run_config_bochs guests-cpu 6
expect_guest_results cpuid
expect_guest_results msr
expect_guest_results hypercall
expect_line '^\[hypercall\] guest hypercall: a line across two RAM regions, in order$'
expect_guest_results exc-mb
expect_guest_results control-regs
expect_line 'partitions: 5 of 5 ended with status 0'
expect_status 0
test_end
