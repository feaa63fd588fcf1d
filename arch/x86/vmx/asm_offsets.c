/*
 * Not part of the image: compiled to assembly at build time, and the "->NAME value"
 * markers it leaves become $(BUILD)/gen/asm_offsets.h, the constants vmx_entry.S
 * uses. So the assembly follows struct vmx_guest_ctx and the VMCS encodings (and struct
 * percpu's request word) by construction.
 */
#include <stddef.h>
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/guest_ctx.h"
#include "arch/x86/vmx/vmcs_fields.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"((long)(val)))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(CTX_GPR, offsetof(struct vmx_guest_ctx, gpr));
	DEFINE(CTX_HOST_RSP, offsetof(struct vmx_guest_ctx, host_rsp));
	DEFINE(CTX_LAUNCHED, offsetof(struct vmx_guest_ctx, launched));
	DEFINE(VMCS_HOST_RSP, HOST_RSP);
	DEFINE(VMCS_VM_EXIT_REASON, VM_EXIT_REASON);
	DEFINE(PERCPU_REQUESTS, offsetof(struct percpu, requests));
	DEFINE(VMX_ENTER_FAILED_BIT, VMX_ENTER_FAILED_BIT);
	DEFINE(VMX_ENTER_REQUESTS_BIT, VMX_ENTER_REQUESTS_BIT);
}
