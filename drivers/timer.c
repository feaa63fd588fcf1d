/*
 * Per-CPU one-shot timer on the local APIC. In TSC-deadline mode a deadline is an
 * absolute TSC value written to IA32_TSC_DEADLINE; in one-shot mode it is a count
 * of LAPIC timer ticks, whose rate (the APIC bus clock / 16) is measured once
 * against the TSC. Every CPU's APIC timer runs at the same rate.
 */
#include "drivers/timer.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/traps.h"
#include "drivers/lapic.h"
#include "drivers/tsc.h"
#include "lib/log.h"

#define CALIBRATE_US	  10000
#define SELF_TEST_US	  200
#define SELF_TEST_WAIT_US 100000 /* give up after 100 ms */

enum timer_mode { TIMER_NONE, TIMER_TSC_DEADLINE, TIMER_LAPIC_ONESHOT };

static enum timer_mode mode;
static bool chosen;
static uint64_t lapic_ticks_per_ms; /* one-shot mode, at divide-by-16 */

static void timer_interrupt(struct trap_frame *frame)
{
	(void)frame;
	this_cpu()->timer_fired++;
	lapic_eoi();
}

/* The LAPIC timer's rate against the TSC over one window, 0 if it does not count. */
static uint64_t lapic_timer_measure(void)
{
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT);
	lapic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_BY_16);
	lapic_write(APIC_TIMER_INIT_COUNT, 0xffffffff);
	udelay(CALIBRATE_US);
	uint32_t left = lapic_read(APIC_TIMER_CUR_COUNT);
	lapic_write(APIC_TIMER_INIT_COUNT, 0);
	return (0xffffffffull - left) * 1000 / CALIBRATE_US;
}

/* Boot CPU: the median of three windows, so one disturbed window does not count. */
static uint64_t lapic_timer_calibrate(void)
{
	uint64_t a = lapic_timer_measure(), b = lapic_timer_measure(), c = lapic_timer_measure();

	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}

static void choose_mode(void)
{
	chosen = true;
	irq_register(VECTOR_TIMER, timer_interrupt);
	if (cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE) {
		mode = TIMER_TSC_DEADLINE;
		log_info("timer: TSC-deadline mode");
		return;
	}
	lapic_ticks_per_ms = lapic_timer_calibrate();
	if (!lapic_ticks_per_ms) {
		mode = TIMER_NONE;
		log_err("timer: the LAPIC timer does not count; no timer");
		return;
	}
	mode = TIMER_LAPIC_ONESHOT;
	log_info("timer: LAPIC one-shot mode, %llu kHz (bus clock / 16)",
		 (unsigned long long)lapic_ticks_per_ms);
}

void timer_init_cpu(void)
{
	if (!chosen)
		choose_mode();
	this_cpu()->tsc_khz = tsc_khz();
	switch (mode) {
	case TIMER_TSC_DEADLINE:
		lapic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | VECTOR_TIMER);
		/* The LVT write must reach the APIC before the first deadline (SDM 11.5.4.1). */
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
		break;
	case TIMER_LAPIC_ONESHOT:
		lapic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_BY_16);
		lapic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | VECTOR_TIMER);
		lapic_write(APIC_TIMER_INIT_COUNT, 0);
		break;
	case TIMER_NONE:
		lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
		break;
	}
}

void timer_arm_us(uint64_t us)
{
	if (mode == TIMER_TSC_DEADLINE) {
		uint64_t ticks = MAX(tsc_ticks_from_us(us), 1), now = rdtsc();

		/* 0 would disarm; an overflowing deadline saturates instead. */
		wrmsr(MSR_IA32_TSC_DEADLINE, ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks);
	} else if (mode == TIMER_LAPIC_ONESHOT) {
		uint64_t count = us > UINT64_MAX / lapic_ticks_per_ms
				     ? UINT64_MAX
				     : us * lapic_ticks_per_ms / 1000;

		lapic_write(APIC_TIMER_INIT_COUNT, (uint32_t)MIN(MAX(count, 1), 0xffffffffull));
	}
}

void timer_arm_tsc(uint64_t tsc)
{
	uint64_t now, khz;

	if (mode == TIMER_TSC_DEADLINE) {
		wrmsr(MSR_IA32_TSC_DEADLINE, tsc ? tsc : 1); /* 0 would disarm; a past one fires */
		return;
	}
	now = rdtsc();
	khz = tsc_khz() ? tsc_khz() : 1;
	if (tsc <= now)
		timer_arm_us(0);
	else if (tsc - now > UINT64_MAX / 1000)
		timer_arm_us((tsc - now) / khz * 1000);
	else
		timer_arm_us((tsc - now) * 1000 / khz);
}

void timer_disarm(void)
{
	if (mode == TIMER_TSC_DEADLINE)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	else if (mode == TIMER_LAPIC_ONESHOT)
		lapic_write(APIC_TIMER_INIT_COUNT, 0);
}

const char *timer_mode_name(void)
{
	switch (mode) {
	case TIMER_TSC_DEADLINE:
		return "tsc-deadline";
	case TIMER_LAPIC_ONESHOT:
		return "lapic-oneshot";
	default:
		return "none";
	}
}

/*
 * One shot with interrupts on; returns the TSC ticks until it fired, 0 if it did
 * not within SELF_TEST_WAIT_US. With `halt`, waits in HLT: only once a first shot
 * has proved the timer fires, as nothing else would end the HLT.
 */
static uint64_t one_shot(bool halt)
{
	uint64_t before = this_cpu()->timer_fired, limit = tsc_ticks_from_us(SELF_TEST_WAIT_US);
	uint64_t start = rdtsc(), took = 0;

	timer_arm_us(SELF_TEST_US);
	if (!halt)
		irq_enable();
	while (!took && rdtsc() - start < limit) {
		if (halt)
			__asm__ volatile("sti; hlt; cli" ::: "memory");
		else
			cpu_relax();
		if (this_cpu()->timer_fired != before)
			took = MAX(rdtsc() - start, 1);
	}
	irq_disable();
	timer_disarm();
	return took;
}

bool timer_self_test(void)
{
	uint64_t khz = tsc_khz() ? tsc_khz() : 1, polled, halted;

	if (mode == TIMER_NONE) {
		log_err("timer: no usable timer on this CPU");
		return false;
	}
	polled = one_shot(false);
	if (!polled) {
		log_err("timer: %u us one-shot (%s) did not fire within %u ms", SELF_TEST_US,
			timer_mode_name(), SELF_TEST_WAIT_US / 1000);
		return false;
	}
	halted = one_shot(true);
	if (!halted) {
		log_err("timer: %s one-shot did not wake the CPU from HLT", timer_mode_name());
		return false;
	}
	/* Firing well before the deadline means the rate is wrong. */
	if (polled * 1000 / khz < SELF_TEST_US / 2) {
		log_err("timer: %u us one-shot (%s) fired after %llu us", SELF_TEST_US,
			timer_mode_name(), (unsigned long long)(polled * 1000 / khz));
		return false;
	}
	log_info("timer: one-shot ok (%s), %u us fired after %llu us (polling) and %llu us "
		 "(in HLT)",
		 timer_mode_name(), SELF_TEST_US, (unsigned long long)(polled * 1000 / khz),
		 (unsigned long long)(halted * 1000 / khz));
	return true;
}
