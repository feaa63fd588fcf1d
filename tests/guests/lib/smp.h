/*
 * The guest's application processors: started by INIT-SIPI-SIPI from the
 * BSP, each runs a function on a stack of its own in long mode, with the
 * library's GDT, IDT and page tables (ap_trampoline.S).
 */
#ifndef TESSERA_GUEST_LIB_SMP_H
#define TESSERA_GUEST_LIB_SMP_H

#include <stdbool.h>
#include <stdint.h>
#include "tests/guests/lib/boot_layout.h"

enum smp_start_style {
	SMP_START_EACH, /* INIT, 10 ms, SIPI, 200 us, SIPI to each AP by APIC ID (the SDM's way) */
	SMP_START_BROADCAST, /* one INIT and one SIPI to all-excluding-self, no delays
				(kvm-unit-tests) */
};

/*
 * Starts the APs with APIC IDs 1..nr_aps (EACH) or all of them (BROADCAST);
 * each calls fn(index), index 1, 2, ... in arrival order, and halts with
 * interrupts off when fn returns. Waits until `nr_aps` have arrived or the time
 * is up and returns how many did.
 */
unsigned smp_start_aps(void (*fn)(unsigned index), unsigned nr_aps, enum smp_start_style style);
/* This CPU's index: 0 on the BSP, the AP's arrival index on an AP (from its stack). */
unsigned guest_cpu_index(void);
/* APs that arrived so far. */
unsigned smp_aps_arrived(void);
/* Waits (up to `ticks` TSC ticks) until *flag >= want; returns whether it got there. */
bool smp_wait_for(volatile uint32_t *flag, uint32_t want, uint64_t ticks);

#endif
