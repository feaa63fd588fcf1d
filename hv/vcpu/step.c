/* The end of an emulated instruction, when a shadow or single-step is involved: see step.h. */
#include "hv/vcpu/step.h"
#include "arch/x86/msr.h"

void vcpu_end_shadow_and_step(struct vcpu *v)
{
	uint32_t interruptibility = (uint32_t)vmread(GUEST_INTERRUPTIBILITY_INFO);
	uint64_t rflags = vmread(GUEST_RFLAGS);

	(void)v;
	/* The shadow covers only the instruction after STI or MOV SS: this one. */
	if (interruptibility & GUEST_INTR_STATE_SHADOW)
		vmwrite(GUEST_INTERRUPTIBILITY_INFO, interruptibility & ~GUEST_INTR_STATE_SHADOW);
	/*
	 * Single-step: the trap the instruction would have raised on completing,
	 * delivered after VM entry with DR6.BS (SDM 3C 27.7.3). With DEBUGCTL.BTF,
	 * TF traps only taken branches, which no emulated instruction is. Any
	 * breakpoint conditions the exit saved (a MOV SS shadow holds them) stay.
	 */
	if ((rflags & RFLAGS_TF) && !(vmread(GUEST_IA32_DEBUGCTL) & DEBUGCTL_BTF))
		vmwrite(GUEST_PENDING_DBG_EXCEPTIONS,
			vmread(GUEST_PENDING_DBG_EXCEPTIONS) | PENDING_DBG_BS);
}
