/*
 * The local APIC of each CPU, in xAPIC mode (MMIO at the APIC base, identity mapped)
 * or x2APIC mode (MSRs 0x800 + offset/16), chosen by CPUID.1:ECX.x2APIC. The
 * register layout is arch/x86/apic.h's, shared with the virtual LAPIC.
 */
#ifndef TESSERA_DRIVERS_LAPIC_H
#define TESSERA_DRIVERS_LAPIC_H

#include "lib/types.h"
#include "arch/x86/apic.h"

/* This CPU: enable the APIC (x2APIC mode when the CPU has it), spurious vector
 * VECTOR_SPURIOUS, TPR 0, every LVT masked but LINT1 (NMI) on the boot CPU. */
void lapic_init_cpu(void);
/* This CPU's APIC ID, in whatever mode the APIC is; works before lapic_init_cpu. */
uint32_t lapic_id(void);
bool lapic_x2apic_mode(void);
void lapic_eoi(void);

/* Register access in the current mode (reg: xAPIC offset; not for the ICR). */
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);

void lapic_send_init(uint32_t apic_id);
/* Startup IPI: the AP starts in real mode at trampoline_pa (4 KiB aligned, < 1 MiB). */
void lapic_send_startup(uint32_t apic_id, uint64_t trampoline_pa);
void lapic_send_fixed(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi(uint32_t apic_id);
/* This CPU: the error LVT and those after it (as MAX LVT has them) masked, ESR cleared. */
void lapic_mask_error_and_above(uint32_t max_lvt);
/*
 * This CPU, its LAPIC handed to a guest (lapic = passthrough) or taken back:
 * every LVT masked, the timer stopped (TMICT, TSC_DEADLINE and TDCR 0), ESR
 * clear, what the guest left in service retired and what it left pending
 * drained (taken with interrupts on for an instant, dropped), TPR 0 and SVR
 * 0xff as after reset. Returns how many interrupts were dropped; vectors
 * 16-31 cannot be taken safely through Tessera's IDT and stay pending
 * (counted in `*left`).
 */
uint32_t lapic_reset_for_guest(uint32_t *left);
/* For panic(): a no-op until the boot CPU ran lapic_init_cpu. */
void lapic_send_nmi_all_but_self(void);

#endif
