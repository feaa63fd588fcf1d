#!/usr/bin/env bash
# The GRUB ISO in Debian's Bochs 2.7 (tigerlake), 1 CPU: its VMX has no posted
# interrupts, and the feature table must say so. The run must reach its end line.
source "$(dirname "$0")/lib/checks.sh"
test_begin bochs27-smp1
[ -x /usr/bin/bochs ] || test_skip "no Debian Bochs 2.7 at /usr/bin/bochs (make deps)"
need_file "$ISO"
run_bochs --iso "$ISO" --bochs 2.7 --model tigerlake --cpus 1
expect_line 'vmx: +posted interrupts +no'
expect_end
test_end
