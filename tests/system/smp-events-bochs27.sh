#!/usr/bin/env bash
# The smp_events guest of smp-events.sh in Debian's Bochs 2.7, which has no
# posted interrupts: the fallback (pending bits in the descriptor, a kick, the
# vectors merged before the next entry; NMIs latched and injected at the NMI
# window). The guest must see exactly what it sees with posted interrupts.
source "$(dirname "$0")/lib/checks.sh"
test_begin smp-events-bochs27
run_config_bochs smp-events 4 --bochs 2.7
expect_line 'vmx: +posted interrupts +no'
expect_guest_results events
expect_status 0
test_end
