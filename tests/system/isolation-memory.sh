#!/usr/bin/env bash
# Isolation (docs/partitions.md): partitions that write guest-physical memory
# outside their RAM are stopped at that access with a line naming partition,
# vCPU, RIP and GPA, while a neighbour fills and checks its own RAM and
# finishes. Two boots of Bochs 3.0 with 4 CPUs:
#   configs/tests/isolation-memory.cfg      just past the end of RAM, plus a
#                                           partition writing the reset ports,
#                                           which reboot it alone (twice);
#   configs/tests/isolation-memory-far.cfg  1 GiB and the IOAPIC page.
# Both runs must end with status 3: a partition crashed.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"

# $1 partition, $2 the GPA it wrote (hex as Tessera prints it).
expect_ept_stop() {
	expect_attacker_stopped "$1"
	expect_line "partition $1: vCPU 0: access outside its memory: GPA $2 \(write[^)]*\) at RIP 0x[0-9a-f]+; stopping it"
	expect_exit_counters "$1"
	expect_line "partition $1: exits: EPT violation +1$"
}

test_begin isolation-memory
run_config_bochs isolation-memory 4
expect_status 3
expect_end
expect_ept_stop attacker 0x1000000
expect_neighbour_finished_after neighbour "partition attacker: vCPU 0: access outside its memory"
# The reset ports reset the partition that writes them, and nothing else:
# two reboots from its image (0xcf9, then 0x64), while the neighbour runs on.
expect_line "partition ports: vCPU 0: reset by OUT 0xe to port 0xcf9 at RIP 0x[0-9a-f]+; rebooting it from its image$"
expect_line "partition ports: vCPU 0: reset by OUT 0xfe to port 0x64 at RIP 0x[0-9a-f]+; rebooting it from its image$"
expect_before "partition ports: restart 1: reloading" "partition ports: vCPU 0: reset by OUT 0xfe"
expect_line "partition ports: restart 2: reloading image"
expect_no_line "partition ports: restart 3"
expect_before "partition ports: vCPU 0: reset by OUT 0xe to port 0xcf9" "partition neighbour: ended with status 0"
expect_no_line "^\[ports\] FAIL: "
expect_line "partition ports: vCPU 0: OUT to port 0xcf9 .*write ignored"
expect_line "partition ports: vCPU 0: OUT to port 0x64 .*write ignored"
expect_line "partition ports: vCPU 0: OUT to port 0x92 .*write ignored"
expect_line "partition ports: result: ended with status 0 \(after restarts\)$"
expect_line "partitions: 2 of 3 ended with status 0"
# Its checks are its third boot's: that boot's own log for them.
full_log=$LOG
LOG=$TEST_OUT/isolation-memory.ports-third-boot.log
tr -d '\r' <"$full_log" | sed -n '/partition ports: restart 2:/,$p' >"$LOG"
expect_guest_results ports "ended with status 0 (after restarts)"
expect_line "^\[ports\] guest attack_ports: restarts = 2$"
LOG=$full_log

# The second boot: same checks, its own log (checks.sh reads LOG and RUNNER_OUT).
# shellcheck disable=SC2034
LOG=$TEST_OUT/isolation-memory-far.log
# shellcheck disable=SC2034
RUNNER_OUT=$TEST_OUT/isolation-memory-far.runner.txt
run_config_bochs isolation-memory-far 4
expect_status 3
expect_end
expect_ept_stop far 0x40000000
expect_ept_stop ioapic-poke 0xfec00000
expect_neighbour_finished_after neighbour "partition far: vCPU 0: access outside its memory"
expect_before "partition ioapic-poke: vCPU 0: access outside its memory" \
	"partition neighbour: ended with status 0"
expect_line "partitions: 1 of 3 ended with status 0"
test_end
