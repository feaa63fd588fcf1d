#!/usr/bin/env bash
# The entry guests in Bochs 3.0 (configs/tests/guests-entry.cfg, 4 CPUs): PVH
# with one module, multiboot with two, each checking the registers, segments,
# memory map, command line and module contents it was handed; and the
# exceptions guest. Every guest check is a line of its own; the run must end
# with status 0.
source "$(dirname "$0")/lib/checks.sh"
test_begin guests-entry
run_config_bochs guests-entry 4
expect_guest_results pvh-entry
expect_guest_results mb
expect_guest_results exc
expect_line 'partitions: 3 of 3 ended with status 0'
expect_status 0
test_end
