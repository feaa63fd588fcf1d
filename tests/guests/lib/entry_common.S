/*
 * The 32-bit path both entries share: finish the entry-state snapshot, zero
 * .bss, build identity page tables for the low 4 GiB (2 MiB pages, user
 * accessible so tests can run code at CPL 3), enter long mode with our own
 * GDT and call guest_start(protocol). The loader's stack, GDT and IDT are
 * never used: ESP is undefined at entry and the others may be anywhere.
 */
#include "tests/guests/lib/boot_layout.h"

#define PTE_P_RW_US	0x007
#define PTE_PS		0x080
#define CR0_PG		0x80000000
#define CR0_WP		0x00010000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define CPUID_EXT_LM	29	/* CPUID 0x80000001 EDX: long mode */
#define DEBUG_EXIT_PORT	0xf4

/* Records the selector that `\read` puts in %ax and, if it names a GDT entry, its descriptor. */
.macro SNAP_SEG idx, read:vararg
	xorl %eax, %eax
	\read
	movl %eax, guest_entry_state + ENTRY_SEL + 4 * \idx
	testl $4, %eax			/* LDT selector: not ours to read */
	jnz 1f
	andl $0xfff8, %eax
	jz 1f				/* null selector */
	leal 7(%eax), %ecx
	cmpl guest_entry_state + ENTRY_GDT_LIMIT, %ecx
	ja 1f
	addl guest_entry_state + ENTRY_GDT_BASE, %eax
	movl (%eax), %ecx
	movl %ecx, guest_entry_state + ENTRY_DESC + 8 * \idx
	movl 4(%eax), %ecx
	movl %ecx, guest_entry_state + ENTRY_DESC + 8 * \idx + 4
	orl $(1 << \idx), guest_entry_state + ENTRY_DESC_VALID
1:
.endm

	.section .text.entry, "ax"
	.code32
	.globl guest_entry32
guest_entry32:
	/* Only MOVs so far, so EFLAGS is still the loader's. */
	movl %esp, guest_entry_state + ENTRY_ESP
	movl $guest_stack_top, %esp
	pushfl
	popl guest_entry_state + ENTRY_EFLAGS
	cli
	cld
	movl %cr0, %eax
	movl %eax, guest_entry_state + ENTRY_CR0
	movl %cr4, %eax
	movl %eax, guest_entry_state + ENTRY_CR4
	sgdt gdtr_scratch
	movzwl gdtr_scratch, %eax
	movl %eax, guest_entry_state + ENTRY_GDT_LIMIT
	movl gdtr_scratch + 2, %eax
	movl %eax, guest_entry_state + ENTRY_GDT_BASE

	SNAP_SEG ENTRY_SEG_CS, movw %cs, %ax
	SNAP_SEG ENTRY_SEG_DS, movw %ds, %ax
	SNAP_SEG ENTRY_SEG_ES, movw %es, %ax
	SNAP_SEG ENTRY_SEG_SS, movw %ss, %ax
	SNAP_SEG ENTRY_SEG_FS, movw %fs, %ax
	SNAP_SEG ENTRY_SEG_GS, movw %gs, %ax
	SNAP_SEG ENTRY_SEG_TR, str %ax

	/* Our own flat data segments from here on. */
	lgdt guest_gdt_ptr32
	movw $GUEST_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs

	/* .bss holds the stacks and page tables; the snapshot is in .data. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $CPUID_EXT_LM, %edx
	jnc no_long_mode

	/* PML4[0] -> PDPT, PDPT[0..3] -> the four PDs, 2048 x 2 MiB pages. */
	movl $guest_pdpt + PTE_P_RW_US, guest_pml4
	movl $guest_pd + PTE_P_RW_US, %eax
	xorl %ecx, %ecx
2:	movl %eax, guest_pdpt(, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jb 2b
	movl $(PTE_P_RW_US | PTE_PS), %eax
	xorl %ecx, %ecx
3:	movl %eax, guest_pd(, %ecx, 8)
	addl $0x200000, %eax
	incl %ecx
	cmpl $2048, %ecx
	jb 3b

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $guest_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	ljmp $GUEST_SEL_CODE64, $long_mode

no_long_mode:
	movl $no_lm_msg, %esi
	movw $0x3f8, %dx
4:	lodsb
	testb %al, %al
	jz 5f
	outb %al, %dx
	jmp 4b
5:	movw $DEBUG_EXIT_PORT, %dx
	movl $1, %eax
	outl %eax, %dx
6:	cli
	hlt
	jmp 6b

	.code64
long_mode:
	movw $GUEST_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $guest_stack_top, %rsp
	xorl %ebp, %ebp
	movl guest_protocol(%rip), %edi
	call guest_start
7:	cli
	hlt
	jmp 7b

	.section .rodata
no_lm_msg:
	.asciz "guest: this CPU has no long mode\n"

	.section .data
	.balign 8
	.globl guest_gdt
guest_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x10 data, DPL 0 */
	.quad 0x00affa000000ffff	/* 0x18 64-bit code, DPL 3 */
	.quad 0x00cff2000000ffff	/* 0x20 data, DPL 3 */
	.quad 0, 0			/* 0x28 TSS, filled in by C */
guest_gdt_end:
	.balign 8
	.word 0
guest_gdt_ptr32:
	.word guest_gdt_end - guest_gdt - 1
	.long guest_gdt
gdtr_scratch:
	.word 0
	.long 0
	.balign 4
	.globl guest_protocol
guest_protocol:
	.long 0
	.balign 8
	.globl guest_entry_state
guest_entry_state:
	.fill ENTRY_STATE_SIZE, 1, 0

	.section .bss
	.balign 4096
	.globl guest_pml4, guest_pdpt, guest_pd
guest_pml4:
	.skip 4096
guest_pdpt:
	.skip 4096
guest_pd:
	.skip 4 * 4096
	.balign 16
guest_stack:
	.skip GUEST_STACK_SIZE
	.globl guest_stack_top
guest_stack_top:
