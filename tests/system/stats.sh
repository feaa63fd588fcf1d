#!/usr/bin/env bash
# Exit counters: the stats guest checks TESSERA_HC_EXIT_STATS (exact counts
# for CPUID, I/O, RDMSR, VMCALL; bad arguments) and asks Tessera to print them
# (TESSERA_HC_PRINT_STATS), whose CPUID line must match the guest's own count;
# Tessera prints the counters again when the partition ends.
# Bochs 3.0, 4 CPUs, configs/tests/stats.cfg.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"

test_begin stats
run_config_bochs stats 4
expect_status 0
expect_end
expect_guest_results counted
cpuid=$(log_text | sed -n -E 's/^\[counted\] guest stats: cpuid exits so far: ([0-9]+)$/\1/p' | head -n 1)
if [ -n "$cpuid" ]; then
	# Printed twice: on demand (this count) and at the end (one CPUID more at most: none).
	n=$(hv_text | grep -a -c -E "partition counted: exits: CPUID +$cpuid$")
	[ "$n" -ge 1 ] || fail "Tessera's CPUID counter line does not show the guest's $cpuid"
else
	fail "the guest did not print its CPUID count"
fi
n=$(hv_text | grep -a -c -E "partition counted: exits: total +[0-9]+$")
[ "$n" -ge 2 ] || fail "exit counters printed $n time(s), want 2 (on demand and at the end)"
expect_before "^\[counted\] guest stats: cpuid exits so far" "partition counted: exits: total"
# The end's counters follow the result line.
hv_text | awk '/partition counted: result: ended with status 0/ { r = 1 }
	r && /partition counted: exits: total/ { ok = 1 } END { exit !ok }' ||
	fail "no exit counters after the partition's result line"
test_end
