/*
 * The posted vLAPIC timer (see ptimer.h): the housekeeping CPU's queue of
 * every armed timer, filled by the vCPUs and fired by the housekeeping CPU.
 * Timer ids are CPU indexes (one vCPU per CPU). Deadlines in the queue are
 * host TSC values; the register model counts in the guest's TSC.
 */
#include "hv/vlapic/ptimer.h"
#include "hv/vlapic/timer_queue.h"
#include "hv/vlapic/vapic.h"
#include "hv/vcpu/request.h"
#include "hv/vcpu/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "lib/spinlock.h"

/* One armed timer, as the housekeeping CPU needs it (under `lock`). */
struct ptimer_slot {
	struct vcpu *v;
	uint64_t guest_deadline; /* the model's deadline this entry was armed for */
	uint64_t period;	 /* TSC ticks; 0: one-shot or TSC-deadline */
	bool fired;		 /* a one-shot fire the model has not yet been told of */
};

static spinlock_t lock = SPINLOCK_INIT;
static struct timer_queue queue;
static struct ptimer_slot slots[TQ_MAX];
static uint64_t programmed = TQ_NEVER; /* the deadline the housekeeper waits for */
static struct percpu *housekeeper;

void ptimer_init(struct percpu *hk)
{
	spin_lock(&lock);
	tq_init(&queue);
	programmed = TQ_NEVER;
	housekeeper = hk;
	spin_unlock(&lock);
}

uint32_t ptimer_housekeeper(void)
{
	return housekeeper ? housekeeper->index : 0;
}

static uint32_t id_of(const struct vcpu *v)
{
	return v->cpu->index;
}

/* A guest deadline as a host TSC value: relative to now, saturating (never wraps). */
static uint64_t host_deadline(const struct vcpu *v, uint64_t guest_deadline)
{
	uint64_t host_now = rdtsc(), guest_now = host_now + v->msr.tsc_offset;
	uint64_t delta = guest_deadline > guest_now ? guest_deadline - guest_now : 0;

	return delta >= TQ_NEVER - host_now ? TQ_NEVER - 1 : host_now + delta;
}

/*
 * Lock held: the model learns of a one-shot or TSC-deadline fire, and ends up
 * as an emulated fire leaves it (deadline 0, the MSR reading 0), whatever mode
 * the LVT has been switched to since: a one-shot that fired stays over.
 */
static void tell_model(struct vcpu *v, struct ptimer_slot *s)
{
	struct vlapic *l = &v->apic.lapic;

	if (s->fired && l->timer_deadline == s->guest_deadline) {
		l->timer_deadline = 0;
		l->tsc_deadline_msr = 0;
	}
	s->fired = false;
}

void ptimer_catch_up(struct vcpu *v)
{
	struct ptimer_slot *s = &slots[id_of(v)];

	if (!__atomic_load_n(&s->fired, __ATOMIC_ACQUIRE))
		return;
	spin_lock(&lock);
	tell_model(v, s);
	spin_unlock(&lock);
}

void ptimer_changed(struct vcpu *v)
{
	const struct vlapic *l = &v->apic.lapic;
	uint32_t id = id_of(v);
	struct ptimer_slot *s = &slots[id];
	bool kick = false;

	spin_lock(&lock);
	tell_model(v, s); /* a fire of this very deadline came first: it is over */
	if (!l->timer_deadline) {
		tq_disarm(&queue, id);
	} else {
		s->v = v;
		s->period = vlapic_timer_mode(l) == APIC_LVT_TIMER_PERIODIC ? l->timer_period : 0;
		/*
		 * Only a new deadline moves the entry: an LVT write (mask, vector, one-shot
		 * to periodic) leaves a running timer's next fire where it is.
		 */
		if (!tq_armed(&queue, id) || l->timer_deadline != s->guest_deadline) {
			uint64_t at = host_deadline(v, l->timer_deadline);

			s->guest_deadline = l->timer_deadline;
			tq_arm(&queue, id, at);
			if (at < programmed) { /* earlier than the housekeeper will wake */
				programmed = at;
				kick = true;
			}
		}
	}
	spin_unlock(&lock);
	if (kick && housekeeper)
		request_send(housekeeper, REQ(WAKE));
}

void ptimer_cancel(struct vcpu *v)
{
	spin_lock(&lock);
	tq_disarm(&queue, id_of(v));
	slots[id_of(v)].fired = false;
	spin_unlock(&lock);
}

bool ptimer_pending(struct vcpu *v)
{
	bool armed;

	spin_lock(&lock); /* a fire pops and posts under the lock: one of the two is seen */
	armed = tq_armed(&queue, id_of(v)) || pi_pending(v->apic.pi);
	spin_unlock(&lock);
	return armed;
}

/*
 * Lock held: the timer's vector to its vCPU, read from the virtual-APIC page
 * as the guest last wrote it (a masked LVT or a software-disabled APIC fires
 * without an interrupt, as on hardware; vectors below 16 are not delivered).
 */
static void deliver(struct vcpu *v)
{
	const volatile uint32_t *page = v->apic.lapic.page;
	uint32_t lvt = page[APIC_LVT_TIMER / 4], svr = page[APIC_SVR / 4];
	uint8_t vector = (uint8_t)(lvt & APIC_LVT_VECTOR_MASK);

	if (!(lvt & APIC_LVT_MASKED) && (svr & APIC_SVR_ENABLE) && vector >= 16)
		vapic_post(NULL, v, vector);
}

static void fire(uint32_t id, uint64_t deadline, uint64_t now)
{
	struct ptimer_slot *s = &slots[id];

	if (s->period) { /* next period, the missed ones skipped: one interrupt for all */
		uint64_t missed = (now - deadline) / s->period;

		tq_arm(&queue, id, deadline + (missed + 1) * s->period);
	} else {
		__atomic_store_n(&s->fired, true, __ATOMIC_RELEASE);
	}
	deliver(s->v);
}

uint64_t ptimer_run(void)
{
	uint64_t now, deadline, next;
	uint32_t id;

	spin_lock(&lock);
	now = rdtsc();
	while (tq_pop_expired(&queue, now, &id, &deadline))
		fire(id, deadline, now);
	next = programmed = tq_earliest(&queue);
	spin_unlock(&lock);
	return next;
}
