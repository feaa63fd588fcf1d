/*
 * Requests: asking a CPU, and the vCPU it runs, to do something. Each CPU has
 * a mailbox: a word of request bits (percpu.requests, where vmx_enter can
 * reach it with one load) and a payload for the requests that carry one
 * (struct request_mailbox).
 *
 * The protocol:
 *  - Who sets: any CPU, with request_send() and friends. A payload is written
 *    first, under the mailbox lock (senders of payloads take turns), and only
 *    while its bit is clear: a set bit means the slot is still full, and the
 *    send is refused (false). Then the bit is set with an atomic OR, then the
 *    target is kicked.
 *  - Who clears: the target only, in the run loop's pre-entry step
 *    (hv/vcpu/run.c) or in a wait of its own. It reads a payload before it
 *    clears the payload's bit, so a payload is never overwritten unread.
 *  - Ordering: every set, clear and test-and-clear is sequentially consistent
 *    (a locked instruction on x86), tests are acquire loads. A sleeper stores
 *    `waiting` and then loads its requests; a sender ORs its bit and then loads
 *    `waiting`: of the two, one sees the other's write, so a request never
 *    finds its target asleep unwoken. The state a request is about (a
 *    partition's state, say) is written before the request is sent and read
 *    after it is seen.
 *  - The kick: a target that sleeps (`waiting`: STI; HLT in root mode) gets the
 *    IPI VECTOR_REQUEST, whose handler only sends the EOI: the HLT ends and the
 *    sleeper looks at its requests. A target that runs a vCPU and does not
 *    sleep may be in guest mode: it gets an NMI, which makes it exit (NMI
 *    exiting). Not the IPI: in Bochs (2.7 and 3.0) an external interrupt never
 *    makes a guest with IF=0 exit when the host had IF=0 at VM entry, and the
 *    host always has; an NMI exits in Bochs and
 *    on hardware alike. An NMI that lands in root mode is harmless, as the
 *    target looks at its requests before every VM entry; the one place where
 *    that look would be over, vmx_enter's last instructions before VMRESUME,
 *    is rewound by the NMI handler (vmx_enter_nmi_fixup). A target without a
 *    vCPU that is not asleep needs no kick: it looks before it sleeps.
 *  - A CPU of a partition with lapic = passthrough (percpu.nmi_only) is kicked
 *    by NMI whether it sleeps or not: its LAPIC is the guest's, which may
 *    mask, raise TPR or software-disable it. It sleeps with interrupts off,
 *    woken by the NMI alone (arch/x86/nmi_sleep.h).
 */
#ifndef TESSERA_HV_VCPU_REQUEST_H
#define TESSERA_HV_VCPU_REQUEST_H

#include "lib/types.h"
#include "lib/spinlock.h"

/* The request bits, in the order the pre-entry step handles them. */
enum request {
	REQUEST_RUN,	   /* an idle CPU: run a function (smp_run_on); payload */
	REQUEST_INJECT,	   /* inject an event at the next VM entry; payload */
	REQUEST_FLUSH_TLB, /* the vCPU's tlb_queue (tlb_flush.h); none: INVVPID and INVEPT */
	REQUEST_VMCS,	   /* call a function with the vCPU's VMCS current; payload */
	REQUEST_DUMP,	   /* log the vCPU's registers, as a crash does */
	REQUEST_STOP,	   /* leave the guest: look at the partition's state */
	REQUEST_WAKE,	   /* nothing to do but look again at what one waits for */
	REQUEST_INTERRUPT, /* posted vectors wait in the vCPU's posted-interrupt descriptor */
	REQUEST_NMI,	   /* an NMI IPI from the partition's vLAPICs */
	REQUEST_INIT,	   /* an INIT IPI: reset to wait-for-SIPI */
	REQUEST_SIPI,	   /* a start-up IPI; its vector is in the target's vapic.sipi_vector */
	REQUEST_EOI_EXIT,  /* the partition's level-triggered vectors changed (partition_irq.h) */
	REQUEST_COUNT
};
#define REQ(name) (1ull << REQUEST_##name)

struct percpu;
struct vcpu;

/* An event for REQUEST_INJECT: an exception (with its error code, if it has one). */
struct request_event {
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
};

typedef void (*request_vmcs_fn)(struct vcpu *v, void *arg);

struct request_mailbox {
	spinlock_t lock;       /* senders of payloads */
	volatile bool waiting; /* the target sleeps in request_sleep() */
	void (*run)(struct percpu *cpu);
	struct request_event event;
	request_vmcs_fn vmcs_fn;
	void *vmcs_arg;
};

/* The word's bit operations; pure, so the host unit test runs them. */
static inline void request_set(volatile uint64_t *word, uint64_t bits)
{
	__atomic_fetch_or(word, bits, __ATOMIC_SEQ_CST);
}

static inline uint64_t request_pending(const volatile uint64_t *word, uint64_t bits)
{
	return __atomic_load_n(word, __ATOMIC_ACQUIRE) & bits;
}

static inline void request_clear(volatile uint64_t *word, uint64_t bits)
{
	__atomic_fetch_and(word, ~bits, __ATOMIC_SEQ_CST);
}

/* Clears `bits` and returns which of them were set. */
static inline uint64_t request_take(volatile uint64_t *word, uint64_t bits)
{
	return __atomic_fetch_and(word, ~bits, __ATOMIC_SEQ_CST) & bits;
}

/*
 * The sender's side of a payload slot, lock held: true if the slot of `bit`
 * is free (its bit clear), and then `fill` has been called and the bit set.
 */
static inline bool request_post(volatile uint64_t *word, uint64_t bit,
				void (*fill)(struct request_mailbox *, const void *),
				struct request_mailbox *mb, const void *payload)
{
	if (request_pending(word, bit))
		return false;
	fill(mb, payload);
	request_set(word, bit);
	return true;
}

#ifndef HOST_TEST
struct request_mailbox *request_mailbox(struct percpu *cpu);

/* Sets `bits` (requests without payload) for CPU `cpu` and kicks it. */
void request_send(struct percpu *cpu, uint64_t bits);

/*
 * Sets `bits` for CPU `cpu`; kicks it only if it is not asleep. False: it was
 * asleep (request_sleep), so it is not in guest mode and looks at its requests
 * before it enters the guest again; nothing woke it. True: it was kicked.
 */
bool request_send_if_awake(struct percpu *cpu, uint64_t bits);

/* Requests with a payload: false (nothing sent) while the previous one is unread. */
bool request_send_run(struct percpu *cpu, void (*fn)(struct percpu *cpu));
bool request_send_inject(struct percpu *cpu, const struct request_event *event);
bool request_send_vmcs(struct percpu *cpu, request_vmcs_fn fn, void *arg);

/*
 * This CPU: one sleep (STI; HLT, then interrupts off again) unless one of
 * `bits` is pending. Any interrupt ends it: callers loop on their condition.
 */
void request_sleep(uint64_t bits);
/* This CPU: sleeps until one of `bits` is pending (clears nothing). */
void request_wait(uint64_t bits);
#endif

#endif
