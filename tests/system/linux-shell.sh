#!/usr/bin/env bash
# `make run-linux`'s own config (configs/linux.cfg, Bochs 3.0): Debian 12's
# kernel on 2 vCPUs ends /init in a shell on the console (tessera.shell). The
# script (tests/system/data/linux-shell.script) types a command there as a
# person would, reads its output, and types poweroff, which must end the
# partition with status 0; the timer guest beside it must finish untouched.
source "$(dirname "$0")/lib/checks.sh"
test_begin linux-shell
prepare_linux_guest
export SCRIPT_STEP_S=${SCRIPT_STEP_S:-${LINUX_TIMEOUT:-300}}
run_config_bochs configs/linux 4 --timeout "${LINUX_TIMEOUT:-300}" --quiet-info \
	--script tests/system/data/linux-shell.script
expect_guest_results neighbour
# The typed command's output (the echo of the line itself holds no "42").
log_text | grep -a -E '^\[linux\] tessera-shell-42 0-1' >/dev/null ||
	fail "linux: the shell did not run the typed command"
expect_line "partition linux: vCPU 0: ACPI power-off \(S5\)"
expect_line "partition linux: result: ended with status 0"
expect_status 0
test_end
