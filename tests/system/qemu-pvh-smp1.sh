#!/usr/bin/env bash
# QEMU -kernel (PVH), 1 CPU(s), no VMX: every CPU comes online, VMX is
# reported missing and the run ends with status 2 (no-vmx).
source "$(dirname "$0")/lib/checks.sh"
test_begin qemu-pvh-smp1
need_file "$ELF"
run_qemu --kernel "$ELF" --smp 1
expect_smp 1
expect_line 'vmx: not available: '
expect_status 2
test_end
