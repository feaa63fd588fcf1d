/*
 * drivers/hyperv_nested_plan.c: what Tessera uses when it runs on Hyper-V,
 * from a fake CPUID; no leaf beyond the ones that exist is asked for; the
 * boot line; Tessera's GUEST_OS_ID; the rep hypercall continuation.
 */
#include "tests/unit/check.h"
#include "drivers/hyperv_nested_plan.h"
#include "guest-abi/hyperv-tlfs-x86.h"
#include "guest-abi/tessera.h"

/* A fake CPUID: leaf 1 and the hypervisor leaves 0x40000000-0x4000000f. */
struct fake_cpu {
	struct cpuid_regs leaf1, hv[16];
	uint32_t asked_max; /* the highest hypervisor leaf asked for */
	bool asked_beyond;  /* a hypervisor leaf above the one 0x40000000 names */
};

static struct cpuid_regs fake_cpuid(void *opaque, uint32_t leaf)
{
	struct fake_cpu *c = opaque;

	if (leaf == CPUID_LEAF_FEATURES)
		return c->leaf1;
	if (leaf < 0x40000000u || leaf > 0x4000000fu)
		return (struct cpuid_regs){0xdead, 0xdead, 0xdead, 0xdead};
	if (leaf > c->asked_max)
		c->asked_max = leaf;
	if (leaf > 0x40000001u && leaf > c->hv[0].eax)
		c->asked_beyond = true;
	return c->hv[leaf - 0x40000000u];
}

/* What Azure's nested-capable sizes offer, roughly: every bit Tessera looks for. */
static struct fake_cpu azure(void)
{
	struct fake_cpu c = {0};

	c.leaf1.ecx = CPUID_1_ECX_HYPERVISOR | CPUID_1_ECX_VMX;
	c.hv[0] = (struct cpuid_regs){0x4000000c, HYPERV_CPUID_SIGNATURE_EBX,
				      HYPERV_CPUID_SIGNATURE_ECX, HYPERV_CPUID_SIGNATURE_EDX};
	c.hv[1].eax = HYPERV_CPUID_INTERFACE_HV1;
	c.hv[2] = (struct cpuid_regs){20348, 0x000a0000, 0, 0};
	c.hv[3].eax = 0x2e7f; /* includes HV_MSR_HYPERCALL_AVAILABLE */
	c.hv[4].eax = 0x00064e24 | HV_X64_ENLIGHTENED_VMCS_RECOMMENDED;
	c.hv[0xa].eax = 0x0000020e | HV_X64_NESTED_DIRECT_FLUSH |
			HV_X64_NESTED_GUEST_MAPPING_FLUSH | HV_X64_NESTED_MSR_BITMAP;
	return c;
}

static void plan_of(struct fake_cpu *c, struct hyperv_nested_plan *p)
{
	hyperv_nested_plan(fake_cpuid, c, p);
}

TEST(bare_metal)
{
	struct fake_cpu c = azure();
	struct hyperv_nested_plan p;
	char line[256];

	c.leaf1.ecx = CPUID_1_ECX_VMX; /* no hypervisor bit: no hypervisor leaf is asked */
	plan_of(&c, &p);
	CHECK(!p.hypervisor && !p.hyperv && !p.hypercall_msrs && !p.gpa_flush);
	CHECK_EQ(c.asked_max, 0);
	CHECK_STR(p.why_not, "no hypervisor");
	hyperv_nested_describe(&p, line, sizeof(line));
	CHECK_STR(line, "hyperv-nested: no hypervisor: EPT invalidation by INVEPT");
}

TEST(other_hypervisor)
{
	struct fake_cpu c = azure();
	struct hyperv_nested_plan p;
	char line[256];

	memcpy(&c.hv[0].ebx, "KVMK", 4);
	memcpy(&c.hv[0].ecx, "VMKV", 4);
	memcpy(&c.hv[0].edx, "M\0\0\0", 4);
	c.hv[1].eax = 0;
	plan_of(&c, &p);
	CHECK(p.hypervisor && !p.hyperv && !p.gpa_flush);
	CHECK_STR(p.vendor, "KVMKVMKVM");
	CHECK_EQ(c.asked_max, 0x40000001);
	hyperv_nested_describe(&p, line, sizeof(line));
	CHECK_STR(line, "hyperv-nested: \"KVMKVMKVM\", not Hyper-V: EPT invalidation by INVEPT");
	/* The vendor alone is not enough: the interface must be Hv#1. */
	c = azure();
	c.hv[1].eax = 0x30237648; /* "Hv#0" */
	plan_of(&c, &p);
	CHECK(!p.hyperv && !p.gpa_flush);
	/* A vendor string with bytes the console must not print. */
	c = azure();
	c.hv[0].ebx = 0x0a0d1b07;
	plan_of(&c, &p);
	CHECK(!p.hyperv);
	CHECK(!memcmp(p.vendor, "????osoft Hv", 12));
}

TEST(hyperv_with_the_flush)
{
	struct fake_cpu c = azure();
	struct hyperv_nested_plan p;
	char line[256];

	plan_of(&c, &p);
	CHECK(p.hypervisor && p.hyperv && p.hypercall_msrs && p.gpa_flush);
	CHECK(p.why_not == NULL);
	CHECK_STR(p.vendor, "Microsoft Hv");
	CHECK_EQ(p.max_leaf, 0x4000000c);
	CHECK_EQ(p.build, 20348);
	CHECK_EQ(p.version, 0x000a0000);
	CHECK_EQ(p.privileges, 0x2e7f);
	CHECK_EQ(p.nested_features, c.hv[0xa].eax);
	CHECK(!c.asked_beyond);
	hyperv_nested_describe(&p, line, sizeof(line));
	CHECK_STR(line,
		  "hyperv-nested: \"Microsoft Hv\" Hv#1 10.0 build 20348, max leaf 0x4000000c, "
		  "privileges 0x2e7f, recommendations 0x64e24, nested features 0xe020e: EPT "
		  "invalidation by HvCallFlushGuestPhysicalAddressSpace/List");
}

/* Each missing piece alone keeps INVEPT, and the boot line says which. */
TEST(hyperv_without_the_flush)
{
	struct fake_cpu c = azure();
	struct hyperv_nested_plan p;
	char line[256];

	c.hv[3].eax &= ~HV_MSR_HYPERCALL_AVAILABLE;
	plan_of(&c, &p);
	CHECK(p.hyperv && !p.hypercall_msrs && !p.gpa_flush);
	CHECK_STR(p.why_not, "no hypercall MSRs");
	hyperv_nested_describe(&p, line, sizeof(line));
	CHECK(strstr(line, ", no hypercall MSRs: EPT invalidation by INVEPT") != NULL);

	c = azure();
	c.hv[0xa].eax &= ~HV_X64_NESTED_GUEST_MAPPING_FLUSH;
	plan_of(&c, &p);
	CHECK(p.hypercall_msrs && !p.gpa_flush);
	CHECK_STR(p.why_not, "no guest mapping flush");

	/* Without the recommendation the nested leaf is not asked for, even if it exists. */
	c = azure();
	c.hv[4].eax &= ~HV_X64_ENLIGHTENED_VMCS_RECOMMENDED;
	plan_of(&c, &p);
	CHECK(!p.gpa_flush);
	CHECK_EQ(p.nested_features, 0);
	CHECK_EQ(c.asked_max, 0x40000004);
	CHECK_STR(p.why_not, "no nested enlightenments");
}

/* A hypervisor that names fewer leaves is never asked beyond them. */
TEST(short_leaf_range)
{
	struct fake_cpu c = azure();
	struct hyperv_nested_plan p;

	c.hv[0].eax = 0x40000006;
	plan_of(&c, &p);
	CHECK(!c.asked_beyond);
	CHECK_EQ(p.nested_features, 0);
	CHECK(!p.gpa_flush);
	CHECK_STR(p.why_not, "no guest mapping flush");

	c = azure();
	c.hv[0].eax = 0x40000001; /* only the two guaranteed leaves */
	plan_of(&c, &p);
	CHECK(!c.asked_beyond && c.asked_max == 0x40000001);
	CHECK(p.hyperv && p.privileges == 0 && !p.gpa_flush);
	CHECK_STR(p.why_not, "no hypercall MSRs");
}

TEST(guest_os_id)
{
	uint64_t id = hyperv_nested_guest_os_id(TESSERA_ABI_VERSION);

	CHECK(id & HV_GUEST_OS_ID_OPEN_SOURCE);
	CHECK_EQ((id >> HV_GUEST_OS_ID_OS_TYPE_SHIFT) & 0x7f, 0); /* none allocated to Tessera */
	CHECK_EQ((id >> HV_GUEST_OS_ID_OS_ID_SHIFT) & 0xff, 0x54);
	CHECK_EQ((id >> HV_GUEST_OS_ID_VERSION_SHIFT) & 0xffffffff, TESSERA_ABI_VERSION);
	CHECK_EQ(id & 0xffff, 0);
	CHECK_EQ(id, 0x8054000100030000ull); /* ABI 1.3 */
}

TEST(rep_continue)
{
	uint64_t code = HVCALL_FLUSH_GUEST_PHYSICAL_ADDRESS_LIST;
	uint64_t control = code | 10ull << HV_HYPERCALL_REP_COUNT_SHIFT;
	uint64_t c = control;

	CHECK_EQ(hyperv_rep_continue(&c, 10ull << HV_HYPERCALL_REP_COMP_SHIFT, 10), 0);
	CHECK_EQ(c, control);
	/* Four done: issue again from rep 4. */
	CHECK_EQ(hyperv_rep_continue(&c, 4ull << HV_HYPERCALL_REP_COMP_SHIFT, 10), 1);
	CHECK_EQ(c, control | 4ull << HV_HYPERCALL_REP_START_SHIFT);
	CHECK_EQ(hyperv_rep_continue(&c, 9ull << HV_HYPERCALL_REP_COMP_SHIFT, 10), 1);
	CHECK_EQ((c & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_SHIFT, 9);
	CHECK_EQ(c & ~HV_HYPERCALL_REP_START_MASK, control); /* nothing else changes */
	/* No progress, or going backwards: a failure, never a loop. */
	CHECK_EQ(hyperv_rep_continue(&c, 9ull << HV_HYPERCALL_REP_COMP_SHIFT, 10), -1);
	CHECK_EQ(hyperv_rep_continue(&c, 3ull << HV_HYPERCALL_REP_COMP_SHIFT, 10), -1);
	c = control;
	CHECK_EQ(hyperv_rep_continue(&c, 0, 10), -1);
	/* A failure status, whatever the count. */
	CHECK_EQ(hyperv_rep_continue(
		     &c, HV_STATUS_INVALID_PARAMETER | 10ull << HV_HYPERCALL_REP_COMP_SHIFT, 10),
		 -1);
	CHECK_EQ(hyperv_rep_continue(&c, HV_STATUS_ACCESS_DENIED, 10), -1);
}

int main(void)
{
	CHECK_MAIN("hyperv_nested_plan");
	RUN(bare_metal);
	RUN(other_hypervisor);
	RUN(hyperv_with_the_flush);
	RUN(hyperv_without_the_flush);
	RUN(short_leaf_range);
	RUN(guest_os_id);
	RUN(rep_continue);
	return CHECK_END();
}
