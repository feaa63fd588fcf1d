/* hv/policy/memprot_check.c and the SPP calls' register checks in hypercall_check.h. */
#include "tests/unit/check.h"
#include "hv/policy/memprot_check.h"
#include "hv/policy/hypercall_check.h"
#include "arch/x86/exception.h"
#include "arch/x86/vmx/vmx_exit.h"

TEST(alias_bit)
{
	CHECK_EQ(xom_alias_bit(40), 39); /* Bochs */
	CHECK_EQ(xom_alias_bit(46), 45);
	CHECK_EQ(xom_alias_bit(52), 47); /* a 4-level EPT ends at 2^48 */
	CHECK_EQ(xom_alias_bit(48), 47);
	CHECK_EQ(xom_alias_bit(13), 12);
	CHECK_EQ(xom_alias_bit(12), 0);
	CHECK_EQ(xom_alias_bit(0), 0);
}

/* The #PF the XOM design gives: P=1, W per the access, U per CPL, I/D for fetches, RSVD=0. */
TEST(pf_error_code)
{
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_READ | EPT_VIOL_EXECUTABLE | EPT_VIOL_GLA_VALID, 0),
		 PF_ERR_P);
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_WRITE | EPT_VIOL_EXECUTABLE, 0), PF_ERR_P | PF_ERR_W);
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_READ | EPT_VIOL_WRITE, 0), PF_ERR_P | PF_ERR_W);
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_READ, 3), PF_ERR_P | PF_ERR_U);
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_WRITE, 3), PF_ERR_P | PF_ERR_W | PF_ERR_U);
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_FETCH, 0), PF_ERR_P | PF_ERR_I);
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_FETCH, 3), PF_ERR_P | PF_ERR_I | PF_ERR_U);
	CHECK_EQ(xom_pf_error_code(~0ULL, 0) & PF_ERR_RSVD, 0);
	CHECK_EQ(xom_pf_error_code(EPT_VIOL_READ, 1), PF_ERR_P); /* CPL 1 and 2 are supervisor */
}

static const struct guest_region ram[] = {
    {0, 0xa0000, 0x1000000, CONFIG_MEM_RAM},
    {0xa0000, 0x60000, 0, CONFIG_MEM_RESERVED},
    {0x100000, 0xf00000, 0x1100000, CONFIG_MEM_RAM},
};

TEST(regions_fit)
{
	CHECK(xom_regions_fit(ram, 3, 39));
	CHECK(xom_regions_fit(ram, 3, 24)); /* RAM ends exactly at 16 MiB = 2^24 */
	CHECK(!xom_regions_fit(ram, 3, 23));
	CHECK(!xom_regions_fit(ram, 3, 11));
	CHECK(!xom_regions_fit(ram, 3, 64));
	struct guest_region far = {(1ULL << 39) - 4096, 8192, 0, CONFIG_MEM_RAM};
	CHECK(!xom_regions_fit(&far, 1, 39));
	struct guest_region wrap = {0x1000, ~0ULL, 0, CONFIG_MEM_RAM};
	CHECK(!xom_regions_fit(&wrap, 1, 39));
}

TEST(page_checks)
{
	const uint64_t shared[] = {0x5000, 0x200000};
	struct spp_env env = {ram, 3, ~(1ULL << 39), shared, 2, true};
	uint64_t page = 0;

	CHECK_EQ(spp_check_page(&env, 0x4000, true, &page), 0);
	CHECK_EQ(page, 0x4000);
	CHECK_EQ(spp_check_page(&env, (1ULL << 39) | 0x4000, true, &page), 0); /* the alias */
	CHECK_EQ(page, 0x4000);
	CHECK_EQ(spp_check_page(&env, 0xa0000, true, &page), TESSERA_E_FAULT);	 /* reserved */
	CHECK_EQ(spp_check_page(&env, 0x1000000, true, &page), TESSERA_E_FAULT); /* past RAM */
	CHECK_EQ(spp_check_page(&env, ~0xfffULL, true, &page), TESSERA_E_FAULT);
	CHECK_EQ(spp_check_page(&env, 0x5000, true, &page), TESSERA_E_DENIED);
	CHECK_EQ(spp_check_page(&env, 0x200000, true, &page), TESSERA_E_DENIED);
	CHECK_EQ(spp_check_page(&env, 0x5000, false, &page), 0); /* reading is fine */
	env.supported = false;
	CHECK_EQ(spp_check_page(&env, 0x4000, true, &page), TESSERA_E_NOTSUP);
	CHECK_EQ(spp_check_page(&env, 0xa0000, false, &page), TESSERA_E_NOTSUP); /* first */
}

static long check(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct hypercall hc = {nr, {a0, a1, a2, 0}};

	return hypercall_check(&hc, 0);
}

TEST(call_registers)
{
	CHECK_EQ(check(TESSERA_HC_SPP_SET, 0x4000, 0xff, TESSERA_SPP_REPORT_VE), 0);
	CHECK_EQ(check(TESSERA_HC_SPP_SET, 0x4000, TESSERA_SPP_MASK_ALL, TESSERA_SPP_REPORT_INJECT),
		 0);
	CHECK_EQ(check(TESSERA_HC_SPP_SET, 0x4080, 0xff, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SPP_SET, 0x4000, 0x100000000ULL, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SPP_SET, 0x4000, 0, 2), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SPP_SET, 0x4000, 0, ~0ULL), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SPP_GET, 0x4000, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_SPP_GET, 0x4001, 0, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_VE_INFO, 0x7000, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_VE_INFO, TESSERA_VE_INFO_NONE, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_VE_INFO, 0x7008, 0, 0), TESSERA_E_INVAL);
	struct hypercall hc = {TESSERA_HC_SPP_SET, {0x4000, 0, 0, 0}};
	CHECK_EQ(hypercall_check(&hc, 3), TESSERA_E_PERM);
	CHECK_EQ(check(10, 0, 0, 0), TESSERA_E_NOSYS); /* 10-15 stay free (7-9: shmem) */
	CHECK_EQ(check(15, 0, 0, 0), TESSERA_E_NOSYS);
	CHECK_EQ(check(19, 0, 0, 0), TESSERA_E_NOSYS);
}

int main(void)
{
	CHECK_MAIN("memprot_check");
	RUN(alias_bit);
	RUN(pf_error_code);
	RUN(regions_fit);
	RUN(page_checks);
	RUN(call_registers);
	return CHECK_END();
}
