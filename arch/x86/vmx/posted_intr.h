/*
 * The posted-interrupt descriptor (SDM vol. 3C, 30.6): 256 request bits
 * (PIR), the outstanding-notification bit ON, suppress-notification SN, and
 * the notification vector and destination the CPU's own APIC uses when the
 * sender's notification IPI arrives. Bochs 3.0 needs it 4 KiB aligned
 * (VM entry fails otherwise, though the SDM asks only 64 bytes), so it lives
 * in a page of its own.
 *
 * Posting is lock-free: any CPU sets a PIR bit, then sets ON; only the CPU
 * that turned ON from 0 to 1 sends the notification. The target CPU (the
 * processor, in guest mode; or the hypervisor before VM entry) takes the PIR
 * bits with an atomic exchange and clears ON.
 */
#ifndef TESSERA_ARCH_X86_VMX_POSTED_INTR_H
#define TESSERA_ARCH_X86_VMX_POSTED_INTR_H

#include "lib/types.h"

#define PI_CONTROL_ON BIT(0) /* outstanding notification */
#define PI_CONTROL_SN BIT(1) /* suppress notification */

struct pi_desc {
	uint32_t pir[8];  /* bit v: vector v requested */
	uint32_t control; /* ON, SN */
	uint8_t nv;	  /* notification vector (bits 279:272) */
	uint8_t rsvd0;
	uint32_t ndst; /* notification destination: APIC ID (xAPIC: in bits 15:8) */
	uint8_t rsvd1[22];
} __attribute__((packed, aligned(64)));
_Static_assert(sizeof(struct pi_desc) == 64, "posted-interrupt descriptor layout");
_Static_assert(__builtin_offsetof(struct pi_desc, control) == 32, "ON is bit 256");
_Static_assert(__builtin_offsetof(struct pi_desc, nv) == 36, "NV is bits 279:272");
_Static_assert(__builtin_offsetof(struct pi_desc, ndst) == 38, "NDST is bits 319:288");

/*
 * Requests `vector` on `d`. Returns true when the caller must send the
 * notification (ON was clear and notifications are not suppressed).
 */
static inline bool pi_post(struct pi_desc *d, uint8_t vector)
{
	uint32_t old;

	__atomic_fetch_or(&d->pir[vector / 32], 1u << (vector % 32), __ATOMIC_SEQ_CST);
	old = __atomic_fetch_or(&d->control, PI_CONTROL_ON, __ATOMIC_SEQ_CST);
	return !(old & (PI_CONTROL_ON | PI_CONTROL_SN));
}

/* Clears ON, then takes word i of the PIR (0-7): what it had is the caller's. */
static inline void pi_clear_on(struct pi_desc *d)
{
	__atomic_fetch_and(&d->control, ~(uint32_t)PI_CONTROL_ON, __ATOMIC_SEQ_CST);
}

static inline uint32_t pi_take_word(struct pi_desc *d, unsigned i)
{
	return __atomic_exchange_n(&d->pir[i], 0, __ATOMIC_SEQ_CST);
}

static inline bool pi_pending(const struct pi_desc *d)
{
	return __atomic_load_n(&d->control, __ATOMIC_SEQ_CST) & PI_CONTROL_ON;
}

#endif
