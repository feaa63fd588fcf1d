/*
 * Where a guest's application processors start (smp.c): a blob copied to
 * GUEST_AP_TRAMPOLINE (below 1 MiB; the SIPI vector is its page number). It
 * runs at CS:IP = 0x0800:0000 in real mode, enters 32-bit protected mode with
 * a GDT of its own, then long mode on the BSP's page tables, takes a stack by
 * an atomic counter (several APs may run it at once after a broadcast SIPI)
 * and calls guest_ap_entry(index) with index 1, 2, ... in arrival order.
 */
#include "tests/guests/lib/boot_layout.h"

#define TR(x)		(GUEST_AP_TRAMPOLINE + (x) - ap_trampoline_start)
#define CR0_PE		0x00000001
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100

	.section .rodata.ap_trampoline, "a"
	.balign 16
	.globl ap_trampoline_start, ap_trampoline_end
ap_trampoline_start:
	.code16
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl TR(tr_gdt_ptr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $0x08, $TR(pm32)

	.code32
pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl TR(ap_cr3), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0
	ljmp $0x18, $TR(lm64)

	.code64
lm64:
	movl $1, %eax
	lock xaddl %eax, TR(ap_next)	/* eax = this AP's index - 1 */
	incl %eax
	movl %eax, %edi			/* guest_ap_entry(index) */
	movq TR(ap_stack_size), %rcx
	imulq %rax, %rcx
	addq TR(ap_stacks), %rcx	/* the top of stack `index` (1-based) */
	movq %rcx, %rsp
	lgdt TR(ap_gdtr)		/* the library's GDT and IDT, as the BSP has them */
	lidt TR(ap_idtr)
	pushq $GUEST_SEL_CODE64
	pushq $TR(lm64_lib_cs)
	lretq
lm64_lib_cs:
	movw $GUEST_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	xorl %ebp, %ebp
	movq TR(ap_entry), %rax
	call *%rax
1:	cli
	hlt
	jmp 1b

	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10 data */
	.quad 0x00af9a000000ffff	/* 0x18 64-bit code */
tr_gdt_end:
	.balign 4
	.word 0
tr_gdt_ptr:
	.word tr_gdt_end - tr_gdt - 1
	.long TR(tr_gdt)
	/* Filled by smp.c before the SIPI (offsets in ap_trampoline_params). */
	.balign 8
	.globl ap_trampoline_params
ap_trampoline_params:
ap_cr3:		.quad 0			/* +0 */
ap_stacks:	.quad 0			/* +8: stack i's top is ap_stacks + i * size */
ap_stack_size:	.quad 0			/* +16 */
ap_entry:	.quad 0			/* +24: void guest_ap_entry(unsigned index) */
ap_next:	.long 0			/* +32: APs that arrived so far */
		.short 0
ap_gdtr:	.short 0		/* +38: limit, then base at +40 */
		.quad 0
		.short 0, 0, 0
ap_idtr:	.short 0		/* +54: limit, then base at +56 */
		.quad 0
ap_trampoline_end:
