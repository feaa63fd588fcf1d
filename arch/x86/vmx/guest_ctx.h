/*
 * The guest's general registers as the VM entry/exit code (vmx_entry.S) saves
 * and loads them. vmx_entry.S reaches the fields through offsets generated
 * from this structure at build time (asm_offsets.c), never hand-copied ones.
 */
#ifndef TESSERA_ARCH_X86_VMX_GUEST_CTX_H
#define TESSERA_ARCH_X86_VMX_GUEST_CTX_H

#include "lib/types.h"

/*
 * Guest general registers in instruction-encoding order, so a register number
 * from an exit qualification indexes gpr[]. RSP lives in the VMCS; gpr[4] is
 * not used by the entry/exit code.
 */
enum {
	GPR_RAX,
	GPR_RCX,
	GPR_RDX,
	GPR_RBX,
	GPR_RSP,
	GPR_RBP,
	GPR_RSI,
	GPR_RDI,
	GPR_R8,
	GPR_R15 = 15
};

struct vmx_guest_ctx {
	uint64_t gpr[16];
	uint64_t host_rsp; /* the HOST_RSP last written to the VMCS */
	uint64_t launched; /* VMLAUNCH done (then VMRESUME); set by the entry path */
};

#ifndef HOST_TEST
/*
 * Enters the guest (VMLAUNCH, or VMRESUME once ctx->launched); returns 0 after
 * a VM exit, else the VMfail kind (1 = VMfailValid: see VM_INSTRUCTION_ERROR,
 * 2 = VMfailInvalid). vmx_enter_guest (vmx_entry.S) saves no host register but
 * RBP: the clobbers below let the compiler keep only what the caller still
 * needs, a dozen instructions fewer on every exit than saving all six.
 */
static inline int vmx_enter(struct vmx_guest_ctx *ctx)
{
	int fail;

	__asm__ volatile("call vmx_enter_guest"
			 : "=a"(fail), "+D"(ctx)
			 :
			 : "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13",
			   "r14", "r15", "cc", "memory");
	return fail;
}
#endif

#endif
