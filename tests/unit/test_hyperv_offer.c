/* hv/policy/hyperv_offer.c: the Hyper-V CPUID leaves a partition is offered. */
#include "tests/unit/check.h"
#include "hv/policy/hyperv_offer.h"

static struct cpuid_regs leaf(const struct hv_cpuid *c, uint32_t l)
{
	struct cpuid_regs r = {0xdead, 0xdead, 0xdead, 0xdead};

	hv_cpuid_get(c, l, &r);
	return r;
}

TEST(identification)
{
	struct hv_offer o = {.nr_vps = 3};
	struct hv_cpuid c;
	struct cpuid_regs r;
	char vendor[13] = {0};

	hv_cpuid_build(&o, &c);
	r = leaf(&c, 0x40000000);
	CHECK_EQ(r.eax, 0x40000006);
	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.ecx, 4);
	memcpy(vendor + 8, &r.edx, 4);
	CHECK_STR(vendor, "Microsoft Hv");
	r = leaf(&c, 0x40000001);
	CHECK_EQ(r.eax, 0x31237648); /* "Hv#1" */
	CHECK_EQ(r.ebx | r.ecx | r.edx, 0);
	CHECK_EQ(leaf(&c, 0x40000005).eax, 3);
	CHECK_EQ(leaf(&c, 0x40000005).ebx, 3);
}

/* Exactly what is implemented: a new bit must be added here on purpose. */
TEST(only_what_is_implemented)
{
	struct hv_offer o = {.nr_vps = 2};
	struct hv_cpuid c;

	hv_cpuid_build(&o, &c);
	CHECK_EQ(leaf(&c, 0x40000003).eax,
		 (1u << 0) | (1u << 1) | (1u << 5) | (1u << 6) | (1u << 9) | (1u << 11));
	CHECK_EQ(leaf(&c, 0x40000003).ebx, 0);
	CHECK_EQ(leaf(&c, 0x40000003).edx, 1u << 8);
	CHECK_EQ(leaf(&c, 0x40000004).eax, (1u << 2) | (1u << 5) | (1u << 10) | (1u << 11));
	CHECK_EQ(leaf(&c, 0x40000004).ebx, 0xffffffffu);
	o.xmm_input = o.ext_gva_ranges = true;
	hv_cpuid_build(&o, &c);
	CHECK_EQ(leaf(&c, 0x40000003).edx, (1u << 4) | (1u << 8) | (1u << 14));
}

TEST(range)
{
	struct hv_offer o = {.nr_vps = 1};
	struct hv_cpuid c;
	struct cpuid_regs r = {1, 2, 3, 4};

	hv_cpuid_build(&o, &c);
	CHECK(!hv_cpuid_get(&c, 0x3fffffff, &r));
	CHECK(!hv_cpuid_get(&c, 0x40000007, &r));
	CHECK(!hv_cpuid_get(&c, 0x40000100, &r));
	CHECK_EQ(r.eax, 1);
	CHECK(hv_cpuid_get(&c, 0x40000006, &r));
	CHECK_EQ(r.eax, (1u << 1) | (1u << 3));
}

int main(void)
{
	CHECK_MAIN("hyperv_offer");
	RUN(identification);
	RUN(only_what_is_implemented);
	RUN(range);
	return CHECK_END();
}
