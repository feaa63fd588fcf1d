/*
 * x86 exception vectors, as the Intel SDM names them (vol. 3A, 6.15), and the
 * pure decoding the exception dump needs: names and error-code meanings.
 */
#ifndef TESSERA_ARCH_X86_EXCEPTION_H
#define TESSERA_ARCH_X86_EXCEPTION_H

#include "lib/types.h"

#define EXC_DE	  0  /* divide error */
#define EXC_DB	  1  /* debug */
#define EXC_NMI	  2  /* non-maskable interrupt */
#define EXC_BP	  3  /* breakpoint (int3) */
#define EXC_OF	  4  /* overflow */
#define EXC_BR	  5  /* BOUND range exceeded */
#define EXC_UD	  6  /* invalid opcode */
#define EXC_NM	  7  /* device not available */
#define EXC_DF	  8  /* double fault */
#define EXC_TS	  10 /* invalid TSS */
#define EXC_NP	  11 /* segment not present */
#define EXC_SS	  12 /* stack-segment fault */
#define EXC_GP	  13 /* general protection */
#define EXC_PF	  14 /* page fault */
#define EXC_MF	  16 /* x87 floating-point error */
#define EXC_AC	  17 /* alignment check */
#define EXC_MC	  18 /* machine check */
#define EXC_XM	  19 /* SIMD floating-point */
#define EXC_VE	  20 /* virtualization exception */
#define EXC_CP	  21 /* control protection */
#define EXC_COUNT 32 /* vectors 0-31 are reserved for exceptions */

/*
 * The vectors of class "fault" (SDM 3A table 6-1): delivering one, hardware
 * pushes RFLAGS with RF set (3A 17.3.1.1). #DB is left out: it is a fault only
 * for instruction breakpoints and DR7.GD, and those push RF as it was.
 */
#define EXC_FAULTS                                                                           \
	(BIT(EXC_DE) | BIT(EXC_BR) | BIT(EXC_UD) | BIT(EXC_NM) | BIT(EXC_TS) | BIT(EXC_NP) | \
	 BIT(EXC_SS) | BIT(EXC_GP) | BIT(EXC_PF) | BIT(EXC_MF) | BIT(EXC_AC) | BIT(EXC_XM) | \
	 BIT(EXC_VE) | BIT(EXC_CP))

/* Page-fault error code (SDM 4.7). */
#define PF_ERR_P    BIT(0)  /* 1: protection violation, 0: page not present */
#define PF_ERR_W    BIT(1)  /* write access */
#define PF_ERR_U    BIT(2)  /* user-mode access */
#define PF_ERR_RSVD BIT(3)  /* reserved bit set in a paging entry */
#define PF_ERR_I    BIT(4)  /* instruction fetch */
#define PF_ERR_PK   BIT(5)  /* protection key */
#define PF_ERR_SS   BIT(6)  /* shadow-stack access */
#define PF_ERR_HLAT BIT(7)  /* HLAT paging */
#define PF_ERR_SGX  BIT(15) /* SGX access-control violation */

/* Selector error code of #TS, #NP, #SS, #GP (SDM 6.13). */
#define SEL_ERR_EXT	 BIT(0) /* raised by an event external to the program */
#define SEL_ERR_IDT	 BIT(1) /* index refers to an IDT gate */
#define SEL_ERR_TI	 BIT(2) /* index refers to the LDT (when IDT is clear) */
#define SEL_ERR_INDEX(e) (((e) >> 3) & 0x1fff)

/* "#PF page fault" style name for vectors 0-31; "interrupt" for the rest. */
const char *exception_name(uint64_t vector);

/* Whether the CPU pushes an error code for this vector (64-bit mode). */
bool exception_has_error_code(uint64_t vector);

/*
 * Writes a human-readable meaning of `error_code` for exception `vector` into buf
 * (always NUL-terminated when size > 0), e.g. "not-present write supervisor data"
 * for a #PF or "idt vector 0x0e" for a #GP. Empty when the vector has no error
 * code or nothing to decode. Returns the length written.
 */
size_t exception_describe_error(uint64_t vector, uint64_t error_code, char *buf, size_t size);

#endif
