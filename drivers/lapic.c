/*
 * Local APIC driver. Every CPU runs lapic_init_cpu() on itself; all CPUs end up in
 * the same mode, since the choice depends only on CPUID. Register accesses pick
 * the mode from IA32_APIC_BASE where a CPU might still be in the firmware's mode
 * (lapic_id, IPIs from panic), and from the cached mode on the hot path (EOI).
 */
#include "drivers/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "arch/x86/traps.h"
#include "lib/log.h"

#define ICR_WAIT_SPINS 1000000 /* far above the few microseconds delivery takes */

static bool x2apic;		/* the mode lapic_init_cpu chose */
static volatile bool bsp_ready; /* the boot CPU's APIC is set up: IPIs may be sent */

/* The legacy 8259 pair, which Tessera never uses. */
#define PIC1_CMD	   0x20
#define PIC1_DATA	   0x21
#define PIC2_CMD	   0xa0
#define PIC2_DATA	   0xa1
#define PIC_ICW1_INIT_ICW4 0x11
#define PIC_ICW4_8086	   0x01
#define PIC1_VECTOR_BASE   0x20 /* out of the exception range, should one slip through */
#define PIC2_VECTOR_BASE   0x28

/*
 * Masking LINT0 is not enough everywhere: Bochs wires the 8259's output to the CPU
 * directly, and the firmware leaves IRQ 0 (the PIT) on vector 8, which then looks
 * like a double fault. So the 8259s are moved to vectors 0x20-0x2f and masked.
 */
static void legacy_pic_disable(void)
{
	outb(PIC1_CMD, PIC_ICW1_INIT_ICW4);
	outb(PIC2_CMD, PIC_ICW1_INIT_ICW4);
	outb(PIC1_DATA, PIC1_VECTOR_BASE);
	outb(PIC2_DATA, PIC2_VECTOR_BASE);
	outb(PIC1_DATA, 1u << 2); /* the slave on IRQ 2 */
	outb(PIC2_DATA, 2);	  /* its cascade identity */
	outb(PIC1_DATA, PIC_ICW4_8086);
	outb(PIC2_DATA, PIC_ICW4_8086);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

static bool x2apic_enabled_now(void)
{
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD;
}

static volatile uint32_t *xapic_reg(uint32_t reg)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR_MASK;

	return (volatile uint32_t *)(uintptr_t)(base + reg);
}

static uint32_t reg_read(bool x2, uint32_t reg)
{
	return x2 ? (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4)) : *xapic_reg(reg);
}

static void reg_write(bool x2, uint32_t reg, uint32_t v)
{
	if (x2)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		*xapic_reg(reg) = v;
}

void lapic_mask_error_and_above(uint32_t max_lvt)
{
	lapic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	/* LVT entries past the error one exist only when MAX LVT says so (x2APIC: #GP). */
	if (max_lvt >= 4)
		lapic_write(APIC_LVT_PERF, APIC_LVT_MASKED);
	if (max_lvt >= 5)
		lapic_write(APIC_LVT_THERMAL, APIC_LVT_MASKED);
	if (max_lvt >= 6)
		lapic_write(APIC_LVT_CMCI, APIC_LVT_MASKED);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0); /* xAPIC: the first write latches, the second clears */
}

uint32_t lapic_read(uint32_t reg)
{
	return reg_read(x2apic, reg);
}

void lapic_write(uint32_t reg, uint32_t value)
{
	reg_write(x2apic, reg, value);
}

bool lapic_x2apic_mode(void)
{
	return x2apic;
}

uint32_t lapic_id(void)
{
	if (x2apic_enabled_now())
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (APIC_ID >> 4));
	return *xapic_reg(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

void lapic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	bool want_x2 = cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC;
	bool bsp = base & APIC_BASE_BSP;

	if (bsp)
		legacy_pic_disable();
	/* Disabled -> xAPIC -> x2APIC: the SDM forbids going from disabled to x2APIC. */
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (want_x2 && !(base & APIC_BASE_EXTD))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EXTD);
	x2apic = want_x2;

	uint32_t max_lvt = APIC_VERSION_MAX_LVT(lapic_read(APIC_VERSION));

	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	lapic_write(APIC_LVT_LINT0, APIC_LVT_MASKED); /* no 8259 interrupts */
	/* External NMIs (LINT1) go to the boot CPU only, as firmware sets them up. */
	lapic_write(APIC_LVT_LINT1, bsp ? APIC_LVT_DM_NMI : APIC_LVT_MASKED);
	lapic_mask_error_and_above(max_lvt);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | VECTOR_SPURIOUS);
	lapic_eoi(); /* drop anything the firmware left in service */
	if (bsp) {
		bsp_ready = true;
		log_info("lapic: %s mode, base %#llx, id %u, %u LVT entries",
			 x2apic ? "x2APIC" : "xAPIC",
			 (unsigned long long)(base & APIC_BASE_ADDR_MASK), lapic_id(), max_lvt + 1);
	}
}

/* Sends one IPI in the mode this CPU's APIC is in now; false if xAPIC stayed busy. */
static bool send_icr(uint32_t apic_id, uint32_t low)
{
	uint64_t flags = read_rflags();
	bool ok = true;

	if (x2apic_enabled_now()) {
		wrmsr(MSR_X2APIC_ICR, ((uint64_t)apic_id << 32) | low);
		return true;
	}
	if (apic_id > 0xff) {
		log_err("lapic: APIC ID %u not reachable in xAPIC mode", apic_id);
		return false;
	}
	/* ICR high then low, with nothing of ours in between (NMIs aside). */
	irq_disable();
	for (uint32_t i = 0; *xapic_reg(APIC_ICR_LOW) & APIC_ICR_BUSY; i++) {
		if (i == ICR_WAIT_SPINS) {
			ok = false;
			break;
		}
		cpu_relax();
	}
	if (ok) {
		*xapic_reg(APIC_ICR_HIGH) = apic_id << 24;
		*xapic_reg(APIC_ICR_LOW) = low;
		for (uint32_t i = 0; *xapic_reg(APIC_ICR_LOW) & APIC_ICR_BUSY; i++) {
			if (i == ICR_WAIT_SPINS) {
				ok = false;
				break;
			}
			cpu_relax();
		}
	}
	if (flags & RFLAGS_IF)
		irq_enable();
	if (!ok)
		log_warn("lapic: IPI %#x to APIC %u: delivery still pending", low, apic_id);
	return ok;
}

void lapic_send_init(uint32_t apic_id)
{
	send_icr(apic_id, APIC_ICR_DM_INIT | APIC_ICR_LEVEL_ASSERT);
}

void lapic_send_startup(uint32_t apic_id, uint64_t trampoline_pa)
{
	if (!IS_ALIGNED(trampoline_pa, PAGE_SIZE) || trampoline_pa >= 1 * MiB) {
		log_err("lapic: start-up address %#llx not a page below 1 MiB",
			(unsigned long long)trampoline_pa);
		return;
	}
	send_icr(apic_id, APIC_ICR_DM_STARTUP | (uint32_t)(trampoline_pa >> 12));
}

void lapic_send_fixed(uint32_t apic_id, uint8_t vector)
{
	send_icr(apic_id, APIC_ICR_DM_FIXED | APIC_ICR_LEVEL_ASSERT | vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
	send_icr(apic_id, APIC_ICR_DM_NMI | APIC_ICR_LEVEL_ASSERT);
}

void lapic_send_nmi_all_but_self(void)
{
	/* Before the boot CPU set its APIC up no other CPU runs Tessera code. */
	if (!bsp_ready)
		return;
	send_icr(0, APIC_ICR_DM_NMI | APIC_ICR_LEVEL_ASSERT | APIC_ICR_ALL_BUT_SELF);
}
