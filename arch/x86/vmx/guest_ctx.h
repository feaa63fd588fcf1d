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

/*
 * What vmx_enter returns besides a VM-exit reason (which is 32 bits): a VMfail
 * (VMX_ENTER_FAILED | 1 for VMfailValid: see VM_INSTRUCTION_ERROR, | 2 for
 * VMfailInvalid), or VMX_ENTER_REQUESTS: this CPU has requests waiting, nothing
 * was entered. Both are above any exit reason.
 */
#define VMX_ENTER_FAILED_BIT   32
#define VMX_ENTER_FAILED       (1ull << VMX_ENTER_FAILED_BIT)
#define VMX_ENTER_REQUESTS_BIT 33
#define VMX_ENTER_REQUESTS     (1ull << VMX_ENTER_REQUESTS_BIT)

#ifndef HOST_TEST
/*
 * Unless this CPU has requests waiting, enters the guest (VMLAUNCH, or
 * VMRESUME once ctx->launched) and returns the exit reason. vmx_enter_guest
 * (vmx_entry.S) saves no host register but RBP: the clobbers below let the
 * compiler keep only what the caller still needs, a dozen instructions fewer on
 * every exit than saving all six.
 */
static inline uint64_t vmx_enter(struct vmx_guest_ctx *ctx)
{
	uint64_t r;

	__asm__ volatile("call vmx_enter_guest"
			 : "=a"(r), "+D"(ctx)
			 :
			 : "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13",
			   "r14", "r15", "cc", "memory");
	return r;
}

/*
 * From vmx_enter's look at the requests to its entry instruction, for the
 * VMRESUME and the VMLAUNCH paths: a kick landing there is rewound to the look
 * (vmx_enter_nmi_fixup).
 */
extern const char vmx_enter_window[], vmx_enter_window_end[];
extern const char vmx_launch_window[], vmx_launch_window_end[];
#endif

#endif
