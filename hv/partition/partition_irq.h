/*
 * A partition's interrupt lines (`ioapic = on`): its vUART's INTR to pin
 * GUEST_UART_IRQ of its vIOAPIC (hv/dev/vioapic.h), whose messages go to its
 * own vLAPICs only (vapic_deliver_ipi resolves destinations among the
 * partition's vCPUs; anything else is dropped). The vIOAPIC is under
 * `ioapic_lock`; a line change comes with the vUART's lock held (vuart.h), so
 * the order is vuart lock, then ioapic_lock, never the reverse.
 *
 * Level-triggered entries: the vectors of all of them are the partition's
 * EOI-exit bitmap (`eoi_exit`), loaded into every vCPU's VMCS before its next
 * entry after a change (REQUEST_EOI_EXIT), so that their EOIs exit and clear
 * Remote IRR (partition_irq_eoi).
 */
#ifndef TESSERA_HV_PARTITION_IRQ_H
#define TESSERA_HV_PARTITION_IRQ_H

#include "hv/dev/vioapic.h"

#define GUEST_UART_IRQ 4u /* COM1's ISA IRQ; GSI 4 (no override in the MADT) */

struct partition;
struct vcpu;

/* Build time: the vIOAPIC's ACPI description and the vUART's line. */
void partition_irq_build(struct partition *p);
/* Every (re)start, before the vCPUs run: power-up state. */
void partition_irq_reset(struct partition *p);
/* An MMIO access from v to the window: the value a read returns. */
uint64_t partition_ioapic_access(struct vcpu *v, const struct vioapic_access *a);
/* v's vLAPIC retired `vector` with an EOI-induced exit. */
void partition_irq_eoi(struct vcpu *v, uint8_t vector);
/* The partition's EOI-exit bitmap into v's VMCS (v's CPU, its VMCS current). */
void partition_irq_load_eoi_exit(struct vcpu *v);

#endif
