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

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	struct cpuid_regs r = cpuid(0);
	check(r.eax >= 1, "leaf0-max-leaf");

	r = cpuid(1);
	guest_printf("guest cpuid: leaf 1 ecx %#x edx %#x\n", r.ecx, r.edx);
	check(!(r.ecx & CPUID_1_ECX_VMX), "leaf1-vmx-clear");
	check(!(r.ecx & CPUID_1_ECX_SMX), "leaf1-smx-clear");
	check(!(r.ecx & CPUID_1_ECX_X2APIC), "leaf1-x2apic-clear");
	check(!(r.ecx & CPUID_1_ECX_TSC_DEADLINE), "leaf1-tsc-deadline-clear");
	check(r.ecx & CPUID_1_ECX_HYPERVISOR, "leaf1-hypervisor-set");
	check(!(r.edx & CPUID_1_EDX_MCE), "leaf1-mce-clear");
	check(!(r.edx & CPUID_1_EDX_MCA), "leaf1-mca-clear");
	/* The header's masks say the same as the SDM names above. */
	check_eq("abi-header-ecx-mask", TESSERA_CPUID_1_ECX_CLEARED,
		 CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE);

	r = cpuid(TESSERA_CPUID_SIGNATURE);
	char sig[13];
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	check_eq("hv-leaf-max", r.eax, TESSERA_CPUID_MAX_LEAF);
	checkf(memcmp(sig, "TesseraHV\0\0\0", 12) == 0, "hv-signature", "\"%s\"", sig);
	check(on_tessera(), "on-tessera");

	r = cpuid(TESSERA_CPUID_FEATURES);
	check(r.eax & TESSERA_FEAT_HYPERCALL, "hv-feature-hypercall");
	check_eq("hv-abi-version", r.ebx, TESSERA_ABI_VERSION);
}
