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
	uint64_t launched; /* VMLAUNCH done (then VMRESUME); set by the exit path */
};

#ifndef HOST_TEST
/*
 * vmx_entry.S: enters the guest (VMLAUNCH, or VMRESUME once ctx->launched);
 * returns 0 after a VM exit, else the VMfail kind (1 = VMfailValid: see
 * VM_INSTRUCTION_ERROR, 2 = VMfailInvalid).
 */
int vmx_enter(struct vmx_guest_ctx *ctx);
#endif

#endif
