/*
 * Flushing a vCPU's TLB for the guest (its VPID): locally, or on another vCPU
 * of the partition by REQUEST_FLUSH_TLB with a per-vCPU queue as payload
 * (hv/policy/tlb_flush_plan.h: a short address list or the whole context).
 *
 * The protocol: a sender merges its plan into the target's queue under the
 * queue's lock and bumps `queued`, then sets the request bit. The target, in
 * its pre-entry step, takes the plan and the generation under the lock,
 * flushes, then publishes `done` = that generation. A sender that needs the
 * flush finished waits until `done` reaches its generation, unless the target
 * was asleep in root mode: it flushes before its next guest instruction,
 * unwoken. A waiting sender runs its own queue meanwhile, so two vCPUs
 * flushing each other do not wait for ever; the wait is bounded anyway.
 */
#ifndef TESSERA_HV_VCPU_TLB_FLUSH_H
#define TESSERA_HV_VCPU_TLB_FLUSH_H

#include "lib/types.h"
#include "lib/spinlock.h"
#include "hv/policy/tlb_flush_plan.h"

struct vcpu;

struct tlb_flush_queue {
	spinlock_t lock;
	struct tlb_flush_plan plan; /* queued, not yet taken */
	uint64_t queued;	    /* generation of the last plan merged in (under lock) */
	volatile uint64_t done;	    /* generation flushed (written by the vCPU only) */
};

/* How long a sender waits for a target's flush before it gives up (logged). */
#define TLB_FLUSH_WAIT_US 100000u

/* On v's own CPU: drop what p says from v's TLB. */
void tlb_flush_local(struct vcpu *v, const struct tlb_flush_plan *p);

/* Pre-entry on v's CPU (REQUEST_FLUSH_TLB): the queued plan; with none, everything. */
void tlb_flush_requested(struct vcpu *v);

/*
 * From vCPU `from`, queue p on target t (another vCPU of the partition) and
 * request the flush. Returns the generation to wait for, or 0 when there is
 * nothing to wait for (t was asleep in root mode: it flushes before it runs).
 */
uint64_t tlb_flush_send(struct vcpu *from, struct vcpu *t, const struct tlb_flush_plan *p);

/* Waits until t has flushed generation gen (or t cannot run); false: timed out. */
bool tlb_flush_wait(struct vcpu *from, struct vcpu *t, uint64_t gen);

/*
 * From vCPU `from`: INVEPT on every vCPU of its partition, its own included,
 * and returns once all have done it (those asleep in root mode do it before
 * they enter). After a change of the EPT or the SPP table. False: timed out.
 */
bool tlb_flush_ept_everywhere(struct vcpu *from);

#endif
