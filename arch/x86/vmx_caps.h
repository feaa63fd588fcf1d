/*
 * The VMX feature record of one CPU: the capability MSRs as read, and what they
 * mean. Filled by vmx_caps_probe() (arch/x86/vmx_caps.c) on every CPU.
 */
#ifndef TESSERA_ARCH_X86_VMX_CAPS_H
#define TESSERA_ARCH_X86_VMX_CAPS_H

#include "lib/types.h"

struct vmx_caps {
	bool present;	     /* CPUID.1:ECX.VMX and the MSRs readable */
	const char *missing; /* why VMX cannot be used, or NULL */

	/* Raw capability MSRs (0 when absent). */
	uint64_t basic, pinbased, procbased, procbased2, procbased3, exit, entry, misc;
	uint64_t ept_vpid, vmfunc, cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint32_t vmcs_revision;
	bool true_ctls; /* the TRUE_* control MSRs exist (VMX_BASIC bit 55) */

	/* Decoded features ("allowed-1" for controls). */
	bool ept, ept_wb, ept_uc, ept_4level, ept_5level, ept_2m, ept_1g, ept_exec_only, ept_ad;
	bool invept, invvpid, vpid;
	bool unrestricted_guest, apic_access, apic_register_virt, virt_intr_delivery;
	bool posted_intr, preemption_timer, x2apic_virt, tpr_shadow;
	bool msr_bitmap, io_bitmap, vmcs_shadowing, pml, spp, mbec, vmfunc_eptp_switch, ept_ve;
	bool tsc_scaling, xsaves, secondary_ctls, tertiary_ctls;
	uint32_t preemption_timer_rate; /* TSC shift, VMX_MISC[4:0] */
};

#endif
