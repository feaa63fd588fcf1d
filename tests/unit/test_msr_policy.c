/* hv/policy/msr_policy.c: the MSR bitmap and the emulated MSRs. */
#include "tests/unit/check.h"
#include "hv/policy/msr_policy.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

static uint8_t bitmap[MSR_BITMAP_SIZE];

/* The raw bit, computed independently of msr_bitmap_exits(). */
static bool raw_bit(unsigned base, uint32_t index)
{
	return bitmap[base + index / 8] & (1u << (index % 8));
}

TEST(layout_raw_bits)
{
	memset(bitmap, 0, sizeof(bitmap));
	msr_bitmap_init(bitmap);
	/* LSTAR 0xc0000082: high range, read at 1024, write at 3072. */
	CHECK(!raw_bit(1024, 0x82));
	CHECK(!raw_bit(3072, 0x82));
	/* TSC 0x10: low range, read passes, write exits. */
	CHECK(!raw_bit(0, 0x10));
	CHECK(raw_bit(2048, 0x10));
	/* EFER 0xc0000080: both exit. */
	CHECK(raw_bit(1024, 0x80));
	CHECK(raw_bit(3072, 0x80));
	/* Neighbours of pass-through MSRs still exit. */
	CHECK(raw_bit(0, 0x11));
	CHECK(raw_bit(1024, 0x85));
	CHECK(raw_bit(1024, 0x104));
}

TEST(pass_through_both_ways)
{
	static const uint32_t msrs[] = {
	    MSR_IA32_FS_BASE,	  MSR_IA32_GS_BASE,	 MSR_IA32_KERNEL_GS_BASE, MSR_IA32_STAR,
	    MSR_IA32_LSTAR,	  MSR_IA32_CSTAR,	 MSR_IA32_FMASK,	  MSR_IA32_TSC_AUX,
	    MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,	  MSR_IA32_PAT,
	    MSR_IA32_SPEC_CTRL,
	};

	msr_bitmap_init(bitmap);
	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		CHECK(!msr_bitmap_exits(bitmap, msrs[i], false));
		CHECK(!msr_bitmap_exits(bitmap, msrs[i], true));
	}
}

TEST(pass_through_one_way)
{
	msr_bitmap_init(bitmap);
	CHECK(msr_bitmap_exits(bitmap, MSR_IA32_PRED_CMD, false));
	CHECK(!msr_bitmap_exits(bitmap, MSR_IA32_PRED_CMD, true));
	CHECK(!msr_bitmap_exits(bitmap, MSR_IA32_ARCH_CAPABILITIES, false));
	CHECK(msr_bitmap_exits(bitmap, MSR_IA32_ARCH_CAPABILITIES, true));
	CHECK(!msr_bitmap_exits(bitmap, MSR_IA32_TSC, false));
	CHECK(msr_bitmap_exits(bitmap, MSR_IA32_TSC, true));
}

TEST(emulated_and_forbidden_exit)
{
	static const uint32_t msrs[] = {
	    MSR_IA32_EFER,
	    MSR_IA32_APIC_BASE,
	    MSR_IA32_MISC_ENABLE,
	    MSR_IA32_MTRRCAP,
	    MSR_IA32_MTRR_DEF_TYPE,
	    MSR_IA32_PLATFORM_ID,
	    MSR_IA32_BIOS_SIGN_ID,
	    MSR_IA32_FEATURE_CONTROL,
	    MSR_IA32_DEBUGCTL,
	    MSR_IA32_TSC_DEADLINE,
	    0,
	    0x1fff,
	    0xc0000000,
	    0xc0001fff,
	};

	msr_bitmap_init(bitmap);
	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		CHECK(msr_bitmap_exits(bitmap, msrs[i], false));
		CHECK(msr_bitmap_exits(bitmap, msrs[i], true));
	}
	/* VMX capability MSRs and machine-check MSRs never reach the hardware. */
	for (uint32_t m = MSR_IA32_VMX_BASIC; m <= MSR_IA32_VMX_PROCBASED_CTLS3; m++) {
		CHECK(msr_bitmap_exits(bitmap, m, false));
		CHECK(msr_bitmap_exits(bitmap, m, true));
	}
	for (uint32_t m = MSR_IA32_MCG_CAP; m <= MSR_IA32_MCG_CTL; m++)
		CHECK(msr_bitmap_exits(bitmap, m, false) && msr_bitmap_exits(bitmap, m, true));
	for (uint32_t m = MSR_IA32_MC0_CTL; m <= MSR_IA32_MC_LAST; m++)
		CHECK(msr_bitmap_exits(bitmap, m, false) && msr_bitmap_exits(bitmap, m, true));
	/* Outside both ranges: always an exit. */
	CHECK(msr_bitmap_exits(bitmap, 0x2000, false));
	CHECK(msr_bitmap_exits(bitmap, 0x40000000, true));
	CHECK(msr_bitmap_exits(bitmap, 0xc0002000, false));
	CHECK(msr_bitmap_exits(bitmap, 0xffffffff, true));
}

TEST(only_listed_msrs_pass)
{
	unsigned clear = 0;

	msr_bitmap_init(bitmap);
	for (unsigned i = 0; i < MSR_BITMAP_SIZE * 8; i++)
		if (!(bitmap[i / 8] & (1u << (i % 8))))
			clear++;
	/* 13 both ways, PRED_CMD write, ARCH_CAPABILITIES read, TSC read. */
	CHECK_EQ(clear, 13 * 2 + 3);
}

static struct msr_state state(uint32_t vcpu_index)
{
	struct msr_state s;

	msr_state_reset(&s, vcpu_index, 1000, true, 0);
	return s;
}

TEST(read_emulated)
{
	struct msr_state s2 = state(2);
	uint64_t v = 0x1234;

	CHECK(msr_emulate_read(MSR_IA32_MISC_ENABLE, &s2, &v));
	CHECK_EQ(v, 0x1801);
	static const uint32_t zero[] = {MSR_IA32_MTRRCAP,     MSR_IA32_MTRR_DEF_TYPE,
					MSR_IA32_PLATFORM_ID, MSR_IA32_BIOS_SIGN_ID,
					MSR_IA32_TSC_ADJUST,  MSR_IA32_XSS};
	for (unsigned i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		v = 1;
		CHECK(msr_emulate_read(zero[i], &s2, &v));
		CHECK_EQ(v, 0);
	}
}

TEST(read_refused)
{
	static const uint32_t msrs[] = {
	    MSR_IA32_VMX_BASIC,
	    MSR_IA32_VMX_PROCBASED_CTLS3,
	    MSR_IA32_MCG_CAP,
	    MSR_IA32_MCG_STATUS,
	    MSR_IA32_MC0_CTL,
	    MSR_IA32_MC_LAST,
	    MSR_IA32_FEATURE_CONTROL,
	    MSR_IA32_TSC_DEADLINE,
	    MSR_IA32_DS_AREA,
	    0x40000000,
	    0xffffffff,
	    MSR_IA32_TSC /* write-only exit */,
	};
	struct msr_state s = state(0);
	uint64_t v;

	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++)
		CHECK(!msr_emulate_read(msrs[i], &s, &v));
	msr_state_reset(&s, 0, 0, false, ~0ULL); /* no XSAVES: no IA32_XSS */
	CHECK(!msr_emulate_read(MSR_IA32_XSS, &s, &v));
	CHECK(!msr_emulate_write(MSR_IA32_XSS, &s, 0, 0));
}

TEST(write_rules)
{
	struct msr_state s = state(0);

	/* Ignored writes. */
	CHECK(msr_emulate_write(MSR_IA32_MTRR_DEF_TYPE, &s, 0xc06, 0));
	CHECK(msr_emulate_write(MSR_IA32_BIOS_SIGN_ID, &s, 0, 0));
	/* Refused writes: read-only MSRs and the ones Tessera does not offer. */
	static const uint32_t refused[] = {
	    MSR_IA32_MTRRCAP,	MSR_IA32_PLATFORM_ID, MSR_IA32_FEATURE_CONTROL,
	    MSR_IA32_VMX_BASIC, MSR_IA32_MCG_STATUS,  MSR_IA32_MC0_CTL + 1,
	    MSR_IA32_DS_AREA,	MSR_IA32_EFER, /* EFER has its own rule */
	};
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		CHECK(!msr_emulate_write(refused[i], &s, 0, 0));
	CHECK(!msr_emulate_write(MSR_IA32_MTRRCAP, &s, ~0ULL, 0));
}

TEST(misc_enable_rules)
{
	struct msr_state s = state(0);
	uint64_t v;

	/* Software-writable bits stick, per vCPU. */
	CHECK(msr_emulate_write(MSR_IA32_MISC_ENABLE, &s, 0x1800, 0));
	CHECK(msr_emulate_read(MSR_IA32_MISC_ENABLE, &s, &v));
	CHECK_EQ(v, 0x1800);
	CHECK(msr_emulate_write(MSR_IA32_MISC_ENABLE, &s, 0x1801 | BIT(3) | BIT(16) | BIT(23), 0));
	CHECK(msr_emulate_read(MSR_IA32_MISC_ENABLE, &s, &v));
	CHECK_EQ(v, 0x1801 | BIT(3) | BIT(16) | BIT(23));
	CHECK_EQ(state(0).misc_enable, 0x1801); /* a reset puts it back */
	/* What kvm-unit-tests' msr test writes, its read-only bits kept as read. */
	CHECK(msr_emulate_write(MSR_IA32_MISC_ENABLE, &s, 0x400c51809, 0));
	CHECK(msr_emulate_read(MSR_IA32_MISC_ENABLE, &s, &v));
	CHECK_EQ(v, 0x400c51809);
	/* Read-only bits must be written as read; reserved bits #GP. */
	s = state(0);
	static const uint64_t bad[] = {
	    0x1801 | BIT(7),  0x801,
	    0x1001,	      0x1801 | BIT(1),
	    0x1801 | BIT(17), 0x1801 | BIT(24),
	    0x1801 | BIT(33), 0x1801 | BIT(35),
	    0x1801 | BIT(63), 0,
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!msr_emulate_write(MSR_IA32_MISC_ENABLE, &s, bad[i], 0));
	CHECK_EQ(s.misc_enable, 0x1801);
}

TEST(tsc_and_tsc_adjust)
{
	struct msr_state s = state(0); /* reset at host TSC 1000: the guest's TSC is 0 there */
	uint64_t v;

	CHECK_EQ(s.tsc_offset, (uint64_t)-1000);
	CHECK_EQ(s.tsc_adjust, 0);
	/* Writing the TSC moves TSC_ADJUST by the same delta. */
	CHECK(msr_emulate_write(MSR_IA32_TSC, &s, 5000, 2000)); /* guest TSC was 1000 */
	CHECK_EQ(2000 + s.tsc_offset, 5000);
	CHECK(msr_emulate_read(MSR_IA32_TSC_ADJUST, &s, &v));
	CHECK_EQ(v, 4000);
	/* Writing TSC_ADJUST moves the TSC by its delta. */
	CHECK(msr_emulate_write(MSR_IA32_TSC_ADJUST, &s, 3000, 0));
	CHECK_EQ(2000 + s.tsc_offset, 4000);
	CHECK_EQ(s.tsc_adjust, 3000);
	/* Backwards and wrapping values are the guest's to choose. */
	CHECK(msr_emulate_write(MSR_IA32_TSC, &s, 0, 9000));
	CHECK_EQ(9000 + s.tsc_offset, 0);
	CHECK_EQ(s.tsc_adjust, (uint64_t)(3000 - 11000));
	CHECK(msr_emulate_write(MSR_IA32_TSC_ADJUST, &s, ~0ULL, 0));
	CHECK_EQ(9000 + s.tsc_offset, (uint64_t)(-1 - (3000 - 11000)));
}

TEST(xss_rules)
{
	struct msr_state s;
	uint64_t v;

	CHECK_EQ(msr_xss_allowed(~0ULL), MSR_XSS_TESSERA);
	msr_state_reset(&s, 0, 0, true, BIT(11) | BIT(12));
	CHECK(msr_emulate_write(MSR_IA32_XSS, &s, BIT(12), 0));
	CHECK(msr_emulate_read(MSR_IA32_XSS, &s, &v));
	CHECK_EQ(v, BIT(12));
	CHECK(!msr_emulate_write(MSR_IA32_XSS, &s, BIT(8), 0)); /* not allowed */
	CHECK(!msr_emulate_write(MSR_IA32_XSS, &s, BIT(0), 0)); /* a user state */
	CHECK_EQ(s.xss, BIT(12));
	msr_state_reset(&s, 0, 0, true, msr_xss_allowed(BIT(8) | BIT(11) | BIT(12)));
	CHECK(msr_emulate_write(MSR_IA32_XSS, &s, 0, 0));
	CHECK(!msr_emulate_write(MSR_IA32_XSS, &s, BIT(11), 0)); /* CET is hidden */
}

TEST(efer_rules)
{
	uint64_t out = 0xdead;

	/* Long mode set-up before paging: SCE, LME, NXE are writable. */
	CHECK(msr_efer_write(0, CR0_PE, EFER_SCE | EFER_LME | EFER_NXE, &out));
	CHECK_EQ(out, EFER_SCE | EFER_LME | EFER_NXE);
	/* LMA is the CPU's: a write setting or clearing it is ignored. */
	CHECK(msr_efer_write(0, CR0_PE, EFER_LME | EFER_LMA, &out));
	CHECK_EQ(out, EFER_LME);
	CHECK(msr_efer_write(EFER_LME | EFER_LMA, CR0_PE | CR0_PG, EFER_LME | EFER_NXE, &out));
	CHECK_EQ(out, EFER_LME | EFER_LMA | EFER_NXE);
	/* Reserved bits, including LMSLE/FFXSR-like AMD bits and bit 63. */
	CHECK(!msr_efer_write(0, 0, BIT(1), &out));
	CHECK(!msr_efer_write(0, 0, BIT(12), &out));
	CHECK(!msr_efer_write(0, 0, BIT(14), &out));
	CHECK(!msr_efer_write(0, 0, BIT(63), &out));
	CHECK(!msr_efer_write(0, 0, ~0ULL, &out));
	/* LME cannot change while paging is on. */
	CHECK(!msr_efer_write(0, CR0_PE | CR0_PG, EFER_LME, &out));
	CHECK(!msr_efer_write(EFER_LME | EFER_LMA, CR0_PE | CR0_PG, EFER_LMA, &out));
	CHECK(msr_efer_write(EFER_LME | EFER_LMA, CR0_PE | CR0_PG, EFER_LME | EFER_LMA | EFER_SCE,
			     &out));
	CHECK_EQ(out, EFER_LME | EFER_LMA | EFER_SCE);
}

/* ---- docs/hypercalls.md lists every MSR the policy handles ------------------- */

static char doc[32768];

/* The "## MSRs" section of docs/hypercalls.md (tests run from the repository root). */
static bool read_msr_doc(void)
{
	FILE *f = fopen("docs/hypercalls.md", "r");
	size_t n = f ? fread(doc, 1, sizeof(doc) - 1, f) : 0;
	char *start, *end;

	if (f)
		fclose(f);
	doc[n] = '\0';
	start = strstr(doc, "## MSRs\n");
	if (!start)
		return false;
	end = strstr(start + 1, "\n## ");
	if (end)
		*end = '\0';
	memmove(doc, start, strlen(start) + 1);
	return true;
}

/* Whether the section names msr as 0xN or inside a range 0xA-0xB (0xc0000081-84: the tail). */
static bool doc_names(uint32_t msr)
{
	for (const char *p = strstr(doc, "0x"); p; p = strstr(p + 2, "0x")) {
		char *e;
		unsigned long lo = strtoul(p + 2, &e, 16), hi = lo;

		if (*e == '-') {
			const char *q = e + 1 + (e[1] == '0' && e[2] == 'x' ? 2 : 0);
			char *e2;
			unsigned long tail = strtoul(q, &e2, 16);
			int digits = (int)(e2 - q), shift = 4 * digits;

			hi = q == e + 1 && shift < 32 ? (lo >> shift << shift) | tail : tail;
		}
		if (msr >= lo && msr <= hi)
			return true;
	}
	return false;
}

static bool policy_handles(const uint8_t *bm, uint32_t msr)
{
	struct msr_state s;
	uint64_t v;

	msr_state_reset(&s, 0, 0, true, 0);
	return !msr_bitmap_exits(bm, msr, false) || !msr_bitmap_exits(bm, msr, true) ||
	       msr_emulate_read(msr, &s, &v) || msr_emulate_write(msr, &s, 0, 0) ||
	       msr == MSR_IA32_EFER;
}

TEST(doc_lists_every_handled_msr)
{
	static const uint32_t first[] = {0, MSR_BITMAP_HIGH_FIRST};
	unsigned handled = 0;

	CHECK(read_msr_doc());
	msr_bitmap_init(bitmap);
	for (unsigned r = 0; r < 2; r++)
		for (uint32_t msr = first[r]; msr <= first[r] + MSR_BITMAP_LOW_LAST; msr++) {
			if (!policy_handles(bitmap, msr))
				continue;
			handled++;
			if (!doc_names(msr))
				printf("  MSR %#x is handled but not in docs/hypercalls.md\n", msr);
			CHECK(doc_names(msr));
		}
	/* The pass-through list, the emulated MSRs and EFER; IA32_APIC_BASE, TSC_DEADLINE
	 * and the x2APIC range are the vLAPIC's (hv/vlapic/vapic_msr.c). */
	CHECK_EQ(handled, 16 + 8);
	/* The parser itself: ranges with a short tail, and MSRs the table does not name. */
	CHECK(doc_names(0xc0000083) && doc_names(0xc0000101) && doc_names(0x175));
	CHECK(!doc_names(0x3c) && !doc_names(0x1a1) && !doc_names(0xc0000104));
}

/* x2APIC mode: only what APICv virtualizes is left to it; never the host's x2APIC. */
TEST(x2apic_bitmap_passes_only_virtualized_registers)
{
	static uint8_t x2[MSR_BITMAP_SIZE];
	static const uint32_t passes_read[] = {0x802, 0x803, 0x808, 0x80a, 0x80d, 0x80f, 0x810,
					       0x827, 0x828, 0x830, 0x832, 0x838, 0x83e};
	static const uint32_t exits_read[] = {0x800, 0x809, 0x80b, 0x80c, 0x80e, 0x829,
					      0x82f, 0x831, 0x839, 0x83f, 0x840, 0x8ff};

	msr_bitmap_init(bitmap);
	msr_bitmap_x2apic_init(x2, bitmap);
	for (uint32_t m = 0x800; m <= 0x8ff; m++)
		CHECK(msr_bitmap_exits(bitmap, m, false) && msr_bitmap_exits(bitmap, m, true));
	for (size_t i = 0; i < sizeof(passes_read) / sizeof(passes_read[0]); i++)
		CHECK(!msr_bitmap_exits(x2, passes_read[i], false));
	for (size_t i = 0; i < sizeof(exits_read) / sizeof(exits_read[0]); i++)
		CHECK(msr_bitmap_exits(x2, exits_read[i], false));
	CHECK(!msr_bitmap_exits(x2, 0x808, true) && !msr_bitmap_exits(x2, 0x80b, true) &&
	      !msr_bitmap_exits(x2, 0x83f, true));
	CHECK(msr_bitmap_exits(x2, 0x830, true) && msr_bitmap_exits(x2, 0x838, true));
	CHECK(!msr_bitmap_exits(x2, MSR_IA32_FS_BASE, false)); /* the rest as in xAPIC mode */
}

/* lapic = passthrough: the CPU's x2APIC but for ID, LDR and ICR; TSC_DEADLINE too. */
TEST(lapic_pt_bitmap_keeps_id_ldr_icr)
{
	static uint8_t pt[MSR_BITMAP_SIZE];
	static const uint32_t exit_both[] = {0x802, 0x80d, 0x830};

	msr_bitmap_init(bitmap);
	msr_bitmap_lapic_pt_init(pt, bitmap);
	for (uint32_t m = 0x800; m <= 0x8ff; m++) {
		bool kept = m == 0x802 || m == 0x80d || m == 0x830;

		CHECK_EQ(msr_bitmap_exits(pt, m, false), kept);
		CHECK_EQ(msr_bitmap_exits(pt, m, true), kept);
	}
	for (size_t i = 0; i < sizeof(exit_both) / sizeof(exit_both[0]); i++)
		CHECK(msr_bitmap_exits(pt, exit_both[i], true));
	CHECK(!msr_bitmap_exits(pt, MSR_IA32_TSC_DEADLINE, false) &&
	      !msr_bitmap_exits(pt, MSR_IA32_TSC_DEADLINE, true));
	CHECK(msr_bitmap_exits(pt, MSR_IA32_APIC_BASE, false) &&
	      msr_bitmap_exits(pt, MSR_IA32_APIC_BASE, true));
	CHECK(msr_bitmap_exits(pt, MSR_IA32_TSC, true));       /* the TSC stays the host's */
	CHECK(!msr_bitmap_exits(pt, MSR_IA32_FS_BASE, false)); /* the rest as in xAPIC mode */
}

int main(void)
{
	CHECK_MAIN("msr_policy");
	RUN(layout_raw_bits);
	RUN(pass_through_both_ways);
	RUN(pass_through_one_way);
	RUN(emulated_and_forbidden_exit);
	RUN(only_listed_msrs_pass);
	RUN(read_emulated);
	RUN(read_refused);
	RUN(write_rules);
	RUN(misc_enable_rules);
	RUN(tsc_and_tsc_adjust);
	RUN(xss_rules);
	RUN(efer_rules);
	RUN(doc_lists_every_handled_msr);
	RUN(x2apic_bitmap_passes_only_virtualized_registers);
	RUN(lapic_pt_bitmap_keeps_id_ldr_icr);
	return CHECK_END();
}
