/* The guest's local APIC and its interrupt handlers (see apic.h). */
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/lib.h"

static irq_handler_t handlers[256];
static volatile uint32_t counts[256];

bool apic_has_x2apic(void)
{
	return cpuid(1).ecx & (1u << 21);
}

bool apic_has_tsc_deadline(void)
{
	return cpuid(1).ecx & (1u << 24);
}

bool apic_x2apic_mode(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD;
}

bool apic_set_mode(bool x2apic)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint64_t want = (base & ~APIC_BASE_EXTD) | APIC_BASE_EN | (x2apic ? APIC_BASE_EXTD : 0);

	if (base == want)
		return true;
	/* x2APIC -> xAPIC is only legal through the disabled state. */
	if ((base & APIC_BASE_EXTD) && !x2apic &&
	    wrmsr_safe(MSR_APIC_BASE, base & ~(APIC_BASE_EN | APIC_BASE_EXTD)) != EXC_NONE)
		return false;
	return wrmsr_safe(MSR_APIC_BASE, want) == EXC_NONE;
}

static volatile uint32_t *mmio(uint32_t reg)
{
	return (volatile uint32_t *)(uintptr_t)((rdmsr(MSR_APIC_BASE) & ~0xfffull) + reg);
}

uint32_t apic_read(uint32_t reg)
{
	return apic_x2apic_mode() ? (uint32_t)rdmsr(0x800 + (reg >> 4)) : *mmio(reg);
}

void apic_write(uint32_t reg, uint32_t value)
{
	if (apic_x2apic_mode())
		wrmsr(0x800 + (reg >> 4), value);
	else
		*mmio(reg) = value;
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(GAPIC_ID);

	return apic_x2apic_mode() ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(GAPIC_EOI, 0);
}

void apic_send(uint32_t dest, uint32_t low)
{
	if (apic_x2apic_mode()) {
		wrmsr(0x830, (uint64_t)dest << 32 | low);
		return;
	}
	*mmio(GAPIC_ICR_HIGH) = dest << 24;
	*mmio(GAPIC_ICR) = low;
	for (int i = 0; i < 1000000 && (*mmio(GAPIC_ICR) & GAPIC_BUSY); i++)
		__asm__ volatile("pause");
}

void apic_sw_enable(uint8_t spurious)
{
	apic_write(GAPIC_SVR, GAPIC_SVR_ENABLE | spurious);
}

void irq_set_handler(uint8_t vector, irq_handler_t fn)
{
	handlers[vector] = fn;
}

uint32_t irq_count(uint8_t vector)
{
	return counts[vector];
}

void irq_reset_counts(void)
{
	for (unsigned i = 0; i < 256; i++)
		counts[i] = 0;
}

bool irq_dispatch(uint8_t vector)
{
	if (!handlers[vector])
		return false;
	counts[vector]++;
	handlers[vector](vector);
	return true;
}
