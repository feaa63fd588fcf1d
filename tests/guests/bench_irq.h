/*
 * bench's interrupt figures (included by bench.c; a header, since every .c in
 * tests/guests/ is an image of its own): in x2APIC mode, where TPR, EOI and
 * SELF_IPI writes go to the hardware's virtualization without an exit,
 *   - the cost of an EOI and of sending a self-IPI (with interrupts off, so
 *     that only the send is timed), and the exits they took (none expected);
 *   - an IPI to the second vCPU while it runs: from the send to its handler,
 *     with the exits of the partition per IPI less the sender's ICR write
 *     (the receiver's: none with posted interrupts);
 *   - an IPI round trip (vCPU 0 -> 1 -> 0, handler to handler);
 *   - the wake-up of a halted vCPU: from the send to the handler's first
 *     instruction, the vCPU having been in HLT.
 * One TSC for both vCPUs; on Bochs with quantum=1 it counts instructions.
 * The handlers write the EOI MSR themselves: the library's apic_eoi() reads
 * IA32_APIC_BASE to pick the mode, which is an exit.
 */
#ifndef TESSERA_TESTS_GUESTS_BENCH_IRQ_H
#define TESSERA_TESTS_GUESTS_BENCH_IRQ_H

#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/smp.h"

#define IRQ_RUNS    200
#define VEC_HOLD    0x50 /* left in service: the EOI is what is timed */
#define VEC_ONE_WAY 0x60
#define VEC_PING    0x61
#define VEC_PONG    0x62
#define MSR_X2_EOI  0x80b
#define MSR_X2_ICR  0x830
#define MSR_X2_SELF 0x83f

static volatile uint32_t irq_seen, ap_ready, ap_halting, ap_stop;
static volatile uint64_t irq_tsc;

static void x2_eoi(void)
{
	wrmsr(MSR_X2_EOI, 0);
}

static void on_hold(uint8_t v)
{
	(void)v;
	irq_seen++;
}

static void on_seen(uint8_t v)
{
	irq_tsc = rdtsc();
	(void)v;
	irq_seen++;
	x2_eoi();
}

static void on_ping(uint8_t v)
{
	(void)v;
	x2_eoi();
	wrmsr(MSR_X2_ICR, VEC_PONG); /* back to APIC ID 0 */
}

static uint64_t exits_total(void)
{
	static uint64_t stats[TESSERA_EXIT_STATS_MAX];
	uint64_t n = 0;

	tessera_hypercall(TESSERA_HC_EXIT_STATS, (uint64_t)stats, TESSERA_EXIT_STATS_MAX, 0, 0);
	for (unsigned i = 0; i < TESSERA_EXIT_STATS_MAX; i++)
		n += stats[i];
	return n;
}

static void ap_bench(unsigned index)
{
	(void)index;
	if (!apic_set_mode(true))
		return;
	apic_sw_enable(0xff);
	ap_ready = 1;
	irq_enable();
	while (!ap_stop) {
		if (ap_halting == 1) {
			ap_halting = 2;
			safe_halt(); /* woken by the IPI whose latency is measured */
			continue;
		}
		__asm__ volatile("pause");
	}
	irq_disable();
}

static void report_irq(const char *name, uint64_t min, uint64_t sum, const char *what)
{
	guest_printf("bench: %s %llu instructions %s (min; avg %llu, %u runs)\n", name,
		     (unsigned long long)min, what, (unsigned long long)(sum / IRQ_RUNS), IRQ_RUNS);
}

static void report_exits(const char *name, uint64_t exits, uint64_t hypercalls)
{
	guest_printf("bench: %s exits %llu per %u runs\n", name,
		     (unsigned long long)(exits - hypercalls), IRQ_RUNS);
}

/* EOI and self-IPI on this vCPU: no exit with virtual-interrupt delivery. */
static void bench_eoi_self_ipi(uint64_t overhead)
{
	uint64_t min_eoi = ~0ull, sum_eoi = 0, min_self = ~0ull, sum_self = 0, e0;

	irq_set_handler(VEC_HOLD, on_hold);
	e0 = exits_total();
	for (unsigned i = 0; i < IRQ_RUNS; i++) {
		uint64_t t0, d;

		irq_disable();
		t0 = rdtsc();
		wrmsr(MSR_X2_SELF, VEC_HOLD);
		d = rdtsc() - t0 - overhead;
		sum_self += d;
		min_self = d < min_self ? d : min_self;
		irq_enable(); /* taken here; its handler sends no EOI */
		__asm__ volatile("nop");
		irq_disable();
		t0 = rdtsc();
		x2_eoi();
		d = rdtsc() - t0 - overhead;
		sum_eoi += d;
		min_eoi = d < min_eoi ? d : min_eoi;
	}
	irq_enable();
	e0 = exits_total() - e0;
	check_eq("self-ipis-taken", irq_seen, IRQ_RUNS);
	report_irq("eoi", min_eoi, sum_eoi, "per EOI");
	report_irq("self-ipi", min_self, sum_self, "per SELF_IPI write");
	report_exits("eoi-and-self-ipi", e0, 1);
}

/* IPIs to vCPU 1 while it runs, and round trips back to vCPU 0. */
static void bench_ipis(uint64_t overhead)
{
	uint64_t min = ~0ull, sum = 0, e0;

	irq_set_handler(VEC_ONE_WAY, on_seen);
	irq_set_handler(VEC_PONG, on_seen);
	irq_set_handler(VEC_PING, on_ping);
	irq_seen = 0;
	e0 = exits_total();
	for (unsigned i = 0; i < IRQ_RUNS; i++) {
		uint64_t t0 = rdtsc(), d;

		wrmsr(MSR_X2_ICR, 1ull << 32 | VEC_ONE_WAY);
		while (irq_seen <= i)
			;
		d = irq_tsc - t0 - overhead;
		sum += d;
		min = d < min ? d : min;
	}
	e0 = exits_total() - e0;
	report_irq("ipi-to-running-vcpu", min, sum, "send to handler");
	/* Each IPI is one ICR-write exit on the sender; the rest are the receiver's. */
	report_exits("ipi-receiver", e0 - IRQ_RUNS, 1);
	min = ~0ull;
	sum = 0;
	irq_seen = 0;
	for (unsigned i = 0; i < IRQ_RUNS; i++) {
		uint64_t t0 = rdtsc(), d;

		wrmsr(MSR_X2_ICR, 1ull << 32 | VEC_PING);
		while (irq_seen <= i)
			;
		d = irq_tsc - t0 - overhead;
		sum += d;
		min = d < min ? d : min;
	}
	report_irq("ipi-round-trip", min, sum, "vCPU 0 -> 1 -> 0");
}

/* IPIs to vCPU 1 in HLT: from the send to its handler. */
static void bench_hlt_wake(uint64_t overhead)
{
	uint64_t min = ~0ull, sum = 0;

	irq_seen = 0;
	for (unsigned i = 0; i < IRQ_RUNS; i++) {
		uint64_t t0, d;

		ap_halting = 1;
		while (ap_halting != 2)
			;
		for (uint64_t t = rdtsc(); rdtsc() - t < 20000;)
			; /* into its HLT, and Tessera's */
		t0 = rdtsc();
		wrmsr(MSR_X2_ICR, 1ull << 32 | VEC_ONE_WAY);
		while (irq_seen <= i)
			;
		d = irq_tsc - t0 - overhead;
		sum += d;
		min = d < min ? d : min;
	}
	report_irq("hlt-wake", min, sum, "send to the halted vCPU's handler");
}

/* Two RDTSCs back to back, as the figures here take them (inline, no call). */
static uint64_t rdtsc_pair(void)
{
	uint64_t min = ~0ull;

	for (unsigned i = 0; i < 100; i++) {
		uint64_t t0 = rdtsc(), d = rdtsc() - t0;

		min = d < min ? d : min;
	}
	return min;
}

static void bench_interrupts(void)
{
	uint64_t overhead = rdtsc_pair();

	if (!apic_has_x2apic() || !apic_set_mode(true)) {
		skip("interrupts", "no x2APIC");
		return;
	}
	apic_sw_enable(0xff);
	irq_enable();
	bench_eoi_self_ipi(overhead);
	if (smp_start_aps(ap_bench, 1, SMP_START_BROADCAST) != 1 ||
	    !smp_wait_for(&ap_ready, 1, 2000000000ull)) {
		skip("ipis", "no second vCPU");
		irq_disable();
		return;
	}
	bench_ipis(overhead);
	bench_hlt_wake(overhead);
	ap_stop = 1;
	irq_disable();
}

#endif
