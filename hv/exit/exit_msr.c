/*
 * RDMSR/WRMSR exits: the MSR bitmap (hv/policy/msr_policy.c) lets the common MSRs
 * through, so what exits here is either emulated or refused with #GP(0). The
 * policy keeps the values (struct msr_state); this file puts the TSC offset
 * and IA32_XSS into the VMCS and the CPU. The Hyper-V synthetic MSRs
 * (0x40000000-0x400000ff, outside the bitmap's ranges: they always exit) are
 * hv/hyperv/'s on a partition with hyperv = on, and #GP elsewhere.
 */
#include "hv/exit/vmexit.h"
#include "hv/policy/msr_policy.h"
#include "hv/vlapic/vapic.h"
#include "hv/hyperv/hyperv.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"

static enum exit_action refuse(struct vcpu *v)
{
	inject_exception_code(v, EXC_GP, 0);
	return EXIT_RESUME;
}

static enum exit_action done_read(struct vcpu *v, uint64_t value)
{
	v->ctx.gpr[GPR_RAX] = (uint32_t)value;
	v->ctx.gpr[GPR_RDX] = value >> 32;
	return EXIT_ADVANCE;
}

enum exit_action handle_rdmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->ctx.gpr[GPR_RCX];
	uint64_t value;

	if (msr == MSR_IA32_EFER)
		value = vmread(GUEST_IA32_EFER);
	else if (unlikely(hv_msr_is_synthetic(msr) && v->part->hv))
		return hyperv_rdmsr(v, msr, &value) ? done_read(v, value) : refuse(v);
	else if (unlikely(vapic_owns_msr(msr)) ? !vapic_rdmsr(v, msr, &value)
					       : !msr_emulate_read(msr, &v->msr, &value))
		return refuse(v);
	return done_read(v, value);
}

enum exit_action handle_wrmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->ctx.gpr[GPR_RCX];
	uint64_t value = (v->ctx.gpr[GPR_RDX] << 32) | (uint32_t)v->ctx.gpr[GPR_RAX];

	if (unlikely(vapic_owns_msr(msr)))
		return vapic_wrmsr(v, msr, value) ? EXIT_ADVANCE : refuse(v);
	if (unlikely(hv_msr_is_synthetic(msr) && v->part->hv))
		return hyperv_wrmsr(v, msr, value) ? EXIT_ADVANCE : refuse(v);
	/* lapic = passthrough: the TSC must stay the host's (vcpu_msr.c), so it is not written. */
	if (unlikely((msr == MSR_IA32_TSC || msr == MSR_IA32_TSC_ADJUST) &&
		     partition_lapic_pt(v->part)))
		return refuse(v);
	if (msr == MSR_IA32_EFER) {
		uint64_t efer;

		if (!msr_efer_write(vmread(GUEST_IA32_EFER), vmread(GUEST_CR0), value, &efer))
			return refuse(v);
		vmwrite(GUEST_IA32_EFER, efer);
	} else if (!msr_emulate_write(msr, &v->msr, value, rdtsc())) {
		return refuse(v);
	} else if (msr == MSR_IA32_TSC || msr == MSR_IA32_TSC_ADJUST) {
		vmwrite(TSC_OFFSET, v->msr.tsc_offset);
	} else if (msr == MSR_IA32_XSS) {
		wrmsr(MSR_IA32_XSS, v->msr.xss); /* the guest owns this CPU: XSAVES reads it */
	}
	return EXIT_ADVANCE;
}
