/*
 * hv/vlapic/vlapic*.c: the vLAPIC register model, driven the way guests
 * drive it. Input: one byte of set-up (bit 0: the first vLAPIC starts in
 * x2APIC mode, bit 1: TSC-deadline offered), then operations of 16 bytes on
 * one of three vLAPICs of a partition: xAPIC MMIO reads and writes at any
 * offset, x2APIC MSR reads and writes, IA32_APIC_BASE and TSC_DEADLINE writes,
 * TPR writes as TPR virtualization does them (straight into the page),
 * accepted, acknowledged and retired interrupts, posted requests, the timer
 * expiring, time passing. IPIs the writes ask for are decoded and resolved
 * among the three, and fixed ones delivered, as vapic_deliver.c does.
 *
 * Checked after every operation, on all three: reserved bits of every
 * register stay zero (TPR, SVR, LVTs, DFR, LDR, TDCR, ICR), vectors 0-15 are
 * never requested, in service or level-triggered, ID and LDR match the mode,
 * the version is fixed, PPR follows TPR and the highest vector in service,
 * the pending vector is in IRR above the PPR, the current count never
 * exceeds the initial count; an IPI reaches only vCPUs of the partition (at
 * most one for lowest priority, not the sender for all-excluding-self), and
 * an EOI retires a real vector.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/vlapic/vlapic.h"
#include "hv/vlapic/vlapic_dest.h"
#include "arch/x86/apic.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/posted_intr.h"

#define NV	 3
#define OP_SIZE	 16
#define MAX_OPS	 512
#define LVT_BITS (APIC_LVT_DELIVERY_PENDING | APIC_LVT_REMOTE_IRR)

static uint32_t pages[NV][VLAPIC_PAGE_SIZE / 4] __attribute__((aligned(4096)));
static struct vlapic lapics[NV];
static uint64_t now;

static uint32_t reg(const struct vlapic *v, uint32_t off)
{
	return vlapic_reg(v, off);
}

static int highest_in(const struct vlapic *v, uint32_t base)
{
	for (int vec = 255; vec >= 0; vec--)
		if (reg(v, base + 0x10 * (uint32_t)(vec / 32)) & (1u << (vec % 32)))
			return vec;
	return -1;
}

static void check_lvt(const struct vlapic *v, uint32_t off, uint32_t allowed)
{
	uint32_t lvt = reg(v, off);

	FUZZ_CHECK((lvt & ~(allowed | LVT_BITS)) == 0);
	if (!vlapic_sw_enabled(v))
		FUZZ_CHECK(lvt & APIC_LVT_MASKED);
}

/* The most the current count may read: as on hardware, the initial count. */
static uint64_t count_bound(const struct vlapic *v)
{
	return reg(v, APIC_TIMER_INIT_COUNT);
}

static void check_invariants(const struct vlapic *v)
{
	uint32_t common = APIC_LVT_VECTOR_MASK | APIC_LVT_MASKED;
	uint32_t with_dm = common | APIC_LVT_DM_MASK;
	int isrv = highest_in(v, APIC_ISR), pend = vlapic_pending(v);
	uint32_t tpr = reg(v, APIC_TPR), want_ppr;

	FUZZ_CHECK(reg(v, APIC_VERSION) == (VLAPIC_VERSION | (VLAPIC_NR_LVT - 1) << 16));
	FUZZ_CHECK((tpr & ~APIC_TPR_MASK) == 0);
	FUZZ_CHECK((reg(v, APIC_SVR) &
		    ~(APIC_SVR_VECTOR_MASK | APIC_SVR_ENABLE | APIC_SVR_FOCUS_DISABLE)) == 0);
	FUZZ_CHECK((reg(v, APIC_TIMER_DIVIDE) & ~APIC_TIMER_DIVIDE_MASK) == 0);
	FUZZ_CHECK(
	    (reg(v, APIC_ICR_LOW) &
	     ~(APIC_ICR_VECTOR_MASK | APIC_ICR_DM_MASK | APIC_ICR_DEST_LOGICAL | APIC_ICR_BUSY |
	       APIC_ICR_LEVEL_ASSERT | APIC_ICR_TRIGGER_LEVEL | APIC_ICR_SHORTHAND_MASK)) == 0);
	check_lvt(v, APIC_LVT_TIMER, common | APIC_LVT_TIMER_MODE_MASK);
	check_lvt(v, APIC_LVT_ERROR, common);
	check_lvt(v, APIC_LVT_THERMAL, with_dm);
	check_lvt(v, APIC_LVT_PERF, with_dm);
	check_lvt(v, APIC_LVT_CMCI, with_dm);
	check_lvt(v, APIC_LVT_LINT0, with_dm | APIC_LVT_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER);
	check_lvt(v, APIC_LVT_LINT1, with_dm | APIC_LVT_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER);
	/* The timer mode 3 is reserved, and TSC-deadline only where offered. */
	FUZZ_CHECK((reg(v, APIC_LVT_TIMER) & APIC_LVT_TIMER_MODE_MASK) != APIC_LVT_TIMER_MODE_MASK);
	if (!v->tsc_deadline)
		FUZZ_CHECK(!(reg(v, APIC_LVT_TIMER) & APIC_LVT_TIMER_TSC_DEADLINE));
	/* Vectors 0-15 are illegal: never requested, in service or level-triggered. */
	FUZZ_CHECK((reg(v, APIC_IRR) & 0xffff) == 0);
	FUZZ_CHECK((reg(v, APIC_ISR) & 0xffff) == 0);
	FUZZ_CHECK((reg(v, APIC_TMR) & 0xffff) == 0);
	if (vlapic_x2apic(v)) {
		FUZZ_CHECK(reg(v, APIC_ID) == v->id);
		FUZZ_CHECK(reg(v, APIC_LDR) == (((v->id >> 4) << 16) | (1u << (v->id & 0xf))));
	} else {
		/* The xAPIC ID is writable (bits 31:24); the rest of the register reads 0. */
		FUZZ_CHECK((reg(v, APIC_ID) & 0x00ffffff) == 0);
		FUZZ_CHECK((reg(v, APIC_LDR) & 0x00ffffff) == 0);
		FUZZ_CHECK((reg(v, APIC_DFR) & ~APIC_DFR_MODEL_MASK) == ~APIC_DFR_MODEL_MASK);
		FUZZ_CHECK((reg(v, APIC_ICR_HIGH) & 0x00ffffff) == 0);
	}
	want_ppr =
	    isrv >= 0 && (uint32_t)(isrv & 0xf0) > (tpr & 0xf0) ? (uint32_t)isrv & 0xf0 : tpr;
	FUZZ_CHECK(vlapic_ppr(v) == want_ppr);
	if (pend >= 0) {
		FUZZ_CHECK(pend >= 16 && pend <= 255 && vlapic_in_irr(v, (uint8_t)pend));
		FUZZ_CHECK((uint32_t)(pend & 0xf0) > (want_ppr & 0xf0));
		FUZZ_CHECK(pend == highest_in(v, APIC_IRR));
	}
	if (vlapic_timer_mode(v) != APIC_LVT_TIMER_TSC_DEADLINE)
		FUZZ_CHECK(vlapic_timer_current(v, now) <= count_bound(v));
}

/* What vapic_deliver.c does with an IPI: resolve it in the partition, deliver fixed ones. */
static void send_ipi(unsigned src, uint64_t icr)
{
	const struct vlapic *all[NV] = {&lapics[0], &lapics[1], &lapics[2]};
	struct vlapic_ipi ipi = vlapic_decode_icr(icr, vlapic_x2apic(&lapics[src]));
	uint64_t t;

	if (!vlapic_ipi_valid(&lapics[src], &ipi))
		return;
	FUZZ_CHECK(ipi.mode != APIC_ICR_DM_SMI && ipi.mode <= APIC_ICR_DM_STARTUP);
	t = vlapic_ipi_targets(all, NV, src, &ipi);
	FUZZ_CHECK((t & ~((1ull << NV) - 1)) == 0);
	if (ipi.mode == APIC_ICR_DM_LOWEST)
		FUZZ_CHECK((t & (t - 1)) == 0);
	if (ipi.shorthand == APIC_ICR_SELF)
		FUZZ_CHECK((t & ~(1ull << src)) == 0);
	if (ipi.shorthand == APIC_ICR_ALL_BUT_SELF)
		FUZZ_CHECK(!(t & (1ull << src)));
	if (ipi.mode == APIC_ICR_DM_FIXED || ipi.mode == APIC_ICR_DM_LOWEST) {
		FUZZ_CHECK(ipi.vector >= 16);
		for (unsigned i = 0; i < NV; i++)
			if (t & (1ull << i))
				vlapic_accept(&lapics[i], ipi.vector, false);
	}
}

static void apply(unsigned who, const struct vlapic_effect *e)
{
	struct vlapic *v = &lapics[who];

	FUZZ_CHECK(e->eoi_vector >= -1 && e->eoi_vector <= 255);
	if (e->what & VLAPIC_DO_EOI && e->eoi_vector >= 0)
		FUZZ_CHECK(!vlapic_in_isr(v, (uint8_t)e->eoi_vector));
	if (e->what & VLAPIC_DO_GP)
		return;
	if (e->what & VLAPIC_DO_IPI)
		send_ipi(who, e->icr);
	if (e->what & VLAPIC_DO_ERROR)
		vlapic_accept(v, (uint8_t)(reg(v, APIC_LVT_ERROR) & APIC_LVT_VECTOR_MASK), false);
}

static void post(struct vlapic *v, uint64_t bits)
{
	struct pi_desc d;

	memset(&d, 0, sizeof(d));
	for (unsigned i = 0; i < 64; i++)
		if (bits & (1ull << i)) /* Tessera posts only legal vectors: 16-255 */
			d.pir[(16 + i * 3) / 32] |= 1u << ((16 + i * 3) % 32);
	d.control = PI_CONTROL_ON;
	vlapic_merge_pir(v, &d);
	FUZZ_CHECK(!pi_pending(&d));
}

static void run_op(const uint8_t *op)
{
	unsigned who = (op[0] >> 4) % NV;
	struct vlapic *v = &lapics[who];
	uint32_t off = fuzz_get32(op + 1) & 0xfff;
	uint64_t value = fuzz_get64(op + 8), got;
	struct vlapic_effect e = {.eoi_vector = -1};
	int vec;

	switch (op[0] & 0xf) {
	case 0:
		got = vlapic_mmio_read(v, off, now);
		if (vlapic_x2apic(v) || !vlapic_hw_enabled(v))
			FUZZ_CHECK(got == 0xffffffff);
		break;
	case 1:
		e = vlapic_mmio_write(v, off, (uint32_t)value, now);
		break;
	case 2:
		if (vlapic_msr_read(v, MSR_X2APIC_BASE + (off & 0xff), now, &got))
			FUZZ_CHECK(vlapic_x2apic(v));
		break;
	case 3:
		e = vlapic_msr_write(v, MSR_X2APIC_BASE + (off & 0xff), value, now);
		break;
	case 4:
		e = vlapic_write_apic_base(v, value, 36 + op[3] % 17);
		break;
	case 5:
		vlapic_accept(v, (uint8_t)value, (value >> 8) & 1);
		break;
	case 6:
		vec = vlapic_ack(v);
		FUZZ_CHECK(vec == -1 || (vec >= 16 && vlapic_in_isr(v, (uint8_t)vec)));
		break;
	case 7:
		vec = vlapic_eoi(v);
		FUZZ_CHECK(vec >= -1 && vec <= 255);
		break;
	case 8:
		vec = vlapic_timer_expire(v, now);
		FUZZ_CHECK(vec >= -1 && vec <= 255);
		if (vec >= 0)
			vlapic_accept(v, (uint8_t)vec, false);
		break;
	case 9:
		post(v, value);
		break;
	case 10: /* TPR virtualization writes the page's TPR itself (bits 7:0) */
		vlapic_set_reg(v, APIC_TPR, (uint32_t)value & APIC_TPR_MASK);
		break;
	case 11:
		vlapic_timer_write_tsc_deadline(v, value, now);
		break;
	default:
		now += value & 0xffffffffull;
		break;
	}
	apply(who, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	now = 1000000;
	for (unsigned i = 0; i < NV; i++) {
		vlapic_reset(&lapics[i], pages[i], i, i == 0, data[0] & 2);
		lapics[i].min_period = 1000;
	}
	if (data[0] & 1)
		vlapic_write_apic_base(
		    &lapics[0], APIC_BASE_DEFAULT | APIC_BASE_EN | APIC_BASE_BSP | APIC_BASE_EXTD,
		    36);
	for (size_t at = 1, n = 0; at + OP_SIZE <= size && n < MAX_OPS; at += OP_SIZE, n++) {
		run_op(data + at);
		for (unsigned i = 0; i < NV; i++)
			check_invariants(&lapics[i]);
	}
	return 0;
}
