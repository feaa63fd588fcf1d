/*
 * cpuid: Tessera's CPUID filtering (guest-abi/tessera.h). Fails on bare
 * hardware and plain QEMU by design: it checks what the hypervisor changes.
 */
#include "tests/guests/lib/lib.h"

const char guest_name[] = "cpuid";

#define CPUID_1_ECX_VMX		 (1u << 5)
#define CPUID_1_ECX_SMX		 (1u << 6)
#define CPUID_1_ECX_X2APIC	 (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_ECX_HYPERVISOR	 (1u << 31)
#define CPUID_1_EDX_MCE		 (1u << 7)
#define CPUID_1_EDX_MCA		 (1u << 14)

/* Leaf `leaf` names Tessera, with EAX = the highest Tessera leaf (ABI 1.1 and later). */
static void check_signature(const char *max_name, const char *sig_name, uint32_t leaf)
{
	struct cpuid_regs r = cpuid(leaf);
	char sig[13];

	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	check_eq(max_name, r.eax, 0x40000101);
	checkf(memcmp(sig, "TesseraHV\0\0\0", 12) == 0, sig_name, "leaf %#x: \"%s\"", leaf, sig);
}

/* The leaves between and beyond the two ranges, the 1.0 features leaf among them. */
static void check_zero_leaves(void)
{
	static const uint32_t leaves[] = {0x40000001, 0x40000002, 0x400000ff,
					  0x40000102, 0x40000200, 0x4fffffff};
	unsigned bad = 0;
	uint32_t first = 0;

	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		struct cpuid_regs r = cpuid(leaves[i]);

		if ((r.eax | r.ebx | r.ecx | r.edx) && bad++ == 0)
			first = leaves[i];
	}
	checkf(bad == 0, "hv-other-leaves-zero", "%u leaves not zero, first %#x", bad, first);
}

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	struct cpuid_regs r = cpuid(0);
	check(r.eax >= 1, "leaf0-max-leaf");

	r = cpuid(1);
	guest_printf("guest cpuid: leaf 1 ecx %#x edx %#x\n", r.ecx, r.edx);
	check(!(r.ecx & CPUID_1_ECX_VMX), "leaf1-vmx-clear");
	check(!(r.ecx & CPUID_1_ECX_SMX), "leaf1-smx-clear");
	check(r.ecx & CPUID_1_ECX_X2APIC, "leaf1-x2apic-set");
	check(r.ecx & CPUID_1_ECX_TSC_DEADLINE, "leaf1-tsc-deadline-set");
	check(r.ecx & CPUID_1_ECX_HYPERVISOR, "leaf1-hypervisor-set");
	check(!(r.edx & CPUID_1_EDX_MCE), "leaf1-mce-clear");
	check(!(r.edx & CPUID_1_EDX_MCA), "leaf1-mca-clear");
	/* The header's masks say the same as the SDM names above. */
	check_eq("abi-header-ecx-mask", TESSERA_CPUID_1_ECX_CLEARED,
		 CPUID_1_ECX_VMX | CPUID_1_ECX_SMX);
	check_eq("abi-header-ecx-set", TESSERA_CPUID_1_ECX_SET,
		 CPUID_1_ECX_HYPERVISOR | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE);

	check_signature("hv-base-max-leaf", "hv-base-signature", TESSERA_CPUID_HV_BASE);
	check_signature("tessera-base-max-leaf", "tessera-base-signature", TESSERA_CPUID_BASE);
	check(on_tessera(), "on-tessera");
	check_eq("scan-finds-hv-base", tessera_cpuid_base(), 0x40000000);

	r = cpuid(TESSERA_CPUID_FEATURES);
	check_eq("features-leaf", TESSERA_CPUID_FEATURES, 0x40000101);
	check(r.eax & TESSERA_FEAT_HYPERCALL, "hv-feature-hypercall");
	check_eq("hv-abi-version", r.ebx, TESSERA_ABI_VERSION);
	check_eq("hv-abi-version-1.3", r.ebx, 0x00010003);
	check_zero_leaves();
}
