#!/usr/bin/env bash
# Containment of IPIs (docs/interrupts.md): configs/tests/isolation-ipi.cfg in
# Bochs 3.0 with 4 CPUs. attack-ipi sends every IPI it can encode (every
# delivery mode, trigger and destination mode, destinations 0..255 and past
# the partition up to 0xffffffff, every shorthand, flat and cluster logical
# models, xAPIC and x2APIC, random ICRs) and checks that only its own vCPU
# took what was meant for it. ipi-neighbour must take no interrupt or NMI,
# keep its speed (no pass slower than the fastest by 2%), see no kick exit,
# and finish after the attack; Tessera's CPU 0 must log no stray interrupt or
# NMI and end the run normally.
source "$(dirname "$0")/lib/checks.sh"
source "$(dirname "$0")/lib/isolation.sh"
test_begin isolation-ipi
run_config_bochs isolation-ipi 4
expect_status 0
expect_end
expect_guest_results attacker
expect_line '^\[attacker\] guest attack_ipi: attack done: [0-9]+ IPIs sent'
expect_guest_results neighbour
expect_before '^\[neighbour\] guest ipi_neighbour: pass 0: ' '^\[attacker\] guest attack_ipi: attacking: '
# ... and passes on both sides of its end: the attack overlapped the neighbour's work.
expect_last_after_first '^\[neighbour\] guest ipi_neighbour: pass [0-9]*: ' \
	'^\[attacker\] guest attack_ipi: attack done: ' "the neighbour's passes and the attack"
expect_before '^\[attacker\] guest attack_ipi: attack done: ' 'partition neighbour: ended with status 0'
expect_no_line 'traps: (NMI on cpu|interrupt vector)'
expect_line 'partitions: 2 of 2 ended with status 0'
log_text | grep -a -E '^\[(attacker|neighbour)\] guest [a-z_]+: (attack done|pass)' | sed 's/^/    /'
test_end
