/*
 * The guest PMU and LBRs of a partition with pmu = on (docs/pmu.md): the
 * CPU's counters, event selects, global controls and LBR stack passed
 * through the MSR bitmap, RDPMC without exits, IA32_MISC_ENABLE.EMON set,
 * IA32_PERF_CAPABILITIES filtered; everything zeroed at every (re)start.
 * The rules are hv/policy/pmu_policy.c.
 */
#ifndef TESSERA_HV_PARTITION_PMU_H
#define TESSERA_HV_PARTITION_PMU_H

#include "hv/policy/pmu_policy.h"

struct partition;
struct vcpu;

struct partition_pmu {
	bool on;
	struct pmu_offer offer;
	uint32_t nr_msrs;
	uint32_t msrs[PMU_MSRS_MAX]; /* passed through, zeroed at every start */
};

/* Partition build, after msr_bitmap_init() and before the x2APIC bitmap is copied from it. */
void pmu_build(struct partition *p);
/* At every (re)start on v's CPU: the PMU and LBR MSRs zeroed, the emulated ones offered. */
void pmu_reset_vcpu(struct vcpu *v);

#endif
