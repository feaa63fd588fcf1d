/* What a TLB flush drops: see tlb_flush_plan.h. */
#include "hv/policy/tlb_flush_plan.h"

static bool canonical57(uint64_t gva)
{
	return (uint64_t)((int64_t)(gva << 7) >> 7) == gva;
}

void tlb_flush_plan_all(struct tlb_flush_plan *p, bool keep_global)
{
	/* A plan already full and dropping globals keeps dropping them. */
	p->keep_global = p->full ? p->keep_global && keep_global : keep_global;
	p->full = true;
	p->nr = 0;
}

static void add_one(struct tlb_flush_plan *p, uint64_t gva)
{
	for (uint32_t i = 0; i < p->nr; i++)
		if (p->gva[i] == gva)
			return;
	if (p->nr == TLB_FLUSH_ADDR_MAX) {
		tlb_flush_plan_all(p, false);
		return;
	}
	p->gva[p->nr++] = gva;
}

void tlb_flush_plan_add(struct tlb_flush_plan *p, uint64_t base, uint64_t pages,
			uint32_t page_shift, bool per_address)
{
	uint64_t size = 1ull << page_shift;

	base &= ~(size - 1);
	for (uint64_t i = 0; i < pages && !p->full; i++) {
		uint64_t gva = base + i * size;

		if (gva < base) /* wrapped past 2^64: no further pages */
			return;
		if (tlb_gva_canonical48(gva)) {
			if (!per_address || pages > TLB_FLUSH_ADDR_MAX)
				tlb_flush_plan_all(p, false);
			else
				add_one(p, gva);
		} else if (canonical57(gva)) {
			tlb_flush_plan_all(p, false);
		}
		/* Other pages lie in the hole: nothing can be cached for them. */
	}
}

void tlb_flush_plan_merge(struct tlb_flush_plan *dst, const struct tlb_flush_plan *src)
{
	dst->ept |= src->ept;
	if (src->full) {
		tlb_flush_plan_all(dst, src->keep_global);
		return;
	}
	for (uint32_t i = 0; i < src->nr && !dst->full; i++)
		add_one(dst, src->gva[i]);
}
