/*
 * IA32_APIC_BASE: enable and disable, xAPIC and x2APIC, relocation (SDM vol.
 * 3A, 11.4.4 and 11.12.5). The legal states are disabled (EN=0, EXTD=0),
 * xAPIC (EN=1, EXTD=0) and x2APIC (EN=1, EXTD=1); x2APIC -> xAPIC and
 * disabled -> x2APIC are illegal transitions (#GP), as are reserved bits.
 * A disabled APIC loses its state: re-enabled, it is as after power-up.
 * The BSP flag is the partition's, whatever the guest writes; EXTD is
 * reserved where CPUID does not offer x2APIC (x2apic = off).
 */
#include "hv/vlapic/vlapic.h"
#include "arch/x86/msr.h"

#define APIC_BASE_LOW_RESERVED 0x2ffull /* bits 0-7 and 9 */

static bool legal_transition(uint64_t from, uint64_t to)
{
	bool from_x2 = (from & APIC_BASE_EN) && (from & APIC_BASE_EXTD);
	bool from_off = !(from & APIC_BASE_EN);

	if ((to & APIC_BASE_EXTD) && !(to & APIC_BASE_EN))
		return false; /* EXTD without EN is an invalid state */
	if (from_x2 && (to & APIC_BASE_EN) && !(to & APIC_BASE_EXTD))
		return false; /* x2APIC -> xAPIC: only through disabled */
	if (from_off && (to & APIC_BASE_EXTD))
		return false; /* disabled -> x2APIC: only through xAPIC */
	return true;
}

struct vlapic_effect vlapic_write_apic_base(struct vlapic *v, uint64_t value, unsigned maxphyaddr)
{
	struct vlapic_effect e = {.eoi_vector = -1};
	uint64_t phys_reserved = maxphyaddr >= 64 ? 0 : ~0ull << maxphyaddr;
	uint64_t old = v->apic_base;

	value = (value & ~APIC_BASE_BSP) | (v->bsp ? APIC_BASE_BSP : 0);
	if ((value & (APIC_BASE_LOW_RESERVED | phys_reserved)) || !legal_transition(old, value) ||
	    (v->x2apic_hidden && (value & APIC_BASE_EXTD))) {
		e.what = VLAPIC_DO_GP;
		return e;
	}
	v->apic_base = value;
	if (value == old)
		return e;
	e.what = VLAPIC_DO_MODE;
	if (!(value & APIC_BASE_EN)) {
		vlapic_reset_registers(v); /* state is lost; the timer stops */
		vlapic_set_mode_ids(v);
		e.what |= VLAPIC_DO_TIMER;
	} else if ((value ^ old) & APIC_BASE_EXTD) {
		vlapic_set_mode_ids(v); /* xAPIC -> x2APIC: 32-bit ID, derived LDR */
	} else if (!(old & APIC_BASE_EN)) {
		vlapic_reset_registers(v); /* re-enabled: as after power-up */
		vlapic_set_mode_ids(v);
	}
	return e;
}
