/*
 * The posted (exitless) vLAPIC timer, `timer = posted` (docs/interrupts.md).
 *
 * The guest arms its timer as always (a TMICT or TSC_DEADLINE write, one
 * exit); its vCPU puts the deadline into the housekeeping CPU's single timer
 * queue (timer_queue.h), which holds the armed timers of every partition. The
 * housekeeping CPU polls until the earliest entry is due (housekeeper_wait in
 * hv/partition/partition_run.c); then it posts the timer's vector into the
 * vCPU's posted-interrupt descriptor and sends the notification vector: the
 * vCPU's CPU takes the interrupt without a VM exit. A periodic timer is
 * re-armed in the queue.
 *
 * One lock covers the queue and every timer's slot: a fire and a re-arm of
 * the same timer are serialised, and a fire posts its vector while it still
 * holds the lock, so a timer re-armed or disarmed after the fire can never
 * get that fire's tick later (no stale tick). What the vCPU's register model
 * does not see (that the housekeeping CPU fired a one-shot timer) it learns
 * from its slot when it next touches the timer (ptimer_catch_up).
 *
 * The vCPU side runs on the vCPU's CPU with its VMCS current; the
 * housekeeping side (ptimer_run) only on the housekeeping CPU.
 */
#ifndef TESSERA_HV_VLAPIC_PTIMER_H
#define TESSERA_HV_VLAPIC_PTIMER_H

#include "lib/types.h"

struct vcpu;
struct percpu;

/* Once, before any partition starts: the CPU that keeps the queue. */
void ptimer_init(struct percpu *housekeeper);
/* Index of the housekeeping CPU, for the boot line. */
uint32_t ptimer_housekeeper(void);

/* vCPU side: the model's timer deadline changed (0: disarmed). */
void ptimer_changed(struct vcpu *v);
/* vCPU side: a one-shot/TSC-deadline timer the housekeeper fired: tell the model. */
void ptimer_catch_up(struct vcpu *v);
/* The vCPU leaves its run loop, or is reset: its entry leaves the queue. */
void ptimer_cancel(struct vcpu *v);
/* Is a timer of v in the queue, or a vector posted (for the partition's idle test)? */
bool ptimer_pending(struct vcpu *v);

/*
 * Housekeeping CPU: fires every expired timer (posting its vector unless its
 * LVT is masked or the APIC software-disabled), re-arms the periodic ones, and
 * returns the earliest deadline still queued (host TSC; UINT64_MAX: none).
 */
uint64_t ptimer_run(void);

#endif
