/*
 * The MSRs a vCPU keeps (hv/policy/msr_policy.h) put back to their cold-reset
 * values at every (re)boot of the partition: the guest's TSC counts from 0 as
 * after a hardware reset (from the partition's boot_tsc, the same for all its vCPUs), TSC_ADJUST is
 * 0, and IA32_XSS is 0 in the CPU too.
 */
#include "hv/vcpu/vcpu.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"

void vcpu_reset_msrs(struct vcpu *v)
{
	bool xsaves = v->secondary & SECONDARY_EXEC_ENABLE_XSAVES;
	uint64_t host_xss = 0;

	if (xsaves) {
		struct cpuid_regs r = cpuid(CPUID_LEAF_XSAVE, 1);

		host_xss = ((uint64_t)r.edx << 32) | r.ecx;
		vmwrite(XSS_EXIT_BITMAP, 0);
		wrmsr(MSR_IA32_XSS, 0);
	}
	/* One origin for the partition's vCPUs: their TSCs agree, as on one machine. */
	/*
	 * lapic = passthrough: the guest's TSC is the host's (offset 0), for the
	 * CPU compares a TSC_DEADLINE written without an exit with its own TSC.
	 */
	msr_state_reset(&v->msr, v->index, partition_lapic_pt(v->part) ? 0 : v->part->boot_tsc,
			xsaves, msr_xss_allowed(host_xss));
	vmwrite(TSC_OFFSET, v->msr.tsc_offset);
}
