/*
 * vmx_enter_guest: enters the guest whose registers are in the struct
 * vmx_guest_ctx at RDI, unless this CPU has requests waiting. Reached only
 * through vmx_enter() (guest_ctx.h), whose asm tells the compiler that every
 * general register but RSP and RBP is clobbered: the caller keeps what it
 * needs, so the host's callee-saved registers are neither saved nor restored
 * here (RBP, the frame pointer, is).
 *
 * Pushes RBP and ctx. When HOST_RSP already points at that frame (every entry
 * of the run loop but the first) the VMCS was launched: it looks at the
 * request word (percpu.requests, hv/vcpu/request.h), loads the guest's
 * registers and runs VMRESUME. Otherwise it writes HOST_RSP and, unless
 * ctx->launched says the VMCS was launched already, marks it launched, looks
 * at the requests and runs VMLAUNCH (the mark is undone if it fails or does
 * not happen). Requests waiting: nothing is entered and it returns
 * VMX_ENTER_REQUESTS. A VM exit lands at vmx_exit_point (HOST_RIP) with the
 * stack exactly as at entry: it stores the guest registers into ctx and returns
 * the exit reason (VM_EXIT_REASON, 32 bits). A failing entry instruction falls
 * through and returns VMX_ENTER_FAILED | 1 (VMfailValid) or | 2 (VMfailInvalid).
 * The guest's RSP and RIP live in the VMCS; CR2 is left in the hardware
 * register (the hypervisor itself never takes a page fault it survives).
 *
 * The windows vmx_enter_window and vmx_launch_window run from the look at the
 * requests to the entry instruction: a kick (an NMI) landing in root mode there
 * would be lost, the look being over, so the NMI handler moves RIP back to the
 * window's start (vmx_enter_nmi_fixup, arch/x86/vmx/vmx.c), with RDI reloaded
 * from the ctx pointer on top of the stack.
 */
#include "asm_offsets.h" /* generated from guest_ctx.h, vmcs_fields.h and percpu.h */
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
	.globl vmx_enter_window
vmx_enter_window:
	cmpq $0, %gs:PERCPU_REQUESTS
	jne 5f
	load_guest_gprs
	vmresume
	.globl vmx_enter_window_end
vmx_enter_window_end:
	jmp 3f

1:	movq %rsp, CTX_HOST_RSP(%rdi)
	movl $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	cmpq $0, CTX_LAUNCHED(%rdi)
	jne vmx_enter_window		/* launched; only the stack frame moved */
	movq $1, CTX_LAUNCHED(%rdi)
	.globl vmx_launch_window
vmx_launch_window:
	cmpq $0, %gs:PERCPU_REQUESTS
	jne 6f
	load_guest_gprs
	vmlaunch
	.globl vmx_launch_window_end
vmx_launch_window_end:
	movq (%rsp), %rdi		/* VMLAUNCH failed: the VMCS is not launched */
	movq $0, CTX_LAUNCHED(%rdi)
	movq $0, CTX_HOST_RSP(%rdi)
3:	/* VM entry failed: CF=1 VMfailInvalid, ZF=1 VMfailValid. */
	movl $2, %eax
	movl $1, %ecx
	cmovzl %ecx, %eax
	btsq $VMX_ENTER_FAILED_BIT, %rax
	popq %rdi
	popq %rbp
	ret

6:	/* Requests before the first launch: not launched, and the next call writes HOST_RSP. */
	movq $0, CTX_LAUNCHED(%rdi)
	movq $0, CTX_HOST_RSP(%rdi)
5:	/* Requests are waiting: the run loop handles them first. */
	xorl %eax, %eax
	btsq $VMX_ENTER_REQUESTS_BIT, %rax
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
	movl $VMCS_VM_EXIT_REASON, %eax
	vmread %rax, %rax
	popq %rbp
	ret
