/*
 * Sleeping with interrupts off, woken by an NMI alone: for a CPU whose LAPIC
 * a guest owns (lapic = passthrough), where no fixed IPI can be relied on and
 * where an interrupt taken in root mode would be the guest's.
 *
 * HLT with IF = 0 ends only at an NMI (or SMI, INIT). The look at `*word` and
 * the HLT are a window: an NMI that lands in it (after the look, before the
 * HLT) would leave the HLT to sleep on, so the NMI handler moves RIP back to
 * the look (nmi_sleep_fixup), as vmx_enter_nmi_fixup does for VM entry.
 */
#ifndef TESSERA_ARCH_X86_NMI_SLEEP_H
#define TESSERA_ARCH_X86_NMI_SLEEP_H

#include "lib/types.h"

struct trap_frame;

/* Halts, interrupts off, unless one of `bits` is set in *word; returns after one NMI. */
void nmi_sleep(const volatile uint64_t *word, uint64_t bits);
/* From the NMI handler: true if the NMI landed in nmi_sleep's window (RIP moved back). */
bool nmi_sleep_fixup(struct trap_frame *frame);

#endif
