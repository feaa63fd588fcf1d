/*
 * VMX discovery: which VMX features this CPU offers, read from CPUID and the
 * VMX capability MSRs (SDM Vol. 3D appendix A), and whether Tessera can use it.
 *
 * The MSRs are read only where the SDM says they exist, and through rdmsr_safe(),
 * so a CPU or emulator that advertises an MSR it lacks costs a feature, not the
 * machine. Decoding is a separate pure function so host tests can feed it the
 * raw values of any CPU.
 */
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "lib/log.h"
#include "lib/string.h"

static bool allowed1(uint64_t ctls_msr, uint64_t bit)
{
	return (VMX_CTLS_ALLOWED1(ctls_msr) & bit) != 0;
}

/* Sets the first reason only: the earliest problem is the one worth reporting. */
static void require(struct vmx_caps *caps, bool ok, const char *reason)
{
	if (!ok && !caps->missing)
		caps->missing = reason;
}

static void decode_basic(struct vmx_caps *caps)
{
	uint64_t basic = caps->basic;

	caps->vmcs_revision = (uint32_t)(basic & VMX_BASIC_REVISION_MASK);
	caps->vmcs_size =
	    (uint32_t)((basic >> VMX_BASIC_VMCS_SIZE_SHIFT) & VMX_BASIC_VMCS_SIZE_MASK);
	caps->vmcs_mem_type =
	    (uint32_t)((basic >> VMX_BASIC_MEM_TYPE_SHIFT) & VMX_BASIC_MEM_TYPE_MASK);
	caps->addr_32bit = (basic & VMX_BASIC_32BIT_ADDRESSES) != 0;
	caps->true_ctls = (basic & VMX_BASIC_TRUE_CTLS) != 0;
	caps->preemption_timer_rate = (uint32_t)(caps->misc & VMX_MISC_PREEMPTION_TIMER_RATE_MASK);
}

static void decode_controls(struct vmx_caps *caps)
{
	uint64_t pin = caps->pinbased, proc = caps->procbased;

	caps->posted_intr = allowed1(pin, PIN_BASED_POSTED_INTR);
	caps->preemption_timer = allowed1(pin, PIN_BASED_VMX_PREEMPTION_TIMER);
	caps->tpr_shadow = allowed1(proc, CPU_BASED_TPR_SHADOW);
	caps->msr_bitmap = allowed1(proc, CPU_BASED_USE_MSR_BITMAPS);
	caps->io_bitmap = allowed1(proc, CPU_BASED_USE_IO_BITMAPS);
	caps->secondary_ctls = allowed1(proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	caps->tertiary_ctls = allowed1(proc, CPU_BASED_ACTIVATE_TERTIARY_CONTROLS);

	/* The secondary MSR means nothing unless the primary controls allow it. */
	uint64_t sec = caps->secondary_ctls ? caps->procbased2 : 0;

	caps->apic_access = allowed1(sec, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES);
	caps->ept = allowed1(sec, SECONDARY_EXEC_ENABLE_EPT);
	caps->x2apic_virt = allowed1(sec, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE);
	caps->vpid = allowed1(sec, SECONDARY_EXEC_ENABLE_VPID);
	caps->unrestricted_guest = allowed1(sec, SECONDARY_EXEC_UNRESTRICTED_GUEST);
	caps->apic_register_virt = allowed1(sec, SECONDARY_EXEC_APIC_REGISTER_VIRT);
	caps->virt_intr_delivery = allowed1(sec, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY);
	caps->vm_functions = allowed1(sec, SECONDARY_EXEC_ENABLE_VMFUNC);
	caps->vmcs_shadowing = allowed1(sec, SECONDARY_EXEC_SHADOW_VMCS);
	caps->pml = allowed1(sec, SECONDARY_EXEC_ENABLE_PML);
	caps->ept_ve = allowed1(sec, SECONDARY_EXEC_EPT_VIOLATION_VE);
	caps->xsaves = allowed1(sec, SECONDARY_EXEC_ENABLE_XSAVES);
	caps->mbec = allowed1(sec, SECONDARY_EXEC_MODE_BASED_EPT_EXEC);
	caps->spp = allowed1(sec, SECONDARY_EXEC_EPT_SUB_PAGE_PERMISSIONS);
	caps->tsc_scaling = allowed1(sec, SECONDARY_EXEC_TSC_SCALING);
}

/* IA32_VMX_EPT_VPID_CAP and IA32_VMX_VMFUNC, each only where a control allows it. */
static void decode_ept_vpid(struct vmx_caps *caps)
{
	uint64_t ept = caps->ept ? caps->ept_vpid : 0;
	uint64_t vpid = caps->vpid ? caps->ept_vpid : 0;

	caps->ept_exec_only = (ept & VMX_EPT_EXECUTE_ONLY) != 0;
	caps->ept_4level = (ept & VMX_EPT_PAGE_WALK_4) != 0;
	caps->ept_5level = (ept & VMX_EPT_PAGE_WALK_5) != 0;
	caps->ept_uc = (ept & VMX_EPT_MEMTYPE_UC) != 0;
	caps->ept_wb = (ept & VMX_EPT_MEMTYPE_WB) != 0;
	caps->ept_2m = (ept & VMX_EPT_2MB_PAGE) != 0;
	caps->ept_1g = (ept & VMX_EPT_1GB_PAGE) != 0;
	caps->invept = (ept & VMX_EPT_INVEPT) != 0;
	caps->invept_single = caps->invept && (ept & VMX_EPT_INVEPT_SINGLE_CONTEXT);
	caps->invept_all = caps->invept && (ept & VMX_EPT_INVEPT_ALL_CONTEXT);
	caps->ept_ad = (ept & VMX_EPT_AD) != 0;
	caps->invvpid = (vpid & VMX_VPID_INVVPID) != 0;
	caps->invvpid_addr = caps->invvpid && (vpid & VMX_VPID_INVVPID_INDIVIDUAL_ADDR);
	caps->invvpid_single = caps->invvpid && (vpid & VMX_VPID_INVVPID_SINGLE_CONTEXT);
	caps->invvpid_single_nog = caps->invvpid && (vpid & VMX_VPID_INVVPID_SINGLE_CONTEXT_NOG);

	/*
	 * Sub-features of EPT are no use without EPT itself; nor, per the VM-entry
	 * checks, is unrestricted guest.
	 */
	caps->unrestricted_guest = caps->unrestricted_guest && caps->ept;
	caps->mbec = caps->mbec && caps->ept;
	caps->spp = caps->spp && caps->ept;
	caps->pml = caps->pml && caps->ept;
	caps->ept_ve = caps->ept_ve && caps->ept;
	caps->vmfunc_eptp_switch =
	    caps->vm_functions && caps->ept && (caps->vmfunc & VMX_VMFUNC_EPTP_SWITCHING) != 0;
}

void vmx_caps_decode(struct vmx_caps *caps)
{
	decode_basic(caps);
	decode_controls(caps);
	decode_ept_vpid(caps);

	require(caps, caps->vmcs_size != 0 && caps->vmcs_size <= VMX_REGION_MAX_SIZE,
		"IA32_VMX_BASIC reports an impossible VMCS region size");
	require(caps, caps->vmcs_mem_type == VMX_MEM_TYPE_WB,
		"VMCS memory type is not write-back (IA32_VMX_BASIC[53:50])");
	require(caps, allowed1(caps->exit, VM_EXIT_HOST_ADDR_SPACE_SIZE),
		"64-bit host (VM-exit control \"host address-space size\") not supported");
	require(caps, allowed1(caps->entry, VM_ENTRY_IA32E_MODE),
		"64-bit guests (VM-entry control \"IA-32e mode guest\") not supported");
	require(caps, caps->secondary_ctls,
		"EPT not supported (no secondary processor-based controls)");
	require(caps, caps->ept, "EPT not supported");
	require(caps, caps->ept_4level, "EPT 4-level page walk not supported");
	require(caps, caps->ept_wb, "EPT write-back paging structures not supported");
	require(caps, caps->unrestricted_guest, "unrestricted guest not supported");
}

bool vmx_fixed_cr(uint64_t cur, uint64_t fixed0, uint64_t fixed1, uint64_t may_set, uint64_t *out,
		  uint64_t *bad)
{
	uint64_t must_clear = cur & ~fixed1;
	uint64_t must_set = fixed0 & ~cur;
	uint64_t conflict = fixed0 & ~fixed1; /* a lying CPU: must be both 1 and 0 */

	*bad = must_clear | (must_set & ~may_set) | conflict;
	*out = cur | must_set;
	return *bad == 0;
}

#ifndef HOST_TEST
/* Reads an MSR the SDM says exists; on #GP records why and returns 0. */
static uint64_t read_required(struct vmx_caps *caps, uint32_t msr, const char *why)
{
	uint64_t v = 0;

	if (!rdmsr_safe(msr, &v)) {
		require(caps, false, why);
		return 0;
	}
	return v;
}

/* An optional MSR: a CPU that advertises it but faults loses only that feature. */
static uint64_t read_optional(uint32_t msr, const char *name)
{
	uint64_t v = 0;

	if (!rdmsr_safe(msr, &v)) {
		log_warn("vmx: %s (%#x) is advertised but faults; ignoring it", name, msr);
		return 0;
	}
	return v;
}

/* VMXON outside SMX must be enabled in IA32_FEATURE_CONTROL, and the MSR locked. */
static bool enable_feature_control(struct vmx_caps *caps)
{
	const uint64_t want = FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
	uint64_t fc;

	if (!rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc)) {
		caps->missing = "IA32_FEATURE_CONTROL cannot be read";
		return false;
	}
	/* Unlocked (firmware left it to us): enable VMXON outside SMX and lock it. */
	if (!(fc & FEATURE_CONTROL_LOCKED) && (!wrmsr_safe(MSR_IA32_FEATURE_CONTROL, fc | want) ||
					       !rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc)))
		fc = 0;
	if ((fc & want) == want)
		return true;
	if (fc & FEATURE_CONTROL_LOCKED)
		caps->missing = "VMX disabled by firmware (IA32_FEATURE_CONTROL locked without "
				"VMXON outside SMX)";
	else
		caps->missing = "IA32_FEATURE_CONTROL does not keep VMXON outside SMX enabled";
	return false;
}

static void read_capability_msrs(struct vmx_caps *caps)
{
	const char *unreadable = "a VMX capability MSR the SDM guarantees faults on read";

	caps->basic = read_required(caps, MSR_IA32_VMX_BASIC, "IA32_VMX_BASIC cannot be read");
	if (caps->missing)
		return;
	if (caps->basic & VMX_BASIC_TRUE_CTLS) {
		caps->pinbased = read_required(caps, MSR_IA32_VMX_TRUE_PINBASED_CTLS, unreadable);
		caps->procbased = read_required(caps, MSR_IA32_VMX_TRUE_PROCBASED_CTLS, unreadable);
		caps->exit = read_required(caps, MSR_IA32_VMX_TRUE_EXIT_CTLS, unreadable);
		caps->entry = read_required(caps, MSR_IA32_VMX_TRUE_ENTRY_CTLS, unreadable);
	} else {
		caps->pinbased = read_required(caps, MSR_IA32_VMX_PINBASED_CTLS, unreadable);
		caps->procbased = read_required(caps, MSR_IA32_VMX_PROCBASED_CTLS, unreadable);
		caps->exit = read_required(caps, MSR_IA32_VMX_EXIT_CTLS, unreadable);
		caps->entry = read_required(caps, MSR_IA32_VMX_ENTRY_CTLS, unreadable);
	}
	caps->misc = read_required(caps, MSR_IA32_VMX_MISC, unreadable);
	caps->cr0_fixed0 = read_required(caps, MSR_IA32_VMX_CR0_FIXED0, unreadable);
	caps->cr0_fixed1 = read_required(caps, MSR_IA32_VMX_CR0_FIXED1, unreadable);
	caps->cr4_fixed0 = read_required(caps, MSR_IA32_VMX_CR4_FIXED0, unreadable);
	caps->cr4_fixed1 = read_required(caps, MSR_IA32_VMX_CR4_FIXED1, unreadable);

	if (allowed1(caps->procbased, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		caps->procbased2 =
		    read_required(caps, MSR_IA32_VMX_PROCBASED_CTLS2,
				  "IA32_VMX_PROCBASED_CTLS2 is advertised but faults");
	if (allowed1(caps->procbased, CPU_BASED_ACTIVATE_TERTIARY_CONTROLS))
		caps->procbased3 =
		    read_optional(MSR_IA32_VMX_PROCBASED_CTLS3, "IA32_VMX_PROCBASED_CTLS3");
	if (allowed1(caps->procbased2, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID))
		caps->ept_vpid = read_required(caps, MSR_IA32_VMX_EPT_VPID_CAP,
					       "IA32_VMX_EPT_VPID_CAP is advertised but faults");
	if (allowed1(caps->procbased2, SECONDARY_EXEC_ENABLE_VMFUNC))
		caps->vmfunc = read_optional(MSR_IA32_VMX_VMFUNC, "IA32_VMX_VMFUNC");
}

void vmx_caps_probe(struct vmx_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_VMX)) {
		caps->missing = "CPUID.1:ECX.VMX=0: this CPU has no VMX";
		return;
	}
	if (!enable_feature_control(caps))
		return;
	read_capability_msrs(caps);
	caps->present = !caps->missing;
	vmx_caps_decode(caps);
}
#endif
