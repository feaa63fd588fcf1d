/*
 * SMP bring-up. The boot CPU copies boot/trampoline.S to a page below 1 MiB and
 * starts the application processors one at a time, so one parameter block in
 * that page serves them all.
 */
#include "hv/core/smp.h"
#include "hv/vcpu/request.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/mm/paging.h"
#include "arch/x86/vmx/vmx.h"
#include "drivers/acpi.h"
#include "drivers/console.h"
#include "drivers/lapic.h"
#include "drivers/timer.h"
#include "drivers/tsc.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"

/* Must match the parameter block at the end of boot/trampoline.S. */
struct trampoline_params {
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint16_t pad0;
	uint32_t far32_offset;
	uint16_t far32_selector, pad1;
	uint32_t far64_offset;
	uint16_t far64_selector, pad2;
	uint32_t cr0, cr3, cr4, efer;
	uint64_t stack_top, percpu, entry;
} __packed;
STATIC_ASSERT(sizeof(struct trampoline_params) == 64, "trampoline parameter block layout");

extern char trampoline_start[], trampoline_params[], trampoline_end[];
extern const uint32_t trampoline_off_pm32, trampoline_off_lm64, trampoline_off_gdt;

#define INIT_DEASSERT_US 10000	 /* SDM: wait 10 ms after INIT */
#define SIPI_WAIT_US	 1000	 /* after the first SIPI, before sending the second */
#define AP_ANSWER_US	 200000	 /* after the second SIPI, before giving up */
#define AP_READY_US	 5000000 /* for an AP's start-up checks */

static bool wait_flag(volatile bool *flag, uint64_t us)
{
	uint64_t end = rdtsc() + tsc_ticks_from_us(us);

	while (!*flag) {
		if (rdtsc() > end)
			return false;
		console_poll();
		cpu_relax();
	}
	return true;
}

/* Sleeps on the mailbox for work (REQUEST_RUN): the payload is read, then the bit cleared. */
static __noreturn void ap_idle(struct percpu *cpu)
{
	for (;;) {
		request_wait(REQ(RUN));
		void (*fn)(struct percpu *) = request_mailbox(cpu)->run;

		request_clear(&cpu->requests, REQ(RUN));
		fn(cpu);
	}
}

static __noreturn void ap_entry(struct percpu *cpu)
{
	percpu_install(cpu);
	desc_init_cpu(cpu);
	lapic_init_cpu();
	timer_init_cpu();
	cpu->online = true;
	if (lapic_id() != cpu->apic_id)
		log_warn("smp: cpu %u answers with apic id %u, MADT said %u", cpu->index,
			 lapic_id(), cpu->apic_id);
	log_info("smp: cpu %u online (apic id %u)", cpu->index, cpu->apic_id);
	timer_self_test();
	vmx_caps_probe(&cpu->vmx);
	if (!cpu->vmx.missing)
		vmx_smoke_test(cpu);
	cpu->ready = true;
	ap_idle(cpu);
}

static struct trampoline_params *trampoline_install(uint64_t page)
{
	size_t len = (size_t)(trampoline_end - trampoline_start);
	struct trampoline_params *p;

	memcpy((void *)(uintptr_t)page, trampoline_start, len);
	p = (struct trampoline_params *)(uintptr_t)(page + (uint64_t)(trampoline_params -
								      trampoline_start));
	p->gdt_base = (uint32_t)(page + trampoline_off_gdt);
	p->far32_offset = (uint32_t)(page + trampoline_off_pm32);
	p->far64_offset = (uint32_t)(page + trampoline_off_lm64);
	p->cr0 = (uint32_t)read_cr0();
	p->cr3 = (uint32_t)paging_hv_cr3();
	p->cr4 = (uint32_t)(read_cr4() & ~CR4_VMXE);
	p->efer = (uint32_t)(rdmsr(MSR_IA32_EFER) & ~EFER_LMA); /* NXE included: tables use XD */
	p->entry = (uint64_t)(uintptr_t)ap_entry;
	return p;
}

/* INIT-SIPI-SIPI after the INIT: the boot CPU has sent INIT to every AP and waited. */
static bool start_cpu(struct percpu *cpu, uint64_t page, struct trampoline_params *p)
{
	p->stack_top = cpu->stack_top;
	p->percpu = (uint64_t)(uintptr_t)cpu;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_startup(cpu->apic_id, page);
	if (!wait_flag(&cpu->online, SIPI_WAIT_US)) {
		lapic_send_startup(cpu->apic_id, page);
		if (!wait_flag(&cpu->online, AP_ANSWER_US))
			return false;
	}
	return true;
}

uint32_t smp_start_all(void)
{
	const struct acpi_info *acpi = acpi_get();
	struct percpu *bsp = this_cpu();
	uint32_t online = 1, expected = 1, next = 1;
	struct trampoline_params *params;
	uint64_t page;

	bsp->apic_id = lapic_id();
	bsp->online = true;
	bsp->ready = true;
	log_info("smp: cpu 0 online (apic id %u, boot CPU)", bsp->apic_id);

	page = alloc_pages_below(1, 1 * MiB);
	if (!page || (trampoline_end - trampoline_start) > (long)PAGE_SIZE) {
		log_err("smp: no page below 1 MiB for the start-up trampoline; running on one CPU");
		return 1;
	}
	/*
	 * The APs run the trampoline from this page with paging on, and the boot CPU
	 * writes each AP's parameters into it: writable and executable while they start.
	 */
	paging_hv_map(page, PAGE_SIZE, PT_WRITE | PT_GLOBAL);
	params = trampoline_install(page);
	/* The page came from RAM of the memory map (the EFI one under UEFI): say where. */
	log_info("smp: start-up trampoline at %#llx", (unsigned long long)page);

	/* Every AP gets its slot and stack and an INIT; one wait covers them all. */
	for (uint32_t i = 0; i < acpi->nr_cpus; i++) {
		const struct acpi_cpu *c = &acpi->cpus[i];

		if (!c->enabled || c->apic_id == bsp->apic_id)
			continue;
		expected++;
		if (next >= MAX_CPUS) {
			log_warn("smp: cpu with apic id %u left out: more than %u CPUs", c->apic_id,
				 MAX_CPUS);
			continue;
		}
		struct percpu *cpu = &percpu[next];

		cpu->index = next++;
		cpu->apic_id = c->apic_id;
		cpu->stack_top =
		    (uint64_t)(uintptr_t)alloc_pages(CPU_STACK_SIZE / PAGE_SIZE) + CPU_STACK_SIZE;
		lapic_send_init(cpu->apic_id);
	}
	udelay(INIT_DEASSERT_US);
	/* Start-up one at a time: they share the trampoline's parameter block. */
	for (uint32_t i = 1; i < next; i++) {
		if (start_cpu(&percpu[i], page, params))
			online++;
		else
			log_err("smp: cpu %u (apic id %u) did not answer INIT-SIPI-SIPI; left out",
				i, percpu[i].apic_id);
	}
	cpu_count = next;

	for (uint32_t i = 1; i < cpu_count; i++)
		if (percpu[i].online && !wait_flag(&percpu[i].ready, AP_READY_US))
			log_err("smp: cpu %u did not finish its start-up checks", i);
	paging_hv_map(page, PAGE_SIZE, PT_WRITE | PT_NX | PT_GLOBAL);
	log_info("smp: %u of %u CPUs online", online, expected);
	return online;
}

void smp_run_on(uint32_t index, void (*fn)(struct percpu *cpu))
{
	if (!request_send_run(&percpu[index], fn))
		log_err("smp: cpu %u is still busy with earlier work; not handed more", index);
}
