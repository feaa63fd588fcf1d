#!/usr/bin/env bash
# Shared memory with doorbells (docs/shmem.md): configs/tests/shmem.cfg in Bochs
# 3.0, 4 CPUs, quantum=1 (the TSCs the guests read are instruction counts).
# The producer and the consumer pass messages both ways through the region and
# ring each other (hypercall, doorbell-page write, doorbell-page read with
# notify_on_read, a coalescing burst): every guest check is a line; the read-only
# watcher's write is stopped by Tessera (the line checked), and its restarted
# boot finds the region unchanged. Then cfgc must reject the broken configs of
# tests/system/data/shmem-bad-*.cfg, each with the message its first line names.
# The figures (exits and instructions per message, wake-up latency) are printed.
source "$(dirname "$0")/lib/checks.sh"
test_begin shmem

# Build time first: cheap, and needs no emulator.
CFGC=$BUILD/tools/cfgc
need_file "$CFGC"
for bad in tests/system/data/shmem-bad-*.cfg; do
	want=$(sed -n '1s/^# expect: //p' "$bad")
	got=$("$CFGC" "$bad" "$TEST_OUT/shmem-bad.c" 2>&1)
	rc=$?
	name=$(basename "$bad" .cfg)
	if [ $rc -ne 1 ] || [[ $got != *"$want"* ]]; then
		echo "FAIL: system/shmem/cfgc/$name: exit $rc, wanted 1 and \"$want\", got: $got"
		fail "cfgc accepted $bad or said something else"
	else
		echo "PASS: system/shmem/cfgc/$name"
	fi
done

run_config_bochs shmem 4 --quantum 1
expect_line "shmem ring: 64 KiB at host 0x[0-9a-f]+, 3 peers, notify on read"
expect_guest_results producer
expect_guest_results consumer
# The read-only peer: stopped at its write, which never reached the region.
expect_line "partition watcher: vCPU 0: write to shared memory ring at GPA 0xc0000014 \(offset 0x14\): this partition may only read it"
expect_no_line "^\[watcher\] watcher: the write went through"
expect_line "partition watcher: restart 1: reloading image"
expect_line "partition watcher: result: ended with status 0 \(after restarts\)$"
watcher=$(log_text | sed -n '/partition watcher: restart 1/,$p' | awk 'index($0, "[watcher] ") == 1 { print substr($0, 11) }')
if [ -n "$(grep -E '^PASS: guest/' <<<"$watcher")" ]; then
	grep -E '^(PASS|FAIL|SKIP): guest/' <<<"$watcher" | sed -E 's#^(PASS|FAIL|SKIP): guest/#\1: system/shmem/watcher/#'
else
	fail "partition watcher: no check lines after its restart"
fi
grep -q '^guest shmem: [0-9]* passed, 0 failed' <<<"$watcher" || fail "partition watcher: its second boot did not pass"
expect_line "partition consumer: shmem ring: doorbells to it [1-9][0-9]* rung, [1-9][0-9]* coalesced"
for p in producer consumer; do
	log_text | grep -a "^\[$p\] bench: " | sed "s/^\[$p\] /    $p: /"
done
expect_status 0
test_end
