/*
 * When a VM entry fails, the CPU says only "invalid control fields", "invalid
 * host state" or "invalid guest state". We re-check the current VMCS against
 * the SDM's rules (Vol. 3C, chapter 27.2-27.3) in software and name the first
 * rule that fails, so the log says which field is wrong.
 */
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/log.h"

static bool ctl_ok(uint64_t cap, uint64_t field)
{
	uint32_t v = (uint32_t)vmread(field);

	return (v & (uint32_t)cap) == (uint32_t)cap && (v & ~(uint32_t)(cap >> 32)) == 0;
}

static bool fixed_ok(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return (value & fixed0) == fixed0 && (value & ~fixed1) == 0;
}

static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

static const char *check_controls(const struct vmx_caps *c)
{
	uint32_t proc = (uint32_t)vmread(CPU_BASED_VM_EXEC_CONTROL);
	uint32_t proc2 = proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS
			     ? (uint32_t)vmread(SECONDARY_VM_EXEC_CONTROL)
			     : 0;
	uint64_t eptp = vmread(EPT_POINTER);

	if (!ctl_ok(c->pinbased, PIN_BASED_VM_EXEC_CONTROL))
		return "pin-based controls outside IA32_VMX_(TRUE_)PINBASED_CTLS";
	if (!ctl_ok(c->procbased, CPU_BASED_VM_EXEC_CONTROL))
		return "processor-based controls outside IA32_VMX_(TRUE_)PROCBASED_CTLS";
	if ((proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	    !ctl_ok(c->procbased2, SECONDARY_VM_EXEC_CONTROL))
		return "secondary controls outside IA32_VMX_PROCBASED_CTLS2";
	if (!ctl_ok(c->exit, VM_EXIT_CONTROLS))
		return "VM-exit controls outside IA32_VMX_(TRUE_)EXIT_CTLS";
	if (!ctl_ok(c->entry, VM_ENTRY_CONTROLS))
		return "VM-entry controls outside IA32_VMX_(TRUE_)ENTRY_CTLS";
	if (vmread(CR3_TARGET_COUNT) > 4)
		return "CR3-target count above 4";
	if ((proc & CPU_BASED_USE_IO_BITMAPS) &&
	    ((vmread(IO_BITMAP_A) | vmread(IO_BITMAP_B)) & (PAGE_SIZE - 1)))
		return "I/O bitmap address not 4 KiB aligned";
	if ((proc & CPU_BASED_USE_MSR_BITMAPS) && (vmread(MSR_BITMAP) & (PAGE_SIZE - 1)))
		return "MSR bitmap address not 4 KiB aligned";
	if ((proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST) && !(proc2 & SECONDARY_EXEC_ENABLE_EPT))
		return "unrestricted guest without EPT";
	if ((proc2 & SECONDARY_EXEC_ENABLE_VPID) && vmread(VIRTUAL_PROCESSOR_ID) == 0)
		return "VPID enabled with VPID 0";
	if (proc2 & SECONDARY_EXEC_ENABLE_EPT) {
		if ((eptp & 7) != EPTP_MEMTYPE_WB || !c->ept_wb)
			return "EPTP memory type not write-back (or WB not supported)";
		if ((eptp & EPTP_WALK_MASK) != EPTP_WALK_4)
			return "EPTP walk length is not 4 levels";
		if ((eptp & EPTP_AD_ENABLE) && !c->ept_ad)
			return "EPTP enables A/D flags the CPU lacks";
		if (eptp & EPTP_RESERVED_11_7)
			return "EPTP reserved bits 11:7 set";
	}
	return NULL;
}

static const char *check_host(const struct vmx_caps *c)
{
	if (!fixed_ok(vmread(HOST_CR0), c->cr0_fixed0, c->cr0_fixed1))
		return "host CR0 violates IA32_VMX_CR0_FIXED0/1";
	if (!fixed_ok(vmread(HOST_CR4), c->cr4_fixed0, c->cr4_fixed1))
		return "host CR4 violates IA32_VMX_CR4_FIXED0/1";
	if (!(vmread(HOST_CR4) & CR4_PAE))
		return "host CR4.PAE clear with a 64-bit host";
	if (!vmread(HOST_CS_SELECTOR) || !vmread(HOST_TR_SELECTOR))
		return "host CS or TR selector is 0";
	for (uint64_t f = HOST_ES_SELECTOR; f <= HOST_TR_SELECTOR; f += 2)
		if (vmread(f) & 7)
			return "host selector with RPL or TI set";
	if (!canonical(vmread(HOST_RIP)) || !canonical(vmread(HOST_FS_BASE)) ||
	    !canonical(vmread(HOST_GS_BASE)) || !canonical(vmread(HOST_TR_BASE)) ||
	    !canonical(vmread(HOST_GDTR_BASE)) || !canonical(vmread(HOST_IDTR_BASE)))
		return "host address not canonical";
	if (!(vmread(HOST_IA32_EFER) & EFER_LMA))
		return "host IA32_EFER.LMA clear with a 64-bit host";
	return NULL;
}

static const char *check_guest(const struct vmx_caps *c)
{
	uint64_t cr0 = vmread(GUEST_CR0), cr4 = vmread(GUEST_CR4);
	uint64_t efer = vmread(GUEST_IA32_EFER), rflags = vmread(GUEST_RFLAGS);
	bool ia32e = vmread(VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE;
	uint32_t cs_ar = (uint32_t)vmread(GUEST_CS_AR_BYTES);
	uint32_t tr_ar = (uint32_t)vmread(GUEST_TR_AR_BYTES);
	uint32_t intr = (uint32_t)vmread(GUEST_INTERRUPTIBILITY_INFO);

	if (!fixed_ok(cr0 | CR0_PE | CR0_PG, c->cr0_fixed0, c->cr0_fixed1))
		return "guest CR0 violates IA32_VMX_CR0_FIXED0/1";
	if ((cr0 & CR0_PG) && !(cr0 & CR0_PE))
		return "guest CR0.PG set without CR0.PE";
	if (!fixed_ok(cr4, c->cr4_fixed0, c->cr4_fixed1))
		return "guest CR4 violates IA32_VMX_CR4_FIXED0/1";
	if (ia32e && (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE)))
		return "IA-32e mode guest without CR0.PG and CR4.PAE";
	if (ia32e != !!(efer & EFER_LMA) || ((cr0 & CR0_PG) && ia32e != !!(efer & EFER_LME)))
		return "guest IA32_EFER.LMA/LME disagree with the IA-32e mode guest control";
	if ((rflags & RFLAGS_FIXED) == 0 || (rflags & RFLAGS_RESERVED))
		return "guest RFLAGS reserved bits wrong";
	if ((rflags & RFLAGS_VM) && (ia32e || !(cr0 & CR0_PE)))
		return "guest RFLAGS.VM set in IA-32e mode or without CR0.PE";
	if (!(cs_ar & VMX_AR_P) || !(cs_ar & VMX_AR_S) || !(cs_ar & SEG_TYPE_CODE))
		return "guest CS not a present code segment";
	if (ia32e && (cs_ar & VMX_AR_L) && (cs_ar & VMX_AR_DB))
		return "guest CS has both L and D/B set";
	if ((tr_ar & VMX_AR_UNUSABLE) ||
	    ((tr_ar & VMX_AR_TYPE_MASK) != SEG_TYPE_TSS_BUSY &&
	     (tr_ar & VMX_AR_TYPE_MASK) != SEG_TYPE_TSS16_BUSY) ||
	    (ia32e && (tr_ar & VMX_AR_TYPE_MASK) != SEG_TYPE_TSS_BUSY))
		return "guest TR not a usable busy TSS";
	if (!(vmread(GUEST_LDTR_AR_BYTES) & VMX_AR_UNUSABLE) &&
	    (vmread(GUEST_LDTR_AR_BYTES) & (VMX_AR_S | VMX_AR_TYPE_MASK)) != SEG_TYPE_LDT)
		return "guest LDTR usable but not an LDT";
	if (vmread(GUEST_ACTIVITY_STATE) > GUEST_ACTIVITY_WAIT_SIPI)
		return "guest activity state out of range";
	if ((intr & GUEST_INTR_STATE_STI) && !(rflags & RFLAGS_IF))
		return "guest blocking by STI with RFLAGS.IF clear";
	if ((intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) ==
	    (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		return "guest blocking by STI and by MOV SS together";
	if (!ia32e && (vmread(GUEST_RIP) >> 32))
		return "guest RIP above 4 GiB outside IA-32e mode";
	if (vmread(VMCS_LINK_POINTER) != ~0ULL)
		return "VMCS link pointer not all ones";
	return NULL;
}

void vmentry_failed(struct vcpu *v, int fail)
{
	const struct vmx_caps *c = &v->cpu->vmx;
	uint32_t err = fail == 1 ? (uint32_t)vmread(VM_INSTRUCTION_ERROR) : 0;
	const char *why = NULL;

	if (err == VMXERR_ENTRY_INVALID_CONTROL_FIELD)
		why = check_controls(c);
	else if (err == VMXERR_ENTRY_INVALID_HOST_STATE_FIELD)
		why = check_host(c);
	partition_crash(v, "VM entry failed: %s (VM-instruction error %u)%s%s",
			fail == 1 ? vmx_instruction_error_name(err)
				  : "VMfailInvalid (no current VMCS)",
			err, why ? ": " : "", why ? why : "");
}

enum exit_action handle_entry_failure(struct vcpu *v)
{
	uint32_t reason = (uint32_t)vmread(VM_EXIT_REASON) & EXIT_REASON_BASIC_MASK;
	const char *why = reason == EXIT_REASON_INVALID_STATE ? check_guest(&v->cpu->vmx) : NULL;

	partition_crash(
	    v, "VM entry failed: %s (qualification %llu)%s%s", vmx_exit_reason_name(reason),
	    (unsigned long long)vmread(EXIT_QUALIFICATION), why ? ": " : "", why ? why : "");
	return EXIT_STOP;
}
