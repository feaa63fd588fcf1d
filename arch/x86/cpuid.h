/* CPUID leaves and feature bits, named as the Intel SDM names them. */
#ifndef TESSERA_ARCH_X86_CPUID_H
#define TESSERA_ARCH_X86_CPUID_H

#include "lib/types.h"

/* Basic leaves */
#define CPUID_LEAF_FEATURES		 0x1
#define CPUID_LEAF_MWAIT		 0x5
#define CPUID_LEAF_THERMAL_POWER	 0x6
#define CPUID_LEAF_EXT_FEATURES		 0x7
#define CPUID_LEAF_PMU			 0xa
#define CPUID_LEAF_TOPOLOGY		 0xb
#define CPUID_LEAF_XSAVE		 0xd
#define CPUID_LEAF_TSC			 0x15 /* TSC/crystal ratio, crystal Hz */
#define CPUID_LEAF_FREQ			 0x16 /* base, maximum, bus MHz */
#define CPUID_LEAF_TOPOLOGY_V2		 0x1f
/* Leaves 0x40000000-0x4fffffff are reserved for a hypervisor's own use. */
#define CPUID_HV_FIRST			 0x40000000
#define CPUID_HV_LAST			 0x4fffffff
/* Leaf 1 EBX: initial APIC ID in bits 31:24 */
#define CPUID_1_EBX_APIC_ID_SHIFT	 24
#define CPUID_1_EBX_APIC_ID_MASK	 (0xffu << 24)
/* Leaf 1 ECX */
#define CPUID_1_ECX_DTES64		 BIT(2)
#define CPUID_1_ECX_MONITOR		 BIT(3)
#define CPUID_1_ECX_DS_CPL		 BIT(4)
#define CPUID_1_ECX_VMX			 BIT(5)
#define CPUID_1_ECX_SMX			 BIT(6)
#define CPUID_1_ECX_EIST		 BIT(7)
#define CPUID_1_ECX_TM2			 BIT(8)
#define CPUID_1_ECX_PDCM		 BIT(15)
#define CPUID_1_ECX_X2APIC		 BIT(21)
#define CPUID_1_ECX_TSC_DEADLINE	 BIT(24)
#define CPUID_1_ECX_XSAVE		 BIT(26)
#define CPUID_1_ECX_OSXSAVE		 BIT(27)
#define CPUID_1_ECX_HYPERVISOR		 BIT(31)
/* Leaf 1 EDX */
#define CPUID_1_EDX_TSC			 BIT(4)
#define CPUID_1_EDX_MSR			 BIT(5)
#define CPUID_1_EDX_PAE			 BIT(6)
#define CPUID_1_EDX_MCE			 BIT(7)
#define CPUID_1_EDX_APIC		 BIT(9)
#define CPUID_1_EDX_MTRR		 BIT(12)
#define CPUID_1_EDX_PGE			 BIT(13)
#define CPUID_1_EDX_MCA			 BIT(14)
#define CPUID_1_EDX_PAT			 BIT(16)
#define CPUID_1_EDX_DS			 BIT(21)
#define CPUID_1_EDX_ACPI		 BIT(22) /* thermal monitor and clock control MSRs */
#define CPUID_1_EDX_TM			 BIT(29)
#define CPUID_1_EDX_PBE			 BIT(31)
/* Leaf 6 */
#define CPUID_6_EAX_ARAT		 BIT(2) /* APIC timer always running */
/* Leaf 7 subleaf 0 */
#define CPUID_7_EBX_TSC_ADJUST		 BIT(1)
#define CPUID_7_EBX_INVPCID		 BIT(10)
#define CPUID_7_ECX_WAITPKG		 BIT(5)
#define CPUID_7_ECX_CET_SS		 BIT(7)
#define CPUID_7_EDX_CET_IBT		 BIT(20)
/* Leaf 0xD subleaf 1 EAX */
#define CPUID_D_1_EAX_XSAVES		 BIT(3)
/* Leaf 0xD subleaf 1 ECX:EDX: the IA32_XSS bits supported; subleaf n >= 2 ECX bit 0: in XSS */
#define CPUID_D_N_ECX_SUPERVISOR	 BIT(0)
/* Extended leaves */
#define CPUID_EXT_MAX			 0x80000000 /* EAX: highest extended leaf */
#define CPUID_EXT_FEATURES		 0x80000001
#define CPUID_EXT_ADDR_SIZES		 0x80000008
/* Leaf 0x80000001 EDX */
#define CPUID_80000001_EDX_NX		 BIT(20)
#define CPUID_80000001_EDX_1G		 BIT(26)
#define CPUID_80000001_EDX_RDTSCP	 BIT(27)
#define CPUID_80000001_EDX_LM		 BIT(29)
/* Leaf 0x80000007 EDX */
#define CPUID_80000007_EDX_INVARIANT_TSC BIT(8)
/* Leaf 0x80000008 EAX: physical-address width in bits 7:0 */
#define CPUID_80000008_EAX_PHYS_BITS	 0xffu

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

#ifndef HOST_TEST
static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}
#endif

#endif
