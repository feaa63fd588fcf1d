/*
 * What a vCPU's TLB flush must drop (pure: host-tested): a short list of
 * linear addresses, each one INVVPID individual-address invalidation, or the
 * whole context once the list would pass TLB_FLUSH_ADDR_MAX entries (one
 * single-context INVVPID is cheaper than that many, and a full flush is always
 * correct). Senders merge into a target's plan; the target flushes it before
 * its next guest instruction.
 */
#ifndef TESSERA_HV_POLICY_TLB_FLUSH_PLAN_H
#define TESSERA_HV_POLICY_TLB_FLUSH_PLAN_H

#include "lib/types.h"

/* Pages flushed one by one at most; above it a flush drops the whole context. */
#define TLB_FLUSH_ADDR_MAX 32u

struct tlb_flush_plan {
	bool full;	  /* drop every translation of the VPID */
	bool keep_global; /* full: global translations may stay (all senders allowed it) */
	/*
	 * Also what the CPU derived from the EPT and the SPP table (INVEPT
	 * single-context): after a change of either (sub-page protection).
	 */
	bool ept;
	uint32_t nr; /* addresses in gva[] (not full) */
	uint64_t gva[TLB_FLUSH_ADDR_MAX];
};

/* A linear address INVVPID accepts: canonical for 48 bits (it fails on the others). */
static inline bool tlb_gva_canonical48(uint64_t gva)
{
	return (uint64_t)((int64_t)(gva << 16) >> 16) == gva;
}

static inline bool tlb_flush_plan_empty(const struct tlb_flush_plan *p)
{
	return !p->full && p->nr == 0 && !p->ept;
}

/* Everything (keep_global: global translations may stay). */
void tlb_flush_plan_all(struct tlb_flush_plan *p, bool keep_global);

/*
 * The translations of `pages` pages of (1 << page_shift) bytes from `base`.
 * One address per page; a non-canonical page holds no translation and is
 * skipped, except one canonical only with 5-level paging (57 bits), which
 * INVVPID could refuse: the whole context then. Without individual-address
 * INVVPID (per_address false), any page makes the plan full.
 */
void tlb_flush_plan_add(struct tlb_flush_plan *p, uint64_t base, uint64_t pages,
			uint32_t page_shift, bool per_address);

/* dst also drops what src drops. */
void tlb_flush_plan_merge(struct tlb_flush_plan *dst, const struct tlb_flush_plan *src);

#endif
