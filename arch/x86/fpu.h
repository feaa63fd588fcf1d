/*
 * The x87, SSE, AVX and other user state components XSAVE manages, which a
 * guest owns in the hardware registers of its CPU (the hypervisor is built
 * with -mgeneral-regs-only and never uses them).
 */
#ifndef TESSERA_ARCH_X86_FPU_H
#define TESSERA_ARCH_X86_FPU_H

#include "lib/types.h"

#define FCW_INIT    0x037f /* x87 control word after FNINIT or an init-state XRSTOR */
#define MXCSR_RESET 0x1f80 /* SDM 1 10.2.3.1: all exceptions masked, round to nearest */

/*
 * Puts this CPU's x87/SSE/AVX... registers in their initial configuration:
 * FNINIT, then XRSTOR of an area whose XSTATE_BV is 0 (every component XCR0
 * may enable is initialised) where XSAVE exists, else FXRSTOR of a clean
 * area; XCR0 ends at its reset value, x87 only. CR0 and CR4 are as before.
 */
void fpu_load_init_state(void);

/*
 * Copies XMM0..XMM(nr-1) (nr <= 6) as they are, the guest's, into out (two
 * words each, low first): the Hyper-V XMM fast hypercall's input. CR4.OSFXSR
 * is set and CR0.TS/EM cleared only around the copy (the host may run
 * without them); CR0 and CR4 end as before.
 */
#define FPU_XMM_READ_MAX 6
void fpu_read_xmm(uint64_t *out, unsigned nr);

#endif
