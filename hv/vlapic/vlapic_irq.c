/*
 * Interrupt state of a vLAPIC: IRR, ISR and TMR (256 bits each, eight
 * registers 0x10 apart), the processor priority, acceptance, acknowledge and
 * EOI (SDM vol. 3A, 11.8). Vectors 0-15 are illegal for fixed interrupts.
 */
#include "hv/vlapic/vlapic.h"
#include "arch/x86/vmx/posted_intr.h"

static bool test_vec(const struct vlapic *v, uint32_t base, unsigned vec)
{
	return vlapic_reg(v, base + 0x10 * (vec / 32)) & (1u << (vec % 32));
}

static void set_vec(struct vlapic *v, uint32_t base, unsigned vec, bool on)
{
	uint32_t off = base + 0x10 * (vec / 32), bit = 1u << (vec % 32);

	vlapic_set_reg(v, off, on ? vlapic_reg(v, off) | bit : vlapic_reg(v, off) & ~bit);
}

/* The highest vector set in a 256-bit register group, or -1. */
static int highest(const struct vlapic *v, uint32_t base)
{
	for (int i = 7; i >= 0; i--) {
		uint32_t word = vlapic_reg(v, base + 0x10 * (uint32_t)i);

		if (word)
			return i * 32 + 31 - __builtin_clz(word);
	}
	return -1;
}

uint32_t vlapic_ppr(const struct vlapic *v)
{
	uint32_t tpr = vlapic_reg(v, APIC_TPR) & APIC_TPR_MASK;
	int isrv = highest(v, APIC_ISR);
	uint32_t isr_class = isrv < 0 ? 0 : APIC_PRIO_CLASS((uint32_t)isrv);

	return APIC_PRIO_CLASS(tpr) >= isr_class ? tpr : isr_class;
}

static void update_ppr(struct vlapic *v)
{
	vlapic_set_reg(v, APIC_PPR, vlapic_ppr(v));
}

bool vlapic_set_error(struct vlapic *v, uint32_t esr_bits)
{
	uint32_t lvt = vlapic_reg(v, APIC_LVT_ERROR);

	v->esr_pending |= esr_bits;
	return !(lvt & APIC_LVT_MASKED) && (lvt & APIC_LVT_VECTOR_MASK) >= 16;
}

bool vlapic_accept(struct vlapic *v, uint8_t vector, bool level)
{
	if (!vlapic_hw_enabled(v) || !vlapic_sw_enabled(v))
		return false;
	if (vector < 16) {
		vlapic_set_error(v, APIC_ESR_RECV_ILLEGAL_VEC);
		return false;
	}
	set_vec(v, APIC_IRR, vector, true);
	set_vec(v, APIC_TMR, vector, level);
	return true;
}

int vlapic_pending(const struct vlapic *v)
{
	int irrv = highest(v, APIC_IRR);

	if (irrv < 0 || !vlapic_hw_enabled(v))
		return -1;
	return APIC_PRIO_CLASS((uint32_t)irrv) > APIC_PRIO_CLASS(vlapic_ppr(v)) ? irrv : -1;
}

int vlapic_ack(struct vlapic *v)
{
	int vec = vlapic_pending(v);

	if (vec < 0)
		return -1;
	set_vec(v, APIC_IRR, (unsigned)vec, false);
	set_vec(v, APIC_ISR, (unsigned)vec, true);
	update_ppr(v);
	return vec;
}

int vlapic_eoi(struct vlapic *v)
{
	int vec = highest(v, APIC_ISR);

	if (vec >= 0) {
		set_vec(v, APIC_ISR, (unsigned)vec, false);
		update_ppr(v);
	}
	return vec;
}

bool vlapic_in_irr(const struct vlapic *v, uint8_t vec)
{
	return test_vec(v, APIC_IRR, vec);
}

bool vlapic_in_isr(const struct vlapic *v, uint8_t vec)
{
	return test_vec(v, APIC_ISR, vec);
}

/*
 * Moves posted requests into IRR (edge-triggered: TMR cleared), as the CPU's
 * posted-interrupt processing does; for the hypervisor's own pre-entry step.
 * Returns whether anything was posted.
 */
bool vlapic_merge_pir(struct vlapic *v, struct pi_desc *d)
{
	bool any = false;

	pi_clear_on(d);
	for (unsigned i = 0; i < 8; i++) {
		uint32_t bits = pi_take_word(d, i);

		if (!bits)
			continue;
		any = true;
		vlapic_set_reg(v, APIC_IRR + 0x10 * i, vlapic_reg(v, APIC_IRR + 0x10 * i) | bits);
		vlapic_set_reg(v, APIC_TMR + 0x10 * i, vlapic_reg(v, APIC_TMR + 0x10 * i) & ~bits);
	}
	return any;
}

/*
 * The guest interrupt status of virtual-interrupt delivery (SDM 29.1.2): RVI,
 * the highest requested vector, in bits 7:0; SVI, the highest in service, in
 * bits 15:8.
 */
uint16_t vlapic_intr_status(const struct vlapic *v)
{
	int rvi = highest(v, APIC_IRR), svi = highest(v, APIC_ISR);

	return (uint16_t)((rvi < 0 ? 0 : rvi) | (svi < 0 ? 0 : svi) << 8);
}
