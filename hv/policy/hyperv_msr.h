/*
 * The Hyper-V synthetic MSRs (pure rules; hv/hyperv/ does what they ask).
 * GUEST_OS_ID, HYPERCALL and REFERENCE_TSC are the partition's (one value for
 * all its VPs, under the caller's lock); VP_INDEX, VP_RUNTIME and
 * VP_ASSIST_PAGE are each VP's;
 * TIME_REF_COUNT, TSC_FREQUENCY and APIC_FREQUENCY read the clock. Every other
 * MSR of 0x40000000-0x400000ff, a write to a read-only one, a reserved bit or
 * a change of a locked hypercall page #GPs.
 */
#ifndef TESSERA_HV_POLICY_HYPERV_MSR_H
#define TESSERA_HV_POLICY_HYPERV_MSR_H

#include "lib/types.h"
#include "guest-abi/hyperv-tlfs-x86.h"

struct hv_partition_msrs {
	uint64_t guest_os_id;
	uint64_t hypercall;
	uint64_t reference_tsc;
};

/*
 * Each VP's own writable synthetic MSRs. VP_ASSIST_PAGE is stored and read
 * back; Tessera puts nothing in the page (it recommends neither the APIC
 * assist EOI nor nested enlightenments), but Linux enables it on every CPU
 * whatever CPUID offers, so a #GP there would be a warning at every boot.
 */
struct hv_vp_msrs {
	uint64_t vp_assist;
};

/* What a read needs of the reading VP and the clocks. */
struct hv_vp_view {
	uint32_t vp_index;
	uint64_t runtime_100ns;
	uint64_t ref_time_100ns;
	uint64_t tsc_hz;
	uint64_t apic_hz;
	uint64_t vp_assist;
};

enum hv_msr_result {
	HV_MSR_GP,	       /* #GP(0): nothing changed */
	HV_MSR_DONE,	       /* the value is stored */
	HV_MSR_HYPERCALL_PAGE, /* stored, enabled: fill the hypercall page at its PFN */
	HV_MSR_TSC_PAGE,       /* stored, enabled: write the reference TSC page at its PFN */
	HV_MSR_VP_ASSIST,      /* stored, enabled: its PFN must be a page of the partition's RAM */
};

static inline bool hv_msr_is_synthetic(uint32_t msr)
{
	return msr >= HV_X64_MSR_FIRST && msr <= HV_X64_MSR_LAST;
}

/* A write of val to msr by a VP; *s and *vp change only when the result is not HV_MSR_GP. */
enum hv_msr_result hv_msr_write(struct hv_partition_msrs *s, struct hv_vp_msrs *vp, uint32_t msr,
				uint64_t val);

/* A read of msr into *val; false: #GP. */
bool hv_msr_read(const struct hv_partition_msrs *s, const struct hv_vp_view *vp, uint32_t msr,
		 uint64_t *val);

/* Whether hypercalls are the Hyper-V interface's: an OS ID and an enabled page. */
static inline bool hv_hypercalls_enabled(const struct hv_partition_msrs *s)
{
	return s->guest_os_id && (s->hypercall & HV_X64_MSR_HYPERCALL_ENABLE);
}

/* The hypercall page's code: VMCALL; RET (TLFS: the hypervisor fills the page). */
#define HV_HYPERCALL_PAGE_CODE_LEN 4
extern const uint8_t hv_hypercall_page_code[HV_HYPERCALL_PAGE_CODE_LEN];

#endif
