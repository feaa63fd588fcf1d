#!/usr/bin/env bash
# The console shell, end to end (docs/shell.md): Bochs's COM1 is a socket and
# tests/system/data/shell.script types each command and waits for its answer
# (bochs.sh --script): help, list, stats, hv-cpuid (on and off), regs, bad
# input of every kind, stop (neighbour keeps running), start, restart, log,
# attach. Both partitions end with status 0.
source "$(dirname "$0")/lib/checks.sh"
test_begin shell
run_config_bochs shell 3 --script tests/system/data/shell.script
grep -a 'script line' "$RUNNER_OUT" >/dev/null && fail "$(grep -a -m1 'script line' "$RUNNER_OUT")"
expect_guest_results alpha "ended with status 0 (after restarts)"
expect_guest_results neighbour
# Every refusal said so and changed nothing: 10 errors, no other restart.
n=$(hv_text | grep -c 'shell: error: .*nothing changed$')
[ "$n" = 10 ] || fail "$n shell errors, expected 10"
expect_no_line 'partition alpha: restart 3'
# While alpha was held (from "stopping" to its restart 1), neighbour printed
# and alpha did not.
held=$(log_text | sed -n '/shell: alpha: stopping/,/partition alpha: restart 1:/p')
grep -a -q '^\[neighbour\] console_neighbour: line' <<<"$held" ||
	fail "neighbour printed nothing while alpha was stopped"
! grep -a -q '^\[alpha\]' <<<"$held" || fail "alpha printed while it was stopped"
expect_line 'shell: +regs NAME VCPU +'
expect_line 'shell: alpha: leaf 0x40000000: eax 40000006'
expect_status 0
test_end
