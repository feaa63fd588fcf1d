/*
 * Completing an instruction Tessera emulated (exit handlers returning
 * EXIT_ADVANCE): RIP moves past it, and what the hardware does at the end of
 * every instruction happens too: the STI / MOV SS interrupt shadow ends, and
 * with RFLAGS.TF a single-step #DB follows it. A hot path: no VMWRITE beyond
 * RIP unless a shadow or TF is there.
 */
#ifndef TESSERA_HV_VCPU_STEP_H
#define TESSERA_HV_VCPU_STEP_H

#include "lib/types.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"

struct vcpu;

#define GUEST_INTR_STATE_SHADOW (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)

/* The rare part of vcpu_skip_instruction(), out of line (hv/vcpu/step.c). */
void vcpu_end_shadow_and_step(struct vcpu *v);

/* Completes an emulated instruction of `len` bytes (one the exit did not measure). */
static inline void vcpu_skip_bytes(struct vcpu *v, uint64_t len)
{
	uint64_t rip = vmread(GUEST_RIP) + len;
	uint32_t intr = (uint32_t)vmread(GUEST_INTERRUPTIBILITY_INFO);
	uint64_t rflags = vmread(GUEST_RFLAGS);

	vmwrite_fast(GUEST_RIP, rip);
	/* Two tests, not one on a combination: the fewest instructions when neither is set. */
	if (unlikely(intr & GUEST_INTR_STATE_SHADOW) || unlikely(rflags & RFLAGS_TF))
		vcpu_end_shadow_and_step(v);
}

static inline void vcpu_skip_instruction(struct vcpu *v)
{
	vcpu_skip_bytes(v, vmread(VM_EXIT_INSTRUCTION_LEN));
}

#endif
