/*
 * Interrupt and exception entry. One stub per vector makes every frame look
 * alike: where the CPU pushes no error code the stub pushes a 0, then it pushes
 * the vector number and jumps to trap_common, which saves every general-purpose
 * register into a struct trap_frame (arch/x86/traps.h), calls
 * trap_dispatch(frame), restores the registers (the handler may have changed
 * them, e.g. RIP for an exception fix-up) and returns with iretq.
 *
 * The CPU aligns RSP to 16 bytes before it pushes the 5-word interrupt frame;
 * error code, vector and 15 registers make the frame 176 bytes, so RSP is still
 * 16-byte aligned at the call, as the C ABI wants.
 */

/* Vectors for which the CPU pushes an error code (SDM 6.13): see exception.h. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			   (v) == 21 || (v) == 29 || (v) == 30)

	.section .text
	.balign 16
trap_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq

/* The stubs: vector N at trap_stub_N. */
.macro trap_stub vector
	.balign 16
trap_stub_\vector:
	.if !HAS_ERROR_CODE(\vector)
	pushq $0
	.endif
	pushq $\vector
	jmp trap_common
.endm

.altmacro
.macro trap_stub_address vector
	.quad trap_stub_\vector
.endm

	.set vec, 0
	.rept 256
	trap_stub %vec
	.set vec, vec + 1
	.endr

	.section .rodata
	.balign 8
	.globl trap_stub_table
trap_stub_table:
	.set vec, 0
	.rept 256
	trap_stub_address %vec
	.set vec, vec + 1
	.endr
