#!/usr/bin/env bash
# A guest that prints Tessera's lines must not decide a run: partition fake
# prints "tessera: end, status 0 (ok)", result and verdict lines (bare and
# behind "[cpu0] "), then stops the machine itself before Tessera ends the
# run. The runner must find no end line (status 125), and the partition must
# be judged failed (no result line of Tessera's).
source "$(dirname "$0")/lib/checks.sh"
test_begin console-fake
run_config_bochs console-fake 2
# The fakes did reach the log, so the checks below mean something.
expect_line '^\[fake\] tessera: end, status 0 \(ok\)$'
expect_line '^\[fake\] \[cpu0\] tessera: end, status 0 \(ok\)$'
expect_line '^\[fake\] \[cpu0\] partition fake: result: ended with status 0$'
expect_line '^\[fake\] PASS: system/console-fake$'
expect_no_line '^\[fake\] console_fake: still running'
expect_status 125
expect_no_line "${HV_LINE}tessera: end"
# The partition's verdict, as every guest test takes it: failed.
n=$( (
	FAILURES=()
	expect_guest_results fake >/dev/null
	echo ${#FAILURES[@]}
))
[ "$n" -gt 0 ] || fail "expect_guest_results judged partition fake passed on its own lines"
# A runner's own status line never comes from the guest.
grep -a -q 'without Tessera.s end line' "$RUNNER_OUT" ||
	fail "bochs.sh did not say the end line was missing (see $RUNNER_OUT)"
test_end
