#!/usr/bin/env bash
# The restart budget (docs/partitions.md): a guest that triple-faults on every
# boot (crash_restart with crash=always) under on_crash = restart and
# restart_limit = 3/10s is restarted 3 times, then stopped with one clear line;
# only its first two crashes print the register dump. The neighbour finishes,
# and the run ends with Tessera's report and status 3. Bochs 3.0, 3 CPUs,
# configs/tests/crash-loop.cfg. A short timeout: without the budget this loops.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"

test_begin crash-loop
run_config_bochs crash-loop 3 --timeout "${CRASH_LOOP_TIMEOUT:-60}"
expect_status 3
expect_end
expect_line "partition looper: restart 3: reloading image"
expect_no_line "partition looper: restart 4"
expect_line "partition looper: vCPU 0: triple fault at RIP 0x[0-9a-f]+; stopping it$"
expect_line "partition looper: restarted 3 times in [0-9]+\.[0-9]{3} s: giving up, stopped$"
expect_before "partition looper: restart 3:" "partition looper: restarted 3 times"
expect_line "partition looper: result: crashed"
expect_line "partition looper: exits: triple fault +4$"
dumps=$(log_text | grep -a -c "partition looper: vCPU 0: RSP ")
[ "$dumps" = 2 ] || fail "register dumps: $dumps, want 2 (the first two crashes)"
crashes=$(log_text | grep -a -c "partition looper: vCPU 0: triple fault at RIP")
[ "$crashes" = 4 ] || fail "crash lines: $crashes, want 4"
expect_guest_results neighbour
expect_line "partitions: 1 of 2 ended with status 0"
test_end
