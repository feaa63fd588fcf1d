/*
 * Sub-page write protection (docs/memory-protection.md): TESSERA_HC_SPP_SET
 * gives a 4 KiB guest page a 32-bit write mask, one bit per 128-byte
 * sub-page. Its EPT leaf becomes a 4 KiB page, readable and executable but
 * not writable, marked EPT_SPP; the SPP table holds the mask. The CPU then
 * lets writes to the permitted sub-pages through without an exit and turns
 * the others into EPT violations, which are reported to the guest as #VE: by
 * the CPU itself where it has EPT-violation #VE and the writing vCPU gave its
 * #VE information page (the leaf's "suppress #VE" is clear), else by Tessera
 * from the violation. Every change is followed by INVEPT on every vCPU of the
 * partition before the call returns.
 */
#include "hv/partition/memprot.h"
#include "hv/partition/partition.h"
#include "hv/exit/vmexit.h"
#include "hv/hyperv/hyperv.h"
#include "hv/policy/memprot_check.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"

/* Table pages for changes after the build: the partition's own bounded pool. */
static uint64_t pool_alloc(void *opaque)
{
	struct memprot *mp = &((struct partition *)opaque)->mp;

	if (mp->pool_used >= MEMPROT_POOL_PAGES)
		return 0;
	return mp->pool + PAGE_SIZE * mp->pool_used++;
}

/* First protection: the pool, from which the EPT's splits and the SPP tables come. */
static bool pool_ready(struct partition *p)
{
	struct memprot *mp = &p->mp;

	if (mp->pool)
		return true;
	/* Not alloc_pages(): a guest's request must not panic Tessera when memory is short. */
	mp->pool = alloc_pages_below(MEMPROT_POOL_PAGES, 4 * GiB);
	if (!mp->pool)
		return false;
	memset((void *)(uintptr_t)mp->pool, 0, MEMPROT_POOL_PAGES * PAGE_SIZE);
	p->ept.alloc_table = mp->sppt.alloc_table = pool_alloc;
	p->ept.opaque = mp->sppt.opaque = p;
	return true;
}

/* Pages Tessera itself writes for the partition: never write-protected for the guest. */
static uint32_t shared_pages(struct partition *p, uint64_t *out)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (p->vcpus[i]->ve_info)
			out[n++] = p->vcpus[i]->ve_info_gpa;
	n += hyperv_shared_pages(p, out + n);
	return n;
}

static long check_page(struct vcpu *v, uint64_t gpa, bool setting, uint64_t *page)
{
	struct partition *p = v->part;
	uint64_t shared[CONFIG_MAX_PARTITION_CPUS + HYPERV_SHARED_PAGES_MAX];
	struct spp_env env = {p->regions, p->nr_regions, p->mp.gpa_mask, shared, 0, p->mp.spp};

	env.nr_shared = shared_pages(p, shared);
	return spp_check_page(&env, gpa, setting, page);
}

static int find_page(const struct memprot *mp, uint64_t page)
{
	for (uint32_t i = 0; i < mp->nr_pages; i++)
		if (mp->pages[i] == page)
			return (int)i;
	return -1;
}

/* Protects `page` with mask (not all ones); lock held. 0 or a TESSERA_E_* error. */
static long protect(struct partition *p, uint64_t page, uint32_t mask, uint64_t flags)
{
	struct memprot *mp = &p->mp;
	int i = find_page(mp, page);
	/* #VE by the CPU needs "suppress #VE" clear; Tessera's report wants the exit. */
	uint64_t sve = flags & TESSERA_SPP_REPORT_INJECT ? EPT_SUPPRESS_VE : 0;

	if (i < 0 && mp->nr_pages == TESSERA_SPP_MAX_PAGES)
		return TESSERA_E_NOMEM;
	if (!pool_ready(p))
		return TESSERA_E_NOMEM;
	/* The mask first: the CPU reads it only once the leaf says EPT_SPP. */
	if (spp_set(&mp->sppt, page, mask) ||
	    ept_update_4k(&p->ept, page, EPT_WRITE | EPT_SUPPRESS_VE, EPT_SPP | sve, NULL))
		return TESSERA_E_NOMEM;
	if (i < 0)
		mp->pages[mp->nr_pages++] = page;
	return 0;
}

/* Lifts the protection of pages[i]; lock held. The leaf stays a 4 KiB page. */
static void unprotect(struct partition *p, uint32_t i)
{
	struct memprot *mp = &p->mp;
	uint64_t page = mp->pages[i];

	ept_update_4k(&p->ept, page, EPT_SPP, EPT_WRITE | EPT_SUPPRESS_VE, NULL);
	spp_set(&mp->sppt, page, SPP_MASK_ALL);
	mp->pages[i] = mp->pages[--mp->nr_pages];
}

long spp_set_call(struct vcpu *v, uint64_t gpa, uint64_t mask, uint64_t flags)
{
	struct partition *p = v->part;
	uint64_t page;
	long rc = check_page(v, gpa, true, &page);

	if (rc)
		return rc;
	spin_lock(&p->mp.lock);
	int i = find_page(&p->mp, page);

	if (mask != SPP_MASK_ALL)
		rc = protect(p, page, (uint32_t)mask, flags);
	else if (i >= 0)
		unprotect(p, (uint32_t)i);
	spin_unlock(&p->mp.lock);
	/* Outside the lock: a vCPU spinning for it could not answer the flush. */
	if (!rc && !tlb_flush_ept_everywhere(v))
		log_warn("partition %s: vCPU %u: SPP change at GPA %#llx: a vCPU did not flush",
			 p->name, v->index, (unsigned long long)page);
	return rc;
}

long spp_get_call(struct vcpu *v, uint64_t gpa)
{
	struct partition *p = v->part;
	uint64_t page, hpa, leaf, size;
	uint32_t mask = SPP_MASK_ALL;
	long rc = check_page(v, gpa, false, &page);

	if (rc)
		return rc;
	spin_lock(&p->mp.lock);
	if (ept_lookup(&p->ept, page, &hpa, &leaf, &size) && (leaf & EPT_SPP) &&
	    !spp_get(&p->mp.sppt, page, &mask))
		mask = 0;
	spin_unlock(&p->mp.lock);
	return (long)mask;
}

/* The vCPU's #VE information page; with it and #VE in the CPU, reports need no exit. */
long ve_info_call(struct vcpu *v, uint64_t gpa)
{
	struct partition *p = v->part;
	void *hva = NULL;

	if (!p->mp.spp)
		return TESSERA_E_NOTSUP;
	if (gpa != TESSERA_VE_INFO_NONE) {
		uint64_t page = partition_gpa(p, gpa), hpa, leaf, size;

		hva = gpa_to_hva(p, page, PAGE_SIZE);
		if (!hva)
			return TESSERA_E_FAULT;
		/* A page the CPU writes must not itself be write-protected. */
		if (ept_lookup(&p->ept, page, &hpa, &leaf, &size) && (leaf & EPT_SPP))
			return TESSERA_E_DENIED;
		gpa = page;
	}
	v->ve_info_gpa = gpa;
	v->ve_info = hva;
	memprot_setup_vmcs(v);
	return 0;
}

void memprot_setup_vmcs(struct vcpu *v)
{
	struct partition *p = v->part;

	if (!p->mp.spp)
		return;
	vmwrite(SPP_TABLE_POINTER, p->mp.sppt.root);
	if (!p->mp.ve_hw)
		return;
	if (v->ve_info) {
		vmwrite(VE_INFO_ADDR, (uint64_t)(uintptr_t)v->ve_info);
		v->secondary |= SECONDARY_EXEC_EPT_VIOLATION_VE;
	} else {
		v->secondary &= ~(uint32_t)SECONDARY_EXEC_EPT_VIOLATION_VE;
	}
	vmwrite(SECONDARY_VM_EXEC_CONTROL, v->secondary);
}

void memprot_reset(struct vcpu *v)
{
	struct partition *p = v->part;

	if (!p->mp.spp)
		return;
	spin_lock(&p->mp.lock);
	while (p->mp.nr_pages)
		unprotect(p, p->mp.nr_pages - 1);
	spin_unlock(&p->mp.lock);
	/* The other vCPUs flushed when they were set up, before any guest code ran. */
	invept(INVEPT_SINGLE_CONTEXT, p->ept.eptp);
}

/*
 * Tessera's report: the #VE information page filled as the CPU would, then
 * #VE; without a page, or while the guest has not taken the last record, #PF.
 */
static void report(struct vcpu *v, uint64_t gpa, uint64_t qual)
{
	struct tessera_ve_info *ve = v->ve_info;
	uint64_t gla = qual & EPT_VIOL_GLA_VALID ? vmread(GUEST_LINEAR_ADDRESS) : 0;

	if (!ve || __atomic_load_n(&ve->busy, __ATOMIC_ACQUIRE) ||
	    (vmread(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID)) {
		memprot_deliver_pf(v, qual,
				   PF_ERR_P | PF_ERR_W | (guest_cpl() == 3 ? PF_ERR_U : 0));
		return;
	}
	*ve = (struct tessera_ve_info){EXIT_REASON_EPT_VIOLATION, 0, qual, gla, gpa, 0, {0}};
	__atomic_store_n(&ve->busy, 0xffffffffu, __ATOMIC_RELEASE);
	if (qual & EPT_VIOL_NMI_UNBLOCKING)
		vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			vmread(GUEST_INTERRUPTIBILITY_INFO) | GUEST_INTR_STATE_NMI);
	inject_exception(v, EXC_VE);
}

bool spp_ept_violation(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act)
{
	struct partition *p = v->part;
	uint64_t hpa, leaf, size;

	if (!p->mp.spp || !(qual & EPT_VIOL_WRITE) || !ept_lookup(&p->ept, gpa, &hpa, &leaf, &size))
		return false;
	if (leaf & EPT_WRITE) {
		/* Unprotected meanwhile: a translation from before, which the flush drops. */
		invept(INVEPT_SINGLE_CONTEXT, p->ept.eptp);
		*act = EXIT_RESUME;
		return true;
	}
	if (!(leaf & EPT_SPP))
		return false;
	report(v, gpa, qual);
	*act = EXIT_RESUME;
	return true;
}
