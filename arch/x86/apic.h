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
#define APIC_APR	      0x090 /* arbitration priority (xAPIC only) */
#define APIC_PPR	      0x0a0
#define APIC_EOI	      0x0b0
#define APIC_RRD	      0x0c0 /* remote read (xAPIC only) */
#define APIC_LDR	      0x0d0
#define APIC_DFR	      0x0e0 /* destination format (xAPIC only) */
#define APIC_SVR	      0x0f0
#define APIC_ISR	      0x100 /* 8 registers, 0x10 apart: vectors 0-255 */
#define APIC_TMR	      0x180
#define APIC_IRR	      0x200
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
#define APIC_SELF_IPI	      0x3f0 /* x2APIC only */
#define APIC_REG_LIMIT	      0x400 /* the registers end here */

#define APIC_VERSION_MAX_LVT(v)	    (((v) >> 16) & 0xff) /* number of LVT entries - 1 */
#define APIC_VERSION_EOI_SUPPRESS   BIT(24)		 /* directed-EOI (suppress EOI broadcast) */
#define APIC_TPR_MASK		    0xffu
#define APIC_PRIO_CLASS(p)	    ((p)&0xf0u)	  /* priority class: bits 7:4 */
#define APIC_LDR_XAPIC_ID(ldr)	    ((ldr) >> 24) /* xAPIC logical ID: bits 31:24 */
#define APIC_DFR_FLAT		    0xffffffffu
#define APIC_DFR_CLUSTER	    0x0fffffffu
#define APIC_DFR_MODEL_MASK	    0xf0000000u
#define APIC_SVR_VECTOR_MASK	    0xffu
#define APIC_SVR_ENABLE		    BIT(8)
#define APIC_SVR_FOCUS_DISABLE	    BIT(9)
#define APIC_SVR_EOI_SUPPRESS	    BIT(12)
#define APIC_LVT_VECTOR_MASK	    0xffu
#define APIC_LVT_DM_MASK	    (7u << 8)
#define APIC_LVT_DM_FIXED	    (0u << 8)
#define APIC_LVT_DM_SMI		    (2u << 8)
#define APIC_LVT_DM_NMI		    (4u << 8)
#define APIC_LVT_DM_INIT	    (5u << 8)
#define APIC_LVT_DM_EXTINT	    (7u << 8)
#define APIC_LVT_DELIVERY_PENDING   BIT(12)
#define APIC_LVT_INPUT_POLARITY	    BIT(13) /* LINT0/1 */
#define APIC_LVT_REMOTE_IRR	    BIT(14) /* LINT0/1, read-only */
#define APIC_LVT_LEVEL_TRIGGER	    BIT(15) /* LINT0/1 */
#define APIC_LVT_MASKED		    BIT(16)
#define APIC_LVT_TIMER_MODE_MASK    (3u << 17)
#define APIC_LVT_TIMER_ONESHOT	    (0u << 17)
#define APIC_LVT_TIMER_PERIODIC	    (1u << 17)
#define APIC_LVT_TIMER_TSC_DEADLINE (2u << 17)
#define APIC_TIMER_DIVIDE_MASK	    0xbu /* bits 0, 1 and 3 */
#define APIC_TIMER_DIVIDE_BY_16	    0x3

/* Error status (SDM 11.5.3). */
#define APIC_ESR_SEND_CHECKSUM	  BIT(0)
#define APIC_ESR_RECV_CHECKSUM	  BIT(1)
#define APIC_ESR_SEND_ACCEPT	  BIT(2)
#define APIC_ESR_RECV_ACCEPT	  BIT(3)
#define APIC_ESR_REDIRECTABLE_IPI BIT(4)
#define APIC_ESR_SEND_ILLEGAL_VEC BIT(5)
#define APIC_ESR_RECV_ILLEGAL_VEC BIT(6)
#define APIC_ESR_ILLEGAL_REG	  BIT(7)

#define APIC_ICR_VECTOR_MASK	   0xffu
#define APIC_ICR_DM_MASK	   (7u << 8)
#define APIC_ICR_DM_FIXED	   (0u << 8)
#define APIC_ICR_DM_LOWEST	   (1u << 8)
#define APIC_ICR_DM_SMI		   (2u << 8)
#define APIC_ICR_DM_NMI		   (4u << 8)
#define APIC_ICR_DM_INIT	   (5u << 8)
#define APIC_ICR_DM_STARTUP	   (6u << 8)
#define APIC_ICR_DEST_LOGICAL	   BIT(11)
#define APIC_ICR_BUSY		   BIT(12) /* delivery status (xAPIC) */
#define APIC_ICR_LEVEL_ASSERT	   BIT(14)
#define APIC_ICR_TRIGGER_LEVEL	   BIT(15)
#define APIC_ICR_SHORTHAND_MASK	   (3u << 18)
#define APIC_ICR_NO_SHORTHAND	   (0u << 18)
#define APIC_ICR_SELF		   (1u << 18)
#define APIC_ICR_ALL_INCL_SELF	   (2u << 18)
#define APIC_ICR_ALL_BUT_SELF	   (3u << 18)
#define APIC_ICR_XAPIC_DEST_SHIFT  56 /* xAPIC: destination in ICR bits 63:56 */
#define APIC_ICR_X2APIC_DEST_SHIFT 32 /* x2APIC: destination in ICR bits 63:32 */
#define APIC_XAPIC_BROADCAST	   0xffu
#define APIC_X2APIC_BROADCAST	   0xffffffffu

#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ULL /* IA32_APIC_BASE bits 51:12 */

#endif
