/* What a guest PMU offers and reaches: see pmu_policy.h. */
#include "hv/policy/pmu_policy.h"
#include "arch/x86/msr.h"

void pmu_offer_from(struct pmu_offer *o, const struct cpuid_regs *leaf_a, uint64_t host_caps)
{
	uint32_t lbr_fmt = (uint32_t)(host_caps & PERF_CAP_LBR_FMT_MASK);

	*o = (struct pmu_offer){0};
	o->version = leaf_a->eax & 0xff;
	if (!o->version)
		return;
	o->nr_gp = MIN((leaf_a->eax >> 8) & 0xff, (uint32_t)PMU_GP_MAX);
	o->nr_fixed = o->version >= 2 ? MIN(leaf_a->edx & 0x1f, (uint32_t)PMU_FIXED_MAX) : 0;
	o->perf_caps = host_caps & (PERF_CAP_LBR_FMT_MASK | PERF_CAP_FW_WRITE);
	o->lbr_depth = lbr_fmt ? (lbr_fmt >= 5 ? 32 : 16) : 0;
}

static void add(uint32_t *out, uint32_t max, uint32_t *n, uint32_t first, uint32_t count)
{
	for (uint32_t i = 0; i < count && *n < max; i++)
		out[(*n)++] = first + i;
}

uint32_t pmu_guest_msrs(const struct pmu_offer *o, uint32_t *out, uint32_t max)
{
	uint32_t n = 0;

	if (!o->version)
		return 0;
	add(out, max, &n, MSR_IA32_PMC0, o->nr_gp);
	add(out, max, &n, MSR_IA32_PERFEVTSEL0, o->nr_gp);
	if (o->perf_caps & PERF_CAP_FW_WRITE)
		add(out, max, &n, MSR_IA32_A_PMC0, o->nr_gp);
	if (o->version >= 2) {
		add(out, max, &n, MSR_IA32_FIXED_CTR0, o->nr_fixed);
		add(out, max, &n, MSR_IA32_FIXED_CTR_CTRL, 1);
		add(out, max, &n, MSR_IA32_PERF_GLOBAL_STATUS, 3); /* STATUS, CTRL, OVF_CTRL */
	}
	if (o->version >= 4)
		add(out, max, &n, MSR_IA32_PERF_GLOBAL_STATUS_SET, 2); /* STATUS_SET, INUSE */
	/* DEBUGCTL is switched by VM entry and exit: the guest's own to write. */
	add(out, max, &n, MSR_IA32_DEBUGCTL, 1);
	if (o->lbr_depth) {
		add(out, max, &n, MSR_LBR_SELECT, 2); /* LBR_SELECT, TOS */
		add(out, max, &n, MSR_LBR_NHM_FROM, o->lbr_depth);
		add(out, max, &n, MSR_LBR_NHM_TO, o->lbr_depth);
		if ((o->perf_caps & PERF_CAP_LBR_FMT_MASK) >= 5)
			add(out, max, &n, MSR_LBR_INFO_0, o->lbr_depth);
	}
	return n;
}
