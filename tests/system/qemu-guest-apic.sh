#!/usr/bin/env bash
# The apic test guest alone under QEMU TCG, no Tessera: a second APIC model for
# the guest's own expectations (what QEMU does not model, the guest skips).
source "$(dirname "$0")/lib/checks.sh"
test_begin qemu-guest-apic
run_guest_qemu apic
expect_guest_results_plain apic
test_end
