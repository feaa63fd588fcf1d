/* Control-register write rules: see cr_policy.h. */
#include "hv/policy/cr_policy.h"

#define CR0_GUEST_OWNED_FIXED (CR0_PE | CR0_PG) /* fixed by VMX, freed by unrestricted guest */
/* CR4 bits whose change makes the guest's TLB entries stale. */
#define CR4_TLB_BITS	      (CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_SMEP | CR4_LA57)

bool cr0_write(const struct cr_state *s, const struct cr_fixed *fx, uint64_t value,
	       struct cr0_update *u)
{
	uint64_t old = s->cr0;
	uint64_t reserved = ~fx->fixed1 & 0xffffffffULL & ~CR0_GUEST_OWNED_FIXED;
	bool paging_on = (value & CR0_PG) && !(old & CR0_PG);
	bool paging_off = !(value & CR0_PG) && (old & CR0_PG);

	if (value >> 32)
		return false;
	if ((value & CR0_PG) && !(value & CR0_PE))
		return false;
	if ((value & CR0_NW) && !(value & CR0_CD))
		return false;
	if (paging_on && (s->efer & EFER_LME) && !(s->cr4 & CR4_PAE))
		return false;
	if (paging_off && (s->in_64bit_mode || (s->cr4 & CR4_PCIDE)))
		return false;

	u->shadow = value & ~reserved;
	u->real = u->shadow | CR0_NE | (fx->fixed0 & ~CR0_GUEST_OWNED_FIXED);
	u->efer = s->efer;
	if ((s->efer & EFER_LME) && (paging_on || paging_off))
		u->efer = paging_on ? s->efer | EFER_LMA : s->efer & ~EFER_LMA;
	u->ia32e_mode = u->efer & EFER_LMA;
	return true;
}

uint64_t cr0_lmsw(uint64_t cr0, uint16_t src)
{
	const uint64_t lmsw_bits = CR0_PE | CR0_MP | CR0_EM | CR0_TS;

	return (cr0 & ~lmsw_bits) | (src & lmsw_bits) | (cr0 & CR0_PE);
}

bool cr4_write(const struct cr_state *s, const struct cr_fixed *fx, uint64_t forbidden,
	       uint64_t value, struct cr4_update *u)
{
	uint64_t old = s->cr4;
	bool long_mode = s->efer & EFER_LMA;

	if (value & (forbidden | CR4_VMXE | CR4_SMXE | ~0xffffffffULL))
		return false;
	if (long_mode && (!(value & CR4_PAE) || ((value ^ old) & CR4_LA57)))
		return false;
	if ((value & CR4_PCIDE) && !(old & CR4_PCIDE) && (!long_mode || (s->cr3 & 0xfff)))
		return false;

	u->shadow = value;
	u->real = value | CR4_VMXE | fx->fixed0;
	u->flush_tlb = (value ^ old) & CR4_TLB_BITS;
	return true;
}

bool xcr0_valid(uint64_t value, uint64_t supported)
{
	const uint64_t avx512 = XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM;
	const uint64_t mpx = XCR0_BNDREGS | XCR0_BNDCSR;
	const uint64_t amx = XCR0_TILECFG | XCR0_TILEDATA;

	if (!(value & XCR0_X87) || (value & ~supported))
		return false;
	if ((value & XCR0_AVX) && !(value & XCR0_SSE))
		return false;
	if ((value & avx512) && ((value & avx512) != avx512 || !(value & XCR0_AVX)))
		return false;
	if ((value & mpx) && (value & mpx) != mpx)
		return false;
	if ((value & amx) && (value & amx) != amx)
		return false;
	return true;
}

bool cr_pdptes_valid(const uint64_t pdpte[4], unsigned phys_bits)
{
	uint64_t reserved;

	if (phys_bits < 32 || phys_bits > 52)
		phys_bits = 52;
	reserved = 0x1e6ULL | ~(BIT(phys_bits) - 1);
	for (unsigned i = 0; i < 4; i++)
		if ((pdpte[i] & 1) && (pdpte[i] & reserved))
			return false;
	return true;
}
