/*
 * A partition's Hyper-V state: built once (the offer and its CPUID leaves),
 * reset at every boot (the synthetic MSRs, the reference clock), and read by
 * the CPUID exit. See hyperv.h.
 */
#include "hv/hyperv/hyperv.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"

int hyperv_build(struct partition *p)
{
	struct hyperv *hv;

	p->hv = NULL;
	if (p->cfg->hyperv != CONFIG_ON)
		return 0;
	hv = alloc_pages(ALIGN_UP(sizeof(*hv), PAGE_SIZE) / PAGE_SIZE);
	if (!hv)
		return -1;
	/* XMM input: the guest's XMM registers are live during exits (Tessera never uses them). */
	hv->offer = hv_offer_for(p->nr_vcpus);
	hv_cpuid_build(&hv->offer, &hv->cpuid);
	hv->tsc_hz = p->vcpus[0]->cpu->tsc_khz * 1000;
	p->hv = hv;
	hyperv_print_offer(p);
	return 0;
}

uint32_t hyperv_shared_pages(struct partition *p, uint64_t *out)
{
	struct hyperv *hv = p->hv;
	uint32_t n = 0;

	if (!hv)
		return 0;
	spin_lock(&hv->lock);
	if (hv->msrs.hypercall & HV_X64_MSR_HYPERCALL_ENABLE)
		out[n++] = hv->msrs.hypercall & ~(uint64_t)(PAGE_SIZE - 1);
	if (hv->msrs.reference_tsc & HV_X64_MSR_TSC_REFERENCE_ENABLE)
		out[n++] = hv->msrs.reference_tsc & ~(uint64_t)(PAGE_SIZE - 1);
	spin_unlock(&hv->lock);
	return n;
}

void hyperv_reset(struct partition *p)
{
	struct hyperv *hv = p->hv;

	if (!hv)
		return;
	spin_lock(&hv->lock);
	hv->msrs = (struct hv_partition_msrs){0};
	memset(hv->vp_msrs, 0, sizeof(hv->vp_msrs));
	/* The clock counts the partition's TSC, which every vCPU's TSC is at reset. */
	hv_ref_clock_init(&hv->clock, hv->tsc_hz ? hv->tsc_hz : 1, 0);
	spin_unlock(&hv->lock);
}

void hyperv_print_offer(const struct partition *p)
{
	const struct hv_cpuid *c = &p->hv->cpuid;

	for (uint32_t i = 0; i < HV_CPUID_COUNT; i++)
		log_info("partition %s: hyperv: leaf %#x: eax %08x ebx %08x ecx %08x edx %08x (%s)",
			 p->name, HV_CPUID_FIRST + i, c->leaf[i].eax, c->leaf[i].ebx,
			 c->leaf[i].ecx, c->leaf[i].edx, hv_cpuid_leaf_name(i));
}

bool hyperv_cpuid(const struct vcpu *v, uint32_t leaf, struct cpuid_regs *r)
{
	return v->part->hv && hv_cpuid_get(&v->part->hv->cpuid, leaf, r);
}

uint64_t hyperv_ref_time(const struct partition *p)
{
	return hv_ref_time(&p->hv->clock, rdtsc() - p->boot_tsc);
}
