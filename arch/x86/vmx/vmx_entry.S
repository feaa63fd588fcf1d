/*
 * uint64_t vmx_enter(struct vmx_guest_ctx *ctx)
 *
 * Saves the host's callee-saved registers and ctx on the stack, points HOST_RSP
 * at that frame (only when it moved: a VMWRITE saved per entry), then looks at
 * this CPU's request word (percpu.requests, hv/vcpu/request.h): when a bit is
 * set it enters nothing and returns VMX_ENTER_REQUESTS. Else it loads the
 * guest's general registers and runs VMLAUNCH, or VMRESUME once ctx->launched
 * is set (the exit path sets it: an exit proves the launch). A VM exit lands at
 * vmx_exit_point (HOST_RIP) with the stack exactly as it was at entry: it stores
 * the guest registers into ctx, restores the host's and returns the exit reason
 * (VM_EXIT_REASON, 32 bits), so the run loop needs one compare to tell an
 * ordinary exit from everything else. If the entry instruction fails,
 * execution falls through and we return VMX_ENTER_FAILED | 1 (VMfailValid) or
 * | 2 (VMfailInvalid). The guest's RSP and RIP live in the VMCS; CR2 is left in
 * the hardware register (the hypervisor itself never takes a page fault it
 * survives), so neither is touched here.
 *
 * vmx_enter_window .. vmx_enter_window_end: from the look at the requests to the
 * entry instruction. A kick (an NMI) that lands in root mode there would be
 * lost, the look being over; the NMI handler moves RIP back to the look
 * (vmx_enter_nmi_fixup, arch/x86/vmx/vmx.c), with RDI reloaded from the ctx
 * pointer on top of the stack, the only register the window overwrites that
 * the look needs.
 */
#include "asm_offsets.h" /* generated from guest_ctx.h and vmcs_fields.h */
#define G(n) (CTX_GPR + (n) * 8)

	.text
	.globl vmx_enter
vmx_enter:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi
	cmpq %rsp, CTX_HOST_RSP(%rdi)
	je 1f
	movq %rsp, CTX_HOST_RSP(%rdi)
	movl $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
1:
	.globl vmx_enter_window
vmx_enter_window:
	cmpq $0, %gs:PERCPU_REQUESTS
	jne 5f
	cmpq $0, CTX_LAUNCHED(%rdi)	/* flags survive the MOVs below */
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
	jnz 2f
	vmlaunch
	jmp 3f
2:	vmresume
	.globl vmx_enter_window_end
vmx_enter_window_end:
3:	/* VM entry failed: CF=1 VMfailInvalid, ZF=1 VMfailValid. */
	movl $2, %eax
	movl $1, %ecx
	cmovzl %ecx, %eax
	btsq $VMX_ENTER_FAILED_BIT, %rax
	popq %rdi
	jmp 4f
5:	/* Requests are waiting: the run loop handles them first. */
	xorl %eax, %eax
	btsq $VMX_ENTER_REQUESTS_BIT, %rax
	popq %rdi
	jmp 4f

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
	movq $1, CTX_LAUNCHED(%rdi)
	popq %rdi
	movl $VMCS_VM_EXIT_REASON, %eax
	vmread %rax, %rax
4:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
