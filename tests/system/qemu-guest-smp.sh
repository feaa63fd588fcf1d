#!/usr/bin/env bash
# The smp test guest alone under QEMU TCG with 4 CPUs, no Tessera: the guest's
# AP start-up (one by one, and by one broadcast INIT and SIPI) and its IPI
# checks against another APIC model.
source "$(dirname "$0")/lib/checks.sh"
test_begin qemu-guest-smp
run_guest_qemu smp "cpus=4" 4
expect_guest_results_plain smp
test_end || true
test_begin qemu-guest-smp-broadcast
run_guest_qemu smp "cpus=4 broadcast" 4
expect_guest_results_plain smp
test_end
