/*
 * The housekeeping CPU's timer queue: one entry per armed vLAPIC timer, of
 * every partition, ordered by deadline (TSC ticks). The housekeeping CPU
 * programs its own deadline timer for the earliest entry, pops the expired
 * ones when it fires and delivers each as a posted interrupt; a periodic
 * timer is re-armed here, without touching the guest's CPU.
 *
 * A binary min-heap with a position index per timer id, so arming, re-arming
 * and disarming are O(log n) and never allocate. Pure: the caller serialises
 * (the queue's lock lives with its user), and the heap is host-tested.
 */
#ifndef TESSERA_HV_VLAPIC_TIMER_QUEUE_H
#define TESSERA_HV_VLAPIC_TIMER_QUEUE_H

#include "lib/types.h"

#define TQ_MAX	   64	      /* timer ids 0..TQ_MAX-1: one per vCPU (one per CPU) */
#define TQ_NEVER   UINT64_MAX /* tq_earliest() of an empty queue */
#define TQ_NOT_SET 0xff

struct timer_queue {
	uint32_t nr;
	uint8_t heap[TQ_MAX]; /* timer ids, heap-ordered by deadline[id] */
	uint8_t pos[TQ_MAX];  /* index of id in heap[], or TQ_NOT_SET */
	uint64_t deadline[TQ_MAX];
};

void tq_init(struct timer_queue *q);
/* Arms timer `id` for `deadline`, or moves it there if it is armed. false: bad id. */
bool tq_arm(struct timer_queue *q, uint32_t id, uint64_t deadline);
/* Disarms timer `id`; true if it was armed. */
bool tq_disarm(struct timer_queue *q, uint32_t id);
bool tq_armed(const struct timer_queue *q, uint32_t id);
/* The earliest deadline, TQ_NEVER when nothing is armed. */
uint64_t tq_earliest(const struct timer_queue *q);
/*
 * Takes the earliest timer out if its deadline is at or before `now`: true
 * with its id and deadline, false when none has expired.
 */
bool tq_pop_expired(struct timer_queue *q, uint64_t now, uint32_t *id, uint64_t *deadline);

#endif
