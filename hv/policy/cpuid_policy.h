/*
 * What a guest's CPUID returns: the hardware's answer with the features
 * Tessera does not offer (VMX, machine checks, MONITOR/MWAIT, performance
 * counters and the debug store, thermal and power control, CET, x2APIC...)
 * taken out, the vCPU's own APIC ID put in, and the hypervisor leaves
 * 0x40000000-0x4fffffff (Tessera's at 0x40000100, see guest-abi/tessera.h).
 * Pure: the exit handler (hv/exit/exit_cpuid.c) executes CPUID and gathers
 * what the filter needs.
 */
#ifndef TESSERA_HV_CPUID_POLICY_H
#define TESSERA_HV_CPUID_POLICY_H

#include "lib/types.h"
#include "arch/x86/cpuid.h"

/* What the filter needs to know about the asking vCPU. */
struct cpuid_guest {
	uint32_t vcpu_index; /* its APIC ID as the guest sees it */
	uint32_t secondary;  /* secondary VM-execution controls in use (SECONDARY_EXEC_*) */
	bool osxsave;	     /* the guest's CR4.OSXSAVE (only read for leaf 1) */
	bool no_x2apic;	     /* the partition has x2apic = off: leaf 1 hides it */
	bool apic_disabled;  /* its IA32_APIC_BASE.EN is clear: leaf 1 EDX.APIC too */
	uint64_t tsc_khz;    /* the TSC rate Tessera measured (leaves 0x15, 0x16); 0 unknown */
	unsigned xom_bit;    /* xom: the alias bit, leaf 0x80000008's physical width; else 0 */
	bool pmu;	     /* pmu = on: leaf 0xA as the CPU has it, PDCM in leaf 1 */
};

/* True for the leaves Tessera answers itself, without asking the hardware. */
static inline bool cpuid_is_hv_leaf(uint32_t leaf)
{
	return leaf - CPUID_HV_FIRST <= CPUID_HV_LAST - CPUID_HV_FIRST;
}

/*
 * The hypervisor leaves (cpuid_is_hv_leaf): Tessera's signature at 0x40000000
 * and 0x40000100, its features at 0x40000101, zeros for every other leaf.
 */
struct cpuid_regs cpuid_hv_leaf(uint32_t leaf);
/* The same, with the partition's TESSERA_FEAT_* bits beyond hypercalls and its alias bit. */
struct cpuid_regs cpuid_hv_leaf_for(uint32_t leaf, uint32_t features, unsigned xom_bit);

/* Edits the hardware's answer r to leaf/subleaf into what the guest may see. */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_guest *g,
		  struct cpuid_regs *r);

/*
 * The basic leaves (below 32) cpuid_filter() changes, as a bit mask; with
 * 0x80000001 and 0x80000008 these are all it touches (tests/unit/test_cpuid_policy.c checks
 * that every other leaf passes through). The exit handler calls the filter only
 * for them, so the common leaves cost no call and no trip through memory.
 */
#define CPUID_FILTERED_BASIC                                                                \
	(BIT(CPUID_LEAF_FEATURES) | BIT(CPUID_LEAF_MWAIT) | BIT(CPUID_LEAF_THERMAL_POWER) | \
	 BIT(CPUID_LEAF_EXT_FEATURES) | BIT(CPUID_LEAF_PMU) | BIT(CPUID_LEAF_TOPOLOGY) |    \
	 BIT(CPUID_LEAF_XSAVE) | BIT(CPUID_LEAF_TOPOLOGY_V2) | BIT(CPUID_LEAF_TSC) |        \
	 BIT(CPUID_LEAF_FREQ))

static inline bool cpuid_leaf_filtered(uint32_t leaf)
{
	return leaf < 32 ? (CPUID_FILTERED_BASIC >> leaf) & 1
			 : leaf == CPUID_EXT_FEATURES || leaf == CPUID_EXT_ADDR_SIZES;
}

#endif
