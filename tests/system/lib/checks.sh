# shellcheck shell=bash disable=SC2034 # the variables are for the test scripts
# Helpers for system tests (sourced by tests/system/NAME.sh; not a test itself).
#
# A system test boots something with a runner, then checks the serial log:
#   source "$(dirname "$0")/lib/checks.sh"
#   test_begin qemu-pvh-smp4            # log: out/test/qemu-pvh-smp4.log
#   run_qemu --kernel "$ELF" --smp 4    # or run_bochs --iso "$ISO" ...
#   expect_status 2                     # Tessera's status (drivers/machine_exit.h)
#   expect_line 'vmx: not available: '  # an extended regex, matched per line of
#                                       # Tessera's own ("[cpuN] ..."; see whose_line)
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
	rm -rf "$LOG" "$RUNNER_OUT" "$TEST_OUT/$TEST_NAME.bochs" "$TEST_OUT/$TEST_NAME.not-found"
}

# A check whose helper does not exist (a missing `source`) must fail the test,
# not vanish: bash runs this for a command it cannot find, in a subshell, so
# the name goes to a file that test_end reads.
command_not_found_handle() {
	echo "$1" >>"$TEST_OUT/$TEST_NAME.not-found"
	echo "$0: $1: command not found" >&2
	return 127
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

# Tessera's own lines: those that begin "[cpuN] ". A guest's lines always begin
# "[NAME] " and no partition may be called cpuN (tools/cfgc/check.c), so nothing a
# guest prints is among them.
HV_LINE='^\[cpu[0-9]+\] '
hv_text() {
	log_text | grep -a -E -- "$HV_LINE"
}

# The pattern the checks below use: one that begins with ^ as it is (it says
# itself whose line it wants: '^\[alpha\] ...' or '^\[cpu0\] ...'), any other
# one only within Tessera's own lines, so that no guest line can satisfy it.
whose_line() {
	if [[ $1 == ^* ]]; then
		printf '%s' "$1"
	else
		printf '%s' "$HV_LINE.*($1)"
	fi
}

# grep reads to the end (no -q): stopping early would kill log_text by SIGPIPE
# and, with pipefail, turn a match into a failure.
expect_line() {
	log_text | grep -a -E -- "$(whose_line "$1")" >/dev/null || fail "no line matching /$1/"
}

# No line at all matching $1 (guest lines included: the stricter reading).
expect_no_line() {
	local hit
	hit=$(log_text | grep -a -m 1 -E -- "$1")
	[ -z "$hit" ] || fail "unexpected line: $hit"
}

# Tessera printed its final line (whatever the status).
expect_end() {
	expect_line "${HV_LINE}tessera: end, status [0-9]+ "
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
	[ -s "$TEST_OUT/$TEST_NAME.not-found" ] &&
		fail "the test script ran commands that do not exist: $(sort -u "$TEST_OUT/$TEST_NAME.not-found" | tr '\n' ' ')"
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

# ---- Tests that boot a partition config -------------------------------------
# A test machine is configs/tests/NAME.cfg plus its sidecar NAME.modules
# (docs/test-guests.md):
#   test_begin guests-cpu
#   run_config_bochs guests-cpu 5      # CPUs; more arguments go to bochs.sh
#   expect_guest_results cpuid         # one PASS/FAIL line per guest check
#   expect_status 0
#   test_end

# The Linux guest (`make linux-guest`: downloads into the cache once, then
# builds the initramfs); a failure ends the test with FAIL and the output.
prepare_linux_guest() {
	local out
	if ! out=$(bash tools/linux/prepare.sh "$BUILD" 2>&1); then
		echo "FAIL: system/$TEST_NAME: make linux-guest failed"
		echo "$out" | sed 's/^/    /'
		exit 1
	fi
}

# Builds Tessera for configs/tests/NAME.cfg (or configs/NAME.cfg; a NAME
# written configs/NAME takes that one, as `make run-NAME` does) in
# $BUILD/configs/NAME (tests/runners/build-config.sh; the main build keeps its
# config), makes its ISO with the modules of NAME.modules and boots it in
# Bochs 3.0 (tigerlake) with CPUS CPUs and the memory of the config's
# [machine] (`--bochs 2.7` among the extra arguments picks Debian's Bochs 2.7);
# the serial log is $LOG as for run_bochs, the ISO $CONFIG_ISO. A failed build ends the
# test with FAIL (SKIP when tests/run.sh's own build failed: counted there).
run_config_bochs() {
	local name=$1 cpus=$2 config dir machine
	shift 2
	config=configs/tests/$name.cfg
	case $name in configs/*) config=$name.cfg name=${name#configs/} ;; esac
	[ -f "$config" ] || config=configs/$name.cfg
	if [ ! -f "$config" ]; then
		echo "FAIL: system/$TEST_NAME: no config configs/tests/$name.cfg or configs/$name.cfg"
		exit 1
	fi
	case " ${STALE_FILES:-} " in
	*" $BUILD/tessera.elf "*) test_skip "the build failed, so $config cannot be built" ;;
	esac
	case " $* " in
	*" --bochs 2.7 "*) [ -x /usr/bin/bochs ] || test_skip "no Debian Bochs 2.7 at /usr/bin/bochs (make deps)" ;;
	*) [ -x "$BOCHS3" ] || test_skip "no Bochs 3.0 at $BOCHS3 (make deps builds it)" ;;
	esac
	dir=$BUILD/configs/$name
	CONFIG_ISO=$dir/tessera.iso
	if ! bash tests/runners/build-config.sh "$BUILD" "$config" "$dir" iso \
		>"$TEST_OUT/$TEST_NAME.build.txt" 2>&1; then
		echo "FAIL: system/$TEST_NAME: building $config failed"
		sed 's/^/    /' "$TEST_OUT/$TEST_NAME.build.txt"
		exit 1
	fi
	if ! machine=$(bash tests/runners/config-machine.sh "$config" 2>&1); then
		echo "FAIL: system/$TEST_NAME: $machine"
		exit 1
	fi
	run_bochs --iso "$CONFIG_ISO" --bochs 3 --model tigerlake --cpus "$cpus" \
		--megs "${machine#* }" "$@"
}

# Turns partition PART's guest lines "[PART] PASS: guest/NAME/CHECK" (and FAIL,
# SKIP) into this test's own lines "PASS: system/TEST/PART/NAME/CHECK", one per
# guest check, so that tests/run.sh counts them. The test itself fails when the
# partition printed no checks, no summary "guest NAME: N passed, M failed" or one
# that disagrees with the lines seen (lines lost), or did not end with status 0
# (with $2, its result line must say that instead: "ended with status 0 (after restarts)").
expect_guest_results() {
	local part=$1 lines summary result n_pass n_fail
	# Plain string prefixes, not regexes: a partition name may hold '-'.
	lines=$(log_text | awk -v p="[$part] " '
		index($0, p) == 1 {
			rest = substr($0, length(p) + 1)
			if (rest ~ /^(PASS|FAIL|SKIP): guest\//) print rest
		}')
	if [ -n "$lines" ]; then
		sed -E "s#^(PASS|FAIL|SKIP): guest/#\\1: system/$TEST_NAME/$part/#" <<<"$lines"
	else
		fail "partition $part: no guest check lines"
	fi
	summary=$(log_text | awk -v p="[$part] " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' |
		grep -a -E '^guest [A-Za-z0-9_]+: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$summary" ]; then
		fail "partition $part: no summary line \"guest NAME: N passed, M failed\""
	else
		n_pass=$(grep -c '^PASS:' <<<"$lines")
		n_fail=$(grep -c '^FAIL:' <<<"$lines")
		[[ $summary == *": $n_pass passed, $n_fail failed"* ]] ||
			fail "partition $part: the summary says \"$summary\" but the log holds $n_pass PASS and $n_fail FAIL lines"
	fi
	local want=${2:-ended with status 0}
	result=$(hv_text | grep -a -o "partition $part: result: .*" | tail -n 1)
	[ "$result" = "partition $part: result: $want" ] ||
		fail "partition $part: ${result:-no result line}, expected \"$want\""
}

# ---- A test guest alone under QEMU TCG (no Tessera) ------------------------------
# The reference run of a guest whose checks also hold on other x86 machines:
#   run_guest_qemu apic "x2apic" [CPUS] # $BUILD/guests/apic.pvh.elf, command line, CPUs (1)
#   expect_guest_results_plain apic     # its checks as this test's lines; status 0
run_guest_qemu() {
	local image=$BUILD/guests/$1.pvh.elf
	need_file "$image"
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -smp "${3:-1}" -m 64 -display none -no-reboot \
		-serial "file:$LOG" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-kernel "$image" -append "${2:-}" >"$RUNNER_OUT" 2>&1
	STATUS=$?
}

# Like expect_guest_results, for a guest's own lines (no partition prefix); the
# guest must end by its debug-exit with status 0 (QEMU's exit code 1).
expect_guest_results_plain() {
	local lines summary n_pass n_fail
	lines=$(log_text | grep -a -E "^(PASS|FAIL|SKIP): guest/$1/")
	if [ -n "$lines" ]; then
		sed -E "s#^(PASS|FAIL|SKIP): guest/#\\1: system/$TEST_NAME/#" <<<"$lines"
	else
		fail "guest $1: no check lines"
	fi
	summary=$(log_text | grep -a -E "^guest $1: [0-9]+ passed, [0-9]+ failed" | tail -n 1)
	n_pass=$(grep -c '^PASS:' <<<"$lines")
	n_fail=$(grep -c '^FAIL:' <<<"$lines")
	[[ $summary == *": $n_pass passed, $n_fail failed"* ]] ||
		fail "guest $1: summary \"${summary:-none}\" disagrees with $n_pass PASS and $n_fail FAIL lines"
	[ "$STATUS" = 1 ] || fail "guest $1: QEMU exit status $STATUS, expected 1 (the guest wrote 0 to port 0xf4)"
}
