/* Per-CPU areas: a static array, one per logical CPU. */
#include "arch/x86/percpu.h"
#include "arch/x86/msr.h"

struct percpu percpu[MAX_CPUS];
uint32_t cpu_count = 1;

void percpu_install(struct percpu *cpu)
{
	cpu->self = cpu;
	wrmsr(MSR_IA32_GS_BASE, (uint64_t)(uintptr_t)cpu);
}
