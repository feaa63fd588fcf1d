/*
 * The VMX feature record of one CPU: the capability MSRs as read, and what they
 * mean. Filled by vmx_caps_probe() (arch/x86/vmx/vmx_caps.c) on every CPU.
 */
#ifndef TESSERA_ARCH_X86_VMX_CAPS_H
#define TESSERA_ARCH_X86_VMX_CAPS_H

#include "lib/types.h"

struct vmx_caps {
	bool present;	     /* CPUID.1:ECX.VMX and the MSRs readable */
	const char *missing; /* why VMX cannot be used, or NULL */

	/*
	 * Raw capability MSRs (0 when absent). pinbased, procbased, exit and entry hold
	 * the IA32_VMX_TRUE_* values when true_ctls is set (same allowed-1 bits, exact
	 * allowed-0 bits).
	 */
	uint64_t basic, pinbased, procbased, procbased2, procbased3, exit, entry, misc;
	uint64_t ept_vpid, vmfunc, cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint32_t vmcs_revision;
	uint32_t vmcs_size;	/* bytes of a VMCS / VMXON region, VMX_BASIC[44:32] */
	uint32_t vmcs_mem_type; /* memory type for VMCS accesses, VMX_BASIC[53:50] */
	bool addr_32bit;	/* regions must lie below 4 GiB (VMX_BASIC[48]) */
	bool true_ctls;		/* the TRUE_* control MSRs exist (VMX_BASIC bit 55) */

	/* Decoded features ("allowed-1" for controls). */
	bool ept, ept_wb, ept_uc, ept_4level, ept_5level, ept_2m, ept_1g, ept_exec_only, ept_ad;
	bool invept, invvpid, vpid;
	bool invept_single, invept_all;			       /* INVEPT types 1, 2 */
	bool invvpid_addr, invvpid_single, invvpid_single_nog; /* INVVPID types 0, 1, 3 */
	bool unrestricted_guest, apic_access, apic_register_virt, virt_intr_delivery;
	bool posted_intr, preemption_timer, x2apic_virt, tpr_shadow;
	bool msr_bitmap, io_bitmap, vmcs_shadowing, pml, spp, mbec, vmfunc_eptp_switch, ept_ve;
	bool tsc_scaling, xsaves, secondary_ctls, tertiary_ctls;
	bool vm_functions;		/* secondary control "enable VM functions" */
	uint32_t preemption_timer_rate; /* TSC shift, VMX_MISC[4:0] */
};

/*
 * Reads this CPU's VMX capabilities into caps (CPUID, IA32_FEATURE_CONTROL, which it
 * locks with VMXON outside SMX enabled when the firmware left it unlocked, and the
 * capability MSRs the SDM says exist), then decodes them. caps->missing says why
 * this CPU cannot run Tessera, or is NULL. Logs nothing except oddities.
 */
void vmx_caps_probe(struct vmx_caps *caps);

/*
 * Pure: turns the raw MSR values in caps into the feature booleans and sets
 * caps->missing (unless already set) when a feature Tessera requires is absent:
 * a sane VMX_BASIC, 64-bit host and guest controls, EPT with a 4-level walk and
 * write-back paging structures, unrestricted guest. Everything else is optional.
 */
void vmx_caps_decode(struct vmx_caps *caps);

/*
 * Pure: the value a control register must hold in VMX operation, given its
 * IA32_VMX_CRn_FIXED0/1 MSRs (a bit set in FIXED0 must be 1, a bit clear in
 * FIXED1 must be 0). Only bits in may_set are set; no set bit is cleared, since
 * clearing e.g. CR0.PG under our feet would be fatal. Returns true with *out set,
 * or false with *bad holding the offending bits.
 */
bool vmx_fixed_cr(uint64_t cur, uint64_t fixed0, uint64_t fixed1, uint64_t may_set, uint64_t *out,
		  uint64_t *bad);

#endif
