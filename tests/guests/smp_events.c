/*
 * smp_events: interrupts between the three vCPUs of one partition, checked
 * from vCPU 0 while the two APs serve its commands (a mailbox each):
 *   - fixed IPIs by physical, logical flat and logical cluster destination,
 *     broadcast and the shorthands, lowest priority, in xAPIC and x2APIC mode;
 *   - NMIs: delivery, blocking until IRET (a second NMI waits, a third is
 *     lost: one is latched), and the wake of a halted vCPU;
 *   - INIT to a running AP resets it (it stops, its APIC is reset, a fixed
 *     IPI to it is dropped), a SIPI restarts it in real mode;
 *   - HLT woken by an IPI; an IPI pending while IF=0 is taken after STI's
 *     shadow (STI; MOV; MOV), and STI; HLT with one pending does not sleep;
 *   - TPR/PPR masking, EOI and in-service priority.
 * The same image runs with and without posted interrupts (Bochs 3.0 and 2.7):
 * the guest must not see the difference.
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/smp.h"

const char guest_name[] = "smp_events";

#define NCPU  3
#define WAIT  2000000000ull /* TSC ticks: a delivery that must come */
#define QUIET 3000000ull    /* a window in which nothing may arrive */

#define V_FIX	   0x40
#define V_TPR_LOW  0x45
#define V_TPR_HIGH 0x65
#define V_EOI_LOW  0x68
#define V_HOLD	   0x70 /* its handler leaves it in service (no EOI) */
#define V_EOI_HIGH 0x88
#define V_SELF	   0x90
#define V_SPURIOUS 0xff

#define MSR_X2APIC_SELF_IPI 0x83f

enum cmd {
	CMD_READ,	  /* result = apic_read(arg) */
	CMD_WRITE_TPR,	  /* TPR = arg */
	CMD_WRITE_LDR,	  /* LDR = arg (xAPIC) */
	CMD_WRITE_DFR,	  /* DFR = arg (xAPIC) */
	CMD_EOI,	  /* one EOI */
	CMD_X2APIC,	  /* switch to x2APIC mode; result: it worked */
	CMD_HALT,	  /* stage 1, then STI; HLT */
	CMD_PENDING_HALT, /* CLI, stage 1, wait for go, STI; HLT */
	CMD_SHADOW,	  /* CLI, stage 1, wait for go, STI; two reads of the hit count */
	CMD_SPIN,	  /* count up forever (until an INIT) */
};

struct mailbox {
	volatile uint32_t cmd, arg, seq, done, stage, go;
	volatile uint32_t result, result2;
};

static struct mailbox mb[NCPU];
static volatile uint32_t hits[NCPU][256], nmis[NCPU];
static volatile uint32_t cpu_of_stack[GUEST_MAX_CPUS]; /* guest_cpu_index() -> APIC ID */
static volatile uint32_t arrived[NCPU], spins[NCPU];
static volatile uint32_t nmi_hold[NCPU], nmi_in[NCPU], nmi_release[NCPU], nmi_inside[NCPU];
static volatile uint32_t hold_isr, hold_ppr;
static volatile uint32_t restarted[NCPU], after_init[NCPU][6];

static unsigned me(void)
{
	return cpu_of_stack[guest_cpu_index()] % NCPU;
}

static uint32_t isr_bit(uint32_t base, uint8_t v)
{
	return (apic_read(base + (v / 32u) * 0x10) >> (v % 32)) & 1;
}

static void on_irq(uint8_t v)
{
	hits[me()][v]++;
	if (v == V_HOLD) {
		hold_isr = isr_bit(GAPIC_ISR, v);
		hold_ppr = apic_read(GAPIC_PPR);
		return;
	}
	apic_eoi();
}

/* NMI: with nmi_hold set, stays in the handler until released (no IRET meanwhile). */
static void on_nmi(uint8_t v)
{
	unsigned m = me();

	(void)v;
	__atomic_add_fetch(&nmis[m], 1, __ATOMIC_SEQ_CST);
	if (!nmi_hold[m])
		return;
	nmi_hold[m] = 0;
	nmi_in[m] = 1;
	while (!nmi_release[m])
		__asm__ volatile("pause");
	nmi_inside[m] = nmis[m];
}

static void wait_go(struct mailbox *b)
{
	b->stage = 1;
	while (!b->go)
		__asm__ volatile("pause");
}

static uint32_t do_cmd(unsigned m, struct mailbox *b)
{
	uint32_t a = b->arg, r0, r1;

	switch (b->cmd) {
	case CMD_READ:
		return apic_read(a);
	case CMD_WRITE_TPR:
		apic_write(GAPIC_TPR, a);
		return 0;
	case CMD_WRITE_LDR:
		apic_write(GAPIC_LDR, a);
		return 0;
	case CMD_WRITE_DFR:
		apic_write(GAPIC_DFR, a);
		return 0;
	case CMD_EOI:
		apic_eoi();
		return 0;
	case CMD_X2APIC:
		return apic_set_mode(true);
	case CMD_HALT:
		b->stage = 1;
		safe_halt();
		return 1;
	case CMD_PENDING_HALT:
		irq_disable();
		wait_go(b);
		safe_halt();
		return 1;
	case CMD_SHADOW:
		irq_disable();
		wait_go(b);
		/* The interrupt waits for the instruction after STI: r0 sees none, r1 one. */
		__asm__ volatile("sti; movl %2, %0; movl %2, %1"
				 : "=&r"(r0), "=&r"(r1)
				 : "m"(hits[m][V_FIX])
				 : "memory");
		b->result2 = r1;
		return r0;
	case CMD_SPIN:
		for (;;)
			__atomic_add_fetch(&spins[m], 1, __ATOMIC_RELAXED);
	}
	return ~0u;
}

static __noreturn void ap_serve(unsigned m)
{
	struct mailbox *b = &mb[m];
	uint32_t seen = b->seq;

	irq_enable();
	for (;;) {
		while (b->seq == seen)
			__asm__ volatile("pause");
		seen = b->seq;
		b->result = do_cmd(m, b);
		__atomic_store_n(&b->done, seen, __ATOMIC_SEQ_CST);
	}
}

/* An AP's APIC as INIT left it, read first thing after the SIPI. */
static void record_after_init(unsigned m)
{
	after_init[m][0] = apic_read(GAPIC_SVR);
	after_init[m][1] = apic_read(GAPIC_LDR);
	after_init[m][2] = apic_read(GAPIC_TPR);
	after_init[m][3] = isr_bit(GAPIC_IRR, V_FIX);
	after_init[m][4] = apic_id();
	after_init[m][5] = (uint32_t)rdmsr(MSR_APIC_BASE);
}

static void ap_main(unsigned index)
{
	unsigned m = apic_id();

	if (m == 0 || m >= NCPU)
		return;
	cpu_of_stack[index] = m;
	if (restarted[m])
		record_after_init(m);
	apic_sw_enable(V_SPURIOUS);
	apic_write(GAPIC_LDR, (1u << m) << 24); /* flat logical ID: a bit per vCPU */
	__atomic_add_fetch(&arrived[m], 1, __ATOMIC_SEQ_CST);
	ap_serve(m);
}

/* ---- vCPU 0's side ---- */

static void ap_start(unsigned cpu, enum cmd c, uint32_t arg)
{
	mb[cpu].stage = 0;
	mb[cpu].go = 0;
	mb[cpu].cmd = c;
	mb[cpu].arg = arg;
	__atomic_add_fetch(&mb[cpu].seq, 1, __ATOMIC_SEQ_CST);
}

static bool ap_finished(unsigned cpu, uint64_t ticks)
{
	uint64_t end = rdtsc() + ticks;

	while (mb[cpu].done != mb[cpu].seq)
		if (rdtsc() > end)
			return false;
	return true;
}

static uint32_t ap_run(unsigned cpu, enum cmd c, uint32_t arg)
{
	ap_start(cpu, c, arg);
	if (!checkf(ap_finished(cpu, WAIT), "ap-answers", "vCPU %u: command %u unanswered", cpu, c))
		guest_finish();
	return mb[cpu].result;
}

/* Sends vector `v` as `low` to `dest`; the set of vCPUs it reached once each (bit i: vCPU i). */
static unsigned send_and_see(uint32_t dest, uint32_t low, uint8_t v, unsigned want)
{
	uint32_t before[NCPU];
	unsigned got = 0;

	for (unsigned i = 0; i < NCPU; i++)
		before[i] = hits[i][v];
	apic_send(dest, low | v);
	for (unsigned i = 0; i < NCPU; i++)
		if (want & (1u << i))
			smp_wait_for(&hits[i][v], before[i] + 1, WAIT);
	iso_spin(QUIET);
	for (unsigned i = 0; i < NCPU; i++) {
		uint32_t n = hits[i][v] - before[i];

		if (n == 1)
			got |= 1u << i;
		else if (n > 1)
			got |= 0x100u << i; /* more than once: never right */
	}
	return got;
}

static void expect_reach(const char *what, uint32_t dest, uint32_t low, unsigned want)
{
	unsigned got = send_and_see(dest, low, V_FIX, want);

	checkf(got == want, what, "dest %#x ICR %#x reached vCPUs %#x, want %#x", dest, low, got,
	       want);
}

static void check_destinations_xapic(void)
{
	expect_reach("fixed-physical-ap1", 1, 0, 0x2);
	expect_reach("fixed-physical-ap2", 2, 0, 0x4);
	expect_reach("fixed-physical-self", 0, 0, 0x1);
	expect_reach("fixed-physical-absent-id", 3, 0, 0x0);
	expect_reach("fixed-physical-broadcast", 0xff, 0, 0x7);
	expect_reach("fixed-logical-flat", 0x06, GAPIC_DEST_LOGICAL, 0x6);
	expect_reach("fixed-logical-flat-self", 0x01, GAPIC_DEST_LOGICAL, 0x1);
	expect_reach("fixed-logical-flat-nobody", 0x08, GAPIC_DEST_LOGICAL, 0x0);
	expect_reach("fixed-logical-broadcast", 0xff, GAPIC_DEST_LOGICAL, 0x7);
	expect_reach("shorthand-self", 0, GAPIC_SELF, 0x1);
	expect_reach("shorthand-all", 0, GAPIC_ALL, 0x7);
	expect_reach("shorthand-all-but-self", 0, GAPIC_ALL_BUT_SELF, 0x6);
	{
		unsigned got = send_and_see(0x06, GAPIC_DEST_LOGICAL | (1u << 8), V_FIX, 0);

		checkf(got == 0x2 || got == 0x4, "lowest-priority-one-of-set",
		       "reached vCPUs %#x, want one of 0x6", got);
	}
	/* Cluster model: vCPU 0 in cluster 0, vCPUs 1 and 2 in cluster 1. */
	apic_write(GAPIC_DFR, 0x0fffffff);
	apic_write(GAPIC_LDR, 0x01u << 24);
	for (unsigned i = 1; i < NCPU; i++) {
		ap_run(i, CMD_WRITE_DFR, 0x0fffffff);
		ap_run(i, CMD_WRITE_LDR, (0x10u | (1u << (i - 1))) << 24);
	}
	expect_reach("fixed-logical-cluster-both", 0x13, GAPIC_DEST_LOGICAL, 0x6);
	expect_reach("fixed-logical-cluster-one", 0x12, GAPIC_DEST_LOGICAL, 0x4);
	expect_reach("fixed-logical-cluster-other", 0x0f, GAPIC_DEST_LOGICAL, 0x1);
	expect_reach("fixed-logical-cluster-empty", 0x2f, GAPIC_DEST_LOGICAL, 0x0);
	apic_write(GAPIC_DFR, 0xffffffff);
	apic_write(GAPIC_LDR, 0x01u << 24);
	for (unsigned i = 1; i < NCPU; i++) {
		ap_run(i, CMD_WRITE_DFR, 0xffffffff);
		ap_run(i, CMD_WRITE_LDR, (1u << i) << 24);
	}
}

static void check_nmi(void)
{
	uint32_t base = nmis[1];

	apic_send(2, GAPIC_DM_NMI);
	check(smp_wait_for(&nmis[2], 1, WAIT), "nmi-delivered");
	/* Blocking: the NMIs sent while the first handler runs wait for its IRET; one is kept. */
	nmi_hold[1] = 1;
	apic_send(1, GAPIC_DM_NMI);
	check(smp_wait_for(&nmi_in[1], 1, WAIT), "nmi-handler-entered");
	apic_send(1, GAPIC_DM_NMI);
	iso_spin(QUIET);
	apic_send(1, GAPIC_DM_NMI);
	iso_spin(QUIET);
	check_eq("nmi-blocked-until-iret", nmis[1] - base, 1);
	nmi_release[1] = 1;
	check(smp_wait_for(&nmis[1], base + 2, WAIT), "nmi-taken-after-iret");
	iso_spin(QUIET);
	check_eq("nmi-latch-of-one", nmis[1] - base, 2);
	check_eq("nmi-not-nested", nmi_inside[1] - base, 1);
	check_eq("nmi-not-to-sender", nmis[0], 0);
}

/* A vCPU in STI; HLT stays halted until `low` comes, then goes on past the HLT. */
static void check_halt_wake(const char *stays, const char *wakes, uint32_t low)
{
	ap_start(1, CMD_HALT, 0);
	smp_wait_for(&mb[1].stage, 1, WAIT);
	iso_spin(QUIET);
	check(!ap_finished(1, 0), stays);
	apic_send(1, low);
	check(ap_finished(1, WAIT), wakes);
}

static void check_halt_and_shadow(void)
{
	uint32_t before = hits[1][V_FIX], nmi_before = nmis[1];

	check_halt_wake("hlt-stays-halted", "hlt-woken-by-ipi", V_FIX);
	check_eq("hlt-wake-ran-handler", hits[1][V_FIX] - before, 1);
	check_halt_wake("hlt-stays-halted-for-nmi", "hlt-woken-by-nmi", GAPIC_DM_NMI);
	check_eq("hlt-nmi-ran-handler", nmis[1] - nmi_before, 1);

	/* An IPI pending with IF=0 waits; STI; HLT then takes it instead of sleeping. */
	before = hits[1][V_FIX];
	ap_start(1, CMD_PENDING_HALT, 0);
	smp_wait_for(&mb[1].stage, 1, WAIT);
	apic_send(1, V_FIX);
	iso_spin(QUIET);
	check_eq("if0-holds-ipi", hits[1][V_FIX] - before, 0);
	mb[1].go = 1;
	check(ap_finished(1, WAIT), "sti-hlt-with-pending-does-not-sleep");
	check_eq("sti-hlt-pending-taken", hits[1][V_FIX] - before, 1);

	/* STI's shadow: the pending interrupt comes after the instruction that follows STI. */
	before = hits[1][V_FIX];
	ap_start(1, CMD_SHADOW, 0);
	smp_wait_for(&mb[1].stage, 1, WAIT);
	apic_send(1, V_FIX);
	iso_spin(QUIET);
	check_eq("if0-holds-ipi-again", hits[1][V_FIX] - before, 0);
	mb[1].go = 1;
	if (check(ap_finished(1, WAIT), "shadow-command-done")) {
		check_eq("sti-shadow-holds-interrupt", mb[1].result - before, 0);
		check_eq("interrupt-after-sti-shadow", mb[1].result2 - before, 1);
	}
}

static void check_priorities(void)
{
	uint32_t low = hits[1][V_TPR_LOW];

	ap_run(1, CMD_WRITE_TPR, 0x50);
	check_eq("ppr-follows-tpr", ap_run(1, CMD_READ, GAPIC_PPR), 0x50);
	apic_send(1, V_TPR_LOW);
	iso_spin(QUIET);
	check_eq("tpr-masks-lower-class", hits[1][V_TPR_LOW] - low, 0);
	check_eq("masked-ipi-waits-in-irr",
		 ap_run(1, CMD_READ, GAPIC_IRR + (V_TPR_LOW / 32) * 0x10) >> (V_TPR_LOW % 32) & 1,
		 1);
	apic_send(1, V_TPR_HIGH);
	check(smp_wait_for(&hits[1][V_TPR_HIGH], 1, WAIT), "tpr-passes-higher-class");
	ap_run(1, CMD_WRITE_TPR, 0);
	check(smp_wait_for(&hits[1][V_TPR_LOW], low + 1, WAIT), "tpr-lowered-delivers");

	/* EOI: a vector in service holds back its class and those below, not those above. */
	apic_send(1, V_HOLD);
	check(smp_wait_for(&hits[1][V_HOLD], 1, WAIT), "hold-vector-delivered");
	check_eq("isr-set-in-handler", hold_isr, 1);
	check_eq("ppr-is-in-service-class", hold_ppr, V_HOLD & 0xf0);
	check_eq("isr-stays-without-eoi",
		 ap_run(1, CMD_READ, GAPIC_ISR + (V_HOLD / 32) * 0x10) >> (V_HOLD % 32) & 1, 1);
	apic_send(1, V_EOI_LOW);
	iso_spin(QUIET);
	check_eq("in-service-masks-lower-class", hits[1][V_EOI_LOW], 0);
	apic_send(1, V_EOI_HIGH);
	check(smp_wait_for(&hits[1][V_EOI_HIGH], 1, WAIT), "in-service-passes-higher-class");
	ap_run(1, CMD_EOI, 0);
	check(smp_wait_for(&hits[1][V_EOI_LOW], 1, WAIT), "eoi-delivers-waiting");
	check_eq("eoi-clears-isr",
		 ap_run(1, CMD_READ, GAPIC_ISR + (V_HOLD / 32) * 0x10) >> (V_HOLD % 32) & 1, 0);
	check_eq("ppr-after-eoi", ap_run(1, CMD_READ, GAPIC_PPR), 0);
}

/* INIT to a running AP: it stops, its APIC resets; a SIPI restarts it at the vector. */
static void check_init_running(void)
{
	uint32_t s1, s2, fix = hits[2][V_FIX];
	uint64_t end;

	ap_start(2, CMD_SPIN, 0);
	check(smp_wait_for(&spins[2], 1000, WAIT), "ap-spinning");
	apic_send(2, GAPIC_DM_INIT | GAPIC_ASSERT);
	end = rdtsc() + WAIT;
	do {
		s1 = spins[2];
		iso_spin(QUIET);
		s2 = spins[2];
	} while (s1 != s2 && rdtsc() < end);
	check_eq("init-stops-running-ap", s2 - s1, 0);
	apic_send(2, V_FIX); /* INIT left its APIC software-disabled: dropped */
	iso_spin(QUIET);
	restarted[2] = 1;
	apic_send(2, GAPIC_DM_SIPI | (GUEST_AP_TRAMPOLINE >> 12));
	if (!check(smp_wait_for(&arrived[2], 2, WAIT), "sipi-restarts-ap"))
		return;
	check_eq("init-resets-svr", after_init[2][0], 0xff);
	check_eq("init-resets-ldr", after_init[2][1], 0);
	check_eq("init-resets-tpr", after_init[2][2], 0);
	check_eq("init-dropped-ipi-to-disabled-apic", after_init[2][3], 0);
	check_eq("init-keeps-apic-id", after_init[2][4], 2);
	check_eq("init-keeps-apic-base", after_init[2][5], APIC_DEFAULT_BASE | APIC_BASE_EN);
	expect_reach("restarted-ap-takes-ipis", 2, 0, 0x4);
	check_eq("dropped-ipi-stays-dropped", hits[2][V_FIX] - fix, 1);
}

static void check_x2apic(void)
{
	bool ok = apic_set_mode(true);

	for (unsigned i = 1; i < NCPU; i++)
		ok &= ap_run(i, CMD_X2APIC, 0) == 1;
	if (!check(ok, "x2apic-mode-on-all"))
		return;
	for (unsigned i = 1; i < NCPU; i++)
		checkf(ap_run(i, CMD_READ, GAPIC_LDR) == 1u << i, "x2apic-ldr-derived",
		       "vCPU %u: LDR %#x", i, mb[i].result);
	expect_reach("x2apic-physical-ap1", 1, 0, 0x2);
	expect_reach("x2apic-physical-ap2", 2, 0, 0x4);
	expect_reach("x2apic-physical-absent", 0x100, 0, 0x0);
	expect_reach("x2apic-physical-broadcast", 0xffffffff, 0, 0x7);
	expect_reach("x2apic-cluster", 0x00000006, GAPIC_DEST_LOGICAL, 0x6);
	expect_reach("x2apic-cluster-other", 0x00010006, GAPIC_DEST_LOGICAL, 0x0);
	expect_reach("x2apic-logical-broadcast", 0xffffffff, GAPIC_DEST_LOGICAL, 0x7);
	expect_reach("x2apic-all-but-self", 0, GAPIC_ALL_BUT_SELF, 0x6);
	{
		uint32_t before = hits[0][V_SELF];

		wrmsr(MSR_X2APIC_SELF_IPI, V_SELF);
		check(smp_wait_for(&hits[0][V_SELF], before + 1, WAIT), "x2apic-self-ipi");
	}
	apic_send(2, GAPIC_DM_NMI);
	check(smp_wait_for(&nmis[2], 2, WAIT), "x2apic-nmi");
}

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	apic_write(GAPIC_LVT_LINT0, GAPIC_LVT_MASKED);
	apic_sw_enable(V_SPURIOUS);
	apic_write(GAPIC_LDR, 1u << 24);
	for (unsigned v = 0x20; v < V_SPURIOUS; v++)
		irq_set_handler((uint8_t)v, on_irq);
	irq_set_handler(2, on_nmi);
	check_eq("aps-started", smp_start_aps(ap_main, NCPU - 1, SMP_START_EACH), NCPU - 1);
	for (unsigned i = 1; i < NCPU; i++)
		if (!checkf(smp_wait_for(&arrived[i], 1, WAIT), "ap-arrived", "vCPU %u", i))
			guest_finish();
	irq_enable();
	check_destinations_xapic();
	check_nmi();
	check_halt_and_shadow();
	check_priorities();
	check_init_running();
	check_x2apic();
	irq_disable();
	guest_finish();
}
