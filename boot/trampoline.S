/*
 * Application-processor start-up trampoline. hv/core/smp.c copies this blob to a
 * page T below 1 MiB, fills the parameter block at its end, and sends
 * INIT-SIPI-SIPI with vector T >> 12. The AP starts here in real mode with
 * CS = T >> 4, IP = 0, and goes real mode -> 32-bit protected mode -> long mode
 * on the hypervisor's page tables, then calls ap_entry(percpu) on its own stack.
 * Everything is addressed relative to T: the blob is position independent.
 */
#define TR(sym)		((sym) - trampoline_start)
#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18
#define MSR_EFER	0xc0000080

	.section .trampoline, "ax"
	.globl trampoline_start, trampoline_params
	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	xorl %ebx, %ebx
	movw %cs, %bx
	shll $4, %ebx			/* ebx = T, kept through to long mode */
	lgdtl TR(tr_gdt_ptr)
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl *TR(tr_far32)

	.code32
tr_pm32:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl TR(tp_cr4)(%ebx), %eax
	movl %eax, %cr4
	movl TR(tp_cr3)(%ebx), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl TR(tp_efer)(%ebx), %eax
	xorl %edx, %edx
	wrmsr
	movl TR(tp_cr0)(%ebx), %eax
	movl %eax, %cr0			/* paging on: IA-32e compatibility mode */
	ljmpl *TR(tr_far64)(%ebx)

	.code64
tr_lm64:
	movl %ebx, %ebx			/* upper halves are undefined after the switch */
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movq TR(tp_stack)(%rbx), %rsp
	movq TR(tp_percpu)(%rbx), %rdi
	movq TR(tp_entry)(%rbx), %rax
	xorl %ebp, %ebp
	call *%rax
1:	cli
	hlt
	jmp 1b

	.balign 16
tr_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00cf9a000000ffff	/* 0x18: 32-bit code */
tr_gdt_end:

	/* Parameter block, filled by hv/core/smp.c (layout: struct trampoline_params). */
	.balign 16
trampoline_params:
tr_gdt_ptr:	.word tr_gdt_end - tr_gdt - 1
		.long 0			/* T + TR(tr_gdt) */
		.word 0
tr_far32:	.long 0			/* T + TR(tr_pm32) */
		.word SEL_CODE32
		.word 0
tr_far64:	.long 0			/* T + TR(tr_lm64) */
		.word SEL_CODE64
		.word 0
tp_cr0:		.long 0
tp_cr3:		.long 0
tp_cr4:		.long 0
tp_efer:	.long 0
tp_stack:	.quad 0
tp_percpu:	.quad 0
tp_entry:	.quad 0
	.globl trampoline_end, trampoline_off_pm32, trampoline_off_lm64, trampoline_off_gdt
trampoline_end:
	.section .rodata
	.balign 4
trampoline_off_pm32:	.long TR(tr_pm32)
trampoline_off_lm64:	.long TR(tr_lm64)
trampoline_off_gdt:	.long TR(tr_gdt)
