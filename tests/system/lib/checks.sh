# shellcheck shell=bash disable=SC2034 # the variables are for the test scripts
# Helpers for system tests (sourced by tests/system/NAME.sh; not a test itself).
#
# A system test boots something with a runner, then checks the serial log:
#   source "$(dirname "$0")/lib/checks.sh"
#   test_begin qemu-pvh-smp4            # log: out/test/qemu-pvh-smp4.log
#   run_qemu --kernel "$ELF" --smp 4    # or run_bochs --iso "$ISO" ...
#   expect_status 2                     # Tessera's status (drivers/machine_exit.h)
#   expect_line 'vmx: not available: '  # an extended regex, matched per line
#   test_end                            # prints "PASS: system/NAME" or "FAIL: ..."
# Each test prints exactly one verdict line, which tests/run.sh counts; the
# details of a failure follow it on indented lines.

set -uo pipefail

TESSERA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$TESSERA_ROOT" || exit 1
BUILD=${BUILD:-build}
ELF=$BUILD/tessera.elf
ISO=$BUILD/tessera.iso
TEST_OUT=${TEST_OUT:-out/test}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-60}
BOCHS_TIMEOUT=${BOCHS_TIMEOUT:-300}
BOCHS3=${TESSERA_CACHE:-$HOME/.cache/tessera}/bochs-3.0/bin/bochs

test_begin() {
	TEST_NAME=$1
	LOG=$TEST_OUT/$TEST_NAME.log
	RUNNER_OUT=$TEST_OUT/$TEST_NAME.runner.txt
	STATUS=""
	FAILURES=()
	mkdir -p "$TEST_OUT"
	rm -rf "$LOG" "$RUNNER_OUT" "$TEST_OUT/$TEST_NAME.bochs"
}

fail() {
	FAILURES+=("$*")
}

test_skip() {
	echo "SKIP: system/$TEST_NAME: $*"
	exit 0
}

# Ends the test now when a file it boots is missing (FAIL) or left over from an
# earlier build because tests/run.sh's build failed (SKIP: that failure is counted).
need_file() {
	case " ${STALE_FILES:-} " in
	*" $1 "*) test_skip "$1 is stale: the build failed" ;;
	esac
	if [ ! -f "$1" ]; then
		echo "FAIL: system/$TEST_NAME: $1 is missing (did the build fail?)"
		exit 1
	fi
}

run_qemu() {
	bash tests/runners/qemu.sh --log "$LOG" --timeout "$QEMU_TIMEOUT" "$@" >"$RUNNER_OUT" 2>&1
	STATUS=$?
}

run_bochs() {
	bash tests/runners/bochs.sh --log "$LOG" --timeout "$BOCHS_TIMEOUT" "$@" >"$RUNNER_OUT" 2>&1
	STATUS=$?
}

status_meaning() {
	case $1 in
	0) echo "ok" ;;
	1) echo "panic" ;;
	2) echo "no-vmx" ;;
	3) echo "guest-failed" ;;
	124) echo "timeout" ;;
	125) echo "no end line: emulator died, reset or triple fault" ;;
	*) echo "?" ;;
	esac
}

expect_status() {
	[ "$STATUS" = "$1" ] ||
		fail "ended with status $STATUS ($(status_meaning "$STATUS")), expected $1 ($(status_meaning "$1"))"
}

# The serial log without carriage returns, so that $ anchors work.
log_text() {
	tr -d '\r' <"$LOG" 2>/dev/null
}

expect_line() {
	log_text | grep -a -q -E -- "$1" || fail "no line matching /$1/"
}

expect_no_line() {
	local hit
	hit=$(log_text | grep -a -m 1 -E -- "$1")
	[ -z "$hit" ] || fail "unexpected line: $hit"
}

# Tessera printed its final line (whatever the status).
expect_end() {
	expect_line 'tessera: end, status [0-9]+ '
}

# Every CPU 0..N-1 reported in, and the boot CPU counted N of N.
expect_smp() {
	local n=$1 k
	for ((k = 0; k < n; k++)); do
		expect_line "smp: cpu $k online"
	done
	expect_line "smp: $n of $n CPUs online"
}

test_end() {
	if [ ${#FAILURES[@]} -eq 0 ]; then
		echo "PASS: system/$TEST_NAME"
		return 0
	fi
	local more=""
	[ ${#FAILURES[@]} -eq 1 ] || more=" (and $((${#FAILURES[@]} - 1)) more)"
	echo "FAIL: system/$TEST_NAME: ${FAILURES[0]}$more"
	local f
	for f in "${FAILURES[@]}"; do
		echo "    - $f"
	done
	echo "    serial log: $LOG"
	if [ -s "$RUNNER_OUT" ]; then
		echo "    runner said ($RUNNER_OUT):"
		head -n 12 "$RUNNER_OUT" | tr -d '\r' | sed 's/^/      /'
	fi
	return 1
}
