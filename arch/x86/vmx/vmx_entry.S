/*
 * vmx_enter_guest: enters the guest whose registers are in the struct
 * vmx_guest_ctx at RDI. Reached only through vmx_enter() (guest_ctx.h), whose
 * asm tells the compiler that every general register but RSP and RBP is
 * clobbered: the caller keeps what it needs, so the host's callee-saved
 * registers are neither saved nor restored here (RBP, the frame pointer, is).
 *
 * Pushes RBP and ctx; when HOST_RSP already points at that frame (every entry
 * of the run loop but the first) it loads the guest's general registers and
 * runs VMRESUME. Otherwise it writes HOST_RSP, and runs VMLAUNCH unless
 * ctx->launched says the VMCS was launched (set here, before the VMLAUNCH, and
 * cleared again if that fails). A VM exit lands at vmx_exit_point (HOST_RIP)
 * with the stack exactly as at entry: it stores the guest registers into ctx
 * and returns 0. A failing entry instruction falls through and returns 1
 * (VMfailValid) or 2 (VMfailInvalid). The guest's RSP and RIP live in the VMCS;
 * CR2 is left in the hardware register (the hypervisor itself never takes a
 * page fault it survives), so neither is touched here.
 */
#include "asm_offsets.h" /* generated from guest_ctx.h and vmcs_fields.h */
#define G(n) (CTX_GPR + (n) * 8)

/* Every guest register but RSP (VMCS); RDI, the ctx pointer, last. Flags are kept. */
.macro load_guest_gprs
	movq G(0)(%rdi), %rax
	movq G(1)(%rdi), %rcx
	movq G(2)(%rdi), %rdx
	movq G(3)(%rdi), %rbx
	movq G(5)(%rdi), %rbp
	movq G(6)(%rdi), %rsi
	movq G(8)(%rdi), %r8
	movq G(9)(%rdi), %r9
	movq G(10)(%rdi), %r10
	movq G(11)(%rdi), %r11
	movq G(12)(%rdi), %r12
	movq G(13)(%rdi), %r13
	movq G(14)(%rdi), %r14
	movq G(15)(%rdi), %r15
	movq G(7)(%rdi), %rdi
.endm

	.text
	.globl vmx_enter_guest
vmx_enter_guest:
	pushq %rbp
	pushq %rdi
	cmpq %rsp, CTX_HOST_RSP(%rdi)
	jne 1f
	load_guest_gprs
	vmresume
	jmp 3f

1:	movq %rsp, CTX_HOST_RSP(%rdi)
	movl $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	cmpq $0, CTX_LAUNCHED(%rdi)	/* flags survive the MOVs below */
	movq $1, CTX_LAUNCHED(%rdi)
	load_guest_gprs
	jnz 2f
	vmlaunch
	movq (%rsp), %rdi		/* VMLAUNCH failed: the VMCS is not launched */
	movq $0, CTX_LAUNCHED(%rdi)
	jmp 3f
2:	vmresume
3:	/* VM entry failed: CF=1 VMfailInvalid, ZF=1 VMfailValid. */
	movl $2, %eax
	movl $1, %ecx
	cmovzl %ecx, %eax
	popq %rdi
	popq %rbp
	ret

	.globl vmx_exit_point
vmx_exit_point:
	pushq %rdi
	movq 8(%rsp), %rdi
	popq G(7)(%rdi)
	movq %rax, G(0)(%rdi)
	movq %rcx, G(1)(%rdi)
	movq %rdx, G(2)(%rdi)
	movq %rbx, G(3)(%rdi)
	movq %rbp, G(5)(%rdi)
	movq %rsi, G(6)(%rdi)
	movq %r8, G(8)(%rdi)
	movq %r9, G(9)(%rdi)
	movq %r10, G(10)(%rdi)
	movq %r11, G(11)(%rdi)
	movq %r12, G(12)(%rdi)
	movq %r13, G(13)(%rdi)
	movq %r14, G(14)(%rdi)
	movq %r15, G(15)(%rdi)
	popq %rdi
	xorl %eax, %eax
	popq %rbp
	ret
