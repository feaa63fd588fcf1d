/* The Hyper-V CPUID leaves a partition is offered: see hyperv_offer.h. */
#include "hv/policy/hyperv_offer.h"

#define PRIVILEGES                                                                                 \
	(HV_MSR_VP_RUNTIME_AVAILABLE | HV_MSR_TIME_REF_COUNT_AVAILABLE |                           \
	 HV_MSR_HYPERCALL_AVAILABLE | HV_MSR_VP_INDEX_AVAILABLE | HV_MSR_REFERENCE_TSC_AVAILABLE | \
	 HV_ACCESS_FREQUENCY_MSRS)
/* Remote flushes and IPIs by hypercall; no watchdog on time (a dedicated CPU never stalls). */
#define RECOMMENDATIONS                                                            \
	(HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED | HV_X64_RELAXED_TIMING_RECOMMENDED | \
	 HV_X64_CLUSTER_IPI_RECOMMENDED | HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED)
/* Leaf 0x40000006: the hardware Tessera uses, MSR bitmaps and second-level translation. */
#define HW_MSR_BITMAPS (1u << 1)
#define HW_SLAT	       (1u << 3)

struct hv_offer hv_offer_for(uint32_t nr_vps)
{
	return (struct hv_offer){.nr_vps = nr_vps, .xmm_input = true, .ext_gva_ranges = true};
}

void hv_cpuid_build(const struct hv_offer *o, struct hv_cpuid *out)
{
	uint32_t features = HV_FEATURE_FREQUENCY_MSRS_AVAILABLE;

	if (o->xmm_input)
		features |= HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE;
	if (o->ext_gva_ranges)
		features |= HV_FEATURE_EXT_GVA_RANGES_FLUSH;
	*out = (struct hv_cpuid){.leaf = {
				     {HV_CPUID_LAST, HYPERV_CPUID_SIGNATURE_EBX,
				      HYPERV_CPUID_SIGNATURE_ECX, HYPERV_CPUID_SIGNATURE_EDX},
				     {HYPERV_CPUID_INTERFACE_HV1, 0, 0, 0},
				     {HV_TESSERA_BUILD, HV_TESSERA_VERSION, 0, 0},
				     {PRIVILEGES, 0, 0, features},
				     {RECOMMENDATIONS, HV_SPINLOCK_RETRIES_NEVER, 0, 0},
				     {o->nr_vps, o->nr_vps, 0, 0},
				     {HW_MSR_BITMAPS | HW_SLAT, 0, 0, 0},
				 }};
}

static const char *const leaf_names[HV_CPUID_COUNT] = {
    "vendor and max leaf", "interface", "version",	     "features",
    "recommendations",	   "limits",	"hardware features",
};

const char *hv_cpuid_leaf_name(uint32_t i)
{
	return i < HV_CPUID_COUNT ? leaf_names[i] : "unused";
}

bool hv_cpuid_get(const struct hv_cpuid *c, uint32_t leaf, struct cpuid_regs *r)
{
	if (leaf < HV_CPUID_FIRST || leaf > HV_CPUID_LAST)
		return false;
	*r = c->leaf[leaf - HV_CPUID_FIRST];
	return true;
}
