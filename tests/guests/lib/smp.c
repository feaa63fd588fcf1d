/* Starting the guest's application processors (see smp.h). */
#include "tests/guests/lib/smp.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/lib.h"

struct ap_params {
	uint64_t cr3, stacks, stack_size, entry;
	uint32_t next;
	uint16_t pad0, gdt_limit;
	uint64_t gdt_base;
	uint16_t pad1[3], idt_limit;
	uint64_t idt_base;
}; /* naturally aligned: no padding, as the asserts check */
_Static_assert(__builtin_offsetof(struct ap_params, gdt_limit) == 38, "ap_trampoline.S layout");
_Static_assert(__builtin_offsetof(struct ap_params, idt_limit) == 54, "ap_trampoline.S layout");

struct desc_reg {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const char ap_trampoline_start[], ap_trampoline_end[], ap_trampoline_params[];
static uint8_t ap_stacks[GUEST_MAX_CPUS][GUEST_AP_STACK_SIZE] __attribute__((aligned(16)));
static void (*volatile ap_fn)(unsigned index);

void guest_ap_entry(unsigned index);
void guest_ap_entry(unsigned index)
{
	if (index < GUEST_MAX_CPUS && ap_fn)
		ap_fn(index);
}

unsigned guest_cpu_index(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0), base = (uintptr_t)ap_stacks;

	/* AP i (1-based) runs on ap_stacks[i - 1] .. top ap_stacks + i * size (ap_trampoline.S). */
	if (sp < base || sp >= base + sizeof(ap_stacks))
		return 0;
	return (unsigned)((sp - base) / GUEST_AP_STACK_SIZE) + 1;
}

static struct ap_params *params(void)
{
	return (struct ap_params *)(uintptr_t)(GUEST_AP_TRAMPOLINE +
					       (ap_trampoline_params - ap_trampoline_start));
}

unsigned smp_aps_arrived(void)
{
	return __atomic_load_n(&params()->next, __ATOMIC_SEQ_CST);
}

bool smp_wait_for(volatile uint32_t *flag, uint32_t want, uint64_t ticks)
{
	uint64_t end = rdtsc() + ticks;

	while (*flag < want)
		if (rdtsc() > end)
			return false;
	return true;
}

static void delay_ticks(uint64_t ticks)
{
	uint64_t end = rdtsc() + ticks;

	while (rdtsc() < end)
		__asm__ volatile("pause");
}

static void prepare(void (*fn)(unsigned))
{
	struct ap_params *p = params();
	struct desc_reg gdtr, idtr;
	uint64_t cr3;

	memcpy((void *)(uintptr_t)GUEST_AP_TRAMPOLINE, ap_trampoline_start,
	       (size_t)(ap_trampoline_end - ap_trampoline_start));
	__asm__ volatile("mov %%cr3, %0; sgdt %1; sidt %2" : "=r"(cr3), "=m"(gdtr), "=m"(idtr));
	p->cr3 = cr3;
	p->stacks = (uint64_t)(uintptr_t)ap_stacks;
	p->stack_size = GUEST_AP_STACK_SIZE;
	p->entry = (uint64_t)(uintptr_t)guest_ap_entry;
	p->gdt_limit = gdtr.limit;
	p->gdt_base = gdtr.base;
	p->idt_limit = idtr.limit;
	p->idt_base = idtr.base;
	ap_fn = fn;
	__atomic_store_n(&p->next, 0, __ATOMIC_SEQ_CST);
}

unsigned smp_start_aps(void (*fn)(unsigned index), unsigned nr_aps, enum smp_start_style style)
{
	uint32_t vector = GUEST_AP_TRAMPOLINE >> 12;

	if (nr_aps >= GUEST_MAX_CPUS)
		nr_aps = GUEST_MAX_CPUS - 1;
	prepare(fn);
	if (style == SMP_START_BROADCAST) {
		apic_send(0, GAPIC_ALL_BUT_SELF | GAPIC_DM_INIT | GAPIC_ASSERT);
		apic_send(0, GAPIC_ALL_BUT_SELF | GAPIC_DM_SIPI | vector);
	} else {
		for (unsigned id = 1; id <= nr_aps; id++) {
			apic_send(id, GAPIC_DM_INIT | GAPIC_ASSERT);
			delay_ticks(1000000);
			apic_send(id, GAPIC_DM_SIPI | vector);
			delay_ticks(20000);
			apic_send(id,
				  GAPIC_DM_SIPI | vector); /* ignored by an AP already running */
			smp_wait_for(&params()->next, id, 2000000);
		}
	}
	smp_wait_for(&params()->next, nr_aps, 200000000ull);
	return smp_aps_arrived();
}
