/* hv/policy/cpuid_policy.c: what guests see of CPUID. */
#include "tests/unit/check.h"
#include "hv/policy/cpuid_policy.h"
#include "hv/policy/msr_policy.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "guest-abi/tessera.h"

static const struct cpuid_regs all_ones = {~0u, ~0u, ~0u, ~0u};

static struct cpuid_regs filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_guest *g)
{
	struct cpuid_regs r = all_ones;

	cpuid_filter(leaf, subleaf, g, &r);
	return r;
}

TEST(leaf1_hides_and_sets)
{
	struct cpuid_guest g = {.vcpu_index = 3};
	struct cpuid_regs r = filter(1, 0, &g);

	/* VMX SMX MONITOR PDCM; DTES64 DS-CPL (debug store); EIST TM2 */
	const uint32_t ecx_hidden =
	    BIT(5) | BIT(6) | BIT(3) | BIT(15) | BIT(2) | BIT(4) | BIT(7) | BIT(8);
	/* MCE MCA; DS; ACPI TM PBE (thermal and clock control) */
	const uint32_t edx_hidden = BIT(7) | BIT(14) | BIT(21) | BIT(22) | BIT(29) | BIT(31);

	CHECK_EQ(r.ecx & ecx_hidden, 0);
	CHECK_EQ(r.ecx & BIT(31), BIT(31));
	CHECK_EQ(r.ecx & (BIT(21) | BIT(24)), BIT(21) | BIT(24)); /* x2APIC, TSC-deadline */
	CHECK_EQ(r.ecx & BIT(27), 0); /* the guest's CR4.OSXSAVE is clear */
	CHECK_EQ(r.ecx | ecx_hidden | BIT(27), ~0u);
	CHECK_EQ(r.edx, ~0u & ~edx_hidden);
	CHECK_EQ(r.ebx, 0x03ffffffu); /* APIC ID 3 in bits 31:24, the rest untouched */
	CHECK_EQ(r.eax, ~0u);
	/* The guest ABI's published masks are what the filter does. */
	CHECK_EQ(r.ecx & TESSERA_CPUID_1_ECX_CLEARED, 0);
	CHECK_EQ(r.ecx & TESSERA_CPUID_1_ECX_SET, TESSERA_CPUID_1_ECX_SET);
	CHECK_EQ(r.edx & TESSERA_CPUID_1_EDX_CLEARED, 0);
}

TEST(leaf1_osxsave_follows_guest)
{
	struct cpuid_guest g = {.vcpu_index = 0, .osxsave = true};
	struct cpuid_regs r = {0, 0xff000000u, 0, 0};

	cpuid_filter(1, 0, &g, &r);
	CHECK_EQ(r.ecx,
		 BIT(27) | BIT(31) | BIT(21) | BIT(24)); /* set even where the hardware said 0 */
	CHECK_EQ(r.ebx, 0);				 /* vCPU 0 has APIC ID 0 */
}

TEST(leaf1_x2apic_off_and_apic_disabled)
{
	struct cpuid_guest g = {.vcpu_index = 1, .no_x2apic = true};
	struct cpuid_regs r = filter(1, 0, &g);

	CHECK_EQ(r.ecx & BIT(21), 0);	    /* x2APIC hidden */
	CHECK_EQ(r.ecx & BIT(24), BIT(24)); /* TSC-deadline stays */
	CHECK_EQ(r.edx & BIT(9), BIT(9));   /* the APIC is there */
	g = (struct cpuid_guest){.vcpu_index = 1, .apic_disabled = true};
	r = filter(1, 0, &g);
	CHECK_EQ(r.edx & BIT(9), 0); /* IA32_APIC_BASE.EN clear: no APIC in CPUID */
	CHECK_EQ(r.ecx & BIT(21), BIT(21));
}

TEST(zeroed_leaves)
{
	struct cpuid_guest g = {0};
	struct cpuid_regs r;

	r = filter(5, 0, &g);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = filter(0xa, 0, &g);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

TEST(leaf7_invpcid_waitpkg)
{
	struct cpuid_guest g = {0};
	struct cpuid_regs r = filter(7, 0, &g);

	CHECK_EQ(r.ebx, ~0u & ~(uint32_t)BIT(10)); /* TSC_ADJUST (bit 1) stays: emulated */
	CHECK_EQ(r.ecx, ~0u & ~(uint32_t)(BIT(5) | BIT(7))); /* WAITPKG, CET_SS */
	CHECK_EQ(r.eax, ~0u);
	CHECK_EQ(r.edx, ~0u & ~(uint32_t)BIT(20)); /* CET_IBT */
	g.secondary = SECONDARY_EXEC_ENABLE_INVPCID;
	r = filter(7, 0, &g);
	CHECK_EQ(r.ebx, ~0u);
	CHECK_EQ(r.ecx, ~0u & ~(uint32_t)(BIT(5) | BIT(7))); /* WAITPKG and CET stay hidden */
	/* Other subleaves are left alone. */
	g.secondary = 0;
	r = filter(7, 1, &g);
	CHECK_EQ(r.ebx, ~0u);
	CHECK_EQ(r.ecx, ~0u);
}

TEST(topology_leaves_give_vcpu_index)
{
	struct cpuid_guest g = {.vcpu_index = 5};
	struct cpuid_regs r = filter(0xb, 1, &g);

	CHECK_EQ(r.edx, 5);
	CHECK_EQ(r.eax, ~0u);
	r = filter(0x1f, 0, &g);
	CHECK_EQ(r.edx, 5);
}

TEST(xsaves_and_rdtscp)
{
	struct cpuid_guest g = {0};
	struct cpuid_regs r = filter(0xd, 1, &g);

	CHECK_EQ(r.eax, ~0u & ~(uint32_t)BIT(3));
	CHECK_EQ(r.ecx | r.edx, 0); /* no IA32_XSS bits without XSAVES */
	r = filter(0xd, 0, &g);
	CHECK_EQ(r.eax & r.ebx & r.ecx & r.edx, ~0u); /* user states are XCR0's */
	r = filter(0x80000001, 0, &g);
	CHECK_EQ(r.edx, ~0u & ~(uint32_t)BIT(27));
	g.secondary = SECONDARY_EXEC_ENABLE_XSAVES | SECONDARY_EXEC_ENABLE_RDTSCP;
	r = filter(0xd, 1, &g);
	CHECK_EQ(r.eax, ~0u);
	CHECK_EQ(r.ecx, (uint32_t)MSR_XSS_TESSERA); /* only the XSS bits Tessera allows */
	CHECK_EQ(r.edx, (uint32_t)(MSR_XSS_TESSERA >> 32));
	/* Supervisor components (ECX bit 0) not allowed vanish; user ones stay. */
	for (uint32_t sub = 2; sub < 64; sub++) {
		r = filter(0xd, sub, &g);
		if (MSR_XSS_TESSERA & BIT(sub))
			CHECK_EQ(r.eax & r.ebx & r.ecx & r.edx, ~0u);
		else
			CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
	r = (struct cpuid_regs){0x100, 0x240, 0, 0}; /* AVX: a user component */
	cpuid_filter(0xd, 2, &g, &r);
	CHECK(r.eax == 0x100 && r.ebx == 0x240);
	r = filter(0x80000001, 0, &g);
	CHECK_EQ(r.edx, ~0u);
}

TEST(leaf6_only_arat)
{
	struct cpuid_guest g = {0};
	struct cpuid_regs r = filter(6, 0, &g);

	/* No thermal, HWP, APERF/MPERF or energy-bias MSRs: only ARAT (bit 2) stays. */
	CHECK_EQ(r.eax, BIT(2));
	CHECK_EQ(r.ebx | r.ecx | r.edx, 0);
	r = (struct cpuid_regs){0x0017eff3, 2, 9, 0}; /* Bochs tigerlake without ARAT */
	cpuid_filter(6, 0, &g, &r);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

TEST(other_leaves_untouched)
{
	struct cpuid_guest g = {.vcpu_index = 7};
	static const uint32_t leaves[] = {0, 2, 4, 0x14, 0x80000000, 0x80000008, 0xffffffff};

	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs r = filter(leaves[i], 0, &g);

		CHECK(memcmp(&r, &all_ones, sizeof(r)) == 0);
	}
}

/* "TesseraHV\0\0\0" with EAX = the highest Tessera leaf, whichever base asked. */
static bool is_tessera_signature(uint32_t leaf)
{
	struct cpuid_regs r = cpuid_hv_leaf(leaf);
	char sig[12];

	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	return r.eax == 0x40000101 && memcmp(sig, "TesseraHV\0\0\0", 12) == 0;
}

static bool leaf_is_zero(uint32_t leaf)
{
	struct cpuid_regs r = cpuid_hv_leaf(leaf);

	return (r.eax | r.ebx | r.ecx | r.edx) == 0;
}

/* ABI 1.1 and later: Tessera at 0x40000100, and its signature at 0x40000000 without Hyper-V. */
TEST(hypervisor_leaves)
{
	CHECK(is_tessera_signature(0x40000100));
	CHECK(is_tessera_signature(0x40000000));
	struct cpuid_regs r = cpuid_hv_leaf(0x40000101);
	CHECK_EQ(r.eax, TESSERA_FEAT_HYPERCALL);
	CHECK_EQ(r.ebx, 0x00010003); /* 1.3 */
	CHECK_EQ(TESSERA_ABI_VERSION, 0x00010003);
	CHECK_EQ(r.ecx | r.edx, 0);
}

/* Every other leaf of the range reads zeros, the old 1.0 features leaf included. */
TEST(hypervisor_leaves_between)
{
	static const uint32_t zero[] = {0x40000001, 0x40000002, 0x4000000a, 0x400000ff,
					0x40000102, 0x400001ff, 0x40000200, 0x40000201,
					0x4000ff00, 0x40010000, 0x4fffff00, 0x4fffffff};

	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		CHECK(leaf_is_zero(zero[i]));
}

/* A guest scanning 0x40000000 + n * 0x100 for the signature stops at the first base. */
TEST(hypervisor_leaves_scan)
{
	unsigned found = 0;

	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		struct cpuid_regs r = cpuid_hv_leaf(base);

		if (r.ebx == TESSERA_SIGNATURE_EBX && r.ecx == TESSERA_SIGNATURE_ECX &&
		    r.edx == TESSERA_SIGNATURE_EDX) {
			CHECK(base == TESSERA_CPUID_HV_BASE || base == TESSERA_CPUID_BASE);
			CHECK_EQ(r.eax, TESSERA_CPUID_MAX_LEAF);
			found++;
		}
	}
	CHECK_EQ(found, 2);
}

TEST(hypervisor_leaf_range)
{
	CHECK(!cpuid_is_hv_leaf(0x3fffffff));
	CHECK(cpuid_is_hv_leaf(0x40000000));
	CHECK(cpuid_is_hv_leaf(0x4fffffff));
	CHECK(!cpuid_is_hv_leaf(0x50000000));
	CHECK(!cpuid_is_hv_leaf(0));
	CHECK(!cpuid_is_hv_leaf(0x80000001));
	CHECK(!cpuid_is_hv_leaf(0xffffffff));
}

/* The handler skips the filter for leaves outside cpuid_leaf_filtered(): it must not matter. */
TEST(unfiltered_leaves_pass_through)
{
	static const uint32_t extended[] = {0x80000000, 0x80000002, 0x80000007, 0x80000008,
					    0x8000001f, 0xc0000000, 0x3fffffff};
	struct cpuid_guest g = {.vcpu_index = 3, .secondary = 0, .osxsave = true};

	for (uint32_t leaf = 0; leaf < 64 + ARRAY_SIZE(extended); leaf++) {
		uint32_t l = leaf < 64 ? leaf : extended[leaf - 64];

		if (cpuid_leaf_filtered(l))
			continue;
		for (uint32_t sub = 0; sub < 3; sub++) {
			struct cpuid_regs r = {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff};

			cpuid_filter(l, sub, &g, &r);
			CHECK_EQ(r.eax & r.ebx & r.ecx & r.edx, 0xffffffff);
		}
	}
	/* And the mask covers what the filter does change. */
	CHECK(cpuid_leaf_filtered(1) && cpuid_leaf_filtered(7) && cpuid_leaf_filtered(0x80000001));
	CHECK(!cpuid_leaf_filtered(0) && !cpuid_leaf_filtered(2) && !cpuid_leaf_filtered(32));
}

int main(void)
{
	CHECK_MAIN("cpuid_policy");
	RUN(leaf1_hides_and_sets);
	RUN(leaf1_osxsave_follows_guest);
	RUN(leaf1_x2apic_off_and_apic_disabled);
	RUN(zeroed_leaves);
	RUN(leaf7_invpcid_waitpkg);
	RUN(topology_leaves_give_vcpu_index);
	RUN(xsaves_and_rdtscp);
	RUN(leaf6_only_arat);
	RUN(other_leaves_untouched);
	RUN(hypervisor_leaves);
	RUN(hypervisor_leaves_between);
	RUN(hypervisor_leaves_scan);
	RUN(hypervisor_leaf_range);
	RUN(unfiltered_leaves_pass_through);
	return CHECK_END();
}
