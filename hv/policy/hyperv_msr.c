/* The Hyper-V synthetic MSRs: see hyperv_msr.h. */
#include "hv/policy/hyperv_msr.h"

const uint8_t hv_hypercall_page_code[HV_HYPERCALL_PAGE_CODE_LEN] = {0x0f, 0x01, 0xc1, 0xc3};

/* Bits 11:2 of HYPERCALL and 11:1 of REFERENCE_TSC and VP_ASSIST_PAGE are reserved. */
#define HYPERCALL_RSVD 0xffcull
#define REF_TSC_RSVD   0xffeull
#define VP_ASSIST_RSVD 0xffeull

static enum hv_msr_result write_hypercall(struct hv_partition_msrs *s, uint64_t val)
{
	if (val & HYPERCALL_RSVD)
		return HV_MSR_GP;
	if (s->hypercall & HV_X64_MSR_HYPERCALL_LOCKED)
		return val == s->hypercall ? HV_MSR_DONE : HV_MSR_GP;
	/* The page cannot be enabled before the guest has said who it is. */
	if (!s->guest_os_id)
		val &= ~HV_X64_MSR_HYPERCALL_ENABLE;
	s->hypercall = val;
	return val & HV_X64_MSR_HYPERCALL_ENABLE ? HV_MSR_HYPERCALL_PAGE : HV_MSR_DONE;
}

enum hv_msr_result hv_msr_write(struct hv_partition_msrs *s, struct hv_vp_msrs *vp, uint32_t msr,
				uint64_t val)
{
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		s->guest_os_id = val;
		/* A cleared OS ID disables the hypercall page (unless it is locked). */
		if (!val && !(s->hypercall & HV_X64_MSR_HYPERCALL_LOCKED))
			s->hypercall &= ~HV_X64_MSR_HYPERCALL_ENABLE;
		return HV_MSR_DONE;
	case HV_X64_MSR_HYPERCALL:
		return write_hypercall(s, val);
	case HV_X64_MSR_REFERENCE_TSC:
		if (val & REF_TSC_RSVD)
			return HV_MSR_GP;
		s->reference_tsc = val;
		return val & HV_X64_MSR_TSC_REFERENCE_ENABLE ? HV_MSR_TSC_PAGE : HV_MSR_DONE;
	case HV_X64_MSR_VP_ASSIST_PAGE:
		if (val & VP_ASSIST_RSVD)
			return HV_MSR_GP;
		vp->vp_assist = val;
		return val & HV_X64_MSR_VP_ASSIST_PAGE_ENABLE ? HV_MSR_VP_ASSIST : HV_MSR_DONE;
	default: /* VP_INDEX, VP_RUNTIME, TIME_REF_COUNT, the frequencies: read-only */
		return HV_MSR_GP;
	}
}

bool hv_msr_read(const struct hv_partition_msrs *s, const struct hv_vp_view *vp, uint32_t msr,
		 uint64_t *val)
{
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		*val = s->guest_os_id;
		return true;
	case HV_X64_MSR_HYPERCALL:
		*val = s->hypercall;
		return true;
	case HV_X64_MSR_VP_INDEX:
		*val = vp->vp_index;
		return true;
	case HV_X64_MSR_VP_RUNTIME:
		*val = vp->runtime_100ns;
		return true;
	case HV_X64_MSR_TIME_REF_COUNT:
		*val = vp->ref_time_100ns;
		return true;
	case HV_X64_MSR_REFERENCE_TSC:
		*val = s->reference_tsc;
		return true;
	case HV_X64_MSR_TSC_FREQUENCY:
		*val = vp->tsc_hz;
		return true;
	case HV_X64_MSR_APIC_FREQUENCY:
		*val = vp->apic_hz;
		return true;
	case HV_X64_MSR_VP_ASSIST_PAGE:
		*val = vp->vp_assist;
		return true;
	default:
		return false;
	}
}
