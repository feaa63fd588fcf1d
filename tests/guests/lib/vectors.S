/*
 * Exception entry for all 256 vectors, and the two context switches the
 * exception code needs: ctx_call() (remember where to come back to when an
 * expected fault abandons a function) and user_enter() (drop to CPL 3).
 * struct exc_frame and struct exc_context in exceptions.h mirror the layouts.
 */
#include "tests/guests/lib/boot_layout.h"

#define CTX_RBX 0
#define CTX_RBP 8
#define CTX_R12 16
#define CTX_R13 24
#define CTX_R14 32
#define CTX_R15 40
#define CTX_RSP 48

/* Vectors for which the CPU pushes an error code. */
.macro VECTOR n
	.balign 16
1:
	.if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp exc_common
	.pushsection .rodata.exc_vectors, "a"
	.quad 1b
	.popsection
.endm

	.pushsection .rodata.exc_vectors, "a"
	.balign 8
	.globl exc_vector_table
exc_vector_table:
	.popsection

	.text
	.altmacro
	.set vec, 0
	.rept 256
	VECTOR %vec
	.set vec, vec + 1
	.endr
	.noaltmacro

/* Stack here: vector, error code, RIP, CS, RFLAGS, RSP, SS. */
exc_common:
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
	cld
	movq %rsp, %rdi
	call exc_dispatch
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
	addq $16, %rsp
	iretq

.macro SAVE_CONTEXT
	movq %rbx, CTX_RBX(%rdi)
	movq %rbp, CTX_RBP(%rdi)
	movq %r12, CTX_R12(%rdi)
	movq %r13, CTX_R13(%rdi)
	movq %r14, CTX_R14(%rdi)
	movq %r15, CTX_R15(%rdi)
	movq %rsp, CTX_RSP(%rdi)	/* points at our return address */
.endm

/* uint64_t ctx_call(struct exc_context *ctx, void (*fn)(void *), void *arg) */
	.globl ctx_call
ctx_call:
	SAVE_CONTEXT
	subq $8, %rsp			/* keep the stack 16-byte aligned for fn */
	movq %rdx, %rdi
	call *%rsi
	addq $8, %rsp
	xorl %eax, %eax
	ret

/*
 * exc_resume_context() points an exception frame here, with RSP and the
 * callee-saved registers from the context and RAX the value to return.
 */
	.globl ctx_landing
ctx_landing:
	ret

/* uint64_t user_enter(struct exc_context *ctx, long (*fn)(void *), void *arg, uint64_t rsp) */
	.globl user_enter
user_enter:
	SAVE_CONTEXT
	pushq $GUEST_SEL_USER_DATA	/* SS */
	pushq %rcx			/* RSP */
	pushq $0x2			/* RFLAGS: IF = 0, IOPL = 0 */
	pushq $GUEST_SEL_USER_CODE	/* CS */
	leaq user_trampoline(%rip), %rax
	pushq %rax			/* RIP */
	movq %rdx, %rdi
	iretq

/* At CPL 3: RSI = fn, RDI = arg. The result goes back in RDI by int $0x80. */
user_trampoline:
	call *%rsi
	movq %rax, %rdi
	int $GUEST_VEC_USER_RETURN
	ud2
