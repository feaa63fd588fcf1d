#!/usr/bin/env bash
# Console isolation: partition flood writes megabytes without a newline through
# its vUART and the console-write hypercall; partition neighbour times every
# OUT of its own console lines (RDTSC: instruction counts with quantum=1).
# The neighbour's figures must equal, within a small margin, those of a run in
# which flood makes the same exits but prints nothing (console-quiet.cfg), and every one
# of its lines must arrive whole; flood's long lines come cut and marked
# ("[flood]+ "), its dropped bytes are reported, and what it got out adds up.
source "$(dirname "$0")/lib/checks.sh"
test_begin console-flood

# The neighbour's "out-thr min A max B avg C, line max D" from log $1.
figures() {
	tr -d '\r' <"$1" | sed -nE 's/^\[neighbour\] console_neighbour: out-thr min ([0-9]+) max ([0-9]+) avg ([0-9]+), line max ([0-9]+) .*/\1 \2 \3 \4/p' | tail -n 1
}

quiet_log=$TEST_OUT/console-flood.quiet.log
LOG=$quiet_log RUNNER_OUT=$TEST_OUT/console-flood.quiet.runner.txt
run_config_bochs console-quiet 3 --quantum 1
[ "$STATUS" = 0 ] || fail "the run without a flood ended with status $STATUS, expected 0"
quiet=$(figures "$quiet_log")

LOG=$TEST_OUT/console-flood.log RUNNER_OUT=$TEST_OUT/console-flood.runner.txt
run_config_bochs console-flood 3 --quantum 1
expect_guest_results flood
expect_guest_results neighbour
expect_status 0
flood=$(figures "$LOG")
echo "    neighbour's OUT round trips (min max avg, line max): without flood: ${quiet:-?}; with: ${flood:-?}"
if [ -z "$quiet" ] || [ -z "$flood" ]; then
	fail "no figures line from the neighbour (without flood: '${quiet}', with: '${flood}')"
else
	read -r q_min q_max q_avg q_line <<<"$quiet"
	read -r f_min f_max f_avg f_line <<<"$flood"
	# A small margin: 3% plus a few instructions (Bochs advances the clock by the
	# average over its CPUs, so what the others run shifts the figures a little).
	for pair in "min $q_min $f_min" "max $q_max $f_max" "avg $q_avg $f_avg" "line-max $q_line $f_line"; do
		read -r what q f <<<"$pair"
		[ "$f" -le $((q + q * 3 / 100 + 8)) ] ||
			fail "neighbour's $what OUT cost $f instructions with the flood, $q without"
	done
fi

# Every neighbour line, whole and in order.
got=$(log_text | grep -a -c -E '^\[neighbour\] console_neighbour: line [0-9]{2} of 24: the quick brown fox jumps over the lazy dog$')
[ "$got" = 24 ] || fail "neighbour: $got of 24 lines arrived whole"
expect_no_line '^\[neighbour\]\+ '
expect_line '^\[cpu0\] partition neighbour: console: [0-9]+ lines \([0-9]+ bytes\) out, 0 bytes dropped$'

# The flood: cut and marked, drops reported while it goes on and at the end.
expect_line '^\[flood\]\+ [a-z]{160}$'
expect_line '^\[flood\]\+ [A-Z]{160}$'
expect_line '^\[cpu0\] console: partition flood: output ring full: [0-9]+ bytes dropped so far$'
report=$(log_text | sed -nE 's/^\[cpu0\] partition flood: console: ([0-9]+) lines \(([0-9]+) bytes\) out, ([0-9]+) bytes dropped$/\1 \2 \3/p')
if [ -z "$report" ]; then
	fail "no console report line for partition flood"
else
	read -r lines bytes dropped <<<"$report"
	echo "    flood: $lines lines ($bytes bytes) out, $dropped bytes dropped"
	[ "$dropped" -gt 0 ] || fail "flood: nothing dropped"
	# What the ring took is what the log holds: nothing lost after it was accepted.
	seen=$(log_text | awk '/^\[flood\]\+? / { n++; b += length($0) - index($0, " ") } END { print n + 0, b + 0 }')
	[ "$seen" = "$lines $bytes" ] ||
		fail "flood: the report says $lines lines, $bytes bytes, the log holds $seen"
	# Everything it wrote (5 MiB of flood plus its own lines) is out or dropped.
	[ $((bytes + dropped)) -ge $((5 << 20)) ] ||
		fail "flood: $bytes out + $dropped dropped is less than the 5 MiB written"
fi
test_end
