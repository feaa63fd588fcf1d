/*
 * stats: Tessera's per-partition exit counters, read with
 * TESSERA_HC_EXIT_STATS around a known number of exiting instructions (the
 * differences must be exact), with bad arguments, and printed with
 * TESSERA_HC_PRINT_STATS: the guest prints its CPUID count just before, so
 * that the test script can compare it with Tessera's line. Needs Tessera.
 */
#include "tests/guests/lib/lib.h"
#include "tests/guests/lib/msr_index.h"

const char guest_name[] = "stats";

#define EXIT_REASON_EXCEPTION_NMI      0 /* SDM basic exit reasons */
#define EXIT_REASON_EXTERNAL_INTERRUPT 1
#define EXIT_REASON_PREEMPTION_TIMER   52
#define EXIT_REASON_CPUID	       10
#define EXIT_REASON_VMCALL	       18
#define EXIT_REASON_IO		       30
#define EXIT_REASON_RDMSR	       31
#define N_CPUID			       100
#define N_IO			       50
#define N_RDMSR			       10
#define UART_SCRATCH		       (COM1_PORT + 7)
#define SENTINEL		       0x5e5e5e5e5e5e5e5eull

static uint64_t before[TESSERA_EXIT_STATS_MAX], after[TESSERA_EXIT_STATS_MAX];
static uint64_t small[12];

static long exit_stats(uint64_t *buf, unsigned long count)
{
	return tessera_hypercall(TESSERA_HC_EXIT_STATS, (uintptr_t)buf, count, 0, 0);
}

static void check_delta(const char *what, unsigned reason, uint64_t want)
{
	checkf(after[reason] - before[reason] == want, what,
	       "exit reason %u went from %llu to %llu, want +%llu", reason,
	       (unsigned long long)before[reason], (unsigned long long)after[reason],
	       (unsigned long long)want);
}

/* Between the two reads: exactly these exits, and no console output. */
static void counted_work(void)
{
	for (unsigned i = 0; i < N_CPUID; i++)
		(void)cpuid(0);
	for (unsigned i = 0; i < N_IO; i++)
		(void)inb(UART_SCRATCH);
	for (unsigned i = 0; i < N_RDMSR; i++)
		(void)rdmsr(IA32_MISC_ENABLE);
}

static void check_bad_arguments(uint64_t ram)
{
	check_eq("count-0", (uint64_t)exit_stats(small, 0), 0);
	check_eq("count-81-inval", (uint64_t)exit_stats(before, TESSERA_EXIT_STATS_MAX + 1),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("outside-ram-fault", (uint64_t)exit_stats((uint64_t *)(uintptr_t)ram, 1),
		 (uint64_t)TESSERA_E_FAULT);
	check_eq("straddling-end-fault", (uint64_t)exit_stats((uint64_t *)(uintptr_t)(ram - 8), 2),
		 (uint64_t)TESSERA_E_FAULT);

	/* count 11 writes counters 0..10 and nothing after them. */
	for (unsigned i = 0; i < ARRAY_SIZE(small); i++)
		small[i] = SENTINEL;
	check_eq("count-11", (uint64_t)exit_stats(small, 11), 11);
	check(small[EXIT_REASON_CPUID] >= N_CPUID && small[EXIT_REASON_CPUID] != SENTINEL,
	      "count-11-filled");
	check_eq("count-11-stops-there", small[11], SENTINEL);
}

void guest_main(const struct guest_boot *boot)
{
	struct tessera_partition_info info;

	(void)boot;
	if (!check(on_tessera(), "on-tessera"))
		guest_finish();
	if (!check_eq(
		"partition-info",
		(uint64_t)tessera_hypercall(TESSERA_HC_PARTITION_INFO, (uintptr_t)&info, 0, 0, 0),
		0))
		guest_finish();

	long n0 = exit_stats(before, TESSERA_EXIT_STATS_MAX);
	counted_work();
	long n1 = exit_stats(after, TESSERA_EXIT_STATS_MAX);

	check_eq("exit-stats-returns-count", (uint64_t)n0, TESSERA_EXIT_STATS_MAX);
	check_eq("exit-stats-returns-count-again", (uint64_t)n1, TESSERA_EXIT_STATS_MAX);
	check_delta("cpuid-counted-exactly", EXIT_REASON_CPUID, N_CPUID);
	check_delta("io-counted-exactly", EXIT_REASON_IO, N_IO);
	check_delta("rdmsr-counted-exactly", EXIT_REASON_RDMSR, N_RDMSR);
	check_delta("vmcall-counted-exactly", EXIT_REASON_VMCALL, 1); /* the second read */
	check(before[EXIT_REASON_IO] > 0, "earlier-console-io-counted");

	/* Nothing else the guest did exits; host events (interrupts, NMIs, timers) may. */
	uint64_t others = 0;
	for (unsigned r = 0; r < TESSERA_EXIT_STATS_MAX; r++)
		if (r != EXIT_REASON_CPUID && r != EXIT_REASON_IO && r != EXIT_REASON_RDMSR &&
		    r != EXIT_REASON_VMCALL && r != EXIT_REASON_EXCEPTION_NMI &&
		    r != EXIT_REASON_EXTERNAL_INTERRUPT && r != EXIT_REASON_PREEMPTION_TIMER)
			others += after[r] - before[r];
	check_eq("no-other-exits-counted", others, 0);

	check_bad_arguments(info.memory_bytes);

	/* Printing makes I/O exits, not CPUID ones: Tessera's line must show this count. */
	long r = exit_stats(after, TESSERA_EXIT_STATS_MAX);
	check_eq("exit-stats-before-print", (uint64_t)r, TESSERA_EXIT_STATS_MAX);
	guest_printf("guest stats: cpuid exits so far: %llu\n",
		     (unsigned long long)after[EXIT_REASON_CPUID]);
	check_eq("print-stats", (uint64_t)tessera_hypercall(TESSERA_HC_PRINT_STATS, 0, 0, 0, 0), 0);
}
