/* CPUID leaves and feature bits, named as the Intel SDM names them. */
#ifndef TESSERA_ARCH_X86_CPUID_H
#define TESSERA_ARCH_X86_CPUID_H

#include "lib/types.h"

/* Leaf 1 ECX */
#define CPUID_1_ECX_VMX		 BIT(5)
#define CPUID_1_ECX_SMX		 BIT(6)
#define CPUID_1_ECX_X2APIC	 BIT(21)
#define CPUID_1_ECX_TSC_DEADLINE BIT(24)
#define CPUID_1_ECX_XSAVE	 BIT(26)
#define CPUID_1_ECX_OSXSAVE	 BIT(27)
#define CPUID_1_ECX_HYPERVISOR	 BIT(31)
/* Leaf 1 EDX */
#define CPUID_1_EDX_TSC		 BIT(4)
#define CPUID_1_EDX_MSR		 BIT(5)
#define CPUID_1_EDX_PAE		 BIT(6)
#define CPUID_1_EDX_MCE		 BIT(7)
#define CPUID_1_EDX_APIC	 BIT(9)
#define CPUID_1_EDX_MTRR	 BIT(12)
#define CPUID_1_EDX_PGE		 BIT(13)
#define CPUID_1_EDX_MCA		 BIT(14)
#define CPUID_1_EDX_PAT		 BIT(16)
/* Leaf 0x80000001 EDX */
#define CPUID_80000001_EDX_NX	 BIT(20)
#define CPUID_80000001_EDX_1G	 BIT(26)
#define CPUID_80000001_EDX_LM	 BIT(29)
/* Leaf 0x80000007 EDX */
#define CPUID_80000007_EDX_INVARIANT_TSC BIT(8)

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
