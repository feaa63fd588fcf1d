/*
 * x2APIC mode: the registers as MSRs 0x800 + offset/16 (SDM vol. 3A, 11.12).
 * Unlike xAPIC MMIO, an access to a register that does not exist in x2APIC
 * mode, a write to a read-only one, a read of a write-only one, or reserved
 * bits in EOI, ESR, SELF_IPI and the ICR raise #GP.
 */
#include "hv/vlapic/vlapic.h"
#include "arch/x86/msr.h"

#define X2APIC_ICR_RESERVED 0x00000000fff32000ull /* bits 13, 16-17, 20-31 */

static uint32_t msr_offset(uint32_t msr)
{
	return (msr - MSR_X2APIC_BASE) << 4;
}

/* Registers that exist in x2APIC mode (for reading). */
static bool x2apic_readable(uint32_t off)
{
	if (off >= APIC_ISR && off < APIC_ESR)
		return true;
	switch (off) {
	case APIC_ID:
	case APIC_VERSION:
	case APIC_TPR:
	case APIC_PPR:
	case APIC_LDR:
	case APIC_SVR:
	case APIC_ESR:
	case APIC_LVT_CMCI:
	case APIC_ICR_LOW:
	case APIC_LVT_TIMER ... APIC_TIMER_CUR_COUNT:
	case APIC_TIMER_DIVIDE:
		return true;
	}
	return false;
}

bool vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t now, uint64_t *value)
{
	uint32_t off = msr_offset(msr);

	if (!vlapic_x2apic(v) || msr < MSR_X2APIC_BASE || msr > MSR_X2APIC_BASE + 0xff ||
	    !x2apic_readable(off))
		return false;
	*value = vlapic_read_common(v, off, now);
	if (off == APIC_ICR_LOW)
		*value |= (uint64_t)vlapic_reg(v, APIC_ICR_HIGH) << 32;
	return true;
}

static struct vlapic_effect gp(void)
{
	return (struct vlapic_effect){.what = VLAPIC_DO_GP, .eoi_vector = -1};
}

struct vlapic_effect vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t value, uint64_t now)
{
	struct vlapic_effect e = {.eoi_vector = -1};
	uint32_t off = msr_offset(msr);

	if (!vlapic_x2apic(v) || msr < MSR_X2APIC_BASE || msr > MSR_X2APIC_BASE + 0xff)
		return gp();
	if (off == APIC_ICR_LOW) {
		if (value & X2APIC_ICR_RESERVED)
			return gp();
		vlapic_set_reg(v, APIC_ICR_LOW, (uint32_t)value);
		vlapic_set_reg(v, APIC_ICR_HIGH, (uint32_t)(value >> 32));
		e.icr = value;
		e.what = VLAPIC_DO_IPI;
		return e;
	}
	if (off == APIC_SELF_IPI) {
		if (value & ~(uint64_t)APIC_ICR_VECTOR_MASK)
			return gp();
		e.icr = APIC_ICR_SELF | APIC_ICR_DM_FIXED | (value & APIC_ICR_VECTOR_MASK);
		e.what = VLAPIC_DO_IPI;
		return e;
	}
	/* The upper half of every other register is reserved; EOI and ESR take only 0. */
	if ((value >> 32) || ((off == APIC_EOI || off == APIC_ESR) && value) ||
	    (off == APIC_TPR && (value & ~(uint64_t)APIC_TPR_MASK)))
		return gp();
	if (!vlapic_write_common(v, off, (uint32_t)value, now, &e))
		return gp(); /* read-only (ID, version, LDR, PPR, ISR/TMR/IRR, TMCCT) or absent */
	return e;
}
