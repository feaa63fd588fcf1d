/*
 * What a partition with `hyperv = on` is offered of the Hyper-V interface,
 * as CPUID leaves 0x40000000-0x40000006 (TLFS "Feature Discovery"). Pure: the
 * hypervisor builds the leaves once per partition, the config compiler builds
 * the same ones on the host to show what a config would be offered
 * (the role of KVM_GET_SUPPORTED_HV_CPUID). Only what Tessera implements has
 * a bit: the hypercall page, VP index, VP runtime, the reference counter and
 * TSC page, the frequency MSRs, the PV TLB flush (all four forms, sparse VP
 * sets, extended GVA ranges) and the PV cluster IPI. No SynIC, no synthetic
 * timers, no APIC-access MSRs, no crash MSRs.
 */
#ifndef TESSERA_HV_POLICY_HYPERV_OFFER_H
#define TESSERA_HV_POLICY_HYPERV_OFFER_H

#include "lib/types.h"
#include "arch/x86/cpuid.h"
#include "guest-abi/hyperv-tlfs-x86.h"

/* The partition and CPU facts the offer depends on. */
struct hv_offer {
	uint32_t nr_vps;     /* the partition's vCPUs, VP indices 0..nr_vps-1 (<= 64) */
	bool xmm_input;	     /* the XMM fast hypercall form */
	bool ext_gva_ranges; /* HV_FLUSH_USE_EXTENDED_RANGE_FORMAT */
};

#define HV_CPUID_FIRST HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS
#define HV_CPUID_LAST  HYPERV_CPUID_HARDWARE_FEATURES
#define HV_CPUID_COUNT (HV_CPUID_LAST - HV_CPUID_FIRST + 1)

struct hv_cpuid {
	struct cpuid_regs leaf[HV_CPUID_COUNT]; /* leaf[i]: CPUID 0x40000000 + i */
};

/* The version Tessera reports in leaf 0x40000002 (build, major.minor). */
#define HV_TESSERA_BUILD   14393u
#define HV_TESSERA_VERSION 0x000a0000u /* 10.0 */

/*
 * What a partition of nr_vps vCPUs is offered. Nothing depends on the CPU: the
 * XMM input is read in root mode whatever the host's CR4 (fpu_read_xmm), and
 * the per-address flush falls back to a full one where INVVPID lacks it.
 */
struct hv_offer hv_offer_for(uint32_t nr_vps);

void hv_cpuid_build(const struct hv_offer *o, struct hv_cpuid *out);

/* Leaf `leaf` of the offer into *r; false (and *r untouched) outside it. */
bool hv_cpuid_get(const struct hv_cpuid *c, uint32_t leaf, struct cpuid_regs *r);

/* What leaf 0x40000000 + i is, for the report (TLFS names). */
const char *hv_cpuid_leaf_name(uint32_t i);

#endif
