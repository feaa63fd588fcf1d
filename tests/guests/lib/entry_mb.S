/*
 * Multiboot v1 way in: the header (first in the image, see guest.ld) and the
 * 32-bit entry. The loader enters with EAX = 0x2BADB002 and EBX -> struct
 * multiboot_info (guest-abi/multiboot.h). The image is an ELF, so the header
 * needs no address fields: the loader takes the ELF program headers and entry.
 */
#include "guest-abi/multiboot.h"
#include "tests/guests/lib/boot_layout.h"

#define MB_FLAGS (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

	.section .multiboot, "a"
	.balign MULTIBOOT_HEADER_ALIGN
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

	.section .text.entry, "ax"
	.code32
	.globl _start_mb
_start_mb:
	movl %eax, guest_entry_state + ENTRY_EAX
	movl %ebx, guest_entry_state + ENTRY_EBX
	movl $GUEST_BOOT_MULTIBOOT, guest_protocol
	jmp guest_entry32
