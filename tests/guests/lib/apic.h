/*
 * The guest's own local APIC, in xAPIC (MMIO at the APIC base, identity
 * mapped) or x2APIC mode (MSRs), and interrupt handlers for vectors 32-255
 * and NMI. Register offsets are the xAPIC ones (SDM vol. 3A, chapter 11),
 * written out here because guests use only guest-abi/ and this library.
 */
#ifndef TESSERA_GUEST_LIB_APIC_H
#define TESSERA_GUEST_LIB_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define GAPIC_ID	   0x020
#define GAPIC_VERSION	   0x030
#define GAPIC_TPR	   0x080
#define GAPIC_PPR	   0x0a0
#define GAPIC_EOI	   0x0b0
#define GAPIC_LDR	   0x0d0
#define GAPIC_DFR	   0x0e0
#define GAPIC_SVR	   0x0f0
#define GAPIC_ISR	   0x100
#define GAPIC_TMR	   0x180
#define GAPIC_IRR	   0x200
#define GAPIC_ESR	   0x280
#define GAPIC_ICR	   0x300
#define GAPIC_ICR_HIGH	   0x310
#define GAPIC_LVT_TIMER	   0x320
#define GAPIC_LVT_LINT0	   0x350
#define GAPIC_LVT_LINT1	   0x360
#define GAPIC_LVT_ERROR	   0x370
#define GAPIC_TMICT	   0x380
#define GAPIC_TMCCT	   0x390
#define GAPIC_TDCR	   0x3e0
#define GAPIC_SELF_IPI	   0x3f0
#define GAPIC_SVR_ENABLE   (1u << 8)
#define GAPIC_LVT_MASKED   (1u << 16)
#define GAPIC_TIMER_PERIOD (1u << 17)
#define GAPIC_TIMER_TSCDL  (2u << 17)
#define GAPIC_DM_NMI	   (4u << 8)
#define GAPIC_DM_INIT	   (5u << 8)
#define GAPIC_DM_SIPI	   (6u << 8)
#define GAPIC_DEST_LOGICAL (1u << 11)
#define GAPIC_BUSY	   (1u << 12)
#define GAPIC_ASSERT	   (1u << 14)
#define GAPIC_SELF	   (1u << 18)
#define GAPIC_ALL	   (2u << 18)
#define GAPIC_ALL_BUT_SELF (3u << 18)

#define MSR_APIC_BASE	  0x1b
#define MSR_TSC_DEADLINE  0x6e0
#define APIC_BASE_BSP	  (1ull << 8)
#define APIC_BASE_EXTD	  (1ull << 10)
#define APIC_BASE_EN	  (1ull << 11)
#define APIC_DEFAULT_BASE 0xfee00000ull

bool apic_has_x2apic(void);	  /* CPUID.1:ECX.x2APIC */
bool apic_has_tsc_deadline(void); /* CPUID.1:ECX.TSC-deadline */
bool apic_x2apic_mode(void);
/* Enables the APIC in xAPIC (x2apic = false) or x2APIC mode, through disabled if
 * need be. Returns false if IA32_APIC_BASE refused it (#GP). */
bool apic_set_mode(bool x2apic);
uint32_t apic_read(uint32_t reg);
void apic_write(uint32_t reg, uint32_t value);
uint32_t apic_id(void); /* 8-bit (xAPIC) or 32-bit (x2APIC) */
void apic_eoi(void);
/* Sends an IPI: `low` is the ICR's low word, `dest` an APIC ID or logical destination. */
void apic_send(uint32_t dest, uint32_t low);
/* Software-enables the APIC with `spurious` as spurious vector. */
void apic_sw_enable(uint8_t spurious);

/* ---- Interrupts ---- */
typedef void (*irq_handler_t)(uint8_t vector);
/* For vectors 32-255 and 2 (NMI); NULL removes it. The handler sends no EOI itself
 * unless it wants to: irq_count() counts deliveries per vector. */
void irq_set_handler(uint8_t vector, irq_handler_t fn);
uint32_t irq_count(uint8_t vector);
void irq_reset_counts(void);
/* Called by the exception dispatcher: true when a handler took `vector`. */
bool irq_dispatch(uint8_t vector);

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

/* STI; HLT: halts until an interrupt, with no window for it to slip in between. */
static inline void safe_halt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

#endif
