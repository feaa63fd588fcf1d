/*
 * HvCallFlushVirtualAddressSpace/List and their Ex forms: every target vCPU's
 * TLB (its VPID) is flushed before the call returns. The caller's own at once;
 * each other target by REQUEST_FLUSH_TLB with the plan queued for it
 * (hv/vcpu/tlb_flush.h): a running target is kicked once and acknowledges, a
 * target asleep in root mode (halted, waiting for SIPI) flushes before its
 * next guest instruction without being woken, and is not waited for.
 *
 * What is flushed: an address list per INVVPID individual-address (where the
 * CPU has it) up to TLB_FLUSH_ADDR_MAX pages, else the whole VPID context. The
 * address space (a CR3) is not looked at: INVVPID drops the addresses in every
 * address space of the VPID, which the TLFS allows (it may flush more).
 */
#include "hv/hyperv/hyperv.h"
#include "hv/partition/partition.h"
#include "hv/policy/hyperv_decode.h"
#include "lib/string.h"

static uint64_t rep_element(const struct hv_input *in, uint32_t i)
{
	uint64_t e;

	memcpy(&e, in->reps + (size_t)i * 8, sizeof(e)); /* one read of guest memory */
	return e;
}

/* The GVA ranges of reps [start, ...): up to HV_REPS_PER_EXIT, fewer once the plan is full. */
static uint16_t plan_list(struct vcpu *v, const struct hv_call *c, const struct hv_input *in,
			  bool extended, struct tlb_flush_plan *plan, uint16_t *reps_done)
{
	uint32_t end = MIN((uint32_t)c->rep_count, (uint32_t)c->rep_start + HV_REPS_PER_EXIT);
	bool per_address = v->cpu->vmx.invvpid_addr;
	uint32_t i;

	for (i = c->rep_start; i < end && !plan->full; i++) {
		struct hv_gva_span s;
		uint16_t st = hv_gva_range_decode(rep_element(in, i), extended, &s);

		if (st != HV_STATUS_SUCCESS) {
			*reps_done = (uint16_t)i;
			return st;
		}
		tlb_flush_plan_add(plan, s.base, s.pages, s.page_shift, per_address);
	}
	/* A full plan covers the reps not looked at too. */
	*reps_done = plan->full ? c->rep_count : (uint16_t)i;
	return HV_STATUS_SUCCESS;
}

/* Flushes plan on every vCPU of mask, v's own included; returns when all have. */
static void flush_targets(struct vcpu *v, uint64_t mask, const struct tlb_flush_plan *plan)
{
	struct partition *p = v->part;
	uint64_t gen[CONFIG_MAX_PARTITION_CPUS] = {0};

	if (tlb_flush_plan_empty(plan))
		return;
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if ((mask >> i & 1) && p->vcpus[i] != v)
			gen[i] = tlb_flush_send(v, p->vcpus[i], plan);
	if (mask >> v->index & 1)
		tlb_flush_local(v, plan);
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (gen[i])
			tlb_flush_wait(v, p->vcpus[i], gen[i]);
}

uint64_t hyperv_flush(struct vcpu *v, const struct hv_call *c, const struct hv_input *in,
		      uint16_t *reps_done)
{
	struct tlb_flush_plan plan = {0};
	struct hv_flush f;
	uint16_t st = hv_flush_decode(c, &v->part->hv->offer, in->blk, in->len, &f);

	if (st != HV_STATUS_SUCCESS)
		return st;
	if (!c->desc->rep)
		tlb_flush_plan_all(&plan, f.flags & HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY);
	else
		st = plan_list(v, c, in, f.flags & HV_FLUSH_USE_EXTENDED_RANGE_FORMAT, &plan,
			       reps_done);
	/* What the reps before a bad one asked is flushed: they count as completed. */
	flush_targets(v, f.vp_mask, &plan);
	return st;
}
