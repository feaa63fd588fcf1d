/* Control registers, flags and small CPU instructions. */
#ifndef TESSERA_ARCH_X86_CPU_H
#define TESSERA_ARCH_X86_CPU_H

#include "lib/types.h"

#define CR0_PE		BIT(0)
#define CR0_MP		BIT(1)
#define CR0_EM		BIT(2)
#define CR0_TS		BIT(3)
#define CR0_ET		BIT(4)
#define CR0_NE		BIT(5)
#define CR0_WP		BIT(16)
#define CR0_AM		BIT(18)
#define CR0_NW		BIT(29)
#define CR0_CD		BIT(30)
#define CR0_PG		BIT(31)
#define CR4_VME		BIT(0)
#define CR4_PVI		BIT(1)
#define CR4_TSD		BIT(2)
#define CR4_DE		BIT(3)
#define CR4_PSE		BIT(4)
#define CR4_PAE		BIT(5)
#define CR4_MCE		BIT(6)
#define CR4_PGE		BIT(7)
#define CR4_PCE		BIT(8)
#define CR4_OSFXSR	BIT(9)
#define CR4_OSXMMEXCPT	BIT(10)
#define CR4_UMIP	BIT(11)
#define CR4_LA57	BIT(12)
#define CR4_VMXE	BIT(13)
#define CR4_SMXE	BIT(14)
#define CR4_FSGSBASE	BIT(16)
#define CR4_PCIDE	BIT(17)
#define CR4_OSXSAVE	BIT(18)
#define CR4_SMEP	BIT(20)
#define CR4_SMAP	BIT(21)
#define CR4_PKE		BIT(22)
/* XCR0 (XFEATURE_ENABLED_MASK): state components XSAVE manages. */
#define XCR0_X87	BIT(0)
#define XCR0_SSE	BIT(1)
#define XCR0_AVX	BIT(2)
#define XCR0_BNDREGS	BIT(3)
#define XCR0_BNDCSR	BIT(4)
#define XCR0_OPMASK	BIT(5)
#define XCR0_ZMM_HI256	BIT(6)
#define XCR0_HI16_ZMM	BIT(7)
#define XCR0_PKRU	BIT(9)
#define XCR0_TILECFG	BIT(17)
#define XCR0_TILEDATA	BIT(18)
#define RFLAGS_CF	BIT(0)
#define RFLAGS_FIXED	BIT(1)
#define RFLAGS_ZF	BIT(6)
#define RFLAGS_TF	BIT(8)
#define RFLAGS_IF	BIT(9)
#define RFLAGS_DF	BIT(10)
#define RFLAGS_RF	BIT(16)
#define RFLAGS_VM	BIT(17)
/* Reserved RFLAGS bits that must be 0: 3, 5, 15 and 22-63. */
#define RFLAGS_RESERVED 0xffffffffffc08028ULL

/* Debug registers (SDM 3B 17.2): DR6 status bits, reset values of DR6 and DR7. */
#define DR6_B0	  BIT(0)  /* breakpoint 0 condition met (B1-B3 follow) */
#define DR6_BD	  BIT(13) /* debug register access detected (DR7.GD) */
#define DR6_BS	  BIT(14) /* single step */
#define DR6_RESET 0xffff0ff0ULL
#define DR7_GD	  BIT(13) /* general detect: MOV DR raises #DB */
#define DR7_RESET 0x400ULL

#ifndef HOST_TEST
/* read_cr0() .. write_dr6(): MOV from and to a control or debug register. */
#define DEFINE_SYS_REG(reg)                                                \
	static inline uint64_t read_##reg(void)                            \
	{                                                                  \
		uint64_t v;                                                \
		__asm__ volatile("mov %%" #reg ", %0" : "=r"(v));          \
		return v;                                                  \
	}                                                                  \
	static inline void write_##reg(uint64_t v)                         \
	{                                                                  \
		__asm__ volatile("mov %0, %%" #reg : : "r"(v) : "memory"); \
	}
DEFINE_SYS_REG(cr0)
DEFINE_SYS_REG(cr2)
DEFINE_SYS_REG(cr3)
DEFINE_SYS_REG(cr4)
DEFINE_SYS_REG(dr0)
DEFINE_SYS_REG(dr1)
DEFINE_SYS_REG(dr2)
DEFINE_SYS_REG(dr3)
DEFINE_SYS_REG(dr6)
#undef DEFINE_SYS_REG

/* Loads extended control register xcr (0: XCR0); needs CR4.OSXSAVE. */
static inline void xsetbv(uint32_t xcr, uint64_t v)
{
	__asm__ volatile("xsetbv"
			 :
			 : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}
static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}
static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}
static inline uint64_t read_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}
/*
 * An IRET to the next instruction, on the current stack: it ends the NMI
 * blocking that a VM exit caused by an NMI leaves behind (the SDM's VM-exit
 * chapter: NMIs stay blocked until the next IRET). Bochs 3.0 lifts it at the
 * next VM entry, Bochs 2.7 does not: there every later NMI, a request's kick
 * among them, was held back and a running vCPU never saw its requests.
 */
static inline void cpu_unblock_nmi(void)
{
	__asm__ volatile("movl %%ss, %%eax\n\t"
			 "pushq %%rax\n\t"
			 "pushq %%rsp\n\t"
			 "addq $8, (%%rsp)\n\t"
			 "pushfq\n\t"
			 "movl %%cs, %%eax\n\t"
			 "pushq %%rax\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "iretq\n"
			 "1:"
			 :
			 :
			 : "rax", "memory", "cc");
}

static inline __noreturn void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
#define barrier() __asm__ volatile("" ::: "memory")
#endif

#endif
