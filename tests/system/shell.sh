#!/usr/bin/env bash
# The console shell, end to end (docs/shell.md): Bochs's COM1 is a socket and
# tests/system/data/shell.script types each command and waits for its answer
# (bochs.sh --script): help, list, stats, hv-cpuid (on and off), regs, bad
# input of every kind, stop (neighbour keeps running), start, restart, log,
# attach; start of a partition its crash policy stopped (phoenix); regs, stop
# and start of a partition with lapic = passthrough (rt), which Tessera
# reaches by NMI alone. All four end with status 0.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"
test_begin shell
run_config_bochs shell 5 --script tests/system/data/shell.script
grep -a 'script line' "$RUNNER_OUT" >/dev/null && fail "$(grep -a -m1 'script line' "$RUNNER_OUT")"
expect_guest_results alpha "ended with status 0 (after restarts)"
expect_guest_results neighbour
expect_line 'partition phoenix: vCPU 0: triple fault .*stopping it'
# phoenix's second boot, the one the shell started, on its own (as crash-restart.sh).
full_log=$LOG
LOG=$TEST_OUT/shell.phoenix-second-boot.log
tr -d '\r' <"$full_log" | sed -n '/partition phoenix: restart 1 (started from the shell)/,$p' >"$LOG"
expect_line '^\[phoenix\] guest crash_restart: restarts = 1$'
expect_guest_results phoenix "ended with status 0 (after restarts)"
LOG=$full_log
# Every refusal said so and changed nothing: 11 errors, no other restart.
n=$(hv_text | grep -c 'shell: error: .*nothing changed$')
[ "$n" = 11 ] || fail "$n shell errors, expected 11"
expect_no_line 'partition alpha: restart 3'
# While alpha was held (from "stopping" to its restart 1), neighbour printed
# and alpha did not.
held=$(log_text | sed -n '/shell: alpha: stopping/,/partition alpha: restart 1:/p')
grep -a -q '^\[neighbour\] console_neighbour: line' <<<"$held" ||
	fail "neighbour printed nothing while alpha was stopped"
! grep -a -q '^\[alpha\]' <<<"$held" || fail "alpha printed while it was stopped"
expect_line 'shell: +regs NAME VCPU +'
# rt: its registers while it ran in the guest, then stopped and started again
# (its LAPIC reset between), and the second boot ran to its end.
expect_line "partition rt: lapic passthrough "
expect_before "partition rt: vCPU 0: register dump on request \(running\)" "shell: rt: stopping"
expect_before "shell: rt: stopping" "partition rt: restart 1: reloading image"
expect_guest_results rt "ended with status 0 (after restarts)"
expect_no_line 'traps: (NMI on cpu|interrupt vector)'
expect_line 'shell: alpha: leaf 0x40000000: eax 40000006'
expect_status 0
test_end
