/* The guest's TLB flushed locally or on a sibling vCPU: see tlb_flush.h. */
#include "hv/vcpu/tlb_flush.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vcpu/request.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "drivers/tsc.h"
#include "lib/log.h"

/* The whole context: single-context INVVPID (retaining globals where asked and possible). */
static void flush_context(struct vcpu *v, bool keep_global)
{
	const struct vmx_caps *c = &v->cpu->vmx;

	if (keep_global && c->invvpid_single_nog)
		invvpid(INVVPID_SINGLE_CONTEXT_NOG, v->vpid);
	else if (c->invvpid_single)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
	else
		invvpid(INVVPID_ALL_CONTEXT, v->vpid);
}

void tlb_flush_local(struct vcpu *v, const struct tlb_flush_plan *p)
{
	if (p->ept)
		invept(INVEPT_SINGLE_CONTEXT, v->part->ept.eptp);
	/* Without a VPID every VM entry and exit already drops the guest's translations. */
	if (!v->vpid || (!p->full && p->nr == 0))
		return;
	if (p->full || !v->cpu->vmx.invvpid_addr) {
		flush_context(v, p->full && p->keep_global);
		return;
	}
	/* The plan holds only canonical addresses (tlb_flush_plan_add), which INVVPID takes. */
	for (uint32_t i = 0; i < p->nr; i++)
		invvpid_addr(INVVPID_INDIVIDUAL_ADDR, v->vpid, p->gva[i]);
}

void tlb_flush_requested(struct vcpu *v)
{
	struct tlb_flush_queue *q = &v->tlb_queue;
	struct tlb_flush_plan p;
	uint64_t gen;

	spin_lock(&q->lock);
	p = q->plan;
	gen = q->queued;
	q->plan = (struct tlb_flush_plan){0};
	spin_unlock(&q->lock);
	if (gen == q->done && tlb_flush_plan_empty(&p)) {
		vcpu_flush_tlb(v); /* a plain request: the VPID and the EPT's translations */
		return;
	}
	tlb_flush_local(v, &p);
	__atomic_store_n(&q->done, gen, __ATOMIC_RELEASE);
}

uint64_t tlb_flush_send(struct vcpu *from, struct vcpu *t, const struct tlb_flush_plan *p)
{
	struct tlb_flush_queue *q = &t->tlb_queue;
	uint64_t gen;

	(void)from;
	spin_lock(&q->lock);
	tlb_flush_plan_merge(&q->plan, p);
	gen = ++q->queued;
	spin_unlock(&q->lock);
	return request_send_if_awake(t->cpu, REQ(FLUSH_TLB)) ? gen : 0;
}

/* A target that will not run again before a restart (which starts with a clean TLB). */
static bool cannot_run(const struct vcpu *t)
{
	return t->state == VCPU_STOPPED || t->part->state != PARTITION_RUNNING;
}

bool tlb_flush_ept_everywhere(struct vcpu *from)
{
	struct partition *p = from->part;
	const struct tlb_flush_plan plan = {.ept = true};
	uint64_t gen[CONFIG_MAX_PARTITION_CPUS];
	bool ok = true;

	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		gen[i] = p->vcpus[i] == from ? 0 : tlb_flush_send(from, p->vcpus[i], &plan);
	tlb_flush_local(from, &plan);
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (gen[i])
			ok &= tlb_flush_wait(from, p->vcpus[i], gen[i]);
	return ok;
}

bool tlb_flush_wait(struct vcpu *from, struct vcpu *t, uint64_t gen)
{
	uint64_t start = rdtsc(), limit = tsc_ticks_from_us(TLB_FLUSH_WAIT_US);

	while ((int64_t)(__atomic_load_n(&t->tlb_queue.done, __ATOMIC_ACQUIRE) - gen) < 0) {
		if (cannot_run(t))
			return true;
		/* The target may be waiting for this vCPU's flush in turn. */
		if (request_take(&from->cpu->requests, REQ(FLUSH_TLB)))
			tlb_flush_requested(from);
		if (rdtsc() - start > limit) {
			log_err("partition %s: vCPU %u: vCPU %u did not flush its TLB within %u us",
				from->part->name, from->index, t->index, TLB_FLUSH_WAIT_US);
			return false;
		}
		__asm__ volatile("pause");
	}
	return true;
}
