/*
 * The local APIC of each CPU, in xAPIC mode (MMIO at the APIC base, identity mapped)
 * or x2APIC mode (MSRs 0x800 + offset/16), chosen by CPUID.1:ECX.x2APIC. Register
 * offsets are the xAPIC MMIO offsets of the Intel SDM, vol. 3A, chapter 11.
 */
#ifndef TESSERA_DRIVERS_LAPIC_H
#define TESSERA_DRIVERS_LAPIC_H

#include "lib/types.h"

#define APIC_ID		      0x020
#define APIC_VERSION	      0x030
#define APIC_TPR	      0x080
#define APIC_EOI	      0x0b0
#define APIC_SVR	      0x0f0
#define APIC_ESR	      0x280
#define APIC_LVT_CMCI	      0x2f0
#define APIC_ICR_LOW	      0x300
#define APIC_ICR_HIGH	      0x310 /* xAPIC only; x2APIC has one 64-bit ICR */
#define APIC_LVT_TIMER	      0x320
#define APIC_LVT_THERMAL      0x330
#define APIC_LVT_PERF	      0x340
#define APIC_LVT_LINT0	      0x350
#define APIC_LVT_LINT1	      0x360
#define APIC_LVT_ERROR	      0x370
#define APIC_TIMER_INIT_COUNT 0x380
#define APIC_TIMER_CUR_COUNT  0x390
#define APIC_TIMER_DIVIDE     0x3e0

#define APIC_VERSION_MAX_LVT(v)	    (((v) >> 16) & 0xff) /* number of LVT entries - 1 */
#define APIC_SVR_ENABLE		    BIT(8)
#define APIC_LVT_MASKED		    BIT(16)
#define APIC_LVT_DM_NMI		    (4u << 8)
#define APIC_LVT_TIMER_ONESHOT	    (0u << 17)
#define APIC_LVT_TIMER_PERIODIC	    (1u << 17)
#define APIC_LVT_TIMER_TSC_DEADLINE (2u << 17)
#define APIC_TIMER_DIVIDE_BY_16	    0x3

#define APIC_ICR_DM_FIXED     (0u << 8)
#define APIC_ICR_DM_NMI	      (4u << 8)
#define APIC_ICR_DM_INIT      (5u << 8)
#define APIC_ICR_DM_STARTUP   (6u << 8)
#define APIC_ICR_BUSY	      BIT(12) /* delivery status (xAPIC) */
#define APIC_ICR_LEVEL_ASSERT BIT(14)
#define APIC_ICR_ALL_BUT_SELF (3u << 18)

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
/* For panic(): a no-op until the boot CPU ran lapic_init_cpu. */
void lapic_send_nmi_all_but_self(void);

#endif
