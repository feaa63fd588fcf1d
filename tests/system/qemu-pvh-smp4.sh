#!/usr/bin/env bash
# QEMU -kernel (PVH), 4 CPU(s), no VMX: every CPU comes online, VMX is
# reported missing and the run ends with status 2 (no-vmx).
source "$(dirname "$0")/lib/checks.sh"
test_begin qemu-pvh-smp4
need_file "$ELF"
run_qemu --kernel "$ELF" --smp 4
expect_smp 4
expect_line 'vmx: not available: '
expect_status 2
test_end
