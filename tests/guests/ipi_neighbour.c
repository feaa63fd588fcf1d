/*
 * ipi_neighbour: the partition beside attack_ipi (tests/system/isolation-ipi.sh).
 * Two vCPUs that count every interrupt and NMI they take (there must be none:
 * nothing here sends any) while vCPU 0 does a fixed amount of work per pass
 * ("passes=N", default 8) and vCPU 1 counts up; each pass is timed in vCPU 1's
 * steps, and none may differ from the fastest by more than 2%: an interrupt,
 * NMI or kick reaching either CPU costs it time in Tessera, which shows even
 * when the guest never sees the event. (Not the TSC: in Bochs its rate
 * follows how many emulated CPUs run, halted ones and the attacker's
 * included.) At the end Tessera's exit counters of this
 * partition must show no exception-or-NMI exit (a kick), no external
 * interrupt, INIT or SIPI exit once its AP is up.
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/smp.h"

const char guest_name[] = "ipi_neighbour";

#define MAX_PASSES 64
#define WORK	   1000000 /* loop iterations per pass: 5 million instructions */

static volatile uint32_t irqs[2], nmis[2], ap_up, done;
static volatile uint64_t ap_count;
static uint64_t ticks[MAX_PASSES];

static unsigned me(void)
{
	return guest_cpu_index() ? 1 : 0;
}

static void on_irq(uint8_t v)
{
	(void)v;
	irqs[me()]++;
	apic_eoi();
}

static void on_nmi(uint8_t v)
{
	(void)v;
	nmis[me()]++;
}

static void ap_main(unsigned index)
{
	(void)index;
	apic_sw_enable(0xff);
	ap_up = 1;
	irq_enable();
	while (!done)
		ap_count++; /* the yardstick of vCPU 0's passes */
	irq_disable();
}

/* noipa: a function found pure could be moved across the RDTSCs that time it. */
static __attribute__((noipa)) uint64_t work(void)
{
	uint64_t x = 1;

	for (unsigned i = 0; i < WORK; i++)
		x = x * 6364136223846793005ull + i;
	return x;
}

static bool exit_stats(uint64_t *stats)
{
	long n =
	    tessera_hypercall(TESSERA_HC_EXIT_STATS, (uint64_t)stats, TESSERA_EXIT_STATS_MAX, 0, 0);

	return check_eq("exit-stats", (uint64_t)n, TESSERA_EXIT_STATS_MAX);
}

/* Exits since `before` (the AP's start-up, whose second SIPI kicks it, is not counted). */
static void check_exits(const uint64_t *before)
{
	static uint64_t stats[TESSERA_EXIT_STATS_MAX];

	if (!exit_stats(stats))
		return;
	check_eq("no-nmi-or-exception-exits", stats[0] - before[0], 0);
	check_eq("no-external-interrupt-exits", stats[1] - before[1], 0);
	check_eq("no-init-exits", stats[3] - before[3], 0);
	check_eq("no-sipi-exits", stats[4] - before[4], 0);
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t passes = iso_arg_u64(boot, "passes", 8, MAX_PASSES), min = ~0ull, max = 0;
	uint64_t sum = 0;
	static uint64_t before[TESSERA_EXIT_STATS_MAX];

	if (passes == 0)
		passes = 1;
	apic_write(GAPIC_LVT_LINT0, GAPIC_LVT_MASKED);
	apic_sw_enable(0xff);
	for (unsigned v = 0x20; v <= 0xff; v++)
		irq_set_handler((uint8_t)v, on_irq);
	irq_set_handler(2, on_nmi);
	check_eq("ap-started", smp_start_aps(ap_main, 1, SMP_START_EACH), 1);
	check(smp_wait_for(&ap_up, 1, 2000000000ull), "ap-up");
	if (!exit_stats(before))
		guest_finish();
	irq_enable();
	for (unsigned p = 0; p < passes; p++) {
		uint64_t t0 = rdtsc(), c0 = ap_count;

		sum += work();
		ticks[p] = ap_count - c0;
		guest_printf("guest ipi_neighbour: pass %u: %llu AP steps (%llu TSC ticks), %u "
			     "interrupts, %u NMIs\n",
			     p, (unsigned long long)ticks[p], (unsigned long long)(rdtsc() - t0),
			     irqs[0] + irqs[1], nmis[0] + nmis[1]);
		min = ticks[p] < min ? ticks[p] : min;
		max = ticks[p] > max ? ticks[p] : max;
	}
	irq_disable();
	done = 1;
	check_eq("no-interrupts-vcpu0", irqs[0], 0);
	check_eq("no-interrupts-vcpu1", irqs[1], 0);
	check_eq("no-nmis-vcpu0", nmis[0], 0);
	check_eq("no-nmis-vcpu1", nmis[1], 0);
	checkf(max <= min + min / 50, "normal-speed", "passes took %llu to %llu AP steps",
	       (unsigned long long)min, (unsigned long long)max);
	check(sum != 0, "work-done");
	check_exits(before);
}
