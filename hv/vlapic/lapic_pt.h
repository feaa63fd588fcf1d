/*
 * lapic = passthrough (docs/interrupts.md): a vCPU owns its CPU's LAPIC. The
 * guest programs the timer and takes its interrupts without exits; what
 * Tessera keeps is the register model in x2APIC mode for the ICR (decoded,
 * destinations resolved among the partition's vCPUs and sent to their
 * physical APIC IDs), the APIC ID and LDR (virtual) and IA32_APIC_BASE.
 */
#ifndef TESSERA_HV_VLAPIC_LAPIC_PT_H
#define TESSERA_HV_VLAPIC_LAPIC_PT_H

#include "lib/types.h"

struct vcpu;

/* Power-up: the model in x2APIC mode, the CPU's LAPIC reset (on v's own CPU). */
void lapic_pt_reset(struct vcpu *v);
/* The CPU's LAPIC as after reset (INIT, stop); what the guest left dropped, logged. */
void lapic_pt_reset_cpu(struct vcpu *v);
/* A fixed interrupt for vCPU t: an IPI with that vector to t's physical APIC ID. */
void lapic_pt_post(struct vcpu *t, uint8_t vector);
/* A guest write of IA32_APIC_BASE: only its current value is taken; false: #GP. */
bool lapic_pt_write_apic_base(struct vcpu *v, uint64_t value);

#endif
