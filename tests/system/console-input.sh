#!/usr/bin/env bash
# Console input, end to end: Bochs's COM1 is a socket (bochs.sh --input) and
# the test types "hello-alpha", Ctrl-A three times, "hello-beta", Ctrl-A three
# times (to Tessera), "to-tessera" (which its shell refuses as a command),
# Ctrl-A three times (back to alpha), "again-alpha". Each partition runs
# console_echo, which must read its own lines.
source "$(dirname "$0")/lib/checks.sh"
test_begin console-input
typed=$TEST_OUT/console-input.typed
printf 'hello-alpha\r\001\001\001hello-beta\r\001\001\001to-tessera\r\001\001\001again-alpha\r' >"$typed"
run_config_bochs console-input 3 --input "$typed" \
	--input-after '^\[cpu0\] console: input goes to partition alpha '
expect_guest_results alpha
expect_guest_results beta
expect_line '^\[alpha\] console_echo: got "hello-alpha"$'
expect_line '^\[alpha\] console_echo: got "again-alpha"$'
expect_line '^\[beta\] console_echo: got "hello-beta"$'
# One line at each switch, in this order: alpha (the start), beta, Tessera, alpha.
focus=$(hv_text | sed -nE 's/^\[cpu0\] console: input goes to (partition [a-z]+|Tessera)[ ,].*/\1/p' | tr '\n' ',')
[ "$focus" = "partition alpha,partition beta,Tessera,partition alpha," ] ||
	fail "the focus lines say: ${focus:-nothing}; expected alpha, beta, Tessera, alpha"
expect_no_line '^\[(alpha|beta)\].*to-tessera'
expect_line 'shell: error: unknown command "to-tessera"'
expect_status 0
test_end
