/*
 * The local APIC's registers as the Intel SDM names them (vol. 3A, chapter 11):
 * one layout for the host's LAPIC driver (drivers/lapic.c) and the virtual LAPIC
 * (hv/vlapic/). The MSRs (IA32_APIC_BASE, the x2APIC range) are in msr.h.
 */
#ifndef TESSERA_ARCH_X86_APIC_H
#define TESSERA_ARCH_X86_APIC_H

#include "lib/types.h"

/* Register offsets in the xAPIC MMIO page; x2APIC MSR = MSR_X2APIC_BASE + (offset >> 4). */
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

#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ULL /* IA32_APIC_BASE bits 51:12 */

#endif
