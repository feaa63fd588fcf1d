/* IPI decoding and destination resolution inside a partition (see vlapic_dest.h). */
#include "hv/vlapic/vlapic_dest.h"

struct vlapic_ipi vlapic_decode_icr(uint64_t icr, bool x2apic)
{
	uint32_t low = (uint32_t)icr;

	return (struct vlapic_ipi){
	    .vector = (uint8_t)(low & APIC_ICR_VECTOR_MASK),
	    .mode = low & APIC_ICR_DM_MASK,
	    .shorthand = low & APIC_ICR_SHORTHAND_MASK,
	    .logical = low & APIC_ICR_DEST_LOGICAL,
	    .assert = low &APIC_ICR_LEVEL_ASSERT,
	    .level_trigger = low &APIC_ICR_TRIGGER_LEVEL,
	    .dest = x2apic ? (uint32_t)(icr >> APIC_ICR_X2APIC_DEST_SHIFT)
			   : (uint32_t)(icr >> APIC_ICR_XAPIC_DEST_SHIFT) & 0xff,
	    .x2apic = x2apic,
	};
}

bool vlapic_ipi_valid(struct vlapic *sender, const struct vlapic_ipi *ipi)
{
	switch (ipi->mode) {
	case APIC_ICR_DM_FIXED:
	case APIC_ICR_DM_LOWEST:
		if (ipi->vector < 16) {
			vlapic_set_error(sender, APIC_ESR_SEND_ILLEGAL_VEC);
			return false;
		}
		return !(ipi->mode == APIC_ICR_DM_LOWEST && ipi->shorthand == APIC_ICR_SELF);
	case APIC_ICR_DM_NMI:
		return true;
	case APIC_ICR_DM_INIT:
		if (!ipi->assert && ipi->level_trigger)
			return false; /* INIT level de-assert: ignored by current CPUs */
		return ipi->shorthand != APIC_ICR_SELF;
	case APIC_ICR_DM_STARTUP:
		return ipi->shorthand != APIC_ICR_SELF;
	default: /* SMI and the reserved modes: not emulated, nothing is sent */
		return false;
	}
}

static bool logical_match(const struct vlapic *t, uint32_t dest, bool x2apic_dest)
{
	uint32_t ldr = vlapic_reg(t, APIC_LDR);

	if (vlapic_x2apic(t)) {
		if (!x2apic_dest)
			return false;
		return dest == APIC_X2APIC_BROADCAST ||
		       ((dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff));
	}
	dest &= 0xff;
	if (dest == APIC_XAPIC_BROADCAST)
		return true;
	ldr = APIC_LDR_XAPIC_ID(ldr);
	if ((vlapic_reg(t, APIC_DFR) & APIC_DFR_MODEL_MASK) == APIC_DFR_MODEL_MASK)
		return ldr & dest;				/* flat: a bit per APIC */
	return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0xf); /* cluster */
}

static bool dest_match(const struct vlapic *t, const struct vlapic_ipi *ipi)
{
	uint32_t broadcast = ipi->x2apic ? APIC_X2APIC_BROADCAST : APIC_XAPIC_BROADCAST;

	if (ipi->logical)
		return logical_match(t, ipi->dest, ipi->x2apic);
	return ipi->dest == broadcast || ipi->dest == vlapic_phys_id(t);
}

static uint64_t lowest_priority(const struct vlapic *const *lapics, uint64_t set)
{
	uint32_t best = 0, best_ppr = 0x100;

	for (uint32_t i = 0; i < VLAPIC_MAX_VCPUS; i++)
		if (((set >> i) & 1) && vlapic_ppr(lapics[i]) < best_ppr) {
			best = i;
			best_ppr = vlapic_ppr(lapics[i]);
		}
	return set ? 1ull << best : 0;
}

uint64_t vlapic_ipi_targets(const struct vlapic *const *lapics, uint32_t nr, uint32_t self,
			    const struct vlapic_ipi *ipi)
{
	uint64_t set = 0;

	if (nr > VLAPIC_MAX_VCPUS || self >= nr)
		return 0;
	for (uint32_t i = 0; i < nr; i++) {
		bool hit;

		switch (ipi->shorthand) {
		case APIC_ICR_SELF:
			hit = i == self;
			break;
		case APIC_ICR_ALL_INCL_SELF:
			hit = true;
			break;
		case APIC_ICR_ALL_BUT_SELF:
			hit = i != self;
			break;
		default:
			hit = dest_match(lapics[i], ipi);
			break;
		}
		if (hit && vlapic_hw_enabled(lapics[i]))
			set |= 1ull << i;
	}
	return ipi->mode == APIC_ICR_DM_LOWEST ? lowest_priority(lapics, set) : set;
}
