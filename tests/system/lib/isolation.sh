# shellcheck shell=bash
# Helpers for the isolation and crash-policy tests (tests/system/isolation-*.sh,
# crash-restart.sh, stats.sh); sourced after lib/checks.sh, whose
# run_config_bochs, expect_guest_results and expect_* they build on.

# The partition's guest checks before its attack passed (and none failed), it
# announced the attack, and it ran no further: it never ended by itself.
expect_attacker_stopped() {
	local part=$1
	expect_line "^\[$part\] PASS: guest/"
	expect_no_line "^\[$part\] FAIL: "
	expect_line "^\[$part\] guest [a-z_]+: attacking: "
	expect_line "partition $part: result: crashed"
	expect_no_line "partition $part: ended with status"
}

# The first line matching $1 comes before the first line matching $2 (patterns
# as for expect_line: unanchored ones only among Tessera's lines).
expect_before() {
	local a b
	a=$(log_text | grep -a -n -m 1 -E -- "$(whose_line "$1")" | cut -d: -f1)
	b=$(log_text | grep -a -n -m 1 -E -- "$(whose_line "$2")" | cut -d: -f1)
	if [ -z "$a" ] || [ -z "$b" ]; then
		fail "ordering: no line matching /$1/ or /$2/"
	elif [ "$a" -ge "$b" ]; then
		fail "ordering: /$1/ (line $a) should come before /$2/ (line $b)"
	fi
}

# Tessera printed the partition's exit counters: a total and at least one reason.
expect_exit_counters() {
	expect_line "partition $1: exits: total +[1-9][0-9]*$"
	expect_line "partition $1: exits: (CPUID|I/O instruction) +[1-9][0-9]*$"
}

# The neighbour partition $1 finished its own checks undisturbed, after the
# event logged by a line matching $2 (so that they overlapped).
expect_neighbour_finished_after() {
	expect_guest_results "$1"
	expect_line "^\[$1\] guest neighbour: pass 0: 0 bad words"
	expect_before "$2" "partition $1: ended with status 0"
}

# The last line matching $1 comes after the first matching $2 (what $3 names):
# work on both sides of an event, so that the two overlapped.
expect_last_after_first() {
	local first last
	first=$(log_text | grep -a -n -m 1 -E "$2" | cut -d: -f1)
	last=$(log_text | grep -a -n -E "$1" | tail -n 1 | cut -d: -f1)
	if [ -z "$first" ] || [ -z "$last" ] || [ "$first" -ge "$last" ]; then
		fail "$3: the last line /$1/ (line ${last:-none}) does not come after /$2/ (line ${first:-none})"
	fi
}
