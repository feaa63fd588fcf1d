/*
 * The time-stamp counter as Tessera's clock: its frequency, found once on the boot
 * CPU, and a busy-wait delay. The TSC is assumed to run at the same rate on every
 * CPU (invariant TSC; true of every VMX-capable CPU Tessera targets).
 */
#ifndef TESSERA_DRIVERS_TSC_H
#define TESSERA_DRIVERS_TSC_H

#include "lib/types.h"
#include "drivers/acpi.h"

/*
 * Boot CPU, once, after acpi_init. The frequency comes from CPUID 0x15 (crystal
 * ratio) or 0x16 (base MHz) when they enumerate it and a measurement against the ACPI
 * PM timer or the PIT agrees with it; otherwise from that measurement (emulators
 * such as Bochs report a CPU model's frequency while counting one per instruction).
 */
void tsc_init(const struct acpi_info *acpi);
uint64_t tsc_khz(void);

/* Busy-waits at least `us` microseconds (before tsc_init: assumes a fast 5 GHz TSC). */
void udelay(uint64_t us);

/* TSC ticks in `us` microseconds, saturating. */
uint64_t tsc_ticks_from_us(uint64_t us);

#endif
