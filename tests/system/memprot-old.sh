#!/usr/bin/env bash
# configs/tests/memprot-old.cfg in Bochs 3.0 with the broadwell_ult model, which
# has EPT execute-only pages but neither SPP nor mode-based execute control:
# xom = on passes its guest checks, xom = user is refused at partition build
# with one clear line, and the spp guest sees TESSERA_E_NOTSUP and no CPUID bit.
source "$(dirname "$0")/lib/checks.sh"
test_begin memprot-old
run_config_bochs memprot-old 4 --model broadwell_ult
expect_line "partition xom-user: not started: xom: 'user' needs mode-based execute control, which this CPU lacks \(use xom = on\)"
expect_no_line '^\[xom-user\]'
expect_guest_results xom-on
expect_guest_results spp-off
expect_status 3
test_end
