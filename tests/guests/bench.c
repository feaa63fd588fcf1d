/*
 * bench: the cost of one VM-exit round trip, measured from inside the guest
 * with RDTSC before and after the exiting instruction, for CPUID, VMCALL,
 * an OUT to the vUART scratch register and RDMSR of IA32_MISC_ENABLE. On
 * Bochs the TSC advances by one per instruction, so the figures are
 * instruction counts; elsewhere they are TSC ticks. Then the interrupt
 * figures of bench_irq.h (EOI, self-IPI, IPIs between its two vCPUs, HLT
 * wake-up), and the exit counters.
 */
#include "tests/guests/lib/lib.h"
#include "tests/guests/lib/msr_index.h"
#include "tests/guests/bench_irq.h"

const char guest_name[] = "bench";

#define ITERATIONS   1000
#define UART_SCRATCH (COM1_PORT + 7)

enum op { OP_NONE, OP_CPUID, OP_VMCALL, OP_OUT, OP_RDMSR };

struct result {
	uint64_t min, avg;
	long last; /* what the operation returned the last time */
};

static __attribute__((noinline)) long run_op(enum op op, unsigned i)
{
	switch (op) {
	case OP_CPUID:
		return cpuid(0).eax;
	case OP_VMCALL:
		return tessera_hypercall(TESSERA_HC_ABI_VERSION, 0, 0, 0, 0);
	case OP_OUT:
		outb(UART_SCRATCH, (uint8_t)i);
		return 0;
	case OP_RDMSR:
		return (long)rdmsr(IA32_MISC_ENABLE);
	default:
		return 0;
	}
}

/* The TSC difference around run_op(), minus the same around an empty op. */
static struct result measure(enum op op, uint64_t overhead)
{
	struct result r = {.min = ~0ull};
	uint64_t total = 0;

	for (unsigned i = 0; i < ITERATIONS; i++) {
		uint64_t t0 = rdtsc();
		r.last = run_op(op, i);
		uint64_t t1 = rdtsc();
		uint64_t d = t1 - t0;
		d = d > overhead ? d - overhead : 0;
		total += d;
		if (d < r.min)
			r.min = d;
	}
	r.avg = total / ITERATIONS;
	return r;
}

static void report(const char *name, struct result r)
{
	guest_printf("bench: %s %llu instructions per exit round trip (min; avg %llu, %u runs)\n",
		     name, (unsigned long long)r.min, (unsigned long long)r.avg, ITERATIONS);
}

static const char *exit_reason_name(unsigned reason)
{
	switch (reason) {
	case 0:
		return "exception-or-nmi";
	case 1:
		return "external-interrupt";
	case 2:
		return "triple-fault";
	case 7:
		return "interrupt-window";
	case 10:
		return "cpuid";
	case 12:
		return "hlt";
	case 18:
		return "vmcall";
	case 28:
		return "cr-access";
	case 30:
		return "io-instruction";
	case 31:
		return "rdmsr";
	case 32:
		return "wrmsr";
	case 48:
		return "ept-violation";
	case 52:
		return "preemption-timer";
	default:
		return "other";
	}
}

static void print_exit_stats(void)
{
	static uint64_t stats[TESSERA_EXIT_STATS_MAX];
	long n =
	    tessera_hypercall(TESSERA_HC_EXIT_STATS, (uint64_t)stats, TESSERA_EXIT_STATS_MAX, 0, 0);

	if (!check_eq("exit-stats", (uint64_t)n, TESSERA_EXIT_STATS_MAX))
		return;
	for (unsigned i = 0; i < TESSERA_EXIT_STATS_MAX; i++)
		if (stats[i])
			guest_printf("bench: exits reason %u (%s): %llu\n", i, exit_reason_name(i),
				     (unsigned long long)stats[i]);
	check(stats[10] >= ITERATIONS, "exit-stats-cpuid-counted");
	check(stats[18] >= ITERATIONS, "exit-stats-vmcall-counted");
	check(stats[30] >= ITERATIONS, "exit-stats-io-counted");
	check(stats[31] >= ITERATIONS, "exit-stats-rdmsr-counted");
}

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	bool tessera = on_tessera();
	struct result base = measure(OP_NONE, 0);
	guest_printf("bench: rdtsc pair overhead %llu (subtracted)\n",
		     (unsigned long long)base.min);

	struct result r = measure(OP_CPUID, base.min);
	report("cpuid", r);
	check_eq("cpuid-ran", (uint64_t)r.last, cpuid(0).eax);

	if (tessera) {
		r = measure(OP_VMCALL, base.min);
		report("vmcall", r);
		check_eq("vmcall-ran", (uint64_t)r.last, TESSERA_ABI_VERSION);
		check_eq("vmcall-abi-1.3", (uint64_t)r.last, 0x00010003);
	} else {
		skip("vmcall", "not running on Tessera");
	}

	r = measure(OP_OUT, base.min);
	report("out-vuart-scratch", r);
	check_eq("out-scratch-kept", inb(UART_SCRATCH), (uint8_t)(ITERATIONS - 1));

	uint64_t v;
	if (rdmsr_safe(IA32_MISC_ENABLE, &v) == EXC_NONE) {
		r = measure(OP_RDMSR, base.min);
		report("rdmsr-misc-enable", r);
		check_eq("rdmsr-ran", (uint64_t)r.last, v);
	} else {
		checkf(false, "rdmsr-misc-enable", "IA32_MISC_ENABLE raised #GP");
	}

	if (tessera)
		bench_interrupts();
	else
		skip("interrupts", "not running on Tessera");
	if (tessera)
		print_exit_stats();
	else
		skip("exit-stats", "not running on Tessera");
}
