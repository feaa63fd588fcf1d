/*
 * The vLAPIC timer (SDM vol. 3A, 11.5.4): one-shot, periodic and TSC-deadline
 * modes, as deadlines in guest TSC ticks. Arming a deadline somewhere (the
 * housekeeping CPU's queue, or the preemption timer) is the caller's job;
 * here is only when the timer fires and what its registers read.
 */
#include "hv/vlapic/vlapic.h"

/* TDCR bits 3, 1, 0: 000 = 2, 001 = 4, ... 110 = 128, 111 = 1. */
static uint64_t divisor(const struct vlapic *v)
{
	uint32_t tdcr = vlapic_reg(v, APIC_TIMER_DIVIDE);
	uint32_t code = (tdcr & 3) | ((tdcr >> 1) & 4);

	return code == 7 ? 1 : 2ull << code;
}

uint32_t vlapic_timer_mode(const struct vlapic *v)
{
	return vlapic_reg(v, APIC_LVT_TIMER) & APIC_LVT_TIMER_MODE_MASK;
}

void vlapic_timer_restart(struct vlapic *v, uint64_t now)
{
	uint32_t count = vlapic_reg(v, APIC_TIMER_INIT_COUNT);

	if (vlapic_timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE) {
		v->timer_period = 0;
		v->timer_deadline = v->tsc_deadline_msr;
		return;
	}
	if (!count) {
		v->timer_period = 0;
		v->timer_deadline = 0;
		return;
	}
	v->timer_div = divisor(v);
	v->timer_period = (uint64_t)count * v->timer_div;
	if (vlapic_timer_mode(v) == APIC_LVT_TIMER_PERIODIC && v->timer_period < v->min_period)
		v->timer_period = v->min_period;
	v->timer_deadline = now + v->timer_period;
}

void vlapic_timer_write_tsc_deadline(struct vlapic *v, uint64_t value, uint64_t now)
{
	/* Outside TSC-deadline mode the MSR is ignored: writes are dropped (SDM 11.5.4.1). */
	if (vlapic_timer_mode(v) != APIC_LVT_TIMER_TSC_DEADLINE)
		return;
	v->tsc_deadline_msr = value;
	vlapic_timer_restart(v, now);
}

uint32_t vlapic_timer_current(const struct vlapic *v, uint64_t now)
{
	uint64_t left, div = v->timer_div ? v->timer_div : divisor(v), count;

	if (vlapic_timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE || !v->timer_deadline)
		return 0;
	if (now < v->timer_deadline)
		left = v->timer_deadline - now;
	else if (vlapic_timer_mode(v) == APIC_LVT_TIMER_PERIODIC)
		left = v->timer_period - (now - v->timer_deadline) % v->timer_period;
	else
		return 0;
	count = (left + div - 1) / div;
	/* Never above the initial count, even while a periodic floor stretches the period. */
	return (uint32_t)MIN(count, (uint64_t)vlapic_reg(v, APIC_TIMER_INIT_COUNT));
}

bool vlapic_timer_rescale(struct vlapic *v, uint64_t now)
{
	uint64_t div = divisor(v), count;

	if (vlapic_timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE || !v->timer_deadline ||
	    div == v->timer_div) {
		v->timer_div = div;
		return false;
	}
	count = vlapic_timer_current(v, now); /* at the old rate */
	if (!count)
		count = vlapic_reg(v, APIC_TIMER_INIT_COUNT);
	v->timer_div = div;
	v->timer_period = (uint64_t)vlapic_reg(v, APIC_TIMER_INIT_COUNT) * div;
	if (vlapic_timer_mode(v) == APIC_LVT_TIMER_PERIODIC && v->timer_period < v->min_period)
		v->timer_period = v->min_period;
	v->timer_deadline = now + count * div;
	return true;
}

int vlapic_timer_expire(struct vlapic *v, uint64_t now)
{
	uint32_t lvt = vlapic_reg(v, APIC_LVT_TIMER);

	if (!v->timer_deadline || now < v->timer_deadline)
		return -1;
	/* The mode last applied: a trap-like APIC-write exit finds the page already changed. */
	if (v->timer_lvt_mode == APIC_LVT_TIMER_PERIODIC) {
		uint64_t missed = (now - v->timer_deadline) / v->timer_period;

		v->timer_deadline += (missed + 1) * v->timer_period; /* one interrupt for all */
	} else {
		v->timer_deadline = 0;
		if (v->timer_lvt_mode == APIC_LVT_TIMER_TSC_DEADLINE)
			v->tsc_deadline_msr = 0; /* the MSR reads 0 once the timer fired */
	}
	if (lvt & APIC_LVT_MASKED)
		return -1;
	return (int)(lvt & APIC_LVT_VECTOR_MASK);
}
