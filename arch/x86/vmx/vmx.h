/*
 * VMX operation on one CPU: entering and leaving VMX root operation. For now the
 * VMXON/VMXOFF smoke test that proves a CPU can enter VMX operation at all; the
 * VMX core builds on the VMXON region it leaves in percpu.
 */
#ifndef TESSERA_ARCH_X86_VMX_H
#define TESSERA_ARCH_X86_VMX_H

#include "arch/x86/percpu.h"

/* Results of vmx_smoke_test(), also kept in percpu.vmx_smoke. */
enum vmx_smoke_result {
	VMX_SMOKE_OK = 1,
	VMX_SMOKE_NOT_RUN = 0,
	VMX_SMOKE_UNUSABLE = -1,     /* vmx_caps_probe() found VMX missing on this CPU */
	VMX_SMOKE_BAD_REGION = -2,   /* the VMXON region violates VMX_BASIC's constraints */
	VMX_SMOKE_CR_FIXED = -3,     /* CR0/CR4 cannot satisfy the VMX fixed bits */
	VMX_SMOKE_VMXON_FAILED = -4, /* VMXON reported VMfailInvalid or VMfailValid */
	VMX_SMOKE_VMXOFF_FAILED = -5,
};

/*
 * On this CPU (whose caps vmx_caps_probe() filled): allocate the VMXON region once
 * (kept in cpu->vmxon_pa), apply the CR0/CR4 fixed bits, VMXON, VMXOFF, clear
 * CR4.VMXE. Logs the outcome, stores it in cpu->vmx_smoke and returns it.
 * Without usable VMX it returns VMX_SMOKE_UNUSABLE quietly.
 */
int vmx_smoke_test(struct percpu *cpu);

/*
 * Enter / leave VMX root operation on this CPU and stay there (the VMX core).
 * Return VMX_SMOKE_OK or a failure code, having logged why. Idempotent.
 */
int vmx_root_enter(struct percpu *cpu);
int vmx_root_leave(struct percpu *cpu);

/*
 * For the NMI handler: an NMI that interrupted vmx_enter between its look at
 * this CPU's requests and the entry instruction moves it back to the look, so
 * that a request whose kick (an NMI) came just then is seen before the guest
 * runs (hv/vcpu/request.h). True if it did.
 */
struct trap_frame;
bool vmx_enter_nmi_fixup(struct trap_frame *frame);

#endif
