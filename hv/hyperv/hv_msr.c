/*
 * The synthetic MSRs of a Hyper-V partition (rules: hv/policy/hyperv_msr.c):
 * the per-VP views, and the pages a write may ask for: the hypercall and
 * reference TSC pages, written into guest RAM, and the VP assist page, only
 * checked. A page's GPA must be a page of the partition's RAM, else the write
 * #GPs and changes nothing.
 */
#include "hv/hyperv/hyperv.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "lib/string.h"

static struct hv_vp_view vp_view(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t hz = p->hv->tsc_hz ? p->hv->tsc_hz : 1;

	/* A vCPU owns its CPU from the partition's boot: it runs all that time. */
	return (struct hv_vp_view){
	    .vp_index = v->index,
	    .runtime_100ns = hv_ticks_to_100ns(rdtsc() - p->boot_tsc, hz),
	    .ref_time_100ns = hyperv_ref_time(p),
	    .tsc_hz = p->hv->tsc_hz,
	    .apic_hz = p->hv->tsc_hz, /* the vLAPIC timer counts guest TSC ticks */
	};
}

bool hyperv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	struct hyperv *hv = v->part->hv;
	struct hv_vp_view view = vp_view(v);
	bool ok;

	spin_lock(&hv->lock);
	ok = hv_msr_read(&hv->msrs, &view, msr, value);
	spin_unlock(&hv->lock);
	return ok;
}

/* The page at pfn (shifted GPA), if it is all RAM of the partition. */
static uint8_t *guest_page(struct partition *p, uint64_t msr_value)
{
	return gpa_to_hva(p, msr_value & ~(uint64_t)(PAGE_SIZE - 1), PAGE_SIZE);
}

/* TLFS: the page holds the call sequence; the rest is int3 (0xcc) here. */
static void fill_hypercall_page(uint8_t *page)
{
	memset(page, 0xcc, PAGE_SIZE);
	memcpy(page, hv_hypercall_page_code, HV_HYPERCALL_PAGE_CODE_LEN);
}

/*
 * The reference TSC page. The sequence is invalid (0) while the fields change,
 * then a new value: a guest that saw the old one reads again. Without a scale
 * (a TSC of 10 MHz or slower) it stays 0: the guest falls back to the MSR.
 */
static void fill_tsc_page(struct hyperv *hv, uint8_t *page)
{
	struct hv_reference_tsc_page *t = (struct hv_reference_tsc_page *)page;
	uint32_t seq = t->tsc_sequence + 1;

	if (seq == 0 || seq == 0xffffffffu) /* 0xffffffff: what Hyper-V says is invalid too */
		seq = 1;
	t->tsc_sequence = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_scale = hv->clock.scale;
	t->tsc_offset = hv->clock.offset;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_sequence = hv->clock.scale ? seq : 0;
}

bool hyperv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct partition *p = v->part;
	struct hyperv *hv = p->hv;
	struct hv_partition_msrs next;
	struct hv_vp_msrs next_vp;
	uint8_t *page = NULL;
	bool ok = true;

	spin_lock(&hv->lock);
	next = hv->msrs;
	next_vp = hv->vp_msrs[v->index];
	switch (hv_msr_write(&next, &next_vp, msr, value)) {
	case HV_MSR_GP:
		ok = false;
		break;
	case HV_MSR_DONE:
		break;
	case HV_MSR_HYPERCALL_PAGE:
		page = guest_page(p, next.hypercall);
		if (page)
			fill_hypercall_page(page);
		ok = page != NULL;
		break;
	case HV_MSR_TSC_PAGE:
		page = guest_page(p, next.reference_tsc);
		if (page)
			fill_tsc_page(hv, page);
		ok = page != NULL;
		break;
	case HV_MSR_VP_ASSIST: /* an overlay of the guest's own page: nothing written into it */
		ok = guest_page(p, next_vp.vp_assist) != NULL;
		break;
	}
	if (ok) {
		hv->msrs = next;
		hv->vp_msrs[v->index] = next_vp;
	}
	spin_unlock(&hv->lock);
	return ok;
}
