#!/usr/bin/env bash
# Tessera's test suite: what `make test` runs (after `make deps`).
#
#   tests/run.sh [--no-build] [GLOB...]
#
# Builds (make, make unit, make fuzz, make iso), then runs, in this order:
#   format       `make format-check`;
#   unit         every host unit test build/unit/test_* (ASan + UBSan);
#   fuzz         every libFuzzer harness build/fuzz/fuzz_* for FUZZ_SMOKE_SECONDS
#                (default 3) on its corpus, two at a time (tests/fuzz/run.sh);
#   system       every tests/system/NAME.sh (boots Tessera in QEMU or Bochs and
#                checks its serial log), two at a time, output kept in order.
# With GLOBs, only the system tests whose names match run (no format/unit/fuzz).
# Every part prints lines "PASS: name", "FAIL: name: why" or "SKIP: name: why";
# they are echoed and counted, and the last line is "N passed, N failed"
# (", N skipped" when any). Exit status 1 when anything failed.
# Logs: out/test/NAME.log (serial), NAME.out (the test's own output).
# Environment: BUILD (build dir, default build), TEST_OUT (logs, default
# out/test), TEST_JOBS (parallel system tests, default 2), QEMU_TIMEOUT and
# BOCHS_TIMEOUT (seconds per boot), FUZZ_SMOKE_SECONDS (per harness, default 3).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
export BUILD=${BUILD:-build}
export TEST_OUT=${TEST_OUT:-out/test}
JOBS=${TEST_JOBS:-2}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || JOBS=2

build=1
globs=()
for arg in "$@"; do
	case $arg in
	--no-build) build=0 ;;
	-*) echo "usage: $0 [--no-build] [GLOB...]" >&2; exit 2 ;;
	*) globs+=("$arg") ;;
	esac
done

passed=0 failed=0 skipped=0

# Echoes a part's output and counts its verdict lines.
count_lines() {
	local line
	while IFS= read -r line; do
		echo "$line"
		case $line in
		PASS:*) passed=$((passed + 1)) ;;
		FAIL:*) failed=$((failed + 1)) ;;
		SKIP:*) skipped=$((skipped + 1)) ;;
		esac
	done
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

seconds() { # milliseconds -> "1.2"
	printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100))
}

# Only what an earlier run left is removed: TEST_OUT may be any directory.
mkdir -p "$TEST_OUT"
find "$TEST_OUT" -mindepth 1 -maxdepth 1 \( -name '*.log' -o -name '*.out' -o -name '*.txt' \
	-o -name '*.bochs' -o -name .run \) -exec rm -rf {} +
mkdir -p "$TEST_OUT/.run"
suite_start=$(now_ms)

# ---- Build -------------------------------------------------------------------
if [ $build = 1 ]; then
	echo "== build ($BUILD)"
	built_all=0
	for target in all unit fuzz iso; do
		# The ISO needs the hypervisor: its failure was reported already.
		[ $target != iso ] || [ $built_all = 1 ] || continue
		t0=$(now_ms)
		# -k: one unit test that does not compile must not hide the others.
		# The fuzz harnesses (clang, two at a time) are the slowest part.
		jobs=1
		[ $target != fuzz ] || jobs=2
		if make --no-print-directory -k -j$jobs BUILD="$BUILD" FUZZ_SECONDS= FUZZ_RUNS= $target \
			>"$TEST_OUT/build-$target.txt" 2>&1; then
			count_lines <<<"PASS: build/$target ($(seconds $(($(now_ms) - t0))) s)"
			[ $target != all ] || built_all=1
		else
			count_lines <<<"FAIL: build/$target: make $target failed; see $TEST_OUT/build-$target.txt"
			# Whatever an earlier build left there is stale: system tests skip it.
			[ $target = unit ] || [ $target = fuzz ] ||
				export STALE_FILES="${STALE_FILES:-} $BUILD/tessera.iso"
			[ $target != all ] || export STALE_FILES="$STALE_FILES $BUILD/tessera.elf"
			grep -a -E 'error|Error|undefined' "$TEST_OUT/build-$target.txt" | head -n 15 | sed 's/^/    /'
		fi
	done
fi

# ---- Format --------------------------------------------------------------------
if [ ${#globs[@]} -eq 0 ]; then
	echo "== format"
	if make --no-print-directory format-check </dev/null >"$TEST_OUT/format-check.txt" 2>&1; then
		count_lines <<<"PASS: format-check"
	else
		files=$(grep -o '^[^: ]*\.[ch]:' "$TEST_OUT/format-check.txt" | sort -u | tr -d ':' | tr '\n' ' ')
		count_lines <<<"FAIL: format-check: not clang-formatted: ${files:-see $TEST_OUT/format-check.txt} (make format)"
	fi
fi

# ---- Host unit tests -------------------------------------------------------------
if [ ${#globs[@]} -eq 0 ]; then
	echo "== unit"
	for src in tests/unit/test_*.c; do
		[ -e "$src" ] || continue
		name=$(basename "$src" .c)
		bin=$BUILD/unit/$name
		out=$TEST_OUT/unit-$name.txt
		if [ ! -x "$bin" ]; then
			count_lines <<<"FAIL: unit/${name#test_}: $bin was not built (see $TEST_OUT/build-unit.txt)"
			continue
		fi
		timeout 120 "$bin" >"$out" 2>&1
		rc=$?
		count_lines < <(grep -a -E '^(PASS|FAIL|SKIP):' "$out")
		if [ $rc -ne 0 ] && ! grep -a -q '^FAIL:' "$out"; then
			count_lines <<<"FAIL: unit/${name#test_}: exited with status $rc without a FAIL line (crash, sanitizer or timeout); see $out"
			grep -a -v -E '^(PASS|FAIL|SKIP):' "$out" | head -n 15 | sed 's/^/    /'
		elif ! grep -a -q -E '^(PASS|FAIL):' "$out"; then
			count_lines <<<"FAIL: unit/${name#test_}: ran no test cases"
		fi
	done
fi

# ---- Fuzz smoke -------------------------------------------------------------------
# A few seconds each: replays the corpus (seeds and reproducers of fixed bugs)
# and looks a little further. A crash or a broken contract fails its line.
if [ ${#globs[@]} -eq 0 ]; then
	echo "== fuzz"
	count_lines < <(bash tests/fuzz/run.sh --seconds "${FUZZ_SMOKE_SECONDS:-3}" --jobs 2)
fi

# ---- System tests ------------------------------------------------------------------
selected() {
	[ ${#globs[@]} -eq 0 ] && return 0
	local g
	for g in "${globs[@]}"; do
		# shellcheck disable=SC2053 # a glob on purpose
		[[ $1 == $g ]] && return 0
	done
	return 1
}

names=()
pids=()
start_test() {
	local name=$1
	(
		t0=$(now_ms)
		bash "tests/system/$name.sh" >"$TEST_OUT/$name.out" 2>&1
		echo $? >"$TEST_OUT/.run/$name.rc"
		echo $(($(now_ms) - t0)) >"$TEST_OUT/.run/$name.ms"
	) &
	pids+=($!)
	names+=("$name")
}

finish_test() {
	local i=$1 name=${names[$1]} rc ms
	wait "${pids[$i]}"
	rc=$(cat "$TEST_OUT/.run/$name.rc" 2>/dev/null || echo 255)
	ms=$(cat "$TEST_OUT/.run/$name.ms" 2>/dev/null || echo 0)
	echo "-- $name ($(seconds "$ms") s)"
	count_lines <"$TEST_OUT/$name.out"
	if ! grep -a -q -E '^(PASS|FAIL|SKIP):' "$TEST_OUT/$name.out"; then
		count_lines <<<"FAIL: system/$name: the script printed no verdict (exit status $rc); see $TEST_OUT/$name.out"
	elif [ "$rc" != 0 ] && ! grep -a -q '^FAIL:' "$TEST_OUT/$name.out"; then
		count_lines <<<"FAIL: system/$name: the script exited with status $rc; see $TEST_OUT/$name.out"
	fi
}

echo "== system"
next=0
for script in tests/system/*.sh; do
	[ -e "$script" ] || continue
	name=$(basename "$script" .sh)
	selected "$name" || continue
	start_test "$name"
	while [ $((${#pids[@]} - next)) -ge "$JOBS" ]; do
		finish_test $next
		next=$((next + 1))
	done
done
while [ $next -lt ${#pids[@]} ]; do
	finish_test $next
	next=$((next + 1))
done
[ ${#names[@]} -gt 0 ] || [ ${#globs[@]} -eq 0 ] ||
	count_lines <<<"FAIL: system: no test matches ${globs[*]}"

echo "== total time $(seconds $(($(now_ms) - suite_start))) s"
summary="$passed passed, $failed failed"
[ $skipped -eq 0 ] || summary+=", $skipped skipped"
echo "$summary"
[ $failed -eq 0 ]
