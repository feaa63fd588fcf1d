/*
 * The hyperv guest's Hyper-V calls: through the hypercall page (a CALL to it,
 * as Linux and Windows do), in the memory form (RDX, R8 GPAs), the fast form
 * (RDX, R8 values) and the XMM fast form (XMM0-XMM5 too). Header-only, for
 * tests/guests/hyperv.c.
 */
#ifndef TESSERA_TESTS_GUESTS_HYPERV_HC_H
#define TESSERA_TESTS_GUESTS_HYPERV_HC_H

#include "guest-abi/hyperv-tlfs-x86.h"
#include "tests/guests/lib/lib.h"

/* Where the guest put its hypercall page (hyperv.c sets it up). */
extern void *hv_page;

/* The input value: call code, fast bit, variable header (8-byte units), reps. */
static inline uint64_t hv_ctl(uint16_t code, bool fast, uint32_t var_words, uint32_t reps,
			      uint32_t start)
{
	return code | (fast ? HV_HYPERCALL_FAST_BIT : 0) |
	       (uint64_t)var_words << HV_HYPERCALL_VARHEAD_SHIFT |
	       (uint64_t)reps << HV_HYPERCALL_REP_COUNT_SHIFT |
	       (uint64_t)start << HV_HYPERCALL_REP_START_SHIFT;
}

/* RCX = ctl, RDX = a, R8 = b; returns RAX (the result value). */
static inline uint64_t hv_call(uint64_t ctl, uint64_t a, uint64_t b)
{
	register uint64_t r8 __asm__("r8") = b;
	uint64_t ret;

	__asm__ volatile("call *%[page]"
			 : "=a"(ret), "+c"(ctl), "+d"(a), "+r"(r8)
			 : [page] "r"(hv_page)
			 : "cc", "memory", "r9", "r10", "r11");
	return ret;
}

/* The XMM fast form: xmm[0..11] are XMM0-XMM5 (low word first). */
static inline uint64_t hv_call_xmm(uint64_t ctl, uint64_t a, uint64_t b, const uint64_t *xmm)
{
	register uint64_t r8 __asm__("r8") = b;
	uint64_t ret;

	__asm__ volatile("movdqu 0(%[x]), %%xmm0\n\tmovdqu 16(%[x]), %%xmm1\n\t"
			 "movdqu 32(%[x]), %%xmm2\n\tmovdqu 48(%[x]), %%xmm3\n\t"
			 "movdqu 64(%[x]), %%xmm4\n\tmovdqu 80(%[x]), %%xmm5\n\t"
			 "call *%[page]"
			 : "=a"(ret), "+c"(ctl), "+d"(a), "+r"(r8)
			 : [page] "r"(hv_page), [x] "r"(xmm)
			 : "cc", "memory", "r9", "r10", "r11");
	return ret;
}

static inline uint16_t hv_status(uint64_t result)
{
	return (uint16_t)(result & HV_HYPERCALL_RESULT_MASK);
}

static inline uint32_t hv_reps_done(uint64_t result)
{
	return (uint32_t)((result & HV_HYPERCALL_REP_COMP_MASK) >> HV_HYPERCALL_REP_COMP_SHIFT);
}

#endif
