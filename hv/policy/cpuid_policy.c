/* CPUID filtering for guests: see cpuid_policy.h. */
#include "hv/policy/cpuid_policy.h"
#include "hv/policy/msr_policy.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "guest-abi/tessera.h"

/*
 * 0x40000000 belongs to the interface a partition may be offered besides Tessera's
 * (Hyper-V's, hv/hyperv/); without one it names Tessera, as KVM's signature leaf
 * does, with EAX = the highest Tessera leaf. Nothing else in the range is defined.
 */
struct cpuid_regs cpuid_hv_leaf(uint32_t leaf)
{
	return cpuid_hv_leaf_for(leaf, 0, 0);
}

struct cpuid_regs cpuid_hv_leaf_for(uint32_t leaf, uint32_t features, unsigned xom_bit)
{
	switch (leaf) {
	case TESSERA_CPUID_HV_BASE:
	case TESSERA_CPUID_SIGNATURE:
		return (struct cpuid_regs){TESSERA_CPUID_MAX_LEAF, TESSERA_SIGNATURE_EBX,
					   TESSERA_SIGNATURE_ECX, TESSERA_SIGNATURE_EDX};
	case TESSERA_CPUID_FEATURES:
		return (struct cpuid_regs){TESSERA_FEAT_HYPERCALL | features, TESSERA_ABI_VERSION,
					   xom_bit & TESSERA_CPUID_XOM_BIT_MASK, 0};
	default:
		return (struct cpuid_regs){0, 0, 0, 0};
	}
}

/*
 * Leaf 1 bits no guest sees: VMX, SMX, MONITOR, PDCM;
 * the debug store (DS, DTES64, DS-CPL: no PMU for guests); machine checks;
 * thermal and power control (EIST, TM, TM2, ACPI, PBE: their MSRs are the machine's).
 */
#define LEAF1_ECX_HIDDEN                                                              \
	(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | CPUID_1_ECX_MONITOR | CPUID_1_ECX_PDCM | \
	 CPUID_1_ECX_DTES64 | CPUID_1_ECX_DS_CPL | CPUID_1_ECX_EIST | CPUID_1_ECX_TM2)
#define LEAF1_EDX_HIDDEN                                                                          \
	(CPUID_1_EDX_MCE | CPUID_1_EDX_MCA | CPUID_1_EDX_DS | CPUID_1_EDX_ACPI | CPUID_1_EDX_TM | \
	 CPUID_1_EDX_PBE)

STATIC_ASSERT((TESSERA_CPUID_1_ECX_CLEARED & ~LEAF1_ECX_HIDDEN) == 0, "guest ABI: leaf 1 ECX");
/* Leaf 1 bits every guest sees: the vLAPIC is an x2APIC with a TSC-deadline timer. */
#define LEAF1_ECX_SET (CPUID_1_ECX_HYPERVISOR | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE)
STATIC_ASSERT(TESSERA_CPUID_1_ECX_SET == LEAF1_ECX_SET, "guest ABI: leaf 1 ECX");
STATIC_ASSERT((TESSERA_CPUID_1_EDX_CLEARED & ~LEAF1_EDX_HIDDEN) == 0, "guest ABI: leaf 1 EDX");

/* Leaf 7.0: TSC_ADJUST is emulated; CET is not (its MSRs are #GP), nor WAITPKG. */
static void filter_leaf7(const struct cpuid_guest *g, struct cpuid_regs *r)
{
	if (!(g->secondary & SECONDARY_EXEC_ENABLE_INVPCID))
		r->ebx &= ~(uint32_t)CPUID_7_EBX_INVPCID;
	r->ecx &= ~(uint32_t)(CPUID_7_ECX_WAITPKG | CPUID_7_ECX_CET_SS);
	r->edx &= ~(uint32_t)CPUID_7_EDX_CET_IBT;
}

/*
 * Leaf 0xD: XSAVES only with its VM-execution control; the IA32_XSS bits
 * (subleaf 1 ECX:EDX) and supervisor components (subleaves >= 2) only as far
 * as msr_xss_allowed() lets the guest set them.
 */
static void filter_xsave(uint32_t subleaf, const struct cpuid_guest *g, struct cpuid_regs *r)
{
	uint64_t allowed = msr_xss_allowed(((uint64_t)r->edx << 32) | r->ecx);

	if (subleaf == 1) {
		if (!(g->secondary & SECONDARY_EXEC_ENABLE_XSAVES)) {
			r->eax &= ~(uint32_t)CPUID_D_1_EAX_XSAVES;
			allowed = 0;
		}
		r->ecx = (uint32_t)allowed;
		r->edx = (uint32_t)(allowed >> 32);
	} else if (subleaf >= 2 && subleaf < 64 && (r->ecx & CPUID_D_N_ECX_SUPERVISOR) &&
		   !(g->secondary & SECONDARY_EXEC_ENABLE_XSAVES && allowed & BIT(subleaf))) {
		*r = (struct cpuid_regs){0, 0, 0, 0};
	}
}

/*
 * Leaves 0x15 and 0x16 tell the TSC's rate: Tessera's measured one, never the
 * CPU model's claim (an emulator's or a hypervisor's TSC need not run at it).
 * The "crystal" is the TSC itself (ratio 1/1), which is also the rate the
 * vLAPIC timer counts at, as Linux assumes of the crystal. Zeros when the
 * rate is unknown: the guest then measures it.
 */
static void tsc_leaves(uint32_t leaf, const struct cpuid_guest *g, struct cpuid_regs *r)
{
	uint64_t hz = g->tsc_khz * 1000, mhz = g->tsc_khz / 1000;

	if (!g->tsc_khz || hz > 0xffffffffull)
		*r = (struct cpuid_regs){0, 0, 0, 0};
	else if (leaf == CPUID_LEAF_TSC)
		*r = (struct cpuid_regs){1, 1, (uint32_t)hz, 0};
	else
		*r = (struct cpuid_regs){(uint32_t)mhz, (uint32_t)mhz, (uint32_t)mhz, 0};
}

void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_guest *g,
		  struct cpuid_regs *r)
{
	switch (leaf) {
	case CPUID_LEAF_FEATURES:
		r->ecx = (r->ecx & ~(uint32_t)(LEAF1_ECX_HIDDEN | CPUID_1_ECX_OSXSAVE)) |
			 (uint32_t)LEAF1_ECX_SET | (g->osxsave ? (uint32_t)CPUID_1_ECX_OSXSAVE : 0);
		if (g->no_x2apic)
			r->ecx &= ~(uint32_t)CPUID_1_ECX_X2APIC;
		r->edx &= ~(uint32_t)LEAF1_EDX_HIDDEN;
		/* pmu = on: IA32_PERF_CAPABILITIES exists, emulated (hv/policy/pmu_policy.c). */
		if (g->pmu)
			r->ecx |= (uint32_t)CPUID_1_ECX_PDCM;
		/* A hardware-disabled APIC is absent from CPUID, as on hardware (SDM 11.4.3). */
		if (g->apic_disabled)
			r->edx &= ~(uint32_t)CPUID_1_EDX_APIC;
		r->ebx = (r->ebx & ~CPUID_1_EBX_APIC_ID_MASK) |
			 (g->vcpu_index << CPUID_1_EBX_APIC_ID_SHIFT);
		break;
	case CPUID_LEAF_PMU:
		if (!g->pmu)
			*r = (struct cpuid_regs){0, 0, 0, 0};
		break;
	case CPUID_LEAF_MWAIT:
		*r = (struct cpuid_regs){0, 0, 0, 0};
		break;
	case CPUID_LEAF_THERMAL_POWER: /* no thermal, HWP, APERF/MPERF or EPB MSRs */
		*r = (struct cpuid_regs){r->eax & CPUID_6_EAX_ARAT, 0, 0, 0};
		break;
	case CPUID_LEAF_EXT_FEATURES:
		if (subleaf == 0)
			filter_leaf7(g, r);
		break;
	case CPUID_LEAF_TOPOLOGY:
	case CPUID_LEAF_TOPOLOGY_V2:
		r->edx = g->vcpu_index; /* x2APIC ID */
		break;
	case CPUID_LEAF_XSAVE:
		filter_xsave(subleaf, g, r);
		break;
	case CPUID_LEAF_TSC:
	case CPUID_LEAF_FREQ:
		tsc_leaves(leaf, g, r);
		break;
	case CPUID_EXT_FEATURES:
		if (!(g->secondary & SECONDARY_EXEC_ENABLE_RDTSCP))
			r->edx &= ~(uint32_t)CPUID_80000001_EDX_RDTSCP;
		break;
	case CPUID_EXT_ADDR_SIZES: /* xom: the alias bit is the first the guest is not told of */
		if (g->xom_bit)
			r->eax = (r->eax & ~0xffu) | (g->xom_bit & 0xffu);
		break;
	default:
		break;
	}
}
