/*
 * PVH way in: the ELF note that names the 32-bit entry point, and the entry
 * itself. The loader enters in 32-bit protected mode with paging off and
 * EBX -> struct hvm_start_info (guest-abi/pvh.h). Nothing may change EAX, EBX
 * or EFLAGS before guest_entry32 has recorded them.
 */
#include "tests/guests/lib/boot_layout.h"

#define PVH_NOTE_TYPE 18 /* XEN_ELFNOTE_PHYS32_ENTRY, guest-abi/pvh.h */

	.section .note.Xen, "a"
	.balign 4
	.long 4			/* name size, "Xen\0" */
	.long 8			/* descriptor size */
	.long PVH_NOTE_TYPE
	.asciz "Xen"
	.balign 4
	.quad _start_pvh

	.section .text.entry, "ax"
	.code32
	.globl _start_pvh
_start_pvh:
	movl %eax, guest_entry_state + ENTRY_EAX
	movl %ebx, guest_entry_state + ENTRY_EBX
	movl $GUEST_BOOT_PVH, guest_protocol
	jmp guest_entry32
