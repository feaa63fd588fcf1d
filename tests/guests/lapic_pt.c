/*
 * lapic_pt: a partition with lapic = passthrough (docs/interrupts.md), in
 * x2APIC mode from power-up, on its CPUs' own LAPICs.
 *
 * "role=timer" (one vCPU, tests/system/timer.sh): what Tessera still
 * virtualizes (IA32_APIC_BASE fixed in x2APIC mode, the virtual APIC ID and
 * LDR, TSC writes refused), then the CPU's own timer: one-shot, periodic and
 * TSC-deadline, each costing 0 exits to arm and 0 to fire, SELF_IPI without
 * an exit, a self IPI through the ICR (one exit), and the latency from the
 * deadline to the handler's first instruction (Bochs: instructions).
 *
 * "role=crash" (two vCPUs, on_crash = restart, tests/system/lapic-pt.sh).
 * First boot: a fixed IPI to vCPU 1 by its virtual ID arrives; then ICRs to
 * every destination outside the partition (fixed, NMI, INIT, SIPI; physical
 * IDs 2..255 and up to 0xfffffffe, foreign logical clusters) reach nobody;
 * vCPU 1 then makes itself unreachable by any interrupt (a periodic timer
 * of its own left in service, IF = 0, TPR 0xf0) and vCPU 0 software-disables
 * its LAPIC, raises TPR and triple-faults: Tessera must stop vCPU 1, dump its
 * registers and restart the partition by NMI alone. Second boot: both LAPICs
 * are found as after reset (LVTs masked, timer stopped, nothing in service or
 * pending, TPR 0, SVR 0xff), vCPU 1 starts again by INIT-SIPI-SIPI, status 0.
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/msr_index.h"
#include "tests/guests/lib/smp.h"

const char guest_name[] = "lapic_pt";

#define X2_ID	     0x802
#define X2_TPR	     0x808
#define X2_EOI	     0x80b
#define X2_LDR	     0x80d
#define X2_SVR	     0x80f
#define X2_ISR	     0x810
#define X2_IRR	     0x820
#define X2_ICR	     0x830
#define X2_LVT_TIMER 0x832
#define X2_TMICT     0x838
#define X2_TMCCT     0x839
#define X2_TDCR	     0x83e
#define X2_SELF_IPI  0x83f

#define VEC_TIMER     0x51
#define VEC_SELF      0x52
#define VEC_IPI	      0x60
#define VEC_AP_TIMER  0x70
#define VEC_SPURIOUS  0xff
#define PERIOD	      100000ull
#define WAIT_TICKS    200000000ull
#define LATENCY_RUNS  5u
#define REASON_VMCALL 18

static volatile uint64_t last_fire;
static volatile uint32_t irqs[2][256], nmis[2];

static unsigned me(void)
{
	return guest_cpu_index() ? 1 : 0;
}

static void eoi(void)
{
	wrmsr(X2_EOI, 0);
}

static void on_irq(uint8_t vector)
{
	if (vector == VEC_TIMER)
		last_fire = rdtsc();
	irqs[me()][vector]++;
	/* vCPU 1 keeps its first own timer interrupt in service (role=crash). */
	if (!(vector == VEC_AP_TIMER && irqs[1][VEC_AP_TIMER] == 1))
		eoi();
}

static void on_nmi(uint8_t vector)
{
	(void)vector;
	nmis[me()]++;
}

static bool wait_count(volatile uint32_t *c, uint32_t n)
{
	uint64_t end = rdtsc() + WAIT_TICKS;

	irq_enable();
	while (*c < n && rdtsc() < end)
		__asm__ volatile("pause");
	irq_disable();
	return *c >= n;
}

/* ---- Exit counters of this partition (Tessera's exit-statistics hypercall) ---- */
static uint64_t stats[3][TESSERA_EXIT_STATS_MAX];

static void snapshot(unsigned i)
{
	tessera_hypercall(TESSERA_HC_EXIT_STATS, (uint64_t)stats[i], TESSERA_EXIT_STATS_MAX, 0, 0);
}

/* Exits from snapshot a to snapshot b, b's own VMCALL left out. */
static uint64_t exits(unsigned a, unsigned b)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < TESSERA_EXIT_STATS_MAX; i++)
		n += stats[b][i] - stats[a][i];
	return n - 1;
}

static void setup_lapic(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	wrmsr(X2_SVR, 0x100 | VEC_SPURIOUS);
	wrmsr(X2_TPR, 0);
}

/* ---- role=timer ---- */
static void check_virtualized(void)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);

	check_eq("apic-base-x2apic-at-power-up", base,
		 APIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP);
	check(wrmsr_safe(IA32_APIC_BASE, base & ~APIC_BASE_EXTD) == EXC_GP, "apic-base-xapic-gp");
	check(wrmsr_safe(IA32_APIC_BASE, base & ~APIC_BASE_EN) == EXC_GP, "apic-base-disable-gp");
	check(wrmsr_safe(IA32_APIC_BASE, base) == EXC_NONE, "apic-base-same-value-taken");
	check_eq("apic-base-unchanged", rdmsr(IA32_APIC_BASE), base);
	check_eq("x2apic-id-virtual", rdmsr(X2_ID), 0);
	check_eq("x2apic-ldr-virtual", rdmsr(X2_LDR), 1);
	check(wrmsr_safe(IA32_TSC_ADJUST, 5) == EXC_GP, "tsc-adjust-write-gp");
	check(wrmsr_safe(IA32_TIME_STAMP_COUNTER, 5) == EXC_GP, "tsc-write-gp");
}

/* Arms with `arm`, waits for the fire: the exits of each half. */
static void arm_and_fire(const char *what, void (*arm)(void), uint64_t *to_arm, uint64_t *to_fire)
{
	uint32_t before = irqs[0][VEC_TIMER];
	bool fired;

	snapshot(0);
	arm();
	snapshot(1);
	fired = wait_count(&irqs[0][VEC_TIMER], before + 1);
	snapshot(2); /* before check() prints: its line is I/O exits */
	check(fired, what);
	*to_arm = exits(0, 1);
	*to_fire = exits(1, 2);
}

static void arm_one_shot(void)
{
	wrmsr(X2_TMICT, PERIOD);
}

static void arm_deadline(void)
{
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + PERIOD);
}

static void check_timers(void)
{
	uint64_t arm, fire;

	wrmsr(X2_TDCR, 0xb); /* divide by 1 */
	wrmsr(X2_LVT_TIMER, VEC_TIMER);
	arm_and_fire("one-shot-fires", arm_one_shot, &arm, &fire);
	guest_printf("bench: timer-passthrough exits per one-shot: %llu to arm, %llu to fire\n",
		     (unsigned long long)arm, (unsigned long long)fire);
	check_eq("one-shot-0-exits-to-arm", arm, 0);
	check_eq("one-shot-0-exits-to-fire", fire, 0);
	check_eq("one-shot-tmcct-zero", rdmsr(X2_TMCCT), 0);

	wrmsr(X2_LVT_TIMER, GAPIC_TIMER_PERIOD | VEC_TIMER);
	uint32_t before = irqs[0][VEC_TIMER];
	bool fired;

	snapshot(0);
	wrmsr(X2_TMICT, PERIOD);
	fired = wait_count(&irqs[0][VEC_TIMER], before + 10);
	snapshot(1);
	wrmsr(X2_TMICT, 0);
	check(fired, "periodic-fires");
	guest_printf("bench: timer-passthrough exits in 10 periodic periods (arm included): "
		     "%llu\n",
		     (unsigned long long)exits(0, 1));
	check_eq("periodic-0-exits", exits(0, 1), 0);

	if (!apic_has_tsc_deadline()) {
		skip("tsc-deadline", "CPUID does not offer the TSC-deadline timer");
		return;
	}
	wrmsr(X2_LVT_TIMER, GAPIC_TIMER_TSCDL | VEC_TIMER);
	arm_and_fire("tsc-deadline-fires", arm_deadline, &arm, &fire);
	guest_printf("bench: timer-passthrough exits per TSC deadline: %llu to arm, %llu to "
		     "fire\n",
		     (unsigned long long)arm, (unsigned long long)fire);
	check_eq("tsc-deadline-0-exits-to-arm", arm, 0);
	check_eq("tsc-deadline-0-exits-to-fire", fire, 0);
	/*
	 * Not checked: the SDM has IA32_TSC_DEADLINE read 0 once it fired, Bochs
	 * 3.0 keeps the deadline (apic.cc, periodic(): the TSC-deadline mode takes
	 * the one-shot path, which leaves ticksInitial, what get_tsc_deadline()
	 * returns). It is the CPU's own register here, nothing of Tessera's.
	 */
}

static void check_self_ipis(void)
{
	bool by_msr, by_icr;

	snapshot(0);
	wrmsr(X2_SELF_IPI, VEC_SELF);
	by_msr = wait_count(&irqs[0][VEC_SELF], 1);
	snapshot(1);
	wrmsr(X2_ICR, GAPIC_ASSERT | VEC_SELF); /* destination 0: its own virtual ID */
	by_icr = wait_count(&irqs[0][VEC_SELF], 2);
	snapshot(2);
	check(by_msr, "self-ipi-msr-arrives");
	check_eq("self-ipi-msr-0-exits", exits(0, 1), 0);
	check(by_icr, "icr-to-own-virtual-id-arrives");
	check_eq("icr-one-exit", exits(1, 2), 1);
}

static void latency(void)
{
	uint64_t min = ~0ull, total = 0;

	if (!apic_has_tsc_deadline())
		return;
	wrmsr(X2_LVT_TIMER, GAPIC_TIMER_TSCDL | VEC_TIMER);
	for (unsigned i = 0; i < LATENCY_RUNS; i++) {
		uint32_t before = irqs[0][VEC_TIMER];
		uint64_t d = rdtsc() + PERIOD, l;

		wrmsr(MSR_TSC_DEADLINE, d);
		wait_count(&irqs[0][VEC_TIMER], before + 1);
		l = last_fire - d;
		total += l;
		min = l < min ? l : min;
	}
	guest_printf("bench: timer-passthrough latency deadline to handler %llu instructions "
		     "(min; avg %llu, %u runs)\n",
		     (unsigned long long)min, (unsigned long long)(total / LATENCY_RUNS),
		     LATENCY_RUNS);
}

static void role_timer(void)
{
	check_virtualized();
	setup_lapic();
	check_timers();
	check_self_ipis();
	latency();
}

/* ---- role=crash ---- */
static volatile uint32_t ap_phase, bsp_phase;
static volatile uint64_t ap_lapic[8];

/* The LAPIC as after reset: what the second boot's vCPUs record. */
static void record_lapic(volatile uint64_t *r)
{
	uint64_t isr = 0, irr = 0;

	for (unsigned i = 0; i < 8; i++) {
		isr |= rdmsr(X2_ISR + i);
		irr |= rdmsr(X2_IRR + i);
	}
	r[0] = rdmsr(X2_LVT_TIMER);
	r[1] = rdmsr(X2_TMICT);
	r[2] = rdmsr(X2_TPR);
	r[3] = rdmsr(X2_SVR);
	r[4] = isr;
	r[5] = irr;
}

static void check_lapic_reset(const char *who, volatile const uint64_t *r)
{
	char what[48];
	static const char *const names[] = {"lvt-timer", "tmict", "tpr", "svr", "isr", "irr"};
	static const uint64_t want[] = {GAPIC_LVT_MASKED, 0, 0, 0xff, 0, 0};

	for (unsigned i = 0; i < 6; i++) {
		guest_snprintf(what, sizeof(what), "%s-lapic-reset-%s", who, names[i]);
		checkf(r[i] == want[i], what, "%#llx, want %#llx", (unsigned long long)r[i],
		       (unsigned long long)want[i]);
	}
}

static void ap_first_boot(void)
{
	setup_lapic();
	ap_phase = 1;
	irq_enable();
	while (bsp_phase < 1) /* taking the BSP's IPIs (and counting any other) */
		__asm__ volatile("pause");
	irq_disable();
	/* Its own periodic timer; the first interrupt kept in service. */
	wrmsr(X2_TDCR, 0xb);
	wrmsr(X2_LVT_TIMER, GAPIC_TIMER_PERIOD | VEC_AP_TIMER);
	wrmsr(X2_TMICT, 20000);
	wait_count(&irqs[1][VEC_AP_TIMER], 1);
	wrmsr(X2_TPR, 0xf0);
	ap_phase = 2;
	for (;;) /* IF = 0, TPR 0xf0, a vector in service: reachable by NMI only */
		__asm__ volatile("pause");
}

static void ap_main(unsigned index)
{
	(void)index;
	if (bsp_phase >= 10) { /* the second boot */
		record_lapic(ap_lapic);
		ap_phase = 10;
		return;
	}
	ap_first_boot();
}

static void attack(void)
{
	static const uint32_t modes[] = {GAPIC_ASSERT | VEC_IPI, GAPIC_ASSERT | GAPIC_DM_NMI,
					 GAPIC_ASSERT | GAPIC_DM_INIT, GAPIC_DM_SIPI | 0x10};
	uint32_t sent = 0;

	for (unsigned m = 0; m < ARRAY_SIZE(modes); m++) {
		for (uint32_t d = 2; d < 0x400; d++, sent++)
			wrmsr(X2_ICR, (uint64_t)d << 32 | modes[m]);
		for (uint64_t d = 0x10000; d < 0xffffffffull; d = d * 3 + 1, sent++)
			wrmsr(X2_ICR, d << 32 | modes[m]);
		/* Logical: cluster 0 bits 2-15 (no vCPU), clusters 1-15 all bits. */
		wrmsr(X2_ICR, 0xfffcull << 32 | GAPIC_DEST_LOGICAL | modes[m]);
		for (uint64_t c = 1; c < 16; c++, sent++)
			wrmsr(X2_ICR, (c << 16 | 0xffff) << 32 | GAPIC_DEST_LOGICAL | modes[m]);
		sent++;
	}
	iso_spin(100000);
	guest_printf("guest lapic_pt: attack done: %u ICRs to destinations outside the "
		     "partition\n",
		     sent);
}

static void first_boot(uint64_t delay)
{
	if (!check_eq("ap-started", smp_start_aps(ap_main, 1, SMP_START_EACH), 1))
		guest_finish();
	smp_wait_for(&ap_phase, 1, WAIT_TICKS);
	wrmsr(X2_ICR, 1ull << 32 | GAPIC_ASSERT | VEC_IPI); /* vCPU 1 by its virtual ID */
	check(wait_count(&irqs[1][VEC_IPI], 1), "ipi-to-vcpu1-arrives");
	attack();
	irq_enable();
	iso_spin(100000);
	irq_disable();
	check_eq("attack-nothing-to-vcpu0", irqs[0][VEC_IPI] + nmis[0], 0);
	check_eq("attack-nothing-more-to-vcpu1", irqs[1][VEC_IPI] + nmis[1], 1);
	bsp_phase = 1;
	check(smp_wait_for(&ap_phase, 2, WAIT_TICKS), "vcpu1-unreachable-by-interrupts");
	iso_spin(delay); /* the neighbour runs meanwhile */
	guest_report();
	guest_printf("guest lapic_pt: LAPIC software-disabled, TPR 0xff; triple-faulting\n");
	wrmsr(X2_TPR, 0xff);
	wrmsr(X2_SVR, VEC_SPURIOUS);
	static const struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} empty_idt = {0, 0};
	__asm__ volatile("lidt %0; ud2" : : "m"(empty_idt) : "memory");
}

static void second_boot(void)
{
	uint64_t bsp[8];

	record_lapic(bsp);
	check_lapic_reset("vcpu0", bsp);
	setup_lapic();
	bsp_phase = 10;
	check_eq("ap-started-again", smp_start_aps(ap_main, 1, SMP_START_EACH), 1);
	if (check(smp_wait_for(&ap_phase, 10, WAIT_TICKS), "ap-recorded"))
		check_lapic_reset("vcpu1", ap_lapic);
}

static void role_crash(const struct guest_boot *boot)
{
	struct tessera_partition_info info;
	uint64_t delay = iso_arg_u64(boot, "delay", 0, 1ull << 40);

	if (!iso_partition_info(&info))
		guest_finish();
	guest_printf("guest lapic_pt: restarts = %u\n", info.restarts);
	if (info.restarts == 0)
		first_boot(delay);
	else
		second_boot();
}

void guest_main(const struct guest_boot *boot)
{
	char role[16] = "";

	cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "role", role, sizeof(role));
	for (unsigned v = 32; v < 256; v++)
		irq_set_handler((uint8_t)v, on_irq);
	irq_set_handler(2, on_nmi);
	if (!check(on_tessera(), "on-tessera"))
		guest_finish();
	if (strcmp(role, "timer") == 0)
		role_timer();
	else if (strcmp(role, "crash") == 0)
		role_crash(boot);
	else
		checkf(false, "args-role", "give role=timer or role=crash, not '%s'", role);
	guest_finish();
}
