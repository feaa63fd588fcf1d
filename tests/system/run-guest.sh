#!/usr/bin/env bash
# `make run-guest` and tests/runners/run-guest.sh: one guest image as the only
# partition, built with its own config in $BUILD/run-guest/. The entry guest
# passes: the runner exits with 1 ((0 << 1) | 1) and make succeeds. Told to
# expect a module it does not get ("mods=1"), the same guest fails a check and
# writes 1: the runner exits with 3 ((1 << 1) | 1). A guest that crashes
# (attack_triple) gives 4, and a missing image, a usage error, 2 with no boot.
source "$(dirname "$0")/lib/checks.sh"
test_begin run-guest
[ -x "$BOCHS3" ] || test_skip "no Bochs 3.0 at $BOCHS3 (make deps builds it)"
case " ${STALE_FILES:-} " in
*" $BUILD/tessera.elf "*) test_skip "the build failed" ;;
esac
image=$BUILD/guests/entry_pvh.pvh.elf
mkdir -p "$BUILD"
flock "$BUILD/.build-lock" make --no-print-directory BUILD="$BUILD" guests >"$RUNNER_OUT" 2>&1
need_file "$image"

# The guest passes: make succeeds, the runner's exit status is 1.
make --no-print-directory BUILD="$BUILD" run-guest IMAGE="$image" APPEND="mods=0" \
	TIMEOUT="$BOCHS_TIMEOUT" >"$LOG" 2>&1
STATUS=$?
[ "$STATUS" = 0 ] || fail "make run-guest (passing guest) exited with $STATUS, expected 0"
expect_line '^\[guest\] PASS: guest/entry_pvh/modules-count$'
expect_line '^\[guest\] guest entry_pvh: [1-9][0-9]* passed, 0 failed'
expect_line '^run-guest: the guest ended with status 0: exit status 1$'

# The guest fails a check: exit status 3.
fail_log=$TEST_OUT/$TEST_NAME.fail.log
bash tests/runners/run-guest.sh --build "$BUILD" --image "$image" --append "mods=1" \
	--timeout "$BOCHS_TIMEOUT" >"$fail_log" 2>&1
rc=$?
[ "$rc" = 3 ] || fail "run-guest.sh with a failing check exited with $rc, expected 3 (see $fail_log)"
tr -d '\r' <"$fail_log" | grep -a '^\[guest\] FAIL: guest/entry_pvh/modules-count' >/dev/null ||
	fail "no FAIL line for modules-count in $fail_log"

# A guest that never writes a status (it triple-faults, so Tessera stops its
# partition: "result: crashed") gives the even code 4.
crash_log=$TEST_OUT/$TEST_NAME.crash.log
need_file "$BUILD/guests/attack_triple.pvh.elf"
bash tests/runners/run-guest.sh --build "$BUILD" --image "$BUILD/guests/attack_triple.pvh.elf" \
	--timeout "$BOCHS_TIMEOUT" >"$crash_log" 2>&1
rc=$?
[ "$rc" = 4 ] || fail "run-guest.sh with a crashing guest exited with $rc, expected 4 (see $crash_log)"

# Bad arguments: 2, before anything is built.
bash tests/runners/run-guest.sh --build "$BUILD" --image "$BUILD/no-such-image.elf" >>"$RUNNER_OUT" 2>&1
rc=$?
[ "$rc" = 2 ] || fail "run-guest.sh with a missing image exited with $rc, expected 2"
test_end
