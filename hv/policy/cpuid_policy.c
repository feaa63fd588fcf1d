/* CPUID filtering for guests: see cpuid_policy.h. */
#include "hv/policy/cpuid_policy.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "guest-abi/tessera.h"

/*
 * 0x40000000 belongs to the interface a partition may be offered besides Tessera's
 * (Hyper-V's, hv/hyperv/); without one it names Tessera, as KVM's signature leaf
 * does, with EAX = the highest Tessera leaf. Nothing else in the range is defined.
 */
struct cpuid_regs cpuid_hv_leaf(uint32_t leaf)
{
	switch (leaf) {
	case TESSERA_CPUID_HV_BASE:
	case TESSERA_CPUID_SIGNATURE:
		return (struct cpuid_regs){TESSERA_CPUID_MAX_LEAF, TESSERA_SIGNATURE_EBX,
					   TESSERA_SIGNATURE_ECX, TESSERA_SIGNATURE_EDX};
	case TESSERA_CPUID_FEATURES:
		return (struct cpuid_regs){TESSERA_FEAT_HYPERCALL, TESSERA_ABI_VERSION, 0, 0};
	default:
		return (struct cpuid_regs){0, 0, 0, 0};
	}
}

/* Leaf 1 ECX bits no guest sees: VMX, SMX, x2APIC and TSC deadline, MONITOR, PDCM. */
#define LEAF1_ECX_HIDDEN                                                                     \
	(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE | \
	 CPUID_1_ECX_MONITOR | CPUID_1_ECX_PDCM)
#define LEAF1_EDX_HIDDEN (CPUID_1_EDX_MCE | CPUID_1_EDX_MCA)

STATIC_ASSERT((TESSERA_CPUID_1_ECX_CLEARED & ~LEAF1_ECX_HIDDEN) == 0, "guest ABI: leaf 1 ECX");
STATIC_ASSERT(TESSERA_CPUID_1_ECX_SET == CPUID_1_ECX_HYPERVISOR, "guest ABI: leaf 1 ECX");
STATIC_ASSERT(TESSERA_CPUID_1_EDX_CLEARED == LEAF1_EDX_HIDDEN, "guest ABI: leaf 1 EDX");

void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_guest *g,
		  struct cpuid_regs *r)
{
	switch (leaf) {
	case CPUID_LEAF_FEATURES:
		r->ecx = (r->ecx & ~(uint32_t)(LEAF1_ECX_HIDDEN | CPUID_1_ECX_OSXSAVE)) |
			 (uint32_t)CPUID_1_ECX_HYPERVISOR |
			 (g->osxsave ? (uint32_t)CPUID_1_ECX_OSXSAVE : 0);
		r->edx &= ~(uint32_t)LEAF1_EDX_HIDDEN;
		r->ebx = (r->ebx & ~CPUID_1_EBX_APIC_ID_MASK) |
			 (g->vcpu_index << CPUID_1_EBX_APIC_ID_SHIFT);
		break;
	case CPUID_LEAF_MWAIT:
	case CPUID_LEAF_PMU:
		*r = (struct cpuid_regs){0, 0, 0, 0};
		break;
	case CPUID_LEAF_EXT_FEATURES:
		if (subleaf != 0)
			break;
		if (!(g->secondary & SECONDARY_EXEC_ENABLE_INVPCID))
			r->ebx &= ~(uint32_t)CPUID_7_EBX_INVPCID;
		r->ecx &= ~(uint32_t)CPUID_7_ECX_WAITPKG;
		break;
	case CPUID_LEAF_TOPOLOGY:
	case CPUID_LEAF_TOPOLOGY_V2:
		r->edx = g->vcpu_index; /* x2APIC ID */
		break;
	case CPUID_LEAF_XSAVE:
		if (subleaf == 1 && !(g->secondary & SECONDARY_EXEC_ENABLE_XSAVES))
			r->eax &= ~(uint32_t)CPUID_D_1_EAX_XSAVES;
		break;
	case CPUID_EXT_FEATURES:
		if (!(g->secondary & SECONDARY_EXEC_ENABLE_RDTSCP))
			r->edx &= ~(uint32_t)CPUID_80000001_EDX_RDTSCP;
		break;
	default:
		break;
	}
}
