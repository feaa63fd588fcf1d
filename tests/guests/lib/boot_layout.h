/*
 * What the guest library's assembly and C agree on: GDT selectors, stack
 * sizes, boot protocols and the layout of the entry-state snapshot that the
 * 32-bit entry code fills before it changes anything. Usable from assembly.
 */
#ifndef TESSERA_GUEST_LIB_BOOT_LAYOUT_H
#define TESSERA_GUEST_LIB_BOOT_LAYOUT_H

/* Boot protocols (struct guest_boot.protocol). */
#define GUEST_BOOT_PVH	     1
#define GUEST_BOOT_MULTIBOOT 2

/* The library's GDT. */
#define GUEST_SEL_CODE64    0x08
#define GUEST_SEL_DATA	    0x10
#define GUEST_SEL_USER_CODE 0x1b /* 0x18 | RPL 3 */
#define GUEST_SEL_USER_DATA 0x23 /* 0x20 | RPL 3 */
#define GUEST_SEL_TSS	    0x28 /* two slots */
#define GUEST_GDT_ENTRIES   7

/* int $0x80 at CPL 3 ends run_user() (a DPL 3 gate). */
#define GUEST_VEC_USER_RETURN 0x80

#define GUEST_STACK_SIZE     16384 /* the main stack */
#define GUEST_IRQ_STACK_SIZE 8192  /* TSS.RSP0: exceptions raised at CPL 3 */
#define GUEST_DF_STACK_SIZE  4096  /* IST1: double fault */

/* Application processors (smp.c, ap_trampoline.S): start page (SIPI vector 0x08) and stacks. */
#define GUEST_AP_TRAMPOLINE 0x8000
#define GUEST_AP_STACK_SIZE 8192
#define GUEST_MAX_CPUS	    16

/* The segment registers in the snapshot, in this order. */
#define ENTRY_SEG_CS  0
#define ENTRY_SEG_DS  1
#define ENTRY_SEG_ES  2
#define ENTRY_SEG_SS  3
#define ENTRY_SEG_FS  4
#define ENTRY_SEG_GS  5
#define ENTRY_SEG_TR  6
#define ENTRY_NR_SEGS 7

/* Byte offsets in struct guest_entry_state (checked in lib.h). */
#define ENTRY_EAX	 0
#define ENTRY_EBX	 4
#define ENTRY_ESP	 8
#define ENTRY_EFLAGS	 12
#define ENTRY_CR0	 16
#define ENTRY_CR4	 20
#define ENTRY_GDT_BASE	 24
#define ENTRY_GDT_LIMIT	 28
#define ENTRY_DESC_VALID 32 /* bit ENTRY_SEG_x: desc[x] was read from the GDT */
#define ENTRY_SEL	 36 /* uint32_t sel[ENTRY_NR_SEGS] */
#define ENTRY_DESC	 64 /* uint32_t desc[ENTRY_NR_SEGS][2]: low, high dword */
#define ENTRY_STATE_SIZE 120

#endif
