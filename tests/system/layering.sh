#!/usr/bin/env bash
# The include arrows between the layers run one way (tests/tools/check-layering.sh,
# docs/architecture.md). No boot: a check of the source tree.
source "$(dirname "$0")/lib/checks.sh"
test_begin layering
if ! out=$(bash tests/tools/check-layering.sh . 2>&1); then
	while IFS= read -r l; do fail "$l"; done <<<"$out"
fi
test_end
