#!/usr/bin/env bash
# A unit test is rebuilt when a header it may include changes: for each pair,
# `make -q -W HEADER TEST` (HEADER taken as new) must report TEST out of date.
# No boot: a check of the build rules. Needs the unit tests built (tests/run.sh
# builds them first).
source "$(dirname "$0")/lib/checks.sh"
test_begin unit-deps
pairs=(
	"tools/cfgc/cfgc.h test_config"
	"tests/unit/check.h test_format"
	"tests/unit/image_builder.h test_elf"
	"tests/guests/lib/format.h test_guest_format"
	"hv/policy/msr_policy.h test_msr_policy"
	"guest-abi/tessera.h test_hypercall_check"
)
for pair in "${pairs[@]}"; do
	read -r hdr test <<<"$pair"
	bin=$BUILD/unit/$test
	[ -f "$hdr" ] || { fail "$hdr is gone: update this test's list"; continue; }
	[ -x "$bin" ] || { fail "$bin was not built"; continue; }
	make --no-print-directory -q BUILD="$BUILD" "$bin" >/dev/null 2>&1 ||
		{ fail "$bin is out of date before any change (build it first)"; continue; }
	if make --no-print-directory -q -W "$hdr" BUILD="$BUILD" "$bin" >/dev/null 2>&1; then
		fail "$bin does not depend on $hdr: a change there would leave the test stale"
	fi
done
test_end
