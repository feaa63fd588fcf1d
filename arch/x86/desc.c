/*
 * Descriptor tables. One IDT, shared by every CPU and built once; per CPU a
 * GDT and a 64-bit TSS inside its struct percpu. The TSS only carries the
 * interrupt stack table (Tessera never runs ring 3 code, so RSP0 and the I/O
 * bitmap are unused): NMI, #DF and #MC switch to stacks of their own, so they
 * are reported even when they hit while the normal stack is unusable.
 */
#include "arch/x86/desc.h"
#include "arch/x86/exception.h"
#include "arch/x86/percpu.h"
#include "arch/x86/traps.h"
#include "lib/page_alloc.h"
#include "lib/string.h"

/* Code and data segments: flat, present, ring 0 (SDM 3.4.5). */
#define SEG_CODE64 0x00af9a000000ffffULL /* L=1, D=0, G=1, execute/read, accessed clear */
#define SEG_DATA   0x00cf92000000ffffULL /* D/B=1, G=1, read/write */
#define SEG_CODE32 0x00cf9a000000ffffULL /* D=1, G=1, execute/read */

#define SYS_TYPE_TSS64_AVAILABLE 0x9
#define SYS_TYPE_INTERRUPT_GATE	 0xe
#define DESC_PRESENT		 0x80

#define IST_COUNT 3 /* IST_NMI, IST_DF, IST_MC */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist; /* bits 2:0 */
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;

STATIC_ASSERT(sizeof(struct idt_gate) == 16, "IDT gates are 16 bytes in long mode");
STATIC_ASSERT(sizeof(struct tss64) == 104, "the 64-bit TSS is 104 bytes");
STATIC_ASSERT(GDT_TSS / 8 + 2 == GDT_ENTRIES, "the TSS descriptor takes the last two slots");

static struct idt_gate idt[IDT_VECTORS] __aligned(16);

/* The boot CPU's IST stacks: it sets up its tables before any allocator exists. */
static uint8_t boot_ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);

static void set_gate(uint8_t vector, uint64_t handler, uint8_t ist)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = (uint16_t)handler;
	g->selector = GDT_CODE64;
	g->ist = ist;
	g->type_attr = DESC_PRESENT | SYS_TYPE_INTERRUPT_GATE; /* DPL 0; clears IF on entry */
	g->offset_mid = (uint16_t)(handler >> 16);
	g->offset_high = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	for (unsigned int v = 0; v < IDT_VECTORS; v++)
		set_gate((uint8_t)v, trap_stub_table[v], 0);
	set_gate(EXC_NMI, trap_stub_table[EXC_NMI], IST_NMI);
	set_gate(EXC_DF, trap_stub_table[EXC_DF], IST_DF);
	set_gate(EXC_MC, trap_stub_table[EXC_MC], IST_MC);
}

/* A 16-byte system-segment descriptor for a 64-bit TSS (SDM 8.2.3). */
static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit)
{
	slot[0] = (limit & 0xffffULL) | ((base & 0xffffffULL) << 16) |
		  ((uint64_t)(DESC_PRESENT | SYS_TYPE_TSS64_AVAILABLE) << 40) |
		  ((uint64_t)((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xffULL) << 56);
	slot[1] = base >> 32;
}

static void load_tables(struct percpu *cpu)
{
	struct desc_ptr gdtr = {sizeof(cpu->gdt) - 1, (uint64_t)(uintptr_t)cpu->gdt};
	struct desc_ptr idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
	/* A far return reloads CS; DS, ES and SS take the data segment. FS and GS keep
	 * their bases: loading a selector into GS would clear the per-CPU pointer. */
	__asm__ volatile("pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %k[ds], %%ds\n\t"
			 "movl %k[ds], %%es\n\t"
			 "movl %k[ds], %%ss"
			 :
			 : [cs] "i"(GDT_CODE64), [ds] "r"((uint32_t)GDT_DATA)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)GDT_TSS) : "memory");
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

void desc_init_cpu(struct percpu *cpu)
{
	uint64_t ist_base;

	if (cpu->index == 0)
		ist_base = (uint64_t)(uintptr_t)boot_ist_stacks;
	else
		ist_base = (uint64_t)(uintptr_t)alloc_pages(IST_COUNT * IST_STACK_SIZE / PAGE_SIZE);

	memset(&cpu->tss, 0, sizeof(cpu->tss));
	cpu->tss.ist[IST_NMI - 1] = ist_base + 1 * IST_STACK_SIZE;
	cpu->tss.ist[IST_DF - 1] = ist_base + 2 * IST_STACK_SIZE;
	cpu->tss.ist[IST_MC - 1] = ist_base + 3 * IST_STACK_SIZE;
	cpu->tss.iomap_base = sizeof(struct tss64); /* past the limit: no I/O bitmap */

	cpu->gdt[GDT_NULL / 8] = 0;
	cpu->gdt[GDT_CODE64 / 8] = SEG_CODE64;
	cpu->gdt[GDT_DATA / 8] = SEG_DATA;
	cpu->gdt[GDT_CODE32 / 8] = SEG_CODE32;
	set_tss_descriptor(&cpu->gdt[GDT_TSS / 8], (uint64_t)(uintptr_t)&cpu->tss,
			   sizeof(struct tss64) - 1);

	load_tables(cpu);
}
