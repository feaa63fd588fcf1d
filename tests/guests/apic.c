/*
 * apic: the local APIC as the SDM defines it, checked from inside (SDM vol.
 * 3A, chapter 11): registers and their masks, software disable, ESR,
 * IA32_APIC_BASE transitions, self-IPIs, priorities and EOI, and the timer in
 * its three modes, the writable xAPIC ID, a relocated xAPIC window, and the
 * NMI latch (one in service, one pending, the rest lost). Command line
 * "x2apic" runs the register checks in x2APIC mode too (skipped when CPUID
 * does not offer it); "no-x2apic" says the partition hides x2APIC and checks
 * that it does. Also runs under plain QEMU.
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"

const char guest_name[] = "apic";

#define VEC_SPURIOUS 0xff
#define VEC_SELF     0x40
#define VEC_LOW	     0x45
#define VEC_HIGH     0x61
#define VEC_TIMER    0x51
#define ALT_BASE     0xfed40000ull /* where kvm-unit-tests moves the xAPIC window */
#define WAIT_TICKS   2000000000ull /* for an interrupt that must come: ample for slow emulators */
#define QUIET_TICKS  20000000ull   /* for one that must not: a window long enough to see it */

static void count_and_eoi(uint8_t vector)
{
	(void)vector;
	apic_eoi();
}

/* Waits, interrupts on, until `vector` was taken `n` times or `ticks` passed. */
static bool wait_irq_for(uint8_t vector, uint32_t n, uint64_t ticks)
{
	uint64_t end = rdtsc() + ticks;

	irq_enable();
	while (irq_count(vector) < n && rdtsc() < end)
		__asm__ volatile("pause");
	irq_disable();
	return irq_count(vector) >= n;
}

static bool wait_irq(uint8_t vector, uint32_t n)
{
	return wait_irq_for(vector, n, WAIT_TICKS);
}

/* True when `vector` is not taken an n-th time within a quiet window. */
static bool no_irq(uint8_t vector, uint32_t n)
{
	return !wait_irq_for(vector, n, QUIET_TICKS);
}

static void check_base_and_version(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint32_t ver = apic_read(GAPIC_VERSION);

	check_eq("base-address", base & ~0xfffull, APIC_DEFAULT_BASE);
	check(base & APIC_BASE_EN, "enabled-at-reset");
	check(base & APIC_BASE_BSP, "bsp-flag-on-vcpu0");
	check_eq("version", ver & 0xff, 0x14);
	checkf(((ver >> 16) & 0xff) >= 5, "max-lvt", "version %#x", ver);
	check_eq("apic-id-of-vcpu0", apic_id(), 0);
}

static void check_xapic_registers(void)
{
	apic_write(GAPIC_TPR, 0x1ff);
	check_eq("tpr-8-bits", apic_read(GAPIC_TPR), 0xff);
	apic_write(GAPIC_TPR, 0x50);
	check_eq("ppr-follows-tpr", apic_read(GAPIC_PPR), 0x50);
	apic_write(GAPIC_TPR, 0);
	apic_write(GAPIC_LDR, 0xffffffff);
	check_eq("ldr-bits-31-24", apic_read(GAPIC_LDR), 0xff000000);
	apic_write(GAPIC_LDR, 0);
	apic_write(GAPIC_DFR, 0);
	check_eq("dfr-cluster", apic_read(GAPIC_DFR), 0x0fffffff);
	apic_write(GAPIC_DFR, 0xffffffff);
	check_eq("dfr-flat", apic_read(GAPIC_DFR), 0xffffffff);
	apic_sw_enable(VEC_SPURIOUS);
	apic_write(GAPIC_LVT_TIMER, VEC_TIMER);
	check_eq("lvt-timer-unmasked", apic_read(GAPIC_LVT_TIMER), VEC_TIMER);
	if (!on_tessera()) { /* QEMU's TCG APIC does not mask LVTs on software disable */
		skip("sw-disable-masks-lvt", "not on Tessera: QEMU TCG does not model it");
		apic_write(GAPIC_LVT_TIMER, GAPIC_LVT_MASKED | VEC_TIMER);
		return;
	}
	apic_write(GAPIC_SVR, VEC_SPURIOUS); /* software disable */
	check(apic_read(GAPIC_LVT_TIMER) & GAPIC_LVT_MASKED, "sw-disable-masks-lvt");
	apic_write(GAPIC_LVT_TIMER, VEC_TIMER);
	check(apic_read(GAPIC_LVT_TIMER) & GAPIC_LVT_MASKED, "lvt-stays-masked-while-disabled");
	apic_sw_enable(VEC_SPURIOUS);
	apic_write(GAPIC_LVT_TIMER, GAPIC_LVT_MASKED | VEC_TIMER);
}

static void check_esr(void)
{
	if (!on_tessera()) { /* QEMU TCG would deliver the illegal vector as an exception */
		skip("esr", "not on Tessera: QEMU TCG does not model send-illegal-vector");
		return;
	}
	apic_write(GAPIC_ESR, 0);
	apic_write(GAPIC_ESR, 0);
	check_eq("esr-clear", apic_read(GAPIC_ESR), 0);
	apic_send(0, GAPIC_SELF | 0x05); /* a fixed IPI with an illegal vector */
	check_eq("esr-before-write", apic_read(GAPIC_ESR), 0);
	apic_write(GAPIC_ESR, 0);
	check_eq("esr-send-illegal-vector", apic_read(GAPIC_ESR) & 0x20, 0x20);
	apic_write(GAPIC_ESR, 0);
	check_eq("esr-cleared-by-write", apic_read(GAPIC_ESR), 0);
}

static bool in_irr(uint8_t vec)
{
	return apic_read(GAPIC_IRR + 0x10 * (vec / 32)) & (1u << (vec % 32));
}

static void nested_self_ipi(uint8_t vector)
{
	/* In service: a lower class waits for our EOI, a higher one preempts us. */
	apic_send(0, GAPIC_SELF | VEC_LOW);
	irq_enable();
	for (int i = 0; i < 1000; i++)
		__asm__ volatile("pause");
	irq_disable();
	check_eq("lower-class-waits-for-eoi", irq_count(VEC_LOW), 0);
	check(in_irr(VEC_LOW), "lower-class-pending-in-irr");
	check_eq("ppr-is-in-service-class", apic_read(GAPIC_PPR), VEC_HIGH & 0xf0);
	(void)vector;
	apic_eoi();
}

static void check_self_ipi_and_priority(void)
{
	irq_set_handler(VEC_SELF, count_and_eoi);
	irq_set_handler(VEC_LOW, count_and_eoi);
	irq_set_handler(VEC_HIGH, nested_self_ipi);
	apic_send(0, GAPIC_SELF | VEC_SELF);
	check(wait_irq(VEC_SELF, 1), "self-ipi-delivered");
	check_eq("self-ipi-once", irq_count(VEC_SELF), 1);
	apic_write(GAPIC_TPR, 0x50);
	apic_send(0, GAPIC_SELF | VEC_LOW);
	check(no_irq(VEC_LOW, 1), "tpr-masks-lower-class");
	check(in_irr(VEC_LOW), "masked-vector-in-irr");
	apic_write(GAPIC_TPR, 0);
	check(wait_irq(VEC_LOW, 1), "tpr-lowered-delivers");
	irq_reset_counts();
	apic_send(0, GAPIC_SELF | VEC_HIGH);
	check(wait_irq(VEC_HIGH, 1), "high-class-delivered");
	check(wait_irq(VEC_LOW, 1), "lower-class-after-eoi");
	check_eq("isr-empty-at-end", apic_read(GAPIC_ISR + 0x30), 0);
}

static void check_timer(void)
{
	irq_set_handler(VEC_TIMER, count_and_eoi);
	irq_reset_counts();
	apic_write(GAPIC_TDCR, 0xb); /* divide by 1 */
	apic_write(GAPIC_LVT_TIMER, VEC_TIMER);
	apic_write(GAPIC_TMICT, 200000);
	check(apic_read(GAPIC_TMCCT) <= 200000, "tmcct-counts-down");
	check(wait_irq(VEC_TIMER, 1), "one-shot-fires");
	check_eq("one-shot-tmcct-zero", apic_read(GAPIC_TMCCT), 0);
	check(no_irq(VEC_TIMER, 2), "one-shot-fires-once");
	irq_reset_counts();
	apic_write(GAPIC_LVT_TIMER, GAPIC_TIMER_PERIOD | VEC_TIMER);
	apic_write(GAPIC_TMICT, 100000);
	check(wait_irq(VEC_TIMER, 3), "periodic-fires-repeatedly");
	apic_write(GAPIC_TMICT, 0);
	wait_irq_for(VEC_TIMER, ~0u, QUIET_TICKS); /* one may have been requested before */
	irq_reset_counts();
	check(no_irq(VEC_TIMER, 1), "tmict-zero-stops");
	apic_write(GAPIC_LVT_TIMER, GAPIC_LVT_MASKED | VEC_TIMER);
	apic_write(GAPIC_TMICT, 1000);
	check(no_irq(VEC_TIMER, 1), "masked-timer-silent");
	apic_write(GAPIC_TMICT, 0);
	if (!apic_has_tsc_deadline()) {
		skip("tsc-deadline", "CPUID does not offer the TSC-deadline timer");
		return;
	}
	apic_write(GAPIC_LVT_TIMER, GAPIC_TIMER_TSCDL | VEC_TIMER);
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + 100000);
	check(wait_irq(VEC_TIMER, 1), "tsc-deadline-fires");
	check_eq("tsc-deadline-msr-cleared", rdmsr(MSR_TSC_DEADLINE), 0);
	apic_write(GAPIC_LVT_TIMER, GAPIC_LVT_MASKED | VEC_TIMER);
}

static void check_base_transitions(void)
{
	uint64_t xapic = APIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_BSP;

	if (on_tessera()) { /* QEMU TCG accepts both */
		check_eq("extd-without-en-gp",
			 wrmsr_safe(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_EXTD), EXC_GP);
		check_eq("reserved-bit-gp", wrmsr_safe(MSR_APIC_BASE, xapic | 1), EXC_GP);
	} else {
		skip("apic-base-reserved", "not on Tessera: QEMU TCG does not check them");
	}
	check_eq("disable-ok", wrmsr_safe(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_BSP),
		 EXC_NONE);
	if (apic_has_x2apic())
		check_eq("disabled-to-x2apic-gp", wrmsr_safe(MSR_APIC_BASE, xapic | APIC_BASE_EXTD),
			 EXC_GP);
	check_eq("reenable-ok", wrmsr_safe(MSR_APIC_BASE, xapic), EXC_NONE);
	check_eq("reenabled-svr-reset", apic_read(GAPIC_SVR), 0xff);
	if (!apic_has_x2apic())
		return;
	check_eq("xapic-to-x2apic-ok", wrmsr_safe(MSR_APIC_BASE, xapic | APIC_BASE_EXTD), EXC_NONE);
	check_eq("x2apic-to-xapic-gp", wrmsr_safe(MSR_APIC_BASE, xapic), EXC_GP);
	check(apic_set_mode(false), "x2apic-to-xapic-through-disabled");
}

static void check_x2apic_registers(void)
{
	uint64_t v;

	if (!apic_has_x2apic()) {
		skip("x2apic", "CPUID does not offer x2APIC");
		return;
	}
	check(apic_set_mode(true), "enter-x2apic");
	check_eq("x2apic-id", apic_id(), 0);
	check_eq("x2apic-ldr-derived", apic_read(GAPIC_LDR), 1);
	check_eq("x2apic-dfr-gp", rdmsr_safe(0x80e, &v), EXC_GP);
	check_eq("x2apic-eoi-read-gp", rdmsr_safe(0x80b, &v), EXC_GP);
	check_eq("x2apic-ldr-write-gp", wrmsr_safe(0x80d, 0), EXC_GP);
	check_eq("x2apic-eoi-nonzero-gp", wrmsr_safe(0x80b, 1), EXC_GP);
	apic_sw_enable(VEC_SPURIOUS);
	irq_reset_counts();
	wrmsr(0x83f, VEC_SELF); /* SELF_IPI */
	check(wait_irq(VEC_SELF, 1), "x2apic-self-ipi-register");
	apic_send(0, GAPIC_SELF | VEC_SELF);
	check(wait_irq(VEC_SELF, 2), "x2apic-icr-self");
	check(apic_set_mode(false), "back-to-xapic");
}

/* In xAPIC mode the ID is writable (SDM 11.4.6); physical IPIs follow the new ID. */
static void check_writable_xapic_id(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	apic_sw_enable(VEC_SPURIOUS); /* a software-disabled APIC takes no fixed IPI */
	irq_reset_counts();
	apic_write(GAPIC_ID, 0x2a123456);
	check_eq("xapic-id-writable", apic_read(GAPIC_ID), 0x2a000000);
	check_eq("xapic-id-cpuid-keeps-initial", cpuid(1).ebx >> 24, 0);
	apic_send(0x2a, VEC_SELF);
	check(wait_irq(VEC_SELF, 1), "physical-ipi-to-new-id");
	apic_send(0, VEC_SELF);
	check(no_irq(VEC_SELF, 2), "old-id-no-longer-matches");
	wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_EN | APIC_BASE_EXTD));
	wrmsr(MSR_APIC_BASE, base);
	if (on_tessera()) /* QEMU TCG keeps a written ID across a re-enable */
		check_eq("xapic-id-reset-by-reenable", apic_id(), 0);
	else
		skip("xapic-id-reset-by-reenable", "not on Tessera: QEMU TCG keeps the ID");
	apic_write(GAPIC_ID, 0);
	apic_sw_enable(VEC_SPURIOUS);
}

/* IA32_APIC_BASE moves the xAPIC window; the old one is then no APIC. */
static void check_relocation(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	volatile uint32_t *old_tpr =
	    (volatile uint32_t *)(uintptr_t)(APIC_DEFAULT_BASE + GAPIC_TPR);
	volatile uint32_t *alt_ver = (volatile uint32_t *)(uintptr_t)(ALT_BASE + GAPIC_VERSION);
	uint64_t cr8;

	if (!on_tessera()) { /* QEMU TCG keeps one window for every CPU */
		skip("apic-relocation", "not on Tessera: QEMU TCG does not move the window");
		return;
	}
	check_eq("relocate-ok", wrmsr_safe(MSR_APIC_BASE, ALT_BASE | APIC_BASE_EN | APIC_BASE_BSP),
		 EXC_NONE);
	check_eq("relocated-base-reads-back", rdmsr(MSR_APIC_BASE) & ~0xfffull, ALT_BASE);
	check_eq("relocated-version", *alt_ver & 0xff, 0x14);
	apic_write(GAPIC_TPR, 0x30); /* through the moved window (mmio() follows the base) */
	__asm__ volatile("mov %%cr8, %0" : "=r"(cr8));
	check_eq("relocated-tpr-is-cr8", cr8, 3);
	*old_tpr = 0x70; /* the default window is plain memory now */
	check_eq("old-window-not-the-apic", apic_read(GAPIC_TPR), 0x30);
	apic_write(GAPIC_TPR, 0);
	apic_sw_enable(VEC_SPURIOUS);
	irq_reset_counts();
	apic_send(0, GAPIC_SELF | VEC_SELF);
	check(wait_irq(VEC_SELF, 1), "relocated-self-ipi");
	check_eq("move-back-ok", wrmsr_safe(MSR_APIC_BASE, base), EXC_NONE);
	check_eq("default-window-again",
		 *(volatile uint32_t *)(uintptr_t)(APIC_DEFAULT_BASE + GAPIC_VERSION) & 0xff, 0x14);
	apic_sw_enable(VEC_SPURIOUS);
}

static volatile uint32_t nmi_depth, nmi_nested, nmi_resend;

/* The first NMI sends `nmi_resend` more to itself: all arrive while it is in service. */
static void on_nmi(uint8_t vector)
{
	(void)vector;
	if (__atomic_add_fetch(&nmi_depth, 1, __ATOMIC_SEQ_CST) > 1)
		nmi_nested++;
	for (; nmi_resend; nmi_resend--)
		apic_send(0, GAPIC_SELF | GAPIC_DM_NMI);
	__atomic_sub_fetch(&nmi_depth, 1, __ATOMIC_SEQ_CST);
}

/*
 * NMIs are blocked from delivery until IRET and one more is latched: three
 * sent from the handler of the first give exactly one more, after the IRET
 * (SDM 3A 6.7.1). The self shorthand with NMI is what kvm-unit-tests uses.
 */
static void check_nmi_latch(void)
{
	if (!on_tessera()) { /* QEMU TCG drops an NMI sent while one is in service */
		skip("nmi-latch", "not on Tessera: QEMU TCG does not latch it");
		return;
	}
	irq_set_handler(2, on_nmi);
	irq_reset_counts();
	nmi_resend = 3;
	apic_send(0, GAPIC_SELF | GAPIC_DM_NMI);
	check(wait_irq(2, 2), "nmi-latched-while-in-service");
	check(no_irq(2, 3), "nmi-latch-holds-one");
	check_eq("nmi-blocked-until-iret", nmi_nested, 0);
	irq_set_handler(2, 0);
}

/* x2apic = off: CPUID hides it and IA32_APIC_BASE.EXTD is reserved. */
static void check_no_x2apic(void)
{
	check(!apic_has_x2apic(), "cpuid-hides-x2apic");
	check_eq("extd-reserved-gp",
		 wrmsr_safe(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD), EXC_GP);
}

/* What an OS does first: the 8259s masked and LINT0 too (firmware may leave ExtINT on). */
static void quiesce_legacy_interrupts(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	apic_write(GAPIC_LVT_LINT0, GAPIC_LVT_MASKED);
}

void guest_main(const struct guest_boot *boot)
{
	bool x2 = strcmp(iso_cmdline(boot), "x2apic") == 0;
	bool no_x2 = strcmp(iso_cmdline(boot), "no-x2apic") == 0;

	quiesce_legacy_interrupts();

	check_base_and_version();
	check_xapic_registers();
	check_esr();
	check_self_ipi_and_priority();
	check_timer();
	check_base_transitions();
	check_writable_xapic_id();
	check_relocation();
	check_nmi_latch();
	if (x2)
		check_x2apic_registers();
	if (no_x2)
		check_no_x2apic();
	guest_finish();
}
