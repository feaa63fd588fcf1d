/*
 * The vLAPIC register file: reset, reads and writes in xAPIC (MMIO) and
 * x2APIC (MSR) mode, with the architectural masks (SDM vol. 3A, 11.4-11.6 and
 * 11.12). The two modes share one writer; x2APIC only adds its #GP rules.
 */
#include "hv/vlapic/vlapic.h"
#include "arch/x86/msr.h"

#define LVT_COMMON (APIC_LVT_VECTOR_MASK | APIC_LVT_MASKED)
#define LVT_DM	   (LVT_COMMON | APIC_LVT_DM_MASK)
#define LVT_LINT   (LVT_DM | APIC_LVT_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER)
#define SVR_BITS   (APIC_SVR_VECTOR_MASK | APIC_SVR_ENABLE | APIC_SVR_FOCUS_DISABLE)
#define ICR_BITS                                                                                   \
	(APIC_ICR_VECTOR_MASK | APIC_ICR_DM_MASK | APIC_ICR_DEST_LOGICAL | APIC_ICR_LEVEL_ASSERT | \
	 APIC_ICR_TRIGGER_LEVEL | APIC_ICR_SHORTHAND_MASK)

static const uint32_t lvt_regs[VLAPIC_NR_LVT] = {
    APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PERF, APIC_LVT_LINT0,
    APIC_LVT_LINT1, APIC_LVT_ERROR,   APIC_LVT_CMCI,
};

bool vlapic_hw_enabled(const struct vlapic *v)
{
	return v->apic_base & APIC_BASE_EN;
}

bool vlapic_sw_enabled(const struct vlapic *v)
{
	return vlapic_reg(v, APIC_SVR) & APIC_SVR_ENABLE;
}

bool vlapic_x2apic(const struct vlapic *v)
{
	return (v->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}

uint32_t vlapic_phys_id(const struct vlapic *v)
{
	return vlapic_x2apic(v) ? v->id : vlapic_reg(v, APIC_ID) >> 24;
}

uint64_t vlapic_mmio_base(const struct vlapic *v)
{
	return v->apic_base & APIC_BASE_ADDR_MASK;
}

/* x2APIC's logical ID, derived from the ID: cluster in bits 31:16, a bit per member. */
static uint32_t x2apic_ldr(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

/* The ID and LDR the current mode shows. */
void vlapic_set_mode_ids(struct vlapic *v)
{
	if (vlapic_x2apic(v)) {
		vlapic_set_reg(v, APIC_ID, v->id);
		vlapic_set_reg(v, APIC_LDR, x2apic_ldr(v->id));
	} else {
		vlapic_set_reg(v, APIC_ID, v->id << 24);
	}
}

static bool is_lvt(uint32_t off)
{
	for (uint32_t i = 0; i < VLAPIC_NR_LVT; i++)
		if (lvt_regs[i] == off)
			return true;
	return false;
}

/* A register's value after INIT (SDM 11.4.7.3); words that are no register read 0. */
static uint32_t reset_value(const struct vlapic *v, uint32_t off)
{
	if (off == APIC_VERSION)
		return VLAPIC_VERSION | (VLAPIC_NR_LVT - 1) << 16;
	if (off == APIC_DFR)
		return APIC_DFR_FLAT;
	if (off == APIC_SVR)
		return 0xff;
	if (off == APIC_LDR && vlapic_x2apic(v))
		return x2apic_ldr(v->id);
	return is_lvt(off) ? APIC_LVT_MASKED : 0;
}

/*
 * The registers' reset values (INIT; power-up and a hardware re-enable then
 * set the IDs too). Each word is written once and the ID register not at all:
 * another vCPU resolving an IPI's destination reads it meanwhile (the SIPI
 * right behind an INIT), and must never see it pass through 0.
 */
void vlapic_reset_registers(struct vlapic *v)
{
	for (uint32_t off = 0; off < VLAPIC_PAGE_SIZE; off += 4)
		if (off != APIC_ID)
			v->page[off / 4] = reset_value(v, off);
	v->esr_pending = 0;
	v->timer_deadline = 0;
	v->timer_period = 0;
	v->tsc_deadline_msr = 0;
	v->timer_lvt_mode = APIC_LVT_TIMER_ONESHOT;
}

void vlapic_reset(struct vlapic *v, uint32_t *page, uint32_t id, bool bsp, bool tsc_deadline)
{
	v->page = page;
	v->id = id;
	v->bsp = bsp;
	v->tsc_deadline = tsc_deadline;
	v->apic_base = APIC_BASE_DEFAULT | APIC_BASE_EN | (bsp ? APIC_BASE_BSP : 0);
	vlapic_reset_registers(v);
	vlapic_set_mode_ids(v);
}

static uint32_t lvt_mask(uint32_t off)
{
	switch (off) {
	case APIC_LVT_TIMER:
		return LVT_COMMON | APIC_LVT_TIMER_MODE_MASK;
	case APIC_LVT_LINT0:
	case APIC_LVT_LINT1:
		return LVT_LINT;
	case APIC_LVT_ERROR:
		return LVT_COMMON;
	default:
		return LVT_DM;
	}
}

/* An LVT write; the timer LVT's mode change disarms as the SDM says (11.5.4.1). */
static void write_lvt(struct vlapic *v, uint32_t off, uint32_t value, struct vlapic_effect *e)
{
	value &= lvt_mask(off);
	if (!vlapic_sw_enabled(v))
		value |= APIC_LVT_MASKED;
	if (off == APIC_LVT_TIMER) {
		uint32_t mode = value & APIC_LVT_TIMER_MODE_MASK;

		e->what |= VLAPIC_DO_TIMER; /* mode, mask or vector: a posted timer's copy */
		if (mode == APIC_LVT_TIMER_MODE_MASK ||
		    (mode == APIC_LVT_TIMER_TSC_DEADLINE && !v->tsc_deadline))
			value &= ~APIC_LVT_TIMER_TSC_DEADLINE; /* reserved modes: bit 18 ignored */
		if ((v->timer_lvt_mode ^ value) & APIC_LVT_TIMER_TSC_DEADLINE) {
			vlapic_set_reg(v, APIC_TIMER_INIT_COUNT, 0);
			v->tsc_deadline_msr = 0;
			v->timer_deadline = 0;
		}
		v->timer_lvt_mode = value & APIC_LVT_TIMER_MODE_MASK;
	}
	/*
	 * Delivery status and remote IRR read 0: a virtual interrupt is accepted at
	 * once and no LVT is level-triggered from a device. (Not the page's bits: an
	 * APIC-write exit finds the guest's raw write there.)
	 */
	vlapic_set_reg(v, off, value);
}

static void write_svr(struct vlapic *v, uint32_t value, struct vlapic_effect *e)
{
	vlapic_set_reg(v, APIC_SVR, value & SVR_BITS);
	if (!(value & APIC_SVR_ENABLE))
		for (uint32_t i = 0; i < VLAPIC_NR_LVT; i++)
			vlapic_set_reg(v, lvt_regs[i],
				       vlapic_reg(v, lvt_regs[i]) | APIC_LVT_MASKED);
	e->what |= VLAPIC_DO_REEVAL;
}

/* Registers both modes write alike. false: `off` is not one of them. */
bool vlapic_write_common(struct vlapic *v, uint32_t off, uint32_t value, uint64_t now,
			 struct vlapic_effect *e)
{
	if (is_lvt(off)) {
		write_lvt(v, off, value, e);
		return true;
	}
	switch (off) {
	case APIC_TPR:
		vlapic_set_reg(v, APIC_TPR, value & APIC_TPR_MASK);
		vlapic_set_reg(v, APIC_PPR, vlapic_ppr(v));
		e->what |= VLAPIC_DO_REEVAL;
		return true;
	case APIC_EOI:
		e->eoi_vector = vlapic_eoi(v);
		e->what |= VLAPIC_DO_EOI | VLAPIC_DO_REEVAL;
		return true;
	case APIC_SVR:
		write_svr(v, value, e);
		return true;
	case APIC_ESR:
		vlapic_set_reg(v, APIC_ESR, v->esr_pending);
		v->esr_pending = 0;
		return true;
	case APIC_TIMER_INIT_COUNT:
		if (vlapic_timer_mode(v) != APIC_LVT_TIMER_TSC_DEADLINE) {
			vlapic_set_reg(v, APIC_TIMER_INIT_COUNT, value);
			vlapic_timer_restart(v, now);
			e->what |= VLAPIC_DO_TIMER;
		}
		return true;
	case APIC_TIMER_DIVIDE:
		vlapic_set_reg(v, APIC_TIMER_DIVIDE, value & APIC_TIMER_DIVIDE_MASK);
		if (vlapic_timer_rescale(v, now))
			e->what |= VLAPIC_DO_TIMER;
		return true;
	}
	return false;
}

uint32_t vlapic_read_common(struct vlapic *v, uint32_t off, uint64_t now)
{
	if (off == APIC_TIMER_CUR_COUNT)
		return vlapic_timer_current(v, now);
	if (off == APIC_PPR)
		return vlapic_ppr(v);
	return vlapic_reg(v, off);
}

/* xAPIC offsets that read as registers (the rest read 0). */
static bool xapic_readable(uint32_t off)
{
	if (off >= APIC_ISR && off < APIC_ESR)
		return true; /* ISR, TMR, IRR */
	switch (off) {
	case APIC_ID ... APIC_VERSION:
	case APIC_TPR ... APIC_PPR:
	case APIC_LDR ... APIC_SVR:
	case APIC_ESR:
	case APIC_LVT_CMCI ... APIC_TIMER_CUR_COUNT:
	case APIC_TIMER_DIVIDE:
		return true;
	}
	return false;
}

uint32_t vlapic_mmio_read(struct vlapic *v, uint32_t offset, uint64_t now)
{
	if (!vlapic_hw_enabled(v) || vlapic_x2apic(v))
		return 0xffffffff; /* the xAPIC window is not decoded */
	if (offset >= VLAPIC_PAGE_SIZE || (offset & 0xf))
		return 0; /* only aligned 32-bit registers; the rest reads 0 */
	return xapic_readable(offset) ? vlapic_read_common(v, offset, now) : 0;
}

static void xapic_send(struct vlapic *v, uint32_t low, struct vlapic_effect *e)
{
	vlapic_set_reg(v, APIC_ICR_LOW, low & ICR_BITS);
	e->icr = (uint64_t)vlapic_reg(v, APIC_ICR_HIGH) << 32 | (low & ICR_BITS);
	e->what |= VLAPIC_DO_IPI;
}

struct vlapic_effect vlapic_mmio_write(struct vlapic *v, uint32_t offset, uint32_t value,
				       uint64_t now)
{
	struct vlapic_effect e = {.eoi_vector = -1};

	if (!vlapic_hw_enabled(v) || vlapic_x2apic(v) || offset >= VLAPIC_PAGE_SIZE ||
	    (offset & 0xf) || vlapic_write_common(v, offset, value, now, &e))
		return e;
	switch (offset) {
	case APIC_ID: /* writable in xAPIC mode; the initial ID stays in CPUID */
		vlapic_set_reg(v, APIC_ID, value & 0xff000000u);
		break;
	case APIC_LDR:
		vlapic_set_reg(v, APIC_LDR, value & 0xff000000u);
		break;
	case APIC_DFR:
		vlapic_set_reg(v, APIC_DFR, (value & APIC_DFR_MODEL_MASK) | ~APIC_DFR_MODEL_MASK);
		break;
	case APIC_ICR_HIGH:
		vlapic_set_reg(v, APIC_ICR_HIGH, value & 0xff000000u);
		break;
	case APIC_ICR_LOW:
		xapic_send(v, value, &e);
		break;
	default: /* read-only registers and holes: the write is dropped */
		break;
	}
	return e;
}
