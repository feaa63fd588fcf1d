/* Descriptor tables: GDT layout, the 64-bit TSS, IDT gates and their set-up. */
#ifndef TESSERA_ARCH_X86_DESC_H
#define TESSERA_ARCH_X86_DESC_H

#include "lib/types.h"

/* GDT selectors, the same on every CPU. */
#define GDT_NULL    0x00
#define GDT_CODE64  0x08
#define GDT_DATA    0x10
#define GDT_CODE32  0x18
#define GDT_TSS	    0x20 /* takes two slots */
#define GDT_ENTRIES 6

/* Interrupt stack table slots (1-based in the IDT gate). */
#define IST_NMI	       1
#define IST_DF	       2
#define IST_MC	       3
#define IST_STACK_SIZE (2 * 4096) /* a dump needs ~2 KiB; 8 KiB leaves room */

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

struct percpu;
/* Builds and loads this CPU's GDT, TSS (with IST stacks) and the shared IDT. */
void desc_init_cpu(struct percpu *cpu);
/* Builds the IDT once, on the BSP, before any desc_init_cpu(). */
void idt_init(void);

#endif
