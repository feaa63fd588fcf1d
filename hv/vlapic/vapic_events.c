/*
 * What the pre-entry step does for the vLAPIC (hv/vcpu/run.c): posted vectors
 * into the virtual IRR, NMIs (virtual NMIs, waiting for an NMI window when
 * blocked), INIT (back to wait-for-SIPI) and SIPI (start in real mode), and
 * the end of a HLT once something can be taken.
 */
#include "hv/vlapic/vapic.h"
#include "hv/vcpu/request.h"
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "hv/partition/partition_irq.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"

static void nmi_window(bool on)
{
	uint64_t proc = vmread(CPU_BASED_VM_EXEC_CONTROL);

	proc = on ? proc | CPU_BASED_NMI_WINDOW_EXITING : proc & ~CPU_BASED_NMI_WINDOW_EXITING;
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc);
}

/*
 * Injects a pending NMI now, or asks for an NMI-window exit when it cannot go
 * yet; with a second one latched, the window exit after the first one's IRET.
 */
void vapic_try_nmi(struct vcpu *v)
{
	uint32_t intr = (uint32_t)vmread(GUEST_INTERRUPTIBILITY_INFO);

	if (!v->nmi_pending)
		return;
	if ((vmread(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID) ||
	    (intr & (GUEST_INTR_STATE_NMI | GUEST_INTR_STATE_MOV_SS | GUEST_INTR_STATE_STI))) {
		nmi_window(true);
		return;
	}
	vmwrite(VM_ENTRY_INTR_INFO_FIELD,
		INTR_INFO_VALID | (INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT) | EXC_NMI);
	v->nmi_pending--;
	nmi_window(v->nmi_pending); /* the injected NMI blocks NMIs until its IRET */
}

/* An NMI is in service: being injected at this entry, or its handler not yet IRETed. */
static bool nmi_in_service(void)
{
	uint32_t entry = (uint32_t)vmread(VM_ENTRY_INTR_INFO_FIELD);

	if ((entry & INTR_INFO_VALID) &&
	    ((entry & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) == INTR_TYPE_NMI)
		return true;
	return vmread(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_NMI;
}

/*
 * NMIs that arrived: as on hardware, one can be in service and one more
 * latched; the others are lost (SDM 3A 6.7.1: NMIs are blocked until IRET,
 * and a blocked NMI is held pending, once).
 */
static void nmi_latch(struct vcpu *v, uint32_t arrived)
{
	uint32_t room = nmi_in_service() ? 1 : 2;

	v->nmi_pending = MIN(v->nmi_pending + MIN(arrived, 2u), room);
}

enum exit_action handle_nmi_window(struct vcpu *v)
{
	vapic_try_nmi(v);
	return EXIT_RESUME;
}

static void init_signal(struct vcpu *v)
{
	if (v->index == 0) {
		/* On hardware the BSP would restart its firmware: here, a reset of the guest. */
		partition_crash(v, "INIT IPI to the boot vCPU (a guest reset)");
		return;
	}
	vcpu_reset_wait_sipi(v);
	vapic_init_signal(v);
	vtimer_changed(v); /* INIT stops the timer: out of the queue, preemption timer off */
	v->nmi_pending = 0;
}

static void sipi(struct vcpu *v)
{
	if (v->state == VCPU_WAIT_SIPI) /* a SIPI to a running vCPU is ignored, as on hardware */
		vcpu_start_real_mode(v, __atomic_load_n(&v->apic.sipi_vector, __ATOMIC_SEQ_CST));
}

void vapic_take_requests(struct vcpu *v, volatile uint64_t *w)
{
	if (request_take(w, REQ(INIT)))
		init_signal(v);
	if (request_take(w, REQ(SIPI)))
		sipi(v);
	if (request_take(w, REQ(NMI))) {
		uint32_t arrived = __atomic_exchange_n(&v->nmi_arrivals, 0, __ATOMIC_SEQ_CST);

		if (v->state != VCPU_WAIT_SIPI) { /* a vCPU waiting for SIPI drops NMIs */
			nmi_latch(v, arrived);
			vapic_try_nmi(v);
		}
	}
	if (request_take(w, REQ(EOI_EXIT)))
		partition_irq_load_eoi_exit(v);
	if (request_take(w, REQ(INTERRUPT)))
		vapic_sync(v);
}

/*
 * A halted vCPU (HLT with interrupts on) goes on once an interrupt or an NMI
 * is there: an NMI vapic_try_nmi has just set up for injection counts (it no
 * longer shows in nmi_pending); one blocked until an IRET does not wake it.
 */
bool vapic_halt_done(struct vcpu *v)
{
	if (!(vmread(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID) && !vapic_has_interrupt(v))
		return false;
	v->state = VCPU_RUNNABLE;
	vmwrite(GUEST_INTR_STATUS, vlapic_intr_status(&v->apic.lapic));
	return true;
}
