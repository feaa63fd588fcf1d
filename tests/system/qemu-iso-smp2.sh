#!/usr/bin/env bash
# The GRUB ISO (multiboot2) in QEMU with 2 CPUs, no VMX: every CPU comes
# online, VMX is reported missing and the run ends with status 2 (no-vmx).
source "$(dirname "$0")/lib/checks.sh"
test_begin qemu-iso-smp2
need_file "$ISO"
run_qemu --iso "$ISO" --smp 2
expect_smp 2
expect_line 'vmx: not available: '
expect_status 2
test_end
