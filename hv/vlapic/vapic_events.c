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
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"

static void nmi_window(bool on)
{
	uint64_t proc = vmread(CPU_BASED_VM_EXEC_CONTROL);

	proc = on ? proc | CPU_BASED_NMI_WINDOW_EXITING : proc & ~CPU_BASED_NMI_WINDOW_EXITING;
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc);
}

/* Injects a pending NMI now, or asks for an NMI-window exit when it cannot go yet. */
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
	nmi_window(false);
	vmwrite(VM_ENTRY_INTR_INFO_FIELD,
		INTR_INFO_VALID | (INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT) | EXC_NMI);
	v->nmi_pending = 0;
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
	if (request_take(w, REQ(NMI)) && v->state != VCPU_WAIT_SIPI) {
		v->nmi_pending = 1; /* NMIs that arrive together collapse into one */
		vapic_try_nmi(v);
	}
	if (request_take(w, REQ(INTERRUPT)))
		vapic_sync(v);
}

/* A halted vCPU (HLT with interrupts on) goes on once an interrupt or NMI is there. */
bool vapic_halt_done(struct vcpu *v)
{
	if (!v->nmi_pending && !vapic_has_interrupt(v))
		return false;
	v->state = VCPU_RUNNABLE;
	vmwrite(GUEST_INTR_STATUS, vlapic_intr_status(&v->apic.lapic));
	return true;
}
