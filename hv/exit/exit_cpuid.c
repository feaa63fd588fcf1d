/*
 * CPUID exits: the hardware's answer, filtered (hv/policy/cpuid_policy.c), or the
 * hypervisor leaves (Hyper-V's at 0x40000000 with hyperv = on, Tessera's at
 * 0x40000100 and, without Hyper-V, at 0x40000000 too). A hot path: no logging, one VMCS read
 * and only for leaf 1.
 */
#include "hv/exit/vmexit.h"
#include "hv/policy/cpuid_policy.h"
#include "hv/partition/partition.h"
#include "hv/hyperv/hyperv.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "drivers/tsc.h"

/* The leaves cpuid_filter() changes, and Tessera's own: out of line, off the common path. */
static __attribute__((noinline)) enum exit_action special_leaf(struct vcpu *v, uint32_t leaf)
{
	uint32_t subleaf = (uint32_t)v->ctx.gpr[GPR_RCX];
	struct cpuid_regs r;

	if (cpuid_is_hv_leaf(leaf)) {
		/* Hyper-V's leaves where offered (0x40000000-6), else Tessera's (or zeros). */
		if (!hyperv_cpuid(v, leaf, &r))
			r = cpuid_hv_leaf_for(leaf, memprot_features(v->part), v->part->mp.xom_bit);
	} else {
		struct cpuid_guest g = {.vcpu_index = v->index,
					.secondary = v->secondary,
					.tsc_khz = tsc_khz(),
					.xom_bit = v->part->mp.xom_bit,
					.pmu = v->part->cfg->pmu == CONFIG_ON};

		/* Host CR4.OSXSAVE is always set: leaf 1 must show the guest's. */
		if (leaf == CPUID_LEAF_FEATURES) {
			g.osxsave = vmread(GUEST_CR4) & CR4_OSXSAVE;
			g.no_x2apic = v->part->cfg->x2apic == CONFIG_OFF;
			g.apic_disabled = !vlapic_hw_enabled(&v->apic.lapic);
		}
		r = cpuid(leaf, subleaf);
		cpuid_filter(leaf, subleaf, &g, &r);
	}
	/* 32-bit results: the upper halves of the 64-bit registers become zero. */
	v->ctx.gpr[GPR_RAX] = r.eax;
	v->ctx.gpr[GPR_RBX] = r.ebx;
	v->ctx.gpr[GPR_RCX] = r.ecx;
	v->ctx.gpr[GPR_RDX] = r.edx;
	return EXIT_ADVANCE;
}

enum exit_action handle_cpuid(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)v->ctx.gpr[GPR_RAX];
	uint64_t *gpr = v->ctx.gpr;

	/* The basic leaves first: for them one bit test decides (no hypervisor leaf is below 32).
	 */
	if (leaf < 32) {
		if (unlikely((CPUID_FILTERED_BASIC >> leaf) & 1))
			return special_leaf(v, leaf);
	} else if (unlikely(cpuid_is_hv_leaf(leaf) || cpuid_leaf_filtered(leaf))) {
		return special_leaf(v, leaf);
	}
	/*
	 * Every other leaf is the hardware's answer. CPUID clears the upper halves of
	 * RAX, RBX, RCX and RDX itself, so its 64-bit registers go straight to the guest.
	 */
	__asm__ volatile("cpuid"
			 : "=a"(gpr[GPR_RAX]), "=b"(gpr[GPR_RBX]), "=c"(gpr[GPR_RCX]),
			   "=d"(gpr[GPR_RDX])
			 : "a"((uint64_t)leaf), "c"(gpr[GPR_RCX] & 0xffffffff));
	return EXIT_ADVANCE;
}
