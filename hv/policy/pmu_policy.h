/*
 * The guest PMU of a partition with pmu = on (docs/pmu.md): on a dedicated
 * CPU the guest owns the counters, so what it is offered is the CPU's own
 * architectural PMU (CPUID 0xA) and LBR stack, reached without exits through
 * the MSR bitmap. Pure: which MSRs those are, what IA32_PERF_CAPABILITIES
 * shows, from what the CPU reports. hv/partition/pmu.c applies it.
 */
#ifndef TESSERA_HV_POLICY_PMU_POLICY_H
#define TESSERA_HV_POLICY_PMU_POLICY_H

#include "lib/types.h"
#include "arch/x86/cpuid.h"

#define PMU_GP_MAX    8	 /* general-purpose counters passed at most (PERFEVTSEL0-7) */
#define PMU_FIXED_MAX 4	 /* fixed counters at most */
#define PMU_LBR_MAX   32 /* LBR records at most */
/* Every MSR an offer can hold, with room for the longest one. */
#define PMU_MSRS_MAX  (3 * PMU_GP_MAX + PMU_FIXED_MAX + 6 + 3 + 3 * PMU_LBR_MAX + 1)

struct pmu_offer {
	uint32_t version;   /* CPUID.0xA:EAX[7:0], 0: no PMU */
	uint32_t nr_gp;	    /* general-purpose counters */
	uint32_t nr_fixed;  /* fixed counters (version 2 and later) */
	uint32_t lbr_depth; /* LBR records, 0: no LBRs */
	uint64_t perf_caps; /* IA32_PERF_CAPABILITIES as the guest reads it */
};

/*
 * The offer from the CPU's CPUID leaf 0xA and IA32_PERF_CAPABILITIES
 * (host_caps: 0 when it cannot be read). Counts are bounded by the maxima above.
 * PERF_CAPABILITIES keeps only the LBR format and full-width writes: PEBS,
 * SMM freeze, perf metrics and the rest describe what is not offered. LBRs
 * are offered with a format; their depth is the model's (32 from format 5,
 * as on Skylake and later, else 16).
 */
void pmu_offer_from(struct pmu_offer *o, const struct cpuid_regs *leaf_a, uint64_t host_caps);

/* The MSRs the guest reads and writes without an exit under the offer: how many, into out. */
uint32_t pmu_guest_msrs(const struct pmu_offer *o, uint32_t *out, uint32_t max);

#endif
