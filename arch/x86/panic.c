/*
 * panic(): report, stop every CPU, end the run with a failure status.
 *
 * The panicking CPU prints the reason and its caller's registers, then asks
 * every other CPU to stop: it sets the stop request and sends each online CPU
 * an NMI; their NMI handler (arch/x86/traps.c) sees the request, logs "cpu N
 * stopped" and halts. It waits a bounded time for them, then ends the run. A panic inside
 * panic() ends the run at once; a second CPU that panics meanwhile just stops.
 */
#include <stdarg.h>
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/percpu.h"
#include "arch/x86/traps.h"
#include "drivers/console.h"
#include "drivers/lapic.h"
#include "drivers/machine_exit.h"
#include "lib/format.h"
#include "lib/log.h"

#define NO_CPU		UINT32_MAX
/*
 * How long to wait for the other CPUs: a pause-loop count (Bochs: its TSC counts
 * instructions) and a TSC span (QEMU TCG: a pause takes microseconds there),
 * whichever ends first: about 0.1-0.5 s on hardware and both emulators.
 */
#define STOP_WAIT_SPINS (1u << 22)
#define STOP_WAIT_TSC	(1ULL << 30)
#define BACKTRACE_DEPTH 8
#define BACKTRACE_SPAN	(64 * KiB) /* frames further up than this are not believed */

static volatile bool stop_requested;
static volatile bool cpu_stopped[MAX_CPUS];
static volatile uint32_t cpus_stopped;
static volatile uint32_t panic_cpu = NO_CPU;
static volatile uint32_t panic_nesting; /* panics on panic_cpu after the first */
static char first_reason[192];

bool cpu_stop_requested(void)
{
	return __atomic_load_n(&stop_requested, __ATOMIC_ACQUIRE);
}

__noreturn void cpu_stop_self(void)
{
	uint32_t me = this_cpu()->index;

	irq_disable();
	if (me < MAX_CPUS && !cpu_stopped[me]) {
		cpu_stopped[me] = true;
		/* Counted first: the log line may never come out (the console lock
		 * may be held by a CPU stopped earlier), this CPU is stopped anyway. */
		__atomic_fetch_add(&cpus_stopped, 1, __ATOMIC_RELEASE);
		log_info("cpu %u stopped", me);
	}
	cpu_halt_forever();
}

/*
 * NMIs every other online CPU, one by one. Not the all-but-self shorthand: a CPU
 * that is still starting (no IDT yet) or failed to start would triple-fault on
 * the NMI, and in an emulator that resets the machine before the panic ends
 * the run (seen in QEMU with a panic during AP start-up). Returns how many.
 */
static uint32_t nmi_online_cpus(uint32_t me)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < cpu_count && i < MAX_CPUS; i++) {
		if (i == me || !percpu[i].online)
			continue;
		lapic_send_nmi(percpu[i].apic_id);
		n++;
	}
	return n;
}

static void stop_other_cpus(uint32_t me)
{
	uint64_t start = rdtsc();
	uint32_t others;

	__atomic_store_n(&stop_requested, true, __ATOMIC_RELEASE);
	others = nmi_online_cpus(me);
	for (uint32_t spins = 0; spins < STOP_WAIT_SPINS && rdtsc() - start < STOP_WAIT_TSC;
	     spins++) {
		if (__atomic_load_n(&cpus_stopped, __ATOMIC_ACQUIRE) >= others)
			return;
		cpu_relax();
	}
	/* One of them may have been stopped while it held the console lock. */
	console_force_unlock();
	log_err("panic: %u of %u other CPUs did not report stopping", others - cpus_stopped,
		others);
}

/* Return addresses up the RBP chain, as long as the frames look like one stack. */
static void log_backtrace(uint64_t rbp, uint64_t rsp)
{
	char line[BACKTRACE_DEPTH * 20 + 16];
	size_t n = 0;

	for (int depth = 0; depth < BACKTRACE_DEPTH; depth++) {
		if (rbp < rsp || rbp - rsp > BACKTRACE_SPAN || !IS_ALIGNED(rbp, 8))
			break;
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		if (!frame[1])
			break;
		n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " %#llx",
					  (unsigned long long)frame[1]);
		rsp = rbp + 16;
		rbp = frame[0];
	}
	if (n)
		log_err("  backtrace:%s", line);
}

/* A panic while panicking: say so with the least machinery, then end the run. */
static __noreturn void nested_panic(const char *fmt, va_list ap)
{
	char line[160];

	if (__atomic_add_fetch(&panic_nesting, 1, __ATOMIC_RELAXED) > 1) {
		/* Reporting failed too: only the emulator's exit port is left. */
		outl(QEMU_DEBUG_EXIT_PORT, TESSERA_PANIC);
		cpu_halt_forever();
	}
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	console_force_unlock();
	log_err("PANIC while panicking: %s (first panic: %s)", line, first_reason);
	machine_exit(TESSERA_PANIC);
}

__noreturn void panic(const char *fmt, ...)
{
	uint64_t rflags = read_rflags();
	const uint64_t *frame = __builtin_frame_address(0);
	uint64_t caller_rip = (uint64_t)(uintptr_t)__builtin_return_address(0);
	uint32_t me = this_cpu()->index;
	uint32_t owner = NO_CPU;
	va_list ap;

	irq_disable();
	va_start(ap, fmt);
	if (!__atomic_compare_exchange_n(&panic_cpu, &owner, me, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		if (owner == me)
			nested_panic(fmt, ap);
		/* Another CPU is already panicking and ends the run: report, then stop. */
		char line[160];

		fmt_vsnprintf(line, sizeof(line), fmt, ap);
		log_err("PANIC on cpu%u too, while cpu%u panics: %s", me, owner, line);
		cpu_stop_self();
	}
	fmt_vsnprintf(first_reason, sizeof(first_reason), fmt, ap);
	va_end(ap);

	/* Take the console even if its holder is stuck (maybe this CPU, interrupted). */
	console_force_unlock();
	log_err("PANIC on cpu%u: %s", me, first_reason);
	log_err("  called from RIP %#018llx RSP %#018llx RBP %#018llx",
		(unsigned long long)caller_rip, (unsigned long long)(uintptr_t)(frame + 2),
		(unsigned long long)frame[0]);
	log_err("  RFLAGS %#018llx CR0 %#018llx CR2 %#018llx", (unsigned long long)rflags,
		(unsigned long long)read_cr0(), (unsigned long long)read_cr2());
	log_err("  CR3 %#018llx CR4 %#018llx", (unsigned long long)read_cr3(),
		(unsigned long long)read_cr4());
	log_backtrace(frame[0], (uint64_t)(uintptr_t)(frame + 2));

	stop_other_cpus(me);
	machine_exit(TESSERA_PANIC);
}
