/* hv/policy/cr_policy.c: guest writes to CR0, CR4, CR8 and XCR0. */
#include "tests/unit/check.h"
#include "hv/policy/cr_policy.h"

/* Typical values: FIXED0 = PE | NE | PG; FIXED1: the architectural CR0 bits. */
static const struct cr_fixed cr0_fx = {0x80000021ULL, 0xe005003fULL};
/* CR4: VMXE fixed to 1; the CPU has bits 0-13, 16-18, 20-22 (no LA57 at bit 12 here). */
static const struct cr_fixed cr4_fx = {CR4_VMXE, 0x00772fffULL & ~CR4_LA57};
#define CR4_FORBIDDEN ((~cr4_fx.fixed1 & 0xffffffffULL) | CR4_SMXE)

static struct cr_state flat32(void)
{
	return (struct cr_state){.cr0 = CR0_PE | CR0_ET};
}

TEST(cr0_plain_write)
{
	struct cr_state s = flat32();
	struct cr0_update u;

	CHECK(cr0_write(&s, &cr0_fx, CR0_PE | CR0_ET | CR0_NE | CR0_WP, &u));
	CHECK_EQ(u.shadow, CR0_PE | CR0_ET | CR0_NE | CR0_WP);
	CHECK_EQ(u.real, CR0_PE | CR0_ET | CR0_NE | CR0_WP);
	CHECK_EQ(u.efer, 0);
	CHECK(!u.ia32e_mode);
	/* NE is forced on in the real register, the guest reads back what it wrote. */
	CHECK(cr0_write(&s, &cr0_fx, CR0_ET, &u));
	CHECK_EQ(u.shadow, CR0_ET);
	CHECK_EQ(u.real, CR0_ET | CR0_NE); /* PE and PG are the guest's (unrestricted guest) */
}

TEST(cr0_faults)
{
	struct cr_state s = flat32();
	struct cr0_update u;

	CHECK(!cr0_write(&s, &cr0_fx, BIT(32) | CR0_PE, &u));
	CHECK(!cr0_write(&s, &cr0_fx, ~0ULL, &u));
	CHECK(!cr0_write(&s, &cr0_fx, CR0_PG, &u));	     /* PG without PE */
	CHECK(!cr0_write(&s, &cr0_fx, CR0_PE | CR0_NW, &u)); /* NW without CD */
	CHECK(cr0_write(&s, &cr0_fx, CR0_PE | CR0_NW | CR0_CD, &u));
	CHECK(cr0_write(&s, &cr0_fx, CR0_PE | CR0_CD, &u));
	/* Paging with LME but no PAE. */
	s.efer = EFER_LME;
	CHECK(!cr0_write(&s, &cr0_fx, CR0_PE | CR0_PG, &u));
	/* Paging off in 64-bit mode, or with PCIDE. */
	s = (struct cr_state){.cr0 = CR0_PE | CR0_PG,
			      .cr4 = CR4_PAE,
			      .efer = EFER_LME | EFER_LMA,
			      .in_64bit_mode = true};
	CHECK(!cr0_write(&s, &cr0_fx, CR0_PE, &u));
	s.in_64bit_mode = false; /* compatibility mode may leave long mode... */
	s.cr4 |= CR4_PCIDE;	 /* ...but not with PCIDE on */
	CHECK(!cr0_write(&s, &cr0_fx, CR0_PE, &u));
}

TEST(cr0_reserved_low_bits_dropped)
{
	struct cr_state s = flat32();
	struct cr0_update u;

	CHECK(cr0_write(&s, &cr0_fx, CR0_PE | BIT(6) | BIT(28), &u));
	CHECK_EQ(u.shadow, CR0_PE);
	CHECK_EQ(u.real, CR0_PE | CR0_NE);
}

TEST(cr0_long_mode_switch)
{
	struct cr_state s = {.cr0 = CR0_PE | CR0_ET, .cr4 = CR4_PAE, .efer = EFER_LME | EFER_SCE};
	struct cr0_update u;

	CHECK(cr0_write(&s, &cr0_fx, CR0_PE | CR0_ET | CR0_PG | CR0_NE, &u));
	CHECK_EQ(u.efer, EFER_LME | EFER_SCE | EFER_LMA);
	CHECK(u.ia32e_mode);
	CHECK_EQ(u.real, CR0_PE | CR0_ET | CR0_PG | CR0_NE);
	/* Leaving from compatibility mode clears LMA. */
	s = (struct cr_state){.cr0 = CR0_PE | CR0_PG, .cr4 = CR4_PAE, .efer = EFER_LME | EFER_LMA};
	CHECK(cr0_write(&s, &cr0_fx, CR0_PE, &u));
	CHECK_EQ(u.efer, EFER_LME);
	CHECK(!u.ia32e_mode);
	/* Without LME, paging on is 32-bit paging: EFER untouched. */
	s = (struct cr_state){.cr0 = CR0_PE, .cr4 = CR4_PAE};
	CHECK(cr0_write(&s, &cr0_fx, CR0_PE | CR0_PG, &u));
	CHECK_EQ(u.efer, 0);
	CHECK(!u.ia32e_mode);
	/* A write in long mode that keeps PG keeps LMA. */
	s = (struct cr_state){.cr0 = CR0_PE | CR0_PG,
			      .cr4 = CR4_PAE,
			      .efer = EFER_LME | EFER_LMA,
			      .in_64bit_mode = true};
	CHECK(cr0_write(&s, &cr0_fx, CR0_PE | CR0_PG | CR0_WP | CR0_NE, &u));
	CHECK_EQ(u.efer, EFER_LME | EFER_LMA);
	CHECK(u.ia32e_mode);
}

TEST(lmsw_and_view)
{
	CHECK_EQ(cr0_lmsw(CR0_ET, 0xffff), CR0_ET | CR0_PE | CR0_MP | CR0_EM | CR0_TS);
	CHECK_EQ(cr0_lmsw(CR0_PE | CR0_TS | CR0_PG, 0), CR0_PE | CR0_PG); /* PE stays */
	CHECK_EQ(cr0_lmsw(CR0_PE | CR0_NE, CR0_MP), CR0_PE | CR0_NE | CR0_MP);
	CHECK_EQ(cr_guest_view(0xf0, 0x0f, 0x3c), 0xcc);
}

TEST(cr4_writes)
{
	struct cr_state s = flat32();
	struct cr4_update u;

	CHECK(cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_PAE | CR4_PSE | CR4_OSFXSR, &u));
	CHECK_EQ(u.shadow, CR4_PAE | CR4_PSE | CR4_OSFXSR);
	CHECK_EQ(u.real, CR4_PAE | CR4_PSE | CR4_OSFXSR | CR4_VMXE);
	CHECK(u.flush_tlb);
	s.cr4 = CR4_PAE | CR4_PSE;
	CHECK(cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_PAE | CR4_PSE | CR4_OSXSAVE, &u));
	CHECK(!u.flush_tlb);
	CHECK(cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_PAE | CR4_PSE | CR4_PGE, &u));
	CHECK(u.flush_tlb);
}

TEST(cr4_faults)
{
	struct cr_state s = flat32();
	struct cr4_update u;

	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_VMXE, &u));
	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_SMXE, &u));
	CHECK(!cr4_write(&s, &cr4_fx, 0, CR4_VMXE, &u));	     /* even if the caller forgot */
	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_LA57, &u)); /* not on this CPU */
	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, BIT(32), &u));
	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, BIT(19), &u));
	/* PCIDE only in IA-32e mode, with CR3[11:0] = 0. */
	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_PAE | CR4_PCIDE, &u));
	s = (struct cr_state){.cr0 = CR0_PE | CR0_PG,
			      .cr3 = 0x1000 | 0x18,
			      .cr4 = CR4_PAE,
			      .efer = EFER_LME | EFER_LMA,
			      .in_64bit_mode = true};
	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_PAE | CR4_PCIDE, &u));
	s.cr3 = 0x1000;
	CHECK(cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, CR4_PAE | CR4_PCIDE, &u));
	CHECK(u.flush_tlb);
	/* PAE cannot be cleared in IA-32e mode. */
	CHECK(!cr4_write(&s, &cr4_fx, CR4_FORBIDDEN, 0, &u));
	/* LA57 cannot change in IA-32e mode, even where the CPU has it. */
	CHECK(!cr4_write(&s, &cr4_fx, CR4_SMXE, CR4_PAE | CR4_LA57, &u));
}

TEST(pdptes)
{
	uint64_t p[4] = {0x1001, 0x2001, 0, 0xfffff000 | 0x19 /* PWT, PCD */};

	CHECK(cr_pdptes_valid(p, 39));
	p[2] = 0x6; /* not present: reserved bits do not matter */
	CHECK(cr_pdptes_valid(p, 39));
	p[1] = 0x2001 | 0x2; /* bit 1 reserved */
	CHECK(!cr_pdptes_valid(p, 39));
	p[1] = 0x2001 | 0x20; /* bit 5 reserved */
	CHECK(!cr_pdptes_valid(p, 39));
	p[1] = 0x2001 | BIT(39); /* beyond the physical-address width */
	CHECK(!cr_pdptes_valid(p, 39));
	CHECK(cr_pdptes_valid(p, 40));
	p[1] = 0x2001 | BIT(63);
	CHECK(!cr_pdptes_valid(p, 0)); /* a nonsense width is taken as 52 */
	CHECK(cr_pae_paging(CR0_PE | CR0_PG, CR4_PAE, 0));
	CHECK(!cr_pae_paging(CR0_PE | CR0_PG, CR4_PAE, EFER_LMA | EFER_LME));
	CHECK(!cr_pae_paging(CR0_PE, CR4_PAE, 0));
	CHECK(!cr_pae_paging(CR0_PE | CR0_PG, 0, 0));
}

TEST(xcr0)
{
	const uint64_t all = 0x602e7; /* x87 SSE AVX opmask ZMM_Hi256 Hi16_ZMM PKRU TILECFG/DATA */

	CHECK(xcr0_valid(XCR0_X87, all));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX, all));
	CHECK(xcr0_valid(all, all));
	CHECK(!xcr0_valid(0, all));		      /* x87 must stay */
	CHECK(!xcr0_valid(XCR0_SSE | XCR0_AVX, all)); /* ...still */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_AVX, all)); /* AVX without SSE */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_BNDREGS | XCR0_BNDCSR, all)); /* no MPX */
	CHECK(xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_BNDREGS | XCR0_BNDCSR, all | 0x18));
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_BNDREGS, all | 0x18)); /* MPX halves */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_BNDCSR, all | 0x18));
	/* AVX-512: all three or none, and AVX with them. */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_OPMASK, all));
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_OPMASK | XCR0_ZMM_HI256, all));
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | 0xe0, all));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX | 0xe0, all));
	/* AMX halves. */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_TILECFG, all));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_TILECFG | XCR0_TILEDATA, all));
	/* Components the host does not support, including high bits. */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX, XCR0_X87 | XCR0_SSE));
	CHECK(!xcr0_valid(XCR0_X87 | BIT(62), all));
	CHECK(!xcr0_valid(~0ULL, all));
	CHECK(!xcr0_valid(XCR0_X87 | BIT(8), all)); /* PT is not an XCR0 bit */
}

int main(void)
{
	CHECK_MAIN("cr_policy");
	RUN(cr0_plain_write);
	RUN(cr0_faults);
	RUN(cr0_reserved_low_bits_dropped);
	RUN(cr0_long_mode_switch);
	RUN(lmsw_and_view);
	RUN(cr4_writes);
	RUN(cr4_faults);
	RUN(pdptes);
	RUN(xcr0);
	return CHECK_END();
}
