/*
 * lapic_reset_for_guest (lapic.h): a LAPIC a guest owned put back as after
 * reset, so that nothing it armed fires later into Tessera or into the next
 * boot. Only on CPUs in x2APIC mode (a passthrough LAPIC needs it).
 */
#include "drivers/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/traps.h"

#define APIC_VECTOR_WORDS    8	  /* ISR, IRR: 8 registers of 32 vectors */
#define TPR_ABOVE_EXCEPTIONS 0x10 /* priority class 1: vectors 16-31 stay pending */
#define SVR_RESET	     0xffu

static uint32_t vector_bits(uint32_t base, uint32_t from_word)
{
	uint32_t n = 0;

	for (uint32_t w = from_word; w < APIC_VECTOR_WORDS; w++)
		for (uint32_t bits = lapic_read(base + w * 0x10); bits; bits &= bits - 1)
			n++;
	return n;
}

static void stop_timer_and_mask(void)
{
	uint32_t max_lvt = APIC_VERSION_MAX_LVT(lapic_read(APIC_VERSION));
	uint32_t lvt = lapic_read(APIC_LVT_TIMER);

	if ((lvt & APIC_LVT_TIMER_MODE_MASK) == APIC_LVT_TIMER_TSC_DEADLINE)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED); /* one-shot: leaving TSC-deadline disarms */
	lapic_write(APIC_TIMER_INIT_COUNT, 0);
	lapic_write(APIC_TIMER_DIVIDE, 0);
	lapic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	lapic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	lapic_mask_error_and_above(max_lvt);
}

/* Pending vectors from 32 up, taken one by one and dropped by trap_dispatch. */
static uint32_t drain_pending(void)
{
	struct percpu *cpu = this_cpu();

	cpu->lapic_drained = 0;
	cpu->lapic_draining = true;
	for (unsigned i = 0; i < 256 && vector_bits(APIC_IRR, 1); i++)
		__asm__ volatile("sti; nop; cli" ::: "memory");
	cpu->lapic_draining = false;
	return cpu->lapic_drained;
}

uint32_t lapic_reset_for_guest(uint32_t *left)
{
	uint32_t dropped;

	lapic_write(APIC_SVR, APIC_SVR_ENABLE | VECTOR_SPURIOUS);
	stop_timer_and_mask();
	lapic_write(APIC_TPR, TPR_ABOVE_EXCEPTIONS);
	dropped = vector_bits(APIC_ISR, 0);
	for (unsigned i = 0; i < 256 && vector_bits(APIC_ISR, 0); i++)
		lapic_eoi();
	dropped += drain_pending();
	*left = vector_bits(APIC_IRR, 0);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_SVR, SVR_RESET);
	return dropped;
}
