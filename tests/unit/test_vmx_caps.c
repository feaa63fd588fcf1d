/*
 * arch/x86/vmx/vmx_caps.c: decoding raw VMX capability MSR values. The values are
 * written out as numbers (as a CPU returns them), not built from vmx_defs.h, so
 * a wrong bit number in the header makes these tests fail.
 */
#include "tests/unit/check.h"
#include "arch/x86/vmx/vmx_caps.h"

/*
 * A full-featured CPU: VMX_BASIC of a Skylake (revision 4, 1 KiB region, WB,
 * INS/OUTS info, TRUE_* controls), every control allowed, EPT with everything.
 */
static struct vmx_caps full_featured(void)
{
	struct vmx_caps c;

	memset(&c, 0, sizeof(c));
	c.present = true;
	c.basic = 0x00da040000000004ULL;
	c.pinbased = 0x000000ff00000016ULL;  /* TRUE_PINBASED: allowed-1 bits 0-7 */
	c.procbased = 0xfffbfffe04006172ULL; /* TRUE_PROCBASED: all but bits 0 and 18 */
	c.procbased2 = 0x03ffffff00000000ULL;
	c.exit = 0x01ffffff00036dfbULL;
	c.entry = 0x0003ffff000011fbULL;
	c.misc = 0x00000000300481e5ULL; /* preemption timer rate 5 */
	c.ept_vpid = 0x00000f0106734141ULL;
	c.vmfunc = 0x1;
	c.cr0_fixed0 = 0x80000021;
	c.cr0_fixed1 = 0xffffffff;
	c.cr4_fixed0 = 0x2000;
	c.cr4_fixed1 = 0x3767ff;
	return c;
}

TEST(full_featured_cpu)
{
	struct vmx_caps c = full_featured();

	vmx_caps_decode(&c);
	CHECK(c.missing == NULL);
	CHECK_EQ(c.vmcs_revision, 4);
	CHECK_EQ(c.vmcs_size, 1024);
	CHECK_EQ(c.vmcs_mem_type, 6);
	CHECK(!c.addr_32bit);
	CHECK(c.true_ctls);
	CHECK(c.secondary_ctls && c.tertiary_ctls);
	CHECK(c.ept && c.ept_wb && c.ept_uc && c.ept_4level && !c.ept_5level);
	CHECK(c.ept_2m && c.ept_1g && c.ept_exec_only && c.ept_ad);
	CHECK(c.invept && c.invvpid && c.vpid);
	CHECK(c.invvpid_addr && c.invvpid_single && c.invvpid_single_nog);
	CHECK(c.unrestricted_guest && c.apic_access && c.apic_register_virt);
	CHECK(c.virt_intr_delivery && c.posted_intr && c.preemption_timer);
	CHECK_EQ(c.preemption_timer_rate, 5);
	CHECK(c.x2apic_virt && c.tpr_shadow && c.msr_bitmap && c.io_bitmap);
	CHECK(c.vmcs_shadowing && c.pml && c.spp && c.mbec);
	CHECK(c.vm_functions && c.vmfunc_eptp_switch && c.ept_ve);
	CHECK(c.tsc_scaling && c.xsaves);
}

/* Each secondary control decodes from its own bit and no other. */
TEST(secondary_bits_one_by_one)
{
	static const struct {
		unsigned bit;
		size_t offset;
	} map[] = {
	    {0, offsetof(struct vmx_caps, apic_access)},
	    {1, offsetof(struct vmx_caps, ept)},
	    {4, offsetof(struct vmx_caps, x2apic_virt)},
	    {5, offsetof(struct vmx_caps, vpid)},
	    {8, offsetof(struct vmx_caps, apic_register_virt)},
	    {9, offsetof(struct vmx_caps, virt_intr_delivery)},
	    {13, offsetof(struct vmx_caps, vm_functions)},
	    {14, offsetof(struct vmx_caps, vmcs_shadowing)},
	    {20, offsetof(struct vmx_caps, xsaves)},
	    {25, offsetof(struct vmx_caps, tsc_scaling)},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		struct vmx_caps c = full_featured();

		c.procbased2 = (1ULL << map[i].bit) << 32;
		vmx_caps_decode(&c);
		for (size_t j = 0; j < sizeof(map) / sizeof(map[0]); j++) {
			bool v = *(bool *)((char *)&c + map[j].offset);
			CHECK_EQ(v, i == j);
		}
	}
	/* Bit 7 alone: allowed, but unrestricted guest is unusable without EPT. */
	struct vmx_caps c = full_featured();
	c.procbased2 = (1ULL << 7) << 32 | (1ULL << 1) << 32;
	vmx_caps_decode(&c);
	CHECK(c.unrestricted_guest);
}

TEST(no_secondary_controls)
{
	struct vmx_caps c = full_featured();

	/* Primary allowed-1 without bit 31; a stale secondary value must be ignored. */
	c.procbased = 0x7ffbfffe04006172ULL;
	vmx_caps_decode(&c);
	CHECK(!c.secondary_ctls);
	CHECK(!c.ept && !c.vpid && !c.unrestricted_guest && !c.apic_access && !c.pml);
	CHECK(!c.ept_2m && !c.ept_1g && !c.invept && !c.invvpid && !c.vmfunc_eptp_switch);
	CHECK(!c.invvpid_addr && !c.invvpid_single && !c.invvpid_single_nog);
	CHECK(c.tpr_shadow && c.msr_bitmap && c.io_bitmap); /* primary controls still count */
	CHECK(c.missing != NULL);
	CHECK(strncmp(c.missing, "EPT", 3) == 0);
}

TEST(no_posted_interrupts)
{
	struct vmx_caps c = full_featured();

	c.pinbased = 0x0000007f00000016ULL; /* Bochs 2.7: pin-based bit 7 never allowed */
	vmx_caps_decode(&c);
	CHECK(!c.posted_intr);
	CHECK(c.preemption_timer);
	CHECK(c.missing == NULL);

	c.pinbased = 0x0000003f00000016ULL;
	vmx_caps_decode(&c);
	CHECK(!c.posted_intr && !c.preemption_timer);
	CHECK(c.missing == NULL);
}

TEST(true_controls)
{
	struct vmx_caps c = full_featured();

	vmx_caps_decode(&c);
	CHECK(c.true_ctls);

	/* The same CPU without bit 55: the ordinary MSRs, whose allowed-1 bits are equal. */
	c = full_featured();
	c.basic = 0x005a040000000004ULL;
	c.pinbased = 0x000000ff00000016ULL;
	c.procbased = 0xfffbfffe0401e172ULL;
	c.exit = 0x01ffffff00036dffULL;
	c.entry = 0x0003ffff000011ffULL;
	vmx_caps_decode(&c);
	CHECK(!c.true_ctls);
	CHECK(c.missing == NULL);
	CHECK(c.posted_intr && c.ept && c.unrestricted_guest);
	CHECK_EQ(c.vmcs_mem_type, 6);
}

TEST(ept_without_1g_pages)
{
	struct vmx_caps c = full_featured();

	c.ept_vpid = 0x00000f0106714141ULL; /* bit 17 clear */
	vmx_caps_decode(&c);
	CHECK(c.missing == NULL);
	CHECK(c.ept && c.ept_2m && !c.ept_1g);

	c.ept_vpid = 0x00000f0106704141ULL; /* 4 KiB pages only */
	vmx_caps_decode(&c);
	CHECK(c.missing == NULL);
	CHECK(!c.ept_2m && !c.ept_1g);
}

TEST(no_ept)
{
	struct vmx_caps c = full_featured();

	c.procbased2 = 0x03fffffd00000000ULL; /* bit 1 clear */
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL);
	CHECK_STR(c.missing, "EPT not supported");
	CHECK(!c.ept && !c.ept_2m && !c.ept_1g && !c.ept_ad && !c.invept);
	CHECK(!c.unrestricted_guest && !c.pml && !c.spp && !c.mbec && !c.vmfunc_eptp_switch);
	CHECK(c.vpid && c.invvpid);  /* VPID does not depend on EPT */
	c.ept_vpid &= ~(1ull << 40); /* no individual-address INVVPID: the others stay */
	vmx_caps_decode(&c);
	CHECK(!c.invvpid_addr && c.invvpid_single && c.invvpid_single_nog);
	c.ept_vpid &= ~(1ull << 32); /* no INVVPID at all: none of its types */
	vmx_caps_decode(&c);
	CHECK(!c.invvpid_addr && !c.invvpid_single && !c.invvpid_single_nog);
}

/* INVEPT's single- and all-context types (EPT_VPID_CAP bits 25, 26), only with INVEPT (bit 20). */
TEST(invept_types)
{
	struct vmx_caps c = full_featured();

	vmx_caps_decode(&c);
	CHECK(c.invept && c.invept_single && c.invept_all);
	c.ept_vpid &= ~(1ull << 25);
	vmx_caps_decode(&c);
	CHECK(c.invept && !c.invept_single && c.invept_all);
	c = full_featured();
	c.ept_vpid &= ~(1ull << 26);
	vmx_caps_decode(&c);
	CHECK(c.invept_single && !c.invept_all);
	c = full_featured();
	c.ept_vpid &= ~(1ull << 20);
	vmx_caps_decode(&c);
	CHECK(!c.invept && !c.invept_single && !c.invept_all);
}

TEST(ept_without_wb_or_4level)
{
	struct vmx_caps c = full_featured();

	c.ept_vpid = 0x00000f0106730141ULL; /* WB (bit 14) clear */
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL && strstr(c.missing, "write-back"));

	c = full_featured();
	c.ept_vpid = 0x00000f0106734101ULL; /* 4-level walk (bit 6) clear */
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL && strstr(c.missing, "4-level"));
}

TEST(no_unrestricted_guest)
{
	struct vmx_caps c = full_featured();

	c.procbased2 = 0x03ffff7f00000000ULL; /* bit 7 clear */
	vmx_caps_decode(&c);
	CHECK(c.ept);
	CHECK(c.missing != NULL);
	CHECK_STR(c.missing, "unrestricted guest not supported");
}

TEST(malformed_basic)
{
	struct vmx_caps c = full_featured();

	c.basic = 0x00d8000000000004ULL; /* region size 0 */
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL && strstr(c.missing, "region size"));

	c = full_featured();
	c.basic = 0x00d8100100000004ULL; /* 4097 bytes */
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL && strstr(c.missing, "region size"));

	c = full_featured();
	c.basic = 0x00c0040000000004ULL; /* memory type UC */
	vmx_caps_decode(&c);
	CHECK_EQ(c.vmcs_mem_type, 0);
	CHECK(c.missing != NULL && strstr(c.missing, "write-back"));

	c = full_featured();
	c.basic = 0xffffffffffffffffULL; /* revision bit 31 never leaks into the id */
	vmx_caps_decode(&c);
	CHECK_EQ(c.vmcs_revision, 0x7fffffff);
	CHECK(c.missing != NULL);
}

TEST(all_zero_msrs)
{
	struct vmx_caps c;

	memset(&c, 0, sizeof(c));
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL);
	CHECK(!c.ept && !c.posted_intr && !c.true_ctls && !c.secondary_ctls);
}

TEST(first_reason_wins)
{
	struct vmx_caps c = full_featured();

	c.missing = "VMX disabled by firmware";
	c.procbased2 = 0;
	vmx_caps_decode(&c);
	CHECK_STR(c.missing, "VMX disabled by firmware");
}

TEST(no_64bit_host)
{
	struct vmx_caps c = full_featured();

	c.exit = 0x01fffdff00036dfbULL; /* host address-space size (bit 9) not allowed */
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL && strstr(c.missing, "host address-space size"));

	c = full_featured();
	c.entry = 0x0003fdff000011fbULL; /* IA-32e mode guest (bit 9) not allowed */
	vmx_caps_decode(&c);
	CHECK(c.missing != NULL && strstr(c.missing, "IA-32e mode guest"));
}

TEST(fixed_cr_bits)
{
	uint64_t out, bad;

	/* CR0 = PE|ET|WP|PG without NE: NE may be set. */
	CHECK(vmx_fixed_cr(0x80010011, 0x80000021, 0xffffffff, 0x20, &out, &bad));
	CHECK_EQ(out, 0x80010031);
	CHECK_EQ(bad, 0);
	/* Same, but NE not allowed to be set by the caller. */
	CHECK(!vmx_fixed_cr(0x80010011, 0x80000021, 0xffffffff, 0, &out, &bad));
	CHECK_EQ(bad, 0x20);
	/* A FIXED1 that forbids PG: never clear it under our feet. */
	CHECK(!vmx_fixed_cr(0x80010031, 0x21, 0x7fffffff, 0x20, &out, &bad));
	CHECK_EQ(bad, 0x80000000);
	/* CR4 with VMXE requested, FIXED1 without VMXE. */
	CHECK(!vmx_fixed_cr(0x20a0 | 0x2000, 0x2000, 0x1fff, 0, &out, &bad));
	CHECK_EQ(bad, 0x2000);
	/* Contradictory MSRs: a bit that must be 1 and 0. */
	CHECK(!vmx_fixed_cr(0x2020, 0x2000, 0xffff & ~0x2000ULL, 0x2000, &out, &bad));
	CHECK(bad & 0x2000);
	/* CR4 normal case. */
	CHECK(vmx_fixed_cr(0x6a0 | 0x2000, 0x2000, 0x3767ff, 0, &out, &bad));
	CHECK_EQ(out, 0x26a0);
}

/* Raw values read on Bochs 3.0 and Debian's Bochs 2.7, model tigerlake (2026-11-21). */
TEST(bochs_tigerlake)
{
	struct vmx_caps c;
	uint64_t out, bad;

	memset(&c, 0, sizeof(c));
	c.basic = 0x00d8100000000004ULL;
	c.pinbased = 0x000000ff00000016ULL;
	c.procbased = 0xfff9fffe04006172ULL;
	c.procbased2 = 0x02d77fff00000000ULL;
	c.exit = 0x407fffff00036dfbULL;
	c.entry = 0x0000ffff000011fbULL;
	c.misc = 0x600401e0ULL;
	c.ept_vpid = 0x00000f0106734141ULL;
	c.vmfunc = 0x1;
	vmx_caps_decode(&c);
	CHECK(c.missing == NULL);
	CHECK_EQ(c.vmcs_size, 4096);
	CHECK(c.posted_intr && c.mbec && c.spp && c.pml && c.ept_ad && c.ept_1g);
	CHECK(!c.tertiary_ctls && !c.ept_5level);
	CHECK_EQ(c.preemption_timer_rate, 0);

	/* Bochs 2.7: no posted interrupts, no mode-based execute control. */
	c.basic = 0x01d8100000000004ULL;
	c.pinbased = 0x0000007f00000016ULL;
	c.procbased2 = 0x02977fff00000000ULL;
	c.ept_vpid = 0x00000f0106b34141ULL;
	vmx_caps_decode(&c);
	CHECK(c.missing == NULL);
	CHECK(!c.posted_intr && !c.mbec);
	CHECK(c.spp && c.pml && c.vpid && c.unrestricted_guest);

	/* CR0 as GRUB leaves it there (NE clear), CR4 without VMXE. */
	CHECK(vmx_fixed_cr(0xe0010011, 0x80000021, 0xffffffff, 0x20, &out, &bad));
	CHECK_EQ(out, 0xe0010031);
	CHECK(vmx_fixed_cr(0xa0 | 0x2000, 0x2000, 0x372fff, 0, &out, &bad));
	CHECK_EQ(out, 0x20a0);
}

int main(void)
{
	CHECK_MAIN("vmx_caps");
	RUN(full_featured_cpu);
	RUN(secondary_bits_one_by_one);
	RUN(no_secondary_controls);
	RUN(no_posted_interrupts);
	RUN(true_controls);
	RUN(ept_without_1g_pages);
	RUN(no_ept);
	RUN(invept_types);
	RUN(ept_without_wb_or_4level);
	RUN(no_unrestricted_guest);
	RUN(malformed_basic);
	RUN(all_zero_msrs);
	RUN(first_reason_wins);
	RUN(no_64bit_host);
	RUN(fixed_cr_bits);
	RUN(bochs_tigerlake);
	return CHECK_END();
}
