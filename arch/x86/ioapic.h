/*
 * The I/O APIC's registers, as the Intel 82093AA I/O Advanced Programmable
 * Interrupt Controller datasheet (order number 290566) names them: two
 * memory-mapped registers, IOREGSEL and IOWIN, through which the indirect
 * registers (ID, version, arbitration, the redirection table) are reached.
 */
#ifndef TESSERA_ARCH_X86_IOAPIC_H
#define TESSERA_ARCH_X86_IOAPIC_H

#include "lib/types.h"

#define IOAPIC_BASE_DEFAULT 0xfec00000u /* the PC's first I/O APIC */

/* Memory-mapped, offsets from the base: 32-bit registers (datasheet 3.1). */
#define IOAPIC_IOREGSEL 0x00u /* bits 7:0 select the indirect register IOWIN reaches */
#define IOAPIC_IOWIN	0x10u

/* Indirect registers (datasheet 3.2). */
#define IOAPIC_IOAPICID	 0x00u
#define IOAPIC_IOAPICVER 0x01u
#define IOAPIC_IOAPICARB 0x02u
#define IOAPIC_IOREDTBL	 0x10u /* entry n: low word at 0x10 + 2n, high word at 0x11 + 2n */

#define IOAPIC_ID_SHIFT	     24 /* IOAPICID and IOAPICARB: the ID in bits 27:24 */
#define IOAPIC_ID_MASK	     (0xfu << IOAPIC_ID_SHIFT)
#define IOAPIC_VER_VERSION   0x11u /* the 82093AA's version */
#define IOAPIC_VER_MRE_SHIFT 16	   /* maximum redirection entry (entries - 1), bits 23:16 */

/* A redirection table entry (IOREDTBL), as one 64-bit value (datasheet 3.2.4). */
#define IOAPIC_RTE_VECTOR_MASK	 0xffull
#define IOAPIC_RTE_DM_MASK	 (7ull << 8) /* delivery mode, as the ICR's (apic.h) */
#define IOAPIC_RTE_DM_FIXED	 (0ull << 8)
#define IOAPIC_RTE_DM_LOWEST	 (1ull << 8)
#define IOAPIC_RTE_DM_SMI	 (2ull << 8)
#define IOAPIC_RTE_DM_NMI	 (4ull << 8)
#define IOAPIC_RTE_DM_INIT	 (5ull << 8)
#define IOAPIC_RTE_DM_EXTINT	 (7ull << 8)
#define IOAPIC_RTE_DEST_LOGICAL	 BIT(11)
#define IOAPIC_RTE_DELIVS	 BIT(12) /* delivery status: read-only */
#define IOAPIC_RTE_INTPOL_LOW	 BIT(13)
#define IOAPIC_RTE_REMOTE_IRR	 BIT(14) /* read-only: a level interrupt is in service */
#define IOAPIC_RTE_TRIGGER_LEVEL BIT(15)
#define IOAPIC_RTE_MASKED	 BIT(16)
#define IOAPIC_RTE_DEST_SHIFT	 56 /* destination, bits 63:56 */
/* What software can write: everything but DELIVS, Remote IRR and the reserved bits. */
#define IOAPIC_RTE_WRITABLE                                                      \
	(IOAPIC_RTE_VECTOR_MASK | IOAPIC_RTE_DM_MASK | IOAPIC_RTE_DEST_LOGICAL | \
	 IOAPIC_RTE_INTPOL_LOW | IOAPIC_RTE_TRIGGER_LEVEL | IOAPIC_RTE_MASKED |  \
	 (0xffull << IOAPIC_RTE_DEST_SHIFT))

#endif
