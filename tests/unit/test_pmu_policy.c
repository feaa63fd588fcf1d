/* hv/policy/pmu_policy.c and the PMU parts of msr_policy.c. */
#include "tests/unit/check.h"
#include "hv/policy/pmu_policy.h"
#include "hv/policy/msr_policy.h"
#include "arch/x86/msr.h"

static bool has(const uint32_t *msrs, uint32_t n, uint32_t msr)
{
	for (uint32_t i = 0; i < n; i++)
		if (msrs[i] == msr)
			return true;
	return false;
}

/* Bochs's tigerlake: version 5, 8 counters of 48 bits, 4 fixed; PERF_CAPABILITIES with PEBS bits.
 */
TEST(tigerlake_offer)
{
	struct cpuid_regs a = {0x08300805, 0, 0xf, 0x8604};
	struct pmu_offer o;
	uint32_t msrs[PMU_MSRS_MAX];

	pmu_offer_from(&o, &a, 0x32c5);
	CHECK_EQ(o.version, 5);
	CHECK_EQ(o.nr_gp, 8);
	CHECK_EQ(o.nr_fixed, 4);
	CHECK_EQ(o.perf_caps,
		 0x2005); /* LBR format 5 and full-width writes; no PEBS, no SMM freeze */
	CHECK_EQ(o.lbr_depth, 32);
	uint32_t n = pmu_guest_msrs(&o, msrs, PMU_MSRS_MAX);
	CHECK_EQ(n, 8 * 3 + 4 + 1 + 3 + 2 + 1 + 2 + 32 * 3);
	CHECK(has(msrs, n, MSR_IA32_PMC0 + 7) && !has(msrs, n, MSR_IA32_PMC0 + 8));
	CHECK(has(msrs, n, MSR_IA32_PERFEVTSEL0) && has(msrs, n, MSR_IA32_PERFEVTSEL0 + 7));
	CHECK(has(msrs, n, MSR_IA32_A_PMC0 + 3));
	CHECK(has(msrs, n, MSR_IA32_FIXED_CTR0 + 3) && !has(msrs, n, MSR_IA32_FIXED_CTR0 + 4));
	CHECK(has(msrs, n, MSR_IA32_PERF_GLOBAL_CTRL) && has(msrs, n, MSR_IA32_PERF_GLOBAL_STATUS));
	CHECK(has(msrs, n, MSR_IA32_PERF_GLOBAL_OVF_CTRL) &&
	      has(msrs, n, MSR_IA32_PERF_GLOBAL_INUSE));
	CHECK(has(msrs, n, MSR_IA32_DEBUGCTL) && has(msrs, n, MSR_LBR_SELECT) &&
	      has(msrs, n, MSR_LBR_TOS));
	CHECK(has(msrs, n, MSR_LBR_NHM_FROM + 31) && has(msrs, n, MSR_LBR_NHM_TO + 31));
	CHECK(has(msrs, n, MSR_LBR_INFO_0 + 31) && !has(msrs, n, MSR_LBR_INFO_0 + 32));
	/* Never what the PMU does not own. */
	CHECK(!has(msrs, n, MSR_IA32_PERF_CAPABILITIES) && !has(msrs, n, MSR_IA32_MISC_ENABLE));
	CHECK_EQ(pmu_guest_msrs(&o, msrs, 5), 5); /* bounded by the room given */
}

TEST(smaller_offers)
{
	struct cpuid_regs none = {0, 0, 0, 0}, v1 = {0x08300401, 0, 0, 0x603},
			  big = {0x08302004, 0, 0, 0x60f};
	struct pmu_offer o;
	uint32_t msrs[PMU_MSRS_MAX];

	pmu_offer_from(&o, &none, 0x2005);
	CHECK_EQ(o.version, 0);
	CHECK_EQ(pmu_guest_msrs(&o, msrs, PMU_MSRS_MAX), 0);
	pmu_offer_from(&o, &v1, 0); /* version 1: no fixed counters, no globals, no LBRs */
	CHECK_EQ(o.nr_gp, 4);
	CHECK_EQ(o.nr_fixed, 0);
	CHECK_EQ(o.lbr_depth, 0);
	uint32_t n = pmu_guest_msrs(&o, msrs, PMU_MSRS_MAX);
	CHECK_EQ(n, 9);
	CHECK(!has(msrs, n, MSR_IA32_PERF_GLOBAL_CTRL) && !has(msrs, n, MSR_IA32_A_PMC0));
	pmu_offer_from(&o, &big, 0x4); /* 32 counters claimed: bounded; format 4: 16 LBRs */
	CHECK_EQ(o.nr_gp, PMU_GP_MAX);
	CHECK_EQ(o.nr_fixed, PMU_FIXED_MAX);
	CHECK_EQ(o.lbr_depth, 16);
	n = pmu_guest_msrs(&o, msrs, PMU_MSRS_MAX);
	CHECK(!has(msrs, n, MSR_LBR_INFO_0) && has(msrs, n, MSR_IA32_PERF_GLOBAL_STATUS_SET));
	CHECK(n <= PMU_MSRS_MAX);
}

/* EMON exactly with the PMU; PERF_CAPABILITIES read-only and only then. */
TEST(msr_state)
{
	struct msr_state s;
	uint64_t v = 0;

	msr_state_reset(&s, 0, 0, false, 0);
	CHECK(msr_emulate_read(MSR_IA32_MISC_ENABLE, &s, &v));
	CHECK(!(v & MISC_ENABLE_PMU_AVAILABLE));
	CHECK(!msr_emulate_read(MSR_IA32_PERF_CAPABILITIES, &s, &v));
	msr_state_offer_pmu(&s, 0x2005);
	CHECK(msr_emulate_read(MSR_IA32_MISC_ENABLE, &s, &v));
	CHECK(v & MISC_ENABLE_PMU_AVAILABLE);
	CHECK(v & MISC_ENABLE_PEBS_UNAVAILABLE);
	CHECK(msr_emulate_read(MSR_IA32_PERF_CAPABILITIES, &s, &v));
	CHECK_EQ(v, 0x2005);
	CHECK(!msr_emulate_write(MSR_IA32_PERF_CAPABILITIES, &s, 0x2005, 0));
	/* EMON is read-only: a write must keep it, and clearing it is #GP. */
	CHECK(!msr_emulate_write(MSR_IA32_MISC_ENABLE, &s, MSR_MISC_ENABLE_GUEST, 0));
	CHECK(msr_emulate_write(MSR_IA32_MISC_ENABLE, &s,
				MSR_MISC_ENABLE_GUEST | MISC_ENABLE_PMU_AVAILABLE, 0));
	msr_state_reset(&s, 0, 0, false, 0); /* a restart with pmu = off would forget it */
	CHECK(!s.pmu);
}

TEST(bitmap_pass)
{
	static uint8_t bm[MSR_BITMAP_SIZE];

	msr_bitmap_init(bm);
	CHECK(msr_bitmap_exits(bm, MSR_IA32_PMC0, false) &&
	      msr_bitmap_exits(bm, MSR_IA32_PMC0, true));
	msr_bitmap_pass(bm, MSR_IA32_PMC0);
	msr_bitmap_pass(bm, MSR_LBR_INFO_0 + 31);
	CHECK(!msr_bitmap_exits(bm, MSR_IA32_PMC0, false) &&
	      !msr_bitmap_exits(bm, MSR_IA32_PMC0, true));
	CHECK(!msr_bitmap_exits(bm, MSR_LBR_INFO_0 + 31, true));
	CHECK(msr_bitmap_exits(bm, MSR_IA32_PMC0 + 1, false));
	CHECK(msr_bitmap_exits(bm, MSR_IA32_PERF_CAPABILITIES, false));
	msr_bitmap_pass(bm, 0x40000000); /* outside both ranges: nothing to clear, always exits */
	CHECK(msr_bitmap_exits(bm, 0x40000000, false));
}

int main(void)
{
	CHECK_MAIN("pmu_policy");
	RUN(tigerlake_offer);
	RUN(smaller_offers);
	RUN(msr_state);
	RUN(bitmap_pass);
	return CHECK_END();
}
