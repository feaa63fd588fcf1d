#!/usr/bin/env bash
# configs/tests/pmu.cfg in Bochs 3.0 (tigerlake) with tests/runners/bochs-pmu.msrs,
# 4 CPUs: the pmu guest with pmu = on across a restart (checked twice: the
# registers zero at each boot), a second pmu = on partition, and pmu = off.
# Bochs keeps the PMU registers but counts nothing: ownership, reset and
# isolation are what is checked (docs/pmu.md).
source "$(dirname "$0")/lib/checks.sh"
test_begin pmu
run_config_bochs pmu 4 --msrs tests/runners/bochs-pmu.msrs
expect_line "partition pmu-a: pmu: version 5, 8 general-purpose and 4 fixed counters, 32 LBR records, PERF_CAPABILITIES 0x2005, 133 MSRs without exits"
expect_no_line "partition pmu-off: pmu:"
expect_line "partition pmu-a: restart 1: reloading image"
expect_line "partition pmu-a: vCPU 0: triple fault at RIP 0x[0-9a-f]+; restarting it"
expect_no_line "partition pmu-a: restart 2"
expect_line "partition pmu-a: result: ended with status 0 \(after restarts\)$"
expect_guest_results pmu-b
expect_guest_results pmu-off
expect_status 0
# The first boot of pmu-a: its checks before the restart, none failed.
first=$(log_text | sed -n '/partition pmu-a: restart 1/q; /^\[pmu-a\] \(PASS\|FAIL\): /p')
grep -q "zero-at-boot" <<<"$first" || fail "pmu-a: first boot: no zero-at-boot check"
! grep -q "^\[pmu-a\] FAIL" <<<"$first" || fail "pmu-a: first boot: $(grep FAIL <<<"$first")"
# The second boot: every register zero again.
full_log=$LOG
LOG=$TEST_OUT/pmu.second-boot.log
tr -d '\r' <"$full_log" | sed -n '/partition pmu-a: restart 1/,$p' |
	sed 's/ended with status 0 (after restarts)$/ended with status 0/' >"$LOG"
expect_line "^\[pmu-a\] guest pmu: restarts = 1$"
expect_line "^\[pmu-a\] PASS: guest/pmu/zero-after-restart$"
expect_guest_results pmu-a
LOG=$full_log
test_end
