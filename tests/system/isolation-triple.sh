#!/usr/bin/env bash
# Isolation (docs/partitions.md): a partition that triple-faults is stopped
# (on_crash = stop) and logged as its own crash; its neighbour, booted by
# multiboot on another CPU, finishes undisturbed. The attacker has a second,
# parked vCPU, which the crash stops as well. Bochs 3.0, 4 CPUs,
# configs/tests/isolation-triple.cfg. The run ends with status 3.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"

test_begin isolation-triple
run_config_bochs isolation-triple 4
expect_status 3
expect_end
expect_attacker_stopped attacker
expect_line "partition attacker: vCPU 0: triple fault at RIP 0x[0-9a-f]+; stopping it"
expect_line "partition attacker: exits: triple fault +1$"
# Its parked second vCPU (CPU 3) is asked for its registers and stopped by requests.
expect_line "partition attacker: vCPU 1 on CPU 3 waits for the guest.s INIT-SIPI-SIPI"
expect_line "partition attacker: vCPU 1: register dump on request \(waiting for SIPI\)"
expect_exit_counters attacker
expect_no_line "partition neighbour: .*(triple fault|stopping it|restart)"
expect_neighbour_finished_after neighbour "partition attacker: vCPU 0: triple fault"
expect_line "partitions: 1 of 2 ended with status 0"
test_end
