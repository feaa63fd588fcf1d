/*
 * The guest PMU (see pmu.h). The counters stay the guest's across VM exits:
 * the CPU runs nothing else, and switching PERF_GLOBAL_CTRL at every exit
 * would cost every partition's exits; Tessera's own exit handling is
 * therefore counted as the guest's (docs/pmu.md).
 */
#include "hv/partition/pmu.h"
#include "hv/partition/partition.h"
#include "hv/policy/msr_policy.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "lib/log.h"

void pmu_build(struct partition *p)
{
	struct partition_pmu *m = &p->pmu;
	struct cpuid_regs leaf_a = cpuid(CPUID_LEAF_PMU, 0);
	uint64_t caps = 0;

	*m = (struct partition_pmu){0};
	if (p->cfg->pmu != CONFIG_ON)
		return;
	/*
	 * Where CPUID says PDCM, or the PMU is version 2 or later: some models
	 * (Bochs's tigerlake) have the MSR without the bit. A #GP means 0: no LBRs.
	 */
	if ((cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_PDCM) || (leaf_a.eax & 0xff) >= 2)
		rdmsr_safe(MSR_IA32_PERF_CAPABILITIES, &caps);
	m->on = true;
	pmu_offer_from(&m->offer, &leaf_a, caps);
	m->nr_msrs = pmu_guest_msrs(&m->offer, m->msrs, PMU_MSRS_MAX);
	for (uint32_t i = 0; i < m->nr_msrs; i++)
		msr_bitmap_pass(p->msr_bitmap, m->msrs[i]);
	log_info("partition %s: pmu: version %u, %u general-purpose and %u fixed counters, %u LBR "
		 "records, PERF_CAPABILITIES %#llx, %u MSRs without exits",
		 p->name, m->offer.version, m->offer.nr_gp, m->offer.nr_fixed, m->offer.lbr_depth,
		 (unsigned long long)m->offer.perf_caps, m->nr_msrs);
}

/* Counting stops first, then every register the guest may reach is zeroed. */
void pmu_reset_vcpu(struct vcpu *v)
{
	const struct partition_pmu *m = &v->part->pmu;
	uint64_t status = 0;

	if (!m->on)
		return;
	wrmsr_safe(MSR_IA32_PERF_GLOBAL_CTRL, 0);
	wrmsr_safe(MSR_IA32_DEBUGCTL, 0);
	/* Overflow bits go by writing them to the reset register; the rest by writing 0. */
	if (m->offer.version >= 2 && rdmsr_safe(MSR_IA32_PERF_GLOBAL_STATUS, &status) && status)
		wrmsr_safe(MSR_IA32_PERF_GLOBAL_OVF_CTRL, status);
	for (uint32_t i = 0; i < m->nr_msrs; i++)
		wrmsr_safe(m->msrs[i], 0); /* read-only ones (STATUS, TOS) refuse: reset above */
	msr_state_offer_pmu(&v->msr, m->offer.perf_caps);
}
