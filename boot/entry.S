/*
 * Tessera's entry points. One ELF64 image carries two ways in:
 *   - a multiboot2 header (GRUB): EAX = 0x36d76289, EBX = multiboot2 info;
 *   - a PVH ELF note, XEN_ELFNOTE_PHYS32_ENTRY (QEMU -kernel, other PVH
 *     loaders): EBX = hvm_start_info.
 * Both enter here in 32-bit protected mode with paging off and no usable stack.
 * We record which way we came in, zero .bss, build boot page tables that
 * identity-map the low 4 GiB with 2 MiB pages, enter long mode and call
 * boot_main(protocol, info_pa, magic). C replaces these tables early.
 */
#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_ARCH_I386		0
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PTE_P_RW		0x003
#define PTE_P_RW_PS		0x083
#define CR0_PE_WP_PG		0x80010001
#define CR0_CD_NW		0x60000000
#define CR4_PAE			0x20
#define MSR_EFER		0xc0000080
#define EFER_LME		0x100
#define BOOT_STACK_SIZE		16384

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.balign 8
	.word 3, 0		/* entry address tag */
	.long 12
	.long _start_mb2
	.balign 8
	.word 0, 0		/* end tag */
	.long 8
mb2_header_end:

	.section .note.Xen, "a"
	.balign 4
	.long 4			/* name size */
	.long 8			/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad _start_pvh

	.section .text.boot, "ax"
	.code32
	.globl _start_pvh
_start_pvh:
	cli
	cld
	movl $2, boot_protocol
	movl %ebx, boot_info_pa
	jmp common32

	.globl _start_mb2
_start_mb2:
	cli
	cld
	movl $1, boot_protocol
	movl %ebx, boot_info_pa
	movl %eax, boot_magic

common32:
	/* Zero .bss; it holds the stack and page tables below. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl $boot_stack_top, %esp

	/* Long mode is required. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	/* PML4[0] -> PDPT; PDPT[0..3] -> the four PDs; 2048 2 MiB pages. */
	movl $boot_pdpt + PTE_P_RW, boot_pml4
	movl $boot_pd + PTE_P_RW, %eax
	xorl %ecx, %ecx
1:	movl %eax, boot_pdpt(,%ecx,8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jb 1b
	movl $PTE_P_RW_PS, %eax
	xorl %ecx, %ecx
2:	movl %eax, boot_pd(,%ecx,8)
	addl $0x200000, %eax
	incl %ecx
	cmpl $2048, %ecx
	jb 2b

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	andl $~CR0_CD_NW, %eax		/* a loader may leave caching off (Bochs BIOS does) */
	orl $CR0_PE_WP_PG, %eax
	movl %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x08, $long_entry

no_long_mode:
	/* Nothing else can be done: say so on COM1 and the 0xE9 port, then stop. */
	movl $no_lm_msg, %esi
3:	lodsb
	testb %al, %al
	jz 4f
	movw $0x3f8, %dx
	outb %al, %dx
	movw $0xe9, %dx
	outb %al, %dx
	jmp 3b
4:	cli
	hlt
	jmp 4b

	.code64
long_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_protocol(%rip), %edi
	movl boot_info_pa(%rip), %esi
	movl boot_magic(%rip), %edx
	call boot_main
5:	cli
	hlt
	jmp 5b

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt
no_lm_msg:
	.asciz "tessera: this CPU has no long mode (CPUID.80000001:EDX.LM=0); stopping\r\n"

	.data
	.balign 4
boot_protocol:	.long 0
boot_info_pa:	.long 0
boot_magic:	.long 0

	.bss
	.balign 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.balign 16
	.globl boot_stack_top
boot_stack:	.skip BOOT_STACK_SIZE
boot_stack_top:
