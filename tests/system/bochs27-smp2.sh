#!/usr/bin/env bash
# Tessera in Debian's Bochs 2.7 (tigerlake), 2 CPUs, with
# configs/tests/foundation.cfg (one small partition on CPU 1; a partition
# needs a CPU besides Tessera's CPU 0, hence 2): its VMX has no posted
# interrupts and the feature table must say so; Tessera runs the guest
# without them, and the run ends with status 0.
source "$(dirname "$0")/lib/checks.sh"
test_begin bochs27-smp2
[ -x /usr/bin/bochs ] || test_skip "no Debian Bochs 2.7 at /usr/bin/bochs (make deps)"
run_config_bochs foundation 2 --bochs 2.7
expect_smp 2
expect_line 'vmx: +posted interrupts +no'
expect_line 'VMXON/VMXOFF ok on 2 of 2 CPUs'
expect_line 'partition probe: result: ended with status 0'
expect_status 0
test_end
