#!/usr/bin/env bash
# Crash policy restart (docs/partitions.md): the guest dirties its memory and
# triple-faults; with on_crash = restart Tessera reloads its image from the
# pristine boot module into zeroed RAM, and the second boot checks .data, the
# ELF zero fill and free RAM, then ends with status 0: run status 0.
# Bochs 3.0, 4 CPUs, configs/tests/crash-restart.cfg; the partition has two
# vCPUs, the second parked (it needs the virtual LAPIC to start). A short timeout: a
# restart loop (the guest never told it was restarted) must not last 5 minutes.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"

test_begin crash-restart
run_config_bochs crash-restart 4 --timeout "${CRASH_RESTART_TIMEOUT:-60}"
expect_status 0
expect_end
expect_line "partition phoenix: vCPU 0: triple fault at RIP 0x[0-9a-f]+; restarting it"
expect_line "partition phoenix: restart 1: reloading image"
expect_no_line "partition phoenix: restart 2"
expect_line "partition phoenix: result: ended with status 0 \(after restarts\)$"
expect_line "partition phoenix: exits: triple fault +1$"
# Its parked second vCPU, asked by requests: for its registers at the crash,
# to stop, to wake for the restart and to stop at the end (else no result).
expect_line "partition phoenix: vCPU 1 on CPU 2 waits for the guest.s INIT-SIPI-SIPI"
expect_line "partition phoenix: vCPU 1: register dump on request \(waiting for SIPI\) at RIP"
expect_line "partition phoenix: vCPU 1: RAX 0x[0-9a-f]+ RBX"
expect_before "partition phoenix: vCPU 1: register dump on request" "partition phoenix: restart 1"

# First boot: up to the restart, its checks passed and it crashed on purpose.
expect_line "^\[phoenix\] guest crash_restart: restarts = 0$"
expect_before "^\[phoenix\] PASS: guest/crash_restart/first-boot-top-ram-zero$" \
	"partition phoenix: restart 1"
expect_before "^\[phoenix\] guest crash_restart: memory dirtied; triple-faulting$" \
	"partition phoenix: restart 1"
first_fails=$(log_text | sed -n '/partition phoenix: restart 1/q; /^\[phoenix\] FAIL: /p')
[ -z "$first_fails" ] || fail "first boot: $first_fails"

# Second boot: its own log, so that the guest's lines and summary are that
# boot's; the result line without the " (after restarts)" checked above.
full_log=$LOG
LOG=$TEST_OUT/crash-restart.second-boot.log
tr -d '\r' <"$full_log" | sed -n '/partition phoenix: restart 1/,$p' |
	sed 's/ended with status 0 (after restarts)$/ended with status 0/' >"$LOG"
expect_line "^\[phoenix\] guest crash_restart: restarts = 1$"
expect_guest_results phoenix
LOG=$full_log
test_end
