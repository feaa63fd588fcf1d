/*
 * Interrupts between the vLAPICs of a partition, and what a register write
 * asks for (struct vlapic_effect). Destinations resolve only among the
 * sender's partition's vCPUs (vlapic_dest.c): nothing else can be named.
 *
 * A fixed interrupt for another vCPU is posted: its vector set in the target's
 * posted-interrupt descriptor, then the notification vector sent to the
 * target's CPU (the CPU merges it into the virtual IRR without an exit), or,
 * without posted interrupts, a REQUEST_INTERRUPT (the target's pre-entry step
 * merges it). NMI, INIT and SIPI are requests the target's pre-entry step
 * carries out. A vCPU's own interrupts go straight into its virtual IRR.
 */
#include "hv/vlapic/vapic.h"
#include "hv/vlapic/vlapic_dest.h"
#include "hv/vcpu/request.h"
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "drivers/lapic.h"
#include "hv/vlapic/lapic_pt.h"

/* On the target's own CPU, its VMCS current. */
static void accept_here(struct vcpu *v, uint8_t vector)
{
	if (vlapic_accept(&v->apic.lapic, vector, false))
		vmwrite(GUEST_INTR_STATUS, vlapic_intr_status(&v->apic.lapic));
}

void vapic_post(struct vcpu *from, struct vcpu *t, uint8_t vector)
{
	if (partition_lapic_pt(t->part)) { /* its own LAPIC takes it, or drops it */
		lapic_pt_post(t, vector);
		return;
	}
	if (t == from) {
		accept_here(t, vector);
		return;
	}
	/* A software-disabled APIC drops fixed interrupts (SDM 11.4.7.2). */
	if (!vlapic_hw_enabled(&t->apic.lapic) || !vlapic_sw_enabled(&t->apic.lapic))
		return;
	if (!pi_post(t->apic.pi, vector))
		return; /* a notification is outstanding: the target will see this one too */
	if (t->apic.posted)
		lapic_send_fixed(t->cpu->apic_id, VECTOR_POSTED_NOTIFY);
	else
		request_send(t->cpu, REQ(INTERRUPT));
}

static void deliver(struct vcpu *from, struct vcpu *t, const struct vlapic_ipi *ipi)
{
	switch (ipi->mode) {
	case APIC_ICR_DM_FIXED:
	case APIC_ICR_DM_LOWEST:
		vapic_post(from, t, ipi->vector);
		break;
	case APIC_ICR_DM_NMI:
		/* Counted: two NMIs sent together are two (the latch decides what stays). */
		__atomic_fetch_add(&t->nmi_arrivals, 1, __ATOMIC_SEQ_CST);
		request_send(t->cpu, REQ(NMI)); /* no kick to its own CPU */
		break;
	case APIC_ICR_DM_INIT:
		request_send(t->cpu, REQ(INIT));
		break;
	case APIC_ICR_DM_STARTUP:
		__atomic_store_n(&t->apic.sipi_vector, ipi->vector, __ATOMIC_SEQ_CST);
		request_send(t->cpu, REQ(SIPI));
		break;
	}
}

/* The LVT error interrupt, after vlapic_set_error said it is wanted. */
static void error_interrupt(struct vcpu *v)
{
	if (partition_lapic_pt(v->part))
		return; /* the model's ESR is not the guest's (the CPU's is): nothing to raise */
	accept_here(v,
		    (uint8_t)(vlapic_reg(&v->apic.lapic, APIC_LVT_ERROR) & APIC_LVT_VECTOR_MASK));
}

void vapic_deliver_ipi(struct vcpu *from, struct partition *p, const struct vlapic_ipi *ipi)
{
	const struct vlapic *lapics[CONFIG_MAX_PARTITION_CPUS];
	uint64_t targets;

	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		lapics[i] = &p->vcpus[i]->apic.lapic;
	targets = vlapic_ipi_targets(lapics, p->nr_vcpus, from ? from->index : 0, ipi);
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (targets & (1ull << i))
			deliver(from, p->vcpus[i], ipi);
}

static void send_ipi(struct vcpu *src, uint64_t icr)
{
	struct partition *p = src->part;
	struct vlapic_ipi ipi = vlapic_decode_icr(icr, vlapic_x2apic(&src->apic.lapic));

	if (!vlapic_ipi_valid(&src->apic.lapic, &ipi)) {
		if (src->apic.lapic.esr_pending & APIC_ESR_SEND_ILLEGAL_VEC &&
		    vlapic_set_error(&src->apic.lapic, 0))
			error_interrupt(src);
		return;
	}
	vapic_deliver_ipi(src, p, &ipi);
}

int vapic_apply(struct vcpu *v, const struct vlapic_effect *e)
{
	if (e->what & VLAPIC_DO_GP) {
		inject_exception_code(v, EXC_GP, 0);
		return -1;
	}
	if (e->what & VLAPIC_DO_MODE)
		vapic_mode_changed(v);
	if (e->what & VLAPIC_DO_IPI)
		send_ipi(v, e->icr);
	if (e->what & VLAPIC_DO_ERROR)
		error_interrupt(v);
	if (e->what & (VLAPIC_DO_TIMER | VLAPIC_DO_MODE)) /* a hardware disable stops it too */
		vtimer_changed(v);
	if (e->what & (VLAPIC_DO_EOI | VLAPIC_DO_REEVAL | VLAPIC_DO_MODE))
		vmwrite(GUEST_INTR_STATUS, vlapic_intr_status(&v->apic.lapic));
	return 0;
}
