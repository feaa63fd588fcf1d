#!/usr/bin/env bash
# Linux power control (docs/linux.md), Debian 12's kernel in Bochs 3.0:
#   configs/tests/linux-power.cfg   /init reboots (tessera.reboot): with
#       on_crash = stop the partition still restarts from its image and the
#       second boot reaches /init; its reboot then finds restart_limit = 1
#       spent and the partition is stopped ("rebooted too often");
#   configs/tests/linux-panic.cfg   /init panics the kernel (sysrq c): the
#       pvpanic driver reports it, and on_crash = stop stops the partition as
#       a crash, not a reboot.
source "$(dirname "$0")/lib/checks.sh"
test_begin linux-power
prepare_linux_guest
g() { log_text | grep -a "^\[linux\] " | sed "s/^\[linux\] //"; }
count() { g | grep -a -c -E -- "$1"; }

run_config_bochs linux-power 2 --timeout "${LINUX_TIMEOUT:-300}" --quiet-info
expect_status 3
expect_end
[ "$(count 'tessera-linux: init reached')" = 2 ] || fail "/init reached $(count 'tessera-linux: init reached') times, want 2 (a boot, a reboot)"
[ "$(count 'tessera-linux: pvpanic QEMU0001')" = 2 ] || fail "the pvpanic driver did not bind to QEMU0001 on both boots"
expect_line "partition linux: vCPU 0: reset by OUT 0x[0-9a-f]+ to port 0x(cf9|64) at RIP 0x[0-9a-f]+; rebooting it from its image$"
expect_line "partition linux: restart 1: reloading image"
expect_no_line "partition linux: restart 2"
expect_line "partition linux: vCPU 0: reset by .*; not rebooting it$"
expect_line "partition linux: restarted 1 times in [0-9]+\.[0-9]{3} s: giving up, stopped$"
expect_line "partition linux: result: rebooted too often$"
expect_no_line "partition linux: vCPU 0: .*(triple fault|crash)"

# The second machine: its own log (checks.sh reads LOG and RUNNER_OUT).
# shellcheck disable=SC2034
LOG=$TEST_OUT/linux-panic.log
# shellcheck disable=SC2034
RUNNER_OUT=$TEST_OUT/linux-panic.runner.txt
run_config_bochs linux-panic 2 --timeout "${LINUX_TIMEOUT:-300}" --quiet-info
expect_status 3
expect_end
[ "$(count 'tessera-linux: pvpanic QEMU0001')" = 1 ] || fail "the pvpanic driver did not bind to QEMU0001"
[ "$(count 'tessera-linux: panicking')" = 1 ] || fail "/init did not panic the kernel"
[ "$(count 'Kernel panic - not syncing')" = 1 ] || fail "no kernel panic in the log"
expect_line "partition linux: vCPU 0: the guest panicked \(pvpanic: OUT 0x1 to port 0x505\) at RIP 0x[0-9a-f]+; stopping it$"
expect_line "partition linux: result: crashed$"
expect_no_line "partition linux: restart 1"
expect_no_line "partition linux: vCPU 0: reset by"
test_end
