#!/usr/bin/env bash
# Tessera in Bochs 3.0 (tigerlake, VMX with posted interrupts), 4 CPUs, with
# configs/tests/foundation.cfg (one small partition on CPU 1): every CPU comes
# online, the feature table shows posted interrupts, VMXON and VMXOFF work on
# every CPU, the partition ends with status 0 and so does the run.
source "$(dirname "$0")/lib/checks.sh"
test_begin bochs3-smp4
run_config_bochs foundation 4
expect_smp 4
expect_line 'vmx: +posted interrupts +yes'
expect_line 'VMXON/VMXOFF ok on 4 of 4 CPUs'
expect_line 'partition probe: result: ended with status 0'
expect_status 0
test_end
