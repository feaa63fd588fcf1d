#!/usr/bin/env bash
# Runs the libFuzzer harnesses that `make fuzz` built, each on a scratch copy of
# its corpus, so that a run never writes to the tree:
#
#   tests/fuzz/run.sh (--seconds N | --runs N) [--jobs J] [NAME...]
#
# NAME: harnesses to run (default: every tests/fuzz/fuzz_NAME.c). Each runs for
# N seconds or N executions on $BUILD/fuzz/run/NAME/corpus, a fresh copy of
# tests/fuzz/corpus/NAME/ (plus configs/ for the config harness); libFuzzer
# first replays every input there, reproducers of fixed bugs included. Prints
# one line per harness, as tests/run.sh counts them:
#   PASS: fuzz/NAME (E executions in S s, coverage C)
#   FAIL: fuzz/NAME: what; see LOG
# with the crashing input kept as $BUILD/fuzz/run/NAME/crash-*. Exit status 1
# when any failed. Environment: BUILD (default build). J harnesses run at a
# time (default 1), their lines printed in order.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
usage() {
	echo "usage: $0 (--seconds N | --runs N) [--jobs J] [NAME...]" >&2
	exit 2
}

limit=() jobs=1 names=()
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; limit=(-max_total_time="$2"); shift ;;
	--runs) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; limit=(-runs="$2"); shift ;;
	--jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage; jobs=$2; shift ;;
	-*) usage ;;
	*) names+=("$1") ;;
	esac
	shift
done
[ ${#limit[@]} -gt 0 ] || usage
if [ ${#names[@]} -eq 0 ]; then
	for src in tests/fuzz/fuzz_*.c; do
		names+=("$(basename "$src" .c | sed 's/^fuzz_//')")
	done
fi

# Runs one harness; its verdict line goes to $dir/verdict.
run_one() {
	local name=$1 bin=$BUILD/fuzz/fuzz_$1 dir=$BUILD/fuzz/run/$1 rc t0 t1
	rm -rf "$dir"
	mkdir -p "$dir/corpus"
	if [ ! -x "$bin" ]; then
		echo "FAIL: fuzz/$name: $bin was not built (make fuzz)" >"$dir/verdict"
		return
	fi
	cp tests/fuzz/corpus/"$name"/* "$dir/corpus/" 2>/dev/null
	[ "$name" != config ] || cp configs/*.cfg configs/*/*.cfg "$dir/corpus/" 2>/dev/null
	t0=$(date +%s%N)
	"$bin" "${limit[@]}" -print_final_stats=1 -artifact_prefix="$dir/" \
		"$dir/corpus" >"$dir/log" 2>&1
	rc=$?
	t1=$(date +%s%N)
	local execs cov secs
	execs=$(grep -a -o 'stat::number_of_executed_units: [0-9]*' "$dir/log" | grep -o '[0-9]*$')
	cov=$(grep -a -o 'cov: [0-9]*' "$dir/log" | tail -n 1 | grep -o '[0-9]*$')
	secs=$(((t1 - t0) / 1000000000))
	if [ $rc -eq 0 ] && [ -n "$execs" ]; then
		echo "PASS: fuzz/$name (${execs} executions in ${secs} s, coverage ${cov:-?})" >"$dir/verdict"
	else
		local what crash
		crash=$(ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* 2>/dev/null | head -n 1)
		what=$(grep -a -m 1 -E 'ERROR: |fuzz: contract broken|runtime error' "$dir/log" |
			sed 's/^==[0-9]*==//')
		echo "FAIL: fuzz/$name: ${what:-exit status $rc}${crash:+ (input $crash)}; see $dir/log" \
			>"$dir/verdict"
	fi
}

failed=0
pids=() started=()
finish() { # waits for the oldest running harness and prints its verdict
	wait "${pids[0]}"
	cat "$BUILD/fuzz/run/${started[0]}/verdict"
	grep -q '^FAIL:' "$BUILD/fuzz/run/${started[0]}/verdict" && failed=1
	pids=("${pids[@]:1}") started=("${started[@]:1}")
}
for name in "${names[@]}"; do
	run_one "$name" &
	pids+=($!) started+=("$name")
	[ ${#pids[@]} -lt "$jobs" ] || finish
done
while [ ${#pids[@]} -gt 0 ]; do
	finish
done
exit $failed
