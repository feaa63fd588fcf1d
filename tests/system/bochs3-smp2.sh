#!/usr/bin/env bash
# The GRUB ISO in Bochs 3.0 (tigerlake, VMX with posted interrupts), 2 CPUs:
# every CPU comes online, the feature table shows posted interrupts, VMXON and
# VMXOFF work on every CPU and the run ends with status 0.
source "$(dirname "$0")/lib/checks.sh"
test_begin bochs3-smp2
[ -x "$BOCHS3" ] || test_skip "no Bochs 3.0 at $BOCHS3 (make deps builds it)"
need_file "$ISO"
run_bochs --iso "$ISO" --bochs 3 --model tigerlake --cpus 2
expect_smp 2
expect_line 'vmx: +posted interrupts +yes'
expect_line 'VMXON/VMXOFF ok on 2 of 2 CPUs'
expect_status 0
test_end
