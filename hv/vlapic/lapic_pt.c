/*
 * The little Tessera keeps of a passthrough LAPIC (lapic_pt.h). The model's
 * page holds only what exits: ID, LDR and the last ICR; everything else is the
 * CPU's, and the model's timer never runs.
 */
#include "hv/vlapic/lapic_pt.h"
#include "hv/vlapic/vapic.h"
#include "hv/partition/partition.h"
#include "drivers/lapic.h"
#include "lib/log.h"

#define PT_MAXPHYADDR 36 /* enough for the default base, the only one offered */

void lapic_pt_reset(struct vcpu *v)
{
	struct vlapic *l = &v->apic.lapic;

	/* x2APIC mode from power-up: there is no xAPIC window to offer. */
	vlapic_write_apic_base(l, l->apic_base | APIC_BASE_EXTD, PT_MAXPHYADDR);
	lapic_pt_reset_cpu(v);
}

void lapic_pt_reset_cpu(struct vcpu *v)
{
	uint32_t left, dropped = lapic_reset_for_guest(&left);

	if (dropped || left)
		log_info("partition %s: vCPU %u: LAPIC of CPU %u reset: %u interrupt(s) the guest "
			 "left dropped, %u below vector 32 left pending",
			 v->part->name, v->index, v->cpu->index, dropped, left);
}

void lapic_pt_post(struct vcpu *t, uint8_t vector)
{
	lapic_send_fixed(t->cpu->apic_id, vector);
}

bool lapic_pt_write_apic_base(struct vcpu *v, uint64_t value)
{
	return value == v->apic.lapic.apic_base;
}
