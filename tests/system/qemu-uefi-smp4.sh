#!/usr/bin/env bash
# The hybrid ISO booted by UEFI (QEMU TCG, OVMF, GRUB x86_64-efi), 4 CPUs, no
# VMX: see tests/system/lib/uefi.sh for what is checked.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/uefi.sh"
uefi_boot_test qemu-uefi-smp4 4
